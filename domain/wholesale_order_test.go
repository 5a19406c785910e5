package domain

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, wholesaleOrderGoldens) }

// wholesaleOrderGoldens is one realistic value per wholesale order event type (see goldens).
var wholesaleOrderGoldens = map[string]Event{
	"WholesaleOrderCreated.v1": WholesaleOrderCreated{OrderID: "wso_1", OrderNumber: "WSO-000001", CustomerID: "cus_acme",
		PriceListID: "pl_trade", Currency: "USD", PONumber: "PO-88123", NetTerms: NetTerms30, LocationID: "loc_reno",
		Lines: []WholesaleLine{
			{LineID: "l1", SKU: "WIDGET-BLU", Quantity: 120, UnitPrice: 950, Total: 114_000},
			{LineID: "l2", SKU: "GADGET-01", Quantity: 3, UnitPrice: 4999, Total: 14_997},
		},
		Subtotal: 128_997, Total: 128_997, Notes: "deliver to dock 4"},
	"WholesaleOrderUpdated.v1": WholesaleOrderUpdated{OrderID: "wso_1", PONumber: &Change{From: "PO-88123", To: "PO-88124"},
		Lines: &LinesChange{
			From:         []WholesaleLine{{LineID: "l1", SKU: "WIDGET-BLU", Quantity: 120, UnitPrice: 950, Total: 114_000}},
			To:           []WholesaleLine{{LineID: "l1", SKU: "WIDGET-BLU", Quantity: 20, UnitPrice: 1100, Total: 22_000}},
			SubtotalFrom: 114_000, SubtotalTo: 22_000, TotalFrom: 114_000, TotalTo: 22_000,
		}},
	"WholesaleOrderSubmitted.v1": WholesaleOrderSubmitted{OrderID: "wso_1", CustomerID: "cus_acme", Total: 128_997, Currency: "USD"},
	"WholesaleOrderApproved.v1": WholesaleOrderApproved{OrderID: "wso_1", CustomerID: "cus_acme", LocationID: "loc_reno",
		Lines: []WholesaleItem{{LineID: "l1", SKU: "WIDGET-BLU", Quantity: 120}, {LineID: "l2", SKU: "GADGET-01", Quantity: 3}}},
	"WholesaleOrderFulfilled.v1": WholesaleOrderFulfilled{OrderID: "wso_1", CustomerID: "cus_acme"},
	"WholesaleOrderInvoiced.v1": WholesaleOrderInvoiced{OrderID: "wso_1", CustomerID: "cus_acme", InvoiceNumber: "INV-2026-0042",
		DueAt: time.Date(2026, 3, 6, 9, 30, 0, 0, time.UTC), Total: 128_997, Currency: "USD"},
	"WholesaleOrderPaid.v1": WholesaleOrderPaid{OrderID: "wso_1", CustomerID: "cus_acme", Amount: 128_997, Currency: "USD"},
	"WholesaleOrderCancelled.v1": WholesaleOrderCancelled{OrderID: "wso_1", CustomerID: "cus_acme", From: WholesaleOrderStatusApproved,
		Reason: "customer withdrew PO"},
}

func validOrder() CreateWholesaleOrder {
	return CreateWholesaleOrder{OrderID: "wso_1", OrderNumber: "WSO-000001", CustomerID: "cus_1", LocationID: "loc_1",
		PONumber: "PO-1", NetTerms: NetTerms30, Lines: []WholesaleLineInput{{LineID: "l1", SKU: "WIDGET", Quantity: 12},
			{LineID: "l2", SKU: "GADGET", Quantity: 2}}, PriceList: tradeList()}
}

func wholesaleOrderIn(t *testing.T, status WholesaleOrderStatus) *WholesaleOrder {
	t.Helper()
	events, err := (&WholesaleOrder{}).Create(validOrder())
	if err != nil {
		t.Fatal(err)
	}
	o := fold(&WholesaleOrder{}, events...)
	path := map[WholesaleOrderStatus][]Event{
		WholesaleOrderStatusDraft:     nil,
		WholesaleOrderStatusSubmitted: {WholesaleOrderSubmitted{}},
		WholesaleOrderStatusApproved:  {WholesaleOrderSubmitted{}, WholesaleOrderApproved{}},
		WholesaleOrderStatusFulfilled: {WholesaleOrderSubmitted{}, WholesaleOrderApproved{}, WholesaleOrderFulfilled{}},
		WholesaleOrderStatusInvoiced:  {WholesaleOrderSubmitted{}, WholesaleOrderApproved{}, WholesaleOrderFulfilled{}, WholesaleOrderInvoiced{InvoiceNumber: "I1", DueAt: t0}},
		WholesaleOrderStatusPaid:      {WholesaleOrderSubmitted{}, WholesaleOrderApproved{}, WholesaleOrderFulfilled{}, WholesaleOrderInvoiced{InvoiceNumber: "I1", DueAt: t0}, WholesaleOrderPaid{}},
		WholesaleOrderStatusCancelled: {WholesaleOrderSubmitted{}, WholesaleOrderCancelled{From: WholesaleOrderStatusSubmitted}},
	}
	return fold(o, path[status]...)
}

// wholesaleOrderDo runs action the way the API would: "update" and "invoice" have their own
// commands, the rest go through Act.
func wholesaleOrderDo(o *WholesaleOrder, action string) ([]Event, error) {
	switch action {
	case "update":
		return o.Update(UpdateWholesaleOrder{OrderID: o.ID, Notes: ptr("call first")})
	case "invoice":
		return o.Invoice(InvoiceWholesaleOrder{OrderID: o.ID, InvoiceNumber: "INV-1"}, t0)
	}
	return o.Act(action, "because", t0)
}

func TestEveryWholesaleOrderStatusActionPair(t *testing.T) {
	allowed := map[WholesaleOrderStatus]map[string]WholesaleOrderStatus{
		WholesaleOrderStatusDraft: {"update": WholesaleOrderStatusDraft, "submit": WholesaleOrderStatusSubmitted,
			"cancel": WholesaleOrderStatusCancelled},
		WholesaleOrderStatusSubmitted: {"approve": WholesaleOrderStatusApproved, "cancel": WholesaleOrderStatusCancelled},
		WholesaleOrderStatusApproved:  {"fulfill": WholesaleOrderStatusFulfilled, "cancel": WholesaleOrderStatusCancelled},
		WholesaleOrderStatusFulfilled: {"invoice": WholesaleOrderStatusInvoiced},
		WholesaleOrderStatusInvoiced:  {"pay": WholesaleOrderStatusPaid},
		WholesaleOrderStatusPaid:      {},
		WholesaleOrderStatusCancelled: {},
	}
	for _, from := range WholesaleOrderStatuses {
		for _, action := range append([]string{"update"}, WholesaleOrderActions...) {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				o := wholesaleOrderIn(t, from)
				if o.Status != from {
					t.Fatalf("setup folded to %s", o.Status)
				}
				before := o.Clone()
				events, err := wholesaleOrderDo(o, action)
				if diff := cmp.Diff(before, o); diff != "" {
					t.Fatalf("decide mutated the order:\n%s", diff)
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action {
						t.Fatalf("got %v, want a TransitionError naming %s and %s", err, from, action)
					}
					if events != nil {
						t.Fatalf("refused action returned events %v", events)
					}
					return
				}
				if err != nil || len(events) != 1 {
					t.Fatalf("allowed action gave %v, %v", events, err)
				}
				fold(o, events...)
				if o.Status != want {
					t.Fatalf("folded to %s, want %s", o.Status, want)
				}
			})
		}
	}
}

func TestWholesaleOrderLifeSetsItsSideStatuses(t *testing.T) {
	o := wholesaleOrderIn(t, WholesaleOrderStatusDraft)
	if o.FinancialStatus != WholesaleFinancialUnpaid || o.FulfillmentStatus != WholesaleUnfulfilled {
		t.Fatalf("new order: %s %s", o.FinancialStatus, o.FulfillmentStatus)
	}
	var te *TransitionError
	if _, err := o.Act("update", "", t0); !errors.As(err, &te) {
		t.Errorf("update through Act: %v", err)
	}
	step := func(events []Event, err error) []Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		fold(o, events...)
		return events
	}
	submitted := step(o.Act("submit", "", t0))
	if diff := cmp.Diff([]Event{WholesaleOrderSubmitted{OrderID: "wso_1", CustomerID: "cus_1", Total: 15800, Currency: "USD"}}, submitted); diff != "" {
		t.Errorf("submitted (-want +got):\n%s", diff)
	}
	approved := step(o.Act("approve", "", t0))
	wantApproved := WholesaleOrderApproved{OrderID: "wso_1", CustomerID: "cus_1", LocationID: "loc_1",
		Lines: []WholesaleItem{{LineID: "l1", SKU: "WIDGET", Quantity: 12}, {LineID: "l2", SKU: "GADGET", Quantity: 2}}}
	if diff := cmp.Diff([]Event{wantApproved}, approved); diff != "" {
		t.Errorf("approved must carry what stock reservation needs (-want +got):\n%s", diff)
	}
	step(o.Act("fulfill", "", t0))
	if o.FulfillmentStatus != WholesaleFulfilled || o.FinancialStatus != WholesaleFinancialUnpaid {
		t.Errorf("fulfilled: %s %s", o.FulfillmentStatus, o.FinancialStatus)
	}
	if _, err := o.Act("invoice", "", t0); !hasFields(err, "invoice_number") {
		t.Errorf("invoice without a number: %v", err)
	}
	invoicedAt := time.Date(2026, 1, 31, 15, 0, 0, 0, time.UTC)
	invoiced := step(o.Invoice(InvoiceWholesaleOrder{OrderID: "wso_1", InvoiceNumber: "INV-7"}, invoicedAt))
	wantDue := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC) // NET30
	if diff := cmp.Diff([]Event{WholesaleOrderInvoiced{OrderID: "wso_1", CustomerID: "cus_1", InvoiceNumber: "INV-7",
		DueAt: wantDue, Total: 15800, Currency: "USD"}}, invoiced); diff != "" {
		t.Errorf("invoiced (-want +got):\n%s", diff)
	}
	if o.FinancialStatus != WholesaleFinancialInvoiced || o.InvoiceNumber != "INV-7" || o.DueAt == nil || !o.DueAt.Equal(wantDue) {
		t.Errorf("invoiced order: %s %s %v", o.FinancialStatus, o.InvoiceNumber, o.DueAt)
	}
	paid := step(o.Act("pay", "", t0))
	if diff := cmp.Diff([]Event{WholesaleOrderPaid{OrderID: "wso_1", CustomerID: "cus_1", Amount: 15800, Currency: "USD"}}, paid); diff != "" {
		t.Errorf("paid (-want +got):\n%s", diff)
	}
	if o.FinancialStatus != WholesaleFinancialPaid || o.Version != 6 {
		t.Errorf("paid order: %s v%d", o.FinancialStatus, o.Version)
	}
	if _, err := (&WholesaleOrder{}).Act("submit", "", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("act on nothing: %v", err)
	}
}
func TestWholesaleOrderIsPricedFromTheList(t *testing.T) {
	cmd := validOrder()
	cmd.Lines = []WholesaleLineInput{{LineID: "a", SKU: "WIDGET", Quantity: 1}, {LineID: "b", SKU: "WIDGET", Quantity: 10},
		{LineID: "c", SKU: "WIDGET", Quantity: 75}, {LineID: "d", SKU: "GADGET", Quantity: 3}}
	events, err := (&WholesaleOrder{}).Create(cmd)
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{WholesaleOrderCreated{OrderID: "wso_1", OrderNumber: "WSO-000001", CustomerID: "cus_1", PriceListID: "pl1",
		Currency: "USD", PONumber: "PO-1", NetTerms: NetTerms30, LocationID: "loc_1",
		Lines: []WholesaleLine{
			{LineID: "a", SKU: "WIDGET", Quantity: 1, UnitPrice: 1000, Total: 1000},
			{LineID: "b", SKU: "WIDGET", Quantity: 10, UnitPrice: 900, Total: 9000},
			{LineID: "c", SKU: "WIDGET", Quantity: 75, UnitPrice: 800, Total: 60000},
			{LineID: "d", SKU: "GADGET", Quantity: 3, UnitPrice: 2500, Total: 7500},
		},
		Subtotal: 77500, Total: 77500}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	if _, err := fold(&WholesaleOrder{}, events...).Create(cmd); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("create twice: %v", err)
	}
}

func TestCreateWholesaleOrderValidation(t *testing.T) {
	archived := fold(tradeList(), PriceListArchived{PriceListID: "pl1"})
	cases := []struct {
		name   string
		edit   func(*CreateWholesaleOrder)
		fields []string // nil means accepted
	}{
		{"valid", func(*CreateWholesaleOrder) {}, nil},
		{"every field bad at once", func(c *CreateWholesaleOrder) {
			*c = CreateWholesaleOrder{OrderID: "a b", CustomerID: "cus_1", PONumber: string(make([]byte, 101)), NetTerms: "NET90",
				Notes: string(make([]byte, 2001)), PriceList: tradeList(),
				Lines: []WholesaleLineInput{{LineID: "", SKU: "NOPE", Quantity: 0}, {LineID: "l2", SKU: "has space", Quantity: 1_000_001}}}
		}, []string{"id", "order_number", "location_id", "po_number", "net_terms", "notes",
			"lines[0].line_id", "lines[0].sku", "lines[0].quantity", "lines[1].sku", "lines[1].quantity"}},
		{"no lines", func(c *CreateWholesaleOrder) { c.Lines = nil }, []string{"lines"}},
		{"duplicate line ids", func(c *CreateWholesaleOrder) { c.Lines[1].LineID = "l1" }, []string{"lines[1].line_id"}},
		{"no price list", func(c *CreateWholesaleOrder) { c.PriceList = nil }, []string{"price_list_id"}},
		{"archived price list", func(c *CreateWholesaleOrder) { c.PriceList = archived }, []string{"price_list_id"}},
		{"list not assigned to the customer", func(c *CreateWholesaleOrder) { c.CustomerID = "cus_2" }, []string{"customer_id"}},
		{"a SKU not on the list", func(c *CreateWholesaleOrder) { c.Lines[1].SKU = "SPROCKET" }, []string{"lines[1].sku"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := validOrder()
			c.edit(&cmd)
			events, err := (&WholesaleOrder{}).Create(cmd)
			if c.fields == nil {
				if err != nil || len(events) != 1 {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if diff := cmp.Diff(c.fields, fieldsOf(err)); diff != "" {
				t.Errorf("fields of %v (-want +got):\n%s", err, diff)
			}
		})
	}
	var ve *ValidationError
	cmd := validOrder()
	cmd.Lines[0].SKU = "SPROCKET"
	if _, err := (&WholesaleOrder{}).Create(cmd); !errors.As(err, &ve) || ve.Fields[0].Issue != "not on price list pl1" {
		t.Errorf("unknown SKU: %v", err)
	}
}

func TestUpdateWholesaleOrderRepricesDraftLines(t *testing.T) {
	o := wholesaleOrderIn(t, WholesaleOrderStatusDraft) // 12 WIDGET at 900, 2 GADGET at 2500
	lines := []WholesaleLineInput{{LineID: "l1", SKU: "WIDGET", Quantity: 60}}
	events, err := o.Update(UpdateWholesaleOrder{OrderID: "wso_1", Lines: &lines, PriceList: tradeList(), PONumber: ptr("PO-1")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{WholesaleOrderUpdated{OrderID: "wso_1", Lines: &LinesChange{
		From: o.Lines, To: []WholesaleLine{{LineID: "l1", SKU: "WIDGET", Quantity: 60, UnitPrice: 800, Total: 48000}},
		SubtotalFrom: 15800, SubtotalTo: 48000, TotalFrom: 15800, TotalTo: 48000}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("updated (-want +got):\n%s", diff)
	}
	if fold(o, events...); o.Total != 48000 || len(o.Lines) != 1 {
		t.Errorf("folded: total %d, lines %v", o.Total, o.Lines)
	}
	if events, err := o.Update(UpdateWholesaleOrder{OrderID: "wso_1", Lines: &lines, PriceList: tradeList()}); err != nil || events != nil {
		t.Errorf("same lines again: %v %v", events, err)
	}
	other := fold(&PriceList{}, PriceListCreated{PriceListID: "pl2", Name: "Other", Currency: "USD", CustomerIDs: []string{"cus_1"},
		Prices: map[string]SKUPrice{"WIDGET": {UnitPrice: 1}}})
	if _, err := o.Update(UpdateWholesaleOrder{OrderID: "wso_1", Lines: &lines, PriceList: other}); !hasFields(err, "price_list_id") {
		t.Errorf("another list: %v", err)
	}
	if _, err := o.Update(UpdateWholesaleOrder{OrderID: "wso_1", Lines: &lines}); !hasFields(err, "price_list_id") {
		t.Errorf("lines without a list: %v", err)
	}
}
func TestWholesaleClonesShareNothing(t *testing.T) {
	p := tradeList()
	cp := p.Clone()
	cp.Prices["WIDGET"].Tiers[0] = PriceTier{MinQuantity: 99, UnitPrice: 1}
	cp.CustomerIDs[0] = "x"
	if got, _ := p.Price("WIDGET", 10); got != 900 || p.CustomerIDs[0] != "cus_1" {
		t.Error("price list clone shares memory")
	}
	o := wholesaleOrderIn(t, WholesaleOrderStatusInvoiced)
	oc := o.Clone()
	oc.Lines[0].Quantity = 999
	*oc.DueAt = t0.Add(time.Hour)
	if o.Lines[0].Quantity != 12 || !o.DueAt.Equal(t0) {
		t.Error("order clone shares memory")
	}
	a := acmeAccount(100)
	fold(a, WholesaleCreditReserved{OrderID: "o1", Amount: 5})
	ac := a.Clone()
	delete(ac.CreditLines, "o1")
	if a.Exposure() != 5 {
		t.Error("account clone shares memory")
	}
}
