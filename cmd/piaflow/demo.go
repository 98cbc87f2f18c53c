package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/examples"
)

// seedDemo fills an empty database with one user per role (their tokens are printed) and the
// example questionnaires as evaluated deployments. A database that has users is left alone.
func seedDemo(ctx context.Context, st *store.Store, ev *assessments.Evaluator, out io.Writer) error {
	if _, err := st.UserByName(ctx, "demo-admin"); err == nil {
		fmt.Fprintln(out, "demo data: already loaded")
		return nil
	}
	if list, total, err := st.Deployments(ctx, piaflow.DeploymentFilter{Limit: 1}); err != nil || total > 0 || len(list) > 0 {
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "demo data: the database holds deployments already; not seeding")
		return nil
	}
	users := map[string]piaflow.User{}
	fmt.Fprintln(out, "demo users (tokens shown once):")
	for _, role := range piaflow.Roles() {
		u, err := st.CreateUser(ctx, nil, "demo-"+role, role)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		users[role] = u
		secret, _, err := st.CreateToken(ctx, nil, u.Name, "demo")
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		fmt.Fprintf(out, "  %-14s %s\n", u.Name, secret)
	}
	eng := users[piaflow.RoleEngineer]
	paths, err := fs.Glob(examples.FS, "*.yaml")
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	for _, p := range paths {
		b, err := examples.FS.ReadFile(p)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		q, err := assessments.Parse(b)
		if err != nil {
			return fmt.Errorf("seed demo: %s: %w", p, err)
		}
		d, err := st.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry})
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		doc, err := json.Marshal(q)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		r, err := st.SaveRevision(ctx, &eng, d.ID, "", doc, false)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		a, err := ev.Assess(ctx, q, time.Time{})
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		result, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		rec := piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: a.PolicyVersion, PolicyDigest: a.PolicyDigest, AsOf: a.AsOf, Verdict: a.Verdict, Result: string(result)}
		if _, err := st.SaveAssessment(ctx, &eng, rec, a.Actions()); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	fmt.Fprintf(out, "demo data: %d example deployments loaded and evaluated\n", len(paths))
	return nil
}
