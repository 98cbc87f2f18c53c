package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// UserByID returns a user. Errors: ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id uint64) (piaflow.User, error) {
	var u piaflow.User
	err := s.db.WithContext(ctx).First(&u, id).Error
	return u, translateObj(err, fmt.Sprintf("user %d", id), "user", "id", id)
}

// UsersByRole lists the users holding a role, by id.
func (s *Store) UsersByRole(ctx context.Context, role string) ([]piaflow.User, error) {
	var out []piaflow.User
	err := s.db.WithContext(ctx).Where("role = ?", role).Order("id").Find(&out).Error
	return out, translate(err, "users of role "+role)
}

// SetNotifications changes a user's notification settings (checked before: Validate); nil
// fields stay. Errors: ErrNotFound.
func (s *Store) SetNotifications(ctx context.Context, actor *piaflow.User, id uint64, n piaflow.NotificationSettings) (piaflow.User, error) {
	var u piaflow.User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, id).Error; err != nil {
			return err
		}
		var changes []string
		if n.Email != nil {
			u.Email = strings.TrimSpace(*n.Email)
			changes = append(changes, "email")
		}
		if n.Language != nil {
			u.Language = *n.Language
			changes = append(changes, "language "+u.Language)
		}
		if n.NotificationsOff != nil {
			u.NotificationsOff = *n.NotificationsOff
			changes = append(changes, fmt.Sprintf("notifications_off %t", u.NotificationsOff))
		}
		if err := tx.Model(&u).Select("email", "language", "notifications_off").Updates(&u).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "update_notifications", "user", u.ID, strings.Join(changes, ", "))
	})
	return u, translate(err, fmt.Sprintf("notification settings of user %d", id))
}

// DueActions lists the actions still open or in progress, assigned to someone, with a due day
// on or before until (YYYY-MM-DD), of deployments not archived, by due day then id.
func (s *Store) DueActions(ctx context.Context, until string) ([]piaflow.Action, error) {
	var out []piaflow.Action
	err := s.db.WithContext(ctx).
		Where("status IN ? AND assignee <> '' AND due <> '' AND due <= ?", []string{piaflow.ActionOpen, piaflow.ActionInProgress}, until).
		Where("deployment_id IN (?)", s.db.Model(&piaflow.Deployment{}).Select("id").Where("status <> ?", piaflow.DeploymentArchived)).
		Order("due, id").Find(&out).Error
	return out, translate(err, "due actions")
}

// ClaimDigest records that user id's digest of day (YYYY-MM-DD) is being sent and reports
// whether this call claimed it: false when it was already claimed that day, so the digest is
// sent once a day however often it runs.
func (s *Store) ClaimDigest(ctx context.Context, id uint64, day string) (bool, error) {
	res := s.db.WithContext(ctx).Model(&piaflow.User{}).
		Where("id = ? AND (last_digest IS NULL OR last_digest <> ?)", id, day).Update("last_digest", day)
	if res.Error != nil {
		return false, translate(res.Error, fmt.Sprintf("claim digest of user %d", id))
	}
	return res.RowsAffected == 1, nil
}
