package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stateset/domain"
)

// shop is a running server with a client, for the order-to-cash flow tests.
type shop struct {
	t    *testing.T
	base string
	cl   *client
	dir  string
	srv  *server
	pos  atomic.Uint64 // the last write's position: reads send it, to read their writes
}

func newShop(t *testing.T, args ...string) *shop {
	t.Helper()
	dir := t.TempDir()
	s := startServe(t, append([]string{"--data-dir", dir, "--bootstrap-key", testKey}, args...)...)
	sh := &shop{t: t, base: "http://" + s.addr, cl: newClient(), dir: dir, srv: s}
	sh.ok(http.MethodPut, "/v1/customers/cus1", `{"email":"buyer@example.com","firstName":"Bo"}`)
	return sh
}

// ok sends a request that must answer 2xx and returns its JSON. A read waits for the
// last write (Stateset-Min-Position), as a client reading its own writes does.
func (sh *shop) ok(method, path, body string) map[string]any {
	sh.t.Helper()
	a := sh.send(method, path, body)
	if a.status/100 != 2 {
		sh.t.Fatalf("%s %s: %d %s", method, path, a.status, a.body)
	}
	return a.json(sh.t)
}

func (sh *shop) send(method, path, body string) answer {
	sh.t.Helper()
	if method == http.MethodGet {
		return sh.cl.must(sh.t, method, sh.base+path, body, "Stateset-Min-Position", strconv.FormatUint(sh.pos.Load(), 10))
	}
	a := sh.cl.must(sh.t, method, sh.base+path, body)
	if p := a.position(); a.status/100 == 2 {
		for cur := sh.pos.Load(); p > cur && !sh.pos.CompareAndSwap(cur, p); cur = sh.pos.Load() {
		}
	}
	return a
}

func (sh *shop) item(sku string, onHand int) string {
	sh.t.Helper()
	it := sh.ok(http.MethodPost, "/v1/inventory", fmt.Sprintf(`{"sku":%q,"location_id":"main","on_hand":%d}`, sku, onHand))
	return it["id"].(string)
}

func (sh *shop) order(id string, lines ...string) {
	sh.t.Helper()
	sh.ok(http.MethodPost, "/v1/orders", fmt.Sprintf(`{"id":%q,"customer_id":"cus1","currency":"USD","items":[%s]}`, id, strings.Join(lines, ",")))
}

func line(sku string, qty int) string {
	return fmt.Sprintf(`{"sku":%q,"name":"thing","quantity":%d,"unit_price":1000}`, sku, qty)
}

// eventually polls get until cond holds (flows run after the answer that caused them).
// Each read waits for the last write, so a condition that an earlier write already made
// true cannot pass on a view that has not yet seen a later one.
func (sh *shop) eventually(what, path string, cond func(map[string]any) bool) map[string]any {
	sh.t.Helper()
	var last map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		a := sh.send(http.MethodGet, path, "")
		if a.status == http.StatusOK {
			last = a.json(sh.t)
			if cond(last) {
				return last
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	sh.t.Fatalf("%s: never happened; last %s: %v", what, path, last)
	return nil
}

func num(v any) int64 { f, _ := v.(float64); return int64(f) }

func lineOf(order map[string]any, sku string) map[string]any {
	for _, l := range order["items"].([]any) {
		if m := l.(map[string]any); m["sku"] == sku {
			return m
		}
	}
	return nil
}

func balances(it map[string]any) string {
	return fmt.Sprintf("on_hand=%d reserved=%d available=%d", num(it["on_hand"]), num(it["reserved"]), num(it["available"]))
}

// TestOrderToCashFlows drives F1, F2 and F4 through the HTTP API: confirm reserves (a
// shortfall is backordered and filled by the next receipt), an edit moves the
// reservations, shipping consumes them, cancelling releases them, and each flow's
// command shows in the touched aggregates' history with the causing event as causation.
func TestOrderToCashFlows(t *testing.T) {
	sh := newShop(t)
	mug, tee := sh.item("MUG", 5), sh.item("TEE", 1)

	sh.order("o1", line("MUG", 2), line("TEE", 3))
	sh.ok(http.MethodPost, "/v1/orders/o1/submit", "")
	sh.ok(http.MethodPost, "/v1/orders/o1/confirm", "")
	o := sh.eventually("o1 allocated", "/v1/orders/o1", func(o map[string]any) bool {
		return num(lineOf(o, "MUG")["reserved"]) == 2 && num(lineOf(o, "TEE")["backordered"]) == 2
	})
	if o["fulfillment_status"] != domain.FulfillmentBackordered {
		t.Fatalf("fulfillment %v", o["fulfillment_status"])
	}
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+mug, ""); balances(it) != "on_hand=5 reserved=2 available=3" {
		t.Fatalf("MUG %s", balances(it))
	}

	// shipping a backordered line is refused with the shortage
	a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/orders/o1/ship", "")
	if a.status != http.StatusConflict || a.errCode() != "INSUFFICIENT_STOCK" {
		t.Fatalf("ship with a backorder: %d %s", a.status, a.body)
	}

	// F1: a receipt fills the backorder
	sh.ok(http.MethodPost, "/v1/inventory/"+tee+"/adjust", `{"quantity":4,"reason":"receipt","reference":"PO-1"}`)
	sh.eventually("o1 backorder filled", "/v1/orders/o1", func(o map[string]any) bool {
		return num(lineOf(o, "TEE")["reserved"]) == 3 && o["fulfillment_status"] == domain.FulfillmentAllocated
	})

	// F4: edit the confirmed order: MUG 2 -> 4, TEE dropped
	sh.ok(http.MethodPut, "/v1/orders/o1", `{"items":[`+line("MUG", 4)+`]}`)
	sh.eventually("reservations follow the edit", "/v1/inventory/"+tee, func(it map[string]any) bool {
		return balances(it) == "on_hand=5 reserved=0 available=5"
	})
	sh.eventually("MUG reservation raised", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=5 reserved=4 available=1"
	})
	sh.eventually("o1 allocated after edit", "/v1/orders/o1", func(o map[string]any) bool {
		return num(lineOf(o, "MUG")["reserved"]) == 4
	})

	// F2: ship part, then the rest
	sh.ok(http.MethodPost, "/v1/orders/o1/ship", `{"lines":[{"line_id":"1","quantity":1}]}`)
	sh.eventually("partial ship consumed", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=4 reserved=3 available=1"
	})
	o = sh.ok(http.MethodPost, "/v1/orders/o1/ship", `{"carrier":"UPS"}`)
	if o["status"] != "SHIPPED" {
		t.Fatalf("status %v", o["status"])
	}
	sh.eventually("ship consumed", "/v1/inventory/"+mug, func(it map[string]any) bool {
		return balances(it) == "on_hand=1 reserved=0 available=1"
	})

	// F2: cancelling releases
	sh.order("o2", line("MUG", 1))
	sh.ok(http.MethodPost, "/v1/orders/o2/submit", "")
	sh.ok(http.MethodPost, "/v1/orders/o2/confirm", "")
	sh.eventually("o2 reserved", "/v1/inventory/"+mug, func(it map[string]any) bool { return num(it["available"]) == 0 })
	sh.ok(http.MethodPost, "/v1/orders/o2/cancel", `{"reason":"changed mind"}`)
	sh.eventually("o2 released", "/v1/inventory/"+mug, func(it map[string]any) bool { return num(it["available"]) == 1 })
	if a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/orders/o2/ship", ""); a.status != http.StatusConflict || a.errCode() != "INVALID_TRANSITION" {
		t.Fatalf("ship a cancelled order: %d %s", a.status, a.body)
	}

	// every flow command names its cause
	confirm := ""
	for _, e := range sh.ok(http.MethodGet, "/v1/orders/o2/history", "")["data"].([]any) {
		if e := e.(map[string]any); e["event_type"] == "OrderConfirmed" {
			confirm = e["id"].(string)
		}
	}
	caused := false
	for _, e := range sh.ok(http.MethodGet, "/v1/inventory/"+mug+"/history?limit=100", "")["data"].([]any) {
		caused = caused || e.(map[string]any)["actor"] == "flow:order-stock"
	}
	hist := sh.cl.must(t, http.MethodGet, sh.base+"/v1/reservations?reference_id=o2", "").json(t)["data"].([]any)
	if !caused || confirm == "" || len(hist) != 1 || hist[0].(map[string]any)["status"] != "RELEASED" {
		t.Fatalf("ledger by flow %v, confirm %q, reservations of o2 %v", caused, confirm, hist)
	}
	causation := map[string]bool{}
	for _, e := range sh.ok(http.MethodGet, "/v1/orders/o2/history", "")["data"].([]any) {
		if e := e.(map[string]any); e["event_type"] == "OrderLinesAllocated" {
			causation[e["actor"].(string)] = e["causation_id"] != ""
		}
	}
	if !causation["flow:order-allocation"] {
		t.Fatalf("allocation of o2 without its causing inventory event: %v", causation)
	}

	// the flows are listed with nothing parked
	flows := sh.ok(http.MethodGet, "/v1/admin/flows", "")["data"].([]any)
	if len(flows) < 2 || num(flows[0].(map[string]any)["parked"]) != 0 {
		t.Fatalf("flows %v", flows)
	}
	if a := sh.cl.must(t, http.MethodGet, sh.base+"/v1/admin/flows/nope/parked", ""); a.status != http.StatusNotFound {
		t.Fatalf("parked of an unknown flow: %d", a.status)
	}
}

// TestFiftyOrdersRaceForTen: 50 orders of one unit each, confirmed concurrently, against
// 10 in stock: exactly 10 are reserved and 40 backordered, and available never goes
// below zero.
func TestFiftyOrdersRaceForTen(t *testing.T) {
	sh := newShop(t)
	id := sh.item("HOT", 10)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			oid := fmt.Sprintf("race%02d", i)
			sh.order(oid, line("HOT", 1))
			sh.ok(http.MethodPost, "/v1/orders/"+oid+"/submit", "")
			sh.ok(http.MethodPost, "/v1/orders/"+oid+"/confirm", "")
		})
	}
	wg.Wait()
	it := sh.eventually("all 50 handled", "/v1/reservations?sku=HOT&limit=100", func(l map[string]any) bool {
		return len(l["data"].([]any)) == 50
	})
	var reserved, back int64
	for _, r := range it["data"].([]any) {
		reserved += num(r.(map[string]any)["quantity"])
		back += num(r.(map[string]any)["backordered"])
	}
	item := sh.ok(http.MethodGet, "/v1/inventory/"+id, "")
	if reserved != 10 || back != 40 || balances(item) != "on_hand=10 reserved=10 available=0" || num(item["backordered"]) != 40 {
		t.Fatalf("reserved %d, backordered %d, item %s backordered %d", reserved, back, balances(item), num(item["backordered"]))
	}
	sh.verify()
}

// verify stops the server once flows and read models are quiet and runs "stateset
// inventory verify" on its data dir: there must be no difference.
func (sh *shop) verify() {
	sh.t.Helper()
	prev := ""
	for range 200 {
		a := sh.cl.must(sh.t, http.MethodGet, sh.base+"/v1/reservations?limit=100", "")
		b := sh.cl.must(sh.t, http.MethodGet, sh.base+"/v1/inventory?limit=100", "")
		now := string(a.body) + string(b.body)
		if now == prev {
			break
		}
		prev = now
		time.Sleep(300 * time.Millisecond)
	}
	// no flow may have given up on an event
	for _, f := range sh.ok(http.MethodGet, "/v1/admin/flows", "")["data"].([]any) {
		if f := f.(map[string]any); num(f["parked"]) != 0 {
			sh.t.Errorf("flow %s parked %d events: %v", f["name"], num(f["parked"]),
				sh.ok(http.MethodGet, "/v1/admin/flows/"+f["name"].(string)+"/parked", ""))
		}
	}
	sh.srv.stop()
	redeliverEverything(sh.t, sh.dir)
	var out strings.Builder
	if err := run(context.Background(), []string{"inventory", "verify", "--data-dir", sh.dir}, &out, io.Discard); err != nil {
		sh.t.Fatalf("inventory verify: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), " 0 differences") || strings.HasPrefix(out.String(), "0 items") {
		sh.t.Fatalf("inventory verify: %s", out.String())
	}
}

// TestRandomWorkloadLeavesACleanLedger runs a random mix of orders (confirmed, edited,
// shipped, cancelled) and stock movements over a few SKUs; afterwards available is never
// negative and inventory verify finds no difference between the ledger, the balances each
// event states and the read model.
func TestRandomWorkloadLeavesACleanLedger(t *testing.T) {
	sh := newShop(t)
	skus := []string{"A", "B", "C"}
	ids := map[string]string{}
	for _, s := range skus {
		ids[s] = sh.item(s, 3)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 40 {
		sku := skus[rng.IntN(len(skus))]
		switch rng.IntN(4) {
		case 0:
			sh.ok(http.MethodPost, "/v1/inventory/"+ids[sku]+"/adjust", fmt.Sprintf(`{"quantity":%d,"reason":"receipt"}`, 1+rng.IntN(3)))
		default:
			oid := fmt.Sprintf("w%02d", i)
			sh.order(oid, line(sku, 1+rng.IntN(2)))
			sh.ok(http.MethodPost, "/v1/orders/"+oid+"/submit", "")
			sh.ok(http.MethodPost, "/v1/orders/"+oid+"/confirm", "")
			switch rng.IntN(3) {
			case 0:
				sh.ok(http.MethodPost, "/v1/orders/"+oid+"/cancel", "")
			case 1:
				sh.ok(http.MethodPut, "/v1/orders/"+oid, `{"items":[`+line(skus[rng.IntN(len(skus))], 1)+`]}`)
			}
		}
	}
	for _, s := range skus {
		if it := sh.ok(http.MethodGet, "/v1/inventory/"+ids[s], ""); num(it["available"]) < 0 {
			t.Fatalf("%s: %s", s, balances(it))
		}
	}
	sh.verify()
}

// TestInventoryAPI: reservations beyond available are refused with the shortage and append
// nothing, bad input lists every bad field, the low-stock list and event follow the
// reorder point, and a reservation past its expiry is released by the sweep.
func TestInventoryAPI(t *testing.T) {
	sh := newShop(t, "--reservation-sweep", "50ms")
	id := sh.ok(http.MethodPost, "/v1/inventory", `{"sku":"LAMP","location_id":"main","on_hand":5,"reorder_point":2}`)["id"].(string)
	before := sh.ok(http.MethodGet, "/v1/inventory/"+id+"/history", "")["data"].([]any)

	a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/inventory/"+id+"/reserve", `{"quantity":6,"reference_id":"cart1"}`)
	sh2 := a.json(t)["error"].(map[string]any)
	if a.status != http.StatusConflict || a.errCode() != "INSUFFICIENT_STOCK" || len(sh2["shortages"].([]any)) != 1 {
		t.Fatalf("reserve beyond available: %d %s", a.status, a.body)
	}
	a = sh.cl.must(t, http.MethodPost, sh.base+"/v1/inventory/"+id+"/adjust", `{"quantity":0,"reason":"lost","colour":"red"}`)
	if a.status != http.StatusBadRequest || !strings.Contains(string(a.body), `"quantity"`) ||
		!strings.Contains(string(a.body), `"reason"`) || !strings.Contains(string(a.body), `"colour"`) {
		t.Fatalf("bad adjust: %d %s", a.status, a.body)
	}
	if a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/inventory/"+id+"/adjust", `{"quantity":-9,"reason":"scrap"}`); a.errCode() != "INSUFFICIENT_STOCK" {
		t.Fatalf("adjust below zero: %d %s", a.status, a.body)
	}
	if after := sh.ok(http.MethodGet, "/v1/inventory/"+id+"/history", "")["data"].([]any); len(after) != len(before) {
		t.Fatalf("refused requests appended: %d movements, was %d", len(after), len(before))
	}

	exp := time.Now().Add(300 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	rv := sh.ok(http.MethodPost, "/v1/inventory/"+id+"/reserve", `{"quantity":3,"reference_id":"cart1","expires_at":"`+exp+`"}`)
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+id, ""); !it["low_stock"].(bool) || num(it["available"]) != 2 {
		t.Fatalf("after reserving 3 of 5 with reorder point 2: %v", it)
	}
	if low := sh.ok(http.MethodGet, "/v1/inventory/low-stock", "")["data"].([]any); len(low) != 1 {
		t.Fatalf("low stock list %v", low)
	}
	sh.eventually("the reservation expires", "/v1/reservations/"+rv["id"].(string), func(r map[string]any) bool {
		return r["status"] == "EXPIRED"
	})
	if it := sh.ok(http.MethodGet, "/v1/inventory/"+id, ""); num(it["available"]) != 5 {
		t.Fatalf("after expiry: %s", balances(it))
	}
	types := map[string]bool{}
	for _, e := range sh.ok(http.MethodGet, "/v1/inventory/"+id+"/history", "")["data"].([]any) {
		types[e.(map[string]any)["reason"].(string)] = true
	}
	if !types["expire"] || !types["reserve"] || !types["receipt"] {
		t.Fatalf("ledger reasons %v", types)
	}
	sh.verify()
}
