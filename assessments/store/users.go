package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// tokenPrefix marks piaflow tokens so secret scanners can recognise them.
const tokenPrefix = "pf_"

// CreateUser adds a user (piaflow.ValidateUser checks the input first). A nil actor is the
// system. Errors: ErrConflict (name taken).
func (s *Store) CreateUser(ctx context.Context, actor *piaflow.User, name, role string) (piaflow.User, error) {
	u := piaflow.User{Name: name, Role: role}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "create_user", "user", u.ID, role)
	})
	return u, translateNew(err, "create user "+name, "user", "name", name)
}

// UserByName returns a user. Errors: ErrNotFound.
func (s *Store) UserByName(ctx context.Context, name string) (piaflow.User, error) {
	var u piaflow.User
	err := s.db.WithContext(ctx).Where("name = ?", name).First(&u).Error
	return u, translateObj(err, "user "+name, "user_named", "name", name)
}

// UserName names the user with an id: piaflow.System's name for id 0 (what piaflow did itself),
// "user <id>" for a user no longer stored. Errors: only the database's.
func (s *Store) UserName(ctx context.Context, id uint64) (string, error) {
	name, err := userName(s.db.WithContext(ctx), id)
	return name, translateObj(err, fmt.Sprintf("user %d", id), "user", "id", id)
}

// userName is UserName inside a transaction.
func userName(tx *gorm.DB, id uint64) (string, error) {
	if id == 0 {
		return piaflow.System.Name, nil
	}
	var u piaflow.User
	err := tx.Select("name").Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Sprintf("user %d", id), nil
	}
	return u.Name, err
}

// CreateToken issues a random API token for a user and returns it; only its hash is stored, so
// this is the only time it can be seen. Errors: ErrNotFound (no such user).
func (s *Store) CreateToken(ctx context.Context, actor *piaflow.User, userName, label string) (string, piaflow.Token, error) {
	u, err := s.UserByName(ctx, userName)
	if err != nil {
		return "", piaflow.Token{}, fmt.Errorf("create token: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", piaflow.Token{}, fmt.Errorf("create token: %w", err)
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := piaflow.Token{UserID: u.ID, Hash: hashToken(secret), Label: label}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "issue_token", "user", u.ID, label)
	})
	if err != nil {
		return "", piaflow.Token{}, translate(err, "create token")
	}
	return secret, t, nil
}

// Authenticate returns the user holding a token. Errors: ErrNotFound (unknown or revoked token).
func (s *Store) Authenticate(ctx context.Context, secret string) (piaflow.User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return piaflow.User{}, fmt.Errorf("authenticate: %w", piaflow.ErrNotFound)
	}
	var t piaflow.Token
	err := s.db.WithContext(ctx).Preload("User").Where("hash = ? AND revoked_at IS NULL", hashToken(secret)).First(&t).Error
	if err != nil {
		return piaflow.User{}, translate(err, "authenticate")
	}
	// last_used_at is kept to the minute: a write per request would serialise every request on
	// SQLite's single writer.
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		// best effort: a busy database must not turn a valid token into a refusal
		_ = s.db.WithContext(ctx).Model(&t).Update("last_used_at", now).Error
	}
	return t.User, nil
}

// RevokeToken revokes a token by id and ends its user's web UI sessions. Errors: ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, actor *piaflow.User, id uint64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&piaflow.Token{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		// Sessions do not record which token signed them in: end all of the user's web UI
		// sessions, so a leaked token stops working in the browser too.
		var t piaflow.Token
		if err := tx.Select("user_id").First(&t, id).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", t.UserID).Delete(&piaflow.Session{}).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "revoke_token", "token", id, "")
	})
	return translate(err, fmt.Sprintf("revoke token %d", id))
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
