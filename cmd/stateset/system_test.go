package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// as sends a request with another API key.
func (sh *shop) as(tok, method, path, body string, hdr ...string) answer {
	sh.t.Helper()
	return sh.cl.must(sh.t, method, sh.base+path, body, append([]string{"Authorization", "Token " + tok}, hdr...)...)
}

// newKey creates an API key over HTTP and returns its id and token.
func (sh *shop) newKey(name string, scopes ...string) (string, string) {
	sh.t.Helper()
	k := sh.ok(http.MethodPost, "/v1/api_keys", fmt.Sprintf(`{"name":%q,"scopes":["%s"]}`, name, strings.Join(scopes, `","`)))
	return k["id"].(string), k["token"].(string)
}

// details lists an error answer's field names.
func details(t testing.TB, a answer) []string {
	t.Helper()
	var out []string
	e, _ := a.json(t)["error"].(map[string]any)
	ds, _ := e["details"].([]any)
	for _, d := range ds {
		out = append(out, d.(map[string]any)["field"].(string))
	}
	return out
}

func TestAPIKeysOverHTTP(t *testing.T) {
	sh := newShop(t)

	t.Run("a key is created with its token shown once and works on its scope only", func(t *testing.T) {
		a := sh.send(http.MethodPost, "/v1/api_keys", `{"name":"crm reader","scopes":["customers:read"]}`)
		if a.status != http.StatusCreated {
			t.Fatalf("create: %d %s", a.status, a.body)
		}
		k := a.json(t)
		tok, _ := k["token"].(string)
		if !strings.HasPrefix(tok, "sk_live_") || k["prefix"] != tok[:12] || k["status"] != "ACTIVE" {
			t.Fatalf("created key: %s", a.body)
		}
		if got := sh.as(tok, http.MethodGet, "/v1/customers", ""); got.status != http.StatusOK {
			t.Errorf("GET customers on its scope: %d %s", got.status, got.body)
		}
		for _, rq := range [][2]string{{http.MethodGet, "/v1/orders"}, {http.MethodPost, "/v1/customers"}, {http.MethodGet, "/v1/api_keys"}} {
			if got := sh.as(tok, rq[0], rq[1], `{"email":"x@example.com"}`); got.status != http.StatusForbidden {
				t.Errorf("%s %s outside its scope: %d %s", rq[0], rq[1], got.status, got.body)
			}
		}
		list := sh.ok(http.MethodGet, "/v1/api_keys", "")
		raw := sh.send(http.MethodGet, "/v1/api_keys", "").body
		if strings.Contains(string(raw), tok) || strings.Contains(string(raw), "hash") {
			t.Errorf("the list shows a token or a hash: %s", raw)
		}
		found := false
		for _, d := range list["data"].([]any) {
			if d := d.(map[string]any); d["id"] == k["id"] {
				found = d["prefix"] == tok[:12] && d["token"] == nil
			}
		}
		if !found {
			t.Errorf("the list lacks the key with its prefix: %s", raw)
		}
		one := sh.ok(http.MethodGet, "/v1/api_keys/"+k["id"].(string), "")
		if one["name"] != "crm reader" || one["token"] != nil {
			t.Errorf("GET one: %v", one)
		}
	})

	t.Run("unknown scopes and a past expiry are refused naming the field", func(t *testing.T) {
		a := sh.send(http.MethodPost, "/v1/api_keys", `{"name":"bad","scopes":["customers:read","customers:fly"]}`)
		if a.status != http.StatusBadRequest || !cmp.Equal(details(t, a), []string{"scopes[1]"}) {
			t.Errorf("unknown scope: %d %s", a.status, a.body)
		}
		past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		a = sh.send(http.MethodPost, "/v1/api_keys", `{"name":"old","scopes":["customers:read"],"expires_at":"`+past+`"}`)
		if a.status != http.StatusBadRequest || !cmp.Equal(details(t, a), []string{"expires_at"}) {
			t.Errorf("past expires_at: %d %s", a.status, a.body)
		}
	})

	t.Run("a key cannot grant scopes it lacks", func(t *testing.T) {
		_, minter := sh.newKey("minter", "api_keys:write", "customers:write")
		if a := sh.as(minter, http.MethodPost, "/v1/api_keys", `{"name":"sub","scopes":["customers:read"]}`); a.status != http.StatusCreated {
			t.Errorf("a held scope (write implies read): %d %s", a.status, a.body)
		}
		for _, scopes := range []string{`["customers:write","*"]`, `["customers:write","admin"]`, `["customers:write","orders:read"]`} {
			a := sh.as(minter, http.MethodPost, "/v1/api_keys", `{"name":"sub","scopes":`+scopes+`}`)
			if a.status != http.StatusForbidden || !cmp.Equal(details(t, a), []string{"scopes[1]"}) {
				t.Errorf("granting %s: %d %s", scopes, a.status, a.body)
			}
		}
	})

	t.Run("a revoked key fails at once", func(t *testing.T) {
		id, tok := sh.newKey("to revoke", "customers:read")
		if a := sh.as(tok, http.MethodGet, "/v1/customers", ""); a.status != http.StatusOK {
			t.Fatalf("before revoke: %d", a.status)
		}
		rev := sh.ok(http.MethodPost, "/v1/api_keys/"+id+"/revoke", "")
		if rev["status"] != "REVOKED" {
			t.Errorf("revoke answered %v", rev)
		}
		if a := sh.as(tok, http.MethodGet, "/v1/customers", ""); a.status != http.StatusUnauthorized || a.header.Get("WWW-Authenticate") == "" {
			t.Errorf("right after revoke: %d %s", a.status, a.body)
		}
		if a := sh.send(http.MethodPost, "/v1/api_keys/"+id+"/revoke", ""); a.status != http.StatusConflict {
			t.Errorf("revoke twice: %d %s", a.status, a.body)
		}
		id2, tok2 := sh.newKey("to delete", "customers:read")
		if a := sh.send(http.MethodDelete, "/v1/api_keys/"+id2, ""); a.status != http.StatusOK {
			t.Errorf("DELETE: %d %s", a.status, a.body)
		}
		if a := sh.as(tok2, http.MethodGet, "/v1/customers", ""); a.status != http.StatusUnauthorized {
			t.Errorf("after DELETE: %d", a.status)
		}
		if a := sh.send(http.MethodPost, "/v1/api_keys/nope/revoke", ""); a.status != http.StatusNotFound {
			t.Errorf("revoke an unknown key: %d", a.status)
		}
	})

	t.Run("an expired key fails", func(t *testing.T) {
		exp := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339Nano)
		k := sh.ok(http.MethodPost, "/v1/api_keys", `{"name":"short","scopes":["customers:read"],"expires_at":"`+exp+`"}`)
		tok := k["token"].(string)
		waitUntil(t, 15*time.Second, "the key to expire", func() bool {
			return sh.as(tok, http.MethodGet, "/v1/customers", "").status == http.StatusUnauthorized
		})
		if got := sh.ok(http.MethodGet, "/v1/api_keys/"+k["id"].(string), ""); got["status"] != "EXPIRED" {
			t.Errorf("status of an expired key: %v", got["status"])
		}
	})
}

// TestAPIKeyRevokedOnOneInstanceFailsOnTheOther runs two instances on one NATS server:
// each keeps its own key index, fed by the stream.
func TestAPIKeyRevokedOnOneInstanceFailsOnTheOther(t *testing.T) {
	node := newNATSNode(t, natsServerBin(t), "n1", t.TempDir(), 0, nil)
	node.start(t)
	node.waitHealthy(t)
	a := startServe(t, "--data-dir", t.TempDir(), "--nats-url", node.url(), "--bootstrap-key", testKey)
	b := startServe(t, "--data-dir", t.TempDir(), "--nats-url", node.url(), "--bootstrap-key", testKey)
	cl := newClient()
	created := cl.must(t, http.MethodPost, "http://"+a.addr+"/v1/api_keys", `{"name":"both","scopes":["customers:read"]}`)
	if created.status != http.StatusCreated {
		t.Fatalf("create on A: %d %s", created.status, created.body)
	}
	k := created.json(t)
	tok := k["token"].(string)
	get := func(base string) int {
		return cl.must(t, http.MethodGet, "http://"+base+"/v1/customers", "", "Authorization", "Token "+tok).status
	}
	waitUntil(t, 5*time.Second, "B to accept the key made on A", func() bool { return get(b.addr) == http.StatusOK })
	rev := cl.must(t, http.MethodPost, "http://"+a.addr+"/v1/api_keys/"+k["id"].(string)+"/revoke", "")
	if rev.status != http.StatusOK {
		t.Fatalf("revoke on A: %d %s", rev.status, rev.body)
	}
	if st := get(a.addr); st != http.StatusUnauthorized {
		t.Errorf("A right after the revoke: %d", st)
	}
	start := time.Now()
	waitUntil(t, 5*time.Second, "B to refuse the key revoked on A", func() bool { return get(b.addr) == http.StatusUnauthorized })
	t.Logf("B refused the revoked key %s after A answered", time.Since(start).Round(time.Millisecond))
}

func TestEventFeedPagesAndFilters(t *testing.T) {
	sh := newShop(t) // cus1 created
	sh.ok(http.MethodPut, "/v1/customers/f1", `{"email":"f1@example.com","firstName":"A"}`)
	sh.ok(http.MethodPut, "/v1/customers/f2", `{"email":"f2@example.com"}`)
	sh.ok(http.MethodPut, "/v1/customers/f1", `{"firstName":"B"}`)
	sh.ok(http.MethodPut, "/v1/customers/f2", `{"firstName":"C"}`)
	_, feedTok := sh.newKey("feed", "events:read", "customers:read", "orders:read", "api_keys:read")

	feed := func(query string) map[string]any {
		t.Helper()
		a := sh.as(feedTok, http.MethodGet, "/v1/events"+query, "")
		if a.status != http.StatusOK {
			t.Fatalf("GET /v1/events%s: %d %s", query, a.status, a.body)
		}
		return a.json(t)
	}
	data := func(m map[string]any) []map[string]any {
		var out []map[string]any
		for _, d := range m["data"].([]any) {
			out = append(out, d.(map[string]any))
		}
		return out
	}

	t.Run("paging by position walks the whole stream once, in order", func(t *testing.T) {
		var all []map[string]any
		after := ""
		for range 100 {
			page := feed("?limit=2&after=" + after)
			all = append(all, data(page)...)
			if page["has_more"] != true {
				break
			}
			if page["next_cursor"] != strconv.FormatInt(num(page["next_after"]), 10) {
				t.Fatalf("next_cursor %v, next_after %v", page["next_cursor"], page["next_after"])
			}
			after = page["next_cursor"].(string)
		}
		whole := data(feed("?limit=1000"))
		if len(all) != len(whole) || len(all) < 6 {
			t.Fatalf("paged %d events, one page %d", len(all), len(whole))
		}
		for i, e := range all {
			if e["position"] != whole[i]["position"] || (i > 0 && num(e["position"]) <= num(all[i-1]["position"])) {
				t.Fatalf("event %d: %v after %v", i, e["position"], all[max(i-1, 0)]["position"])
			}
		}
		first := whole[0]
		for _, f := range []string{"id", "type", "event_type", "position", "time", "aggregate_type", "aggregate_id", "version", "data"} {
			if _, ok := first[f]; !ok {
				t.Errorf("an event lacks %s: %v", f, first)
			}
		}
	})

	t.Run("type takes the dotted or the PascalCase name", func(t *testing.T) {
		for _, typ := range []string{"customer.updated", "CustomerUpdated"} {
			got := data(feed("?type=" + typ))
			if len(got) != 2 {
				t.Fatalf("type=%s: %d events", typ, len(got))
			}
			for _, e := range got {
				if e["event_type"] != "CustomerUpdated" || e["type"] != "customer.updated" {
					t.Errorf("type=%s gave %v/%v", typ, e["type"], e["event_type"])
				}
			}
		}
		if a := sh.as(feedTok, http.MethodGet, "/v1/events?type=customer.flew", ""); a.status != http.StatusBadRequest {
			t.Errorf("unknown type: %d", a.status)
		}
	})

	t.Run("aggregate filters and after narrow the feed", func(t *testing.T) {
		got := data(feed("?aggregate_type=customer&aggregate_id=f1"))
		if len(got) != 2 || got[0]["event_type"] != "CustomerCreated" || num(got[1]["version"]) != 2 {
			t.Fatalf("f1's events: %v", got)
		}
		later := data(feed("?aggregate_type=customer&aggregate_id=f1&after=" + strconv.FormatInt(num(got[0]["position"]), 10)))
		if len(later) != 1 || later[0]["position"] != got[1]["position"] {
			t.Errorf("after f1's first: %v", later)
		}
		if n := len(data(feed("?aggregate_type=customer&type=customer.updated&aggregate_id=f2"))); n != 1 {
			t.Errorf("f2's updates: %d", n)
		}
		if n := len(data(feed("?aggregate_type=order&type=customer.updated"))); n != 0 {
			t.Errorf("customer events filed under orders: %d", n)
		}
		if a := sh.as(feedTok, http.MethodGet, "/v1/events?aggregate_id=f1", ""); a.status != http.StatusBadRequest {
			t.Errorf("aggregate_id without aggregate_type: %d", a.status)
		}
	})
}

// sseEvent is one Server-Sent Event.
type sseEvent struct{ id, event, data string }

// openSSE opens the event stream and returns a channel of its events; cancel ends it.
func openSSE(t *testing.T, url, tok string, hdr ...string) (<-chan sseEvent, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Token "+tok)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	ch := make(chan sseEvent, 100)
	go func() {
		defer res.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(res.Body)
		var cur sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur.id != "" {
					ch <- cur
				}
				cur = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				cur.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				cur.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				cur.data = line[6:]
			}
		}
	}()
	t.Cleanup(cancel)
	return ch, cancel
}

func next(t *testing.T, ch <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return sseEvent{}
}

func TestEventsSSEResumesWithLastEventID(t *testing.T) {
	sh := newShop(t)
	for i := range 3 {
		sh.ok(http.MethodPut, fmt.Sprintf("/v1/customers/s%d", i), fmt.Sprintf(`{"email":"s%d@example.com"}`, i))
	}
	_, tok := sh.newKey("sse", "events:read", "customers:read")
	url := sh.base + "/v1/events/stream?aggregate_type=customer"
	ch, stop := openSSE(t, url, tok)
	var seen []sseEvent
	for range 3 {
		seen = append(seen, next(t, ch)) // cus1, s0, s1
	}
	stop()
	if seen[0].event != "customer.created" || !strings.Contains(seen[1].data, `"aggregate_id":"s0"`) {
		t.Fatalf("first events: %+v", seen)
	}
	// a live write after the disconnect, then resume from the last event read
	sh.ok(http.MethodPut, "/v1/customers/s0", `{"firstName":"Later"}`)
	ch, _ = openSSE(t, url, tok, "Last-Event-ID", seen[2].id)
	got := []sseEvent{next(t, ch), next(t, ch)} // s2 created, s0 updated
	if !strings.Contains(got[0].data, `"aggregate_id":"s2"`) || got[1].event != "customer.updated" {
		t.Fatalf("after Last-Event-ID %s: %+v", seen[2].id, got)
	}
	if p0, p2 := got[0].id, seen[2].id; p0 <= p2 && len(p0) == len(p2) {
		t.Errorf("resumed at %s, not after %s", p0, p2)
	}
	// and live: an event appended while connected arrives
	sh.ok(http.MethodPut, "/v1/customers/s9", `{"email":"s9@example.com"}`)
	if e := next(t, ch); !strings.Contains(e.data, `"aggregate_id":"s9"`) {
		t.Errorf("live event: %+v", e)
	}
	// ?after= resumes the same way
	ch, _ = openSSE(t, url+"&after="+seen[2].id, tok)
	if e := next(t, ch); e.id != got[0].id {
		t.Errorf("?after=%s started at %s, want %s", seen[2].id, e.id, got[0].id)
	}
}

func TestAuditShowsWhoWhatWhenAndTheRequest(t *testing.T) {
	sh := newShop(t)
	id, tok := sh.newKey("crm writer", "customers:write")
	created := sh.as(tok, http.MethodPut, "/v1/customers/au1", `{"email":"au1@example.com","firstName":"A"}`, "X-Request-Id", "req-audit-1")
	upd := sh.as(tok, http.MethodPut, "/v1/customers/au1", `{"firstName":"B","lastName":"C","type":"BUSINESS"}`, "X-Request-Id", "req-audit-2")
	if created.status != http.StatusCreated || upd.status != http.StatusOK || upd.header.Get("X-Request-Id") != "req-audit-2" {
		t.Fatalf("writes: %d %d %s", created.status, upd.status, upd.body)
	}
	_, auditor := sh.newKey("auditor", "audit:read")
	a := sh.as(auditor, http.MethodGet, "/v1/audit?aggregate_type=customer&aggregate_id=au1", "",
		"Stateset-Min-Position", strconv.FormatUint(upd.position(), 10))
	if a.status != http.StatusOK {
		t.Fatalf("audit: %d %s", a.status, a.body)
	}
	rows := a.json(t)["data"].([]any)
	if len(rows) != 2 {
		t.Fatalf("audit rows: %s", a.body)
	}
	last := rows[0].(map[string]any) // newest first
	want := map[string]any{"actor": id, "actor_name": "crm writer", "request_id": "req-audit-2", "event_type": "CustomerUpdated",
		"type": "customer.updated", "aggregate_id": "au1", "changed_fields": []any{"personal_data", "type"}}
	for k, v := range want {
		if !cmp.Equal(last[k], v) {
			t.Errorf("%s = %v, want %v", k, last[k], v)
		}
	}
	if r := rows[1].(map[string]any); r["request_id"] != "req-audit-1" || r["event_type"] != "CustomerCreated" {
		t.Errorf("first row: %v", r)
	}
	byActor := sh.as(auditor, http.MethodGet, "/v1/audit?actor="+id, "").json(t)["data"].([]any)
	if len(byActor) != 2 {
		t.Errorf("by actor %s: %d rows", id, len(byActor))
	}
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if n := len(sh.as(auditor, http.MethodGet, "/v1/audit?from="+future, "").json(t)["data"].([]any)); n != 0 {
		t.Errorf("from the future: %d rows", n)
	}
	if a := sh.as(tok, http.MethodGet, "/v1/audit", ""); a.status != http.StatusForbidden {
		t.Errorf("audit with a customers key: %d", a.status)
	}
}

func TestAdminProjectionsRebuildOnlineWhileReadsGoOn(t *testing.T) {
	sh := newShop(t)
	for i := range 150 {
		sh.ok(http.MethodPut, fmt.Sprintf("/v1/customers/r%d", i), fmt.Sprintf(`{"email":"r%d@example.com","firstName":"N%d"}`, i, i))
	}
	list := sh.ok(http.MethodGet, "/v1/admin/projections", "")
	byName := map[string]map[string]any{}
	for _, d := range list["data"].([]any) {
		byName[d.(map[string]any)["name"].(string)] = d.(map[string]any)
	}
	for _, name := range []string{"customers_v3", "audit_v2"} {
		p := byName[name]
		if p == nil || p["state"] != "running" || num(p["file_size_bytes"]) <= 0 || num(p["position"]) <= 0 {
			t.Errorf("projection %s: %v", name, p)
		}
	}
	sh.ok(http.MethodGet, "/v1/customers", "") // the read model holds the last write
	before := dumpViews(t, filepath.Join(sh.dir, "views", "customers_v3.db"))

	// readers and a writer run through the whole rebuild; no read may fail
	var (
		stop   atomic.Bool
		wg     sync.WaitGroup
		reads  atomic.Int64
		failed atomic.Value
	)
	for w := range 3 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				path := "/v1/customers?limit=50"
				if w > 0 {
					path = fmt.Sprintf("/v1/customers/r%d", i%150)
				}
				a, err := sh.cl.do(context.Background(), http.MethodGet, sh.base+path, "")
				if err != nil || a.status != http.StatusOK {
					failed.Store(fmt.Sprintf("GET %s: %v %d %s", path, err, a.status, a.body))
				}
				reads.Add(1)
			}
		})
	}
	var writes atomic.Int64
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			a, err := sh.cl.do(context.Background(), http.MethodPut, fmt.Sprintf("%s/v1/customers/w%d", sh.base, i), fmt.Sprintf(`{"email":"w%d@example.com"}`, i))
			if err == nil && a.status == http.StatusCreated {
				writes.Add(1)
				sh.pos.Store(max(sh.pos.Load(), a.position())) // the only writer now
			}
		}
	})
	rb := sh.send(http.MethodPost, "/v1/admin/projections/customers_v3/rebuild", "")
	stop.Store(true)
	wg.Wait()
	if rb.status != http.StatusOK {
		t.Fatalf("rebuild: %d %s", rb.status, rb.body)
	}
	if f := failed.Load(); f != nil {
		t.Errorf("a read failed during the rebuild: %v", f)
	}
	t.Logf("%d reads and %d writes during the rebuild: %s", reads.Load(), writes.Load(), rb.body)
	if a := sh.send(http.MethodPost, "/v1/admin/projections/nope_v1/rebuild", ""); a.status != http.StatusNotFound {
		t.Errorf("rebuild of an unknown projection: %d", a.status)
	}
	_, reader := sh.newKey("reader", "customers:read")
	if a := sh.as(reader, http.MethodPost, "/v1/admin/projections/customers_v3/rebuild", ""); a.status != http.StatusForbidden {
		t.Errorf("rebuild without admin: %d", a.status)
	}

	// the rebuilt model holds what the live one held, plus what was written meanwhile
	sh.ok(http.MethodGet, "/v1/customers", "")
	after := dumpViews(t, filepath.Join(sh.dir, "views", "customers_v3.db"))
	if len(after["customers"]) != len(before["customers"])+int(writes.Load()) {
		t.Errorf("customers: %d before, %d written during, %d after", len(before["customers"]), writes.Load(), len(after["customers"]))
	}
	// and equals a rebuild from scratch of the stopped server, row for row
	sh.srv.stop()
	checkRebuildEquals(t, sh.dir)
}

func TestStatusForAnyValidKey(t *testing.T) {
	sh := newShop(t)
	_, tok := sh.newKey("anyone", "customers:read")
	a := sh.as(tok, http.MethodGet, "/v1/status", "")
	if a.status != http.StatusOK {
		t.Fatalf("status: %d %s", a.status, a.body)
	}
	st := a.json(t)
	if st["version"] == "" || num(st["stream_head"]) < 2 || st["uptime_seconds"] == nil || len(st["projections"].([]any)) == 0 {
		t.Errorf("status: %s", a.body)
	}
	if _, ok := st["flows"].([]any); !ok || st["parked"] == nil {
		t.Errorf("status lacks flows or parked: %s", a.body)
	}
	if a := sh.as("sk_live_unknown_key_0123456789", http.MethodGet, "/v1/status", ""); a.status != http.StatusUnauthorized {
		t.Errorf("status with an unknown key: %d", a.status)
	}
}
