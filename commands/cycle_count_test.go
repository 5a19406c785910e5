package commands

import (
	"context"
	"errors"
	"testing"

	"stateset/domain"
)

func flowNamed(t *testing.T, h *Handler, name string) Flow {
	t.Helper()
	for _, f := range h.Flows() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no flow %s", name)
	return Flow{}
}

// TestCycleCountReconcilePostsItsVariances: reconcile posts the variances itself. A
// decrease refused because stock was reserved after the count was read is a 409 listing
// the SKU; the other SKU's movement stays, the count stays COUNTED, and the retry posts
// only the rest. F8 then finds every variance posted.
func TestCycleCountReconcilePostsItsVariances(t *testing.T) {
	ctx := context.Background()
	h := newHandler(t, openStore(t, t.TempDir()), Config{})
	warehouse(t, h, "main")
	for sku, n := range map[string]int64{"MUG": 10, "TEE": 4} {
		if _, err := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: sku, LocationID: "main", OnHand: n}); err != nil {
			t.Fatal(err)
		}
	}
	mug, tee := domain.InventoryItemID("MUG", "main"), domain.InventoryItemID("TEE", "main")
	if _, err := h.Warehouse().CreateCycleCount(ctx, domain.CreateCycleCount{CycleCountID: "cc1", WarehouseID: "main", SKUs: []string{"MUG", "TEE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Warehouse().ActOnCycleCount(ctx, "cc1", "start", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Warehouse().SubmitCycleCount(ctx, "cc1", []domain.CountLine{{SKU: "MUG", Counted: 7}, {SKU: "TEE", Counted: 6}}); err != nil {
		t.Fatal(err)
	}
	// 9 of MUG reserved after reconcile read it: its −3 is refused, TEE's +2 is not
	h.countPosting = func() {
		if _, err := h.Inventory().Reserve(ctx, mug, domain.ReserveInventory{ReservationID: "hold", ReferenceType: "manual",
			ReferenceID: "hold", Quantity: 9}); err != nil {
			t.Error(err)
		}
	}
	_, err := h.Warehouse().ActOnCycleCount(ctx, "cc1", "reconcile", "")
	ise, ok := errors.AsType[*domain.InsufficientStockError](err)
	if !ok || len(ise.Shortages) != 1 || ise.Shortages[0].SKU != "MUG" {
		t.Fatalf("reconcile with MUG reserved: %v", err)
	}
	h.countPosting = nil
	onHand := func(id string) int64 {
		t.Helper()
		it, err := h.Inventory().Item(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return it.OnHand
	}
	if c, _ := h.Warehouse().CycleCount(ctx, "cc1"); c.Status != domain.CycleCountStatusCounted {
		t.Fatalf("refused count is %s", c.Status)
	}
	if m, te := onHand(mug), onHand(tee); m != 10 || te != 6 {
		t.Fatalf("after the refusal: MUG %d (want 10, nothing posted), TEE %d (want 6, posted)", m, te)
	}

	if _, err := h.Inventory().ReleaseReservation(ctx, mug, "hold"); err != nil {
		t.Fatal(err)
	}
	rec, err := h.Warehouse().ActOnCycleCount(ctx, "cc1", "reconcile", "")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Aggregate.Status != domain.CycleCountStatusReconciled {
		t.Fatalf("retried count is %s", rec.Aggregate.Status)
	}
	variances := map[string]int64{}
	for _, v := range rec.Aggregate.Variances {
		variances[v.SKU] = v.Variance
	}
	if variances["MUG"] != -3 || variances["TEE"] != 0 {
		t.Fatalf("variances of the retry %v: MUG −3, TEE 0 (posted by the first attempt)", variances)
	}
	if m, te := onHand(mug), onHand(tee); m != 7 || te != 6 {
		t.Fatalf("after the retry: MUG %d, TEE %d; want the counts 7 and 6", m, te)
	}

	flow := flowNamed(t, h, "cycle-count-stock")
	before := map[string]int64{}
	for _, id := range []string{mug, tee} {
		it, _ := h.Inventory().Item(ctx, id)
		before[id] = it.Version
	}
	for _, env := range rec.Events {
		if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{mug, tee} {
		if it, _ := h.Inventory().Item(ctx, id); it.Version != before[id] {
			t.Fatalf("F8 posted again what reconcile posted: %d events on %s", it.Version-before[id], id)
		}
	}
}

// TestCycleCountFlowHonoursTheEventKey: a count reconciled before reconcile posted its
// variances itself was posted by F8 under the event id; redelivering that event posts
// nothing again.
func TestCycleCountFlowHonoursTheEventKey(t *testing.T) {
	ctx := context.Background()
	h := newHandler(t, openStore(t, t.TempDir()), Config{})
	warehouse(t, h, "main")
	if _, err := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 10}); err != nil {
		t.Fatal(err)
	}
	mug := domain.InventoryItemID("MUG", "main")
	env := domain.Envelope{ID: "evt-old", Event: domain.CycleCountReconciled{CycleCountID: "cc0", WarehouseID: "main",
		Variances: []domain.CountVariance{{SKU: "MUG", ItemID: mug, OnHand: 10, Counted: 8, Variance: -2}}}}
	if _, err := h.Inventory().Move(ctx, mug, domain.MoveInventory{OnHand: -2, Reason: domain.ReasonCycleCount,
		SourceType: "cycle_count", SourceID: "cc0", MovementKey: domain.MovementKey(env.ID, "MUG")}); err != nil {
		t.Fatal(err)
	}
	flow := flowNamed(t, h, "cycle-count-stock")
	if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
		t.Fatal(err)
	}
	if it, _ := h.Inventory().Item(ctx, mug); it.OnHand != 8 {
		t.Fatalf("redelivered old count: on hand %d, want 8", it.OnHand)
	}
}
