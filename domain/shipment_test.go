package domain

import (
	"errors"
	"maps"
	"testing"
)

func init() { maps.Copy(goldens, shipmentGoldens) }

// shipmentGoldens is one realistic value per shipment event type (see goldens).
var shipmentGoldens = map[string]Event{
	"ShipmentCreated.v1": ShipmentCreated{ShipmentID: "shp_1", OrderID: "o1", WarehouseID: "reno",
		Lines: []ShippedLine{{LineID: "1", SKU: "MUG", Quantity: 2}}, Packages: []Package{{Reference: "BOX-1", WeightGrams: 1200, LengthCM: 30, WidthCM: 20, HeightCM: 10}},
		Carrier: "UPS", TrackingNumber: "1Z999"},
	"ShipmentUpdated.v1": ShipmentUpdated{ShipmentID: "shp_1", OrderID: "o1", TrackingNumber: ptr("1Z999AA10123456785"),
		Packages: &[]Package{{Reference: "BOX-1", WeightGrams: 1200, LengthCM: 30, WidthCM: 20, HeightCM: 10}}},
	"ShipmentShipped.v1": ShipmentShipped{ShipmentID: "shp_1", OrderID: "o1", WarehouseID: "reno",
		Lines: []ShippedLine{{LineID: "1", SKU: "MUG", Quantity: 2}}, Carrier: "UPS", TrackingNumber: "1Z999"},
	"ShipmentDelivered.v1": ShipmentDelivered{ShipmentID: "shp_1", OrderID: "o1"},
	"ShipmentCancelled.v1": ShipmentCancelled{ShipmentID: "shp_1", OrderID: "o1", Reason: "address problem"},
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

func TestShipmentUpdate(t *testing.T) {
	pkgs := &[]Package{{Reference: "BOX-1", WeightGrams: 900}}
	for _, c := range []struct {
		name   string
		status ShipmentStatus
		cmd    UpdateShipment
		err    string
		events int
	}{
		{"tracking once shipped", ShipmentStatusShipped, UpdateShipment{TrackingNumber: ptr("1Z2"), Packages: pkgs}, "", 1},
		{"the same carrier changes nothing", ShipmentStatusCreated, UpdateShipment{Carrier: ptr(shipmentIn(t, ShipmentStatusCreated).Carrier)}, "", 0},
		{"a negative weight", ShipmentStatusCreated, UpdateShipment{Packages: &[]Package{{WeightGrams: -1}}}, "validation", 0},
		{"delivered is done", ShipmentStatusDelivered, UpdateShipment{TrackingNumber: ptr("1Z2")}, "transition", 0},
		{"cancelled is done", ShipmentStatusCancelled, UpdateShipment{TrackingNumber: ptr("1Z2")}, "transition", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := shipmentIn(t, c.status)
			got, err := s.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if len(got) != c.events {
				t.Fatalf("events %v, want %d", got, c.events)
			}
			if fold(s, got...); c.events > 0 && (s.TrackingNumber != "1Z2" || len(s.Packages) != 1 || s.Status != c.status) {
				t.Errorf("after the edit: %+v", s)
			}
		})
	}
}
