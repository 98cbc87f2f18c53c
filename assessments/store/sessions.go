package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SessionTTL is how long a web UI session lasts after sign-in.
const SessionTTL = 12 * time.Hour

// Session is a signed-in web UI session. The browser holds a random secret in a cookie; only its
// SHA-256 is stored, with the CSRF token every form and unsafe request of the session must carry.
type Session struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	Hash      string    `gorm:"size:64;not null;uniqueIndex" json:"-"`
	UserID    uint64    `gorm:"not null;index" json:"user_id"`
	User      User      `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	CSRF      string    `gorm:"size:64;not null" json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `gorm:"not null;index" json:"expires_at"`
}

// randomSecret is 32 random bytes, base64url without padding.
func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashSession(secret string) string {
	sum := sha256.Sum256([]byte("session\x00" + secret))
	return hex.EncodeToString(sum[:])
}

// CreateSession signs a user in for SessionTTL and returns the session secret (for the cookie,
// shown only now) and the session with its CSRF token. Expired sessions are removed on the way.
// Errors: ErrNotFound (no such user).
func (s *Store) CreateSession(ctx context.Context, userID uint64) (string, Session, error) {
	secret, err := randomSecret()
	if err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	csrf, err := randomSecret()
	if err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	now := s.now()
	sess := Session{Hash: hashSession(secret), UserID: userID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("expires_at < ?", now).Delete(&Session{}).Error; err != nil {
			return err
		}
		if err := tx.First(&sess.User, userID).Error; err != nil {
			return err
		}
		return tx.Omit("User").Create(&sess).Error
	})
	if err != nil {
		return "", Session{}, translate(err, "create session")
	}
	return secret, sess, nil
}

// SessionBySecret returns the live session holding a secret, with its user. Errors: ErrNotFound
// (unknown, expired or signed-out session).
func (s *Store) SessionBySecret(ctx context.Context, secret string) (Session, error) {
	var sess Session
	if secret == "" {
		return sess, fmt.Errorf("session: %w", ErrNotFound)
	}
	err := s.db.WithContext(ctx).Preload("User").Where("hash = ? AND expires_at > ?", hashSession(secret), s.now()).First(&sess).Error
	return sess, translate(err, "session")
}

// DeleteSession signs a session out; an unknown secret is not an error.
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	err := s.db.WithContext(ctx).Where("hash = ?", hashSession(secret)).Delete(&Session{}).Error
	return translate(err, "delete session")
}
