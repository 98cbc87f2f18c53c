package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/piaflow/piaflow/assessments"
)

var updateOpenAPI = flag.Bool("update", false, "rewrite api/openapi.json's Questionnaire schema from the Go types")

// contract is openapi.json loaded by kin-openapi once per test binary: the router that finds an
// operation for a request, or the error that loading the document gave.
var contract = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader() // external references are refused (IsExternalRefsAllowed false)
	doc, err := loader.LoadFromData(openAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil // match paths whatever address the test server has
	return legacy.NewRouter(doc)
})

// TestOpenAPIDocument: the description loads without external references, validates as
// OpenAPI, and every operation has a unique operationId.
func TestOpenAPIDocument(t *testing.T) {
	if _, err := contract(); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for p, ops := range doc.Paths {
		for m, op := range ops {
			if m == "parameters" {
				continue
			}
			where := strings.ToUpper(m) + " " + p
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := seen[op.OperationID]; dup {
				t.Errorf("operationId %q on %s and %s", op.OperationID, other, where)
			}
			seen[op.OperationID] = where
		}
	}
	if bytes.Contains(openAPI, []byte(`"$ref": "http`)) {
		t.Error("openapi.json has an external $ref")
	}
}

// TestOpenAPIQuestionnaireSchema: components/schemas/Questionnaire is the questionnaire's JSON
// Schema as the Go types generate it (go test ./api -run TestOpenAPIQuestionnaireSchema -update).
func TestOpenAPIQuestionnaireSchema(t *testing.T) {
	gen, err := assessments.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(gen, &want); err != nil {
		t.Fatal(err)
	}
	delete(want, "$schema")
	delete(want, "$id")
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	if reflect.DeepEqual(schemas["Questionnaire"], want) {
		return
	}
	if !*updateOpenAPI {
		t.Fatal("openapi.json's Questionnaire schema differs from the Go types; review and run go test ./api -run TestOpenAPIQuestionnaireSchema -update")
	}
	schemas["Questionnaire"] = want
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("openapi.json", b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// conformingHandler serves h and checks every response to a documented operation against
// openapi.json: status code, headers and body schema. A response that does not conform fails
// the test that received it. Requests are not checked: tests send bad input on purpose.
func conformingHandler(tb testing.TB, h http.Handler) http.Handler {
	router, err := contract()
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := router.FindRoute(r)
		if err != nil { // the web UI, or an undocumented path or method (tested for elsewhere)
			h.ServeHTTP(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		opts := &openapi3filter.Options{
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			IncludeResponseStatus: true,
			MultiError:            true,
		}
		ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		if ct != "" && !strings.HasSuffix(ct, "json") {
			opts.ExcludeResponseBody = true // PDF, xlsx, YAML and metrics text: types checked, not parsed
			if ok := mediaTypeDocumented(route, rec.status, ct); !ok {
				tb.Errorf("%s %s: %d with undocumented content type %s", r.Method, r.URL.Path, rec.status, ct)
			}
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts},
			Status:                 rec.status,
			Header:                 rec.Header(),
			Body:                   io.NopCloser(bytes.NewReader(rec.body.Bytes())),
			Options:                opts,
		}
		if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
			tb.Errorf("%s %s: response %d does not conform to openapi.json: %v", r.Method, r.URL.Path, rec.status, err)
		}
	})
}

// mediaTypeDocumented reports whether the operation documents content type ct for status.
func mediaTypeDocumented(route *routers.Route, status int, ct string) bool {
	resp := route.Operation.Responses.Status(status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		return false
	}
	_, ok := resp.Value.Content[ct]
	return ok
}

// recorder passes a response through and keeps a copy of its status and body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Echo flushes through it).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
