package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestWriteAnswersCoverTheFlowsItTriggered: the answer to an order's confirmation waits
// for order-stock to reserve its lines and for order-allocation to record that on the
// order, and its Stateset-Position covers both, so a read sent with it sees the order
// allocated and the stock reserved. Stateset-Wait-Flows: false answers at the write's
// own event; a malformed value is 400 and appends nothing.
func TestWriteAnswersCoverTheFlowsItTriggered(t *testing.T) {
	sh := newShop(t)
	mug := sh.item("MUG", 10)
	sh.order("o1", line("MUG", 3))
	sh.ok(http.MethodPost, "/v1/orders/o1/submit", "")
	confirm := sh.send(http.MethodPost, "/v1/orders/o1/confirm", "")
	if confirm.status != http.StatusOK || confirm.header.Get("Stateset-Flows-Pending") != "" {
		t.Fatalf("confirm: %d %v %s", confirm.status, confirm.header, confirm.body)
	}
	at := map[string]uint64{}
	for _, e := range history(sh, "/v1/orders/o1/history") {
		at[e["event_type"].(string)] = uint64(num(e["position"]))
	}
	if p := confirm.position(); at["OrderConfirmed"] == 0 || at["OrderLinesAllocated"] <= at["OrderConfirmed"] || p < at["OrderLinesAllocated"] {
		t.Fatalf("the answer is at %d; the order's events at %v", p, at)
	}
	// no polling: the answer's position is enough
	if o := sh.ok(http.MethodGet, "/v1/orders/o1", ""); o["fulfillment_status"] != "ALLOCATED" || num(lineOf(o, "MUG")["reserved"]) != 3 {
		t.Fatalf("order read with the confirmation's position: %v", o)
	}
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+mug, ""); balances(it) != "on_hand=10 reserved=3 available=7" {
		t.Fatalf("item read with the confirmation's position: %v", it)
	}

	sh.order("o2", line("MUG", 1))
	sh.ok(http.MethodPost, "/v1/orders/o2/submit", "")
	quick := sh.cl.must(t, http.MethodPost, sh.base+"/v1/orders/o2/confirm", "", "Stateset-Wait-Flows", "false")
	if quick.status != http.StatusOK {
		t.Fatalf("confirm without waiting: %d %s", quick.status, quick.body)
	}
	sh.eventually("o2 allocated", "/v1/orders/o2", func(o map[string]any) bool { return o["fulfillment_status"] == "ALLOCATED" })
	for _, e := range history(sh, "/v1/orders/o2/history") {
		if e["event_type"] == "OrderConfirmed" && uint64(num(e["position"])) != quick.position() {
			t.Fatalf("an answer that did not wait is at %d, its confirmation at %v", quick.position(), e["position"])
		}
	}

	sh.order("o3", line("MUG", 1))
	sh.ok(http.MethodPost, "/v1/orders/o3/submit", "")
	bad := sh.cl.must(t, http.MethodPost, sh.base+"/v1/orders/o3/confirm", "", "Stateset-Wait-Flows", "soon")
	if bad.status != http.StatusBadRequest || !strings.Contains(string(bad.body), "Stateset-Wait-Flows") {
		t.Fatalf("a malformed Stateset-Wait-Flows: %d %s", bad.status, bad.body)
	}
	if o := sh.ok(http.MethodGet, "/v1/orders/o3", ""); o["status"] != "PENDING" {
		t.Fatalf("a refused confirmation changed the order: %v", o)
	}
}

// TestOrderAddressesAreReadApart: a billing address takes nothing from the shipping
// address sent beside it (both were once decoded into one value).
func TestOrderAddressesAreReadApart(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 1)
	o := sh.ok(http.MethodPost, "/v1/orders", `{"id":"oa1","customer_id":"cus1","currency":"USD",
		"shipping_address":{"street1":"1 Ship St","street2":"Unit 9","city":"Reno","state":"NV","postal_code":"89501","country":"US"},
		"billing_address":{"street1":"2 Bill Ave","city":"Austin","postal_code":"73301","country":"US"},
		"items":[{"sku":"MUG","name":"mug","quantity":1,"unit_price":100}]}`)
	bill := o["billing_address"].(map[string]any)
	if bill["street1"] != "2 Bill Ave" || bill["street2"] != nil && bill["street2"] != "" || bill["state"] != nil && bill["state"] != "" {
		t.Fatalf("billing address %v", bill)
	}
	ship := o["shipping_address"].(map[string]any)
	if ship["street2"] != "Unit 9" || ship["state"] != "NV" {
		t.Fatalf("shipping address %v", ship)
	}
}
