package main

import (
	"fmt"
	"net/http"
	"testing"

	"stateset/domain"
)

// confirmed places, submits and confirms an order and waits until its stock is allocated
// (or backordered, when want says so).
func (sh *shop) confirmed(id, fulfillment string, lines ...string) map[string]any {
	sh.t.Helper()
	sh.order(id, lines...)
	sh.ok(http.MethodPost, "/v1/orders/"+id+"/submit", "")
	sh.ok(http.MethodPost, "/v1/orders/"+id+"/confirm", "")
	return sh.eventually(id+" "+fulfillment, "/v1/orders/"+id, func(o map[string]any) bool { return o["fulfillment_status"] == fulfillment })
}

func (sh *shop) warehouse(id string) {
	sh.t.Helper()
	sh.ok(http.MethodPost, "/v1/warehouses", fmt.Sprintf(`{"id":%q,"code":%q,"name":"Warehouse %s",
		"address":{"street1":"1 Dock Rd","city":"Reno","postal_code":"89502","country":"US"},"bins":["A-1","A-2"]}`, id, id, id))
}

// TestWarehousesAreTheInventoryLocations: serve bootstraps "main"; an item at a location
// that is no warehouse is refused on location_id; a new warehouse takes stock.
func TestWarehousesAreTheInventoryLocations(t *testing.T) {
	sh := newShop(t)
	if w := sh.ok(http.MethodGet, "/v1/warehouses/main", ""); w["status"] != "ACTIVE" {
		t.Fatalf("bootstrap warehouse %v", w)
	}
	if f := sh.refused(http.MethodPost, "/v1/inventory", `{"sku":"MUG","location_id":"nowhere","on_hand":1}`, 400, "VALIDATION_ERROR"); len(f) != 1 || f[0] != "location_id" {
		t.Fatalf("unknown location: %v", f)
	}
	sh.warehouse("reno")
	sh.ok(http.MethodPost, "/v1/inventory", `{"sku":"MUG","location_id":"reno","on_hand":3}`)
	sh.refused(http.MethodPost, "/v1/warehouses", `{"id":"reno","name":"again"}`, 409, "ALREADY_EXISTS")
	if w := sh.ok(http.MethodPut, "/v1/warehouses/reno", `{"name":"Reno West","bins":["A-1"]}`); w["name"] != "Reno West" || len(w["bins"].([]any)) != 1 {
		t.Fatalf("update %v", w)
	}
	sh.ok(http.MethodPost, "/v1/warehouses/reno/deactivate", `{"reason":"lease ended"}`)
	sh.refused(http.MethodPost, "/v1/warehouses/reno/deactivate", "", 409, "INVALID_TRANSITION")
	if l := sh.ok(http.MethodGet, "/v1/warehouses?status=INACTIVE", "")["data"].([]any); len(l) != 1 {
		t.Fatalf("inactive warehouses %v", l)
	}
	if h := history(sh, "/v1/warehouses/reno/history"); len(h) != 3 {
		t.Fatalf("history has %d events", len(h))
	}
	sh.verify()
}

// TestWarehouseFloor: the equipment register takes status reports (registering what is
// new), the roster puts people in zones (bins), a staffed zone cannot leave the bins, and a
// closed warehouse takes no staff but still services its machines.
func TestWarehouseFloor(t *testing.T) {
	sh := newShop(t)
	sh.warehouse("reno")
	w := sh.ok(http.MethodPut, "/v1/warehouses/reno/equipment/fl-1", `{"status":"AVAILABLE","type":"forklift"}`)
	if eq := w["equipment"].([]any); len(eq) != 1 || eq[0].(map[string]any)["type"] != "forklift" {
		t.Fatalf("registered %v", w["equipment"])
	}
	w = sh.ok(http.MethodPut, "/v1/warehouses/reno/equipment/fl-1", `{"status":"MAINTENANCE","notes":"hydraulics"}`)
	if e := w["equipment"].([]any)[0].(map[string]any); e["status"] != "MAINTENANCE" || e["type"] != "forklift" || e["notes"] != "hydraulics" {
		t.Fatalf("status report %v", e)
	}
	sh.refused(http.MethodPut, "/v1/warehouses/reno/equipment/fl-1", `{"status":"maintenance"}`, 400, "VALIDATION_ERROR")
	sh.refused(http.MethodPut, "/v1/warehouses/reno/equipment/fl-1", `{"status":"IN_USE","colour":"red"}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPut, "/v1/warehouses/reno/staff/emp-1", `{"zone":"A-1","role":"picker"}`)
	w = sh.ok(http.MethodPut, "/v1/warehouses/reno/staff/emp-1", `{"zone":"A-2"}`)
	if st := w["staff"].([]any)[0].(map[string]any); st["zone"] != "A-2" || st["role"] != "picker" {
		t.Fatalf("moved %v", st)
	}
	if f := sh.refused(http.MethodPut, "/v1/warehouses/reno/staff/emp-2", `{"zone":"Z-9"}`, 400, "VALIDATION_ERROR"); len(f) != 1 || f[0] != "zone" {
		t.Fatalf("a zone the warehouse lacks: %v", f)
	}
	if f := sh.refused(http.MethodPut, "/v1/warehouses/reno", `{"bins":["A-1"]}`, 400, "VALIDATION_ERROR"); len(f) != 1 || f[0] != "bins" {
		t.Fatalf("removing a staffed zone: %v", f)
	}
	if got := sh.ok(http.MethodGet, "/v1/warehouses/reno", ""); len(got["staff"].([]any)) != 1 || len(got["equipment"].([]any)) != 1 {
		t.Fatalf("read model %v", got)
	}
	sh.ok(http.MethodDelete, "/v1/warehouses/reno/staff/emp-1", "")
	sh.refused(http.MethodDelete, "/v1/warehouses/reno/staff/emp-1", "", 404, "NOT_FOUND")
	sh.ok(http.MethodPost, "/v1/warehouses/reno/deactivate", "")
	sh.refused(http.MethodPut, "/v1/warehouses/reno/staff/emp-1", `{"zone":"A-1"}`, 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPut, "/v1/warehouses/reno/equipment/fl-1", `{"status":"OUT_OF_SERVICE"}`)
	if h := history(sh, "/v1/warehouses/reno/history"); h[len(h)-1]["type"] != "warehouse.equipment_set" {
		t.Fatalf("history ends %v", h[len(h)-1])
	}
	sh.srv.stop()
	checkRebuildEquals(t, sh.dir)
}

// TestPickListGathersConfirmedOrders: a pick list of two confirmed orders holds their
// lines; starting it moves the orders to PROCESSING (flow pick-list-orders); completing
// records what was picked.
func TestPickListGathersConfirmedOrders(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 10)
	sh.item("TEE", 10)
	sh.confirmed("o1", "ALLOCATED", line("MUG", 2), line("TEE", 1))
	sh.confirmed("o2", "ALLOCATED", line("MUG", 3))
	sh.order("o3", line("MUG", 1)) // a draft is not picked
	if f := sh.refused(http.MethodPost, "/v1/pick_lists", `{"warehouse_id":"main","order_ids":["o1","o3","nope"]}`, 400, "VALIDATION_ERROR"); len(f) != 2 {
		t.Fatalf("draft and unknown orders: %v", f)
	}
	p := sh.ok(http.MethodPost, "/v1/pick_lists", `{"id":"pk1","warehouse_id":"main","order_ids":["o1","o2"]}`)
	if lines := p["lines"].([]any); len(lines) != 3 || p["status"] != "CREATED" {
		t.Fatalf("pick list %v", p)
	}
	sh.ok(http.MethodPost, "/v1/pick_lists/pk1/start", "")
	for _, id := range []string{"o1", "o2"} {
		sh.eventually(id+" processing", "/v1/orders/"+id, func(o map[string]any) bool { return o["status"] == "PROCESSING" })
	}
	sh.refused(http.MethodPost, "/v1/pick_lists/pk1/complete", `{"lines":[{"order_id":"o2","line_id":"1","picked":4}]}`, 400, "VALIDATION_ERROR")
	done := sh.ok(http.MethodPost, "/v1/pick_lists/pk1/complete", `{"lines":[{"order_id":"o2","line_id":"1","picked":2}]}`)
	if done["status"] != "COMPLETED" {
		t.Fatalf("completed %v", done)
	}
	sh.refused(http.MethodPost, "/v1/pick_lists/pk1/cancel", "", 409, "INVALID_TRANSITION")
	got := sh.ok(http.MethodGet, "/v1/pick_lists?warehouse_id=main&status=COMPLETED", "")["data"].([]any)
	if len(got) != 1 {
		t.Fatalf("list %v", got)
	}
	sh.verify()
}

// TestPickListChecks: a second person's verification of what was picked is kept on the
// pick list, while picking and after; its status follows from the lines; it survives a
// rebuild of the views.
func TestPickListChecks(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 10)
	sh.item("TEE", 10)
	sh.confirmed("o1", "ALLOCATED", line("MUG", 2), line("TEE", 1))
	sh.ok(http.MethodPost, "/v1/pick_lists", `{"id":"pk1","warehouse_id":"main","order_ids":["o1"]}`)
	both := `{"checker":"pack-3","lines":[{"order_id":"o1","line_id":"1","passed":true},{"order_id":"o1","line_id":"2","passed":false,"issues":["wrong colour"]}],"resolution":"REPROCESS"}`
	sh.refused(http.MethodPost, "/v1/pick_lists/pk1/checks", both, 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/pick_lists/pk1/start", "")
	if f := sh.refused(http.MethodPost, "/v1/pick_lists/pk1/checks", `{"checker":"pack-3","lines":[{"order_id":"o9","line_id":"1"}],"resolution":"SCRAP"}`, 400, "VALIDATION_ERROR"); len(f) != 2 {
		t.Fatalf("unknown line and resolution: %v", f)
	}
	p := sh.ok(http.MethodPost, "/v1/pick_lists/pk1/checks", both)
	if c := p["checks"].([]any); len(c) != 1 || c[0].(map[string]any)["status"] != "PARTIAL" || c[0].(map[string]any)["checked_at"] == nil || p["status"] != "IN_PROGRESS" {
		t.Fatalf("checked %v", p)
	}
	sh.ok(http.MethodPost, "/v1/pick_lists/pk1/complete", "")
	sh.ok(http.MethodPost, "/v1/pick_lists/pk1/checks", `{"checker":"pack-3","lines":[{"order_id":"o1","line_id":"2","passed":true}]}`)
	got := sh.ok(http.MethodGet, "/v1/pick_lists/pk1", "")
	if c := got["checks"].([]any); len(c) != 2 || c[1].(map[string]any)["status"] != "PASSED" {
		t.Fatalf("read model %v", got["checks"])
	}
	if h := history(sh, "/v1/pick_lists/pk1/history"); h[len(h)-1]["type"] != "pick_list.checked" {
		t.Fatalf("history ends %v", h[len(h)-1])
	}
	sh.verify()
	sh.srv.stop()
	checkRebuildEquals(t, sh.dir)
}

// TestShipmentShipsTheOrder: shipping a shipment ships its order's lines (order SHIPPED,
// reservations consumed); delivering it delivers the order. A shipment of a line with no
// stock reserved is refused with 409 INSUFFICIENT_STOCK and stays CREATED.
func TestShipmentShipsTheOrder(t *testing.T) {
	sh := newShop(t)
	mug := sh.item("MUG", 5)
	sh.item("TEE", 0)
	sh.confirmed("o1", "ALLOCATED", line("MUG", 2))
	s := sh.ok(http.MethodPost, "/v1/shipments", `{"id":"s1","order_id":"o1","carrier":"UPS","tracking_number":"1Z1",
		"packages":[{"reference":"BOX-1","weight_grams":900}]}`)
	if s["status"] != "CREATED" || len(s["lines"].([]any)) != 1 {
		t.Fatalf("shipment %v", s)
	}
	if s := sh.ok(http.MethodPost, "/v1/shipments/s1/ship", ""); s["status"] != "SHIPPED" {
		t.Fatalf("shipped %v", s)
	}
	o := sh.ok(http.MethodGet, "/v1/orders/o1", "")
	if o["status"] != "SHIPPED" {
		t.Fatalf("order after the shipment shipped: %v", o["status"])
	}
	sh.eventually("MUG consumed", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return num(it["on_hand"]) == 3 && num(it["reserved"]) == 0
	})
	sh.refused(http.MethodPost, "/v1/shipments/s1/ship", "", 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/shipments/s1/deliver", "")
	if o := sh.ok(http.MethodGet, "/v1/orders/o1", ""); o["status"] != "DELIVERED" {
		t.Fatalf("order after delivery: %v", o["status"])
	}

	// nothing reserved for TEE: the order refuses, the shipment stays CREATED
	sh.confirmed("o2", "BACKORDERED", line("TEE", 1))
	sh.ok(http.MethodPost, "/v1/shipments", `{"id":"s2","order_id":"o2"}`)
	sh.refused(http.MethodPost, "/v1/shipments/s2/ship", "", 409, "INSUFFICIENT_STOCK")
	if s := sh.ok(http.MethodGet, "/v1/shipments/s2", ""); s["status"] != "CREATED" || num(s["version"]) != 1 {
		t.Fatalf("refused shipment %v", s)
	}
	if o := sh.ok(http.MethodGet, "/v1/orders/o2", ""); o["status"] != "CONFIRMED" {
		t.Fatalf("order of a refused shipment: %v", o["status"])
	}
	sh.refused(http.MethodPost, "/v1/shipments", `{"order_id":"nope"}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/shipments/s2/cancel", `{"reason":"backordered"}`)
	sh.verify()
}

// TestTransferMovesStockThroughTransit is F6: shipping takes on hand out of the source and
// puts it in transit at the destination; receiving puts it on hand there. A source short
// of stock is refused with 409 and nothing moves.
func TestTransferMovesStockThroughTransit(t *testing.T) {
	sh := newShop(t)
	src := sh.item("MUG", 10)
	sh.warehouse("reno")
	dst := domain.InventoryItemID("MUG", "reno")
	sh.refused(http.MethodPost, "/v1/transfers", `{"from_location_id":"main","to_location_id":"nowhere","items":[{"sku":"MUG","quantity":1}]}`,
		400, "VALIDATION_ERROR")
	sh.refused(http.MethodPost, "/v1/transfers", `{"from_location_id":"main","to_location_id":"reno","items":[{"sku":"TEE","quantity":1}]}`,
		400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/transfers", `{"id":"t1","from_location_id":"main","to_location_id":"reno","items":[{"sku":"MUG","quantity":4}]}`)
	sh.ok(http.MethodPost, "/v1/transfers", `{"id":"t2","from_location_id":"main","to_location_id":"reno","items":[{"sku":"MUG","quantity":11}]}`)
	sh.refused(http.MethodPost, "/v1/transfers/t2/ship", "", 409, "INSUFFICIENT_STOCK")
	if tr := sh.ok(http.MethodGet, "/v1/transfers/t2", ""); tr["status"] != "CREATED" {
		t.Fatalf("refused transfer %v", tr)
	}
	sh.ok(http.MethodPost, "/v1/transfers/t2/cancel", "")

	if tr := sh.ok(http.MethodPost, "/v1/transfers/t1/ship", ""); tr["status"] != "IN_TRANSIT" {
		t.Fatalf("shipped %v", tr)
	}
	sh.eventually("source down", "/v1/inventory/"+src, func(it map[string]any) bool { return num(it["on_hand"]) == 6 })
	sh.eventually("destination in transit", "/v1/inventory/"+dst, func(it map[string]any) bool {
		return num(it["in_transit"]) == 4 && num(it["on_hand"]) == 0
	})
	sh.ok(http.MethodPost, "/v1/transfers/t1/receive", "")
	sh.eventually("destination on hand", "/v1/inventory/"+dst, func(it map[string]any) bool {
		return num(it["in_transit"]) == 0 && num(it["on_hand"]) == 4
	})
	for _, e := range history(sh, "/v1/inventory/"+src+"/history") {
		if e["reason"] == "transfer" && (e["source_type"] != "transfer" || e["source_id"] != "t1") {
			t.Fatalf("ledger entry %v", e)
		}
	}
	sh.verify()
}

// TestInventoryTransferEndpoint: POST /v1/inventory/transfer creates and ships a one-line
// transfer; a short source is refused and appends nothing.
func TestInventoryTransferEndpoint(t *testing.T) {
	sh := newShop(t)
	src := sh.item("MUG", 5)
	sh.warehouse("reno")
	if f := sh.refused(http.MethodPost, "/v1/inventory/transfer", `{"sku":"MUG","from_location_id":"main","to_location_id":"reno","quantity":6}`,
		409, "INSUFFICIENT_STOCK"); len(f) == 0 {
		t.Fatal("no details")
	}
	if l := sh.ok(http.MethodGet, "/v1/transfers", "")["data"].([]any); len(l) != 0 {
		t.Fatalf("a refused transfer left %v", l)
	}
	sh.refused(http.MethodPost, "/v1/inventory/transfer", `{"sku":"MUG","from_location_id":"main","to_location_id":"main","quantity":1}`,
		400, "VALIDATION_ERROR")
	tr := sh.ok(http.MethodPost, "/v1/inventory/transfer", `{"sku":"MUG","from_location_id":"main","to_location_id":"reno","quantity":2}`)
	if tr["status"] != "IN_TRANSIT" {
		t.Fatalf("transfer %v", tr)
	}
	sh.eventually("source down", "/v1/inventory/"+src, func(it map[string]any) bool { return num(it["on_hand"]) == 3 })
	sh.ok(http.MethodPost, "/v1/transfers/"+tr["id"].(string)+"/receive", "")
	sh.eventually("received", "/v1/inventory/"+domain.InventoryItemID("MUG", "reno"), func(it map[string]any) bool { return num(it["on_hand"]) == 2 })
	sh.verify()
}

// TestCycleCountPostsVariances: reconcile posts counted − on hand as a cycle_count
// movement before it answers (F8 is the backstop); a count below reserved stock is
// refused with 409 and posts nothing.
func TestCycleCountPostsVariances(t *testing.T) {
	sh := newShop(t)
	mug, tee := sh.item("MUG", 10), sh.item("TEE", 4)
	sh.confirmed("o1", "ALLOCATED", line("TEE", 3))
	sh.refused(http.MethodPost, "/v1/cycle_counts", `{"warehouse_id":"main","skus":["NOPE"]}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/cycle_counts", `{"id":"cc1","warehouse_id":"main","skus":["MUG","TEE"]}`)
	sh.refused(http.MethodPost, "/v1/cycle_counts/cc1/submit", `{"counts":[{"sku":"MUG","counted":7}]}`, 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc1/start", "")
	sh.refused(http.MethodPost, "/v1/cycle_counts/cc1/submit", `{"counts":[{"sku":"MUG","counted":7}]}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc1/submit", `{"counts":[{"sku":"MUG","counted":7},{"sku":"TEE","counted":2}]}`)
	// TEE: 3 reserved, 2 counted
	sh.refused(http.MethodPost, "/v1/cycle_counts/cc1/reconcile", "", 409, "INSUFFICIENT_STOCK")
	if c := sh.ok(http.MethodGet, "/v1/cycle_counts/cc1", ""); c["status"] != "COUNTED" {
		t.Fatalf("refused count %v", c)
	}
	for _, id := range []string{mug, tee} {
		for _, e := range history(sh, "/v1/inventory/"+id+"/history") {
			if e["reason"] == "cycle_count" {
				t.Fatalf("the refused count posted %v", e)
			}
		}
	}
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc1/cancel", `{"reason":"recount"}`)

	sh.ok(http.MethodPost, "/v1/cycle_counts", `{"id":"cc2","warehouse_id":"main","skus":["MUG","TEE"]}`)
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc2/start", "")
	sh.ok(http.MethodPost, "/v1/cycle_counts/cc2/submit", `{"counts":[{"sku":"MUG","counted":7},{"sku":"TEE","counted":4}]}`)
	c := sh.ok(http.MethodPost, "/v1/cycle_counts/cc2/reconcile", "")
	if c["status"] != "RECONCILED" || len(c["variances"].([]any)) != 2 {
		t.Fatalf("reconciled %v", c)
	}
	// posted before the answer: a read after it sees the count
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+mug, ""); num(it["on_hand"]) != 7 {
		t.Fatalf("MUG after its count of 7: %v", balances(it))
	}
	var found bool
	for _, e := range history(sh, "/v1/inventory/"+mug+"/history") {
		if e["reason"] == "cycle_count" && e["source_type"] == "cycle_count" && e["source_id"] == "cc2" && num(e["on_hand_delta"]) == -3 {
			found = true
		}
	}
	if !found {
		t.Fatalf("no cycle_count movement in %v", history(sh, "/v1/inventory/"+mug+"/history"))
	}
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+tee, ""); num(it["on_hand"]) != 4 {
		t.Fatalf("TEE without variance moved: %v", balances(it))
	}
	sh.verify()
}
