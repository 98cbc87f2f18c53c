package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

// TestImportActions: an edited action list applies as a whole, or not at all with every bad
// row named.
func TestImportActions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		lena, _ := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
		d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "P", Customer: "C"})
		other, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "Q", Customer: "C"})
		for _, dep := range []uint64{d.ID, other.ID} {
			r, _ := s.SaveRevision(ctx, &eng, dep, "", []byte(`{}`), false)
			var specs []piaflow.Action
			for _, k := range []string{"A", "B", "C"} {
				specs = append(specs, piaflow.Action{FindingKey: k, FindingID: k, Severity: "high", Title: "do " + k, Owner: "engineering"})
			}
			if _, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "conditional", Result: "{}"}, specs); err != nil {
				t.Fatal(err)
			}
		}
		acts, _ := s.Actions(ctx, d.ID)
		foreign, _ := s.Actions(ctx, other.ID)
		a, b, c := acts[0], acts[1], acts[2]

		snapshot := func() string {
			got, _ := s.Actions(ctx, d.ID)
			var sb strings.Builder
			for _, x := range got {
				cs, _ := s.Comments(ctx, x.ID)
				sb.WriteString(x.Status + "/" + x.Assignee + "/" + x.Justification + "/")
				for _, cm := range cs {
					sb.WriteString(cm.Body + ";")
				}
				sb.WriteString("|")
			}
			return sb.String()
		}
		before := snapshot()

		bad := []piaflow.ActionEdit{
			{Row: 2, ID: a.ID, Key: "A", Status: piaflow.ActionDone, Comment: "fixed in 2.3"}, // fine alone
			{Row: 3, ID: foreign[0].ID, Status: piaflow.ActionDone},                           // another deployment's
			{Row: 4, ID: b.ID, Status: "finished"},                                            // unknown status
			{Row: 5, ID: c.ID, Status: piaflow.ActionRiskAccepted, Comment: "fine"},           // engineer accepting
			{Row: 6, ID: a.ID},        // duplicate
			{Row: 7, ID: b.ID + 1000}, // unknown
		}
		_, err := importActions(ctx, s, eng, d.ID, bad)
		var ie *piaflow.ImportError
		if !errors.As(err, &ie) || !errors.Is(err, piaflow.ErrInvalid) {
			t.Fatalf("bad import: %v", err)
		}
		rows := map[int]string{}
		for _, p := range ie.Problems {
			rows[p.Row] = p.Column
		}
		want := map[int]string{3: "ID", 4: "Status", 5: "Status", 6: "ID", 7: "ID"}
		for row, col := range want {
			if rows[row] != col {
				t.Errorf("row %d: problem in %q, want %q (all: %+v)", row, rows[row], col, ie.Problems)
			}
		}
		if len(ie.Problems) != len(want) {
			t.Errorf("problems: %+v", ie.Problems)
		}
		if got := snapshot(); got != before {
			t.Errorf("a refused import changed the actions:\nbefore %s\nafter  %s", before, got)
		}

		// Text the store cannot keep is a row problem, not a failed transaction.
		_, err = importActions(ctx, s, lena, d.ID, []piaflow.ActionEdit{
			{Row: 2, ID: a.ID, Assignee: strings.Repeat("x", 101)},
			{Row: 3, ID: b.ID, Comment: "a\x00b"},
		})
		if !errors.As(err, &ie) || len(ie.Problems) != 2 || ie.Problems[0].Column != "Assignee" || ie.Problems[1].Column != "Comment" {
			t.Errorf("over-long assignee and NUL comment: %v", err)
		}

		// Legal accepting a risk needs the justification in the comment.
		if _, err := importActions(ctx, s, lena, d.ID, []piaflow.ActionEdit{{Row: 2, ID: c.ID, Status: piaflow.ActionRiskAccepted}}); !errors.As(err, &ie) || ie.Problems[0].Column != "Comment" {
			t.Errorf("risk acceptance without justification: %v", err)
		}

		res, err := importActions(ctx, s, eng, d.ID, []piaflow.ActionEdit{
			{Row: 2, ID: a.ID, Key: "A", Status: piaflow.ActionDone, Comment: "fixed in 2.3"},
			{Row: 3, ID: b.ID, Status: piaflow.ActionInProgress, Assignee: "erin"},
			{Row: 4, ID: c.ID, Status: piaflow.ActionOpen},
		})
		if err != nil {
			t.Fatal(err)
		}
		if res != (piaflow.ImportResult{Updated: 2, Commented: 1, Unchanged: 1}) {
			t.Errorf("result %+v", res)
		}
		res, err = importActions(ctx, s, lena, d.ID, []piaflow.ActionEdit{
			{Row: 2, ID: a.ID, Status: piaflow.ActionDone, Comment: "fixed in 2.3"}, // the same comment again: not added twice
			{Row: 4, ID: c.ID, Status: piaflow.ActionRiskAccepted, Comment: "residual risk accepted by the DPO, ticket LEG-7"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if res != (piaflow.ImportResult{Updated: 1, Commented: 1, Unchanged: 1}) {
			t.Errorf("result %+v", res)
		}
		// only legal touches an accepted risk, also through an import
		if _, err := importActions(ctx, s, eng, d.ID, []piaflow.ActionEdit{{Row: 9, ID: c.ID, Status: piaflow.ActionRiskAccepted, Assignee: "erin"}}); !errors.As(err, &ie) || ie.Problems[0].Column != "Status" {
			t.Errorf("an engineer reassigning an accepted risk: %v", err)
		}
		got, _ := s.Actions(ctx, d.ID)
		if got[0].Status != piaflow.ActionDone || got[1].Status != piaflow.ActionInProgress || got[1].Assignee != "erin" ||
			got[2].Status != piaflow.ActionRiskAccepted || !strings.Contains(got[2].Justification, "LEG-7") {
			t.Errorf("after import: %+v", got)
		}
		if cs, _ := s.Comments(ctx, a.ID); len(cs) != 1 || cs[0].Author != "erin" {
			t.Errorf("comments of A: %+v", cs)
		}
		if ev, _ := s.AuditLog(ctx, "deployment", d.ID, 50); !strings.Contains(auditActions(ev), "import_actions") {
			t.Errorf("the import is not audited: %s", auditActions(ev))
		}
	})
}

// importActions imports rows as the service does: the domain's plan inside the store's
// transaction.
func importActions(ctx context.Context, s *store.Store, actor piaflow.User, deploymentID uint64, rows []piaflow.ActionEdit) (piaflow.ImportResult, error) {
	return s.ImportActions(ctx, actor, deploymentID, func(acts []piaflow.Action, latest map[uint64]string) ([]piaflow.ActionChange, error) {
		return piaflow.PlanImport(actor, rows, acts, latest)
	})
}

func auditActions(ev []piaflow.AuditEvent) string {
	var out []string
	for _, e := range ev {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}
