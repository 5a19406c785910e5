package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCrossModuleReadsShowOnlyWhatTheKeyReads: a read that merges several modules' data
// shows a key only the modules it may read (domain.ReadScopeOf, as the event feed), the
// rest left out, not redacted.
func TestCrossModuleReadsShowOnlyWhatTheKeyReads(t *testing.T) {
	h := newHarness(t)
	for _, w := range [][3]string{
		{"PUT", "/v1/customers/c1", `{"email":"ada@example.com","firstName":"Ada"}`},
		{"POST", "/v1/warehouses", `{"id":"main","name":"Main"}`},
		{"POST", "/v1/inventory", `{"sku":"MUG","location_id":"main","on_hand":10}`},
		{"POST", "/v1/orders", `{"id":"o1","customer_id":"c1","currency":"USD",
			"items":[{"sku":"MUG","name":"thing","quantity":2,"unit_price":1000}],
			"shipping_address":{"type":"SHIPPING","street1":"7 Hidden Lane","city":"Springfield","postal_code":"12345","country":"US"}}`},
		{"POST", "/v1/warranties", `{"id":"w1","customer_id":"c1","order_id":"o1","sku":"MUG","type":"MANUFACTURER","duration_months":12}`},
		{"POST", "/v1/cases", `{"id":"k1","caseName":"Mug broken","customer_id":"c1","order_id":"o1"}`},
		{"POST", "/v1/cases/k1/notes", `{"body":"photos received","author":"sam"}`},
		{"PUT", "/v1/customers/c1", `{"lastName":"King"}`},
	} {
		if r := h.do(w[0], w[1], w[2]); r.status/100 != 2 {
			t.Fatalf("%s %s: %d %s", w[0], w[1], r.status, r.body)
		}
	}
	min := strconv.FormatUint(h.head(), 10)
	// what each module's own routes would show
	secrets := map[string][]string{
		"order":    {"7 Hidden Lane", `"unit_price"`},
		"warranty": {"MANUFACTURER"},
		"case":     {"Mug broken", "photos received"},
	}

	for _, c := range []struct {
		route  string
		scopes []string
		kinds  []string // sorted
	}{
		{"/v1/customers/c1/timeline", []string{"admin"}, []string{"case", "customer", "order", "warranty"}},
		{"/v1/customers/c1/timeline", []string{"*"}, []string{"case", "customer", "order", "warranty"}},
		{"/v1/customers/c1/timeline", []string{"customers:read"}, []string{"customer"}},
		{"/v1/customers/c1/timeline", []string{"customers:write"}, []string{"customer"}},
		{"/v1/customers/c1/timeline", []string{"customers:read", "orders:read"}, []string{"customer", "order"}},
		{"/v1/customers/c1/timeline", []string{"customers:read", "orders:write"}, []string{"customer", "order"}},
		{"/v1/customers/c1/timeline", []string{"customers:read", "warranties:read"}, []string{"customer", "warranty"}},
		{"/v1/customers/c1/timeline", []string{"customers:read", "crm:read"}, []string{"case", "customer"}},
	} {
		t.Run(c.route+" with "+strings.Join(c.scopes, " "), func(t *testing.T) {
			auth := []string{"Authorization", "Token " + h.key(strings.Join(c.scopes, " "), c.scopes, nil), "Stateset-Min-Position", min}
			r := h.do("GET", c.route+"?limit=100", "", auth...)
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			var l listBody[timelineJSON]
			if err := json.Unmarshal(r.body, &l); err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, e := range l.Data {
				if !slices.Contains(kinds, e.Kind) {
					kinds = append(kinds, e.Kind)
				}
			}
			slices.Sort(kinds)
			if diff := cmp.Diff(c.kinds, kinds); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
			for kind, words := range secrets {
				for _, w := range words {
					if got := strings.Contains(string(r.body), w); got != slices.Contains(c.kinds, kind) {
						t.Errorf("%q (the %s's) in the answer: %v", w, kind, got)
					}
				}
			}
		})
	}

	t.Run("a key without the route's scope is 403, whatever else it reads", func(t *testing.T) {
		tok := h.key("orders and crm", []string{"orders:read", "crm:read"}, nil)
		if r := h.do("GET", "/v1/customers/c1/timeline", "", "Authorization", "Token "+tok); r.status != http.StatusForbidden {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
}

// TestExplosionCostsNeedInventoryRead: a BOM explosion's unit costs are the inventory
// items'; a key that reads manufacturing but not inventory sees the quantities only.
func TestExplosionCostsNeedInventoryRead(t *testing.T) {
	h := newHarness(t)
	for _, w := range [][3]string{
		{"POST", "/v1/warehouses", `{"id":"main","name":"Main"}`},
		{"POST", "/v1/inventory", `{"sku":"LEG","location_id":"main","on_hand":10,"unit_cost":250}`},
		{"POST", "/v1/bill_of_materials", `{"id":"b1","sku":"TABLE","name":"Table","components":[{"sku":"LEG","quantity":4}]}`},
	} {
		if r := h.do(w[0], w[1], w[2]); r.status/100 != 2 {
			t.Fatalf("%s %s: %d %s", w[0], w[1], r.status, r.body)
		}
	}
	for _, c := range []struct {
		scopes   []string
		cost     float64
		withheld bool
	}{
		{[]string{"manufacturing:read", "inventory:read"}, 1000, false},
		{[]string{"manufacturing:read"}, 0, true},
	} {
		t.Run(strings.Join(c.scopes, " "), func(t *testing.T) {
			r := h.do("GET", "/v1/bill_of_materials/b1/explode", "", "Authorization", "Token "+h.key(strings.Join(c.scopes, " "), c.scopes, nil))
			var x struct {
				TotalCost float64          `json:"total_cost"`
				Withheld  bool             `json:"costs_withheld"`
				Materials []map[string]any `json:"materials"`
			}
			if err := json.Unmarshal(r.body, &x); err != nil || r.status != http.StatusOK || len(x.Materials) != 1 {
				t.Fatalf("explode: %d %s", r.status, r.body)
			}
			if x.TotalCost != c.cost || x.Withheld != c.withheld || x.Materials[0]["quantity"] != 4.0 ||
				(c.withheld && x.Materials[0]["unit_cost"] != 0.0) {
				t.Errorf("explosion %s", r.body)
			}
		})
	}
}
