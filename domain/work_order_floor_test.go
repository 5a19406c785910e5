package domain

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, workOrderFloorGoldens) }

var t1 = time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)

// workOrderFloorGoldens is one realistic value per shop-floor event type (see goldens).
var workOrderFloorGoldens = map[string]Event{
	"WorkOrderOperationsAdded.v1": WorkOrderOperationsAdded{WorkOrderID: "wo_1", Operations: []WorkOrderOperation{
		{ID: "weld", Sequence: 20, Description: "weld the frame", EstimatedMinutes: 45, Status: OperationStatusPending}}},
	"WorkOrderOperationUpdated.v1": WorkOrderOperationUpdated{WorkOrderID: "wo_1", OperationID: "weld",
		Status: ptr(OperationStatusInProgress), Notes: ptr("jig 2")},
	"WorkOrderOperationCompleted.v1": WorkOrderOperationCompleted{WorkOrderID: "wo_1", OperationID: "weld", ActualMinutes: 50,
		CompletedBy: "tina", Notes: "two welds redone", CompletedAt: t1},
	"WorkOrderResourceAssigned.v1": WorkOrderResourceAssigned{WorkOrderID: "wo_1", Resource: WorkOrderResource{ID: "welder-2",
		Type: "EQUIPMENT", Name: "MIG welder 2", Quantity: 1, AssignedAt: t1}},
	"WorkOrderResourceReleased.v1": WorkOrderResourceReleased{WorkOrderID: "wo_1", ResourceID: "welder-2"},
	"WorkOrderInspected.v1": WorkOrderInspected{WorkOrderID: "wo_1", Checks: []InspectionCheck{{Parameter: "weld seam",
		Specification: "no porosity", Measurement: "clean", Result: "PASS", Inspector: "qa-ann", InspectedAt: t1}}},
}

// routedWorkOrder is a work order in status with operations cut (10) and weld (20).
func routedWorkOrder(t *testing.T, status WorkOrderStatus) *WorkOrder {
	t.Helper()
	o := workOrderIn(t, status)
	o.Operations = []WorkOrderOperation{
		{ID: "cut", Sequence: 10, Description: "cut tubes", Status: OperationStatusPending},
		{ID: "weld", Sequence: 20, Description: "weld the frame", Status: OperationStatusPending}}
	return o
}

func TestWorkOrderCreatedWithOperations(t *testing.T) {
	b := activeBOM("b_bike", "BIKE", BOMComponent{SKU: "FRAME", Quantity: 1})
	cmd := CreateWorkOrder{WorkOrderID: "wo1", WorkOrderNumber: "WO-1", BOM: b, Quantity: 1, LocationID: "main",
		Operations: []WorkOrderOperationInput{{ID: "weld", Sequence: 20, Description: "weld"}, {Description: "cut", Sequence: 10, EstimatedMinutes: 5}}}
	o := fold(&WorkOrder{}, must((&WorkOrder{}).Create(cmd))...)
	want := []WorkOrderOperation{{ID: "2", Sequence: 10, Description: "cut", EstimatedMinutes: 5, Status: OperationStatusPending},
		{ID: "weld", Sequence: 20, Description: "weld", Status: OperationStatusPending}}
	if diff := cmp.Diff(want, o.Operations); diff != "" {
		t.Errorf("operations, in sequence order (-want +got):\n%s", diff)
	}

	cmd.Operations = []WorkOrderOperationInput{{ID: "a", Description: "x"}, {ID: "a", Description: " "}, {ID: "b", Description: "y", EstimatedMinutes: -1}}
	_, err := (&WorkOrder{}).Create(cmd)
	if diff := cmp.Diff([]string{"operations[1].id", "operations[1].description", "operations[2].estimated_minutes"}, fieldsOf(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestWorkOrderOperationLife(t *testing.T) {
	for _, c := range []struct {
		name   string
		status WorkOrderStatus
		op     OperationStatus // the operation's status first
		do     func(o *WorkOrder) ([]Event, error)
		want   OperationStatus // the operation's status after, when allowed
		err    string
	}{
		{"start while producing", WorkOrderStatusInProgress, OperationStatusPending, setOp(OperationStatusInProgress), OperationStatusInProgress, ""},
		{"fail a running one", WorkOrderStatusInProgress, OperationStatusInProgress, setOp(OperationStatusFailed), OperationStatusFailed, ""},
		{"rework a failed one", WorkOrderStatusInProgress, OperationStatusFailed, setOp(OperationStatusInProgress), OperationStatusInProgress, ""},
		{"put a running one back", WorkOrderStatusInProgress, OperationStatusInProgress, setOp(OperationStatusPending), OperationStatusPending, ""},
		{"complete a pending one", WorkOrderStatusInProgress, OperationStatusPending, completeOp, OperationStatusCompleted, ""},
		{"fail a pending one", WorkOrderStatusInProgress, OperationStatusPending, setOp(OperationStatusFailed), "", "transition"},
		{"start before production", WorkOrderStatusReleased, OperationStatusPending, setOp(OperationStatusInProgress), "", "transition"},
		{"complete while held", WorkOrderStatusOnHold, OperationStatusInProgress, completeOp, "", "transition"},
		{"complete twice", WorkOrderStatusInProgress, OperationStatusCompleted, completeOp, "", "transition"},
		{"edit a completed one", WorkOrderStatusInProgress, OperationStatusCompleted, editOp, "", "transition"},
		{"edit while planned", WorkOrderStatusPlanned, OperationStatusPending, editOp, OperationStatusPending, ""},
		{"edit a cancelled order's", WorkOrderStatusCancelled, OperationStatusPending, editOp, "", "transition"},
		{"complete through update", WorkOrderStatusInProgress, OperationStatusPending, setOp(OperationStatusCompleted), "", "validation"},
		{"an unknown status", WorkOrderStatusInProgress, OperationStatusPending, setOp("DONE"), "", "validation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := routedWorkOrder(t, c.status)
			o.Operations[1].Status = c.op
			events, err := c.do(o)
			checkEditErr(t, err, c.err)
			if c.err != "" {
				if events != nil {
					t.Fatalf("refused, yet events %v", events)
				}
				return
			}
			fold(o, events...)
			if op, _ := o.Operation("weld"); op.Status != c.want {
				t.Errorf("status %s, want %s", op.Status, c.want)
			}
		})
	}
}

func setOp(s OperationStatus) func(*WorkOrder) ([]Event, error) {
	return func(o *WorkOrder) ([]Event, error) {
		return o.UpdateOperation(UpdateWorkOrderOperation{OperationID: "weld", Status: &s})
	}
}

func completeOp(o *WorkOrder) ([]Event, error) {
	return o.CompleteOperation(CompleteWorkOrderOperation{OperationID: "weld", ActualMinutes: 50, CompletedBy: "tina", Notes: "ok"}, t1)
}

func editOp(o *WorkOrder) ([]Event, error) {
	return o.UpdateOperation(UpdateWorkOrderOperation{OperationID: "weld", Description: ptr("weld and grind")})
}

func TestWorkOrderOperationEdits(t *testing.T) {
	o := routedWorkOrder(t, WorkOrderStatusInProgress)
	fold(o, must(completeOp(o))...)
	want := WorkOrderOperation{ID: "weld", Sequence: 20, Description: "weld the frame", Status: OperationStatusCompleted,
		ActualMinutes: 50, CompletedBy: "tina", Notes: "ok", CompletedAt: &t1}
	if op, _ := o.Operation("weld"); !cmp.Equal(want, op) {
		t.Errorf("completed: %s", cmp.Diff(want, op))
	}
	if events, err := o.UpdateOperation(UpdateWorkOrderOperation{OperationID: "cut", Description: ptr("cut tubes")}); events != nil || err != nil {
		t.Errorf("no change: %v %v", events, err)
	}
	if _, err := o.UpdateOperation(UpdateWorkOrderOperation{OperationID: "paint"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown operation: %v", err)
	}
	_, err := o.UpdateOperation(UpdateWorkOrderOperation{OperationID: "cut", Description: ptr(" "), EstimatedMinutes: ptr(int64(-5))})
	if diff := cmp.Diff([]string{"description", "estimated_minutes"}, fieldsOf(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	added := must(o.AddOperations([]WorkOrderOperationInput{{ID: "paint", Sequence: 15, Description: "paint"}}))
	fold(o, added...)
	if got := []string{o.Operations[0].ID, o.Operations[1].ID, o.Operations[2].ID}; !cmp.Equal(got, []string{"cut", "paint", "weld"}) {
		t.Errorf("after adding: %v", got)
	}
	if _, err := o.AddOperations([]WorkOrderOperationInput{{ID: "cut", Description: "again"}}); !cmp.Equal(fieldsOf(err), []string{"operations[0].id"}) {
		t.Errorf("an id taken: %v", err)
	}
}

// TestWorkOrderOperationCompletedWithChecks: checks given with a completion are recorded
// with it, in one decision; a bad check or a bad completion refuses both.
func TestWorkOrderOperationCompletedWithChecks(t *testing.T) {
	seal := InspectionCheck{Parameter: "seal", Measurement: "tight", Result: "PASS"}
	o := routedWorkOrder(t, WorkOrderStatusInProgress)
	events := must(o.CompleteOperation(CompleteWorkOrderOperation{OperationID: "weld", ActualMinutes: 5, Checks: []InspectionCheck{seal}}, t1))
	if len(events) != 2 || events[0].EventType() != "WorkOrderInspected" || events[1].EventType() != "WorkOrderOperationCompleted" {
		t.Fatalf("events %v", events)
	}
	fold(o, events...)
	if op, _ := o.Operation("weld"); op.Status != OperationStatusCompleted || len(o.Inspections) != 1 {
		t.Errorf("completed %+v, inspections %+v", op, o.Inspections)
	}
	o = routedWorkOrder(t, WorkOrderStatusInProgress)
	_, err := o.CompleteOperation(CompleteWorkOrderOperation{OperationID: "weld", ActualMinutes: -1, Checks: []InspectionCheck{{Parameter: "seal", Result: "OK"}}}, t1)
	if diff := cmp.Diff([]string{"actual_minutes", "checks[0].measurement", "checks[0].result"}, fieldsOf(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestWorkOrderResources(t *testing.T) {
	o := workOrderIn(t, WorkOrderStatusReleased)
	welder := AssignWorkOrderResource{ID: "welder-2", Type: "EQUIPMENT", Name: "MIG welder 2"}
	fold(o, must(o.AssignResource(welder, t1))...)
	want := []WorkOrderResource{{ID: "welder-2", Type: "EQUIPMENT", Name: "MIG welder 2", Quantity: 1, AssignedAt: t1}}
	if diff := cmp.Diff(want, o.Resources); diff != "" {
		t.Fatalf("assigned (-want +got):\n%s", diff)
	}
	if events, err := o.AssignResource(welder, t1.Add(time.Hour)); events != nil || err != nil {
		t.Errorf("the same again: %v %v", events, err)
	}
	welder.Quantity = 2
	fold(o, must(o.AssignResource(welder, t1))...)
	if len(o.Resources) != 1 || o.Resources[0].Quantity != 2 {
		t.Errorf("reassigned: %+v", o.Resources)
	}
	_, err := o.AssignResource(AssignWorkOrderResource{ID: "", Type: "MATERIAL", Name: ""}, t1)
	if diff := cmp.Diff([]string{"id", "type", "name"}, fieldsOf(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	fold(o, must(o.ReleaseResource("welder-2"))...)
	if len(o.Resources) != 0 {
		t.Errorf("released: %+v", o.Resources)
	}
	if _, err := o.ReleaseResource("welder-2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("released twice: %v", err)
	}
	var te *TransitionError
	if _, err := workOrderIn(t, WorkOrderStatusCompleted).AssignResource(welder, t1); !errors.As(err, &te) {
		t.Errorf("assigned to a completed order: %v", err)
	}
}

func TestWorkOrderInspections(t *testing.T) {
	check := InspectionCheck{Parameter: "torque", Specification: "5 Nm", Measurement: "5.1 Nm", Result: "PASS"}
	for _, c := range []struct {
		status WorkOrderStatus
		ok     bool
	}{
		{WorkOrderStatusPlanned, false}, {WorkOrderStatusReleased, true}, {WorkOrderStatusInProgress, true},
		{WorkOrderStatusOnHold, true}, {WorkOrderStatusCompleted, true}, {WorkOrderStatusCancelled, false},
	} {
		t.Run(string(c.status), func(t *testing.T) {
			o := workOrderIn(t, c.status)
			events, err := o.Inspect([]InspectionCheck{check}, t1)
			if (err == nil) != c.ok {
				t.Fatalf("err %v, want allowed %v", err, c.ok)
			}
			fold(o, events...)
			if c.ok && (len(o.Inspections) != 1 || o.Inspections[0].InspectedAt != t1) {
				t.Errorf("recorded: %+v", o.Inspections)
			}
		})
	}
	o := workOrderIn(t, WorkOrderStatusInProgress)
	wheel := InspectionCheck{LineID: "2", Parameter: "true", Measurement: "0.2 mm", Result: "PASS"}
	fold(o, must(o.Inspect([]InspectionCheck{wheel}, t1))...)
	if o.Inspections[0].LineID != "2" {
		t.Errorf("a component's check: %+v", o.Inspections)
	}
	_, err := o.Inspect([]InspectionCheck{{LineID: "9", Parameter: "torque", Result: "OK"}}, t1)
	if diff := cmp.Diff([]string{"checks[0].line_id", "checks[0].measurement", "checks[0].result"}, fieldsOf(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if _, err := workOrderIn(t, WorkOrderStatusInProgress).Inspect(nil, t1); !cmp.Equal(fieldsOf(err), []string{"checks"}) {
		t.Errorf("no checks: %v", err)
	}
}

func TestWorkOrderFloorClonesShareNothing(t *testing.T) {
	o := routedWorkOrder(t, WorkOrderStatusInProgress)
	fold(o, must(o.AssignResource(AssignWorkOrderResource{ID: "w", Type: "WORKER", Name: "Tina"}, t1))...)
	cp := o.Clone()
	cp.Operations[0].Status, cp.Resources[0].Name = OperationStatusFailed, "x"
	if o.Operations[0].Status != OperationStatusPending || o.Resources[0].Name != "Tina" {
		t.Error("clone shares memory")
	}
}
