// Package oidctest starts a real OpenID provider on loopback for tests: the example OP of
// github.com/zitadel/oidc (its in-memory storage, login form and all of its protocol checks —
// PKCE, redirect URIs, client authentication, signed ID tokens), with test users whose groups
// go into the ID token. It is a provider speaking OpenID Connect over HTTP, not a stub of the
// client under test.
package oidctest

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Client credentials registered with the provider.
const (
	ClientID     = "piaflow"
	ClientSecret = "piaflow-test-secret"
	// Password is every test user's password.
	Password = "correct horse battery staple"
)

// User is a test user of the provider.
type User struct {
	// Name is the login name and the preferred_username claim.
	Name string
	// Groups go into the ID token's "groups" claim.
	Groups []string
}

// Provider is a running provider.
type Provider struct {
	// Issuer is the provider's issuer URL (http://127.0.0.1:<port>/).
	Issuer string
}

// Start runs the provider on a loopback listener until the test ends, with the client
// ClientID/ClientSecret allowed to redirect to redirectURL, and users.
func Start(t testing.TB, redirectURL string, users ...User) *Provider {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String() + "/"
	us := userStore{users: map[string]*storage.User{}, groups: map[string][]string{}}
	for i, u := range users {
		id := fmt.Sprintf("user%d", i+1)
		us.users[id] = &storage.User{ID: id, Username: u.Name, Password: Password, FirstName: u.Name, LastName: "Test",
			Email: u.Name + "@example.test", EmailVerified: true, PreferredLanguage: language.English}
		us.groups[id] = u.Groups
	}
	clients := map[string]*storage.Client{ClientID: storage.WebClient(ClientID, ClientSecret, redirectURL)}
	st := &groupsStorage{Storage: storage.NewStorageWithClients(us, clients), users: us}
	srv.Config.Handler = exampleop.SetupServer(issuer, st, nil, false)
	srv.Start()
	t.Cleanup(srv.Close)
	return &Provider{Issuer: issuer}
}

// userStore is storage.UserStore over the test users.
type userStore struct {
	users  map[string]*storage.User
	groups map[string][]string
}

func (u userStore) GetUserByID(id string) *storage.User { return u.users[id] }
func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u.users {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u userStore) ExampleClientID() string { return storage.ServiceUserID }

// groupsStorage is the example storage with preferred_username and groups in the ID token.
type groupsStorage struct {
	*storage.Storage
	users userStore
}

// SetUserinfoFromRequest adds the user's name and groups to the ID token's claims.
func (s *groupsStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	u := s.users.GetUserByID(req.GetSubject())
	if u == nil {
		return fmt.Errorf("no user %q", req.GetSubject())
	}
	ui.PreferredUsername = u.Username
	if g := s.users.groups[u.ID]; g != nil {
		ui.AppendClaims("groups", g)
	}
	return nil
}

var idField = regexp.MustCompile(`name="id" value="([^"]*)"`)

// Login follows authURL with client to the provider's login form and signs user in there; the
// client's redirect policy decides whether the provider's redirect to the application is
// followed. It returns the last response (its body read and closed) and body.
func Login(t testing.TB, client *http.Client, authURL, user string) (*http.Response, string) {
	t.Helper()
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatalf("provider: %v", err)
	}
	body := readAll(t, resp)
	m := idField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("provider: no login form at %s (%d): %.300s", resp.Request.URL, resp.StatusCode, body)
	}
	loginURL := resp.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
	resp, err = client.PostForm(loginURL.String(), url.Values{"id": {html.UnescapeString(m[1])}, "username": {user}, "password": {Password}})
	if err != nil {
		t.Fatalf("provider login: %v", err)
	}
	return resp, readAll(t, resp)
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
