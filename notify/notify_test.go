package notify_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaflow/piaflow/notify"
	"github.com/piaflow/piaflow/notify/notifytest"
)

// TestBuild: the headers a mail needs, a Chinese subject encoded per RFC 2047 (a line break in
// it cannot start a header), the body quoted-printable UTF-8 with CRLF lines.
func TestBuild(t *testing.T) {
	now := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	b, err := notify.Build("piaflow <piaflow@example.test>", notify.Message{To: "li@example.test", Subject: "待审核\nBcc: x@example.test", Body: "第一行\n第二行\n"}, now)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		"From: \"piaflow\" <piaflow@example.test>\r\n", "To: <li@example.test>\r\n", "Subject: =?UTF-8?q?",
		"Date: Tue, 10 Mar 2026 08:00:00 +0000\r\n", "Message-ID: <", "@example.test>\r\n", "MIME-Version: 1.0\r\n",
		"Content-Type: text/plain; charset=\"UTF-8\"\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "\r\n\r\n=E7=AC=AC",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q in\n%s", want, s)
		}
	}
	if strings.Contains(s, "\nBcc:") {
		t.Errorf("a line break in the subject started a header:\n%s", s)
	}
	for _, bad := range []notify.Message{{To: "not an address"}, {To: "a@b\r\nBcc: c@d"}} {
		if _, err := notify.Build("piaflow@example.test", bad, now); err == nil {
			t.Errorf("Build accepted the recipient %q", bad.To)
		}
	}
}

// TestSMTPDelivers: a mail sent to a real SMTP server (mailpit on loopback) arrives with its
// subject and body decoded as written.
func TestSMTPDelivers(t *testing.T) {
	mp := notifytest.Start(t)
	c := notify.SMTP{Addr: mp.SMTPAddr, From: "piaflow <piaflow@example.test>", User: "u", Password: "p", Timeout: 10 * time.Second}
	if err := c.Send(context.Background(), notify.Message{To: "li@example.test", Subject: "[piaflow] 已驳回：门户", Body: "意见：缺少数据处理协议\n"}); err != nil {
		t.Fatal(err)
	}
	got := mp.To(t, "li@example.test")
	if len(got) != 1 || got[0].Subject != "[piaflow] 已驳回：门户" || !strings.Contains(got[0].Text, "意见：缺少数据处理协议") || got[0].From.Address != "piaflow@example.test" {
		t.Fatalf("%+v", got)
	}
}

// TestSMTPTimeout: a server that accepts the connection and never answers fails the delivery
// once the timeout has passed.
func TestSMTPTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold the connection open, silent
		}
	}()
	start := time.Now()
	err = notify.SMTP{Addr: l.Addr().String(), From: "piaflow@example.test", Timeout: 300 * time.Millisecond}.Send(context.Background(), notify.Message{To: "a@example.test"})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("silent server: %v after %s", err, time.Since(start))
	}
}

// blockingSender holds every Send until released, and records what it sent.
type blockingSender struct {
	started chan struct{}
	release chan struct{}
	mu      sync.Mutex
	sent    []string
}

func (b *blockingSender) Send(_ context.Context, m notify.Message) error {
	b.started <- struct{}{}
	<-b.release
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sent = append(b.sent, m.To)
	if m.To == "fail@example.test" {
		return errors.New("refused")
	}
	return nil
}

// TestQueueBounded: Enqueue never blocks — with the sender busy and the queue full it drops the
// message; Close sends what was queued; a closed queue takes nothing.
func TestQueueBounded(t *testing.T) {
	s := &blockingSender{started: make(chan struct{}, 10), release: make(chan struct{})}
	q := notify.NewQueue(s, 1, nil)
	if !q.Enqueue(notify.Message{To: "fail@example.test"}) {
		t.Fatal("first message refused")
	}
	<-s.started // the worker holds the first message
	if !q.Enqueue(notify.Message{To: "b@example.test"}) {
		t.Fatal("second message refused with room in the queue")
	}
	if q.Enqueue(notify.Message{To: "c@example.test"}) {
		t.Fatal("a message queued beyond the capacity")
	}
	close(s.release)
	q.Flush()
	q.Close()
	if q.Enqueue(notify.Message{To: "d@example.test"}) {
		t.Error("a closed queue took a message")
	}
	if strings.Join(s.sent, ",") != "fail@example.test,b@example.test" {
		t.Errorf("sent %v", s.sent)
	}
}

// TestQueueShutdownDeadline: Shutdown stops waiting for a delivery that hangs when its context
// ends, cancelling it; the messages left are not sent.
func TestQueueShutdownDeadline(t *testing.T) {
	started := make(chan struct{}, 4)
	var mu sync.Mutex
	var delivered []string
	s := senderFunc(func(ctx context.Context, m notify.Message) error {
		started <- struct{}{}
		if ctx.Err() == nil && m.To == "hang@example.test" {
			<-ctx.Done() // a server that never answers, until cancelled
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		mu.Lock()
		delivered = append(delivered, m.To)
		mu.Unlock()
		return nil
	})
	q := notify.NewQueue(s, 4, nil)
	q.Enqueue(notify.Message{To: "hang@example.test"})
	q.Enqueue(notify.Message{To: "b@example.test"})
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("shutdown: %v", err)
	}
	if len(delivered) != 0 {
		t.Errorf("delivered %v after the shutdown's deadline", delivered)
	}
}

type senderFunc func(ctx context.Context, m notify.Message) error

func (f senderFunc) Send(ctx context.Context, m notify.Message) error { return f(ctx, m) }
