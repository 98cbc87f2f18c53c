package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// ExternalID is the User.ExternalID of the person an OpenID provider (issuer) names subject.
func ExternalID(issuer, subject string) string {
	sum := sha256.Sum256([]byte("oidc\x00" + issuer + "\x00" + subject))
	return hex.EncodeToString(sum[:])
}

// SignInExternal finds or creates the user an OpenID provider signed in (by issuer and subject,
// never by name), gives it role and, when free, name, and records the sign-in in the audit log.
// A new user's name must not be taken: a user created in piaflow is never taken over by a
// provider's user of the same name. Errors: ErrConflict (name taken by another user).
func (s *Store) SignInExternal(ctx context.Context, issuer, subject, name, role string) (piaflow.User, error) {
	ext := ExternalID(issuer, subject)
	var u piaflow.User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("external_id = ?", ext).First(&u).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			var n int64
			if err := tx.Model(&piaflow.User{}).Where("name = ?", name).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return piaflow.MsgError(piaflow.ErrConflict, "", "error.oidc_user_exists", "name", strconv.Quote(name))
			}
			u = piaflow.User{Name: name, Role: role, ExternalID: ext}
			if err := tx.Create(&u).Error; err != nil {
				return err
			}
			if err := s.audit(tx, &u, "create_user", "user", u.ID, role+" (OpenID Connect)"); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			updates := map[string]any{}
			if u.Role != role {
				updates["role"] = role
				if err := s.audit(tx, &u, "change_role", "user", u.ID, u.Role+" -> "+role+" (OpenID Connect)"); err != nil {
					return err
				}
			}
			if u.Name != name {
				var n int64
				if err := tx.Model(&piaflow.User{}).Where("name = ?", name).Count(&n).Error; err != nil {
					return err
				}
				if n == 0 {
					updates["name"] = name
				}
			}
			if len(updates) > 0 {
				if err := tx.Model(&u).Updates(updates).Error; err != nil {
					return err
				}
				if err := tx.First(&u, u.ID).Error; err != nil {
					return err
				}
			}
		}
		return s.audit(tx, &u, "sign_in_oidc", "user", u.ID, role)
	})
	var pe *piaflow.Error
	if errors.As(err, &pe) {
		return piaflow.User{}, fmt.Errorf("sign in %s: %w", name, err)
	}
	return u, translate(err, "sign in "+name)
}
