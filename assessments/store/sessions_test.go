package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

func TestSessions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		lena, err := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
		if err != nil {
			t.Fatal(err)
		}
		secret, sess, err := s.CreateSession(ctx, lena.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(secret) != 43 || sess.Hash == secret || len(sess.CSRF) != 43 || sess.CSRF == secret {
			t.Errorf("secret %q, session %+v", secret, sess)
		}
		if d := sess.ExpiresAt.Sub(sess.CreatedAt); d != piaflow.SessionTTL {
			t.Errorf("session lasts %v, want %v", d, piaflow.SessionTTL)
		}
		got, err := s.SessionBySecret(ctx, secret)
		if err != nil || got.User.Name != "lena" || got.User.Role != piaflow.RoleLegal || got.CSRF != sess.CSRF {
			t.Fatalf("session by secret: %+v, %v", got, err)
		}
		for _, bad := range []string{"", secret + "x", sess.Hash} {
			if _, err := s.SessionBySecret(ctx, bad); !errors.Is(err, piaflow.ErrNotFound) {
				t.Errorf("secret %q: %v, want piaflow.ErrNotFound", bad, err)
			}
		}
		other, _, err := s.CreateSession(ctx, lena.ID)
		if err != nil || other == secret {
			t.Fatalf("second session: %q, %v", other, err)
		}
		if err := s.DeleteSession(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionBySecret(ctx, secret); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("signed-out session: %v, want piaflow.ErrNotFound", err)
		}
		if _, err := s.SessionBySecret(ctx, other); err != nil {
			t.Errorf("signing out one session ended another: %v", err)
		}
		if err := s.DeleteSession(ctx, "unknown"); err != nil {
			t.Errorf("signing out an unknown session: %v", err)
		}
		// revoking one of lena's tokens ends her sessions
		_, tok, err := s.CreateToken(ctx, nil, "lena", "laptop")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, nil, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionBySecret(ctx, other); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("a session outlived the revoked token: %v", err)
		}
		if _, _, err := s.CreateSession(ctx, 9999); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("session of an unknown user: %v, want piaflow.ErrNotFound", err)
		}
	})
}
