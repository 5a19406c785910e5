package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// Register registers a warranty, PENDING. The customer (and the order, when one
// is given) must exist: both are asked of the event store.
func (m Warranties) Register(ctx context.Context, cmd domain.RegisterWarranty, opts ...Option) (Result[domain.Warranty], error) {
	if cmd.WarrantyNumber == "" {
		cmd.WarrantyNumber = "WAR-0" // checked with a placeholder; numbered below
	}
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Warranty]{}, err
	}
	if err := m.h.checkCustomer(ctx, &v, "customer_id", cmd.CustomerID); err != nil {
		return Result[domain.Warranty]{}, err
	}
	if cmd.OrderID != "" {
		ok, err := m.h.exists(ctx, "order", cmd.OrderID)
		if err != nil {
			return Result[domain.Warranty]{}, err
		}
		v.Check(ok, "order_id", "no such order")
	}
	if err := v.Err(); err != nil {
		return Result[domain.Warranty]{}, err
	}
	if cmd.WarrantyNumber == "WAR-0" {
		n, err := m.h.nextNumber(ctx, "warranty", "WAR")
		if err != nil {
			return Result[domain.Warranty]{}, err
		}
		cmd.WarrantyNumber = n
	}
	return execute(ctx, m.h, "warranty", cmd.WarrantyID, opts, func(w *domain.Warranty) ([]domain.Event, error) {
		return w.Register(cmd)
	}, nil)
}

// Act runs approve, reject, cancel, close or reopen.
func (m Warranties) Act(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Warranty], error) {
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) { return w.Act(action, reason) })
}

// FileClaim files a claim now (the handler's clock) under an approved warranty.
func (m Warranties) FileClaim(ctx context.Context, id string, cmd domain.FileWarrantyClaim, opts ...Option) (Result[domain.Warranty], error) {
	cmd.WarrantyID = id
	if cmd.ClaimID == "" {
		cmd.ClaimID = newID()
	}
	now := m.h.now()
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) { return w.FileClaim(cmd, now) })
}

// ApproveClaim grants a claim with a resolution; F9 carries it out.
func (m Warranties) ApproveClaim(ctx context.Context, id, claimID, resolution string, opts ...Option) (Result[domain.Warranty], error) {
	now := m.h.now()
	w, err := m.Get(ctx, id)
	if err != nil {
		return Result[domain.Warranty]{}, err
	}
	if err := m.h.checkClaimResolution(ctx, w, w.ClaimResolution(claimID, resolution)); err != nil {
		return Result[domain.Warranty]{}, err
	}
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) {
		return w.ApproveClaim(claimID, resolution, now)
	})
}

// RejectClaim refuses a claim.
func (m Warranties) RejectClaim(ctx context.Context, id, claimID, reason string, opts ...Option) (Result[domain.Warranty], error) {
	now := m.h.now()
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) {
		return w.RejectClaim(claimID, reason, now)
	})
}

// Update edits a warranty's serial number, terms or metadata.
func (m Warranties) Update(ctx context.Context, id string, cmd domain.UpdateWarranty, opts ...Option) (Result[domain.Warranty], error) {
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) { return w.Update(cmd) })
}

// UpdateClaim edits a claim awaiting a decision.
func (m Warranties) UpdateClaim(ctx context.Context, id string, cmd domain.UpdateWarrantyClaim, opts ...Option) (Result[domain.Warranty], error) {
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) { return w.UpdateClaim(cmd) })
}

// WithdrawClaim takes back a claim awaiting a decision.
func (m Warranties) WithdrawClaim(ctx context.Context, id, claimID, reason string, opts ...Option) (Result[domain.Warranty], error) {
	now := m.h.now()
	return m.h.onWarranty(ctx, id, opts, func(w *domain.Warranty) ([]domain.Event, error) {
		return w.WithdrawClaim(claimID, reason, now)
	})
}

func (h *Handler) onWarranty(ctx context.Context, id string, opts []Option, decide func(*domain.Warranty) ([]domain.Event, error)) (Result[domain.Warranty], error) {
	if !domain.ValidID(id) {
		return Result[domain.Warranty]{}, domain.ErrNotFound
	}
	return execute(ctx, h, "warranty", id, opts, func(w *domain.Warranty) ([]domain.Event, error) {
		if !w.Exists() {
			return nil, domain.ErrNotFound
		}
		return decide(w)
	}, nil)
}

// Get loads a warranty from the event store.
func (m Warranties) Get(ctx context.Context, id string) (*domain.Warranty, error) {
	return loadExisting[domain.Warranty](ctx, m.h, "warranty", id, 0)
}

// At rebuilds a warranty as it was at stream position pos.
func (m Warranties) At(ctx context.Context, id string, pos uint64) (*domain.Warranty, error) {
	return loadExisting[domain.Warranty](ctx, m.h, "warranty", id, pos)
}

// checkClaimResolution refuses a resolution the warranty-claims flow could not carry out,
// so that it is answered now instead of parked later: a replacement needs the SKU stocked
// where the replacement order ships from, a repair needs a shipped unit of the SKU on the
// warranty's order to return.
func (h *Handler) checkClaimResolution(ctx context.Context, w *domain.Warranty, resolution string) error {
	var o *domain.Order
	if w.OrderID != "" {
		var err error
		if o, err = h.Orders().Get(ctx, w.OrderID); err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
	}
	switch resolution {
	case "REPLACEMENT":
		loc := "main"
		if o != nil {
			loc = o.LocationID
		}
		ok, err := h.exists(ctx, "inventory", domain.InventoryItemID(w.SKU, loc))
		if err != nil {
			return err
		}
		if !ok {
			return badField("resolution", "REPLACEMENT needs "+w.SKU+" stocked at location "+loc)
		}
	case "REPAIR":
		returnable := int64(0)
		if o != nil {
			for _, l := range o.Items {
				if l.SKU == w.SKU {
					returnable = o.Returnable()[l.ID]
				}
			}
		}
		if returnable < 1 {
			return badField("resolution", "REPAIR opens a return of "+w.SKU+" on the warranty's order, which has no shipped unit of it left to return")
		}
	}
	return nil
}
