// Package apitest holds what the HTTP tests of the API, the web UI and the CLI share: a user
// and a token per role in a store, and a request helper that reads the whole answer.
package apitest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

// Tokens creates a user named <role>-user with one API token for every role and returns the
// tokens by role.
func Tokens(tb testing.TB, st *store.Store) map[string]string {
	tb.Helper()
	ctx := context.Background()
	tokens := map[string]string{}
	for _, role := range piaflow.Roles() {
		if _, err := st.CreateUser(ctx, nil, role+"-user", role); err != nil {
			tb.Fatal(err)
		}
		secret, _, err := st.CreateToken(ctx, nil, role+"-user", "test")
		if err != nil {
			tb.Fatal(err)
		}
		tokens[role] = secret
	}
	return tokens
}

// Call sends a request with a bearer token (none when token is empty) and the given headers,
// and returns the response with its whole body read.
func Call(tb testing.TB, method, url, token, body string, header map[string]string) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, b
}
