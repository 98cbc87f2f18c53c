package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

// TestSignInExternal: a provider's user is found by issuer and subject, created once, its role
// and name follow the provider, and a name held by another user is never taken over.
func TestSignInExternal(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const iss = "https://idp.example.test/"
		if _, err := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal); err != nil {
			t.Fatal(err)
		}
		first, err := s.SignInExternal(ctx, iss, "sub-1", "maria", piaflow.RoleEngineer)
		if err != nil || !first.External() || first.Role != piaflow.RoleEngineer || first.ExternalID != store.ExternalID(iss, "sub-1") {
			t.Fatalf("first sign-in: %+v %v", first, err)
		}
		steps := []struct {
			name, issuer, subject, user, role string
			wantErr                           error
			wantID                            uint64
			wantName, wantRole                string
		}{
			{name: "role changed at the provider", issuer: iss, subject: "sub-1", user: "maria", role: piaflow.RoleAdmin, wantID: first.ID, wantName: "maria", wantRole: piaflow.RoleAdmin},
			{name: "renamed at the provider", issuer: iss, subject: "sub-1", user: "maria.k", role: piaflow.RoleAdmin, wantID: first.ID, wantName: "maria.k", wantRole: piaflow.RoleAdmin},
			{name: "renamed to a taken name: name kept", issuer: iss, subject: "sub-1", user: "lena", role: piaflow.RoleAdmin, wantID: first.ID, wantName: "maria.k", wantRole: piaflow.RoleAdmin},
			{name: "local user's name", issuer: iss, subject: "sub-2", user: "lena", role: piaflow.RoleAdmin, wantErr: piaflow.ErrConflict},
			{name: "same subject at another issuer", issuer: "https://other.example.test/", subject: "sub-1", user: "maria.k", role: piaflow.RoleSales, wantErr: piaflow.ErrConflict},
		}
		for _, st := range steps {
			u, err := s.SignInExternal(ctx, st.issuer, st.subject, st.user, st.role)
			if st.wantErr != nil {
				if !errors.Is(err, st.wantErr) {
					t.Fatalf("%s: %v, want %v", st.name, err, st.wantErr)
				}
				continue
			}
			if err != nil || u.ID != st.wantID || u.Name != st.wantName || u.Role != st.wantRole {
				t.Fatalf("%s: %+v %v", st.name, u, err)
			}
		}
		lena, err := s.UserByName(ctx, "lena")
		if err != nil || lena.External() || lena.Role != piaflow.RoleLegal {
			t.Fatalf("local user changed: %+v %v", lena, err)
		}
		events, err := s.AuditLog(ctx, "user", first.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		changes := 0
		for _, e := range events {
			if e.Action == "change_role" {
				changes++
			}
		}
		if changes != 1 {
			t.Fatalf("change_role events: %d, want 1 (%+v)", changes, events)
		}
	})
}
