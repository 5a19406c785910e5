package domain

// The events of an order (domain/order.go): what is stored, and how they are registered.

// OrderStatusChange is what every status event of an order carries.
type OrderStatusChange struct {
	OrderID string      `json:"order_id"`
	From    OrderStatus `json:"from"`
	To      OrderStatus `json:"to"`
	Reason  string      `json:"reason,omitempty"`
}

// OrderCreated: an order was placed.
type OrderCreated struct {
	OrderID         string            `json:"order_id"`
	OrderNumber     string            `json:"order_number"`
	CustomerID      string            `json:"customer_id"`
	Currency        string            `json:"currency"`
	LocationID      string            `json:"location_id"`
	Channel         string            `json:"channel,omitempty"`
	Notes           string            `json:"notes,omitempty"`
	Items           []OrderLine       `json:"items"`
	ShippingAddress *Address          `json:"shipping_address,omitempty" personal:"true"`
	BillingAddress  *Address          `json:"billing_address,omitempty" personal:"true"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	Subtotal        int64             `json:"subtotal"`
	Total           int64             `json:"total"`
	Status          OrderStatus       `json:"status"`
}

// OrderItemsChange is the lines before and after an edit.
type OrderItemsChange struct {
	From []OrderLine `json:"from"`
	To   []OrderLine `json:"to"`
}

// OrderUpdated: an order was edited before shipping; only changed fields are present.
type OrderUpdated struct {
	OrderID         string            `json:"order_id"`
	CustomerID      string            `json:"customer_id,omitempty"`
	Status          OrderStatus       `json:"status"`
	LocationID      string            `json:"location_id"`
	Items           *OrderItemsChange `json:"items,omitempty"`
	Subtotal        *Int64Change      `json:"subtotal,omitempty"`
	Total           *Int64Change      `json:"total,omitempty"`
	ShippingAddress *Address          `json:"shipping_address,omitempty" personal:"true"`
	BillingAddress  *Address          `json:"billing_address,omitempty" personal:"true"`
	Notes           *Change           `json:"notes,omitempty"`
	Channel         *Change           `json:"channel,omitempty"`
	Metadata        *MetadataChange   `json:"metadata,omitempty"`
}

// OrderSubmitted: a draft was submitted.
type OrderSubmitted struct{ OrderStatusChange }

// OrderConfirmed: the order was accepted; stock is reserved for its lines.
type OrderConfirmed struct {
	OrderStatusChange
	CustomerID string      `json:"customer_id"`
	LocationID string      `json:"location_id"`
	Items      []OrderLine `json:"items"`
}

// OrderProcessingStarted: picking and packing began.
type OrderProcessingStarted struct{ OrderStatusChange }

// ShippedLine is one line of a shipment.
type ShippedLine struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// OrderShipped: lines left the warehouse (To is PARTIALLY_SHIPPED when some remain).
type OrderShipped struct {
	OrderStatusChange
	LocationID     string        `json:"location_id"`
	Lines          []ShippedLine `json:"lines"`
	Carrier        string        `json:"carrier,omitempty"`
	TrackingNumber string        `json:"tracking_number,omitempty"`
	ShipmentID     string        `json:"shipment_id,omitempty"` // added without a version: absent in older events
}

// OrderDelivered: the order reached the customer.
type OrderDelivered struct{ OrderStatusChange }

// OrderHeld: the order was put on hold.
type OrderHeld struct{ OrderStatusChange }

// OrderReleased: a hold was lifted; To is the status the order was held in.
type OrderReleased struct{ OrderStatusChange }

// OrderCancelled: the order was cancelled before shipping; its reservations are released.
type OrderCancelled struct {
	OrderStatusChange
	LocationID string      `json:"location_id"`
	Items      []OrderLine `json:"items"`
}

// OrderLinesAllocated: the inventory reserved or backordered stock for lines.
type OrderLinesAllocated struct {
	OrderID string           `json:"order_id"`
	Lines   []LineAllocation `json:"lines"`
}

// OrderNoteAdded: a note was added.
type OrderNoteAdded struct {
	OrderID string `json:"order_id"`
	NoteID  string `json:"note_id"`
	Body    string `json:"body"`
}

// OrderPaid: payment was captured.
type OrderPaid struct {
	OrderID   string `json:"order_id"`
	Amount    int64  `json:"amount"`
	Currency  string `json:"currency"`
	Reference string `json:"reference,omitempty"`
}

// OrderRefunded: money went back to the customer (from a return when ReturnID is set).
type OrderRefunded struct {
	OrderID       string `json:"order_id"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Reason        string `json:"reason,omitempty"`
	ReturnID      string `json:"return_id,omitempty"`
	RefundKey     string `json:"refund_key,omitempty"`
	PaymentStatus string `json:"payment_status"`
}

// OrderReturnOpened: a return now holds quantities of shipped lines.
type OrderReturnOpened struct {
	OrderID  string           `json:"order_id"`
	ReturnID string           `json:"return_id"`
	Lines    map[string]int64 `json:"lines"`
}

// OrderReturnReleased: a rejected or cancelled return gave its quantities back.
type OrderReturnReleased struct {
	OrderID  string `json:"order_id"`
	ReturnID string `json:"return_id"`
}

// PersonalSubject: an order's addresses are its customer's personal data.
func (e OrderCreated) PersonalSubject() string { return e.CustomerID }

// PersonalSubject: see OrderCreated.
func (e OrderUpdated) PersonalSubject() string { return e.CustomerID }

func (OrderCreated) EventType() string           { return "OrderCreated" }
func (OrderUpdated) EventType() string           { return "OrderUpdated" }
func (OrderSubmitted) EventType() string         { return "OrderSubmitted" }
func (OrderConfirmed) EventType() string         { return "OrderConfirmed" }
func (OrderProcessingStarted) EventType() string { return "OrderProcessingStarted" }
func (OrderShipped) EventType() string           { return "OrderShipped" }
func (OrderDelivered) EventType() string         { return "OrderDelivered" }
func (OrderHeld) EventType() string              { return "OrderHeld" }
func (OrderReleased) EventType() string          { return "OrderReleased" }
func (OrderCancelled) EventType() string         { return "OrderCancelled" }
func (OrderLinesAllocated) EventType() string    { return "OrderLinesAllocated" }
func (OrderNoteAdded) EventType() string         { return "OrderNoteAdded" }
func (OrderPaid) EventType() string              { return "OrderPaid" }
func (OrderRefunded) EventType() string          { return "OrderRefunded" }
func (OrderReturnOpened) EventType() string      { return "OrderReturnOpened" }
func (OrderReturnReleased) EventType() string    { return "OrderReturnReleased" }

func orderEvents(r *Registry) {
	Register[OrderCreated](r, "order", 1, nil)
	Register[OrderUpdated](r, "order", 1, nil)
	Register[OrderSubmitted](r, "order", 1, nil)
	Register[OrderConfirmed](r, "order", 1, nil)
	Register[OrderProcessingStarted](r, "order", 1, nil)
	Register[OrderShipped](r, "order", 1, nil)
	Register[OrderDelivered](r, "order", 1, nil)
	Register[OrderHeld](r, "order", 1, nil)
	Register[OrderReleased](r, "order", 1, nil)
	Register[OrderCancelled](r, "order", 1, nil)
	Register[OrderLinesAllocated](r, "order", 1, nil)
	Register[OrderNoteAdded](r, "order", 1, nil)
	Register[OrderPaid](r, "order", 1, nil)
	Register[OrderRefunded](r, "order", 1, nil)
	Register[OrderReturnOpened](r, "order", 1, nil)
	Register[OrderReturnReleased](r, "order", 1, nil)
}

// OrderStatusOf is the status an order event moves to, if it is a status change.
func OrderStatusOf(e Event) (OrderStatusChange, bool) {
	switch e := e.(type) {
	case OrderSubmitted:
		return e.OrderStatusChange, true
	case OrderConfirmed:
		return e.OrderStatusChange, true
	case OrderProcessingStarted:
		return e.OrderStatusChange, true
	case OrderShipped:
		return e.OrderStatusChange, true
	case OrderDelivered:
		return e.OrderStatusChange, true
	case OrderHeld:
		return e.OrderStatusChange, true
	case OrderReleased:
		return e.OrderStatusChange, true
	case OrderCancelled:
		return e.OrderStatusChange, true
	}
	return OrderStatusChange{}, false
}
