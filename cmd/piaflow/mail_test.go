package main

import (
	"context"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/notify/notifytest"
)

// TestAdminSendDigest: create-user records the address and language; send-digest needs an
// SMTP server and runs against one (no due actions: no mail).
func TestAdminSendDigest(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "admin", "create-user", "--name", "li", "--role", "engineer", "--email", "li@example.test", "--language", "zh-CN", "--data-dir", dir)
	if code != exitOK {
		t.Fatalf("create-user: exit %d %s %s", code, out, stderr)
	}
	if code, _, stderr = runCLI(t, "admin", "create-user", "--name", "bo", "--role", "engineer", "--email", "not-an-address", "--data-dir", dir); code != exitUsage || !strings.Contains(stderr, "email") {
		t.Errorf("bad address: exit %d %s", code, stderr)
	}
	st, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByName(context.Background(), "li")
	st.Close()
	if err != nil || u.Email != "li@example.test" || u.Language != "zh-CN" {
		t.Fatalf("%+v, %v", u, err)
	}
	if code, _, stderr = runCLI(t, "admin", "send-digest", "--data-dir", dir); code != exitUsage || !strings.Contains(stderr, "--smtp-addr") {
		t.Errorf("send-digest without a server: exit %d %s", code, stderr)
	}
	mp := notifytest.Start(t)
	code, out, stderr = runCLI(t, "admin", "send-digest", "--smtp-addr", mp.SMTPAddr, "--smtp-from", "piaflow@example.test", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "digest: 0 mails") {
		t.Fatalf("send-digest: exit %d %s %s", code, out, stderr)
	}
}
