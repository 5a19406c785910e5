package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, warehouseGoldens) }

// warehouseGoldens is one realistic value per warehouse operations event type (see goldens).
var warehouseGoldens = map[string]Event{
	"WarehouseCreated.v1": WarehouseCreated{WarehouseID: "reno", Code: "RNO", Name: "Reno DC",
		Address: &Address{ID: "adr_w1", Type: "PRIMARY", Street1: "1 Logistics Way", City: "Reno", State: "NV", PostalCode: "89502", Country: "US"},
		Bins:    []string{"A-01", "A-02"}},
	"WarehouseUpdated.v1": WarehouseUpdated{WarehouseID: "reno", Name: &Change{From: "Reno DC", To: "Reno West"},
		Bins: &IDsChange{From: []string{"A-01", "A-02"}, To: []string{"A-01", "A-02", "B-01"}}},
	"WarehouseStatusChanged.v1": WarehouseStatusChanged{WarehouseID: "reno", From: WarehouseStatusActive, To: WarehouseStatusInactive,
		Action: "deactivate", Reason: "lease ended"},
	"PickListCreated.v1": PickListCreated{PickListID: "pk_1", WarehouseID: "reno", OrderIDs: []string{"o1", "o2"},
		Lines: []PickLine{{OrderID: "o1", LineID: "1", SKU: "MUG", Quantity: 2}, {OrderID: "o2", LineID: "1", SKU: "TEE", Quantity: 1}}},
	"PickListStarted.v1":   PickListStarted{PickListID: "pk_1", WarehouseID: "reno", OrderIDs: []string{"o1", "o2"}},
	"PickListCompleted.v1": PickListCompleted{PickListID: "pk_1", Lines: []PickedLine{{OrderID: "o1", LineID: "1", Picked: 2}, {OrderID: "o2", LineID: "1", Picked: 0}}},
	"PickListCancelled.v1": PickListCancelled{PickListID: "pk_1", From: PickListStatusInProgress, Reason: "picker reassigned"},
	"ShipmentCreated.v1": ShipmentCreated{ShipmentID: "shp_1", OrderID: "o1", WarehouseID: "reno",
		Lines: []ShippedLine{{LineID: "1", SKU: "MUG", Quantity: 2}}, Packages: []Package{{Reference: "BOX-1", WeightGrams: 1200, LengthCM: 30, WidthCM: 20, HeightCM: 10}},
		Carrier: "UPS", TrackingNumber: "1Z999"},
	"ShipmentShipped.v1": ShipmentShipped{ShipmentID: "shp_1", OrderID: "o1", WarehouseID: "reno",
		Lines: []ShippedLine{{LineID: "1", SKU: "MUG", Quantity: 2}}, Carrier: "UPS", TrackingNumber: "1Z999"},
	"ShipmentDelivered.v1": ShipmentDelivered{ShipmentID: "shp_1", OrderID: "o1"},
	"ShipmentCancelled.v1": ShipmentCancelled{ShipmentID: "shp_1", OrderID: "o1", Reason: "address problem"},
	"TransferCreated.v1": TransferCreated{TransferID: "tr_1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 5}}},
	"TransferShipped.v1": TransferShipped{TransferMoved{TransferID: "tr_1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 5}}}},
	"TransferReceived.v1": TransferReceived{TransferMoved{TransferID: "tr_1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 5}}}},
	"TransferCancelled.v1":   TransferCancelled{TransferID: "tr_1", Reason: "not needed"},
	"CycleCountCreated.v1":   CycleCountCreated{CycleCountID: "cc_1", WarehouseID: "reno", SKUs: []string{"MUG", "TEE"}},
	"CycleCountStarted.v1":   CycleCountStarted{CycleCountID: "cc_1"},
	"CycleCountSubmitted.v1": CycleCountSubmitted{CycleCountID: "cc_1", Counts: []CountLine{{SKU: "MUG", Counted: 9}, {SKU: "TEE", Counted: 4}}},
	"CycleCountReconciled.v1": CycleCountReconciled{CycleCountID: "cc_1", WarehouseID: "reno", Variances: []CountVariance{
		{SKU: "MUG", ItemID: "inv_0a1b2c", OnHand: 10, Counted: 9, Variance: -1},
		{SKU: "TEE", ItemID: "inv_3d4e5f", OnHand: 4, Counted: 4, Variance: 0}}},
	"CycleCountCancelled.v1": CycleCountCancelled{CycleCountID: "cc_1", From: CycleCountStatusCounted, Reason: "recount"},
}

// walk checks every (status, action) pair of one state machine: an allowed action yields
// events that fold to want; any other is a TransitionError naming both, with no events,
// and no decision mutates the aggregate.
func walk[S ~string, A interface {
	Aggregate
	Clone() A
}](t *testing.T, statuses []S, actions []string, allowed map[S]map[string]S,
	in func(*testing.T, S) A, status func(A) S, do func(A, string) ([]Event, error)) {
	t.Helper()
	for _, from := range statuses {
		for _, action := range actions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				a := in(t, from)
				if status(a) != from {
					t.Fatalf("setup folded to %s", status(a))
				}
				before := a.Clone()
				events, err := do(a, action)
				if diff := cmp.Diff(before, a); diff != "" {
					t.Fatalf("decide mutated the aggregate:\n%s", diff)
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action {
						t.Fatalf("got %v, %v; want a TransitionError naming %s and %s", events, err, from, action)
					}
					if events != nil {
						t.Fatalf("refused action returned events %v", events)
					}
					return
				}
				if err != nil || len(events) == 0 {
					t.Fatalf("allowed action gave %v, %v", events, err)
				}
				fold(a, events...)
				if status(a) != want {
					t.Fatalf("folded to %s, want %s", status(a), want)
				}
			})
		}
	}
}

func TestEveryWarehouseStatusActionPair(t *testing.T) {
	allowed := map[WarehouseStatus]map[string]WarehouseStatus{
		WarehouseStatusActive:   {"update": WarehouseStatusActive, "deactivate": WarehouseStatusInactive},
		WarehouseStatusInactive: {"update": WarehouseStatusInactive, "activate": WarehouseStatusActive},
	}
	walk(t, WarehouseStatuses, append([]string{"update"}, WarehouseActions...), allowed,
		func(t *testing.T, s WarehouseStatus) *Warehouse {
			w := fold(&Warehouse{}, WarehouseCreated{WarehouseID: "w1", Code: "W1", Name: "One"})
			if s == WarehouseStatusInactive {
				fold(w, WarehouseStatusChanged{WarehouseID: "w1", From: WarehouseStatusActive, To: WarehouseStatusInactive})
			}
			return w
		},
		func(w *Warehouse) WarehouseStatus { return w.Status },
		func(w *Warehouse, action string) ([]Event, error) {
			if action == "update" {
				return w.Update(UpdateWarehouse{Name: ptr("Renamed")})
			}
			return w.Act(action, "")
		})
}

func pickListIn(t *testing.T, s PickListStatus) *PickList {
	t.Helper()
	events, err := (&PickList{}).Create(CreatePickList{PickListID: "pk1", WarehouseID: "main", OrderIDs: []string{"o1"},
		Lines: []PickLine{{OrderID: "o1", LineID: "1", SKU: "MUG", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	p := fold(&PickList{}, events...)
	path := map[PickListStatus][]Event{
		PickListStatusInProgress: {PickListStarted{}},
		PickListStatusCompleted:  {PickListStarted{}, PickListCompleted{}},
		PickListStatusCancelled:  {PickListCancelled{}},
	}
	return fold(p, path[s]...)
}

func TestEveryPickListStatusActionPair(t *testing.T) {
	allowed := map[PickListStatus]map[string]PickListStatus{
		PickListStatusCreated:    {"start": PickListStatusInProgress, "cancel": PickListStatusCancelled},
		PickListStatusInProgress: {"complete": PickListStatusCompleted, "cancel": PickListStatusCancelled},
	}
	walk(t, PickListStatuses, PickListActions, allowed, pickListIn,
		func(p *PickList) PickListStatus { return p.Status },
		func(p *PickList, action string) ([]Event, error) { return p.Act(action, "") })
}

func TestPickListCompletion(t *testing.T) {
	p := pickListIn(t, PickListStatusInProgress)
	if _, err := p.Complete([]PickedLine{{OrderID: "o1", LineID: "1", Picked: 3}}); err == nil {
		t.Fatal("picked more than the line holds")
	}
	if _, err := p.Complete([]PickedLine{{OrderID: "o2", LineID: "1", Picked: 1}}); err == nil {
		t.Fatal("picked a line the list does not have")
	}
	events, err := p.Complete([]PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fold(p, events...).Lines[0].Picked; got != 1 {
		t.Fatalf("picked %d", got)
	}
	all, _ := pickListIn(t, PickListStatusInProgress).Complete(nil)
	if got := all[0].(PickListCompleted).Lines[0].Picked; got != 2 {
		t.Fatalf("no lines given picked %d, want all 2", got)
	}
	if _, err := (&PickList{}).Create(CreatePickList{PickListID: "pk2", WarehouseID: "main", OrderIDs: []string{"o1"}}); err == nil {
		t.Fatal("an empty pick list was created")
	}
}

func confirmedOrder() *Order {
	o := fold(&Order{}, OrderCreated{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main", Status: OrderStatusPending,
		Items: []OrderLine{{ID: "1", SKU: "MUG", Quantity: 2, UnitPrice: 100, Total: 200}, {ID: "2", SKU: "TEE", Quantity: 1}}})
	return fold(o, OrderConfirmed{OrderStatusChange: OrderStatusChange{OrderID: "o1", From: OrderStatusPending, To: OrderStatusConfirmed}},
		OrderLinesAllocated{OrderID: "o1", Lines: []LineAllocation{{LineID: "1", Reserved: 2, AsOf: 1}, {LineID: "2", Reserved: 1, AsOf: 1}}})
}

func shipmentIn(t *testing.T, s ShipmentStatus) *Shipment {
	t.Helper()
	events, err := (&Shipment{}).Create(CreateShipment{ShipmentID: "s1", Order: confirmedOrder(), Carrier: "UPS"})
	if err != nil {
		t.Fatal(err)
	}
	sh := fold(&Shipment{}, events...)
	path := map[ShipmentStatus][]Event{
		ShipmentStatusShipped:   {ShipmentShipped{}},
		ShipmentStatusDelivered: {ShipmentShipped{}, ShipmentDelivered{}},
		ShipmentStatusCancelled: {ShipmentCancelled{}},
	}
	return fold(sh, path[s]...)
}

func TestEveryShipmentStatusActionPair(t *testing.T) {
	allowed := map[ShipmentStatus]map[string]ShipmentStatus{
		ShipmentStatusCreated: {"ship": ShipmentStatusShipped, "cancel": ShipmentStatusCancelled},
		ShipmentStatusShipped: {"deliver": ShipmentStatusDelivered},
	}
	walk(t, ShipmentStatuses, ShipmentActions, allowed, shipmentIn,
		func(s *Shipment) ShipmentStatus { return s.Status },
		func(s *Shipment, action string) ([]Event, error) { return s.Act(action, "") })
}

func TestShipmentCreationAndTheOrdersShipOnce(t *testing.T) {
	o := confirmedOrder()
	if _, err := (&Shipment{}).Create(CreateShipment{ShipmentID: "s1", Order: o, Lines: []ShipLine{{LineID: "1", Quantity: 3}}}); err == nil {
		t.Fatal("a shipment of more than the line was created")
	}
	if _, err := (&Shipment{}).Create(CreateShipment{ShipmentID: "s1", Order: o, Lines: []ShipLine{{LineID: "9", Quantity: 1}}}); err == nil {
		t.Fatal("a shipment of an unknown line was created")
	}
	draft := fold(&Order{}, OrderCreated{OrderID: "o2", Status: OrderStatusDraft, Items: []OrderLine{{ID: "1", SKU: "MUG", Quantity: 1}}})
	var te *TransitionError
	if _, err := (&Shipment{}).Create(CreateShipment{ShipmentID: "s2", Order: draft}); !errors.As(err, &te) {
		t.Fatalf("shipment of a draft: %v", err)
	}
	events, err := (&Shipment{}).Create(CreateShipment{ShipmentID: "s1", Order: o, Lines: []ShipLine{{LineID: "1", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	s := fold(&Shipment{}, events...)
	shipped, err := o.Ship(s.ShipOrderCommand())
	if err != nil || len(shipped) != 1 || shipped[0].(OrderShipped).ShipmentID != "s1" {
		t.Fatalf("ship: %v %v", shipped, err)
	}
	fold(o, shipped...)
	if o.Status != OrderStatusPartiallyShipped {
		t.Fatalf("order %s", o.Status)
	}
	if again, err := o.Ship(s.ShipOrderCommand()); err != nil || again != nil {
		t.Fatalf("shipping the same shipment again: %v %v", again, err)
	}
}

func transferIn(t *testing.T, s TransferStatus) *Transfer {
	t.Helper()
	events, err := (&Transfer{}).Create(CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	tr := fold(&Transfer{}, events...)
	path := map[TransferStatus][]Event{
		TransferStatusInTransit: {TransferShipped{}},
		TransferStatusReceived:  {TransferShipped{}, TransferReceived{}},
		TransferStatusCancelled: {TransferCancelled{}},
	}
	return fold(tr, path[s]...)
}

func TestEveryTransferStatusActionPair(t *testing.T) {
	allowed := map[TransferStatus]map[string]TransferStatus{
		TransferStatusCreated:   {"ship": TransferStatusInTransit, "cancel": TransferStatusCancelled},
		TransferStatusInTransit: {"receive": TransferStatusReceived},
	}
	walk(t, TransferStatuses, TransferActions, allowed, transferIn,
		func(tr *Transfer) TransferStatus { return tr.Status },
		func(tr *Transfer, action string) ([]Event, error) { return tr.Act(action, "") })
}

func TestCreateTransferListsEveryBadField(t *testing.T) {
	_, err := (&Transfer{}).Create(CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "main",
		Items: []TransferItem{{SKU: "MUG", Quantity: 0}, {SKU: "MUG", Quantity: 1}}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	if diff := cmp.Diff([]string{"to_location_id", "items[0].quantity", "items[1].sku"}, fields); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
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
