package commands

import (
	"context"
	"fmt"
	"testing"

	"stateset/domain"
)

// hotItem stocks a SKU and gives it n movements, each with a flow's movement key (so the
// item carries its full ring of remembered keys, as a hot item fed by flows does).
func hotItem(b *testing.B, h *Handler, sku string, n int) string {
	ctx := context.Background()
	if ok, _ := h.exists(ctx, "warehouse", "main"); !ok {
		warehouse(b, h, "main")
	}
	res, err := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: sku, LocationID: "main", OnHand: 1_000_000})
	if err != nil {
		b.Fatal(err)
	}
	id := res.Aggregate.ID
	for i := range n {
		q := int64(1 - 2*(i%2)) // +1, -1, ...
		if _, err := h.Inventory().Adjust(ctx, id, domain.AdjustInventory{Quantity: q, Reason: domain.ReasonAdjustment,
			MovementKey: fmt.Sprintf("seed/%d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	return id
}

// BenchmarkInventoryWrite is one stock movement on a new item and on an item with 100,000
// prior movements: warm (cached), and the first write after a restart (snapshot + the
// events after it).
func BenchmarkInventoryWrite(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		movements int
		cold      bool
	}{
		{"movements=0", 0, false},
		{"movements=100000/warm", 100_000, false},
		{"movements=100000/after-restart", 100_000, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := openStore(b, b.TempDir())
			h := newHandler(b, s, Config{})
			id := hotItem(b, h, "HOT", tc.movements)
			h.Flush(ctx)
			b.ResetTimer()
			for i := range b.N {
				w := h
				if tc.cold {
					b.StopTimer()
					w = newHandler(b, s, Config{}) // a restarted instance: empty cache
					b.StartTimer()
				}
				if _, err := w.Inventory().Adjust(ctx, id, domain.AdjustInventory{Quantity: 1, Reason: domain.ReasonReceipt,
					MovementKey: fmt.Sprintf("bench/%d", i)}); err != nil {
					b.Fatal(err)
				}
				if tc.cold {
					b.StopTimer()
					w.Flush(ctx) // what shutdown does: the next start loads the snapshot
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkConfirmShip is one order through the whole chain of commands the API and the
// flows issue: create (submitted), confirm, reserve (F1), allocate, ship, consume (F2).
// The flows are called in-line, so this is the command side's cost of an order, without
// the HTTP and delivery latency between the steps.
func BenchmarkConfirmShip(b *testing.B) {
	ctx := context.Background()
	h := newHandler(b, openStore(b, b.TempDir()), Config{})
	create(b, h, "c1", "c1@example.com")
	hotItem(b, h, "MUG", 0)
	flows := map[string]Flow{}
	for _, f := range h.Flows() {
		flows[f.Name] = f
	}
	react := func(name string, envs []domain.Envelope) {
		for _, env := range envs {
			if err := flows[name].Handle(ctx, env, FlowMetadata(name, env)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for i := range b.N {
		id := fmt.Sprintf("o%d", i)
		if _, err := h.Orders().Create(ctx, domain.CreateOrder{OrderID: id, OrderNumber: id, CustomerID: "c1", Currency: "USD",
			LocationID: "main", Items: []domain.OrderLineInput{{SKU: "MUG", Quantity: 1, UnitPrice: 100}}, Submit: true}); err != nil {
			b.Fatal(err)
		}
		conf, err := h.Orders().Act(ctx, id, "confirm", "")
		if err != nil {
			b.Fatal(err)
		}
		react("order-stock", conf.Events)
		if _, err := h.Orders().Allocate(ctx, id, []domain.LineAllocation{{LineID: "1", Reserved: 1, AsOf: uint64(i + 1)}}); err != nil {
			b.Fatal(err)
		}
		ship, err := h.Orders().Ship(ctx, id, domain.ShipOrder{})
		if err != nil {
			b.Fatal(err)
		}
		react("order-stock", ship.Events)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}
