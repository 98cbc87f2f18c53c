package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestSaveUnchanged: a save whose answers are those of the latest revision (compared
// canonically) keeps no new revision; a change does, and so does completing a draft. A stale
// ETag is refused even with the same answers, and an archived deployment refuses every save.
func TestSaveUnchanged(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		d, a := fx.deployment(t, "Portal")
		r1, err := fx.svc.Revision(ctx, eng, d.ID, 0)
		if err != nil || r1.Number != 1 || r1.ID != a.Record.RevisionID {
			t.Fatalf("latest revision %+v %v", r1, err)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(r1.Document), &doc); err != nil {
			t.Fatal(err)
		}
		src := example(t, "hospital-ehr-germany")
		t.Run("SameYAML", func(t *testing.T) {
			r, _, err := fx.svc.SaveQuestionnaire(ctx, eng, d.ID, r1.ETag, src)
			if err != nil || r.ID != r1.ID {
				t.Errorf("same questionnaire: %+v %v", r, err)
			}
		})
		t.Run("SameAsDraft", func(t *testing.T) {
			r, err := fx.svc.SaveDraft(ctx, eng, d.ID, "*", doc)
			if err != nil || r.ID != r1.ID || r.Draft {
				t.Errorf("same answers as a draft: %+v %v", r, err)
			}
		})
		t.Run("SubmitSame", func(t *testing.T) {
			got, err := fx.svc.SubmitQuestionnaire(ctx, eng, d.ID, r1.ETag, src)
			if err != nil || got.Revision != 1 || got.Record.RevisionID != r1.ID {
				t.Errorf("submitting the same answers: revision %d %v", got.Revision, err)
			}
		})
		// a change makes a draft revision; the same draft again does not; completing it does
		doc["deployment"].(map[string]any)["name"] = "Portal 2"
		r2, err := fx.svc.SaveDraft(ctx, eng, d.ID, r1.ETag, doc)
		if err != nil || r2.Number != 2 || !r2.Draft {
			t.Fatalf("changed draft: %+v %v", r2, err)
		}
		if r, err := fx.svc.SaveDraft(ctx, eng, d.ID, r2.ETag, doc); err != nil || r.ID != r2.ID {
			t.Errorf("the same draft again: %+v %v", r, err)
		}
		complete, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		r3, _, err := fx.svc.SaveQuestionnaire(ctx, eng, d.ID, r2.ETag, complete)
		if err != nil || r3.Number != 3 || r3.Draft {
			t.Errorf("completing the draft: %+v %v", r3, err)
		}
		if _, _, err := fx.svc.SaveQuestionnaire(ctx, eng, d.ID, r1.ETag, complete); !errors.Is(err, piaflow.ErrPrecondition) {
			t.Errorf("the same answers with a stale ETag: %v", err)
		}
		if _, err := fx.svc.ArchiveDeployment(ctx, fx.users[piaflow.RoleAdmin], d.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fx.svc.SaveQuestionnaire(ctx, eng, d.ID, r3.ETag, complete); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("an unchanged save on an archived deployment: %v", err)
		}
	})
}

// TestReviewOfStaleAssessment: submitting an assessment of an older revision is refused with
// ReasonQuestionnaireChanged, naming who saved the newer revision; RevisionAuthor names them.
func TestReviewOfStaleAssessment(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, legal := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		d, a := fx.deployment(t, "Portal")
		r1, _ := fx.svc.Revision(ctx, eng, d.ID, 0)
		changed := strings.Replace(string(example(t, "hospital-ehr-germany")), "Klinikum Nord GmbH", "Klinikum Süd GmbH", 1)
		r2, _, err := fx.svc.SaveQuestionnaire(ctx, eng, d.ID, r1.ETag, []byte(changed))
		if err != nil || r2.Number != 2 {
			t.Fatalf("changed save: %+v %v", r2, err)
		}
		_, err = fx.svc.SubmitReview(ctx, eng, a.Record.ID)
		if !errors.Is(err, piaflow.ErrConflict) || piaflow.ReasonOf(err) != piaflow.ReasonQuestionnaireChanged ||
			!strings.Contains(err.Error(), "engineer-user saved revision 2 at ") {
			t.Errorf("submitting a stale assessment: %v", err)
		}
		if name, err := fx.svc.RevisionAuthor(ctx, legal, r2); err != nil || name != "engineer-user" {
			t.Errorf("author of revision 2: %q %v", name, err)
		}
		if name, err := fx.svc.RevisionAuthor(ctx, legal, piaflow.Revision{}); err != nil || name != piaflow.System.Name {
			t.Errorf("author of a revision piaflow saved: %q %v", name, err)
		}
	})
}
