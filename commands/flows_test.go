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
	item, err := h.CreateInventoryItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateOrder(ctx, domain.CreateOrder{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main",
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
			before, _ := h.InventoryItem(ctx, item.Aggregate.ID)
			if err := stock.Handle(ctx, env, FlowMetadata(stock.Name, env)); err != nil {
				t.Fatal(err)
			}
			after, _ := h.InventoryItem(ctx, item.Aggregate.ID)
			if i == 0 && after.Version == before.Version {
				t.Fatalf("%s: the first delivery changed nothing", env.Type)
			}
			if i == 1 && after.Version != before.Version {
				t.Fatalf("%s: the redelivery appended %d events", env.Type, after.Version-before.Version)
			}
		}
	}
	twice(h.ActOnOrder(ctx, "o1", "confirm", ""))
	if _, err := h.AllocateOrder(ctx, "o1", []domain.LineAllocation{{LineID: "1", Reserved: 2, AsOf: 1}}); err != nil {
		t.Fatal(err)
	}
	twice(h.ShipOrder(ctx, "o1", domain.ShipOrder{}))
	it, _ := h.InventoryItem(ctx, item.Aggregate.ID)
	if it.OnHand != 3 || it.Reserved != 0 {
		t.Fatalf("after confirm and ship, each delivered twice: on hand %d, reserved %d", it.OnHand, it.Reserved)
	}
}
