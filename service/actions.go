package service

import (
	"context"
	"strings"

	"github.com/piaflow/piaflow"
)

// Actions lists a deployment's actions, by id. Errors: ErrForbidden, ErrNotFound.
func (s *Service) Actions(ctx context.Context, u piaflow.User, deploymentID uint64) ([]piaflow.Action, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return nil, err
	}
	if _, err := s.st.Deployment(ctx, deploymentID); err != nil {
		return nil, err
	}
	return s.st.Actions(ctx, deploymentID)
}

// Action returns an action. Errors: ErrForbidden, ErrNotFound.
func (s *Service) Action(ctx context.Context, u piaflow.User, id uint64) (piaflow.Action, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments, piaflow.CapEditActions); err != nil {
		return piaflow.Action{}, err
	}
	return s.st.ActionByID(ctx, id)
}

// UpdateAction changes an action's status, assignee or justification (piaflow.Action.Apply:
// only legal accepts a risk, with a justification; engineers change their own or unassigned
// actions). Errors: ErrForbidden (with its reason), ErrInvalid (with the fields), ErrNotFound,
// ErrConflict (an archived deployment).
func (s *Service) UpdateAction(ctx context.Context, u piaflow.User, id uint64, upd piaflow.ActionUpdate) (piaflow.Action, error) {
	if err := piaflow.Authorize(u, piaflow.CapEditActions); err != nil {
		return piaflow.Action{}, err
	}
	var before string
	a, err := s.st.UpdateAction(ctx, actor(u), id, func(a *piaflow.Action) (piaflow.AuditEvent, error) {
		before = a.Assignee
		return a.Apply(u, upd)
	})
	if err == nil && a.Assignee != before {
		s.assigned(ctx, u, a)
	}
	return a, err
}

// AddComment adds a comment to an action: without piaflow.CapEditAnyAction only to one
// assigned to the user or to nobody (piaflow.CanComment, the rule an imported action list
// follows too). Errors: ErrForbidden, ErrInvalid (field "body"), ErrNotFound, ErrConflict (an
// archived deployment).
func (s *Service) AddComment(ctx context.Context, u piaflow.User, actionID uint64, body string) (piaflow.ActionComment, error) {
	if err := piaflow.Authorize(u, piaflow.CapComment); err != nil {
		return piaflow.ActionComment{}, err
	}
	body = strings.TrimSpace(body)
	problem := piaflow.CheckText("body", body, piaflow.MaxTextLength)
	if body == "" {
		problem = new(piaflow.RequiredField("body"))
	}
	if err := piaflow.Invalid(piaflow.Problems(problem)...); err != nil {
		return piaflow.ActionComment{}, err
	}
	return s.st.AddComment(ctx, u, actionID, body, func(a piaflow.Action) error { return piaflow.CanComment(u, a) })
}

// Comments lists an action's comments, oldest first. Errors: ErrForbidden, ErrNotFound.
func (s *Service) Comments(ctx context.Context, u piaflow.User, actionID uint64) ([]piaflow.ActionComment, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return nil, err
	}
	if _, err := s.st.ActionByID(ctx, actionID); err != nil {
		return nil, err
	}
	return s.st.Comments(ctx, actionID)
}

// ImportActions applies an edited action list (rows read by reports.ReadActionImport) to a
// deployment's actions: all rows or none, every problem reported (piaflow.PlanImport).
// Errors: ErrForbidden, ErrNotFound (deployment), ErrConflict (archived), *piaflow.ImportError.
func (s *Service) ImportActions(ctx context.Context, u piaflow.User, deploymentID uint64, rows []piaflow.ActionEdit) (piaflow.ImportResult, error) {
	if err := piaflow.Authorize(u, piaflow.CapEditActions); err != nil {
		return piaflow.ImportResult{}, err
	}
	var assigned []piaflow.Action // the actions the import assigns to someone new
	res, err := s.st.ImportActions(ctx, u, deploymentID, func(acts []piaflow.Action, latest map[uint64]string) ([]piaflow.ActionChange, error) {
		changes, err := piaflow.PlanImport(u, rows, acts, latest)
		before := map[uint64]string{}
		for _, a := range acts {
			before[a.ID] = a.Assignee
		}
		assigned = assigned[:0]
		for _, c := range changes {
			if c.Save && c.Action.Assignee != before[c.Action.ID] {
				assigned = append(assigned, c.Action)
			}
		}
		return changes, err
	})
	if err == nil {
		for _, a := range assigned {
			s.assigned(ctx, u, a)
		}
	}
	return res, err
}
