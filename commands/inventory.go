package commands

import (
	"context"

	"stateset/domain"
)

// CreateItem stocks a SKU at a location; the item's id derives from both. The
// location must be a warehouse (asked of the event store): else a *ValidationError on
// location_id.
func (m Inventory) CreateItem(ctx context.Context, cmd domain.CreateInventoryItem, opts ...Option) (Result[domain.InventoryItem], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := m.h.checkWarehouse(ctx, &v, "location_id", cmd.LocationID); err != nil {
		return Result[domain.InventoryItem]{}, err
	}
	if err := v.Err(); err != nil {
		return Result[domain.InventoryItem]{}, err
	}
	id := domain.InventoryItemID(cmd.SKU, cmd.LocationID)
	return execute(ctx, m.h, "inventory", id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) {
		return it.Create(cmd, "")
	}, nil)
}

// UpdateItem changes an item's reorder settings and unit cost.
func (m Inventory) UpdateItem(ctx context.Context, id string, cmd domain.UpdateInventoryItem, opts ...Option) (Result[domain.InventoryItem], error) {
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Update(cmd) })
}

// Adjust posts a stock movement.
func (m Inventory) Adjust(ctx context.Context, id string, cmd domain.AdjustInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = m.h.now()
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Adjust(cmd) })
}

// Move posts a movement of any balance (on hand, incoming, in transit), for
// flows: purchase orders, receipts, transfers, production.
func (m Inventory) Move(ctx context.Context, id string, cmd domain.MoveInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = m.h.now()
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Move(cmd) })
}

// Reserve sets the demand of a reservation on an item.
func (m Inventory) Reserve(ctx context.Context, id string, cmd domain.ReserveInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = m.h.now()
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Reserve(cmd) })
}

// ReleaseReservation drops a reservation and its backorder.
func (m Inventory) ReleaseReservation(ctx context.Context, id, reservationID string, opts ...Option) (Result[domain.InventoryItem], error) {
	now := m.h.now()
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Release(reservationID, now) })
}

// Consume takes reserved stock out.
func (m Inventory) Consume(ctx context.Context, id string, cmd domain.ConsumeInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = m.h.now()
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Consume(cmd) })
}

// ExpireReservations releases an item's reservations whose time has passed.
func (m Inventory) ExpireReservations(ctx context.Context, id string, opts ...Option) (Result[domain.InventoryItem], error) {
	now := m.h.now()
	return m.h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.ExpireReservations(now) })
}

func (h *Handler) onItem(ctx context.Context, id string, opts []Option, decide func(*domain.InventoryItem) ([]domain.Event, error)) (Result[domain.InventoryItem], error) {
	if !domain.ValidID(id) {
		return Result[domain.InventoryItem]{}, domain.ErrNotFound
	}
	return execute(ctx, h, "inventory", id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) {
		if !it.Exists() {
			return nil, domain.ErrNotFound
		}
		return decide(it)
	}, nil)
}

// Item loads an item from the event store.
func (m Inventory) Item(ctx context.Context, id string) (*domain.InventoryItem, error) {
	return loadExisting[domain.InventoryItem](ctx, m.h, "inventory", id, 0)
}

// ItemAt rebuilds an item as it was at stream position pos.
func (m Inventory) ItemAt(ctx context.Context, id string, pos uint64) (*domain.InventoryItem, error) {
	return loadExisting[domain.InventoryItem](ctx, m.h, "inventory", id, pos)
}
