// Package sdk serves the dialect of StateSet's official Node SDK (stateset/stateset-node)
// in front of the native API: the SDK's paths, verbs, field names, enum spellings and
// answer shapes, mapped onto native requests by one table of resources (resources.go),
// declared as data. The native handler does all the work; this layer only translates, so
// every write the SDK makes is the native write with its checks, events and durability.
//
// A request is in the SDK dialect when it says Stateset-Dialect: sdk, or says nothing and
// its User-Agent starts with stateset-node/. Stateset-Dialect: native turns it off.
package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Handler answers SDK-dialect requests and passes every other request to the native API.
type Handler struct {
	native    http.Handler
	resources map[string]*resource // by the SDK's first path segment
}

// New puts the SDK dialect in front of native.
func New(native http.Handler) *Handler {
	h := &Handler{native: native, resources: map[string]*resource{}}
	for _, r := range resources() {
		r.init()
		h.resources[r.path] = r
	}
	return h
}

// Dialect header values.
const (
	dialectHeader = "Stateset-Dialect"
	sdkAgent      = "stateset-node/"
)

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch d := r.Header.Get(dialectHeader); {
	case d == "native", d == "" && !strings.HasPrefix(r.Header.Get("User-Agent"), sdkAgent):
		h.native.ServeHTTP(w, r)
		return
	case d != "sdk" && d != "":
		fail(w, r, http.StatusBadRequest, "VALIDATION_ERROR", "the request is invalid", dialectHeader, "must be sdk or native")
		return
	}
	w.Header().Set("Stateset-Dialect", "sdk")
	rest, ok := strings.CutPrefix(r.URL.Path, "/v1/")
	if !ok {
		h.pass(w, r)
		return
	}
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	res := h.resources[segs[0]]
	if res == nil {
		h.pass(w, r)
		return
	}
	x := &exchange{h: h, w: w, r: r, res: res}
	res.serve(x, segs[1:])
}

// pass serves a path the table does not declare natively; a route the native API does
// not have is a method of the SDK we do not offer: 501, never 404 "no such route".
func (h *Handler) pass(w http.ResponseWriter, r *http.Request) {
	rec := newRecorder()
	h.native.ServeHTTP(rec, r)
	if unrouted(rec.status, rec.body.Bytes()) {
		notImplemented(w, r, "")
		return
	}
	rec.copyTo(w)
}

// unrouted reports a native answer that says the route does not exist (404 no such
// route, or 405 on a path that exists with other methods).
func unrouted(status int, body []byte) bool {
	if status == http.StatusMethodNotAllowed {
		return true
	}
	if status != http.StatusNotFound {
		return false
	}
	var e errorBody
	_ = json.Unmarshal(body, &e)
	return e.Error.Message == "no such route"
}

// errorBody is the contract's error answer (API.md, Errors).
type errorBody struct {
	Error struct {
		Code      string       `json:"code"`
		Message   string       `json:"message"`
		Details   []fieldIssue `json:"details"`
		RequestID string       `json:"request_id,omitempty"`
	} `json:"error"`
	Detail string `json:"detail"`
}

type fieldIssue struct {
	Field string `json:"field"`
	Issue string `json:"issue"`
}

// fail answers an error of this layer in the contract's format.
func fail(w http.ResponseWriter, r *http.Request, status int, code, message, field, issue string) {
	var e errorBody
	e.Error.Code, e.Error.Message, e.Error.Details = code, message, []fieldIssue{}
	e.Error.RequestID = requestID(w, r)
	e.Detail = message
	if field != "" {
		e.Error.Details = append(e.Error.Details, fieldIssue{field, issue})
		e.Detail = message + ": " + field + ": " + issue
	}
	writeJSON(w, status, e)
}

// errAnswer is fail's answer, kept as an answer (for one element of a bulk request, or
// to be relayed).
func errAnswer(x *exchange, status int, code, message, field, issue string) answer {
	rec := newRecorder()
	fail(rec, x.r, status, code, message, field, issue)
	return answer{status: rec.status, header: rec.header, body: rec.body.Bytes()}
}

// notImplemented is the answer to an SDK method StateSet One does not offer (API.md, SDK dialect).
func notImplemented(w http.ResponseWriter, r *http.Request, why string) {
	msg := fmt.Sprintf("%s %s is a method of the official SDK that StateSet One does not implement", r.Method, r.URL.Path)
	if why != "" {
		msg += ": " + why
	}
	fail(w, r, http.StatusNotImplemented, "NOT_IMPLEMENTED", msg, "", "")
}

func requestID(w http.ResponseWriter, r *http.Request) string {
	if id := w.Header().Get("X-Request-Id"); id != "" {
		return id
	}
	return r.Header.Get("X-Request-Id")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":{"code":"INTERNAL","message":"internal error","details":[]},"detail":"internal error"}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// recorder keeps a native answer for translation.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// forwarded are the request headers a native call keeps from the SDK's request.
var forwarded = []string{"Authorization", "X-Api-Key", "X-Request-Id", "X-Correlation-Id", "Stateset-Min-Position", "Stateset-Wait-Flows", "If-Match"}

// exchange is one SDK request being answered through native calls.
type exchange struct {
	h   *Handler
	w   http.ResponseWriter
	r   *http.Request
	res *resource
	n   int // native writes made so far (each gets its own idempotency key)
}

// answer is a native answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) ok() bool { return a.status/100 == 2 }

// object decodes a native JSON object answer.
func (a answer) object() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(a.body, &m)
	return m
}

// call makes one native request on behalf of the SDK's. A write carries the SDK request's
// Idempotency-Key, suffixed when the request makes more than one write, so a retried SDK
// request repeats none of them.
func (x *exchange) call(method, path string, query url.Values, body any) answer {
	return x.callWith(method, path, query, body, nil)
}

// callAt is call on the version of the resource read: a write answers 412 when another
// came between the read and it (If-Match), so a read-modify-write loses nothing.
func (x *exchange) callAt(method, path string, version any, body any) answer {
	return x.callWith(method, path, nil, body, http.Header{"If-Match": {strconv.Quote(strconv.FormatFloat(num(version), 'f', -1, 64))}})
}

func (x *exchange) callWith(method, path string, query url.Values, body any, extra http.Header) answer {
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	u := path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, _ := http.NewRequestWithContext(x.r.Context(), method, u, rd)
	for _, k := range forwarded {
		if v := x.r.Header.Values(k); len(v) > 0 {
			req.Header[http.CanonicalHeaderKey(k)] = v
		}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range extra {
		req.Header[k] = v
	}
	if method != http.MethodGet {
		if k := x.r.Header.Get("Idempotency-Key"); k != "" {
			if x.n > 0 {
				k = fmt.Sprintf("%s/%d", k, x.n)
			}
			req.Header.Set("Idempotency-Key", k)
		}
		x.n++
	}
	req.RemoteAddr = x.r.RemoteAddr
	rec := newRecorder()
	x.h.native.ServeHTTP(rec, req)
	return answer{status: rec.status, header: rec.header, body: rec.body.Bytes()}
}

// read GETs a native resource; when it is not there (or not readable) the native answer is
// relayed and ok is false.
func (x *exchange) read(path string) (a answer, ok bool) {
	if a = x.call(http.MethodGet, path, nil, nil); !a.ok() {
		x.relay(a)
		return a, false
	}
	return a, true
}

// relay answers a native error as it is (it is in the contract's format, detail included),
// except that a route the native API lacks is 501.
func (x *exchange) relay(a answer) {
	if unrouted(a.status, a.body) {
		notImplemented(x.w, x.r, "")
		return
	}
	x.headers(a)
	x.w.Header().Set("Content-Type", "application/json")
	x.w.WriteHeader(a.status)
	x.w.Write(a.body)
}

// headers copies the native answer's headers that still hold for the SDK's answer.
func (x *exchange) headers(a answer) {
	for _, k := range []string{"X-Request-Id", "Stateset-Position", "Stateset-Flows-Pending", "Idempotent-Replayed", "Retry-After", "WWW-Authenticate", "X-Ratelimit-Limit", "X-Ratelimit-Remaining"} {
		if v := a.header.Get(k); v != "" {
			x.w.Header().Set(k, v)
		}
	}
}

// reply answers v with the status and headers of the native answer it was made from.
func (x *exchange) reply(a answer, v any) {
	x.headers(a)
	writeJSON(x.w, a.status, v)
}
