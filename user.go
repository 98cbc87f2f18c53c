package piaflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// User is a person or service that holds API tokens; its role decides what it may do (Can).
type User struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	Name      string    `gorm:"size:100;not null;uniqueIndex" json:"name"`
	Role      string    `gorm:"size:20;not null" json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// ExternalID is the SHA-256 (hex) of the OpenID provider's issuer and subject of a user
	// created by OpenID Connect sign-in, empty for a user created with piaflow admin or the API.
	// Such a user signs in through the provider only: it never had a token.
	ExternalID string `gorm:"size:64;index" json:"-"`
	// Email is where piaflow sends the user's notifications (none when empty); Language is
	// the language of those mails (i18n: en or zh-CN; empty: en).
	Email    string `gorm:"size:254" json:"email,omitempty"`
	Language string `gorm:"size:10" json:"language,omitempty"`
	// NotificationsOff is the user's choice to receive no notification mail.
	NotificationsOff bool `gorm:"not null;default:false" json:"notifications_off"`
	// LastDigest is the day (YYYY-MM-DD, UTC) of the last daily digest of due actions sent to
	// the user, so a second run the same day sends none.
	LastDigest string `gorm:"size:10" json:"-"`
}

// Notifiable reports whether u receives notification mail: it has an address and has not
// turned notifications off.
func (u User) Notifiable() bool { return u.Email != "" && !u.NotificationsOff }

// NotificationSettings changes a user's notification settings; a nil field stays as it is.
type NotificationSettings struct {
	Email            *string `json:"email,omitempty"`
	Language         *string `json:"language,omitempty"`
	NotificationsOff *bool   `json:"notifications_off,omitempty"`
}

// Validate checks the settings: an e-mail address of at most MaxEmailLength characters with
// one @ and no spaces or line breaks (or empty: no mail), a language of en or zh-CN (or empty).
// Errors: ErrInvalid listing the fields at fault.
func (n NotificationSettings) Validate() error {
	var problems []FieldProblem
	if n.Email != nil {
		e := strings.TrimSpace(*n.Email)
		if p := CheckText("email", e, MaxEmailLength); p != nil {
			problems = append(problems, *p)
		} else if e != "" && (strings.Count(e, "@") != 1 || strings.HasPrefix(e, "@") || strings.HasSuffix(e, "@") || strings.ContainsAny(e, " \t\r\n<>,;\"")) {
			problems = append(problems, FieldProblem{Field: "email", Code: ProblemUnknown, Message: "is not an e-mail address", Text: "email"})
		}
	}
	if n.Language != nil && *n.Language != "" && *n.Language != "en" && *n.Language != "zh-CN" {
		problems = append(problems, FieldProblem{Field: "language", Code: ProblemUnknown, Message: fmt.Sprintf("%q is not one of en, zh-CN", *n.Language),
			Text: "not_in_vocabulary", Args: map[string]string{"value": strconv.Quote(*n.Language), "allowed": "en, zh-CN"}})
	}
	return Invalid(problems...)
}

// External reports whether u was created by OpenID Connect sign-in.
func (u User) External() bool { return u.ExternalID != "" }

// System is the acting user of offline commands (piaflow admin, the demo seed) and of changes
// piaflow makes itself; the audit log names it "system".
var System = User{Name: "system", Role: RoleAdmin}

// IsSystem reports whether u is System (it has no stored record).
func (u User) IsSystem() bool { return u.ID == 0 && u.Name == System.Name }

// Token is an API token; only its SHA-256 is stored, the token itself is shown once.
type Token struct {
	ID         uint64     `gorm:"primaryKey" json:"id"`
	UserID     uint64     `gorm:"not null;index" json:"user_id"`
	User       User       `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	Hash       string     `gorm:"size:64;not null;uniqueIndex" json:"-"`
	Label      string     `gorm:"size:200" json:"label"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

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

// ValidateUser checks a new user's name (1 to MaxUserNameLength characters once trimmed, no
// NUL) and role (one of Roles). Errors: ErrInvalid listing the fields at fault.
func ValidateUser(name, role string) error {
	var problems []FieldProblem
	if p := CheckText("name", name, MaxUserNameLength); p != nil {
		problems = append(problems, *p)
	} else if strings.TrimSpace(name) == "" {
		problems = append(problems, FieldProblem{Field: "name", Code: ProblemRequired, Message: fmt.Sprintf("must have 1 to %d characters", MaxUserNameLength),
			Text: "length", Args: map[string]string{"max": strconv.Itoa(MaxUserNameLength)}})
	}
	if !slices.Contains(Roles(), role) {
		problems = append(problems, FieldProblem{Field: "role", Code: ProblemUnknown, Message: fmt.Sprintf("%q is not one of %s", role, strings.Join(Roles(), ", ")),
			Text: "not_in_vocabulary", Args: map[string]string{"value": strconv.Quote(role), "allowed": strings.Join(Roles(), ", ")}})
	}
	return Invalid(problems...)
}
