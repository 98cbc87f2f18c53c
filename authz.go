package piaflow

import (
	"slices"
)

// Roles a user can hold.
const (
	RoleEngineer = "engineer"
	RoleLegal    = "legal"
	RoleSales    = "sales"
	RoleAdmin    = "admin"
)

// Capability is something a role may do.
type Capability string

// Capabilities. Templates and route tables name them by their string value.
const (
	// CapReadDeployments: list deployments and read them with their verdicts.
	CapReadDeployments Capability = "read_deployments"
	// CapHostingCheck: ask where data may be hosted.
	CapHostingCheck Capability = "hosting_check"
	// CapReadAssessments: read questionnaires, assessments, their differences and reports, and
	// actions with their comments (beyond verdicts).
	CapReadAssessments Capability = "read_assessments"
	// CapCreateDeployment: add a deployment.
	CapCreateDeployment Capability = "create_deployment"
	// CapArchiveDeployment: archive a deployment.
	CapArchiveDeployment Capability = "archive_deployment"
	// CapWriteQuestionnaire: save questionnaire revisions (drafts and complete ones).
	CapWriteQuestionnaire Capability = "write_questionnaire"
	// CapEvaluate: evaluate a revision and record the assessment.
	CapEvaluate Capability = "evaluate"
	// CapSubmitReview: ask legal to review an assessment.
	CapSubmitReview Capability = "submit_review"
	// CapReview: approve or reject a submitted assessment.
	CapReview Capability = "review"
	// CapReadReviewQueue: list the assessments waiting for review.
	CapReadReviewQueue Capability = "read_review_queue"
	// CapReevaluate: re-evaluate every active deployment with the current policies.
	CapReevaluate Capability = "reevaluate"
	// CapPropagate: start a propagation, the background re-assessment of the deployments a
	// change touches (a policies propagation needs CapPropagate or CapReevaluate).
	CapPropagate Capability = "propagate"
	// CapManageProducts: push product versions and processor register entries.
	CapManageProducts Capability = "manage_products"
	// CapReadAudit: read the audit log.
	CapReadAudit Capability = "read_audit"
	// CapEditActions: change actions (status, assignee; one at a time or by importing an edited
	// action list) — without CapEditAnyAction only those assigned to the user or to nobody.
	CapEditActions Capability = "edit_actions"
	// CapEditAnyAction: change actions assigned to someone else too.
	CapEditAnyAction Capability = "edit_any_action"
	// CapAcceptRisk: accept a risk (with a justification), change an accepted risk or a
	// justification.
	CapAcceptRisk Capability = "accept_risk"
	// CapComment: comment on actions.
	CapComment Capability = "comment"
	// CapManageUsers: add users, issue and revoke tokens.
	CapManageUsers Capability = "manage_users"
	// CapManageWebhooks: register and remove webhooks, list their deliveries, redeliver.
	CapManageWebhooks Capability = "manage_webhooks"
)

// grants is the one authorisation table: each role, in the order Roles lists them, with what it
// may do. Engineers and admins write; everyone reads deployments with their verdicts; sales
// sees no more than that (and the hosting check); the others read questionnaires, assessments,
// actions and comments too; only legal reviews and accepts risks; only admins manage users and webhooks.
//
// Adding a role: add its constant and its row here, its name to the catalogues (role.<name>)
// and to the OpenAPI document's roles (api/openapi.json).
var grants = []struct {
	role string
	caps []Capability
}{
	{RoleEngineer, []Capability{CapReadDeployments, CapHostingCheck, CapReadAssessments, CapCreateDeployment, CapArchiveDeployment,
		CapWriteQuestionnaire, CapEvaluate, CapSubmitReview, CapPropagate, CapManageProducts, CapEditActions, CapComment}},
	{RoleLegal, []Capability{CapReadDeployments, CapHostingCheck, CapReadAssessments, CapReview, CapReadReviewQueue, CapReevaluate,
		CapReadAudit, CapEditActions, CapEditAnyAction, CapAcceptRisk, CapComment}},
	{RoleSales, []Capability{CapReadDeployments, CapHostingCheck}},
	{RoleAdmin, []Capability{CapReadDeployments, CapHostingCheck, CapReadAssessments, CapCreateDeployment, CapArchiveDeployment,
		CapWriteQuestionnaire, CapEvaluate, CapSubmitReview, CapReadReviewQueue, CapReevaluate, CapPropagate, CapManageProducts, CapReadAudit, CapEditActions,
		CapEditAnyAction, CapComment, CapManageUsers, CapManageWebhooks}},
}

// Roles lists every role.
func Roles() []string {
	out := make([]string, 0, len(grants))
	for _, g := range grants {
		out = append(out, g.role)
	}
	return out
}

// Can reports whether u's role grants capability c.
func Can(u User, c Capability) bool {
	for _, g := range grants {
		if g.role == u.Role {
			return slices.Contains(g.caps, c)
		}
	}
	return false
}

// CanAny reports whether u's role grants one of the capabilities.
func CanAny(u User, cs ...Capability) bool {
	return slices.ContainsFunc(cs, func(c Capability) bool { return Can(u, c) })
}

// RolesWith lists the roles granted one of the capabilities, in the order of Roles.
func RolesWith(cs ...Capability) []string {
	var out []string
	for _, g := range grants {
		if slices.ContainsFunc(cs, func(c Capability) bool { return slices.Contains(g.caps, c) }) {
			out = append(out, g.role)
		}
	}
	return out
}

// Authorize returns nil when u's role grants one of the capabilities, else an ErrForbidden
// *Error (ReasonRole) naming the roles that are.
func Authorize(u User, cs ...Capability) error {
	if CanAny(u, cs...) {
		return nil
	}
	return MsgError(ErrForbidden, ReasonRole, "error.role", "user_role", u.Role, "user_roles", ListParam(", ", RolesWith(cs...)))
}

// CanEditAction returns nil when u may make change to action a, else an ErrForbidden *Error
// with its reason and the field at fault. Only a role with CapAcceptRisk accepts a risk,
// changes an accepted one or changes a justification; without CapEditAnyAction a user changes
// only actions assigned to them or to nobody. Whether the change is valid (a known status, a
// justification for an accepted risk) is checked elsewhere. An empty change asks whether u may
// touch the action at all (comment on it in an imported list): only the assignment rule applies.
func CanEditAction(u User, a Action, change ActionUpdate) error {
	if err := Authorize(u, CapEditActions); err != nil {
		return err
	}
	if !Can(u, CapAcceptRisk) {
		who := ListParam(" or ", RolesWith(CapAcceptRisk))
		switch {
		case change.Status != nil && *change.Status == ActionRiskAccepted && a.Status != ActionRiskAccepted:
			return MsgError(ErrForbidden, ReasonAcceptRisk, "error.accept_risk", "user_roles", who, "user_role", u.Role)
		case a.Status == ActionRiskAccepted && !change.empty():
			return MsgError(ErrForbidden, ReasonAcceptedRisk, "error.accepted_risk", "user_roles", who, "user_role", u.Role)
		case change.Justification != nil:
			return MsgError(ErrForbidden, ReasonAcceptedRisk, "error.justification", "user_roles", who, "user_role", u.Role)
		}
	}
	return assignedRule(u, a, "error.assigned.change")
}

// CanComment returns nil when u may comment on action a, else an ErrForbidden *Error: a role
// with CapComment, and without CapEditAnyAction only on actions assigned to u or to nobody —
// the assignment rule of CanEditAction, which the comments of an imported action list follow
// too.
func CanComment(u User, a Action) error {
	if err := Authorize(u, CapComment); err != nil {
		return err
	}
	return assignedRule(u, a, "error.assigned.comment")
}

// assignedRule is the one assignment rule: without CapEditAnyAction a user touches (verb) only
// actions assigned to them or to nobody (ReasonAssigned); id is the message that says what.
func assignedRule(u User, a Action, id string) error {
	if !Can(u, CapEditAnyAction) && a.Assignee != "" && a.Assignee != u.Name {
		return MsgError(ErrForbidden, ReasonAssigned, id, "id", a.ID, "assignee", a.Assignee, "user_role", u.Role)
	}
	return nil
}
