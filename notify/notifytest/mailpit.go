// Package notifytest starts a real SMTP server for tests: mailpit (github.com/axllent/mailpit,
// pinned in scripts/tools.sh) on loopback ports, with its REST API to read what it received.
package notifytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Mailpit is a running mailpit: SMTP at SMTPAddr, its API at API.
type Mailpit struct {
	SMTPAddr string
	API      string
}

// Start starts mailpit on two free loopback ports for the test and stops it at its end. The
// binary is $PIAFLOW_MAILPIT (scripts/test.sh sets it) or else what `bash scripts/tools.sh
// mailpit` builds (minutes the first time). It fails the test when mailpit cannot start.
func Start(t *testing.T) *Mailpit {
	t.Helper()
	bin := os.Getenv("PIAFLOW_MAILPIT")
	if bin == "" {
		root, err := repoRoot()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", filepath.Join(root, "scripts", "tools.sh"), "mailpit")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("build mailpit: %v", err)
		}
		bin = strings.TrimSpace(string(out))
	}
	smtpAddr, apiAddr := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--smtp", smtpAddr, "--listen", apiAddr, "--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--quiet", "--disable-version-check", "--smtp-disable-rdns", "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	m := &Mailpit{SMTPAddr: smtpAddr, API: "http://" + apiAddr}
	// Waiting for an external server to listen: poll its API until a deadline.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(m.API + "/api/v1/info")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", smtpAddr, time.Second); err == nil {
					c.Close()
					return m
				}
			}
		}
		select {
		case <-exited:
			t.Fatalf("mailpit exited: %s", stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start within 30 s: %s", stderr.String())
		}
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Address is a mail address as mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Message is a received message as mailpit's API reports it.
type Message struct {
	ID      string
	From    Address
	To      []Address
	Subject string
	Text    string
	Raw     string
}

// Messages returns every message mailpit holds, newest first, with its text and raw form.
func (m *Mailpit) Messages(t *testing.T) []Message {
	t.Helper()
	var list struct {
		Messages []struct{ ID string }
	}
	m.get(t, "/api/v1/messages?limit=1000", &list)
	out := make([]Message, 0, len(list.Messages))
	for _, s := range list.Messages {
		var msg Message
		m.get(t, "/api/v1/message/"+s.ID, &msg)
		msg.Raw = string(m.raw(t, "/api/v1/message/"+s.ID+"/raw"))
		out = append(out, msg)
	}
	return out
}

// To returns the messages to an address.
func (m *Mailpit) To(t *testing.T, addr string) []Message {
	var out []Message
	for _, msg := range m.Messages(t) {
		for _, a := range msg.To {
			if strings.EqualFold(a.Address, addr) {
				out = append(out, msg)
			}
		}
	}
	return out
}

// DeleteAll deletes every message.
func (m *Mailpit) DeleteAll(t *testing.T) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, m.API+"/api/v1/messages", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func (m *Mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(m.raw(t, path), v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

func (m *Mailpit) raw(t *testing.T, path string) []byte {
	t.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %d %v %s", path, resp.StatusCode, err, b)
	}
	return b
}
