package service

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// TestResultCache: a stored result is decoded once and then shared, each caller getting its own
// top level; a record without a result digest is decoded every time; a result counted over a
// quarter of the bound is not kept; an undecodable result is an error and is not kept.
func TestResultCache(t *testing.T) {
	a := assessments.Assessment{SchemaVersion: assessments.SchemaVersion, Verdict: "conditional",
		Findings: []assessments.Finding{{ID: "X", Key: "X@f", Regime: "gdpr", Severity: "high"}}}
	body, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	rec := piaflow.AssessmentRecord{Result: string(body), ResultDigest: "d1"}

	c := newResultCache()
	first, err := c.decode(rec)
	if err != nil || first.Verdict != "conditional" || len(first.Findings) != 1 {
		t.Fatalf("first decode: %+v %v", first, err)
	}
	second, err := c.decode(rec)
	if err != nil || second == first || &second.Findings[0] != &first.Findings[0] {
		t.Fatalf("second decode: not the kept result (%v)", err)
	}
	second.InputDigest = "mine"
	if third, _ := c.decode(rec); third.InputDigest != "" {
		t.Errorf("a caller's top level reached the kept result: %q", third.InputDigest)
	}

	inline := rec
	inline.ResultDigest = ""
	x, _ := c.decode(inline)
	y, _ := c.decode(inline)
	if &x.Findings[0] == &y.Findings[0] {
		t.Error("a result without digest was kept")
	}

	big := piaflow.AssessmentRecord{ResultDigest: "big",
		Result: strings.Replace(string(body), `"verdict"`, `"padding":"`+strings.Repeat("p", decodedResultBytes/4/decodedResultWeight)+`","verdict"`, 1)}
	p, _ := c.decode(big)
	q, _ := c.decode(big)
	if p == nil || q == nil || &p.Findings[0] == &q.Findings[0] {
		t.Error("a result over a quarter of the bound was kept")
	}

	bad := piaflow.AssessmentRecord{ID: 7, ResultDigest: "bad", Result: "{"}
	for range 2 {
		if _, err := c.decode(bad); err == nil || !strings.Contains(err.Error(), "assessment 7") {
			t.Errorf("undecodable result: %v", err)
		}
	}
}
