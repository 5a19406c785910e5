package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, priceListGoldens) }

// priceListGoldens is one realistic value per price list event type (see goldens).
var priceListGoldens = map[string]Event{
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
}

var tradeListCreated = PriceListCreated{PriceListID: "pl1", Name: "Trade", Currency: "USD", CustomerIDs: []string{"cus_1"},
	Prices: map[string]SKUPrice{
		"WIDGET": {UnitPrice: 1000, Tiers: []PriceTier{{MinQuantity: 10, UnitPrice: 900}, {MinQuantity: 50, UnitPrice: 800}}},
		"GADGET": {UnitPrice: 2500},
	}}

func tradeList() *PriceList { return fold(&PriceList{}, tradeListCreated) }

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
