package commands

import (
	"context"
	"testing"

	"stateset/domain"
)

// TestFlowRedeliveryChangesNothing hands the order-stock flow the same events twice, as
// JetStream does after a crash between a handler's commands and its ack: the second time
// appends nothing.
func TestFlowRedeliveryChangesNothing(t *testing.T) {
	ctx := context.Background()
	h := newHandler(t, openStore(t, t.TempDir()), Config{})
	create(t, h, "c1", "c1@example.com")
	warehouse(t, h, "main")
	item, err := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Orders().Create(ctx, domain.CreateOrder{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main",
		Items: []domain.OrderLineInput{{SKU: "MUG", Quantity: 2, UnitPrice: 100}}, Submit: true}); err != nil {
		t.Fatal(err)
	}
	var stock Flow
	for _, f := range h.Flows() {
		if f.Name == "order-stock" {
			stock = f
		}
	}
	twice := func(res Result[domain.Order], err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		env := res.Events[0]
		for i := range 2 {
			before, _ := h.Inventory().Item(ctx, item.Aggregate.ID)
			if err := stock.Handle(ctx, env, FlowMetadata(stock.Name, env)); err != nil {
				t.Fatal(err)
			}
			after, _ := h.Inventory().Item(ctx, item.Aggregate.ID)
			if i == 0 && after.Version == before.Version {
				t.Fatalf("%s: the first delivery changed nothing", env.Type)
			}
			if i == 1 && after.Version != before.Version {
				t.Fatalf("%s: the redelivery appended %d events", env.Type, after.Version-before.Version)
			}
		}
	}
	twice(h.Orders().Act(ctx, "o1", "confirm", ""))
	if _, err := h.Orders().Allocate(ctx, "o1", []domain.LineAllocation{{LineID: "1", Reserved: 2, AsOf: 1}}); err != nil {
		t.Fatal(err)
	}
	twice(h.Orders().Ship(ctx, "o1", domain.ShipOrder{}))
	it, _ := h.Inventory().Item(ctx, item.Aggregate.ID)
	if it.OnHand != 3 || it.Reserved != 0 {
		t.Fatalf("after confirm and ship, each delivered twice: on hand %d, reserved %d", it.OnHand, it.Reserved)
	}
}

// TestWarehouseFlowsRedeliveryChangesNothing hands transfer-stock (F6) and
// cycle-count-stock (F8) their events twice: the second delivery appends nothing.
func TestWarehouseFlowsRedeliveryChangesNothing(t *testing.T) {
	ctx := context.Background()
	h := newHandler(t, openStore(t, t.TempDir()), Config{})
	warehouse(t, h, "main")
	warehouse(t, h, "reno")
	if _, err := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 10}); err != nil {
		t.Fatal(err)
	}
	flows := map[string]Flow{}
	for _, f := range h.Flows() {
		flows[f.Name] = f
	}
	src, dst := domain.InventoryItemID("MUG", "main"), domain.InventoryItemID("MUG", "reno")
	twice := func(flow string, res []domain.Envelope, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			for _, env := range res {
				if err := flows[flow].Handle(ctx, env, FlowMetadata(flow, env)); err != nil {
					t.Fatalf("%s delivery %d: %v", env.Type, i+1, err)
				}
			}
		}
	}
	events := func(r Result[domain.Transfer], err error) ([]domain.Envelope, error) { return r.Events, err }
	if _, err := h.Warehouse().CreateTransfer(ctx, domain.CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "reno",
		Items: []domain.TransferItem{{SKU: "MUG", Quantity: 4}}}); err != nil {
		t.Fatal(err)
	}
	envs, err := events(h.Warehouse().ActOnTransfer(ctx, "t1", "ship", ""))
	twice("transfer-stock", envs, err)
	envs, err = events(h.Warehouse().ActOnTransfer(ctx, "t1", "receive", ""))
	twice("transfer-stock", envs, err)
	s, _ := h.Inventory().Item(ctx, src)
	d, _ := h.Inventory().Item(ctx, dst)
	if s.OnHand != 6 || d.OnHand != 4 || d.InTransit != 0 {
		t.Fatalf("after ship and receive, each delivered twice: source %d, destination %d (+%d in transit)", s.OnHand, d.OnHand, d.InTransit)
	}

	if _, err := h.Warehouse().CreateCycleCount(ctx, domain.CreateCycleCount{CycleCountID: "cc1", WarehouseID: "main", SKUs: []string{"MUG"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Warehouse().ActOnCycleCount(ctx, "cc1", "start", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Warehouse().SubmitCycleCount(ctx, "cc1", []domain.CountLine{{SKU: "MUG", Counted: 5}}); err != nil {
		t.Fatal(err)
	}
	rec, err := h.Warehouse().ActOnCycleCount(ctx, "cc1", "reconcile", "")
	twice("cycle-count-stock", rec.Events, err)
	if s, _ := h.Inventory().Item(ctx, src); s.OnHand != 5 {
		t.Fatalf("after a count of 5 delivered twice: on hand %d", s.OnHand)
	}
}
