package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// wholesaleStock reserves a wholesale order's stock: approving reserves every line (a
// shortfall is backordered), cancelling an approved order releases the reservations,
// fulfilling consumes them. Wholesale orders do not track allocation (orderAllocation
// reports to retail orders only): fulfilment instead checks the reservations themselves.
func (h *Handler) wholesaleStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	resID := func(orderID, lineID, sku string) string {
		return domain.ReservationID("wholesale_order", orderID, lineID, sku)
	}
	switch e := env.Event.(type) {
	case domain.WholesaleOrderApproved:
		// handled late (a parked event replayed), an order cancelled since wants no stock
		o, err := h.Wholesale().Order(ctx, e.OrderID)
		if err != nil {
			return err
		}
		if o.Status == domain.WholesaleOrderStatusCancelled {
			return nil
		}
		for _, l := range e.Lines {
			_, err := h.Inventory().Reserve(ctx, domain.InventoryItemID(l.SKU, e.LocationID), domain.ReserveInventory{
				ReservationID: resID(e.OrderID, l.LineID, l.SKU), ReferenceType: "wholesale_order",
				ReferenceID: e.OrderID, LineID: l.LineID, Quantity: l.Quantity, AllowBackorder: true,
				MovementKey: domain.MovementKey(env.ID, l.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	case domain.WholesaleOrderCancelled:
		if e.From != domain.WholesaleOrderStatusApproved {
			return nil // no stock was held
		}
		o, err := h.Wholesale().OrderAt(ctx, e.OrderID, env.Position)
		if err != nil {
			return err
		}
		for _, l := range o.Lines {
			_, err := h.Inventory().ReleaseReservation(ctx, domain.InventoryItemID(l.SKU, o.LocationID), resID(o.ID, l.LineID, l.SKU), opt)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
		}
	case domain.WholesaleOrderFulfilled:
		o, err := h.Wholesale().OrderAt(ctx, e.OrderID, env.Position)
		if err != nil {
			return err
		}
		for _, l := range o.Lines {
			_, err := h.Inventory().Consume(ctx, domain.InventoryItemID(l.SKU, o.LocationID), domain.ConsumeInventory{
				ReservationID: resID(o.ID, l.LineID, l.SKU), Quantity: l.Quantity,
				Reason: domain.ReasonSale, SourceType: "wholesale_order", SourceID: o.ID,
				MovementKey: domain.MovementKey(env.ID, l.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// wholesaleCredit keeps the customer's credit in step with the order: invoicing marks it
// invoiced, paying or cancelling frees it; every command here is idempotent by order id.
func (h *Handler) wholesaleCredit(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	var err error
	switch e := env.Event.(type) {
	case domain.WholesaleOrderInvoiced:
		_, err = h.Wholesale().InvoiceCredit(ctx, domain.InvoiceCredit{CustomerID: e.CustomerID, OrderID: e.OrderID}, opt)
	case domain.WholesaleOrderPaid:
		_, err = h.Wholesale().ReleaseCredit(ctx, domain.ReleaseCredit{CustomerID: e.CustomerID, OrderID: e.OrderID, Reason: "paid"}, opt)
	case domain.WholesaleOrderCancelled:
		_, err = h.Wholesale().ReleaseCredit(ctx, domain.ReleaseCredit{CustomerID: e.CustomerID, OrderID: e.OrderID, Reason: "cancelled"}, opt)
	}
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}
