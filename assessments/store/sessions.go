package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

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

// CreateSession signs a user in for piaflow.SessionTTL and returns the session secret (for the cookie,
// shown only now) and the session with its CSRF token. Expired sessions are removed on the way.
// Errors: ErrNotFound (no such user).
func (s *Store) CreateSession(ctx context.Context, userID uint64) (string, piaflow.Session, error) {
	secret, err := randomSecret()
	if err != nil {
		return "", piaflow.Session{}, fmt.Errorf("create session: %w", err)
	}
	csrf, err := randomSecret()
	if err != nil {
		return "", piaflow.Session{}, fmt.Errorf("create session: %w", err)
	}
	now := s.now()
	sess := piaflow.Session{Hash: hashSession(secret), UserID: userID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(piaflow.SessionTTL)}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("expires_at < ?", now).Delete(&piaflow.Session{}).Error; err != nil {
			return err
		}
		if err := tx.First(&sess.User, userID).Error; err != nil {
			return err
		}
		return tx.Omit("User").Create(&sess).Error
	})
	if err != nil {
		return "", piaflow.Session{}, translate(err, "create session")
	}
	return secret, sess, nil
}

// SessionBySecret returns the live session holding a secret, with its user. Errors: ErrNotFound
// (unknown, expired or signed-out session).
func (s *Store) SessionBySecret(ctx context.Context, secret string) (piaflow.Session, error) {
	var sess piaflow.Session
	if secret == "" {
		return sess, fmt.Errorf("session: %w", piaflow.ErrNotFound)
	}
	err := s.db.WithContext(ctx).Preload("User").Where("hash = ? AND expires_at > ?", hashSession(secret), s.now()).First(&sess).Error
	return sess, translate(err, "session")
}

// DeleteSession signs a session out; an unknown secret is not an error.
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	err := s.db.WithContext(ctx).Where("hash = ?", hashSession(secret)).Delete(&piaflow.Session{}).Error
	return translate(err, "delete session")
}
