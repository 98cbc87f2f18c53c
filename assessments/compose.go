package assessments

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piaflow/piaflow/fieldpath"
)

// Origin kinds: where an answer of a composed questionnaire comes from.
const (
	OriginProduct    = "product"
	OriginModule     = "module"
	OriginVendorFlow = "vendor_flow"
	OriginDeployment = "deployment"
	OriginOverride   = "override"
	OriginRegister   = "register"
)

// Origin says where one answer of a composed questionnaire comes from.
type Origin struct {
	// Kind is one of the Origin* constants.
	Kind string `json:"kind"`
	// Ref names the source: "ERP 3.0 module hr", "register: SendGrid", "deployment Bank X".
	Ref string `json:"ref"`
	// Path is the field path in the source document (product, deployment spec or register
	// entry); "" is the document itself.
	Path string `json:"path"`
	// Reason is an override's reason.
	Reason string `json:"reason,omitempty"`
}

// Provenance maps the field paths of a composed questionnaire to their origins. A path's origin
// is that of its longest recorded prefix.
type Provenance struct {
	entries map[string]Origin
}

// ProvenanceEntry is one recorded path and its origin.
type ProvenanceEntry struct {
	Path   string `json:"path"`
	Origin Origin `json:"origin"`
}

// Lookup returns the origin of the value at path (written as fieldpath formats it) in the
// composed questionnaire: the origin recorded for its longest prefix.
func (pv *Provenance) Lookup(path string) (Origin, bool) {
	p, err := fieldpath.Parse(path)
	if err != nil {
		return Origin{}, false
	}
	o, _, ok := pv.lookup(p)
	return o, ok
}

// lookup is Lookup on a parsed path; n is the length of the prefix found.
func (pv *Provenance) lookup(p fieldpath.Path) (Origin, int, bool) {
	for n := len(p); n >= 0; n-- {
		if o, ok := pv.entries[p[:n].String()]; ok {
			return o, n, true
		}
	}
	return Origin{}, 0, false
}

// Entries lists every recorded path with its origin, sorted by path.
func (pv *Provenance) Entries() []ProvenanceEntry {
	out := make([]ProvenanceEntry, 0, len(pv.entries))
	for k, o := range pv.entries {
		out = append(out, ProvenanceEntry{Path: k, Origin: o})
	}
	slices.SortFunc(out, func(a, b ProvenanceEntry) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func (pv *Provenance) set(p fieldpath.Path, o Origin) { pv.entries[p.String()] = o }

// replace records o at p and forgets every origin recorded below p.
func (pv *Provenance) replace(p fieldpath.Path, o Origin) {
	for k := range pv.entries {
		if q, err := fieldpath.Parse(k); err == nil && len(q) > len(p) && q.HasPrefix(p) {
			delete(pv.entries, k)
		}
	}
	pv.set(p, o)
}

// Notice is something Compose left out or changed that a person should know, as a message key
// of the i18n catalogues with its arguments, and its English text.
type Notice struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args"`
	Text string            `json:"text"`
}

// Composition is a deployment's questionnaire composed from a product and a deployment spec.
type Composition struct {
	// Questionnaire is the composed questionnaire, validated by Parse.
	Questionnaire *Questionnaire
	// Provenance answers, for any field path of Questionnaire, where the answer came from.
	Provenance *Provenance
	// Notices lists the register's certifications and agreements that had expired on the
	// composition date and were left out.
	Notices []Notice
}

// Register finds a processor register entry by name (ignoring case).
type Register func(name string) (RegisteredProcessor, bool)

// RegisterOf is the Register of the given entries.
func RegisterOf(entries []RegisteredProcessor) Register {
	m := make(map[string]RegisteredProcessor, len(entries))
	for _, e := range entries {
		m[strings.ToLower(e.Name)] = e
	}
	return func(name string) (RegisteredProcessor, bool) {
		e, ok := m[strings.ToLower(name)]
		return e, ok
	}
}

// composed is the questionnaire being built, with the deployment section as the spec gave it (it
// is validated only as part of the composed questionnaire).
type composed struct {
	SchemaVersion int            `json:"schema_version"`
	Deployment    map[string]any `json:"deployment"`
	Hosting       []Hosting      `json:"hosting"`
	Activities    []Activity     `json:"activities"`
	Processors    []Processor    `json:"processors,omitempty"`
	Security      Security       `json:"security"`
	Governance    Governance     `json:"governance"`
}

// composer holds the state of one Compose call.
type composer struct {
	p        *Product
	spec     *DeploymentSpec
	register Register
	asOf     string
	problems *problemList
	prov     *Provenance
	notices  []Notice
	q        composed
	product  string // "ERP 3.0"
	specRef  string
	enabled  map[string]bool // lower-case module ids
	// activityModule maps the lower-case names of the enabled product activities to their module.
	activityModule map[string]string
	// productActivities maps every lower-case product activity name to its module id.
	productActivities map[string]string
}

// Compose builds the questionnaire of a deployment of product p described by spec, with the
// processors of the register as they stand on asOf, and validates it with Parse. Problems of the
// product, the spec or the composed questionnaire yield a *ValidationError whose paths are those
// of the deployment spec (or of the product, said in the message) where the answer came from, or
// of the composed questionnaire, marked "(composed questionnaire)".
func Compose(p *Product, spec *DeploymentSpec, register Register, asOf time.Time) (*Composition, error) {
	if register == nil {
		register = RegisterOf(nil)
	}
	c := &composer{
		p: p, spec: spec, register: register, asOf: asOf.Format(time.DateOnly),
		problems: &problemList{}, prov: &Provenance{entries: map[string]Origin{}},
		product: p.Name + " " + p.Version, enabled: map[string]bool{},
		activityModule: map[string]string{}, productActivities: map[string]string{},
	}
	c.specRef = "deployment spec"
	if name, ok := spec.Deployment["name"].(string); ok && name != "" {
		c.specRef = "deployment " + name
	}
	c.checkProduct()
	c.deployment()
	c.activities()
	c.processors()
	c.q.SchemaVersion = SchemaVersion
	c.q.Hosting = spec.Hosting
	for i := range spec.Hosting {
		c.prov.set(fieldpath.Of(field("hosting"), index(i)), c.fromSpec(fieldpath.Of(field("hosting"), index(i))))
	}
	c.q.Security = p.Security
	c.prov.set(fieldpath.Of(field("security")), c.fromProduct(fieldpath.Of(field("security"))))
	c.q.Governance = spec.Governance
	c.prov.set(fieldpath.Of(field("governance")), c.fromSpec(fieldpath.Of(field("governance"))))
	c.prov.set(fieldpath.Of(field("schema_version")), c.fromSpec(fieldpath.Of(field("schema_version"))))
	if err := c.problems.err(); err != nil {
		return nil, err
	}
	doc, err := c.overrides()
	if err != nil {
		return nil, err
	}
	if err := c.problems.err(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode composed questionnaire: %w", err)
	}
	q, err := Parse(raw)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, c.relocate(ve)
		}
		return nil, fmt.Errorf("parse composed questionnaire: %w", err)
	}
	return &Composition{Questionnaire: q, Provenance: c.prov, Notices: c.notices}, nil
}

func (c *composer) fromSpec(p fieldpath.Path) Origin {
	return Origin{Kind: OriginDeployment, Ref: c.specRef, Path: p.String()}
}

func (c *composer) fromProduct(p fieldpath.Path) Origin {
	return Origin{Kind: OriginProduct, Ref: c.product, Path: p.String()}
}

// inProduct records a problem of the product document.
func (c *composer) inProduct(p fieldpath.Path, m Msg) {
	ctx := newMsg("context.product", "product", c.product)
	c.problems.addIn(p, lineAt(c.p.source, p), m, &ctx)
}

// atSpec records a problem of the deployment spec.
func (c *composer) atSpec(p fieldpath.Path, m Msg) {
	c.problems.add(p, lineAt(c.spec.source, p), m)
}

func (c *composer) checkProduct() {
	if !strings.EqualFold(c.spec.Product.Name, c.p.Name) {
		c.atSpec(fieldpath.Of(field("product"), field("name")), newMsg("spec.product_name", "value", strconv.Quote(c.spec.Product.Name), "product", strconv.Quote(c.p.Name)))
	} else if c.spec.Product.Version != c.p.Version {
		c.atSpec(fieldpath.Of(field("product"), field("version")), newMsg("spec.product_version", "value", strconv.Quote(c.spec.Product.Version), "product", c.p.Name, "version", strconv.Quote(c.p.Version)))
	}
	ids := map[string]bool{}
	for _, m := range c.p.Modules {
		ids[strings.ToLower(m.ID)] = true
		for _, a := range m.Activities {
			c.productActivities[strings.ToLower(a.Name)] = m.ID
		}
	}
	for i, id := range c.spec.Modules {
		if !ids[strings.ToLower(id)] {
			c.atSpec(fieldpath.Of(field("modules"), index(i)), newMsg("spec.module_unknown", "value", strconv.Quote(id), "product", c.product, "modules", strings.Join(c.moduleIDs(), ", ")))
			continue
		}
		c.enabled[strings.ToLower(id)] = true
	}
	for _, m := range c.p.Modules {
		if c.enabled[strings.ToLower(m.ID)] {
			for _, a := range m.Activities {
				c.activityModule[strings.ToLower(a.Name)] = m.ID
			}
		}
	}
}

func (c *composer) moduleIDs() []string {
	ids := make([]string, len(c.p.Modules))
	for i, m := range c.p.Modules {
		ids[i] = m.ID
	}
	return ids
}

func (c *composer) deployment() {
	d := make(map[string]any, len(c.spec.Deployment)+2)
	for k, v := range c.spec.Deployment {
		d[k] = v
	}
	c.prov.set(fieldpath.Of(field("deployment")), c.fromSpec(fieldpath.Of(field("deployment"))))
	if _, ok := d["vendor_country"]; !ok {
		d["vendor_country"] = c.p.VendorCountry
		c.prov.set(fieldpath.Of(field("deployment"), field("vendor_country")), c.fromProduct(fieldpath.Of(field("vendor_country"))))
	}
	if _, ok := d["vendor_role"]; !ok {
		d["vendor_role"] = c.p.VendorRole
		c.prov.set(fieldpath.Of(field("deployment"), field("vendor_role")), c.fromProduct(fieldpath.Of(field("vendor_role"))))
	}
	c.q.Deployment = d
}

// activities builds the activities of the enabled modules, then appends the spec's own.
func (c *composer) activities() {
	// the filters of the spec's subject groups and transfers must name enabled modules and
	// activities.
	for g, s := range c.spec.DataSubjects {
		for j, id := range s.Modules {
			if !c.enabled[strings.ToLower(id)] {
				c.atSpec(fieldpath.Of(field("data_subjects"), index(g), field("modules"), index(j)), newMsg("spec.module_disabled", "value", strconv.Quote(id)))
			}
		}
		for j, name := range s.Activities {
			if _, ok := c.activityModule[strings.ToLower(name)]; !ok {
				c.atSpec(fieldpath.Of(field("data_subjects"), index(g), field("activities"), index(j)), newMsg("spec.activity_disabled", "value", strconv.Quote(name)))
			}
		}
	}
	for t, st := range c.spec.Transfers {
		for j, name := range st.Activities {
			if _, ok := c.activityModule[strings.ToLower(name)]; !ok {
				c.atSpec(fieldpath.Of(field("transfers"), index(t), field("activities"), index(j)), newMsg("spec.activity_disabled", "value", strconv.Quote(name)))
			}
		}
	}
	for mi, m := range c.p.Modules {
		if !c.enabled[strings.ToLower(m.ID)] {
			continue
		}
		for ai, pa := range m.Activities {
			src := fieldpath.Of(field("modules"), index(mi), field("activities"), index(ai))
			at := fieldpath.Of(field("activities"), index(len(c.q.Activities)))
			c.prov.set(at, Origin{Kind: OriginModule, Ref: c.product + " module " + m.ID, Path: src.String()})
			a := pa.activity()
			a.DataSubjects = c.subjects(m, pa, src, at)
			for ti := range pa.Transfers {
				c.prov.set(at.Append(field("transfers"), index(ti)), Origin{Kind: OriginModule, Ref: c.product + " module " + m.ID, Path: src.Append(field("transfers"), index(ti)).String()})
			}
			for fi, f := range c.p.VendorFlows {
				if !f.appliesTo(m.ID, pa.Name) {
					continue
				}
				tp := at.Append(field("transfers"), index(len(a.Transfers)))
				c.prov.set(tp, Origin{Kind: OriginVendorFlow, Ref: c.product + " vendor flow " + f.Name, Path: fieldpath.Of(field("vendor_flows"), index(fi), field("transfer")).String()})
				a.Transfers = append(a.Transfers, c.flowTransfer(f, fi, tp))
			}
			for si, st := range c.spec.Transfers {
				if len(st.Activities) > 0 && !slices.ContainsFunc(st.Activities, func(n string) bool { return strings.EqualFold(n, pa.Name) }) {
					continue
				}
				tp := at.Append(field("transfers"), index(len(a.Transfers)))
				c.prov.set(tp, c.fromSpec(fieldpath.Of(field("transfers"), index(si), field("transfer"))))
				a.Transfers = append(a.Transfers, st.Transfer)
			}
			c.q.Activities = append(c.q.Activities, a)
		}
	}
	for i, a := range c.spec.Activities {
		c.prov.set(fieldpath.Of(field("activities"), index(len(c.q.Activities))), c.fromSpec(fieldpath.Of(field("activities"), index(i))))
		c.q.Activities = append(c.q.Activities, a)
	}
}

// appliesTo reports whether the vendor flow applies to the activity of the module.
func (f VendorFlow) appliesTo(module, activity string) bool {
	if len(f.Modules) > 0 && !slices.ContainsFunc(f.Modules, func(id string) bool { return strings.EqualFold(id, module) }) {
		return false
	}
	return len(f.Activities) == 0 || slices.ContainsFunc(f.Activities, func(n string) bool { return strings.EqualFold(n, activity) })
}

// subjects builds the data subjects of product activity pa of module m from the spec's groups.
func (c *composer) subjects(m Module, pa ProductActivity, src, at fieldpath.Path) []DataSubject {
	var out []DataSubject
	for _, ps := range pa.DataSubjects {
		found := false
		for g, s := range c.spec.DataSubjects {
			if s.Type != ps.Type ||
				(len(s.Modules) > 0 && !slices.ContainsFunc(s.Modules, func(id string) bool { return strings.EqualFold(id, m.ID) })) ||
				(len(s.Activities) > 0 && !slices.ContainsFunc(s.Activities, func(n string) bool { return strings.EqualFold(n, pa.Name) })) {
				continue
			}
			found = true
			sp := at.Append(field("data_subjects"), index(len(out)))
			c.prov.set(sp, c.fromSpec(fieldpath.Of(field("data_subjects"), index(g))))
			ds := DataSubject{Type: s.Type, Countries: s.Countries, Count: s.Count, Vulnerable: ps.Vulnerable, Citizenship: s.Citizenship}
			if s.Vulnerable != nil {
				ds.Vulnerable = *s.Vulnerable
			} else {
				c.prov.set(sp.Append(field("vulnerable")), Origin{Kind: OriginModule, Ref: c.product + " module " + m.ID, Path: src.Append(field("data_subjects")).String()})
			}
			out = append(out, ds)
		}
		if !found {
			c.atSpec(fieldpath.Of(field("data_subjects")), newMsg("spec.group_missing", "type", ps.Type, "activity", strconv.Quote(pa.Name), "module", m.ID))
		}
	}
	return out
}

// flowTransfer is vendor flow f's transfer, its recipient's facts filled from the register.
func (c *composer) flowTransfer(f VendorFlow, fi int, tp fieldpath.Path) Transfer {
	t := f.Transfer
	if f.Processor == nil {
		return t
	}
	rp, ok := c.register(*f.Processor)
	if !ok {
		return t // reported by processors()
	}
	reg := Origin{Kind: OriginRegister, Ref: "register: " + rp.Name}
	fill := func(name string, set bool) {
		if set {
			o := reg
			o.Path = name
			c.prov.set(tp.Append(field("recipient_"+strings.TrimPrefix(name, "recipient_"))), o)
		}
	}
	if t.RecipientCountry == nil {
		t.RecipientCountry = &rp.Country
		fill("country", true)
	}
	if t.RecipientParentCountry == nil && rp.ParentCountry != nil {
		t.RecipientParentCountry = rp.ParentCountry
		fill("parent_country", true)
	}
	if len(t.RecipientCertifications) == 0 {
		for _, cert := range rp.Certifications {
			if !c.expired(cert.ExpiresOn) && !slices.Contains(t.RecipientCertifications, cert.Name) {
				t.RecipientCertifications = append(t.RecipientCertifications, cert.Name)
			}
		}
		fill("certifications", len(t.RecipientCertifications) > 0)
	}
	if t.RecipientSector == nil && rp.Sector != nil {
		t.RecipientSector = rp.Sector
		fill("sector", true)
	}
	if t.RecipientPublicBody == nil && rp.PublicBody != nil {
		t.RecipientPublicBody = rp.PublicBody
		fill("public_body", true)
	}
	if t.RecipientConduit == nil && rp.Conduit != nil {
		t.RecipientConduit = rp.Conduit
		fill("conduit", true)
	}
	if t.RecipientKeyAccess == nil && rp.KeyAccess != nil {
		t.RecipientKeyAccess = rp.KeyAccess
		fill("key_access", true)
	}
	if t.RecipientCertificationCoveredData == nil && rp.CertificationCoveredData != nil {
		t.RecipientCertificationCoveredData = rp.CertificationCoveredData
		fill("certification_covered_data", true)
	}
	return t
}

// expired reports whether a last-valid day lies before the composition date.
func (c *composer) expired(on *string) bool { return on != nil && *on < c.asOf }

// processors lists the register processors the product, the enabled modules, the applied
// vendor flows and the spec use, then the spec's inline ones.
func (c *composer) processors() {
	type ref struct {
		name    string
		at      fieldpath.Path
		product bool
		origin  Origin
	}
	var refs []ref
	for i, n := range c.p.Processors {
		at := fieldpath.Of(field("processors"), index(i))
		refs = append(refs, ref{n, at, true, c.fromProduct(at)})
	}
	for mi, m := range c.p.Modules {
		if !c.enabled[strings.ToLower(m.ID)] {
			continue
		}
		for j, n := range m.Processors {
			at := fieldpath.Of(field("modules"), index(mi), field("processors"), index(j))
			refs = append(refs, ref{n, at, true, Origin{Kind: OriginModule, Ref: c.product + " module " + m.ID, Path: at.String()}})
		}
	}
	for fi, f := range c.p.VendorFlows {
		if f.Processor == nil || !c.flowApplied(f) {
			continue
		}
		at := fieldpath.Of(field("vendor_flows"), index(fi), field("processor"))
		refs = append(refs, ref{*f.Processor, at, true, Origin{Kind: OriginVendorFlow, Ref: c.product + " vendor flow " + f.Name, Path: at.String()}})
	}
	for i, n := range c.spec.RegisteredProcessors {
		at := fieldpath.Of(field("registered_processors"), index(i))
		refs = append(refs, ref{n, at, false, c.fromSpec(at)})
	}
	seen := map[string]bool{}
	for _, r := range refs {
		rp, ok := c.register(r.name)
		if !ok {
			msg := newMsg("register.unknown", "value", strconv.Quote(r.name))
			if r.product {
				c.inProduct(r.at, msg)
			} else {
				c.atSpec(r.at, msg)
			}
			continue
		}
		if seen[strings.ToLower(rp.Name)] {
			continue
		}
		seen[strings.ToLower(rp.Name)] = true
		at := fieldpath.Of(field("processors"), index(len(c.q.Processors)))
		o := r.origin
		c.prov.set(at, Origin{Kind: OriginRegister, Ref: "register: " + rp.Name + " (used by " + o.Ref + ")", Path: ""})
		c.q.Processors = append(c.q.Processors, c.processorAsOf(rp))
	}
	for i, p := range c.spec.Processors {
		c.prov.set(fieldpath.Of(field("processors"), index(len(c.q.Processors))), c.fromSpec(fieldpath.Of(field("processors"), index(i))))
		c.q.Processors = append(c.q.Processors, p)
	}
}

// flowApplied reports whether vendor flow f applies to an activity of an enabled module.
func (c *composer) flowApplied(f VendorFlow) bool {
	for _, m := range c.p.Modules {
		if !c.enabled[strings.ToLower(m.ID)] {
			continue
		}
		for _, a := range m.Activities {
			if f.appliesTo(m.ID, a.Name) {
				return true
			}
		}
	}
	return false
}

// processorAsOf is the questionnaire's processor for a register entry on the composition date:
// expired certifications and agreements left out (with a notice), the others' expiry dates in
// expiries.
func (c *composer) processorAsOf(rp RegisteredProcessor) Processor {
	p := Processor{
		Name: rp.Name, Country: rp.Country, Service: rp.Service, KeyAccess: rp.KeyAccess,
		ParentCountry: rp.ParentCountry, Sector: rp.Sector, PublicBody: rp.PublicBody, Conduit: rp.Conduit,
		CertificationCoveredData: rp.CertificationCoveredData,
	}
	agreement := func(a *Agreement, item string) bool {
		if a == nil || !a.Signed {
			return false
		}
		if c.expired(a.ExpiresOn) {
			c.notice(rp.Name, item, *a.ExpiresOn)
			return false
		}
		if a.ExpiresOn != nil {
			p.Expiries = append(p.Expiries, Expiry{Item: item, On: *a.ExpiresOn})
		}
		return true
	}
	p.DPASigned = agreement(rp.DPA, "dpa")
	p.BAASigned = agreement(rp.BAA, "baa")
	for _, cert := range rp.Certifications {
		if c.expired(cert.ExpiresOn) {
			c.notice(rp.Name, cert.Name, *cert.ExpiresOn)
			continue
		}
		if !slices.Contains(p.Certifications, cert.Name) {
			p.Certifications = append(p.Certifications, cert.Name)
		}
		if cert.ExpiresOn != nil {
			p.Expiries = append(p.Expiries, Expiry{Item: cert.Name, On: *cert.ExpiresOn})
		}
	}
	return p
}

// NoticeExpired is the message key of the notice about an expired certification or agreement.
const NoticeExpired = "ui.products.notice.expired"

func (c *composer) notice(processor, item, on string) {
	c.notices = append(c.notices, Notice{
		Key:  NoticeExpired,
		Args: map[string]string{"processor": processor, "item": item, "on": on},
		Text: fmt.Sprintf("%s: %s expired on %s; it is left out of the composed questionnaire.", processor, item, on),
	})
}

// overrides applies the spec's overrides to the JSON form of the composed questionnaire.
func (c *composer) overrides() (any, error) {
	raw, err := json.Marshal(&c.q)
	if err != nil {
		return nil, fmt.Errorf("encode composed questionnaire: %w", err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decode composed questionnaire: %w", err)
	}
	for i, o := range c.spec.Overrides {
		at := fieldpath.Of(field("overrides"), index(i))
		if strings.TrimSpace(o.Reason) == "" {
			c.atSpec(at.Append(field("reason")), newMsg("override.reason"))
			continue
		}
		p, err := parseOverridePath(o.Path)
		if err != nil {
			c.atSpec(at.Append(field("path")), newMsg("override.path", "error", err.Error()))
			continue
		}
		resolved, err := setPath(doc, p, o.Value)
		if err != nil {
			c.atSpec(at.Append(field("path")), newMsg("override.path", "error", err.Error()))
			continue
		}
		c.prov.replace(resolved, Origin{Kind: OriginOverride, Ref: c.specRef, Path: at.String(), Reason: o.Reason})
	}
	return doc, nil
}

// parseOverridePath reads an override's path: a field path of the composed questionnaire in which
// a bracket holding anything but a number selects a list entry by its name, unquoted
// (activities[Payroll].retention_days) or quoted (activities["Payroll"]).
func parseOverridePath(s string) (fieldpath.Path, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("must not be empty")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			b.WriteByte(s[i])
			continue
		}
		end := strings.IndexByte(s[i:], ']')
		if end < 0 {
			return nil, fmt.Errorf("%q has a [ without ]", s)
		}
		inner := s[i+1 : i+end]
		if _, err := strconv.Atoi(inner); err == nil || strings.HasPrefix(inner, `"`) {
			b.WriteString(s[i : i+end+1])
		} else {
			b.WriteString("[" + strconv.Quote(inner) + "]")
		}
		i += end
	}
	p, err := fieldpath.Parse(b.String())
	if err != nil {
		return nil, fmt.Errorf("%q is not a field path: %w", s, err)
	}
	return p, nil
}

// setPath sets the value at p in doc (decoded JSON), a named step into a list selecting the entry
// whose name matches ignoring case, and returns the path with indexes.
func setPath(doc any, p fieldpath.Path, value any) (fieldpath.Path, error) {
	if len(p) == 0 {
		return nil, errors.New("must name a value inside the questionnaire")
	}
	var resolved fieldpath.Path
	cur := doc
	for i, s := range p {
		last := i == len(p)-1
		switch v := cur.(type) {
		case map[string]any:
			if s.IsIndex() {
				return nil, fmt.Errorf("%s is an object, not a list", resolvedOr(resolved))
			}
			resolved = resolved.Append(s)
			if last {
				v[s.Name] = value
				return resolved, nil
			}
			next, ok := v[s.Name]
			if !ok {
				return nil, fmt.Errorf("the composed questionnaire has no %s", resolved)
			}
			cur = next
		case []any:
			k := s.Index
			if !s.IsIndex() {
				k = slices.IndexFunc(v, func(e any) bool {
					m, ok := e.(map[string]any)
					name, _ := m["name"].(string)
					return ok && strings.EqualFold(name, s.Name)
				})
				if k < 0 {
					return nil, fmt.Errorf("%s has no entry named %q", resolvedOr(resolved), s.Name)
				}
			} else if k >= len(v) {
				return nil, fmt.Errorf("%s has %d entries, no entry %d", resolvedOr(resolved), len(v), k)
			}
			resolved = resolved.Append(index(k))
			if last {
				v[k] = value
				return resolved, nil
			}
			cur = v[k]
		default:
			return nil, fmt.Errorf("%s is not an object or a list", resolvedOr(resolved))
		}
	}
	return resolved, nil
}

func resolvedOr(p fieldpath.Path) string {
	if len(p) == 0 {
		return "the questionnaire"
	}
	return p.String()
}

// relocate reports the composed questionnaire's problems where their answers came from.
func (c *composer) relocate(ve *ValidationError) error {
	out := &ValidationError{}
	for _, pr := range ve.Problems {
		p, err := fieldpath.Parse(pr.Path)
		if err != nil || pr.Path == rootPath {
			out.Problems = append(out.Problems, rebase(pr, pr.Path, 0).withContext(newMsg("context.composed")))
			continue
		}
		o, n, ok := c.prov.lookup(p)
		src, err := fieldpath.Parse(o.Path)
		switch {
		case !ok || err != nil || o.Kind == OriginRegister:
			ctx := newMsg("context.composed")
			if ok {
				ctx = newMsg("context.composed_ref", "ref", o.Ref)
			}
			out.Problems = append(out.Problems, rebase(pr, pr.Path, 0).withContext(ctx))
		case o.Kind == OriginDeployment:
			at := src.Append(p[n:]...)
			out.Problems = append(out.Problems, rebase(pr, display(at), lineAt(c.spec.source, at)))
		case o.Kind == OriginOverride:
			at := src.Append(field("value"))
			out.Problems = append(out.Problems, rebase(pr, display(at), lineAt(c.spec.source, at)).withContext(newMsg("context.override", "path", pr.Path)))
		default:
			at := src.Append(p[n:]...)
			out.Problems = append(out.Problems, rebase(pr, display(at), lineAt(c.p.source, at)).withContext(newMsg("context.ref", "ref", o.Ref)))
		}
	}
	return out
}

// RegisterNames lists the names of the processor register entries composing spec from p may
// use: the product's, the enabled modules', the vendor flows' and the spec's (each name once,
// ignoring case). A change of any of these entries can change the composition.
func RegisterNames(p *Product, spec *DeploymentSpec) []string {
	var out []string
	seen := map[string]bool{}
	add := func(names ...string) {
		for _, n := range names {
			if k := strings.ToLower(n); !seen[k] {
				seen[k] = true
				out = append(out, n)
			}
		}
	}
	enabled := map[string]bool{}
	for _, m := range spec.Modules {
		enabled[strings.ToLower(m)] = true
	}
	add(p.Processors...)
	for _, m := range p.Modules {
		if enabled[strings.ToLower(m.ID)] {
			add(m.Processors...)
		}
	}
	for _, f := range p.VendorFlows {
		if f.Processor != nil {
			add(*f.Processor)
		}
	}
	add(spec.RegisteredProcessors...)
	return out
}
