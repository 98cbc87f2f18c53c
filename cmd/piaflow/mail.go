package main

import (
	"flag"
	"log/slog"
	"os"
	"time"

	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/notify"
	"github.com/piaflow/piaflow/service"
)

// mailConfig is the SMTP server notification mail goes through (none when Addr is empty).
type mailConfig struct {
	addr, from, user, baseURL *string
}

// mailQueueSize bounds the notification mails waiting for the SMTP server; more are dropped
// (and logged), so a slow server never holds a request.
const mailQueueSize = 256

// mailTimeout bounds one delivery to the SMTP server.
const mailTimeout = 30 * time.Second

func mailFlags(fs *flag.FlagSet) mailConfig {
	return mailConfig{
		addr:    fs.String("smtp-addr", envOr("PIAFLOW_SMTP_ADDR", ""), "SMTP server host:port for notification mail (env PIAFLOW_SMTP_ADDR; empty: no mail); the password is read from env PIAFLOW_SMTP_PASSWORD"),
		from:    fs.String("smtp-from", envOr("PIAFLOW_SMTP_FROM", ""), "sender address of notification mail, e.g. 'piaflow <piaflow@example.com>' (env PIAFLOW_SMTP_FROM)"),
		user:    fs.String("smtp-user", envOr("PIAFLOW_SMTP_USER", ""), "SMTP user name (env PIAFLOW_SMTP_USER; empty: no authentication)"),
		baseURL: fs.String("base-url", envOr("PIAFLOW_BASE_URL", ""), "the server's public URL, for links in notification mail (env PIAFLOW_BASE_URL)"),
	}
}

// option returns the service option that sends notification mail through a queue, and the
// queue (nil without an SMTP server), which the caller closes to send what is queued.
func (c mailConfig) option(log *slog.Logger) (service.Option, *notify.Queue, error) {
	if *c.addr == "" {
		return func(*service.Service) {}, nil, nil
	}
	if *c.from == "" {
		return nil, nil, usagef("--smtp-addr needs --smtp-from")
	}
	if _, err := notify.Build(*c.from, notify.Message{To: "check@example.com"}, time.Now()); err != nil {
		return nil, nil, usagef("--smtp-from: %v", err)
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, nil, err
	}
	q := notify.NewQueue(notify.SMTP{Addr: *c.addr, From: *c.from, User: *c.user, Password: os.Getenv("PIAFLOW_SMTP_PASSWORD"), Timeout: mailTimeout}, mailQueueSize, log)
	return service.WithNotifier(q, cats, *c.baseURL, log), q, nil
}
