package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
)

// digest is the SHA-256 of a canonical document, in hex.
func digest(doc []byte) string {
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:])
}

// PushProduct validates a product profile (JSON or YAML) and stores it as an immutable version.
// Every register entry it names must be in the register (push the processors first). It
// returns the version and whether it is new: pushing a stored version again with the same
// profile changes nothing. Errors: ErrForbidden, *assessments.ValidationError, ErrInvalid (a
// register name unknown: the field path says which), ErrConflict (the version is stored with
// another profile), ErrInvalid/ReasonTooLarge (piaflow.MaxProductVersions).
func (s *Service) PushProduct(ctx context.Context, u piaflow.User, raw []byte) (piaflow.ProductVersion, bool, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageProducts); err != nil {
		return piaflow.ProductVersion{}, false, err
	}
	p, err := assessments.ParseProduct(raw)
	if err != nil {
		return piaflow.ProductVersion{}, false, err
	}
	if err := s.checkRegisterNames(ctx, p); err != nil {
		return piaflow.ProductVersion{}, false, err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return piaflow.ProductVersion{}, false, fmt.Errorf("encode product: %w", err)
	}
	return s.st.PushProduct(ctx, actor(u), piaflow.ProductVersion{Name: p.Name, Version: p.Version, Document: string(doc), Digest: digest(doc)})
}

// checkRegisterNames reports the register names product p uses that the register lacks, at
// their field paths.
func (s *Service) checkRegisterNames(ctx context.Context, p *assessments.Product) error {
	type use struct{ path, name string }
	var uses []use
	for i, n := range p.Processors {
		uses = append(uses, use{fmt.Sprintf("processors[%d]", i), n})
	}
	for mi, m := range p.Modules {
		for j, n := range m.Processors {
			uses = append(uses, use{fmt.Sprintf("modules[%d].processors[%d]", mi, j), n})
		}
	}
	for fi, f := range p.VendorFlows {
		if f.Processor != nil {
			uses = append(uses, use{fmt.Sprintf("vendor_flows[%d].processor", fi), *f.Processor})
		}
	}
	names := make([]string, len(uses))
	for i, x := range uses {
		names[i] = x.name
	}
	found, err := s.st.ProcessorsNamed(ctx, names)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, v := range found {
		have[v.NameKey] = true
	}
	var problems []piaflow.FieldProblem
	for _, x := range uses {
		if !have[store.Key(x.name)] {
			problems = append(problems, piaflow.FieldProblem{Field: x.path, Code: piaflow.ProblemUnknown,
				Message: fmt.Sprintf("%q is not in the processor register: push it first (piaflow processor push)", x.name),
				Text:    "processor.unregistered", Args: map[string]string{"value": strconv.Quote(x.name)}})
		}
	}
	return piaflow.Invalid(problems...)
}

// Product returns a stored product version with its profile. Errors: ErrForbidden, ErrNotFound.
func (s *Service) Product(ctx context.Context, u piaflow.User, name, version string) (piaflow.ProductVersion, *assessments.Product, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadDeployments); err != nil {
		return piaflow.ProductVersion{}, nil, err
	}
	v, err := s.st.ProductVersion(ctx, name, version)
	if err != nil {
		return v, nil, err
	}
	p, err := assessments.ParseProduct([]byte(v.Document))
	if err != nil {
		return v, nil, fmt.Errorf("stored product %s %s: %w", v.Name, v.Version, err)
	}
	return v, p, nil
}

// Products lists the stored product versions (of product name; "" every product), by name and
// newest first, with how many there are. Errors: ErrForbidden.
func (s *Service) Products(ctx context.Context, u piaflow.User, name string, limit, offset int) ([]piaflow.ProductVersion, int64, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadDeployments); err != nil {
		return nil, 0, err
	}
	return s.st.ProductVersions(ctx, name, limit, offset)
}

// ProcessorPush is what pushing one register entry did.
type ProcessorPush struct {
	piaflow.ProcessorVersion
	// Changed is true when the entry is new or differs from its current version (a new
	// version was stored).
	Changed bool `json:"changed"`
	// Deployments counts the active deployments whose composition uses the entry: a changed
	// entry's impact list and propagation reach them.
	Deployments int64 `json:"deployments"`
}

// isList reports whether a YAML or JSON document is a list (its first significant character is
// "[" or "- ").
func isList(raw []byte) bool {
	for _, line := range bytes.Split(raw, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || bytes.Equal(t, []byte("---")) {
			continue
		}
		return t[0] == '[' || bytes.HasPrefix(t, []byte("- ")) || bytes.Equal(t, []byte("-"))
	}
	return false
}

// PushProcessors validates register entries (one entry, or a list of at most
// assessments.MaxRegister) and stores each that is new or changed as its next version.
// Nothing is stored when one is invalid. Errors: ErrForbidden, *assessments.ValidationError,
// ErrInvalid/ReasonTooLarge (piaflow.MaxRegisterEntries, piaflow.MaxProcessorVersions).
func (s *Service) PushProcessors(ctx context.Context, u piaflow.User, raw []byte) ([]ProcessorPush, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageProducts); err != nil {
		return nil, err
	}
	var entries []assessments.RegisteredProcessor
	if isList(raw) {
		list, err := assessments.ParseProcessors(raw)
		if err != nil {
			return nil, err
		}
		entries = list
	} else {
		e, err := assessments.ParseProcessor(raw)
		if err != nil {
			return nil, err
		}
		entries = []assessments.RegisteredProcessor{*e}
	}
	out := make([]ProcessorPush, 0, len(entries))
	for _, e := range entries {
		doc, err := json.Marshal(e)
		if err != nil {
			return out, fmt.Errorf("encode processor %s: %w", e.Name, err)
		}
		v, changed, err := s.st.PushProcessor(ctx, actor(u), piaflow.ProcessorVersion{Name: e.Name, Document: string(doc), Digest: digest(doc)})
		if err != nil {
			return out, err
		}
		n, err := s.st.CountProcessorDeployments(ctx, e.Name)
		if err != nil {
			return out, err
		}
		v.Document = ""
		out = append(out, ProcessorPush{ProcessorVersion: v, Changed: changed, Deployments: n})
	}
	return out, nil
}

// Processors lists the register's current entries by name, with how many there are. Errors:
// ErrForbidden.
func (s *Service) Processors(ctx context.Context, u piaflow.User, limit, offset int) ([]piaflow.ProcessorVersion, int64, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadDeployments); err != nil {
		return nil, 0, err
	}
	return s.st.Processors(ctx, limit, offset, false)
}

// ProcessorEntry is a register entry as it stands, with its versions (newest first) and how
// many active deployments use it.
type ProcessorEntry struct {
	Version     piaflow.ProcessorVersion
	Entry       *assessments.RegisteredProcessor
	History     []piaflow.ProcessorVersion
	Deployments int64
}

// Processor returns register entry name's version n (0: the current one) with its history.
// Errors: ErrForbidden, ErrNotFound.
func (s *Service) Processor(ctx context.Context, u piaflow.User, name string, n int) (ProcessorEntry, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadDeployments); err != nil {
		return ProcessorEntry{}, err
	}
	v, err := s.st.Processor(ctx, name, n)
	if err != nil {
		return ProcessorEntry{}, err
	}
	e, err := assessments.ParseProcessor([]byte(v.Document))
	if err != nil {
		return ProcessorEntry{}, fmt.Errorf("stored processor %s version %d: %w", v.Name, v.Number, err)
	}
	h, err := s.st.ProcessorHistory(ctx, name, piaflow.MaxProcessorVersions)
	if err != nil {
		return ProcessorEntry{}, err
	}
	count, err := s.st.CountProcessorDeployments(ctx, name)
	return ProcessorEntry{Version: v, Entry: e, History: h, Deployments: count}, err
}

// composer composes deployments' questionnaires from the store's products and register, each
// product version and register entry read and parsed once; a proposed product or register entry
// (not stored) replaces the stored one of its name.
type composer struct {
	s        *Service
	mu       sync.Mutex // guards products and entries: an impact page composes in parallel
	products map[string]*assessments.Product
	entries  map[string]*assessments.RegisteredProcessor // nil value: not in the register
	asOf     time.Time
}

func (s *Service) newComposer() *composer {
	return &composer{s: s, products: map[string]*assessments.Product{}, entries: map[string]*assessments.RegisteredProcessor{}, asOf: time.Now().UTC()}
}

// propose makes the composer use product p instead of the stored version of its name and version.
func (c *composer) proposeProduct(p *assessments.Product) {
	c.products[store.Key(p.Name)+"\x00"+p.Version] = p
}

// proposeProcessor makes the composer use entry e instead of the register's.
func (c *composer) proposeProcessor(e *assessments.RegisteredProcessor) {
	c.entries[store.Key(e.Name)] = e
}

// product returns a product version; a version not stored is an *assessments.ValidationError at
// the spec's product (the deployment cannot be composed), other errors the store's.
func (c *composer) product(ctx context.Context, ref assessments.ProductRef) (*assessments.Product, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := store.Key(ref.Name) + "\x00" + ref.Version
	if p, ok := c.products[k]; ok {
		return p, nil
	}
	v, err := c.s.st.ProductVersion(ctx, ref.Name, ref.Version)
	if errors.Is(err, piaflow.ErrNotFound) {
		return nil, &assessments.ValidationError{Problems: []assessments.Problem{{Path: "product",
			Message: fmt.Sprintf("%s %s is not a stored product version: push it first (piaflow product push)", ref.Name, ref.Version)}}}
	}
	if err != nil {
		return nil, err
	}
	p, err := assessments.ParseProduct([]byte(v.Document))
	if err != nil {
		return nil, fmt.Errorf("stored product %s %s: %w", v.Name, v.Version, err)
	}
	c.products[k] = p
	return p, nil
}

// register returns the Register of the names given, read from the store once each.
func (c *composer) register(ctx context.Context, names []string) (assessments.Register, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []string
	for _, n := range names {
		if _, ok := c.entries[store.Key(n)]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		found, err := c.s.st.ProcessorsNamed(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, n := range missing {
			c.entries[store.Key(n)] = nil
		}
		for _, v := range found {
			e, err := assessments.ParseProcessor([]byte(v.Document))
			if err != nil {
				return nil, fmt.Errorf("stored processor %s version %d: %w", v.Name, v.Number, err)
			}
			c.entries[v.NameKey] = e
		}
	}
	entries := make(map[string]*assessments.RegisteredProcessor, len(names))
	for _, n := range names {
		entries[store.Key(n)] = c.entries[store.Key(n)]
	}
	return func(name string) (assessments.RegisteredProcessor, bool) {
		e := entries[store.Key(name)]
		if e == nil {
			return assessments.RegisteredProcessor{}, false
		}
		return *e, true
	}, nil
}

// compose composes spec. A spec that cannot be composed (a product version not stored, a module
// or register entry it lacks) is an *assessments.ValidationError with paths in the spec or the
// product; other errors are the store's.
func (c *composer) compose(ctx context.Context, spec *assessments.DeploymentSpec) (*assessments.Composition, *assessments.Product, error) {
	p, err := c.product(ctx, spec.Product)
	if err != nil {
		return nil, nil, err
	}
	reg, err := c.register(ctx, assessments.RegisterNames(p, spec))
	if err != nil {
		return nil, nil, err
	}
	comp, err := assessments.Compose(p, spec, reg, c.asOf)
	return comp, p, err
}

// composed is the store's record of composition comp of spec (its document nil when it says
// what revision latest says already).
func composed(spec *assessments.DeploymentSpec, p *assessments.Product, comp *assessments.Composition, latest *piaflow.Revision) (store.Composed, error) {
	specDoc, err := json.Marshal(spec)
	if err != nil {
		return store.Composed{}, fmt.Errorf("encode deployment spec: %w", err)
	}
	doc, err := json.Marshal(comp.Questionnaire)
	if err != nil {
		return store.Composed{}, fmt.Errorf("encode questionnaire: %w", err)
	}
	c := store.Composed{Source: piaflow.DeploymentSource{Product: p.Name, ProductVersion: p.Version, Spec: string(specDoc)},
		Processors: assessments.RegisterNames(p, spec), Document: doc}
	if latest != nil && !latest.Draft && sameQuestionnaire(*latest, doc, false) {
		c.Document = nil
	}
	return c, nil
}

// SpecResult is a deployment composed from a pushed spec: the deployment, its latest
// assessment, whether the spec made a new revision, and the composition's notices.
type SpecResult struct {
	Deployment  piaflow.Deployment
	Assessment  Assessment
	NewRevision bool
	Notices     []assessments.Notice
}

// PushSpec composes a deployment spec (JSON or YAML) from its stored product version and the
// register, keeps the spec and, when the composed questionnaire differs from the latest
// revision, a new complete revision, and assesses it (as SubmitQuestionnaire). deploymentID 0
// creates the deployment from the spec's deployment section (name, customer, country). ifMatch
// as for SaveQuestionnaire ("" with an existing deployment: "*", the spec replaces whatever is
// there). Errors: ErrForbidden, *assessments.ValidationError (spec, or problems of the composed
// questionnaire at their spec or product paths), ErrNotFound, ErrPrecondition, ErrConflict
// (archived), the evaluation's.
func (s *Service) PushSpec(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, raw []byte) (SpecResult, error) {
	if deploymentID == 0 {
		if err := piaflow.Authorize(u, piaflow.CapCreateDeployment); err != nil {
			return SpecResult{}, err
		}
	}
	if err := piaflow.Authorize(u, piaflow.CapWriteQuestionnaire); err != nil {
		return SpecResult{}, err
	}
	if err := s.limits.evaluate.allow(u); err != nil {
		return SpecResult{}, err
	}
	return s.pushSpec(ctx, u, deploymentID, ifMatch, raw)
}

// pushSpec is PushSpec once the user may and is within the rate limit (the demo seed).
func (s *Service) pushSpec(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, raw []byte) (SpecResult, error) {
	spec, err := assessments.ParseDeploymentSpec(raw)
	if err != nil {
		return SpecResult{}, err
	}
	c := s.newComposer()
	comp, p, err := c.compose(ctx, spec)
	if err != nil {
		return SpecResult{}, err
	}
	var d piaflow.Deployment
	var latest *piaflow.Revision
	if deploymentID == 0 {
		qd := comp.Questionnaire.Deployment
		d, err = s.CreateDeployment(ctx, u, piaflow.Deployment{Name: qd.Name, Customer: qd.Customer, CustomerCountry: qd.CustomerCountry})
		if err != nil {
			return SpecResult{}, err
		}
	} else {
		if d, err = s.st.Deployment(ctx, deploymentID); err != nil {
			return SpecResult{}, err
		}
		r, err := s.st.Revision(ctx, deploymentID, 0)
		switch {
		case errors.Is(err, piaflow.ErrNotFound):
		case err != nil:
			return SpecResult{}, err
		default:
			latest = &r
			if ifMatch == "" || ifMatch == "*" {
				ifMatch = r.ETag
			}
		}
	}
	rec, err := composed(spec, p, comp, latest)
	if err != nil {
		return SpecResult{}, err
	}
	if latest != nil && ifMatch != latest.ETag {
		return SpecResult{}, piaflow.MsgKind(piaflow.ErrPrecondition, "error.etag_stale", "revision", latest.Number, "etag", latest.ETag, "if_match", strconv.Quote(ifMatch))
	}
	r, err := s.st.SaveComposed(ctx, actor(u), d.ID, ifMatch, rec)
	if err != nil {
		return SpecResult{}, err
	}
	res := SpecResult{NewRevision: rec.Document != nil, Notices: comp.Notices}
	if !res.NewRevision {
		r = *latest
	}
	if res.Assessment, err = s.assessAndRecord(ctx, u, r, comp.Questionnaire); err != nil {
		return res, err
	}
	res.Deployment, err = s.st.Deployment(ctx, d.ID)
	return res, err
}

// Source is how a deployment built from a product is composed: its source record, the spec,
// and the composition as it stands today (with provenance), or CompositionError when it cannot
// be composed any more (a register entry removed).
type Source struct {
	Record           piaflow.DeploymentSource
	Spec             *assessments.DeploymentSpec
	Composition      *assessments.Composition
	CompositionError error
}

// DeploymentSource returns how deployment id is composed. Errors: ErrForbidden, ErrNotFound (a
// stand-alone questionnaire).
func (s *Service) DeploymentSource(ctx context.Context, u piaflow.User, id uint64) (Source, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return Source{}, err
	}
	rec, err := s.st.Source(ctx, id)
	if err != nil {
		return Source{}, err
	}
	spec, err := assessments.ParseDeploymentSpec([]byte(rec.Spec))
	if err != nil {
		return Source{}, fmt.Errorf("stored spec of deployment %d: %w", id, err)
	}
	src := Source{Record: rec, Spec: spec}
	comp, _, err := s.newComposer().compose(ctx, spec)
	var ve *assessments.ValidationError
	switch {
	case errors.As(err, &ve):
		src.CompositionError = err
	case err != nil:
		return src, err
	default:
		src.Composition = comp
	}
	return src, nil
}

// Template is a deployment spec to start from for a customer in country (and sector, optional)
// with product name version: every module enabled, the product's usual hosting for the
// country (HostingOption names which), a group of data subjects in the country for each kind
// of person the product's activities process (counts 0, to fill in), governance answers
// false until someone confirms them. Errors: ErrForbidden, ErrNotFound, ErrInvalid (country).
func (s *Service) Template(ctx context.Context, u piaflow.User, name, version, country, sector string) (*assessments.DeploymentSpec, string, error) {
	if err := piaflow.Authorize(u, piaflow.CapCreateDeployment); err != nil {
		return nil, "", err
	}
	country = strings.ToUpper(strings.TrimSpace(country))
	if !knownCountry(country) {
		return nil, "", piaflow.Invalid(piaflow.FieldProblem{Field: "country", Code: piaflow.ProblemUnknown, Message: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", country),
			Text: "country", Args: map[string]string{"value": strconv.Quote(country)}})
	}
	_, p, err := s.Product(ctx, u, name, version)
	if err != nil {
		return nil, "", err
	}
	return assessments.TemplateFor(p, country, sector)
}
