package commands

import (
	"context"
	"errors"
	"strconv"

	"stateset/domain"
)

// CreateOrder creates a draft wholesale order priced from priceListID (the
// customer's account's list when empty), with the account's net terms. Every line's SKU
// must be stocked at the order's location. A zero OrderNumber gets WSO-000001 style.
func (m Wholesale) CreateOrder(ctx context.Context, cmd domain.CreateWholesaleOrder, priceListID string, opts ...Option) (Result[domain.WholesaleOrder], error) {
	var none Result[domain.WholesaleOrder]
	var v domain.Validation
	acct, err := m.Account(ctx, cmd.CustomerID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		v.Add("customer_id", "has no wholesale account")
	case err != nil:
		return none, err
	default:
		cmd.NetTerms = acct.NetTerms
		if priceListID == "" {
			priceListID = acct.PriceListID
		}
	}
	if priceListID != "" {
		pl, err := m.PriceList(ctx, priceListID)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			v.Add("price_list_id", "no such price list")
		case err != nil:
			return none, err
		default:
			cmd.PriceList = pl
		}
	} else if acct != nil {
		v.Add("price_list_id", "is required: the account has no default price list")
	}
	if err := v.Err(); err != nil {
		return none, err
	}
	probe := cmd
	if probe.OrderNumber == "" {
		probe.OrderNumber = "WSO-0"
	}
	probe.Check(&v)
	if err := v.Err(); err != nil {
		return none, err
	}
	if err := m.h.checkStocked(ctx, cmd.LocationID, cmd.Lines); err != nil {
		return none, err
	}
	if cmd.OrderNumber == "" {
		if cmd.OrderNumber, err = m.h.nextNumber(ctx, "wholesale_order", "WSO"); err != nil {
			return none, err
		}
	}
	return execute(ctx, m.h, "wholesale_order", cmd.OrderID, opts, func(o *domain.WholesaleOrder) ([]domain.Event, error) {
		return o.Create(cmd)
	}, nil)
}

// checkStocked answers 400 naming lines[i].sku for a SKU not stocked at locationID.
func (h *Handler) checkStocked(ctx context.Context, locationID string, lines []domain.WholesaleLineInput) error {
	var v domain.Validation
	for i, l := range lines {
		ok, err := h.exists(ctx, "inventory", domain.InventoryItemID(l.SKU, locationID))
		if err != nil {
			return err
		}
		v.Check(ok, "lines["+strconv.Itoa(i)+"].sku", "is not stocked at location "+locationID)
	}
	return v.Err()
}

// UpdateOrder edits a draft; new lines are priced from the order's own list. A
// submit reserves the total it decided on under the order's lock, so an update cannot
// land between its reservation and its append.
func (m Wholesale) UpdateOrder(ctx context.Context, id string, cmd domain.UpdateWholesaleOrder, opts ...Option) (Result[domain.WholesaleOrder], error) {
	cmd.OrderID = id
	if cmd.Lines != nil || cmd.LocationID != nil {
		o, err := m.Order(ctx, id)
		if err != nil {
			return Result[domain.WholesaleOrder]{}, err
		}
		loc := o.LocationID
		if cmd.LocationID != nil {
			loc = *cmd.LocationID
		}
		lines := []domain.WholesaleLineInput{}
		if cmd.Lines != nil {
			if cmd.PriceList, err = m.PriceList(ctx, o.PriceListID); err != nil {
				return Result[domain.WholesaleOrder]{}, err
			}
			lines = *cmd.Lines
		} else {
			for _, l := range o.Lines {
				lines = append(lines, domain.WholesaleLineInput{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity})
			}
		}
		if domain.ValidID(loc) {
			if err := m.h.checkStocked(ctx, loc, lines); err != nil {
				return Result[domain.WholesaleOrder]{}, err
			}
		}
	}
	return onExisting(ctx, m.h, "wholesale_order", id, opts, func(o *domain.WholesaleOrder) ([]domain.Event, error) { return o.Update(cmd) })
}

// ActOnOrder runs a status action: submit, approve, fulfill, pay or cancel.
//
// Submit's guard (guardWholesaleCredit) runs once the order, under its lock, may submit
// (If-Match, and its transition error for an order that is not a DRAFT, come first and
// touch no credit): it reserves the order's total on the customer's account (a
// *CreditLimitError over the limit, decided atomically on the account, which appends
// nothing, and the order stays DRAFT). undo, when the order's append fails, releases the
// credit this attempt reserved, unless the order was submitted after all (by a submit on
// another instance that found the credit held): the credit is the order's then. So a
// submit that loses its append to a change of the draft on another instance leaves a
// reserve/release pair on the account, and its retry reserves the total it decides on then.
//
// Fulfill's guard (guardWholesaleReservations) refuses it with an *InsufficientStockError
// unless every line's reservation holds its whole quantity. Cancel and pay are the
// order's own events: flow wholesale-credit then frees the credit, and the API's answer
// waits for it.
func (m Wholesale) ActOnOrder(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.WholesaleOrder], error) {
	act := func(o *domain.WholesaleOrder) ([]domain.Event, error) { return o.Act(action, reason, m.h.now()) }
	switch action {
	case "submit":
		return m.h.submitWholesaleOrder(ctx, id, opts)
	case "fulfill":
		return onExistingCompound(ctx, m.h, "wholesale_order", id, opts, act, m.h.guardWholesaleReservations)
	}
	return onExisting(ctx, m.h, "wholesale_order", id, opts, act)
}

// guardWholesaleReservations is the guard of WholesaleOrderFulfilled: it claims nothing,
// and checks under the order's lock that the stock to ship is held (checkReservations).
func (h *Handler) guardWholesaleReservations(ctx context.Context, before *domain.WholesaleOrder, events []domain.Event) (undo, done func(context.Context), err error) {
	for _, e := range events {
		if _, ok := e.(domain.WholesaleOrderFulfilled); ok {
			return nil, nil, h.checkReservations(ctx, before)
		}
	}
	return nil, nil, nil
}

// InvoiceOrder invoices a fulfilled order (INV-000001 style number when none is
// given); flow wholesale-credit then marks its credit invoiced, and the API's answer waits
// for it.
func (m Wholesale) InvoiceOrder(ctx context.Context, id, invoiceNumber string, opts ...Option) (Result[domain.WholesaleOrder], error) {
	if invoiceNumber == "" {
		o, err := m.Order(ctx, id)
		if err != nil {
			return Result[domain.WholesaleOrder]{}, err
		}
		// only spend a number on an order that may be invoiced
		if o.Status == domain.WholesaleOrderStatusFulfilled {
			if invoiceNumber, err = m.h.nextNumber(ctx, "invoice", "INV"); err != nil {
				return Result[domain.WholesaleOrder]{}, err
			}
		}
	}
	now := m.h.now()
	return onExisting(ctx, m.h, "wholesale_order", id, opts, func(o *domain.WholesaleOrder) ([]domain.Event, error) {
		return o.Invoice(domain.InvoiceWholesaleOrder{OrderID: id, InvoiceNumber: invoiceNumber}, now)
	})
}

// submitWholesaleOrder submits a DRAFT, guarded by its credit (guardWholesaleCredit).
func (h *Handler) submitWholesaleOrder(ctx context.Context, id string, opts []Option) (Result[domain.WholesaleOrder], error) {
	return onExistingCompound(ctx, h, "wholesale_order", id, opts, func(o *domain.WholesaleOrder) ([]domain.Event, error) {
		return o.Act("submit", "", h.now())
	}, h.guardWholesaleCredit(opts))
}

// guardWholesaleCredit is the guard of WholesaleOrderSubmitted: it reserves the submitted
// total on the customer's account (no account is a *ValidationError on customer_id). undo
// releases the credit this attempt reserved (an order that holds credit already, left by
// an earlier attempt or a concurrent submit, reserves nothing and gives nothing back),
// unless the order holds it after all (wholesaleOrderHoldsCredit).
func (h *Handler) guardWholesaleCredit(opts []Option) guard[domain.WholesaleOrder] {
	return func(ctx context.Context, _ *domain.WholesaleOrder, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			s, ok := e.(domain.WholesaleOrderSubmitted)
			if !ok {
				continue
			}
			credit, err := h.Wholesale().ReserveCredit(ctx, domain.ReserveCredit{CustomerID: s.CustomerID, OrderID: s.OrderID, Amount: s.Total,
				Currency: s.Currency}, sideOpts(opts)...)
			if errors.Is(err, domain.ErrNotFound) {
				return nil, nil, &domain.ValidationError{Fields: []domain.FieldError{{Field: "customer_id", Issue: "has no wholesale account"}}}
			}
			if err != nil {
				return nil, nil, err
			}
			if len(credit.Events) > 0 {
				undo = func(ctx context.Context) {
					if h.wholesaleOrderHoldsCredit(ctx, s.OrderID) {
						return
					}
					_, err := h.Wholesale().ReleaseCredit(ctx, domain.ReleaseCredit{CustomerID: s.CustomerID, OrderID: s.OrderID, Reason: "cancelled"}, sideOpts(opts)...)
					if err != nil {
						h.log.WarnContext(ctx, "release a failed wholesale submit's credit", "order_id", s.OrderID, "err", err)
					}
				}
			}
		}
		return undo, nil, nil
	}
}

// wholesaleOrderHoldsCredit reports whether an order is, as read now, in a status that
// holds credit (submitted and not yet paid or cancelled), or cannot be read: then whether
// a submit landed is unknown, and the credit stays until the order is cancelled or paid.
func (h *Handler) wholesaleOrderHoldsCredit(ctx context.Context, id string) bool {
	o, err := h.Wholesale().Order(ctx, id)
	if err != nil {
		h.log.WarnContext(ctx, "wholesale submit failed; its credit is kept", "order_id", id, "err", err)
		return true
	}
	switch o.Status {
	case domain.WholesaleOrderStatusDraft, domain.WholesaleOrderStatusCancelled, domain.WholesaleOrderStatusPaid:
		return false
	}
	return true
}

// checkReservations refuses fulfilment unless each line's reservation at the order's
// location holds the line's whole quantity (a backordered line is short).
func (h *Handler) checkReservations(ctx context.Context, o *domain.WholesaleOrder) error {
	var short []domain.Shortage
	for _, l := range o.Lines {
		var held int64
		it, err := h.Inventory().Item(ctx, domain.InventoryItemID(l.SKU, o.LocationID))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		if it != nil {
			if r := it.Reservations[domain.ReservationID("wholesale_order", o.ID, l.LineID, l.SKU)]; r != nil {
				held = r.Reserved
			}
		}
		if held < l.Quantity {
			short = append(short, domain.Shortage{SKU: l.SKU, LocationID: o.LocationID, Requested: l.Quantity, Available: held})
		}
	}
	if len(short) > 0 {
		return &domain.InsufficientStockError{Shortages: short}
	}
	return nil
}

// Order loads a wholesale order from the event store.
func (m Wholesale) Order(ctx context.Context, id string) (*domain.WholesaleOrder, error) {
	return loadExisting[domain.WholesaleOrder](ctx, m.h, "wholesale_order", id, 0)
}

// OrderAt rebuilds a wholesale order as it was at stream position pos.
func (m Wholesale) OrderAt(ctx context.Context, id string, pos uint64) (*domain.WholesaleOrder, error) {
	return loadExisting[domain.WholesaleOrder](ctx, m.h, "wholesale_order", id, pos)
}
