package service

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
)

// TestResultCache: a record kept (what identifies it, not its review) and its result, read and
// decoded once, are then served from memory (the store closed); each caller gets its own top
// level of a shared result; a record holding its result inline is not kept and its result is
// decoded every time; a result counted over a quarter of the bound is not kept; an undecodable
// result, or one the store does not hold, is no assessment and no error (evaluated again); the
// store's failure is an error.
func TestResultCache(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Config(t, "sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	result := func(extra string) string {
		b, err := json.Marshal(assessments.Assessment{SchemaVersion: assessments.SchemaVersion, Verdict: "conditional",
			Findings: []assessments.Finding{{ID: "X", Key: "X@f", Regime: "gdpr", Severity: "high"}}})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(string(b), `"verdict"`, `"padding":"`+extra+`","verdict"`, 1)
	}
	eng, _ := st.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
	var revs []piaflow.Revision
	for i, body := range []string{result(""), result(strings.Repeat("p", storedResultBytes/4/storedResultWeight))} {
		d, _ := st.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "P" + strconv.Itoa(i), Customer: "C"})
		r, err := st.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "conditional", Result: body}, nil); err != nil {
			t.Fatal(err)
		}
		revs = append(revs, r)
	}

	c := newResultCache()
	if _, err := c.recordOf(ctx, st, revs[0].ID, "d", "2026-11-26"); !errors.Is(err, piaflow.ErrNotFound) {
		t.Errorf("no record that day: %v", err)
	}
	rec, err := c.recordOf(ctx, st, revs[0].ID, "d", "2026-11-25")
	if err != nil || rec.Result != "" || rec.ResultDigest == "" || rec.InputDigest != "" || rec.ID == 0 {
		t.Fatalf("record of the revision: %+v %v", rec, err)
	}
	reviewed := rec
	reviewed.InputDigest, reviewed.ReviewComment, reviewed.Result = "in", "looks fine", "{}"
	c.keep(reviewed)
	c.keep(piaflow.AssessmentRecord{RevisionID: revs[1].ID, PolicyDigest: "d", AsOf: "2026-11-25", Result: "{}"}) // inline: not kept
	body, first, err := c.result(ctx, st, rec)
	if err != nil || body != result("") || first == nil || first.Verdict != "conditional" || len(first.Findings) != 1 {
		t.Fatalf("first read: %q %+v %v", body, first, err)
	}
	big, err := c.recordOf(ctx, st, revs[1].ID, "d", "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := c.result(ctx, st, big)
	if err != nil || len(p) <= storedResultBytes/4/storedResultWeight {
		t.Fatalf("large result: %d bytes, %v", len(p), err)
	}
	if _, a, err := c.result(ctx, st, piaflow.AssessmentRecord{ID: 9, ResultDigest: "0000"}); a != nil || err != nil {
		t.Errorf("a result the store does not hold: %v %v", a, err)
	}

	st.Close() // from here on, only what is kept answers
	again, err := c.recordOf(ctx, st, revs[0].ID, "d", "2026-11-25")
	if err != nil || again.ID != rec.ID || again.ResultDigest != rec.ResultDigest || again.InputDigest != "in" || again.ReviewComment != "" || again.Result != "" {
		t.Fatalf("record kept: %+v %v", again, err)
	}
	if _, err := c.recordOf(ctx, st, revs[1].ID, "d", "2026-11-25"); err == nil {
		t.Error("a record holding its result inline was kept")
	}
	if _, _, err := c.result(ctx, st, piaflow.AssessmentRecord{ID: 9, ResultDigest: "0000"}); err == nil || !strings.Contains(err.Error(), "assessment 9") {
		t.Errorf("the store's failure: %v", err)
	}
	body, second, err := c.result(ctx, st, again)
	if err != nil || body != result("") || second == first || &second.Findings[0] != &first.Findings[0] {
		t.Fatalf("result kept: %v", err)
	}
	second.InputDigest = "mine"
	if _, third, _ := c.result(ctx, st, again); third.InputDigest != "" {
		t.Errorf("a caller's top level reached the kept result: %q", third.InputDigest)
	}
	if _, _, err := c.result(ctx, st, big); err == nil {
		t.Error("a result over a quarter of the bound was kept")
	}

	inline := piaflow.AssessmentRecord{Result: result("")}
	_, x, _ := c.result(ctx, st, inline)
	_, y, _ := c.result(ctx, st, inline)
	if x == nil || y == nil || &x.Findings[0] == &y.Findings[0] {
		t.Error("a result held inline was kept")
	}
	for _, bad := range []piaflow.AssessmentRecord{{Result: "{"}, {ResultDigest: "bad", Result: "{"}} {
		if _, a, err := c.result(ctx, st, bad); a != nil || err != nil {
			t.Errorf("undecodable result: %v %v", a, err)
		}
	}
}
