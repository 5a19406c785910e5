package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// workOrderStock is F7: releasing reserves every component (reference work_order, a
// shortfall from a lost race backordered), each recorded production consumes the
// components' reservations (reason consumption for the good units, scrap for the
// scrapped ones) and puts the good units of the finished SKU on hand (reason
// production, the item created at the location if missing), and cancelling releases the
// reservations. Every movement's source is the work order and its key derives from the
// causing event's id.
func (h *Handler) workOrderStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	resID := func(woID string, lineID, sku string) string {
		return domain.ReservationID("work_order", woID, lineID, sku)
	}
	switch e := env.Event.(type) {
	case domain.WorkOrderReleased:
		// handled late (a parked event replayed), a cancelled order wants no stock
		wo, err := h.Manufacturing().WorkOrder(ctx, e.WorkOrderID)
		if err != nil {
			return err
		}
		if wo.Status == domain.WorkOrderStatusCancelled {
			return nil
		}
		for _, c := range e.Components {
			_, err := h.Inventory().Reserve(ctx, domain.InventoryItemID(c.SKU, e.LocationID), domain.ReserveInventory{
				ReservationID: resID(e.WorkOrderID, c.LineID, c.SKU), ReferenceType: "work_order",
				ReferenceID: e.WorkOrderID, LineID: c.LineID, Quantity: c.Required, AllowBackorder: true,
				MovementKey: domain.MovementKey(env.ID, c.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	case domain.WorkOrderProductionRecorded:
		for _, u := range e.Components {
			for _, part := range []struct {
				qty    int64
				reason string
			}{{u.Consumed, domain.ReasonConsumption}, {u.Scrapped, domain.ReasonScrap}} {
				if part.qty == 0 {
					continue
				}
				_, err := h.Inventory().Consume(ctx, domain.InventoryItemID(u.SKU, e.LocationID), domain.ConsumeInventory{
					ReservationID: resID(e.WorkOrderID, u.LineID, u.SKU), Quantity: part.qty, Reason: part.reason,
					SourceType: "work_order", SourceID: e.WorkOrderID,
					MovementKey: domain.MovementKey(env.ID, u.LineID+"/"+part.reason)}, opt)
				if err != nil {
					return err
				}
			}
		}
		if e.QuantityProduced == 0 {
			return nil
		}
		id := domain.InventoryItemID(e.SKU, e.LocationID)
		produce := func() error {
			_, err := h.Inventory().Move(ctx, id, domain.MoveInventory{OnHand: e.QuantityProduced, Reason: domain.ReasonProduction,
				SourceType: "work_order", SourceID: e.WorkOrderID, MovementKey: domain.MovementKey(env.ID, "output")}, opt)
			return err
		}
		err := produce()
		if errors.Is(err, domain.ErrNotFound) {
			_, cerr := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: e.SKU, LocationID: e.LocationID}, opt)
			if cerr != nil && !isAlreadyExists(cerr) {
				return cerr
			}
			err = produce()
		}
		return err
	case domain.WorkOrderCancelled:
		if !e.StockHeld {
			return nil
		}
		for _, c := range e.Components {
			_, err := h.Inventory().ReleaseReservation(ctx, domain.InventoryItemID(c.SKU, e.LocationID), resID(e.WorkOrderID, c.LineID, c.SKU), opt)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}
