package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// TestStatusOf: the one table from domain errors to HTTP statuses, wrapped or not.
func TestStatusOf(t *testing.T) {
	for _, tt := range []struct {
		name   string
		err    error
		status int
		paths  []string
	}{
		{"Errorf", Errorf(http.StatusTeapot, "no %s", "coffee"), http.StatusTeapot, nil},
		{"Validation", fmt.Errorf("save: %w", &assessments.ValidationError{Problems: []assessments.Problem{{Path: "deployment.name", Message: "is required"}}}),
			http.StatusUnprocessableEntity, []string{"deployment.name"}},
		{"Import", &piaflow.ImportError{Problems: []piaflow.ImportProblem{{Row: 3, Column: "Status", Message: "unknown"}}}, http.StatusUnprocessableEntity, []string{"Status"}},
		{"ImportForbidden", &piaflow.ImportError{Problems: []piaflow.ImportProblem{{Row: 3, Column: "Status", Message: "legal only", Forbidden: true}}}, http.StatusForbidden, []string{"Status"}},
		{"InvalidFields", piaflow.Invalid(piaflow.FieldProblem{Field: "name", Message: "is required"}), http.StatusUnprocessableEntity, []string{"name"}},
		{"NotFound", fmt.Errorf("load: %w", piaflow.ErrNotFound), http.StatusNotFound, nil},
		{"Conflict", piaflow.ErrConflict, http.StatusConflict, nil},
		{"Precondition", piaflow.ErrPrecondition, http.StatusPreconditionFailed, nil},
		{"Forbidden", piaflow.Errorf(piaflow.ErrForbidden, piaflow.ReasonRole, "no"), http.StatusForbidden, nil},
		{"Invalid", piaflow.ErrInvalid, http.StatusUnprocessableEntity, nil},
		{"Echo", echo.ErrMethodNotAllowed, http.StatusMethodNotAllowed, nil},
		{"Other", errors.New("disk on fire"), http.StatusInternalServerError, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, detail, problems := StatusOf(tt.err)
			if status != tt.status {
				t.Errorf("status %d, want %d (detail %q)", status, tt.status, detail)
			}
			var paths []string
			for _, p := range problems {
				paths = append(paths, p.Path)
			}
			if fmt.Sprint(paths) != fmt.Sprint(tt.paths) {
				t.Errorf("problem paths %v, want %v", paths, tt.paths)
			}
			if status == http.StatusInternalServerError && detail != "internal error" {
				t.Errorf("an internal error shows %q", detail)
			}
		})
	}
}

func TestPrintableASCII(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc-123", 64, "abc-123"},
		{"a\nb\x00c\x7fd", 64, "abcd"},
		{"日本x", 64, "x"},
		{"abcdef", 3, "abc"},
	} {
		if got := printableASCII(tt.in, tt.n); got != tt.want {
			t.Errorf("printableASCII(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
