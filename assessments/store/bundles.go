package store

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// policyBundle is a policy bundle assessments were evaluated with (migration 14).
type policyBundle = policyBundleV14

// SavePolicyBundle keeps the fingerprint (JSON) of the policy bundle with digest, unless one is
// kept already: a bundle's fingerprint never changes, and every server process of a database
// saves its own once.
func (s *Store) SavePolicyBundle(ctx context.Context, digest, version string, fingerprint []byte) error {
	b := policyBundle{Digest: digest, Version: version, Fingerprint: string(fingerprint), CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&b).Error
	return translate(err, fmt.Sprintf("save policy bundle %.12s", digest))
}

// PolicyBundle returns the fingerprint (JSON) kept for the policy bundle with digest. Errors:
// ErrNotFound (none was kept: assessments of a piaflow before it kept them).
func (s *Store) PolicyBundle(ctx context.Context, digest string) ([]byte, error) {
	var b policyBundle
	err := s.db.WithContext(ctx).Where("digest = ?", digest).Take(&b).Error
	if err != nil {
		return nil, translate(err, fmt.Sprintf("policy bundle %.12s", digest))
	}
	return []byte(b.Fingerprint), nil
}
