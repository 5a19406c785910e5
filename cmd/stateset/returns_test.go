package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"stateset/domain"
)

// shipped places, confirms, ships and pays an order of the lines, once the flows have
// reserved them.
func (sh *shop) shipped(id string, lines ...string) map[string]any {
	sh.t.Helper()
	sh.order(id, lines...)
	sh.ok(http.MethodPost, "/v1/orders/"+id+"/submit", "")
	sh.ok(http.MethodPost, "/v1/orders/"+id+"/confirm", "")
	sh.eventually(id+" allocated", "/v1/orders/"+id, func(o map[string]any) bool { return o["fulfillment_status"] == "ALLOCATED" })
	o := sh.ok(http.MethodPost, "/v1/orders/"+id+"/ship", `{"carrier":"UPS"}`)
	return sh.ok(http.MethodPost, "/v1/orders/"+id+"/pay", fmt.Sprintf(`{"amount":%d,"reference":"ch_%s"}`, num(o["total_amount"]), id))
}

// refused sends a request that must fail with status and code, and returns the fields
// its details name.
func (sh *shop) refused(method, path, body string, status int, code string) []string {
	sh.t.Helper()
	a := sh.cl.must(sh.t, method, sh.base+path, body)
	if a.status != status || a.errCode() != code {
		sh.t.Fatalf("%s %s: %d %s, want %d %s", method, path, a.status, a.body, status, code)
	}
	var e struct {
		Error struct {
			Details []struct{ Field string } `json:"details"`
		} `json:"error"`
	}
	json.Unmarshal(a.body, &e)
	var fields []string
	for _, d := range e.Error.Details {
		fields = append(fields, d.Field)
	}
	return fields
}

func history(sh *shop, path string) []map[string]any {
	var out []map[string]any
	for _, e := range sh.ok(http.MethodGet, path, "")["data"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

func TestReturnsEndToEnd(t *testing.T) {
	sh := newShop(t)
	mug, tee := sh.item("MUG", 10), sh.item("TEE", 10)
	o := sh.shipped("o1", line("MUG", 2), line("TEE", 1))
	teeLine := lineOf(o, "TEE")["id"].(string)
	sh.eventually("ship consumed", "/v1/inventory/"+mug, func(it map[string]any) bool { return num(it["on_hand"]) == 8 })

	// refusals: more than shipped, an unknown order, an order not shipped
	if f := sh.refused(http.MethodPost, "/v1/returns", `{"order_id":"o1","items":[{"sku":"MUG","quantity":3,"reason":"DEFECTIVE"}]}`,
		400, "VALIDATION_ERROR"); strings.Join(f, ",") != "items[0].quantity" {
		t.Fatalf("over-return names %v", f)
	}
	if f := sh.refused(http.MethodPost, "/v1/returns", `{"order_id":"nope","items":[{"sku":"MUG","quantity":1,"reason":"DEFECTIVE"}]}`,
		400, "VALIDATION_ERROR"); strings.Join(f, ",") != "order_id" {
		t.Fatalf("unknown order names %v", f)
	}
	sh.order("o2", line("MUG", 1))
	sh.ok(http.MethodPost, "/v1/orders/o2/submit", "")
	sh.refused(http.MethodPost, "/v1/returns", `{"order_id":"o2","items":[{"sku":"MUG","quantity":1,"reason":"DEFECTIVE"}]}`, 409, "INVALID_TRANSITION")

	// the return: MUG by sku, TEE by line id; prices from the order
	r := sh.ok(http.MethodPost, "/v1/returns", fmt.Sprintf(`{"id":"r1","order_id":"o1","notes":"box crushed","items":[
		{"sku":"MUG","quantity":2,"reason":"DEFECTIVE","condition":"OPENED"},
		{"line_id":%q,"quantity":1,"reason":"WRONG_ITEM"}]}`, teeLine))
	if r["status"] != "REQUESTED" || r["rma_number"] != "RMA-000001" || num(r["total_value"]) != 3000 || r["customer_id"] != "cus1" || r["currency"] != "USD" {
		t.Fatalf("return %v", r)
	}
	// the order holds them: nothing more of MUG is returnable
	sh.refused(http.MethodPost, "/v1/returns", `{"order_id":"o1","items":[{"sku":"MUG","quantity":1,"reason":"OTHER"}]}`, 400, "VALIDATION_ERROR")
	sh.refused(http.MethodPost, "/v1/returns/r1/inspect", `{"items":[]}`, 409, "INVALID_TRANSITION")

	sh.ok(http.MethodPost, "/v1/returns/r1/approve", `{"reason":"ok"}`)
	sh.ok(http.MethodPost, "/v1/returns/r1/receive", "")
	mugLine := lineOf(o, "MUG")["id"].(string)
	r = sh.ok(http.MethodPost, "/v1/returns/r1/inspect", fmt.Sprintf(`{"items":[
		{"line_id":%q,"disposition":"RESTOCK","location_id":"main"},
		{"line_id":%q,"disposition":"DAMAGED"}]}`, mugLine, teeLine))
	if r["status"] != "INSPECTED" {
		t.Fatalf("inspected %v", r)
	}
	// F3: only the RESTOCK line goes back on hand
	sh.eventually("MUG restocked", "/v1/inventory/"+mug, func(it map[string]any) bool { return num(it["on_hand"]) == 10 })
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+tee, ""); num(it["on_hand"]) != 9 {
		t.Fatalf("DAMAGED TEE restocked: %v", balances(it))
	}

	// refund part, then see the order's payment status follow
	sh.refused(http.MethodPost, "/v1/returns/r1/refund", `{"amount":3001}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/returns/r1/refund", `{"amount":2000,"reason":"damaged mug"}`)
	ord := sh.eventually("o1 refunded", "/v1/orders/o1", func(o map[string]any) bool {
		return o["payment_status"] == "PARTIALLY_REFUNDED" || o["payment_status"] == "REFUNDED"
	})
	if num(ord["refunded_amount"]) != 2000 {
		t.Fatalf("refunded %v", ord["refunded_amount"])
	}
	sh.ok(http.MethodPost, "/v1/returns/r1/close", "")
	sh.refused(http.MethodPost, "/v1/returns/r1/approve", "", 409, "INVALID_TRANSITION")
	sh.refused(http.MethodPost, "/v1/returns/r1/refund", "", 409, "INVALID_TRANSITION")

	// the ledger names the return and the flow
	found := false
	for _, m := range history(sh, "/v1/inventory/"+mug+"/history?limit=100") {
		found = found || (m["reason"] == "return" && m["actor"] == "flow:return-stock" && m["source_id"] == "r1" && num(m["on_hand_delta"]) == 2)
	}
	if !found {
		t.Fatalf("no return movement by flow:return-stock in %v", history(sh, "/v1/inventory/"+mug+"/history?limit=100"))
	}

	// read model and history
	got := sh.eventually("r1 in the read model", "/v1/returns/r1", func(r map[string]any) bool { return r["status"] == "CLOSED" })
	if num(got["refund_amount"]) != 2000 {
		t.Fatalf("read model %v", got)
	}
	if l := sh.ok(http.MethodGet, "/v1/returns?order_id=o1", "")["data"].([]any); len(l) != 1 {
		t.Fatalf("list by order: %v", l)
	}
	if h := history(sh, "/v1/returns/r1/history"); len(h) != 6 {
		t.Fatalf("history has %d events", len(h))
	}
}

// TestReturnRejectFreesAndReopenRechecks: a rejected return frees its quantities on the
// order; reopening it holds them again only if they are still returnable.
func TestReturnRejectFreesAndReopenRechecks(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 5)
	sh.shipped("o1", line("MUG", 1))
	one := `{"id":%q,"order_id":"o1","items":[{"sku":"MUG","quantity":1,"reason":"NO_LONGER_NEEDED"}]}`
	sh.ok(http.MethodPost, "/v1/returns", fmt.Sprintf(one, "ra"))
	sh.refused(http.MethodPost, "/v1/returns", fmt.Sprintf(one, "rb"), 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/returns/ra/reject", `{"reason":"outside the return window"}`)
	sh.ok(http.MethodPost, "/v1/returns", fmt.Sprintf(one, "rb"))
	sh.refused(http.MethodPost, "/v1/returns/ra/reopen", "", 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/returns/rb/cancel", "")
	if r := sh.ok(http.MethodPost, "/v1/returns/ra/reopen", ""); r["status"] != "REQUESTED" {
		t.Fatalf("reopened %v", r)
	}
	sh.eventually("o1 holds ra again", "/v1/orders/o1", func(o map[string]any) bool { return num(lineOf(o, "MUG")["returned"]) == 1 })
	// the write side agrees, after the flows have run: nothing more is returnable
	sh.eventually("rb cancelled in the read model", "/v1/returns/rb", func(r map[string]any) bool { return r["status"] == "CANCELLED" })
	sh.refused(http.MethodPost, "/v1/returns", fmt.Sprintf(one, "rc"), 400, "VALIDATION_ERROR")
	// restocking at a location that never stocked the SKU creates the item there
	sh.ok(http.MethodPost, "/v1/returns/ra/approve", "")
	sh.ok(http.MethodPost, "/v1/returns/ra/receive", "")
	o := sh.ok(http.MethodGet, "/v1/orders/o1", "")
	inspect := fmt.Sprintf(`{"items":[{"line_id":%q,"disposition":"RESTOCK","location_id":"backroom"}]}`, lineOf(o, "MUG")["id"])
	// a location that is no warehouse is refused at the inspection, before F3 could stock it
	if f := sh.refused(http.MethodPost, "/v1/returns/ra/inspect", inspect, 400, "VALIDATION_ERROR"); len(f) != 1 || f[0] != "items[0].location_id" {
		t.Fatalf("unknown restock location: %v", f)
	}
	sh.ok(http.MethodPost, "/v1/warehouses", `{"id":"backroom","name":"Back room"}`)
	sh.ok(http.MethodPost, "/v1/returns/ra/inspect", inspect)
	sh.eventually("MUG restocked in the backroom", "/v1/inventory/"+domain.InventoryItemID("MUG", "backroom"),
		func(it map[string]any) bool { return num(it["on_hand"]) == 1 })

	// a taken id is refused and does not release what the return holds
	sh.refused(http.MethodPost, "/v1/returns", fmt.Sprintf(one, "ra"), 409, "ALREADY_EXISTS")
	sh.refused(http.MethodPost, "/v1/returns", fmt.Sprintf(one, "rd"), 400, "VALIDATION_ERROR")
}
