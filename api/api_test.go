package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"stateset/api/contract"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
	"stateset/projections"
)

// harness is one real instance: embedded JetStream, SQLite read models, the router.
type harness struct {
	t     testing.TB
	store *eventstore.Store
	cmd   *commands.Handler
	keys  *projections.Keys
	srv   *Server
	http  *httptest.Server
	admin string
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, projections.Customers())
}

// newFullHarness is a harness with every read model, for tests that reach every route.
func newFullHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, projections.All()...)
}

// newFlowingHarness is a full harness whose process managers run, for tests of whole
// flows (an order's stock reserved on confirmation).
func newFlowingHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessFlows(t, true, projections.All()...)
}

func newHarnessWith(t testing.TB, views ...projections.Projector) *harness {
	t.Helper()
	return newHarnessFlows(t, false, views...)
}

func newHarnessFlows(t testing.TB, flows bool, views ...projections.Projector) *harness {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := eventstore.Open(ctx, eventstore.Config{DataDir: dir}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	reg := domain.NewRegistry()
	cmd, err := commands.New(ctx, store, reg, quiet(), commands.Config{})
	if err != nil {
		t.Fatal(err)
	}
	idem, err := commands.NewIdempotency(ctx, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	var runs []*projections.Runner
	for _, p := range views {
		run, err := projections.Open(ctx, filepath.Join(dir, "views"), p, store, reg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	keys := projections.NewKeys(store, reg, quiet())
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, run := range runs {
		wg.Go(func() { run.Run(rctx) })
	}
	wg.Go(func() { keys.Run(rctx) })
	if flows {
		reactor, err := store.NewReactor(ctx, quiet(), eventstore.ReactorConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.React(reactor, cmd.Flows()); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { reactor.Run(rctx) })
		<-reactor.Running()
		t.Cleanup(func() { reactor.Close() })
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		for _, run := range runs {
			run.Close()
		}
	})
	reader, err := projections.NewReader(runs...)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(cmd, reader, keys, idem, Config{Logger: quiet(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, cmd: cmd, keys: keys, srv: srv, http: httptest.NewServer(srv)}
	t.Cleanup(h.http.Close)
	h.admin = h.key("admin", []string{"admin"}, nil)
	return h
}

// key issues an API key and waits until the server accepts it.
func (h *harness) key(name string, scopes []string, exp *time.Time) string {
	h.t.Helper()
	res, tok, err := h.cmd.APIKeys().Create(context.Background(), "", name, scopes, exp, "")
	if err != nil {
		h.t.Fatal(err)
	}
	h.waitKeys(res.Position)
	return tok
}

func (h *harness) waitKeys(pos uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.keys.WaitFor(ctx, pos); err != nil {
		h.t.Fatal(err)
	}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return m
}

func (r resp) code() string {
	var e struct {
		Error apiError `json:"error"`
	}
	json.Unmarshal(r.body, &e)
	return e.Error.Code
}

// do sends a request; hdr pairs are header name, value.
func (h *harness) do(method, path, body string, hdr ...string) resp {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, h.http.URL+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Token "+h.admin)
	// hdr pairs: "" deletes the header, "<empty>" sends it empty, a name written
	// "+Name" adds a second value
	for i := 0; i+1 < len(hdr); i += 2 {
		switch name, val := hdr[i], hdr[i+1]; {
		case val == "":
			req.Header.Del(name)
		case strings.HasPrefix(name, "+"):
			req.Header.Add(name[1:], val)
		case val == "<empty>":
			req.Header.Set(name, "")
		default:
			req.Header.Set(name, val)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if err := contract.Check(req, []byte(body), res, b); err != nil {
		h.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (h *harness) head() uint64 {
	n, err := h.store.Head(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

const seedBody = `{"id":"cus_1","email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","phone":"+44 20 7946 0000","stripe_customer_id":"cus_stripe_1","timestamp":"2024-05-01T10:00:00Z","activationDate":"2024-05-02"}`

func TestSeedPutCreatesThenUpdatesWithTheExactKeys(t *testing.T) {
	h := newHarness(t)
	r := h.do("PUT", "/v1/customers/cus_1", seedBody)
	if r.status != http.StatusCreated {
		t.Fatalf("first PUT: %d %s", r.status, r.body)
	}
	var sent map[string]any
	json.Unmarshal([]byte(seedBody), &sent)
	got := r.json(t)
	for k, v := range sent {
		if got[k] != v {
			t.Errorf("answer %s = %v, want %v", k, got[k], v)
		}
	}
	if r.header.Get("ETag") != `"1"` || r.header.Get("Stateset-Position") == "" {
		t.Errorf("headers: %v", r.header)
	}

	changed := strings.Replace(seedBody, `"Lovelace"`, `"King"`, 1)
	r = h.do("PUT", "/v1/customers/cus_1", changed)
	if r.status != http.StatusOK || r.json(t)["lastName"] != "King" || r.json(t)["version"] != 2.0 {
		t.Fatalf("second PUT: %d %s", r.status, r.body)
	}
	pos := r.header.Get("Stateset-Position")
	g := h.do("GET", "/v1/customers/cus_1", "", "Stateset-Min-Position", pos)
	if g.status != http.StatusOK {
		t.Fatalf("GET: %d %s", g.status, g.body)
	}
	if diff := cmp.Diff(r.json(t), g.json(t)); diff != "" {
		t.Errorf("GET differs from the PUT answer (-put +get):\n%s", diff)
	}
	// the same body again changes nothing and appends nothing
	before := h.head()
	if r := h.do("PUT", "/v1/customers/cus_1", changed); r.status != http.StatusOK || r.json(t)["version"] != 2.0 {
		t.Fatalf("no-op PUT: %d %s", r.status, r.body)
	}
	if h.head() != before {
		t.Error("no-op PUT appended")
	}
	// null clears, absent keeps
	r = h.do("PUT", "/v1/customers/cus_1", `{"phone":null}`)
	if m := r.json(t); m["phone"] != "" || m["firstName"] != "Ada" {
		t.Errorf("partial PUT: %s", r.body)
	}
}

func TestBadInputIsRefusedAndAppendsNothing(t *testing.T) {
	h := newHarness(t)
	if r := h.do("PUT", "/v1/customers/cus_1", seedBody); r.status != http.StatusCreated {
		t.Fatalf("seed: %d %s", r.status, r.body)
	}
	readOnly := h.key("reader", []string{"customers:read"}, nil)
	past := time.Now().Add(300 * time.Millisecond)
	expiring := h.key("expiring", []string{"admin"}, &past)
	revoked := h.key("revoked", []string{"admin"}, nil)
	k, _ := h.keys.Lookup(commands.HashToken(revoked))
	res, err := h.cmd.APIKeys().Revoke(context.Background(), k.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.waitKeys(res.Position)
	time.Sleep(time.Until(past)) // let the expiring key expire (no timing is asserted)
	if r := h.do("PUT", "/v1/customers/cus_1", `{"idem":1}`, "Idempotency-Key", "k1"); r.status != http.StatusBadRequest {
		t.Fatalf("prime idempotency key: %d", r.status)
	}
	h.do("PUT", "/v1/customers/cus_1", `{"lastName":"A"}`, "Idempotency-Key", "k2")

	big := `{"firstName":"` + strings.Repeat("x", 1<<20) + `"}`
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		hdr    []string
		status int
		code   string
		field  string
	}{
		{"malformed JSON", "PUT", "/v1/customers/cus_1", `{"email":`, nil, 400, "VALIDATION_ERROR", "body"},
		{"not an object", "PUT", "/v1/customers/cus_1", `[1,2]`, nil, 400, "VALIDATION_ERROR", "body"},
		{"two objects", "PUT", "/v1/customers/cus_1", `{} {}`, nil, 400, "VALIDATION_ERROR", "body"},
		{"wrong type", "PUT", "/v1/customers/cus_1", `{"firstName":5}`, nil, 400, "VALIDATION_ERROR", "firstName"},
		{"unknown field", "PUT", "/v1/customers/cus_1", `{"fristName":"Ada"}`, nil, 400, "VALIDATION_ERROR", "fristName"},
		{"invalid email", "PUT", "/v1/customers/cus_1", `{"email":"not-an-email"}`, nil, 400, "VALIDATION_ERROR", "email"},
		{"invalid timestamp", "PUT", "/v1/customers/cus_1", `{"timestamp":"yesterday"}`, nil, 400, "VALIDATION_ERROR", "timestamp"},
		{"invalid activation date", "PUT", "/v1/customers/cus_1", `{"activationDate":"2024-13-45"}`, nil, 400, "VALIDATION_ERROR", "activationDate"},
		{"path and body id differ", "PUT", "/v1/customers/cus_1", `{"id":"cus_2"}`, nil, 400, "VALIDATION_ERROR", "id"},
		{"bad path id", "PUT", "/v1/customers/bad.id", `{"email":"x@example.com"}`, nil, 400, "VALIDATION_ERROR", "id"},
		{"create without email", "POST", "/v1/customers", `{"firstName":"A"}`, nil, 400, "VALIDATION_ERROR", "email"},
		{"create duplicate email", "POST", "/v1/customers", `{"email":"ada@example.com"}`, nil, 409, "ALREADY_EXISTS", "email"},
		{"create existing id", "POST", "/v1/customers", `{"id":"cus_1","email":"new@example.com"}`, nil, 409, "ALREADY_EXISTS", "id"},
		{"oversize body", "PUT", "/v1/customers/cus_1", big, nil, 413, "PAYLOAD_TOO_LARGE", ""},
		{"wrong content type", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Content-Type", "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE", ""},
		{"missing key", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Authorization", ""}, 401, "UNAUTHORIZED", ""},
		{"unknown key", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Authorization", "Bearer sk_live_nope"}, 401, "UNAUTHORIZED", ""},
		{"expired key", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Authorization", "Bearer " + expiring}, 401, "UNAUTHORIZED", ""},
		{"revoked key", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Authorization", "", "X-API-Key", revoked}, 401, "UNAUTHORIZED", ""},
		{"missing scope", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Authorization", "Token " + readOnly}, 403, "FORBIDDEN", ""},
		{"stale If-Match", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"If-Match", `"1"`}, 412, "VERSION_MISMATCH", ""},
		{"garbage If-Match", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"If-Match", `"abc"`}, 400, "VALIDATION_ERROR", "If-Match"},
		{"idempotency key reused", "PUT", "/v1/customers/cus_1", `{"lastName":"C"}`, []string{"Idempotency-Key", "k2"}, 422, "IDEMPOTENCY_KEY_REUSED", ""},
		{"idempotency key too long", "PUT", "/v1/customers/cus_1", `{"lastName":"C"}`, []string{"Idempotency-Key", strings.Repeat("k", 256)}, 400, "VALIDATION_ERROR", "Idempotency-Key"},
		{"invalid transition", "POST", "/v1/customers/cus_1/activate", ``, nil, 409, "INVALID_TRANSITION", "status"},
		{"unknown status", "PUT", "/v1/customers/cus_1", `{"status":"HAPPY"}`, nil, 400, "VALIDATION_ERROR", "status"},
		{"unknown customer action", "POST", "/v1/customers/nope/activate", ``, nil, 404, "NOT_FOUND", ""},
		{"unknown query parameter", "GET", "/v1/customers?colour=red", ``, nil, 400, "VALIDATION_ERROR", "colour"},
		{"bad limit", "GET", "/v1/customers?limit=500", ``, nil, 400, "VALIDATION_ERROR", "limit"},
		{"bad cursor", "GET", "/v1/customers?cursor=zz", ``, nil, 400, "VALIDATION_ERROR", "cursor"},
		{"bad min position", "GET", "/v1/customers/cus_1", ``, []string{"Stateset-Min-Position", "x"}, 400, "VALIDATION_ERROR", "Stateset-Min-Position"},
		{"unknown route", "GET", "/v1/nothing", ``, nil, 404, "NOT_FOUND", ""},
		{"wrong method", "PATCH", "/v1/customers", `{}`, nil, 405, "METHOD_NOT_ALLOWED", ""},
		{"duplicate key", "PUT", "/v1/customers/cus_1", `{"lastName":"B","lastName":"C"}`, nil, 400, "VALIDATION_ERROR", "lastName"},
		{"duplicate nested key", "PUT", "/v1/customers/cus_1", `{"metadata":{"a":"1","a":"2"}}`, nil, 400, "VALIDATION_ERROR", "metadata.a"},
		{"invalid UTF-8", "PUT", "/v1/customers/cus_1", "{\"lastName\":\"\xff\xfe\"}", nil, 400, "VALIDATION_ERROR", "body"},
		{"NUL in a name", "PUT", "/v1/customers/cus_1", `{"lastName":"B\u0000C"}`, nil, 400, "VALIDATION_ERROR", "lastName"},
		{"line feed in a name", "PUT", "/v1/customers/cus_1", `{"firstName":"A\nB"}`, nil, 400, "VALIDATION_ERROR", "firstName"},
		{"control character in an id", "POST", "/v1/customers", `{"id":"a\u0007b","email":"bell@example.com"}`, nil, 400, "VALIDATION_ERROR", "id"},
		{"control character in a key", "PUT", "/v1/customers/cus_1", `{"metadata":{"a\u0001":"1"}}`, nil, 400, "VALIDATION_ERROR", "metadata.a\u0001"},
		{"string too long", "PUT", "/v1/customers/cus_1", `{"metadata":{"a":"` + strings.Repeat("<", 10_001) + `"}}`, nil, 400, "VALIDATION_ERROR", "metadata.a"},
		{"array too long", "PUT", "/v1/customers/cus_1", `{"addresses":[` + strings.Repeat(`{},`, 500) + `{}]}`, nil, 400, "VALIDATION_ERROR", "addresses"},
		{"nested too deeply", "PUT", "/v1/customers/cus_1", `{"metadata":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, nil, 400, "VALIDATION_ERROR", "metadata" + strings.Repeat("[0]", 15)},
		{"two Authorization headers", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"+Authorization", "Token sk_live_other"}, 401, "UNAUTHORIZED", ""},
		{"Authorization and X-API-Key", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"X-API-Key", "sk_live_other"}, 401, "UNAUTHORIZED", ""},
		{"empty Idempotency-Key", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Idempotency-Key", "<empty>"}, 400, "VALIDATION_ERROR", "Idempotency-Key"},
		{"two Idempotency-Keys", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"Idempotency-Key", "k9", "+Idempotency-Key", "k10"}, 400, "VALIDATION_ERROR", "Idempotency-Key"},
		{"unbalanced If-Match", "PUT", "/v1/customers/cus_1", `{"lastName":"B"}`, []string{"If-Match", `"1`}, 400, "VALIDATION_ERROR", "If-Match"},
		{"If-Match on an action", "POST", "/v1/customers/cus_1/activate", ``, []string{"If-Match", `1"`}, 400, "VALIDATION_ERROR", "If-Match"},
		{"bad min position on the feed", "GET", "/v1/events", ``, []string{"Stateset-Min-Position", "abc"}, 400, "VALIDATION_ERROR", "Stateset-Min-Position"},
		{"unknown query parameter on a write", "PUT", "/v1/customers/cus_1?dry_run=1", `{"lastName":"B"}`, nil, 400, "VALIDATION_ERROR", "dry_run"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			r := h.do(c.method, c.path, c.body, c.hdr...)
			if r.status != c.status || r.code() != c.code {
				t.Fatalf("got %d %s, want %d %s: %.300s", r.status, r.code(), c.status, c.code, r.body)
			}
			var e errorBody
			json.Unmarshal(r.body, &e)
			if e.Error.RequestID == "" || e.Error.RequestID != r.header.Get("X-Request-Id") {
				t.Errorf("request id %q vs header %q", e.Error.RequestID, r.header.Get("X-Request-Id"))
			}
			if c.field != "" && !slices.ContainsFunc(e.Error.Details, func(d domain.FieldError) bool { return d.Field == c.field }) {
				t.Errorf("details %+v do not name %s", e.Error.Details, c.field)
			}
			// the SDK shows only detail: it must carry the message and name the field
			if !strings.HasPrefix(e.Detail, e.Error.Message) || (c.field != "" && !strings.Contains(e.Detail, c.field+": ")) {
				t.Errorf("detail %q does not say %q and name %q", e.Detail, e.Error.Message, c.field)
			}
			if !bytes.Contains(r.body, []byte(`"details":[`)) {
				t.Errorf("no details list in %.300s", r.body)
			}
			if c.status == 405 && r.header.Get("Allow") != "GET, POST" {
				t.Errorf("405 with Allow %q, want GET, POST", r.header.Get("Allow"))
			}
			if c.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if h.head() != before {
				t.Errorf("stream grew from %d to %d", before, h.head())
			}
		})
	}
}

func TestEveryBadFieldIsListedAtOnce(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/v1/customers", `{"email":"nope","firstName":5,"timestamp":"x","bogus":true}`)
	var e struct {
		Error apiError `json:"error"`
	}
	json.Unmarshal(r.body, &e)
	var fields []string
	for _, d := range e.Error.Details {
		fields = append(fields, d.Field)
	}
	slices.Sort(fields)
	if want := []string{"bogus", "email", "firstName", "timestamp"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
}

// TestEveryBadArrayElementIsListedWithItsIndex: each element that does not decode is
// named with its index, the others are still checked, and a sent array is never missing.
func TestEveryBadArrayElementIsListedWithItsIndex(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, method, path, body string
		want                     []string
	}{
		{"order lines", "POST", "/v1/orders",
			`{"customer_id":"c1","currency":"USD","items":[{"sku":"A","quantity":1,"unit_price":1},{"sku":"B","qty":2},{"sku":"C","quantity":"3"},{"sku":"","quantity":1}]}`,
			[]string{"items[1].qty", "items[2].quantity", "items[3].sku"}},
		{"an element of the wrong kind", "POST", "/v1/orders",
			`{"customer_id":"c1","currency":"USD","items":[5]}`, []string{"items[0]"}},
		{"scopes", "POST", "/v1/api_keys", `{"name":"k","scopes":["customers:read",7,false]}`,
			[]string{"scopes[1]", "scopes[2]"}},
		{"a scope given twice", "POST", "/v1/api_keys", `{"name":"k","scopes":["customers:read","orders:read","customers:read"]}`,
			[]string{"scopes[2]"}},
		{"BOM components", "POST", "/v1/bill_of_materials", `{"sku":"TABLE","name":"t","components":[{"sku":"LEG","quantity":4},{"sku":"TOP","qty":1}]}`,
			[]string{"components[1].qty"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			r := h.do(c.method, c.path, c.body)
			var e struct {
				Error apiError `json:"error"`
			}
			json.Unmarshal(r.body, &e)
			var fields []string
			for _, d := range e.Error.Details {
				fields = append(fields, d.Field)
			}
			slices.Sort(fields)
			if r.status != 400 || !slices.Equal(fields, c.want) {
				t.Errorf("got %d with fields %v, want 400 with %v: %s", r.status, fields, c.want, r.body)
			}
			if h.head() != before {
				t.Errorf("stream grew from %d to %d", before, h.head())
			}
		})
	}
}

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	h := newHarness(t)
	body := `{"email":"grace@example.com","firstName":"Grace"}`
	first := h.do("POST", "/v1/customers", body, "Idempotency-Key", "create-grace")
	if first.status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	before := h.head()
	again := h.do("POST", "/v1/customers", body, "Idempotency-Key", "create-grace")
	if again.status != first.status || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", again.status, again.body)
	}
	if again.header.Get("Location") != first.header.Get("Location") || again.header.Get("ETag") != first.header.Get("ETag") {
		t.Errorf("replayed headers differ: %v vs %v", again.header, first.header)
	}
	if h.head() != before {
		t.Error("replay appended")
	}
	// keys are per API key: another key may use the same string for its own request
	other := h.key("other", []string{"customers:write"}, nil)
	r := h.do("POST", "/v1/customers", `{"email":"linus@example.com"}`, "Idempotency-Key", "create-grace", "Authorization", "Token "+other)
	if r.status != http.StatusCreated {
		t.Fatalf("other key: %d %s", r.status, r.body)
	}
	// the metadata of the event records the key
	id := first.json(t)["id"].(string)
	hist := h.do("GET", "/v1/customers/"+id+"/history", "")
	if !strings.Contains(string(hist.body), `"actor_name":"admin"`) {
		t.Errorf("history lacks the actor: %s", hist.body)
	}
}

func TestReadYourWrites(t *testing.T) {
	h := newHarness(t)
	h.do("PUT", "/v1/customers/c1", `{"email":"c1@example.com"}`)
	for i := range 30 {
		w := h.do("PUT", "/v1/customers/c1", fmt.Sprintf(`{"phone":"%d"}`, i))
		g := h.do("GET", "/v1/customers/c1", "", "Stateset-Min-Position", w.header.Get("Stateset-Position"))
		if g.json(t)["phone"] != fmt.Sprint(i) {
			t.Fatalf("write %d not read: %s", i, g.body)
		}
		gp, _ := strconv.ParseUint(g.header.Get("Stateset-Position"), 10, 64)
		wp, _ := strconv.ParseUint(w.header.Get("Stateset-Position"), 10, 64)
		if gp < wp {
			t.Fatalf("GET served at %d, before the write at %d", gp, wp)
		}
	}
	// a position the stream has not reached answers 503 after the wait
	h.srv.cfg.ReadWait = 50 * time.Millisecond
	if r := h.do("GET", "/v1/customers/c1", "", "Stateset-Min-Position", "999999"); r.status != 503 || r.code() != "UNAVAILABLE" {
		t.Fatalf("future position: %d %s", r.status, r.body)
	}
}

func TestConcurrentIfMatchOverHTTP(t *testing.T) {
	h := newHarness(t)
	h.do("PUT", "/v1/customers/c1", `{"email":"c1@example.com"}`)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Go(func() {
			statuses[i] = h.do("PUT", "/v1/customers/c1", fmt.Sprintf(`{"lastName":"L%d"}`, i), "If-Match", `"1"`).status
		})
	}
	wg.Wait()
	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{200, 412}) {
		t.Fatalf("statuses %v, want one 200 and one 412", statuses)
	}
}

func TestListsFiltersAndCursors(t *testing.T) {
	h := newHarness(t)
	var pos string
	for i := range 12 {
		r := h.do("POST", "/v1/customers", fmt.Sprintf(`{"id":"c%02d","email":"c%d@example.com","status":"%s"}`, i, i, []string{"ACTIVE", "PROSPECT"}[i%2]))
		pos = r.header.Get("Stateset-Position")
	}
	var ids []string
	next := ""
	for {
		path := "/v1/customers?limit=5"
		if next != "" {
			path += "&cursor=" + next
		}
		r := h.do("GET", path, "", "Stateset-Min-Position", pos)
		var page listBody[customerJSON]
		json.Unmarshal(r.body, &page)
		if page.Object != "list" {
			t.Fatalf("list: %s", r.body)
		}
		for _, c := range page.Data {
			ids = append(ids, c.ID)
		}
		if !page.HasMore {
			break
		}
		next = page.NextCursor
	}
	if len(ids) != 12 || ids[0] != "c11" || ids[11] != "c00" {
		t.Fatalf("ids %v", ids)
	}
	r := h.do("GET", "/v1/customers?status=PROSPECT&limit=100", "")
	var page listBody[customerJSON]
	json.Unmarshal(r.body, &page)
	if len(page.Data) != 6 {
		t.Errorf("prospects: %d", len(page.Data))
	}
	r = h.do("GET", "/v1/customers?email=C3@example.com", "")
	json.Unmarshal(r.body, &page)
	if len(page.Data) != 1 || page.Data[0].ID != "c03" {
		t.Errorf("by email: %s", r.body)
	}
}

func TestLifecycleHistoryTimelineAndAsOf(t *testing.T) {
	h := newHarness(t)
	created := h.do("POST", "/v1/customers", `{"id":"c1","email":"c1@example.com","status":"PROSPECT"}`)
	h.do("POST", "/v1/customers/c1/activate", "")
	addr := h.do("POST", "/v1/customers/c1/addresses", `{"type":"SHIPPING","street1":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"}`)
	if addr.status != 201 || len(addr.json(t)["addresses"].([]any)) != 1 {
		t.Fatalf("address: %d %s", addr.status, addr.body)
	}
	if r := h.do("POST", "/v1/customers/c1/addresses", `{"street1":"x","country":"usa","zip":"1"}`); r.status != 400 {
		t.Fatalf("bad address: %d %s", r.status, r.body)
	}
	del := h.do("DELETE", "/v1/customers/c1", "")
	if del.status != 200 || del.json(t)["status"] != "ARCHIVED" {
		t.Fatalf("archive: %d %s", del.status, del.body)
	}
	if r := h.do("DELETE", "/v1/customers/c1", ""); r.status != 409 || r.code() != "INVALID_TRANSITION" {
		t.Fatalf("archive twice: %d %s", r.status, r.body)
	}
	if r := h.do("PUT", "/v1/customers/c1", `{"lastName":"X"}`); r.status != 409 {
		t.Fatalf("edit archived: %d %s", r.status, r.body)
	}
	// the archived customer's email is free again
	if r := h.do("POST", "/v1/customers", `{"email":"c1@example.com"}`); r.status != 201 {
		t.Fatalf("reuse email: %d %s", r.status, r.body)
	}

	hist := h.do("GET", "/v1/customers/c1/history", "")
	var hl listBody[historyJSON]
	json.Unmarshal(hist.body, &hl)
	var types []string
	for _, e := range hl.Data {
		types = append(types, e.Type)
	}
	if want := []string{"customer.created", "customer.status_changed", "customer.address_added", "customer.archived"}; !slices.Equal(types, want) {
		t.Fatalf("history types %v", types)
	}

	tl := h.do("GET", "/v1/customers/c1/timeline", "", "Stateset-Min-Position", del.header.Get("Stateset-Position"))
	var tll listBody[timelineJSON]
	json.Unmarshal(tl.body, &tll)
	if len(tll.Data) != 4 || tll.Data[0].Type != "customer.archived" {
		t.Fatalf("timeline: %s", tl.body)
	}

	asOf := h.do("GET", "/v1/customers/c1?as_of="+created.header.Get("Stateset-Position"), "")
	if asOf.status != 200 || asOf.json(t)["status"] != "PROSPECT" || asOf.json(t)["version"] != 1.0 {
		t.Fatalf("as_of position: %d %s", asOf.status, asOf.body)
	}
	at := hl.Data[2].Time
	asOfTime := h.do("GET", "/v1/customers/c1?as_of="+at, "")
	if asOfTime.json(t)["version"] != 3.0 || asOfTime.json(t)["status"] != "ACTIVE" {
		t.Fatalf("as_of time: %s", asOfTime.body)
	}
	if r := h.do("GET", "/v1/customers/c1?as_of=2000-01-01T00:00:00Z", ""); r.status != 404 {
		t.Fatalf("as_of before creation: %d", r.status)
	}
	if r := h.do("GET", "/v1/customers/c1?as_of=soon", ""); r.status != 400 {
		t.Fatalf("bad as_of: %d", r.status)
	}
	if r := h.do("GET", "/v1/customers/nope/history", ""); r.status != 404 {
		t.Fatalf("history of nobody: %d", r.status)
	}
}

func TestTwoSpellingsOfOneFieldAndStrayReasonAreRefused(t *testing.T) {
	h := newHarness(t)
	if r := h.do("POST", "/v1/customers", `{"email":"a@example.com","firstName":"A","first_name":"B"}`); r.status != 400 {
		t.Fatalf("two spellings: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/v1/customers", `{"email":"a@example.com","reason":"why"}`); r.status != 400 {
		t.Fatalf("reason on create: %d %s", r.status, r.body)
	}
	h.do("PUT", "/v1/customers/c1", `{"email":"c1@example.com"}`)
	r := h.do("PUT", "/v1/customers/c1", `{"status":"SUSPENDED","reason":"chargebacks"}`)
	if r.status != 200 || r.json(t)["status"] != "SUSPENDED" {
		t.Fatalf("status with reason: %d %s", r.status, r.body)
	}
	hist := h.do("GET", "/v1/customers/c1/history", "")
	if !strings.Contains(string(hist.body), `"reason":"chargebacks"`) {
		t.Errorf("reason not recorded: %s", hist.body)
	}
}

// TestAPIKeyTokenIsNotKeptForReplays: the idempotency record of a key's creation holds
// the key without its token; a replay answers that.
func TestAPIKeyTokenIsNotKeptForReplays(t *testing.T) {
	h := newHarness(t)
	const body = `{"name":"ci","scopes":["customers:read"]}`
	first := h.do("POST", "/v1/api_keys", body, "Idempotency-Key", "mint-1")
	if first.status != 201 || !strings.HasPrefix(fmt.Sprint(first.json(t)["token"]), "sk_") {
		t.Fatalf("create: %d %s", first.status, first.body)
	}
	again := h.do("POST", "/v1/api_keys", body, "Idempotency-Key", "mint-1")
	if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || strings.Contains(string(again.body), `"token"`) {
		t.Fatalf("replay: %d %s", again.status, again.body)
	}
	if again.json(t)["id"] != first.json(t)["id"] {
		t.Fatalf("replay names another key: %s vs %s", again.body, first.body)
	}
}

// TestActionsTakeNotesIntoTheirHistory: every action takes {reason?, notes?}; the notes
// are recorded with the events it appends and shown in the history; notes of the wrong
// kind are refused and append nothing.
func TestActionsTakeNotesIntoTheirHistory(t *testing.T) {
	h := newHarness(t)
	if r := h.do("PUT", "/v1/customers/cus_1", seedBody); r.status != http.StatusCreated {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	before := h.head()
	if r := h.do("POST", "/v1/customers/cus_1/suspend", `{"notes":5}`); r.status != 400 || !strings.Contains(string(r.body), `"field":"notes"`) {
		t.Fatalf("notes as a number: %d %s", r.status, r.body)
	}
	if h.head() != before {
		t.Fatal("a refused action appended")
	}
	note := "called twice <no answer> & left a voicemail\nwill retry"
	body, _ := json.Marshal(map[string]string{"reason": "fraud review", "notes": note})
	if r := h.do("POST", "/v1/customers/cus_1/suspend", string(body)); r.status != http.StatusOK {
		t.Fatalf("suspend: %d %s", r.status, r.body)
	}
	r := h.do("GET", "/v1/customers/cus_1/history", "")
	var hist struct {
		Data []historyJSON `json:"data"`
	}
	if err := json.Unmarshal(r.body, &hist); err != nil || len(hist.Data) < 2 {
		t.Fatalf("history: %d %s", r.status, r.body)
	}
	if last := hist.Data[len(hist.Data)-1]; last.Note != note {
		t.Errorf("history note %q, want %q", last.Note, note)
	}
}

// TestLargeTextIsRefusedBeforeTheAppend: free text has a limit checked before anything is
// appended, and what is stored is not HTML-escaped.
func TestLargeTextIsRefusedBeforeTheAppend(t *testing.T) {
	h := newHarness(t)
	before := h.head()
	for _, c := range []struct{ method, path string }{{"POST", "/v1/customers"}, {"PUT", "/v1/customers/cus_big"}} {
		body := `{"email":"big@example.com","metadata":{"a":"` + strings.Repeat(">", 1_000_000) + `"}}`
		if r := h.do(c.method, c.path, body); r.status != 400 || !strings.Contains(string(r.body), "metadata.a") {
			t.Errorf("%s %s with a million '>': %d %.300s", c.method, c.path, r.status, r.body)
		}
	}
	if h.head() != before {
		t.Fatal("a refused request appended")
	}
	r := h.do("PUT", "/v1/customers/cus_html", `{"email":"html@example.com","metadata":{"a":"<b>&</b>"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	last, err := h.store.LastMsg(context.Background(), h.store.AggregateSubjects("customer", "cus_html"))
	if err != nil || last == nil {
		t.Fatalf("last message: %v", err)
	}
	if !bytes.Contains(last.Data, []byte(`<b>&</b>`)) {
		t.Errorf("stored event is escaped: %s", last.Data)
	}
}

// TestFeedReadsLargeEventsWithinItsTimeout: a page of the feed over events near the size
// bound is read in byte-bounded batches, not one request that outgrows its timeout.
func TestFeedReadsLargeEventsWithinItsTimeout(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	reg := h.cmd.Registry()
	for i := range 12 {
		id := fmt.Sprint("big", i)
		env := domain.Envelope{ID: commands.NewID(), AggregateType: "customer", AggregateID: id, Version: 1,
			Time: time.Now().UTC(), Event: domain.CustomerCreated{CustomerID: id, Email: id + "@example.com",
				Metadata: map[string]string{"blob": strings.Repeat("<", commands.MaxEventBytes-4096)}}}
		m, err := commands.EventMessage(reg, env)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.Append(ctx, "customer", id, 0, []eventstore.Message{m}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		r := h.do("GET", "/v1/events?limit=10", "")
		var feed struct {
			Data []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(r.body, &feed); r.status != http.StatusOK || err != nil || len(feed.Data) != 10 {
			t.Fatalf("feed: %d, %d events: %.200s", r.status, len(feed.Data), r.body)
		}
	}
}

// TestEmptyListsAreArrays: a list with nothing in it answers "data": [], never null, on
// every list route (clients iterate it without a nil check).
func TestEmptyListsAreArrays(t *testing.T) {
	h := newFullHarness(t)
	for _, rt := range h.srv.Routes() {
		if rt.Method != http.MethodGet || strings.Contains(rt.Path, "{") || rt.Scope == "" || strings.HasSuffix(rt.Path, "/stream") {
			continue
		}
		r := h.do("GET", rt.Path, "")
		if r.status != http.StatusOK || !bytes.Contains(r.body, []byte(`"object":"list"`)) {
			continue
		}
		if bytes.Contains(r.body, []byte(`"data":null`)) {
			t.Errorf("GET %s: %s", rt.Path, r.body)
		}
	}
	if r := h.do("GET", "/v1/reservations?reference_id=none", ""); !bytes.Contains(r.body, []byte(`"data":[]`)) {
		t.Errorf("reservations: %d %s", r.status, r.body)
	}
}
