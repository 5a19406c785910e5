package commands

import (
	"context"
	"errors"
	"strconv"

	"stateset/domain"
)

// CreateTransfer plans a transfer: both locations must be warehouses and every SKU stocked
// at the source (400 naming the field otherwise).
func (m Warehouse) CreateTransfer(ctx context.Context, cmd domain.CreateTransfer, opts ...Option) (Result[domain.Transfer], error) {
	if err := m.h.checkTransfer(ctx, cmd); err != nil {
		return Result[domain.Transfer]{}, err
	}
	return execute(ctx, m.h, "transfer", cmd.TransferID, opts, func(t *domain.Transfer) ([]domain.Event, error) {
		return t.Create(cmd)
	}, nil)
}

func (h *Handler) checkTransfer(ctx context.Context, cmd domain.CreateTransfer) error {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return err
	}
	if err := h.checkWarehouse(ctx, &v, "from_location_id", cmd.FromLocationID); err != nil {
		return err
	}
	if err := h.checkWarehouse(ctx, &v, "to_location_id", cmd.ToLocationID); err != nil {
		return err
	}
	skus := make([]string, len(cmd.Items))
	for i, it := range cmd.Items {
		skus[i] = it.SKU
	}
	if err := h.checkStockedAt(ctx, &v, cmd.FromLocationID, skus, func(i int) string { return "items[" + strconv.Itoa(i) + "].sku" }); err != nil {
		return err
	}
	return v.Err()
}

// ActOnTransfer runs ship, receive or cancel.
//
// Ship's guard (guardTransferShip) runs once the transfer, under its lock, may ship
// (If-Match, and its transition error, come first and reserve nothing): it checks that
// the source has the quantities available (an *InsufficientStockError listing every short
// SKU, and nothing is appended), then reserves them there, so nothing can take them
// between this answer and the flow; flow transfer-stock (F6) consumes the reservations and
// puts the stock in transit at the destination. undo, when the append fails, gives back
// what this attempt reserved, unless the transfer shipped after all (a ship on another
// instance that found the reservations made, or an append that landed despite its error):
// then the reservations are the shipment's. A retry reserves again (the reservation's
// demand is absolute, so a retry after a crash reserves nothing twice); a hold left by a
// crash between the two is the transfer's until it ships, or is released by F6 when it is
// cancelled.
//
// Every line is checked before any is reserved, but the items are not locked: a
// reservation another request makes on a later line's item between the check and this
// ship's reserve refuses that line, and the lines reserved before it are released again,
// so a refused multi-line ship can still leave a reserve/release pair on an item (the
// reserves are on separate aggregates, which no single commit spans).
func (m Warehouse) ActOnTransfer(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Transfer], error) {
	act := func(t *domain.Transfer) ([]domain.Event, error) { return t.Act(action, reason) }
	if action != "ship" {
		return onExisting(ctx, m.h, "transfer", id, opts, act)
	}
	return onExistingCompound(ctx, m.h, "transfer", id, opts, act, m.h.guardTransferShip(opts))
}

// guardTransferShip is the guard of TransferShipped: it checks the source's stock on the
// items as loaded, then reserves each item's quantity there, keyed by the transfer and
// SKU (holdTransfer; an item short by then refuses atomically, the same 409, and what was
// reserved before it is released). undo releases the reservations this attempt made
// (unholdTransfer), unless the transfer shipped after all.
func (h *Handler) guardTransferShip(opts []Option) guard[domain.Transfer] {
	return func(ctx context.Context, _ *domain.Transfer, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			s, ok := e.(domain.TransferShipped)
			if !ok {
				continue
			}
			if err := h.checkAvailable(ctx, s.FromLocationID, s.Items); err != nil {
				return nil, nil, err
			}
			t := &domain.Transfer{ID: s.TransferID, FromLocationID: s.FromLocationID, Items: s.Items}
			held, err := h.holdTransfer(ctx, t, sideOpts(opts))
			if err != nil {
				return nil, nil, err
			}
			if len(held) > 0 {
				undo = func(ctx context.Context) { h.unholdTransfer(ctx, t, held, sideOpts(opts)) }
			}
		}
		return undo, nil, nil
	}
}

// holdTransfer reserves a transfer's quantities at its source and answers the items whose
// reservation this call made (a reservation already holding the quantity, left by an
// earlier attempt or a concurrent ship, is not this call's to give back). On a refusal it
// releases what it reserved and answers the refusal. Only t's id, source and items are read.
func (h *Handler) holdTransfer(ctx context.Context, t *domain.Transfer, opts []Option) ([]domain.TransferItem, error) {
	var took []domain.TransferItem
	for _, it := range t.Items {
		res, err := h.Inventory().Reserve(ctx, domain.InventoryItemID(it.SKU, t.FromLocationID), domain.ReserveInventory{
			ReservationID: transferReservation(t.ID, it.SKU), ReferenceType: "transfer", ReferenceID: t.ID,
			Quantity: it.Quantity}, opts...)
		if err != nil {
			_ = h.releaseTransfer(context.WithoutCancel(ctx), t.ID, t.FromLocationID, took, opts)
			return nil, err
		}
		if len(res.Events) > 0 {
			took = append(took, it)
		}
	}
	return took, nil
}

// unholdTransfer gives back what a ship whose append failed reserved, unless the transfer
// shipped after all (F6 consumes the reservations then) or its state cannot be read (the
// outcome is unknown: the hold stays the transfer's until it ships or is cancelled). A
// transfer that does not exist (a TransferInventory whose append did not land) holds
// nothing.
func (h *Handler) unholdTransfer(ctx context.Context, t *domain.Transfer, held []domain.TransferItem, opts []Option) {
	now, err := h.Warehouse().Transfer(ctx, t.ID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
	case err != nil:
		h.log.WarnContext(ctx, "transfer ship failed; its source reservations are kept", "transfer_id", t.ID, "err", err)
		return
	case now.Status != domain.TransferStatusCreated && now.Status != domain.TransferStatusCancelled:
		return
	}
	if err := h.releaseTransfer(ctx, t.ID, t.FromLocationID, held, opts); err != nil {
		h.log.WarnContext(ctx, "release a failed transfer ship's reservations", "transfer_id", t.ID, "err", err)
	}
}

// releaseTransfer releases the source reservations of a transfer's items; releasing one
// that is gone (or of an item that is) is a no-op.
func (h *Handler) releaseTransfer(ctx context.Context, transferID, from string, items []domain.TransferItem, opts []Option) error {
	var first error
	for _, it := range items {
		_, err := h.Inventory().ReleaseReservation(ctx, domain.InventoryItemID(it.SKU, from), transferReservation(transferID, it.SKU), opts...)
		if err != nil && !errors.Is(err, domain.ErrNotFound) && first == nil {
			first = err
		}
	}
	return first
}

func transferReservation(transferID, sku string) string {
	return domain.ReservationID("transfer", transferID, "", sku)
}

// TransferInventory is POST /v1/inventory/transfer: a one-line transfer created and
// shipped at once, and a refused request appends nothing. The transfer is appended
// created and shipped in one commit (TransferCreated and TransferShipped, all or none)
// carrying the request's idempotency key, guarded as any ship (guardTransferShip): the
// source's stock is checked on the items as loaded (an *InsufficientStockError), then
// reserved, keyed by the transfer and SKU (an item short by then refuses atomically: the
// same 409, nothing appended); F6 takes it from there as for any ship. undo, when the
// append fails, releases the reservations this call made, unless the transfer shipped
// after all (the append landed despite the error, or a request with the same id won). A
// transfer id that exists already reserves nothing: a replay of this request is answered
// with its state, anything else with ALREADY_EXISTS, both before the guard.
func (m Warehouse) TransferInventory(ctx context.Context, cmd domain.CreateTransfer, opts ...Option) (Result[domain.Transfer], error) {
	if err := m.h.checkTransfer(ctx, cmd); err != nil {
		return Result[domain.Transfer]{}, err
	}
	// the answer's position is the transfer's commit, after the reservations
	return executeCompound(ctx, m.h, "transfer", cmd.TransferID, opts, func(t *domain.Transfer) ([]domain.Event, error) {
		return t.CreateShipped(cmd)
	}, m.h.guardTransferShip(opts))
}

func (h *Handler) checkAvailable(ctx context.Context, loc string, items []domain.TransferItem) error {
	var short []domain.Shortage
	for _, it := range items {
		var avail int64
		item, err := h.Inventory().Item(ctx, domain.InventoryItemID(it.SKU, loc))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		if item != nil {
			avail = item.Available()
		}
		if avail < it.Quantity {
			short = append(short, domain.Shortage{SKU: it.SKU, LocationID: loc, Requested: it.Quantity, Available: avail})
		}
	}
	if len(short) > 0 {
		return &domain.InsufficientStockError{Shortages: short}
	}
	return nil
}

// Transfer loads a transfer from the event store.
func (m Warehouse) Transfer(ctx context.Context, id string) (*domain.Transfer, error) {
	return loadExisting[domain.Transfer](ctx, m.h, "transfer", id, 0)
}
