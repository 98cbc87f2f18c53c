package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/oidc/oidctest"
)

// TestBrowserLifecycle walks the whole life of a deployment in headless Chromium against a
// server configured with the OpenID provider (issue 16): the engineer fills and submits; legal
// signs in through the provider and rejects with a comment; the engineer sees the rejection,
// fixes an answer and resubmits; the new assessment shows what changed since the rejected one
// by the question's label; legal compares on the deployment page, accepts the blocker's risk
// and approves; the timeline holds the rejection and the approval; the engineer sets an action
// to done. No step ends on an error page.
func TestBrowserLifecycle(t *testing.T) {
	path := chromium(t)
	base, st := oidcServer(t)
	engToken, _, err := st.CreateToken(context.Background(), nil, "engineer-user", "browser")
	if err != nil {
		t.Fatal(err)
	}
	tab := startBrowser(t, path, base, 90*time.Second)
	// noError fails the test when the page shown is an error page.
	noError := func(b *browserTab, step string) {
		t.Helper()
		n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#page-error").length`))
		if err != nil {
			t.Fatalf("%s: %s: %v", b.role, step, err)
		}
		if n != 0 {
			t.Fatalf("%s: %s ends on an error page: %s", b.role, step, b.text("#page-error"))
		}
	}

	// engineer: a new deployment, filled, evaluated and submitted for review
	eng := tab(piaflow.RoleEngineer)
	eng.signIn(engToken)
	eng.do(chromedp.SendKeys(chromedp.ID("new-name"), "Klinikum Süd patient portal"),
		chromedp.SendKeys(chromedp.ID("new-customer"), "Klinikum Süd GmbH"),
		chromedp.SendKeys(chromedp.ID("new-country"), "DE"),
		chromedp.Click(chromedp.ID("new-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="deployment"]`)),
		chromedp.SendKeys(chromedp.ID("f-deployment-vendor_country"), "China"),
		chromedp.SetValue(chromedp.ID("f-deployment-vendor_role"), "processor"),
		chromedp.SetValue(chromedp.ID("f-deployment-sector"), "healthcare"),
		chromedp.Click(chromedp.ID("next")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="hosting"]`)),
		chromedp.Click(chromedp.ID("f-hosting-add")),
		chromedp.WaitVisible(chromedp.ID("f-hosting-0-name")),
		chromedp.SendKeys(chromedp.ID("f-hosting-0-name"), "primary"),
		chromedp.SetValue(chromedp.ID("f-hosting-0-provider"), "aws"),
		chromedp.SendKeys(chromedp.ID("f-hosting-0-region"), "eu-central-1"),
		chromedp.SetValue(chromedp.ID("f-hosting-0-role"), "primary"),
		chromedp.Click(chromedp.ID("next")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="activities"]`)),
		chromedp.Click(chromedp.ID("f-activities-add")),
		chromedp.WaitVisible(chromedp.ID("f-activities-0-name")),
		chromedp.SendKeys(chromedp.ID("f-activities-0-name"), "Patient records"),
		chromedp.SetValue(chromedp.ID("f-activities-0-legal_basis"), "legal_obligation"),
		chromedp.SetValue(chromedp.ID("f-activities-0-data_subjects-0-type"), "patients"),
		chromedp.SendKeys(chromedp.ID("f-activities-0-data_subjects-0-countries"), "DE"),
		chromedp.SendKeys(chromedp.ID("f-activities-0-data_subjects-0-count"), "250000"))
	eng.check("f-activities-0-data_subjects-0-vulnerable")
	eng.check("f-activities-0-data_categories-health")
	eng.check("f-activities-0-data_categories-contact")
	eng.do(chromedp.Click(chromedp.ID("f-activities-0-transfers-add")),
		chromedp.WaitVisible(chromedp.ID("f-activities-0-transfers-0-to_country")),
		chromedp.SendKeys(chromedp.ID("f-activities-0-transfers-0-to_country"), "CN"),
		chromedp.SendKeys(chromedp.ID("f-activities-0-transfers-0-recipient"), "Vendor second-line support"),
		chromedp.SetValue(chromedp.ID("f-activities-0-transfers-0-recipient_type"), "vendor_affiliate"),
		chromedp.SetValue(chromedp.ID("f-activities-0-transfers-0-access"), "remote_access"),
		chromedp.SetValue(chromedp.ID("f-activities-0-transfers-0-mechanism"), "none"),
		chromedp.Click(chromedp.ID("next")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="processors"]`)),
		chromedp.Click(chromedp.ID("next")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="security"]`)),
		chromedp.SetValue(chromedp.ID("f-security-access_control"), "role_based"))
	for _, f := range []string{"encryption_at_rest", "encryption_in_transit", "mfa", "audit_logging", "backups"} {
		eng.check("f-security-" + f)
	}
	eng.do(chromedp.Click(chromedp.ID("next")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="governance"]`)))
	eng.check("f-governance-records_of_processing")
	eng.check("f-governance-privacy_notice")
	eng.do(chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("blockers")))
	noError(eng, "evaluate")
	eng.expect("#verdict", "Blocked")
	eng.do(chromedp.Click(chromedp.ID("submit-review")), chromedp.WaitVisible(chromedp.ID("flash")))
	noError(eng, "submit for review")
	eng.expect("#review-state", "Submitted for review")

	// legal: signs in through the OpenID provider and rejects with a comment
	legal := tab("alice (OpenID Connect, legal)")
	legal.do(chromedp.Navigate(base+"/reviews"),
		chromedp.WaitVisible(chromedp.ID("login-oidc")),
		chromedp.Click(chromedp.ID("login-oidc")),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "alice"),
		chromedp.SendKeys(chromedp.ID("password"), oidctest.Password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("review-queue")))
	noError(legal, "sign-in through the provider")
	legal.expect("#who", "alice")
	legal.expect("#review-queue", "Klinikum Süd patient portal", "Blocked")
	const rejection = "Austrian patients are missing from the data subjects"
	legal.do(chromedp.Click(chromedp.CSS(`#review-queue a`)),
		chromedp.WaitVisible(chromedp.ID("decide")),
		chromedp.SendKeys(chromedp.ID("review-comment-input"), rejection),
		chromedp.Click(chromedp.ID("reject")),
		chromedp.WaitNotPresent(chromedp.ID("decide")),
		chromedp.WaitVisible(chromedp.ID("review-comment")))
	noError(legal, "reject")
	legal.expect("#review-state", "Rejected")
	legal.expect("#review-comment", rejection)

	// engineer: sees the rejection on the deployment, fixes the answer, evaluates, resubmits
	eng.do(chromedp.Navigate(base+"/deployments/1"), chromedp.WaitVisible(chromedp.ID("timeline")))
	noError(eng, "deployment after the rejection")
	eng.expect("#review-state", "Rejected")
	eng.expect("#timeline", "Review of assessment #1", "Rejected", rejection)
	eng.do(chromedp.Click(chromedp.ID("edit-questionnaire")),
		chromedp.WaitVisible(chromedp.ID("wizard")),
		chromedp.Navigate(base+"/deployments/1/wizard?section=activities"),
		chromedp.WaitVisible(chromedp.ID("f-activities-0-data_subjects-0-countries")),
		chromedp.Clear(chromedp.ID("f-activities-0-data_subjects-0-countries")),
		chromedp.SendKeys(chromedp.ID("f-activities-0-data_subjects-0-countries"), "DE, AT"),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("diff-answers")))
	noError(eng, "evaluate the fix")
	// what changed since the last reviewed (the rejected) assessment, the answer by its label
	eng.expect("#diff", "Rejected): #1")
	eng.expect("#diff-answers", "Activity 1 › Data subject group 1 › Countries where they are", "Austria (AT)")
	eng.do(chromedp.Click(chromedp.ID("submit-review")), chromedp.WaitVisible(chromedp.ID("flash")))
	noError(eng, "resubmit")
	eng.expect("#review-state", "Submitted for review")

	// legal: compares on the deployment page, accepts the blocker's risk and approves
	legal.do(chromedp.Navigate(base+"/deployments/1"), chromedp.WaitVisible(chromedp.ID("compare-form")),
		chromedp.Click(chromedp.ID("compare-submit")), chromedp.WaitVisible(chromedp.ID("compare")))
	noError(legal, "compare")
	legal.expect("#compare", "#1", "#2", "Activity 1 › Data subject group 1 › Countries where they are", "Austria (AT)")
	blocker := `li.action:has(.badge.sev-blocker) `
	legal.do(chromedp.Navigate(base+"/reviews"), chromedp.WaitVisible(chromedp.ID("review-queue")),
		chromedp.Click(chromedp.CSS(`#review-queue a`)),
		chromedp.WaitVisible(chromedp.ID("decide")),
		chromedp.SetValue(chromedp.CSS(blocker+`select[name=status]`), piaflow.ActionRiskAccepted),
		chromedp.SendKeys(chromedp.CSS(blocker+`textarea[name=justification]`), "SCCs with the support team are signed before go-live"),
		chromedp.Click(chromedp.CSS(blocker+`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitVisible(chromedp.ID("decide")))
	noError(legal, "accept the blocker's risk")
	legal.do(chromedp.SendKeys(chromedp.ID("review-comment-input"), "Go-live once the SCCs are signed"),
		chromedp.Click(chromedp.ID("approve")),
		chromedp.WaitNotPresent(chromedp.ID("decide")),
		chromedp.WaitVisible(chromedp.ID("review-state")))
	noError(legal, "approve")
	legal.expect("#review-state", "Approved with accepted risks")
	legal.expect("#accepted-risks", "alice", "SCCs with the support team")

	// the timeline holds the rejection and the approval
	eng.do(chromedp.Navigate(base+"/deployments/1"), chromedp.WaitVisible(chromedp.ID("timeline")))
	noError(eng, "deployment after the approval")
	eng.expect("#review-state", "Approved with accepted risks")
	eng.expect("#timeline", "Review of assessment #1", rejection, "Review of assessment #2", "Approved with accepted risks", "Go-live once the SCCs are signed")
	if n, _ := chromedp.Run(eng.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#timeline tr[data-kind="review"]').length`)); n < 2 {
		t.Errorf("the timeline shows %d review rows, want the rejection and the approval", n)
	}

	// engineer: works an open action of the approved assessment to done
	eng.do(chromedp.Click(chromedp.ID("latest-assessment")), chromedp.WaitVisible(chromedp.ID("actions")))
	noError(eng, "approved assessment")
	act, err := chromedp.Run(eng.ctx, chromedp.Evaluate[string](`(document.querySelector("#actions li.action.status-open") || {}).id || ""`))
	if err != nil || act == "" {
		t.Fatalf("no open action on the approved assessment: %v", err)
	}
	p := "#" + act + " "
	eng.do(chromedp.SetValue(chromedp.CSS(p+`select[name=status]`), piaflow.ActionDone),
		chromedp.Click(chromedp.CSS(p+`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitVisible(chromedp.CSS("#"+act+".status-done")))
	noError(eng, "action to done")
	if v, _ := chromedp.Run(eng.ctx, chromedp.Value(chromedp.CSS(p+`select[name=status]`))); v != piaflow.ActionDone {
		t.Errorf("action %s shows status %q after saving, want done", act, v)
	}
}
