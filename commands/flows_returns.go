package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// returnFlow is F3 (flows return-stock and return-order): an inspection restocks the RESTOCK lines at their location (creating
// the item there if the SKU was never stocked at it; DAMAGED and DISPOSE lines stay out of
// stock, recorded only on the return), a refund refunds the order (idempotent per return
// id), and a rejected or cancelled return frees its quantities on the order.
func (h *Handler) returnFlow(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	switch e := env.Event.(type) {
	case domain.ReturnInspected:
		var currency string
		done, err := h.restocked(ctx, e.ReturnID, env.Position)
		if err != nil {
			return err
		}
		for _, it := range e.Items {
			qty := it.Quantity - done[it.LineID] // a reopened return's goods came back once
			if it.Disposition != domain.DispositionRestock || qty <= 0 {
				continue
			}
			id := domain.InventoryItemID(it.SKU, it.LocationID)
			adjust := func() error {
				_, err := h.Inventory().Adjust(ctx, id, domain.AdjustInventory{Quantity: qty, Reason: domain.ReasonReturn,
					SourceType: "return", SourceID: e.ReturnID, MovementKey: domain.MovementKey(env.ID, it.LineID)}, opt)
				return err
			}
			err := adjust()
			if errors.Is(err, domain.ErrNotFound) {
				if currency == "" {
					if r, rerr := h.Returns().Get(ctx, e.ReturnID); rerr == nil {
						currency = r.Currency
					}
				}
				_, cerr := h.Inventory().CreateItem(ctx, domain.CreateInventoryItem{SKU: it.SKU, LocationID: it.LocationID, Currency: currency}, opt)
				if cerr != nil && !errors.Is(cerr, domain.ErrAlreadyExists) {
					if _, ok := errors.AsType[*domain.AlreadyExistsError](cerr); !ok {
						return cerr
					}
				}
				err = adjust()
			}
			if err != nil {
				return err
			}
		}
	case domain.ReturnRefunded:
		_, err := h.Orders().Refund(ctx, e.OrderID, e.Amount, "return", e.ReturnID, env.ID, opt)
		return err
	case domain.ReturnRejected:
		_, err := h.releaseUnlessOpen(ctx, e.OrderID, e.ReturnID, opt)
		return err
	case domain.ReturnCancelled:
		_, err := h.releaseUnlessOpen(ctx, e.OrderID, e.ReturnID, opt)
		return err
	}
	return nil
}

// restocked is what inspections of a return before position pos put back on hand, by
// line.
func (h *Handler) restocked(ctx context.Context, returnID string, pos uint64) (map[string]int64, error) {
	hist, err := h.History(ctx, "return", returnID)
	if err != nil {
		return nil, err
	}
	done := map[string]int64{}
	for _, env := range hist {
		if e, ok := env.Event.(domain.ReturnInspected); ok && env.Position < pos {
			for _, it := range e.Items {
				if it.Disposition == domain.DispositionRestock {
					done[it.LineID] = max(done[it.LineID], it.Quantity)
				}
			}
		}
	}
	return done, nil
}
