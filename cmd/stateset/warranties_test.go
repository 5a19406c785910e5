package main

import (
	"net/http"
	"stateset/domain"
	"strings"
	"testing"
)

func TestWarrantiesAndClaimsFlow(t *testing.T) {
	sh := newShop(t)
	mug := sh.item("MUG", 10)
	sh.shipped("o1", line("MUG", 1))

	reg := `{"id":"w1","customer_id":%s,"order_id":%s,"sku":"MUG","serial_number":"SN-1","type":"MANUFACTURER","duration_months":12}`
	if f := sh.refused(http.MethodPost, "/v1/warranties", strings.NewReplacer("%s", `"nobody"`).Replace(strings.Replace(reg, `"order_id":%s,`, "", 1)),
		400, "VALIDATION_ERROR"); strings.Join(f, ",") != "customer_id" {
		t.Fatalf("unknown customer names %v", f)
	}
	if f := sh.refused(http.MethodPost, "/v1/warranties", strings.NewReplacer(`"customer_id":%s`, `"customer_id":"cus1"`, "%s", `"nope"`).Replace(reg),
		400, "VALIDATION_ERROR"); strings.Join(f, ",") != "order_id" {
		t.Fatalf("unknown order names %v", f)
	}
	w := sh.ok(http.MethodPost, "/v1/warranties", strings.NewReplacer(`"customer_id":%s`, `"customer_id":"cus1"`, "%s", `"o1"`).Replace(reg))
	if w["status"] != "PENDING" || w["warranty_number"] != "WAR-000001" || w["expires_at"] == "" {
		t.Fatalf("warranty %v", w)
	}

	// no claims before approval
	sh.refused(http.MethodPost, "/v1/warranties/w1/claims", `{"issue_description":"cracked"}`, 409, "INVALID_TRANSITION")
	// the SDK's spelling of the action route
	if w := sh.ok(http.MethodPost, "/v1/warranties/approve/w1", ""); w["status"] != "APPROVED" {
		t.Fatalf("approved %v", w)
	}
	sh.refused(http.MethodPost, "/v1/warranties/w1/approve", "", 409, "INVALID_TRANSITION")

	// REPLACEMENT: F9 creates a zero-priced order and confirms it, so F1 reserves it
	sh.ok(http.MethodPost, "/v1/warranties/w1/claims", `{"id":"c1","issue_description":"handle cracked","photos":["https://example.com/1.jpg"]}`)
	sh.ok(http.MethodPost, "/v1/warranties/w1/claims/c1/approve", `{"resolution":"REPLACEMENT"}`)
	sh.refused(http.MethodPost, "/v1/warranties/w1/claims/c1/approve", `{"resolution":"REPLACEMENT"}`, 409, "INVALID_TRANSITION")
	o := sh.eventually("replacement reserved", "/v1/orders/"+domain.ReplacementOrderID("w1", "c1"), func(o map[string]any) bool {
		return o["status"] == "CONFIRMED" && num(lineOf(o, "MUG")["reserved"]) == 1
	})
	if num(o["total_amount"]) != 0 || o["channel"] != "warranty" || o["customer_id"] != "cus1" || o["metadata"].(map[string]any)["claim_id"] != "c1" {
		t.Fatalf("replacement order %v", o)
	}
	sh.eventually("MUG reserved for the replacement", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=9 reserved=1 available=8"
	})
	approved := ""
	for _, e := range history(sh, "/v1/warranties/w1/history") {
		if e["event_type"] == "WarrantyClaimApproved" {
			approved = e["id"].(string)
		}
	}
	created := history(sh, "/v1/orders/"+domain.ReplacementOrderID("w1", "c1")+"/history")
	var first map[string]any
	for _, e := range created {
		if e["event_type"] == "OrderCreated" {
			first = e
		}
	}
	if approved == "" || first == nil || first["causation_id"] != approved || first["actor"] != "flow:warranty-claims" {
		t.Fatalf("OrderCreated %v, claim approved %q", first, approved)
	}

	// REPAIR: F9 opens a return of one unit on the warranty's order
	sh.ok(http.MethodPost, "/v1/warranties/w1/claims", `{"id":"c2","issue_description":"wobbles"}`)
	sh.ok(http.MethodPost, "/v1/warranties/w1/claims/c2/approve", `{"resolution":"REPAIR"}`)
	r := sh.eventually("repair return", "/v1/returns/"+domain.RepairReturnID("w1", "c2"), func(r map[string]any) bool { return r["status"] == "REQUESTED" })
	it := r["items"].([]any)[0].(map[string]any)
	if r["order_id"] != "o1" || it["sku"] != "MUG" || num(it["quantity"]) != 1 || it["reason"] != "DEFECTIVE" {
		t.Fatalf("repair return %v", r)
	}

	// rejection, an unknown claim, the read model
	sh.ok(http.MethodPost, "/v1/warranties/w1/claims", `{"id":"c3","issue_description":"dropped it"}`)
	sh.ok(http.MethodPost, "/v1/warranties/w1/claims/c3/reject", `{"reason":"accidental damage"}`)
	sh.refused(http.MethodPost, "/v1/warranties/w1/claims/c3/approve", `{"resolution":"REFUND"}`, 409, "INVALID_TRANSITION")
	sh.refused(http.MethodPost, "/v1/warranties/w1/claims/c9/approve", `{"resolution":"REFUND"}`, 404, "NOT_FOUND")
	got := sh.eventually("claims in the read model", "/v1/warranties/w1", func(w map[string]any) bool {
		return len(w["claims"].([]any)) == 3
	})
	if c := got["claims"].([]any)[2].(map[string]any); c["status"] != "REJECTED" || c["reason"] != "accidental damage" {
		t.Fatalf("claim c3 %v", c)
	}
	if l := sh.ok(http.MethodGet, "/v1/warranties?customer_id=cus1&status=APPROVED", "")["data"].([]any); len(l) != 1 {
		t.Fatalf("list %v", l)
	}
}
