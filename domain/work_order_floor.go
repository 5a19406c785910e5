package domain

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What happens on the shop floor of a work order: the operations of its routing, the
// workers and machines assigned to it, and the inspections of what it made. None of it
// moves stock (components and output are the work-order-stock flow's); it is the record
// of how the order was made.

// OperationStatus is where one operation of a work order is.
type OperationStatus string

const (
	OperationStatusPending    OperationStatus = "PENDING"
	OperationStatusInProgress OperationStatus = "IN_PROGRESS"
	OperationStatusCompleted  OperationStatus = "COMPLETED"
	OperationStatusFailed     OperationStatus = "FAILED"
)

// OperationStatuses lists every operation status.
var OperationStatuses = []OperationStatus{OperationStatusPending, OperationStatusInProgress, OperationStatusCompleted, OperationStatusFailed}

// operationFlow: an operation is started, may fail and be started again (rework) or be
// put back to PENDING, and is completed from any open status. COMPLETED is final.
var operationFlow = Flow[OperationStatus]{Entity: "work order operation", Steps: append([]Step[OperationStatus]{
	{OperationStatusPending, "start", OperationStatusInProgress},
	{OperationStatusFailed, "start", OperationStatusInProgress},
	{OperationStatusInProgress, "fail", OperationStatusFailed},
	{OperationStatusInProgress, "reset", OperationStatusPending},
	{OperationStatusFailed, "reset", OperationStatusPending},
}, to([]OperationStatus{OperationStatusPending, OperationStatusInProgress, OperationStatusFailed}, "complete", OperationStatusCompleted)...)}

// Resource types a work order can be assigned. Materials are not among them: what a work
// order consumes is its bill of materials' components.
var WorkOrderResourceTypes = []string{"WORKER", "EQUIPMENT", "TOOL"}

// InspectionResults are the results an inspection check records.
var InspectionResults = []string{"PASS", "FAIL"}

// Bounds of the floor record, so one work order's document stays small.
const (
	maxOperations       = 50
	maxResources        = 50
	maxInspections      = 200
	maxChecksPerRecord  = 20
	maxOperationMinutes = 1_000_000
)

// WorkOrderOperation is one step of a work order's routing, done in Sequence order.
type WorkOrderOperation struct {
	ID               string          `json:"id"`
	Sequence         int             `json:"sequence"`
	Description      string          `json:"description"`
	EstimatedMinutes int64           `json:"estimated_minutes,omitempty"`
	Status           OperationStatus `json:"status"`
	ActualMinutes    int64           `json:"actual_minutes,omitempty"`
	Notes            string          `json:"notes,omitempty"`
	CompletedBy      string          `json:"completed_by,omitempty"`
	CompletedAt      *time.Time      `json:"completed_at,omitempty"`
}

// WorkOrderOperationInput is an operation as a command gives it: a zero ID is its
// position (1, 2, …), a zero Sequence its position too.
type WorkOrderOperationInput struct {
	ID               string
	Sequence         int
	Description      string
	EstimatedMinutes int64
}

// WorkOrderResource is a worker, machine or tool assigned to a work order.
type WorkOrderResource struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	Name       string    `json:"name"`
	Quantity   int64     `json:"quantity"`
	AssignedAt time.Time `json:"assigned_at"`
}

// InspectionCheck is one measured parameter of an inspection and its result: of what
// the work order makes, or of one of its components (LineID).
type InspectionCheck struct {
	LineID        string    `json:"line_id,omitempty"`
	Parameter     string    `json:"parameter"`
	Specification string    `json:"specification,omitempty"`
	Measurement   string    `json:"measurement"`
	Result        string    `json:"result"`
	Inspector     string    `json:"inspector,omitempty"`
	Notes         string    `json:"notes,omitempty"`
	InspectedAt   time.Time `json:"inspected_at"`
}

// Operation returns the work order's operation id.
func (o *WorkOrder) Operation(id string) (WorkOrderOperation, bool) {
	i := slices.IndexFunc(o.Operations, func(op WorkOrderOperation) bool { return op.ID == id })
	if i < 0 {
		return WorkOrderOperation{}, false
	}
	return o.Operations[i], true
}

// operations checks ops (field is where they are, e.g. "operations") given after the
// work order's existing ones and returns them as PENDING operations.
func operations(v *Validation, field string, ops []WorkOrderOperationInput, existing []WorkOrderOperation) []WorkOrderOperation {
	v.Check(len(existing)+len(ops) <= maxOperations, field, "a work order has at most "+strconv.Itoa(maxOperations)+" operations")
	seen := make(map[string]bool, len(existing)+len(ops))
	for _, op := range existing {
		seen[op.ID] = true
	}
	out := make([]WorkOrderOperation, len(ops))
	for i, in := range ops {
		at, n := field+"["+itoa(i)+"].", len(existing)+i+1
		id := in.ID
		if id == "" {
			id = itoa(n)
		}
		v.Check(ValidID(id), at+"id", "must match ^[A-Za-z0-9_-]{1,64}$")
		v.Check(!seen[id], at+"id", "operation "+id+" is given twice")
		seen[id] = true
		seq := in.Sequence
		if seq == 0 {
			seq = n
		}
		v.Check(seq > 0 && seq <= 10000, at+"sequence", "must be 1 to 10000")
		v.Check(strings.TrimSpace(in.Description) != "" && len(in.Description) <= 500, at+"description", "is required, at most 500 characters")
		v.Check(in.EstimatedMinutes >= 0 && in.EstimatedMinutes <= maxOperationMinutes, at+"estimated_minutes", "must be 0 to 1000000")
		out[i] = WorkOrderOperation{ID: id, Sequence: seq, Description: in.Description, EstimatedMinutes: in.EstimatedMinutes,
			Status: OperationStatusPending}
	}
	return out
}

// open is nil while the work order may still be worked on (not completed or cancelled).
func (o *WorkOrder) open(action string) error {
	if !o.Exists() {
		return ErrNotFound
	}
	if o.Status == WorkOrderStatusCompleted || o.Status == WorkOrderStatusCancelled {
		return &TransitionError{Entity: "work order", From: string(o.Status), Action: action}
	}
	return nil
}

// AddOperations decides adding operations to the routing of an open work order.
func (o *WorkOrder) AddOperations(ops []WorkOrderOperationInput) ([]Event, error) {
	if err := o.open("add_operation"); err != nil {
		return nil, err
	}
	var v Validation
	v.Check(len(ops) > 0, "operations", "at least one operation")
	added := operations(&v, "operations", ops, o.Operations)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WorkOrderOperationsAdded{WorkOrderID: o.ID, Operations: added}}, nil
}

// UpdateWorkOrderOperation edits one operation; nil leaves a field alone. Status moves
// it: IN_PROGRESS starts it, FAILED fails it, PENDING puts it back (COMPLETED is
// CompleteOperation's).
type UpdateWorkOrderOperation struct {
	OperationID      string
	Description      *string
	EstimatedMinutes *int64
	Status           *OperationStatus
	Notes            *string
}

// operationAction is the operation flow's action that leads to status.
var operationAction = map[OperationStatus]string{OperationStatusInProgress: "start", OperationStatusFailed: "fail",
	OperationStatusPending: "reset", OperationStatusCompleted: "complete"}

// UpdateOperation decides an edit of an operation of an open work order. A status
// change needs the work order IN_PROGRESS and the operation flow's consent (else a
// *TransitionError); a COMPLETED operation is no longer edited. Nothing changed, no event.
func (o *WorkOrder) UpdateOperation(cmd UpdateWorkOrderOperation) ([]Event, error) {
	op, err := o.openOperation(cmd.OperationID, "update")
	if err != nil {
		return nil, err
	}
	var v Validation
	desc, est := or(cmd.Description, op.Description), or(cmd.EstimatedMinutes, op.EstimatedMinutes)
	v.Check(strings.TrimSpace(desc) != "" && len(desc) <= 500, "description", "is required, at most 500 characters")
	v.Check(est >= 0 && est <= maxOperationMinutes, "estimated_minutes", "must be 0 to 1000000")
	v.Check(len(or(cmd.Notes, op.Notes)) <= 2000, "notes", "at most 2000 characters")
	if s := cmd.Status; s != nil && *s != op.Status {
		switch action, ok := operationAction[*s]; {
		case !ok:
			v.Add("status", "must be one of PENDING, IN_PROGRESS, FAILED")
		case *s == OperationStatusCompleted:
			v.Add("status", "an operation is completed by POST .../operations/{operation}/complete")
		default:
			if err := o.working("operation_"+action, op, action); err != nil {
				return nil, err
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := WorkOrderOperationUpdated{WorkOrderID: o.ID, OperationID: op.ID,
		Description: edited(&changed, op.Description, cmd.Description), EstimatedMinutes: edited(&changed, op.EstimatedMinutes, cmd.EstimatedMinutes),
		Status: edited(&changed, op.Status, cmd.Status), Notes: edited(&changed, op.Notes, cmd.Notes)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// CompleteWorkOrderOperation records an operation done: how long it took, by whom.
type CompleteWorkOrderOperation struct {
	OperationID   string
	ActualMinutes int64
	CompletedBy   string
	Notes         string // replaces the operation's notes when given
	// Checks are inspection checks made as the operation ends, recorded with it in one
	// append (WorkOrderInspected first) or not at all
	Checks []InspectionCheck
}

// CompleteOperation decides completing an operation of an IN_PROGRESS work order.
func (o *WorkOrder) CompleteOperation(cmd CompleteWorkOrderOperation, now time.Time) ([]Event, error) {
	op, err := o.openOperation(cmd.OperationID, "complete")
	if err != nil {
		return nil, err
	}
	if err := o.working("complete_operation", op, "complete"); err != nil {
		return nil, err
	}
	var v Validation
	v.Check(cmd.ActualMinutes >= 0 && cmd.ActualMinutes <= maxOperationMinutes, "actual_minutes", "must be 0 to 1000000")
	v.Check(len(cmd.CompletedBy) <= 200, "completed_by", "at most 200 characters")
	v.Check(len(cmd.Notes) <= 2000, "notes", "at most 2000 characters")
	var events []Event
	if len(cmd.Checks) > 0 {
		inspected, err := o.Inspect(cmd.Checks, now)
		if ve := (*ValidationError)(nil); errors.As(err, &ve) {
			v.fields = append(v.fields, ve.Fields...)
		} else if err != nil {
			return nil, err
		}
		events = inspected
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return append(events, WorkOrderOperationCompleted{WorkOrderID: o.ID, OperationID: op.ID, ActualMinutes: cmd.ActualMinutes,
		CompletedBy: cmd.CompletedBy, Notes: cmd.Notes, CompletedAt: now.UTC()}), nil
}

// openOperation is operation id of an open work order, not yet COMPLETED.
func (o *WorkOrder) openOperation(id, action string) (WorkOrderOperation, error) {
	if err := o.open(action + "_operation"); err != nil {
		return WorkOrderOperation{}, err
	}
	op, ok := o.Operation(id)
	if !ok {
		return op, fmt.Errorf("work order %s operation %s: %w", o.ID, id, ErrNotFound)
	}
	if op.Status == OperationStatusCompleted {
		return op, &TransitionError{Entity: "work order operation", From: string(op.Status), Action: action}
	}
	return op, nil
}

// working is nil when op may take action now: the work order is IN_PROGRESS (an
// operation is worked while production runs) and the operation flow allows it.
func (o *WorkOrder) working(woAction string, op WorkOrderOperation, action string) error {
	if o.Status != WorkOrderStatusInProgress {
		return &TransitionError{Entity: "work order", From: string(o.Status), Action: woAction}
	}
	_, err := operationFlow.Next(op.Status, action)
	return err
}

// AssignWorkOrderResource assigns a worker, machine or tool; an ID already assigned is
// reassigned with the new details.
type AssignWorkOrderResource struct {
	ID       string
	Type     string
	Name     string
	Quantity int64 // 0 is 1
}

// AssignResource decides assigning a resource to an open work order; the same resource
// with the same details again is no change, no event.
func (o *WorkOrder) AssignResource(cmd AssignWorkOrderResource, now time.Time) ([]Event, error) {
	if err := o.open("assign_resource"); err != nil {
		return nil, err
	}
	if cmd.Quantity == 0 {
		cmd.Quantity = 1
	}
	var v Validation
	v.Check(ValidID(cmd.ID), "id", "is required, must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(slices.Contains(WorkOrderResourceTypes, cmd.Type), "type",
		"must be one of "+strings.Join(WorkOrderResourceTypes, ", ")+" (materials are the bill of materials' components)")
	v.Check(strings.TrimSpace(cmd.Name) != "" && len(cmd.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(cmd.Quantity > 0 && cmd.Quantity <= maxQuantity, "quantity", "must be 1 to 1000000")
	i := slices.IndexFunc(o.Resources, func(r WorkOrderResource) bool { return r.ID == cmd.ID })
	v.Check(i >= 0 || len(o.Resources) < maxResources, "id", "a work order has at most "+strconv.Itoa(maxResources)+" resources")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if i >= 0 {
		if r := o.Resources[i]; r.Type == cmd.Type && r.Name == cmd.Name && r.Quantity == cmd.Quantity {
			return nil, nil
		}
	}
	return []Event{WorkOrderResourceAssigned{WorkOrderID: o.ID, Resource: WorkOrderResource{ID: cmd.ID, Type: cmd.Type,
		Name: cmd.Name, Quantity: cmd.Quantity, AssignedAt: now.UTC()}}}, nil
}

// ReleaseResource decides taking a resource off an open work order.
func (o *WorkOrder) ReleaseResource(id string) ([]Event, error) {
	if err := o.open("release_resource"); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(o.Resources, func(r WorkOrderResource) bool { return r.ID == id }) {
		return nil, fmt.Errorf("work order %s resource %s: %w", o.ID, id, ErrNotFound)
	}
	return []Event{WorkOrderResourceReleased{WorkOrderID: o.ID, ResourceID: id}}, nil
}

// Inspect decides recording inspection checks of what the work order makes, from its
// release on (a final inspection after completion too; not of a planned or cancelled one).
func (o *WorkOrder) Inspect(checks []InspectionCheck, now time.Time) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if o.Status == WorkOrderStatusPlanned || o.Status == WorkOrderStatusCancelled {
		return nil, &TransitionError{Entity: "work order", From: string(o.Status), Action: "inspect"}
	}
	var v Validation
	v.Check(len(checks) > 0 && len(checks) <= maxChecksPerRecord, "checks", "1 to "+strconv.Itoa(maxChecksPerRecord)+" checks")
	v.Check(len(o.Inspections)+len(checks) <= maxInspections, "checks", "a work order keeps at most "+strconv.Itoa(maxInspections)+" checks")
	out := make([]InspectionCheck, len(checks))
	for i, c := range checks {
		at := "checks[" + itoa(i) + "]."
		v.Check(c.LineID == "" || slices.ContainsFunc(o.Components, func(w WorkOrderComponent) bool { return w.LineID == c.LineID }),
			at+"line_id", "the work order has no component line "+c.LineID)
		v.Check(strings.TrimSpace(c.Parameter) != "" && len(c.Parameter) <= 200, at+"parameter", "is required, at most 200 characters")
		v.Check(len(c.Specification) <= 500, at+"specification", "at most 500 characters")
		v.Check(strings.TrimSpace(c.Measurement) != "" && len(c.Measurement) <= 500, at+"measurement", "is required, at most 500 characters")
		v.Check(slices.Contains(InspectionResults, c.Result), at+"result", "must be PASS or FAIL")
		v.Check(len(c.Inspector) <= 200, at+"inspector", "at most 200 characters")
		v.Check(len(c.Notes) <= 2000, at+"notes", "at most 2000 characters")
		c.InspectedAt = now.UTC()
		out[i] = c
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WorkOrderInspected{WorkOrderID: o.ID, Checks: out}}, nil
}

// WorkOrderOperationsAdded: operations were added to a work order's routing.
type WorkOrderOperationsAdded struct {
	WorkOrderID string               `json:"work_order_id"`
	Operations  []WorkOrderOperation `json:"operations"`
}

// WorkOrderOperationUpdated: an operation changed; only what changed is present.
type WorkOrderOperationUpdated struct {
	WorkOrderID      string           `json:"work_order_id"`
	OperationID      string           `json:"operation_id"`
	Description      *string          `json:"description,omitempty"`
	EstimatedMinutes *int64           `json:"estimated_minutes,omitempty"`
	Status           *OperationStatus `json:"status,omitempty"`
	Notes            *string          `json:"notes,omitempty"`
}

// WorkOrderOperationCompleted: an operation was done.
type WorkOrderOperationCompleted struct {
	WorkOrderID   string    `json:"work_order_id"`
	OperationID   string    `json:"operation_id"`
	ActualMinutes int64     `json:"actual_minutes,omitempty"`
	CompletedBy   string    `json:"completed_by,omitempty"`
	Notes         string    `json:"notes,omitempty"`
	CompletedAt   time.Time `json:"completed_at"`
}

// WorkOrderResourceAssigned: a resource was assigned (or reassigned) to a work order.
type WorkOrderResourceAssigned struct {
	WorkOrderID string            `json:"work_order_id"`
	Resource    WorkOrderResource `json:"resource"`
}

// WorkOrderResourceReleased: a resource was taken off a work order.
type WorkOrderResourceReleased struct {
	WorkOrderID string `json:"work_order_id"`
	ResourceID  string `json:"resource_id"`
}

// WorkOrderInspected: inspection checks were recorded.
type WorkOrderInspected struct {
	WorkOrderID string            `json:"work_order_id"`
	Checks      []InspectionCheck `json:"checks"`
}

// applyFloor folds the floor events in; false for any other event.
func (o *WorkOrder) applyFloor(event Event) bool {
	switch e := event.(type) {
	case WorkOrderOperationsAdded:
		o.Operations = append(o.Operations, e.Operations...)
		slices.SortStableFunc(o.Operations, func(a, b WorkOrderOperation) int { return a.Sequence - b.Sequence })
	case WorkOrderOperationUpdated:
		o.setOperation(e.OperationID, func(op *WorkOrderOperation) {
			put(&op.Description, e.Description)
			put(&op.EstimatedMinutes, e.EstimatedMinutes)
			put(&op.Status, e.Status)
			put(&op.Notes, e.Notes)
		})
	case WorkOrderOperationCompleted:
		o.setOperation(e.OperationID, func(op *WorkOrderOperation) {
			op.Status, op.ActualMinutes, op.CompletedBy, op.CompletedAt = OperationStatusCompleted, e.ActualMinutes, e.CompletedBy, ptrTo(e.CompletedAt)
			if e.Notes != "" {
				op.Notes = e.Notes
			}
		})
	case WorkOrderResourceAssigned:
		o.Resources = slices.DeleteFunc(o.Resources, func(r WorkOrderResource) bool { return r.ID == e.Resource.ID })
		o.Resources = append(o.Resources, e.Resource)
	case WorkOrderResourceReleased:
		o.Resources = slices.DeleteFunc(o.Resources, func(r WorkOrderResource) bool { return r.ID == e.ResourceID })
	case WorkOrderInspected:
		o.Inspections = append(o.Inspections, e.Checks...)
	default:
		return false
	}
	return true
}

func (o *WorkOrder) setOperation(id string, set func(*WorkOrderOperation)) {
	if i := slices.IndexFunc(o.Operations, func(op WorkOrderOperation) bool { return op.ID == id }); i >= 0 {
		set(&o.Operations[i])
	}
}

func (WorkOrderOperationsAdded) EventType() string    { return "WorkOrderOperationsAdded" }
func (WorkOrderOperationUpdated) EventType() string   { return "WorkOrderOperationUpdated" }
func (WorkOrderOperationCompleted) EventType() string { return "WorkOrderOperationCompleted" }
func (WorkOrderResourceAssigned) EventType() string   { return "WorkOrderResourceAssigned" }
func (WorkOrderResourceReleased) EventType() string   { return "WorkOrderResourceReleased" }
func (WorkOrderInspected) EventType() string          { return "WorkOrderInspected" }

func workOrderFloorEvents(r *Registry) {
	Register[WorkOrderOperationsAdded](r, "work_order", 1, nil)
	Register[WorkOrderOperationUpdated](r, "work_order", 1, nil)
	Register[WorkOrderOperationCompleted](r, "work_order", 1, nil)
	Register[WorkOrderResourceAssigned](r, "work_order", 1, nil)
	Register[WorkOrderResourceReleased](r, "work_order", 1, nil)
	Register[WorkOrderInspected](r, "work_order", 1, nil)
}
