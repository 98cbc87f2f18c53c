package api

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

// BenchmarkEvaluateAnswer compares the two ways of answering an evaluation (the hospital
// example's assessment, about 35 KB of JSON): "encode" encodes the assessment again as c.JSON
// does; "splice" writes the record's fields and the JSON stored (sendStored).
func BenchmarkEvaluateAnswer(b *testing.B) {
	e, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	q, err := assessments.Parse([]byte(mustExample(b)))
	if err != nil {
		b.Fatal(err)
	}
	a, err := assessments.NewEvaluator(e).Assess(b.Context(), q, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	result, err := json.Marshal(a)
	if err != nil {
		b.Fatal(err)
	}
	rec := piaflow.AssessmentRecord{ID: 7, DeploymentID: 1, ReviewState: piaflow.ReviewNone, Result: string(result)}
	ec := echo.New()
	answer := func(splice bool) {
		c := ec.NewContext(httptest.NewRequest("POST", "/", nil), discard{httptest.NewRecorder()})
		if splice {
			err = sendStored(c, 201, stored(rec, 2, nil), rec.Result)
		} else {
			err = sendLocalised(c, 201, stored(rec, 2, a))
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			answer(false)
		}
	})
	b.Run("splice", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			answer(true)
		}
	})
}

// discard is a response writer that drops the body.
type discard struct{ *httptest.ResponseRecorder }

func (discard) Write(p []byte) (int, error) { return io.Discard.Write(p) }
