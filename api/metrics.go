package api

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/piaflow/piaflow/internal/httpx"
)

// metrics are the server's Prometheus metrics, in a registry of its own (no global state).
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	evaluations *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piaflow_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "piaflow_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
		evaluations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piaflow_evaluations_total", Help: "Assessments evaluated, by verdict.",
		}, []string{"verdict"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.evaluations, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts a request under its route pattern (not its path) and its method from a fixed
// set, so that no request can add label values: the label sets are bounded by the routes.
func (m *metrics) observe(c *echo.Context, status int, d time.Duration) {
	route := c.Path()
	if route == "" {
		route = "unmatched"
	}
	method := methodLabel(c.Request().Method)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// methodLabel is the method as a metric label: a standard method, else "OTHER".
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}

// metricsEndpoint serves GET /metrics on the main handler, behind the metrics token when one is
// set.
func (s *Server) metricsEndpoint(c *echo.Context) error {
	if s.metricsToken != "" {
		token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.metricsToken)) != 1 {
			return httpx.Msg(http.StatusUnauthorized, "error.http.metrics_token")
		}
	}
	return s.metrics.handler()(c)
}

// MetricsHandler serves the metrics alone, for an address of their own (serve --metrics-addr),
// behind the metrics token when one is set.
func (s *Server) MetricsHandler() http.Handler {
	e := echo.New()
	e.HTTPErrorHandler = s.errorHandler
	e.GET("/metrics", s.metricsEndpoint)
	return e
}
