package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/service"
)

// The pages of issue 15: product versions, the processor register, impact lists of a change and
// the source (product, spec, provenance) of a deployment built from a product. Documents are
// pasted as YAML or JSON into a textarea; the request body limit (piaflow.MaxBodyBytes) and the
// parsers' limits bound them.

// listPerPage is how many product versions or register entries a list page shows at once.
const listPerPage = 100

// expirySoon is how close to its expiry date a certification or agreement is highlighted.
const expirySoon = 60 * 24 * time.Hour

// formProblems is a refused document: the message, and the problems with their field paths
// and lines, shown next to the form.
type formProblems struct {
	Message  string
	Problems []docProblem
}

// docProblem is one problem of a document: its field path, the message and, when known, the
// line ("line 12", in the page's language).
type docProblem struct {
	Path, Message, Line string
}

// documentProblems turns a service error about a pasted document into what the form shows:
// validation problems, invalid fields, a conflict, a stale revision or something the document
// names that is not stored. Other errors are returned as they are.
func documentProblems(v *view, err error) (*formProblems, int, error) {
	e := httpx.Explain(err)
	status, detail, problems := e.Status, e.Detail, e.Errors
	if s, ok := v.L.Message(e.DetailMsg); ok && v.L.Lang() != i18n.English {
		detail = s // the service's message in the page's language (English: as the service wrote it)
	}
	switch status {
	case http.StatusUnprocessableEntity, http.StatusConflict, http.StatusNotFound, http.StatusPreconditionFailed:
	default:
		return nil, 0, err
	}
	fp := &formProblems{}
	for _, p := range problems {
		dp := docProblem{Path: p.Path, Message: v.L.ProblemMessage(p)}
		if p.Line > 0 {
			dp.Line = v.T("ui.products.line", "n", strconv.Itoa(p.Line))
		}
		fp.Problems = append(fp.Problems, dp)
	}
	switch status {
	case http.StatusConflict:
		fp.Message = v.T("ui.products.conflict", "detail", detail)
	case http.StatusPreconditionFailed:
		fp.Message = v.T("ui.source.stale")
	case http.StatusNotFound:
		fp.Message = v.T("ui.products.not_found", "detail", detail)
	default:
		fp.Message = v.T("ui.products.invalid", "n", strconv.Itoa(len(problems)))
		if len(problems) == 0 {
			fp.Message = v.T("ui.products.invalid_detail", "detail", detail)
		}
	}
	return fp, status, nil
}

// pageOffset reads ?offset= (at least 0).
func pageOffset(c *echo.Context) int {
	offset, _ := strconv.Atoi(c.QueryParam("offset"))
	return max(offset, 0)
}

// nextOffset is the offset of the next page, 0 when there is none.
func nextOffset(offset, shown int, total int64) int {
	if int64(offset+shown) < total && shown > 0 {
		return offset + shown
	}
	return 0
}

// asYAML writes a value (a document the service parsed) as block-style YAML, keys in the
// order of its JSON encoding.
func asYAML(x any) (string, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return "", fmt.Errorf("encode as YAML: %w", err)
	}
	y, err := assessments.DocumentYAML(b)
	return string(y), err
}

// productsData is the list of product versions with the push form.
type productsData struct {
	Items              []piaflow.ProductVersion
	Total              int64
	Offset, NextOffset int
	// Document is the push form's text as typed; Problems why it was refused.
	Document string
	Problems *formProblems
}

func (s *UI) productsPage(c *echo.Context) error {
	v := s.newView(c, "ui.products.title")
	return s.renderProducts(c, v, http.StatusOK, productsData{Offset: pageOffset(c)})
}

func (s *UI) renderProducts(c *echo.Context, v *view, status int, data productsData) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	items, total, err := s.svc.Products(ctx, u, "", listPerPage, data.Offset)
	if err != nil {
		return err
	}
	data.Items, data.Total, data.NextOffset = items, total, nextOffset(data.Offset, len(items), total)
	v.Nav, v.Data = "products", data
	return s.render(c, status, "products", v)
}

// pushProductForm stores a pasted product profile and shows the version, or the list with the
// problems next to the form.
func (s *UI) pushProductForm(c *echo.Context) error {
	doc := c.FormValue("document")
	pv, _, err := s.svc.PushProduct(c.Request().Context(), httpx.CurrentUser(c), []byte(doc))
	if err == nil {
		return c.Redirect(http.StatusSeeOther, productHref(pv.Name, pv.Version))
	}
	v := s.newView(c, "ui.products.title")
	fp, status, err := documentProblems(v, err)
	if err != nil {
		return err
	}
	return s.renderProducts(c, v, status, productsData{Document: doc, Problems: fp})
}

// productHref is the page of a product version.
func productHref(name, version string) string {
	return "/products/" + url.PathEscape(name) + "/" + url.PathEscape(version)
}

// productData is one product version: its profile, the other versions, and the template form.
type productData struct {
	PV       piaflow.ProductVersion
	P        *assessments.Product
	Versions []piaflow.ProductVersion
	// Country and Sector are the template form's; Spec the template (or the spec as typed),
	// HostingOption the hosting option it took; Problems why the spec was refused.
	Country, Sector, Spec, HostingOption string
	Problems                             *formProblems
}

// productParams reads the product name and version of the path.
func productParams(c *echo.Context) (string, string) {
	name, version := c.Param("name"), c.Param("version")
	if n, err := url.PathUnescape(name); err == nil {
		name = n
	}
	if v, err := url.PathUnescape(version); err == nil {
		version = v
	}
	return name, version
}

// productPage shows a product version; with ?country= (and ?sector=) it shows the template of
// a deployment spec for a new customer, to edit and create the deployment from.
func (s *UI) productPage(c *echo.Context) error {
	name, version := productParams(c)
	data := productData{Country: strings.TrimSpace(c.QueryParam("country")), Sector: strings.TrimSpace(c.QueryParam("sector"))}
	v := s.newView(c, "ui.product.title", "name", name, "version", version)
	status := http.StatusOK
	if data.Country != "" && v.can(piaflow.CapCreateDeployment) {
		if code := s.countryCode(data.Country); code != "" {
			data.Country = code
		}
		spec, option, err := s.svc.Template(c.Request().Context(), httpx.CurrentUser(c), name, version, data.Country, data.Sector)
		switch {
		case err == nil:
			if data.Spec, err = asYAML(spec); err != nil {
				return err
			}
			data.HostingOption = option
		case errors.Is(err, piaflow.ErrInvalid):
			data.Problems = &formProblems{Message: v.T("ui.product.country_unknown", "value", data.Country)}
			status = http.StatusUnprocessableEntity
		default:
			return err
		}
	}
	return s.renderProduct(c, v, status, name, version, data)
}

// countryCode reads a country given as an ISO code or by name ("" when it is neither).
func (s *UI) countryCode(in string) string {
	up := strings.ToUpper(in)
	if _, ok := s.ui.names["en"][up]; ok {
		return up
	}
	return s.ui.byName[strings.ToLower(in)]
}

func (s *UI) renderProduct(c *echo.Context, v *view, status int, name, version string, data productData) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	pv, p, err := s.svc.Product(ctx, u, name, version)
	if err != nil {
		return err
	}
	versions, _, err := s.svc.Products(ctx, u, pv.Name, listPerPage, 0)
	if err != nil {
		return err
	}
	data.PV, data.P, data.Versions = pv, p, versions
	v.Nav, v.Data = "products", data
	return s.render(c, status, "product", v)
}

// deployProductForm creates a deployment from a spec (the template as edited) and shows it.
func (s *UI) deployProductForm(c *echo.Context) error {
	name, version := productParams(c)
	spec := c.FormValue("spec")
	res, err := s.svc.PushSpec(c.Request().Context(), httpx.CurrentUser(c), 0, "", []byte(spec))
	if err == nil {
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/deployments/%d", res.Deployment.ID))
	}
	v := s.newView(c, "ui.product.title", "name", name, "version", version)
	fp, status, err := documentProblems(v, err)
	if err != nil {
		return err
	}
	return s.renderProduct(c, v, status, name, version, productData{Spec: spec, Problems: fp,
		Country: c.FormValue("country"), Sector: c.FormValue("sector")})
}

// processorsData is the processor register with the push form.
type processorsData struct {
	Items              []piaflow.ProcessorVersion
	Total              int64
	Offset, NextOffset int
	Document           string
	Problems           *formProblems
	// Pushed is what the last push did, entry by entry.
	Pushed []service.ProcessorPush
}

func (s *UI) processorsPage(c *echo.Context) error {
	v := s.newView(c, "ui.processors.title")
	return s.renderProcessors(c, v, http.StatusOK, processorsData{Offset: pageOffset(c)})
}

func (s *UI) renderProcessors(c *echo.Context, v *view, status int, data processorsData) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	items, total, err := s.svc.Processors(ctx, u, listPerPage, data.Offset)
	if err != nil {
		return err
	}
	data.Items, data.Total, data.NextOffset = items, total, nextOffset(data.Offset, len(items), total)
	v.Nav, v.Data = "processors", data
	return s.render(c, status, "processors", v)
}

// pushProcessorsForm stores pasted register entries (one or a list) and shows what changed.
func (s *UI) pushProcessorsForm(c *echo.Context) error {
	doc := c.FormValue("document")
	pushed, err := s.svc.PushProcessors(c.Request().Context(), httpx.CurrentUser(c), []byte(doc))
	v := s.newView(c, "ui.processors.title")
	if err != nil {
		fp, status, err := documentProblems(v, err)
		if err != nil {
			return err
		}
		return s.renderProcessors(c, v, status, processorsData{Document: doc, Problems: fp})
	}
	v.Flash = v.T("ui.processors.pushed", "n", strconv.Itoa(len(pushed)))
	return s.renderProcessors(c, v, http.StatusOK, processorsData{Pushed: pushed})
}

// expiryView is a certification or agreement of a register entry with its dates and how close
// its expiry is ("expired", "soon" within expirySoon, or "").
type expiryView struct {
	Name, Scope, SignedOn, ExpiresOn, State string
	Signed                                  *bool
}

// expiryState says whether a date (YYYY-MM-DD, the last valid day) has passed or comes within
// expirySoon of now.
func expiryState(on *string, now time.Time) string {
	if on == nil {
		return ""
	}
	d, err := time.Parse(time.DateOnly, *on)
	if err != nil {
		return ""
	}
	today := now.UTC().Truncate(24 * time.Hour)
	switch {
	case d.Before(today):
		return "expired"
	case d.Sub(today) <= expirySoon:
		return "soon"
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// processorData is a register entry as it stands, with its history and the edit form.
type processorData struct {
	service.ProcessorEntry
	Certifications []expiryView
	DPA, BAA       *expiryView
	// Document is the entry as YAML (or as typed), for the edit form.
	Document string
}

func agreementView(a *assessments.Agreement, now time.Time) *expiryView {
	if a == nil {
		return nil
	}
	return &expiryView{Signed: &a.Signed, SignedOn: deref(a.SignedOn), ExpiresOn: deref(a.ExpiresOn), State: expiryState(a.ExpiresOn, now)}
}

func (s *UI) processorPage(c *echo.Context) error {
	name := c.Param("name")
	if n, err := url.PathUnescape(name); err == nil {
		name = n
	}
	e, err := s.svc.Processor(c.Request().Context(), httpx.CurrentUser(c), name, 0)
	if err != nil {
		return err
	}
	now := time.Now()
	data := processorData{ProcessorEntry: e, DPA: agreementView(e.Entry.DPA, now), BAA: agreementView(e.Entry.BAA, now)}
	for _, cert := range e.Entry.Certifications {
		data.Certifications = append(data.Certifications, expiryView{Name: cert.Name, Scope: deref(cert.Scope),
			ExpiresOn: deref(cert.ExpiresOn), State: expiryState(cert.ExpiresOn, now)})
	}
	if data.Document, err = asYAML(e.Entry); err != nil {
		return err
	}
	v := s.newView(c, "ui.processor.title", "name", e.Version.Name)
	v.Nav, v.Data = "processors", data
	return s.render(c, http.StatusOK, "processor", v)
}

// impactData is a page of a change's impact list.
type impactData struct {
	Impact piaflow.Impact
	// Kind, Product, Version, Processor and DeploymentID name the change; Document is a
	// proposed register entry and Spec a proposed spec (both as typed, not stored).
	Kind, Product, Version, Processor string
	DeploymentID                      uint64
	Document, Spec                    string
	// Stored: the change is stored (a product version, a register entry by name) and can be
	// propagated.
	Stored bool
	// Changed counts the entries of the page whose verdict changes.
	Changed  int
	Problems *formProblems
	// NextURL is the next page of a stored change (a proposed one posts its document again).
	NextURL string
}

// impactPage lists the impact of a stored change: ?kind=product&product=&version= or
// ?kind=processor&processor= (&after= for the next page).
func (s *UI) impactPage(c *echo.Context) error {
	q := c.QueryParams()
	data := impactData{Kind: q.Get("kind"), Product: q.Get("product"), Version: q.Get("version"), Processor: q.Get("processor")}
	ch := piaflow.Change{Kind: data.Kind, Product: data.Product, Version: data.Version, Processor: data.Processor}
	return s.renderImpact(c, ch, data)
}

// impactForm lists the impact of a proposed change: a register entry (kind processor,
// document) or a deployment's spec (kind spec, deployment, spec).
func (s *UI) impactForm(c *echo.Context) error {
	data := impactData{Kind: c.FormValue("kind")}
	ch := piaflow.Change{Kind: data.Kind}
	switch data.Kind {
	case piaflow.ChangeProcessor:
		data.Document = c.FormValue("document")
		ch.ProcessorDocument = json.RawMessage(data.Document)
		if strings.TrimSpace(data.Document) == "" {
			ch.ProcessorDocument = nil
		}
	case piaflow.ChangeSpec:
		id, err := strconv.ParseUint(c.FormValue("deployment"), 10, 63)
		if err != nil {
			return httpx.Msg(http.StatusBadRequest, "error.web.deployment_id")
		}
		data.DeploymentID, data.Spec = id, c.FormValue("spec")
		ch.DeploymentID, ch.Spec = id, json.RawMessage(data.Spec)
		if strings.TrimSpace(data.Spec) == "" {
			ch.Spec = nil
		}
	}
	return s.renderImpact(c, ch, data)
}

func (s *UI) renderImpact(c *echo.Context, ch piaflow.Change, data impactData) error {
	after, _ := strconv.ParseUint(c.Request().FormValue("after"), 10, 63)
	v := s.newView(c, "ui.impact.title")
	v.Nav = map[string]string{piaflow.ChangeProcessor: "processors", piaflow.ChangeSpec: "deployments"}[ch.Kind]
	if v.Nav == "" {
		v.Nav = "products"
	}
	imp, err := s.svc.Impact(c.Request().Context(), httpx.CurrentUser(c), ch, after, piaflow.DefaultImpactPage)
	status := http.StatusOK
	if err != nil {
		fp, st, err := documentProblems(v, err)
		if err != nil {
			return err
		}
		data.Problems, status = fp, st
	}
	data.Impact = imp
	if err == nil {
		data.Kind, data.Product, data.Version, data.Processor = imp.Change.Kind, imp.Change.Product, imp.Change.Version, imp.Change.Processor
		data.Stored = (ch.Kind == piaflow.ChangeProduct && len(ch.ProductDocument) == 0) ||
			(ch.Kind == piaflow.ChangeProcessor && len(ch.ProcessorDocument) == 0)
		for _, e := range imp.Entries {
			if e.VerdictChanged() {
				data.Changed++
			}
		}
		if data.Stored && imp.Next != 0 {
			q := url.Values{"kind": {data.Kind}, "after": {strconv.FormatUint(imp.Next, 10)}}
			if data.Kind == piaflow.ChangeProduct {
				q.Set("product", data.Product)
				q.Set("version", data.Version)
			} else {
				q.Set("processor", data.Processor)
			}
			data.NextURL = "/impact?" + q.Encode()
		}
	}
	v.Data = data
	return s.render(c, status, "impact", v)
}

// FindingTitle is the title of a finding of an impact list in the page's language.
func (v *view) FindingTitle(f piaflow.ImpactFinding) string {
	return v.L.Render(f.TitleMsg, f.Title)
}

// sourceData is how a deployment built from a product is composed, with the spec's edit form.
type sourceData struct {
	Deployment piaflow.Deployment
	Source     service.Source
	Entries    []assessments.ProvenanceEntry
	// Spec is the stored spec as YAML (or the spec as typed); ETag the latest revision's, so
	// that a save does not overwrite a revision saved meanwhile.
	Spec, ETag string
	Problems   *formProblems
}

func (s *UI) sourcePage(c *echo.Context) error {
	return s.renderSource(c, http.StatusOK, nil, nil, "")
}

// renderSource renders the source page; spec, when set, is the spec as typed, fp why it was
// refused and etag the revision it was edited from ("": the latest).
func (s *UI) renderSource(c *echo.Context, status int, spec *string, fp *formProblems, etag string) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	src, err := s.svc.DeploymentSource(ctx, u, d.ID)
	if err != nil {
		return err
	}
	data := sourceData{Deployment: d, Source: src, Problems: fp}
	if src.Composition != nil {
		data.Entries = src.Composition.Provenance.Entries()
	}
	if spec != nil {
		data.Spec = *spec
	} else if data.Spec, err = asYAML(src.Spec); err != nil {
		return err
	}
	if d.LatestRevision > 0 {
		r, err := s.svc.Revision(ctx, u, d.ID, 0)
		if err != nil {
			return err
		}
		data.ETag = r.ETag
	}
	if etag != "" {
		data.ETag = etag
	}
	v := s.newView(c, "ui.source.title", "name", d.Name)
	v.Nav, v.Data = "deployments", data
	return s.render(c, status, "source", v)
}

// pushSpecForm saves a deployment's edited spec: it is composed again, saved as a new revision
// when the questionnaire changes, and assessed.
func (s *UI) pushSpecForm(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	spec, etag := c.FormValue("spec"), c.FormValue("etag")
	_, err = s.svc.PushSpec(c.Request().Context(), httpx.CurrentUser(c), id, etag, []byte(spec))
	if err == nil {
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/deployments/%d", id))
	}
	fp, status, err := documentProblems(s.newView(c, "ui.source.title", "name", ""), err)
	if err != nil {
		return err
	}
	if status == http.StatusPreconditionFailed {
		etag = "" // shown with the latest revision's: saving again replaces it, knowingly
	}
	return s.renderSource(c, status, &spec, fp, etag)
}

// Notice is a composition notice in the page's language (its English text when the catalogue
// lacks its key).
func (v *view) Notice(n assessments.Notice) string {
	if !v.L.Has(n.Key) {
		return n.Text
	}
	args := make([]string, 0, 2*len(n.Args))
	for k, a := range n.Args {
		args = append(args, k, a)
	}
	return v.L.T(n.Key, args...)
}
