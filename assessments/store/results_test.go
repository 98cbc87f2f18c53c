package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

// TestResultsKeptOnce: the same result saved for several records — evaluations of unchanged
// questionnaires, the same questionnaire in two deployments — is kept once; every read of a
// whole record gives it back, a review leaves it where it is kept, and headers stay without it.
func TestResultsKeptOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		db, err := s.SQL()
		if err != nil {
			t.Fatal(err)
		}
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		const same, other = `{"verdict":"conditional","findings":[]}`, `{"verdict":"ready"}`
		var ids []uint64
		var deployments []uint64
		for _, name := range []string{"P", "Q"} {
			d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: name, Customer: "C"})
			deployments = append(deployments, d.ID)
			r, _ := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), false)
			for range 2 {
				a, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "conditional", InputDigest: "i", Result: same}, nil)
				if err != nil || a.Result != same || a.ID == 0 || a.ResultDigest == "" {
					t.Fatalf("save: %+v %v", a, err)
				}
				ids = append(ids, a.ID)
			}
		}
		d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "R", Customer: "C"})
		r, _ := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{"x":1}`), false)
		o, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "ready", Result: other}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var kept, inline int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_results").Scan(&kept); err != nil || kept != 2 {
			t.Errorf("results kept: %d (%v), want 2 for 5 records", kept, err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM assessments WHERE result <> ''").Scan(&inline); err != nil || inline != 0 {
			t.Errorf("records holding their result inline: %d (%v)", inline, err)
		}

		for _, id := range ids {
			if a, err := s.Assessment(ctx, id); err != nil || a.Result != same {
				t.Errorf("Assessment(%d): %q %v", id, a.Result, err)
			}
		}
		if a, err := s.Assessment(ctx, o.ID); err != nil || a.Result != other {
			t.Errorf("Assessment(%d): %q %v", o.ID, a.Result, err)
		}
		if a, err := s.AssessmentOf(ctx, r.ID, "d", "2026-11-25"); err != nil || a.Result != other {
			t.Errorf("AssessmentOf: %q %v", a.Result, err)
		}
		if a, err := s.AssessmentByInput(ctx, "i", "d", "2026-11-25"); err != nil || a.Result != same || a.ID != ids[3] {
			t.Errorf("AssessmentByInput: %d %q %v", a.ID, a.Result, err)
		}
		if a, err := s.LatestAssessment(ctx, deployments[0]); err != nil || a.Result != same || a.ID != ids[1] {
			t.Errorf("LatestAssessment: %d %q %v", a.ID, a.Result, err)
		}
		if h, err := s.AssessmentHeader(ctx, ids[0]); err != nil || h.Result != "" {
			t.Errorf("a header carries its result: %q %v", h.Result, err)
		}

		// A record read with its result is recorded again without writing the result; a digest
		// that is not its result's is not trusted.
		again, err := s.AssessmentOf(ctx, r.ID, "d", "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		again.ID = 0
		if a, err := s.SaveAssessment(ctx, &eng, again, nil); err != nil || a.Result != other || a.ResultDigest != again.ResultDigest {
			t.Fatalf("save a record read from the store: %+v %v", a, err)
		}
		const third = `{"verdict":"blocked"}`
		wrong := piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-26", Verdict: "blocked", Result: third, ResultDigest: again.ResultDigest}
		w, err := s.SaveAssessment(ctx, &eng, wrong, nil)
		if err != nil || w.ResultDigest == again.ResultDigest {
			t.Fatalf("save with another result's digest: %+v %v", w, err)
		}
		if a, err := s.Assessment(ctx, w.ID); err != nil || a.Result != third {
			t.Errorf("a record saved with another result's digest reads %q %v", a.Result, err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_results").Scan(&kept); err != nil || kept != 3 {
			t.Errorf("results kept: %d (%v), want 3", kept, err)
		}

		// A review reads the result (the decision checks its blockers) and leaves it kept once.
		var seen string
		sub, err := s.Review(ctx, &eng, ids[3], "submit_review", func(a *piaflow.AssessmentRecord, _ []piaflow.Action, _ time.Time) error {
			seen = a.Result
			return a.Submit()
		})
		if err != nil || seen != same || sub.Result != same {
			t.Fatalf("review: saw %q, returned %q, %v", seen, sub.Result, err)
		}
		var col, digest string
		if err := db.QueryRowContext(ctx, "SELECT result, result_digest FROM assessments WHERE id = "+strconv.FormatUint(ids[3], 10)).Scan(&col, &digest); err != nil || col != "" || digest != sub.ResultDigest {
			t.Errorf("after the review the record holds %q, digest %q (%v)", col, digest, err)
		}
		if a, err := s.LastInReview(ctx, deployments[1], 0, piaflow.ReviewSubmitted); err != nil || a.Result != same {
			t.Errorf("LastInReview: %q %v", a.Result, err)
		}
	})
}

// TestResultsKeptOnceConcurrently: records with the same result saved at once, in transactions
// of their own, all succeed and share one kept result.
func TestResultsKeptOnceConcurrently(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n, result = 6, `{"verdict":"blocked"}`
		revs := make([]uint64, n)
		for i := range n {
			d, err := s.CreateDeployment(ctx, nil, piaflow.Deployment{Name: "D" + strconv.Itoa(i), Customer: "C"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.SaveRevision(ctx, nil, d.ID, "", []byte(`{}`), false)
			if err != nil {
				t.Fatal(err)
			}
			revs[i] = r.ID
		}
		errs := make(chan error, n)
		start := make(chan struct{})
		for _, rev := range revs {
			go func() {
				<-start
				_, err := s.SaveAssessment(ctx, nil, piaflow.AssessmentRecord{RevisionID: rev, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "blocked", Result: result}, nil)
				errs <- err
			}()
		}
		close(start)
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("save: %v", err)
			}
		}
		db, err := s.SQL()
		if err != nil {
			t.Fatal(err)
		}
		var kept int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_results").Scan(&kept); err != nil || kept != 1 {
			t.Errorf("results kept: %d (%v), want 1", kept, err)
		}
		for _, rev := range revs {
			if a, err := s.AssessmentOf(ctx, rev, "d", "2026-11-25"); err != nil || a.Result != result {
				t.Errorf("revision %d: %q %v", rev, a.Result, err)
			}
		}
	})
}

// TestResultNotWrittenAgain: a record read with its result is saved without writing the result
// again (a trigger refuses every write to assessment_results), while a record whose digest is
// not its result's writes it.
func TestResultNotWrittenAgain(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		db, err := s.SQL()
		if err != nil {
			t.Fatal(err)
		}
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "P", Customer: "C"})
		r, _ := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), false)
		first, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "ready", Result: `{"verdict":"ready"}`}, nil)
		if err != nil {
			t.Fatal(err)
		}
		refuse := []string{`CREATE TRIGGER no_result_writes BEFORE INSERT ON assessment_results BEGIN SELECT RAISE(ABORT, 'result written'); END`}
		if s.Dialect() == "postgres" {
			refuse = []string{
				`CREATE FUNCTION no_result_writes() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'result written'; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER no_result_writes BEFORE INSERT ON assessment_results FOR EACH ROW EXECUTE FUNCTION no_result_writes()`,
			}
		}
		for _, q := range refuse {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		again, err := s.AssessmentOf(ctx, r.ID, "d", "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		again.ID = 0
		if a, err := s.SaveAssessment(ctx, &eng, again, nil); err != nil || a.ResultDigest != first.ResultDigest {
			t.Errorf("a record read with its result, saved again: %v", err)
		}
		again.ID, again.ResultDigest = 0, strings.Repeat("0", 64)
		if _, err := s.SaveAssessment(ctx, &eng, again, nil); err == nil || !strings.Contains(err.Error(), "result written") {
			t.Errorf("a record whose digest is not its result's did not write it: %v", err)
		}
	})
}
