package domain

import (
	"errors"
	"maps"
	"testing"
)

func init() { maps.Copy(goldens, orderGoldens) }

var (
	goldenLine   = OrderLine{ID: "1", SKU: "SKU-1", Name: "Mug", Quantity: 2, UnitPrice: 1250, Total: 2500}
	goldenChange = OrderStatusChange{OrderID: "ord_1", From: OrderStatusPending, To: OrderStatusConfirmed, Reason: "ok"}
)

var orderGoldens = map[string]Event{
	"OrderCreated.v1": OrderCreated{OrderID: "ord_1", OrderNumber: "ORD-000001", CustomerID: "cus_1", Currency: "USD",
		LocationID: "main", Channel: "web", Items: []OrderLine{goldenLine}, Subtotal: 2500, Total: 2500, Status: OrderStatusDraft,
		ShippingAddress: &Address{ID: "a1", Type: "SHIPPING", Street1: "1 Main St", City: "Leeds", PostalCode: "LS1", Country: "GB"}},
	"OrderUpdated.v1": OrderUpdated{OrderID: "ord_1", Status: OrderStatusConfirmed, LocationID: "main",
		Items:    &OrderItemsChange{From: []OrderLine{goldenLine}, To: []OrderLine{{ID: "1", SKU: "SKU-1", Quantity: 3, UnitPrice: 1250, Total: 3750}}},
		Subtotal: &Int64Change{From: 2500, To: 3750}, Total: &Int64Change{From: 2500, To: 3750}},
	"OrderSubmitted.v1":         OrderSubmitted{OrderStatusChange{OrderID: "ord_1", From: OrderStatusDraft, To: OrderStatusPending}},
	"OrderConfirmed.v1":         OrderConfirmed{OrderStatusChange: goldenChange, CustomerID: "cus_1", LocationID: "main", Items: []OrderLine{goldenLine}},
	"OrderProcessingStarted.v1": OrderProcessingStarted{OrderStatusChange{OrderID: "ord_1", From: OrderStatusConfirmed, To: OrderStatusProcessing}},
	"OrderShipped.v1": OrderShipped{OrderStatusChange: OrderStatusChange{OrderID: "ord_1", From: OrderStatusProcessing, To: OrderStatusPartiallyShipped},
		LocationID: "main", Lines: []ShippedLine{{LineID: "1", SKU: "SKU-1", Quantity: 1}}, Carrier: "UPS", TrackingNumber: "1Z"},
	"OrderDelivered.v1":      OrderDelivered{OrderStatusChange{OrderID: "ord_1", From: OrderStatusShipped, To: OrderStatusDelivered}},
	"OrderHeld.v1":           OrderHeld{OrderStatusChange{OrderID: "ord_1", From: OrderStatusConfirmed, To: OrderStatusOnHold, Reason: "fraud check"}},
	"OrderReleased.v1":       OrderReleased{OrderStatusChange{OrderID: "ord_1", From: OrderStatusOnHold, To: OrderStatusConfirmed}},
	"OrderCancelled.v1":      OrderCancelled{OrderStatusChange: OrderStatusChange{OrderID: "ord_1", From: OrderStatusConfirmed, To: OrderStatusCancelled, Reason: "asked"}, LocationID: "main", Items: []OrderLine{goldenLine}},
	"OrderLinesAllocated.v1": OrderLinesAllocated{OrderID: "ord_1", Lines: []LineAllocation{{LineID: "1", Reserved: 1, Backordered: 1, AsOf: 42}}},
	"OrderNoteAdded.v1":      OrderNoteAdded{OrderID: "ord_1", NoteID: "n1", Body: "gift wrap"},
	"OrderPaid.v1":           OrderPaid{OrderID: "ord_1", Amount: 2500, Currency: "USD", Reference: "pi_1"},
	"OrderRefunded.v1":       OrderRefunded{OrderID: "ord_1", Amount: 1250, Currency: "USD", Reason: "return", ReturnID: "ret_1", PaymentStatus: PaymentPartiallyRefunded},
	"OrderReturnOpened.v1":   OrderReturnOpened{OrderID: "ord_1", ReturnID: "ret_1", Lines: map[string]int64{"1": 1}},
	"OrderReturnReleased.v1": OrderReturnReleased{OrderID: "ord_1", ReturnID: "ret_1"},
}

func foldOrder(o *Order, events []Event) *Order {
	for _, e := range events {
		o.Apply(Envelope{Event: e, Version: o.Version + 1, Time: t0})
	}
	return o
}

func newOrder(t *testing.T) *Order {
	t.Helper()
	o := &Order{}
	return foldOrder(o, must(o.Create(CreateOrder{OrderID: "o1", OrderNumber: "ORD-000001", CustomerID: "c1", Currency: "USD",
		LocationID: "main", Items: []OrderLineInput{{SKU: "A", Quantity: 2, UnitPrice: 500}, {SKU: "B", Quantity: 1, UnitPrice: 300}}})))
}

// orderIn drives a new order to status along allowed actions, fully allocated.
func orderIn(t *testing.T, status OrderStatus) *Order {
	t.Helper()
	o := newOrder(t)
	act := func(action string) { foldOrder(o, must(o.Act(action, ""))) }
	allocate := func() {
		foldOrder(o, must(o.Allocate([]LineAllocation{{LineID: "1", Reserved: 2, AsOf: 1}, {LineID: "2", Reserved: 1, AsOf: 1}})))
	}
	switch status {
	case OrderStatusDraft:
	case OrderStatusPending:
		act("submit")
	case OrderStatusConfirmed, OrderStatusProcessing, OrderStatusOnHold:
		act("submit")
		act("confirm")
		allocate()
		if status == OrderStatusProcessing {
			act("process")
		}
		if status == OrderStatusOnHold {
			act("hold")
		}
	case OrderStatusPartiallyShipped, OrderStatusShipped, OrderStatusDelivered:
		act("submit")
		act("confirm")
		allocate()
		if status == OrderStatusPartiallyShipped {
			foldOrder(o, must(o.Ship(ShipOrder{Lines: []ShipLine{{LineID: "1", Quantity: 1}}})))
			break
		}
		act("ship")
		if status == OrderStatusDelivered {
			act("deliver")
		}
	case OrderStatusCancelled:
		act("cancel")
	}
	if o.Status != status {
		t.Fatalf("setup reached %s, want %s", o.Status, status)
	}
	return o
}

func TestEveryOrderStatusActionPair(t *testing.T) {
	allowed := map[OrderStatus]map[string]OrderStatus{
		OrderStatusDraft:            {"submit": OrderStatusPending, "cancel": OrderStatusCancelled},
		OrderStatusPending:          {"confirm": OrderStatusConfirmed, "hold": OrderStatusOnHold, "cancel": OrderStatusCancelled},
		OrderStatusConfirmed:        {"process": OrderStatusProcessing, "ship": OrderStatusShipped, "hold": OrderStatusOnHold, "cancel": OrderStatusCancelled},
		OrderStatusProcessing:       {"ship": OrderStatusShipped, "hold": OrderStatusOnHold, "cancel": OrderStatusCancelled},
		OrderStatusPartiallyShipped: {"ship": OrderStatusShipped},
		OrderStatusShipped:          {"deliver": OrderStatusDelivered},
		OrderStatusDelivered:        {},
		OrderStatusOnHold:           {"release": OrderStatusConfirmed, "cancel": OrderStatusCancelled},
		OrderStatusCancelled:        {},
	}
	for _, from := range OrderStatuses {
		for _, action := range OrderActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				o := orderIn(t, from)
				events, err := o.Act(action, "why")
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
				if got := foldOrder(o, events).Status; got != want {
					t.Fatalf("%s -> %s, want %s", from, got, want)
				}
			})
		}
	}
}

func TestOrderShipsOnlyWhatIsReserved(t *testing.T) {
	o := orderIn(t, OrderStatusPending)
	foldOrder(o, must(o.Act("confirm", "")))
	foldOrder(o, must(o.Allocate([]LineAllocation{{LineID: "1", Reserved: 1, Backordered: 1, AsOf: 5}})))
	if o.FulfillmentStatus() != FulfillmentBackordered {
		t.Fatalf("fulfillment %s", o.FulfillmentStatus())
	}
	_, err := o.Ship(ShipOrder{Lines: []ShipLine{{LineID: "1", Quantity: 2}}})
	var ise *InsufficientStockError
	if !errors.As(err, &ise) || ise.Shortages[0].Available != 1 {
		t.Fatalf("shipping a backordered unit: %v", err)
	}
	foldOrder(o, must(o.Ship(ShipOrder{Lines: []ShipLine{{LineID: "1", Quantity: 1}}})))
	if o.Status != OrderStatusPartiallyShipped || o.FulfillmentStatus() != FulfillmentPartiallyFulfilled {
		t.Fatalf("after a partial ship: %s %s", o.Status, o.FulfillmentStatus())
	}
	// an older allocation report is ignored
	if events := must(o.Allocate([]LineAllocation{{LineID: "1", Reserved: 0, AsOf: 4}})); events != nil {
		t.Fatalf("stale allocation decided %v", events)
	}
}

func TestOrderEditKeepsLineIdentity(t *testing.T) {
	o := orderIn(t, OrderStatusConfirmed)
	items := []OrderLineInput{{SKU: "B", Quantity: 3, UnitPrice: 300}, {SKU: "C", Quantity: 1, UnitPrice: 100}}
	foldOrder(o, must(o.Update(UpdateOrder{Items: &items})))
	if len(o.Items) != 2 || o.Items[0].ID != "2" || o.Items[0].Reserved != 1 || o.Items[1].ID != "3" || o.Total != 1000 {
		t.Fatalf("after edit: %+v total %d", o.Items, o.Total)
	}
	if events := must(o.Update(UpdateOrder{Items: &items})); events != nil {
		t.Fatalf("same lines again decided %v", events)
	}
	shipped := orderIn(t, OrderStatusShipped)
	var te *TransitionError
	if _, err := shipped.Update(UpdateOrder{Items: &items}); !errors.As(err, &te) {
		t.Fatalf("edit after shipping: %v", err)
	}
}

func TestOrderReturnsAndRefunds(t *testing.T) {
	o := orderIn(t, OrderStatusShipped)
	foldOrder(o, must(o.OpenReturn("r1", map[string]int64{"1": 1})))
	if _, err := o.OpenReturn("r2", map[string]int64{"1": 2}); err == nil {
		t.Fatal("returning more than shipped minus returned was accepted")
	}
	foldOrder(o, must(o.CloseReturn("r1")))
	foldOrder(o, must(o.OpenReturn("r2", map[string]int64{"1": 2})))
	if o.Returnable()["1"] != 0 {
		t.Fatalf("returnable %v", o.Returnable())
	}
	var te *TransitionError
	if _, err := o.Refund(100, "", "r2", "evt-1"); !errors.As(err, &te) {
		t.Fatalf("refund of an unpaid order: %v", err)
	}
	foldOrder(o, must(o.Pay(0, "pi_1")))
	foldOrder(o, must(o.Refund(500, "return", "r2", "evt-1")))
	if o.PaymentStatus != PaymentPartiallyRefunded || o.RefundedAmount != 500 {
		t.Fatalf("after refund: %s %d", o.PaymentStatus, o.RefundedAmount)
	}
	if again := must(o.Refund(500, "return", "r2", "evt-1")); again != nil {
		t.Fatalf("the same refund event twice decided %v", again)
	}
	// the same return refunded again later (reopened, more owed) is a new refund
	foldOrder(o, must(o.Refund(500, "return", "r2", "evt-2")))
	if o.RefundedAmount != 1000 {
		t.Fatalf("second refund of r2: refunded %d", o.RefundedAmount)
	}
	foldOrder(o, must(o.Refund(0, "goodwill", "", "")))
	if o.PaymentStatus != PaymentRefunded {
		t.Fatalf("payment status %s", o.PaymentStatus)
	}
}

func TestOrderLineIDsAreNeverReused(t *testing.T) {
	o := orderIn(t, OrderStatusConfirmed)
	onlyA := []OrderLineInput{{SKU: "A", Quantity: 2, UnitPrice: 500}}
	foldOrder(o, must(o.Update(UpdateOrder{Items: &onlyA})))
	both := []OrderLineInput{{SKU: "A", Quantity: 2, UnitPrice: 500}, {SKU: "B", Quantity: 1, UnitPrice: 300}}
	foldOrder(o, must(o.Update(UpdateOrder{Items: &both})))
	if b := o.Items[1]; b.SKU != "B" || b.ID != "3" || b.Reserved != 0 {
		t.Fatalf("B added back: %+v, want a new line 3", b)
	}
}

func TestShipRefusesALineTwice(t *testing.T) {
	o := orderIn(t, OrderStatusConfirmed)
	_, err := o.Ship(ShipOrder{Lines: []ShipLine{{LineID: "1", Quantity: 1}, {LineID: "1", Quantity: 1}}})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "lines[1].line_id" {
		t.Fatalf("a line given twice: %v", err)
	}
}

func TestCreateOrderListsEveryBadField(t *testing.T) {
	o := &Order{}
	_, err := o.Create(CreateOrder{OrderID: "o1", Currency: "usd", LocationID: "main",
		Items: []OrderLineInput{{SKU: "A", Quantity: 0}, {SKU: "A", Quantity: 1, UnitPrice: -1}}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	want := map[string]bool{"customer_id": true, "currency": true, "items[0].quantity": true, "items[1].sku": true, "items[1].unit_price": true}
	for _, f := range ve.Fields {
		delete(want, f.Field)
	}
	if len(want) != 0 {
		t.Fatalf("missing field errors %v in %v", want, ve.Fields)
	}
}
