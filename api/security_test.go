package api

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fieldsOf lists an error answer's detail fields.
func fieldsOf(t testing.TB, r resp) []string {
	t.Helper()
	var e struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	var out []string
	for _, d := range e.Error.Details {
		out = append(out, d.Field)
	}
	return out
}

func TestAnExpiringKeyMintsNoLongerLivedKey(t *testing.T) {
	h := newHarness(t)
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tok := h.key("temp", []string{"api_keys:write"}, &exp)
	auth := []string{"Authorization", "Token " + tok}

	// no expires_at: the new key takes the caller's
	r := h.do("POST", "/v1/api_keys", `{"name":"child","scopes":["api_keys:read"]}`, auth...)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if got, _ := r.json(t)["expires_at"].(string); got != rfc3339(exp) {
		t.Errorf("child expires_at %q, want the caller's %q", got, rfc3339(exp))
	}
	// an earlier expiry is kept
	earlier := exp.Add(-time.Minute)
	r = h.do("POST", "/v1/api_keys", `{"name":"child2","scopes":["api_keys:read"],"expires_at":"`+rfc3339(earlier)+`"}`, auth...)
	if r.status != http.StatusCreated || r.json(t)["expires_at"] != rfc3339(earlier) {
		t.Fatalf("earlier expiry: %d %s", r.status, r.body)
	}
	// a later one is refused, naming expires_at
	later := exp.Add(time.Minute)
	r = h.do("POST", "/v1/api_keys", `{"name":"child3","scopes":["api_keys:read"],"expires_at":"`+rfc3339(later)+`"}`, auth...)
	if r.status != http.StatusForbidden || strings.Join(fieldsOf(t, r), ",") != "expires_at" {
		t.Fatalf("later expiry: %d %s", r.status, r.body)
	}
	// a key without expiry still mints keys without one
	r = h.do("POST", "/v1/api_keys", `{"name":"forever","scopes":["api_keys:read"]}`)
	if r.status != http.StatusCreated || r.json(t)["expires_at"] != nil {
		t.Fatalf("admin create: %d %s", r.status, r.body)
	}
}

func TestRevokingNeedsTheTargetsScopes(t *testing.T) {
	h := newHarness(t)
	tok := h.key("keys", []string{"api_keys:write"}, nil)
	auth := []string{"Authorization", "Token " + tok}
	mk := func(name, scopes string) string {
		t.Helper()
		r := h.do("POST", "/v1/api_keys", `{"name":"`+name+`","scopes":`+scopes+`}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", name, r.status, r.body)
		}
		return r.json(t)["id"].(string)
	}
	admin, star, cust, mine := mk("admin2", `["admin"]`), mk("star", `["*"]`), mk("cust", `["customers:read"]`), mk("mine", `["api_keys:read"]`)
	for _, id := range []string{admin, star, cust} {
		for _, req := range [][2]string{{"POST", "/v1/api_keys/" + id + "/revoke"}, {"DELETE", "/v1/api_keys/" + id}} {
			if r := h.do(req[0], req[1], "", auth...); r.status != http.StatusForbidden {
				t.Errorf("%s %s by an api_keys:write key: %d %s", req[0], req[1], r.status, r.body)
			}
		}
		if r := h.do("GET", "/v1/api_keys/"+id, ""); r.json(t)["status"] != "ACTIVE" {
			t.Errorf("key %s: %s", id, r.body)
		}
	}
	if r := h.do("DELETE", "/v1/api_keys/"+mine, "", auth...); r.status != http.StatusOK || r.json(t)["status"] != "REVOKED" {
		t.Errorf("revoke a key within the caller's scopes: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/v1/api_keys/nope/revoke", "", auth...); r.status != http.StatusNotFound {
		t.Errorf("unknown key: %d %s", r.status, r.body)
	}
	// admin may revoke anything
	if r := h.do("POST", "/v1/api_keys/"+star+"/revoke", ""); r.status != http.StatusOK {
		t.Errorf("admin revokes *: %d %s", r.status, r.body)
	}
}

// sse opens /v1/events/stream with tok and returns its lines as they come; the channel
// closes when the server ends the stream.
func (h *harness) sse(path, tok string) <-chan string {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.http.URL+path, nil)
	req.Header.Set("Authorization", "Token "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		h.t.Fatalf("stream %s: %d %s", path, res.StatusCode, b)
	}
	ch := make(chan string, 1000)
	go func() {
		defer res.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// untilEnd reads lines until the stream ends (true) or d passes (false).
func untilEnd(ch <-chan string, d time.Duration) ([]string, bool) {
	var lines []string
	timeout := time.After(d)
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				return lines, true
			}
			lines = append(lines, l)
		case <-timeout:
			return lines, false
		}
	}
}

func TestEventStreamEndsWhenItsKeyStopsWorking(t *testing.T) {
	h := newHarness(t)
	h.srv.cfg.Heartbeat = 50 * time.Millisecond
	scopes := []string{"events:read", "customers:read"}

	t.Run("revoked: ends at the next heartbeat", func(t *testing.T) {
		res, tok, err := h.cmd.APIKeys().Create(context.Background(), "", "sse", scopes, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		h.waitKeys(res.Position)
		ch := h.sse("/v1/events/stream", tok)
		if lines, ended := untilEnd(ch, 300*time.Millisecond); ended {
			t.Fatalf("the stream ended before the revoke: %q", lines)
		}
		if r := h.do("POST", "/v1/api_keys/"+res.Aggregate.ID+"/revoke", ""); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		lines, ended := untilEnd(ch, 3*time.Second)
		if !ended {
			t.Fatalf("the stream outlived its key's revocation: %q", lines)
		}
		if all := strings.Join(lines, "\n"); !strings.Contains(all, "event: error") || !strings.Contains(all, "revoked") {
			t.Errorf("the stream did not say why it ended: %q", lines)
		}
	})

	t.Run("expired: ends at the next heartbeat", func(t *testing.T) {
		exp := time.Now().Add(time.Second)
		tok := h.key("short", scopes, &exp)
		ch := h.sse("/v1/events/stream", tok)
		lines, ended := untilEnd(ch, 5*time.Second)
		if !ended {
			t.Fatalf("the stream outlived its key's expiry: %q", lines)
		}
		if all := strings.Join(lines, "\n"); !strings.Contains(all, "event: error") || !strings.Contains(all, "expired") {
			t.Errorf("the stream did not say why it ended: %q", lines)
		}
	})

	t.Run("revoked: no event is sent after it", func(t *testing.T) {
		h.srv.cfg.Heartbeat = time.Hour
		defer func() { h.srv.cfg.Heartbeat = 50 * time.Millisecond }()
		res, tok, err := h.cmd.APIKeys().Create(context.Background(), "", "sse2", scopes, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		h.waitKeys(res.Position)
		ch := h.sse("/v1/events/stream?aggregate_type=customer&after="+strconv.FormatUint(h.head(), 10), tok)
		if r := h.do("POST", "/v1/api_keys/"+res.Aggregate.ID+"/revoke", ""); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		if r := h.do("PUT", "/v1/customers/after_revoke", `{"email":"x@example.com"}`); r.status != http.StatusCreated {
			t.Fatalf("create customer: %d %s", r.status, r.body)
		}
		lines, ended := untilEnd(ch, 3*time.Second)
		if !ended {
			t.Fatalf("the stream outlived its key's revocation: %q", lines)
		}
		for _, l := range lines {
			if strings.Contains(l, "after_revoke") {
				t.Errorf("an event was sent after the key was revoked: %q", lines)
			}
		}
	})
}

func TestFeedShowsOnlyAggregatesTheKeyReads(t *testing.T) {
	h := newHarness(t)
	// a customer, then an API key and an order-free stream of mixed events
	if r := h.do("PUT", "/v1/customers/c1", `{"email":"ada@example.com","firstName":"Ada"}`); r.status != http.StatusCreated {
		t.Fatalf("customer: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/v1/api_keys", `{"name":"other","scopes":["orders:read"]}`); r.status != http.StatusCreated {
		t.Fatalf("key: %d %s", r.status, r.body)
	}
	if r := h.do("PUT", "/v1/customers/c2", `{"email":"bob@example.com"}`); r.status != http.StatusCreated {
		t.Fatalf("customer: %d %s", r.status, r.body)
	}
	feedOnly := []string{"Authorization", "Token " + h.key("feed", []string{"events:read"}, nil)}
	feedCust := []string{"Authorization", "Token " + h.key("feed+customers", []string{"events:read", "customers:read"}, nil)}
	feedKeys := []string{"Authorization", "Token " + h.key("feed+keys", []string{"events:read", "api_keys:read"}, nil)}

	type page struct {
		Data []struct {
			Position      uint64         `json:"position"`
			AggregateType string         `json:"aggregate_type"`
			AggregateID   string         `json:"aggregate_id"`
			Data          map[string]any `json:"data"`
		} `json:"data"`
		HasMore   bool   `json:"has_more"`
		NextAfter uint64 `json:"next_after"`
	}
	get := func(q string, auth []string) page {
		t.Helper()
		r := h.do("GET", "/v1/events"+q, "", auth...)
		if r.status != http.StatusOK {
			t.Fatalf("GET /v1/events%s: %d %s", q, r.status, r.body)
		}
		var p page
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("events:read alone sees no module's events", func(t *testing.T) {
		p := get("?limit=1000", feedOnly)
		if len(p.Data) != 0 || p.HasMore {
			t.Errorf("events:read alone saw %d events: %+v", len(p.Data), p.Data)
		}
		if p.NextAfter != h.head() {
			t.Errorf("next_after %d, want the last position scanned %d", p.NextAfter, h.head())
		}
	})

	t.Run("customers:read sees customers only", func(t *testing.T) {
		p := get("?limit=1000", feedCust)
		if len(p.Data) != 2 {
			t.Fatalf("%d events: %+v", len(p.Data), p.Data)
		}
		for _, e := range p.Data {
			if e.AggregateType != "customer" {
				t.Errorf("saw a %s event", e.AggregateType)
			}
		}
	})

	t.Run("paging skips unreadable events and still moves on", func(t *testing.T) {
		var ids []string
		after := uint64(0)
		for range 100 {
			p := get("?limit=1&after="+strconv.FormatUint(after, 10), feedCust)
			for _, e := range p.Data {
				ids = append(ids, e.AggregateID)
			}
			if p.NextAfter < after || (p.HasMore && p.NextAfter == after) {
				t.Fatalf("next_after %d after %d: no progress", p.NextAfter, after)
			}
			after = p.NextAfter
			if !p.HasMore {
				break
			}
		}
		if strings.Join(ids, ",") != "c1,c2" {
			t.Errorf("paged %v", ids)
		}
	})

	t.Run("an aggregate_type or type the key cannot read is 403", func(t *testing.T) {
		for _, q := range []string{"?aggregate_type=customer", "?type=customer.updated", "?aggregate_type=apikey"} {
			if r := h.do("GET", "/v1/events"+q, "", feedOnly...); r.status != http.StatusForbidden {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
			req, _ := http.NewRequest("GET", h.http.URL+"/v1/events/stream"+q, nil)
			req.Header.Set(feedOnly[0], feedOnly[1])
			res, err := (&http.Client{Timeout: 2 * time.Second}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("stream %s: %d", q, res.StatusCode)
			}
		}
		if p := get("?aggregate_type=customer", feedCust); len(p.Data) != 2 {
			t.Errorf("customers: %d events", len(p.Data))
		}
	})

	t.Run("ApiKeyCreated carries no hash", func(t *testing.T) {
		p := get("?aggregate_type=apikey&limit=1000", feedKeys)
		if len(p.Data) < 2 {
			t.Fatalf("%d key events", len(p.Data))
		}
		for _, e := range p.Data {
			if h, ok := e.Data["hash"]; ok && h != "" {
				t.Errorf("key %s's hash in the feed: %v", e.AggregateID, h)
			}
		}
	})

	t.Run("the stream skips what the key cannot read", func(t *testing.T) {
		ch := h.sse("/v1/events/stream", strings.TrimPrefix(feedCust[1], "Token "))
		lines, _ := untilEnd(ch, 500*time.Millisecond)
		var types []string
		for _, l := range lines {
			if strings.HasPrefix(l, "event: ") {
				types = append(types, l[7:])
			}
		}
		if strings.Join(types, ",") != "customer.created,customer.created" {
			t.Errorf("stream sent %v", types)
		}
	})
}

func TestWebhookEndpointSubscribesOnlyToWhatTheKeyReads(t *testing.T) {
	h := newHarness(t)
	tok := h.key("hooks", []string{"webhooks:write", "orders:read"}, nil)
	auth := []string{"Authorization", "Token " + tok}
	create := func(events string) resp {
		t.Helper()
		return h.do("POST", "/v1/webhook_endpoints", `{"url":"https://93.184.216.34/hook","events":`+events+`}`, auth...)
	}
	for events, field := range map[string]string{
		`["*"]`:                                "events[0]",
		`["customer.*"]`:                       "events[0]",
		`["order.created","customer.updated"]`: "events[1]",
		`["api_key.created"]`:                  "events[0]",
	} {
		r := create(events)
		if r.status != http.StatusForbidden || strings.Join(fieldsOf(t, r), ",") != field {
			t.Errorf("events %s: %d %s", events, r.status, r.body)
		}
	}
	// webhook events need webhooks:read, which webhooks:write holds
	if r := create(`["order.*","webhook_endpoint.created"]`); r.status != http.StatusCreated {
		t.Errorf("orders and webhooks: %d %s", r.status, r.body)
	}
	r := create(`["order.*","order.shipped"]`)
	if r.status != http.StatusCreated {
		t.Fatalf("orders only: %d %s", r.status, r.body)
	}
	id := r.json(t)["id"].(string)
	if r := h.do("PUT", "/v1/webhook_endpoints/"+id, `{"events":["*"]}`, auth...); r.status != http.StatusForbidden ||
		strings.Join(fieldsOf(t, r), ",") != "events[0]" {
		t.Errorf("update to *: %d %s", r.status, r.body)
	}
	if r := h.do("PUT", "/v1/webhook_endpoints/"+id, `{"description":"no events change"}`, auth...); r.status != http.StatusOK {
		t.Errorf("update without events: %d %s", r.status, r.body)
	}
	// an admin key may subscribe to everything
	if r := h.do("POST", "/v1/webhook_endpoints", `{"url":"https://93.184.216.34/hook","events":["*"]}`); r.status != http.StatusCreated {
		t.Errorf("admin *: %d %s", r.status, r.body)
	}
}
