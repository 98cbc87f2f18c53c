package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ActionImport is one row of an edited action list (the Excel round trip): the action it
// changes, and the status, assignee and comment the row now holds.
type ActionImport struct {
	// Row is the spreadsheet row, for error messages.
	Row int
	ID  uint64
	// Key is the finding key the row was exported with; when given it must match the action.
	Key      string
	Status   string
	Assignee string
	// Comment, when it differs from the action's newest comment, is added as a new comment; on
	// a row that accepts a risk it is also the justification.
	Comment string
}

// RowProblem is what is wrong with one imported row.
type RowProblem struct {
	Row     int
	Column  string
	Message string
	// Forbidden marks a missing permission (rather than bad data).
	Forbidden bool
}

// ImportError lists every row problem of an import that was not applied. It matches ErrInvalid
// (or ErrForbidden when every problem is a missing permission).
type ImportError struct {
	Problems  []RowProblem
	forbidden bool
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the action list was not imported: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-5)
			break
		}
		fmt.Fprintf(&b, "; row %d, %s: %s", p.Row, p.Column, p.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) (or ErrForbidden) hold.
func (e *ImportError) Is(target error) bool {
	if e.forbidden {
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

// ImportActions applies an edited action list to a deployment's actions: all rows or none.
// Every row is checked first — the action exists in this deployment, the key matches, the
// status is known, only legal accepts a risk (with a justification) or changes an accepted one,
// an engineer changes only actions assigned to them or to nobody — and every problem is
// reported as an *ImportError. Errors: ErrNotFound (deployment), *ImportError.
func (s *Store) ImportActions(ctx context.Context, actor User, deploymentID uint64, rows []ActionImport) (ImportResult, error) {
	var res ImportResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := lockDeployment(tx, deploymentID); err != nil {
			return err
		}
		var existing []Action
		if err := tx.Where("deployment_id = ?", deploymentID).Find(&existing).Error; err != nil {
			return err
		}
		byID := map[uint64]*Action{}
		for i := range existing {
			byID[existing[i].ID] = &existing[i]
		}
		latest, err := latestComments(tx, existing)
		if err != nil {
			return err
		}
		plan, problems := planImport(actor, rows, byID, latest)
		if len(problems) > 0 {
			ie := &ImportError{Problems: problems, forbidden: true}
			for _, p := range problems {
				ie.forbidden = ie.forbidden && p.Forbidden
			}
			return ie
		}
		for _, step := range plan {
			if step.save {
				if err := tx.Save(step.action).Error; err != nil {
					return err
				}
				res.Updated++
			}
			if step.comment != "" {
				c := ActionComment{ActionID: step.action.ID, Author: actor.Name, Body: step.comment, CreatedAt: s.now()}
				if err := tx.Create(&c).Error; err != nil {
					return err
				}
				res.Commented++
			}
			if !step.save && step.comment == "" {
				res.Unchanged++
			}
		}
		return s.audit(tx, &actor, "import_actions", "deployment", deploymentID,
			fmt.Sprintf("%d rows: %d updated, %d commented, %d unchanged", len(rows), res.Updated, res.Commented, res.Unchanged))
	})
	var ie *ImportError
	if errors.As(err, &ie) {
		return ImportResult{}, ie
	}
	return res, translate(err, fmt.Sprintf("import actions of deployment %d", deploymentID))
}

// latestComments maps action id to the body of its newest comment.
func latestComments(tx *gorm.DB, actions []Action) (map[uint64]string, error) {
	ids := make([]uint64, 0, len(actions))
	for _, a := range actions {
		ids = append(ids, a.ID)
	}
	out := map[uint64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []ActionComment
	for chunk := range slices.Chunk(ids, 500) {
		var part []ActionComment
		if err := tx.Where("action_id IN ?", chunk).Order("id").Find(&part).Error; err != nil {
			return nil, err
		}
		cs = append(cs, part...)
	}
	for _, c := range cs {
		out[c.ActionID] = c.Body
	}
	return out, nil
}

type importStep struct {
	action  *Action
	save    bool
	comment string
}

// planImport checks every row and works out the changes, without touching the database.
func planImport(actor User, rows []ActionImport, byID map[uint64]*Action, latest map[uint64]string) ([]importStep, []RowProblem) {
	var plan []importStep
	var problems []RowProblem
	seen := map[uint64]int{}
	for _, r := range rows {
		bad := func(col, format string, args ...any) {
			problems = append(problems, RowProblem{Row: r.Row, Column: col, Message: fmt.Sprintf(format, args...)})
		}
		deny := func(col, format string, args ...any) {
			problems = append(problems, RowProblem{Row: r.Row, Column: col, Message: fmt.Sprintf(format, args...), Forbidden: true})
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
		next := *a
		comment := strings.TrimSpace(r.Comment)
		if comment == latest[a.ID] {
			comment = ""
		}
		status := cmp.Or(strings.TrimSpace(r.Status), a.Status)
		assignee := strings.TrimSpace(r.Assignee)
		changed := status != a.Status || assignee != a.Assignee
		if !changed && comment == "" {
			plan = append(plan, importStep{action: a})
			continue
		}
		if msg := importText(assignee, 100); msg != "" {
			bad("Assignee", "%s", msg)
			continue
		}
		if msg := importText(comment, 10000); msg != "" {
			bad("Comment", "%s", msg)
			continue
		}
		if actor.Role == RoleEngineer && a.Assignee != "" && a.Assignee != actor.Name {
			deny("Assignee", "action %d is assigned to %s; an engineer may change only their own or unassigned actions", a.ID, a.Assignee)
			continue
		}
		if a.Status == ActionRiskAccepted && actor.Role != RoleLegal && changed {
			deny("Status", "only legal may change an accepted risk (you are %s)", actor.Role)
			continue
		}
		if status != a.Status {
			if !slices.Contains(ActionStatuses(), status) {
				bad("Status", "%q is not one of %s", status, strings.Join(ActionStatuses(), ", "))
				continue
			}
			if (status == ActionRiskAccepted || a.Status == ActionRiskAccepted) && actor.Role != RoleLegal {
				deny("Status", "only legal may accept a risk or change an accepted one (you are %s)", actor.Role)
				continue
			}
			if status == ActionRiskAccepted {
				next.Justification = cmp.Or(strings.TrimSpace(r.Comment), a.Justification)
				if next.Justification == "" {
					bad("Comment", "accepting a risk needs a justification: write it in the comment")
					continue
				}
			}
		}
		next.Status, next.Assignee = status, assignee
		plan = append(plan, importStep{action: &next, save: changed, comment: comment})
	}
	return plan, problems
}

// importText checks a cell's text against what the store keeps: at most max characters, no NUL.
func importText(s string, max int) string {
	if strings.ContainsRune(s, 0) {
		return "contains a NUL character"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("is %d characters long; at most %d", n, max)
	}
	return ""
}
