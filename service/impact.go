package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// change is a Change read and checked: what it replaces and which deployments it touches.
type change struct {
	piaflow.Change
	product   *assessments.Product             // ChangeProduct with a proposed profile
	processor *assessments.RegisteredProcessor // ChangeProcessor with a proposed entry
	spec      *assessments.DeploymentSpec      // ChangeSpec
}

// readChange checks a change's kind and parameters and parses what it proposes. Errors:
// ErrInvalid naming the field, *assessments.ValidationError (a proposed document), ErrNotFound
// (a product version, register entry or deployment it names).
func (s *Service) readChange(ctx context.Context, ch piaflow.Change) (change, error) {
	c := change{Change: ch}
	invalid := func(field, code string, args ...string) (change, error) {
		problem := piaflow.ProblemRequired
		if field == "kind" {
			problem = piaflow.ProblemUnknown
		}
		return c, piaflow.Invalid(assessments.FieldProblem(field, problem, code, args...))
	}
	switch ch.Kind {
	case piaflow.ChangeProduct:
		if len(ch.ProductDocument) > 0 {
			p, err := assessments.ParseProduct(ch.ProductDocument)
			if err != nil {
				return c, err
			}
			if err := s.checkRegisterNames(ctx, p); err != nil {
				return c, err
			}
			c.product, c.Product, c.Version = p, p.Name, p.Version
			return c, nil
		}
		if strings.TrimSpace(ch.Product) == "" || strings.TrimSpace(ch.Version) == "" {
			return invalid("product", "change.product")
		}
		v, err := s.st.ProductVersion(ctx, ch.Product, ch.Version)
		if err != nil {
			return c, err
		}
		c.Product, c.Version = v.Name, v.Version
	case piaflow.ChangeProcessor:
		if len(ch.ProcessorDocument) > 0 {
			e, err := assessments.ParseProcessor(ch.ProcessorDocument)
			if err != nil {
				return c, err
			}
			c.processor, c.Processor = e, e.Name
			return c, nil
		}
		if strings.TrimSpace(ch.Processor) == "" {
			return invalid("processor", "change.processor")
		}
		v, err := s.st.Processor(ctx, ch.Processor, 0)
		if err != nil {
			return c, err
		}
		c.Processor = v.Name
	case piaflow.ChangeSpec:
		if ch.DeploymentID == 0 {
			return invalid("deployment_id", "change.deployment")
		}
		if len(ch.Spec) == 0 {
			return invalid("spec", "change.spec")
		}
		spec, err := assessments.ParseDeploymentSpec(ch.Spec)
		if err != nil {
			return c, err
		}
		c.spec = spec
	default:
		return invalid("kind", "not_in_vocabulary", "value", strconv.Quote(string(ch.Kind)), "allowed", "product, processor, spec")
	}
	return c, nil
}

// touchedPage lists the active deployments change c touches after the cursor, at most limit,
// and how many it touches in all.
func (s *Service) touchedPage(ctx context.Context, c change, after uint64, limit int) ([]uint64, int64, error) {
	switch c.Kind {
	case piaflow.ChangeProduct:
		ids, err := s.st.ProductDeploymentIDs(ctx, c.Product, c.version(), after, limit)
		if err != nil {
			return nil, 0, err
		}
		n, err := s.st.CountProductDeployments(ctx, c.Product, c.version())
		return ids, n, err
	case piaflow.ChangeProcessor:
		ids, err := s.st.ProcessorDeploymentIDs(ctx, c.Processor, after, limit)
		if err != nil {
			return nil, 0, err
		}
		n, err := s.st.CountProcessorDeployments(ctx, c.Processor)
		return ids, n, err
	default: // ChangeSpec
		if c.DeploymentID <= after {
			return nil, 1, nil
		}
		return []uint64{c.DeploymentID}, 1, nil
	}
}

// version is the product version a product change moves to; a proposed profile is compared as
// a new version even when its number is stored (its deployments on that number are touched too).
func (c change) version() string {
	if c.product != nil {
		return ""
	}
	return c.Version
}

// spec is the spec deployment d is composed from under change c (the stored one, changed as c
// says). ErrNotFound: d is not built from a product.
func (s *Service) specUnder(ctx context.Context, c change, deploymentID uint64) (*assessments.DeploymentSpec, error) {
	if c.spec != nil {
		return c.spec, nil
	}
	src, err := s.st.Source(ctx, deploymentID)
	if err != nil {
		return nil, err
	}
	spec, err := assessments.ParseDeploymentSpec([]byte(src.Spec))
	if err != nil {
		return nil, fmt.Errorf("stored spec of deployment %d: %w", deploymentID, err)
	}
	if c.Kind == piaflow.ChangeProduct {
		spec.Product.Version = c.Version
	}
	return spec, nil
}

// Impact lists what change ch does to the deployments it touches, a page at a time (after: the
// cursor, 0 the first page; limit ≤ piaflow.MaxImpactPage, 0 piaflow.DefaultImpactPage): for
// each, composed and assessed under the change with today's law, its current verdict, the
// verdict it would get and the findings added and resolved against its latest assessment.
// Nothing is stored. Errors: ErrForbidden, ErrRateLimited, ErrInvalid and
// *assessments.ValidationError (the change), ErrNotFound (what it names), the store's and the
// evaluation's.
func (s *Service) Impact(ctx context.Context, u piaflow.User, ch piaflow.Change, after uint64, limit int) (piaflow.Impact, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return piaflow.Impact{}, err
	}
	if limit <= 0 {
		limit = piaflow.DefaultImpactPage
	}
	if limit > piaflow.MaxImpactPage {
		return piaflow.Impact{}, piaflow.Invalid(assessments.FieldProblem("limit", piaflow.ProblemTooLarge, "impact.limit",
			"value", strconv.Itoa(limit), "max", strconv.Itoa(piaflow.MaxImpactPage)))
	}
	if err := s.limits.evaluate.allow(u); err != nil {
		return piaflow.Impact{}, err
	}
	c, err := s.readChange(ctx, ch)
	if err != nil {
		return piaflow.Impact{}, err
	}
	ids, total, err := s.touchedPage(ctx, c, after, limit+1)
	if err != nil {
		return piaflow.Impact{}, err
	}
	out := piaflow.Impact{Change: c.Change, Total: int(total), Entries: []piaflow.ImpactEntry{}}
	out.Change.ProductDocument, out.Change.ProcessorDocument, out.Change.Spec = nil, nil, nil
	if len(ids) > limit {
		ids = ids[:limit]
		out.Next = ids[len(ids)-1]
	}
	comp := s.newComposer()
	if c.product != nil {
		comp.proposeProduct(c.product)
	}
	if c.processor != nil {
		comp.proposeProcessor(c.processor)
	}
	// The deployments are assessed in parallel, one worker a CPU: a page of MaxImpactPage takes
	// seconds, not minutes (docs/limits.md).
	out.Entries = make([]piaflow.ImpactEntry, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, id := range ids {
		g.Go(func() error {
			e, err := s.impactOn(gctx, comp, c, id)
			if err != nil {
				return fmt.Errorf("impact on deployment %d: %w", id, err)
			}
			out.Entries[i] = e
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return piaflow.Impact{}, err
	}
	return out, nil
}

// impactOn is the impact list's entry of deployment id. A deployment the change cannot compose
// gets an entry with its Error; the store's and the evaluation's errors are returned.
func (s *Service) impactOn(ctx context.Context, comp *composer, c change, id uint64) (piaflow.ImpactEntry, error) {
	d, err := s.st.Deployment(ctx, id)
	if err != nil {
		return piaflow.ImpactEntry{}, err
	}
	e := piaflow.ImpactEntry{DeploymentID: d.ID, Name: d.Name, Customer: d.Customer, VerdictBefore: d.Verdict,
		Added: []piaflow.ImpactFinding{}, Resolved: []piaflow.ImpactFinding{}}
	spec, err := s.specUnder(ctx, c, id)
	if errors.Is(err, piaflow.ErrNotFound) {
		e.Error = "the deployment is not built from a product (its questionnaire stands alone): push a spec for it first"
		return e, nil
	}
	if err != nil {
		return e, err
	}
	composition, _, err := comp.compose(ctx, spec)
	var ve *assessments.ValidationError
	if errors.As(err, &ve) {
		e.Error = "cannot be composed under this change: " + ve.Error()
		return e, nil
	}
	if err != nil {
		return e, err
	}
	a, err := s.ev.Assess(ctx, composition.Questionnaire, time.Time{})
	if err != nil {
		return e, err
	}
	e.VerdictAfter = a.Verdict
	prev, err := s.latest(ctx, id)
	if err != nil {
		return e, err
	}
	if prev == nil {
		e.VerdictBefore = ""
		for _, f := range a.Findings {
			e.Added = append(e.Added, impactFinding(f))
		}
		return e, nil
	}
	before, err := DecodeResult(*prev)
	if err != nil {
		return e, err
	}
	e.VerdictBefore = before.Verdict
	diff := assessments.Compare(before, a)
	for _, f := range diff.Added {
		e.Added = append(e.Added, impactFinding(f))
	}
	for _, f := range diff.Resolved {
		e.Resolved = append(e.Resolved, impactFinding(f))
	}
	if r, err := s.st.RevisionByID(ctx, prev.RevisionID); err == nil {
		doc, err := json.Marshal(composition.Questionnaire)
		if err != nil {
			return e, fmt.Errorf("encode questionnaire: %w", err)
		}
		if ad, err := assessments.CompareAnswerDocuments(r.Document, string(doc), 0); err == nil {
			e.AnswersChanged = len(ad.Changes) + ad.More
		}
	}
	return e, nil
}

func impactFinding(f assessments.Finding) piaflow.ImpactFinding {
	return piaflow.ImpactFinding{ID: f.ID, Key: f.Key, Severity: f.Severity, Title: f.Title, TitleMsg: f.TitleMsg}
}
