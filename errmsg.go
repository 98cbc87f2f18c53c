package piaflow

import (
	"fmt"
	"maps"
	"sort"
	"strings"
)

// Error messages as data (issue 14): an error a person reads carries, beside its English text,
// the message id and parameters that say it in any language (package i18n renders
// msg.<id> from locales/*/messages_errors.json). The English templates are defined once, here
// (ErrorTexts); the English catalogue holds the same text, which a test of package i18n checks.
//
// Parameter names type the values for other languages as for the policies' messages
// (docs/messages.md); the ones errors use: user_role / user_roles (a user's role code),
// review_state, action_status, *_duration (a time.Duration's text). A list is
// {"sep": ", ", "items": [...]} (ListParam), a nested message {"id": ..., "params": ...}.

// NewMessage is the message id with its parameters given as name, value pairs.
func NewMessage(id string, pairs ...any) Message {
	m := Message{ID: id}
	if len(pairs) > 1 {
		m.Params = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			name, _ := pairs[i].(string)
			m.Params[name] = pairs[i+1]
		}
	}
	return m
}

// ListParam is a list parameter: its items joined by sep in English (", ", " or "); other
// languages use their own separator.
func ListParam(sep string, items []string) map[string]any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return map[string]any{"sep": sep, "items": out}
}

// English renders an error message in English from ErrorTexts: every {name} replaced by its
// parameter as written, lists joined by their separator, nested messages rendered. A message
// whose id has no text renders as its id, so a gap shows.
func (m Message) English() string {
	t, ok := errorTexts[m.ID]
	if !ok {
		return m.ID
	}
	if len(m.Params) == 0 {
		return t
	}
	names := make([]string, 0, len(m.Params))
	for k := range m.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]string, 0, 2*len(names))
	for _, k := range names {
		pairs = append(pairs, "{"+k+"}", englishParam(m.Params[k]))
	}
	return strings.NewReplacer(pairs...).Replace(t)
}

// englishParam is one parameter in English.
func englishParam(v any) string {
	nested, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprint(v)
	}
	if items, ok := nested["items"].([]any); ok {
		sep, _ := nested["sep"].(string)
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = englishParam(it)
		}
		return strings.Join(out, sep)
	}
	id, _ := nested["id"].(string)
	params, _ := nested["params"].(map[string]any)
	return Message{ID: id, Params: params}.English()
}

// MsgError returns an *Error of a kind and reason whose message is the error message id with
// its parameters (name, value pairs): Message is its English text, Msg the message.
func MsgError(kind error, reason, id string, pairs ...any) *Error {
	m := NewMessage(id, pairs...)
	return &Error{Kind: kind, Reason: reason, Message: m.English(), Msg: &m}
}

// MsgKind returns an error of a kind whose text is the error message's English followed by the
// kind ("deployment 7: not found"), as fmt.Errorf("%s: %w", text, kind) writes it, and that
// carries the message (MessageOf). Unlike MsgError it is no *Error: it has no reason, no fields,
// and a reader of *Error (ReasonOf, a propagation's outcome) does not take it for one.
func MsgKind(kind error, id string, pairs ...any) error {
	m := NewMessage(id, pairs...)
	return &kindError{kind: kind, msg: m}
}

// kindError is MsgKind's error.
type kindError struct {
	kind error
	msg  Message
}

func (e *kindError) Error() string { return e.msg.English() + ": " + e.kind.Error() }
func (e *kindError) Unwrap() error { return e.kind }

// ErrorMessage is the error's message.
func (e *kindError) ErrorMessage() *Message { return &e.msg }

// MessageError is an error that carries its message as data (MessageOf finds it), for an error
// of another package that keeps its own text (reports.ErrNotActionList's).
type MessageError interface {
	error
	ErrorMessage() *Message
}

// MessageOf returns the message of the first error in err's chain that has one (MsgError,
// MsgKind, a MessageError), or nil.
func MessageOf(err error) *Message {
	for err != nil {
		if e, ok := err.(*Error); ok && e.Msg != nil {
			return e.Msg
		}
		if e, ok := err.(MessageError); ok {
			return e.ErrorMessage()
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return nil
		}
	}
	return nil
}

// ErrorTexts returns the English templates of the error messages by id (a copy).
func ErrorTexts() map[string]string { return maps.Clone(errorTexts) }

// errorTexts are the English templates of the error messages, by id (catalogue key msg.<id>).
var errorTexts = map[string]string{
	// the HTTP server and the web UI (packages api, web, internal/httpx)
	"error.form.op":                  "bad operation {op}",
	"error.form.op_no_entry":         "bad operation {op}: no such entry",
	"error.form.op_not_list":         "bad operation {op}: not a list of objects",
	"error.http.body_empty":          "the body is empty: send a JSON object",
	"error.http.body_empty_document": "the body is empty: send the document as JSON or YAML",
	"error.http.body_json":           "the body is not valid JSON for this request: {reason}",
	"error.http.body_too_large":      "the body is larger than {max} bytes",
	"error.http.body_values":         "the body holds more than one JSON value",
	"error.http.csrf":                "send the session's CSRF token in the X-CSRF-Token header",
	"error.http.database":            "the database does not answer",
	"error.http.draft_object":        "a draft must be a JSON object",
	"error.http.etag_changed":        "the questionnaire changed since the ETag you sent: GET it again and reapply your changes",
	"error.http.if_match_required":   "send If-Match with the ETag of the latest revision (GET the questionnaire), so that no one's changes are overwritten",
	"error.http.import_too_large":    "the action list is larger than {max} bytes",
	"error.http.metrics_token":       "send the metrics token (PIAFLOW_METRICS_TOKEN) as Authorization: Bearer <token>",
	"error.http.no_delivery":         "no delivery with id {id}",
	"error.http.no_object":           "no object with id {id}",
	"error.http.not_action_list":     "the upload is not an action list piaflow can read: {reason}",
	"error.http.session_ended":       "the session has ended: sign in again",
	"error.http.token_missing":       "send an API token as Authorization: Bearer <token>",
	"error.http.token_unknown":       "the token is unknown or revoked",
	"error.http.weak_etag":           "If-Match uses strong comparison (RFC 9110 §13.1.1): a weak ETag (W/\"...\") never matches; send the ETag as GET returned it",
	"error.web.deployment_id":        "deployment: not an id",
	"error.web.form":                 "the form could not be read",
	"error.web.language":             "no language {lang}",
	"error.web.op_section":           "operation {op} is not in section {section}",
	"error.web.review_op":            "no review operation {op}",
	"error.web.section":              "no section {section}",
	"error.web.static":               "no static file {file}",
	"error.web.unavailable":          "the web UI is not available: see the server log",
	// a file that is not an action list (reports.ReadActionImport; the text follows
	// "not a piaflow action list: ")
	"error.action_list.malformed":    "malformed workbook ({reason})",
	"error.action_list.no_column":    "the Actions sheet has no column {columns}",
	"error.action_list.no_sheet":     "no sheet named {sheets}",
	"error.action_list.not_xlsx":     "not an Excel workbook (.xlsx): {reason}",
	"error.action_list.sheet":        "sheet {sheet}: {reason}",
	"error.action_list.too_large":    "the file is larger than {max} MiB",
	"error.http.not_action_list.why": "the upload is not an action list piaflow can read: read action list: not a piaflow action list: {why}",
	// a row of an imported action list (PlanImport; reports.ReadActionImport)
	"error.action_list.statuses":  "open, in progress, done, risk accepted",
	"error.import.already_on_row": "{id} is already on row {row}",
	"error.import.id_invalid":     "{value} is not an action id (a positive whole number)",
	"error.import.id_missing":     "missing: every row needs the id of its action",
	"error.import.status_invalid": "{value} is not a status ({statuses})",
	"error.import.status_missing": "missing: choose one of {statuses}",

	"error.import.duplicate":     "action {id} is also on row {row}",
	"error.import.justification": "accepting a risk needs a justification: write it in the comment",
	"error.import.key":           "the row's finding key {key} is not action {id}'s ({want}): was the list edited by hand?",
	"error.import.no_action":     "no action {id} in this deployment",
	// an object that exists already (the store): the English says what was done, Error adds ": conflict"
	"error.exists.user": "create user {name}",
	// an object not found (the store): the English names the object, Error adds ": not found"
	"error.not_found.action":              "action {id}",
	"error.not_found.assessment":          "assessment {id}",
	"error.not_found.assessment_in_state": "deployment {id} has no {review_state} assessment",
	"error.not_found.assessment_of":       "deployment {id} has no assessment",
	"error.not_found.complete_revision":   "deployment {id} has no complete revision",
	"error.not_found.delivery":            "delivery {id}",
	"error.not_found.deployment":          "deployment {id}",
	"error.not_found.deployment_revision": "deployment {id} revision {revision}",
	"error.not_found.processor":           "processor {processor}",
	"error.not_found.product":             "product {product} {version}",
	"error.not_found.propagation":         "propagation {id}",
	"error.not_found.revision":            "revision {id}",
	"error.not_found.user":                "user {id}",
	"error.not_found.user_named":          "user {name}",
	"error.not_found.webhook":             "webhook {id}",
	// a status of the router (its text, http.StatusText) and an internal error
	"error.http.internal":   "internal error",
	"error.http.status.400": "Bad Request",
	"error.http.status.401": "Unauthorized",
	"error.http.status.403": "Forbidden",
	"error.http.status.404": "Not Found",
	"error.http.status.405": "Method Not Allowed",
	"error.http.status.406": "Not Acceptable",
	"error.http.status.413": "Request Entity Too Large",
	"error.http.status.415": "Unsupported Media Type",
	"error.http.status.429": "Too Many Requests",
	"error.http.status.500": "Internal Server Error",
	"error.http.status.503": "Service Unavailable",
	// the domain (package piaflow)
	"error.accept_risk":              "only {user_roles} may accept a risk (you are {user_role})",
	"error.accepted_risk":            "only {user_roles} may change an accepted risk (you are {user_role})",
	"error.assessment_not_submitted": "assessment {id} is {review_state}, not submitted for review",
	"error.assessment_state":         "assessment {id} is {review_state}",
	"error.assigned.change":          "action {id} is assigned to {assignee}; as {user_role} you may change only actions assigned to you or to nobody",
	"error.assigned.comment":         "action {id} is assigned to {assignee}; as {user_role} you may comment on only actions assigned to you or to nobody",
	"error.event_too_large":          "event {event} is {size} bytes: at most {max} are sent",
	"error.justification":            "only {user_roles} may change a justification (you are {user_role})",
	"error.open_blockers":            "approval needs legal to accept the risk of each open blocker, with a justification (set its action to {action_status}): {keys}",
	// the store, the service and the server (stores, limits, concurrency)
	"error.assessment_not_latest":       "assessment {id} is not the deployment's latest ({latest})",
	"error.busy.evaluation":             "every evaluation slot ({slots}, the concurrent evaluations limit, see docs/limits.md) stayed taken for {wait_duration}: try again in {retry_duration}",
	"error.busy.render":                 "every report render slot ({slots}, the concurrent renders limit, see docs/limits.md) is taken: try again in {retry_duration}",
	"error.concurrent.composed":         "save composed questionnaire: a concurrent save won",
	"error.concurrent.deployment":       "a concurrent save changed the deployment",
	"error.concurrent.processor":        "push processor {processor}: a concurrent push won",
	"error.concurrent.revision":         "save revision: a concurrent save won",
	"error.deadline":                    "the evaluation took longer than its deadline of {limit_duration} (the evaluation deadline, see docs/limits.md) and was stopped; nothing was stored. Try again later; a questionnaire with fewer activities, subject countries or transfers evaluates faster",
	"error.delivery_no_payload":         "delivery {id} has no payload to send: {last_error}",
	"error.deployment_archived":         "deployment {id} is archived",
	"error.deployment_archived_already": "deployment {id} is archived already",
	"error.draft":                       "revision {revision} is a draft: submit a complete questionnaire before evaluating",
	"error.etag_no_revision":            "the deployment has no revision yet, so If-Match {if_match} cannot match",
	"error.etag_stale":                  "revision {revision} (ETag {etag}) is the latest, not {if_match}",
	"error.limit.processor_versions":    "{processor} has {n} versions, the limit (see docs/limits.md)",
	"error.limit.product_versions":      "{n} product versions are stored, the limit (see docs/limits.md)",
	"error.limit.propagation":           "the change touches more than {max} deployments, more than one propagation re-assesses (see docs/limits.md); nothing was started",
	"error.limit.register":              "the register holds {n} entries, the limit (see docs/limits.md)",
	"error.limit.report_findings":       "assessment {id} has {n} findings: a report renders at most {max} (the report size limit, see docs/limits.md); the assessment is kept and readable as JSON",
	"error.limit.report_rows.pdf":       "the PIA report of assessment {id} would have {n} rows (findings, transfers, localisation rules, actions): a report renders at most {max} (the report size limit, see docs/limits.md); the assessment is kept and readable as JSON",
	"error.limit.report_rows.xlsx":      "the action list of assessment {id} would have {n} rows (findings, transfers, localisation rules, actions): a report renders at most {max} (the report size limit, see docs/limits.md); the assessment is kept and readable as JSON",
	"error.limit.result":                "the assessment of revision {revision} is {size} bytes as JSON: at most {max} are stored (the result size limit, see docs/limits.md); nothing was stored. A questionnaire with fewer activities, subject countries or transfers gives a smaller assessment",
	"error.limit.webhooks":              "{n} webhooks are registered, the most piaflow keeps (see docs/limits.md): delete one first",
	"error.no_job_queue":                "no job queue runs in this process: start the propagation on a server (piaflow serve)",
	"error.no_reviewed_assessment":      "deployment {id} has no reviewed assessment",
	"error.no_user":                     "no user {name}",
	"error.oidc_user_exists":            "a user named {name} already exists in piaflow: it is not taken over by the identity provider's user of that name",
	"error.overloaded.queue":            "the server is busy: every work slot ({slots}, the concurrent requests limit, see docs/limits.md) is taken and {queue} requests wait for one: try again in {retry_duration}",
	"error.overloaded.wait":             "the server is busy: every work slot ({slots}, the concurrent requests limit, see docs/limits.md) stayed taken for {wait_duration}: try again in {retry_duration}",
	"error.product_immutable":           "{product} {version} is stored with other contents: a product version is immutable, push the change as a new version",
	"error.propagation_compose":         "the deployment cannot be composed under this change: {problems}",
	"error.questionnaire_changed":       "the questionnaire changed after assessment {id}: {user} saved revision {revision} at {time}; evaluate it first",
	"error.rate_limited.auth":           "too many unknown or revoked API tokens from this address (the failed authentication limit, see docs/limits.md): try again in {retry_duration}",
	"error.rate_limited.evaluate":       "evaluations are limited to {per_minute} a minute per user (bursts of {burst}; the rate limits, see docs/limits.md): try again in {retry_duration}",
	"error.rate_limited.hosting_check":  "hosting checks are limited to {per_minute} a minute per user (bursts of {burst}; the rate limits, see docs/limits.md): try again in {retry_duration}",
	"error.rate_limited.reevaluate":     "re-evaluations are limited to {per_minute} a minute per user (bursts of {burst}; the rate limits, see docs/limits.md): try again in {retry_duration}",
	"error.rate_limited.reports":        "reports are limited to {per_minute} a minute per user (bursts of {burst}; the rate limits, see docs/limits.md): try again in {retry_duration}",
	"error.system_notifications":        "the system user has no notification settings",
	"error.token_not_users":             "the token is not {name}'s",
	"error.role":                        "role {user_role} may not do this (allowed: {user_roles})",
}
