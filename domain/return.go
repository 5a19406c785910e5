package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// ReturnStatus is where a return (RMA) is in its life.
type ReturnStatus string

const (
	ReturnStatusRequested ReturnStatus = "REQUESTED"
	ReturnStatusApproved  ReturnStatus = "APPROVED"
	ReturnStatusReceived  ReturnStatus = "RECEIVED"
	ReturnStatusInspected ReturnStatus = "INSPECTED"
	ReturnStatusRefunded  ReturnStatus = "REFUNDED"
	ReturnStatusClosed    ReturnStatus = "CLOSED"
	ReturnStatusRejected  ReturnStatus = "REJECTED"
	ReturnStatusCancelled ReturnStatus = "CANCELLED"
)

// ReturnStatuses lists every status, in life order.
var ReturnStatuses = []ReturnStatus{ReturnStatusRequested, ReturnStatusApproved, ReturnStatusReceived, ReturnStatusInspected,
	ReturnStatusRefunded, ReturnStatusClosed, ReturnStatusRejected, ReturnStatusCancelled}

// returnFlow is the return state machine. "inspect" and "refund" carry bodies and have
// their own decide methods; the rest go through Act.
//
// Close is allowed from INSPECTED as well as REFUNDED: when every line was found DAMAGED by
// the customer, or the goods were an exchange, no refund is owed and the return ends
// without one. Cancel is the customer withdrawing before the goods arrive; reject is the
// merchant refusing, also before receipt. Reopen goes back to REQUESTED, so a reopened
// return is approved, received and inspected again.
var returnFlow = Flow[ReturnStatus]{Entity: "return", Steps: []Step[ReturnStatus]{
	{ReturnStatusRequested, "approve", ReturnStatusApproved},
	{ReturnStatusApproved, "receive", ReturnStatusReceived},
	{ReturnStatusReceived, "inspect", ReturnStatusInspected},
	{ReturnStatusInspected, "refund", ReturnStatusRefunded},
	{ReturnStatusRefunded, "close", ReturnStatusClosed},
	{ReturnStatusInspected, "close", ReturnStatusClosed},
	{ReturnStatusRequested, "reject", ReturnStatusRejected},
	{ReturnStatusApproved, "reject", ReturnStatusRejected},
	{ReturnStatusRequested, "cancel", ReturnStatusCancelled},
	{ReturnStatusApproved, "cancel", ReturnStatusCancelled},
	{ReturnStatusRejected, "reopen", ReturnStatusRequested},
	{ReturnStatusClosed, "reopen", ReturnStatusRequested},
}}

// ReturnActions are the body-less status actions that Act decides, reachable over
// POST /returns/:id/<action>. Inspect and Refund take bodies and have their own methods.
var ReturnActions = []string{"approve", "receive", "reject", "cancel", "close", "reopen"}

// ReturnReasons are why a customer sends goods back.
var ReturnReasons = []string{"DEFECTIVE", "WRONG_ITEM", "NOT_AS_DESCRIBED", "NO_LONGER_NEEDED", "DAMAGED_IN_TRANSIT", "OTHER"}

// ReturnConditions are the states the customer says the goods are in (optional).
var ReturnConditions = []string{"NEW", "OPENED", "USED", "DAMAGED"}

// Dispositions decided at inspection: RESTOCK puts the goods back on hand at a location,
// DAMAGED keeps them out of stock, DISPOSE throws them away.
const (
	DispositionRestock = "RESTOCK"
	DispositionDamaged = "DAMAGED"
	DispositionDispose = "DISPOSE"
)

// ReturnDispositions lists every disposition.
var ReturnDispositions = []string{DispositionRestock, DispositionDamaged, DispositionDispose}

// ReturnItem is one order line coming back.
type ReturnItem struct {
	LineID      string `json:"line_id"` // the order line
	SKU         string `json:"sku"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"` // minor units of the return's currency, as the order charged
	Reason      string `json:"reason"`
	Condition   string `json:"condition,omitempty"`
	Disposition string `json:"disposition,omitempty"` // "" until inspected
	LocationID  string `json:"location_id,omitempty"` // where RESTOCK goods go
}

// Return is the return (RMA) aggregate.
type Return struct {
	ID           string       `json:"id"`
	RMANumber    string       `json:"rma_number"`
	OrderID      string       `json:"order_id"`
	CustomerID   string       `json:"customer_id"`
	Currency     string       `json:"currency"`
	Items        []ReturnItem `json:"items"`
	Notes        string       `json:"notes"`
	Status       ReturnStatus `json:"status"`
	RefundAmount int64        `json:"refund_amount"` // refunded so far, across reopenings
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	Version      int64        `json:"version"`
}

// Exists reports whether the return has been requested.
func (r *Return) Exists() bool { return r.Version > 0 }

// CurrentVersion is the return's event count.
func (r *Return) CurrentVersion() int64 { return r.Version }

// Open reports whether the return still holds its quantities against the order: it exists
// and was neither rejected nor cancelled. An order counts open returns as already returned.
func (r *Return) Open() bool {
	return r.Exists() && r.Status != ReturnStatusRejected && r.Status != ReturnStatusCancelled
}

// Value is what the returned items are worth: the sum of quantity times unit price.
func (r *Return) Value() int64 {
	v, _ := returnValue(r.Items)
	return v
}

// CreateReturn requests a return of order lines. The caller assigns the id and the RMA
// number and computes Returnable from the order.
type CreateReturn struct {
	ReturnID   string
	RMANumber  string
	OrderID    string
	CustomerID string // optional: the order's customer
	Currency   string // the order's currency
	Items      []ReturnItem
	Notes      string
	// Returnable maps each order line id to the quantity still returnable: shipped minus
	// what open returns of the order already hold. A line absent from it cannot be returned.
	Returnable map[string]int64
}

// ReturnInspection is the disposition of one returned line.
type ReturnInspection struct {
	LineID      string
	Disposition string // RESTOCK, DAMAGED or DISPOSE
	LocationID  string // required for RESTOCK, refused otherwise
}

// InspectReturn records what was found in the returned goods: one disposition per line.
type InspectReturn struct {
	ReturnID string
	Items    []ReturnInspection
}

// RefundReturn refunds a returned items' value, or part of it.
type RefundReturn struct {
	ReturnID string
	Amount   int64 // minor units; 0 means everything not yet refunded
	Reason   string
}

// ReturnRequested: a customer asked to send order lines back.
type ReturnRequested struct {
	ReturnID   string       `json:"return_id"`
	RMANumber  string       `json:"rma_number"`
	OrderID    string       `json:"order_id"`
	CustomerID string       `json:"customer_id,omitempty"`
	Currency   string       `json:"currency"`
	Items      []ReturnItem `json:"items"`
	Notes      string       `json:"notes,omitempty"`
}

// ReturnApproved: the merchant accepted the return; the goods may be sent.
type ReturnApproved struct {
	ReturnID string `json:"return_id"`
	OrderID  string `json:"order_id"`
	Reason   string `json:"reason,omitempty"`
}

// ReturnRejected: the merchant refused the return; its quantities are free again.
type ReturnRejected struct {
	ReturnID string       `json:"return_id"`
	OrderID  string       `json:"order_id"`
	From     ReturnStatus `json:"from"`
	Reason   string       `json:"reason,omitempty"`
}

// ReturnReceived: the goods arrived at the warehouse.
type ReturnReceived struct {
	ReturnID string `json:"return_id"`
	OrderID  string `json:"order_id"`
	Reason   string `json:"reason,omitempty"`
}

// ReturnInspected: every line got its disposition. Items holds each line whole (sku,
// quantity, disposition, location) so that a process manager can restock the RESTOCK lines
// without loading the return.
type ReturnInspected struct {
	ReturnID string       `json:"return_id"`
	OrderID  string       `json:"order_id"`
	Items    []ReturnItem `json:"items"`
}

// ReturnRefunded: money for the returned items was granted; the order's payment status moves.
type ReturnRefunded struct {
	ReturnID string `json:"return_id"`
	OrderID  string `json:"order_id"`
	Amount   int64  `json:"amount"` // minor units
	Currency string `json:"currency"`
	Reason   string `json:"reason,omitempty"`
}

// ReturnClosed: the return is finished (after a refund, or after inspection with none owed).
type ReturnClosed struct {
	ReturnID string       `json:"return_id"`
	OrderID  string       `json:"order_id"`
	From     ReturnStatus `json:"from"`
	Reason   string       `json:"reason,omitempty"`
}

// ReturnCancelled: the return was withdrawn before the goods arrived; its quantities are
// free again.
type ReturnCancelled struct {
	ReturnID string       `json:"return_id"`
	OrderID  string       `json:"order_id"`
	From     ReturnStatus `json:"from"`
	Reason   string       `json:"reason,omitempty"`
}

// ReturnReopened: a rejected or closed return is REQUESTED again; its dispositions are
// cleared for a new inspection, what was refunded stays refunded.
type ReturnReopened struct {
	ReturnID string       `json:"return_id"`
	OrderID  string       `json:"order_id"`
	From     ReturnStatus `json:"from"`
	Reason   string       `json:"reason,omitempty"`
}

func (ReturnRequested) EventType() string { return "ReturnRequested" }
func (ReturnUpdated) EventType() string   { return "ReturnUpdated" }
func (ReturnApproved) EventType() string  { return "ReturnApproved" }
func (ReturnRejected) EventType() string  { return "ReturnRejected" }
func (ReturnReceived) EventType() string  { return "ReturnReceived" }
func (ReturnInspected) EventType() string { return "ReturnInspected" }
func (ReturnRefunded) EventType() string  { return "ReturnRefunded" }
func (ReturnClosed) EventType() string    { return "ReturnClosed" }
func (ReturnCancelled) EventType() string { return "ReturnCancelled" }
func (ReturnReopened) EventType() string  { return "ReturnReopened" }

func returnEvents(r *Registry) {
	Register[ReturnRequested](r, "return", 1, nil)
	Register[ReturnUpdated](r, "return", 1, nil)
	Register[ReturnApproved](r, "return", 1, nil)
	Register[ReturnRejected](r, "return", 1, nil)
	Register[ReturnReceived](r, "return", 1, nil)
	Register[ReturnInspected](r, "return", 1, nil)
	Register[ReturnRefunded](r, "return", 1, nil)
	Register[ReturnClosed](r, "return", 1, nil)
	Register[ReturnCancelled](r, "return", 1, nil)
	Register[ReturnReopened](r, "return", 1, nil)
}

// Check records every invalid field of the request in v. A quantity over what Returnable
// leaves of its line is "items[i].quantity". One item per order line: the inspection names
// lines, so a line twice would be ambiguous.
func (cmd CreateReturn) Check(v *Validation) {
	v.Check(ValidID(cmd.ReturnID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.RMANumber) != "" && len(cmd.RMANumber) <= 64, "rma_number", "is required, at most 64 characters")
	v.Check(ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.CustomerID == "" || ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(returnCurrencyValid(cmd.Currency), "currency", "must be an ISO 4217 code such as USD")
	v.Check(len(cmd.Notes) <= 5000, "notes", "at most 5000 characters")
	v.Check(len(cmd.Items) > 0, "items", "at least one item")
	v.Check(len(cmd.Items) <= 500, "items", "at most 500 items")
	used := map[string]int64{} // per line, by the items before
	for i, it := range cmd.Items {
		p := "items[" + itoa(i) + "]."
		left, known := cmd.Returnable[it.LineID]
		_, seen := used[it.LineID]
		switch {
		case it.LineID == "":
			v.Add(p+"line_id", "is required")
		case !known:
			v.Add(p+"line_id", "is not a returnable line of the order")
		case seen:
			v.Add(p+"line_id", "appears twice; give one item per order line")
		}
		switch {
		case it.Quantity <= 0:
			v.Add(p+"quantity", "must be a positive integer")
		case it.Quantity > MaxQuantity:
			v.Add(p+"quantity", "must be at most 10^12")
		case known && it.Quantity > left-used[it.LineID]:
			v.Add(p+"quantity", "exceeds the "+strconv.FormatInt(max(left-used[it.LineID], 0), 10)+" still returnable")
		}
		used[it.LineID] += max(it.Quantity, 0)
		v.Check(strings.TrimSpace(it.SKU) != "" && len(it.SKU) <= 100, p+"sku", "is required, at most 100 characters")
		v.Check(it.UnitPrice >= 0, p+"unit_price", "must be 0 or more")
		v.Check(slices.Contains(ReturnReasons, it.Reason), p+"reason", "must be one of "+strings.Join(ReturnReasons, ", "))
		v.Check(it.Condition == "" || slices.Contains(ReturnConditions, it.Condition), p+"condition", "must be one of "+strings.Join(ReturnConditions, ", "))
		v.Check(it.Disposition == "" && it.LocationID == "", p+"disposition", "is decided at inspection")
	}
	bad := func(it ReturnItem) bool { return it.Quantity <= 0 || it.UnitPrice < 0 }
	if _, ok := returnValue(cmd.Items); !ok && !slices.ContainsFunc(cmd.Items, bad) {
		v.Add("items", "total value too large")
	}
}

// Check records every invalid field of the inspection that can be judged without the
// return; Inspect adds the lines the return does not have, repeats or misses.
func (cmd InspectReturn) Check(v *Validation) {
	for i, in := range cmd.Items {
		p := "items[" + itoa(i) + "]."
		v.Check(in.LineID != "", p+"line_id", "is required")
		v.Check(slices.Contains(ReturnDispositions, in.Disposition), p+"disposition", "must be one of "+strings.Join(ReturnDispositions, ", "))
		if in.Disposition == DispositionRestock {
			v.Check(ValidID(in.LocationID), p+"location_id", "is required for RESTOCK and must match ^[A-Za-z0-9_-]{1,64}$")
		} else {
			v.Check(in.LocationID == "", p+"location_id", "only RESTOCK lines go to a location")
		}
	}
}

// Check records every invalid field of the refund in v.
func (cmd RefundReturn) Check(v *Validation) {
	v.Check(cmd.Amount >= 0, "amount", "must be positive, or 0 for the items' value")
	v.Check(len(cmd.Reason) <= 500, "reason", "at most 500 characters")
}

// Create decides requesting a return. A taken id is an *AlreadyExistsError; bad fields,
// including a quantity over what is still returnable, are one *ValidationError.
func (r *Return) Create(cmd CreateReturn) ([]Event, error) {
	if r.Exists() {
		return nil, &AlreadyExistsError{Entity: "return", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	items := slices.Clone(cmd.Items)
	return []Event{ReturnRequested{
		ReturnID: cmd.ReturnID, RMANumber: cmd.RMANumber, OrderID: cmd.OrderID, CustomerID: cmd.CustomerID,
		Currency: cmd.Currency, Items: items, Notes: cmd.Notes,
	}}, nil
}

// Act decides one of ReturnActions. A missing return is ErrNotFound; an action the status
// does not allow is a *TransitionError; an action outside ReturnActions (inspect and
// refund included: they need bodies) is a *ValidationError on "action".
//
// Reopening a REJECTED return makes it hold its quantities against the order again
// without rechecking what is still returnable: the command handler checks that first.
func (r *Return) Act(action, reason string) ([]Event, error) {
	return r.act(action, reason)
}

// UpdateReturn edits a return's notes (its lines hold quantities against the order and
// change only by a new return).
type UpdateReturn struct {
	Notes *string
}

// ReturnUpdated: the return's notes changed.
type ReturnUpdated struct {
	ReturnID string  `json:"return_id"`
	OrderID  string  `json:"order_id"`
	Notes    *string `json:"notes,omitempty"`
}

// Update decides an edit of the notes, in any status; nothing changed, no event.
func (r *Return) Update(cmd UpdateReturn) ([]Event, error) {
	if !r.Exists() {
		return nil, ErrNotFound
	}
	var v Validation
	v.Check(len(or(cmd.Notes, r.Notes)) <= 10000, "notes", "at most 10000 characters")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := ReturnUpdated{ReturnID: r.ID, OrderID: r.OrderID, Notes: edited(&changed, r.Notes, cmd.Notes)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

func (r *Return) act(action, reason string) ([]Event, error) {
	if !r.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(ReturnActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(ReturnActions, ", ")}}}
	}
	if _, err := returnFlow.Next(r.Status, action); err != nil {
		return nil, err
	}
	var e Event
	switch action {
	case "approve":
		e = ReturnApproved{ReturnID: r.ID, OrderID: r.OrderID, Reason: reason}
	case "receive":
		e = ReturnReceived{ReturnID: r.ID, OrderID: r.OrderID, Reason: reason}
	case "reject":
		e = ReturnRejected{ReturnID: r.ID, OrderID: r.OrderID, From: r.Status, Reason: reason}
	case "cancel":
		e = ReturnCancelled{ReturnID: r.ID, OrderID: r.OrderID, From: r.Status, Reason: reason}
	case "close":
		e = ReturnClosed{ReturnID: r.ID, OrderID: r.OrderID, From: r.Status, Reason: reason}
	case "reopen":
		e = ReturnReopened{ReturnID: r.ID, OrderID: r.OrderID, From: r.Status, Reason: reason}
	}
	return []Event{e}, nil
}

// Inspect decides the inspection of received goods: every line of the return gets
// exactly one disposition. Missing return: ErrNotFound; not RECEIVED: *TransitionError;
// an unknown, repeated or missing line: *ValidationError.
func (r *Return) Inspect(cmd InspectReturn) ([]Event, error) {
	if !r.Exists() {
		return nil, ErrNotFound
	}
	if _, err := returnFlow.Next(r.Status, "inspect"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	byLine := map[string]ReturnInspection{}
	for i, in := range cmd.Items {
		if in.LineID == "" {
			continue
		}
		p := "items[" + itoa(i) + "]."
		if !slices.ContainsFunc(r.Items, func(it ReturnItem) bool { return it.LineID == in.LineID }) {
			v.Add(p+"line_id", "is not a line of this return")
		} else if _, dup := byLine[in.LineID]; dup {
			v.Add(p+"line_id", "has a disposition already")
		} else {
			byLine[in.LineID] = in
		}
	}
	for _, it := range r.Items {
		if _, ok := byLine[it.LineID]; !ok {
			v.Add("items", "line "+it.LineID+" has no disposition")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	items := slices.Clone(r.Items)
	for i := range items {
		in := byLine[items[i].LineID]
		items[i].Disposition, items[i].LocationID = in.Disposition, in.LocationID
	}
	return []Event{ReturnInspected{ReturnID: r.ID, OrderID: r.OrderID, Items: items}}, nil
}

// Refund decides refunding an inspected return. Amount 0 means what is left of the items'
// value; more than that, or nothing left, is a *ValidationError on "amount". Missing
// return: ErrNotFound; not INSPECTED: *TransitionError.
func (r *Return) Refund(cmd RefundReturn) ([]Event, error) {
	if !r.Exists() {
		return nil, ErrNotFound
	}
	if _, err := returnFlow.Next(r.Status, "refund"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	// a reopened return was perhaps refunded before: never pay the same goods twice
	left := r.Value() - r.RefundAmount
	amount := cmd.Amount
	if amount == 0 {
		amount = left
	}
	switch {
	case cmd.Amount < 0:
	case left <= 0:
		v.Add("amount", "nothing is left to refund; close the return instead")
	case amount > left:
		v.Add("amount", "exceeds the "+strconv.FormatInt(left, 10)+" left of the returned items' value")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{ReturnRefunded{ReturnID: r.ID, OrderID: r.OrderID, Amount: amount, Currency: r.Currency, Reason: cmd.Reason}}, nil
}

// Apply folds a return event in.
func (r *Return) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case ReturnRequested:
		*r = Return{
			ID: e.ReturnID, RMANumber: e.RMANumber, OrderID: e.OrderID, CustomerID: e.CustomerID,
			Currency: e.Currency, Items: slices.Clone(e.Items), Notes: e.Notes, Status: ReturnStatusRequested,
			CreatedAt: env.Time,
		}
	case ReturnUpdated:
		put(&r.Notes, e.Notes)
	case ReturnApproved:
		r.Status = ReturnStatusApproved
	case ReturnReceived:
		r.Status = ReturnStatusReceived
	case ReturnInspected:
		r.Items = slices.Clone(e.Items)
		r.Status = ReturnStatusInspected
	case ReturnRefunded:
		r.RefundAmount += e.Amount
		r.Status = ReturnStatusRefunded
	case ReturnClosed:
		r.Status = ReturnStatusClosed
	case ReturnRejected:
		r.Status = ReturnStatusRejected
	case ReturnCancelled:
		r.Status = ReturnStatusCancelled
	case ReturnReopened:
		items := slices.Clone(r.Items)
		for i := range items {
			items[i].Disposition, items[i].LocationID = "", ""
		}
		r.Items = items
		r.Status = ReturnStatusRequested
	}
	r.Version = env.Version
	r.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached return is never shared with a caller.
func (r *Return) Clone() *Return {
	cp := *r
	cp.Items = slices.Clone(r.Items)
	return &cp
}

// returnValue sums quantity times unit price; ok is false when the sum would not fit in
// an int64 (or an input is negative, which Check refuses anyway).
func returnValue(items []ReturnItem) (total int64, ok bool) {
	const limit = 1 << 62
	for _, it := range items {
		if it.Quantity < 0 || it.UnitPrice < 0 {
			return 0, false
		}
		if it.Quantity != 0 && it.UnitPrice > (limit-total)/it.Quantity {
			return 0, false
		}
		total += it.Quantity * it.UnitPrice
	}
	return total, true
}

// returnCurrencyValid reports whether c looks like an ISO 4217 code: three upper-case letters.
func returnCurrencyValid(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// ReturnCanMove reports whether an action takes a return from one status to the other.
func ReturnCanMove(from, to ReturnStatus) bool {
	_, ok := returnFlow.ActionTo(from, to)
	return ok
}
