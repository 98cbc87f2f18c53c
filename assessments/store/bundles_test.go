package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

// TestPolicyBundles: a bundle's fingerprint is kept once (a second save of the same digest,
// from another server process, changes nothing) and read back by digest; an unknown digest is
// ErrNotFound.
func TestPolicyBundles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.SavePolicyBundle(ctx, "sha256:aaa", "2026.12.3", []byte(`{"digest":"sha256:aaa"}`)); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePolicyBundle(ctx, "sha256:aaa", "2026.12.3", []byte(`{"other":true}`)); err != nil {
			t.Fatalf("second save: %v", err)
		}
		got, err := s.PolicyBundle(ctx, "sha256:aaa")
		if err != nil || string(got) != `{"digest":"sha256:aaa"}` {
			t.Errorf("kept %s, %v", got, err)
		}
		if _, err := s.PolicyBundle(ctx, "sha256:bbb"); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("unknown digest: %v", err)
		}
	})
}
