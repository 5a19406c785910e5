package commands

import (
	"context"

	"stateset/domain"
)

// purchaseStock is F5: approving a purchase order raises each line's incoming at its
// location; each receipt moves its quantities from incoming to on hand (filling
// backorders inside the item); cancelling an approved order, or closing a partly received
// one, lowers incoming by what will no longer arrive. Every movement is keyed by the
// causing event and the line.
func (h *Handler) purchaseStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	move := func(poID, loc string, it domain.PurchaseItem, onHand, incoming int64, reason string) error {
		_, err := h.Inventory().Move(ctx, domain.InventoryItemID(it.SKU, loc), domain.MoveInventory{OnHand: onHand,
			Incoming: incoming, Reason: reason, SourceType: "purchase_order", SourceID: poID,
			MovementKey: domain.MovementKey(env.ID, it.LineID)}, opt)
		return err
	}
	var err error
	switch e := env.Event.(type) {
	case domain.PurchaseOrderApproved:
		for _, it := range e.Items {
			if err = move(e.PurchaseOrderID, e.LocationID, it, 0, it.Quantity, domain.ReasonPurchase); err != nil {
				return err
			}
		}
	case domain.PurchaseOrderReceived:
		for _, it := range e.Items {
			if err = move(e.PurchaseOrderID, e.LocationID, it, it.Quantity, -it.Quantity, domain.ReasonReceipt); err != nil {
				return err
			}
		}
	case domain.PurchaseOrderCancelled:
		for _, it := range e.Open {
			if err = move(e.PurchaseOrderID, e.LocationID, it, 0, -it.Quantity, domain.ReasonPurchase); err != nil {
				return err
			}
		}
	case domain.PurchaseOrderClosed:
		for _, it := range e.Open {
			if err = move(e.PurchaseOrderID, e.LocationID, it, 0, -it.Quantity, domain.ReasonPurchase); err != nil {
				return err
			}
		}
	}
	return nil
}
