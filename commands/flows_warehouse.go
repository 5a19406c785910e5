package commands

import (
	"context"
	"errors"
	"slices"

	"stateset/domain"
)

// transferStock is F6: a shipped transfer takes the stock out of the source's on hand and
// puts it in transit at the destination (creating the item there if the SKU was never
// stocked); a received transfer moves it from in transit to on hand, which fills the
// destination's backorders; a cancelled transfer releases its source reservations (the
// backstop of a ship that reserved and then lost to the cancel: releasing a reservation
// that is gone is a no-op). Movement keys derive from the event id.
func (h *Handler) transferStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	move := func(sku, loc string, m domain.MoveInventory) error {
		m.Reason, m.SourceType = domain.ReasonTransfer, "transfer"
		m.MovementKey = domain.MovementKey(env.ID, sku)
		_, err := h.Inventory().Move(ctx, domain.InventoryItemID(sku, loc), m, opt)
		return err
	}
	switch e := env.Event.(type) {
	case domain.TransferShipped:
		for _, it := range e.Items {
			// the ship reserved the quantities at the source: they leave it now
			_, err := h.Inventory().Consume(ctx, domain.InventoryItemID(it.SKU, e.FromLocationID), domain.ConsumeInventory{
				ReservationID: transferReservation(e.TransferID, it.SKU), Quantity: it.Quantity, Reason: domain.ReasonTransfer,
				SourceType: "transfer", SourceID: e.TransferID, MovementKey: domain.MovementKey(env.ID, it.SKU)}, opt)
			if err != nil {
				return err
			}
			if err := h.ensureItem(ctx, it.SKU, e.FromLocationID, e.ToLocationID, opt); err != nil {
				return err
			}
			if err := move(it.SKU, e.ToLocationID, domain.MoveInventory{InTransit: it.Quantity, SourceID: e.TransferID}); err != nil {
				return err
			}
		}
	case domain.TransferReceived:
		for _, it := range e.Items {
			if err := move(it.SKU, e.ToLocationID, domain.MoveInventory{OnHand: it.Quantity, InTransit: -it.Quantity, SourceID: e.TransferID}); err != nil {
				return err
			}
		}
	case domain.TransferCancelled:
		t, err := h.Warehouse().Transfer(ctx, e.TransferID)
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return h.releaseTransfer(ctx, t.ID, t.FromLocationID, t.Items, []Option{opt})
	}
	return nil
}

// ensureItem stocks sku at loc, with the unit cost and currency it has at from, unless it
// is stocked there already.
func (h *Handler) ensureItem(ctx context.Context, sku, from, loc string, opt Option) error {
	ok, err := h.exists(ctx, "inventory", domain.InventoryItemID(sku, loc))
	if err != nil || ok {
		return err
	}
	create := domain.CreateInventoryItem{SKU: sku, LocationID: loc}
	if src, err := h.Inventory().Item(ctx, domain.InventoryItemID(sku, from)); err == nil {
		create.UnitCost, create.Currency = src.UnitCost, src.Currency
	}
	_, err = h.Inventory().CreateItem(ctx, create, opt)
	if isAlreadyExists(err) {
		return nil
	}
	return err
}

// cycleCountStock is F8, the backstop of reconcile, which posts the variances itself
// before it appends the event: each non-zero variance of a reconciled count is posted as a
// cycle_count movement of on hand with reconcile's key (count and SKU), so it is a no-op
// for what reconcile posted. A count reconciled before reconcile posted its own variances
// was posted here under the event id and SKU: that key is honoured too.
func (h *Handler) cycleCountStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.CycleCountReconciled)
	if !ok {
		return nil
	}
	for _, v := range e.Variances {
		if v.Variance == 0 {
			continue
		}
		id := domain.InventoryItemID(v.SKU, e.WarehouseID)
		if it, err := h.Inventory().Item(ctx, id); err == nil && slices.Contains(it.Recent, domain.MovementKey(env.ID, v.SKU)) {
			continue
		}
		_, err := h.Inventory().Move(ctx, id, domain.MoveInventory{OnHand: v.Variance,
			Reason: domain.ReasonCycleCount, SourceType: "cycle_count", SourceID: e.CycleCountID,
			MovementKey: cycleCountKey(e.CycleCountID, v.SKU)}, WithMetadata(meta))
		if err != nil {
			return err
		}
	}
	return nil
}

// pickListOrders moves the orders of a started pick list from CONFIRMED to PROCESSING:
// picking is where processing begins. Orders that moved on (held, cancelled, already
// processing) are left alone, so a redelivery changes nothing.
func (h *Handler) pickListOrders(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.PickListStarted)
	if !ok {
		return nil
	}
	for _, id := range slices.Clone(e.OrderIDs) {
		o, err := h.Orders().Get(ctx, id)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if o.Status != domain.OrderStatusConfirmed {
			continue
		}
		_, err = h.Orders().Act(ctx, id, "process", "picking started: pick list "+e.PickListID, WithMetadata(meta))
		if _, ok := errors.AsType[*domain.TransitionError](err); ok {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// shipmentOrder delivers the order of a delivered shipment once every line has shipped.
func (h *Handler) shipmentOrder(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.ShipmentDelivered)
	if !ok {
		return nil
	}
	err := h.deliverOrderIfShipped(ctx, e.OrderID, []Option{WithMetadata(meta)})
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}
