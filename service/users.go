package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow"
)

// Authenticate returns the user holding an API token. Errors: ErrNotFound (unknown or revoked
// token).
func (s *Service) Authenticate(ctx context.Context, token string) (piaflow.User, error) {
	return s.st.Authenticate(ctx, token)
}

// SignIn opens a web UI session for the holder of an API token (when name is given, the token
// must be that user's) and ends the browser's previous session (old, its secret, may be
// empty). It returns the new session's secret, shown only now. Errors: ErrNotFound (unknown
// or revoked token, or another user's).
func (s *Service) SignIn(ctx context.Context, token, name, old string) (string, piaflow.User, error) {
	u, err := s.st.Authenticate(ctx, strings.TrimSpace(token))
	if err != nil {
		return "", u, err
	}
	if name = strings.TrimSpace(name); name != "" && name != u.Name {
		return "", piaflow.User{}, piaflow.MsgError(piaflow.ErrNotFound, "", "error.token_not_users", "name", name)
	}
	if old != "" {
		if err := s.st.DeleteSession(ctx, old); err != nil {
			return "", u, err
		}
	}
	secret, _, err := s.st.CreateSession(ctx, u.ID)
	return secret, u, err
}

// SignInExternal signs in the person an OpenID provider (issuer) verified as subject, with the
// name and the role mapped from its claims: the user is found by issuer and subject (created on
// first sign-in, its role and name updated later), the sign-in audited, the browser's old session
// (old, may be empty) ended and a new session's secret returned. Errors: ErrInvalid (name or role),
// ErrConflict (a user created in piaflow has the name).
func (s *Service) SignInExternal(ctx context.Context, issuer, subject, name, role, old string) (string, piaflow.User, error) {
	if err := piaflow.ValidateUser(name, role); err != nil {
		return "", piaflow.User{}, err
	}
	u, err := s.st.SignInExternal(ctx, issuer, subject, strings.TrimSpace(name), role)
	if err != nil {
		return "", u, err
	}
	if old != "" {
		if err := s.st.DeleteSession(ctx, old); err != nil {
			return "", u, err
		}
	}
	secret, _, err := s.st.CreateSession(ctx, u.ID)
	return secret, u, err
}

// Session returns the live web UI session holding a secret, with its user. Errors:
// ErrNotFound (unknown, expired or signed-out session).
func (s *Service) Session(ctx context.Context, secret string) (piaflow.Session, error) {
	return s.st.SessionBySecret(ctx, secret)
}

// SignOut ends a web UI session; an unknown secret is not an error.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	return s.st.DeleteSession(ctx, secret)
}

// CreateUser adds a user. Errors: ErrForbidden, ErrInvalid (name or role), ErrConflict (name
// taken).
func (s *Service) CreateUser(ctx context.Context, by piaflow.User, name, role string) (piaflow.User, error) {
	if err := piaflow.Authorize(by, piaflow.CapManageUsers); err != nil {
		return piaflow.User{}, err
	}
	if err := piaflow.ValidateUser(name, role); err != nil {
		return piaflow.User{}, err
	}
	return s.st.CreateUser(ctx, actor(by), strings.TrimSpace(name), role)
}

// User returns a user by name. Errors: ErrForbidden, ErrNotFound.
func (s *Service) User(ctx context.Context, by piaflow.User, name string) (piaflow.User, error) {
	if err := piaflow.Authorize(by, piaflow.CapManageUsers); err != nil {
		return piaflow.User{}, err
	}
	return s.st.UserByName(ctx, name)
}

// CreateToken issues an API token for a user and returns it: only its hash is kept, so this is
// the only time it can be seen. Errors: ErrForbidden, ErrInvalid (label or name), ErrNotFound
// (no such user).
func (s *Service) CreateToken(ctx context.Context, by piaflow.User, userName, label string) (string, piaflow.Token, error) {
	if err := piaflow.Authorize(by, piaflow.CapManageUsers); err != nil {
		return "", piaflow.Token{}, err
	}
	if err := piaflow.Invalid(piaflow.Problems(piaflow.CheckText("label", label, piaflow.MaxLabelLength), piaflow.CheckText("name", userName, piaflow.MaxUserNameLength))...); err != nil {
		return "", piaflow.Token{}, err
	}
	secret, t, err := s.st.CreateToken(ctx, actor(by), userName, label)
	if errors.Is(err, piaflow.ErrNotFound) {
		return "", t, piaflow.MsgKind(piaflow.ErrNotFound, "error.no_user", "name", strconv.Quote(userName))
	}
	return secret, t, err
}

// RevokeToken revokes a token and ends its user's web UI sessions. Errors: ErrForbidden,
// ErrNotFound.
func (s *Service) RevokeToken(ctx context.Context, by piaflow.User, id uint64) error {
	if err := piaflow.Authorize(by, piaflow.CapManageUsers); err != nil {
		return err
	}
	return s.st.RevokeToken(ctx, actor(by), id)
}
