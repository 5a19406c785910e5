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
	if _, err := h1.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := h1.Warehouse().CreateTransfer(ctx, domain.CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "reno",
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
		_, err := h.Warehouse().ActOnTransfer(ctx, "t1", "ship", "")
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		it, err := h.Inventory().Item(ctx, src)
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
	cancel, err := h2.Warehouse().ActOnTransfer(ctx, "t1", "cancel", "changed our minds")
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := errors.AsType[*domain.TransitionError](<-shipped); !ok {
		t.Fatal("the ship that lost to the cancel did not fail with a transition error")
	}
	it, err := h1.Inventory().Item(ctx, src)
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
	if after, _ := h1.Inventory().Item(ctx, src); after.Version != it.Version {
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
	_, err := h2.Warehouse().ActOnTransfer(ctx, "t1", "ship", "")
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := errors.AsType[*domain.TransitionError](<-shipped); !ok {
		t.Fatal("the ship that lost did not fail with a transition error")
	}
	if it, _ := h1.Inventory().Item(ctx, src); it.Reserved != 4 {
		t.Fatalf("the shipped transfer's reservation: reserved %d, want 4", it.Reserved)
	}
}

// TestTransferCancelReleasesAHoldLeftBehind: a ship that reserved and died before its
// append leaves a hold; cancelling the transfer releases it (F6), once.
func TestTransferCancelReleasesAHoldLeftBehind(t *testing.T) {
	ctx := context.Background()
	h, _, src := transferShop(t)
	tr, err := h.Warehouse().Transfer(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.holdTransfer(ctx, tr, nil); err != nil {
		t.Fatal(err)
	}
	cancel, err := h.Warehouse().ActOnTransfer(ctx, "t1", "cancel", "")
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
		it, _ := h.Inventory().Item(ctx, src)
		if it.Reserved != 0 || it.Available() != 10 {
			t.Fatalf("delivery %d of the cancel: reserved %d, available %d", i+1, it.Reserved, it.Available())
		}
		if i == 1 && it.Version != version {
			t.Fatalf("the redelivered cancel appended %d events", it.Version-version)
		}
		version = it.Version
	}
}
