package domain

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, purchaseOrderGoldens) }

// purchaseOrderGoldens is one realistic value per purchase order event type (see goldens).
var purchaseOrderGoldens = map[string]Event{
	"PurchaseOrderCreated.v1": PurchaseOrderCreated{PurchaseOrderID: "po_1", PONumber: "PO-000001", SupplierID: "sup_acme",
		LocationID: "main", ExpectedDeliveryDate: "2026-02-15", Currency: "USD", PaymentTerms: "NET30", Notes: "dock 2",
		Items: []PurchaseOrderLine{{LineID: "1", SKU: "MUG", Quantity: 96, UnitCost: 240, Total: 23_040},
			{LineID: "2", SKU: "TEE", Quantity: 10, UnitCost: 310, Total: 3_100}}, Total: 26_140},
	"PurchaseOrderUpdated.v1": PurchaseOrderUpdated{PurchaseOrderID: "po_1", ExpectedDeliveryDate: ptr("2026-02-20"),
		Items: &[]PurchaseOrderLine{{LineID: "1", SKU: "MUG", Quantity: 120, UnitCost: 240, Total: 28_800},
			{LineID: "3", SKU: "BOWL", Quantity: 12, UnitCost: 400, Total: 4_800}}, Total: ptr[int64](33_600)},
	"PurchaseOrderSubmitted.v1": PurchaseOrderSubmitted{PurchaseOrderStatusChange: PurchaseOrderStatusChange{PurchaseOrderID: "po_1",
		From: PurchaseOrderStatusDraft, To: PurchaseOrderStatusSubmitted}, SupplierID: "sup_acme"},
	"PurchaseOrderApproved.v1": PurchaseOrderApproved{PurchaseOrderStatusChange: PurchaseOrderStatusChange{PurchaseOrderID: "po_1",
		From: PurchaseOrderStatusSubmitted, To: PurchaseOrderStatusApproved}, SupplierID: "sup_acme", LocationID: "main",
		Items: []PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 96}, {LineID: "2", SKU: "TEE", Quantity: 10}}},
	"PurchaseOrderRejected.v1": PurchaseOrderRejected{PurchaseOrderStatusChange{PurchaseOrderID: "po_1",
		From: PurchaseOrderStatusSubmitted, To: PurchaseOrderStatusRejected, Reason: "over budget"}},
	"PurchaseOrderReceived.v1": PurchaseOrderReceived{PurchaseOrderStatusChange: PurchaseOrderStatusChange{PurchaseOrderID: "po_1",
		From: PurchaseOrderStatusApproved, To: PurchaseOrderStatusPartiallyReceived}, SupplierID: "sup_acme", LocationID: "main",
		Items: []PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 48}}},
	"PurchaseOrderClosed.v1": PurchaseOrderClosed{PurchaseOrderStatusChange: PurchaseOrderStatusChange{PurchaseOrderID: "po_1",
		From: PurchaseOrderStatusPartiallyReceived, To: PurchaseOrderStatusClosed, Reason: "rest discontinued"}, LocationID: "main",
		Open: []PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 48}, {LineID: "2", SKU: "TEE", Quantity: 10}}},
	"PurchaseOrderCancelled.v1": PurchaseOrderCancelled{PurchaseOrderStatusChange: PurchaseOrderStatusChange{PurchaseOrderID: "po_1",
		From: PurchaseOrderStatusApproved, To: PurchaseOrderStatusCancelled, Reason: "supplier cannot deliver"}, LocationID: "main",
		Open: []PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 96}, {LineID: "2", SKU: "TEE", Quantity: 10}}},
}

func activeSupplier(t *testing.T) *Supplier {
	s := supplierIn(t, SupplierStatusActive)
	return fold(s, SupplierProductSet{SupplierID: s.ID, Product: SupplierProduct{SKU: "MUG", UnitCost: 250, Currency: "USD", MinimumOrderQuantity: 10}})
}

func validPurchaseOrder(t *testing.T) CreatePurchaseOrder {
	return CreatePurchaseOrder{PurchaseOrderID: "po_1", PONumber: "PO-000001", Supplier: activeSupplier(t), LocationID: "main",
		ExpectedDeliveryDate: "2026-01-10", Items: []PurchaseLineInput{{SKU: "MUG", Quantity: 10}, {SKU: "TEE", Quantity: 5, UnitCost: ptr[int64](300)}}}
}

func purchaseOrderIn(t *testing.T, status PurchaseOrderStatus) *PurchaseOrder {
	t.Helper()
	o := fold(&PurchaseOrder{}, mustEvents(t)((&PurchaseOrder{}).Create(validPurchaseOrder(t)))...)
	sc := func(from, to PurchaseOrderStatus) PurchaseOrderStatusChange {
		return PurchaseOrderStatusChange{PurchaseOrderID: "po_1", From: from, To: to}
	}
	sub := PurchaseOrderSubmitted{PurchaseOrderStatusChange: sc(PurchaseOrderStatusDraft, PurchaseOrderStatusSubmitted)}
	appr := PurchaseOrderApproved{PurchaseOrderStatusChange: sc(PurchaseOrderStatusSubmitted, PurchaseOrderStatusApproved)}
	part := PurchaseOrderReceived{PurchaseOrderStatusChange: sc(PurchaseOrderStatusApproved, PurchaseOrderStatusPartiallyReceived),
		Items: []PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 4}}}
	full := PurchaseOrderReceived{PurchaseOrderStatusChange: sc(PurchaseOrderStatusApproved, PurchaseOrderStatusReceived),
		Items: []PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 10}, {LineID: "2", SKU: "TEE", Quantity: 5}}}
	path := map[PurchaseOrderStatus][]Event{
		PurchaseOrderStatusDraft:             nil,
		PurchaseOrderStatusSubmitted:         {sub},
		PurchaseOrderStatusApproved:          {sub, appr},
		PurchaseOrderStatusPartiallyReceived: {sub, appr, part},
		PurchaseOrderStatusReceived:          {sub, appr, full},
		PurchaseOrderStatusClosed:            {sub, appr, full, PurchaseOrderClosed{PurchaseOrderStatusChange: sc(PurchaseOrderStatusReceived, PurchaseOrderStatusClosed)}},
		PurchaseOrderStatusRejected:          {sub, PurchaseOrderRejected{sc(PurchaseOrderStatusSubmitted, PurchaseOrderStatusRejected)}},
		PurchaseOrderStatusCancelled:         {PurchaseOrderCancelled{PurchaseOrderStatusChange: sc(PurchaseOrderStatusDraft, PurchaseOrderStatusCancelled)}},
	}
	return fold(o, path[status]...)
}

func TestEveryPurchaseOrderStatusActionPair(t *testing.T) {
	allowed := map[PurchaseOrderStatus]map[string]PurchaseOrderStatus{
		PurchaseOrderStatusDraft:     {"submit": PurchaseOrderStatusSubmitted, "cancel": PurchaseOrderStatusCancelled},
		PurchaseOrderStatusSubmitted: {"approve": PurchaseOrderStatusApproved, "reject": PurchaseOrderStatusRejected, "cancel": PurchaseOrderStatusCancelled},
		PurchaseOrderStatusApproved:  {"receive": PurchaseOrderStatusPartiallyReceived, "cancel": PurchaseOrderStatusCancelled},
		// a receipt of 1 MUG leaves the order partly received
		PurchaseOrderStatusPartiallyReceived: {"receive": PurchaseOrderStatusPartiallyReceived, "close": PurchaseOrderStatusClosed},
		PurchaseOrderStatusReceived:          {"close": PurchaseOrderStatusClosed},
		PurchaseOrderStatusClosed:            {},
		PurchaseOrderStatusRejected:          {},
		PurchaseOrderStatusCancelled:         {},
	}
	for _, from := range PurchaseOrderStatuses {
		for _, action := range PurchaseOrderActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				o := purchaseOrderIn(t, from)
				if o.Status != from {
					t.Fatalf("setup folded to %s", o.Status)
				}
				before := o.Clone()
				var events []Event
				var err error
				if action == "receive" {
					events, err = o.Receive(ReceivePurchaseOrder{Items: []PurchaseItem{{SKU: "MUG", Quantity: 1}}})
				} else {
					events, err = o.Act(action, "because")
				}
				if diff := cmp.Diff(before, o); diff != "" {
					t.Fatalf("decide mutated the order:\n%s", diff)
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action || events != nil {
						t.Fatalf("got %v, %v; want a TransitionError naming %s and %s", events, err, from, action)
					}
					return
				}
				if err != nil || len(events) != 1 {
					t.Fatalf("allowed action gave %v, %v", events, err)
				}
				if fold(o, events...).Status != want {
					t.Fatalf("folded to %s, want %s", o.Status, want)
				}
			})
		}
	}
}

func TestPurchaseOrderCreateUsesTheSupplierCatalog(t *testing.T) {
	cmd := validPurchaseOrder(t)
	cmd.Supplier.PaymentTerms = "NET45"
	events := mustEvents(t)((&PurchaseOrder{}).Create(cmd))
	want := PurchaseOrderCreated{PurchaseOrderID: "po_1", PONumber: "PO-000001", SupplierID: "sup_1", LocationID: "main",
		ExpectedDeliveryDate: "2026-01-10", Currency: "USD", PaymentTerms: "NET45",
		Items: []PurchaseOrderLine{{LineID: "1", SKU: "MUG", Quantity: 10, UnitCost: 250, Total: 2500},
			{LineID: "2", SKU: "TEE", Quantity: 5, UnitCost: 300, Total: 1500}}, Total: 4000}
	if diff := cmp.Diff([]Event{want}, events); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}

	tests := []struct {
		name   string
		change func(*CreatePurchaseOrder)
		fields []string
	}{
		{"an inactive supplier is refused on supplier_id", func(c *CreatePurchaseOrder) { c.Supplier.Status = SupplierStatusInactive }, []string{"supplier_id"}},
		{"no supplier at all", func(c *CreatePurchaseOrder) { c.Supplier = nil; c.Currency = "USD" }, []string{"supplier_id", "items[0].unit_cost"}},
		{"below the minimum order quantity", func(c *CreatePurchaseOrder) { c.Items[0].Quantity = 9 }, []string{"items[0].quantity"}},
		{"no cost and not in the catalog", func(c *CreatePurchaseOrder) { c.Items[1].UnitCost = nil }, []string{"items[1].unit_cost"}},
		{"catalog cost in another currency", func(c *CreatePurchaseOrder) { c.Currency = "EUR" }, []string{"items[0].unit_cost"}},
		{"a bad date and a repeated SKU", func(c *CreatePurchaseOrder) {
			c.ExpectedDeliveryDate = "soon"
			c.Items[1].SKU = "MUG"
		}, []string{"expected_delivery_date", "items[1].sku", "items[1].quantity"}}, // 5 MUG is below its minimum too
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := validPurchaseOrder(t)
			tc.change(&cmd)
			events, err := (&PurchaseOrder{}).Create(cmd)
			if events != nil || !hasFields(err, tc.fields...) {
				t.Errorf("got %v, fields %v; want %v", events, fieldsOf(err), tc.fields)
			}
		})
	}
}

func TestPurchaseOrderReceiptsCountAndRefuseOverReceipt(t *testing.T) {
	o := purchaseOrderIn(t, PurchaseOrderStatusApproved)
	if _, err := o.Receive(ReceivePurchaseOrder{Items: []PurchaseItem{{SKU: "MUG", Quantity: 11}, {SKU: "CUP", Quantity: 1}}}); !hasFields(err, "items[0].quantity", "items[1].sku") {
		t.Errorf("over-receipt: %v", fieldsOf(err))
	}
	at := func(day int) Envelope {
		return Envelope{Version: o.Version + 1, Time: time.Date(2026, 1, day, 18, 0, 0, 0, time.UTC)}
	}
	recv := func(day int, items ...PurchaseItem) {
		t.Helper()
		env := at(day)
		for _, e := range mustEvents(t)(o.Receive(ReceivePurchaseOrder{Items: items})) {
			env.Event = e
			o.Apply(env)
		}
	}
	recv(8, PurchaseItem{SKU: "MUG", Quantity: 6})
	if o.Status != PurchaseOrderStatusPartiallyReceived || o.OnTime != nil || len(o.Receipts) != 1 {
		t.Fatalf("after a part: %s %v %d", o.Status, o.OnTime, len(o.Receipts))
	}
	if _, err := o.Receive(ReceivePurchaseOrder{Items: []PurchaseItem{{SKU: "MUG", Quantity: 5}}}); !hasFields(err, "items[0].quantity") {
		t.Errorf("over the 4 still open: %v", err)
	}
	if _, err := o.Act("cancel", ""); err == nil {
		t.Errorf("cancel after a receipt was allowed")
	}
	recv(10, PurchaseItem{SKU: "MUG", Quantity: 4}, PurchaseItem{SKU: "TEE", Quantity: 5})
	if o.Status != PurchaseOrderStatusReceived || o.OnTime == nil || !*o.OnTime {
		t.Fatalf("received on its date: %s %v", o.Status, o.OnTime)
	}
	late := purchaseOrderIn(t, PurchaseOrderStatusApproved)
	o = late
	recv(11, PurchaseItem{SKU: "MUG", Quantity: 10}, PurchaseItem{SKU: "TEE", Quantity: 5})
	if o.OnTime == nil || *o.OnTime {
		t.Fatalf("received a day late: %v", o.OnTime)
	}
}

func TestPurchaseOrderCancelAndCloseGiveBackWhatIsOpen(t *testing.T) {
	e := mustEvents(t)(purchaseOrderIn(t, PurchaseOrderStatusApproved).Act("cancel", "no"))[0].(PurchaseOrderCancelled)
	if diff := cmp.Diff([]PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 10}, {LineID: "2", SKU: "TEE", Quantity: 5}}, e.Open); diff != "" {
		t.Errorf("cancel of an approved order (-want +got):\n%s", diff)
	}
	if e := mustEvents(t)(purchaseOrderIn(t, PurchaseOrderStatusSubmitted).Act("cancel", ""))[0].(PurchaseOrderCancelled); e.Open != nil {
		t.Errorf("a submitted order raised no incoming: %v", e.Open)
	}
	c := mustEvents(t)(purchaseOrderIn(t, PurchaseOrderStatusPartiallyReceived).Act("close", ""))[0].(PurchaseOrderClosed)
	if diff := cmp.Diff([]PurchaseItem{{LineID: "1", SKU: "MUG", Quantity: 6}, {LineID: "2", SKU: "TEE", Quantity: 5}}, c.Open); diff != "" {
		t.Errorf("close short (-want +got):\n%s", diff)
	}
}

func TestPurchaseOrderUpdate(t *testing.T) {
	lines := func(in ...PurchaseLineInput) *[]PurchaseLineInput { return &in }
	for _, c := range []struct {
		name   string
		status PurchaseOrderStatus
		cmd    UpdatePurchaseOrder
		want   []Event
		err    string
	}{
		{"a later date while approved", PurchaseOrderStatusApproved, UpdatePurchaseOrder{ExpectedDeliveryDate: ptr("2026-01-20")},
			[]Event{PurchaseOrderUpdated{PurchaseOrderID: "po_1", ExpectedDeliveryDate: ptr("2026-01-20")}}, ""},
		{"a draft's lines: one kept, one dropped, one new", PurchaseOrderStatusDraft,
			UpdatePurchaseOrder{Items: lines(PurchaseLineInput{SKU: "MUG", Quantity: 20}, PurchaseLineInput{SKU: "BOWL", Quantity: 2, UnitCost: ptr[int64](400)})},
			[]Event{PurchaseOrderUpdated{PurchaseOrderID: "po_1", Items: &[]PurchaseOrderLine{{LineID: "1", SKU: "MUG", Quantity: 20, UnitCost: 250, Total: 5000},
				{LineID: "3", SKU: "BOWL", Quantity: 2, UnitCost: 400, Total: 800}}, Total: ptr[int64](5800)}}, ""},
		{"the same lines change nothing", PurchaseOrderStatusDraft,
			UpdatePurchaseOrder{Items: lines(PurchaseLineInput{SKU: "MUG", Quantity: 10}, PurchaseLineInput{SKU: "TEE", Quantity: 5, UnitCost: ptr[int64](300)})}, nil, ""},
		{"below the catalog's minimum", PurchaseOrderStatusDraft, UpdatePurchaseOrder{Items: lines(PurchaseLineInput{SKU: "MUG", Quantity: 2})}, nil, "validation"},
		{"no lines", PurchaseOrderStatusDraft, UpdatePurchaseOrder{Items: lines()}, nil, "validation"},
		{"a bad date", PurchaseOrderStatusDraft, UpdatePurchaseOrder{ExpectedDeliveryDate: ptr("soon")}, nil, "validation"},
		{"lines once submitted", PurchaseOrderStatusSubmitted, UpdatePurchaseOrder{Items: lines(PurchaseLineInput{SKU: "MUG", Quantity: 20})}, nil, "transition"},
		{"received is done", PurchaseOrderStatusReceived, UpdatePurchaseOrder{Notes: ptr("x")}, nil, "transition"},
		{"cancelled is done", PurchaseOrderStatusCancelled, UpdatePurchaseOrder{Notes: ptr("x")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := purchaseOrderIn(t, c.status)
			c.cmd.Supplier = activeSupplier(t)
			got, err := o.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if fold(o, got...); c.cmd.Items != nil && len(got) > 0 && (o.Total != 5800 || len(o.Items) != 2 || o.Items[1].LineID != "3") {
				t.Errorf("after the edit: %+v", o)
			}
		})
	}
}
