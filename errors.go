package piaflow

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of error. Every error of the domain, the store and the service matches one of these with
// errors.Is; adapters map them to HTTP statuses (api) or exit codes (cmd/piaflow) in one table
// each. Any other error is internal: logged, never shown.
var (
	// ErrNotFound: no object with that id (or name).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change clashes with stored state (a duplicate name, an archived
	// deployment, an approved assessment, a draft that cannot be evaluated).
	ErrConflict = errors.New("conflict")
	// ErrPrecondition: the If-Match ETag is not the deployment's latest revision.
	ErrPrecondition = errors.New("precondition failed")
	// ErrForbidden: the user's role or assignment does not allow the change.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid: the input cannot be accepted (too long, a NUL character, a missing comment),
	// or the work it asks for passes a limit of size (the assessment to store, the report to
	// render).
	ErrInvalid = errors.New("invalid input")
	// ErrUnavailable: the work could not be done now (an evaluation passed its deadline, every
	// render slot is taken); the same request may succeed later (Error.RetryAfter).
	ErrUnavailable = errors.New("unavailable")
	// ErrRateLimited: the user sent more requests of a kind than their rate limit allows; the
	// next is allowed after Error.RetryAfter.
	ErrRateLimited = errors.New("too many requests")
)

// Reasons tell apart errors of one kind for a program that must (the web UI picks its message by
// them); most errors have none.
const (
	// ReasonRole: the user's role lacks the capability (ErrForbidden).
	ReasonRole = "role"
	// ReasonAcceptRisk: only a role that may accept risks may accept one (ErrForbidden).
	ReasonAcceptRisk = "accept_risk"
	// ReasonAcceptedRisk: only a role that may accept risks may change an accepted risk or a
	// justification (ErrForbidden).
	ReasonAcceptedRisk = "accepted_risk"
	// ReasonAssigned: the action is assigned to someone else (ErrForbidden).
	ReasonAssigned = "assigned"
	// ReasonJustification: accepting a risk needs a justification (ErrInvalid).
	ReasonJustification = "justification"
	// ReasonRejectComment: a rejection needs a comment (ErrInvalid).
	ReasonRejectComment = "reject_comment"
	// ReasonDraft: a draft revision cannot be evaluated (ErrConflict).
	ReasonDraft = "draft"
	// ReasonArchived: an archived deployment does not change any more (ErrConflict).
	ReasonArchived = "archived"
	// ReasonOpenBlockers: an approval needs legal to accept the risk of each blocker finding
	// first (ErrConflict); the error's Keys are the finding keys still open.
	ReasonOpenBlockers = "open_blockers"
	// ReasonQuestionnaireChanged: the questionnaire has a newer revision than the assessment, which
	// must be re-evaluated before it can be reviewed (ErrConflict).
	ReasonQuestionnaireChanged = "questionnaire_changed"
	// ReasonDeadline: an evaluation passed its deadline (ErrUnavailable).
	ReasonDeadline = "deadline"
	// ReasonBusy: every render slot is taken (ErrUnavailable).
	ReasonBusy = "busy"
	// ReasonOverloaded: every work slot of the server is taken and the request could not wait
	// for one (the admission queue is full or the request waited its longest) (ErrUnavailable).
	ReasonOverloaded = "overloaded"
	// ReasonTooLarge: the work passes a limit of size: MaxResultBytes, MaxReportFindings or
	// MaxReportRows (ErrInvalid).
	ReasonTooLarge = "too_large"
)

// Error is an error a person may read: Kind is one of the kinds above (errors.Is matches it),
// Reason a stable code or "", Message the English text, Fields the inputs at fault (for
// ErrInvalid, each with its own message) and Keys the objects at fault when the reason names
// several (ReasonOpenBlockers: finding keys).
type Error struct {
	Kind    error
	Reason  string
	Message string
	Fields  []FieldProblem
	Keys    []string
	// Msg, when set, is Message as data: an error message (ErrorTexts) that package i18n
	// renders in every language.
	Msg *Message
	// RetryAfter, for ErrUnavailable and ErrRateLimited, is when to try again (an HTTP
	// Retry-After).
	RetryAfter time.Duration
}

// KeysOf returns the Keys of the first *Error in err's chain, or nil.
func KeysOf(err error) []string {
	var e *Error
	if errors.As(err, &e) {
		return e.Keys
	}
	return nil
}

// Error is the message followed by the kind, e.g. "deployment 3 is archived: conflict".
func (e *Error) Error() string { return e.Message + ": " + e.Kind.Error() }

// Unwrap returns the kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of a kind and reason with a formatted message.
func Errorf(kind error, reason, format string, args ...any) *Error {
	return &Error{Kind: kind, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Unavailable returns an ErrUnavailable *Error of a reason, to retry after a while.
func Unavailable(reason string, retryAfter time.Duration, format string, args ...any) *Error {
	e := Errorf(ErrUnavailable, reason, format, args...)
	e.RetryAfter = retryAfter
	return e
}

// RetryAfterOf returns the RetryAfter of the first *Error in err's chain, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// ReasonOf returns the reason of the first *Error in err's chain, or "".
func ReasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// FieldProblem is what is wrong with one input field.
type FieldProblem struct {
	// Field names the input as the caller sent it (name, customer_country, justification).
	Field string
	// Code is one of the Problem codes.
	Code    string
	Message string
	// Text, when set, is the message as data: the code of its text among the validation
	// messages (assessments.ProblemTexts, rendered in every language by package i18n), with
	// Args the text's arguments. Message is its English text.
	Text string
	Args map[string]string
}

// RequiredField is the problem of a field that is missing.
func RequiredField(field string) FieldProblem {
	return FieldProblem{Field: field, Code: ProblemRequired, Message: "is required", Text: "required"}
}

// Codes of a FieldProblem.
const (
	ProblemRequired = "required"
	ProblemTooLong  = "too_long"
	ProblemNUL      = "nul"
	// ProblemUnknown: not one of the values allowed (a status, a role, a country code).
	ProblemUnknown = "unknown"
	// ProblemTooLarge: a number above its limit (a page size).
	ProblemTooLarge = "too_large"
)

// Invalid returns an ErrInvalid *Error listing the problems (its message names each field and
// what is wrong with it), or nil when there are none.
func Invalid(problems ...FieldProblem) error {
	if len(problems) == 0 {
		return nil
	}
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = p.Field + " " + p.Message
	}
	return &Error{Kind: ErrInvalid, Message: strings.Join(parts, "; "), Fields: problems}
}

// CheckText checks a free-text input: at most max characters (0: no limit) and no NUL
// character, which PostgreSQL cannot store. It returns the problem or nil.
func CheckText(field, s string, max int) *FieldProblem {
	switch {
	case strings.ContainsRune(s, 0):
		return &FieldProblem{Field: field, Code: ProblemNUL, Message: "must not contain a NUL character", Text: "nul"}
	case max > 0 && utf8.RuneCountInString(s) > max:
		return &FieldProblem{Field: field, Code: ProblemTooLong, Message: fmt.Sprintf("must have at most %d characters", max),
			Text: "too_long", Args: map[string]string{"max": strconv.Itoa(max)}}
	}
	return nil
}

// Problems collects the non-nil problems.
func Problems(ps ...*FieldProblem) []FieldProblem {
	var out []FieldProblem
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}
