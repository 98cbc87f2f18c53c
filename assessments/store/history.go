package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// RevisionHeaders lists a deployment's newest revisions, newest first, at most limit, without
// their documents (Document is empty), and how many it has.
func (s *Store) RevisionHeaders(ctx context.Context, deploymentID uint64, limit int) ([]piaflow.Revision, int64, error) {
	db := s.db.WithContext(ctx)
	var total int64
	if err := db.Model(&piaflow.Revision{}).Where("deployment_id = ?", deploymentID).Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count revisions")
	}
	var out []piaflow.Revision
	err := db.Omit("document").Where("deployment_id = ?", deploymentID).Order("number DESC").Limit(max(limit, 1)).Find(&out).Error
	return out, total, translate(err, "list revisions")
}

// AssessmentHeaders lists a deployment's newest assessment records, newest first, at most
// limit, without their results (Result is empty), and how many it has.
func (s *Store) AssessmentHeaders(ctx context.Context, deploymentID uint64, limit int) ([]piaflow.AssessmentRecord, int64, error) {
	db := s.db.WithContext(ctx)
	var total int64
	if err := db.Model(&piaflow.AssessmentRecord{}).Where("deployment_id = ?", deploymentID).Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count assessments")
	}
	var out []piaflow.AssessmentRecord
	err := db.Omit("result").Where("deployment_id = ?", deploymentID).Order("id DESC").Limit(max(limit, 1)).Find(&out).Error
	return out, total, translate(err, "list assessments")
}

// ReviewedHeaders lists a deployment's assessment records with a review decision (approved or
// rejected), the last decided first, at most limit, without their results, and how many it has.
func (s *Store) ReviewedHeaders(ctx context.Context, deploymentID uint64, limit int) ([]piaflow.AssessmentRecord, int64, error) {
	q := func() *gorm.DB {
		return s.db.WithContext(ctx).Model(&piaflow.AssessmentRecord{}).
			Where("deployment_id = ? AND review_state IN ? AND reviewed_at IS NOT NULL", deploymentID, []string{piaflow.ReviewApproved, piaflow.ReviewRejected})
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count reviews")
	}
	var out []piaflow.AssessmentRecord
	err := q().Omit("result").Order("reviewed_at DESC").Order("id DESC").Limit(max(limit, 1)).Find(&out).Error
	return out, total, translate(err, "list reviews")
}

// RevisionNumbers maps revision ids to their numbers (ids not stored are left out).
func (s *Store) RevisionNumbers(ctx context.Context, ids []uint64) (map[uint64]int, error) {
	out := make(map[uint64]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []piaflow.Revision
	if err := s.db.WithContext(ctx).Select("id", "number").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err, "revision numbers")
	}
	for _, r := range rows {
		out[r.ID] = r.Number
	}
	return out, nil
}

// UserNames names the users with the ids (UserName), each once.
func (s *Store) UserNames(ctx context.Context, ids []uint64) (map[uint64]string, error) {
	out := make(map[uint64]string, len(ids))
	for _, id := range ids {
		if _, ok := out[id]; ok {
			continue
		}
		name, err := userName(s.db.WithContext(ctx), id)
		if err != nil {
			return nil, translateObj(err, fmt.Sprintf("user %d", id), "user", "id", id)
		}
		out[id] = name
	}
	return out, nil
}
