package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/api"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestHostingCheckSameJSONAsAPI: `hosting-check --format json` prints exactly what
// POST /api/v1/hosting-check answers for the same question.
func TestHostingCheckSameJSONAsAPI(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	if _, err := st.CreateUser(ctx, nil, "sales-user", piaflow.RoleSales); err != nil {
		t.Fatal(err)
	}
	token, _, err := st.CreateToken(ctx, nil, "sales-user", "test")
	if err != nil {
		t.Fatal(err)
	}
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(service.New(st, assessments.NewEvaluator(e)), slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(srv.Close)
	tests := []struct {
		name, body string
		args       []string
	}{
		{"CNNoCount", `{"data":["contact"],"subjects":["CN"],"host":"SG","as_of":"2026-11-25"}`,
			[]string{"--data", "contact", "--subjects", "CN", "--host", "SG"}},
		{"CN500k", `{"data":["contact"],"subjects":["CN"],"host":"SG","count":500000,"as_of":"2026-11-25"}`,
			[]string{"--data", "contact", "--subjects", "CN", "--host", "SG", "--count", "500000"}},
		{"CNOtherExports", `{"data":["contact"],"subjects":["CN"],"host":"SG","count":50000,"other_exports":[{"country":"CN","subjects":60000,"sensitive_subjects":2000}],"as_of":"2026-11-25"}`,
			[]string{"--data", "contact", "--subjects", "CN", "--host", "SG", "--count", "50000", "--other-exports", "CN:60000:2000"}},
		{"ManyCountriesByRegion", `{"data":["health","contact"],"subjects":["DE","CN","RU","US","AQ"],"provider":"aws","region":"ap-southeast-1","sector":"healthcare","customer_country":"DE","as_of":"2026-11-25"}`,
			[]string{"--data", "health,contact", "--subjects", "DE,CN,RU,US,AQ", "--provider", "aws", "--region", "ap-southeast-1", "--sector", "healthcare", "--customer-country", "DE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/hosting-check", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("API: %d %s %v", resp.StatusCode, body, err)
			}
			code, out, stderr := runCLI(t, append([]string{"hosting-check", "--format", "json", "--as-of", "2026-11-25"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("CLI exit %d: %s", code, stderr)
			}
			var fromAPI, fromCLI any
			if err := json.Unmarshal(body, &fromAPI); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(out), &fromCLI); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fromAPI, fromCLI) {
				t.Errorf("API and CLI differ:\nAPI %s\nCLI %s", body, out)
			}
		})
	}
}
