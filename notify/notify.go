// Package notify sends piaflow's notification mail: a message built with its headers (From,
// To, a Subject encoded per RFC 2047, Date, Message-ID; a text/plain UTF-8 body), an SMTP
// client with a timeout, a bounded asynchronous queue in front of it (a request never waits for
// a mail server), and the texts of each kind of mail in en and zh-CN (the i18n catalogues, keys
// mail.*).
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"sync"
	"time"
)

// Message is one mail to one recipient.
type Message struct {
	To      string
	Subject string
	// Body is plain text; lines end in \n.
	Body string
}

// Build returns m as an RFC 5322 message from from, dated now, with a fresh Message-ID.
func Build(from string, m Message, now time.Time) ([]byte, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("build mail: from %q: %w", from, err)
	}
	toAddr, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("build mail: to %q: %w", m.To, err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("build mail: message id: %w", err)
	}
	domain := fromAddr.Address[strings.LastIndex(fromAddr.Address, "@")+1:]
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", mime.QEncoding.Encode("UTF-8", strings.ReplaceAll(m.Subject, "\n", " ")))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="UTF-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n"))); err != nil {
		return nil, fmt.Errorf("build mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("build mail: %w", err)
	}
	return b.Bytes(), nil
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP delivers messages to one SMTP server: STARTTLS when the server offers it, and PLAIN
// authentication when User is set (net/smtp allows it only over TLS or to localhost).
type SMTP struct {
	// Addr is host:port; From the sender's address.
	Addr, From string
	User       string
	Password   string
	// Timeout bounds one delivery, connection included (0: 30 s).
	Timeout time.Duration
	// Now dates the messages (nil: time.Now).
	Now func() time.Time
}

// Send delivers m. Errors: the server's or the network's, wrapped.
func (c SMTP) Send(ctx context.Context, m Message) error {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	msg, err := Build(c.From, m, now())
	if err != nil {
		return err
	}
	from, _ := mail.ParseAddress(c.From) // Build parsed both
	to, _ := mail.ParseAddress(m.To)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", c.Addr, err)
	}
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", c.Addr, err)
	}
	host, _, _ := net.SplitHostPort(c.Addr)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", c.Addr, err)
	}
	defer cl.Close()
	if err := deliver(cl, host, c.User, c.Password, from.Address, to.Address, msg); err != nil {
		return fmt.Errorf("smtp %s: send to %s: %w", c.Addr, to.Address, err)
	}
	return nil
}

func deliver(cl *smtp.Client, host, user, password, from, to string, msg []byte) error {
	if err := cl.Hello("localhost"); err != nil {
		return err
	}
	if ok, _ := cl.Extension("STARTTLS"); ok {
		if err := cl.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if user != "" {
		if err := cl.Auth(smtp.PlainAuth("", user, password, host)); err != nil {
			return err
		}
	}
	if err := cl.Mail(from); err != nil {
		return err
	}
	if err := cl.Rcpt(to); err != nil {
		return err
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}

// Queue sends messages in the background through one Sender, one at a time, holding at most
// its capacity of messages waiting: Enqueue never blocks, and drops (and logs) a message when
// the queue is full or closed. Delivery failures are logged. It is safe for concurrent use.
type Queue struct {
	sender Sender
	log    *slog.Logger
	ch     chan Message
	done   chan struct{}
	// ctx is every delivery's context; Shutdown cancels it when its own context ends.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	idle    *sync.Cond
	pending int
	closed  bool
}

// ErrQueueFull is what Enqueue logs when it drops a message.
var ErrQueueFull = errors.New("notification queue full")

// NewQueue starts a queue of capacity messages (at least 1) in front of sender.
func NewQueue(sender Sender, capacity int, log *slog.Logger) *Queue {
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{sender: sender, log: log, ch: make(chan Message, max(capacity, 1)), done: make(chan struct{}), ctx: ctx, cancel: cancel}
	q.idle = sync.NewCond(&q.mu)
	go q.run()
	return q
}

// Enqueue queues m for delivery and reports whether it was queued.
func (q *Queue) Enqueue(m Message) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		q.log.Warn("notification dropped: queue closed", "to", m.To)
		return false
	}
	select {
	case q.ch <- m:
		q.pending++
		return true
	default:
		q.log.Warn("notification dropped", "to", m.To, "err", ErrQueueFull)
		return false
	}
}

func (q *Queue) run() {
	defer close(q.done)
	for m := range q.ch {
		if err := q.sender.Send(q.ctx, m); err != nil {
			q.log.Error("notification not sent", "to", m.To, "err", err)
		}
		q.mu.Lock()
		q.pending--
		if q.pending == 0 {
			q.idle.Broadcast()
		}
		q.mu.Unlock()
	}
}

// Flush waits until every message queued so far has been sent or has failed.
func (q *Queue) Flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pending > 0 {
		q.idle.Wait()
	}
}

// Close stops taking messages, sends those queued and returns when done.
func (q *Queue) Close() { _ = q.Shutdown(context.Background()) }

// Shutdown stops taking messages and sends those queued until ctx ends; then it cancels the
// delivery under way, and the messages left fail at once (each logged). It returns ctx's error
// when ctx ended first.
func (q *Queue) Shutdown(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
	q.mu.Unlock()
	defer q.cancel()
	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
		q.cancel()
		<-q.done
		return ctx.Err()
	}
}
