package piaflow

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ActionEdit is one row of an edited action list (the Excel round trip): the action it changes
// and the status, assignee and comment the row now holds.
type ActionEdit struct {
	// Row is the row number as Excel shows it, for messages.
	Row int
	ID  uint64
	// Key is the finding key the row was exported with; when given it must match the action.
	Key string
	// Status is a status code (one of ActionStatuses).
	Status   string
	Assignee string
	// Comment, when it differs from the action's newest comment, is added as a new comment; on
	// a row that accepts a risk it is also the justification.
	Comment string
}

// ImportProblem is what is wrong with one cell of an imported action list.
type ImportProblem struct {
	// Row is the row number as Excel shows it.
	Row int
	// Column is the column's English header (ID, Status, ...).
	Column  string
	Message string
	// Forbidden marks a missing permission (rather than bad data).
	Forbidden bool
	// Msg, when set, is Message as an error message (ErrorTexts); Text and Args, when Text is
	// set, are Message as a validation message (its code and arguments, as FieldProblem's).
	// Package i18n renders either in the reader's language.
	Msg  *Message
	Text string
	Args map[string]string
}

// String describes the problem, e.g. `row 7, Status: "finished" is not a status (...)`.
func (p ImportProblem) String() string {
	return fmt.Sprintf("row %d, %s: %s", p.Row, p.Column, p.Message)
}

// ImportError lists every problem of an action list that was not imported (nothing of it
// was). It matches ErrForbidden when every problem is a missing permission, else ErrInvalid.
type ImportError struct {
	Problems []ImportProblem
}

// importErrorShown is how many problems ImportError.Error names.
const importErrorShown = 5

// Error names the first few problems and counts the rest.
func (e *ImportError) Error() string {
	parts := make([]string, 0, importErrorShown)
	for i, p := range e.Problems {
		if i == importErrorShown {
			break
		}
		parts = append(parts, p.String())
	}
	msg := fmt.Sprintf("action list: %d problem(s): %s", len(e.Problems), strings.Join(parts, "; "))
	if more := len(e.Problems) - importErrorShown; more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	return msg
}

// Is makes errors.Is(err, ErrInvalid) (or ErrForbidden) hold.
func (e *ImportError) Is(target error) bool {
	forbidden := len(e.Problems) > 0
	for _, p := range e.Problems {
		forbidden = forbidden && p.Forbidden
	}
	if forbidden {
		return target == ErrForbidden
	}
	return target == ErrInvalid
}

// ImportResult counts what an import changed.
type ImportResult struct {
	Updated   int `json:"updated"`
	Commented int `json:"commented"`
	Unchanged int `json:"unchanged"`
}

// ActionChange is what an imported row does to its action: Action is the action as it will be,
// saved when Save; Comment, when not empty, is added to it.
type ActionChange struct {
	Action  Action
	Save    bool
	Comment string
}

// PlanImport checks every row of an edited action list against the deployment's actions (with
// the body of each one's newest comment, by action id) and works out the changes, touching
// nothing: the action exists in the deployment, the key matches, the status is known, the texts
// fit, by may make the change (CanEditAction) and a risk is accepted only with a justification.
// Errors: an *ImportError listing every problem.
func PlanImport(by User, rows []ActionEdit, actions []Action, latest map[uint64]string) ([]ActionChange, error) {
	byID := map[uint64]Action{}
	for _, a := range actions {
		byID[a.ID] = a
	}
	var plan []ActionChange
	var problems []ImportProblem
	seen := map[uint64]int{}
	for _, r := range rows {
		bad := func(col, id string, pairs ...any) {
			m := NewMessage(id, pairs...)
			problems = append(problems, ImportProblem{Row: r.Row, Column: col, Message: m.English(), Msg: &m})
		}
		badField := func(p *FieldProblem) {
			problems = append(problems, ImportProblem{Row: r.Row, Column: p.Field, Message: p.Message, Text: p.Text, Args: p.Args})
		}
		a, ok := byID[r.ID]
		if !ok {
			bad("ID", "error.import.no_action", "id", r.ID)
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			bad("ID", "error.import.duplicate", "id", r.ID, "row", prev)
			continue
		}
		seen[r.ID] = r.Row
		if r.Key != "" && r.Key != a.FindingKey {
			bad("Key", "error.import.key", "key", strconv.Quote(r.Key), "id", r.ID, "want", strconv.Quote(a.FindingKey))
			continue
		}
		comment := strings.TrimSpace(r.Comment)
		if comment == latest[a.ID] {
			comment = ""
		}
		status := cmp.Or(strings.TrimSpace(r.Status), a.Status)
		assignee := strings.TrimSpace(r.Assignee)
		var change ActionUpdate
		if status != a.Status {
			change.Status = &status
		}
		if assignee != a.Assignee {
			change.Assignee = &assignee
		}
		if change.empty() && comment == "" {
			plan = append(plan, ActionChange{Action: a})
			continue
		}
		if p := CheckText("Assignee", assignee, MaxUserNameLength); p != nil {
			badField(p)
			continue
		}
		if p := CheckText("Comment", comment, MaxTextLength); p != nil {
			badField(p)
			continue
		}
		if change.Status != nil && !slices.Contains(ActionStatuses(), status) {
			badField(&FieldProblem{Field: "Status", Message: fmt.Sprintf("%q is not one of %s", status, strings.Join(ActionStatuses(), ", ")),
				Text: "not_in_vocabulary", Args: map[string]string{"value": strconv.Quote(status), "allowed": strings.Join(ActionStatuses(), ", ")}})
			continue
		}
		if err := CanEditAction(by, a, change); err != nil {
			col := "Status"
			if ReasonOf(err) == ReasonAssigned {
				col = "Assignee"
			}
			var de *Error
			msg, m := err.Error(), (*Message)(nil)
			if errors.As(err, &de) {
				msg, m = de.Message, de.Msg
			}
			problems = append(problems, ImportProblem{Row: r.Row, Column: col, Message: msg, Forbidden: true, Msg: m})
			continue
		}
		next := a
		if change.Status != nil && status == ActionRiskAccepted {
			next.Justification = cmp.Or(strings.TrimSpace(r.Comment), a.Justification)
			if next.Justification == "" {
				bad("Comment", "error.import.justification")
				continue
			}
		}
		next.Status, next.Assignee = status, assignee
		plan = append(plan, ActionChange{Action: next, Save: !change.empty(), Comment: comment})
	}
	if len(problems) > 0 {
		return nil, &ImportError{Problems: problems}
	}
	return plan, nil
}
