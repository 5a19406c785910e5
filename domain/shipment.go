package domain

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// ShipmentStatus is where a shipment is in its life.
type ShipmentStatus string

const (
	ShipmentStatusCreated   ShipmentStatus = "CREATED"
	ShipmentStatusShipped   ShipmentStatus = "SHIPPED"
	ShipmentStatusDelivered ShipmentStatus = "DELIVERED"
	ShipmentStatusCancelled ShipmentStatus = "CANCELLED"
)

// ShipmentStatuses lists every status, in life order.
var ShipmentStatuses = []ShipmentStatus{ShipmentStatusCreated, ShipmentStatusShipped, ShipmentStatusDelivered, ShipmentStatusCancelled}

// ShipmentActions are the actions of POST /v1/shipments/{id}/{action}.
var ShipmentActions = []string{"ship", "deliver", "cancel"}

var shipmentFlow = Flow[ShipmentStatus]{Entity: "shipment", Steps: []Step[ShipmentStatus]{
	{ShipmentStatusCreated, "ship", ShipmentStatusShipped},
	{ShipmentStatusShipped, "deliver", ShipmentStatusDelivered},
	{ShipmentStatusCreated, "cancel", ShipmentStatusCancelled},
}}

// Package is one parcel of a shipment.
type Package struct {
	Reference   string `json:"reference,omitempty"`
	WeightGrams int64  `json:"weight_grams,omitempty"`
	LengthCM    int64  `json:"length_cm,omitempty"`
	WidthCM     int64  `json:"width_cm,omitempty"`
	HeightCM    int64  `json:"height_cm,omitempty"`
}

// Shipment is lines of one order leaving its warehouse together.
type Shipment struct {
	ID             string         `json:"id"`
	OrderID        string         `json:"order_id"`
	WarehouseID    string         `json:"warehouse_id"`
	Lines          []ShippedLine  `json:"lines"`
	Packages       []Package      `json:"packages,omitempty"`
	Carrier        string         `json:"carrier,omitempty"`
	TrackingNumber string         `json:"tracking_number,omitempty"`
	Status         ShipmentStatus `json:"status"`
	ShippedAt      *time.Time     `json:"shipped_at,omitempty"`
	DeliveredAt    *time.Time     `json:"delivered_at,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	Version        int64          `json:"version"`
}

// Exists reports whether the shipment has been created.
func (s *Shipment) Exists() bool { return s.Version > 0 }

// CurrentVersion is the shipment's event count.
func (s *Shipment) CurrentVersion() int64 { return s.Version }

// CreateShipment creates a shipment of an order's lines (none: everything not yet shipped).
type CreateShipment struct {
	ShipmentID     string
	Order          *Order // the order as it stands, loaded by the caller
	Lines          []ShipLine
	Packages       []Package
	Carrier        string
	TrackingNumber string
}

// checkShipmentDetails checks how a shipment travels.
func checkShipmentDetails(v *Validation, carrier, tracking string, packages []Package) {
	v.Check(len(carrier) <= 100, "carrier", "must be at most 100 characters")
	v.Check(len(tracking) <= 100, "tracking_number", "must be at most 100 characters")
	v.Check(len(packages) <= 100, "packages", "must hold at most 100 packages")
	for i, p := range packages {
		f := "packages[" + strconv.Itoa(i) + "]."
		v.Check(len(p.Reference) <= 100, f+"reference", "must be at most 100 characters")
		v.Check(p.WeightGrams >= 0 && p.LengthCM >= 0 && p.WidthCM >= 0 && p.HeightCM >= 0, f+"weight_grams", "sizes and weight must not be negative")
	}
}

// UpdateShipment edits how a shipment travels; nil leaves a field alone, Packages
// replaces them all.
type UpdateShipment struct {
	Carrier, TrackingNumber *string
	Packages                *[]Package
}

// ShipmentUpdated: how the shipment travels changed; only what changed is present.
type ShipmentUpdated struct {
	ShipmentID     string     `json:"shipment_id"`
	OrderID        string     `json:"order_id"`
	Carrier        *string    `json:"carrier,omitempty"`
	TrackingNumber *string    `json:"tracking_number,omitempty"`
	Packages       *[]Package `json:"packages,omitempty"`
}

// Update decides an edit until the shipment is delivered or cancelled (a
// *TransitionError); nothing changed, no event.
func (s *Shipment) Update(cmd UpdateShipment) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	if s.Status == ShipmentStatusDelivered || s.Status == ShipmentStatusCancelled {
		return nil, &TransitionError{Entity: "shipment", From: string(s.Status), Action: "update"}
	}
	var v Validation
	checkShipmentDetails(&v, or(cmd.Carrier, s.Carrier), or(cmd.TrackingNumber, s.TrackingNumber), or(cmd.Packages, s.Packages))
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := ShipmentUpdated{ShipmentID: s.ID, OrderID: s.OrderID, Carrier: edited(&changed, s.Carrier, cmd.Carrier),
		TrackingNumber: edited(&changed, s.TrackingNumber, cmd.TrackingNumber), Packages: editedSlice(&changed, s.Packages, cmd.Packages)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// shippableStatuses are the order statuses a shipment may be made for.
var shippableStatuses = []OrderStatus{OrderStatusConfirmed, OrderStatusProcessing, OrderStatusPartiallyShipped}

// Create decides the shipment's creation.
func (s *Shipment) Create(cmd CreateShipment) ([]Event, error) {
	var v Validation
	v.Check(ValidID(cmd.ShipmentID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkShipmentDetails(&v, cmd.Carrier, cmd.TrackingNumber, cmd.Packages)
	o := cmd.Order
	if o == nil || !o.Exists() {
		v.Add("order_id", "no such order")
		return nil, v.Err()
	}
	lines := cmd.Lines
	if len(lines) == 0 {
		for _, l := range o.Items {
			if n := l.Quantity - l.Shipped; n > 0 {
				lines = append(lines, ShipLine{LineID: l.ID, Quantity: n})
			}
		}
	}
	var out []ShippedLine
	seen := map[string]bool{}
	for i, sl := range lines {
		f := "lines[" + strconv.Itoa(i) + "]."
		l, ok := o.Line(sl.LineID)
		if !ok || seen[sl.LineID] {
			v.Add(f+"line_id", "is not a line of the order, or appears twice")
			continue
		}
		seen[sl.LineID] = true
		if sl.Quantity <= 0 || sl.Quantity > l.Quantity-l.Shipped {
			v.Add(f+"quantity", fmt.Sprintf("must be from 1 to the %d not yet shipped", l.Quantity-l.Shipped))
			continue
		}
		out = append(out, ShippedLine{LineID: l.ID, SKU: l.SKU, Quantity: sl.Quantity})
	}
	if len(lines) == 0 {
		v.Add("lines", "the order has nothing left to ship")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if s.Exists() {
		return nil, &AlreadyExistsError{Entity: "shipment", Field: "id"}
	}
	if !slices.Contains(shippableStatuses, o.Status) {
		return nil, &TransitionError{Entity: "order", From: string(o.Status), Action: "create shipment"}
	}
	return []Event{ShipmentCreated{ShipmentID: cmd.ShipmentID, OrderID: o.ID, WarehouseID: o.LocationID, Lines: out,
		Packages: slices.Clone(cmd.Packages), Carrier: cmd.Carrier, TrackingNumber: cmd.TrackingNumber}}, nil
}

// Act decides ship, deliver or cancel. Ship is only the shipment's own event: the caller
// ships the order's lines first (commands.ShipShipment).
func (s *Shipment) Act(action, reason string) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	if _, err := shipmentFlow.Next(s.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "ship":
		return []Event{ShipmentShipped{ShipmentID: s.ID, OrderID: s.OrderID, WarehouseID: s.WarehouseID, Lines: slices.Clone(s.Lines),
			Carrier: s.Carrier, TrackingNumber: s.TrackingNumber}}, nil
	case "deliver":
		return []Event{ShipmentDelivered{ShipmentID: s.ID, OrderID: s.OrderID}}, nil
	case "cancel":
		return []Event{ShipmentCancelled{ShipmentID: s.ID, OrderID: s.OrderID, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "shipment", From: string(s.Status), Action: action}
}

// ShipOrderCommand is the order command that ships this shipment's lines.
func (s *Shipment) ShipOrderCommand() ShipOrder {
	lines := make([]ShipLine, len(s.Lines))
	for i, l := range s.Lines {
		lines[i] = ShipLine{LineID: l.LineID, Quantity: l.Quantity}
	}
	return ShipOrder{Lines: lines, Carrier: s.Carrier, TrackingNumber: s.TrackingNumber, ShipmentID: s.ID}
}

// Apply folds a shipment event in.
func (s *Shipment) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case ShipmentCreated:
		*s = Shipment{ID: e.ShipmentID, OrderID: e.OrderID, WarehouseID: e.WarehouseID, Lines: slices.Clone(e.Lines),
			Packages: slices.Clone(e.Packages), Carrier: e.Carrier, TrackingNumber: e.TrackingNumber,
			Status: ShipmentStatusCreated, CreatedAt: env.Time}
	case ShipmentUpdated:
		put(&s.Carrier, e.Carrier)
		put(&s.TrackingNumber, e.TrackingNumber)
		if e.Packages != nil {
			s.Packages = slices.Clone(*e.Packages)
		}
	case ShipmentShipped:
		s.Status = ShipmentStatusShipped
		at := env.Time
		s.ShippedAt = &at
	case ShipmentDelivered:
		s.Status = ShipmentStatusDelivered
		at := env.Time
		s.DeliveredAt = &at
	case ShipmentCancelled:
		s.Status = ShipmentStatusCancelled
	}
	s.Version = env.Version
	s.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (s *Shipment) Clone() *Shipment {
	cp := *s
	cp.Lines = slices.Clone(s.Lines)
	cp.Packages = slices.Clone(s.Packages)
	return &cp
}

// ShipmentCreated: lines of an order were set up to ship together.
type ShipmentCreated struct {
	ShipmentID     string        `json:"shipment_id"`
	OrderID        string        `json:"order_id"`
	WarehouseID    string        `json:"warehouse_id"`
	Lines          []ShippedLine `json:"lines"`
	Packages       []Package     `json:"packages,omitempty"`
	Carrier        string        `json:"carrier,omitempty"`
	TrackingNumber string        `json:"tracking_number,omitempty"`
}

// ShipmentShipped: the shipment left; the order's lines were shipped just before (its
// OrderShipped carries this shipment's id).
type ShipmentShipped struct {
	ShipmentID     string        `json:"shipment_id"`
	OrderID        string        `json:"order_id"`
	WarehouseID    string        `json:"warehouse_id"`
	Lines          []ShippedLine `json:"lines"`
	Carrier        string        `json:"carrier,omitempty"`
	TrackingNumber string        `json:"tracking_number,omitempty"`
}

// ShipmentDelivered: the shipment reached the customer.
type ShipmentDelivered struct {
	ShipmentID string `json:"shipment_id"`
	OrderID    string `json:"order_id"`
}

// ShipmentCancelled: the shipment was abandoned before it left.
type ShipmentCancelled struct {
	ShipmentID string `json:"shipment_id"`
	OrderID    string `json:"order_id"`
	Reason     string `json:"reason,omitempty"`
}

func (ShipmentCreated) EventType() string   { return "ShipmentCreated" }
func (ShipmentUpdated) EventType() string   { return "ShipmentUpdated" }
func (ShipmentShipped) EventType() string   { return "ShipmentShipped" }
func (ShipmentDelivered) EventType() string { return "ShipmentDelivered" }
func (ShipmentCancelled) EventType() string { return "ShipmentCancelled" }

func shipmentEvents(r *Registry) {
	Register[ShipmentCreated](r, "shipment", 1, nil)
	Register[ShipmentUpdated](r, "shipment", 1, nil)
	Register[ShipmentShipped](r, "shipment", 1, nil)
	Register[ShipmentDelivered](r, "shipment", 1, nil)
	Register[ShipmentCancelled](r, "shipment", 1, nil)
}
