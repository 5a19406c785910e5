package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Warehouse operations: warehouses (the inventory locations), pick lists, shipments,
// transfers between warehouses and cycle counts. Stock itself stays on the inventory
// items; these documents say why it moves, and flows move it (F6 transfers; a count's
// reconcile posts its variances itself, F8 being the backstop).

// ---- Warehouse ----

// WarehouseStatus is whether a warehouse is in use.
type WarehouseStatus string

const (
	WarehouseStatusActive   WarehouseStatus = "ACTIVE"
	WarehouseStatusInactive WarehouseStatus = "INACTIVE"
)

// WarehouseStatuses lists every status.
var WarehouseStatuses = []WarehouseStatus{WarehouseStatusActive, WarehouseStatusInactive}

// WarehouseActions are the status actions of POST /v1/warehouses/{id}/{action}.
var WarehouseActions = []string{"activate", "deactivate"}

var warehouseFlow = Flow[WarehouseStatus]{Entity: "warehouse", Steps: []Step[WarehouseStatus]{
	{WarehouseStatusActive, "update", WarehouseStatusActive},
	{WarehouseStatusInactive, "update", WarehouseStatusInactive},
	{WarehouseStatusActive, "deactivate", WarehouseStatusInactive},
	{WarehouseStatusInactive, "activate", WarehouseStatusActive},
}}

// Warehouse is a stock location: its id is the location_id of the inventory items kept
// there. Its address is a business address, not personal data.
type Warehouse struct {
	ID        string          `json:"id"`
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Address   *Address        `json:"address,omitempty"`
	Bins      []string        `json:"bins,omitempty"`
	Status    WarehouseStatus `json:"status"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Version   int64           `json:"version"`
}

// Exists reports whether the warehouse has been created.
func (w *Warehouse) Exists() bool { return w.Version > 0 }

// CurrentVersion is the warehouse's event count.
func (w *Warehouse) CurrentVersion() int64 { return w.Version }

// CreateWarehouse creates an ACTIVE warehouse; an empty Code is the id.
type CreateWarehouse struct {
	WarehouseID string
	Code        string
	Name        string
	Address     *Address
	Bins        []string
}

// Check validates the command.
func (cmd CreateWarehouse) Check(v *Validation) {
	v.Check(ValidID(cmd.WarehouseID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.Name) != "" && len(cmd.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(len(cmd.Code) <= 64, "code", "must be at most 64 characters")
	checkOptionalAddress(v, "address", cmd.Address)
	checkBins(v, cmd.Bins)
}

func checkBins(v *Validation, bins []string) {
	v.Check(len(bins) <= 10_000, "bins", "must hold at most 10000 bins")
	seen := map[string]bool{}
	for i, b := range bins {
		v.Check(b != "" && len(b) <= 64 && !seen[b], "bins["+strconv.Itoa(i)+"]", "must be 1 to 64 characters and appear once")
		seen[b] = true
	}
}

// UpdateWarehouse changes the fields that are set; nil leaves a field alone.
type UpdateWarehouse struct {
	Code    *string
	Name    *string
	Address *Address
	Bins    *[]string
}

// Check validates the command.
func (cmd UpdateWarehouse) Check(v *Validation) {
	if cmd.Name != nil {
		v.Check(strings.TrimSpace(*cmd.Name) != "" && len(*cmd.Name) <= 200, "name", "is required, at most 200 characters")
	}
	if cmd.Code != nil {
		v.Check(*cmd.Code != "" && len(*cmd.Code) <= 64, "code", "must be 1 to 64 characters")
	}
	checkOptionalAddress(v, "address", cmd.Address)
	if cmd.Bins != nil {
		checkBins(v, *cmd.Bins)
	}
}

// Create decides the warehouse's creation.
func (w *Warehouse) Create(cmd CreateWarehouse) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if w.Exists() {
		return nil, &AlreadyExistsError{Entity: "warehouse", Field: "id"}
	}
	if cmd.Code == "" {
		cmd.Code = cmd.WarehouseID
	}
	return []Event{WarehouseCreated{WarehouseID: cmd.WarehouseID, Code: cmd.Code, Name: cmd.Name, Address: cmd.Address,
		Bins: slices.Clone(cmd.Bins)}}, nil
}

// Update decides an edit; no change yields no event.
func (w *Warehouse) Update(cmd UpdateWarehouse) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if _, err := warehouseFlow.Next(w.Status, "update"); err != nil {
		return nil, err
	}
	e := WarehouseUpdated{WarehouseID: w.ID}
	if cmd.Code != nil && *cmd.Code != w.Code {
		e.Code = &Change{From: w.Code, To: *cmd.Code}
	}
	if cmd.Name != nil && *cmd.Name != w.Name {
		e.Name = &Change{From: w.Name, To: *cmd.Name}
	}
	if cmd.Address != nil && (w.Address == nil || *w.Address != *cmd.Address) {
		e.Address = cmd.Address
	}
	if cmd.Bins != nil && !slices.Equal(*cmd.Bins, w.Bins) {
		e.Bins = &IDsChange{From: w.Bins, To: slices.Clone(*cmd.Bins)}
	}
	if e.Code == nil && e.Name == nil && e.Address == nil && e.Bins == nil {
		return nil, nil
	}
	return []Event{e}, nil
}

// Act decides activate or deactivate. An inactive warehouse keeps its stock; it is only
// marked (see docs/API.md).
func (w *Warehouse) Act(action, reason string) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if action == "update" {
		return nil, &TransitionError{Entity: "warehouse", From: string(w.Status), Action: action}
	}
	next, err := warehouseFlow.Next(w.Status, action)
	if err != nil {
		return nil, err
	}
	return []Event{WarehouseStatusChanged{WarehouseID: w.ID, From: w.Status, To: next, Action: action, Reason: reason}}, nil
}

// Apply folds a warehouse event in.
func (w *Warehouse) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WarehouseCreated:
		*w = Warehouse{ID: e.WarehouseID, Code: e.Code, Name: e.Name, Address: e.Address, Bins: slices.Clone(e.Bins),
			Status: WarehouseStatusActive, CreatedAt: env.Time}
	case WarehouseUpdated:
		if e.Code != nil {
			w.Code = e.Code.To
		}
		if e.Name != nil {
			w.Name = e.Name.To
		}
		if e.Address != nil {
			w.Address = e.Address
		}
		if e.Bins != nil {
			w.Bins = slices.Clone(e.Bins.To)
		}
	case WarehouseStatusChanged:
		w.Status = e.To
	}
	w.Version = env.Version
	w.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (w *Warehouse) Clone() *Warehouse {
	cp := *w
	cp.Bins = slices.Clone(w.Bins)
	if w.Address != nil {
		a := *w.Address
		cp.Address = &a
	}
	return &cp
}

// WarehouseCreated: a stock location was opened.
type WarehouseCreated struct {
	WarehouseID string   `json:"warehouse_id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Address     *Address `json:"address,omitempty"`
	Bins        []string `json:"bins,omitempty"`
}

// WarehouseUpdated: details changed; only changed fields are present.
type WarehouseUpdated struct {
	WarehouseID string     `json:"warehouse_id"`
	Code        *Change    `json:"code,omitempty"`
	Name        *Change    `json:"name,omitempty"`
	Address     *Address   `json:"address,omitempty"`
	Bins        *IDsChange `json:"bins,omitempty"`
}

// WarehouseStatusChanged: a warehouse was activated or deactivated.
type WarehouseStatusChanged struct {
	WarehouseID string          `json:"warehouse_id"`
	From        WarehouseStatus `json:"from"`
	To          WarehouseStatus `json:"to"`
	Action      string          `json:"action"`
	Reason      string          `json:"reason,omitempty"`
}

// ---- Pick list ----

// PickListStatus is where a pick list is in its life.
type PickListStatus string

const (
	PickListStatusCreated    PickListStatus = "CREATED"
	PickListStatusInProgress PickListStatus = "IN_PROGRESS"
	PickListStatusCompleted  PickListStatus = "COMPLETED"
	PickListStatusCancelled  PickListStatus = "CANCELLED"
)

// PickListStatuses lists every status, in life order.
var PickListStatuses = []PickListStatus{PickListStatusCreated, PickListStatusInProgress, PickListStatusCompleted, PickListStatusCancelled}

// PickListActions are the actions of POST /v1/pick_lists/{id}/{action}.
var PickListActions = []string{"start", "complete", "cancel"}

var pickListFlow = Flow[PickListStatus]{Entity: "pick list", Steps: []Step[PickListStatus]{
	{PickListStatusCreated, "start", PickListStatusInProgress},
	{PickListStatusInProgress, "complete", PickListStatusCompleted},
	{PickListStatusCreated, "cancel", PickListStatusCancelled},
	{PickListStatusInProgress, "cancel", PickListStatusCancelled},
}}

// PickLine is one order line to pick: Quantity is what the order has left to ship,
// Picked what the picker reported on completion.
type PickLine struct {
	OrderID  string `json:"order_id"`
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	Picked   int64  `json:"picked"`
}

// PickList gathers confirmed orders' lines at one warehouse for a picker.
type PickList struct {
	ID          string         `json:"id"`
	WarehouseID string         `json:"warehouse_id"`
	OrderIDs    []string       `json:"order_ids"`
	Lines       []PickLine     `json:"lines"`
	Status      PickListStatus `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Version     int64          `json:"version"`
}

// Exists reports whether the pick list has been created.
func (p *PickList) Exists() bool { return p.Version > 0 }

// CurrentVersion is the pick list's event count.
func (p *PickList) CurrentVersion() int64 { return p.Version }

// CreatePickList creates a pick list; Lines are gathered from the orders by the caller.
type CreatePickList struct {
	PickListID  string
	WarehouseID string
	OrderIDs    []string
	Lines       []PickLine
}

// Check validates the command (the lines are the caller's, not the user's).
func (cmd CreatePickList) Check(v *Validation) {
	v.Check(ValidID(cmd.PickListID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.WarehouseID), "warehouse_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.OrderIDs) > 0 && len(cmd.OrderIDs) <= 200, "order_ids", "must hold 1 to 200 order ids")
	seen := map[string]bool{}
	for i, id := range cmd.OrderIDs {
		v.Check(ValidID(id) && !seen[id], "order_ids["+strconv.Itoa(i)+"]", "must be an order id, given once")
		seen[id] = true
	}
}

// Create decides the pick list's creation; a list with nothing to pick is refused.
func (p *PickList) Create(cmd CreatePickList) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if len(v.fields) == 0 {
		v.Check(len(cmd.Lines) > 0, "order_ids", "the orders have nothing left to pick at this warehouse")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if p.Exists() {
		return nil, &AlreadyExistsError{Entity: "pick list", Field: "id"}
	}
	return []Event{PickListCreated{PickListID: cmd.PickListID, WarehouseID: cmd.WarehouseID,
		OrderIDs: slices.Clone(cmd.OrderIDs), Lines: slices.Clone(cmd.Lines)}}, nil
}

// PickedLine is what was picked of one line.
type PickedLine struct {
	OrderID string `json:"order_id"`
	LineID  string `json:"line_id"`
	Picked  int64  `json:"picked"`
}

// Act decides start or cancel.
func (p *PickList) Act(action, reason string) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if action == "complete" {
		return p.Complete(nil)
	}
	if _, err := pickListFlow.Next(p.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "start":
		return []Event{PickListStarted{PickListID: p.ID, WarehouseID: p.WarehouseID, OrderIDs: slices.Clone(p.OrderIDs)}}, nil
	case "cancel":
		return []Event{PickListCancelled{PickListID: p.ID, From: p.Status, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "pick list", From: string(p.Status), Action: action}
}

// Complete decides the completion with what was picked. No lines: every line was picked
// in full; lines given: those lines as reported, the others not at all.
func (p *PickList) Complete(lines []PickedLine) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if _, err := pickListFlow.Next(p.Status, "complete"); err != nil {
		return nil, err
	}
	out := make([]PickedLine, len(p.Lines))
	for i, l := range p.Lines {
		out[i] = PickedLine{OrderID: l.OrderID, LineID: l.LineID}
		if len(lines) == 0 {
			out[i].Picked = l.Quantity
		}
	}
	var v Validation
	seen := map[[2]string]bool{}
	for i, pl := range lines {
		f := "lines[" + strconv.Itoa(i) + "]."
		k := [2]string{pl.OrderID, pl.LineID}
		j := slices.IndexFunc(p.Lines, func(l PickLine) bool { return l.OrderID == pl.OrderID && l.LineID == pl.LineID })
		if j < 0 || seen[k] {
			v.Add(f+"line_id", "is not a line of this pick list, or appears twice")
			continue
		}
		seen[k] = true
		if pl.Picked < 0 || pl.Picked > p.Lines[j].Quantity {
			v.Add(f+"picked", fmt.Sprintf("must be from 0 to the %d to pick", p.Lines[j].Quantity))
			continue
		}
		out[j].Picked = pl.Picked
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{PickListCompleted{PickListID: p.ID, Lines: out}}, nil
}

// Apply folds a pick list event in.
func (p *PickList) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case PickListCreated:
		*p = PickList{ID: e.PickListID, WarehouseID: e.WarehouseID, OrderIDs: slices.Clone(e.OrderIDs),
			Lines: slices.Clone(e.Lines), Status: PickListStatusCreated, CreatedAt: env.Time}
	case PickListStarted:
		p.Status = PickListStatusInProgress
	case PickListCompleted:
		p.Status = PickListStatusCompleted
		p.Lines = slices.Clone(p.Lines)
		for _, pl := range e.Lines {
			for i := range p.Lines {
				if p.Lines[i].OrderID == pl.OrderID && p.Lines[i].LineID == pl.LineID {
					p.Lines[i].Picked = pl.Picked
				}
			}
		}
	case PickListCancelled:
		p.Status = PickListStatusCancelled
	}
	p.Version = env.Version
	p.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (p *PickList) Clone() *PickList {
	cp := *p
	cp.OrderIDs = slices.Clone(p.OrderIDs)
	cp.Lines = slices.Clone(p.Lines)
	return &cp
}

// PickListCreated: orders' lines were gathered for picking.
type PickListCreated struct {
	PickListID  string     `json:"pick_list_id"`
	WarehouseID string     `json:"warehouse_id"`
	OrderIDs    []string   `json:"order_ids"`
	Lines       []PickLine `json:"lines"`
}

// PickListStarted: picking began; the orders move to PROCESSING (flow pick-list-orders).
type PickListStarted struct {
	PickListID  string   `json:"pick_list_id"`
	WarehouseID string   `json:"warehouse_id"`
	OrderIDs    []string `json:"order_ids"`
}

// PickListCompleted: picking ended with these quantities.
type PickListCompleted struct {
	PickListID string       `json:"pick_list_id"`
	Lines      []PickedLine `json:"lines"`
}

// PickListCancelled: the pick list was abandoned.
type PickListCancelled struct {
	PickListID string         `json:"pick_list_id"`
	From       PickListStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// ---- Shipment ----

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

// shippableStatuses are the order statuses a shipment may be made for.
var shippableStatuses = []OrderStatus{OrderStatusConfirmed, OrderStatusProcessing, OrderStatusPartiallyShipped}

// Create decides the shipment's creation.
func (s *Shipment) Create(cmd CreateShipment) ([]Event, error) {
	var v Validation
	v.Check(ValidID(cmd.ShipmentID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.Carrier) <= 100, "carrier", "must be at most 100 characters")
	v.Check(len(cmd.TrackingNumber) <= 100, "tracking_number", "must be at most 100 characters")
	v.Check(len(cmd.Packages) <= 100, "packages", "must hold at most 100 packages")
	for i, p := range cmd.Packages {
		f := "packages[" + strconv.Itoa(i) + "]."
		v.Check(len(p.Reference) <= 100, f+"reference", "must be at most 100 characters")
		v.Check(p.WeightGrams >= 0 && p.LengthCM >= 0 && p.WidthCM >= 0 && p.HeightCM >= 0, f+"weight_grams", "sizes and weight must not be negative")
	}
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

// ---- Transfer ----

// TransferStatus is where a transfer is in its life.
type TransferStatus string

const (
	TransferStatusCreated   TransferStatus = "CREATED"
	TransferStatusInTransit TransferStatus = "IN_TRANSIT"
	TransferStatusReceived  TransferStatus = "RECEIVED"
	TransferStatusCancelled TransferStatus = "CANCELLED"
)

// TransferStatuses lists every status, in life order.
var TransferStatuses = []TransferStatus{TransferStatusCreated, TransferStatusInTransit, TransferStatusReceived, TransferStatusCancelled}

// TransferActions are the actions of POST /v1/transfers/{id}/{action}.
var TransferActions = []string{"ship", "receive", "cancel"}

var transferFlow = Flow[TransferStatus]{Entity: "transfer", Steps: []Step[TransferStatus]{
	{TransferStatusCreated, "ship", TransferStatusInTransit},
	{TransferStatusInTransit, "receive", TransferStatusReceived},
	{TransferStatusCreated, "cancel", TransferStatusCancelled},
}}

// TransferItem is a quantity of one SKU moving between warehouses.
type TransferItem struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// Transfer moves stock from one warehouse to another.
type Transfer struct {
	ID             string         `json:"id"`
	FromLocationID string         `json:"from_location_id"`
	ToLocationID   string         `json:"to_location_id"`
	Items          []TransferItem `json:"items"`
	Status         TransferStatus `json:"status"`
	ShippedAt      *time.Time     `json:"shipped_at,omitempty"`
	ReceivedAt     *time.Time     `json:"received_at,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	Version        int64          `json:"version"`
}

// Exists reports whether the transfer has been created.
func (t *Transfer) Exists() bool { return t.Version > 0 }

// CurrentVersion is the transfer's event count.
func (t *Transfer) CurrentVersion() int64 { return t.Version }

// CreateTransfer creates a transfer.
type CreateTransfer struct {
	TransferID     string
	FromLocationID string
	ToLocationID   string
	Items          []TransferItem
}

// Check validates the command.
func (cmd CreateTransfer) Check(v *Validation) {
	v.Check(ValidID(cmd.TransferID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.FromLocationID), "from_location_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.ToLocationID), "to_location_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.FromLocationID == "" || cmd.FromLocationID != cmd.ToLocationID, "to_location_id", "must differ from from_location_id")
	v.Check(len(cmd.Items) > 0 && len(cmd.Items) <= 500, "items", "must hold 1 to 500 items")
	seen := map[string]bool{}
	for i, it := range cmd.Items {
		f := "items[" + strconv.Itoa(i) + "]."
		CheckSKU(v, f+"sku", it.SKU)
		v.Check(!seen[it.SKU], f+"sku", "appears on another item; give one item per SKU")
		seen[it.SKU] = true
		v.Check(it.Quantity > 0 && it.Quantity <= 1_000_000, f+"quantity", "must be a positive integer up to 1000000")
	}
}

// Create decides the transfer's creation.
func (t *Transfer) Create(cmd CreateTransfer) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if t.Exists() {
		return nil, &AlreadyExistsError{Entity: "transfer", Field: "id"}
	}
	return []Event{TransferCreated{TransferID: cmd.TransferID, FromLocationID: cmd.FromLocationID,
		ToLocationID: cmd.ToLocationID, Items: slices.Clone(cmd.Items)}}, nil
}

// CreateShipped decides a transfer created and shipped at once (POST
// /v1/inventory/transfer): TransferCreated then TransferShipped, for the caller to append
// in one commit, so that a refused ship never leaves a transfer CREATED behind. The
// refusals are Create's; whether the source has the stock is the caller's check, as for Act.
func (t *Transfer) CreateShipped(cmd CreateTransfer) ([]Event, error) {
	events, err := t.Create(cmd)
	if err != nil {
		return nil, err
	}
	if _, err := transferFlow.Next(TransferStatusCreated, "ship"); err != nil {
		return nil, err
	}
	return append(events, TransferShipped{TransferMoved{TransferID: cmd.TransferID, FromLocationID: cmd.FromLocationID,
		ToLocationID: cmd.ToLocationID, Items: slices.Clone(cmd.Items)}}), nil
}

// Act decides ship, receive or cancel. Whether the source has the stock is the caller's
// check (it reads the items); the stock moves in flow transfer-stock.
func (t *Transfer) Act(action, reason string) ([]Event, error) {
	if !t.Exists() {
		return nil, ErrNotFound
	}
	if _, err := transferFlow.Next(t.Status, action); err != nil {
		return nil, err
	}
	body := TransferMoved{TransferID: t.ID, FromLocationID: t.FromLocationID, ToLocationID: t.ToLocationID, Items: slices.Clone(t.Items)}
	switch action {
	case "ship":
		return []Event{TransferShipped{body}}, nil
	case "receive":
		return []Event{TransferReceived{body}}, nil
	case "cancel":
		return []Event{TransferCancelled{TransferID: t.ID, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "transfer", From: string(t.Status), Action: action}
}

// Apply folds a transfer event in.
func (t *Transfer) Apply(env Envelope) {
	at := env.Time
	switch e := env.Event.(type) {
	case TransferCreated:
		*t = Transfer{ID: e.TransferID, FromLocationID: e.FromLocationID, ToLocationID: e.ToLocationID,
			Items: slices.Clone(e.Items), Status: TransferStatusCreated, CreatedAt: env.Time}
	case TransferShipped:
		t.Status, t.ShippedAt = TransferStatusInTransit, &at
	case TransferReceived:
		t.Status, t.ReceivedAt = TransferStatusReceived, &at
	case TransferCancelled:
		t.Status = TransferStatusCancelled
	}
	t.Version = env.Version
	t.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (t *Transfer) Clone() *Transfer {
	cp := *t
	cp.Items = slices.Clone(t.Items)
	return &cp
}

// TransferCreated: a move of stock between warehouses was planned.
type TransferCreated struct {
	TransferID     string         `json:"transfer_id"`
	FromLocationID string         `json:"from_location_id"`
	ToLocationID   string         `json:"to_location_id"`
	Items          []TransferItem `json:"items"`
}

// TransferMoved is what the ship and receive events carry: everything flow
// transfer-stock needs.
type TransferMoved struct {
	TransferID     string         `json:"transfer_id"`
	FromLocationID string         `json:"from_location_id"`
	ToLocationID   string         `json:"to_location_id"`
	Items          []TransferItem `json:"items"`
}

// TransferShipped: the stock left the source (on hand down there, in transit up at the
// destination: F6).
type TransferShipped struct{ TransferMoved }

// TransferReceived: the stock arrived (in transit down, on hand up at the destination: F6).
type TransferReceived struct{ TransferMoved }

// TransferCancelled: the transfer was abandoned before it shipped.
type TransferCancelled struct {
	TransferID string `json:"transfer_id"`
	Reason     string `json:"reason,omitempty"`
}

// ---- Cycle count ----

// CycleCountStatus is where a cycle count is in its life.
type CycleCountStatus string

const (
	CycleCountStatusCreated    CycleCountStatus = "CREATED"
	CycleCountStatusInProgress CycleCountStatus = "IN_PROGRESS"
	CycleCountStatusCounted    CycleCountStatus = "COUNTED"
	CycleCountStatusReconciled CycleCountStatus = "RECONCILED"
	CycleCountStatusCancelled  CycleCountStatus = "CANCELLED"
)

// CycleCountStatuses lists every status, in life order.
var CycleCountStatuses = []CycleCountStatus{CycleCountStatusCreated, CycleCountStatusInProgress, CycleCountStatusCounted,
	CycleCountStatusReconciled, CycleCountStatusCancelled}

// CycleCountActions are the actions of POST /v1/cycle_counts/{id}/{action}.
var CycleCountActions = []string{"start", "submit", "reconcile", "cancel"}

var cycleCountFlow = Flow[CycleCountStatus]{Entity: "cycle count", Steps: []Step[CycleCountStatus]{
	{CycleCountStatusCreated, "start", CycleCountStatusInProgress},
	{CycleCountStatusInProgress, "submit", CycleCountStatusCounted},
	{CycleCountStatusCounted, "reconcile", CycleCountStatusReconciled},
	{CycleCountStatusCreated, "cancel", CycleCountStatusCancelled},
	{CycleCountStatusInProgress, "cancel", CycleCountStatusCancelled},
	{CycleCountStatusCounted, "cancel", CycleCountStatusCancelled},
}}

// CountLine is one SKU's count.
type CountLine struct {
	SKU     string `json:"sku"`
	Counted int64  `json:"counted"`
}

// CountVariance is one SKU's count against the item's on hand at reconciliation.
type CountVariance struct {
	SKU      string `json:"sku"`
	ItemID   string `json:"item_id"`
	OnHand   int64  `json:"on_hand"`
	Counted  int64  `json:"counted"`
	Variance int64  `json:"variance"` // counted - on hand: what reconcile posts (F8 as the backstop)
}

// CycleCount counts SKUs at one warehouse and posts the differences.
type CycleCount struct {
	ID          string           `json:"id"`
	WarehouseID string           `json:"warehouse_id"`
	SKUs        []string         `json:"skus"`
	Counts      []CountLine      `json:"counts,omitempty"`
	Variances   []CountVariance  `json:"variances,omitempty"`
	Status      CycleCountStatus `json:"status"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	Version     int64            `json:"version"`
}

// Exists reports whether the count has been created.
func (c *CycleCount) Exists() bool { return c.Version > 0 }

// CurrentVersion is the count's event count.
func (c *CycleCount) CurrentVersion() int64 { return c.Version }

// CreateCycleCount creates a cycle count.
type CreateCycleCount struct {
	CycleCountID string
	WarehouseID  string
	SKUs         []string
}

// Check validates the command.
func (cmd CreateCycleCount) Check(v *Validation) {
	v.Check(ValidID(cmd.CycleCountID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.WarehouseID), "warehouse_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.SKUs) > 0 && len(cmd.SKUs) <= 1000, "skus", "must hold 1 to 1000 SKUs")
	seen := map[string]bool{}
	for i, s := range cmd.SKUs {
		f := "skus[" + strconv.Itoa(i) + "]"
		CheckSKU(v, f, s)
		v.Check(!seen[s], f, "appears twice")
		seen[s] = true
	}
}

// Create decides the count's creation.
func (c *CycleCount) Create(cmd CreateCycleCount) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if c.Exists() {
		return nil, &AlreadyExistsError{Entity: "cycle count", Field: "id"}
	}
	return []Event{CycleCountCreated{CycleCountID: cmd.CycleCountID, WarehouseID: cmd.WarehouseID, SKUs: slices.Clone(cmd.SKUs)}}, nil
}

// Act decides start or cancel (submit and reconcile carry data: Submit, Reconcile).
func (c *CycleCount) Act(action, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := cycleCountFlow.Next(c.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "start":
		return []Event{CycleCountStarted{CycleCountID: c.ID}}, nil
	case "cancel":
		return []Event{CycleCountCancelled{CycleCountID: c.ID, From: c.Status, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "cycle count", From: string(c.Status), Action: action}
}

// Submit decides the counts: every SKU of the count exactly once, none negative.
func (c *CycleCount) Submit(counts []CountLine) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := cycleCountFlow.Next(c.Status, "submit"); err != nil {
		return nil, err
	}
	var v Validation
	seen := map[string]bool{}
	for i, l := range counts {
		f := "counts[" + strconv.Itoa(i) + "]."
		v.Check(slices.Contains(c.SKUs, l.SKU) && !seen[l.SKU], f+"sku", "is not a SKU of this count, or appears twice")
		seen[l.SKU] = true
		v.Check(l.Counted >= 0 && l.Counted <= MaxQuantity, f+"counted", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	}
	var missing []string
	for _, s := range c.SKUs {
		if !seen[s] {
			missing = append(missing, s)
		}
	}
	v.Check(len(missing) == 0, "counts", "misses "+strings.Join(missing, ", "))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{CycleCountSubmitted{CycleCountID: c.ID, Counts: slices.Clone(counts)}}, nil
}

// Reconcile decides the variances against items (by SKU) as they stand now. A count below
// an item's reserved stock is refused with an *InsufficientStockError listing each such
// SKU (Requested: reserved, Available: counted): release reservations first. A variance
// beyond ±MaxQuantity (only an item whose on hand predates the bound can make one) is a
// *ValidationError on the count's counts[i].counted.
func (c *CycleCount) Reconcile(items map[string]*InventoryItem) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := cycleCountFlow.Next(c.Status, "reconcile"); err != nil {
		return nil, err
	}
	var v Validation
	var short []Shortage
	var vs []CountVariance
	for i, l := range c.Counts {
		it := items[l.SKU]
		if it == nil {
			it = &InventoryItem{ID: InventoryItemID(l.SKU, c.WarehouseID), SKU: l.SKU, LocationID: c.WarehouseID}
		}
		if l.Counted < it.Reserved {
			short = append(short, Shortage{SKU: l.SKU, LocationID: c.WarehouseID, Requested: it.Reserved, Available: l.Counted})
			continue
		}
		variance, ok := SubQuantity(l.Counted, it.OnHand)
		if !ok {
			v.Add("counts["+strconv.Itoa(i)+"].counted", fmt.Sprintf("differs from the %d on hand by more than %d", it.OnHand, MaxQuantity))
			continue
		}
		vs = append(vs, CountVariance{SKU: l.SKU, ItemID: it.ID, OnHand: it.OnHand, Counted: l.Counted, Variance: variance})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(short) > 0 {
		return nil, &InsufficientStockError{Shortages: short}
	}
	return []Event{CycleCountReconciled{CycleCountID: c.ID, WarehouseID: c.WarehouseID, Variances: vs}}, nil
}

// Apply folds a cycle count event in.
func (c *CycleCount) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case CycleCountCreated:
		*c = CycleCount{ID: e.CycleCountID, WarehouseID: e.WarehouseID, SKUs: slices.Clone(e.SKUs),
			Status: CycleCountStatusCreated, CreatedAt: env.Time}
	case CycleCountStarted:
		c.Status = CycleCountStatusInProgress
	case CycleCountSubmitted:
		c.Status, c.Counts = CycleCountStatusCounted, slices.Clone(e.Counts)
	case CycleCountReconciled:
		c.Status, c.Variances = CycleCountStatusReconciled, slices.Clone(e.Variances)
	case CycleCountCancelled:
		c.Status = CycleCountStatusCancelled
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (c *CycleCount) Clone() *CycleCount {
	cp := *c
	cp.SKUs = slices.Clone(c.SKUs)
	cp.Counts = slices.Clone(c.Counts)
	cp.Variances = slices.Clone(c.Variances)
	return &cp
}

// CycleCountCreated: SKUs at a warehouse are to be counted.
type CycleCountCreated struct {
	CycleCountID string   `json:"cycle_count_id"`
	WarehouseID  string   `json:"warehouse_id"`
	SKUs         []string `json:"skus"`
}

// CycleCountStarted: counting began.
type CycleCountStarted struct {
	CycleCountID string `json:"cycle_count_id"`
}

// CycleCountSubmitted: the counts were entered.
type CycleCountSubmitted struct {
	CycleCountID string      `json:"cycle_count_id"`
	Counts       []CountLine `json:"counts"`
}

// CycleCountReconciled: the counts were compared with on hand and each non-zero variance
// posted as a cycle_count movement (by reconcile, before this event; F8 is the backstop).
type CycleCountReconciled struct {
	CycleCountID string          `json:"cycle_count_id"`
	WarehouseID  string          `json:"warehouse_id"`
	Variances    []CountVariance `json:"variances"`
}

// CycleCountCancelled: the count was abandoned.
type CycleCountCancelled struct {
	CycleCountID string           `json:"cycle_count_id"`
	From         CycleCountStatus `json:"from"`
	Reason       string           `json:"reason,omitempty"`
}

func (WarehouseCreated) EventType() string       { return "WarehouseCreated" }
func (WarehouseUpdated) EventType() string       { return "WarehouseUpdated" }
func (WarehouseStatusChanged) EventType() string { return "WarehouseStatusChanged" }
func (PickListCreated) EventType() string        { return "PickListCreated" }
func (PickListStarted) EventType() string        { return "PickListStarted" }
func (PickListCompleted) EventType() string      { return "PickListCompleted" }
func (PickListCancelled) EventType() string      { return "PickListCancelled" }
func (ShipmentCreated) EventType() string        { return "ShipmentCreated" }
func (ShipmentShipped) EventType() string        { return "ShipmentShipped" }
func (ShipmentDelivered) EventType() string      { return "ShipmentDelivered" }
func (ShipmentCancelled) EventType() string      { return "ShipmentCancelled" }
func (TransferCreated) EventType() string        { return "TransferCreated" }
func (TransferShipped) EventType() string        { return "TransferShipped" }
func (TransferReceived) EventType() string       { return "TransferReceived" }
func (TransferCancelled) EventType() string      { return "TransferCancelled" }
func (CycleCountCreated) EventType() string      { return "CycleCountCreated" }
func (CycleCountStarted) EventType() string      { return "CycleCountStarted" }
func (CycleCountSubmitted) EventType() string    { return "CycleCountSubmitted" }
func (CycleCountReconciled) EventType() string   { return "CycleCountReconciled" }
func (CycleCountCancelled) EventType() string    { return "CycleCountCancelled" }

func warehouseEvents(r *Registry) {
	Register[WarehouseCreated](r, "warehouse", 1, nil)
	Register[WarehouseUpdated](r, "warehouse", 1, nil)
	Register[WarehouseStatusChanged](r, "warehouse", 1, nil)
	Register[PickListCreated](r, "pick_list", 1, nil)
	Register[PickListStarted](r, "pick_list", 1, nil)
	Register[PickListCompleted](r, "pick_list", 1, nil)
	Register[PickListCancelled](r, "pick_list", 1, nil)
	Register[ShipmentCreated](r, "shipment", 1, nil)
	Register[ShipmentShipped](r, "shipment", 1, nil)
	Register[ShipmentDelivered](r, "shipment", 1, nil)
	Register[ShipmentCancelled](r, "shipment", 1, nil)
	Register[TransferCreated](r, "transfer", 1, nil)
	Register[TransferShipped](r, "transfer", 1, nil)
	Register[TransferReceived](r, "transfer", 1, nil)
	Register[TransferCancelled](r, "transfer", 1, nil)
	Register[CycleCountCreated](r, "cycle_count", 1, nil)
	Register[CycleCountStarted](r, "cycle_count", 1, nil)
	Register[CycleCountSubmitted](r, "cycle_count", 1, nil)
	Register[CycleCountReconciled](r, "cycle_count", 1, nil)
	Register[CycleCountCancelled](r, "cycle_count", 1, nil)
}
