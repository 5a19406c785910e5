package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WorkOrderStatus is where a work order is in its life.
type WorkOrderStatus string

const (
	WorkOrderStatusPlanned    WorkOrderStatus = "PLANNED"
	WorkOrderStatusReleased   WorkOrderStatus = "RELEASED"
	WorkOrderStatusInProgress WorkOrderStatus = "IN_PROGRESS"
	WorkOrderStatusOnHold     WorkOrderStatus = "ON_HOLD"
	WorkOrderStatusCompleted  WorkOrderStatus = "COMPLETED"
	WorkOrderStatusCancelled  WorkOrderStatus = "CANCELLED"
)

// WorkOrderStatuses lists every status, in life order.
var WorkOrderStatuses = []WorkOrderStatus{WorkOrderStatusPlanned, WorkOrderStatusReleased, WorkOrderStatusInProgress,
	WorkOrderStatusOnHold, WorkOrderStatusCompleted, WorkOrderStatusCancelled}

// WorkOrderActions are the status actions reachable over POST /work_orders/:id/<action>.
var WorkOrderActions = []string{"release", "start", "complete", "hold", "resume", "cancel"}

// WorkOrderPriorities are the priorities a work order may have; NORMAL is the default.
var WorkOrderPriorities = []string{"LOW", "NORMAL", "HIGH", "URGENT"}

// workOrderFlow is the work order state machine. "complete" leads to COMPLETED once the
// whole quantity is produced or scrapped; a smaller completion records progress and the
// order stays IN_PROGRESS (Complete decides). "resume" returns a held order to where it was.
var workOrderFlow = Flow[WorkOrderStatus]{Entity: "work order", Steps: []Step[WorkOrderStatus]{
	{WorkOrderStatusPlanned, "release", WorkOrderStatusReleased},
	{WorkOrderStatusReleased, "start", WorkOrderStatusInProgress},
	{WorkOrderStatusInProgress, "complete", WorkOrderStatusCompleted},
	{WorkOrderStatusPlanned, "hold", WorkOrderStatusOnHold},
	{WorkOrderStatusReleased, "hold", WorkOrderStatusOnHold},
	{WorkOrderStatusInProgress, "hold", WorkOrderStatusOnHold},
	{WorkOrderStatusOnHold, "resume", WorkOrderStatusOnHold},
	{WorkOrderStatusPlanned, "cancel", WorkOrderStatusCancelled},
	{WorkOrderStatusReleased, "cancel", WorkOrderStatusCancelled},
	{WorkOrderStatusInProgress, "cancel", WorkOrderStatusCancelled},
	{WorkOrderStatusOnHold, "cancel", WorkOrderStatusCancelled},
}}

// WorkOrderComponent is what one BOM line asks of stock for the whole work order:
// QuantityPer units per unit made, Required in all.
type WorkOrderComponent struct {
	LineID      string `json:"line_id"`
	SKU         string `json:"sku"`
	QuantityPer int64  `json:"quantity_per"`
	Required    int64  `json:"required"`
}

// ComponentUse is what one completion took of a component: Consumed for the good units,
// Scrapped for the scrapped ones.
type ComponentUse struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Consumed int64  `json:"consumed"`
	Scrapped int64  `json:"scrapped"`
}

// WorkOrder is the work order aggregate: make Quantity units of SKU at LocationID from
// the components of an active bill of materials (copied at creation, one level: a
// sub-assembly with its own BOM is a component made by its own work order).
type WorkOrder struct {
	ID               string               `json:"id"`
	WorkOrderNumber  string               `json:"work_order_number"`
	BOMID            string               `json:"bom_id"`
	SKU              string               `json:"sku"`
	Quantity         int64                `json:"quantity"`
	LocationID       string               `json:"location_id"`
	Priority         string               `json:"priority"`
	DueDate          string               `json:"due_date,omitempty"`
	Assignee         string               `json:"assignee,omitempty"` // who does the work
	Notes            string               `json:"notes,omitempty"`
	Components       []WorkOrderComponent `json:"components"`
	Status           WorkOrderStatus      `json:"status"`
	HeldFrom         WorkOrderStatus      `json:"held_from,omitempty"`
	StockHeld        bool                 `json:"stock_held"` // components are reserved (released, not yet finished)
	QuantityProduced int64                `json:"quantity_produced"`
	ScrapQuantity    int64                `json:"scrap_quantity"`
	Operations       []WorkOrderOperation `json:"operations,omitempty"`  // its routing, in sequence order
	Resources        []WorkOrderResource  `json:"resources,omitempty"`   // who and what works on it
	Inspections      []InspectionCheck    `json:"inspections,omitempty"` // what was measured of it
	CreatedAt        time.Time            `json:"created_at"`
	UpdatedAt        time.Time            `json:"updated_at"`
	Version          int64                `json:"version"`
}

// Exists reports whether the work order has been created.
func (o *WorkOrder) Exists() bool { return o.Version > 0 }

// CurrentVersion is the work order's event count.
func (o *WorkOrder) CurrentVersion() int64 { return o.Version }

// Remaining is what is left to produce or scrap.
func (o *WorkOrder) Remaining() int64 { return o.Quantity - o.QuantityProduced - o.ScrapQuantity }

// Clone returns a deep copy, so a cached work order is never shared with a caller.
func (o *WorkOrder) Clone() *WorkOrder {
	cp := *o
	cp.Components = slices.Clone(o.Components)
	cp.Operations = slices.Clone(o.Operations) // CompletedAt is never written through
	cp.Resources = slices.Clone(o.Resources)
	cp.Inspections = slices.Clone(o.Inspections)
	return &cp
}

// CreateWorkOrder plans a work order from BOM, which must be ACTIVE.
type CreateWorkOrder struct {
	WorkOrderID     string
	WorkOrderNumber string // e.g. WO-000001, chosen by the caller
	BOM             *BillOfMaterials
	Quantity        int64
	LocationID      string
	Priority        string // default NORMAL
	DueDate         string // RFC 3339 time or YYYY-MM-DD, optional
	Operations      []WorkOrderOperationInput
}

// UpdateWorkOrder edits a work order's details; nil leaves a field alone. What it makes,
// how many and where are fixed: they hold stock.
type UpdateWorkOrder struct {
	Priority, DueDate, Assignee, Notes *string
}

// Update decides an edit until the work order is completed or cancelled (then a
// *TransitionError); nothing changed, no event.
func (o *WorkOrder) Update(cmd UpdateWorkOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if o.Status == WorkOrderStatusCompleted || o.Status == WorkOrderStatusCancelled {
		return nil, &TransitionError{Entity: "work order", From: string(o.Status), Action: "update"}
	}
	var v Validation
	p, due := or(cmd.Priority, o.Priority), or(cmd.DueDate, o.DueDate)
	v.Check(slices.Contains(WorkOrderPriorities, p), "priority", "must be one of LOW, NORMAL, HIGH, URGENT")
	v.Check(due == "" || validDate(due), "due_date", "must be an RFC 3339 time or a YYYY-MM-DD date")
	v.Check(len(or(cmd.Assignee, o.Assignee)) <= 200, "assignee", "at most 200 characters")
	v.Check(len(or(cmd.Notes, o.Notes)) <= 10000, "notes", "at most 10000 characters")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := WorkOrderUpdated{WorkOrderID: o.ID, Priority: edited(&changed, o.Priority, cmd.Priority), DueDate: edited(&changed, o.DueDate, cmd.DueDate),
		Assignee: edited(&changed, o.Assignee, cmd.Assignee), Notes: edited(&changed, o.Notes, cmd.Notes)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// WorkOrderUpdated: the work order's details changed; only what changed is present.
type WorkOrderUpdated struct {
	WorkOrderID string  `json:"work_order_id"`
	Priority    *string `json:"priority,omitempty"`
	DueDate     *string `json:"due_date,omitempty"`
	Assignee    *string `json:"assignee,omitempty"`
	Notes       *string `json:"notes,omitempty"`
}

// CompleteWorkOrder records production: QuantityProduced good units and ScrapQuantity
// scrapped ones. Both zero means "all that remains, produced".
type CompleteWorkOrder struct {
	QuantityProduced int64
	ScrapQuantity    int64
}

// WorkOrderCreated: a work order was planned.
type WorkOrderCreated struct {
	WorkOrderID     string               `json:"work_order_id"`
	WorkOrderNumber string               `json:"work_order_number"`
	BOMID           string               `json:"bom_id"`
	SKU             string               `json:"sku"`
	Quantity        int64                `json:"quantity"`
	LocationID      string               `json:"location_id"`
	Priority        string               `json:"priority"`
	DueDate         string               `json:"due_date,omitempty"`
	Components      []WorkOrderComponent `json:"components"`
	Operations      []WorkOrderOperation `json:"operations,omitempty"`
}

// WorkOrderReleased: the work order was released to the floor; it carries what the
// work-order-stock flow reserves, so the flow loads nothing.
type WorkOrderReleased struct {
	WorkOrderID string               `json:"work_order_id"`
	SKU         string               `json:"sku"`
	LocationID  string               `json:"location_id"`
	Components  []WorkOrderComponent `json:"components"`
}

// WorkOrderStarted: production began.
type WorkOrderStarted struct {
	WorkOrderID string `json:"work_order_id"`
}

// WorkOrderHeld: the work order was put on hold from status From.
type WorkOrderHeld struct {
	WorkOrderID string          `json:"work_order_id"`
	From        WorkOrderStatus `json:"from"`
	Reason      string          `json:"reason,omitempty"`
}

// WorkOrderResumed: a held work order went back to status To.
type WorkOrderResumed struct {
	WorkOrderID string          `json:"work_order_id"`
	To          WorkOrderStatus `json:"to"`
	Reason      string          `json:"reason,omitempty"`
}

// WorkOrderProductionRecorded: QuantityProduced good units were made and ScrapQuantity
// scrapped, using Components; the totals are after this completion. The work-order-stock
// flow consumes the components and puts the good units on hand.
type WorkOrderProductionRecorded struct {
	WorkOrderID      string         `json:"work_order_id"`
	SKU              string         `json:"sku"`
	LocationID       string         `json:"location_id"`
	QuantityProduced int64          `json:"quantity_produced"`
	ScrapQuantity    int64          `json:"scrap_quantity"`
	Components       []ComponentUse `json:"components"`
	TotalProduced    int64          `json:"total_produced"`
	TotalScrapped    int64          `json:"total_scrapped"`
}

// WorkOrderCompleted: the whole quantity was produced or scrapped.
type WorkOrderCompleted struct {
	WorkOrderID      string `json:"work_order_id"`
	SKU              string `json:"sku"`
	QuantityProduced int64  `json:"quantity_produced"`
	ScrapQuantity    int64  `json:"scrap_quantity"`
}

// WorkOrderCancelled: the work order was cancelled from status From; when StockHeld its
// components' reservations are to be released.
type WorkOrderCancelled struct {
	WorkOrderID string               `json:"work_order_id"`
	From        WorkOrderStatus      `json:"from"`
	Reason      string               `json:"reason,omitempty"`
	LocationID  string               `json:"location_id"`
	StockHeld   bool                 `json:"stock_held"`
	Components  []WorkOrderComponent `json:"components"`
}

// Check records every invalid field of the creation in v.
func (cmd CreateWorkOrder) Check(v *Validation) {
	v.Check(ValidID(cmd.WorkOrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.WorkOrderNumber) != "" && len(cmd.WorkOrderNumber) <= 64, "work_order_number", "is required, at most 64 characters")
	switch b := cmd.BOM; {
	case b == nil || !b.Exists():
		v.Add("bom_id", "no such bill of materials")
	case b.Status != BOMStatusActive:
		v.Add("bom_id", "bill of materials "+b.ID+" is "+string(b.Status)+"; only ACTIVE ones can be made")
	}
	v.Check(cmd.Quantity > 0 && cmd.Quantity <= maxQuantity, "quantity", "must be 1 to 1000000")
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.Priority == "" || slices.Contains(WorkOrderPriorities, cmd.Priority), "priority", "must be one of LOW, NORMAL, HIGH, URGENT")
	v.Check(cmd.DueDate == "" || validDate(cmd.DueDate), "due_date", "must be an RFC 3339 time or a YYYY-MM-DD date")
	operations(v, "operations", cmd.Operations, nil)
}

// Create decides planning a work order: ErrAlreadyExists or a *ValidationError (bom_id
// for a BOM that is missing or not ACTIVE). The BOM's components are copied, so later
// BOMs do not change what this order needs.
func (o *WorkOrder) Create(cmd CreateWorkOrder) ([]Event, error) {
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "work order", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	comps := make([]WorkOrderComponent, len(cmd.BOM.Components))
	for i, c := range cmd.BOM.Components {
		required, ok := MulQuantity(c.Quantity, cmd.Quantity)
		if !ok {
			v.Add("quantity", "needs more than "+strconv.FormatInt(MaxQuantity, 10)+" units of "+c.SKU)
		}
		comps[i] = WorkOrderComponent{LineID: itoa(i + 1), SKU: c.SKU, QuantityPer: c.Quantity, Required: required}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WorkOrderCreated{WorkOrderID: cmd.WorkOrderID, WorkOrderNumber: cmd.WorkOrderNumber, BOMID: cmd.BOM.ID,
		SKU: cmd.BOM.SKU, Quantity: cmd.Quantity, LocationID: cmd.LocationID, Priority: cmp.Or(cmd.Priority, "NORMAL"),
		DueDate: cmd.DueDate, Components: comps, Operations: operations(&v, "operations", cmd.Operations, nil)}}, nil
}

// Release decides releasing a planned order. available is what each component SKU has
// available at the order's location (a SKU missing has none): if any component's
// requirement exceeds it, the answer is an *InsufficientStockError listing every short
// component, and nothing is decided.
func (o *WorkOrder) Release(available map[string]int64) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := workOrderFlow.Next(o.Status, "release"); err != nil {
		return nil, err
	}
	var short []Shortage
	for _, c := range o.Components {
		if a := available[c.SKU]; a < c.Required {
			short = append(short, Shortage{SKU: c.SKU, LocationID: o.LocationID, Requested: c.Required, Available: a})
		}
	}
	if len(short) > 0 {
		return nil, &InsufficientStockError{Shortages: short}
	}
	return []Event{WorkOrderReleased{WorkOrderID: o.ID, SKU: o.SKU, LocationID: o.LocationID,
		Components: slices.Clone(o.Components)}}, nil
}

// Complete decides recording production from IN_PROGRESS: ErrNotFound, a
// *TransitionError, or a *ValidationError when the quantities are negative or exceed what
// remains. It yields WorkOrderProductionRecorded, and WorkOrderCompleted as well when
// nothing remains after it.
func (o *WorkOrder) Complete(cmd CompleteWorkOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := workOrderFlow.Next(o.Status, "complete"); err != nil {
		return nil, err
	}
	if cmd.QuantityProduced == 0 && cmd.ScrapQuantity == 0 {
		cmd.QuantityProduced = o.Remaining()
	}
	var v Validation
	producedOK := cmd.QuantityProduced >= 0 && cmd.QuantityProduced <= MaxQuantity
	scrapOK := cmd.ScrapQuantity >= 0 && cmd.ScrapQuantity <= MaxQuantity
	v.Check(producedOK, "quantity_produced", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	v.Check(scrapOK, "scrap_quantity", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	if producedOK && scrapOK { // so their sum cannot wrap
		v.Check(cmd.QuantityProduced+cmd.ScrapQuantity <= o.Remaining(), "quantity_produced",
			fmt.Sprintf("quantity_produced + scrap_quantity must be at most the %d remaining", o.Remaining()))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	uses := make([]ComponentUse, len(o.Components))
	for i, c := range o.Components {
		// produced + scrapped ≤ Quantity, so each use is at most Required, which Create held
		// within MaxQuantity
		uses[i] = ComponentUse{LineID: c.LineID, SKU: c.SKU, Consumed: c.QuantityPer * cmd.QuantityProduced,
			Scrapped: c.QuantityPer * cmd.ScrapQuantity}
	}
	rec := WorkOrderProductionRecorded{WorkOrderID: o.ID, SKU: o.SKU, LocationID: o.LocationID,
		QuantityProduced: cmd.QuantityProduced, ScrapQuantity: cmd.ScrapQuantity, Components: uses,
		TotalProduced: o.QuantityProduced + cmd.QuantityProduced, TotalScrapped: o.ScrapQuantity + cmd.ScrapQuantity}
	events := []Event{rec}
	if rec.TotalProduced+rec.TotalScrapped == o.Quantity {
		events = append(events, WorkOrderCompleted{WorkOrderID: o.ID, SKU: o.SKU, QuantityProduced: rec.TotalProduced,
			ScrapQuantity: rec.TotalScrapped})
	}
	return events, nil
}

// Act decides a status action without arguments: start, hold, resume or cancel (reason is
// kept). release and complete need more and have their own methods; here they are a
// *TransitionError when the status refuses them and a *ValidationError otherwise.
func (o *WorkOrder) Act(action, reason string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := workOrderFlow.Next(o.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "start":
		return []Event{WorkOrderStarted{WorkOrderID: o.ID}}, nil
	case "hold":
		return []Event{WorkOrderHeld{WorkOrderID: o.ID, From: o.Status, Reason: reason}}, nil
	case "resume":
		return []Event{WorkOrderResumed{WorkOrderID: o.ID, To: o.HeldFrom, Reason: reason}}, nil
	case "cancel":
		return []Event{WorkOrderCancelled{WorkOrderID: o.ID, From: o.Status, Reason: reason, LocationID: o.LocationID,
			StockHeld: o.StockHeld, Components: slices.Clone(o.Components)}}, nil
	}
	return nil, &ValidationError{Fields: []FieldError{{Field: "action", Issue: action + " has its own command"}}}
}

// Apply folds a work order event in.
func (o *WorkOrder) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WorkOrderCreated:
		*o = WorkOrder{ID: e.WorkOrderID, WorkOrderNumber: e.WorkOrderNumber, BOMID: e.BOMID, SKU: e.SKU,
			Quantity: e.Quantity, LocationID: e.LocationID, Priority: e.Priority, DueDate: e.DueDate,
			Components: slices.Clone(e.Components), Status: WorkOrderStatusPlanned, CreatedAt: env.Time}
		o.applyFloor(WorkOrderOperationsAdded{Operations: e.Operations})
	case WorkOrderUpdated:
		put(&o.Priority, e.Priority)
		put(&o.DueDate, e.DueDate)
		put(&o.Assignee, e.Assignee)
		put(&o.Notes, e.Notes)
	case WorkOrderReleased:
		o.Status, o.StockHeld = WorkOrderStatusReleased, true
	case WorkOrderStarted:
		o.Status = WorkOrderStatusInProgress
	case WorkOrderHeld:
		o.Status, o.HeldFrom = WorkOrderStatusOnHold, e.From
	case WorkOrderResumed:
		o.Status, o.HeldFrom = e.To, ""
	case WorkOrderProductionRecorded:
		o.QuantityProduced, o.ScrapQuantity = e.TotalProduced, e.TotalScrapped
	case WorkOrderCompleted:
		o.Status, o.StockHeld = WorkOrderStatusCompleted, false
	case WorkOrderCancelled:
		o.Status, o.StockHeld, o.HeldFrom = WorkOrderStatusCancelled, false, ""
	default:
		o.applyFloor(e)
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}

func (WorkOrderCreated) EventType() string            { return "WorkOrderCreated" }
func (WorkOrderUpdated) EventType() string            { return "WorkOrderUpdated" }
func (WorkOrderReleased) EventType() string           { return "WorkOrderReleased" }
func (WorkOrderStarted) EventType() string            { return "WorkOrderStarted" }
func (WorkOrderHeld) EventType() string               { return "WorkOrderHeld" }
func (WorkOrderResumed) EventType() string            { return "WorkOrderResumed" }
func (WorkOrderProductionRecorded) EventType() string { return "WorkOrderProductionRecorded" }
func (WorkOrderCompleted) EventType() string          { return "WorkOrderCompleted" }
func (WorkOrderCancelled) EventType() string          { return "WorkOrderCancelled" }

func workOrderEvents(r *Registry) {
	Register[WorkOrderCreated](r, "work_order", 1, nil)
	Register[WorkOrderUpdated](r, "work_order", 1, nil)
	Register[WorkOrderReleased](r, "work_order", 1, nil)
	Register[WorkOrderStarted](r, "work_order", 1, nil)
	Register[WorkOrderHeld](r, "work_order", 1, nil)
	Register[WorkOrderResumed](r, "work_order", 1, nil)
	Register[WorkOrderProductionRecorded](r, "work_order", 1, nil)
	Register[WorkOrderCompleted](r, "work_order", 1, nil)
	Register[WorkOrderCancelled](r, "work_order", 1, nil)
	workOrderFloorEvents(r)
}
