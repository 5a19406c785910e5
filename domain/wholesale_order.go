package domain

import (
	"slices"
	"strings"
	"time"
)

// WholesaleOrderStatus is where a wholesale order is in its life.
type WholesaleOrderStatus string

const (
	WholesaleOrderStatusDraft     WholesaleOrderStatus = "DRAFT"
	WholesaleOrderStatusSubmitted WholesaleOrderStatus = "SUBMITTED"
	WholesaleOrderStatusApproved  WholesaleOrderStatus = "APPROVED"
	WholesaleOrderStatusFulfilled WholesaleOrderStatus = "FULFILLED"
	WholesaleOrderStatusInvoiced  WholesaleOrderStatus = "INVOICED"
	WholesaleOrderStatusPaid      WholesaleOrderStatus = "PAID"
	WholesaleOrderStatusCancelled WholesaleOrderStatus = "CANCELLED"
)

// WholesaleOrderStatuses lists every status, in life order.
var WholesaleOrderStatuses = []WholesaleOrderStatus{WholesaleOrderStatusDraft, WholesaleOrderStatusSubmitted,
	WholesaleOrderStatusApproved, WholesaleOrderStatusFulfilled, WholesaleOrderStatusInvoiced, WholesaleOrderStatusPaid,
	WholesaleOrderStatusCancelled}

// WholesaleFinancialStatus is whether the order has been invoiced and paid.
type WholesaleFinancialStatus string

const (
	WholesaleFinancialUnpaid   WholesaleFinancialStatus = "UNPAID"
	WholesaleFinancialInvoiced WholesaleFinancialStatus = "INVOICED"
	WholesaleFinancialPaid     WholesaleFinancialStatus = "PAID"
)

// WholesaleFulfillmentStatus is whether the order's goods have gone out.
type WholesaleFulfillmentStatus string

const (
	WholesaleUnfulfilled WholesaleFulfillmentStatus = "UNFULFILLED"
	WholesaleFulfilled   WholesaleFulfillmentStatus = "FULFILLED"
)

// WholesaleOrderActions are the status actions reachable over POST
// /wholesale_orders/:id/<action>; "invoice" goes through Invoice, the rest through Act.
var WholesaleOrderActions = []string{"submit", "approve", "fulfill", "invoice", "pay", "cancel"}

// wholesaleOrderFlow is the wholesale order state machine. "update" edits lines and
// details, and only a draft can be edited: from submission on, the total is what credit
// was reserved for.
var wholesaleOrderFlow = Flow[WholesaleOrderStatus]{Entity: "wholesale order", Steps: []Step[WholesaleOrderStatus]{
	{WholesaleOrderStatusDraft, "update", WholesaleOrderStatusDraft},
	{WholesaleOrderStatusDraft, "submit", WholesaleOrderStatusSubmitted},
	{WholesaleOrderStatusSubmitted, "approve", WholesaleOrderStatusApproved},
	{WholesaleOrderStatusApproved, "fulfill", WholesaleOrderStatusFulfilled},
	{WholesaleOrderStatusFulfilled, "invoice", WholesaleOrderStatusInvoiced},
	{WholesaleOrderStatusInvoiced, "pay", WholesaleOrderStatusPaid},
	{WholesaleOrderStatusDraft, "cancel", WholesaleOrderStatusCancelled},
	{WholesaleOrderStatusSubmitted, "cancel", WholesaleOrderStatusCancelled},
	{WholesaleOrderStatusApproved, "cancel", WholesaleOrderStatusCancelled},
}}

// WholesaleLine is a priced order line.
type WholesaleLine struct {
	LineID    string `json:"line_id"`
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"` // minor units, from the price list at this quantity
	Total     int64  `json:"total"`      // Quantity * UnitPrice
}

// WholesaleItem is what an order line asks of stock: a SKU and a quantity.
type WholesaleItem struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// WholesaleOrder is the wholesale (B2B) order aggregate.
type WholesaleOrder struct {
	ID                string                     `json:"id"`
	OrderNumber       string                     `json:"order_number"`
	CustomerID        string                     `json:"customer_id"`
	PriceListID       string                     `json:"price_list_id"`
	Currency          string                     `json:"currency"`
	PONumber          string                     `json:"po_number,omitempty"`
	NetTerms          NetTerms                   `json:"net_terms"`
	LocationID        string                     `json:"location_id"`
	Lines             []WholesaleLine            `json:"lines"`
	Subtotal          int64                      `json:"subtotal"`
	Total             int64                      `json:"total"`
	Status            WholesaleOrderStatus       `json:"status"`
	FinancialStatus   WholesaleFinancialStatus   `json:"financial_status"`
	FulfillmentStatus WholesaleFulfillmentStatus `json:"fulfillment_status"`
	InvoiceNumber     string                     `json:"invoice_number,omitempty"`
	DueAt             *time.Time                 `json:"due_at,omitempty"`
	Notes             string                     `json:"notes,omitempty"`
	CreatedAt         time.Time                  `json:"created_at"`
	UpdatedAt         time.Time                  `json:"updated_at"`
	Version           int64                      `json:"version"`
}

// Exists reports whether the order has been created.
func (o *WholesaleOrder) Exists() bool { return o.Version > 0 }

// CurrentVersion is the order's event count.
func (o *WholesaleOrder) CurrentVersion() int64 { return o.Version }

// WholesaleLineInput is an order line as asked for; its price comes from the price list.
type WholesaleLineInput struct {
	LineID   string // chosen by the caller, unique in the order
	SKU      string
	Quantity int64
}

// CreateWholesaleOrder creates a draft wholesale order priced from PriceList, which must be
// active and assigned to the customer; the order takes the list's currency. The caller
// loads the list (usually the account's) and copies NetTerms from the account.
type CreateWholesaleOrder struct {
	OrderID     string
	OrderNumber string // e.g. WSO-000001, chosen by the caller
	CustomerID  string
	LocationID  string // where stock is reserved on approval
	PONumber    string // the customer's purchase order number, optional
	NetTerms    NetTerms
	Notes       string
	Lines       []WholesaleLineInput
	PriceList   *PriceList
}

// UpdateWholesaleOrder edits a draft; nil leaves a field alone. New Lines replace all lines
// and are priced from PriceList, which must be the order's list, still active and assigned.
// No change at all yields no event.
type UpdateWholesaleOrder struct {
	OrderID    string
	PONumber   *string
	LocationID *string
	Notes      *string
	Lines      *[]WholesaleLineInput
	PriceList  *PriceList // required with Lines
}

// InvoiceWholesaleOrder invoices a fulfilled order; it is due NetTerms days later.
type InvoiceWholesaleOrder struct {
	OrderID       string
	InvoiceNumber string // chosen by the caller
}

// WholesaleOrderCreated: a draft wholesale order came to be, priced.
type WholesaleOrderCreated struct {
	OrderID     string          `json:"order_id"`
	OrderNumber string          `json:"order_number"`
	CustomerID  string          `json:"customer_id"`
	PriceListID string          `json:"price_list_id"`
	Currency    string          `json:"currency"`
	PONumber    string          `json:"po_number,omitempty"`
	NetTerms    NetTerms        `json:"net_terms"`
	LocationID  string          `json:"location_id"`
	Lines       []WholesaleLine `json:"lines"`
	Subtotal    int64           `json:"subtotal"`
	Total       int64           `json:"total"`
	Notes       string          `json:"notes,omitempty"`
}

// LinesChange is an order's priced lines and totals before and after.
type LinesChange struct {
	From         []WholesaleLine `json:"from"`
	To           []WholesaleLine `json:"to"`
	SubtotalFrom int64           `json:"subtotal_from"`
	SubtotalTo   int64           `json:"subtotal_to"`
	TotalFrom    int64           `json:"total_from"`
	TotalTo      int64           `json:"total_to"`
}

// WholesaleOrderUpdated: a draft was edited; only changed fields are present, each with its
// previous value.
type WholesaleOrderUpdated struct {
	OrderID    string       `json:"order_id"`
	PONumber   *Change      `json:"po_number,omitempty"`
	LocationID *Change      `json:"location_id,omitempty"`
	Notes      *Change      `json:"notes,omitempty"`
	Lines      *LinesChange `json:"lines,omitempty"`
}

// WholesaleOrderSubmitted: the customer committed to the order; credit is reserved for Total.
type WholesaleOrderSubmitted struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
	Total      int64  `json:"total"`
	Currency   string `json:"currency"`
}

// WholesaleOrderApproved: the order was accepted; it carries what a process manager needs to
// reserve stock without loading anything else.
type WholesaleOrderApproved struct {
	OrderID    string          `json:"order_id"`
	CustomerID string          `json:"customer_id"`
	LocationID string          `json:"location_id"`
	Lines      []WholesaleItem `json:"lines"`
}

// WholesaleOrderFulfilled: the order's goods went out.
type WholesaleOrderFulfilled struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
}

// WholesaleOrderInvoiced: the order was invoiced, due DueAt.
type WholesaleOrderInvoiced struct {
	OrderID       string    `json:"order_id"`
	CustomerID    string    `json:"customer_id"`
	InvoiceNumber string    `json:"invoice_number"`
	DueAt         time.Time `json:"due_at"`
	Total         int64     `json:"total"`
	Currency      string    `json:"currency"`
}

// WholesaleOrderPaid: the invoice was paid in full.
type WholesaleOrderPaid struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
}

// WholesaleOrderCancelled: the order was cancelled from status From; credit, and stock if it
// was approved, are to be released.
type WholesaleOrderCancelled struct {
	OrderID    string               `json:"order_id"`
	CustomerID string               `json:"customer_id"`
	From       WholesaleOrderStatus `json:"from"`
	Reason     string               `json:"reason,omitempty"`
}

// Check records every invalid field of the creation in v, pricing problems included.
func (cmd CreateWholesaleOrder) Check(v *Validation) {
	v.Check(ValidID(cmd.OrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.OrderNumber) != "" && len(cmd.OrderNumber) <= 64, "order_number", "is required, at most 64 characters")
	v.Check(ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.PONumber) <= 100, "po_number", "at most 100 characters")
	checkNetTerms(v, cmd.NetTerms)
	v.Check(len(cmd.Notes) <= 2000, "notes", "at most 2000 characters")
	checkPriceListFor(v, cmd.PriceList, cmd.CustomerID, "")
	checkWholesaleLines(v, cmd.Lines, cmd.PriceList)
}

// Check records every invalid field of the edit in v. Update also checks that PriceList is
// the order's own list, still active and assigned to the customer.
func (cmd UpdateWholesaleOrder) Check(v *Validation) {
	if cmd.PONumber != nil {
		v.Check(len(*cmd.PONumber) <= 100, "po_number", "at most 100 characters")
	}
	if cmd.LocationID != nil {
		v.Check(ValidID(*cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
	if cmd.Notes != nil {
		v.Check(len(*cmd.Notes) <= 2000, "notes", "at most 2000 characters")
	}
	if cmd.Lines != nil {
		v.Check(cmd.PriceList != nil && cmd.PriceList.Exists(), "price_list_id", "is required")
		checkWholesaleLines(v, *cmd.Lines, cmd.PriceList)
	}
}

// Check records every invalid field of the invoicing in v.
func (cmd InvoiceWholesaleOrder) Check(v *Validation) {
	v.Check(strings.TrimSpace(cmd.InvoiceNumber) != "" && len(cmd.InvoiceNumber) <= 64, "invoice_number", "is required, at most 64 characters")
}

// checkPriceListFor records why pl cannot price an order of customerID; want, when set, is
// the list the order already uses.
func checkPriceListFor(v *Validation, pl *PriceList, customerID, want string) {
	switch {
	case pl == nil || !pl.Exists():
		v.Add("price_list_id", "is required")
	case want != "" && pl.ID != want:
		v.Add("price_list_id", "must be the order's price list "+want)
	case pl.Status != PriceListStatusActive:
		v.Add("price_list_id", "price list "+pl.ID+" is "+string(pl.Status))
	case !pl.AssignedTo(customerID):
		v.Add("customer_id", "not assigned to price list "+pl.ID)
	}
}

func checkWholesaleLines(v *Validation, lines []WholesaleLineInput, pl *PriceList) {
	v.Check(len(lines) >= 1 && len(lines) <= maxWholesaleLines, "lines", "1 to 500 lines")
	seen, priced := map[string]bool{}, true
	for i, l := range lines {
		f := "lines[" + itoa(i) + "]."
		v.Check(ValidID(l.LineID) && !seen[l.LineID], f+"line_id", "must match ^[A-Za-z0-9_-]{1,64}$ and be unique in the order")
		seen[l.LineID] = true
		onList := false
		if !validSKU(l.SKU) {
			v.Add(f+"sku", "a SKU is 1 to 100 characters without spaces")
		} else if pl != nil && pl.Exists() {
			if _, onList = pl.Price(l.SKU, 1); !onList {
				v.Add(f+"sku", "not on price list "+pl.ID)
			}
		}
		qtyOK := l.Quantity > 0 && l.Quantity <= maxQuantity
		v.Check(qtyOK, f+"quantity", "must be 1 to 1000000")
		priced = priced && qtyOK && onList
	}
	if priced {
		checkLineTotals(v, "lines", len(lines), func(i int) (int64, int64) {
			price, _ := pl.Price(lines[i].SKU, lines[i].Quantity)
			return lines[i].Quantity, price
		})
	}
}

// maxWholesaleLines bounds an order's lines.
const maxWholesaleLines = 500

// priceLines prices lines from pl that checkWholesaleLines found valid, so every line
// total and their sum are within MaxMoney.
func priceLines(lines []WholesaleLineInput, pl *PriceList) ([]WholesaleLine, int64) {
	out := make([]WholesaleLine, len(lines))
	var subtotal int64
	for i, l := range lines {
		price, _ := pl.Price(l.SKU, l.Quantity)
		total, _ := MulMoney(l.Quantity, price)
		out[i] = WholesaleLine{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity, UnitPrice: price, Total: total}
		subtotal, _ = AddMoney(subtotal, total)
	}
	return out, subtotal
}

// Create decides the creation of a draft order: ErrAlreadyExists, or a *ValidationError
// naming every bad field (lines[i].sku for a SKU not on the list, price_list_id for a
// missing or archived list, customer_id for a list not assigned to the customer).
func (o *WholesaleOrder) Create(cmd CreateWholesaleOrder) ([]Event, error) {
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "wholesale order", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	lines, subtotal := priceLines(cmd.Lines, cmd.PriceList)
	return []Event{WholesaleOrderCreated{
		OrderID: cmd.OrderID, OrderNumber: cmd.OrderNumber, CustomerID: cmd.CustomerID, PriceListID: cmd.PriceList.ID,
		Currency: cmd.PriceList.Currency, PONumber: cmd.PONumber, NetTerms: cmd.NetTerms, LocationID: cmd.LocationID,
		Lines: lines, Subtotal: subtotal, Total: subtotal, Notes: cmd.Notes,
	}}, nil
}

// Update decides an edit of a draft: ErrNotFound, a *TransitionError past DRAFT, a
// *ValidationError, or at most one WholesaleOrderUpdated.
func (o *WholesaleOrder) Update(cmd UpdateWholesaleOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := wholesaleOrderFlow.Next(o.Status, "update"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	if cmd.Lines != nil && cmd.PriceList != nil && cmd.PriceList.Exists() {
		checkPriceListFor(&v, cmd.PriceList, o.CustomerID, o.PriceListID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	upd := WholesaleOrderUpdated{OrderID: o.ID}
	changed := false
	diff := func(cur string, next *string) *Change {
		if next == nil || *next == cur {
			return nil
		}
		changed = true
		return &Change{From: cur, To: *next}
	}
	upd.PONumber = diff(o.PONumber, cmd.PONumber)
	upd.LocationID = diff(o.LocationID, cmd.LocationID)
	upd.Notes = diff(o.Notes, cmd.Notes)
	if cmd.Lines != nil {
		lines, subtotal := priceLines(*cmd.Lines, cmd.PriceList)
		if !slices.Equal(lines, o.Lines) {
			changed = true
			upd.Lines = &LinesChange{From: o.Lines, To: lines, SubtotalFrom: o.Subtotal, SubtotalTo: subtotal,
				TotalFrom: o.Total, TotalTo: subtotal}
		}
	}
	if !changed {
		return nil, nil
	}
	return []Event{upd}, nil
}

// Act decides a status action without arguments: submit, approve, fulfill, pay or cancel
// (reason is kept for cancel). It returns ErrNotFound or a *TransitionError (also for
// "update", which is UpdateWholesaleOrder's); "invoice" needs an invoice number, so here
// it is a *ValidationError once the status allows it.
func (o *WholesaleOrder) Act(action, reason string, now time.Time) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if action == "invoice" {
		return o.Invoice(InvoiceWholesaleOrder{OrderID: o.ID}, now)
	}
	if _, err := wholesaleOrderFlow.Next(o.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "submit":
		return []Event{WholesaleOrderSubmitted{OrderID: o.ID, CustomerID: o.CustomerID, Total: o.Total, Currency: o.Currency}}, nil
	case "approve":
		items := make([]WholesaleItem, len(o.Lines))
		for i, l := range o.Lines {
			items[i] = WholesaleItem{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity}
		}
		return []Event{WholesaleOrderApproved{OrderID: o.ID, CustomerID: o.CustomerID, LocationID: o.LocationID, Lines: items}}, nil
	case "fulfill":
		return []Event{WholesaleOrderFulfilled{OrderID: o.ID, CustomerID: o.CustomerID}}, nil
	case "pay":
		return []Event{WholesaleOrderPaid{OrderID: o.ID, CustomerID: o.CustomerID, Amount: o.Total, Currency: o.Currency}}, nil
	case "cancel":
		return []Event{WholesaleOrderCancelled{OrderID: o.ID, CustomerID: o.CustomerID, From: o.Status, Reason: reason}}, nil
	}
	// "update" is in the table but has its own command, UpdateWholesaleOrder
	return nil, &TransitionError{Entity: wholesaleOrderFlow.Entity, From: string(o.Status), Action: action}
}

// Invoice decides invoicing a fulfilled order, due NetTerms days after now: ErrNotFound, a
// *TransitionError, or a *ValidationError without an invoice number.
func (o *WholesaleOrder) Invoice(cmd InvoiceWholesaleOrder, now time.Time) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := wholesaleOrderFlow.Next(o.Status, "invoice"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WholesaleOrderInvoiced{OrderID: o.ID, CustomerID: o.CustomerID, InvoiceNumber: cmd.InvoiceNumber,
		DueAt: now.UTC().AddDate(0, 0, o.NetTerms.Days()), Total: o.Total, Currency: o.Currency}}, nil
}

// Apply folds a wholesale order event in.
func (o *WholesaleOrder) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WholesaleOrderCreated:
		*o = WholesaleOrder{
			ID: e.OrderID, OrderNumber: e.OrderNumber, CustomerID: e.CustomerID, PriceListID: e.PriceListID,
			Currency: e.Currency, PONumber: e.PONumber, NetTerms: e.NetTerms, LocationID: e.LocationID,
			Lines: slices.Clone(e.Lines), Subtotal: e.Subtotal, Total: e.Total, Notes: e.Notes,
			Status: WholesaleOrderStatusDraft, FinancialStatus: WholesaleFinancialUnpaid,
			FulfillmentStatus: WholesaleUnfulfilled, CreatedAt: env.Time,
		}
	case WholesaleOrderUpdated:
		set := func(dst *string, ch *Change) {
			if ch != nil {
				*dst = ch.To
			}
		}
		set(&o.PONumber, e.PONumber)
		set(&o.LocationID, e.LocationID)
		set(&o.Notes, e.Notes)
		if e.Lines != nil {
			o.Lines, o.Subtotal, o.Total = slices.Clone(e.Lines.To), e.Lines.SubtotalTo, e.Lines.TotalTo
		}
	case WholesaleOrderSubmitted:
		o.Status = WholesaleOrderStatusSubmitted
	case WholesaleOrderApproved:
		o.Status = WholesaleOrderStatusApproved
	case WholesaleOrderFulfilled:
		o.Status, o.FulfillmentStatus = WholesaleOrderStatusFulfilled, WholesaleFulfilled
	case WholesaleOrderInvoiced:
		due := e.DueAt
		o.Status, o.FinancialStatus, o.InvoiceNumber, o.DueAt = WholesaleOrderStatusInvoiced, WholesaleFinancialInvoiced, e.InvoiceNumber, &due
	case WholesaleOrderPaid:
		o.Status, o.FinancialStatus = WholesaleOrderStatusPaid, WholesaleFinancialPaid
	case WholesaleOrderCancelled:
		o.Status = WholesaleOrderStatusCancelled
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached order is never shared with a caller.
func (o *WholesaleOrder) Clone() *WholesaleOrder {
	cp := *o
	cp.Lines = slices.Clone(o.Lines)
	if o.DueAt != nil {
		due := *o.DueAt
		cp.DueAt = &due
	}
	return &cp
}

func (WholesaleOrderCreated) EventType() string   { return "WholesaleOrderCreated" }
func (WholesaleOrderUpdated) EventType() string   { return "WholesaleOrderUpdated" }
func (WholesaleOrderSubmitted) EventType() string { return "WholesaleOrderSubmitted" }
func (WholesaleOrderApproved) EventType() string  { return "WholesaleOrderApproved" }
func (WholesaleOrderFulfilled) EventType() string { return "WholesaleOrderFulfilled" }
func (WholesaleOrderInvoiced) EventType() string  { return "WholesaleOrderInvoiced" }
func (WholesaleOrderPaid) EventType() string      { return "WholesaleOrderPaid" }
func (WholesaleOrderCancelled) EventType() string { return "WholesaleOrderCancelled" }

func wholesaleOrderEvents(r *Registry) {
	Register[WholesaleOrderCreated](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderUpdated](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderSubmitted](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderApproved](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderFulfilled](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderInvoiced](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderPaid](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderCancelled](r, "wholesale_order", 1, nil)
}
