package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// costItem stocks sku at main with onHand units at unitCost.
func (sh *shop) costItem(sku string, onHand, unitCost int) string {
	sh.t.Helper()
	it := sh.ok(http.MethodPost, "/v1/inventory", fmt.Sprintf(`{"sku":%q,"location_id":"main","on_hand":%d,"unit_cost":%d}`, sku, onHand, unitCost))
	return it["id"].(string)
}

// activeBOM creates and activates a BOM.
func (sh *shop) activeBOM(id, sku, components string) {
	sh.t.Helper()
	sh.ok(http.MethodPost, "/v1/bill_of_materials", fmt.Sprintf(`{"id":%q,"sku":%q,"name":%q,"revision":"A","components":%s}`, id, sku, sku, components))
	if b := sh.ok(http.MethodPost, "/v1/bill_of_materials/"+id+"/activate", ""); b["status"] != "ACTIVE" {
		sh.t.Fatalf("activate %s: %v", id, b)
	}
}

// refusedWith sends a request that must fail with status and code, and returns the error object.
func (sh *shop) refusedWith(method, path, body string, status int, code string) map[string]any {
	sh.t.Helper()
	a := sh.send(method, path, body)
	if a.status != status || a.errCode() != code {
		sh.t.Fatalf("%s %s: %d %s; want %d %s", method, path, a.status, a.body, status, code)
	}
	return a.json(sh.t)["error"].(map[string]any)
}

// ledger lists an item's movements as "reason source_type:source_id", newest first.
func (sh *shop) ledger(itemID string) []string {
	sh.t.Helper()
	var out []string
	for _, m := range sh.ok(http.MethodGet, "/v1/inventory/"+itemID+"/history?limit=100", "")["data"].([]any) {
		m := m.(map[string]any)
		out = append(out, fmt.Sprintf("%v %v:%v", m["reason"], m["source_type"], m["source_id"]))
	}
	return out
}

// TestBOMExplodeThreeLevels: TABLE = 1 TOP + 4 LEG; TOP = 2 BOARD + 8 SCREW; LEG = 1 POST +
// 2 SCREW. Exploding 3 tables multiplies through the levels, sums SCREW over both
// branches and costs the leaves at main's unit costs. Cycles are refused at creation,
// edit and activation; a SKU has one active BOM; an active BOM cannot be edited.
func TestBOMExplodeThreeLevels(t *testing.T) {
	sh := newShop(t)
	sh.costItem("BOARD", 0, 1500)
	sh.costItem("SCREW", 0, 5)
	sh.costItem("POST", 0, 400)
	sh.activeBOM("top", "TOP", `[{"sku":"BOARD","quantity":2},{"sku":"SCREW","quantity":8}]`)
	sh.activeBOM("leg", "LEG", `[{"sku":"POST","quantity":1},{"sku":"SCREW","quantity":2}]`)
	sh.activeBOM("table", "TABLE", `[{"sku":"TOP","quantity":1},{"sku":"LEG","quantity":4}]`)

	for _, path := range []string{"/v1/bill_of_materials/table/explode?quantity=3", "/v1/billofmaterials/table/explode?quantity=3&location_id=main"} {
		x := sh.ok(http.MethodGet, path, "")
		var got []string
		for _, l := range x["materials"].([]any) {
			l := l.(map[string]any)
			got = append(got, fmt.Sprintf("%v %d x %d = %d", l["sku"], num(l["quantity"]), num(l["unit_cost"]), num(l["cost"])))
		}
		want := []string{"BOARD 6 x 1500 = 9000", "POST 12 x 400 = 4800", "SCREW 48 x 5 = 240"}
		if !slices.Equal(got, want) || num(x["total_cost"]) != 14040 || num(x["quantity"]) != 3 || x["location_id"] != "main" {
			t.Fatalf("%s: materials %v total %v, want %v total 14040", path, got, x["total_cost"], want)
		}
		tree := x["tree"].(map[string]any)
		leg := tree["components"].([]any)[1].(map[string]any)
		if tree["sku"] != "TABLE" || leg["sku"] != "LEG" || num(leg["quantity"]) != 12 || leg["bom_id"] != "leg" ||
			num(leg["components"].([]any)[1].(map[string]any)["quantity"]) != 24 {
			t.Fatalf("tree %v", tree)
		}
	}
	// costed at a location where nothing is stocked: quantities stand, costs are 0
	if x := sh.ok(http.MethodGet, "/v1/bill_of_materials/top/explode?location_id=east", ""); num(x["total_cost"]) != 0 || len(x["materials"].([]any)) != 2 {
		t.Fatalf("explode at east: %v", x)
	}
	sh.refusedWith(http.MethodGet, "/v1/bill_of_materials/table/explode?quantity=0", "", 400, "VALIDATION_ERROR")
	sh.refusedWith(http.MethodGet, "/v1/bill_of_materials/nope/explode", "", 404, "NOT_FOUND")

	// a BOM for SCREW made of TABLE closes SCREW -> TABLE -> TOP -> SCREW
	e := sh.refusedWith(http.MethodPost, "/v1/bill_of_materials", `{"id":"screw","sku":"SCREW","components":[{"sku":"TABLE","quantity":1}]}`, 400, "VALIDATION_ERROR")
	if !strings.Contains(fmt.Sprint(e["details"]), "cycle: SCREW -> TABLE -> TOP -> SCREW") {
		t.Fatalf("cycle at create: %v", e)
	}
	sh.ok(http.MethodPost, "/v1/bill_of_materials", `{"id":"screw","sku":"SCREW","components":[{"sku":"STEEL","quantity":1}]}`)
	e = sh.refusedWith(http.MethodPut, "/v1/bill_of_materials/screw", `{"components":[{"sku":"LEG","quantity":1}]}`, 400, "VALIDATION_ERROR")
	if !strings.Contains(fmt.Sprint(e["details"]), "cycle: SCREW -> LEG -> SCREW") {
		t.Fatalf("cycle at edit: %v", e)
	}
	// two drafts that only form a loop once both are active: the second activation is refused
	sh.ok(http.MethodPost, "/v1/bill_of_materials", `{"id":"w","sku":"WIDGET","components":[{"sku":"GADGET","quantity":1}]}`)
	sh.ok(http.MethodPost, "/v1/bill_of_materials", `{"id":"g","sku":"GADGET","components":[{"sku":"WIDGET","quantity":1}]}`)
	sh.ok(http.MethodPost, "/v1/bill_of_materials/w/activate", "")
	e = sh.refusedWith(http.MethodPost, "/v1/bill_of_materials/g/activate", "", 400, "VALIDATION_ERROR")
	if !strings.Contains(fmt.Sprint(e["details"]), "cycle: GADGET -> WIDGET -> GADGET") {
		t.Fatalf("cycle at activation: %v", e)
	}
	if g := sh.ok(http.MethodGet, "/v1/bill_of_materials/g", ""); g["status"] != "DRAFT" || num(g["version"]) != 1 {
		t.Fatalf("refused activation changed the BOM: %v", g)
	}

	// one active BOM per SKU; an active BOM is not edited
	sh.ok(http.MethodPost, "/v1/billofmaterials", `{"id":"table-b","sku":"TABLE","revision":"B","components":[{"sku":"TOP","quantity":1},{"sku":"POST","quantity":4}]}`)
	sh.refusedWith(http.MethodPost, "/v1/billofmaterials/table-b/activate", "", 409, "ALREADY_EXISTS")
	sh.refusedWith(http.MethodPut, "/v1/bill_of_materials/table", `{"name":"Table v2"}`, 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/bill_of_materials/table/obsolete", `{"reason":"revision B"}`)
	sh.ok(http.MethodPost, "/v1/billofmaterials/table-b/activate", "")
	if x := sh.ok(http.MethodGet, "/v1/bill_of_materials/table-b/explode", ""); num(x["total_cost"]) != 2*1500+8*5+4*400 {
		t.Fatalf("revision B explode: %v", x)
	}
	list := sh.ok(http.MethodGet, "/v1/billofmaterials?sku=TABLE&status=ACTIVE", "")["data"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != "table-b" {
		t.Fatalf("active TABLE BOMs: %v", list)
	}
	if h := sh.ok(http.MethodGet, "/v1/bill_of_materials/table/history", "")["data"].([]any); len(h) != 3 ||
		h[2].(map[string]any)["type"] != "bill_of_materials.obsoleted" {
		t.Fatalf("history %v", h)
	}
}

// TestWorkOrderReleaseCompleteCancel drives F7: a release short of stock is 409 listing
// every short component and appends nothing; with stock it reserves the components; a
// partial completion consumes the components of the good units (consumption) and of the
// scrapped ones (scrap) and puts the good units on hand (production); the rest completes
// it; cancelling a released order releases its reservations. The ledger balances.
func TestWorkOrderReleaseCompleteCancel(t *testing.T) {
	sh := newShop(t)
	frame, wheel := sh.costItem("FRAME", 3, 100), sh.costItem("WHEEL", 5, 20)
	sh.activeBOM("bike", "BIKE", `[{"sku":"FRAME","quantity":1},{"sku":"WHEEL","quantity":2}]`)
	sh.ok(http.MethodPost, "/v1/bill_of_materials", `{"id":"draft","sku":"TRIKE","components":[{"sku":"FRAME","quantity":1}]}`)
	if e := sh.refusedWith(http.MethodPost, "/v1/work_orders", `{"bom_id":"draft","quantity":1}`, 400, "VALIDATION_ERROR"); !strings.Contains(fmt.Sprint(e["details"]), "bom_id") {
		t.Fatalf("work order of a draft BOM: %v", e)
	}

	wo := sh.ok(http.MethodPost, "/v1/work_orders", `{"id":"w1","bom_id":"bike","quantity":4,"priority":"HIGH","due_date":"2026-03-01"}`)
	if wo["status"] != "PLANNED" || wo["work_order_number"] != "WO-000001" || wo["sku"] != "BIKE" || wo["location_id"] != "main" || len(wo["components"].([]any)) != 2 {
		t.Fatalf("created %v", wo)
	}
	e := sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/release", "", 409, "INSUFFICIENT_STOCK")
	var short []string
	for _, s := range e["shortages"].([]any) {
		s := s.(map[string]any)
		short = append(short, fmt.Sprintf("%v %d/%d", s["sku"], num(s["available"]), num(s["requested"])))
	}
	if !slices.Equal(short, []string{"FRAME 3/4", "WHEEL 5/8"}) {
		t.Fatalf("shortages %v", short)
	}
	if w := sh.ok(http.MethodGet, "/v1/work_orders/w1", ""); w["status"] != "PLANNED" || num(w["version"]) != 1 {
		t.Fatalf("a refused release changed the work order: %v", w)
	}
	if h := sh.ok(http.MethodGet, "/v1/work_orders/w1/history", "")["data"].([]any); len(h) != 1 {
		t.Fatalf("a refused release appended: %v", h)
	}

	sh.ok(http.MethodPost, "/v1/inventory/"+frame+"/adjust", `{"quantity":7,"reason":"receipt"}`)  // 10
	sh.ok(http.MethodPost, "/v1/inventory/"+wheel+"/adjust", `{"quantity":15,"reason":"receipt"}`) // 20
	if w := sh.ok(http.MethodPost, "/v1/work_orders/w1/release", ""); w["status"] != "RELEASED" || w["stock_held"] != true {
		t.Fatalf("released %v", w)
	}
	sh.eventually("FRAME reserved", "/v1/inventory/"+frame, func(it map[string]any) bool { return balances(it) == "on_hand=10 reserved=4 available=6" })
	sh.eventually("WHEEL reserved", "/v1/inventory/"+wheel, func(it map[string]any) bool { return balances(it) == "on_hand=20 reserved=8 available=12" })
	res := sh.ok(http.MethodGet, "/v1/reservations?reference_type=work_order&reference_id=w1", "")["data"].([]any)
	if len(res) != 2 {
		t.Fatalf("reservations %v", res)
	}

	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/complete", `{"quantity_produced":1}`, 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/work_orders/w1/start", "")
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/complete", `{"quantity_produced":4,"scrap_quantity":1}`, 400, "VALIDATION_ERROR")
	w := sh.ok(http.MethodPost, "/v1/work_orders/w1/complete", `{"quantity_produced":2,"scrap_quantity":1}`)
	if w["status"] != "IN_PROGRESS" || num(w["quantity_produced"]) != 2 || num(w["scrap_quantity"]) != 1 || num(w["quantity_remaining"]) != 1 {
		t.Fatalf("after a partial completion %v", w)
	}
	bike := sh.eventually("BIKE produced", "/v1/inventory?sku=BIKE", func(l map[string]any) bool {
		d := l["data"].([]any)
		return len(d) == 1 && num(d[0].(map[string]any)["on_hand"]) == 2
	})["data"].([]any)[0].(map[string]any)["id"].(string)
	sh.eventually("FRAME consumed", "/v1/inventory/"+frame, func(it map[string]any) bool { return balances(it) == "on_hand=7 reserved=1 available=6" })
	sh.eventually("WHEEL consumed", "/v1/inventory/"+wheel, func(it map[string]any) bool { return balances(it) == "on_hand=14 reserved=2 available=12" })

	// hold and resume keep the reservations; the rest completes the order
	sh.ok(http.MethodPost, "/v1/workorders/w1/hold", `{"reason":"line down"}`)
	if w := sh.ok(http.MethodPost, "/v1/workorders/w1/resume", ""); w["status"] != "IN_PROGRESS" {
		t.Fatalf("resumed %v", w)
	}
	if w := sh.ok(http.MethodPost, "/v1/work_orders/w1/complete", ""); w["status"] != "COMPLETED" || num(w["quantity_produced"]) != 3 || w["stock_held"] != false {
		t.Fatalf("completed %v", w)
	}
	sh.eventually("BIKE done", "/v1/inventory/"+bike, func(it map[string]any) bool { return balances(it) == "on_hand=3 reserved=0 available=3" })
	sh.eventually("FRAME done", "/v1/inventory/"+frame, func(it map[string]any) bool { return balances(it) == "on_hand=6 reserved=0 available=6" })
	sh.eventually("WHEEL done", "/v1/inventory/"+wheel, func(it map[string]any) bool { return balances(it) == "on_hand=12 reserved=0 available=12" })

	if got := sh.ledger(bike); !slices.Equal(got, []string{"production work_order:w1", "production work_order:w1"}) {
		t.Fatalf("BIKE ledger %v", got)
	}
	if got := sh.ledger(frame); !slices.Contains(got, "consumption work_order:w1") || !slices.Contains(got, "scrap work_order:w1") ||
		!slices.Contains(got, "reserve work_order:w1") {
		t.Fatalf("FRAME ledger %v", got)
	}

	// through the SDK spelling: a released order cancelled gives its reservations back
	w2 := sh.ok(http.MethodPost, "/v1/workorders", `{"id":"w2","bom_id":"bike","quantity":5}`)
	if w2["work_order_number"] != "WO-000002" || w2["priority"] != "NORMAL" {
		t.Fatalf("w2 %v", w2)
	}
	sh.ok(http.MethodPost, "/v1/workorders/w2/release", "")
	sh.eventually("w2 reserved", "/v1/inventory/"+wheel, func(it map[string]any) bool { return balances(it) == "on_hand=12 reserved=10 available=2" })
	sh.ok(http.MethodPost, "/v1/workorders/w2/cancel", `{"reason":"order lost"}`)
	sh.eventually("w2 released", "/v1/inventory/"+wheel, func(it map[string]any) bool { return balances(it) == "on_hand=12 reserved=0 available=12" })
	sh.eventually("FRAME released", "/v1/inventory/"+frame, func(it map[string]any) bool { return balances(it) == "on_hand=6 reserved=0 available=6" })
	if w := sh.ok(http.MethodGet, "/v1/workorders/w2", ""); w["status"] != "CANCELLED" {
		t.Fatalf("w2 %v", w)
	}
	if l := sh.ok(http.MethodGet, "/v1/work_orders?status=COMPLETED", "")["data"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != "w1" {
		t.Fatalf("completed list %v", l)
	}
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w2/start", "", 409, "INVALID_TRANSITION")
	sh.verify()
}

// TestWorkOrderShopFloor: a work order's routing is given at creation and added to; its
// operations are started, failed, reworked and completed only while it is produced; its
// resources are assigned and released; inspections are recorded from its release on.
// Each refusal appends nothing, and replay rebuilds the same document.
func TestWorkOrderShopFloor(t *testing.T) {
	sh := newShop(t)
	sh.costItem("FRAME", 10, 100)
	sh.activeBOM("bike", "BIKE", `[{"sku":"FRAME","quantity":1}]`)
	wo := sh.ok(http.MethodPost, "/v1/work_orders", `{"id":"w1","bom_id":"bike","quantity":2,
		"operations":[{"id":"weld","sequence":20,"description":"weld the frame","estimated_minutes":45},{"description":"cut tubes","sequence":10}]}`)
	if ops := wo["operations"].([]any); len(ops) != 2 || ops[0].(map[string]any)["id"] != "2" || ops[1].(map[string]any)["status"] != "PENDING" {
		t.Fatalf("routing %v", ops)
	}
	sh.refusedWith(http.MethodPost, "/v1/work_orders", `{"bom_id":"bike","quantity":1,"operations":[{"id":"a"}]}`, 400, "VALIDATION_ERROR")
	sh.refusedWith(http.MethodPut, "/v1/work_orders/w1/operations/weld", `{"status":"IN_PROGRESS"}`, 409, "INVALID_TRANSITION")
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/inspections", `{"checks":[{"parameter":"seam","measurement":"ok","result":"PASS"}]}`, 409, "INVALID_TRANSITION")
	if w := sh.ok(http.MethodPost, "/v1/work_orders/w1/operations", `{"operations":[{"id":"paint","sequence":30,"description":"paint"}]}`); len(w["operations"].([]any)) != 3 {
		t.Fatalf("added %v", w["operations"])
	}
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/operations", `{"operations":[{"id":"paint","description":"again"}]}`, 400, "VALIDATION_ERROR")

	sh.ok(http.MethodPost, "/v1/work_orders/w1/release", "")
	sh.ok(http.MethodPost, "/v1/work_orders/w1/start", "")
	sh.ok(http.MethodPut, "/v1/work_orders/w1/operations/weld", `{"status":"IN_PROGRESS"}`)
	sh.ok(http.MethodPut, "/v1/work_orders/w1/operations/weld", `{"status":"FAILED","notes":"porosity"}`)
	sh.ok(http.MethodPut, "/v1/work_orders/w1/operations/weld", `{"status":"IN_PROGRESS"}`)
	sh.refusedWith(http.MethodPut, "/v1/work_orders/w1/operations/weld", `{"status":"COMPLETED"}`, 400, "VALIDATION_ERROR")
	sh.refusedWith(http.MethodPut, "/v1/work_orders/w1/operations/nope", `{"notes":"x"}`, 404, "NOT_FOUND")
	w := sh.ok(http.MethodPost, "/v1/work_orders/w1/operations/weld/complete", `{"actual_minutes":50,"completed_by":"tina","notes":"rewelded"}`)
	weld := w["operations"].([]any)[1].(map[string]any)
	if weld["id"] != "weld" || weld["status"] != "COMPLETED" || num(weld["actual_minutes"]) != 50 || weld["completed_by"] != "tina" ||
		weld["notes"] != "rewelded" || weld["completed_at"] == nil {
		t.Fatalf("completed %v", weld)
	}
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/operations/weld/complete", `{}`, 409, "INVALID_TRANSITION")

	sh.ok(http.MethodPost, "/v1/work_orders/w1/resources", `{"id":"tina","type":"WORKER","name":"Tina"}`)
	w = sh.ok(http.MethodPost, "/v1/work_orders/w1/resources", `{"id":"welder-2","type":"EQUIPMENT","name":"MIG welder 2"}`)
	if r := w["resources"].([]any); len(r) != 2 || num(r[1].(map[string]any)["quantity"]) != 1 {
		t.Fatalf("resources %v", r)
	}
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/resources", `{"id":"steel","type":"MATERIAL","name":"steel"}`, 400, "VALIDATION_ERROR")
	if r := sh.ok(http.MethodDelete, "/v1/work_orders/w1/resources/tina", "")["resources"].([]any); len(r) != 1 {
		t.Fatalf("after release %v", r)
	}
	sh.refusedWith(http.MethodDelete, "/v1/work_orders/w1/resources/tina", "", 404, "NOT_FOUND")
	sh.refusedWith(http.MethodPost, "/v1/work_orders/w1/inspections", `{"checks":[{"parameter":"seam","result":"OK"}]}`, 400, "VALIDATION_ERROR")
	sh.ok(http.MethodPost, "/v1/work_orders/w1/complete", "")
	w = sh.ok(http.MethodPost, "/v1/work_orders/w1/inspections", `{"checks":[{"parameter":"seam","specification":"no porosity","measurement":"clean","result":"PASS","inspector":"ann"}]}`)
	if c := w["inspections"].([]any); len(c) != 1 || c[0].(map[string]any)["result"] != "PASS" || c[0].(map[string]any)["inspected_at"] == nil {
		t.Fatalf("inspections %v", c)
	}
	sh.refusedWith(http.MethodPut, "/v1/work_orders/w1/operations/paint", `{"notes":"late"}`, 409, "INVALID_TRANSITION")
	if h := sh.ok(http.MethodGet, "/v1/work_orders/w1/history", "")["data"].([]any); len(h) != 14 {
		t.Fatalf("history has %d events, want 14: %v", len(h), h)
	}
	sh.verify()
}
