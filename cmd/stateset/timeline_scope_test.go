package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// timelinePage is one page of GET /v1/customers/{id}/timeline.
type timelinePage struct {
	Data []struct {
		Position  uint64          `json:"position"`
		Kind      string          `json:"kind"`
		EventType string          `json:"event_type"`
		Data      json.RawMessage `json:"data"`
	} `json:"data"`
	HasMore    bool   `json:"has_more"`
	NextCursor string `json:"next_cursor"`
}

// timelineAs reads a page of cus1's timeline with the key tok, after the shop's last write.
func (sh *shop) timelineAs(tok, query string) (timelinePage, string) {
	sh.t.Helper()
	a := sh.as(tok, http.MethodGet, "/v1/customers/cus1/timeline"+query, "",
		"Stateset-Min-Position", strconv.FormatUint(sh.pos.Load(), 10))
	if a.status != http.StatusOK {
		sh.t.Fatalf("timeline%s: %d %s", query, a.status, a.body)
	}
	var p timelinePage
	if err := json.Unmarshal(a.body, &p); err != nil {
		sh.t.Fatalf("timeline%s: %v in %s", query, err, a.body)
	}
	return p, string(a.body)
}

func TestCustomerTimelineShowsOnlyModulesTheKeyReads(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 10)
	sh.ok(http.MethodPost, "/v1/orders", `{"id":"o1","customer_id":"cus1","currency":"USD","items":[`+line("MUG", 2)+`],
		"shipping_address":{"type":"SHIPPING","street1":"7 Hidden Lane","city":"Springfield","postal_code":"12345","country":"US"}}`)
	sh.ok(http.MethodPut, "/v1/customers/cus1", `{"lastName":"Baker"}`)
	sh.ok(http.MethodPost, "/v1/orders/o1/submit", "")
	sh.ok(http.MethodPost, "/v1/orders/o1/confirm", "")
	sh.eventually("o1 allocated", "/v1/orders/o1", func(o map[string]any) bool { return o["fulfillment_status"] == "ALLOCATED" })
	o := sh.ok(http.MethodPost, "/v1/orders/o1/ship", `{"carrier":"UPS"}`)
	sh.ok(http.MethodPost, "/v1/orders/o1/pay", fmt.Sprintf(`{"amount":%d,"reference":"ch_o1"}`, num(o["total_amount"])))
	sh.ok(http.MethodPost, "/v1/returns", `{"id":"r1","order_id":"o1","items":[{"sku":"MUG","quantity":1,"reason":"DEFECTIVE"}]}`)
	sh.ok(http.MethodPost, "/v1/warranties", `{"id":"w1","customer_id":"cus1","order_id":"o1","sku":"MUG","type":"MANUFACTURER","duration_months":12}`)
	sh.ok(http.MethodPut, "/v1/customers/cus1", `{"phone":"+1 555 0100"}`)
	sh.ok(http.MethodPost, "/v1/cases", `{"id":"k1","caseName":"Mug broken","customer_id":"cus1","order_id":"o1"}`)
	sh.ok(http.MethodPost, "/v1/cases/k1/notes", `{"body":"photos received","author":"sam"}`)
	sh.ok(http.MethodPut, "/v1/customers/cus1", `{"firstName":"Bea"}`)

	_, custOnly := sh.newKey("timeline: customers", "customers:read")
	_, custOrders := sh.newKey("timeline: customers and orders", "customers:read", "orders:read")
	for _, path := range []string{"/v1/orders/o1", "/v1/cases/k1", "/v1/returns/r1", "/v1/warranties/w1"} {
		if a := sh.as(custOnly, http.MethodGet, path, ""); a.status != http.StatusForbidden {
			t.Fatalf("customers:read on %s: %d, want 403", path, a.status)
		}
	}
	// what the order, return, warranty and case would show of themselves
	secrets := map[string][]string{
		"order":    {"7 Hidden Lane", `"MUG"`, `"unit_price"`, `"amount"`},
		"return":   {"DEFECTIVE"},
		"warranty": {"MANUFACTURER"},
		"case":     {"Mug broken", "photos received"},
	}

	cases := []struct {
		name  string
		tok   string
		kinds []string // the kinds the key sees, sorted
	}{
		{"an admin key sees every module's entries", testKey, []string{"case", "customer", "order", "return", "warranty"}},
		{"a customers:read key sees only the customer's own entries", custOnly, []string{"customer"}},
		{"customers:read and orders:read see the orders but no case, return or warranty", custOrders, []string{"customer", "order"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			all, raw := sh.timelineAs(c.tok, "?limit=100")
			var kinds, types, customer []string
			for _, e := range all.Data {
				if !slices.Contains(kinds, e.Kind) {
					kinds = append(kinds, e.Kind)
				}
				types = append(types, e.EventType)
				if e.Kind == "customer" {
					customer = append(customer, e.EventType)
				}
			}
			slices.Sort(kinds)
			if diff := cmp.Diff(c.kinds, kinds); diff != "" {
				t.Errorf("kinds seen (-want +got):\n%s\nevents %v", diff, types)
			}
			for kind, words := range secrets {
				for _, w := range words {
					if got := strings.Contains(raw, w); got != slices.Contains(c.kinds, kind) {
						t.Errorf("%q (the %s's) in the answer: %v, want %v", w, kind, got, !got)
					}
				}
			}
			want := []string{"CustomerUpdated", "CustomerUpdated", "CustomerUpdated", "CustomerCreated"}
			if diff := cmp.Diff(want, customer); diff != "" {
				t.Errorf("the customer's own entries (-want +got):\n%s", diff)
			}

			// pages of two: each full but the last, together the whole timeline
			var paged []uint64
			query := "?limit=2"
			for range 50 {
				p, _ := sh.timelineAs(c.tok, query)
				for _, e := range p.Data {
					paged = append(paged, e.Position)
				}
				if !p.HasMore {
					break
				}
				if len(p.Data) != 2 {
					t.Fatalf("a page of %d before the end (%s)", len(p.Data), query)
				}
				query = "?limit=2&cursor=" + url.QueryEscape(p.NextCursor)
			}
			var whole []uint64
			for _, e := range all.Data {
				whole = append(whole, e.Position)
			}
			if diff := cmp.Diff(whole, paged); diff != "" {
				t.Errorf("paged positions (-whole +paged):\n%s", diff)
			}
		})
	}
}
