package assessments

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow/fieldpath"
	"github.com/piaflow/piaflow/policies"
)

// Limits of the lists of products, processor register entries and deployment specs (issue 15),
// checked before their entries are validated (docs/limits.md).
const (
	// MaxModules bounds a product's modules[].
	MaxModules = 100
	// MaxModuleActivities bounds one module's activities[].
	MaxModuleActivities = 100
	// MaxVendorFlows bounds a product's vendor_flows[].
	MaxVendorFlows = 100
	// MaxHostingOptions bounds a product's hosting_options[].
	MaxHostingOptions = 50
	// MaxReferences bounds the lists of names and module ids that refer to other entries
	// (processors[], modules[], activities[], registered_processors[] of products, flows and specs).
	MaxReferences = 200
	// MaxRegister bounds the entries of one processor register file.
	MaxRegister = 1000
	// MaxSpecSubjects bounds a deployment spec's data_subjects[].
	MaxSpecSubjects = 100
	// MaxOverrides bounds a deployment spec's overrides[].
	MaxOverrides = 200
	// MaxExpiries bounds processors[].expiries[] and a register entry's certifications[].
	MaxExpiries = 50
)

// Product is a software product's profile (issue 15): its modules and their processing
// activities, the vendor's own flows (support, telemetry, backups), the sub-processors it always
// uses and its default security controls. A product version is immutable; deployments compose
// their questionnaire from it (Compose).
type Product struct {
	SchemaVersion  int             `json:"schema_version" req:"true" min:"1" desc:"Product profile version; 1."`
	Name           string          `json:"name" req:"true" desc:"Product name."`
	Version        string          `json:"version" req:"true" desc:"Product version; a version is immutable."`
	Description    *string         `json:"description,omitempty" desc:"Free text."`
	VendorCountry  string          `json:"vendor_country" req:"true" format:"country" desc:"Where the vendor is established."`
	VendorRole     string          `json:"vendor_role" req:"true" enum:"vendor_role" desc:"The vendor's usual role for the customers' data."`
	Modules        []Module        `json:"modules" req:"true" min:"1" desc:"The product's modules; at least one."`
	VendorFlows    []VendorFlow    `json:"vendor_flows,omitempty" desc:"The vendor's own flows of customer data: support, telemetry, backups, monitoring."`
	Processors     []string        `json:"processors,omitempty" desc:"Names in the processor register of the sub-processors the product always uses."`
	Security       Security        `json:"security" req:"true" desc:"Default security controls."`
	HostingOptions []HostingOption `json:"hosting_options,omitempty" desc:"Usual hosting per region, templates for new deployments."`

	// source is the document ParseProduct read (nil for a product built in Go): Compose takes
	// the lines of its problems from it.
	source *node
}

// Module is one module of a product.
type Module struct {
	ID         string            `json:"id" req:"true" desc:"Stable, unique id of the module (deployments enable modules by id)."`
	Name       string            `json:"name" req:"true" desc:"Display name."`
	Activities []ProductActivity `json:"activities" req:"true" min:"1" desc:"The processing activities of the module; names unique across the product."`
	Processors []string          `json:"processors,omitempty" desc:"Names in the processor register of the sub-processors this module uses."`
}

// ProductActivity is a processing activity of a module: an Activity whose data subjects are
// given by type only (countries and counts come from each deployment).
type ProductActivity struct {
	Name                    string           `json:"name" req:"true" desc:"Name of the activity, unique across the product's modules."`
	Purposes                []string         `json:"purposes,omitempty" desc:"Purposes, free text."`
	LegalBasis              string           `json:"legal_basis" req:"true" enum:"legal_basis" desc:"Lawful basis."`
	DataSubjects            []ProductSubject `json:"data_subjects" req:"true" min:"1" desc:"Kinds of people whose data the activity processes."`
	DataCategories          []string         `json:"data_categories" req:"true" min:"1" enum:"data_category" desc:"Categories of personal data."`
	AutomatedDecisions      bool             `json:"automated_decisions" req:"true"`
	DecisionsLegalEffect    bool             `json:"decisions_legal_effect" req:"true"`
	EvaluationOrScoring     bool             `json:"evaluation_or_scoring" req:"true"`
	SystematicMonitoring    bool             `json:"systematic_monitoring" req:"true"`
	CombinesDatasets        bool             `json:"combines_datasets" req:"true"`
	InnovativeTechnology    bool             `json:"innovative_technology" req:"true"`
	PreventsRightsOrService bool             `json:"prevents_rights_or_service" req:"true"`
	PublicAreaMonitoring    *bool            `json:"public_area_monitoring,omitempty"`
	CoreActivity            *bool            `json:"core_activity,omitempty"`
	ImportantData           *bool            `json:"important_data,omitempty"`
	RetentionDays           *int             `json:"retention_days,omitempty" min:"0"`
	Transfers               []Transfer       `json:"transfers,omitempty" desc:"Transfers the activity always makes."`
	TargetedCountries       *[]string        `json:"targeted_countries,omitempty" format:"country"`
	MonitoredCountries      *[]string        `json:"monitored_countries,omitempty" format:"country"`
	CollectedIn             []string         `json:"collected_in,omitempty" format:"country"`
	CollectedDirectly       *bool            `json:"collected_directly,omitempty"`
	Deidentification        *string          `json:"deidentification,omitempty" enum:"deidentification"`
	DeidentificationMethod  *string          `json:"deidentification_method,omitempty"`
	DataBrokerage           *bool            `json:"data_brokerage,omitempty"`
}

// ProductSubject is a kind of data subject of a product activity.
type ProductSubject struct {
	Type       string `json:"type" req:"true" enum:"subject_type" desc:"Kind of people; each deployment gives their countries and counts."`
	Vulnerable bool   `json:"vulnerable" req:"true" desc:"Default for the deployment's groups of this type (WP248 criterion 7)."`
}

// VendorFlow is a flow of customer data to the vendor or its processors: support remote access,
// telemetry, backups, monitoring.
type VendorFlow struct {
	Name       string   `json:"name" req:"true" desc:"Unique name of the flow."`
	Kind       string   `json:"kind" req:"true" enum:"vendor_flow" desc:"support, telemetry, backup, monitoring or other."`
	Modules    []string `json:"modules,omitempty" desc:"Ids of the modules the flow applies to; empty: every enabled module."`
	Activities []string `json:"activities,omitempty" desc:"Names of the activities the flow applies to; empty: every activity of its modules."`
	Transfer   Transfer `json:"transfer" req:"true" desc:"The transfer added to each activity the flow applies to."`
	Processor  *string  `json:"processor,omitempty" desc:"Name in the processor register of the recipient; its facts fill the transfer's recipient_* answers left unset."`
}

// HostingOption is a product's usual hosting for some countries: a template for deployments.
type HostingOption struct {
	Name      string    `json:"name" req:"true" desc:"Unique name of the option."`
	Countries []string  `json:"countries,omitempty" format:"country" desc:"Countries of customers the option suits."`
	Hosting   []Hosting `json:"hosting" req:"true" min:"1" desc:"The hosting sites of the option."`
}

// RegisteredProcessor is one entry of the processor register shared by all deployments.
type RegisteredProcessor struct {
	Name                     string                    `json:"name" req:"true" desc:"Unique name; products and deployments refer to it."`
	Country                  string                    `json:"country" req:"true" format:"country" desc:"Where the processor is established."`
	ParentCountry            *string                   `json:"parent_country,omitempty" format:"country" desc:"Country of its parent company."`
	Service                  string                    `json:"service" req:"true" desc:"What it does."`
	Countries                []string                  `json:"countries,omitempty" format:"country" desc:"Where it processes the data."`
	Certifications           []RegisteredCertification `json:"certifications,omitempty" desc:"Certifications with their scope and expiry."`
	DPA                      *Agreement                `json:"dpa,omitempty" desc:"The data processing agreement (GDPR Art. 28(3))."`
	BAA                      *Agreement                `json:"baa,omitempty" desc:"The HIPAA business associate agreement."`
	KeyAccess                *bool                     `json:"key_access,omitempty" desc:"It can decrypt the data it holds."`
	Sector                   *string                   `json:"sector,omitempty" enum:"sector"`
	PublicBody               *bool                     `json:"public_body,omitempty"`
	Conduit                  *bool                     `json:"conduit,omitempty"`
	CertificationCoveredData *string                   `json:"certification_covered_data,omitempty" enum:"certification_covered_data"`
}

// RegisteredCertification is a certification of a registered processor.
type RegisteredCertification struct {
	Name      string  `json:"name" req:"true" enum:"certification"`
	Scope     *string `json:"scope,omitempty" desc:"What it covers (free text)."`
	ExpiresOn *string `json:"expires_on,omitempty" format:"date" desc:"Last day it is valid (YYYY-MM-DD)."`
}

// Agreement is a signed contract with its dates.
type Agreement struct {
	Signed    bool    `json:"signed" req:"true"`
	SignedOn  *string `json:"signed_on,omitempty" format:"date"`
	ExpiresOn *string `json:"expires_on,omitempty" format:"date" desc:"Last day it is valid (YYYY-MM-DD)."`
}

// DeploymentSpec is the customer-specific part of a deployment of a product: Compose adds it to
// the product to build the deployment's questionnaire.
type DeploymentSpec struct {
	SchemaVersion        int            `json:"schema_version" req:"true" min:"1"`
	Product              ProductRef     `json:"product" req:"true" desc:"The product version deployed."`
	Modules              []string       `json:"modules" req:"true" min:"1" desc:"Ids of the enabled modules."`
	Deployment           map[string]any `json:"deployment" req:"true" desc:"The questionnaire's deployment section; vendor_country and vendor_role default to the product's."`
	DataSubjects         []SpecSubject  `json:"data_subjects" req:"true" min:"1" desc:"The people of the product's activities at this customer."`
	Hosting              []Hosting      `json:"hosting" req:"true" min:"1"`
	Activities           []Activity     `json:"activities,omitempty" desc:"Customer-specific activities."`
	Transfers            []SpecTransfer `json:"transfers,omitempty" desc:"Customer-specific transfers of the product's activities."`
	RegisteredProcessors []string       `json:"registered_processors,omitempty" desc:"Names in the processor register of processors this customer adds."`
	Processors           []Processor    `json:"processors,omitempty" desc:"Processors described inline."`
	Governance           Governance     `json:"governance" req:"true"`
	Overrides            []Override     `json:"overrides,omitempty" desc:"Answers of the composed questionnaire changed for this customer, each with a reason."`

	// source is the document ParseDeploymentSpec read (nil for a spec built in Go): Compose
	// takes the lines of its problems from it.
	source *node
}

// ProductRef names a product version.
type ProductRef struct {
	Name    string `json:"name" req:"true"`
	Version string `json:"version" req:"true"`
}

// SpecSubject is a group of data subjects at one customer.
type SpecSubject struct {
	Type        string   `json:"type" req:"true" enum:"subject_type"`
	Countries   []string `json:"countries" req:"true" min:"1" format:"country"`
	Count       int      `json:"count" req:"true" min:"0"`
	Vulnerable  *bool    `json:"vulnerable,omitempty" desc:"Default: the product activity's."`
	Citizenship []string `json:"citizenship,omitempty" format:"country"`
	Modules     []string `json:"modules,omitempty" desc:"Only the activities of these modules; empty: all."`
	Activities  []string `json:"activities,omitempty" desc:"Only these activities; empty: all."`
}

// SpecTransfer is a customer-specific transfer added to product activities.
type SpecTransfer struct {
	Activities []string `json:"activities,omitempty" desc:"Names of the product activities it applies to; empty: all enabled."`
	Transfer   Transfer `json:"transfer" req:"true"`
}

// Override replaces one answer of the composed questionnaire.
type Override struct {
	Path   string `json:"path" req:"true" desc:"Field path in the composed questionnaire; a bracket with a name selects a list entry by name, e.g. activities[Payroll].retention_days."`
	Value  any    `json:"value" req:"true" desc:"The new value."`
	Reason string `json:"reason" req:"true" desc:"Why this customer differs."`
}

// maxItemsProduct bounds the lists of products, register entries and deployment specs (see
// maxItems).
func maxItemsProduct(key string) int {
	switch key {
	case "Product.Modules":
		return MaxModules
	case "Module.Activities":
		return MaxModuleActivities
	case "Product.VendorFlows":
		return MaxVendorFlows
	case "Product.HostingOptions":
		return MaxHostingOptions
	case "HostingOption.Hosting":
		return MaxHosting
	case "Product.Processors", "Module.Processors", "VendorFlow.Modules", "VendorFlow.Activities",
		"DeploymentSpec.Modules", "DeploymentSpec.RegisteredProcessors", "SpecSubject.Modules",
		"SpecSubject.Activities", "SpecTransfer.Activities":
		return MaxReferences
	case "ProductActivity.Purposes":
		return MaxPurposes
	case "ProductActivity.DataSubjects":
		return MaxDataSubjects
	case "ProductActivity.Transfers":
		return MaxTransfers
	case "ProductActivity.DataCategories":
		return MaxVocabularyItems
	case "ProductActivity.TargetedCountries", "ProductActivity.MonitoredCountries", "ProductActivity.CollectedIn",
		"HostingOption.Countries", "RegisteredProcessor.Countries", "SpecSubject.Countries", "SpecSubject.Citizenship":
		return MaxCountries
	case "RegisteredProcessor.Certifications", "Processor.Expiries":
		return MaxExpiries
	case "DeploymentSpec.DataSubjects":
		return MaxSpecSubjects
	case "DeploymentSpec.Hosting":
		return MaxHosting
	case "DeploymentSpec.Activities":
		return MaxActivities
	case "DeploymentSpec.Transfers":
		return MaxTransfers
	case "DeploymentSpec.Processors":
		return MaxProcessors
	case "DeploymentSpec.Overrides":
		return MaxOverrides
	}
	return 0
}

// parseTyped reads a document of type T with the questionnaire's reader and validator, then runs
// check on what decoded. doc names the document in problems about unknown top-level fields (a
// word "doc.<doc>" of the messages: product, processor, register, deployment_spec).
func parseTyped[T any](b []byte, doc string, rules fieldRules, check func(*T, *walker)) (*T, *node, error) {
	d, err := decodeDocument(b)
	if err != nil {
		return nil, nil, err
	}
	w := &walker{root: d.root, problems: d.problems, doc: doc}
	w.value(d.root, reflect.TypeFor[T](), rules)
	raw, err := json.Marshal(d.root.plain())
	if err != nil {
		return nil, nil, fmt.Errorf("re-encode %s: %w", doc, err)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil && !w.problems.found() {
		return nil, nil, fmt.Errorf("decode %s: %w", doc, err)
	}
	if check != nil {
		check(&v, w)
	}
	if err := w.problems.err(); err != nil {
		return nil, nil, err
	}
	return &v, d.root, nil
}

// ParseProduct reads a product profile from JSON or YAML and validates it like a questionnaire
// (field paths, lines, limits), with its cross checks: unique module ids, activity names across
// modules, vendor flow names, hosting option names, and references to existing modules and
// activities. Problems yield a *ValidationError.
func ParseProduct(b []byte) (*Product, error) {
	p, root, err := parseTyped(b, "product", fieldRules{req: true}, func(p *Product, w *walker) { p.check(w) })
	if err != nil {
		return nil, err
	}
	p.source = root
	return p, nil
}

func (p *Product) check(w *walker) {
	version := fieldpath.Of(field("schema_version"))
	if p.SchemaVersion != SchemaVersion && !w.problems.flagged(version) {
		w.addAt(version, newMsg("schema_version", "value", itoa(p.SchemaVersion), "version", itoa(SchemaVersion)))
	}
	unique(w, fieldpath.Of(field("modules")), "id", len(p.Modules), func(i int) string { return p.Modules[i].ID })
	unique(w, fieldpath.Of(field("vendor_flows")), "name", len(p.VendorFlows), func(i int) string { return p.VendorFlows[i].Name })
	unique(w, fieldpath.Of(field("hosting_options")), "name", len(p.HostingOptions), func(i int) string { return p.HostingOptions[i].Name })
	unique(w, fieldpath.Of(field("processors")), "", len(p.Processors), func(i int) string { return p.Processors[i] })
	modules := map[string]bool{}
	activities := map[string]fieldpath.Path{}
	for i, m := range p.Modules {
		modules[strings.ToLower(m.ID)] = true
		unique(w, fieldpath.Of(field("modules"), index(i), field("processors")), "", len(m.Processors), func(j int) string { return m.Processors[j] })
		for j, a := range m.Activities {
			at := fieldpath.Of(field("modules"), index(i), field("activities"), index(j))
			key := strings.ToLower(a.Name)
			if first, dup := activities[key]; dup && key != "" {
				w.addAt(at.Append(field("name")), newMsg("product.activity_duplicate", "value", strconv.Quote(a.Name), "first", first.String()))
			} else {
				activities[key] = at
			}
			unique(w, at.Append(field("data_subjects")), "type", len(a.DataSubjects), func(k int) string { return a.DataSubjects[k].Type })
		}
	}
	p.checkHostingOptions(w)
	for i, f := range p.VendorFlows {
		at := fieldpath.Of(field("vendor_flows"), index(i))
		for j, id := range f.Modules {
			if !modules[strings.ToLower(id)] {
				w.addAt(at.Append(field("modules"), index(j)), newMsg("product.module_unknown", "value", strconv.Quote(id)))
			}
		}
		for j, name := range f.Activities {
			if _, ok := activities[strings.ToLower(name)]; !ok {
				w.addAt(at.Append(field("activities"), index(j)), newMsg("product.activity_unknown", "value", strconv.Quote(name)))
			}
		}
	}
}

// ParseProcessor reads one entry of the processor register from JSON or YAML.
func ParseProcessor(b []byte) (*RegisteredProcessor, error) {
	rp, _, err := parseTyped[RegisteredProcessor](b, "processor", fieldRules{req: true}, nil)
	return rp, err
}

// ParseProcessors reads a processor register file: a list of entries (at most MaxRegister), names
// unique ignoring case.
func ParseProcessors(b []byte) ([]RegisteredProcessor, error) {
	list, _, err := parseTyped(b, "register", fieldRules{req: true, max: MaxRegister}, func(l *[]RegisteredProcessor, w *walker) {
		unique(w, nil, "name", len(*l), func(i int) string { return (*l)[i].Name })
	})
	if err != nil {
		return nil, err
	}
	return *list, nil
}

// ParseDeploymentSpec reads the customer-specific part of a deployment from JSON or YAML. The
// checks that need the product (module ids, activity names) and the deployment section are done
// by Compose.
func ParseDeploymentSpec(b []byte) (*DeploymentSpec, error) {
	s, root, err := parseTyped(b, "deployment_spec", fieldRules{req: true}, func(s *DeploymentSpec, w *walker) {
		version := fieldpath.Of(field("schema_version"))
		if s.SchemaVersion != SchemaVersion && !w.problems.flagged(version) {
			w.addAt(version, newMsg("schema_version", "value", itoa(s.SchemaVersion), "version", itoa(SchemaVersion)))
		}
		unique(w, fieldpath.Of(field("modules")), "", len(s.Modules), func(i int) string { return s.Modules[i] })
		unique(w, fieldpath.Of(field("registered_processors")), "", len(s.RegisteredProcessors), func(i int) string { return s.RegisteredProcessors[i] })
		for i, o := range s.Overrides {
			at := fieldpath.Of(field("overrides"), index(i))
			if _, err := parseOverridePath(o.Path); err != nil && !w.problems.flagged(at) {
				w.addAt(at.Append(field("path")), newMsg("override.path", "error", err.Error()))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	s.source = root
	return s, nil
}

// activity is the questionnaire activity of pa, without its data subjects (Compose adds the
// deployment's) and with its own transfers.
func (pa ProductActivity) activity() Activity {
	return Activity{
		Name: pa.Name, Purposes: pa.Purposes, LegalBasis: pa.LegalBasis, DataCategories: pa.DataCategories,
		AutomatedDecisions: pa.AutomatedDecisions, DecisionsLegalEffect: pa.DecisionsLegalEffect,
		EvaluationOrScoring: pa.EvaluationOrScoring, SystematicMonitoring: pa.SystematicMonitoring,
		CombinesDatasets: pa.CombinesDatasets, InnovativeTechnology: pa.InnovativeTechnology,
		PreventsRightsOrService: pa.PreventsRightsOrService, PublicAreaMonitoring: pa.PublicAreaMonitoring,
		CoreActivity: pa.CoreActivity, ImportantData: pa.ImportantData, RetentionDays: pa.RetentionDays,
		Transfers:         slices.Clone(pa.Transfers),
		TargetedCountries: pa.TargetedCountries, MonitoredCountries: pa.MonitoredCountries,
		CollectedIn: pa.CollectedIn, CollectedDirectly: pa.CollectedDirectly, Deidentification: pa.Deidentification,
		DeidentificationMethod: pa.DeidentificationMethod, DataBrokerage: pa.DataBrokerage,
	}
}

// checkHostingOptions checks each hosting option's sites like a questionnaire's: unique names, and
// a country known from the provider's region or given.
func (p *Product) checkHostingOptions(w *walker) {
	regions, err := policies.Regions()
	if err != nil {
		w.addAt(fieldpath.Of(field("hosting_options")), newMsg("product.hosting_unchecked", "error", err.Error()))
		return
	}
	for i, o := range p.HostingOptions {
		list := fieldpath.Of(field("hosting_options"), index(i), field("hosting"))
		unique(w, list, "name", len(o.Hosting), func(j int) string { return o.Hosting[j].Name })
		for j, h := range o.Hosting {
			at := list.Append(index(j))
			if w.problems.flagged(at) {
				continue
			}
			country, found, catalogued := regions.Lookup(h.Provider, h.Region)
			switch {
			case found && h.Country != "" && h.Country != country:
				w.addAt(at.Append(field("country")), regionMismatch(h.Country, h.Provider, h.Region, country))
			case !found && h.Country == "" && catalogued && h.Region != "":
				w.addAt(at.Append(field("region")), regionUnknown(h.Region, h.Provider, at))
			case !found && h.Country == "":
				w.addAt(at.Append(field("country")), newMsg("region.required"))
			}
		}
	}
}

// HostingFor returns a copy of the hosting sites of the product's first hosting option that suits
// customers in country (ignoring case), and the option's name: the template a new deployment's
// hosting starts from. ok is false when no option names the country.
func (p *Product) HostingFor(country string) (option string, hosting []Hosting, ok bool) {
	for _, o := range p.HostingOptions {
		if slices.ContainsFunc(o.Countries, func(c string) bool { return strings.EqualFold(c, country) }) {
			return o.Name, slices.Clone(o.Hosting), true
		}
	}
	return "", nil, false
}

// TemplateFor is a deployment spec to start from for a customer of product p in country (ISO
// code) and sector ("" : none given): every module enabled, the hosting of the product's usual
// option for the country (its name returned; "" when no option names the country, and then one
// on-premises site in the country to change), one group of data subjects in the country for
// each kind of person the product's activities process (count 0, to fill in), and every
// governance answer false until someone confirms it. It is a starting point, not an answer:
// composing it as it is gives findings for every unconfirmed answer.
func TemplateFor(p *Product, country, sector string) (*DeploymentSpec, string, error) {
	spec := &DeploymentSpec{SchemaVersion: 1, Product: ProductRef{Name: p.Name, Version: p.Version}}
	for _, m := range p.Modules {
		spec.Modules = append(spec.Modules, m.ID)
	}
	dep := map[string]any{"name": p.Name + " — " + country, "customer": "", "customer_country": country}
	if sector != "" {
		dep["sector"] = sector
	}
	spec.Deployment = dep
	seen := map[string]bool{}
	for _, m := range p.Modules {
		for _, a := range m.Activities {
			for _, s := range a.DataSubjects {
				if !seen[s.Type] {
					seen[s.Type] = true
					spec.DataSubjects = append(spec.DataSubjects, SpecSubject{Type: s.Type, Countries: []string{country}})
				}
			}
		}
	}
	option, hosting, ok := p.HostingFor(country)
	if !ok {
		hosting = []Hosting{{Name: "primary", Provider: "on_premises", Country: country, Role: "primary"}}
	}
	spec.Hosting = hosting
	return spec, option, nil
}
