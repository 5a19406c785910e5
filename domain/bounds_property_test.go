package domain

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRandomExtremeNumbersNeverWrap drives random numbers, most of them at an edge (0, 1,
// a bound, one past it, 2^62, int64's ends), through every decision that takes or
// computes a quantity or an amount: orders (create, edit, pay, refund), purchase orders
// (create, receive), wholesale (price lists, accounts, orders, submit under a credit
// limit), bills of materials (create, explode, cost), work orders (create, complete),
// inventory (create, update, adjust, reserve) and cycle counts (submit, reconcile). Every
// decision either is refused with a typed domain error — a *ValidationError naming only
// fields the call was given — or yields events whose every figure is within bounds and
// agrees with the same figure computed in math/big. The seed is fixed: a failure repeats.
func TestRandomExtremeNumbersNeverWrap(t *testing.T) {
	p := &prop{t: t, r: rand.New(rand.NewPCG(2026, 9))}
	for p.iter = range 500 {
		p.orders()
		p.purchaseOrders()
		p.wholesale()
		p.manufacturing()
		p.stock()
	}
}

// prop is one property run: its random source and where it is, for the failure message.
type prop struct {
	t    *testing.T
	r    *rand.Rand
	iter int
	step string
}

func (p *prop) fail(format string, args ...any) {
	p.t.Helper()
	p.t.Fatalf("iteration %d, %s: %s", p.iter, p.step, fmt.Sprintf(format, args...))
}

// any is a number of any size, an edge value more often than not.
func (p *prop) any() int64 {
	switch p.r.IntN(4) {
	case 0:
		return int64(p.r.Uint64()) >> p.r.IntN(64) // random magnitude, either sign
	case 1:
		return p.r.Int64N(1000)
	}
	return edgeValues[p.r.IntN(len(edgeValues))]
}

// upTo is a number meant for a field whose limit is limit (positive): often the limit
// itself, or one past it, or below it, or anything at all.
func (p *prop) upTo(limit int64) int64 {
	switch n := p.r.IntN(20); {
	case n < 9:
		return limit
	case n < 11:
		return limit + 1
	case n < 16:
		return 1 + p.r.Int64N(limit)
	}
	return p.any()
}

// near is a number around x (a total, what is left): x, x±1, 0, or anything.
func (p *prop) near(x int64) int64 {
	return []int64{x, x - 1, x + 1, 0, p.any()}[p.r.IntN(5)]
}

// refused reports whether err refused the decision, failing unless it is a typed domain
// error and, for a *ValidationError, every field it names starts with one of given.
func (p *prop) refused(err error, given ...string) bool {
	p.t.Helper()
	if err == nil {
		return false
	}
	if ve, ok := errors.AsType[*ValidationError](err); ok {
		for _, f := range ve.Fields {
			if !slices.ContainsFunc(given, func(g string) bool { return strings.HasPrefix(f.Field, g) }) {
				p.fail("%v names %q, which the call was not given (it was given %v)", err, f.Field, given)
			}
		}
		return true
	}
	_, transition := errors.AsType[*TransitionError](err)
	_, credit := errors.AsType[*CreditLimitError](err)
	_, stock := errors.AsType[*InsufficientStockError](err)
	if !transition && !credit && !stock {
		p.fail("%v (%T) is no typed domain error", err, err)
	}
	return true
}

// apply checks the figures of events and folds them into a.
func (p *prop) apply(a Aggregate, events []Event) {
	p.t.Helper()
	for _, e := range events {
		p.inBounds(e)
		v := a.CurrentVersion() + 1
		a.Apply(Envelope{Event: e, Version: v, Position: uint64(v), Time: t0.Add(time.Duration(v) * time.Second)})
	}
}

// moneyFields are the JSON names of amounts of money; every other int64 is a quantity.
var moneyFields = []string{"total", "subtotal", "amount", "unit_price", "unit_cost", "cost", "total_cost",
	"credit_limit", "subtotal_from", "subtotal_to", "total_from", "total_to"}

// inBounds fails unless every int64 in v (an event, an explosion) is in its range: money
// 0 to MaxMoney, a quantity within ±MaxQuantity. A from/to pair is its parent field.
func (p *prop) inBounds(v any) {
	p.t.Helper()
	var walk func(path, name string, x reflect.Value)
	walk = func(path, name string, x reflect.Value) {
		switch x.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !x.IsNil() {
				walk(path, name, x.Elem())
			}
		case reflect.Struct:
			if x.Type() == reflect.TypeFor[time.Time]() {
				return
			}
			for i := range x.NumField() {
				f := x.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				switch {
				case f.Anonymous:
					walk(path, name, x.Field(i))
				case tag == "from" || tag == "to":
					walk(path+"."+tag, name, x.Field(i))
				default:
					walk(path+"."+tag, tag, x.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range x.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), name, x.Index(i))
			}
		case reflect.Map:
			for _, k := range x.MapKeys() {
				walk(path+"."+fmt.Sprint(k.Interface()), name, x.MapIndex(k))
			}
		case reflect.Int64:
			n := x.Int()
			if slices.Contains(moneyFields, name) {
				if !MoneyInRange(n) {
					p.fail("%T%s = %d: an amount outside 0..%d", v, path, n, MaxMoney)
				}
			} else if !QuantityInRange(n) {
				p.fail("%T%s = %d: a quantity outside ±%d", v, path, n, MaxQuantity)
			}
		}
	}
	walk("", "", reflect.ValueOf(v))
}

// same fails unless got is the exact value want (computed in math/big).
func (p *prop) same(what string, got int64, want *big.Int) {
	p.t.Helper()
	if !want.IsInt64() || got != want.Int64() {
		p.fail("%s = %d, exactly %s", what, got, want)
	}
}

func product(a, b int64) *big.Int { return new(big.Int).Mul(big.NewInt(a), big.NewInt(b)) }

// priced fails unless each line's total is its quantity times its unit price, and subtotal
// and total their sum, exactly.
func (p *prop) priced(lines int, line func(i int) (qty, price, total int64), subtotal, total int64) {
	p.t.Helper()
	sum := new(big.Int)
	for i := range lines {
		q, price, t := line(i)
		p.same(fmt.Sprintf("line %d total", i), t, product(q, price))
		sum.Add(sum, big.NewInt(t))
	}
	p.same("subtotal", subtotal, sum)
	p.same("total", total, sum)
}

// amounts draws n lines' quantities and unit prices in one of three ways: the same edge
// values on every line (ten lines of 10^6 at 10^12 pass int64), edge values line by line,
// or valid numbers whose total lands at MaxMoney or a unit or so either side (one line
// nudged).
func (p *prop) amounts(n int) (qty, price []int64) {
	qty, price = make([]int64, n), make([]int64, n)
	mode, nudged := p.r.IntN(3), p.r.IntN(n)
	for i := range n {
		switch {
		case mode == 0 && i > 0:
			qty[i], price[i] = qty[0], price[0]
		case mode == 2:
			least := (MaxMoney/maxUnitPrice + int64(n) - 1) / int64(n) // so that the price fits its own limit
			qty[i] = least + p.r.Int64N(maxQuantity-least)
			price[i] = p.fitting(n, qty[i], i == nudged)
		default:
			qty[i], price[i] = p.upTo(maxQuantity), p.upTo(maxUnitPrice)
		}
	}
	return qty, price
}

// fitting is what one of n lines takes, times by, to bring their total to MaxMoney; the
// nudged line takes a number near it.
func (p *prop) fitting(n int, by int64, nudged bool) int64 {
	if by <= 0 {
		return p.upTo(maxQuantity)
	}
	x := MaxMoney / int64(n) / by
	if nudged {
		return p.near(x)
	}
	return x
}

func (p *prop) orderLines() []OrderLineInput {
	qty, price := p.amounts(1 + p.r.IntN(12))
	lines := make([]OrderLineInput, len(qty))
	for i := range lines {
		lines[i] = OrderLineInput{SKU: fmt.Sprintf("SKU-%d", i), Quantity: qty[i], UnitPrice: price[i]}
	}
	return lines
}

func (p *prop) orderPriced(o *Order) {
	p.t.Helper()
	p.priced(len(o.Items), func(i int) (int64, int64, int64) {
		return o.Items[i].Quantity, o.Items[i].UnitPrice, o.Items[i].Total
	}, o.Subtotal, o.Total)
}

func (p *prop) orders() {
	o := &Order{}
	p.step = "create an order"
	events, err := o.Create(CreateOrder{OrderID: "o1", OrderNumber: "ORD-1", CustomerID: "c1", Currency: "USD",
		LocationID: "main", Items: p.orderLines(), Submit: true})
	if p.refused(err, "items") {
		return
	}
	p.apply(o, events)
	p.orderPriced(o)

	p.step = "edit an order's lines"
	items := p.orderLines()
	events, err = o.Update(UpdateOrder{Items: &items})
	if !p.refused(err, "items") {
		p.apply(o, events)
		p.orderPriced(o)
	}

	p.step = "pay an order"
	events, err = o.Pay(p.near(o.Total), "ch_1")
	if p.refused(err, "amount") {
		return
	}
	p.apply(o, events)
	if o.PaymentStatus != PaymentPaid || o.PaidAmount != o.Total {
		p.fail("paid %d (%s) of a total of %d", o.PaidAmount, o.PaymentStatus, o.Total)
	}

	p.step = "refund an order"
	refunds := new(big.Int)
	for range 3 {
		events, err := o.Refund(p.near(o.PaidAmount-o.RefundedAmount), "", "", "")
		if p.refused(err, "amount") {
			continue
		}
		refunds.Add(refunds, big.NewInt(events[0].(OrderRefunded).Amount))
		p.apply(o, events)
		p.same("refunded", o.RefundedAmount, refunds)
		if o.RefundedAmount > o.PaidAmount {
			p.fail("refunded %d of %d paid", o.RefundedAmount, o.PaidAmount)
		}
	}
}

func (p *prop) purchaseOrders() {
	s := fold(&Supplier{}, SupplierCreated{SupplierID: "sup_1", Name: "Acme"}, SupplierStatusChanged{SupplierID: "sup_1", To: SupplierStatusActive})
	p.step = "set a catalog entry"
	events, err := s.SetProduct(SetSupplierProduct{Product: SupplierProduct{SKU: "CAT", UnitCost: p.upTo(maxUnitPrice),
		Currency: "USD", MinimumOrderQuantity: p.upTo(maxQuantity) % 3}})
	if !p.refused(err, "unit_cost", "minimum_order_quantity") {
		p.apply(s, events)
	}

	p.step = "create a purchase order"
	qty, cost := p.amounts(1 + p.r.IntN(12))
	items := make([]PurchaseLineInput, len(qty))
	for i := range items {
		items[i] = PurchaseLineInput{SKU: fmt.Sprintf("SKU-%d", i), Quantity: qty[i], UnitCost: ptr(cost[i])}
	}
	if p.r.IntN(2) == 0 {
		items[0] = PurchaseLineInput{SKU: "CAT", Quantity: qty[0]} // at the catalog's cost
	}
	o := &PurchaseOrder{}
	events, err = o.Create(CreatePurchaseOrder{PurchaseOrderID: "po1", PONumber: "PO-1", Supplier: s, LocationID: "main",
		Currency: "USD", Items: items})
	if p.refused(err, "items") {
		return
	}
	p.apply(o, events)
	p.priced(len(o.Items), func(i int) (int64, int64, int64) {
		return o.Items[i].Quantity, o.Items[i].UnitCost, o.Items[i].Total
	}, o.Total, o.Total)

	p.step = "receive a purchase order"
	p.apply(o, must(o.Act("submit", "")))
	p.apply(o, must(o.Act("approve", "")))
	for range 3 {
		l := o.Items[p.r.IntN(len(o.Items))]
		events, err := o.Receive(ReceivePurchaseOrder{Items: []PurchaseItem{{SKU: l.SKU, Quantity: p.near(l.Open())}}})
		if p.refused(err, "items") {
			continue
		}
		p.apply(o, events)
		for _, l := range o.Items {
			if l.Received < 0 || l.Received > l.Quantity {
				p.fail("line %s received %d of %d", l.LineID, l.Received, l.Quantity)
			}
		}
	}
}

func (p *prop) wholesale() {
	p.step = "create a price list"
	prices := map[string]SKUPrice{}
	for i := range 1 + p.r.IntN(3) {
		sp := SKUPrice{UnitPrice: p.upTo(maxUnitPrice)}
		if p.r.IntN(2) == 0 {
			sp.Tiers = []PriceTier{{MinQuantity: p.upTo(MaxQuantity), UnitPrice: p.near(sp.UnitPrice)}}
		}
		prices[fmt.Sprintf("SKU-%d", i)] = sp
	}
	pl := &PriceList{}
	events, err := pl.Create(CreatePriceList{PriceListID: "pl1", Name: "Trade", Currency: "USD", CustomerIDs: []string{"cus_1"}, Prices: prices})
	if p.refused(err, "prices") {
		return
	}
	p.apply(pl, events)

	p.step = "open a wholesale account"
	a := &WholesaleAccount{}
	events, err = a.Open(OpenWholesaleAccount{CustomerID: "cus_1", Currency: "USD", CreditLimit: p.upTo(MaxMoney), NetTerms: NetTerms30})
	if p.refused(err, "credit_limit") {
		return
	}
	p.apply(a, events)

	lines := func() []WholesaleLineInput {
		n, mode := 1+p.r.IntN(12), p.r.IntN(3)
		nudged := p.r.IntN(n)
		out := make([]WholesaleLineInput, n)
		for i := range out {
			sku := fmt.Sprintf("SKU-%d", p.r.IntN(len(prices)))
			out[i] = WholesaleLineInput{LineID: fmt.Sprintf("l%d", i), SKU: sku}
			switch {
			case mode == 0 && i > 0:
				out[i].Quantity = out[0].Quantity
			case mode == 2:
				out[i].Quantity = p.fitting(n, pl.Prices[sku].UnitPrice, i == nudged)
			default:
				out[i].Quantity = p.upTo(maxQuantity)
			}
		}
		return out
	}
	checkPriced := func(o *WholesaleOrder) {
		p.t.Helper()
		p.priced(len(o.Lines), func(i int) (int64, int64, int64) {
			l := o.Lines[i]
			if want, _ := pl.Price(l.SKU, l.Quantity); l.UnitPrice != want {
				p.fail("line %s priced %d, the list says %d", l.LineID, l.UnitPrice, want)
			}
			return l.Quantity, l.UnitPrice, l.Total
		}, o.Subtotal, o.Total)
	}
	for _, id := range []string{"w1", "w2", "w3"} {
		p.step = "create a wholesale order"
		o := &WholesaleOrder{}
		events, err := o.Create(CreateWholesaleOrder{OrderID: id, OrderNumber: "W-" + id, CustomerID: "cus_1", LocationID: "main",
			NetTerms: NetTerms30, Lines: lines(), PriceList: pl})
		if p.refused(err, "lines") {
			continue
		}
		p.apply(o, events)
		checkPriced(o)

		p.step = "edit a wholesale order"
		edit := lines()
		events, err = o.Update(UpdateWholesaleOrder{OrderID: id, Lines: &edit, PriceList: pl})
		if !p.refused(err, "lines") {
			p.apply(o, events)
			checkPriced(o)
		}

		// submitting is credit for the order's total, then the order's own event; the
		// submit request has no fields, so only a typed refusal of the credit may come back
		p.step = "submit a wholesale order under a credit limit"
		events, err = a.ReserveCredit(ReserveCredit{CustomerID: "cus_1", OrderID: id, Amount: o.Total, Currency: o.Currency})
		if p.refused(err) {
			continue
		}
		p.apply(a, events)
		p.apply(o, must(o.Act("submit", "", t0)))
		exposure := new(big.Int)
		for _, l := range a.CreditLines {
			exposure.Add(exposure, big.NewInt(l.Amount))
		}
		p.same("exposure", a.Exposure(), exposure)
		if a.Exposure() > a.CreditLimit {
			p.fail("exposure %d over the limit %d", a.Exposure(), a.CreditLimit)
		}
	}
}

func (p *prop) manufacturing() {
	p.step = "create bills of materials"
	active := ActiveBOMs{}
	activate := func(id, sku string, comps ...BOMComponent) *BillOfMaterials {
		b := &BillOfMaterials{}
		events, err := b.Create(CreateBOM{BOMID: id, SKU: sku, Components: comps, Subassemblies: active})
		if p.refused(err, "components") {
			return nil
		}
		p.apply(b, events)
		p.apply(b, must(b.Activate(active)))
		active[sku] = b
		return b
	}
	if activate("b_sub", "SUB", BOMComponent{SKU: "RAW1", Quantity: p.upTo(maxQuantity)}, BOMComponent{SKU: "RAW2", Quantity: p.upTo(maxQuantity)}) == nil {
		return
	}
	top := activate("b_top", "TOP", BOMComponent{SKU: "SUB", Quantity: p.upTo(maxQuantity)}, BOMComponent{SKU: "RAW1", Quantity: p.upTo(maxQuantity)})
	if top == nil {
		return
	}

	p.step = "explode a bill of materials"
	quantity := p.upTo(maxQuantity)
	x, err := Explode(top, quantity, active)
	if !p.refused(err, "quantity") {
		p.inBounds(x)
		// what each raw material needs, exactly: the tree's products, summed per SKU
		want := map[string]*big.Int{}
		var need func(b *BillOfMaterials, n *big.Int)
		need = func(b *BillOfMaterials, n *big.Int) {
			for _, c := range b.Components {
				m := new(big.Int).Mul(n, big.NewInt(c.Quantity))
				if sub := active[c.SKU]; sub != nil {
					need(sub, m)
				} else if want[c.SKU] == nil {
					want[c.SKU] = m
				} else {
					want[c.SKU].Add(want[c.SKU], m)
				}
			}
		}
		need(top, big.NewInt(quantity))
		if len(x.Leaves) != len(want) {
			p.fail("materials %v, want %v", x.Leaves, want)
		}
		for _, l := range x.Leaves {
			p.same("material "+l.SKU, l.Quantity, want[l.SKU])
		}

		p.step = "cost an explosion"
		costs := map[string]int64{"RAW1": p.upTo(maxUnitPrice), "RAW2": p.upTo(maxUnitPrice)}
		before := fmt.Sprint(x)
		if p.refused(x.Cost(costs), "quantity") {
			if fmt.Sprint(x) != before {
				p.fail("a refused cost changed the explosion")
			}
		} else {
			p.inBounds(x)
			total := new(big.Int)
			for _, l := range x.Leaves {
				p.same("cost of "+l.SKU, l.Cost, product(l.Quantity, costs[l.SKU]))
				total.Add(total, big.NewInt(l.Cost))
			}
			p.same("total cost", x.TotalCost, total)
		}
	}

	p.step = "create a work order"
	wo := &WorkOrder{}
	events, err := wo.Create(CreateWorkOrder{WorkOrderID: "wo1", WorkOrderNumber: "WO-1", BOM: top, Quantity: p.upTo(maxQuantity), LocationID: "main"})
	if p.refused(err, "quantity") {
		return
	}
	p.apply(wo, events)
	for _, c := range wo.Components {
		p.same("required "+c.SKU, c.Required, product(c.QuantityPer, wo.Quantity))
	}

	p.step = "complete a work order"
	p.apply(wo, []Event{WorkOrderReleased{WorkOrderID: "wo1"}, WorkOrderStarted{WorkOrderID: "wo1"}})
	for range 3 {
		events, err := wo.Complete(CompleteWorkOrder{QuantityProduced: p.near(wo.Remaining()), ScrapQuantity: p.near(0)})
		if p.refused(err, "quantity_produced", "scrap_quantity") || len(events) == 0 {
			continue
		}
		rec := events[0].(WorkOrderProductionRecorded)
		p.apply(wo, events)
		for i, u := range rec.Components {
			p.same("consumed "+u.SKU, u.Consumed, product(wo.Components[i].QuantityPer, rec.QuantityProduced))
		}
		if wo.Remaining() < 0 {
			p.fail("produced %d and scrapped %d of %d", wo.QuantityProduced, wo.ScrapQuantity, wo.Quantity)
		}
	}
}

// stock runs an inventory item and a cycle count of it.
func (p *prop) stock() {
	p.step = "create an inventory item"
	it := &InventoryItem{}
	events, err := it.Create(CreateInventoryItem{SKU: "SKU-1", LocationID: "main", OnHand: p.upTo(MaxQuantity),
		ReorderPoint: p.upTo(MaxQuantity), ReorderQuantity: p.upTo(MaxQuantity), UnitCost: p.upTo(maxUnitPrice)}, "open")
	if p.refused(err, "on_hand", "reorder_point", "reorder_quantity", "unit_cost") {
		return
	}
	p.apply(it, events)

	p.step = "update an inventory item"
	events, err = it.Update(UpdateInventoryItem{ReorderPoint: ptr(p.upTo(MaxQuantity)), UnitCost: ptr(p.upTo(maxUnitPrice))})
	if !p.refused(err, "reorder_point", "unit_cost") {
		p.apply(it, events)
	}

	balances := func() {
		p.t.Helper()
		if it.OnHand < 0 || it.OnHand > MaxQuantity || it.Reserved < 0 || it.Available() < 0 {
			p.fail("on hand %d, reserved %d, available %d", it.OnHand, it.Reserved, it.Available())
		}
	}
	for range 4 {
		p.step = "adjust an inventory item"
		q := p.near(p.upTo(MaxQuantity) - it.OnHand)
		if p.r.IntN(2) == 0 {
			q = -p.near(it.Available())
		}
		before := it.OnHand
		events, err := it.Adjust(AdjustInventory{Quantity: q, Reason: ReasonAdjustment, Now: t0})
		if !p.refused(err, "quantity") {
			p.apply(it, events)
			p.same("on hand", it.OnHand, new(big.Int).Add(big.NewInt(before), big.NewInt(q)))
		}
		balances()

		p.step = "reserve stock"
		events, err = it.Reserve(ReserveInventory{ReservationID: "r1", ReferenceType: "manual", ReferenceID: "m1",
			Quantity: p.near(it.Available()), AllowBackorder: p.r.IntN(2) == 0, Now: t0})
		if !p.refused(err, "quantity") {
			p.apply(it, events)
		}
		balances()
	}

	p.step = "submit a cycle count"
	c := fold(&CycleCount{}, CycleCountCreated{CycleCountID: "cc1", WarehouseID: "main", SKUs: []string{"SKU-1"}}, CycleCountStarted{CycleCountID: "cc1"})
	counted := p.upTo(MaxQuantity)
	if p.r.IntN(2) == 0 {
		counted = p.near(it.OnHand)
	}
	events, err = c.Submit([]CountLine{{SKU: "SKU-1", Counted: counted}})
	if p.refused(err, "counts") {
		return
	}
	p.apply(c, events)

	// reconcile has no fields of its own: a refusal on a field is of the submitted counts,
	// and what it records must post as a movement, as commands does
	p.step = "reconcile a cycle count"
	events, err = c.Reconcile(map[string]*InventoryItem{"SKU-1": it})
	if p.refused(err, "counts") {
		return
	}
	p.apply(c, events)
	for _, v := range c.Variances {
		p.same("variance", v.Variance, new(big.Int).Sub(big.NewInt(v.Counted), big.NewInt(v.OnHand)))
		if v.Variance == 0 {
			continue
		}
		p.step = "post a count's variance"
		events, err := it.Move(MoveInventory{OnHand: v.Variance, Reason: ReasonCycleCount, MovementKey: "cc1/SKU-1", Now: t0})
		if err != nil {
			p.fail("the variance %d does not post: %v", v.Variance, err)
		}
		p.apply(it, events)
		if it.OnHand != v.Counted {
			p.fail("on hand %d after posting the count of %d", it.OnHand, v.Counted)
		}
	}
}
