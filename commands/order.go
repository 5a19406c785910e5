package commands

import (
	"context"
	"strconv"

	"stateset/domain"
)

// CreateOrder places an order. The customer and every line's SKU at the order's location
// must exist: both are asked of the event store, not of a read model that may lag.
func (h *Handler) CreateOrder(ctx context.Context, cmd domain.CreateOrder, opts ...Option) (Result[domain.Order], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Order]{}, err
	}
	if err := h.checkReferences(ctx, cmd.CustomerID, cmd.LocationID, cmd.Items); err != nil {
		return Result[domain.Order]{}, err
	}
	if cmd.OrderNumber == "" {
		n, err := h.nextNumber(ctx, "order", "ORD")
		if err != nil {
			return Result[domain.Order]{}, err
		}
		cmd.OrderNumber = n
	}
	// the id is most often one the API just made (NewID): no load of an order that is not
	// there; the append checks that it is not
	return execute(ctx, h, "order", cmd.OrderID, append(opts[:len(opts):len(opts)], asNew()), func(o *domain.Order) ([]domain.Event, error) {
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

// UpdateOrder edits an order before shipping.
func (h *Handler) UpdateOrder(ctx context.Context, id string, cmd domain.UpdateOrder, opts ...Option) (Result[domain.Order], error) {
	if cmd.Items != nil {
		o, err := h.Order(ctx, id)
		if err != nil {
			return Result[domain.Order]{}, err
		}
		if err := h.checkReferences(ctx, "", o.LocationID, *cmd.Items); err != nil {
			return Result[domain.Order]{}, err
		}
	}
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Update(cmd) })
}

// ActOnOrder runs a status action (submit, confirm, process, ship, deliver, hold,
// release, cancel).
func (h *Handler) ActOnOrder(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Act(action, reason) })
}

// ShipOrder ships lines of an order.
func (h *Handler) ShipOrder(ctx context.Context, id string, cmd domain.ShipOrder, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Ship(cmd) })
}

// AllocateOrder records what the inventory holds for an order's lines.
func (h *Handler) AllocateOrder(ctx context.Context, id string, allocs []domain.LineAllocation, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Allocate(allocs) })
}

// AddOrderNote adds a note.
func (h *Handler) AddOrderNote(ctx context.Context, id, body string, opts ...Option) (Result[domain.Order], error) {
	noteID := newID()
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.AddNote(noteID, body) })
}

// PayOrder records a captured payment.
func (h *Handler) PayOrder(ctx context.Context, id string, amount int64, reference string, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Pay(amount, reference) })
}

// RefundOrder records a refund; for a return, returnID names it and key (the return's
// refund event id) makes a redelivery a no-op.
func (h *Handler) RefundOrder(ctx context.Context, id string, amount int64, reason, returnID, key string, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.Refund(amount, reason, returnID, key) })
}

// OpenOrderReturn holds a return's quantities against the order's shipped lines.
func (h *Handler) OpenOrderReturn(ctx context.Context, id, returnID string, lines map[string]int64, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.OpenReturn(returnID, lines) })
}

// CloseOrderReturn frees a rejected or cancelled return's quantities.
func (h *Handler) CloseOrderReturn(ctx context.Context, id, returnID string, opts ...Option) (Result[domain.Order], error) {
	return h.onOrder(ctx, id, opts, func(o *domain.Order) ([]domain.Event, error) { return o.CloseReturn(returnID) })
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

// Order loads an order from the event store.
func (h *Handler) Order(ctx context.Context, id string) (*domain.Order, error) {
	return loadExisting[domain.Order](ctx, h, "order", id, 0)
}

// OrderAt rebuilds an order as it was at stream position pos.
func (h *Handler) OrderAt(ctx context.Context, id string, pos uint64) (*domain.Order, error) {
	return loadExisting[domain.Order](ctx, h, "order", id, pos)
}
