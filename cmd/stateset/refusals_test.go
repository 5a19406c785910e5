package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// raced is one answer of a race, with the correlation id its request carried (every event
// the request appended, and every event a flow appended because of them, carries it).
type raced struct {
	corr string
	a    answer
}

// race sends n requests at once, request i to path(i) with body(i) and correlation id
// <name>-<i>, and returns their answers in order. Writes that succeed move sh.pos, so the
// reads after it see them.
func (sh *shop) race(name string, n int, method string, path, body func(i int) string) []raced {
	sh.t.Helper()
	out := make([]raced, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		out[i].corr = name + "-" + strconv.Itoa(i)
		wg.Go(func() {
			<-start
			out[i].a, errs[i] = sh.cl.do(context.Background(), method, sh.base+path(i), body(i), "X-Correlation-Id", out[i].corr)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			sh.t.Fatalf("%s: request %d: %v", name, i, err)
		}
		if p := out[i].a.position(); out[i].a.status/100 == 2 && p > sh.pos.Load() {
			sh.pos.Store(p)
		}
	}
	return out
}

// each is the same path or body for every request of a race.
func each(s string) func(int) string { return func(int) string { return s } }

// head is the stream's last position, read from the feed.
func (sh *shop) head() uint64 {
	sh.t.Helper()
	var last uint64
	for {
		page := sh.ok(http.MethodGet, "/v1/events?limit=1000&after="+strconv.FormatUint(last, 10), "")
		last = uint64(num(page["next_after"]))
		if page["has_more"] != true {
			return last
		}
	}
}

// eventsAfter is every event of the stream after position after, read straight from the
// stream through the feed (no read model in between).
func (sh *shop) eventsAfter(after uint64) []map[string]any {
	sh.t.Helper()
	var out []map[string]any
	for {
		page := sh.ok(http.MethodGet, "/v1/events?limit=1000&after="+strconv.FormatUint(after, 10), "")
		for _, e := range page["data"].([]any) {
			out = append(out, e.(map[string]any))
		}
		after = uint64(num(page["next_after"]))
		if page["has_more"] != true {
			return out
		}
	}
}

// checkRace checks the answers of a race: allowed of them succeed and the rest are refused
// with status and code; a refused request left no event in the stream since from (none of
// its own, none a flow appended for it); each successful request appended exactly want
// ("<aggregate_type> <EventType>", sorted) itself. It returns the events since from.
func (sh *shop) checkRace(answers []raced, from uint64, allowed, status int, code string, want []string) []map[string]any {
	sh.t.Helper()
	events := sh.eventsAfter(from)
	ok := 0
	for _, r := range answers {
		var mine, own []string
		for _, e := range events {
			if e["correlation_id"] != r.corr {
				continue
			}
			ev := fmt.Sprintf("%s %s", e["aggregate_type"], e["event_type"])
			mine = append(mine, ev)
			if e["causation_id"] == nil || e["causation_id"] == "" {
				own = append(own, ev)
			}
		}
		slices.Sort(own)
		switch {
		case r.a.status/100 == 2:
			ok++
			if diff := cmp.Diff(want, own); diff != "" {
				sh.t.Errorf("%s (%d) appended (-want +got):\n%s", r.corr, r.a.status, diff)
			}
		case r.a.status != status || r.a.errCode() != code:
			sh.t.Errorf("%s: %d %s, want %d %s", r.corr, r.a.status, r.a.body, status, code)
		case len(mine) > 0:
			sh.t.Errorf("%s was refused (%d %s) yet left %d events: %v", r.corr, r.a.status, r.a.errCode(), len(mine), mine)
		}
	}
	if ok != allowed {
		sh.t.Errorf("%d requests succeeded, want %d", ok, allowed)
	}
	return events
}

// ofAggregates groups the events of one aggregate type by aggregate id: id -> event types.
func ofAggregates(events []map[string]any, aggType string) map[string][]string {
	out := map[string][]string{}
	for _, e := range events {
		if e["aggregate_type"] == aggType {
			id := e["aggregate_id"].(string)
			out[id] = append(out[id], e["event_type"].(string))
		}
	}
	return out
}

const racers = 5

// TestRefusedRequestsAppendNothing: for each command that writes more than one aggregate,
// concurrent requests of which only some may succeed: each refused one leaves the stream
// as it was, each successful one appends its own events only, and no aggregate is left
// half-made (issue 9).
func TestRefusedRequestsAppendNothing(t *testing.T) {
	sh := newShop(t)
	sh.warehouse("reno")

	t.Run("one unit transferred at once by many: one transfer, created and shipped in one commit", func(t *testing.T) {
		sh.t = t
		sh.item("RT-1", 1)
		from := sh.head()
		answers := sh.race("inv-transfer", racers, http.MethodPost, each("/v1/inventory/transfer"),
			each(`{"sku":"RT-1","from_location_id":"main","to_location_id":"reno","quantity":1}`))
		events := sh.checkRace(answers, from, 1, http.StatusConflict, "INSUFFICIENT_STOCK",
			[]string{"inventory InventoryReserved", "transfer TransferCreated", "transfer TransferShipped"})
		transfers := ofAggregates(events, "transfer")
		if len(transfers) != 1 {
			t.Errorf("%d transfers in the stream, want 1: %v", len(transfers), transfers)
		}
		for id, types := range transfers {
			if want := []string{"TransferCreated", "TransferShipped"}; !slices.Equal(types, want) {
				t.Errorf("transfer %s: %v, want %v", id, types, want)
			}
		}
		if l := sh.ok(http.MethodGet, "/v1/transfers?status=CREATED", "")["data"].([]any); len(l) != 0 {
			t.Errorf("transfers left CREATED: %v", l)
		}
	})

	t.Run("transfers shipped at once for one unit: one ships, the others reserve nothing", func(t *testing.T) {
		sh.t = t
		sh.item("RT-2", 1)
		for i := range racers {
			sh.ok(http.MethodPost, "/v1/transfers", fmt.Sprintf(`{"id":"rt2-%d","from_location_id":"main","to_location_id":"reno","items":[{"sku":"RT-2","quantity":1}]}`, i))
		}
		from := sh.head()
		answers := sh.race("transfer-ship", racers, http.MethodPost, func(i int) string { return fmt.Sprintf("/v1/transfers/rt2-%d/ship", i) }, each(""))
		sh.checkRace(answers, from, 1, http.StatusConflict, "INSUFFICIENT_STOCK",
			[]string{"inventory InventoryReserved", "transfer TransferShipped"})
	})

	t.Run("one transfer shipped at once by many: one ship, one reservation", func(t *testing.T) {
		sh.t = t
		sh.item("RT-3", 5)
		sh.ok(http.MethodPost, "/v1/transfers", `{"id":"rt3","from_location_id":"main","to_location_id":"reno","items":[{"sku":"RT-3","quantity":2}]}`)
		from := sh.head()
		answers := sh.race("transfer-ship-one", racers, http.MethodPost, each("/v1/transfers/rt3/ship"), each(""))
		sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION",
			[]string{"inventory InventoryReserved", "transfer TransferShipped"})
	})

	t.Run("one shipment shipped at once by many: the order's lines ship once", func(t *testing.T) {
		sh.t = t
		sh.item("RS-1", 3)
		sh.confirmed("rs1", "ALLOCATED", line("RS-1", 2))
		sh.ok(http.MethodPost, "/v1/shipments", `{"id":"rs1-s","order_id":"rs1","carrier":"UPS"}`)
		from := sh.head()
		answers := sh.race("shipment-ship", racers, http.MethodPost, each("/v1/shipments/rs1-s/ship"), each(""))
		sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION",
			[]string{"order OrderShipped", "shipment ShipmentShipped"})
	})

	t.Run("returns of the one unit shipped, requested at once: the order holds one", func(t *testing.T) {
		sh.t = t
		sh.item("RR-1", 5)
		sh.shipped("rr1", line("RR-1", 1))
		from := sh.head()
		answers := sh.race("return-create", racers, http.MethodPost, each("/v1/returns"),
			each(`{"order_id":"rr1","items":[{"sku":"RR-1","quantity":1,"reason":"DEFECTIVE"}]}`))
		events := sh.checkRace(answers, from, 1, http.StatusBadRequest, "VALIDATION_ERROR",
			[]string{"order OrderReturnOpened", "return ReturnRequested"})
		if n := len(ofAggregates(events, "return")); n != 1 {
			t.Errorf("%d returns in the stream, want 1", n)
		}
	})

	t.Run("an inspected return refunded at once by many: one refund", func(t *testing.T) {
		sh.t = t
		sh.item("RR-2", 5)
		o := sh.shipped("rr2", line("RR-2", 1))
		sh.ok(http.MethodPost, "/v1/returns", `{"id":"rr2-r","order_id":"rr2","items":[{"sku":"RR-2","quantity":1,"reason":"DEFECTIVE"}]}`)
		sh.ok(http.MethodPost, "/v1/returns/rr2-r/approve", "")
		sh.ok(http.MethodPost, "/v1/returns/rr2-r/receive", "")
		sh.ok(http.MethodPost, "/v1/returns/rr2-r/inspect", fmt.Sprintf(`{"items":[{"line_id":%q,"disposition":"DAMAGED"}]}`,
			lineOf(o, "RR-2")["id"]))
		from := sh.head()
		answers := sh.race("return-refund", racers, http.MethodPost, each("/v1/returns/rr2-r/refund"), each(`{"reason":"broken"}`))
		sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION", []string{"return ReturnRefunded"})
	})

	t.Run("a return rejected at once by many: one rejection, one release on the order by the flow", func(t *testing.T) {
		sh.t = t
		sh.item("RR-3", 5)
		sh.shipped("rr3", line("RR-3", 1))
		sh.ok(http.MethodPost, "/v1/returns", `{"id":"rr3-r","order_id":"rr3","items":[{"sku":"RR-3","quantity":1,"reason":"DEFECTIVE"}]}`)
		from := sh.head()
		answers := sh.race("return-reject", racers, http.MethodPost, each("/v1/returns/rr3-r/reject"), each(`{"reason":"worn"}`))
		events := sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION", []string{"return ReturnRejected"})
		// the order's release is flow return-order's, which the answer waited for
		if got := ofAggregates(events, "order")["rr3"]; !slices.Equal(got, []string{"OrderReturnReleased"}) {
			t.Errorf("the order's events after the rejections: %v", got)
		}
	})

	t.Run("a cancelled return, which cannot reopen, reopened: the order is not asked to hold it", func(t *testing.T) {
		sh.t = t
		sh.item("RR-4", 5)
		sh.shipped("rr4", line("RR-4", 1))
		sh.ok(http.MethodPost, "/v1/returns", `{"id":"rr4-r","order_id":"rr4","items":[{"sku":"RR-4","quantity":1,"reason":"DEFECTIVE"}]}`)
		sh.ok(http.MethodPost, "/v1/returns/rr4-r/cancel", "")
		from := sh.head()
		answers := sh.race("return-reopen", racers, http.MethodPost, each("/v1/returns/rr4-r/reopen"), each(""))
		sh.checkRace(answers, from, 0, http.StatusConflict, "INVALID_TRANSITION", nil)
	})

	t.Run("a lead converted at once by many: one customer, one conversion", func(t *testing.T) {
		sh.t = t
		sh.ok(http.MethodPost, "/v1/leads", `{"id":"rl1","firstName":"Ida","email":"ida@example.com"}`)
		sh.ok(http.MethodPost, "/v1/leads/rl1/contact", "")
		sh.ok(http.MethodPost, "/v1/leads/rl1/accept", "")
		from := sh.head()
		answers := sh.race("lead-convert", racers, http.MethodPost, each("/v1/leads/rl1/convert"), each(""))
		events := sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION",
			[]string{"customer CustomerCreated", "lead LeadConverted"})
		if n := len(ofAggregates(events, "customer")); n != 1 {
			t.Errorf("%d customers in the stream, want 1", n)
		}
	})

	t.Run("wholesale orders submitted at once for credit enough for one: one reservation of credit", func(t *testing.T) {
		sh.t = t
		sh.ok(http.MethodPut, "/v1/customers/rw1", `{"email":"buyer@rw1.example","firstName":"Wes","type":"BUSINESS"}`)
		sh.item("RW-1", 50)
		sh.ok(http.MethodPost, "/v1/price_lists", `{"id":"rw1-pl","name":"Trade","currency":"USD","customer_ids":["rw1"],"prices":{"RW-1":{"unit_price":1000}}}`)
		sh.ok(http.MethodPut, "/v1/wholesale_accounts/rw1", `{"currency":"USD","credit_limit":3000,"net_terms":"NET30","price_list_id":"rw1-pl"}`)
		for i := range racers {
			sh.ok(http.MethodPost, "/v1/wholesale_orders", fmt.Sprintf(`{"id":"rw1-%d","customer_id":"rw1","lines":[{"sku":"RW-1","quantity":3}]}`, i))
		}
		from := sh.head()
		answers := sh.race("wholesale-submit", racers, http.MethodPost, func(i int) string { return fmt.Sprintf("/v1/wholesale_orders/rw1-%d/submit", i) }, each(""))
		sh.checkRace(answers, from, 1, http.StatusConflict, "CREDIT_LIMIT_EXCEEDED",
			[]string{"wholesale_account WholesaleCreditReserved", "wholesale_order WholesaleOrderSubmitted"})

		sh.ok(http.MethodPut, "/v1/wholesale_accounts/rw1", `{"credit_limit":100000}`)
		sh.ok(http.MethodPost, "/v1/wholesale_orders", `{"id":"rw1-one","customer_id":"rw1","lines":[{"sku":"RW-1","quantity":3}]}`)
		from = sh.head()
		answers = sh.race("wholesale-submit-one", racers, http.MethodPost, each("/v1/wholesale_orders/rw1-one/submit"), each(""))
		events := sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION",
			[]string{"wholesale_account WholesaleCreditReserved", "wholesale_order WholesaleOrderSubmitted"})
		if got := ofAggregates(events, "wholesale_account")["rw1"]; !slices.Equal(got, []string{"WholesaleCreditReserved"}) {
			t.Errorf("the account after one order's submits: %v", got)
		}
	})

	t.Run("a count reconciled at once by many: its variance posted once", func(t *testing.T) {
		sh.t = t
		sh.item("RC-1", 10)
		sh.ok(http.MethodPost, "/v1/cycle_counts", `{"id":"rc1","warehouse_id":"main","skus":["RC-1"]}`)
		sh.ok(http.MethodPost, "/v1/cycle_counts/rc1/start", "")
		sh.ok(http.MethodPost, "/v1/cycle_counts/rc1/submit", `{"counts":[{"sku":"RC-1","counted":7}]}`)
		from := sh.head()
		answers := sh.race("count-reconcile", racers, http.MethodPost, each("/v1/cycle_counts/rc1/reconcile"), each(""))
		events := sh.checkRace(answers, from, 1, http.StatusConflict, "INVALID_TRANSITION",
			[]string{"cycle_count CycleCountReconciled", "inventory InventoryAdjusted"})
		var moves []string
		for _, e := range events {
			if e["aggregate_type"] == "inventory" && strings.Contains(fmt.Sprint(e["data"]), "cycle_count") {
				moves = append(moves, e["event_type"].(string))
			}
		}
		if len(moves) != 1 {
			t.Errorf("the variance was posted %d times: %v", len(moves), moves)
		}
	})
	sh.t = t
}
