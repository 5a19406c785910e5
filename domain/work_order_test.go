package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, workOrderGoldens) }

var goldenWOComponents = []WorkOrderComponent{{LineID: "1", SKU: "FRAME", QuantityPer: 1, Required: 10},
	{LineID: "2", SKU: "WHEEL", QuantityPer: 2, Required: 20}}

// workOrderGoldens is one realistic value per work order event type (see goldens).
var workOrderGoldens = map[string]Event{
	"WorkOrderCreated.v1": WorkOrderCreated{WorkOrderID: "wo_1", WorkOrderNumber: "WO-000001", BOMID: "bom_bike", SKU: "BIKE",
		Quantity: 10, LocationID: "main", Priority: "HIGH", DueDate: "2026-03-01", Components: goldenWOComponents},
	"WorkOrderUpdated.v1":  WorkOrderUpdated{WorkOrderID: "wo_1", Priority: ptr("URGENT"), Assignee: ptr("tina@plant")},
	"WorkOrderReleased.v1": WorkOrderReleased{WorkOrderID: "wo_1", SKU: "BIKE", LocationID: "main", Components: goldenWOComponents},
	"WorkOrderStarted.v1":  WorkOrderStarted{WorkOrderID: "wo_1"},
	"WorkOrderHeld.v1":     WorkOrderHeld{WorkOrderID: "wo_1", From: WorkOrderStatusInProgress, Reason: "line down"},
	"WorkOrderResumed.v1":  WorkOrderResumed{WorkOrderID: "wo_1", To: WorkOrderStatusInProgress, Reason: "fixed"},
	"WorkOrderProductionRecorded.v1": WorkOrderProductionRecorded{WorkOrderID: "wo_1", SKU: "BIKE", LocationID: "main",
		QuantityProduced: 3, ScrapQuantity: 1, Components: []ComponentUse{{LineID: "1", SKU: "FRAME", Consumed: 3, Scrapped: 1},
			{LineID: "2", SKU: "WHEEL", Consumed: 6, Scrapped: 2}}, TotalProduced: 3, TotalScrapped: 1},
	"WorkOrderCompleted.v1": WorkOrderCompleted{WorkOrderID: "wo_1", SKU: "BIKE", QuantityProduced: 9, ScrapQuantity: 1},
	"WorkOrderCancelled.v1": WorkOrderCancelled{WorkOrderID: "wo_1", From: WorkOrderStatusReleased, Reason: "order lost",
		LocationID: "main", StockHeld: true, Components: goldenWOComponents},
}

func newWorkOrder(t *testing.T) *WorkOrder {
	t.Helper()
	b := activeBOM("b_bike", "BIKE", BOMComponent{SKU: "FRAME", Quantity: 1}, BOMComponent{SKU: "WHEEL", Quantity: 2})
	o := &WorkOrder{}
	return fold(o, must(o.Create(CreateWorkOrder{WorkOrderID: "wo1", WorkOrderNumber: "WO-000001", BOM: b, Quantity: 10, LocationID: "main"}))...)
}

var plenty = map[string]int64{"FRAME": 100, "WHEEL": 100}

// workOrderIn drives a new work order to status along allowed actions.
func workOrderIn(t *testing.T, status WorkOrderStatus) *WorkOrder {
	t.Helper()
	o := newWorkOrder(t)
	act := func(action string) { fold(o, must(o.Act(action, ""))...) }
	switch status {
	case WorkOrderStatusPlanned:
	case WorkOrderStatusReleased:
		fold(o, must(o.Release(plenty))...)
	case WorkOrderStatusInProgress, WorkOrderStatusCompleted:
		fold(o, must(o.Release(plenty))...)
		act("start")
		if status == WorkOrderStatusCompleted {
			fold(o, must(o.Complete(CompleteWorkOrder{}))...)
		}
	case WorkOrderStatusOnHold:
		fold(o, must(o.Release(plenty))...)
		act("start")
		act("hold")
	case WorkOrderStatusCancelled:
		act("cancel")
	}
	if o.Status != status {
		t.Fatalf("set-up reached %s, want %s", o.Status, status)
	}
	return o
}

func TestEveryWorkOrderStatusActionPair(t *testing.T) {
	allowed := map[WorkOrderStatus]map[string]WorkOrderStatus{
		WorkOrderStatusPlanned:    {"release": WorkOrderStatusReleased, "hold": WorkOrderStatusOnHold, "cancel": WorkOrderStatusCancelled},
		WorkOrderStatusReleased:   {"start": WorkOrderStatusInProgress, "hold": WorkOrderStatusOnHold, "cancel": WorkOrderStatusCancelled},
		WorkOrderStatusInProgress: {"complete": WorkOrderStatusCompleted, "hold": WorkOrderStatusOnHold, "cancel": WorkOrderStatusCancelled},
		WorkOrderStatusOnHold:     {"resume": WorkOrderStatusInProgress, "cancel": WorkOrderStatusCancelled},
		WorkOrderStatusCompleted:  {},
		WorkOrderStatusCancelled:  {},
	}
	for _, from := range WorkOrderStatuses {
		for _, action := range WorkOrderActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				o := workOrderIn(t, from)
				var events []Event
				var err error
				switch action {
				case "release":
					events, err = o.Release(plenty)
				case "complete":
					events, err = o.Complete(CompleteWorkOrder{})
				default:
					events, err = o.Act(action, "why")
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action || events != nil {
						t.Fatalf("got %v, %v; want a TransitionError naming %s and %s", events, err, from, action)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := fold(o, events...).Status; got != want {
					t.Fatalf("%s -> %s, want %s", from, got, want)
				}
			})
		}
	}
}

func TestWorkOrderReleaseListsEveryShortage(t *testing.T) {
	o := workOrderIn(t, WorkOrderStatusPlanned)
	events, err := o.Release(map[string]int64{"FRAME": 9})
	var ise *InsufficientStockError
	if !errors.As(err, &ise) || events != nil {
		t.Fatalf("got %v %v", events, err)
	}
	want := []Shortage{{SKU: "FRAME", LocationID: "main", Requested: 10, Available: 9}, {SKU: "WHEEL", LocationID: "main", Requested: 20}}
	if diff := cmp.Diff(want, ise.Shortages); diff != "" {
		t.Errorf("shortages (-want +got):\n%s", diff)
	}
	if !fold(o, must(o.Release(map[string]int64{"FRAME": 10, "WHEEL": 20}))...).StockHeld {
		t.Error("a released order holds no stock")
	}
}

func TestWorkOrderPartialCompletion(t *testing.T) {
	o := workOrderIn(t, WorkOrderStatusInProgress)
	events := must(o.Complete(CompleteWorkOrder{QuantityProduced: 3, ScrapQuantity: 1}))
	want := []Event{WorkOrderProductionRecorded{WorkOrderID: "wo1", SKU: "BIKE", LocationID: "main", QuantityProduced: 3, ScrapQuantity: 1,
		Components:    []ComponentUse{{LineID: "1", SKU: "FRAME", Consumed: 3, Scrapped: 1}, {LineID: "2", SKU: "WHEEL", Consumed: 6, Scrapped: 2}},
		TotalProduced: 3, TotalScrapped: 1}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Fatalf("partial (-want +got):\n%s", diff)
	}
	if fold(o, events...); o.Status != WorkOrderStatusInProgress || o.Remaining() != 6 {
		t.Fatalf("after a partial completion: %s, %d remaining", o.Status, o.Remaining())
	}
	if _, err := o.Complete(CompleteWorkOrder{QuantityProduced: 6, ScrapQuantity: 1}); !hasFields(err, "quantity_produced") {
		t.Fatalf("over-completion: %v", err)
	}
	if _, err := o.Complete(CompleteWorkOrder{QuantityProduced: -1, ScrapQuantity: -1}); !hasFields(err, "quantity_produced", "scrap_quantity") {
		t.Fatalf("negative completion: %v", err)
	}
	events = must(o.Complete(CompleteWorkOrder{}))
	if len(events) != 2 || events[1] != (WorkOrderCompleted{WorkOrderID: "wo1", SKU: "BIKE", QuantityProduced: 9, ScrapQuantity: 1}) {
		t.Fatalf("completing the rest: %v", events)
	}
	if fold(o, events...); o.Status != WorkOrderStatusCompleted || o.StockHeld {
		t.Fatalf("after completion: %s held=%v", o.Status, o.StockHeld)
	}
}

func TestWorkOrderNeedsAnActiveBOM(t *testing.T) {
	draft := bom("b1", "BIKE", BOMComponent{SKU: "FRAME", Quantity: 1})
	_, err := (&WorkOrder{}).Create(CreateWorkOrder{WorkOrderID: "w", WorkOrderNumber: "WO-1", BOM: draft, Quantity: 0,
		LocationID: "main", Priority: "SOON", DueDate: "tomorrow"})
	if !hasFields(err, "bom_id", "quantity", "priority", "due_date") {
		t.Fatalf("got %v", err)
	}
	held := workOrderIn(t, WorkOrderStatusOnHold)
	if ev := must(held.Act("cancel", "")); !ev[0].(WorkOrderCancelled).StockHeld {
		t.Error("cancelling a held, released order does not release its stock")
	}
	if ev := must(workOrderIn(t, WorkOrderStatusPlanned).Act("cancel", "")); ev[0].(WorkOrderCancelled).StockHeld {
		t.Error("cancelling a planned order releases stock it never held")
	}
}

func TestManufacturingClonesShareNothing(t *testing.T) {
	b := activeBOM("b", "BIKE", BOMComponent{SKU: "FRAME", Quantity: 1})
	b.Clone().Components[0].Quantity = 9
	o := newWorkOrder(t)
	o.Clone().Components[0].Required = 99
	if b.Components[0].Quantity != 1 || o.Components[0].Required != 10 {
		t.Error("clone shares memory")
	}
}

func TestWorkOrderUpdate(t *testing.T) {
	for _, c := range []struct {
		name   string
		status WorkOrderStatus
		cmd    UpdateWorkOrder
		want   []Event
		err    string
	}{
		{"priority and assignee while in progress", WorkOrderStatusInProgress, UpdateWorkOrder{Priority: ptr("URGENT"), Assignee: ptr("tina")},
			[]Event{WorkOrderUpdated{WorkOrderID: "wo1", Priority: ptr("URGENT"), Assignee: ptr("tina")}}, ""},
		{"a due date while planned", WorkOrderStatusPlanned, UpdateWorkOrder{DueDate: ptr("2026-05-01")},
			[]Event{WorkOrderUpdated{WorkOrderID: "wo1", DueDate: ptr("2026-05-01")}}, ""},
		{"an unknown priority", WorkOrderStatusPlanned, UpdateWorkOrder{Priority: ptr("SOON")}, nil, "validation"},
		{"a bad due date", WorkOrderStatusPlanned, UpdateWorkOrder{DueDate: ptr("tomorrow")}, nil, "validation"},
		{"completed is done", WorkOrderStatusCompleted, UpdateWorkOrder{Notes: ptr("x")}, nil, "transition"},
		{"cancelled is done", WorkOrderStatusCancelled, UpdateWorkOrder{Notes: ptr("x")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := workOrderIn(t, c.status)
			got, err := o.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			fold(o, got...)
			if c.cmd.Assignee != nil && c.err == "" && (o.Assignee != "tina" || o.Priority != "URGENT") {
				t.Errorf("after the edit: %+v", o)
			}
		})
	}
}
