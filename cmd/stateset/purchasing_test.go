package main

import (
	"fmt"
	"net/http"
	"testing"
)

// supplier creates an ACTIVE supplier with MUG in its catalog (250 USD, minimum 10).
func (sh *shop) supplier(id string) {
	sh.t.Helper()
	sh.ok(http.MethodPost, "/v1/suppliers", fmt.Sprintf(`{"id":%q,"name":"Acme Mugs","supplier_code":"ACME","type":"MANUFACTURER",
		"email":"orders@acme.example","payment_terms":"NET30","lead_time_days":14}`, id))
	sh.ok(http.MethodPost, "/v1/suppliers/"+id+"/activate", "")
	sh.ok(http.MethodPost, "/v1/suppliers/"+id+"/products", `{"sku":"MUG","supplier_sku":"AC-MUG","unit_cost":250,
		"currency":"USD","minimum_order_quantity":10,"lead_time_days":10}`)
}

func incoming(it map[string]any) string {
	return fmt.Sprintf("%s incoming=%d", balances(it), num(it["incoming"]))
}

// TestPurchaseOrderReceiptsFillBackorders drives F5: approval raises incoming, a partial
// receipt moves stock from incoming to on hand and fills a backordered order, an
// over-receipt is refused and appends nothing, the full receipt leaves nothing incoming
// and counts for the supplier's on-time rate.
func TestPurchaseOrderReceiptsFillBackorders(t *testing.T) {
	sh := newShop(t)
	mug := sh.item("MUG", 0)
	sh.order("o1", line("MUG", 5))
	sh.ok(http.MethodPost, "/v1/orders/o1/submit", "")
	sh.ok(http.MethodPost, "/v1/orders/o1/confirm", "")
	sh.eventually("o1 backordered", "/v1/orders/o1", func(o map[string]any) bool { return num(lineOf(o, "MUG")["backordered"]) == 5 })

	sh.supplier("acme")
	po := sh.ok(http.MethodPost, "/v1/purchase_orders", `{"id":"po1","supplier_id":"acme","expected_delivery_date":"2099-12-31",
		"items":[{"sku":"MUG","quantity":20}]}`)
	l := po["items"].([]any)[0].(map[string]any)
	if po["po_number"] != "PO-000001" || po["status"] != "DRAFT" || num(l["unit_cost"]) != 250 || num(po["total"]) != 5000 ||
		po["currency"] != "USD" || po["payment_terms"] != "NET30" || po["location_id"] != "main" {
		t.Fatalf("created %v", po)
	}
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/submit", "")
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/approve", "")
	sh.eventually("approval raises incoming", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return incoming(it) == "on_hand=0 reserved=0 available=0 incoming=20"
	})

	po = sh.ok(http.MethodPost, "/v1/purchase_orders/po1/receive", `{"items":[{"sku":"MUG","quantity":8}]}`)
	if po["status"] != "PARTIALLY_RECEIVED" || num(po["items"].([]any)[0].(map[string]any)["received"]) != 8 {
		t.Fatalf("after 8: %v", po)
	}
	sh.eventually("receipt moves incoming to on hand and fills the backorder", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return incoming(it) == "on_hand=8 reserved=5 available=3 incoming=12"
	})
	sh.eventually("o1 reserved", "/v1/orders/o1", func(o map[string]any) bool {
		return num(lineOf(o, "MUG")["reserved"]) == 5 && num(lineOf(o, "MUG")["backordered"]) == 0
	})

	// over-receipt: 13 of the 12 still open
	a := sh.send(http.MethodPost, "/v1/purchase_orders/po1/receive", `{"items":[{"sku":"MUG","quantity":13}]}`)
	if a.status != http.StatusBadRequest || !a.hasField("items[0].quantity") {
		t.Fatalf("over-receipt: %d %s", a.status, a.body)
	}
	if h := sh.ok(http.MethodGet, "/v1/purchase_orders/po1/history", ""); len(h["data"].([]any)) != 4 {
		t.Fatalf("over-receipt appended: %d events", len(h["data"].([]any)))
	}
	if a := sh.send(http.MethodPost, "/v1/purchase_orders/po1/cancel", ""); a.status != http.StatusConflict || a.errCode() != "INVALID_TRANSITION" {
		t.Fatalf("cancel after a receipt: %d %s", a.status, a.body)
	}

	po = sh.ok(http.MethodPost, "/v1/purchaseorders/po1/receive", `{"items":[{"sku":"MUG","quantity":12}]}`) // the SDK's spelling
	if po["status"] != "RECEIVED" || po["on_time"] != true || len(po["receipts"].([]any)) != 2 {
		t.Fatalf("after all: %v", po)
	}
	sh.eventually("everything received", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return incoming(it) == "on_hand=20 reserved=5 available=15 incoming=0"
	})
	s := sh.ok(http.MethodGet, "/v1/suppliers/acme", "")
	if d := s["on_time_delivery"].(map[string]any); num(d["received_purchase_orders"]) != 1 || d["rate"] != 1.0 {
		t.Fatalf("on-time %v", d)
	}
	if list := sh.ok(http.MethodGet, "/v1/suppliers/acme/purchase_orders", ""); len(list["data"].([]any)) != 1 {
		t.Fatalf("supplier's purchase orders %v", list)
	}
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/close", "")
	sh.verify()
}

// TestPurchaseOrderRefusalsAndSupplierOnTimeRate: only ACTIVE suppliers, costs from the
// catalog or given, minimum quantities, stocked SKUs; cancelling an approved order takes
// its incoming back; a late full receipt halves the supplier's on-time rate.
func TestPurchaseOrderRefusalsAndSupplierOnTimeRate(t *testing.T) {
	sh := newShop(t)
	mug := sh.item("MUG", 0)
	sh.item("TEE", 0)
	sh.supplier("acme")
	sh.ok(http.MethodPost, "/v1/suppliers", `{"id":"idle","name":"Idle Co"}`)

	refused := []struct {
		name, body, field string
	}{
		{"a PENDING supplier", `{"supplier_id":"idle","items":[{"sku":"MUG","quantity":10,"unit_cost":1}],"currency":"USD"}`, "supplier_id"},
		{"an unknown supplier", `{"supplier_id":"nobody","items":[{"sku":"MUG","quantity":10,"unit_cost":1}],"currency":"USD"}`, "supplier_id"},
		{"no cost and not in the catalog", `{"supplier_id":"acme","currency":"USD","items":[{"sku":"TEE","quantity":3}]}`, "items[0].unit_cost"},
		{"below the minimum order quantity", `{"supplier_id":"acme","items":[{"sku":"MUG","quantity":9}]}`, "items[0].quantity"},
		{"a SKU not stocked at the location", `{"supplier_id":"acme","items":[{"sku":"CUP","quantity":1,"unit_cost":5}],"currency":"USD"}`, "items[0].sku"},
		{"a misspelt field", `{"supplier_id":"acme","items":[{"sku":"MUG","quantity":10}],"expected_date":"2026-01-01"}`, "expected_date"},
	}
	for _, tc := range refused {
		if a := sh.send(http.MethodPost, "/v1/purchase_orders", tc.body); a.status != http.StatusBadRequest || !a.hasField(tc.field) {
			t.Errorf("%s: %d %s", tc.name, a.status, a.body)
		}
	}
	sh.ok(http.MethodPost, "/v1/suppliers/acme/suspend", `{"reason":"quality audit"}`)
	if a := sh.send(http.MethodPost, "/v1/purchase_orders", `{"supplier_id":"acme","items":[{"sku":"MUG","quantity":10}]}`); a.status != http.StatusBadRequest || !a.hasField("supplier_id") {
		t.Fatalf("suspended supplier: %d %s", a.status, a.body)
	}
	sh.ok(http.MethodPost, "/v1/suppliers/acme/activate", "")

	// a given unit cost wins over the catalog; cancelling after approval takes incoming back
	po := sh.ok(http.MethodPost, "/v1/purchaseorders", `{"id":"po1","supplier_id":"acme","items":[{"sku":"MUG","quantity":10,"unit_cost":199},{"sku":"TEE","quantity":4,"unit_cost":300}]}`)
	if num(po["total"]) != 1990+1200 {
		t.Fatalf("total %v", po["total"])
	}
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/submit", "")
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/approve", "")
	sh.eventually("incoming raised", "/v1/inventory/"+mug, func(it map[string]any) bool { return num(it["incoming"]) == 10 })
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/cancel", `{"reason":"supplier out of stock"}`)
	sh.eventually("incoming taken back", "/v1/inventory/"+mug, func(it map[string]any) bool { return num(it["incoming"]) == 0 })

	// one on time, one late (expected long ago)
	for id, date := range map[string]string{"po2": "2099-01-01", "po3": "2001-01-01"} {
		sh.ok(http.MethodPost, "/v1/purchase_orders", `{"id":"`+id+`","supplier_id":"acme","expected_delivery_date":"`+date+`","items":[{"sku":"MUG","quantity":10}]}`)
		sh.ok(http.MethodPost, "/v1/purchase_orders/"+id+"/submit", "")
		sh.ok(http.MethodPost, "/v1/purchase_orders/"+id+"/approve", "")
		sh.ok(http.MethodPost, "/v1/purchase_orders/"+id+"/receive", `{"items":[{"sku":"MUG","quantity":10}]}`)
	}
	s := sh.ok(http.MethodGet, "/v1/suppliers/acme", "")
	if d := s["on_time_delivery"].(map[string]any); num(d["received_purchase_orders"]) != 2 || num(d["on_time_purchase_orders"]) != 1 || d["rate"] != 0.5 {
		t.Fatalf("on-time %v", d)
	}
	if list := sh.ok(http.MethodGet, "/v1/purchase_orders?supplier_id=acme&status=RECEIVED", ""); len(list["data"].([]any)) != 2 {
		t.Fatalf("received list %v", list)
	}
	sh.eventually("both received", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return incoming(it) == "on_hand=20 reserved=0 available=20 incoming=0"
	})
	sh.verify()
}

// TestSupplierCatalogAndStatuses: one catalog entry per SKU (a second POST replaces it),
// status actions outside the table are 409.
func TestSupplierCatalogAndStatuses(t *testing.T) {
	sh := newShop(t)
	sh.supplier("acme")
	sh.ok(http.MethodPost, "/v1/suppliers/acme/products", `{"sku":"MUG","unit_cost":240,"currency":"USD","minimum_order_quantity":24}`)
	sh.ok(http.MethodPost, "/v1/suppliers/acme/products", `{"sku":"TEE","unit_cost":300,"currency":"USD"}`)
	list := sh.ok(http.MethodGet, "/v1/suppliers/acme/products", "")["data"].([]any)
	if len(list) != 2 || num(list[0].(map[string]any)["unit_cost"]) != 240 || num(list[0].(map[string]any)["minimum_order_quantity"]) != 24 {
		t.Fatalf("catalog %v", list)
	}
	if a := sh.send(http.MethodPost, "/v1/suppliers/acme/activate", ""); a.status != http.StatusConflict || a.errCode() != "INVALID_TRANSITION" {
		t.Fatalf("activate an active supplier: %d %s", a.status, a.body)
	}
	s := sh.ok(http.MethodPut, "/v1/suppliers/acme", `{"lead_time_days":21,"phone":"+1 555 0100"}`)
	if num(s["lead_time_days"]) != 21 || s["status"] != "ACTIVE" {
		t.Fatalf("updated %v", s)
	}
	if a := sh.send(http.MethodPost, "/v1/suppliers", `{"email":"x@y.example"}`); a.status != http.StatusBadRequest || !a.hasField("name") {
		t.Fatalf("no name: %d %s", a.status, a.body)
	}
	if l := sh.ok(http.MethodGet, "/v1/suppliers?status=ACTIVE", ""); len(l["data"].([]any)) != 1 {
		t.Fatalf("list %v", l)
	}
}

// TestASNLifecycle: an ASN needs an open purchase order and quantities within what is
// open; DRAFT -> SUBMITTED -> IN_TRANSIT -> DELIVERED, refused steps are 409, and delivery
// receives nothing by itself.
func TestASNLifecycle(t *testing.T) {
	sh := newShop(t)
	mug := sh.item("MUG", 0)
	sh.supplier("acme")
	sh.ok(http.MethodPost, "/v1/purchase_orders", `{"id":"po1","supplier_id":"acme","items":[{"sku":"MUG","quantity":30}]}`)
	if a := sh.send(http.MethodPost, "/v1/asns", `{"purchase_order_id":"po1","items":[{"sku":"MUG","quantity":5}]}`); a.status != http.StatusBadRequest || !a.hasField("purchase_order_id") {
		t.Fatalf("ASN on a draft PO: %d %s", a.status, a.body)
	}
	sh.ok(http.MethodPost, "/v1/purchase_orders/po1/submit", "")
	if a := sh.send(http.MethodPost, "/v1/asns", `{"purchase_order_id":"po1","items":[{"sku":"MUG","quantity":31}]}`); a.status != http.StatusBadRequest || !a.hasField("items[0].quantity") {
		t.Fatalf("ASN over the PO: %d %s", a.status, a.body)
	}
	asn := sh.ok(http.MethodPost, "/v1/asns", `{"id":"asn1","purchase_order_id":"po1","items":[{"sku":"MUG","quantity":30}],
		"carrier":"UPS","tracking_number":"1Z999","expected_arrival":"2026-03-01"}`)
	if asn["asn_number"] != "ASN-000001" || asn["status"] != "DRAFT" || asn["supplier_id"] != "acme" {
		t.Fatalf("created %v", asn)
	}
	if a := sh.send(http.MethodPost, "/v1/asns/asn1/deliver", ""); a.status != http.StatusConflict || a.errCode() != "INVALID_TRANSITION" {
		t.Fatalf("deliver a draft: %d %s", a.status, a.body)
	}
	for _, step := range [][2]string{{"submit", "SUBMITTED"}, {"ship", "IN_TRANSIT"}, {"deliver", "DELIVERED"}} {
		if a := sh.ok(http.MethodPost, "/v1/asns/asn1/"+step[0], ""); a["status"] != step[1] {
			t.Fatalf("%s: %v", step[0], a["status"])
		}
	}
	if a := sh.send(http.MethodPost, "/v1/asns/asn1/cancel", ""); a.status != http.StatusConflict {
		t.Fatalf("cancel a delivered ASN: %d %s", a.status, a.body)
	}
	got := sh.ok(http.MethodGet, "/v1/asns/asn1", "")
	if got["status"] != "DELIVERED" || got["delivered_at"] == "" || num(got["version"]) != 4 {
		t.Fatalf("read %v", got)
	}
	if l := sh.ok(http.MethodGet, "/v1/asns?purchase_order_id=po1", ""); len(l["data"].([]any)) != 1 {
		t.Fatalf("list %v", l)
	}
	// delivery received nothing: the PO is still SUBMITTED and the item untouched
	if po := sh.ok(http.MethodGet, "/v1/purchase_orders/po1", ""); po["status"] != "SUBMITTED" {
		t.Fatalf("po %v", po["status"])
	}
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+mug, ""); incoming(it) != "on_hand=0 reserved=0 available=0 incoming=0" {
		t.Fatalf("item %s", incoming(it))
	}
}
