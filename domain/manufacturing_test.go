package domain

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, manufacturingGoldens) }

var goldenWOComponents = []WorkOrderComponent{{LineID: "1", SKU: "FRAME", QuantityPer: 1, Required: 10},
	{LineID: "2", SKU: "WHEEL", QuantityPer: 2, Required: 20}}

// manufacturingGoldens is one realistic value per manufacturing event type (see goldens).
var manufacturingGoldens = map[string]Event{
	"BillOfMaterialsCreated.v1": BillOfMaterialsCreated{BOMID: "bom_bike", SKU: "BIKE", Name: "City bike", Revision: "A",
		Components: []BOMComponent{{SKU: "FRAME", Quantity: 1}, {SKU: "WHEEL", Quantity: 2}}},
	"BillOfMaterialsUpdated.v1": BillOfMaterialsUpdated{BOMID: "bom_bike", Revision: &Change{From: "A", To: "B"},
		Components: &BOMComponentsChange{From: []BOMComponent{{SKU: "FRAME", Quantity: 1}},
			To: []BOMComponent{{SKU: "FRAME", Quantity: 1}, {SKU: "WHEEL", Quantity: 2}}}},
	"BillOfMaterialsActivated.v1": BillOfMaterialsActivated{BOMID: "bom_bike", SKU: "BIKE"},
	"BillOfMaterialsObsoleted.v1": BillOfMaterialsObsoleted{BOMID: "bom_bike", SKU: "BIKE", From: BOMStatusActive, Reason: "revision B"},
	"WorkOrderCreated.v1": WorkOrderCreated{WorkOrderID: "wo_1", WorkOrderNumber: "WO-000001", BOMID: "bom_bike", SKU: "BIKE",
		Quantity: 10, LocationID: "main", Priority: "HIGH", DueDate: "2026-03-01", Components: goldenWOComponents},
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

func bom(id, sku string, comps ...BOMComponent) *BillOfMaterials {
	b := &BillOfMaterials{}
	return fold(b, must(b.Create(CreateBOM{BOMID: id, SKU: sku, Components: comps}))...)
}

func activeBOM(id, sku string, comps ...BOMComponent) *BillOfMaterials {
	b := bom(id, sku, comps...)
	return fold(b, must(b.Activate(nil))...)
}

func bomIn(t *testing.T, status BOMStatus) *BillOfMaterials {
	t.Helper()
	b := bom("b1", "BIKE", BOMComponent{SKU: "FRAME", Quantity: 1})
	switch status {
	case BOMStatusActive:
		fold(b, must(b.Activate(nil))...)
	case BOMStatusObsolete:
		fold(b, must(b.Activate(nil))...)
		fold(b, must(b.Obsolete(""))...)
	}
	return b
}

func TestEveryBOMStatusActionPair(t *testing.T) {
	allowed := map[BOMStatus]map[string]BOMStatus{
		BOMStatusDraft:    {"update": BOMStatusDraft, "activate": BOMStatusActive, "obsolete": BOMStatusObsolete},
		BOMStatusActive:   {"obsolete": BOMStatusObsolete},
		BOMStatusObsolete: {},
	}
	for _, from := range BOMStatuses {
		for _, action := range append([]string{"update"}, BOMActions...) {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				b := bomIn(t, from)
				var events []Event
				var err error
				if action == "update" {
					events, err = b.Update(UpdateBOM{Name: ptr("new name")})
				} else {
					events, err = b.Act(action, "why", nil)
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
				if got := fold(b, events...).Status; got != want {
					t.Fatalf("%s -> %s, want %s", from, got, want)
				}
			})
		}
	}
}

func TestBOMRefusesCycles(t *testing.T) {
	// BIKE -> WHEEL -> SPOKE; a SPOKE BOM containing BIKE closes the loop
	wheel := activeBOM("b_wheel", "WHEEL", BOMComponent{SKU: "SPOKE", Quantity: 32}, BOMComponent{SKU: "RIM", Quantity: 1})
	bike := activeBOM("b_bike", "BIKE", BOMComponent{SKU: "WHEEL", Quantity: 2}, BOMComponent{SKU: "FRAME", Quantity: 1})
	active := ActiveBOMs{"WHEEL": wheel, "BIKE": bike}

	spoke := bom("b_spoke", "SPOKE", BOMComponent{SKU: "WIRE", Quantity: 1})
	if _, err := spoke.Update(UpdateBOM{Components: &[]BOMComponent{{SKU: "BIKE", Quantity: 1}}, Subassemblies: active}); !cycleIn(err, "SPOKE -> BIKE -> WHEEL -> SPOKE") {
		t.Errorf("edit closing a cycle: %v", err)
	}
	_, err := (&BillOfMaterials{}).Create(CreateBOM{BOMID: "b2", SKU: "SPOKE", Components: []BOMComponent{{SKU: "BIKE", Quantity: 1}},
		Subassemblies: active})
	if !cycleIn(err, "SPOKE -> BIKE -> WHEEL -> SPOKE") {
		t.Errorf("create closing a cycle: %v", err)
	}
	// a draft made before the loop existed is refused at activation
	loop := bom("b3", "SPOKE", BOMComponent{SKU: "BIKE", Quantity: 1})
	if _, err := loop.Activate(active); !cycleIn(err, "SPOKE -> BIKE -> WHEEL -> SPOKE") {
		t.Errorf("activation closing a cycle: %v", err)
	}
	if _, err := (&BillOfMaterials{}).Create(CreateBOM{BOMID: "b4", SKU: "X", Components: []BOMComponent{{SKU: "X", Quantity: 1}}}); !hasFields(err, "components[0].sku") {
		t.Errorf("self reference: %v", err)
	}
	// sharing a component between branches is no cycle
	if cyc := BOMCycle("CART", []BOMComponent{{SKU: "WHEEL", Quantity: 4}, {SKU: "SPOKE", Quantity: 8}}, active); cyc != nil {
		t.Errorf("shared component reported as cycle %v", cyc)
	}
	// an explosion meeting a cycle (activated concurrently) says so instead of looping
	looped := ActiveBOMs{"A": activeBOM("ba", "A", BOMComponent{SKU: "B", Quantity: 1}), "B": activeBOM("bb", "B", BOMComponent{SKU: "A", Quantity: 1})}
	if _, err := Explode(looped["A"], 1, looped); !cycleIn(err, "A -> B -> A") {
		t.Errorf("explode of a cycle: %v", err)
	}
}

func cycleIn(err error, path string) bool {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Field == "components" && strings.Contains(f.Issue, path) {
			return true
		}
	}
	return false
}

func TestExplodeMultipliesAndSumsSharedLeaves(t *testing.T) {
	// TABLE (3 levels): 1 TOP + 4 LEG; TOP = 2 BOARD + 8 SCREW; LEG = 1 POST + 2 SCREW
	active := ActiveBOMs{
		"TOP": activeBOM("b_top", "TOP", BOMComponent{SKU: "BOARD", Quantity: 2}, BOMComponent{SKU: "SCREW", Quantity: 8}),
		"LEG": activeBOM("b_leg", "LEG", BOMComponent{SKU: "POST", Quantity: 1}, BOMComponent{SKU: "SCREW", Quantity: 2}),
	}
	table := bom("b_table", "TABLE", BOMComponent{SKU: "TOP", Quantity: 1}, BOMComponent{SKU: "LEG", Quantity: 4})
	x, err := Explode(table, 3, active)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Cost(map[string]int64{"BOARD": 1500, "SCREW": 5, "POST": 400}); err != nil {
		t.Fatal(err)
	}
	want := []BOMLeaf{
		{SKU: "BOARD", Quantity: 6, UnitCost: 1500, Cost: 9000},
		{SKU: "POST", Quantity: 12, UnitCost: 400, Cost: 4800},
		{SKU: "SCREW", Quantity: 3*8 + 3*4*2, UnitCost: 5, Cost: 5 * 48},
	}
	if diff := cmp.Diff(want, x.Leaves); diff != "" {
		t.Errorf("leaves (-want +got):\n%s", diff)
	}
	if x.TotalCost != 9000+4800+240 {
		t.Errorf("total cost %d", x.TotalCost)
	}
	if leg := x.Tree.Components[1]; leg.SKU != "LEG" || leg.Quantity != 12 || leg.BOMID != "b_leg" || leg.Components[1].Quantity != 24 {
		t.Errorf("tree: %+v", x.Tree)
	}
	if _, err := Explode(table, 0, active); !hasFields(err, "quantity") {
		t.Errorf("quantity 0: %v", err)
	}
	big := ActiveBOMs{"TOP": activeBOM("b_top", "TOP", BOMComponent{SKU: "SCREW", Quantity: 1_000_000})}
	if _, err := Explode(bom("b", "T", BOMComponent{SKU: "TOP", Quantity: 1_000_000}), 1_000_000, big); !hasFields(err, "quantity") {
		t.Errorf("overflowing quantity: %v", err)
	}
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
