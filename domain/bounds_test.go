package domain

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// edgeValues are the numbers the bound tests are made of: the bounds and one past
// them, the per-field limits, int64's ends and what overflows when doubled.
var edgeValues = []int64{0, 1, -1, 2, maxQuantity, maxQuantity + 1, maxUnitPrice, maxUnitPrice + 1,
	MaxQuantity, MaxQuantity + 1, -MaxQuantity, -MaxQuantity - 1, MaxMoney, MaxMoney + 1, -MaxMoney,
	1 << 62, -(1 << 62), 3_037_000_500, math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1}

// TestCheckedArithmeticAgreesWithBigIntegers: each helper's ok says exactly whether the
// exact result is in its range, and an ok result is the exact one.
func TestCheckedArithmeticAgreesWithBigIntegers(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	pick := func() int64 {
		if r.IntN(2) == 0 {
			return edgeValues[r.IntN(len(edgeValues))]
		}
		return int64(r.Uint64()) >> r.IntN(64)
	}
	quantity := func(x *big.Int) bool { return x.IsInt64() && QuantityInRange(x.Int64()) }
	money := func(x *big.Int) bool { return x.IsInt64() && MoneyInRange(x.Int64()) }
	ops := []struct {
		name    string
		f       func(a, b int64) (int64, bool)
		exact   func(z, a, b *big.Int) *big.Int
		inRange func(*big.Int) bool
	}{
		{"AddQuantity", AddQuantity, (*big.Int).Add, quantity},
		{"SubQuantity", SubQuantity, (*big.Int).Sub, quantity},
		{"MulQuantity", MulQuantity, (*big.Int).Mul, quantity},
		{"AddMoney", AddMoney, (*big.Int).Add, money},
		{"SubMoney", SubMoney, (*big.Int).Sub, money},
		{"MulMoney", MulMoney, (*big.Int).Mul, money},
	}
	unsigned := func(a, b int64) bool { return a >= 0 && b >= 0 }
	for range 20_000 {
		a, b := pick(), pick()
		for _, op := range ops {
			want := op.exact(new(big.Int), big.NewInt(a), big.NewInt(b))
			got, ok := op.f(a, b)
			wantOK := op.inRange(want) && (op.name != "MulMoney" || unsigned(a, b)) // no negative quantity or price
			if ok != wantOK || ok && got != want.Int64() {
				t.Fatalf("%s(%d, %d) = %d, %v; exact %s", op.name, a, b, got, ok, want)
			}
		}
	}
	// mul's own overflow edge, which the bounds never reach
	for _, c := range []struct{ a, b, want int64 }{{math.MinInt64, 1, math.MinInt64}, {1 << 62, -2, math.MinInt64}, {-1, math.MaxInt64, -math.MaxInt64}} {
		if got, ok := mul(c.a, c.b); !ok || got != c.want {
			t.Errorf("mul(%d, %d) = %d, %v", c.a, c.b, got, ok)
		}
	}
	for _, c := range [][2]int64{{math.MinInt64, -1}, {1 << 62, 2}, {-(1 << 62), -2}, {3_037_000_500, 3_037_000_500}} {
		if got, ok := mul(c[0], c[1]); ok {
			t.Errorf("mul(%d, %d) = %d, ok", c[0], c[1], got)
		}
	}
}

// TestTheReviewedOverflowsAreRefused: the adversarial review's cases, each refused on the
// field the caller sent.
func TestTheReviewedOverflowsAreRefused(t *testing.T) {
	tenBig := make([]OrderLineInput, 10)
	for i := range tenBig {
		tenBig[i] = OrderLineInput{SKU: "S" + itoa(i), Quantity: 1_000_000, UnitPrice: 1_000_000_000_000}
	}
	order := func() *Order {
		o := &Order{}
		return foldOrder(o, must(o.Create(CreateOrder{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main",
			Items: []OrderLineInput{{SKU: "A", Quantity: 1, UnitPrice: 100}}})))
	}
	bigList := fold(&PriceList{}, PriceListCreated{PriceListID: "pl1", Name: "T", Currency: "USD", CustomerIDs: []string{"cus_1"},
		Prices: map[string]SKUPrice{"S0": {UnitPrice: maxUnitPrice}, "S1": {UnitPrice: maxUnitPrice}}})
	item := stocked(t, 10, 0)
	legacy := foldItem(stocked(t, 0, 0), []Event{InventoryAdjusted{StockMovement: StockMovement{ItemID: item.ID, SKU: "SKU-1",
		LocationID: "main", Reason: ReasonReceipt, OnHandDelta: math.MaxInt64, OnHand: math.MaxInt64}}})
	count := fold(&CycleCount{}, CycleCountCreated{CycleCountID: "cc1", WarehouseID: "main", SKUs: []string{"SKU-1"}}, CycleCountStarted{CycleCountID: "cc1"})
	counted := fold(count.Clone(), CycleCountSubmitted{CycleCountID: "cc1", Counts: []CountLine{{SKU: "SKU-1", Counted: 5}}})
	table := activeBOM("b1", "TABLE", BOMComponent{SKU: "TOP", Quantity: 1_000_000})
	x, err := Explode(table, 1_000_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		decide func() ([]Event, error)
		fields []string
	}{
		{"ten order lines of 10^6 at 10^12", func() ([]Event, error) {
			return (&Order{}).Create(CreateOrder{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main", Items: tenBig})
		}, []string{"items[0].quantity"}},
		{"an order edited to lines that add past 10^15", func() ([]Event, error) {
			lines := []OrderLineInput{{SKU: "A", Quantity: 1000, UnitPrice: maxUnitPrice}, {SKU: "B", Quantity: 1, UnitPrice: 1}}
			return order().Update(UpdateOrder{Items: &lines})
		}, []string{"items"}},
		{"a refund past what was paid", func() ([]Event, error) {
			o := foldOrder(order(), []Event{OrderPaid{OrderID: "o1", Amount: 100}, OrderRefunded{OrderID: "o1", Amount: 60, PaymentStatus: PaymentPartiallyRefunded}})
			return o.Refund(math.MaxInt64, "", "", "")
		}, []string{"amount"}},
		{"a wholesale order of 10^6 at 10^12 twice", func() ([]Event, error) {
			return (&WholesaleOrder{}).Create(CreateWholesaleOrder{OrderID: "w1", OrderNumber: "W-1", CustomerID: "cus_1",
				LocationID: "main", NetTerms: NetTerms30, PriceList: bigList,
				Lines: []WholesaleLineInput{{LineID: "1", SKU: "S0", Quantity: 1000}, {LineID: "2", SKU: "S1", Quantity: 1}}})
		}, []string{"lines"}},
		{"a price tier past 10^12 units", func() ([]Event, error) {
			return (&PriceList{}).Create(CreatePriceList{PriceListID: "pl", Name: "T", Currency: "USD",
				Prices: map[string]SKUPrice{"S": {UnitPrice: 10, Tiers: []PriceTier{{MinQuantity: math.MaxInt64, UnitPrice: 1}}}}})
		}, []string{"prices.S.tiers[0].min_quantity"}},
		{"a purchase order line of 10^6 at 10^12", func() ([]Event, error) {
			cmd := validPurchaseOrder(t)
			cmd.Currency, cmd.Items = "USD", []PurchaseLineInput{{SKU: "TEE", Quantity: 1_000_000, UnitCost: ptr[int64](maxUnitPrice)}}
			return (&PurchaseOrder{}).Create(cmd)
		}, []string{"items[0].quantity"}},
		{"an inventory item opened at 2^63-1 with every level at 2^63-1", func() ([]Event, error) {
			return (&InventoryItem{}).Create(CreateInventoryItem{SKU: "S", LocationID: "main", OnHand: math.MaxInt64,
				ReorderPoint: math.MaxInt64, ReorderQuantity: math.MaxInt64, UnitCost: math.MaxInt64}, "")
		}, []string{"on_hand", "reorder_point", "reorder_quantity", "unit_cost"}},
		{"an item's unit cost edited to 2^63-1", func() ([]Event, error) {
			return item.Update(UpdateInventoryItem{UnitCost: ptr[int64](math.MaxInt64)})
		}, []string{"unit_cost"}},
		{"an adjustment of 2^63-1", func() ([]Event, error) {
			return item.Adjust(AdjustInventory{Quantity: math.MaxInt64, Reason: ReasonReceipt})
		}, []string{"quantity"}},
		{"one more unit on an item stored at 2^63-1 before the bound", func() ([]Event, error) {
			return legacy.Adjust(AdjustInventory{Quantity: 1, Reason: ReasonReceipt})
		}, []string{"quantity"}},
		{"a count of 2^63-1", func() ([]Event, error) {
			return count.Submit([]CountLine{{SKU: "SKU-1", Counted: math.MaxInt64}})
		}, []string{"counts[0].counted"}},
		{"a count against on hand stored at 2^63-1 before the bound", func() ([]Event, error) {
			return counted.Reconcile(map[string]*InventoryItem{"SKU-1": legacy})
		}, []string{"counts[0].counted"}},
		{"a work order completion of 2^62 made and 2^62 scrapped", func() ([]Event, error) {
			wo := fold(newWorkOrder(t), WorkOrderReleased{}, WorkOrderStarted{})
			return wo.Complete(CompleteWorkOrder{QuantityProduced: 1 << 62, ScrapQuantity: 1 << 62})
		}, []string{"quantity_produced", "scrap_quantity"}},
		{"an explosion of 10^12 units at 10^12 each", func() ([]Event, error) {
			return nil, x.Cost(map[string]int64{"TOP": maxUnitPrice})
		}, []string{"quantity"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			events, err := c.decide()
			if !hasFields(err, c.fields...) {
				t.Fatalf("got %v (events %v), want a ValidationError on %v", err, events, c.fields)
			}
		})
	}
	if x.TotalCost != 0 || x.Leaves[0].Cost != 0 {
		t.Errorf("a refused Cost changed the explosion: %+v", x)
	}
}

// TestCreditCannotWrapPastTheLimit: exposure plus an order is compared without wrapping,
// so no amount, however large, slips under the limit.
func TestCreditCannotWrapPastTheLimit(t *testing.T) {
	a := fold(&WholesaleAccount{}, WholesaleAccountOpened{CustomerID: "cus_1", Currency: "USD", CreditLimit: MaxMoney, NetTerms: NetTerms30},
		WholesaleCreditReserved{CustomerID: "cus_1", OrderID: "o1", Amount: MaxMoney - 10, Currency: "USD"})
	for _, amount := range []int64{11, MaxMoney, math.MaxInt64} {
		_, err := a.ReserveCredit(ReserveCredit{CustomerID: "cus_1", OrderID: "o2", Amount: amount, Currency: "USD"})
		if _, ok := errors.AsType[*CreditLimitError](err); !ok && !hasFields(err, "amount") {
			t.Errorf("amount %d: %v, want a refusal", amount, err)
		}
	}
	if events, err := a.ReserveCredit(ReserveCredit{CustomerID: "cus_1", OrderID: "o2", Amount: 10, Currency: "USD"}); err != nil || len(events) != 1 {
		t.Errorf("exactly to the limit: %v %v", events, err)
	}
}
