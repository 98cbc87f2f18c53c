// Package assessments is piaflow's domain core: the data-flow questionnaire of one customer
// deployment (model, parsing, validation, JSON Schema), the assessment piaflow returns for it,
// and the service that evaluates one into the other with the policies.
package assessments

// SchemaVersion is the questionnaire and assessment contract version this package implements.
const SchemaVersion = 1

// Questionnaire is the data-flow questionnaire of one customer deployment (contract v1, see
// docs/questionnaire.md). Struct tags drive validation and the published JSON Schema:
// `enum` names a vocabulary of policies.Enum, `format` is country|date, `req` marks required
// fields, `min` a minimum for numbers and lists, `desc` the help text.
type Questionnaire struct {
	SchemaVersion int         `json:"schema_version" req:"true" min:"1" desc:"Contract version; 1."`
	Deployment    Deployment  `json:"deployment" req:"true" desc:"The customer deployment being assessed."`
	Hosting       []Hosting   `json:"hosting" req:"true" min:"1" desc:"Where the system and its copies run."`
	Activities    []Activity  `json:"activities" req:"true" min:"1" desc:"Processing activities; at least one."`
	Processors    []Processor `json:"processors,omitempty" desc:"Processors and sub-processors (cloud, support, SaaS)."`
	Security      Security    `json:"security" req:"true" desc:"Technical and organisational security measures (GDPR Art. 32, HIPAA 164.312)."`
	Governance    Governance  `json:"governance" req:"true" desc:"Accountability measures."`
}

// Deployment describes the customer, the vendor and the deployment's timing.
type Deployment struct {
	Name                   string   `json:"name" req:"true" desc:"Name of the deployment."`
	Customer               string   `json:"customer" req:"true" desc:"The customer (usually the controller)."`
	CustomerCountry        string   `json:"customer_country" req:"true" format:"country" desc:"Where the customer (the controller) is established (GDPR Art. 3(1))."`
	VendorCountry          string   `json:"vendor_country" req:"true" format:"country" desc:"Where we, the software vendor, are established."`
	VendorRole             string   `json:"vendor_role" req:"true" enum:"vendor_role" desc:"Our role for the customer's data (GDPR Art. 4(7),(8), 26, 28)."`
	Sector                 string   `json:"sector" req:"true" enum:"sector" desc:"The customer's sector; sector rules (health, payments) depend on it."`
	CriticalInfrastructure bool     `json:"critical_infrastructure" req:"true" desc:"The customer is a designated critical-information-infrastructure operator (PIPL Art. 40)."`
	CustomerType           *string  `json:"customer_type,omitempty" enum:"customer_type" desc:"organisation, individual_practitioner (GDPR Recital 91) or public_authority (GDPR Art. 37(1)(a))."`
	CustomerEmployees      *int     `json:"customer_employees,omitempty" min:"0" desc:"Customer headcount (GDPR Art. 30(5))."`
	GoLive                 *string  `json:"go_live,omitempty" format:"date" desc:"Planned go-live (YYYY-MM-DD); action due dates are computed from it."`
	USHIPAA                *USHIPAA `json:"us_hipaa,omitempty" desc:"Only meaningful where US health data is involved."`

	// piaflow additions (issue 11): establishment, roles, scope answers and earlier exports.
	CustomerEstablishments     []string        `json:"customer_establishments,omitempty" format:"country" desc:"piaflow addition: other countries where the customer has an establishment (branch, subsidiary) whose processing uses or feeds this deployment; each is an exporter under its own law (GDPR Art. 3(1), PIPL Art. 3(1))."`
	VendorDPASigned            *bool           `json:"vendor_dpa_signed,omitempty" desc:"piaflow addition: the vendor-customer contract meets GDPR Art. 28(3) (meaningful when vendor_role is processor)."`
	JointControllerArrangement *bool           `json:"joint_controller_arrangement,omitempty" desc:"piaflow addition: a GDPR Art. 26 arrangement between the joint controllers is in place (meaningful when vendor_role is joint_controller)."`
	ScopeConfirmed             map[string]bool `json:"scope_confirmed,omitempty" enum:"regime" desc:"piaflow addition: legal's answer per regime id whether that law reaches this deployment (true) or not (false); overrides piaflow's computed scope certainty."`
	FirstTransferOn            *string         `json:"first_transfer_on,omitempty" format:"date" desc:"piaflow addition: start of the first cross-border transfer (YYYY-MM-DD), the anchor of 'within N days of the first transfer' rules; default go_live."`
	OtherExports               []OtherExport   `json:"other_exports,omitempty" desc:"piaflow addition: people whose data the customer already provides abroad from a country outside this deployment since 1 January of the current year (CAC Provisions count per data processor, cumulatively)."`
}

// OtherExport counts the people whose personal information the customer already provides abroad
// from one country outside this deployment, since 1 January of the current year (piaflow addition).
type OtherExport struct {
	Country           string `json:"country" req:"true" format:"country" desc:"The exporting country (where the people's data is provided abroad from)."`
	Subjects          int    `json:"subjects" req:"true" min:"0" desc:"Number of people whose personal information is provided abroad, sensitive included."`
	SensitiveSubjects *int   `json:"sensitive_subjects,omitempty" min:"0" desc:"Of these, the number of people whose sensitive personal information is provided abroad."`
}

// USHIPAA holds the customer's HIPAA status.
type USHIPAA struct {
	CustomerIsCoveredEntity     *bool `json:"customer_is_covered_entity,omitempty" desc:"Health plan, clearinghouse or provider doing standard electronic transactions (45 CFR 160.103)."`
	CustomerIsBusinessAssociate *bool `json:"customer_is_business_associate,omitempty" desc:"The customer handles PHI on behalf of a covered entity (45 CFR 160.103)."`
}

// Hosting is one place where the system or a copy of its data runs.
type Hosting struct {
	Name            string  `json:"name" req:"true" desc:"Unique name of this hosting site."`
	Provider        string  `json:"provider" req:"true" enum:"provider" desc:"Cloud provider, on_premises or other."`
	Region          string  `json:"region,omitempty" desc:"The provider's region name (e.g. eu-central-1); with a known provider it gives the country."`
	Country         string  `json:"country,omitempty" format:"country" desc:"Country of the data centre; may be omitted when provider and region are known; a mismatch is an error."`
	Role            string  `json:"role" req:"true" enum:"hosting_role" desc:"primary, replica, backup or disaster_recovery."`
	Mechanism       *string `json:"mechanism,omitempty" enum:"mechanism" desc:"piaflow addition: the transfer mechanism covering data hosted here for people of other countries (e.g. scc with the cloud provider)."`
	Processor       *string `json:"processor,omitempty" desc:"piaflow addition: name of the processors[] entry operating this site; defaults to the processor named like the provider."`
	RegulatorFiling *string `json:"regulator_filing,omitempty" enum:"filing" desc:"piaflow addition: notice or approval already obtained for hosting the data here (e.g. Roskomnadzor notice, Vietnam transfer impact dossier)."`
	Exemption       *string `json:"exemption,omitempty" enum:"exemption" desc:"piaflow addition: a local-law transfer exemption claimed for this hosting site (e.g. hr_management)."`

	// Mechanisms is a piaflow addition (issue 11).
	Mechanisms []MechanismEntry `json:"mechanisms,omitempty" desc:"piaflow addition: the mechanism, filing and exemption per law (or per exporting country) for this site; an entry for a law takes precedence over mechanism, regulator_filing and exemption for that law."`
}

// MechanismEntry records, for one law (regime) or one exporting country, the transfer mechanism,
// filing and exemption a hosting site or transfer relies on (piaflow addition).
type MechanismEntry struct {
	Regime          *string `json:"regime,omitempty" enum:"regime" desc:"The law the entry is for (regime id, e.g. cn_pipl); give regime or country, not both."`
	Country         *string `json:"country,omitempty" format:"country" desc:"The exporting country the entry is for (its laws); give regime or country, not both."`
	Mechanism       string  `json:"mechanism" req:"true" enum:"mechanism" desc:"Transfer mechanism relied on under that law."`
	RegulatorFiling *string `json:"regulator_filing,omitempty" enum:"filing" desc:"Notice or approval obtained under that law (default none)."`
	Exemption       *string `json:"exemption,omitempty" enum:"exemption" desc:"Exemption claimed under that law (default none)."`
	SignedOn        *string `json:"signed_on,omitempty" format:"date" desc:"Date the contract (e.g. the CAC standard contract) was signed or took effect (YYYY-MM-DD)."`
	FiledOn         *string `json:"filed_on,omitempty" format:"date" desc:"Date the filing was made (YYYY-MM-DD); not before signed_on."`
	Note            *string `json:"note,omitempty" desc:"Free text, e.g. the contract's reference."`
}

// Activity is one processing activity.
type Activity struct {
	Name                    string        `json:"name" req:"true" desc:"Unique name of the processing activity."`
	Purposes                []string      `json:"purposes,omitempty" desc:"Purposes, free text (GDPR Art. 5(1)(b))."`
	LegalBasis              string        `json:"legal_basis" req:"true" enum:"legal_basis" desc:"Lawful basis (GDPR Art. 6(1)); unknown is asked for."`
	DataSubjects            []DataSubject `json:"data_subjects" req:"true" min:"1" desc:"Whose data, where they are, how many."`
	DataCategories          []string      `json:"data_categories" req:"true" min:"1" enum:"data_category" desc:"Categories of personal data (taxonomy)."`
	AutomatedDecisions      bool          `json:"automated_decisions" req:"true" desc:"Solely automated decisions (GDPR Art. 22)."`
	DecisionsLegalEffect    bool          `json:"decisions_legal_effect" req:"true" desc:"... with legal or similarly significant effect."`
	EvaluationOrScoring     bool          `json:"evaluation_or_scoring" req:"true" desc:"Profiling, scoring, behaviour prediction (WP248 criterion 1)."`
	SystematicMonitoring    bool          `json:"systematic_monitoring" req:"true" desc:"Tracking or monitoring people (WP248 criterion 3)."`
	CombinesDatasets        bool          `json:"combines_datasets" req:"true" desc:"Matching or combining datasets (WP248 criterion 6)."`
	InnovativeTechnology    bool          `json:"innovative_technology" req:"true" desc:"AI/ML on people, biometrics, IoT (WP248 criterion 8)."`
	PreventsRightsOrService bool          `json:"prevents_rights_or_service" req:"true" desc:"The processing decides access to a service or contract (WP248 criterion 9)."`
	PublicAreaMonitoring    *bool         `json:"public_area_monitoring,omitempty" desc:"Systematic monitoring of a publicly accessible area (GDPR Art. 35(3)(c))."`
	CoreActivity            *bool         `json:"core_activity,omitempty" desc:"The processing is a core activity of the customer (GDPR Art. 37(1))."`
	ImportantData           *bool         `json:"important_data,omitempty" desc:"Important data under China's Data Security Law and similar rules."`
	RetentionDays           *int          `json:"retention_days,omitempty" min:"0" desc:"How long the data is kept, in days (GDPR Art. 5(1)(e))."`
	Transfers               []Transfer    `json:"transfers,omitempty" desc:"Any access to or copy of the data from another country."`

	// piaflow additions (issue 11): scope questions, collection and de-identification.
	TargetedCountries      *[]string `json:"targeted_countries,omitempty" format:"country" desc:"piaflow addition: countries whose people this activity offers goods or services to (GDPR Art. 3(2)(a), PIPL Art. 3(2)(1)); an empty list answers 'none'."`
	MonitoredCountries     *[]string `json:"monitored_countries,omitempty" format:"country" desc:"piaflow addition: countries where the behaviour of the activity's people is monitored or analysed (GDPR Art. 3(2)(b), PIPL Art. 3(2)(2)); an empty list answers 'none'."`
	CollectedIn            []string  `json:"collected_in,omitempty" format:"country" desc:"piaflow addition: countries where the data is collected (LGPD Art. 3(III); CAC Provisions Art. 4 for data collected abroad)."`
	CollectedDirectly      *bool     `json:"collected_directly,omitempty" desc:"piaflow addition: the controller collects the data from the data subjects themselves (web form, app), not from another organisation (EDPB Guidelines 05/2021)."`
	Deidentification       *string   `json:"deidentification,omitempty" enum:"deidentification" desc:"piaflow addition: none, pseudonymised (still personal data) or anonymised (out of scope if truly anonymous; GDPR Recital 26, PIPL Art. 4)."`
	DeidentificationMethod *string   `json:"deidentification_method,omitempty" desc:"piaflow addition: how the data is pseudonymised or anonymised (free text)."`
	DataBrokerage          *bool     `json:"data_brokerage,omitempty" desc:"piaflow addition: the activity sells or licenses access to the data (US DOJ 28 CFR 202.214)."`
}

// DataSubject is one group of data subjects of an activity.
type DataSubject struct {
	Type        string   `json:"type" req:"true" enum:"subject_type" desc:"Kind of people."`
	Countries   []string `json:"countries" req:"true" min:"1" format:"country" desc:"Where these people are."`
	Count       int      `json:"count" req:"true" min:"0" desc:"Approximate number of people."`
	Vulnerable  bool     `json:"vulnerable" req:"true" desc:"Patients, children, employees, asylum seekers, elderly (WP248 criterion 7)."`
	Citizenship []string `json:"citizenship,omitempty" format:"country" desc:"Citizenship where it matters (e.g. Russian citizens, 152-FZ); defaults to countries."`
}

// Transfer is an access to or a copy of an activity's data from another country.
type Transfer struct {
	ToCountry               string   `json:"to_country" req:"true" format:"country" desc:"Country the data goes to or is accessed from."`
	Recipient               string   `json:"recipient" req:"true" desc:"Who receives or accesses the data (free text)."`
	RecipientType           string   `json:"recipient_type" req:"true" enum:"recipient_type" desc:"own_staff means the exporter's own employees working from abroad."`
	Access                  string   `json:"access" req:"true" enum:"access" desc:"remote_access, copy or storage."`
	Mechanism               string   `json:"mechanism" req:"true" enum:"mechanism" desc:"Transfer mechanism relied on."`
	RecipientCertifications []string `json:"recipient_certifications,omitempty" enum:"certification" desc:"e.g. eu_us_dpf: adequacy can depend on them."`
	Exemption               *string  `json:"exemption,omitempty" enum:"exemption" desc:"A local-law exemption claimed (e.g. CAC 2024 Provisions Art. 5)."`
	RegulatorFiling         *string  `json:"regulator_filing,omitempty" enum:"filing" desc:"Notice or approval already obtained (Roskomnadzor notice, CAC filing/assessment)."`

	// piaflow additions (issue 11): per-law mechanisms, the recipient's facts, onward transfers.
	Mechanisms                        []MechanismEntry `json:"mechanisms,omitempty" desc:"piaflow addition: the mechanism, filing and exemption per law (or per exporting country) for this transfer; an entry for a law takes precedence over mechanism, regulator_filing and exemption for that law."`
	RecipientCountry                  *string          `json:"recipient_country,omitempty" format:"country" desc:"piaflow addition: where the recipient is established (default to_country)."`
	RecipientParentCountry            *string          `json:"recipient_parent_country,omitempty" format:"country" desc:"piaflow addition: country of the recipient's parent company (US DOJ covered person; third-country-law exposure)."`
	RecipientSector                   *string          `json:"recipient_sector,omitempty" enum:"sector" desc:"piaflow addition: the recipient's sector (adequacy exclusions, sector localisation)."`
	RecipientPublicBody               *bool            `json:"recipient_public_body,omitempty" desc:"piaflow addition: the recipient is a public body (some adequacy decisions cover only the private sector)."`
	RecipientConduit                  *bool            `json:"recipient_conduit,omitempty" desc:"piaflow addition: the recipient only transmits the data (a conduit, e.g. data in transit)."`
	RecipientKeyAccess                *bool            `json:"recipient_key_access,omitempty" desc:"piaflow addition: the recipient can read the data in the clear."`
	RecipientCertificationCoveredData *string          `json:"recipient_certification_covered_data,omitempty" enum:"certification_covered_data" desc:"piaflow addition: the data the recipient's certification covers (Data Privacy Framework List 'covered data'): hr, non_hr or both."`
	OnwardTransfers                   []Transfer       `json:"onward_transfers,omitempty" desc:"piaflow addition: the recipient's own transfers of this data to others, evaluated hop by hop (at most 3 levels deep)."`
}

// MaxOnwardDepth is how deep transfers[].onward_transfers may nest: a transfer's onward
// transfers, theirs, and theirs again (hops 1 to 3 after the first transfer).
const MaxOnwardDepth = 3

// Processor is a processor or sub-processor.
type Processor struct {
	Name           string   `json:"name" req:"true" desc:"Unique name of the processor."`
	Country        string   `json:"country" req:"true" format:"country" desc:"Where the processor is established."`
	Service        string   `json:"service" req:"true" desc:"What it does (hosting, support, email, ...)."`
	DPASigned      bool     `json:"dpa_signed" req:"true" desc:"GDPR Art. 28(3) contract signed."`
	BAASigned      bool     `json:"baa_signed" req:"true" desc:"HIPAA business associate agreement signed (45 CFR 164.504(e))."`
	Certifications []string `json:"certifications,omitempty" enum:"certification" desc:"e.g. eu_us_dpf."`
	KeyAccess      *bool    `json:"key_access,omitempty" desc:"The processor can decrypt the data it holds."`

	// piaflow additions (issue 11): the processor's facts for adequacy scope and the DOJ rule.
	ParentCountry            *string `json:"parent_country,omitempty" format:"country" desc:"piaflow addition: country of the processor's parent company."`
	Sector                   *string `json:"sector,omitempty" enum:"sector" desc:"piaflow addition: the processor's sector."`
	PublicBody               *bool   `json:"public_body,omitempty" desc:"piaflow addition: the processor is a public body."`
	Conduit                  *bool   `json:"conduit,omitempty" desc:"piaflow addition: the processor only transmits the data (a conduit)."`
	CertificationCoveredData *string `json:"certification_covered_data,omitempty" enum:"certification_covered_data" desc:"piaflow addition: the data the processor's certification covers (Data Privacy Framework List 'covered data'): hr, non_hr or both."`

	// Expiries is a piaflow addition (issue 15), filled from the processor register.
	Expiries []Expiry `json:"expiries,omitempty" desc:"piaflow addition: the processor's dated certifications and agreements and the last day each is valid (from the processor register)."`
}

// Expiry is the last day a processor's certification or agreement is valid (piaflow addition).
type Expiry struct {
	Item string `json:"item" req:"true" enum:"expiry_item" desc:"The certification (its vocabulary value), dpa or baa."`
	On   string `json:"on" req:"true" format:"date" desc:"Last day it is valid (YYYY-MM-DD)."`
}

// Security holds the security measures.
type Security struct {
	EncryptionAtRest        bool   `json:"encryption_at_rest" req:"true"`
	EncryptionInTransit     bool   `json:"encryption_in_transit" req:"true"`
	CustomerManagedKeys     bool   `json:"customer_managed_keys" req:"true"`
	Pseudonymisation        bool   `json:"pseudonymisation" req:"true"`
	AccessControl           string `json:"access_control" req:"true" enum:"access_control" desc:"none, shared_accounts, individual_accounts or role_based."`
	MFA                     bool   `json:"mfa" req:"true"`
	AuditLogging            bool   `json:"audit_logging" req:"true"`
	Backups                 bool   `json:"backups" req:"true"`
	BackupRestoreTested     bool   `json:"backup_restore_tested" req:"true"`
	IncidentResponsePlan    bool   `json:"incident_response_plan" req:"true"`
	VulnerabilityManagement bool   `json:"vulnerability_management" req:"true"`
	IntegrityControls       *bool  `json:"integrity_controls,omitempty" desc:"piaflow addition: mechanisms that detect unauthorised alteration of the data (HIPAA 164.312(c))."`

	// CISASecurityRequirements is a piaflow addition (issue 11).
	CISASecurityRequirements *bool `json:"cisa_security_requirements,omitempty" desc:"piaflow addition: the CISA security requirements for restricted transactions are applied (US DOJ 28 CFR 202.402)."`
}

// Governance holds accountability measures.
type Governance struct {
	DPOAppointed              bool `json:"dpo_appointed" req:"true"`
	LocalRepresentative       bool `json:"local_representative" req:"true" desc:"e.g. GDPR Art. 27 EU representative."`
	RecordsOfProcessing       bool `json:"records_of_processing" req:"true"`
	PrivacyNotice             bool `json:"privacy_notice" req:"true"`
	DataSubjectRequestProcess bool `json:"data_subject_request_process" req:"true"`
	BreachNotificationProcess bool `json:"breach_notification_process" req:"true"`
	StaffTraining             bool `json:"staff_training" req:"true"`

	// ImpactAssessments is a piaflow addition (issue 11).
	ImpactAssessments []string `json:"impact_assessments,omitempty" enum:"regime" desc:"piaflow addition: regime ids whose impact assessment was carried out and documented (GDPR DPIA, PIPIA, Vietnam dossier, ...)."`
}
