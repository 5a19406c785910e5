package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestNumbersOutOfBoundsAreRefusedOnTheFieldSent: over HTTP, each number past the bound
// (API.md, "Numbers") — given, or computed from what was given — is 400 VALIDATION_ERROR
// naming a field of that request, appends nothing, and the figures that were accepted
// read back as sent. The big values are random picks among the edges, from a fixed seed.
func TestNumbersOutOfBoundsAreRefusedOnTheFieldSent(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2026))
	huge := func() int64 { // out of every bound
		return []int64{math.MaxInt64, math.MinInt64, 1 << 62, -(1 << 62), 1_000_000_000_000_001}[r.IntN(5)]
	}
	sh := newShop(t)
	refused := func(method, path, body string, want ...string) {
		t.Helper()
		got := sh.refused(method, path, body, http.StatusBadRequest, "VALIDATION_ERROR")
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s %s names %v, want %v", method, path, got, want)
		}
	}

	// orders: ten lines that each fit, whose products would pass int64
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf(`{"sku":"S%d","quantity":1000000,"unit_price":1000000000000}`, i)
		sh.item(fmt.Sprintf("S%d", i), 0) // stocked, so that only the total can be wrong
	}
	refused(http.MethodPost, "/v1/orders", `{"id":"o_big","customer_id":"cus1","currency":"USD","items":[`+strings.Join(ten, ",")+`]}`,
		"items[0].quantity")
	sh.item("A", 0)
	sh.item("B", 0)
	sh.item("TEE", 0)
	sh.ok(http.MethodPost, "/v1/orders", `{"id":"o1","customer_id":"cus1","currency":"USD","status":"PENDING",
		"items":[{"sku":"A","quantity":1000,"unit_price":999999999999}]}`)
	refused(http.MethodPut, "/v1/orders/o1", `{"items":[{"sku":"A","quantity":1000,"unit_price":999999999999},{"sku":"B","quantity":1,"unit_price":1000000000}]}`,
		"items")
	refused(http.MethodPost, "/v1/orders/o1/pay", fmt.Sprintf(`{"amount":%d}`, huge()), "amount")
	if o := sh.ok(http.MethodPost, "/v1/orders/o1/pay", ""); num(o["paid_amount"]) != 999_999_999_999_000 || o["payment_status"] != "PAID" {
		t.Errorf("paid %v (%v)", o["paid_amount"], o["payment_status"])
	}
	refused(http.MethodPost, "/v1/orders/o1/refund", fmt.Sprintf(`{"amount":%d}`, huge()), "amount")

	// inventory: every level and cost at the edge of int64, then movements
	refused(http.MethodPost, "/v1/inventory", fmt.Sprintf(`{"sku":"X","location_id":"main","on_hand":%d,"reorder_point":%d,
		"reorder_quantity":%d,"unit_cost":%d}`, huge(), huge(), huge(), huge()), "on_hand", "reorder_point", "reorder_quantity", "unit_cost")
	item := sh.item("MUG", 1_000_000_000_000)
	refused(http.MethodPost, "/v1/inventory/"+item+"/adjust", `{"quantity":1,"reason":"receipt"}`, "quantity")
	refused(http.MethodPost, "/v1/inventory/"+item+"/adjust", fmt.Sprintf(`{"quantity":%d,"reason":"receipt"}`, huge()), "quantity")
	refused(http.MethodPut, "/v1/inventory/"+item, fmt.Sprintf(`{"unit_cost":%d,"reorder_point":%d}`, huge(), huge()), "reorder_point", "unit_cost")

	// a cycle count: refused when the count is entered, never later at reconcile
	sh.ok(http.MethodPost, "/v1/cycle_counts", `{"id":"cc1","warehouse_id":"main","skus":["MUG"]}`)
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc1/start", "")
	refused(http.MethodPost, "/v1/cycle_counts/cc1/submit", fmt.Sprintf(`{"counts":[{"sku":"MUG","counted":%d}]}`, huge()), "counts[0].counted")
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc1/submit", `{"counts":[{"sku":"MUG","counted":0}]}`)
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc1/reconcile", "")
	sh.eventually("the count posted", "/v1/inventory/"+item, func(it map[string]any) bool { return num(it["on_hand"]) == 0 })

	// wholesale: a total past 10^15 is refused at create, so submit never meets it
	sh.ok(http.MethodPut, "/v1/customers/biz", `{"email":"buyer@biz.example","firstName":"Bea","type":"BUSINESS"}`)
	sh.ok(http.MethodPost, "/v1/price_lists", `{"id":"pl1","name":"Trade","currency":"USD","customer_ids":["biz"],
		"prices":{"MUG":{"unit_price":1000000000000},"TEE":{"unit_price":1}}}`)
	refused(http.MethodPut, "/v1/wholesale_accounts/biz", fmt.Sprintf(`{"currency":"USD","credit_limit":%d,"net_terms":"NET30","price_list_id":"pl1"}`, huge()),
		"credit_limit")
	sh.ok(http.MethodPut, "/v1/wholesale_accounts/biz", `{"currency":"USD","credit_limit":1000000000000000,"net_terms":"NET30","price_list_id":"pl1"}`)
	refused(http.MethodPost, "/v1/wholesale_orders", `{"id":"w_big","customer_id":"biz","lines":[{"sku":"MUG","quantity":1000000},{"sku":"TEE","quantity":1}]}`,
		"lines[0].quantity")
	refused(http.MethodPost, "/v1/wholesale_orders", `{"id":"w_big","customer_id":"biz","lines":[{"sku":"MUG","quantity":1000},{"sku":"TEE","quantity":1}]}`,
		"lines")
	sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w1","customer_id":"biz","lines":[{"sku":"MUG","quantity":1000}]}`)
	sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w2","customer_id":"biz","lines":[{"sku":"TEE","quantity":1}]}`)
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/submit", "")
	if a := sh.send(http.MethodPost, "/v1/wholesale_orders/w2/submit", ""); a.status != http.StatusConflict || a.errCode() != "CREDIT_LIMIT_EXCEEDED" {
		t.Errorf("a submit one unit over the limit: %d %s", a.status, a.body)
	}

	// purchase orders and bills of materials
	sh.supplier("sup1")
	refused(http.MethodPost, "/v1/purchase_orders", `{"id":"po_big","supplier_id":"sup1","currency":"USD",
		"items":[{"sku":"TEE","quantity":1000000,"unit_cost":1000000000000}]}`, "items[0].quantity")
	bolt := sh.costItem("BOLT", 0, 1000)
	sh.activeBOM("nut", "NUT", `[{"sku":"BOLT","quantity":1000000}]`)
	if x := sh.ok(http.MethodGet, "/v1/bill_of_materials/nut/explode?quantity=1000000", ""); num(x["total_cost"]) != 1_000_000_000_000_000 {
		t.Errorf("10^12 bolts at 1000 cost %v", x["total_cost"])
	}
	sh.ok(http.MethodPut, "/v1/inventory/"+bolt, `{"unit_cost":1001}`)
	refused(http.MethodGet, "/v1/bill_of_materials/nut/explode?quantity=1000000", "", "quantity")

	for _, path := range []string{"/v1/orders/o_big", "/v1/wholesale_orders/w_big", "/v1/purchase_orders/po_big"} {
		if a := sh.send(http.MethodGet, path, ""); a.status != http.StatusNotFound {
			t.Errorf("GET %s after its create was refused: %d %s", path, a.status, a.body)
		}
	}
	sh.eventually("the order as paid", "/v1/orders/o1", func(o map[string]any) bool {
		return num(o["total_amount"]) == 999_999_999_999_000 && num(o["paid_amount"]) == 999_999_999_999_000
	})
}
