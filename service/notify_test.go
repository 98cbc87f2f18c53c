package service_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/notify"
	"github.com/piaflow/piaflow/notify/notifytest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// mailFixture is a service on SQLite that mails through a real SMTP server (mailpit on
// loopback), with users who have addresses: an engineer (en), legal users in en and zh-CN, a
// legal user with notifications off, and an admin.
type mailFixture struct {
	svc   *service.Service
	queue *notify.Queue
	mp    *notifytest.Mailpit
	raw   *gorm.DB
	users map[string]piaflow.User
}

func newMailFixture(t *testing.T) mailFixture {
	t.Helper()
	ctx := context.Background()
	mp := notifytest.Start(t)
	cfg := storetest.Config(t, "sqlite")
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	raw, err := gorm.Open(sqlite.Open(filepath.Join(cfg.DataDir, "piaflow.db")), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := raw.DB(); err == nil {
			db.Close()
		}
	})
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	q := notify.NewQueue(notify.SMTP{Addr: mp.SMTPAddr, From: "piaflow <piaflow@example.test>", Timeout: 10 * time.Second}, 64, nil)
	t.Cleanup(q.Close)
	svc := service.New(st, assessments.NewEvaluator(e), service.WithNotifier(q, i18n.MustLoad(), "https://piaflow.example.test/", nil))
	fx := mailFixture{svc: svc, queue: q, mp: mp, raw: raw, users: map[string]piaflow.User{}}
	for _, u := range []struct {
		name, role, lang string
		off              bool
	}{
		{"eng", piaflow.RoleEngineer, "en", false},
		{"legal-en", piaflow.RoleLegal, "en", false},
		{"legal-zh", piaflow.RoleLegal, "zh-CN", false},
		{"legal-off", piaflow.RoleLegal, "en", true},
		{"admin", piaflow.RoleAdmin, "en", false},
	} {
		created, err := svc.CreateUser(ctx, piaflow.System, u.name, u.role)
		if err != nil {
			t.Fatal(err)
		}
		email, lang, off := u.name+"@example.test", u.lang, u.off
		created, err = svc.UpdateNotifications(ctx, created, piaflow.NotificationSettings{Email: &email, Language: &lang, NotificationsOff: &off})
		if err != nil {
			t.Fatal(err)
		}
		fx.users[u.name] = created
	}
	return fx
}

// received flushes the queue (every mail sent or failed) and returns the mails to user name.
func (fx mailFixture) received(t *testing.T, name string) []notifytest.Message {
	t.Helper()
	fx.queue.Flush()
	return fx.mp.To(t, name+"@example.test")
}

// TestNotifyReview: a submission mails every legal user with notifications on, in their
// language (the zh-CN user's subject encoded per RFC 2047); a rejection mails the engineer
// with the comment; an assigned action mails its assignee; nobody is mailed about their own
// step.
func TestNotifyReview(t *testing.T) {
	fx := newMailFixture(t)
	ctx := context.Background()
	eng, legal, admin := fx.users["eng"], fx.users["legal-en"], fx.users["admin"]
	d, err := fx.svc.CreateDeployment(ctx, eng, piaflow.Deployment{Name: "Portal", Customer: "Clinic", CustomerCountry: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := fx.svc.SubmitQuestionnaire(ctx, eng, d.ID, "", example(t, "hospital-ehr-germany"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.SubmitReview(ctx, eng, a.Record.ID); err != nil {
		t.Fatal(err)
	}
	en := fx.received(t, "legal-en")
	if len(en) != 1 || !strings.Contains(en[0].Subject, "Review requested: Portal") || !strings.Contains(en[0].Text, "eng submitted assessment") ||
		!strings.Contains(en[0].Text, fmt.Sprintf("https://piaflow.example.test/deployments/%d", d.ID)) {
		t.Fatalf("legal-en: %+v", en)
	}
	zh := fx.received(t, "legal-zh")
	if len(zh) != 1 || !strings.Contains(zh[0].Subject, "待审查：Portal") || !strings.Contains(zh[0].Text, "请法务审查") {
		t.Fatalf("legal-zh: %+v", zh)
	}
	if !strings.Contains(zh[0].Raw, "Subject: =?UTF-8?") || !strings.Contains(zh[0].Raw, "Content-Type: text/plain; charset=\"UTF-8\"") ||
		!strings.Contains(zh[0].Raw, "Message-ID: <") || !strings.Contains(zh[0].Raw, "Date: ") {
		t.Errorf("zh-CN headers:\n%s", zh[0].Raw[:min(len(zh[0].Raw), 600)])
	}
	for _, name := range []string{"legal-off", "eng", "admin"} {
		if got := fx.received(t, name); len(got) != 0 {
			t.Errorf("%s got %d mails after the submission", name, len(got))
		}
	}

	if _, err := fx.svc.DecideReview(ctx, legal, a.Record.ID, false, "the DPA is missing"); err != nil {
		t.Fatal(err)
	}
	got := fx.received(t, "eng")
	if len(got) != 1 || !strings.Contains(got[0].Subject, "Rejected: Portal") || !strings.Contains(got[0].Text, "the DPA is missing") {
		t.Fatalf("eng after the rejection: %+v", got)
	}

	acts, err := fx.svc.Actions(ctx, eng, d.ID)
	if err != nil || len(acts) == 0 {
		t.Fatalf("actions: %v", err)
	}
	assignee := "eng"
	if _, err := fx.svc.UpdateAction(ctx, admin, acts[0].ID, piaflow.ActionUpdate{Assignee: &assignee}); err != nil {
		t.Fatal(err)
	}
	got = fx.received(t, "eng")
	if len(got) != 2 || !strings.Contains(got[0].Subject, "Action assigned to you") {
		t.Fatalf("eng after the assignment: %+v", got)
	}
	// the engineer takes another action himself: no mail
	if _, err := fx.svc.UpdateAction(ctx, eng, acts[1].ID, piaflow.ActionUpdate{Assignee: &assignee}); err != nil {
		t.Fatal(err)
	}
	if got = fx.received(t, "eng"); len(got) != 2 {
		t.Errorf("eng got %d mails after assigning himself, want 2", len(got))
	}
	// an imported action list that assigns an action mails its assignee too
	row := piaflow.ActionEdit{Row: 2, ID: acts[2].ID, Key: acts[2].FindingKey, Status: acts[2].Status, Assignee: "eng"}
	if _, err := fx.svc.ImportActions(ctx, admin, d.ID, []piaflow.ActionEdit{row}); err != nil {
		t.Fatal(err)
	}
	if got = fx.received(t, "eng"); len(got) != 3 || !strings.Contains(got[0].Subject, "Action assigned to you") {
		t.Errorf("eng after the import: %d mails", len(got))
	}
}

// TestDigest: actions overdue, due tomorrow and due in 7 days make one mail per assignee
// listing them (not those due on other days, done or assigned to a user with notifications
// off); a second run the same day sends nothing, the next day sends again.
func TestDigest(t *testing.T) {
	fx := newMailFixture(t)
	ctx := context.Background()
	eng, admin := fx.users["eng"], fx.users["admin"]
	d, err := fx.svc.CreateDeployment(ctx, eng, piaflow.Deployment{Name: "Portal", Customer: "Clinic", CustomerCountry: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.SubmitQuestionnaire(ctx, eng, d.ID, "", example(t, "hospital-ehr-germany")); err != nil {
		t.Fatal(err)
	}
	acts, err := fx.svc.Actions(ctx, eng, d.ID)
	if err != nil || len(acts) < 7 {
		t.Fatalf("%d actions: %v", len(acts), err)
	}
	now := time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)
	plan := []struct{ assignee, due, status string }{
		{"eng", "2026-03-01", piaflow.ActionOpen},       // overdue
		{"eng", "2026-03-11", piaflow.ActionInProgress}, // tomorrow
		{"eng", "2026-03-17", piaflow.ActionOpen},       // in 7 days
		{"eng", "2026-03-13", piaflow.ActionOpen},       // in 3 days: not reminded
		{"eng", "2026-03-02", piaflow.ActionDone},       // done
		{"legal-off", "2026-03-01", piaflow.ActionOpen}, // notifications off
		{"legal-zh", "2026-03-11", piaflow.ActionOpen},  // tomorrow, in Chinese
	}
	for i, p := range plan {
		if err := fx.raw.Table("actions").Where("id = ?", acts[i].ID).
			Updates(map[string]any{"assignee": p.assignee, "due": p.due, "status": p.status}).Error; err != nil {
			t.Fatal(err)
		}
	}
	res, err := fx.svc.Digest(ctx, admin, now)
	if err != nil || res.Mails != 2 {
		t.Fatalf("digest: %+v, %v", res, err)
	}
	got := fx.received(t, "eng")
	if len(got) != 1 || !strings.Contains(got[0].Subject, "Actions due: 3") {
		t.Fatalf("eng: %+v", got)
	}
	text := got[0].Text
	for _, want := range []string{"Overdue", "Due tomorrow", "Due in 7 days", "due 2026-03-01", "due 2026-03-11", "due 2026-03-17"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"2026-03-13", "2026-03-02"} {
		if strings.Contains(text, not) {
			t.Errorf("the digest lists the action due %s:\n%s", not, text)
		}
	}
	if got := fx.received(t, "legal-off"); len(got) != 0 {
		t.Errorf("legal-off got %d digests", len(got))
	}
	zh := fx.received(t, "legal-zh")
	if len(zh) != 1 || zh[0].Subject != "[piaflow] 到期整改措施：1 项" || !strings.Contains(zh[0].Text, "明天到期") || !strings.Contains(zh[0].Text, "截止 2026-03-11") {
		t.Errorf("legal-zh: %+v", zh)
	}

	res, err = fx.svc.Digest(ctx, piaflow.System, now.Add(6*time.Hour))
	if err != nil || res.Mails != 0 || res.Skipped != 2 {
		t.Fatalf("second digest the same day: %+v, %v", res, err)
	}
	if got := fx.received(t, "eng"); len(got) != 1 {
		t.Errorf("eng got %d digests the same day, want 1", len(got))
	}
	res, err = fx.svc.Digest(ctx, piaflow.System, now.AddDate(0, 0, 1)) // legal-zh's action is due that day: no reminder
	if err != nil || res.Mails != 1 {
		t.Fatalf("digest the next day: %+v, %v", res, err)
	}

	// notifications off: no digest
	off := true
	if _, err := fx.svc.UpdateNotifications(ctx, eng, piaflow.NotificationSettings{NotificationsOff: &off}); err != nil {
		t.Fatal(err)
	}
	before := len(fx.received(t, "eng"))
	res, err = fx.svc.Digest(ctx, piaflow.System, now.AddDate(0, 0, 2))
	if err != nil || res.Mails != 1 { // legal-zh's action, overdue now
		t.Fatalf("digest with notifications off: %+v, %v", res, err)
	}
	if got := len(fx.received(t, "eng")); got != before {
		t.Errorf("eng got a digest with notifications off (%d mails, %d before)", got, before)
	}
	if _, err := fx.svc.Digest(ctx, eng, now); err == nil {
		t.Error("an engineer ran the digest")
	}
}

// TestUpdateNotificationsValidates: a malformed address or an unknown language is refused.
func TestUpdateNotificationsValidates(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		for _, n := range []piaflow.NotificationSettings{
			{Email: ptr("no-at-sign")}, {Email: ptr("a@b\r\nBcc: x@y")}, {Email: ptr("a@@b")}, {Language: ptr("fr")},
		} {
			if _, err := fx.svc.UpdateNotifications(ctx, fx.users[piaflow.RoleEngineer], n); !errors.Is(err, piaflow.ErrInvalid) {
				t.Errorf("%+v: %v", n, err)
			}
		}
		u, err := fx.svc.UpdateNotifications(ctx, fx.users[piaflow.RoleSales], piaflow.NotificationSettings{Email: ptr(" s@example.test "), Language: ptr("zh-CN")})
		if err != nil || u.Email != "s@example.test" || u.Language != "zh-CN" || u.NotificationsOff {
			t.Fatalf("%+v, %v", u, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
