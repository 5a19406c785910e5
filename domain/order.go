package domain

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// OrderStatus is where an order is in its life.
type OrderStatus string

const (
	OrderStatusDraft            OrderStatus = "DRAFT"
	OrderStatusPending          OrderStatus = "PENDING"
	OrderStatusConfirmed        OrderStatus = "CONFIRMED"
	OrderStatusProcessing       OrderStatus = "PROCESSING"
	OrderStatusPartiallyShipped OrderStatus = "PARTIALLY_SHIPPED"
	OrderStatusShipped          OrderStatus = "SHIPPED"
	OrderStatusDelivered        OrderStatus = "DELIVERED"
	OrderStatusOnHold           OrderStatus = "ON_HOLD"
	OrderStatusCancelled        OrderStatus = "CANCELLED"
)

// OrderStatuses lists every status, in life order.
var OrderStatuses = []OrderStatus{OrderStatusDraft, OrderStatusPending, OrderStatusConfirmed, OrderStatusProcessing,
	OrderStatusPartiallyShipped, OrderStatusShipped, OrderStatusDelivered, OrderStatusOnHold, OrderStatusCancelled}

// Payment statuses of an order.
const (
	PaymentUnpaid            = "UNPAID"
	PaymentPaid              = "PAID"
	PaymentPartiallyRefunded = "PARTIALLY_REFUNDED"
	PaymentRefunded          = "REFUNDED"
)

// Fulfillment statuses of an order, derived from its lines.
const (
	FulfillmentUnfulfilled        = "UNFULFILLED"
	FulfillmentBackordered        = "BACKORDERED"
	FulfillmentPartiallyAllocated = "PARTIALLY_ALLOCATED"
	FulfillmentAllocated          = "ALLOCATED"
	FulfillmentPartiallyFulfilled = "PARTIALLY_FULFILLED"
	FulfillmentFulfilled          = "FULFILLED"
)

var beforeShipping = []OrderStatus{OrderStatusDraft, OrderStatusPending, OrderStatusConfirmed, OrderStatusProcessing, OrderStatusOnHold}

// orderFlow is the order state machine. "ship" from a status that ships only part of the
// order leads to PARTIALLY_SHIPPED instead (Ship decides); "release" returns an order on
// hold to the status it was held in (Act decides).
var orderFlow = Flow[OrderStatus]{Entity: "order", Steps: slices.Concat(
	[]Step[OrderStatus]{
		{OrderStatusDraft, "submit", OrderStatusPending},
		{OrderStatusPending, "confirm", OrderStatusConfirmed},
		{OrderStatusConfirmed, "process", OrderStatusProcessing},
		{OrderStatusConfirmed, "ship", OrderStatusShipped},
		{OrderStatusProcessing, "ship", OrderStatusShipped},
		{OrderStatusPartiallyShipped, "ship", OrderStatusShipped},
		{OrderStatusShipped, "deliver", OrderStatusDelivered},
		{OrderStatusPending, "hold", OrderStatusOnHold},
		{OrderStatusConfirmed, "hold", OrderStatusOnHold},
		{OrderStatusProcessing, "hold", OrderStatusOnHold},
		{OrderStatusOnHold, "release", OrderStatusOnHold},
	},
	to(beforeShipping, "cancel", OrderStatusCancelled),
	stay(beforeShipping, "update"),
	stay(OrderStatuses[:len(OrderStatuses)-1], "add_note"),
	stay([]OrderStatus{OrderStatusPartiallyShipped, OrderStatusShipped, OrderStatusDelivered}, "open_return"),
)}

// OrderActions are the status actions of POST /v1/orders/{id}/{action}.
var OrderActions = []string{"submit", "confirm", "process", "ship", "deliver", "hold", "release", "cancel"}

// OrderLine is one line of an order. Reserved counts what stock has ever been set aside
// for it (shipped units included), Backordered what still waits for stock.
type OrderLine struct {
	ID          string `json:"id"`
	SKU         string `json:"sku"`
	Name        string `json:"name,omitempty"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	Total       int64  `json:"total"`
	Reserved    int64  `json:"reserved"`
	Backordered int64  `json:"backordered"`
	Shipped     int64  `json:"shipped"`
	Returned    int64  `json:"returned"`
	AllocatedAt uint64 `json:"allocated_at,omitempty"` // inventory position of the last allocation applied
}

// OrderLineInput is a line as a caller writes it.
type OrderLineInput struct {
	SKU       string
	Name      string
	Quantity  int64
	UnitPrice int64
}

// Order is the order aggregate.
type Order struct {
	ID              string            `json:"id"`
	OrderNumber     string            `json:"order_number"`
	CustomerID      string            `json:"customer_id"`
	Currency        string            `json:"currency"`
	LocationID      string            `json:"location_id"`
	Channel         string            `json:"channel"`
	Notes           string            `json:"notes"`
	Items           []OrderLine       `json:"items"`
	ShippingAddress *Address          `json:"shipping_address,omitempty"`
	BillingAddress  *Address          `json:"billing_address,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	Subtotal        int64             `json:"subtotal"`
	Total           int64             `json:"total"`
	Status          OrderStatus       `json:"status"`
	HeldFrom        OrderStatus       `json:"held_from,omitempty"`
	PaymentStatus   string            `json:"payment_status"`
	PaidAmount      int64             `json:"paid_amount"`
	RefundedAmount  int64             `json:"refunded_amount"`
	// Returns are the open returns against the order: return id -> line id -> quantity.
	Returns map[string]map[string]int64 `json:"returns,omitempty"`
	// Refunds are the keys of refunds already made for returns (the causing event's id),
	// so a redelivered refund is not paid twice.
	Refunds []string `json:"refunds,omitempty"`
	// NextLine is the highest line id ever given: a line removed and added back gets a new
	// id, so it is never mistaken for the old line (and its closed reservation).
	NextLine int `json:"next_line,omitempty"`
	// Shipments are the shipments that shipped lines, so a retried shipment ships once.
	Shipments []string  `json:"shipments,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// Exists reports whether the order has been created.
func (o *Order) Exists() bool { return o.Version > 0 }

// CurrentVersion is the order's event count.
func (o *Order) CurrentVersion() int64 { return o.Version }

// Line returns the line with id.
func (o *Order) Line(id string) (*OrderLine, bool) {
	for i := range o.Items {
		if o.Items[i].ID == id {
			return &o.Items[i], true
		}
	}
	return nil, false
}

// FulfillmentStatus is derived from the lines.
func (o *Order) FulfillmentStatus() string { return OrderFulfillment(o.Items) }

// OrderFulfillment derives the fulfillment status of lines.
func OrderFulfillment(lines []OrderLine) string {
	var qty, reserved, backordered, shipped int64
	for _, l := range lines {
		qty += l.Quantity
		reserved += min(l.Reserved, l.Quantity)
		backordered += l.Backordered
		shipped += l.Shipped
	}
	switch {
	case qty > 0 && shipped >= qty:
		return FulfillmentFulfilled
	case shipped > 0:
		return FulfillmentPartiallyFulfilled
	case qty > 0 && reserved >= qty:
		return FulfillmentAllocated
	case backordered > 0:
		return FulfillmentBackordered
	case reserved > 0:
		return FulfillmentPartiallyAllocated
	}
	return FulfillmentUnfulfilled
}

// Returnable is, per line id, what was shipped and is not held by an open return.
func (o *Order) Returnable() map[string]int64 {
	out := map[string]int64{}
	for _, l := range o.Items {
		if n := l.Shipped - l.Returned; n > 0 {
			out[l.ID] = n
		}
	}
	return out
}

// CreateOrder creates an order in DRAFT (or PENDING when Submit is set).
type CreateOrder struct {
	OrderID         string
	OrderNumber     string
	CustomerID      string
	Currency        string
	LocationID      string
	Channel         string
	Notes           string
	Items           []OrderLineInput
	ShippingAddress *Address
	BillingAddress  *Address
	Metadata        map[string]string
	Submit          bool
}

// Check validates the command.
func (cmd CreateOrder) Check(v *Validation) {
	v.Check(ValidID(cmd.CustomerID), "customer_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	CheckCurrency(v, "currency", cmd.Currency)
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkOrderLines(v, cmd.Items)
	checkOptionalAddress(v, "shipping_address", cmd.ShippingAddress)
	checkOptionalAddress(v, "billing_address", cmd.BillingAddress)
	checkMetadata(v, "metadata", cmd.Metadata)
}

func checkOrderLines(v *Validation, items []OrderLineInput) {
	v.Check(len(items) > 0, "items", "must hold at least one line")
	v.Check(len(items) <= 500, "items", "must hold at most 500 lines")
	seen, numbersOK := map[string]bool{}, true
	for i, l := range items {
		f := "items[" + strconv.Itoa(i) + "]."
		CheckSKU(v, f+"sku", l.SKU)
		v.Check(!seen[l.SKU], f+"sku", "appears on another line; give one line per SKU")
		seen[l.SKU] = true
		qtyOK, priceOK := l.Quantity > 0 && l.Quantity <= maxQuantity, l.UnitPrice >= 0 && l.UnitPrice <= maxUnitPrice
		v.Check(qtyOK, f+"quantity", "must be a positive integer up to 1000000")
		v.Check(priceOK, f+"unit_price", "must be a non-negative integer in minor units, at most 10^12")
		v.Check(len(l.Name) <= 500, f+"name", "must be at most 500 characters")
		numbersOK = numbersOK && qtyOK && priceOK
	}
	if numbersOK {
		checkLineTotals(v, "items", len(items), func(i int) (int64, int64) { return items[i].Quantity, items[i].UnitPrice })
	}
}

func orderLines(in []OrderLineInput, old []OrderLine, next int) ([]OrderLine, int64) {
	bySKU := map[string]OrderLine{}
	for _, l := range old {
		bySKU[l.SKU] = l
	}
	out := make([]OrderLine, len(in))
	var subtotal int64
	for i, l := range in {
		line, ok := bySKU[l.SKU] // a line keeps its id (and its allocation) across edits
		if !ok {
			next++
			line = OrderLine{ID: strconv.Itoa(next), SKU: l.SKU}
		}
		// checkLineTotals has held every product and the sum within MaxMoney
		line.Total, _ = MulMoney(l.Quantity, l.UnitPrice)
		line.Name, line.Quantity, line.UnitPrice = l.Name, l.Quantity, l.UnitPrice
		out[i] = line
		subtotal, _ = AddMoney(subtotal, line.Total)
	}
	return out, subtotal
}

// Create decides the order's creation.
func (o *Order) Create(cmd CreateOrder) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "order", Field: "id"}
	}
	lines, subtotal := orderLines(cmd.Items, nil, 0)
	status := OrderStatusDraft
	if cmd.Submit {
		status = OrderStatusPending
	}
	return []Event{OrderCreated{OrderID: cmd.OrderID, OrderNumber: cmd.OrderNumber, CustomerID: cmd.CustomerID,
		Currency: cmd.Currency, LocationID: cmd.LocationID, Channel: cmd.Channel, Notes: cmd.Notes, Items: lines,
		ShippingAddress: cmd.ShippingAddress, BillingAddress: cmd.BillingAddress, Metadata: emptyToNil(cmd.Metadata),
		Subtotal: subtotal, Total: subtotal, Status: status}}, nil
}

// UpdateOrder edits an order before shipping; nil leaves a field alone. Items replaces
// the lines (matched to the old ones by SKU).
type UpdateOrder struct {
	Items           *[]OrderLineInput
	ShippingAddress *Address
	BillingAddress  *Address
	Notes           *string
	Channel         *string
	Metadata        *map[string]string
}

// Check validates the command.
func (cmd UpdateOrder) Check(v *Validation) {
	if cmd.Items != nil {
		checkOrderLines(v, *cmd.Items)
	}
	checkOptionalAddress(v, "shipping_address", cmd.ShippingAddress)
	checkOptionalAddress(v, "billing_address", cmd.BillingAddress)
	if cmd.Metadata != nil {
		checkMetadata(v, "metadata", *cmd.Metadata)
	}
}

// Update decides an edit; no change yields no event.
func (o *Order) Update(cmd UpdateOrder) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := orderFlow.Next(o.Status, "update"); err != nil {
		return nil, err
	}
	e := OrderUpdated{OrderID: o.ID, CustomerID: o.CustomerID, Status: o.Status}
	if cmd.Items != nil {
		lines, subtotal := orderLines(*cmd.Items, o.Items, o.NextLine)
		if !slices.Equal(lines, o.Items) {
			e.Items = &OrderItemsChange{From: o.Items, To: lines}
			e.Subtotal, e.Total = &Int64Change{From: o.Subtotal, To: subtotal}, &Int64Change{From: o.Total, To: subtotal}
		}
	}
	if cmd.ShippingAddress != nil && (o.ShippingAddress == nil || *o.ShippingAddress != *cmd.ShippingAddress) {
		e.ShippingAddress = cmd.ShippingAddress
	}
	if cmd.BillingAddress != nil && (o.BillingAddress == nil || *o.BillingAddress != *cmd.BillingAddress) {
		e.BillingAddress = cmd.BillingAddress
	}
	if cmd.Notes != nil && *cmd.Notes != o.Notes {
		e.Notes = &Change{From: o.Notes, To: *cmd.Notes}
	}
	if cmd.Channel != nil && *cmd.Channel != o.Channel {
		e.Channel = &Change{From: o.Channel, To: *cmd.Channel}
	}
	if cmd.Metadata != nil && !maps.Equal(*cmd.Metadata, o.Metadata) {
		e.Metadata = &MetadataChange{From: o.Metadata, To: emptyToNil(*cmd.Metadata)}
	}
	if e.Items == nil && e.ShippingAddress == nil && e.BillingAddress == nil && e.Notes == nil && e.Channel == nil && e.Metadata == nil {
		return nil, nil
	}
	e.LocationID = o.LocationID
	return []Event{e}, nil
}

// Act decides a status action that needs no more than a reason: submit, confirm,
// process, deliver, hold, release, cancel.
func (o *Order) Act(action, reason string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if action == "ship" {
		return o.Ship(ShipOrder{})
	}
	next, err := orderFlow.Next(o.Status, action)
	if err != nil {
		return nil, err
	}
	base := OrderStatusChange{OrderID: o.ID, From: o.Status, To: next, Reason: reason}
	switch action {
	case "submit":
		return []Event{OrderSubmitted{base}}, nil
	case "confirm":
		return []Event{OrderConfirmed{OrderStatusChange: base, CustomerID: o.CustomerID, LocationID: o.LocationID, Items: o.Items}}, nil
	case "process":
		return []Event{OrderProcessingStarted{base}}, nil
	case "deliver":
		return []Event{OrderDelivered{base}}, nil
	case "hold":
		return []Event{OrderHeld{base}}, nil
	case "release":
		base.To = o.HeldFrom
		return []Event{OrderReleased{base}}, nil
	case "cancel":
		return []Event{OrderCancelled{OrderStatusChange: base, LocationID: o.LocationID, Items: o.Items}}, nil
	}
	return nil, &TransitionError{Entity: "order", From: string(o.Status), Action: action}
}

// ShipLine ships quantity of one line.
type ShipLine struct {
	LineID   string
	Quantity int64
}

// ShipOrder ships lines (none: everything reserved and not yet shipped). ShipmentID,
// when set, names the shipment the lines leave with: shipping it again is a no-op.
type ShipOrder struct {
	Lines          []ShipLine
	Carrier        string
	TrackingNumber string
	ShipmentID     string
}

// Ship decides a shipment. A line ships only what stock has been reserved for it.
func (o *Order) Ship(cmd ShipOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if cmd.ShipmentID != "" && slices.Contains(o.Shipments, cmd.ShipmentID) {
		return nil, nil
	}
	if _, err := orderFlow.Next(o.Status, "ship"); err != nil {
		return nil, err
	}
	lines := cmd.Lines
	if len(lines) == 0 {
		for _, l := range o.Items {
			if n := l.Quantity - l.Shipped; n > 0 {
				lines = append(lines, ShipLine{LineID: l.ID, Quantity: n})
			}
		}
	}
	var v Validation
	var short []Shortage
	var shipped []ShippedLine
	after := slices.Clone(o.Items)
	seen := map[string]bool{}
	for i, sl := range lines {
		f := "lines[" + strconv.Itoa(i) + "]."
		l, ok := o.Line(sl.LineID)
		if !ok {
			v.Add(f+"line_id", "is not a line of this order")
			continue
		}
		if seen[sl.LineID] {
			v.Add(f+"line_id", "appears twice; give each line once")
			continue
		}
		seen[sl.LineID] = true
		if sl.Quantity <= 0 || sl.Quantity > l.Quantity-l.Shipped {
			v.Add(f+"quantity", fmt.Sprintf("must be from 1 to the %d not yet shipped", l.Quantity-l.Shipped))
			continue
		}
		if held := min(l.Reserved, l.Quantity) - l.Shipped; sl.Quantity > held {
			short = append(short, Shortage{SKU: l.SKU, LocationID: o.LocationID, Requested: sl.Quantity, Available: max(held, 0)})
			continue
		}
		shipped = append(shipped, ShippedLine{LineID: l.ID, SKU: l.SKU, Quantity: sl.Quantity})
		for j := range after {
			if after[j].ID == l.ID {
				after[j].Shipped += sl.Quantity
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(short) > 0 {
		return nil, &InsufficientStockError{Shortages: short}
	}
	if len(shipped) == 0 {
		return nil, &ValidationError{Fields: []FieldError{{Field: "lines", Issue: "nothing left to ship"}}}
	}
	to := OrderStatusShipped
	if OrderFulfillment(after) != FulfillmentFulfilled {
		to = OrderStatusPartiallyShipped
	}
	return []Event{OrderShipped{OrderStatusChange: OrderStatusChange{OrderID: o.ID, From: o.Status, To: to},
		LocationID: o.LocationID, Lines: shipped, Carrier: cmd.Carrier, TrackingNumber: cmd.TrackingNumber,
		ShipmentID: cmd.ShipmentID}}, nil
}

// LineAllocation is the stock state of one line as the inventory reported it at
// position AsOf (the inventory event's stream position).
type LineAllocation struct {
	LineID      string `json:"line_id"`
	Reserved    int64  `json:"reserved"`
	Backordered int64  `json:"backordered"`
	AsOf        uint64 `json:"as_of"`
}

// Allocate records what the inventory holds for lines; reports older than what a line
// has already seen, or that change nothing, are ignored.
func (o *Order) Allocate(allocs []LineAllocation) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	var changed []LineAllocation
	for _, a := range allocs {
		l, ok := o.Line(a.LineID)
		if !ok || a.AsOf <= l.AllocatedAt || (l.Reserved == a.Reserved && l.Backordered == a.Backordered) {
			continue
		}
		changed = append(changed, a)
	}
	if len(changed) == 0 {
		return nil, nil
	}
	return []Event{OrderLinesAllocated{OrderID: o.ID, Lines: changed}}, nil
}

// AddNote decides a note.
func (o *Order) AddNote(noteID, body string) ([]Event, error) {
	var v Validation
	v.Check(body != "" && len(body) <= 10_000, "body", "is required, at most 10000 characters")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := orderFlow.Next(o.Status, "add_note"); err != nil {
		return nil, err
	}
	return []Event{OrderNoteAdded{OrderID: o.ID, NoteID: noteID, Body: body}}, nil
}

// Pay records a captured payment (amount 0: the total).
func (o *Order) Pay(amount int64, reference string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if amount == 0 {
		amount = o.Total
	}
	var v Validation
	v.Check(amount == o.Total && MoneyInRange(amount), "amount", fmt.Sprintf("must equal the order total %d", o.Total))
	if err := v.Err(); err != nil {
		return nil, err
	}
	if o.PaymentStatus != PaymentUnpaid || o.Status == OrderStatusCancelled || o.Status == OrderStatusDraft {
		return nil, &TransitionError{Entity: "order payment", From: o.PaymentStatus, Action: "pay"}
	}
	return []Event{OrderPaid{OrderID: o.ID, Amount: amount, Currency: o.Currency, Reference: reference}}, nil
}

// Refund decides a refund (amount 0: everything still refundable). key identifies a
// refund made for a return (the return's refund event): a key already seen is a no-op.
func (o *Order) Refund(amount int64, reason, returnID, key string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if key != "" && slices.Contains(o.Refunds, key) {
		return nil, nil
	}
	if o.PaymentStatus != PaymentPaid && o.PaymentStatus != PaymentPartiallyRefunded {
		return nil, &TransitionError{Entity: "order payment", From: o.PaymentStatus, Action: "refund"}
	}
	left, _ := SubMoney(o.PaidAmount, o.RefundedAmount) // refunds never pass what was paid
	if amount == 0 {
		amount = left
	}
	var v Validation
	refunded, ok := AddMoney(o.RefundedAmount, amount)
	v.Check(amount > 0 && ok && refunded <= o.PaidAmount, "amount", fmt.Sprintf("must be from 1 to the %d still refundable", left))
	if err := v.Err(); err != nil {
		return nil, err
	}
	status := PaymentPartiallyRefunded
	if amount == left {
		status = PaymentRefunded
	}
	return []Event{OrderRefunded{OrderID: o.ID, Amount: amount, Currency: o.Currency, Reason: reason, ReturnID: returnID,
		RefundKey: key, PaymentStatus: status}}, nil
}

// OpenReturn holds returned quantities against the order's shipped lines. Opening the
// same return again is a no-op.
func (o *Order) OpenReturn(returnID string, lines map[string]int64) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, ok := o.Returns[returnID]; ok {
		return nil, nil
	}
	if _, err := orderFlow.Next(o.Status, "open_return"); err != nil {
		return nil, err
	}
	returnable := o.Returnable()
	var v Validation
	for _, id := range slices.Sorted(maps.Keys(lines)) {
		if lines[id] <= 0 || lines[id] > returnable[id] { // a quantity that wrapped negative is refused too
			v.Add("items", fmt.Sprintf("line %s: %d requested, %d still returnable", id, lines[id], returnable[id]))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{OrderReturnOpened{OrderID: o.ID, ReturnID: returnID, Lines: maps.Clone(lines)}}, nil
}

// CloseReturn frees the quantities of a return that was rejected or cancelled.
func (o *Order) CloseReturn(returnID string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, ok := o.Returns[returnID]; !ok {
		return nil, nil
	}
	return []Event{OrderReturnReleased{OrderID: o.ID, ReturnID: returnID}}, nil
}

// PersonalSubject: see OrderCreated.
func (o *Order) PersonalSubject() string { return o.CustomerID }

// Apply folds an order event in.
func (o *Order) Apply(env Envelope) {
	if sc, ok := OrderStatusOf(env.Event); ok {
		if sc.To == OrderStatusOnHold {
			o.HeldFrom = sc.From
		}
		o.Status = sc.To
	}
	switch e := env.Event.(type) {
	case OrderCreated:
		*o = Order{ID: e.OrderID, OrderNumber: e.OrderNumber, CustomerID: e.CustomerID, Currency: e.Currency,
			LocationID: e.LocationID, Channel: e.Channel, Notes: e.Notes, Items: slices.Clone(e.Items),
			ShippingAddress: e.ShippingAddress, BillingAddress: e.BillingAddress, Metadata: maps.Clone(e.Metadata),
			Subtotal: e.Subtotal, Total: e.Total, Status: e.Status, PaymentStatus: PaymentUnpaid, CreatedAt: env.Time}
	case OrderUpdated:
		if e.Items != nil {
			o.Items = slices.Clone(e.Items.To)
		}
		if e.Subtotal != nil {
			o.Subtotal = e.Subtotal.To
		}
		if e.Total != nil {
			o.Total = e.Total.To
		}
		if e.ShippingAddress != nil {
			o.ShippingAddress = e.ShippingAddress
		}
		if e.BillingAddress != nil {
			o.BillingAddress = e.BillingAddress
		}
		if e.Notes != nil {
			o.Notes = e.Notes.To
		}
		if e.Channel != nil {
			o.Channel = e.Channel.To
		}
		if e.Metadata != nil {
			o.Metadata = maps.Clone(e.Metadata.To)
		}
	case OrderShipped:
		if e.ShipmentID != "" {
			o.Shipments = append(slices.Clip(o.Shipments), e.ShipmentID)
		}
		o.Items = slices.Clone(o.Items)
		for _, sl := range e.Lines {
			if l, ok := o.Line(sl.LineID); ok {
				l.Shipped += sl.Quantity
			}
		}
	case OrderLinesAllocated:
		o.Items = slices.Clone(o.Items)
		for _, a := range e.Lines {
			if l, ok := o.Line(a.LineID); ok && a.AsOf > l.AllocatedAt {
				l.Reserved, l.Backordered, l.AllocatedAt = a.Reserved, a.Backordered, a.AsOf
			}
		}
	case OrderPaid:
		o.PaymentStatus, o.PaidAmount = PaymentPaid, e.Amount
	case OrderRefunded:
		o.RefundedAmount += e.Amount
		o.PaymentStatus = e.PaymentStatus
		if e.RefundKey != "" {
			o.Refunds = append(slices.Clip(o.Refunds), e.RefundKey)
		}
	case OrderReturnOpened:
		o.Returns = maps.Clone(o.Returns)
		if o.Returns == nil {
			o.Returns = map[string]map[string]int64{}
		}
		o.Returns[e.ReturnID] = maps.Clone(e.Lines)
		o.Items = slices.Clone(o.Items)
		for id, n := range e.Lines {
			if l, ok := o.Line(id); ok {
				l.Returned += n
			}
		}
	case OrderReturnReleased:
		o.Items = slices.Clone(o.Items)
		for id, n := range o.Returns[e.ReturnID] {
			if l, ok := o.Line(id); ok {
				l.Returned -= n
			}
		}
		o.Returns = maps.Clone(o.Returns)
		delete(o.Returns, e.ReturnID)
	}
	for _, l := range o.Items {
		if n, err := strconv.Atoi(l.ID); err == nil && n > o.NextLine {
			o.NextLine = n
		}
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}

// Forget zeroes what the order holds of its customer's personal fields (see Lead.Forget).
func (o *Order) Forget() { o.ShippingAddress, o.BillingAddress = nil, nil }

// Clone returns a deep copy.
func (o *Order) Clone() *Order {
	cp := *o
	cp.Items = slices.Clone(o.Items)
	cp.Metadata = maps.Clone(o.Metadata)
	cp.Returns = make(map[string]map[string]int64, len(o.Returns))
	for k, v := range o.Returns {
		cp.Returns[k] = maps.Clone(v)
	}
	cp.Refunds = slices.Clone(o.Refunds)
	cp.Shipments = slices.Clone(o.Shipments)
	return &cp
}
