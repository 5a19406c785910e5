package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, cycleCountGoldens) }

// cycleCountGoldens is one realistic value per cycle count event type (see goldens).
var cycleCountGoldens = map[string]Event{
	"CycleCountCreated.v1":   CycleCountCreated{CycleCountID: "cc_1", WarehouseID: "reno", SKUs: []string{"MUG", "TEE"}},
	"CycleCountUpdated.v1":   CycleCountUpdated{CycleCountID: "cc_1", Scheduled: ptr("2026-03-02")},
	"CycleCountStarted.v1":   CycleCountStarted{CycleCountID: "cc_1"},
	"CycleCountSubmitted.v1": CycleCountSubmitted{CycleCountID: "cc_1", Counts: []CountLine{{SKU: "MUG", Counted: 9}, {SKU: "TEE", Counted: 4}}},
	"CycleCountReconciled.v1": CycleCountReconciled{CycleCountID: "cc_1", WarehouseID: "reno", Variances: []CountVariance{
		{SKU: "MUG", ItemID: "inv_0a1b2c", OnHand: 10, Counted: 9, Variance: -1},
		{SKU: "TEE", ItemID: "inv_3d4e5f", OnHand: 4, Counted: 4, Variance: 0}}},
	"CycleCountCancelled.v1": CycleCountCancelled{CycleCountID: "cc_1", From: CycleCountStatusCounted, Reason: "recount"},
}

func cycleCountIn(t *testing.T, s CycleCountStatus) *CycleCount {
	t.Helper()
	events, err := (&CycleCount{}).Create(CreateCycleCount{CycleCountID: "cc1", WarehouseID: "main", SKUs: []string{"MUG"}})
	if err != nil {
		t.Fatal(err)
	}
	c := fold(&CycleCount{}, events...)
	submitted := CycleCountSubmitted{CycleCountID: "cc1", Counts: []CountLine{{SKU: "MUG", Counted: 4}}}
	path := map[CycleCountStatus][]Event{
		CycleCountStatusInProgress: {CycleCountStarted{}},
		CycleCountStatusCounted:    {CycleCountStarted{}, submitted},
		CycleCountStatusReconciled: {CycleCountStarted{}, submitted, CycleCountReconciled{}},
		CycleCountStatusCancelled:  {CycleCountCancelled{}},
	}
	return fold(c, path[s]...)
}

func TestEveryCycleCountStatusActionPair(t *testing.T) {
	allowed := map[CycleCountStatus]map[string]CycleCountStatus{
		CycleCountStatusCreated:    {"start": CycleCountStatusInProgress, "cancel": CycleCountStatusCancelled},
		CycleCountStatusInProgress: {"submit": CycleCountStatusCounted, "cancel": CycleCountStatusCancelled},
		CycleCountStatusCounted:    {"reconcile": CycleCountStatusReconciled, "cancel": CycleCountStatusCancelled},
	}
	item := fold(&InventoryItem{}, InventoryItemCreated{ItemID: InventoryItemID("MUG", "main"), SKU: "MUG", LocationID: "main"})
	walk(t, CycleCountStatuses, CycleCountActions, allowed, cycleCountIn,
		func(c *CycleCount) CycleCountStatus { return c.Status },
		func(c *CycleCount, action string) ([]Event, error) {
			switch action {
			case "submit":
				return c.Submit([]CountLine{{SKU: "MUG", Counted: 4}})
			case "reconcile":
				return c.Reconcile(map[string]*InventoryItem{"MUG": item})
			}
			return c.Act(action, "")
		})
}

func TestCycleCountVariancesAndReservedStock(t *testing.T) {
	c := cycleCountIn(t, CycleCountStatusInProgress)
	if _, err := c.Submit([]CountLine{{SKU: "TEE", Counted: 1}}); err == nil {
		t.Fatal("counts of another SKU, missing MUG, were accepted")
	}
	c = cycleCountIn(t, CycleCountStatusCounted) // counted 4
	onHand := func(n, reserved int64) *InventoryItem {
		it := fold(&InventoryItem{}, InventoryItemCreated{ItemID: "inv_m", SKU: "MUG", LocationID: "main"})
		return fold(it, InventoryAdjusted{StockMovement: StockMovement{ItemID: "inv_m", OnHand: n, Reserved: reserved}})
	}
	events, err := c.Reconcile(map[string]*InventoryItem{"MUG": onHand(6, 1)})
	if err != nil {
		t.Fatal(err)
	}
	want := []CountVariance{{SKU: "MUG", ItemID: "inv_m", OnHand: 6, Counted: 4, Variance: -2}}
	if diff := cmp.Diff(want, events[0].(CycleCountReconciled).Variances); diff != "" {
		t.Fatalf("variances (-want +got):\n%s", diff)
	}
	var short *InsufficientStockError
	if _, err := c.Reconcile(map[string]*InventoryItem{"MUG": onHand(6, 5)}); !errors.As(err, &short) ||
		short.Shortages[0].Requested != 5 || short.Shortages[0].Available != 4 {
		t.Fatalf("a count below reserved: %v", err)
	}
}

func TestCycleCountUpdate(t *testing.T) {
	for _, c := range []struct {
		name   string
		status CycleCountStatus
		date   string
		err    string
		events int
	}{
		{"rescheduled", CycleCountStatusCreated, "2026-03-02", "", 1},
		{"rescheduled while counting", CycleCountStatusInProgress, "2026-03-02T08:00:00Z", "", 1},
		{"not a date", CycleCountStatusCreated, "monday", "validation", 0},
		{"counted", CycleCountStatusCounted, "2026-03-02", "transition", 0},
		{"cancelled", CycleCountStatusCancelled, "2026-03-02", "transition", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			cc := cycleCountIn(t, c.status)
			got, err := cc.Update(UpdateCycleCount{Scheduled: &c.date})
			checkEditErr(t, err, c.err)
			if len(got) != c.events {
				t.Fatalf("events %v, want %d", got, c.events)
			}
			if fold(cc, got...); c.events > 0 && cc.Scheduled != c.date {
				t.Errorf("after the edit: %+v", cc)
			}
			if again, _ := cc.Update(UpdateCycleCount{Scheduled: &c.date}); c.events > 0 && len(again) != 0 {
				t.Errorf("the same date again: %v", again)
			}
		})
	}
}
