package domain

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzEventCodec feeds arbitrary event data, seeded with the golden corpus, through the
// registry's decoder: it must never panic, and whatever decodes must survive a round trip
// through the stored envelope unchanged.
func FuzzEventCodec(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		typ, ver, _ := strings.Cut(name, ".v")
		f.Add(typ, int(ver[0]-'0'), data)
	}
	f.Add("OrderCreated", 1, []byte(`{"order_id":"o","items":[{"quantity":9223372036854775807,"unit_price":-1}],"notes":"<<<>>>&"}`))
	f.Add("CustomerUpdated", 1, []byte(`{"customer_id":"c","email":{"from":"\u0000","to":"\ud800"}}`))
	f.Add("CustomerCreated", 1, []byte(`{"customer_id":"c","metadata":{"a":"1","a":"2"}}`))
	r := NewRegistry()
	f.Fuzz(func(t *testing.T, typ string, version int, data []byte) {
		e, err := r.DecodeData(typ, version, data)
		if err != nil {
			return
		}
		env := Envelope{ID: "e1", AggregateType: r.Aggregate(typ), AggregateID: "a1", Version: 1,
			Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Event: e}
		body, err := r.Marshal(env)
		if err != nil {
			t.Fatalf("decoded %s v%d but cannot encode it: %v", typ, version, err)
		}
		got, err := r.Unmarshal(body, 7)
		if err != nil {
			t.Fatalf("cannot decode what was encoded: %v\n%s", err, body)
		}
		// an empty map or slice and an absent one are the same fact (omitempty)
		if diff := cmp.Diff(e, got.Event, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("round trip of %s changed it (-decoded +round trip):\n%s", typ, diff)
		}
	})
}

// FuzzWebhookTarget: whatever host a URL names, an accepted one is a public address or a
// DNS name made only of what a resolver takes, never a spelling of a private address.
func FuzzWebhookTarget(f *testing.F) {
	for _, h := range []string{"example.com", "127.0.0.1", "::ffff:0:127.0.0.1", "::127.0.0.1", "127。0。0。1", "①②⑦.0.0.1",
		"2130706433", "0x7f000001", "127.1", "0177.0.0.1", "bücher.example", "[::1]", "10.0.0.1.", "LOCALHOST", "0", ""} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, host string) {
		addr, name, err := WebhookTarget(host, false)
		if err != nil {
			return
		}
		if addr.IsValid() && !PublicAddr(addr) {
			t.Fatalf("%q accepted as %v, which is not public", host, addr)
		}
		if !addr.IsValid() {
			if a, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil && !PublicAddr(a) {
				t.Fatalf("%q accepted as the name %q, an address that is not public", host, name)
			}
			for _, r := range name {
				if r > 0x7f {
					t.Fatalf("%q accepted as the name %q, which is not ASCII", host, name)
				}
			}
		}
	})
}
