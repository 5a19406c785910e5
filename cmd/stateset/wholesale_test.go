package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// wholesaleShop is a shop with a BUSINESS customer "biz" on price list "pl1" (MUG 1000,
// 800 from 10 units; TEE 500), a wholesale account with the given credit limit, and
// MUG and TEE stocked at main.
func wholesaleShop(t *testing.T, creditLimit string) (*shop, string, string) {
	sh := newShop(t)
	sh.ok(http.MethodPut, "/v1/customers/biz", `{"email":"buyer@biz.example","firstName":"Bea","type":"BUSINESS"}`)
	mug, tee := sh.item("MUG", 20), sh.item("TEE", 50)
	sh.ok(http.MethodPost, "/v1/price_lists", `{"id":"pl1","name":"Trade","currency":"USD","customer_ids":["biz"],
		"prices":{"MUG":{"unit_price":1000,"tiers":[{"min_quantity":10,"unit_price":800}]},"TEE":{"unit_price":500}}}`)
	sh.ok(http.MethodPut, "/v1/wholesale_accounts/biz", `{"currency":"USD","credit_limit":`+creditLimit+`,"net_terms":"NET30","price_list_id":"pl1"}`)
	return sh, mug, tee
}

// TestWholesalePriceListTiers: a line at or above a tier's min quantity gets the tier price,
// and the total is the sum of the lines.
func TestWholesalePriceListTiers(t *testing.T) {
	sh, _, _ := wholesaleShop(t, "100000")
	o := sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w1","customer_id":"biz","po_number":"PO-7",
		"lines":[{"sku":"MUG","quantity":12},{"sku":"TEE","quantity":3}]}`)
	lines := o["lines"].([]any)
	mug, tee := lines[0].(map[string]any), lines[1].(map[string]any)
	if num(mug["unit_price"]) != 800 || num(mug["total"]) != 9600 || num(tee["unit_price"]) != 500 {
		t.Fatalf("lines %v", lines)
	}
	if num(o["total"]) != 9600+1500 || o["status"] != "DRAFT" || o["net_terms"] != "NET30" || o["order_number"] != "WSO-000001" {
		t.Fatalf("order %v", o)
	}
	// below the tier, the base price
	o = sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w2","customer_id":"biz","lines":[{"sku":"MUG","quantity":9}]}`)
	if num(o["total"]) != 9000 {
		t.Fatalf("w2 total %v", o["total"])
	}
	sh.eventually("price list readable", "/v1/price_lists/pl1", func(p map[string]any) bool { return p["status"] == "ACTIVE" })
	sh.eventually("order readable", "/v1/wholesale_orders/w1", func(o map[string]any) bool { return num(o["total"]) == 11100 })
}

// TestWholesaleCreditLimit: a submit over the limit is refused with 409
// CREDIT_LIMIT_EXCEEDED and the order stays DRAFT; paying an earlier order frees its
// credit and the submit succeeds.
func TestWholesaleCreditLimit(t *testing.T) {
	sh, _, _ := wholesaleShop(t, "10000")
	sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w1","customer_id":"biz","lines":[{"sku":"MUG","quantity":8}]}`) // 8000
	sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w2","customer_id":"biz","lines":[{"sku":"TEE","quantity":6}]}`) // 3000
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/submit", "")

	a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/wholesale_orders/w2/submit", "")
	if a.status != http.StatusConflict || a.errCode() != "CREDIT_LIMIT_EXCEEDED" {
		t.Fatalf("submit over the limit: %d %s", a.status, a.body)
	}
	sh.eventually("w2 still draft", "/v1/wholesale_orders/w2", func(o map[string]any) bool {
		return o["status"] == "DRAFT" && num(o["version"]) == 1
	})
	sh.eventually("exposure", "/v1/wholesale_accounts/biz", func(a map[string]any) bool {
		return num(a["exposure"]) == 8000 && num(a["available_credit"]) == 2000 && num(a["credit_limit"]) == 10000
	})

	// w1 through to paid frees its credit
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/approve", "")
	sh.fulfillWhenReserved("w1")
	o := sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/invoice", "")
	if o["status"] != "INVOICED" || o["invoice_number"] != "INV-000001" || o["due_at"] == "" {
		t.Fatalf("invoiced %v", o)
	}
	if a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/wholesale_orders/w2/submit", ""); a.status != http.StatusConflict {
		t.Fatalf("submit while w1 is invoiced: %d %s", a.status, a.body)
	}
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/pay", "")
	o = sh.ok(http.MethodPost, "/v1/wholesale_orders/w2/submit", "")
	if o["status"] != "SUBMITTED" {
		t.Fatalf("w2 %v", o["status"])
	}
	sh.eventually("exposure is w2's", "/v1/wholesale_accounts/biz", func(a map[string]any) bool { return num(a["exposure"]) == 3000 })
}

// fulfillWhenReserved fulfils an approved order once the stock flow has reserved it.
func (sh *shop) fulfillWhenReserved(id string) {
	sh.t.Helper()
	for range 500 {
		a := sh.cl.must(sh.t, http.MethodPost, sh.base+"/v1/wholesale_orders/"+id+"/fulfill", "")
		if a.status == http.StatusOK {
			return
		}
		if a.errCode() != "INSUFFICIENT_STOCK" {
			sh.t.Fatalf("fulfill %s: %d %s", id, a.status, a.body)
		}
		sleepBrief()
	}
	sh.t.Fatalf("fulfill %s: never reserved", id)
}

// TestWholesaleApprovalReservesStock: approving reserves every line, fulfilment is
// refused while a line is backordered, cancelling releases the reservations and the credit.
func TestWholesaleApprovalReservesStock(t *testing.T) {
	sh, mug, tee := wholesaleShop(t, "1000000")
	sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w1","customer_id":"biz","lines":[{"sku":"MUG","quantity":5},{"sku":"TEE","quantity":60}]}`)
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/submit", "")
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/approve", "")
	sh.eventually("MUG reserved", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=20 reserved=5 available=15"
	})
	sh.eventually("TEE reserved, 10 backordered", "/v1/inventory/"+tee, func(it map[string]any) bool {
		return balances(it) == "on_hand=50 reserved=50 available=0"
	})
	a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/wholesale_orders/w1/fulfill", "")
	if a.status != http.StatusConflict || a.errCode() != "INSUFFICIENT_STOCK" {
		t.Fatalf("fulfill with a backorder: %d %s", a.status, a.body)
	}
	o := sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/cancel", `{"reason":"customer changed mind"}`)
	if o["status"] != "CANCELLED" {
		t.Fatalf("status %v", o["status"])
	}
	sh.eventually("MUG released", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=20 reserved=0 available=20"
	})
	sh.eventually("TEE released", "/v1/inventory/"+tee, func(it map[string]any) bool {
		return balances(it) == "on_hand=50 reserved=0 available=50"
	})
	sh.eventually("credit released", "/v1/wholesale_accounts/biz", func(a map[string]any) bool { return num(a["exposure"]) == 0 })
}

// TestWholesaleFulfillConsumesStock: a fully reserved order fulfils and its stock goes out.
func TestWholesaleFulfillConsumesStock(t *testing.T) {
	sh, mug, _ := wholesaleShop(t, "1000000")
	sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"w1","customer_id":"biz","lines":[{"sku":"MUG","quantity":4}]}`)
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/submit", "")
	sh.ok(http.MethodPost, "/v1/wholesale_orders/w1/approve", "")
	sh.fulfillWhenReserved("w1")
	sh.eventually("MUG consumed", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=16 reserved=0 available=16"
	})
}

// TestWholesaleAccountNeedsBusinessCustomer: an INDIVIDUAL customer, or none, gets 400 on
// customer_id; an order for a customer without an account too.
func TestWholesaleAccountNeedsBusinessCustomer(t *testing.T) {
	sh := newShop(t) // cus1 is INDIVIDUAL
	for _, id := range []string{"cus1", "nobody"} {
		a := sh.cl.must(t, http.MethodPut, sh.base+"/v1/wholesale_accounts/"+id, `{"currency":"USD","credit_limit":100,"net_terms":"NET30"}`)
		if a.status != http.StatusBadRequest || a.errCode() != "VALIDATION_ERROR" || !a.hasField("customer_id") {
			t.Fatalf("%s: %d %s", id, a.status, a.body)
		}
	}
	sh.item("MUG", 1)
	a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/wholesale_orders", `{"customer_id":"cus1","price_list_id":"x","lines":[{"sku":"MUG","quantity":1}]}`)
	if a.status != http.StatusBadRequest || !a.hasField("customer_id") {
		t.Fatalf("order without an account: %d %s", a.status, a.body)
	}
}

// hasField reports whether an error answer names field in its details.
func (a answer) hasField(field string) bool {
	var e struct {
		Error struct {
			Details []struct {
				Field string `json:"field"`
			} `json:"details"`
		} `json:"error"`
	}
	json.Unmarshal(a.body, &e)
	for _, d := range e.Error.Details {
		if d.Field == field {
			return true
		}
	}
	return false
}

func sleepBrief() { time.Sleep(20 * time.Millisecond) }
