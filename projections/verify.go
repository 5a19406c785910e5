package projections

import (
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"slices"

	"stateset/domain"
)

// Balance is what an item holds.
type Balance struct {
	SKU, LocationID                       string
	OnHand, Reserved, Incoming, InTransit int64
}

// InventoryDifference is one disagreement found by VerifyInventory.
type InventoryDifference struct {
	ItemID   string
	Position uint64 // the event where it shows, 0 for the read model
	Issue    string
}

// VerifyInventory recomputes every item's balances from its movements' deltas alone and
// checks them against the balances each event states, against "available never below
// zero", and against the read model in dir. It reports every difference; a clean ledger
// reports none. events must yield every inventory event in stream order.
func VerifyInventory(ctx context.Context, dir string, events iter.Seq2[domain.Envelope, error]) (map[string]Balance, []InventoryDifference, error) {
	sums := map[string]*Balance{}
	var diffs []InventoryDifference
	for env, err := range events {
		if err != nil {
			return nil, nil, err
		}
		m, ok := domain.Movement(env.Event)
		if !ok {
			if c, ok := env.Event.(domain.InventoryItemCreated); ok {
				sums[c.ItemID] = &Balance{SKU: c.SKU, LocationID: c.LocationID}
			}
			continue
		}
		b := sums[env.AggregateID]
		if b == nil {
			diffs = append(diffs, InventoryDifference{env.AggregateID, env.Position, "movement before the item was created"})
			b = &Balance{SKU: m.SKU, LocationID: m.LocationID}
			sums[env.AggregateID] = b
		}
		b.OnHand += m.OnHandDelta
		b.Reserved += m.ReservedDelta
		b.Incoming += m.IncomingDelta
		b.InTransit += m.InTransitDelta
		if b.OnHand != m.OnHand || b.Reserved != m.Reserved || b.Incoming != m.Incoming || b.InTransit != m.InTransit {
			diffs = append(diffs, InventoryDifference{env.AggregateID, env.Position, fmt.Sprintf(
				"%s states on_hand %d reserved %d incoming %d in_transit %d; its deltas sum to %d %d %d %d",
				env.Type, m.OnHand, m.Reserved, m.Incoming, m.InTransit, b.OnHand, b.Reserved, b.Incoming, b.InTransit)})
		}
		if b.OnHand-b.Reserved < 0 || b.OnHand < 0 {
			diffs = append(diffs, InventoryDifference{env.AggregateID, env.Position,
				fmt.Sprintf("available %d, on hand %d", b.OnHand-b.Reserved, b.OnHand)})
		}
	}
	if dir != "" {
		w, r, err := openDB(ctx, filepath.Join(dir, Inventory().Name()+".db"), false)
		if err != nil {
			return nil, nil, err
		}
		defer w.Close()
		defer r.Close()
		rd := &Reader{runners: map[string]*Runner{Inventory().Name(): {r: r}}}
		model, err := rd.ItemBalances(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range slices.Sorted(func(yield func(string) bool) {
			for id := range sums {
				if !yield(id) {
					return
				}
			}
		}) {
			b, it := sums[id], model[id]
			got := Balance{SKU: it.SKU, LocationID: it.LocationID, OnHand: it.OnHand, Reserved: it.Reserved, Incoming: it.Incoming, InTransit: it.InTransit}
			if got != *b {
				diffs = append(diffs, InventoryDifference{id, 0, fmt.Sprintf("read model %+v, ledger %+v", got, *b)})
			}
		}
		for id := range model {
			if sums[id] == nil {
				diffs = append(diffs, InventoryDifference{id, 0, "in the read model, not in the stream"})
			}
		}
	}
	out := map[string]Balance{}
	for id, b := range sums {
		out[id] = *b
	}
	return out, diffs, nil
}
