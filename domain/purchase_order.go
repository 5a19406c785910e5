package domain

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// PurchaseOrderStatus is where a purchase order is in its life.
type PurchaseOrderStatus string

const (
	PurchaseOrderStatusDraft             PurchaseOrderStatus = "DRAFT"
	PurchaseOrderStatusSubmitted         PurchaseOrderStatus = "SUBMITTED"
	PurchaseOrderStatusApproved          PurchaseOrderStatus = "APPROVED"
	PurchaseOrderStatusPartiallyReceived PurchaseOrderStatus = "PARTIALLY_RECEIVED"
	PurchaseOrderStatusReceived          PurchaseOrderStatus = "RECEIVED"
	PurchaseOrderStatusClosed            PurchaseOrderStatus = "CLOSED"
	PurchaseOrderStatusRejected          PurchaseOrderStatus = "REJECTED"
	PurchaseOrderStatusCancelled         PurchaseOrderStatus = "CANCELLED"
)

// PurchaseOrderStatuses lists every status, in life order.
var PurchaseOrderStatuses = []PurchaseOrderStatus{PurchaseOrderStatusDraft, PurchaseOrderStatusSubmitted,
	PurchaseOrderStatusApproved, PurchaseOrderStatusPartiallyReceived, PurchaseOrderStatusReceived,
	PurchaseOrderStatusClosed, PurchaseOrderStatusRejected, PurchaseOrderStatusCancelled}

// PurchaseOrderActions are the status actions of POST /v1/purchase_orders/{id}/{action};
// "receive" has its own command (ReceivePurchaseOrder).
var PurchaseOrderActions = []string{"submit", "approve", "reject", "receive", "close", "cancel"}

// purchaseOrderFlow is the purchase order state machine. "receive" that leaves some of a
// line open leads to PARTIALLY_RECEIVED instead (Receive decides). Cancel is only before
// any receipt; a partly received order is closed short instead (what is still open stops
// being incoming).
var purchaseOrderFlow = Flow[PurchaseOrderStatus]{Entity: "purchase order", Steps: []Step[PurchaseOrderStatus]{
	{PurchaseOrderStatusDraft, "submit", PurchaseOrderStatusSubmitted},
	{PurchaseOrderStatusSubmitted, "approve", PurchaseOrderStatusApproved},
	{PurchaseOrderStatusSubmitted, "reject", PurchaseOrderStatusRejected},
	{PurchaseOrderStatusApproved, "receive", PurchaseOrderStatusReceived},
	{PurchaseOrderStatusPartiallyReceived, "receive", PurchaseOrderStatusReceived},
	{PurchaseOrderStatusPartiallyReceived, "close", PurchaseOrderStatusClosed},
	{PurchaseOrderStatusReceived, "close", PurchaseOrderStatusClosed},
	{PurchaseOrderStatusDraft, "cancel", PurchaseOrderStatusCancelled},
	{PurchaseOrderStatusSubmitted, "cancel", PurchaseOrderStatusCancelled},
	{PurchaseOrderStatusApproved, "cancel", PurchaseOrderStatusCancelled},
}}

// PurchaseOrderLine is one line of a purchase order.
type PurchaseOrderLine struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	UnitCost int64  `json:"unit_cost"`
	Total    int64  `json:"total"`
	Received int64  `json:"received"`
}

// Open is what is ordered and not yet received.
func (l PurchaseOrderLine) Open() int64 { return l.Quantity - l.Received }

// PurchaseItem is a SKU and a quantity of a purchase order line: what is approved,
// received, or still open.
type PurchaseItem struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// PurchaseReceipt is one receipt against a purchase order, at the time of its event.
type PurchaseReceipt struct {
	ReceivedAt time.Time      `json:"received_at"`
	Items      []PurchaseItem `json:"items"`
}

// PurchaseOrder is the purchase order aggregate.
//
// OnTime is set when the order becomes RECEIVED (every line fully received) and it has an
// expected delivery date: true when the last receipt's UTC date is on or before that date.
type PurchaseOrder struct {
	ID                   string              `json:"id"`
	PONumber             string              `json:"po_number"`
	SupplierID           string              `json:"supplier_id"`
	LocationID           string              `json:"location_id"`
	ExpectedDeliveryDate string              `json:"expected_delivery_date,omitempty"` // YYYY-MM-DD
	Currency             string              `json:"currency"`
	PaymentTerms         string              `json:"payment_terms,omitempty"`
	Notes                string              `json:"notes,omitempty"`
	Items                []PurchaseOrderLine `json:"items"`
	Total                int64               `json:"total"`
	Status               PurchaseOrderStatus `json:"status"`
	Receipts             []PurchaseReceipt   `json:"receipts,omitempty"`
	ReceivedAt           *time.Time          `json:"received_at,omitempty"`
	OnTime               *bool               `json:"on_time,omitempty"`
	CreatedAt            time.Time           `json:"created_at"`
	UpdatedAt            time.Time           `json:"updated_at"`
	Version              int64               `json:"version"`
}

// Exists reports whether the order has been created.
func (o *PurchaseOrder) Exists() bool { return o.Version > 0 }

// CurrentVersion is the order's event count.
func (o *PurchaseOrder) CurrentVersion() int64 { return o.Version }

// OpenItems is, per line, what is ordered and not yet received.
func (o *PurchaseOrder) OpenItems() []PurchaseItem {
	var out []PurchaseItem
	for _, l := range o.Items {
		if n := l.Open(); n > 0 {
			out = append(out, PurchaseItem{LineID: l.LineID, SKU: l.SKU, Quantity: n})
		}
	}
	return out
}

// Line returns the line of sku.
func (o *PurchaseOrder) Line(sku string) (*PurchaseOrderLine, bool) {
	for i := range o.Items {
		if o.Items[i].SKU == sku {
			return &o.Items[i], true
		}
	}
	return nil, false
}

// PurchaseLineInput is a line as a caller writes it; a nil UnitCost is taken from the
// supplier's catalog.
type PurchaseLineInput struct {
	SKU      string
	Quantity int64
	UnitCost *int64
}

// CreatePurchaseOrder creates a DRAFT purchase order with Supplier, which must be ACTIVE.
// Lines without a unit cost take the catalog's (in the order's currency); a line below
// the catalog's minimum order quantity is refused. An empty Currency is the catalog's
// currency of the first line, an empty PaymentTerms the supplier's.
type CreatePurchaseOrder struct {
	PurchaseOrderID      string
	PONumber             string // e.g. PO-000001, chosen by the caller
	Supplier             *Supplier
	LocationID           string
	ExpectedDeliveryDate string // YYYY-MM-DD, optional
	Currency             string
	PaymentTerms         string
	Notes                string
	Items                []PurchaseLineInput
}

// Check records every invalid field of the creation in v, the supplier's status and
// catalog included.
func (cmd CreatePurchaseOrder) Check(v *Validation) {
	v.Check(ValidID(cmd.PurchaseOrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.PONumber != "" && len(cmd.PONumber) <= 64, "po_number", "is required, at most 64 characters")
	switch s := cmd.Supplier; {
	case s == nil || !s.Exists():
		v.Add("supplier_id", "no such supplier")
	case s.Status != SupplierStatusActive:
		v.Add("supplier_id", "supplier "+s.ID+" is "+string(s.Status)+"; only ACTIVE suppliers take purchase orders")
	}
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	CheckCurrency(v, "currency", cmd.Currency)
	checkPurchaseOrderDetails(v, cmd.ExpectedDeliveryDate, cmd.PaymentTerms, cmd.Notes)
	cmd.checkLines(v)
}

// checkPurchaseOrderDetails checks what a purchase order says besides its lines.
func checkPurchaseOrderDetails(v *Validation, expected, terms, notes string) {
	if expected != "" {
		_, err := time.Parse(time.DateOnly, expected)
		v.Check(err == nil, "expected_delivery_date", "must be a date such as 2026-03-31")
	}
	v.Check(len(terms) <= 100, "payment_terms", "at most 100 characters")
	v.Check(len(notes) <= 2000, "notes", "at most 2000 characters")
}

// checkLines checks the lines against the supplier's catalog: one per SKU, quantities
// within bounds and its minimums, a unit cost given or the catalog's in the currency.
func (cmd CreatePurchaseOrder) checkLines(v *Validation) {
	v.Check(len(cmd.Items) >= 1 && len(cmd.Items) <= 500, "items", "1 to 500 lines")
	seen, costed := map[string]bool{}, true
	for i, l := range cmd.Items {
		f := "items[" + strconv.Itoa(i) + "]."
		CheckSKU(v, f+"sku", l.SKU)
		v.Check(!seen[l.SKU], f+"sku", "appears on another line; give one line per SKU")
		seen[l.SKU] = true
		qtyOK := l.Quantity > 0 && l.Quantity <= maxQuantity
		v.Check(qtyOK, f+"quantity", "must be 1 to 1000000")
		costed = costed && qtyOK
		var p SupplierProduct
		var inCatalog bool
		if cmd.Supplier != nil {
			p, inCatalog = cmd.Supplier.Products[l.SKU]
		}
		if inCatalog && l.Quantity > 0 && l.Quantity < p.MinimumOrderQuantity {
			v.Add(f+"quantity", fmt.Sprintf("is below the supplier's minimum order quantity of %d", p.MinimumOrderQuantity))
		}
		switch {
		case l.UnitCost != nil:
			costOK := *l.UnitCost >= 0 && *l.UnitCost <= maxUnitPrice
			v.Check(costOK, f+"unit_cost", "must be zero or more minor units, at most 10^12")
			costed = costed && costOK
		case !inCatalog:
			v.Add(f+"unit_cost", "is required: the SKU is not in the supplier's catalog")
			costed = false
		case p.Currency != cmd.Currency:
			v.Add(f+"unit_cost", "is required: the catalog's cost is in "+p.Currency)
			costed = false
		}
	}
	if costed {
		checkLineTotals(v, "items", len(cmd.Items), func(i int) (int64, int64) { return cmd.Items[i].Quantity, cmd.lineCost(i) })
	}
}

// lineCost is the unit cost of line i: its own, else the supplier catalog's.
func (cmd CreatePurchaseOrder) lineCost(i int) int64 {
	if c := cmd.Items[i].UnitCost; c != nil {
		return *c
	}
	if cmd.Supplier == nil {
		return 0
	}
	return cmd.Supplier.Products[cmd.Items[i].SKU].UnitCost
}

// Create decides the creation of a draft purchase order: ErrAlreadyExists or a
// *ValidationError naming every bad field.
func (o *PurchaseOrder) Create(cmd CreatePurchaseOrder) ([]Event, error) {
	if cmd.Supplier != nil && cmd.Supplier.Exists() {
		if cmd.PaymentTerms == "" {
			cmd.PaymentTerms = cmd.Supplier.PaymentTerms
		}
		if cmd.Currency == "" && len(cmd.Items) > 0 {
			cmd.Currency = cmd.Supplier.Products[cmd.Items[0].SKU].Currency
		}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "purchase order", Field: "id"}
	}
	lines := make([]PurchaseOrderLine, len(cmd.Items))
	var total int64
	for i, l := range cmd.Items {
		// Check has held every line total and their sum within MaxMoney
		cost := cmd.lineCost(i)
		lineTotal, _ := MulMoney(l.Quantity, cost)
		lines[i] = PurchaseOrderLine{LineID: strconv.Itoa(i + 1), SKU: l.SKU, Quantity: l.Quantity, UnitCost: cost, Total: lineTotal}
		total, _ = AddMoney(total, lineTotal)
	}
	return []Event{PurchaseOrderCreated{PurchaseOrderID: cmd.PurchaseOrderID, PONumber: cmd.PONumber,
		SupplierID: cmd.Supplier.ID, LocationID: cmd.LocationID, ExpectedDeliveryDate: cmd.ExpectedDeliveryDate,
		Currency: cmd.Currency, PaymentTerms: cmd.PaymentTerms, Notes: cmd.Notes, Items: lines, Total: total}}, nil
}

// UpdatePurchaseOrder edits a purchase order; nil leaves a field alone. Items replaces
// the lines (a line of a SKU kept keeps its id); Supplier is the order's, for the catalog
// costs and minimums of new lines.
type UpdatePurchaseOrder struct {
	ExpectedDeliveryDate, PaymentTerms, Notes *string
	Items                                     *[]PurchaseLineInput
	Supplier                                  *Supplier
}

// purchaseOrderEditable are the statuses whose details may change: until the goods are
// all in or the order is off. Its lines change only while it is a DRAFT.
var purchaseOrderEditable = []PurchaseOrderStatus{PurchaseOrderStatusDraft, PurchaseOrderStatusSubmitted,
	PurchaseOrderStatusApproved, PurchaseOrderStatusPartiallyReceived}

// Update decides an edit: the expected delivery date, payment terms and notes until the
// order is received, closed, rejected or cancelled, its lines only while DRAFT (else a
// *TransitionError), each checked as a creation's are. Nothing changed, no event.
func (o *PurchaseOrder) Update(cmd UpdatePurchaseOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(purchaseOrderEditable, o.Status) {
		return nil, &TransitionError{Entity: "purchase order", From: string(o.Status), Action: "update"}
	}
	if cmd.Items != nil && o.Status != PurchaseOrderStatusDraft {
		return nil, &TransitionError{Entity: "purchase order", From: string(o.Status), Action: "change the lines of"}
	}
	var v Validation
	checkPurchaseOrderDetails(&v, or(cmd.ExpectedDeliveryDate, o.ExpectedDeliveryDate), or(cmd.PaymentTerms, o.PaymentTerms), or(cmd.Notes, o.Notes))
	var lines []PurchaseOrderLine
	var total int64
	if cmd.Items != nil {
		lc := CreatePurchaseOrder{Supplier: cmd.Supplier, Currency: o.Currency, Items: *cmd.Items}
		lc.checkLines(&v)
		if v.Err() == nil {
			lines, total = o.relined(lc)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := PurchaseOrderUpdated{PurchaseOrderID: o.ID, ExpectedDeliveryDate: edited(&changed, o.ExpectedDeliveryDate, cmd.ExpectedDeliveryDate),
		PaymentTerms: edited(&changed, o.PaymentTerms, cmd.PaymentTerms), Notes: edited(&changed, o.Notes, cmd.Notes)}
	if cmd.Items != nil {
		if e.Items = editedSlice(&changed, o.Items, &lines); e.Items != nil {
			e.Total = &total // with the lines, whether or not their sum moved
		}
	}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// relined is the order's lines after cmd's items replace them: a SKU kept keeps its line
// id, a new one takes the next; checkLines has held every total within MaxMoney.
func (o *PurchaseOrder) relined(cmd CreatePurchaseOrder) ([]PurchaseOrderLine, int64) {
	ids, next := map[string]string{}, 0
	for _, l := range o.Items {
		ids[l.SKU] = l.LineID
		if n, err := strconv.Atoi(l.LineID); err == nil && n > next {
			next = n
		}
	}
	lines := make([]PurchaseOrderLine, len(cmd.Items))
	var total int64
	for i, l := range cmd.Items {
		id, ok := ids[l.SKU]
		if !ok {
			next++
			id = strconv.Itoa(next)
		}
		cost := cmd.lineCost(i)
		lineTotal, _ := MulMoney(l.Quantity, cost)
		lines[i] = PurchaseOrderLine{LineID: id, SKU: l.SKU, Quantity: l.Quantity, UnitCost: cost, Total: lineTotal}
		total, _ = AddMoney(total, lineTotal)
	}
	return lines, total
}

// Act decides a status action: submit, approve, reject, close or cancel (reason is kept
// for reject, close and cancel). ErrNotFound or a *TransitionError; "receive" needs
// items, so here it is a *ValidationError once the status allows it.
func (o *PurchaseOrder) Act(action, reason string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if action == "receive" {
		return o.Receive(ReceivePurchaseOrder{})
	}
	next, err := purchaseOrderFlow.Next(o.Status, action)
	if err != nil {
		return nil, err
	}
	base := PurchaseOrderStatusChange{PurchaseOrderID: o.ID, From: o.Status, To: next, Reason: reason}
	switch action {
	case "submit":
		return []Event{PurchaseOrderSubmitted{PurchaseOrderStatusChange: base, SupplierID: o.SupplierID}}, nil
	case "approve":
		items := make([]PurchaseItem, len(o.Items))
		for i, l := range o.Items {
			items[i] = PurchaseItem{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity}
		}
		return []Event{PurchaseOrderApproved{PurchaseOrderStatusChange: base, SupplierID: o.SupplierID,
			LocationID: o.LocationID, Items: items}}, nil
	case "reject":
		return []Event{PurchaseOrderRejected{base}}, nil
	case "close":
		return []Event{PurchaseOrderClosed{PurchaseOrderStatusChange: base, LocationID: o.LocationID, Open: o.OpenItems()}}, nil
	case "cancel":
		e := PurchaseOrderCancelled{PurchaseOrderStatusChange: base, LocationID: o.LocationID}
		if o.Status == PurchaseOrderStatusApproved {
			e.Open = o.OpenItems() // only an approved order raised incoming
		}
		return []Event{e}, nil
	}
	return nil, &TransitionError{Entity: purchaseOrderFlow.Entity, From: string(o.Status), Action: action}
}

// ReceivePurchaseOrder records goods received: per SKU, a quantity not above what is
// still open on its line.
type ReceivePurchaseOrder struct {
	Items []PurchaseItem // SKU and Quantity; LineID is ignored
}

// Receive decides a receipt: ErrNotFound, a *TransitionError, or a *ValidationError
// naming items[i].sku (not on the order, or twice) or items[i].quantity (over-receipt).
func (o *PurchaseOrder) Receive(cmd ReceivePurchaseOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	to, err := purchaseOrderFlow.Next(o.Status, "receive")
	if err != nil {
		return nil, err
	}
	var v Validation
	v.Check(len(cmd.Items) >= 1 && len(cmd.Items) <= 500, "items", "1 to 500 lines")
	seen := map[string]bool{}
	after := slices.Clone(o.Items)
	items := make([]PurchaseItem, 0, len(cmd.Items))
	for i, it := range cmd.Items {
		f := "items[" + strconv.Itoa(i) + "]."
		l, ok := o.Line(it.SKU)
		switch {
		case !ok:
			v.Add(f+"sku", "is not a line of this purchase order")
			continue
		case seen[it.SKU]:
			v.Add(f+"sku", "appears twice; give one line per SKU")
			continue
		}
		seen[it.SKU] = true
		if it.Quantity <= 0 || it.Quantity > l.Open() {
			v.Add(f+"quantity", fmt.Sprintf("must be from 1 to the %d still open (ordered %d, received %d)", l.Open(), l.Quantity, l.Received))
			continue
		}
		items = append(items, PurchaseItem{LineID: l.LineID, SKU: l.SKU, Quantity: it.Quantity})
		for j := range after {
			if after[j].LineID == l.LineID {
				after[j].Received += it.Quantity
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, l := range after {
		if l.Open() > 0 {
			to = PurchaseOrderStatusPartiallyReceived
		}
	}
	return []Event{PurchaseOrderReceived{PurchaseOrderStatusChange: PurchaseOrderStatusChange{PurchaseOrderID: o.ID,
		From: o.Status, To: to}, SupplierID: o.SupplierID, LocationID: o.LocationID, Items: items}}, nil
}

// PurchaseOrderStatusChange is what every status event of a purchase order carries.
type PurchaseOrderStatusChange struct {
	PurchaseOrderID string              `json:"purchase_order_id"`
	From            PurchaseOrderStatus `json:"from"`
	To              PurchaseOrderStatus `json:"to"`
	Reason          string              `json:"reason,omitempty"`
}

// PurchaseOrderCreated: a draft purchase order was written.
type PurchaseOrderCreated struct {
	PurchaseOrderID      string              `json:"purchase_order_id"`
	PONumber             string              `json:"po_number"`
	SupplierID           string              `json:"supplier_id"`
	LocationID           string              `json:"location_id"`
	ExpectedDeliveryDate string              `json:"expected_delivery_date,omitempty"`
	Currency             string              `json:"currency"`
	PaymentTerms         string              `json:"payment_terms,omitempty"`
	Notes                string              `json:"notes,omitempty"`
	Items                []PurchaseOrderLine `json:"items"`
	Total                int64               `json:"total"`
}

// PurchaseOrderUpdated: the order's details (or, as a draft, its lines and total) changed;
// only what changed is present.
type PurchaseOrderUpdated struct {
	PurchaseOrderID      string               `json:"purchase_order_id"`
	ExpectedDeliveryDate *string              `json:"expected_delivery_date,omitempty"`
	PaymentTerms         *string              `json:"payment_terms,omitempty"`
	Notes                *string              `json:"notes,omitempty"`
	Items                *[]PurchaseOrderLine `json:"items,omitempty"`
	Total                *int64               `json:"total,omitempty"`
}

// PurchaseOrderSubmitted: the draft was sent for approval.
type PurchaseOrderSubmitted struct {
	PurchaseOrderStatusChange
	SupplierID string `json:"supplier_id"`
}

// PurchaseOrderApproved: the order was placed with the supplier; its lines become incoming
// stock at LocationID.
type PurchaseOrderApproved struct {
	PurchaseOrderStatusChange
	SupplierID string         `json:"supplier_id"`
	LocationID string         `json:"location_id"`
	Items      []PurchaseItem `json:"items"`
}

// PurchaseOrderRejected: approval was refused.
type PurchaseOrderRejected struct{ PurchaseOrderStatusChange }

// PurchaseOrderReceived: goods arrived at LocationID (To is PARTIALLY_RECEIVED while some
// line is still open). The receipt's date is the event's time.
type PurchaseOrderReceived struct {
	PurchaseOrderStatusChange
	SupplierID string         `json:"supplier_id"`
	LocationID string         `json:"location_id"`
	Items      []PurchaseItem `json:"items"`
}

// PurchaseOrderClosed: the order was closed; Open is what will no longer arrive.
type PurchaseOrderClosed struct {
	PurchaseOrderStatusChange
	LocationID string         `json:"location_id"`
	Open       []PurchaseItem `json:"open,omitempty"`
}

// PurchaseOrderCancelled: the order was cancelled before any receipt; Open is the incoming
// to take back (set only when it was approved).
type PurchaseOrderCancelled struct {
	PurchaseOrderStatusChange
	LocationID string         `json:"location_id"`
	Open       []PurchaseItem `json:"open,omitempty"`
}

func (PurchaseOrderCreated) EventType() string   { return "PurchaseOrderCreated" }
func (PurchaseOrderUpdated) EventType() string   { return "PurchaseOrderUpdated" }
func (PurchaseOrderSubmitted) EventType() string { return "PurchaseOrderSubmitted" }
func (PurchaseOrderApproved) EventType() string  { return "PurchaseOrderApproved" }
func (PurchaseOrderRejected) EventType() string  { return "PurchaseOrderRejected" }
func (PurchaseOrderReceived) EventType() string  { return "PurchaseOrderReceived" }
func (PurchaseOrderClosed) EventType() string    { return "PurchaseOrderClosed" }
func (PurchaseOrderCancelled) EventType() string { return "PurchaseOrderCancelled" }

func purchaseOrderEvents(r *Registry) {
	Register[PurchaseOrderCreated](r, "purchase_order", 1, nil)
	Register[PurchaseOrderUpdated](r, "purchase_order", 1, nil)
	Register[PurchaseOrderSubmitted](r, "purchase_order", 1, nil)
	Register[PurchaseOrderApproved](r, "purchase_order", 1, nil)
	Register[PurchaseOrderRejected](r, "purchase_order", 1, nil)
	Register[PurchaseOrderReceived](r, "purchase_order", 1, nil)
	Register[PurchaseOrderClosed](r, "purchase_order", 1, nil)
	Register[PurchaseOrderCancelled](r, "purchase_order", 1, nil)
}

// purchasingEvents registers the events of the purchasing modules: suppliers, purchase
// orders and ASNs.
func purchasingEvents(r *Registry) {
	supplierEvents(r)
	purchaseOrderEvents(r)
	asnEvents(r)
}

// PurchaseOrderStatusOf is the status change a purchase order event carries, if any.
func PurchaseOrderStatusOf(e Event) (PurchaseOrderStatusChange, bool) {
	switch e := e.(type) {
	case PurchaseOrderSubmitted:
		return e.PurchaseOrderStatusChange, true
	case PurchaseOrderApproved:
		return e.PurchaseOrderStatusChange, true
	case PurchaseOrderRejected:
		return e.PurchaseOrderStatusChange, true
	case PurchaseOrderReceived:
		return e.PurchaseOrderStatusChange, true
	case PurchaseOrderClosed:
		return e.PurchaseOrderStatusChange, true
	case PurchaseOrderCancelled:
		return e.PurchaseOrderStatusChange, true
	}
	return PurchaseOrderStatusChange{}, false
}

// Apply folds a purchase order event in.
func (o *PurchaseOrder) Apply(env Envelope) {
	if sc, ok := PurchaseOrderStatusOf(env.Event); ok {
		o.Status = sc.To
	}
	switch e := env.Event.(type) {
	case PurchaseOrderCreated:
		*o = PurchaseOrder{ID: e.PurchaseOrderID, PONumber: e.PONumber, SupplierID: e.SupplierID, LocationID: e.LocationID,
			ExpectedDeliveryDate: e.ExpectedDeliveryDate, Currency: e.Currency, PaymentTerms: e.PaymentTerms, Notes: e.Notes,
			Items: slices.Clone(e.Items), Total: e.Total, Status: PurchaseOrderStatusDraft, CreatedAt: env.Time}
	case PurchaseOrderUpdated:
		put(&o.ExpectedDeliveryDate, e.ExpectedDeliveryDate)
		put(&o.PaymentTerms, e.PaymentTerms)
		put(&o.Notes, e.Notes)
		if e.Items != nil {
			o.Items = slices.Clone(*e.Items)
		}
		put(&o.Total, e.Total)
	case PurchaseOrderReceived:
		o.Items = slices.Clone(o.Items)
		for _, it := range e.Items {
			for j := range o.Items {
				if o.Items[j].LineID == it.LineID {
					o.Items[j].Received += it.Quantity
				}
			}
		}
		o.Receipts = append(slices.Clip(o.Receipts), PurchaseReceipt{ReceivedAt: env.Time, Items: slices.Clone(e.Items)})
		if e.To == PurchaseOrderStatusReceived {
			at := env.Time
			o.ReceivedAt = &at
			if o.ExpectedDeliveryDate != "" {
				onTime := at.UTC().Format(time.DateOnly) <= o.ExpectedDeliveryDate // YYYY-MM-DD sorts as dates
				o.OnTime = &onTime
			}
		}
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached order is never shared with a caller.
func (o *PurchaseOrder) Clone() *PurchaseOrder {
	cp := *o
	cp.Items = slices.Clone(o.Items)
	cp.Receipts = slices.Clone(o.Receipts)
	if o.ReceivedAt != nil {
		at := *o.ReceivedAt
		cp.ReceivedAt = &at
	}
	if o.OnTime != nil {
		ok := *o.OnTime
		cp.OnTime = &ok
	}
	return &cp
}
