package domain

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, bomGoldens) }

// bomGoldens is one realistic value per bill of materials event type (see goldens).
var bomGoldens = map[string]Event{
	"BillOfMaterialsCreated.v1": BillOfMaterialsCreated{BOMID: "bom_bike", SKU: "BIKE", Name: "City bike", Revision: "A",
		Components: []BOMComponent{{SKU: "FRAME", Quantity: 1}, {SKU: "WHEEL", Quantity: 2}}},
	"BillOfMaterialsUpdated.v1": BillOfMaterialsUpdated{BOMID: "bom_bike", Revision: &Change{From: "A", To: "B"},
		Components: &BOMComponentsChange{From: []BOMComponent{{SKU: "FRAME", Quantity: 1}},
			To: []BOMComponent{{SKU: "FRAME", Quantity: 1}, {SKU: "WHEEL", Quantity: 2}}}},
	"BillOfMaterialsActivated.v1": BillOfMaterialsActivated{BOMID: "bom_bike", SKU: "BIKE"},
	"BillOfMaterialsObsoleted.v1": BillOfMaterialsObsoleted{BOMID: "bom_bike", SKU: "BIKE", From: BOMStatusActive, Reason: "revision B"},
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
