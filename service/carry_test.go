package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestReevaluateCarriesOver: a deployment assessed with earlier policies is not evaluated again
// when the change cannot reach it (only a jurisdiction document naming none of its countries
// changed) and its date makes no difference; it is evaluated when the change reaches one of its
// countries, when a law was added, when the rest of the library changed, when the earlier
// policies' fingerprint is not kept, and when its date is one a law's effective date separates
// from today. A service whose evaluations cannot finish shows which: a carried deployment is
// checked, an evaluated one fails. Every re-evaluation decides so: the synchronous one
// (Reevaluate), a run's job (Reassess) and a batch job's first step (CarryOver).
func TestReevaluateCarriesOver(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		admin := fx.users[piaflow.RoleAdmin]
		d, first := fx.deployment(t, "Portal")
		e, err := policies.Default()
		if err != nil {
			t.Fatal(err)
		}
		ev := assessments.NewEvaluator(e)
		stuck := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond), assessments.WithResultCache(0)))
		cur := ev.Fingerprint()
		rev, err := fx.st.LatestComplete(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		q, err := assessments.Parse([]byte(rev.Document))
		if err != nil {
			t.Fatal(err)
		}
		// far names none of the deployment's countries, near some.
		var far, near string
		for _, id := range slices.Sorted(maps.Keys(cur.Jurisdictions)) {
			named := slices.ContainsFunc(cur.Jurisdictions[id].Countries, func(c string) bool { return slices.Contains(q.Countries(), c) })
			switch {
			case named && near == "":
				near = id
			case !named && far == "":
				far = id
			}
		}
		if far == "" || near == "" {
			t.Fatalf("jurisdictions %v, countries %v: want one naming the deployment's countries and one not", slices.Sorted(maps.Keys(cur.Jurisdictions)), q.Countries())
		}
		db, err := fx.st.SQL()
		if err != nil {
			t.Fatal(err)
		}
		// made makes the deployment's assessment one made with the policies digest on asOf.
		made := func(digest, asOf string) {
			t.Helper()
			if _, err := db.ExecContext(ctx, fmt.Sprintf("UPDATE assessments SET policy_digest = '%s', as_of = '%s' WHERE id = %d", digest, asOf, first.Record.ID)); err != nil {
				t.Fatal(err)
			}
		}
		// kept keeps an earlier bundle: the current one, changed.
		kept := func(digest string, change func(*policies.Fingerprint)) {
			t.Helper()
			fp := cur
			fp.Digest, fp.Jurisdictions = digest, maps.Clone(cur.Jurisdictions)
			change(&fp)
			b, err := json.Marshal(fp)
			if err != nil {
				t.Fatal(err)
			}
			if err := fx.st.SavePolicyBundle(ctx, digest, "earlier", b); err != nil {
				t.Fatal(err)
			}
		}
		today := time.Now().UTC().Format(time.DateOnly)
		yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
		sameYesterday, _ := ev.SameOn([]byte(rev.Document), []byte(first.Record.Result), yesterday, today)
		cases := []struct {
			name, digest, asOf string
			change             func(*policies.Fingerprint) // nil: the fingerprint is not kept
			carried            bool
		}{
			{"same policies, today", cur.Digest, today, nil, true},
			{"a jurisdiction naming none of its countries changed", "sha256:far-changed", today, func(fp *policies.Fingerprint) {
				j := fp.Jurisdictions[far]
				j.Digest = "changed"
				fp.Jurisdictions[far] = j
			}, true},
			// Added or removed, a law reaches every deployment: the coverage texts count the laws.
			{"a jurisdiction naming none of its countries added", "sha256:far-added", today, func(fp *policies.Fingerprint) { delete(fp.Jurisdictions, far) }, false},
			{"a jurisdiction naming one of its countries changed", "sha256:near-changed", today, func(fp *policies.Fingerprint) {
				j := fp.Jurisdictions[near]
				j.Digest = "changed"
				fp.Jurisdictions[near] = j
			}, false},
			{"the rest of the library changed", "sha256:core-changed", today, func(fp *policies.Fingerprint) { fp.Core = "changed" }, false},
			{"the earlier fingerprint not kept", "sha256:not-kept", today, nil, false},
			{"same policies, yesterday", cur.Digest, yesterday, nil, sameYesterday},
			{"same policies, before the GDPR applied", cur.Digest, "2018-01-01", nil, false},
			{"unrelated change, before the GDPR applied", "sha256:far-changed", "2018-01-01", nil, false},
		}
		for _, c := range cases {
			if c.change != nil {
				kept(c.digest, c.change)
			}
			made(c.digest, c.asOf)
			drift, err := stuck.Reevaluate(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if carried := drift.Checked == 1 && len(drift.Failed) == 0; carried != c.carried {
				t.Errorf("%s: checked %d, failed %d (carried %v), want carried %v", c.name, drift.Checked, len(drift.Failed), carried, c.carried)
			}
			// A run's job decides the same: carried, it finishes without an evaluation.
			q := &fakeQueue{}
			stuck.SetQueue(q)
			p, err := stuck.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, c.name)
			if err != nil {
				t.Fatal(err)
			}
			o, err := stuck.Reassess(ctx, p.ID, d.ID)
			if c.carried && (err != nil || !o.Unevaluated || o.State != piaflow.OutcomeDone) {
				t.Errorf("%s: job outcome %+v, %v; want done without an evaluation", c.name, o, err)
			}
			if !c.carried && err == nil && o.Unevaluated {
				t.Errorf("%s: job outcome %+v; want an evaluation (which cannot finish)", c.name, o)
			}
			// A batch job's first step decides the same, and finishes a carried one at once.
			p, err = stuck.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, c.name)
			if err != nil {
				t.Fatal(err)
			}
			rest, err := stuck.CarryOver(ctx, p.ID, []uint64{d.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := stuck.Propagation(ctx, admin, p.ID, "", 1, 0); err != nil || (len(rest) == 0) != c.carried ||
				c.carried != (got.State == piaflow.PropagationDone && got.Unchanged == 1 && got.Done == 1) {
				t.Errorf("%s: carried over: left %v, run %+v, %v; want carried %v", c.name, rest, got.Propagation, err, c.carried)
			}
			if again, err := stuck.CarryOver(ctx, p.ID, []uint64{d.ID}); err != nil || !slices.Equal(again, rest) {
				t.Errorf("%s: carried over again: left %v, %v; want %v (a finished outcome is not finished twice)", c.name, again, err, rest)
			}
		}
	})
}

// TestCarryOverUnreadableRevision: a deployment whose revision today's validator refuses, made
// with an earlier kept bundle, is not carried and fails on its own — the re-evaluation lists it
// under Failed, a batch job leaves it to Reassess — while the others are carried as usual.
func TestCarryOverUnreadableRevision(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		admin := fx.users[piaflow.RoleAdmin]
		bad, badFirst := fx.deployment(t, "Bad")
		good, _ := fx.deployment(t, "Good")
		svc := fx.svc
		cur := svc.Fingerprint()
		// An earlier bundle: the current one with one jurisdiction's document changed.
		fp := cur
		fp.Digest, fp.Jurisdictions = "sha256:earlier", maps.Clone(cur.Jurisdictions)
		for id, j := range fp.Jurisdictions {
			j.Digest = "changed"
			fp.Jurisdictions[id] = j
			break
		}
		b, err := json.Marshal(fp)
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.st.SavePolicyBundle(ctx, fp.Digest, "earlier", b); err != nil {
			t.Fatal(err)
		}
		db, err := fx.st.SQL()
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			fmt.Sprintf(`UPDATE revisions SET document = REPLACE(document, '"schema_version":1', '"schema_version":2') WHERE deployment_id = %d`, bad.ID),
			fmt.Sprintf("UPDATE assessments SET policy_digest = 'sha256:earlier' WHERE id = %d", badFirst.Record.ID),
		} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		drift, err := svc.Reevaluate(ctx, admin)
		if err != nil {
			t.Fatalf("Reevaluate: %v (one unreadable revision must not stop the others)", err)
		}
		if drift.Checked != 1 || len(drift.Failed) != 1 {
			t.Errorf("Reevaluate: checked %d, failed %v; want the good one checked, the bad one failed", drift.Checked, drift.Failed)
		}
		svc.SetQueue(&fakeQueue{})
		p, err := svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "unreadable")
		if err != nil {
			t.Fatal(err)
		}
		rest, err := svc.CarryOver(ctx, p.ID, []uint64{bad.ID, good.ID})
		if err != nil {
			t.Fatalf("CarryOver: %v (one unreadable revision must not fail the batch)", err)
		}
		if !slices.Equal(rest, []uint64{bad.ID}) {
			t.Errorf("CarryOver left %v; want only the bad deployment %d for Reassess", rest, bad.ID)
		}
		got, err := svc.Propagation(ctx, admin, p.ID, "", 10, 0)
		if err != nil || got.Unchanged != 1 {
			t.Errorf("run %+v, %v; want the good deployment finished unchanged", got.Propagation, err)
		}
	})
}
