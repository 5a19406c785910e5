package commands

import (
	"context"
	"errors"
	"math"
	"strconv"

	"stateset/domain"
)

// ReturnItemInput is one line of a return request: the order line by id, or by SKU.
type ReturnItemInput struct {
	LineID    string
	SKU       string
	Quantity  int64
	Reason    string
	Condition string
}

// RequestReturn asks to send lines of a shipped order back.
type RequestReturn struct {
	ReturnID string
	OrderID  string
	Items    []ReturnItemInput
	Notes    string
}

// CreateReturn requests a return, strongly consistent with the order: the order first
// holds the quantities (refusing, atomically and appending nothing, more than shipped
// minus what open returns hold, and orders not shipped), then the return is created,
// checked against what the order was holding when it accepted; if that fails, the order
// lets go. A request refused by the order, or by its own shape, appends nothing. A return
// id that exists already, read under lockCompound, asks the order for nothing: the
// return's append answers a replay of this request with its state, and anything else with
// ALREADY_EXISTS.
func (h *Handler) CreateReturn(ctx context.Context, in RequestReturn, opts ...Option) (Result[domain.Return], error) {
	if !domain.ValidID(in.ReturnID) {
		return Result[domain.Return]{}, badField("id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
	unlock, err := h.lockCompound(ctx, "return", in.ReturnID)
	if err != nil {
		return Result[domain.Return]{}, err
	}
	defer unlock()
	o, err := h.Order(ctx, in.OrderID)
	if errors.Is(err, domain.ErrNotFound) {
		return Result[domain.Return]{}, badField("order_id", "no such order")
	}
	if err != nil {
		return Result[domain.Return]{}, err
	}
	cmd := domain.CreateReturn{ReturnID: in.ReturnID, OrderID: o.ID, CustomerID: o.CustomerID, Currency: o.Currency, Notes: in.Notes}
	var v domain.Validation
	for i, it := range in.Items {
		idx := -1
		for j, l := range o.Items {
			if (it.LineID != "" && l.ID == it.LineID) || (it.LineID == "" && it.SKU != "" && l.SKU == it.SKU) {
				idx = j
				break
			}
		}
		ri := domain.ReturnItem{LineID: it.LineID, SKU: it.SKU, Quantity: it.Quantity, Reason: it.Reason, Condition: it.Condition}
		switch {
		case idx >= 0:
			l := o.Items[idx]
			ri.LineID, ri.SKU, ri.UnitPrice = l.ID, l.SKU, l.UnitPrice
		case it.LineID != "":
			v.Add("items["+strconv.Itoa(i)+"].line_id", "is not a line of the order")
		case it.SKU != "":
			v.Add("items["+strconv.Itoa(i)+"].sku", "is not a line of the order")
		default:
			v.Add("items["+strconv.Itoa(i)+"].line_id", "line_id or sku is required")
		}
		cmd.Items = append(cmd.Items, ri)
	}
	// the shape of the request first, with every order line taken as returnable: the
	// quantities are the order's to judge
	loose := map[string]int64{}
	for _, l := range o.Items {
		loose[l.ID] = math.MaxInt64 / 4
	}
	shape := cmd
	shape.RMANumber, shape.Returnable = "RMA-0", loose
	shape.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Return]{}, err
	}
	if ok, err := h.exists(ctx, "return", in.ReturnID); err != nil || ok {
		if err != nil {
			return Result[domain.Return]{}, err
		}
		// without holding on the order: a return of another order would leave this one
		// holding quantities for it
		return execute(ctx, h, "return", in.ReturnID, opts, func(r *domain.Return) ([]domain.Event, error) {
			return r.Create(cmd)
		}, nil)
	}
	// what was returnable before this return (plus what the order already holds for it,
	// when a create is retried after the order accepted it)
	cmd.Returnable = o.Returnable()
	for line, n := range o.Returns[in.ReturnID] {
		cmd.Returnable[line] += n
	}
	lines := map[string]int64{}
	for _, it := range cmd.Items {
		lines[it.LineID] += it.Quantity
	}
	held, err := h.OpenOrderReturn(ctx, o.ID, in.ReturnID, lines, sideOpts(opts)...)
	if err != nil {
		if _, ok := errors.AsType[*domain.ValidationError](err); ok {
			// name the item: the order only says "items"
			var v domain.Validation
			cmd.RMANumber = "RMA-0"
			cmd.Check(&v)
			if ve := v.Err(); ve != nil {
				return Result[domain.Return]{}, ve
			}
		}
		return Result[domain.Return]{}, err
	}
	// the return checks its quantities against the order the hold was decided on, not the
	// one read above: returns released since then must not make it refuse what the order
	// accepted (and leave a hold and its release behind)
	cmd.Returnable = held.Aggregate.Returnable()
	for line, n := range held.Aggregate.Returns[in.ReturnID] {
		cmd.Returnable[line] += n
	}
	res, err := h.createReturn(ctx, cmd, opts)
	if err != nil {
		h.undoOrderReturn(ctx, o.ID, in.ReturnID, opts)
	}
	return res, err
}

func (h *Handler) createReturn(ctx context.Context, cmd domain.CreateReturn, opts []Option) (Result[domain.Return], error) {
	n, err := h.nextNumber(ctx, "return", "RMA")
	if err != nil {
		return Result[domain.Return]{}, err
	}
	cmd.RMANumber = n
	return execute(ctx, h, "return", cmd.ReturnID, opts, func(r *domain.Return) ([]domain.Event, error) {
		return r.Create(cmd)
	}, nil)
}

// undoOrderReturn lets the order go of a return that does not hold quantities (it was not
// created, or is rejected or cancelled). A failure is logged: the ReturnRejected /
// ReturnCancelled flow is not there to catch a return that never came to be.
// It answers the position of the order's release, 0 when there was none.
func (h *Handler) undoOrderReturn(ctx context.Context, orderID, returnID string, opts []Option) uint64 {
	pos, err := h.releaseUnlessOpen(ctx, orderID, returnID, sideOpts(opts)...)
	if err != nil {
		h.log.Error("return: releasing the order's hold failed", "order", orderID, "return", returnID, "err", err)
	}
	return pos
}

// releaseUnlessOpen frees a return's quantities on its order unless the return holds them
// (exists and is neither rejected nor cancelled). The return is read inside the order's
// command, so a reopen (which holds on the order, reopens, then holds again) and a release
// cannot interleave into a reopened return the order does not hold.
func (h *Handler) releaseUnlessOpen(ctx context.Context, orderID, returnID string, opts ...Option) (uint64, error) {
	res, err := h.onOrder(ctx, orderID, opts, func(o *domain.Order) ([]domain.Event, error) {
		r, err := h.Return(ctx, returnID)
		if err == nil && r.Open() {
			return nil, nil
		}
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return nil, err
		}
		return o.CloseReturn(returnID)
	})
	if errors.Is(err, domain.ErrNotFound) {
		return 0, nil
	}
	return res.Position, err
}

// ActOnReturn runs approve, receive, reject, cancel, close or reopen, one at a time per
// return in this instance (lockCompound). Reopening a REJECTED return holds its quantities
// on the order again first, so they are checked again (the order refuses atomically,
// appending nothing); the return, read under the lock, is asked first whether it may
// reopen (its transition error, or an If-Match that is not its version, holds nothing).
// Rejecting and cancelling release them at once (the flow is the backstop), after the
// return's own event, which is where they are refused.
func (h *Handler) ActOnReturn(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Return], error) {
	unlock, err := h.lockCompound(ctx, "return", id)
	if err != nil {
		return Result[domain.Return]{}, err
	}
	defer unlock()
	if action == "reopen" {
		r, err := h.Return(ctx, id)
		if err != nil {
			return Result[domain.Return]{}, err
		}
		if err := pinned(opts, r.Version); err != nil {
			return Result[domain.Return]{}, err
		}
		if _, err := r.Act(action, reason); err != nil {
			return Result[domain.Return]{}, err
		}
		if !r.Open() {
			lines := map[string]int64{}
			for _, it := range r.Items {
				lines[it.LineID] += it.Quantity
			}
			if _, err := h.OpenOrderReturn(ctx, r.OrderID, r.ID, lines, sideOpts(opts)...); err != nil {
				return Result[domain.Return]{}, err
			}
			res, err := h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Act(action, reason) })
			if err != nil {
				h.undoOrderReturn(ctx, r.OrderID, r.ID, opts)
				return res, err
			}
			// hold again: a release of the rejection may have run between the hold and the
			// reopening (a no-op when the order still holds it)
			if _, err := h.OpenOrderReturn(ctx, r.OrderID, r.ID, lines, sideOpts(opts)...); err != nil {
				h.log.Error("return: reopened but the order no longer holds it", "order", r.OrderID, "return", r.ID, "err", err)
			}
			return res, err
		}
	}
	res, err := h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Act(action, reason) })
	if err == nil && (action == "reject" || action == "cancel") {
		res = covering(res, h.undoOrderReturn(ctx, res.Aggregate.OrderID, id, opts))
	}
	return res, err
}

// InspectReturn records the disposition of every line; F3 restocks the RESTOCK lines.
// A RESTOCK line's location must be a warehouse (400 on items[i].location_id), since F3
// stocks the SKU there.
func (h *Handler) InspectReturn(ctx context.Context, id string, cmd domain.InspectReturn, opts ...Option) (Result[domain.Return], error) {
	cmd.ReturnID = id
	var v domain.Validation
	for i, it := range cmd.Items {
		if it.Disposition == domain.DispositionRestock && it.LocationID != "" {
			if err := h.checkWarehouse(ctx, &v, "items["+strconv.Itoa(i)+"].location_id", it.LocationID); err != nil {
				return Result[domain.Return]{}, err
			}
		}
	}
	if err := v.Err(); err != nil {
		return Result[domain.Return]{}, err
	}
	return h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Inspect(cmd) })
}

// RefundReturn grants money for an inspected return; F3 refunds the order.
func (h *Handler) RefundReturn(ctx context.Context, id string, cmd domain.RefundReturn, opts ...Option) (Result[domain.Return], error) {
	cmd.ReturnID = id
	// The refund reaches the order through the return-order flow: what the order cannot
	// take (unpaid, or less left to refund) is refused here, not parked there.
	r, err := h.Return(ctx, id)
	if err != nil {
		return Result[domain.Return]{}, err
	}
	o, err := h.Order(ctx, r.OrderID)
	if err != nil {
		return Result[domain.Return]{}, err
	}
	if o.PaymentStatus != domain.PaymentPaid && o.PaymentStatus != domain.PaymentPartiallyRefunded {
		return Result[domain.Return]{}, &domain.TransitionError{Entity: "order payment", From: o.PaymentStatus, Action: "refund"}
	}
	amount := cmd.Amount
	if amount == 0 {
		amount = r.Value() - r.RefundAmount
	}
	if left := o.PaidAmount - o.RefundedAmount; amount > left {
		return Result[domain.Return]{}, badField("amount", "the order has "+strconv.FormatInt(left, 10)+" left to refund")
	}
	return h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Refund(cmd) })
}

func (h *Handler) onReturn(ctx context.Context, id string, opts []Option, decide func(*domain.Return) ([]domain.Event, error)) (Result[domain.Return], error) {
	if !domain.ValidID(id) {
		return Result[domain.Return]{}, domain.ErrNotFound
	}
	return execute(ctx, h, "return", id, opts, func(r *domain.Return) ([]domain.Event, error) {
		if !r.Exists() {
			return nil, domain.ErrNotFound
		}
		return decide(r)
	}, nil)
}

// Return loads a return from the event store.
func (h *Handler) Return(ctx context.Context, id string) (*domain.Return, error) {
	return loadExisting[domain.Return](ctx, h, "return", id, 0)
}

// ReturnAt rebuilds a return as it was at stream position pos.
func (h *Handler) ReturnAt(ctx context.Context, id string, pos uint64) (*domain.Return, error) {
	return loadExisting[domain.Return](ctx, h, "return", id, pos)
}

func badField(field, issue string) error {
	return &domain.ValidationError{Fields: []domain.FieldError{{Field: field, Issue: issue}}}
}
