package assessments

import (
	"context"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	ev := mustEvaluator(t)
	src := string(mustRead(t, "../examples/hospital-ehr-germany.yaml"))
	before, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// the fix: SCCs for the support team in China; a new gap: the restore test is now done but
	// MFA is switched off
	fixed := strings.Replace(src, "        mechanism: none", "        mechanism: scc", 1)
	fixed = strings.Replace(fixed, "  backup_restore_tested: false", "  backup_restore_tested: true", 1)
	fixed = strings.Replace(fixed, "  mfa: true", "  mfa: false", 1)
	after, err := Parse([]byte(fixed))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ev.Assess(context.Background(), before, goldenAsOf)
	b, _ := ev.Assess(context.Background(), after, goldenAsOf)
	d := Compare(a, b)
	if d.VerdictBefore != "blocked" || d.VerdictAfter != "conditional" || d.PolicyChanged {
		t.Errorf("verdicts %s -> %s, policy changed %v", d.VerdictBefore, d.VerdictAfter, d.PolicyChanged)
	}
	keys := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	if got := strings.Join(keys(d.Resolved), ","); got != "GDPR-TRANSFER-NO-MECHANISM,GDPR-SEC-RESTORE-TEST" {
		t.Errorf("resolved %s", got)
	}
	if got := strings.Join(keys(d.Added), ","); got != "GDPR-SEC-MFA,GDPR-TRANSFER-TIA" {
		t.Errorf("added %s", got)
	}
	if len(d.Transfers) != 2 || d.Transfers[0].Before != "mechanism_required" || d.Transfers[0].After != "mechanism_required (satisfied)" {
		t.Errorf("transfer changes %+v", d.Transfers)
	}
	if tc := d.Transfers[0]; tc.BeforeVerdict != "mechanism_required" || tc.BeforeSatisfied || tc.AfterVerdict != "mechanism_required" || !tc.AfterSatisfied {
		t.Errorf("structured transfer change %+v", tc)
	}
	if !Compare(a, a).Empty() {
		t.Error("an assessment differs from itself")
	}
}
