package assessments

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/policies"
)

// Edits of testdata/valid.yaml that add the piaflow additions of issue 11.
const (
	validTransfer = "        mechanism: none\n"
	validHosting  = "    role: primary\n"
	validDeploy   = "  critical_infrastructure: false\n"
	validActivity = "    prevents_rights_or_service: false\n"
	validGovern   = "  staff_training: true\n"
)

// onward nests n levels of onward transfers under the valid transfer.
func onward(n int) string {
	var b strings.Builder
	b.WriteString(validTransfer)
	for level := range n {
		key := strings.Repeat(" ", 8+4*level)
		b.WriteString(key + "onward_transfers:\n")
		b.WriteString(key + "  - to_country: US\n")
		for _, kv := range []string{"recipient: Sub", "recipient_type: sub_processor", "access: storage", "mechanism: scc"} {
			b.WriteString(key + "    " + kv + "\n")
		}
	}
	return b.String()
}

func regimeIDsForTest() []string { return policies.RegimeIDs() }

// TestAdditionsValid: every new field of issue 11 in its valid forms is accepted and decoded.
func TestAdditionsValid(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		check    func(*Questionnaire) bool
	}{
		{"MechanismsPerRegimeAndCountry", validHosting, validHosting + "    mechanisms:\n      - {regime: cn_pipl, mechanism: standard_contract, regulator_filing: filed, signed_on: 2026-01-05, filed_on: 2026-01-12}\n      - {regime: jp_appi, mechanism: contract}\n      - {country: VN, mechanism: contract, exemption: none, note: CTIA dossier}\n",
			func(q *Questionnaire) bool {
				m := q.Hosting[0].Mechanisms
				return len(m) == 3 && *m[0].Regime == "cn_pipl" && *m[0].FiledOn == "2026-01-12" && *m[2].Country == "VN" && m[2].Regime == nil
			}},
		{"FiledOnSignedDay", validHosting, validHosting + "    mechanisms: [{regime: tr_kvkk, mechanism: standard_contract, signed_on: 2026-01-05, filed_on: 2026-01-05}]\n",
			func(q *Questionnaire) bool { return len(q.Hosting[0].Mechanisms) == 1 }},
		{"SameLawOnTwoSites", "hosting:\n", "hosting:\n  - {name: backup, provider: on_premises, country: DE, role: backup, mechanisms: [{regime: gdpr, mechanism: scc}]}\n",
			func(q *Questionnaire) bool { return len(q.Hosting) == 2 }},
		{"RegimeAndCountryOfSameLaw", validTransfer, validTransfer + "        mechanisms: [{regime: gdpr, mechanism: scc}, {country: DE, mechanism: scc}]\n",
			func(q *Questionnaire) bool { return len(q.Activities[0].Transfers[0].Mechanisms) == 2 }},
		{"Deployment", validDeploy, validDeploy + "  customer_establishments: [FR, CN]\n  vendor_dpa_signed: true\n  joint_controller_arrangement: false\n  scope_confirmed: {gdpr: true, cn_pipl: false, us_dsp: true}\n  first_transfer_on: 2027-03-01\n  other_exports:\n    - {country: CN, subjects: 50000, sensitive_subjects: 2000}\n    - {country: VN, subjects: 0}\n",
			func(q *Questionnaire) bool {
				d := q.Deployment
				return slices.Equal(d.CustomerEstablishments, []string{"FR", "CN"}) && *d.VendorDPASigned && !d.ScopeConfirmed["cn_pipl"] && d.ScopeConfirmed["gdpr"] &&
					*d.FirstTransferOn == "2027-03-01" && *d.OtherExports[0].SensitiveSubjects == 2000 && d.OtherExports[1].SensitiveSubjects == nil
			}},
		{"Activity", validActivity, validActivity + "    targeted_countries: [DE, FR]\n    monitored_countries: []\n    collected_in: [CN]\n    collected_directly: true\n    deidentification: pseudonymised\n    deidentification_method: keyed hash of the customer number\n    data_brokerage: false\n",
			func(q *Questionnaire) bool {
				a := q.Activities[0]
				return slices.Equal(*a.TargetedCountries, []string{"DE", "FR"}) && a.MonitoredCountries != nil && len(*a.MonitoredCountries) == 0 &&
					*a.Deidentification == "pseudonymised" && !*a.DataBrokerage
			}},
		{"TransferRecipient", validTransfer, validTransfer + "        recipient_country: FR\n        recipient_parent_country: US\n        recipient_sector: technology\n        recipient_public_body: false\n        recipient_conduit: false\n        recipient_key_access: true\n        recipient_certification_covered_data: non_hr\n",
			func(q *Questionnaire) bool {
				tr := q.Activities[0].Transfers[0]
				return *tr.RecipientParentCountry == "US" && *tr.RecipientCertificationCoveredData == "non_hr" && *tr.RecipientKeyAccess
			}},
		{"OnwardThreeLevels", validTransfer, onward(MaxOnwardDepth),
			func(q *Questionnaire) bool {
				tr := q.Activities[0].Transfers[0]
				return len(tr.OnwardTransfers[0].OnwardTransfers[0].OnwardTransfers) == 1
			}},
		{"Processor", "processors: []", "processors:\n  - {name: AWS, country: DE, service: hosting, dpa_signed: true, baa_signed: false, parent_country: US, sector: technology, public_body: false, conduit: false, certification_covered_data: both}",
			func(q *Questionnaire) bool {
				return *q.Processors[0].ParentCountry == "US" && *q.Processors[0].CertificationCoveredData == "both"
			}},
		{"SecurityAndGovernance", validGovern, validGovern + "  impact_assessments: [gdpr, cn_pipl]\n",
			func(q *Questionnaire) bool {
				return slices.Equal(q.Governance.ImpactAssessments, []string{"gdpr", "cn_pipl"})
			}},
		{"CISA", "  vulnerability_management: true\n", "  vulnerability_management: true\n  cisa_security_requirements: true\n",
			func(q *Questionnaire) bool { return *q.Security.CISASecurityRequirements }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(edit(t, tt.from, tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(q) {
				t.Errorf("decoded wrongly: %+v", q)
			}
		})
	}
}

// TestAdditionsInvalid: each check of the new fields names the field path.
func TestAdditionsInvalid(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"ErrNeitherRegimeNorCountry", validHosting, validHosting + "    mechanisms: [{mechanism: scc}]\n",
			[]string{"hosting[0].mechanisms[0].regime: give regime (the law, e.g. cn_pipl) or country (the exporting country, e.g. CN)"}},
		{"ErrRegimeAndCountry", validTransfer, validTransfer + "        mechanisms: [{regime: gdpr, country: DE, mechanism: scc}]\n",
			[]string{"activities[0].transfers[0].mechanisms[0].regime: give regime or country, not both"}},
		{"ErrUnknownRegime", validHosting, validHosting + "    mechanisms: [{regime: vn_pdpd_2026, mechanism: contract}]\n",
			[]string{`hosting[0].mechanisms[0].regime: "vn_pdpd_2026" is not one of ` + strings.Join(regimeIDsForTest(), ", ")}},
		{"ErrDuplicateRegime", validHosting, validHosting + "    mechanisms: [{regime: cn_pipl, mechanism: standard_contract}, {regime: jp_appi, mechanism: contract}, {regime: cn_pipl, mechanism: certification}]\n",
			[]string{"hosting[0].mechanisms[2].regime: cn_pipl is a duplicate of hosting[0].mechanisms[0].regime: give one entry per regime"}},
		{"ErrDuplicateCountry", validTransfer, validTransfer + "        mechanisms: [{country: CN, mechanism: standard_contract}, {country: CN, mechanism: certification}]\n",
			[]string{"activities[0].transfers[0].mechanisms[1].country: CN is a duplicate of activities[0].transfers[0].mechanisms[0].country: give one entry per country"}},
		{"ErrFiledBeforeSigned", validHosting, validHosting + "    mechanisms: [{regime: cn_pipl, mechanism: standard_contract, regulator_filing: filed, signed_on: 2026-02-01, filed_on: 2026-01-20}]\n",
			[]string{"hosting[0].mechanisms[0].filed_on: 2026-01-20 is before signed_on (2026-02-01)"}},
		{"ErrMechanismRequired", validHosting, validHosting + "    mechanisms: [{regime: gdpr}]\n",
			[]string{"hosting[0].mechanisms[0].mechanism: is required"}},
		{"ErrEntryBadDate", validHosting, validHosting + "    mechanisms: [{regime: gdpr, mechanism: scc, signed_on: 2026-02-30, filed_on: 2026-01-01}]\n",
			[]string{`hosting[0].mechanisms[0].signed_on: "2026-02-30" is not a date (YYYY-MM-DD)`}},
		{"ErrOnwardTooDeep", validTransfer, onward(MaxOnwardDepth + 1),
			[]string{"activities[0].transfers[0].onward_transfers[0].onward_transfers[0].onward_transfers[0].onward_transfers: nests onward transfers more than 3 levels deep (the most piaflow evaluates): ask legal about the later hops"}},
		{"ErrOnwardMechanisms", validTransfer, validTransfer + "        onward_transfers:\n          - {to_country: US, recipient: Sub, recipient_type: sub_processor, access: storage, mechanism: scc, mechanisms: [{mechanism: scc}]}\n",
			[]string{"activities[0].transfers[0].onward_transfers[0].mechanisms[0].regime: give regime (the law, e.g. cn_pipl) or country (the exporting country, e.g. CN)"}},
		{"ErrScopeConfirmedKey", validDeploy, validDeploy + "  scope_confirmed: {GDPR: true}\n",
			[]string{`deployment.scope_confirmed.GDPR: "GDPR" is not one of ` + strings.Join(regimeIDsForTest(), ", ")}},
		{"ErrScopeConfirmedValue", validDeploy, validDeploy + "  scope_confirmed: {gdpr: yes}\n",
			[]string{`deployment.scope_confirmed.gdpr: must be true or false, not the string "yes"`}},
		{"ErrScopeConfirmedNotObject", validDeploy, validDeploy + "  scope_confirmed: [gdpr]\n",
			[]string{"deployment.scope_confirmed: must be an object, not a list"}},
		{"ErrOtherExportDuplicate", validDeploy, validDeploy + "  other_exports: [{country: CN, subjects: 10}, {country: CN, subjects: 20}]\n",
			[]string{"deployment.other_exports[1].country: CN is a duplicate of deployment.other_exports[0]: give one entry per country"}},
		{"ErrOtherExportSensitive", validDeploy, validDeploy + "  other_exports: [{country: CN, subjects: 10, sensitive_subjects: 11}]\n",
			[]string{"deployment.other_exports[0].sensitive_subjects: 11 is more than subjects (10), which counts every person, sensitive included"}},
		{"ErrOtherExportNegative", validDeploy, validDeploy + "  other_exports: [{country: CN, subjects: -1}]\n",
			[]string{"deployment.other_exports[0].subjects: must be 0 or more, not -1"}},
		{"ErrFirstTransferDate", validDeploy, validDeploy + "  first_transfer_on: soon\n",
			[]string{`deployment.first_transfer_on: "soon" is not a date (YYYY-MM-DD)`}},
		{"ErrEstablishmentCountry", validDeploy, validDeploy + "  customer_establishments: [FR, FR]\n",
			[]string{"deployment.customer_establishments[1]: FR is a duplicate of deployment.customer_establishments[0]"}},
		{"ErrTargetedCountry", validActivity, validActivity + "    targeted_countries: [EU]\n",
			[]string{`activities[0].targeted_countries[0]: "EU" is not an ISO 3166-1 alpha-2 code (the EU is not a country: list the member states)`}},
		{"ErrDeidentification", validActivity, validActivity + "    deidentification: hashed\n",
			[]string{`activities[0].deidentification: "hashed" is not one of none, pseudonymised, anonymised`}},
		{"ErrMethodWithoutDeidentification", validActivity, validActivity + "    deidentification_method: salted hash\n",
			[]string{"activities[0].deidentification_method: describes a method, but deidentification is not pseudonymised or anonymised"}},
		{"ErrCoveredData", validTransfer, validTransfer + "        recipient_certification_covered_data: all\n",
			[]string{`activities[0].transfers[0].recipient_certification_covered_data: "all" is not one of hr, non_hr, both`}},
		{"ErrRecipientSector", "processors: []", "processors: [{name: X, country: DE, service: s, dpa_signed: true, baa_signed: false, sector: banking}]",
			[]string{`processors[0].sector: "banking" is not one of healthcare, finance, payments, insurance, public_sector, telecom, education, retail, manufacturing, technology, other`}},
		{"ErrImpactAssessmentRegime", validGovern, validGovern + "  impact_assessments: [gdpr, dpia]\n",
			[]string{`governance.impact_assessments[1]: "dpia" is not one of ` + strings.Join(regimeIDsForTest(), ", ")}},
		{"ErrImpactAssessmentDuplicate", validGovern, validGovern + "  impact_assessments: [gdpr, gdpr]\n",
			[]string{"governance.impact_assessments[1]: gdpr is a duplicate of governance.impact_assessments[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, edit(t, tt.from, tt.to))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSchemaOnwardDepth: the JSON Schema accepts onward transfers MaxOnwardDepth levels deep
// and refuses one level more, as the validator does.
func TestSchemaOnwardDepth(t *testing.T) {
	s := compiledSchema(t)
	for depth, ok := range map[int]bool{MaxOnwardDepth: true, MaxOnwardDepth + 1: false} {
		doc := asJSON(t, edit(t, validTransfer, onward(depth)))
		if err := s.Validate(doc); (err == nil) != ok {
			t.Errorf("depth %d: schema error %v, want accepted=%v", depth, err, ok)
		}
	}
	doc := asJSON(t, edit(t, validDeploy, validDeploy+"  scope_confirmed: {gdpr: true}\n"))
	if err := s.Validate(doc); err != nil {
		t.Errorf("scope_confirmed refused: %v", err)
	}
	doc = asJSON(t, edit(t, validDeploy, validDeploy+"  scope_confirmed: {nowhere: true}\n"))
	if err := s.Validate(doc); err == nil {
		t.Error("schema accepts an unknown regime id as a scope_confirmed key")
	}
}

// TestQuestionnaireDocs: docs/questionnaire.md names every field of the model (as `name`) and
// lists exactly the regime ids the validator accepts.
func TestQuestionnaireDocs(t *testing.T) {
	doc := string(mustRead(t, "../docs/questionnaire.md"))
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t0 reflect.Type) {
		for t0.Kind() == reflect.Pointer || t0.Kind() == reflect.Slice || t0.Kind() == reflect.Map {
			t0 = t0.Elem()
		}
		if t0.Kind() != reflect.Struct || seen[t0] {
			return
		}
		seen[t0] = true
		for i := range t0.NumField() {
			f := t0.Field(i)
			if name := jsonName(f); !strings.Contains(doc, "`"+name+"`") && !strings.Contains(doc, "`"+name+"[]`") && !strings.Contains(doc, "."+name+"`") {
				t.Errorf("docs/questionnaire.md does not name %s.%s (`%s`)", t0.Name(), f.Name, name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[Questionnaire]())
	_, section, ok := strings.Cut(doc, "### Regime ids\n")
	if !ok {
		t.Fatal("docs/questionnaire.md has no Regime ids section")
	}
	section, _, _ = strings.Cut(section, ":")
	var listed []string
	for _, f := range strings.Split(section, ",") {
		listed = append(listed, strings.Trim(strings.TrimSpace(f), "`"))
	}
	if !slices.Equal(listed, policies.RegimeIDs()) {
		t.Errorf("docs list regime ids %v, the validator %v", listed, policies.RegimeIDs())
	}
}
