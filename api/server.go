// Package api serves the HTTP contract of API.md: gorilla/mux routes, middleware, and
// handlers that decode, call one command or query, and encode. It never touches
// JetStream or SQL: writes go through commands, reads through projections.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"stateset/api/sdk"
	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// Config tunes the server; zero values take the defaults.
type Config struct {
	Logger    *slog.Logger
	Metrics   *prometheus.Registry // also served at /metrics
	RateLimit float64              // requests per second per API key; 0 means 1000, <0 turns it off
	RateBurst int                  // default 2 x RateLimit
	ReadWait  time.Duration        // longest wait for Stateset-Min-Position; default 5 s
	FlowWait  time.Duration        // longest wait of a write's answer for the flows it triggered; default 2 s
	Ready     func(context.Context) error
	Now       func() time.Time
	Flows     FlowAdmin     // the process managers; nil answers 501 on /v1/admin/flows
	Version   string        // shown by /v1/status; default "dev"
	Heartbeat time.Duration // comment interval of /v1/events/stream; default 15 s
}

// FlowAdmin lists the process managers and the events they parked, and replays them
// (commands.FlowAdmin).
type FlowAdmin interface {
	Names() []string
	Durable(name string) string
	Parked(ctx context.Context, name string) ([]commands.Parked, error)
	Replay(ctx context.Context, name string) (int, error)
}

// Server is the HTTP API.
type Server struct {
	cmd      *commands.Handler
	read     *projections.Reader
	keys     *projections.Keys
	idem     *commands.Idempotency
	log      *slog.Logger
	now      func() time.Time
	cfg      Config
	handler  http.Handler
	routes   []Route
	duration *prometheus.HistogramVec
	started  time.Time

	limMu    sync.Mutex
	limiters map[string]*rate.Limiter

	// written is the last Stateset-Position each API key's writes answered on this
	// instance (key ID → *atomic.Uint64): a key's reads wait for it (read your writes)
	written sync.Map
}

// Route is one registered route and the scope it needs.
type Route struct {
	Method string
	Path   string // mux template, e.g. /v1/customers/{id}
	Scope  string // "" for public routes; scopeAnyKey for any valid key
}

// scopeAnyKey is the scope of routes every valid key may call (GET /v1/status).
const scopeAnyKey = "any"

// New wires the server.
func New(cmd *commands.Handler, read *projections.Reader, keys *projections.Keys, idem *commands.Idempotency, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		return nil, errors.New("api: a logger is required")
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 1000
	}
	if cfg.RateBurst == 0 {
		cfg.RateBurst = int(2 * cfg.RateLimit)
	}
	if cfg.ReadWait == 0 {
		cfg.ReadWait = 5 * time.Second
	}
	if cfg.FlowWait == 0 {
		cfg.FlowWait = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Ready == nil {
		cfg.Ready = func(context.Context) error { return nil }
	}
	s := &Server{cmd: cmd, read: read, keys: keys, idem: idem, log: cfg.Logger.With("component", "api"), now: cfg.Now,
		cfg: cfg, limiters: map[string]*rate.Limiter{}, started: cfg.Now()}
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "stateset_http_request_duration_seconds",
		Help:    "HTTP request latency by route, method and status.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "method", "status"})
	if err := cfg.Metrics.Register(s.duration); err != nil {
		return nil, err
	}
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFound) })
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Allow", strings.Join(allowed(r, req), ", "))
		s.fail(w, req, errMethod)
	})
	r.Handle("/metrics", promhttp.HandlerFor(cfg.Metrics, promhttp.HandlerOpts{})).Methods(http.MethodGet)
	s.register(r)
	s.handler = s.recovering(sdk.New(s.outer(r))) // the official SDK's dialect, in front of the native API
	return s, nil
}

// allowed lists the methods router serves on req's path (the Allow header of a 405).
func allowed(router *mux.Router, req *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := req.Clone(req.Context())
		probe.Method = m
		var match mux.RouteMatch
		if router.Match(probe, &match) && match.MatchErr == nil {
			out = append(out, m)
		}
	}
	return out
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists every route with its scope.
func (s *Server) Routes() []Route { return s.routes }

// handle registers one route: auth and scope, rate limit, idempotency for writes.
func (s *Server) handle(r *mux.Router, method, path, scope string, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Method: method, Path: path, Scope: scope})
	var next http.Handler = h
	if isAction(method, path) {
		next = s.actionNotes(next)
	}
	if method != http.MethodGet {
		// inside the idempotency record, which then replays the position that covers the flows
		next = s.remember(s.idempotent(s.awaitFlows(next)))
	}
	next = s.checkHeaders(method, next)
	if scope != "" {
		next = s.authorize(scope, next)
	}
	r.Handle(path, s.named(path, next)).Methods(method)
}

// fail answers err in the contract's format; internal errors are logged, never shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body, known := problem(err)
	switch {
	case !known:
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()))
	case status == http.StatusServiceUnavailable:
		// the client is told only to retry; the operator needs the cause
		s.log.WarnContext(r.Context(), "request unavailable", "err", err, "request_id", requestID(r.Context()))
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="stateset"`)
	}
	body.RequestID = requestID(r.Context())
	if body.Details == nil {
		body.Details = []domain.FieldError{}
	}
	writeJSON(w, status, errorBody{Error: body, Detail: body.sentence()})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Ready(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// waitMin makes a GET read what its caller has written: the read models it reads
// wait (at most ReadWait) for Stateset-Min-Position, or, when the header is absent, for
// the last position the caller's key wrote on this instance.
func (s *Server) waitMin(r *http.Request, runs ...*projections.Runner) error {
	pos, err := s.minPosition(r)
	if err != nil || pos == 0 {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadWait)
	defer cancel()
	for _, run := range runs {
		if err := run.WaitFor(ctx, pos); err != nil {
			if ctx.Err() != nil {
				return projections.ErrWaitTimeout
			}
			return err
		}
	}
	return nil
}

// minPosition is the position a read must reflect: the header's, else the key's last write.
func (s *Server) minPosition(r *http.Request) (uint64, error) {
	if h := r.Header.Get("Stateset-Min-Position"); h != "" {
		pos, err := parseUint(h)
		if err != nil {
			return 0, badRequest("Stateset-Min-Position", "must be a stream position (a non-negative integer)")
		}
		return pos, nil
	}
	if key := info(r.Context()).key; key != nil {
		if last, ok := s.written.Load(key.ID); ok {
			return last.(*atomic.Uint64).Load(), nil
		}
	}
	return 0, nil
}

// remember records the Stateset-Position of a key's successful write (a replayed one
// too), so that the key's next reads wait for it.
func (s *Server) remember(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&positionWriter{ResponseWriter: w, s: s, r: r}, r)
	})
}

// positionWriter notes the answer's position as its status line goes out.
type positionWriter struct {
	http.ResponseWriter
	s     *Server
	r     *http.Request
	wrote bool
}

func (w *positionWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		key := info(w.r.Context()).key
		if pos, err := strconv.ParseUint(w.Header().Get("Stateset-Position"), 10, 64); err == nil && code/100 == 2 && key != nil {
			v, _ := w.s.written.LoadOrStore(key.ID, new(atomic.Uint64))
			last := v.(*atomic.Uint64)
			for cur := last.Load(); pos > cur && !last.CompareAndSwap(cur, pos); cur = last.Load() {
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *positionWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *positionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// runner is the read model name's runner, for waiting on positions.
func (s *Server) runner(name string) *projections.Runner {
	run, _ := s.read.Runner(name)
	return run
}
