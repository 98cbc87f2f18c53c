package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/service"
)

// TestTimeline: a deployment's revisions, assessments and review decisions on one timeline,
// newest first, paged; the last reviewed assessment is the rejected one; the comparison lists
// the changed answer.
func TestTimeline(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, legal := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		d, a1 := fx.deployment(t, "Portal")
		if _, err := fx.svc.SubmitReview(ctx, eng, a1.Record.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.DecideReview(ctx, legal, a1.Record.ID, false, "no mechanism for China"); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.LastReviewed(ctx, eng, d.ID, a1.Record.ID); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("reviewed before the first assessment: %v", err)
		}
		r1, err := fx.st.Revision(ctx, d.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		fixed := strings.Replace(string(example(t, "hospital-ehr-germany")), "        mechanism: none", "        mechanism: scc", 1)
		a2, err := fx.svc.SubmitQuestionnaire(ctx, eng, d.ID, r1.ETag, []byte(fixed))
		if err != nil {
			t.Fatal(err)
		}

		tl, err := fx.svc.Timeline(ctx, eng, d.ID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		type entry struct {
			kind     string
			revision int
			id       uint64
			review   string
		}
		var got []entry
		for _, e := range tl.Entries {
			got = append(got, entry{e.Kind, e.Revision, e.AssessmentID, e.Review})
		}
		want := []entry{
			{service.TimelineAssessment, 2, a2.Record.ID, piaflow.ReviewNone},
			{service.TimelineRevision, 2, 0, ""},
			{service.TimelineReview, 1, a1.Record.ID, piaflow.ReviewRejected},
			{service.TimelineAssessment, 1, a1.Record.ID, piaflow.ReviewRejected},
			{service.TimelineRevision, 1, 0, ""},
		}
		if tl.Total != 5 || len(got) != len(want) {
			t.Fatalf("timeline %+v (total %d), want %+v", got, tl.Total, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		if rv := tl.Entries[2]; rv.By != "legal-user" || rv.Comment != "no mechanism for China" || rv.At.IsZero() {
			t.Errorf("review entry %+v", rv)
		}
		if rv := tl.Entries[4]; rv.By != "engineer-user" || rv.Draft {
			t.Errorf("revision entry %+v", rv)
		}
		if a := tl.Entries[0]; a.Verdict != a2.Record.Verdict || a.PolicyVersion == "" {
			t.Errorf("assessment entry %+v", a)
		}
		if len(tl.Assessments) != 2 || tl.Assessments[0].ID != a2.Record.ID || tl.Assessments[1].Revision != 1 {
			t.Errorf("compare choices %+v", tl.Assessments)
		}
		page, err := fx.svc.Timeline(ctx, eng, d.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 2 || page.Entries[0].Kind != service.TimelineRevision || page.Entries[1].Kind != service.TimelineReview || page.Total != 5 {
			t.Errorf("page 2 of 2 entries: %+v", page.Entries)
		}
		if _, err := fx.svc.Timeline(ctx, fx.users[piaflow.RoleSales], d.ID, 0, 10); !errors.Is(err, piaflow.ErrForbidden) {
			t.Errorf("sales reads the timeline: %v", err)
		}
		if _, err := fx.svc.Timeline(ctx, eng, 999, 0, 10); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("timeline of no deployment: %v", err)
		}

		prev, err := fx.svc.LastReviewed(ctx, eng, d.ID, a2.Record.ID)
		if err != nil || prev.Record.ID != a1.Record.ID {
			t.Fatalf("last reviewed: %d %v", prev.Record.ID, err)
		}
		diff, err := fx.svc.CompareAssessments(ctx, eng, a2.Record.ID, a1.Record.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(diff.Changes) != 1 || diff.Changes[0].Path != "activities[0].transfers[0].mechanism" || diff.Changes[0].Old != "none" ||
			diff.Changes[0].New != "scc" || diff.Before.Revision != 1 || diff.After.Revision != 2 {
			t.Errorf("answers %+v, revisions %d → %d", diff.Changes, diff.Before.Revision, diff.After.Revision)
		}
	})
}
