package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/notify"
)

// Notifier takes notification mail for delivery without blocking (notify.Queue); it reports
// whether it took the message.
type Notifier interface {
	Enqueue(m notify.Message) bool
}

// notifications is what the service needs to write mail: where to queue it, the catalogues,
// the base URL of the links.
type notifications struct {
	out     Notifier
	cats    *i18n.Catalogs
	baseURL string
	log     *slog.Logger
}

// WithNotifier makes the service mail the users who asked for it when an assessment is
// submitted for review, approved or rejected and when an action is assigned, and lets Digest
// send the daily digest of due actions. Without it the service sends no mail. baseURL (may
// be empty) starts the links in the mails.
func WithNotifier(n Notifier, cats *i18n.Catalogs, baseURL string, log *slog.Logger) Option {
	return func(s *Service) {
		if n == nil || cats == nil {
			return
		}
		if log == nil {
			log = slog.Default()
		}
		s.notes = &notifications{out: n, cats: cats, baseURL: strings.TrimRight(baseURL, "/"), log: log}
	}
}

// mail queues one message to u in u's language from the mail.<kind> texts filled with args;
// an error is only logged (a notification never fails the use case).
func (n *notifications) mail(u piaflow.User, kind string, deploymentID uint64, args ...string) {
	if n == nil || !u.Notifiable() {
		return
	}
	l := n.loc(u)
	body := l.T("mail."+kind+".body", args...) + "\n\n" + n.link(l, deploymentID) + l.T("mail.footer") + "\n"
	n.out.Enqueue(notify.Message{To: u.Email, Subject: l.T("mail."+kind+".subject", args...), Body: body})
}

func (n *notifications) loc(u piaflow.User) *i18n.Localizer {
	lang := u.Language
	if !i18n.Supported(lang) {
		lang = i18n.English
	}
	return n.cats.Get(lang)
}

func (n *notifications) link(l *i18n.Localizer, deploymentID uint64) string {
	if n.baseURL == "" || deploymentID == 0 {
		return ""
	}
	return l.T("mail.link", "url", fmt.Sprintf("%s/deployments/%d", n.baseURL, deploymentID)) + "\n\n"
}

// reviewed mails the news of a review step: a submission to every legal user, a decision to
// the user who evaluated the assessment. Best effort: failures to read are logged.
func (s *Service) reviewed(ctx context.Context, by piaflow.User, a piaflow.AssessmentRecord, kind string) {
	n := s.notes
	if n == nil {
		return
	}
	d, err := s.st.Deployment(ctx, a.DeploymentID)
	if err != nil {
		n.log.Error("notification: read deployment", "deployment", a.DeploymentID, "err", err)
		return
	}
	var to []piaflow.User
	if kind == "submitted" {
		to, err = s.st.UsersByRole(ctx, piaflow.RoleLegal)
	} else if a.CreatedBy != 0 {
		var u piaflow.User
		u, err = s.st.UserByID(ctx, a.CreatedBy)
		to = []piaflow.User{u}
	}
	if err != nil {
		if !errors.Is(err, piaflow.ErrNotFound) {
			n.log.Error("notification: read recipients", "assessment", a.ID, "err", err)
		}
		return
	}
	for _, u := range to {
		if u.ID == by.ID {
			continue // no mail about one's own step
		}
		l := n.loc(u)
		comment := a.ReviewComment
		if comment == "" {
			comment = l.T("mail.none")
		}
		n.mail(u, kind, d.ID, "actor", by.Name, "id", strconv.FormatUint(a.ID, 10), "deployment", d.Name,
			"customer", d.Customer, "verdict", l.Or("enum.verdict."+a.Verdict, a.Verdict), "comment", comment)
	}
}

// assigned mails the user an action was just assigned to (not when they assigned it themselves).
func (s *Service) assigned(ctx context.Context, by piaflow.User, a piaflow.Action) {
	n := s.notes
	if n == nil || a.Assignee == "" || a.Assignee == by.Name {
		return
	}
	u, err := s.st.UserByName(ctx, a.Assignee)
	if err != nil {
		if !errors.Is(err, piaflow.ErrNotFound) {
			n.log.Error("notification: read assignee", "action", a.ID, "err", err)
		}
		return
	}
	d, err := s.st.Deployment(ctx, a.DeploymentID)
	if err != nil {
		n.log.Error("notification: read deployment", "deployment", a.DeploymentID, "err", err)
		return
	}
	l := n.loc(u)
	due := a.Due
	if due == "" {
		due = l.T("mail.none")
	}
	n.mail(u, "assigned", d.ID, "actor", by.Name, "id", strconv.FormatUint(a.ID, 10), "deployment", d.Name,
		"title", l.Render(a.TitleMsg, a.Title), "due", due)
}

// DigestResult counts what Digest did.
type DigestResult struct {
	// Mails is the number of digests queued; Skipped those already sent the same day.
	Mails, Skipped int
}

// Digest sends each user with actions assigned to them (open or in progress, of a deployment
// not archived) that are overdue, due tomorrow or due in 7 days (days in UTC, from now) one
// mail listing them, at most once a day per user however often it runs (the day is recorded
// before the mail is queued). Users without an address or with notifications off get none.
// Only piaflow.System or an admin may run it. Errors: ErrForbidden, the database's.
func (s *Service) Digest(ctx context.Context, u piaflow.User, now time.Time) (DigestResult, error) {
	var res DigestResult
	if !u.IsSystem() {
		if err := piaflow.Authorize(u, piaflow.CapManageUsers); err != nil {
			return res, err
		}
	}
	n := s.notes
	if n == nil {
		return res, nil
	}
	day := now.UTC()
	today := day.Format(time.DateOnly)
	in1 := day.AddDate(0, 0, 1).Format(time.DateOnly)
	in7 := day.AddDate(0, 0, 7).Format(time.DateOnly)
	acts, err := s.st.DueActions(ctx, in7)
	if err != nil {
		return res, fmt.Errorf("digest: %w", err)
	}
	type lists struct{ overdue, due1, due7 []piaflow.Action }
	byUser := map[string]*lists{}
	var order []string
	for _, a := range acts {
		var add func(*lists)
		switch {
		case a.Due < today:
			add = func(l *lists) { l.overdue = append(l.overdue, a) }
		case a.Due == in1:
			add = func(l *lists) { l.due1 = append(l.due1, a) }
		case a.Due == in7:
			add = func(l *lists) { l.due7 = append(l.due7, a) }
		default:
			continue
		}
		if byUser[a.Assignee] == nil {
			byUser[a.Assignee] = &lists{}
			order = append(order, a.Assignee)
		}
		add(byUser[a.Assignee])
	}
	names := map[uint64]string{}
	for _, name := range order {
		usr, err := s.st.UserByName(ctx, name)
		if errors.Is(err, piaflow.ErrNotFound) {
			continue // assigned to a name that is no user
		}
		if err != nil {
			return res, fmt.Errorf("digest: %w", err)
		}
		if !usr.Notifiable() {
			continue
		}
		claimed, err := s.st.ClaimDigest(ctx, usr.ID, today)
		if err != nil {
			return res, fmt.Errorf("digest: %w", err)
		}
		if !claimed {
			res.Skipped++
			continue
		}
		l := n.loc(usr)
		ls := byUser[name]
		var b strings.Builder
		b.WriteString(l.T("mail.digest.intro") + "\n")
		for _, sec := range []struct {
			key  string
			acts []piaflow.Action
		}{{"mail.digest.overdue", ls.overdue}, {"mail.digest.due1", ls.due1}, {"mail.digest.due7", ls.due7}} {
			if len(sec.acts) == 0 {
				continue
			}
			b.WriteString("\n" + l.T(sec.key) + "\n")
			for _, a := range sec.acts {
				dn, ok := names[a.DeploymentID]
				if !ok {
					d, err := s.st.Deployment(ctx, a.DeploymentID)
					if err != nil {
						return res, fmt.Errorf("digest: %w", err)
					}
					dn, names[a.DeploymentID] = d.Name, d.Name
				}
				b.WriteString(l.T("mail.digest.item", "title", l.Render(a.TitleMsg, a.Title), "deployment", dn,
					"id", strconv.FormatUint(a.ID, 10), "due", a.Due) + "\n")
			}
		}
		if n.baseURL != "" {
			b.WriteString("\n" + l.T("mail.link", "url", n.baseURL+"/") + "\n")
		}
		b.WriteString("\n" + l.T("mail.footer") + "\n")
		count := len(ls.overdue) + len(ls.due1) + len(ls.due7)
		if n.out.Enqueue(notify.Message{To: usr.Email, Subject: l.T("mail.digest.subject", "count", strconv.Itoa(count)), Body: b.String()}) {
			res.Mails++
		}
	}
	return res, nil
}

// RunDigests runs Digest as piaflow.System once now and then every interval until ctx ends,
// logging its errors (piaflow serve runs it daily).
func (s *Service) RunDigests(ctx context.Context, interval time.Duration, now func() time.Time) {
	if s.notes == nil {
		return
	}
	run := func() {
		if _, err := s.Digest(ctx, piaflow.System, now()); err != nil && ctx.Err() == nil {
			s.notes.log.Error("daily digest", "err", err)
		}
	}
	run()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			run()
		}
	}
}

// UpdateNotifications changes the acting user's own notification settings (any role). Errors:
// ErrForbidden (piaflow.System has no settings), ErrInvalid (the fields), ErrNotFound.
func (s *Service) UpdateNotifications(ctx context.Context, u piaflow.User, n piaflow.NotificationSettings) (piaflow.User, error) {
	if u.ID == 0 {
		return piaflow.User{}, piaflow.MsgError(piaflow.ErrForbidden, "", "error.system_notifications")
	}
	if err := n.Validate(); err != nil {
		return piaflow.User{}, err
	}
	return s.st.SetNotifications(ctx, actor(u), u.ID, n)
}
