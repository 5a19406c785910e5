package commands

import (
	"context"
	"testing"

	"stateset/domain"
)

// TestPurchaseStockRedeliveryChangesNothing hands each purchase order event to the
// purchase-stock flow twice: the first delivery moves stock, the second nothing.
func TestPurchaseStockRedeliveryChangesNothing(t *testing.T) {
	ctx := context.Background()
	h := newHandler(t, openStore(t, t.TempDir()), Config{})
	warehouse(t, h, "main")
	item, err := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Purchasing().CreateSupplier(ctx, domain.CreateSupplier{SupplierID: "acme", SupplierFields: domain.SupplierFields{Name: "Acme"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Purchasing().ActOnSupplier(ctx, "acme", "activate", ""); err != nil {
		t.Fatal(err)
	}
	cost := int64(100)
	if _, err := h.Purchasing().CreatePurchaseOrder(ctx, domain.CreatePurchaseOrder{PurchaseOrderID: "po1", LocationID: "main", Currency: "USD",
		Items: []domain.PurchaseLineInput{{SKU: "MUG", Quantity: 10, UnitCost: &cost}}}, "acme"); err != nil {
		t.Fatal(err)
	}
	var flow Flow
	for _, f := range h.Flows() {
		if f.Name == "purchase-stock" {
			flow = f
		}
	}
	twice := func(res Result[domain.PurchaseOrder], err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		env := res.Events[0]
		for i := range 2 {
			before, _ := h.Inventory().Item(ctx, item.Aggregate.ID)
			if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
				t.Fatal(err)
			}
			after, _ := h.Inventory().Item(ctx, item.Aggregate.ID)
			if (i == 0) == (after.Version == before.Version) {
				t.Fatalf("%s delivery %d: version %d -> %d", env.Type, i+1, before.Version, after.Version)
			}
		}
	}
	if _, err := h.Purchasing().ActOnPurchaseOrder(ctx, "po1", "submit", ""); err != nil {
		t.Fatal(err)
	}
	twice(h.Purchasing().ActOnPurchaseOrder(ctx, "po1", "approve", ""))
	twice(h.Purchasing().ReceivePurchaseOrder(ctx, "po1", domain.ReceivePurchaseOrder{Items: []domain.PurchaseItem{{SKU: "MUG", Quantity: 4}}}))
	twice(h.Purchasing().ActOnPurchaseOrder(ctx, "po1", "close", "short"))
	it, _ := h.Inventory().Item(ctx, item.Aggregate.ID)
	if it.OnHand != 4 || it.Incoming != 0 {
		t.Fatalf("on hand %d, incoming %d; want 4 and 0", it.OnHand, it.Incoming)
	}
}
