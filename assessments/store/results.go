package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"unsafe"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/piaflow/piaflow"
)

// assessmentResult is one assessment result, kept once under its SHA-256 (migration 16).
type assessmentResult = assessmentResultV16

// keepResult stores a's result in assessment_results unless a result with the same digest is
// kept already, and returns the record to insert: a's, with ResultDigest set and Result empty.
// Results are never deleted (assessment records are not), so a digest stays valid once
// written; two transactions keeping the same result at once both succeed (the second does
// nothing, or waits for the first on PostgreSQL). A record read from the store with its result
// (its ResultDigest set, the digest of that result) is recorded again without writing the
// result: it is kept already.
func (s *Store) keepResult(tx *gorm.DB, a piaflow.AssessmentRecord) (piaflow.AssessmentRecord, error) {
	if a.Result == "" {
		return a, nil
	}
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(a.Result), len(a.Result))) // read only, not copied
	digest := hex.EncodeToString(sum[:])
	if a.ResultDigest != digest {
		r := assessmentResult{Digest: digest, Body: a.Result, CreatedAt: s.now()}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
			return a, fmt.Errorf("keep assessment result: %w", err)
		}
	}
	a.ResultDigest, a.Result = digest, ""
	return a, nil
}

// withResult completes the read of the whole record a that ended with err: on success it fills
// in a's result (fillResult).
func withResult(tx *gorm.DB, a *piaflow.AssessmentRecord, err error) error {
	if err != nil {
		return err
	}
	return fillResult(tx, a)
}

// fillResult reads the result of record a kept in assessment_results (a record stored before
// migration 16 holds its own).
func fillResult(tx *gorm.DB, a *piaflow.AssessmentRecord) error {
	if a.Result != "" || a.ResultDigest == "" {
		return nil
	}
	body, err := resultBody(tx, a.ResultDigest)
	if err != nil {
		return fmt.Errorf("read result %.12s of assessment %d: %w", a.ResultDigest, a.ID, err)
	}
	a.Result = body
	return nil
}

// resultBody reads the result kept under digest.
func resultBody(db *gorm.DB, digest string) (string, error) {
	var r assessmentResult
	err := db.Where("digest = ?", digest).Take(&r).Error
	return r.Body, err
}

// Result returns the assessment result kept under digest (piaflow.AssessmentRecord.ResultDigest).
// Errors: ErrNotFound.
func (s *Store) Result(ctx context.Context, digest string) (string, error) {
	body, err := resultBody(s.db.WithContext(ctx), digest)
	return body, translate(err, fmt.Sprintf("no assessment result %.12s", digest))
}
