package domain

import (
	"errors"
	"maps"
	"testing"
	"time"
)

func init() { maps.Copy(goldens, stockGoldens) }

var stockMove = StockMovement{ItemID: "inv_1", SKU: "SKU-1", LocationID: "main", Reason: ReasonReserve,
	SourceType: "order", SourceID: "ord_1", OnHandDelta: 0, ReservedDelta: 2, OnHand: 10, Reserved: 2}

var stockGoldens = map[string]Event{
	"InventoryItemCreated.v1": InventoryItemCreated{ItemID: "inv_1", SKU: "SKU-1", LocationID: "main", ReorderPoint: 5, ReorderQuantity: 20, UnitCost: 450, Currency: "USD"},
	"InventoryItemUpdated.v1": InventoryItemUpdated{ItemID: "inv_1", ReorderPoint: &Int64Change{From: 5, To: 8}},
	"InventoryAdjusted.v1": InventoryAdjusted{StockMovement: StockMovement{ItemID: "inv_1", SKU: "SKU-1", LocationID: "main",
		Reason: ReasonReceipt, SourceType: "adjustment", SourceID: "PO-7", MovementKey: "evt_1/1", OnHandDelta: 10, OnHand: 10}, Note: "dock 3"},
	"InventoryReserved.v1": InventoryReserved{StockMovement: stockMove, ReservationID: "res_1", ReferenceType: "order",
		ReferenceID: "ord_1", LineID: "1", Quantity: 2, TotalReserved: 2, TotalBackordered: 1},
	"InventoryBackordered.v1": InventoryBackordered{ItemID: "inv_1", SKU: "SKU-1", LocationID: "main", ReservationID: "res_1",
		ReferenceType: "order", ReferenceID: "ord_1", LineID: "1", Quantity: 1, TotalReserved: 2, TotalBackordered: 1},
	"InventoryReservationReleased.v1": InventoryReservationReleased{StockMovement: stockMove, ReservationID: "res_1",
		ReferenceType: "order", ReferenceID: "ord_1", LineID: "1", Quantity: 2, BackorderCancelled: 1, Closed: true},
	"InventoryReservationConsumed.v1": InventoryReservationConsumed{StockMovement: stockMove, ReservationID: "res_1",
		ReferenceType: "order", ReferenceID: "ord_1", LineID: "1", Quantity: 2, Closed: true},
	"InventoryLowStock.v1": InventoryLowStock{ItemID: "inv_1", SKU: "SKU-1", LocationID: "main", Available: 4, ReorderPoint: 5, ReorderQuantity: 20},
}

// fold applies events as the command loop does and returns the item.
func foldItem(it *InventoryItem, events []Event) *InventoryItem {
	for _, e := range events {
		it.Apply(Envelope{Event: e, Version: it.Version + 1, Position: uint64(it.Version + 1), Time: t0})
	}
	return it
}

func stocked(t *testing.T, onHand, reorderPoint int64) *InventoryItem {
	t.Helper()
	it := &InventoryItem{}
	events, err := it.Create(CreateInventoryItem{SKU: "SKU-1", LocationID: "main", OnHand: onHand, ReorderPoint: reorderPoint}, "open")
	if err != nil {
		t.Fatal(err)
	}
	return foldItem(it, events)
}

// must passes a decision's events on; a refusal here is a broken test setup.
func must(events []Event, err error) []Event {
	if err != nil {
		panic(err)
	}
	return events
}

func reserve(ref string, qty int64, backorder bool) ReserveInventory {
	return ReserveInventory{ReservationID: ReservationID("order", ref, "1", "SKU-1"), ReferenceType: "order",
		ReferenceID: ref, LineID: "1", Quantity: qty, AllowBackorder: backorder, Now: t0}
}

// balanced checks the item's balances against the sum of its reservations.
func balanced(t *testing.T, it *InventoryItem) {
	t.Helper()
	var held int64
	for _, r := range it.Reservations {
		held += r.Reserved
	}
	if held != it.Reserved || it.Available() < 0 || it.OnHand < 0 {
		t.Fatalf("unbalanced: on hand %d, reserved %d, reservations hold %d", it.OnHand, it.Reserved, held)
	}
}

func TestInventoryReserveBackorderFill(t *testing.T) {
	it := stocked(t, 3, 0)
	foldItem(it, must(it.Reserve(reserve("o1", 2, true))))
	foldItem(it, must(it.Reserve(reserve("o2", 4, true)))) // 1 reserved, 3 backordered
	foldItem(it, must(it.Reserve(reserve("o3", 2, true)))) // all backordered
	balanced(t, it)
	if it.Available() != 0 || it.Reserved != 3 {
		t.Fatalf("available %d reserved %d", it.Available(), it.Reserved)
	}
	o2 := it.Reservations[reserve("o2", 0, true).ReservationID]
	if o2.Reserved != 1 || o2.Backordered != 3 {
		t.Fatalf("o2 %+v", o2)
	}
	// 4 arrive: o2's 3 first (older), then 1 of o3's 2
	events := must(it.Adjust(AdjustInventory{Quantity: 4, Reason: ReasonReceipt, MovementKey: "rcpt-1", Now: t0}))
	foldItem(it, events)
	balanced(t, it)
	var fills []string
	for _, e := range events {
		if r, ok := e.(InventoryReserved); ok && r.FromBackorder {
			fills = append(fills, r.ReferenceID)
		}
	}
	if len(fills) != 2 || fills[0] != "o2" || fills[1] != "o3" {
		t.Fatalf("filled %v, want o2 then o3", fills)
	}
	o3 := it.Reservations[reserve("o3", 0, true).ReservationID]
	if o3.Reserved != 1 || o3.Backordered != 1 || it.Available() != 0 {
		t.Fatalf("o3 %+v, available %d", o3, it.Available())
	}
	// the same receipt again is a no-op
	if again := must(it.Adjust(AdjustInventory{Quantity: 4, Reason: ReasonReceipt, MovementKey: "rcpt-1", Now: t0})); len(again) != 0 {
		t.Fatalf("redelivered receipt decided %v", again)
	}
}

func TestInventoryReserveIsIdempotentAndAdjustable(t *testing.T) {
	it := stocked(t, 10, 0)
	cmd := reserve("o1", 4, false)
	cmd.MovementKey = "confirmed/1"
	foldItem(it, must(it.Reserve(cmd)))
	if again := must(it.Reserve(cmd)); len(again) != 0 {
		t.Fatalf("same demand again decided %v", again)
	}
	cmd.Quantity, cmd.MovementKey = 6, "edited/1"
	foldItem(it, must(it.Reserve(cmd)))
	if it.Reserved != 6 {
		t.Fatalf("reserved %d after raising to 6", it.Reserved)
	}
	cmd.Quantity, cmd.MovementKey = 1, "edited-again/1"
	foldItem(it, must(it.Reserve(cmd)))
	if it.Reserved != 1 {
		t.Fatalf("reserved %d after lowering to 1", it.Reserved)
	}
	foldItem(it, must(it.Consume(ConsumeInventory{ReservationID: cmd.ReservationID, Quantity: 1, Reason: ReasonSale, MovementKey: "ship-1"})))
	if it.OnHand != 9 || it.Reserved != 0 || len(it.Reservations) != 0 {
		t.Fatalf("after consuming: %+v", it)
	}
	// the reservation is closed: a redelivery of what made it is known by its key
	cmd.MovementKey = "confirmed/1"
	if again := must(it.Reserve(cmd)); len(again) != 0 {
		t.Fatalf("redelivered reserve of a closed reservation decided %v", again)
	}
	if again := must(it.Consume(ConsumeInventory{ReservationID: cmd.ReservationID, Quantity: 1, Reason: ReasonSale, MovementKey: "ship-1"})); len(again) != 0 {
		t.Fatalf("redelivered consume decided %v", again)
	}
	// a new demand on the same id (a reference reused) opens it again
	cmd.MovementKey = ""
	foldItem(it, must(it.Reserve(cmd)))
	if it.Reserved != 1 {
		t.Fatalf("a closed reservation id reserved again: reserved %d", it.Reserved)
	}
}

// TestInventoryExpiryFeedsTheQueueFirst: stock freed by an expiry goes to the oldest
// backorder, not to a newer request, and a demand that waits again queues anew.
func TestInventoryExpiryFeedsTheQueueFirst(t *testing.T) {
	it := stocked(t, 10, 0)
	hold := reserve("cart", 10, false)
	exp := t0.Add(time.Minute)
	hold.ExpiresAt = &exp
	foldItem(it, must(it.Reserve(hold)))
	foldItem(it, must(it.Reserve(reserve("b", 5, true)))) // waits
	late := reserve("c", 10, true)
	late.Now = exp.Add(time.Second)
	foldItem(it, must(it.Reserve(late)))
	b, c := it.Reservations[reserve("b", 0, true).ReservationID], it.Reservations[late.ReservationID]
	if b.Reserved != 5 || b.Backordered != 0 || c.Reserved != 5 || c.Backordered != 5 {
		t.Fatalf("after expiry: b %+v, c %+v", b, c)
	}
	balanced(t, it)
	// b waits again (raised): it queues behind c
	raise := reserve("b", 7, true)
	foldItem(it, must(it.Reserve(raise)))
	events := must(it.Adjust(AdjustInventory{Quantity: 5, Reason: ReasonReceipt}))
	foldItem(it, events)
	if c.Backordered = it.Reservations[late.ReservationID].Backordered; c.Backordered != 0 || it.Reservations[raise.ReservationID].Backordered != 2 {
		t.Fatalf("receipt went to %+v first", events)
	}
}

func TestInventoryRefusals(t *testing.T) {
	it := stocked(t, 5, 0)
	foldItem(it, must(it.Reserve(reserve("o1", 4, false))))
	tests := []struct {
		name string
		do   func() ([]Event, error)
	}{
		{"reserve beyond available", func() ([]Event, error) { return it.Reserve(reserve("o2", 2, false)) }},
		{"adjust below reserved", func() ([]Event, error) {
			return it.Adjust(AdjustInventory{Quantity: -2, Reason: ReasonScrap})
		}},
		{"consume more than held", func() ([]Event, error) {
			return it.Consume(ConsumeInventory{ReservationID: reserve("o1", 0, false).ReservationID, Quantity: 5, Reason: ReasonSale})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			events, err := tc.do()
			var ise *InsufficientStockError
			if !errors.As(err, &ise) || len(ise.Shortages) != 1 || ise.Shortages[0].SKU != "SKU-1" || events != nil {
				t.Fatalf("got %v, %v; want an InsufficientStockError", events, err)
			}
		})
	}
	if _, err := it.Adjust(AdjustInventory{Quantity: 0, Reason: "lost"}); err == nil {
		t.Fatal("zero quantity and unknown reason accepted")
	} else if ve := (*ValidationError)(nil); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Fatalf("want two field errors, got %v", err)
	}
}

func TestInventoryLowStockOnCrossing(t *testing.T) {
	it := stocked(t, 10, 5)
	crossings := 0
	count := func(events []Event) {
		for _, e := range events {
			if _, ok := e.(InventoryLowStock); ok {
				crossings++
			}
		}
		foldItem(it, events)
	}
	count(must(it.Adjust(AdjustInventory{Quantity: -4, Reason: ReasonScrap})))   // 6: above
	count(must(it.Reserve(reserve("o1", 1, false))))                             // 5: crosses
	count(must(it.Adjust(AdjustInventory{Quantity: -1, Reason: ReasonScrap})))   // 4: already low
	count(must(it.Adjust(AdjustInventory{Quantity: 10, Reason: ReasonReceipt}))) // 14: above again
	count(must(it.Adjust(AdjustInventory{Quantity: -10, Reason: ReasonSale})))   // 4: crosses again
	if crossings != 2 {
		t.Fatalf("%d low-stock events, want 2", crossings)
	}
}

func TestInventoryReservationExpiry(t *testing.T) {
	it := stocked(t, 5, 0)
	cmd := reserve("o1", 3, false)
	exp := t0.Add(time.Hour)
	cmd.ExpiresAt = &exp
	foldItem(it, must(it.Reserve(cmd)))
	if events := must(it.ExpireReservations(t0.Add(time.Minute))); len(events) != 0 {
		t.Fatalf("expired early: %v", events)
	}
	events := must(it.ExpireReservations(exp))
	foldItem(it, events)
	if len(events) != 1 || it.Reserved != 0 || len(it.Reservations) != 0 {
		t.Fatalf("after expiry: %v, %+v", events, it)
	}
	if rel := events[0].(InventoryReservationReleased); rel.Reason != ReasonExpire {
		t.Fatalf("reason %q", rel.Reason)
	}
}

func TestInventoryMoveIncomingAndInTransit(t *testing.T) {
	it := stocked(t, 0, 0)
	foldItem(it, must(it.Reserve(reserve("o1", 2, true)))) // all backordered
	foldItem(it, must(it.Move(MoveInventory{Incoming: 5, Reason: ReasonPurchase, SourceType: "purchase_order", SourceID: "po1", MovementKey: "po1/approve"})))
	if it.Incoming != 5 || it.OnHand != 0 {
		t.Fatalf("after approval: %+v", it)
	}
	// a receipt: on hand up, incoming down, the backorder filled in the same commit
	events := must(it.Move(MoveInventory{OnHand: 3, Incoming: -3, Reason: ReasonReceipt, SourceType: "purchase_order", SourceID: "po1", MovementKey: "po1/r1"}))
	foldItem(it, events)
	if it.OnHand != 3 || it.Incoming != 2 || it.Reserved != 2 || len(events) != 2 {
		t.Fatalf("after receipt: %+v, events %v", it, events)
	}
	if _, err := it.Move(MoveInventory{OnHand: 5, Incoming: -5, Reason: ReasonReceipt}); err == nil {
		t.Fatal("incoming below zero accepted")
	}
	foldItem(it, must(it.Move(MoveInventory{InTransit: 4, Reason: ReasonTransfer, MovementKey: "t1/ship"})))
	foldItem(it, must(it.Move(MoveInventory{OnHand: 4, InTransit: -4, Reason: ReasonTransfer, MovementKey: "t1/receive"})))
	if it.OnHand != 7 || it.InTransit != 0 {
		t.Fatalf("after transfer in: %+v", it)
	}
	balanced(t, it)
}
