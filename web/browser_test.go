package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/piaflow/piaflow"
)

// chromium finds the browser: $PIAFLOW_CHROMIUM (scripts/test.sh sets it), else chromium or
// chromium-browser in PATH. Without one the test is skipped, unless PIAFLOW_REQUIRE_TOOLS=1.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PIAFLOW_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("PIAFLOW_REQUIRE_TOOLS") == "1" {
		t.Fatal("PIAFLOW_REQUIRE_TOOLS=1 but chromium is not installed (set PIAFLOW_CHROMIUM)")
	}
	t.Skip("chromium is not installed (set PIAFLOW_CHROMIUM): browser tests skipped")
	return ""
}

// browserTab is one role's tab, in a browser context of its own (its own cookies).
type browserTab struct {
	t    *testing.T
	ctx  context.Context
	base string
	role string
}

func (b *browserTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", b.role, err)
	}
}

func (b *browserTab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: text of %s: %v", b.role, sel, err)
	}
	return s
}

func (b *browserTab) expect(sel string, wants ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, want := range wants {
		if !strings.Contains(got, want) {
			b.t.Errorf("%s: %s shows %q, want it to contain %q", b.role, sel, got, want)
		}
	}
}

// check ticks a checkbox (a script click: a sticky bar may cover it after scrolling).
func (b *browserTab) check(id string) {
	b.t.Helper()
	on, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(e => { if (!e.checked) e.click(); return e.checked })(document.getElementById(%q))`, id)))
	if err != nil || !on {
		b.t.Fatalf("%s: check %s: %v", b.role, id, err)
	}
}

// fetch requests a URL from the page (with its cookies) and returns "status content-type".
func (b *browserTab) fetch(linkID string) string {
	b.t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`fetch(document.getElementById(%q).href).then(r => r.arrayBuffer().then(buf => r.status + " " + r.headers.get("content-type") + " " + buf.byteLength))`, linkID),
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: fetch %s: %v", b.role, linkID, err)
	}
	return got
}

func (b *browserTab) signIn(token string) {
	b.t.Helper()
	start := time.Now()
	defer func() { b.t.Logf("%s signed in in %v", b.role, time.Since(start)) }()
	b.do(chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login-token")),
		chromedp.SendKeys(chromedp.ID("login-token"), token),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("who")))
	b.expect("#who", b.role+"-user")
}

// screenshot saves the viewport as dir/name.png when PIAFLOW_SCREENSHOTS=dir.
func (b *browserTab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("PIAFLOW_SCREENSHOTS")
	if dir == "" {
		return
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true`)); err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// startBrowser starts headless Chromium (path) for one test, bounded by timeout, and returns a
// function that opens a tab for a role in a browser context of its own (its own cookies) on the
// server at base.
func startBrowser(t *testing.T, path, base string, timeout time.Duration) func(role string) *browserTab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 1000))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return func(role string) *browserTab {
		c, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		b := &browserTab{t: t, ctx: c, base: base, role: role}
		b.do(chromedp.EmulateViewport(1280, 1000))
		return b
	}
}

// TestBrowser drives headless Chromium against a real server on loopback with SQLite: each role
// signs in; an engineer fills a questionnaire from empty to submitted (through a validation
// error and its fix), sees the blockers and downloads the reports; legal approves; sales runs a
// hosting check and cannot open the wizard. PIAFLOW_SCREENSHOTS=dir saves the README's
// screenshots.
func TestBrowser(t *testing.T) {
	path := chromium(t)
	base, tokens := testServerDialect(t, "sqlite")
	tab := startBrowser(t, path, base, 90*time.Second)

	// engineer: a new deployment, its questionnaire from empty to submitted
	eng := tab(piaflow.RoleEngineer)
	eng.signIn(tokens[piaflow.RoleEngineer])
	eng.do(chromedp.SendKeys(chromedp.ID("new-name"), "Klinikum Nord patient portal"),
		chromedp.SendKeys(chromedp.ID("new-customer"), "Klinikum Nord GmbH"),
		chromedp.SendKeys(chromedp.ID("new-country"), "DE"),
		chromedp.Click(chromedp.ID("new-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#wizard[data-section="deployment"]`)))
	if v, _ := chromedp.Run(eng.ctx, chromedp.Value(chromedp.ID("f-deployment-customer_country"))); v != "DE" {
		t.Errorf("the new deployment's country is not carried into the questionnaire: %q", v)
	}
	eng.do(chromedp.SendKeys(chromedp.ID("f-deployment-vendor_country"), "China"),
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
		chromedp.SendKeys(chromedp.ID("f-activities-0-data_subjects-0-countries"), "XX"), // wrong on purpose
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
		chromedp.SetValue(chromedp.ID("f-activities-0-transfers-0-mechanism"), "none"))
	// the answers typed before the add survived the round trip
	if v, _ := chromedp.Run(eng.ctx, chromedp.Value(chromedp.ID("f-activities-0-name"))); v != "Patient records" {
		t.Errorf("activity name after adding a transfer: %q", v)
	}
	eng.screenshot("wizard-en")
	eng.do(chromedp.Click(chromedp.ID("next")),
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
	// submit: the wrong country comes back next to its input
	eng.do(chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("f-activities-0-data_subjects-0-countries-err")))
	eng.expect("#f-activities-0-data_subjects-0-countries-err", `"XX" is not an ISO 3166-1 alpha-2 code`)
	eng.expect("#step-activities .count", "1")
	if a, _ := chromedp.Run(eng.ctx, chromedp.AttributeValue(chromedp.ID("f-activities-0-data_subjects-0-countries"), "aria-invalid")); a.Value != "true" {
		t.Errorf("the wrong country's input is not aria-invalid: %+v", a)
	}
	eng.do(chromedp.Clear(chromedp.ID("f-activities-0-data_subjects-0-countries")),
		chromedp.SendKeys(chromedp.ID("f-activities-0-data_subjects-0-countries"), "DE, Austria"),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("blockers")))
	eng.expect("#verdict", "Blocked")
	eng.expect("#blockers", "Blockers", "activities[0].transfers[0].mechanism")
	eng.expect("#transfers", "Germany", "Austria", "China")
	eng.screenshot("assessment-en")
	eng.do(chromedp.Click(chromedp.ID("submit-review")), chromedp.WaitVisible(chromedp.ID("flash")))
	eng.expect("#review-state", "Submitted for review")
	assessmentURL, err := chromedp.Run(eng.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	assessmentURL, _, _ = strings.Cut(assessmentURL, "?")

	// legal: the queue, approve with a comment
	legal := tab(piaflow.RoleLegal)
	legal.signIn(tokens[piaflow.RoleLegal])
	legal.do(chromedp.Click(chromedp.CSS(`a[href="/reviews"]`)),
		chromedp.WaitVisible(chromedp.ID("review-queue")))
	legal.expect("#review-queue", "Klinikum Nord patient portal", "Blocked")
	// an open blocker: legal accepts its risk with a justification before approving (issue 11)
	blocker := `li.action:has(.badge.sev-blocker) `
	legal.do(chromedp.Click(chromedp.CSS(`#review-queue a`)),
		chromedp.WaitVisible(chromedp.ID("decide")),
		// approving with the blocker open comes back to the page with the blocker listed, its
		// link leading to its action (issue 16: no dead ends)
		chromedp.Click(chromedp.ID("approve")),
		chromedp.WaitVisible(chromedp.ID("open-blockers")))
	legal.expect("#review-error", "Still open", "activities[0].transfers[0].mechanism")
	legal.do(chromedp.Click(chromedp.CSS(`#open-blockers a`)),
		chromedp.SetValue(chromedp.CSS(blocker+`select[name=status]`), piaflow.ActionRiskAccepted),
		chromedp.SendKeys(chromedp.CSS(blocker+`textarea[name=justification]`), "SCCs with the support team are signed before go-live"),
		chromedp.Click(chromedp.CSS(blocker+`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitVisible(chromedp.ID("decide")),
		chromedp.SendKeys(chromedp.ID("review-comment-input"), "Go-live once the SCCs with the support team are signed"),
		chromedp.Click(chromedp.ID("approve")),
		// the page before the approval has a flash too (the action saved): wait for it to go
		chromedp.WaitNotPresent(chromedp.ID("decide")),
		chromedp.WaitVisible(chromedp.ID("review-state")),
		chromedp.WaitVisible(chromedp.ID("flash")))
	legal.expect("#review-state", "Approved with accepted risks")
	legal.expect("#accepted-risks", "legal-user", "SCCs with the support team are signed before go-live")
	legal.expect("#review-comment", "SCCs with the support team")
	legal.expect("#audit", "approved", "engineer-user")

	// sales: the hosting check (a shareable URL), and no wizard
	sales := tab(piaflow.RoleSales)
	sales.signIn(tokens[piaflow.RoleSales])
	sales.do(chromedp.WaitVisible(chromedp.ID("hosting-form")))
	sales.check("hc-data-health")
	sales.check("hc-data-contact")
	sales.do(chromedp.SendKeys(chromedp.ID("hc-subjects"), "DE, RU"),
		chromedp.SendKeys(chromedp.ID("hc-host"), "SG"),
		chromedp.Click(chromedp.ID("hc-submit")),
		chromedp.WaitVisible(chromedp.ID("hosting-result")))
	sales.expect("#answer-DE", "Allowed with a transfer mechanism")
	sales.expect("#answer-RU", "Must stay in the country", "152-FZ")
	if loc, _ := chromedp.Run(sales.ctx, chromedp.Location()); !strings.Contains(loc, "subjects=DE%2C+RU") || !strings.Contains(loc, "host=SG") {
		t.Errorf("the hosting check's URL does not hold the question: %s", loc)
	}
	sales.screenshot("hosting-en")
	sales.do(chromedp.Navigate(base+"/deployments/1/wizard"), chromedp.WaitVisible(chromedp.ID("page-error")))
	sales.expect("#page-error", "Your role (Sales) may not open this page")
	if n, _ := chromedp.Run(sales.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#wizard").length`)); n != 0 {
		t.Error("sales sees the wizard")
	}
	sales.do(chromedp.Navigate(base+"/deployments"), chromedp.WaitVisible(chromedp.ID("deployments")))
	sales.expect("#deployments", "Klinikum Nord patient portal", "Blocked", "Approved with accepted risks")

	// admin: signs in and sees the review queue in the navigation
	admin := tab(piaflow.RoleAdmin)
	admin.signIn(tokens[piaflow.RoleAdmin])
	admin.expect(".main-nav", "Deployments", "Legal review", "Hosting check")

	// Chinese: the language switch is remembered
	if os.Getenv("PIAFLOW_SCREENSHOTS") != "" {
		eng.do(chromedp.Navigate(base+"/deployments/1/wizard?section=activities"), chromedp.WaitVisible(chromedp.ID("wizard")),
			chromedp.Click(chromedp.CSS(`a[lang="zh-CN"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-CN"] #wizard`)))
		eng.screenshot("wizard-zh-CN")
		eng.do(chromedp.Navigate(assessmentURL), chromedp.WaitVisible(chromedp.ID("blockers")))
		eng.screenshot("assessment-zh-CN")
	}
	sales.do(chromedp.Navigate(base+"/hosting-check?data=health&data=contact&subjects=DE%2C+RU&host=SG"), chromedp.WaitVisible(chromedp.ID("hosting-result")),
		chromedp.Click(chromedp.CSS(`a[lang="zh-CN"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-CN"] #hosting-result`)))
	sales.expect("#answer-RU", "俄罗斯", "必须本地化")
	sales.screenshot("hosting-zh-CN")

	// the report downloads through the session cookie (last: the report endpoints are newer)
	eng.do(chromedp.Navigate(assessmentURL), chromedp.WaitVisible(chromedp.ID("downloads")))
	for id, want := range map[string]string{"dl-pdf-en": "200 application/pdf", "dl-pdf-zh": "200 application/pdf",
		"dl-xlsx": "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		if got := eng.fetch(id); !strings.HasPrefix(got, want) {
			t.Errorf("download %s: %s, want %s", id, got, want)
		}
	}
	// the questionnaire downloads for the repository's CI gate
	eng.do(chromedp.Navigate(base+"/deployments/1"), chromedp.WaitVisible(chromedp.ID("questionnaire-downloads")))
	for id, want := range map[string]string{"dl-yaml": "200 application/yaml", "dl-json": "200 application/json"} {
		if got := eng.fetch(id); !strings.HasPrefix(got, want) {
			t.Errorf("download %s: %s, want %s", id, got, want)
		}
	}

	// the deployment's history (issue 16): the approval on the timeline; a fix in the wizard;
	// what changed since the approval at the top of the new assessment, answers by their labels;
	// the comparison chosen on the deployment page
	eng.do(chromedp.Navigate(base+"/lang/en?next=%2Fdeployments%2F1"), chromedp.WaitVisible(chromedp.ID("timeline")))
	eng.expect("#review-state", "Approved with accepted risks")
	eng.expect("#timeline", "Review of assessment #1", "Approved with accepted risks", "Go-live once the SCCs")
	eng.do(chromedp.Navigate(base+"/deployments/1/wizard?section=activities"), chromedp.WaitVisible(chromedp.ID("f-activities-0-transfers-0-mechanism")),
		chromedp.SetValue(chromedp.ID("f-activities-0-transfers-0-mechanism"), "scc"),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("diff-answers")))
	eng.expect("#diff", "Approved with accepted risks): #1", "Activity 1 › Transfer 1 › Transfer mechanism", "None", "Standard contractual clauses (SCC)")
	eng.do(chromedp.Navigate(base+"/deployments/1"), chromedp.WaitVisible(chromedp.ID("compare-form")),
		chromedp.Click(chromedp.ID("compare-submit")), chromedp.WaitVisible(chromedp.ID("compare")))
	eng.expect("#compare", "Activity 1 › Transfer 1 › Transfer mechanism", "Standard contractual clauses (SCC)")
}
