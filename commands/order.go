package commands

import (
	"context"
	"strconv"

	"stateset/domain"
)

// Create places an order. The customer and every line's SKU at the order's location
// must exist: both are asked of the event store, not of a read model that may lag.
func (m Orders) Create(ctx context.Context, cmd domain.CreateOrder, opts ...Option) (Result[domain.Order], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Order]{}, err
	}
	if err := m.h.checkReferences(ctx, cmd.CustomerID, cmd.LocationID, cmd.Items); err != nil {
		return Result[domain.Order]{}, err
	}
	if cmd.OrderNumber == "" {
		n, err := m.h.nextNumber(ctx, "order", "ORD")
		if err != nil {
			return Result[domain.Order]{}, err
		}
		cmd.OrderNumber = n
	}
	// the id is most often one the API just made (NewID): no load of an order that is not
	// there; the append checks that it is not
	return execute(ctx, m.h, "order", cmd.OrderID, append(opts[:len(opts):len(opts)], asNew()), func(o *domain.Order) ([]domain.Event, error) {
		return o.Create(cmd)
	}, nil)
}

// checkReferences answers 400 naming the field for an unknown customer or SKU.
func (h *Handler) checkReferences(ctx context.Context, customerID, locationID string, items []domain.OrderLineInput) error {
	var v domain.Validation
	if err := h.checkCustomer(ctx, &v, "customer_id", customerID); err != nil {
		return err
	}
	for i, l := range items {
		ok, err := h.exists(ctx, "inventory", domain.InventoryItemID(l.SKU, locationID))
		if err != nil {
			return err
		}
		v.Check(ok, "items["+strconv.Itoa(i)+"].sku", "is not stocked at location "+locationID)
	}
	return v.Err()
}

// Update edits an order before shipping.
func (m Orders) Update(ctx context.Context, id string, cmd domain.UpdateOrder, opts ...Option) (Result[domain.Order], error) {
	if cmd.Items != nil {
		o, err := m.Get(ctx, id)
		if err != nil {
			return Result[domain.Order]{}, err
		}
		if err := m.h.checkReferences(ctx, "", o.LocationID, *cmd.Items); err != nil {
			return Result[domain.Order]{}, err
		}
	}
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Update(cmd) })
}

// Act runs a status action (submit, confirm, process, ship, deliver, hold,
// release, cancel).
func (m Orders) Act(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Act(action, reason) })
}

// Ship ships lines of an order.
func (m Orders) Ship(ctx context.Context, id string, cmd domain.ShipOrder, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Ship(cmd) })
}

// Allocate records what the inventory holds for an order's lines.
func (m Orders) Allocate(ctx context.Context, id string, allocs []domain.LineAllocation, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Allocate(allocs) })
}

// AddNote adds a note.
func (m Orders) AddNote(ctx context.Context, id, body string, opts ...Option) (Result[domain.Order], error) {
	noteID := newID()
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.AddNote(noteID, body) })
}

// Pay records a captured payment.
func (m Orders) Pay(ctx context.Context, id string, amount int64, reference string, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Pay(amount, reference) })
}

// Refund records a refund; for a return, returnID names it and key (the return's
// refund event id) makes a redelivery a no-op.
func (m Orders) Refund(ctx context.Context, id string, amount int64, reason, returnID, key string, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Refund(amount, reason, returnID, key) })
}

// OpenReturn holds a return's quantities against the order's shipped lines.
func (m Orders) OpenReturn(ctx context.Context, id, returnID string, lines map[string]int64, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.OpenReturn(returnID, lines) })
}

// CloseReturn frees a rejected or cancelled return's quantities.
func (m Orders) CloseReturn(ctx context.Context, id, returnID string, opts ...Option) (Result[domain.Order], error) {
	return m.h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.CloseReturn(returnID) })
}

func (h *Handler) onOrder(ctx context.Context, id string, opts []Option, decide func(*domain.Order) ([]domain.Event, error)) (Result[domain.Order], error) {
	if !domain.ValidID(id) {
		return Result[domain.Order]{}, domain.ErrNotFound
	}
	return execute(ctx, h, "order", id, opts, func(o *domain.Order) ([]domain.Event, error) {
		if !o.Exists() {
			return nil, domain.ErrNotFound
		}
		return decide(o)
	}, nil)
}

// Get loads an order from the event store.
func (m Orders) Get(ctx context.Context, id string) (*domain.Order, error) {
	return loadExisting[domain.Order](ctx, m.h, "order", id, 0)
}

// At rebuilds an order as it was at stream position pos.
func (m Orders) At(ctx context.Context, id string, pos uint64) (*domain.Order, error) {
	return loadExisting[domain.Order](ctx, m.h, "order", id, pos)
}
