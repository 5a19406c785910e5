package domain

import (
	"math"
	"math/bits"
	"strconv"
)

// The one bound on numbers (API.md, "Numbers"). Every quantity a caller sends is an
// integer within ±MaxQuantity and every money amount (prices, costs, amounts, credit
// limits, payments, refunds) an integer from 0 to MaxMoney minor units. Everything the
// server computes from them — line totals, order, wholesale and purchase order totals,
// paid and refunded sums, credit exposure, exploded BOM quantities and rolled-up costs,
// stock balances after a movement, count variances — goes through the checked helpers
// below, and a result out of range is refused as a *ValidationError on the field the
// caller sent, before any event is decided. So no stored figure ever wraps: both bounds
// are far below int64's 9.2·10^18, and any two bounded values add without overflow.
const (
	MaxQuantity int64 = 1_000_000_000_000     // 10^12 units
	MaxMoney    int64 = 1_000_000_000_000_000 // 10^15 minor units
)

// Narrower per-field limits, documented in API.md as narrowing the bounds above.
const (
	maxUnitPrice = 1_000_000_000_000 // a unit price or unit cost: 10^12 minor units
	maxQuantity  = 1_000_000         // the quantity of one document line: 10^6 units
)

// QuantityInRange reports whether q is within ±MaxQuantity.
func QuantityInRange(q int64) bool { return q >= -MaxQuantity && q <= MaxQuantity }

// MoneyInRange reports whether m is from 0 to MaxMoney.
func MoneyInRange(m int64) bool { return m >= 0 && m <= MaxMoney }

// AddQuantity is a + b; ok is false when the sum overflows or leaves ±MaxQuantity.
func AddQuantity(a, b int64) (int64, bool) {
	s, ok := add(a, b)
	return s, ok && QuantityInRange(s)
}

// SubQuantity is a - b; ok is false when the difference overflows or leaves ±MaxQuantity.
func SubQuantity(a, b int64) (int64, bool) {
	s, ok := sub(a, b)
	return s, ok && QuantityInRange(s)
}

// MulQuantity is a × b (a quantity per unit times units); ok is false when the product
// overflows or leaves ±MaxQuantity.
func MulQuantity(a, b int64) (int64, bool) {
	p, ok := mul(a, b)
	return p, ok && QuantityInRange(p)
}

// AddMoney is a + b; ok is false when the sum overflows or is not from 0 to MaxMoney.
func AddMoney(a, b int64) (int64, bool) {
	s, ok := add(a, b)
	return s, ok && MoneyInRange(s)
}

// SubMoney is a - b; ok is false when the difference overflows or is not from 0 to
// MaxMoney (a negative difference is not ok).
func SubMoney(a, b int64) (int64, bool) {
	s, ok := sub(a, b)
	return s, ok && MoneyInRange(s)
}

// MulMoney is quantity q at unit price p; ok is false when the product overflows or is
// not from 0 to MaxMoney (a negative quantity or price is not ok).
func MulMoney(q, p int64) (int64, bool) {
	m, ok := mul(q, p)
	return m, ok && q >= 0 && p >= 0 && MoneyInRange(m)
}

// checkLineTotals records list+"[i].quantity" when line i's quantity × unit price is over
// MaxMoney, or list when the lines' sum is: lines that are each valid may still multiply
// or add up past it. line gives line i's quantity and unit price, both already checked.
func checkLineTotals(v *Validation, list string, n int, line func(i int) (qty, price int64)) {
	var total int64
	for i := range n {
		t, ok := MulMoney(line(i))
		if !ok {
			v.Add(list+"["+strconv.Itoa(i)+"].quantity", "quantity × unit price must be at most "+strconv.FormatInt(MaxMoney, 10)+" minor units")
			return
		}
		if total, ok = AddMoney(total, t); !ok {
			v.Add(list, "the lines must total at most "+strconv.FormatInt(MaxMoney, 10)+" minor units")
			return
		}
	}
}

func add(a, b int64) (int64, bool) {
	s := a + b
	return s, (a >= 0) != (b >= 0) || (s >= 0) == (a >= 0) // same signs in, same sign out
}

func sub(a, b int64) (int64, bool) {
	if b == math.MinInt64 { // -b does not exist: a - b = a + 2^63 fits only for a negative a
		return a - b, a < 0
	}
	return add(a, -b)
}

func mul(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absU(a), absU(b))
	switch {
	case hi != 0, !neg && lo > math.MaxInt64, neg && lo > 1<<63:
		return 0, false
	case neg:
		return -int64(lo-1) - 1, true // lo may be 1<<63, which int64 holds only negated
	}
	return int64(lo), true
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-(x + 1)) + 1
	}
	return uint64(x)
}
