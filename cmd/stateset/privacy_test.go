package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
)

// secrets are the personal data the privacy test writes; none may be readable anywhere
// after the customer is forgotten.
var secrets = []string{"ada.lovelace@example.com", "Augusta", "Lovelace", "7946 0001", "12 Analytical Row"}

// TestForgetCustomer: personal fields are sealed with the customer's key in every event
// that carries them (its own, and its orders' addresses); trusted readers with the key
// decode them; forgetting destroys the key and scrubs the read models, so neither the raw
// stream, nor the snapshots, nor the read-model files, nor the API hold the customer's
// email, name, phone or address any more, while the non-personal history stays.
func TestForgetCustomer(t *testing.T) {
	sh := newShop(t)
	const adaBody = `{"email":"ada.lovelace@example.com","firstName":"Augusta","lastName":"Lovelace","phone":"+44 20 7946 0001"}`
	if a := sh.cl.must(t, http.MethodPut, sh.base+"/v1/customers/ada", adaBody, "Idempotency-Key", "ada-1"); a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	sh.ok(http.MethodPost, "/v1/customers/ada/addresses", `{"type":"SHIPPING","street1":"12 Analytical Row","city":"London","postal_code":"N1","country":"GB"}`)
	sh.ok(http.MethodPut, "/v1/customers/ada", `{"lastName":"Lovelace-King","type":"BUSINESS"}`)
	sh.item("MUG", 5)
	sh.ok(http.MethodPost, "/v1/orders", `{"id":"o1","customer_id":"ada","currency":"USD","items":[`+line("MUG", 1)+`],
		"shipping_address":{"street1":"12 Analytical Row","city":"London","postal_code":"N1","country":"GB"}}`)
	sh.ok(http.MethodPut, "/v1/customers/bob", `{"email":"bob@example.com","firstName":"Bob"}`) // someone else, kept

	if o := sh.ok(http.MethodGet, "/v1/orders/o1", ""); o["shipping_address"] == nil {
		t.Fatalf("order before forgetting: %v", o)
	}
	// the HTTP feed delivers events decrypted (webhooks do the same)
	feed := func() string {
		return mustJSON(t, sh.ok(http.MethodGet, "/v1/events?aggregate_type=customer&aggregate_id=ada", ""))
	}
	if f := feed(); !strings.Contains(f, "ada.lovelace@example.com") || !strings.Contains(f, "Augusta") {
		t.Fatalf("feed before forgetting: %s", f)
	}
	// a trusted reader with the key sees the data; the raw stream never held it in the clear
	sh.srv.stop()
	raw, decoded := readStoreAs(t, sh.dir)
	for _, s := range secrets {
		if strings.Contains(raw, s) {
			t.Fatalf("%q stored in the clear", s)
		}
		if !strings.Contains(decoded, s) {
			t.Fatalf("%q not readable with the key", s)
		}
	}

	srv := startServe(t, "--data-dir", sh.dir, "--bootstrap-key", testKey)
	sh.base, sh.srv = "http://"+srv.addr, srv
	c := sh.ok(http.MethodPost, "/v1/customers/ada/forget", `{"reason":"erasure request"}`)
	if c["email"] != "" || c["firstName"] != "" || c["status"] != "ARCHIVED" {
		t.Fatalf("forgotten customer answered %v", c)
	}
	if again := sh.ok(http.MethodPost, "/v1/customers/ada/forget", ""); again["version"] != c["version"] {
		t.Fatalf("forgetting twice appended: %v", again)
	}
	if f := feed(); strings.Contains(f, "ada.lovelace") || strings.Contains(f, "Augusta") || !strings.Contains(f, "CustomerForgotten") {
		t.Fatalf("feed after forgetting: %s", f)
	}
	got := sh.ok(http.MethodGet, "/v1/customers/ada", "")
	o := sh.ok(http.MethodGet, "/v1/orders/o1", "")
	timeline := sh.ok(http.MethodGet, "/v1/customers/ada/timeline", "")
	for _, v := range []any{got, o, timeline} {
		for _, s := range secrets {
			if strings.Contains(strings.ToLower(mustJSON(t, v)), strings.ToLower(s)) {
				t.Fatalf("%q still served after forgetting: %v", s, v)
			}
		}
	}
	if o["total_amount"] == nil || o["customer_id"] != "ada" || len(o["items"].([]any)) != 1 {
		t.Fatalf("the order's non-personal data must stay: %v", o)
	}
	// the recorded answer of the first request is forgotten too: a replay no longer returns it
	sh.eventually("idempotency record forgotten", "/v1/admin/flows", func(map[string]any) bool {
		a := sh.cl.must(t, http.MethodPut, sh.base+"/v1/customers/ada", adaBody, "Idempotency-Key", "ada-1")
		return a.header.Get("Idempotent-Replayed") != "true" && !strings.Contains(string(a.body), "Augusta")
	})
	if b := sh.ok(http.MethodGet, "/v1/customers/bob", ""); b["email"] != "bob@example.com" {
		t.Fatalf("another customer was touched: %v", b)
	}
	// the email is free again
	sh.ok(http.MethodPost, "/v1/customers", `{"email":"ada.lovelace@example.com"}`)

	sh.verify() // stops the server: read models equal to what the stream now decodes to
	raw, decoded = readStoreAs(t, sh.dir)
	for _, s := range secrets {
		if strings.Contains(raw, s) {
			t.Fatalf("%q in the raw stream or snapshots after forgetting", s)
		}
		if strings.Contains(decoded, s) && s != "ada.lovelace@example.com" { // the new customer has that email
			t.Fatalf("%q readable with the vault after forgetting", s)
		}
	}
	checkRebuildEquals(t, sh.dir) // the live scrub equals what a rebuild now makes of the stream
	files, _ := filepath.Glob(filepath.Join(sh.dir, "views", "*.db*"))
	for _, f := range files {
		body, _ := os.ReadFile(f)
		for _, s := range secrets[1:] {
			if strings.Contains(string(body), s) {
				t.Fatalf("%q in read-model file %s", s, f)
			}
		}
	}
}

// readStoreAs returns the raw bytes of every event and snapshot, and every event as a
// trusted service with the key decodes it.
func readStoreAs(t *testing.T, dir string) (raw, decoded string) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := eventstore.Open(ctx, eventstore.Config{DataDir: dir, Prefix: "stateset", Timeout: 5 * time.Second, Name: "reader"}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	vault, err := commands.OpenVault(ctx, store, log)
	if err != nil {
		t.Fatal(err)
	}
	reg := domain.NewRegistry().WithVault(vault)
	var r, d strings.Builder
	for m, err := range store.Load(ctx, "stateset.events.>", 0) {
		if err != nil {
			t.Fatal(err)
		}
		r.Write(m.Data)
		env, err := reg.Unmarshal(m.Data, m.Seq)
		if err != nil {
			t.Fatal(err)
		}
		d.WriteString(mustJSON(t, env.Event))
	}
	snaps, err := store.Bucket(ctx, "SNAPSHOTS", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"customer.ada", "order.o1"} {
		if body, _, err := snaps.Get(ctx, key); err == nil {
			r.Write(body)
		}
	}
	return r.String(), d.String()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPrivacyMigrateSealsAPlainStore: a store written with personal data in the clear is
// replayed by "stateset privacy migrate" into a new one where it is sealed, and serves
// the same customers from there.
func TestPrivacyMigrateSealsAPlainStore(t *testing.T) {
	old := t.TempDir()
	s := startServe(t, "--data-dir", old, "--bootstrap-key", testKey, "--plain-personal-data")
	cl := newClient()
	if a := cl.must(t, http.MethodPut, "http://"+s.addr+"/v1/customers/ada", `{"email":"ada.lovelace@example.com","firstName":"Augusta","lastName":"Lovelace"}`); a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	s.stop()
	if raw, _ := readStoreAs(t, old); !strings.Contains(raw, "ada.lovelace@example.com") {
		t.Fatal("the plain store does not hold the email in the clear: the test proves nothing")
	}
	fresh := filepath.Join(t.TempDir(), "sealed")
	var out strings.Builder
	if err := run(context.Background(), []string{"privacy", "migrate", "--data-dir", old, "--to-data-dir", fresh, "--log-level", "warn"}, &out, &out); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	raw, decoded := readStoreAs(t, fresh)
	for _, secret := range []string{"ada.lovelace@example.com", "Augusta", "Lovelace"} {
		if strings.Contains(raw, secret) || !strings.Contains(decoded, secret) {
			t.Fatalf("%q after migrating: in the clear %v, readable with the key %v", secret, strings.Contains(raw, secret), strings.Contains(decoded, secret))
		}
	}
	s2 := startServe(t, "--data-dir", fresh, "--bootstrap-key", testKey)
	got := cl.must(t, http.MethodGet, "http://"+s2.addr+"/v1/customers/ada", "")
	if got.status != http.StatusOK || got.json(t)["email"] != "ada.lovelace@example.com" {
		t.Fatalf("served from the migrated store: %d %s", got.status, got.body)
	}
	// the email's unique claim came along
	if dup := cl.must(t, http.MethodPost, "http://"+s2.addr+"/v1/customers", `{"email":"ada.lovelace@example.com"}`); dup.status != http.StatusConflict {
		t.Fatalf("a taken email after migrating: %d %s", dup.status, dup.body)
	}
}

// TestPrivacyMigrateDropsForgottenCustomers: a customer forgotten while the store kept
// personal data in the clear (forgetting then only scrubbed the read models) has its
// personal data dropped, not sealed, by the migration.
func TestPrivacyMigrateDropsForgottenCustomers(t *testing.T) {
	old := t.TempDir()
	s := startServe(t, "--data-dir", old, "--bootstrap-key", testKey, "--plain-personal-data")
	cl := newClient()
	base := "http://" + s.addr
	cl.must(t, http.MethodPut, base+"/v1/customers/ada", `{"email":"ada.lovelace@example.com","firstName":"Augusta"}`)
	cl.must(t, http.MethodPut, base+"/v1/customers/bob", `{"email":"bob@example.com","firstName":"Bob"}`)
	if a := cl.must(t, http.MethodPost, base+"/v1/customers/ada/forget", ""); a.status != http.StatusOK {
		t.Fatalf("forget: %d %s", a.status, a.body)
	}
	s.stop()
	fresh := filepath.Join(t.TempDir(), "sealed")
	var out strings.Builder
	if err := run(context.Background(), []string{"privacy", "migrate", "--data-dir", old, "--to-data-dir", fresh, "--log-level", "warn"}, &out, &out); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	raw, decoded := readStoreAs(t, fresh)
	if strings.Contains(raw+decoded, "Augusta") || strings.Contains(raw+decoded, "ada.lovelace") {
		t.Fatal("a forgotten customer's data came back readable")
	}
	if !strings.Contains(decoded, "bob@example.com") || strings.Contains(raw, "bob@example.com") {
		t.Fatal("another customer's data must be sealed and readable with the key")
	}
}
