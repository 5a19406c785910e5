package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// warrantyClaims is F9: an approved claim is carried out. REPLACEMENT creates a
// zero-priced order "wr-<claim>" for the SKU and confirms it, so F1 reserves it; REPAIR
// opens a return "wp-<claim>" of one unit of the SKU on the warranty's order, reason
// DEFECTIVE. REFUND does nothing beyond the event: paying money back needs a payment
// provider, and a warranty with no order has no order to refund.
func (h *Handler) warrantyClaims(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.WarrantyClaimApproved)
	if !ok {
		return nil
	}
	opt := WithMetadata(meta)
	switch e.Resolution {
	case "REPLACEMENT":
		currency, loc := "USD", "main"
		if e.OrderID != "" {
			o, err := h.Orders().Get(ctx, e.OrderID)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
			if err == nil {
				currency, loc = o.Currency, o.LocationID
			}
		}
		id := domain.ReplacementOrderID(e.WarrantyID, e.ClaimID)
		_, err := h.Orders().Create(ctx, domain.CreateOrder{OrderID: id, CustomerID: e.CustomerID, Currency: currency,
			LocationID: loc, Channel: "warranty", Submit: true,
			Items:    []domain.OrderLineInput{{SKU: e.SKU, Name: "warranty replacement", Quantity: 1, UnitPrice: 0}},
			Metadata: map[string]string{"warranty_id": e.WarrantyID, "claim_id": e.ClaimID}}, opt)
		if err != nil && !isAlreadyExists(err) {
			return err
		}
		o, err := h.Orders().Get(ctx, id)
		if err != nil {
			return err
		}
		if o.Status != domain.OrderStatusPending || o.Metadata["claim_id"] != e.ClaimID {
			return nil // confirmed already (a redelivery), moved on, or not ours
		}
		_, err = h.Orders().Act(ctx, id, "confirm", "warranty replacement", opt)
		return err
	case "REPAIR":
		if e.OrderID == "" {
			h.log.Warn("warranty repair without an order: no return opened", "warranty", e.WarrantyID, "claim", e.ClaimID)
			return nil
		}
		_, err := h.Returns().Create(ctx, RequestReturn{ReturnID: domain.RepairReturnID(e.WarrantyID, e.ClaimID), OrderID: e.OrderID,
			Items: []ReturnItemInput{{SKU: e.SKU, Quantity: 1, Reason: "DEFECTIVE"}},
			Notes: "warranty " + e.WarrantyID + " claim " + e.ClaimID}, opt)
		if err != nil && !isAlreadyExists(err) {
			return err
		}
	}
	return nil
}
