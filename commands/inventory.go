package commands

import (
	"context"

	"stateset/domain"
)

// CreateInventoryItem stocks a SKU at a location; the item's id derives from both. The
// location must be a warehouse (asked of the event store): else a *ValidationError on
// location_id.
func (h *Handler) CreateInventoryItem(ctx context.Context, cmd domain.CreateInventoryItem, opts ...Option) (Result[domain.InventoryItem], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := h.checkWarehouse(ctx, &v, "location_id", cmd.LocationID); err != nil {
		return Result[domain.InventoryItem]{}, err
	}
	if err := v.Err(); err != nil {
		return Result[domain.InventoryItem]{}, err
	}
	id := domain.InventoryItemID(cmd.SKU, cmd.LocationID)
	return execute(ctx, h, "inventory", id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) {
		return it.Create(cmd, "")
	}, nil)
}

// UpdateInventoryItem changes an item's reorder settings and unit cost.
func (h *Handler) UpdateInventoryItem(ctx context.Context, id string, cmd domain.UpdateInventoryItem, opts ...Option) (Result[domain.InventoryItem], error) {
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Update(cmd) })
}

// AdjustInventory posts a stock movement.
func (h *Handler) AdjustInventory(ctx context.Context, id string, cmd domain.AdjustInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = h.now()
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Adjust(cmd) })
}

// MoveInventory posts a movement of any balance (on hand, incoming, in transit), for
// flows: purchase orders, receipts, transfers, production.
func (h *Handler) MoveInventory(ctx context.Context, id string, cmd domain.MoveInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = h.now()
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Move(cmd) })
}

// ReserveInventory sets the demand of a reservation on an item.
func (h *Handler) ReserveInventory(ctx context.Context, id string, cmd domain.ReserveInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = h.now()
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Reserve(cmd) })
}

// ReleaseReservation drops a reservation and its backorder.
func (h *Handler) ReleaseReservation(ctx context.Context, id, reservationID string, opts ...Option) (Result[domain.InventoryItem], error) {
	now := h.now()
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Release(reservationID, now) })
}

// ConsumeInventory takes reserved stock out.
func (h *Handler) ConsumeInventory(ctx context.Context, id string, cmd domain.ConsumeInventory, opts ...Option) (Result[domain.InventoryItem], error) {
	cmd.Now = h.now()
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.Consume(cmd) })
}

// ExpireReservations releases an item's reservations whose time has passed.
func (h *Handler) ExpireReservations(ctx context.Context, id string, opts ...Option) (Result[domain.InventoryItem], error) {
	now := h.now()
	return h.onItem(ctx, id, opts, func(it *domain.InventoryItem) ([]domain.Event, error) { return it.ExpireReservations(now) })
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

// InventoryItem loads an item from the event store.
func (h *Handler) InventoryItem(ctx context.Context, id string) (*domain.InventoryItem, error) {
	return loadExisting[domain.InventoryItem](ctx, h, "inventory", id, 0)
}

// InventoryItemAt rebuilds an item as it was at stream position pos.
func (h *Handler) InventoryItemAt(ctx context.Context, id string, pos uint64) (*domain.InventoryItem, error) {
	return loadExisting[domain.InventoryItem](ctx, h, "inventory", id, pos)
}
