package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// orderStock is F1, F2 and F4: confirming reserves every line (a shortfall is
// backordered), an edit sets each line's reservation to its new quantity, shipping
// consumes reservations, cancelling releases them.
func (h *Handler) orderStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	reserve := func(orderID, loc string, l domain.OrderLine, qty int64) error {
		_, err := h.Inventory().Reserve(ctx, domain.InventoryItemID(l.SKU, loc), domain.ReserveInventory{
			ReservationID: domain.ReservationID("order", orderID, l.ID, l.SKU), ReferenceType: "order",
			ReferenceID: orderID, LineID: l.ID, Quantity: qty, AllowBackorder: true,
			MovementKey: domain.MovementKey(env.ID, l.ID)}, opt)
		return err
	}
	switch e := env.Event.(type) {
	case domain.OrderConfirmed:
		// A confirmation handled late (a parked event replayed after the order was
		// cancelled) must not reserve for an order that no longer wants stock.
		o, err := h.Orders().Get(ctx, e.OrderID)
		if err != nil {
			return err
		}
		if !stockHeld(o) {
			return nil
		}
		for _, l := range e.Items {
			if err := reserve(e.OrderID, e.LocationID, l, l.Quantity); err != nil {
				return err
			}
		}
	case domain.OrderUpdated:
		if e.Items == nil {
			return nil
		}
		o, err := h.Orders().At(ctx, e.OrderID, env.Position)
		if err != nil {
			return err
		}
		if !stockHeld(o) {
			return nil
		}
		kept := map[string]bool{}
		for _, l := range e.Items.To {
			kept[l.ID] = true
			if err := reserve(e.OrderID, e.LocationID, l, l.Quantity); err != nil {
				return err
			}
		}
		for _, l := range e.Items.From {
			if !kept[l.ID] {
				if err := reserve(e.OrderID, e.LocationID, l, 0); err != nil {
					return err
				}
			}
		}
	case domain.OrderShipped:
		for _, l := range e.Lines {
			_, err := h.Inventory().Consume(ctx, domain.InventoryItemID(l.SKU, e.LocationID), domain.ConsumeInventory{
				ReservationID: domain.ReservationID("order", e.OrderID, l.LineID, l.SKU), Quantity: l.Quantity,
				Reason: domain.ReasonSale, SourceType: "order", SourceID: e.OrderID,
				MovementKey: domain.MovementKey(env.ID, l.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	case domain.OrderCancelled:
		for _, l := range e.Items {
			_, err := h.Inventory().ReleaseReservation(ctx, domain.InventoryItemID(l.SKU, e.LocationID),
				domain.ReservationID("order", e.OrderID, l.ID, l.SKU), opt)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// stockHeld reports whether an order's lines hold reservations: it was confirmed and has
// not shipped (an order held after confirmation keeps them).
func stockHeld(o *domain.Order) bool {
	switch o.Status {
	case domain.OrderStatusConfirmed, domain.OrderStatusProcessing:
		return true
	case domain.OrderStatusOnHold:
		return o.HeldFrom == domain.OrderStatusConfirmed || o.HeldFrom == domain.OrderStatusProcessing
	}
	return false
}

// orderAllocation tells an order what the inventory holds for its lines, including
// backorders filled when stock arrives. The report is absolute and stamped with the
// inventory event's position, so a redelivered or late one changes nothing.
func (h *Handler) orderAllocation(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	var refType, orderID string
	var a domain.LineAllocation
	switch e := env.Event.(type) {
	case domain.InventoryReserved:
		refType, orderID = e.ReferenceType, e.ReferenceID
		a = domain.LineAllocation{LineID: e.LineID, Reserved: e.TotalReserved, Backordered: e.TotalBackordered}
	case domain.InventoryBackordered:
		refType, orderID = e.ReferenceType, e.ReferenceID
		a = domain.LineAllocation{LineID: e.LineID, Reserved: e.TotalReserved, Backordered: e.TotalBackordered}
	case domain.InventoryReservationReleased:
		refType, orderID = e.ReferenceType, e.ReferenceID
		a = domain.LineAllocation{LineID: e.LineID, Reserved: e.TotalReserved, Backordered: e.TotalBackordered}
	}
	if refType != "order" {
		return nil
	}
	a.AsOf = env.Position
	_, err := h.Orders().Allocate(ctx, orderID, []domain.LineAllocation{a}, WithMetadata(meta))
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}
