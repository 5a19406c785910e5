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

// Create requests a return, strongly consistent with the order. Its guard
// (guardReturnHold) has the order hold the quantities (Orders.OpenReturn), refusing
// atomically more than shipped minus what open returns hold, and orders not shipped; undo,
// when the return's append fails, lets the order go of them unless the return holds them
// after all (undoOrderReturn). The order's own decision is first taken on the order as
// read, before the return spends an RMA number, and the return is checked against what
// that order leaves returnable: a request refused by the order, or by its own shape,
// appends nothing and spends no number. A return id that exists already asks the order for
// nothing: a replay of this request is answered with the return's state, anything else
// with ALREADY_EXISTS.
func (m Returns) Create(ctx context.Context, in RequestReturn, opts ...Option) (Result[domain.Return], error) {
	if !domain.ValidID(in.ReturnID) {
		return Result[domain.Return]{}, badField("id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
	o, err := m.h.Orders().Get(ctx, in.OrderID)
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
	create := func(r *domain.Return) ([]domain.Event, error) { return r.Create(cmd) }
	if ok, err := m.h.exists(ctx, "return", in.ReturnID); err != nil || ok {
		if err != nil {
			return Result[domain.Return]{}, err
		}
		// without holding on the order: a return of another order would leave this one
		// holding quantities for it
		return execute(ctx, m.h, "return", in.ReturnID, opts, create, nil)
	}
	// What is returnable before this return (plus what the order already holds for it,
	// when a create is retried after the order accepted it), and the order's decision on
	// it, as read: what the order refuses now spends no number. The guard asks the order
	// again, atomically.
	cmd.Returnable = returnableFor(o, in.ReturnID)
	if _, err := o.OpenReturn(in.ReturnID, returnLines(cmd.Items)); err != nil {
		return Result[domain.Return]{}, nameReturnItems(cmd, err)
	}
	refusal := func(ctx context.Context, err error) error {
		// the order refused what it accepted as read: name the item on the order as it is now
		if o, rerr := m.h.Orders().Get(ctx, in.OrderID); rerr == nil {
			named := cmd
			named.Returnable = returnableFor(o, in.ReturnID)
			return nameReturnItems(named, err)
		}
		return err
	}
	return executeCompound(ctx, m.h, "return", in.ReturnID, opts, func(r *domain.Return) ([]domain.Event, error) {
		if !r.Exists() && cmd.RMANumber == "" { // one number for every attempt
			n, err := m.h.nextNumber(ctx, "return", "RMA")
			if err != nil {
				return nil, err
			}
			cmd.RMANumber = n
		}
		return create(r)
	}, m.h.guardReturnHold(refusal, opts))
}

// returnableFor is what order o leaves returnable to return returnID: what no open return
// holds, plus what it holds for returnID already.
func returnableFor(o *domain.Order, returnID string) map[string]int64 {
	returnable := o.Returnable()
	for line, n := range o.Returns[returnID] {
		returnable[line] += n
	}
	return returnable
}

// returnLines is the quantity of each order line a return's items take.
func returnLines(items []domain.ReturnItem) map[string]int64 {
	lines := map[string]int64{}
	for _, it := range items {
		lines[it.LineID] += it.Quantity
	}
	return lines
}

// nameReturnItems names the items of an order's refusal to hold a return, which only says
// "items", by checking the return against cmd.Returnable; other refusals are answered as
// they are.
func nameReturnItems(cmd domain.CreateReturn, err error) error {
	if _, ok := errors.AsType[*domain.ValidationError](err); !ok {
		return err
	}
	var v domain.Validation
	cmd.RMANumber = "RMA-0"
	cmd.Check(&v)
	if ve := v.Err(); ve != nil {
		return ve
	}
	return err
}

// guardReturnHold is the guard of the events by which a return starts holding quantities
// on its order: ReturnRequested, and ReturnReopened of a return that holds none (a
// REJECTED one). It has the order hold the return's quantities (Orders.OpenReturn, a no-op
// when it holds them already), whose refusal (refusal, when given, names it) is atomic and
// appends nothing. undo, when the return's append fails, lets the order go of them unless
// the return holds them after all (undoOrderReturn). done, after a reopening, holds them
// again: a release of the rejection (its follow-up or its flow, which reads the return
// inside the order's command) may have run between the hold and the reopening, and holding
// again is a no-op when the order still holds them.
func (h *Handler) guardReturnHold(refusal func(context.Context, error) error, opts []Option) guard[domain.Return] {
	return func(ctx context.Context, before *domain.Return, events []domain.Event) (undo, done func(context.Context), err error) {
		var orderID, returnID string
		var items []domain.ReturnItem
		reopen := false
		for _, e := range events {
			switch e := e.(type) {
			case domain.ReturnRequested:
				orderID, returnID, items = e.OrderID, e.ReturnID, e.Items
			case domain.ReturnReopened:
				if !before.Open() {
					orderID, returnID, items, reopen = before.OrderID, before.ID, before.Items, true
				}
			}
		}
		if returnID == "" {
			return nil, nil, nil
		}
		lines := returnLines(items)
		if _, err := h.Orders().OpenReturn(ctx, orderID, returnID, lines, sideOpts(opts)...); err != nil {
			if refusal != nil {
				err = refusal(ctx, err)
			}
			return nil, nil, err
		}
		undo = func(ctx context.Context) { h.undoOrderReturn(ctx, orderID, returnID, opts) }
		if reopen {
			done = func(ctx context.Context) {
				if _, err := h.Orders().OpenReturn(ctx, orderID, returnID, lines, sideOpts(opts)...); err != nil {
					h.log.Error("return: reopened but the order no longer holds it", "order", orderID, "return", returnID, "err", err)
				}
			}
		}
		return undo, done, nil
	}
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
		r, err := h.Returns().Get(ctx, returnID)
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

// Act runs approve, receive, reject, cancel, close or reopen. Reopening a REJECTED
// return is guarded (guardReturnHold): once the return, under its lock, may reopen (its
// transition error, or an If-Match that is not its version, holds nothing), the order
// holds its quantities again, so they are checked again (the order refuses atomically,
// appending nothing); undo lets the order go of them if the reopening is not appended
// (unless the return holds them after all), and done holds them again after it is.
// Rejecting and cancelling are the return's own events; flow return-order then frees the
// quantities on the order, and the API's answer waits for it.
func (m Returns) Act(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Return], error) {
	if action == "reopen" {
		return onExistingCompound(ctx, m.h, "return", id, opts, func(r *domain.Return) ([]domain.Event, error) {
			return r.Act(action, reason)
		}, m.h.guardReturnHold(nil, opts))
	}
	return m.h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Act(action, reason) })
}

// Inspect records the disposition of every line; F3 restocks the RESTOCK lines.
// A RESTOCK line's location must be a warehouse (400 on items[i].location_id), since F3
// stocks the SKU there.
func (m Returns) Inspect(ctx context.Context, id string, cmd domain.InspectReturn, opts ...Option) (Result[domain.Return], error) {
	cmd.ReturnID = id
	var v domain.Validation
	for i, it := range cmd.Items {
		if it.Disposition == domain.DispositionRestock && it.LocationID != "" {
			if err := m.h.checkWarehouse(ctx, &v, "items["+strconv.Itoa(i)+"].location_id", it.LocationID); err != nil {
				return Result[domain.Return]{}, err
			}
		}
	}
	if err := v.Err(); err != nil {
		return Result[domain.Return]{}, err
	}
	return m.h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Inspect(cmd) })
}

// Refund grants money for an inspected return; F3 refunds the order.
func (m Returns) Refund(ctx context.Context, id string, cmd domain.RefundReturn, opts ...Option) (Result[domain.Return], error) {
	cmd.ReturnID = id
	// The refund reaches the order through the return-order flow: what the order cannot
	// take (unpaid, or less left to refund) is refused here, not parked there.
	r, err := m.Get(ctx, id)
	if err != nil {
		return Result[domain.Return]{}, err
	}
	o, err := m.h.Orders().Get(ctx, r.OrderID)
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
	return m.h.onReturn(ctx, id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Refund(cmd) })
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

// Get loads a return from the event store.
func (m Returns) Get(ctx context.Context, id string) (*domain.Return, error) {
	return loadExisting[domain.Return](ctx, m.h, "return", id, 0)
}

// At rebuilds a return as it was at stream position pos.
func (m Returns) At(ctx context.Context, id string, pos uint64) (*domain.Return, error) {
	return loadExisting[domain.Return](ctx, m.h, "return", id, pos)
}

// UpdateReturn edits a return's notes.
func (m Returns) UpdateReturn(ctx context.Context, id string, cmd domain.UpdateReturn, opts ...Option) (Result[domain.Return], error) {
	return onExisting(ctx, m.h, "return", id, opts, func(r *domain.Return) ([]domain.Event, error) { return r.Update(cmd) })
}
