package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a local webhook endpoint that checks every signature against its secret.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	got    []map[string]any // verified bodies, in arrival order
	bad    int              // requests with a wrong signature
	answer func(body map[string]any, n int) int
	calls  int
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{t: t}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		secret, answer := rc.secret, rc.answer
		rc.calls++
		n := rc.calls
		rc.mu.Unlock()
		if !validSignature(r.Header.Get("Stateset-Signature"), secret, body) {
			rc.mu.Lock()
			rc.bad++
			rc.mu.Unlock()
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		code := http.StatusNoContent
		if answer != nil {
			code = answer(m, n)
		}
		if code/100 == 2 {
			rc.mu.Lock()
			rc.got = append(rc.got, m)
			rc.mu.Unlock()
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// validSignature checks "t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
func validSignature(header, secret string, body []byte) bool {
	var ts, sig string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := hex.EncodeToString(mac.Sum(nil))
	return ts != "" && secret != "" && hmac.Equal([]byte(sig), []byte(want))
}

func (rc *receiver) received() []map[string]any {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]map[string]any(nil), rc.got...)
}

func (rc *receiver) types() []string {
	var out []string
	for _, m := range rc.received() {
		out = append(out, fmt.Sprint(m["type"]))
	}
	return out
}

// webhookShop is a shop whose endpoints may be local and whose retries take milliseconds.
func webhookShop(t *testing.T, args ...string) *shop {
	return newShop(t, append([]string{"--webhooks-allow-private", "--webhook-retry-schedule", "0,50ms,100ms"}, args...)...)
}

// endpoint creates an endpoint for rc and gives rc its secret.
func (sh *shop) endpoint(rc *receiver, events ...string) map[string]any {
	sh.t.Helper()
	ev, _ := json.Marshal(events)
	ep := sh.ok(http.MethodPost, "/v1/webhook_endpoints", fmt.Sprintf(`{"url":%q,"events":%s,"description":"test"}`, rc.srv.URL+"/hook", ev))
	secret, _ := ep["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") {
		sh.t.Fatalf("create shows no secret: %v", ep)
	}
	rc.mu.Lock()
	rc.secret = secret
	rc.mu.Unlock()
	return ep
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: never happened", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (sh *shop) deliveries(epID string) []any {
	sh.t.Helper()
	return sh.ok(http.MethodGet, "/v1/webhook_endpoints/"+epID+"/deliveries?limit=100", "")["data"].([]any)
}

// TestWebhookDeliversSignedEvents: the secret is shown once; a customer update reaches a
// customer.* endpoint signed, with the event's id, dotted type, position and data; a
// non-matching endpoint gets nothing; "*" gets everything; no secret is listed or logged.
func TestWebhookDeliversSignedEvents(t *testing.T) {
	sh := webhookShop(t)
	cust, orders, all := newReceiver(t), newReceiver(t), newReceiver(t)
	ep := sh.endpoint(cust, "customer.updated", "customer.created")
	sh.endpoint(orders, "order.*")
	sh.endpoint(all, "*")
	id := ep["id"].(string)
	secret := ep["secret"].(string)

	sh.ok(http.MethodPut, "/v1/customers/cus1", `{"firstName":"Bea"}`)
	waitFor(t, "customer.updated delivered", func() bool { return len(cust.received()) == 1 })
	m := cust.received()[0]
	if m["type"] != "customer.updated" || m["event_type"] != "CustomerUpdated" || m["aggregate_type"] != "customer" ||
		m["aggregate_id"] != "cus1" || m["id"] == "" || num(m["position"]) == 0 || m["created"] == "" {
		t.Fatalf("body %v", m)
	}
	if data := m["data"].(map[string]any); data["customer_id"] != "cus1" || data["first_name"].(map[string]any)["to"] != "Bea" {
		t.Fatalf("data %v", data)
	}
	sh.ok(http.MethodPost, "/v1/warehouses", `{"id":"w2","name":"Second"}`)
	waitFor(t, "* gets every event", func() bool {
		return strings.Contains(strings.Join(all.types(), " "), "warehouse.created")
	})
	if got := orders.received(); len(got) != 0 {
		t.Fatalf("order.* received %v", got)
	}
	if cust.bad+all.bad != 0 {
		t.Fatalf("bad signatures: %d", cust.bad+all.bad)
	}
	// the log shows the attempt
	waitFor(t, "delivery logged", func() bool {
		ds := sh.deliveries(id)
		return len(ds) == 1 && ds[0].(map[string]any)["status"] == "SUCCEEDED"
	})
	d := sh.deliveries(id)[0].(map[string]any)
	if a := d["attempts"].([]any); len(a) != 1 || num(a[0].(map[string]any)["response_code"]) != 204 || d["type"] != "customer.updated" {
		t.Fatalf("delivery %v", d)
	}
	// the secret is never answered again, nor logged
	for _, path := range []string{"/v1/webhook_endpoints", "/v1/webhook_endpoints/" + id, "/v1/webhook_endpoints/" + id + "/history",
		"/v1/webhook_endpoints/" + id + "/deliveries"} {
		if a := sh.send(http.MethodGet, path, ""); a.status != 200 || strings.Contains(string(a.body), secret) || strings.Contains(string(a.body), "whsec_") {
			t.Fatalf("%s shows the secret: %d %s", path, a.status, a.body)
		}
	}
	rot := sh.ok(http.MethodPost, "/v1/webhook_endpoints/"+id+"/rotate_secret", "")
	if s, _ := rot["secret"].(string); s == "" || s == secret {
		t.Fatalf("rotate: %v", rot)
	}
	cust.mu.Lock()
	cust.secret = rot["secret"].(string)
	cust.mu.Unlock()
	sh.ok(http.MethodPut, "/v1/customers/cus1", `{"firstName":"Cy"}`)
	waitFor(t, "signed with the new secret", func() bool { return len(cust.received()) == 2 })
	sh.srv.stop()
	if log := sh.srv.log.String(); strings.Contains(log, secret) || strings.Contains(log, rot["secret"].(string)) {
		t.Fatal("a secret is in the server log")
	}
}

// TestWebhookRetriesThenSucceeds: 500, 500, 200 is three attempts, then SUCCEEDED; a 400
// fails the delivery after one attempt.
func TestWebhookRetriesThenSucceeds(t *testing.T) {
	sh := webhookShop(t, "--webhook-retry-schedule", "0,50ms,50ms,50ms")
	rc := newReceiver(t)
	rc.answer = func(m map[string]any, n int) int {
		if m["aggregate_id"] == "bad" {
			return http.StatusBadRequest
		}
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	}
	id := sh.endpoint(rc, "customer.created")["id"].(string)
	sh.ok(http.MethodPut, "/v1/customers/c2", `{"email":"c2@example.com","firstName":"C"}`)
	waitFor(t, "delivered after retries", func() bool { return len(rc.received()) == 1 })
	var d map[string]any
	waitFor(t, "logged as succeeded", func() bool {
		ds := sh.deliveries(id)
		d = ds[0].(map[string]any)
		return d["status"] == "SUCCEEDED"
	})
	var codes []int64
	for _, a := range d["attempts"].([]any) {
		codes = append(codes, num(a.(map[string]any)["response_code"]))
	}
	if fmt.Sprint(codes) != "[500 500 200]" {
		t.Fatalf("attempts %v", codes)
	}
	sh.ok(http.MethodPut, "/v1/customers/bad", `{"email":"bad@example.com","firstName":"B"}`)
	waitFor(t, "400 fails for good", func() bool {
		ds := sh.deliveries(id)
		return len(ds) == 2 && ds[0].(map[string]any)["status"] == "FAILED"
	})
	if a := sh.deliveries(id)[0].(map[string]any)["attempts"].([]any); len(a) != 1 {
		t.Fatalf("a 400 is tried once: %v", a)
	}
}

// TestWebhookKeepsPerEndpointOrder: while the first event is refused (503), the second
// waits; once the first gets through, the second follows.
func TestWebhookKeepsPerEndpointOrder(t *testing.T) {
	sh := webhookShop(t, "--webhook-retry-schedule", "0,100ms,100ms,100ms,100ms,100ms")
	rc := newReceiver(t)
	var mu sync.Mutex
	refused := 0
	rc.answer = func(m map[string]any, n int) int {
		mu.Lock()
		defer mu.Unlock()
		if m["aggregate_id"] == "first" && refused < 3 {
			refused++
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	}
	sh.endpoint(rc, "customer.created")
	sh.ok(http.MethodPut, "/v1/customers/first", `{"email":"first@example.com","firstName":"F"}`)
	sh.ok(http.MethodPut, "/v1/customers/second", `{"email":"second@example.com","firstName":"S"}`)
	waitFor(t, "both delivered", func() bool { return len(rc.received()) == 2 })
	got := rc.received()
	if got[0]["aggregate_id"] != "first" || got[1]["aggregate_id"] != "second" {
		t.Fatalf("arrival order %v, %v", got[0]["aggregate_id"], got[1]["aggregate_id"])
	}
	mu.Lock()
	defer mu.Unlock()
	if refused != 3 {
		t.Fatalf("first refused %d times", refused)
	}
}

// TestWebhookEndpointDisabledAfterFailures: with two failed deliveries in a row the
// endpoint is disabled (WebhookEndpointDisabled in its history) and later events wait;
// enabling it delivers them; a failed delivery can be redelivered.
func TestWebhookEndpointDisabledAfterFailures(t *testing.T) {
	sh := webhookShop(t, "--webhook-retry-schedule", "0,20ms", "--webhook-disable-after", "2")
	rc := newReceiver(t)
	var mu sync.Mutex
	down := true
	rc.answer = func(map[string]any, int) int {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return http.StatusBadGateway
		}
		return http.StatusOK
	}
	id := sh.endpoint(rc, "customer.created")["id"].(string)
	for _, c := range []string{"d1", "d2", "d3"} {
		sh.ok(http.MethodPut, "/v1/customers/"+c, fmt.Sprintf(`{"email":"%s@example.com","firstName":"D"}`, c))
	}
	ep := sh.eventually("disabled", "/v1/webhook_endpoints/"+id, func(e map[string]any) bool { return e["status"] == "DISABLED" })
	if !strings.Contains(fmt.Sprint(ep["disabled_reason"]), "2 deliveries failed") {
		t.Fatalf("endpoint %v", ep)
	}
	h := history(sh, "/v1/webhook_endpoints/"+id+"/history")
	if !strings.Contains(fmt.Sprint(h), "WebhookEndpointDisabled") {
		t.Fatalf("history %v", h)
	}
	var failed string
	for _, d := range sh.deliveries(id) {
		d := d.(map[string]any)
		switch d["aggregate_id"] {
		case "d3":
			if d["status"] != "PENDING" {
				t.Fatalf("d3 should wait: %v", d)
			}
		case "d1":
			failed = d["id"].(string)
			if d["status"] != "FAILED" || len(d["attempts"].([]any)) != 2 {
				t.Fatalf("d1 %v", d)
			}
		}
	}
	mu.Lock()
	down = false
	mu.Unlock()
	sh.ok(http.MethodPost, "/v1/webhook_endpoints/"+id+"/enable", "")
	waitFor(t, "d3 delivered after enable", func() bool { return len(rc.received()) == 1 })
	sh.ok(http.MethodPost, "/v1/webhook_endpoints/"+id+"/deliveries/"+failed+"/redeliver", "")
	waitFor(t, "d1 redelivered", func() bool { return len(rc.received()) == 2 })
	if got := rc.received(); got[0]["aggregate_id"] != "d3" || got[1]["aggregate_id"] != "d1" {
		t.Fatalf("received %v then %v", got[0]["aggregate_id"], got[1]["aggregate_id"])
	}
	d := sh.eventually("redelivery logged", "/v1/webhook_endpoints/"+id+"/deliveries/"+failed, func(d map[string]any) bool {
		return d["status"] != "PENDING"
	})
	if d["status"] != "SUCCEEDED" || len(d["attempts"].([]any)) != 3 {
		t.Fatalf("redelivered %v", d)
	}
	sh.refused(http.MethodPost, "/v1/webhook_endpoints/"+id+"/deliveries/nope/redeliver", "", 404, "NOT_FOUND")
}

// TestWebhookURLsAreChecked: only http(s); a loopback target needs --webhooks-allow-private.
func TestWebhookURLsAreChecked(t *testing.T) {
	sh := newShop(t)
	for _, u := range []string{"ftp://example.com/x", "http://127.0.0.1:9/x", "http://localhost/x", "http://10.0.0.1/x", "not a url"} {
		if f := sh.refused(http.MethodPost, "/v1/webhook_endpoints", fmt.Sprintf(`{"url":%q,"events":["*"]}`, u), 400, "VALIDATION_ERROR"); len(f) != 1 || f[0] != "url" {
			t.Fatalf("%s: %v", u, f)
		}
	}
	if f := sh.refused(http.MethodPost, "/v1/webhook_endpoints", `{"url":"https://example.com/x","events":["Order Created"]}`, 400, "VALIDATION_ERROR"); len(f) != 1 {
		t.Fatalf("bad pattern: %v", f)
	}
	ep := sh.ok(http.MethodPost, "/v1/webhook_endpoints", `{"url":"https://example.com/x","events":["order.*"]}`)
	sh.refused(http.MethodPut, "/v1/webhook_endpoints/"+ep["id"].(string), `{"url":"http://127.0.0.1/x"}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodDelete, "/v1/webhook_endpoints/"+ep["id"].(string), "")
	if a := sh.send(http.MethodGet, "/v1/webhook_endpoints/"+ep["id"].(string), ""); a.status != 404 {
		t.Fatalf("deleted endpoint: %d %s", a.status, a.body)
	}
}

// TestWebhookBodyCarriesNoAPIKeyHash: an api_key.* endpoint gets ApiKeyCreated with its
// data, but the token's hash redacted, as the feed shows it.
func TestWebhookBodyCarriesNoAPIKeyHash(t *testing.T) {
	sh := webhookShop(t)
	keys := newReceiver(t)
	sh.endpoint(keys, "api_key.*")
	id, _ := sh.newKey("hooked", "customers:read")
	waitFor(t, "api_key.created delivered", func() bool {
		for _, m := range keys.received() {
			if m["aggregate_id"] == id {
				return true
			}
		}
		return false
	})
	for _, m := range keys.received() {
		data, _ := m["data"].(map[string]any)
		if m["aggregate_id"] == id && (data["prefix"] == nil || data["prefix"] == "") {
			t.Errorf("data lost more than the hash: %v", data)
		}
		if h, ok := data["hash"]; ok && h != "" {
			t.Errorf("webhook body carries key %v's hash: %v", m["aggregate_id"], h)
		}
	}
}
