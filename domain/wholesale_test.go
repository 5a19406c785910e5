package domain

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, wholesaleGoldens) }

// wholesaleGoldens is one realistic value per wholesale event type (see goldens).
var wholesaleGoldens = map[string]Event{
	"PriceListCreated.v1": PriceListCreated{PriceListID: "pl_trade", Name: "Trade 2026", Currency: "USD",
		CustomerIDs: []string{"cus_acme", "cus_globex"},
		Prices: map[string]SKUPrice{
			"WIDGET-BLU": {UnitPrice: 1200, Tiers: []PriceTier{{MinQuantity: 10, UnitPrice: 1100}, {MinQuantity: 100, UnitPrice: 950}}},
			"GADGET-01":  {UnitPrice: 4999},
		}},
	"PriceListUpdated.v1": PriceListUpdated{PriceListID: "pl_trade", Name: &Change{From: "Trade 2026", To: "Trade 2026 H2"},
		Prices: map[string]PriceChange{
			"WIDGET-BLU": {From: &SKUPrice{UnitPrice: 1200, Tiers: []PriceTier{{MinQuantity: 10, UnitPrice: 1100}}}, To: &SKUPrice{UnitPrice: 1150}},
			"GADGET-01":  {From: &SKUPrice{UnitPrice: 4999}},
			"SPROCKET-9": {To: &SKUPrice{UnitPrice: 325, Tiers: []PriceTier{{MinQuantity: 500, UnitPrice: 300}}}},
		},
		CustomerIDs: &IDsChange{From: []string{"cus_acme", "cus_globex"}, To: []string{"cus_acme"}}},
	"PriceListArchived.v1": PriceListArchived{PriceListID: "pl_trade", Reason: "replaced by pl_trade_2027"},
	"WholesaleAccountOpened.v1": WholesaleAccountOpened{CustomerID: "cus_acme", Currency: "USD", CreditLimit: 5_000_000,
		NetTerms: NetTerms30, PriceListID: "pl_trade"},
	"WholesaleAccountUpdated.v1": WholesaleAccountUpdated{CustomerID: "cus_acme", CreditLimit: &AmountChange{From: 5_000_000, To: 7_500_000},
		NetTerms: &Change{From: "NET30", To: "NET60"}, PriceListID: &Change{From: "pl_trade", To: "pl_trade_2027"}},
	"WholesaleCreditReserved.v1": WholesaleCreditReserved{CustomerID: "cus_acme", OrderID: "wso_1", Amount: 1_234_500, Currency: "USD"},
	"WholesaleCreditInvoiced.v1": WholesaleCreditInvoiced{CustomerID: "cus_acme", OrderID: "wso_1"},
	"WholesaleCreditReleased.v1": WholesaleCreditReleased{CustomerID: "cus_acme", OrderID: "wso_1", Amount: 1_234_500, Reason: "paid"},
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

// fold applies events to a, as the command loop does.
func fold[A Aggregate](a A, events ...Event) A {
	for _, e := range events {
		v := a.CurrentVersion() + 1
		a.Apply(Envelope{Event: e, Version: v, Time: t0.Add(time.Duration(v) * time.Second)})
	}
	return a
}

var tradeListCreated = PriceListCreated{PriceListID: "pl1", Name: "Trade", Currency: "USD", CustomerIDs: []string{"cus_1"},
	Prices: map[string]SKUPrice{
		"WIDGET": {UnitPrice: 1000, Tiers: []PriceTier{{MinQuantity: 10, UnitPrice: 900}, {MinQuantity: 50, UnitPrice: 800}}},
		"GADGET": {UnitPrice: 2500},
	}}

func tradeList() *PriceList { return fold(&PriceList{}, tradeListCreated) }

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

func TestEveryPriceListStatusActionPair(t *testing.T) {
	allowed := map[PriceListStatus]map[string]PriceListStatus{
		PriceListStatusActive:   {"update": PriceListStatusActive, "archive": PriceListStatusArchived},
		PriceListStatusArchived: {},
	}
	for _, from := range PriceListStatuses {
		for _, action := range PriceListActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				p := tradeList()
				if from == PriceListStatusArchived {
					fold(p, PriceListArchived{PriceListID: "pl1"})
				}
				before := p.Clone()
				var events []Event
				var err error
				if action == "update" {
					events, err = p.Update(UpdatePriceList{PriceListID: "pl1", Name: ptr("Trade B")})
				} else {
					events, err = p.Archive("replaced")
				}
				if diff := cmp.Diff(before, p); diff != "" {
					t.Fatalf("decide mutated the price list:\n%s", diff)
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
				if fold(p, events...); p.Status != want {
					t.Fatalf("folded to %s, want %s", p.Status, want)
				}
			})
		}
	}
}

func TestPriceListVolumeTiers(t *testing.T) {
	p := tradeList() // WIDGET 1000, from 10: 900, from 50: 800; GADGET 2500 without tiers
	cases := []struct {
		name  string
		sku   string
		qty   int64
		price int64
		ok    bool
	}{
		{"one unit pays the base price", "WIDGET", 1, 1000, true},
		{"just under the first tier pays the base price", "WIDGET", 9, 1000, true},
		{"the first tier's boundary gets the tier", "WIDGET", 10, 900, true},
		{"between tiers keeps the lower tier", "WIDGET", 49, 900, true},
		{"the top tier's boundary gets the top tier", "WIDGET", 50, 800, true},
		{"far above the top tier keeps the top tier", "WIDGET", 100000, 800, true},
		{"a SKU without tiers pays its base at any quantity", "GADGET", 500, 2500, true},
		{"a SKU not on the list has no price", "NOPE", 1, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			price, ok := p.Price(c.sku, c.qty)
			if price != c.price || ok != c.ok {
				t.Errorf("Price(%s, %d) = %d, %v; want %d, %v", c.sku, c.qty, price, ok, c.price, c.ok)
			}
		})
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

// fieldsOf lists the fields of a *ValidationError, nil for any other error.
func fieldsOf(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func hasFields(err error, fields ...string) bool { return cmp.Equal(fields, fieldsOf(err)) }

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

func TestCreatePriceListValidation(t *testing.T) {
	cases := []struct {
		name   string
		cmd    CreatePriceList
		fields []string // nil means accepted
	}{
		{"valid", CreatePriceList{PriceListID: "pl1", Name: "Trade", Currency: "EUR", CustomerIDs: []string{"c2", "c1"},
			Prices: map[string]SKUPrice{"A": {UnitPrice: 10, Tiers: []PriceTier{{2, 9}, {5, 9}, {100, 1}}}}}, nil},
		{"an empty list", CreatePriceList{PriceListID: "pl1", Name: "Trade", Currency: "EUR"}, nil},
		{"every field bad at once", CreatePriceList{PriceListID: "", Name: " ", Currency: "usd", CustomerIDs: []string{"c1", "c1", "a b"},
			Prices: map[string]SKUPrice{
				"A":     {UnitPrice: 0},
				"B":     {UnitPrice: 100, Tiers: []PriceTier{{MinQuantity: 1, UnitPrice: 90}, {MinQuantity: 10, UnitPrice: 110}}},
				"C":     {UnitPrice: 100, Tiers: []PriceTier{{MinQuantity: 10, UnitPrice: 90}, {MinQuantity: 10, UnitPrice: 80}, {MinQuantity: 20, UnitPrice: 85}}},
				"D E":   {UnitPrice: 5},
				"F":     {UnitPrice: -5, Tiers: []PriceTier{{MinQuantity: 3, UnitPrice: 0}}},
				"G":     {UnitPrice: maxUnitPrice + 1},
				"H-ok":  {UnitPrice: 7, Tiers: []PriceTier{{MinQuantity: 2, UnitPrice: 7}}},
				"I-bad": {UnitPrice: 7, Tiers: []PriceTier{{MinQuantity: 0, UnitPrice: 8}}},
			}},
			[]string{"id", "name", "currency", "customer_ids[1]", "customer_ids[2]",
				"prices.A.unit_price",
				"prices.B.tiers[0].min_quantity", "prices.B.tiers[1].unit_price",
				"prices.C.tiers[1].min_quantity", "prices.C.tiers[2].unit_price",
				"prices.D E",
				"prices.F.unit_price", "prices.F.tiers[0].unit_price",
				"prices.G.unit_price",
				"prices.I-bad.tiers[0].min_quantity", "prices.I-bad.tiers[0].unit_price"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			events, err := (&PriceList{}).Create(c.cmd)
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
	p := fold(&PriceList{}, mustEvents(t)((&PriceList{}).Create(cases[0].cmd))...)
	if diff := cmp.Diff([]string{"c1", "c2"}, p.CustomerIDs); diff != "" || !p.AssignedTo("c2") || p.AssignedTo("c3") {
		t.Errorf("customer ids are kept sorted: %s", diff)
	}
	if _, err := p.Create(cases[0].cmd); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("create twice: %v", err)
	}
}

func mustEvents(t *testing.T) func([]Event, error) []Event {
	return func(events []Event, err error) []Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return events
	}
}

func TestUpdatePriceListRecordsOnlyChangesWithPreviousValues(t *testing.T) {
	p := tradeList()
	prices := map[string]SKUPrice{
		"WIDGET":   {UnitPrice: 1000, Tiers: []PriceTier{{MinQuantity: 10, UnitPrice: 900}, {MinQuantity: 50, UnitPrice: 800}}}, // same
		"GADGET":   {UnitPrice: 2400, Tiers: []PriceTier{}},
		"SPROCKET": {UnitPrice: 50},
	}
	events, err := p.Update(UpdatePriceList{PriceListID: "pl1", Name: ptr("Trade"), Prices: &prices, CustomerIDs: &[]string{"cus_2", "cus_1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{PriceListUpdated{PriceListID: "pl1",
		Prices: map[string]PriceChange{
			"GADGET":   {From: &SKUPrice{UnitPrice: 2500}, To: &SKUPrice{UnitPrice: 2400}},
			"SPROCKET": {To: &SKUPrice{UnitPrice: 50}},
		},
		CustomerIDs: &IDsChange{From: []string{"cus_1"}, To: []string{"cus_1", "cus_2"}}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	fold(p, events...)
	if got, _ := p.Price("GADGET", 1); got != 2400 || len(p.Prices) != 3 || !p.AssignedTo("cus_2") {
		t.Errorf("folded: %+v", p)
	}
	if events, err := p.Update(UpdatePriceList{PriceListID: "pl1", Prices: &prices, CustomerIDs: &[]string{"cus_1", "cus_2"}}); err != nil || events != nil {
		t.Errorf("no change gave %v %v", events, err)
	}
	removed := fold(p, mustEvents(t)(p.Update(UpdatePriceList{PriceListID: "pl1", Prices: &map[string]SKUPrice{}}))...)
	if removed.Prices != nil {
		t.Errorf("clearing prices left %v", removed.Prices)
	}
	if _, err := p.Update(UpdatePriceList{PriceListID: "pl1", Name: ptr("")}); !hasFields(err, "name") {
		t.Errorf("clearing the name: %v", err)
	}
	if _, err := (&PriceList{}).Update(UpdatePriceList{PriceListID: "pl1"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of nothing: %v", err)
	}
}

func acmeAccount(limit int64) *WholesaleAccount {
	return fold(&WholesaleAccount{}, WholesaleAccountOpened{CustomerID: "cus_1", Currency: "USD", CreditLimit: limit, NetTerms: NetTerms30})
}

func TestCreditLimit(t *testing.T) {
	a := acmeAccount(500000)
	reserve := func(order string, amount int64) ([]Event, error) {
		before := a.Clone()
		events, err := a.ReserveCredit(ReserveCredit{CustomerID: "cus_1", OrderID: order, Amount: amount, Currency: "USD"})
		if diff := cmp.Diff(before, a); diff != "" {
			t.Fatalf("decide mutated the account:\n%s", diff)
		}
		fold(a, events...)
		return events, err
	}
	if _, err := reserve("o1", 420000); err != nil {
		t.Fatal(err)
	}
	_, err := reserve("o2", 100000)
	var cle *CreditLimitError
	if !errors.As(err, &cle) {
		t.Fatalf("over the limit: %v", err)
	}
	if diff := cmp.Diff(&CreditLimitError{CustomerID: "cus_1", Limit: 500000, Exposure: 420000, Amount: 100000, Currency: "USD"}, cle); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if got, want := err.Error(), "credit limit 500000 USD exceeded: 420000 in use + 100000 ordered"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if events, err := reserve("o2", 80000); err != nil || len(events) != 1 {
		t.Fatalf("exactly at the limit: %v %v", events, err)
	}
	if a.Exposure() != 500000 {
		t.Errorf("exposure %d", a.Exposure())
	}
	if _, err := reserve("o3", 1); !errors.As(err, &cle) || cle.Exposure != 500000 || cle.Amount != 1 {
		t.Errorf("one over the limit: %v", err)
	}
	if events, err := reserve("o1", 420000); err != nil || events != nil {
		t.Errorf("reserving a held order again: %v %v", events, err)
	}
	// invoicing keeps the credit in use; paying frees it
	fold(a, mustEvents(t)(a.InvoiceCredit(InvoiceCredit{CustomerID: "cus_1", OrderID: "o1"}))...)
	if a.CreditLines["o1"].State != CreditStateInvoiced || a.Exposure() != 500000 {
		t.Errorf("after invoice: %+v", a.CreditLines)
	}
	if events, err := a.InvoiceCredit(InvoiceCredit{CustomerID: "cus_1", OrderID: "o1"}); err != nil || events != nil {
		t.Errorf("invoicing twice: %v %v", events, err)
	}
	released := mustEvents(t)(a.ReleaseCredit(ReleaseCredit{CustomerID: "cus_1", OrderID: "o1", Reason: "paid"}))
	if diff := cmp.Diff([]Event{WholesaleCreditReleased{CustomerID: "cus_1", OrderID: "o1", Amount: 420000, Reason: "paid"}}, released); diff != "" {
		t.Errorf("released (-want +got):\n%s", diff)
	}
	fold(a, released...)
	if events, err := reserve("o3", 420000); err != nil || len(events) != 1 {
		t.Errorf("reserve after release: %v %v", events, err)
	}
	if events, err := a.ReleaseCredit(ReleaseCredit{CustomerID: "cus_1", OrderID: "o1", Reason: "cancelled"}); err != nil || events != nil {
		t.Errorf("releasing an order holding nothing: %v %v", events, err)
	}
	if _, err := a.ReleaseCredit(ReleaseCredit{CustomerID: "cus_1", OrderID: "o2", Reason: "lost"}); !hasFields(err, "reason") {
		t.Errorf("bad reason: %v", err)
	}
	if _, err := reserve("o9", 1); !errors.As(err, &cle) {
		t.Errorf("full again: %v", err)
	}
	if _, err := acmeAccount(0).ReserveCredit(ReserveCredit{OrderID: "o1", Amount: 1, Currency: "USD"}); !errors.As(err, &cle) {
		t.Errorf("a zero limit allowed credit: %v", err)
	}
	if _, err := acmeAccount(10).ReserveCredit(ReserveCredit{OrderID: "o 1", Amount: 0, Currency: "EUR"}); !hasFields(err, "order_id", "amount", "currency") {
		t.Errorf("bad reservation: %v", err)
	}
	if _, err := (&WholesaleAccount{}).ReserveCredit(ReserveCredit{OrderID: "o1", Amount: 1, Currency: "USD"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("no account: %v", err)
	}
}

func TestOpenAndUpdateWholesaleAccount(t *testing.T) {
	bad := OpenWholesaleAccount{CustomerID: "", Currency: "US", CreditLimit: -1, NetTerms: "NET45", PriceListID: "p l"}
	if _, err := (&WholesaleAccount{}).Open(bad); !hasFields(err, "customer_id", "currency", "credit_limit", "net_terms", "price_list_id") {
		t.Errorf("bad opening: %v", err)
	}
	a := acmeAccount(1000)
	if _, err := a.Open(OpenWholesaleAccount{CustomerID: "cus_1", Currency: "USD", NetTerms: NetTerms15}); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("open twice: %v", err)
	}
	events, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", CreditLimit: ptr(int64(2000)), NetTerms: ptr(NetTerms30),
		PriceListID: ptr("pl1")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{WholesaleAccountUpdated{CustomerID: "cus_1", CreditLimit: &AmountChange{From: 1000, To: 2000},
		PriceListID: &Change{From: "", To: "pl1"}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("updated (-want +got):\n%s", diff)
	}
	if fold(a, events...); a.CreditLimit != 2000 || a.PriceListID != "pl1" {
		t.Errorf("folded: %+v", a)
	}
	if events, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", CreditLimit: ptr(int64(2000))}); err != nil || events != nil {
		t.Errorf("no change gave %v %v", events, err)
	}
	if _, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", CreditLimit: ptr(int64(-5)), NetTerms: ptr(NetTerms("NET7")),
		Currency: ptr("eur")}); !hasFields(err, "currency", "credit_limit", "net_terms") {
		t.Errorf("bad update: %v", err)
	}
	fold(a, WholesaleCreditReserved{CustomerID: "cus_1", OrderID: "o1", Amount: 10, Currency: "USD"})
	if _, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", Currency: ptr("EUR")}); !hasFields(err, "currency") {
		t.Errorf("currency change while credit is held: %v", err)
	}
	if _, err := (&WholesaleAccount{}).Update(UpdateWholesaleAccount{CustomerID: "cus_1"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of nothing: %v", err)
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
