package piaflow

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
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
		bad := func(col, format string, args ...any) {
			problems = append(problems, ImportProblem{Row: r.Row, Column: col, Message: fmt.Sprintf(format, args...)})
		}
		a, ok := byID[r.ID]
		if !ok {
			bad("ID", "no action %d in this deployment", r.ID)
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			bad("ID", "action %d is also on row %d", r.ID, prev)
			continue
		}
		seen[r.ID] = r.Row
		if r.Key != "" && r.Key != a.FindingKey {
			bad("Key", "the row's finding key %q is not action %d's (%q): was the list edited by hand?", r.Key, r.ID, a.FindingKey)
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
			bad(p.Field, "%s", p.Message)
			continue
		}
		if p := CheckText("Comment", comment, MaxTextLength); p != nil {
			bad(p.Field, "%s", p.Message)
			continue
		}
		if change.Status != nil && !slices.Contains(ActionStatuses(), status) {
			bad("Status", "%q is not one of %s", status, strings.Join(ActionStatuses(), ", "))
			continue
		}
		if err := CanEditAction(by, a, change); err != nil {
			col := "Status"
			if ReasonOf(err) == ReasonAssigned {
				col = "Assignee"
			}
			var de *Error
			msg := err.Error()
			if errors.As(err, &de) {
				msg = de.Message
			}
			problems = append(problems, ImportProblem{Row: r.Row, Column: col, Message: msg, Forbidden: true})
			continue
		}
		next := a
		if change.Status != nil && status == ActionRiskAccepted {
			next.Justification = cmp.Or(strings.TrimSpace(r.Comment), a.Justification)
			if next.Justification == "" {
				bad("Comment", "accepting a risk needs a justification: write it in the comment")
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
