package service

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/examples"
)

// DemoUser is a user the demo seed created, with its API token (shown once).
type DemoUser struct {
	Name, Role, Token string
}

// Demo is what SeedDemo did.
type Demo struct {
	// Skipped says why nothing was loaded ("" when the demo was loaded).
	Skipped string
	// Users are the users created, one per role, in the order of piaflow.Roles.
	Users []DemoUser
	// Deployments counts the example deployments loaded and evaluated.
	Deployments int
}

// SeedDemo fills an empty database with one user per role (named demo-<role>, each with a
// token) and the example questionnaires as deployments created, saved and evaluated by the
// demo engineer. A database that has the demo users or any deployment is left alone. It acts
// as piaflow.System.
func (s *Service) SeedDemo(ctx context.Context) (Demo, error) {
	if _, err := s.st.UserByName(ctx, "demo-admin"); err == nil {
		return Demo{Skipped: "already loaded"}, nil
	}
	if _, total, err := s.st.Deployments(ctx, piaflow.DeploymentFilter{Limit: 1}); err != nil || total > 0 {
		if err != nil {
			return Demo{}, fmt.Errorf("seed demo: %w", err)
		}
		return Demo{Skipped: "the database holds deployments already; not seeding"}, nil
	}
	var out Demo
	users := map[string]piaflow.User{}
	for _, role := range piaflow.Roles() {
		u, err := s.CreateUser(ctx, piaflow.System, "demo-"+role, role)
		if err != nil {
			return out, fmt.Errorf("seed demo: %w", err)
		}
		secret, _, err := s.CreateToken(ctx, piaflow.System, u.Name, "demo")
		if err != nil {
			return out, fmt.Errorf("seed demo: %w", err)
		}
		users[role] = u
		out.Users = append(out.Users, DemoUser{Name: u.Name, Role: role, Token: secret})
	}
	eng := users[piaflow.RoleEngineer]
	paths, err := fs.Glob(examples.FS, "*.yaml")
	if err != nil {
		return out, fmt.Errorf("seed demo: %w", err)
	}
	for _, p := range paths {
		b, err := examples.FS.ReadFile(p)
		if err != nil {
			return out, fmt.Errorf("seed demo: %w", err)
		}
		q, err := assessments.Parse(b)
		if err != nil {
			return out, fmt.Errorf("seed demo: %s: %w", p, err)
		}
		d, err := s.CreateDeployment(ctx, eng, piaflow.Deployment{Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry})
		if err != nil {
			return out, fmt.Errorf("seed demo: %w", err)
		}
		if _, err := s.submit(ctx, eng, d.ID, "", b); err != nil {
			return out, fmt.Errorf("seed demo: %s: %w", p, err)
		}
		out.Deployments++
	}
	n, err := s.seedProducts(ctx, eng)
	out.Deployments += n
	if err != nil {
		return out, fmt.Errorf("seed demo: %w", err)
	}
	return out, nil
}

// seedProducts loads the example processor register, the ERP product in versions 3.0 and 3.1,
// and the example deployments of 3.0 (so that 3.1's impact list has something to show); it
// returns how many deployments it created.
func (s *Service) seedProducts(ctx context.Context, eng piaflow.User) (int, error) {
	read := func(name string) ([]byte, error) { return examples.FS.ReadFile("products/" + name) }
	b, err := read("processors.yaml")
	if err != nil {
		return 0, err
	}
	if _, err := s.PushProcessors(ctx, eng, b); err != nil {
		return 0, fmt.Errorf("processors.yaml: %w", err)
	}
	for _, f := range []string{"erp-suite.yaml", "erp-suite-3.1.yaml"} {
		b, err := read(f)
		if err != nil {
			return 0, err
		}
		if _, _, err := s.PushProduct(ctx, eng, b); err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
	}
	specs, err := fs.Glob(examples.FS, "products/deployments/*.yaml")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range specs {
		b, err := examples.FS.ReadFile(p)
		if err != nil {
			return n, err
		}
		if _, err := s.pushSpec(ctx, eng, 0, "", b); err != nil {
			return n, fmt.Errorf("%s: %w", p, err)
		}
		n++
	}
	return n, nil
}
