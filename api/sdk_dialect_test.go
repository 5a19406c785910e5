package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// The official Node SDK's wire contract (docs/API.md, SDK dialect), held against the real
// router on real JetStream and SQLite: each row is one SDK method's exact request (its
// method, path, headers and body, as the SDK sends them) and the fields the SDK reads
// back from the answer.

// sdkCall is one SDK method's request and what the SDK reads from the answer.
type sdkCall struct {
	method string // the SDK method, for the failure message
	verb   string
	path   string // under /v1/; {name} is a value saved by an earlier row
	body   string // "" sends none (with the SDK's Content-Length: 0)
	status int
	reads  []string          // "a.b[0].c=value" (value compared as text) or "a.b" (present, not null)
	save   map[string]string // name → path of a value in the answer
}

// sdkDo sends a request exactly as the SDK does.
func (h *harness) sdkDo(verb, path, body string) (int, http.Header, []byte) {
	h.t.Helper()
	return h.sdkDoAs(verb, path, body, uuid.NewString())
}

// sdkDoAs is sdkDo with the X-Request-ID the SDK makes for each request.
func (h *harness) sdkDoAs(verb, path, body, requestID string) (int, http.Header, []byte) {
	h.t.Helper()
	req, _ := http.NewRequest(verb, h.http.URL+"/v1/"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+h.admin)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "stateset-node/1.0.0")
	req.Header.Set("X-Request-ID", requestID)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

var saved = regexp.MustCompile(`\{(\w+)\}`)

// fillSaved puts the saved values in s's {name}s; ok is false when one is missing.
func fillSaved(s string, vals map[string]string) (string, bool) {
	ok := true
	out := saved.ReplaceAllStringFunc(s, func(m string) string {
		v, found := vals[m[1:len(m)-1]]
		ok = ok && found
		return v
	})
	return out, ok
}

// runSDK runs rows in order, each row's reads checked, its saves kept for the next.
func runSDK(t *testing.T, h *harness, rows []sdkCall) {
	t.Helper()
	vals := map[string]string{}
	fill := func(s string) string {
		out, ok := fillSaved(s, vals)
		if !ok {
			t.Fatalf("%s: a value it names was not saved", s)
		}
		return out
	}
	for _, c := range rows {
		path, body := fill(c.path), fill(c.body)
		status, _, b := h.sdkDo(c.verb, path, body)
		if status != c.status {
			t.Fatalf("%s: %s %s answered %d, want %d: %s", c.method, c.verb, path, status, c.status, b)
		}
		var a any
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: answer is not JSON: %q", c.method, b)
		}
		for _, r := range c.reads {
			p, want, exact := strings.Cut(fill(r), "=")
			got, ok := at(a, p)
			switch {
			case !ok || got == nil:
				t.Errorf("%s: the SDK reads %s; the answer has none: %s", c.method, p, b)
			case exact && fmt.Sprint(got) != want:
				t.Errorf("%s: %s is %v, want %s", c.method, p, got, want)
			}
		}
		for name, p := range c.save {
			v, ok := at(a, p)
			if !ok {
				t.Fatalf("%s: nothing at %s to save: %s", c.method, p, b)
			}
			vals[name] = fmt.Sprint(v)
		}
	}
}

// at finds a path such as a.b[0].c in a decoded JSON value.
func at(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		if name != "" {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[name]; !ok {
				return nil, false
			}
		}
		for indexed {
			var n string
			n, idx, _ = strings.Cut(idx, "]")
			i, _ := strconv.Atoi(n)
			arr, ok := v.([]any)
			if !ok || i >= len(arr) {
				return nil, false
			}
			v = arr[i]
			_, idx, indexed = strings.Cut(idx, "[")
		}
	}
	return v, true
}

func TestSDKDialectChoice(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		name, ua, dialect string
		status            int
		sdk               bool
	}{
		{"the SDK's User-Agent", "stateset-node/1.0.0 myapp/2", "", 200, true},
		{"another client", "curl/8", "", 200, false},
		{"the header turns it on", "curl/8", "sdk", 200, true},
		{"the header turns it off", "stateset-node/1.0.0", "native", 200, false},
		{"an unknown dialect", "curl/8", "hasura", 400, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.do("GET", "/v1/customers", "", "User-Agent", c.ua, "Stateset-Dialect", c.dialect)
			if r.status != c.status {
				t.Fatalf("%d: %s", r.status, r.body)
			}
			if c.status != 200 {
				return
			}
			_, sdk := r.json(t)["customers"]
			if sdk != c.sdk || (r.header.Get("Stateset-Dialect") == "sdk") != c.sdk {
				t.Errorf("answered in the SDK dialect: %v, want %v: %s", sdk, c.sdk, r.body)
			}
		})
	}
}

// TestSDKRequestsKeepTheirIDs: the native writes an SDK request makes carry its
// X-Request-ID and X-Correlation-Id into the events' metadata, as a native request's do.
func TestSDKRequestsKeepTheirIDs(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ name, reqID, correlation, want string }{
		{"a correlation given", "req-sdk-1", "order-import-7", "order-import-7"},
		{"none: the request's id", "req-sdk-2", "", "req-sdk-2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			reqID := c.reqID
			r := h.do("POST", "/v1/customers", `{"name":"Ada Lovelace","email":"ada+`+reqID+`@example.com"}`,
				"User-Agent", "stateset-node/1.0.0", "X-Request-ID", reqID, "X-Correlation-Id", c.correlation)
			if r.status != http.StatusCreated {
				t.Fatalf("%d: %s", r.status, r.body)
			}
			id := r.json(t)["customer"].(map[string]any)["id"].(string)
			ev := h.do("GET", "/v1/customers/"+id+"/history", "").json(t)["data"].([]any)[0].(map[string]any)
			if ev["request_id"] != reqID || ev["correlation_id"] != c.want {
				t.Errorf("request_id %v, correlation_id %v; want %s, %s", ev["request_id"], ev["correlation_id"], reqID, c.want)
			}
		})
	}
}

// TestSDKObeysTheKeysScopes: every native request an SDK method makes carries the
// caller's key, so the dialect reads and writes nothing the key could not natively: a
// method of a module the key lacks is 403 in the error format and appends nothing, a
// collection method (search, count, bulk) included.
func TestSDKObeysTheKeysScopes(t *testing.T) {
	h := newFullHarness(t)
	if r := h.do("POST", "/v1/customers", `{"id":"c1","email":"ada@example.com","firstName":"Ada","lastName":"Lovelace"}`); r.status != http.StatusCreated {
		t.Fatalf("customer: %d %s", r.status, r.body)
	}
	// the reader never wrote, so its reads wait for no position: the admin's read waits for
	// the customer to be in the view first
	if r := h.do("GET", "/v1/customers/c1", ""); r.status != http.StatusOK {
		t.Fatalf("customer read back: %d %s", r.status, r.body)
	}
	reader := h.key("customers-reader", []string{"customers:read"}, nil)
	for _, c := range []struct {
		verb, path, body string
		status           int
	}{
		{"GET", "customers/c1", "", 200},
		{"GET", "customers/search?query=ada", "", 200},
		{"GET", "customers/count", "", 200},
		{"GET", "orders", "", 403},
		{"GET", "orders/search?query=x", "", 403},
		{"GET", "orders/metrics", "", 403},
		{"GET", "customers/metrics", "", 200},
		{"POST", "customers", `{"name":"Grace Hopper","email":"grace@example.com"}`, 403},
		{"PUT", "customers/c1", `{"name":"Ada King"}`, 403},
		{"POST", "customers/bulk", `{"items":[{"name":"Grace Hopper","email":"grace@example.com"}]}`, 200},
		{"POST", "leads", `{"first_name":"Grace","last_name":"Hopper","email":"grace@example.com","status":"QUALIFIED"}`, 403},
		{"POST", "picks/p1/quality-check", `{"checker_id":"kim","items":[]}`, 403},
	} {
		before := h.head()
		req, _ := http.NewRequest(c.verb, h.http.URL+"/v1/"+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+reader)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "stateset-node/1.0.0")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var e struct {
			Detail    string `json:"detail"`
			Succeeded *int   `json:"succeeded"`
		}
		_ = json.Unmarshal(b, &e)
		switch {
		case res.StatusCode != c.status:
			t.Errorf("%s %s: %d, want %d: %s", c.verb, c.path, res.StatusCode, c.status, b)
		case c.status >= 400 && e.Detail == "":
			t.Errorf("%s %s: %d without a detail: %s", c.verb, c.path, res.StatusCode, b)
		case e.Succeeded != nil && *e.Succeeded != 0:
			t.Errorf("%s %s: a bulk write with a read-only key succeeded: %s", c.verb, c.path, b)
		}
		if after := h.head(); after != before {
			t.Errorf("%s %s with a read-only key appended %d events", c.verb, c.path, after-before)
		}
	}
}
