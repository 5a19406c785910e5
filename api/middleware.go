package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"stateset/commands"
	"stateset/domain"
)

type ctxKey int

const infoKey ctxKey = iota

// reqInfo is what the middleware learns about a request, shared down the chain.
type reqInfo struct {
	id    string
	route string
	key   *domain.APIKey
	body  []byte
	read  bool // body already read
	// replay is the body an idempotent replay answers instead of the first answer's, when
	// that held a secret that must not be stored (a new key's token)
	replay []byte
	note   string // an action's notes, recorded in its events' metadata
}

func info(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(infoKey).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

func requestID(ctx context.Context) string { return info(ctx).id }

var safeID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recovering answers a panic outside outer (in the SDK dialect's mapping, which calls the
// native API through it) as a logged 500 in the contract's format, not a dropped connection.
func (s *Server) recovering(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p), "path", r.URL.Path, "request_id", r.Header.Get("X-Request-Id"))
				if sw.status == 0 {
					s.fail(sw, r, fmt.Errorf("panic: %v", p))
				}
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// outer gives every request an id, recovers panics, logs and measures it.
func (s *Server) outer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{id: r.Header.Get("X-Request-Id"), route: "unmatched"}
		if !safeID.MatchString(ri.id) {
			ri.id = commands.NewID()
		}
		w.Header().Set("X-Request-Id", ri.id)
		ctx := context.WithValue(r.Context(), infoKey, ri)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(ctx, "panic", "panic", fmt.Sprint(p), "request_id", ri.id)
				if sw.status == 0 {
					s.fail(sw, r, fmt.Errorf("panic: %v", p))
				}
			}
			d := time.Since(start)
			s.duration.WithLabelValues(ri.route, r.Method, strconv.Itoa(sw.status)).Observe(d.Seconds())
			keyID := ""
			if ri.key != nil {
				keyID = ri.key.ID
			}
			s.log.InfoContext(ctx, "http", "method", r.Method, "path", r.URL.Path, "route", ri.route,
				"status", sw.status, "duration_ms", float64(d.Microseconds())/1000, "request_id", ri.id, "key_id", keyID)
		}()
		next.ServeHTTP(sw, r)
	})
}

// named records the matched route template for logs and metrics.
func (s *Server) named(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info(r.Context()).route = route
		next.ServeHTTP(w, r)
	})
}

// token finds the API key in Authorization (Token or Bearer) or X-API-Key. A request that
// gives more than one credential (two Authorization headers, or one beside X-API-Key) has
// none: which of them would be the caller is not ours to guess.
func token(r *http.Request) string {
	auths, keys := r.Header.Values("Authorization"), r.Header.Values("X-API-Key")
	if len(auths)+len(keys) != 1 {
		return ""
	}
	if len(keys) == 1 {
		return strings.TrimSpace(keys[0])
	}
	auth := auths[0]
	for _, scheme := range []string{"Token ", "Bearer "} {
		if len(auth) > len(scheme) && strings.EqualFold(auth[:len(scheme)], scheme) {
			return strings.TrimSpace(auth[len(scheme):])
		}
	}
	return ""
}

// authorize checks the key (401) and its scope (403), then the key's rate limit (429).
func (s *Server) authorize(scope string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := token(r)
		if tok == "" {
			s.fail(w, r, errUnauthorized)
			return
		}
		key, ok := s.keys.Lookup(commands.HashToken(tok))
		if !ok || !key.Usable(s.now()) {
			s.fail(w, r, errUnauthorized)
			return
		}
		info(r.Context()).key = key
		if scope != scopeAnyKey && !key.Allows(scope) {
			s.fail(w, r, errForbidden)
			return
		}
		if !s.allow(w, key.ID) {
			s.fail(w, r, &httpError{http.StatusTooManyRequests, "RATE_LIMITED", "too many requests for this API key", nil})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allow takes a token from the key's bucket and sets the X-RateLimit headers.
func (s *Server) allow(w http.ResponseWriter, keyID string) bool {
	if s.cfg.RateLimit < 0 {
		return true
	}
	s.limMu.Lock()
	lim, ok := s.limiters[keyID]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(s.cfg.RateLimit), s.cfg.RateBurst)
		s.limiters[keyID] = lim
	}
	s.limMu.Unlock()
	now := s.now()
	ok = lim.AllowN(now, 1)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(int(s.cfg.RateLimit)))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, int(math.Floor(lim.TokensAt(now))))))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Second).Unix(), 10))
	if !ok {
		h.Set("Retry-After", "1")
	}
	return ok
}

// body returns the request body, read once (1 MiB, JSON only).
func body(r *http.Request) ([]byte, error) {
	ri := info(r.Context())
	if ri.read {
		return ri.body, nil
	}
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	ri.body, ri.read = b, true
	return b, nil
}

// captureWriter keeps a copy of the response for the idempotency record.
type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// replayed headers: what a client needs to act on a replayed answer.
var replayed = []string{"Content-Type", "ETag", "Location", "Stateset-Position"}

// idempotent honours Idempotency-Key on writes: the same key and body replay the first
// answer; another body is 422; a key still running is 409. Keys are per API key.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 {
			s.fail(w, r, badRequest("Idempotency-Key", "at most 255 characters"))
			return
		}
		b, err := body(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.RequestURI()+"\n"), b...))
		scope := "anonymous"
		if k := info(r.Context()).key; k != nil {
			scope = k.ID
		}
		rec, ticket, err := s.idem.Begin(r.Context(), scope, key, hex.EncodeToString(sum[:]))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if rec != nil {
			for k, v := range rec.Header {
				w.Header().Set(k, v)
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(rec.Status)
			w.Write(rec.Body)
			return
		}
		cw := &captureWriter{ResponseWriter: w}
		ctx := context.WithoutCancel(r.Context())
		finished := false
		defer func() {
			// a server failure or a panic frees the key for a retry; the command loop
			// recognises a retry whose first try did land
			if finished {
				return
			}
			if err := s.idem.Abandon(ctx, ticket); err != nil {
				s.log.WarnContext(ctx, "abandon idempotency key", "err", err, "request_id", requestID(ctx))
			}
		}()
		next.ServeHTTP(cw, r)
		if cw.status >= 500 || cw.status == 0 {
			return
		}
		finished = true
		rec2 := commands.Recorded{Status: cw.status, Header: map[string]string{}, Body: cw.buf.Bytes()}
		if alt := info(r.Context()).replay; alt != nil {
			rec2.Body = alt
		}
		for _, h := range replayed {
			if v := w.Header().Get(h); v != "" {
				rec2.Header[h] = v
			}
		}
		if err := s.idem.Complete(ctx, ticket, rec2); err != nil {
			s.log.ErrorContext(ctx, "record idempotency key", "err", err, "request_id", requestID(ctx))
		}
	})
}

// meta is the event metadata of a request: who, which request, which idempotency key.
func meta(r *http.Request) domain.Metadata {
	ri := info(r.Context())
	m := domain.Metadata{RequestID: ri.id, CorrelationID: r.Header.Get("X-Correlation-Id"),
		IdempotencyKey: r.Header.Get("Idempotency-Key"), Note: ri.note}
	if !safeID.MatchString(m.CorrelationID) {
		m.CorrelationID = ri.id
	}
	if ri.key != nil {
		m.Actor, m.ActorName = ri.key.ID, ri.key.Name
	}
	return m
}

// ifMatch turns If-Match: "<version>" into a command option.
func ifMatch(r *http.Request) ([]commands.Option, error) {
	opts := []commands.Option{commands.WithMetadata(meta(r))}
	v, err := ifMatchVersion(r)
	if err != nil || v == 0 {
		return opts, err
	}
	return append(opts, commands.WithIfVersion(v)), nil
}

// ifMatchVersion reads If-Match: absent or * is 0; otherwise it must be one ETag this API
// returns ("3", or W/"3"), quotes balanced.
func ifMatchVersion(r *http.Request) (int64, error) {
	vals := r.Header.Values("If-Match")
	if len(vals) == 0 {
		return 0, nil
	}
	h := strings.TrimSpace(vals[0])
	if len(vals) == 1 && h == "*" {
		return 0, nil
	}
	tag := strings.TrimPrefix(h, "W/")
	bad := badRequest("If-Match", `must be one ETag this API returned, such as "3"`)
	if len(vals) > 1 || len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return 0, bad
	}
	v, err := strconv.ParseInt(tag[1:len(tag)-1], 10, 64)
	if err != nil || v < 1 {
		return 0, bad
	}
	return v, nil
}

// isAction reports whether a route is an action on a resource (POST /v1/<collection>/{id}/
// <action>, or StateSet's /warranties/<action>/{id}), whose body may carry notes. Adding a
// note is its own endpoint (…/notes) and takes its text as its body.
func isAction(method, path string) bool {
	return method == http.MethodPost && (strings.Contains(path, "/{id}/") || strings.Contains(path, "{action}")) &&
		!strings.HasSuffix(path, "/notes")
}

// actionNotes takes an action's optional "notes" (a string) out of its body, for every
// action at once: the handler reads the rest as its own, and the notes go into the
// metadata of every event the action records (meta), so its history shows them.
func (s *Server) actionNotes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := body(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !bytes.Contains(b, []byte(`"notes"`)) {
			next.ServeHTTP(w, r)
			return
		}
		o, err := decodeObject(b)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		notes := o.str("notes")
		if err := o.v.Err(); err != nil {
			s.fail(w, r, err)
			return
		}
		delete(o.raw, "notes")
		rest, err := domain.MarshalJSON(o.raw)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ri := info(r.Context())
		ri.body, ri.note = rest, deref(notes)
		next.ServeHTTP(w, r)
	})
}

// checkHeaders refuses, before any work, what no route accepts: a write with query
// parameters, an empty or repeated Idempotency-Key or a malformed If-Match, and a read
// with a Stateset-Min-Position that is no position. Each is 400 naming the header.
func (s *Server) checkHeaders(method string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v domain.Validation
		if method == http.MethodGet {
			if vals := r.Header.Values("Stateset-Min-Position"); len(vals) > 0 {
				_, err := parseUint(vals[0])
				v.Check(len(vals) == 1 && err == nil, "Stateset-Min-Position", "must be one stream position (a non-negative integer)")
			}
		} else {
			for name := range r.URL.Query() {
				v.Add(name, "unknown query parameter")
			}
			if vals := r.Header.Values("Idempotency-Key"); len(vals) > 0 {
				v.Check(len(vals) == 1 && strings.TrimSpace(vals[0]) != "", "Idempotency-Key", "must be one non-empty key of at most 255 characters")
			}
			if vals := r.Header.Values("Stateset-Wait-Flows"); len(vals) > 0 {
				v.Check(len(vals) == 1 && (vals[0] == "true" || vals[0] == "false"), "Stateset-Wait-Flows", "must be true or false")
			}
			if _, err := ifMatchVersion(r); err != nil {
				v.Add("If-Match", `must be one ETag this API returned, such as "3"`)
			}
		}
		if err := v.Err(); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
