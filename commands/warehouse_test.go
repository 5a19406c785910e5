package commands

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"stateset/domain"
)

// transferShop is a handler with warehouses main and reno, 10 MUG at main and transfer t1
// of 4 MUG between them, created.
func transferShop(t *testing.T) (*Handler, *Handler, string) {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	// two handlers = two instances with their own caches and locks
	h1, h2 := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	warehouse(t, h1, "main")
	warehouse(t, h1, "reno")
	if _, err := h1.CreateInventoryItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := h1.CreateTransfer(ctx, domain.CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "reno",
		Items: []domain.TransferItem{{SKU: "MUG", Quantity: 4}}}); err != nil {
		t.Fatal(err)
	}
	return h1, h2, domain.InventoryItemID("MUG", "main")
}

// shipHeldAtTheAppend starts a ship of t1 on h and returns once its guard has reserved at
// the source and waits, before the transfer's append, for unlock to let it append.
func shipHeldAtTheAppend(t *testing.T, h *Handler, src string) (unlock func(), result <-chan error) {
	t.Helper()
	ctx := context.Background()
	release := make(chan struct{})
	h.claimed = func(aggType, id string) {
		if aggType == "transfer" && id == "t1" {
			<-release
		}
	}
	unlock = sync.OnceFunc(func() { close(release) })
	done := make(chan error, 1)
	go func() {
		_, err := h.ActOnTransfer(ctx, "t1", "ship", "")
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		it, err := h.InventoryItem(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if it.Reserved == 4 {
			break
		}
		if time.Now().After(deadline) {
			unlock()
			t.Fatal("the ship never reserved")
		}
	}
	return unlock, done
}

// TestTransferShipLosingToCancelReleasesItsHold: a ship reserves at the source, then a
// cancel lands before the ship's own append, which fails; the ship gives its reservation
// back, and the cancel's flow (the backstop) finds nothing left to release.
func TestTransferShipLosingToCancelReleasesItsHold(t *testing.T) {
	ctx := context.Background()
	h1, h2, src := transferShop(t)
	unlock, shipped := shipHeldAtTheAppend(t, h1, src)
	cancel, err := h2.ActOnTransfer(ctx, "t1", "cancel", "changed our minds")
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := errors.AsType[*domain.TransitionError](<-shipped); !ok {
		t.Fatal("the ship that lost to the cancel did not fail with a transition error")
	}
	it, err := h1.InventoryItem(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if it.Reserved != 0 || it.Available() != 10 || len(it.Reservations) != 0 {
		t.Fatalf("after the failed ship: reserved %d, available %d, reservations %v", it.Reserved, it.Available(), it.Reservations)
	}
	flow := flowNamed(t, h1, "transfer-stock")
	for range 2 {
		for _, env := range cancel.Events {
			if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if after, _ := h1.InventoryItem(ctx, src); after.Version != it.Version {
		t.Fatalf("the cancel's flow appended %d events with nothing to release", after.Version-it.Version)
	}
}

// TestTransferShipLosingToAShipKeepsTheHold: two ships reserve (the second finds the
// reservation made) and the second to append fails: the reservation is the shipment's,
// so it stays for F6 to consume.
func TestTransferShipLosingToAShipKeepsTheHold(t *testing.T) {
	ctx := context.Background()
	h1, h2, src := transferShop(t)
	unlock, shipped := shipHeldAtTheAppend(t, h1, src)
	_, err := h2.ActOnTransfer(ctx, "t1", "ship", "")
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := errors.AsType[*domain.TransitionError](<-shipped); !ok {
		t.Fatal("the ship that lost did not fail with a transition error")
	}
	if it, _ := h1.InventoryItem(ctx, src); it.Reserved != 4 {
		t.Fatalf("the shipped transfer's reservation: reserved %d, want 4", it.Reserved)
	}
}

// TestTransferCancelReleasesAHoldLeftBehind: a ship that reserved and died before its
// append leaves a hold; cancelling the transfer releases it (F6), once.
func TestTransferCancelReleasesAHoldLeftBehind(t *testing.T) {
	ctx := context.Background()
	h, _, src := transferShop(t)
	tr, err := h.Transfer(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.holdTransfer(ctx, tr, nil); err != nil {
		t.Fatal(err)
	}
	cancel, err := h.ActOnTransfer(ctx, "t1", "cancel", "")
	if err != nil {
		t.Fatal(err)
	}
	flow := flowNamed(t, h, "transfer-stock")
	var version int64
	for i := range 2 {
		for _, env := range cancel.Events {
			if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
				t.Fatal(err)
			}
		}
		it, _ := h.InventoryItem(ctx, src)
		if it.Reserved != 0 || it.Available() != 10 {
			t.Fatalf("delivery %d of the cancel: reserved %d, available %d", i+1, it.Reserved, it.Available())
		}
		if i == 1 && it.Version != version {
			t.Fatalf("the redelivered cancel appended %d events", it.Version-version)
		}
		version = it.Version
	}
}

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
		if _, err := h.CreateInventoryItem(ctx, domain.CreateInventoryItem{SKU: sku, LocationID: "main", OnHand: n}); err != nil {
			t.Fatal(err)
		}
	}
	mug, tee := domain.InventoryItemID("MUG", "main"), domain.InventoryItemID("TEE", "main")
	if _, err := h.CreateCycleCount(ctx, domain.CreateCycleCount{CycleCountID: "cc1", WarehouseID: "main", SKUs: []string{"MUG", "TEE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ActOnCycleCount(ctx, "cc1", "start", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SubmitCycleCount(ctx, "cc1", []domain.CountLine{{SKU: "MUG", Counted: 7}, {SKU: "TEE", Counted: 6}}); err != nil {
		t.Fatal(err)
	}
	// 9 of MUG reserved after reconcile read it: its −3 is refused, TEE's +2 is not
	h.countPosting = func() {
		if _, err := h.ReserveInventory(ctx, mug, domain.ReserveInventory{ReservationID: "hold", ReferenceType: "manual",
			ReferenceID: "hold", Quantity: 9}); err != nil {
			t.Error(err)
		}
	}
	_, err := h.ActOnCycleCount(ctx, "cc1", "reconcile", "")
	ise, ok := errors.AsType[*domain.InsufficientStockError](err)
	if !ok || len(ise.Shortages) != 1 || ise.Shortages[0].SKU != "MUG" {
		t.Fatalf("reconcile with MUG reserved: %v", err)
	}
	h.countPosting = nil
	onHand := func(id string) int64 {
		t.Helper()
		it, err := h.InventoryItem(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return it.OnHand
	}
	if c, _ := h.CycleCount(ctx, "cc1"); c.Status != domain.CycleCountStatusCounted {
		t.Fatalf("refused count is %s", c.Status)
	}
	if m, te := onHand(mug), onHand(tee); m != 10 || te != 6 {
		t.Fatalf("after the refusal: MUG %d (want 10, nothing posted), TEE %d (want 6, posted)", m, te)
	}

	if _, err := h.ReleaseReservation(ctx, mug, "hold"); err != nil {
		t.Fatal(err)
	}
	rec, err := h.ActOnCycleCount(ctx, "cc1", "reconcile", "")
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
		it, _ := h.InventoryItem(ctx, id)
		before[id] = it.Version
	}
	for _, env := range rec.Events {
		if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{mug, tee} {
		if it, _ := h.InventoryItem(ctx, id); it.Version != before[id] {
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
	if _, err := h.CreateInventoryItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 10}); err != nil {
		t.Fatal(err)
	}
	mug := domain.InventoryItemID("MUG", "main")
	env := domain.Envelope{ID: "evt-old", Event: domain.CycleCountReconciled{CycleCountID: "cc0", WarehouseID: "main",
		Variances: []domain.CountVariance{{SKU: "MUG", ItemID: mug, OnHand: 10, Counted: 8, Variance: -2}}}}
	if _, err := h.MoveInventory(ctx, mug, domain.MoveInventory{OnHand: -2, Reason: domain.ReasonCycleCount,
		SourceType: "cycle_count", SourceID: "cc0", MovementKey: domain.MovementKey(env.ID, "MUG")}); err != nil {
		t.Fatal(err)
	}
	flow := flowNamed(t, h, "cycle-count-stock")
	if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
		t.Fatal(err)
	}
	if it, _ := h.InventoryItem(ctx, mug); it.OnHand != 8 {
		t.Fatalf("redelivered old count: on hand %d, want 8", it.OnHand)
	}
}
