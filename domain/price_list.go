package domain

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PriceListStatus is where a price list is in its life.
type PriceListStatus string

const (
	PriceListStatusActive   PriceListStatus = "ACTIVE"
	PriceListStatusArchived PriceListStatus = "ARCHIVED"
)

// PriceListStatuses lists every status, in life order.
var PriceListStatuses = []PriceListStatus{PriceListStatusActive, PriceListStatusArchived}

// PriceListActions are the actions a price list takes; "update" keeps the status.
var PriceListActions = []string{"update", "archive"}

// priceListFlow is the price list state machine: an archived list is frozen, so orders
// already priced from it keep their prices and no new order can use it.
var priceListFlow = Flow[PriceListStatus]{Entity: "price list", Steps: []Step[PriceListStatus]{
	{PriceListStatusActive, "update", PriceListStatusActive},
	{PriceListStatusActive, "archive", PriceListStatusArchived},
}}

// PriceTier is a volume price: from MinQuantity units on, each unit costs UnitPrice.
type PriceTier struct {
	MinQuantity int64 `json:"min_quantity"`
	UnitPrice   int64 `json:"unit_price"`
}

// SKUPrice is one SKU's base unit price and its volume tiers, in the list's currency
// (minor units). Tiers are ordered by MinQuantity, strictly increasing from 2, and no tier
// costs more per unit than the base or the tier before it.
type SKUPrice struct {
	UnitPrice int64       `json:"unit_price"`
	Tiers     []PriceTier `json:"tiers,omitempty"`
}

// PriceList is the price list aggregate: per-SKU wholesale prices in one currency, assigned
// to the customers who may order from it.
type PriceList struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Currency    string              `json:"currency"`
	Status      PriceListStatus     `json:"status"`
	CustomerIDs []string            `json:"customer_ids,omitempty"` // sorted
	Prices      map[string]SKUPrice `json:"prices,omitempty"`       // by SKU
	CreatedAt   time.Time           `json:"created_at"`
	UpdatedAt   time.Time           `json:"updated_at"`
	Version     int64               `json:"version"`
}

// Exists reports whether the price list has been created.
func (p *PriceList) Exists() bool { return p.Version > 0 }

// CurrentVersion is the price list's event count.
func (p *PriceList) CurrentVersion() int64 { return p.Version }

// AssignedTo reports whether customerID may order from the list.
func (p *PriceList) AssignedTo(customerID string) bool {
	_, ok := slices.BinarySearch(p.CustomerIDs, customerID)
	return ok
}

// Price is the unit price of sku for an order of qty units: the price of the highest tier
// whose MinQuantity is at most qty, else the base price. It is false when the SKU is not
// on the list.
func (p *PriceList) Price(sku string, qty int64) (int64, bool) {
	sp, ok := p.Prices[sku]
	if !ok {
		return 0, false
	}
	price := sp.UnitPrice
	for _, t := range sp.Tiers { // ascending by MinQuantity
		if t.MinQuantity > qty {
			break
		}
		price = t.UnitPrice
	}
	return price, true
}

// CreatePriceList creates an active price list.
type CreatePriceList struct {
	PriceListID string
	Name        string
	Currency    string   // ISO 4217, e.g. USD
	CustomerIDs []string // the customers it is assigned to; order does not matter
	Prices      map[string]SKUPrice
}

// UpdatePriceList replaces the fields that are set; nil leaves a field alone. Prices and
// CustomerIDs are replaced whole (a pointer to an empty value clears them). The currency
// cannot change: that would re-denominate every price, so a new list is made instead.
// No change at all yields no event.
type UpdatePriceList struct {
	PriceListID string
	Name        *string
	Prices      *map[string]SKUPrice
	CustomerIDs *[]string
}

// PriceListCreated: a price list came to be, active.
type PriceListCreated struct {
	PriceListID string              `json:"price_list_id"`
	Name        string              `json:"name"`
	Currency    string              `json:"currency"`
	CustomerIDs []string            `json:"customer_ids,omitempty"`
	Prices      map[string]SKUPrice `json:"prices,omitempty"`
}

// PriceChange is one SKU's price before and after; From is nil for an added SKU, To is nil
// for a removed one.
type PriceChange struct {
	From *SKUPrice `json:"from"`
	To   *SKUPrice `json:"to"`
}

// IDsChange is a list of ids before and after.
type IDsChange struct {
	From []string `json:"from"`
	To   []string `json:"to"`
}

// PriceListUpdated: the name, prices or assigned customers changed; only changed fields are
// present, each with its previous value. Prices holds only the SKUs whose price changed.
type PriceListUpdated struct {
	PriceListID string                 `json:"price_list_id"`
	Name        *Change                `json:"name,omitempty"`
	Prices      map[string]PriceChange `json:"prices,omitempty"`
	CustomerIDs *IDsChange             `json:"customer_ids,omitempty"`
}

// PriceListArchived: the price list can no longer be changed or ordered from.
type PriceListArchived struct {
	PriceListID string `json:"price_list_id"`
	Reason      string `json:"reason,omitempty"`
}

func (PriceListCreated) EventType() string  { return "PriceListCreated" }
func (PriceListUpdated) EventType() string  { return "PriceListUpdated" }
func (PriceListArchived) EventType() string { return "PriceListArchived" }

func priceListEvents(r *Registry) {
	Register[PriceListCreated](r, "price_list", 1, nil)
	Register[PriceListUpdated](r, "price_list", 1, nil)
	Register[PriceListArchived](r, "price_list", 1, nil)
}

// Check records every invalid field of the creation in v.
func (cmd CreatePriceList) Check(v *Validation) {
	v.Check(ValidID(cmd.PriceListID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkPriceListName(v, cmd.Name)
	checkCurrency(v, "currency", cmd.Currency)
	checkCustomerIDs(v, cmd.CustomerIDs)
	checkPrices(v, cmd.Prices)
}

// Check records every invalid field of the update in v.
func (cmd UpdatePriceList) Check(v *Validation) {
	if cmd.Name != nil {
		checkPriceListName(v, *cmd.Name)
	}
	if cmd.CustomerIDs != nil {
		checkCustomerIDs(v, *cmd.CustomerIDs)
	}
	if cmd.Prices != nil {
		checkPrices(v, *cmd.Prices)
	}
}

// Create decides the creation of a price list; ErrAlreadyExists if it exists.
func (p *PriceList) Create(cmd CreatePriceList) ([]Event, error) {
	if p.Exists() {
		return nil, &AlreadyExistsError{Entity: "price list", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{PriceListCreated{
		PriceListID: cmd.PriceListID, Name: cmd.Name, Currency: cmd.Currency,
		CustomerIDs: sortedIDs(cmd.CustomerIDs), Prices: normalPrices(cmd.Prices),
	}}, nil
}

// Update decides an edit: ErrNotFound, a *TransitionError when archived, a
// *ValidationError, or at most one PriceListUpdated.
func (p *PriceList) Update(cmd UpdatePriceList) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if _, err := priceListFlow.Next(p.Status, "update"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	upd := PriceListUpdated{PriceListID: p.ID}
	changed := false
	if cmd.Name != nil && *cmd.Name != p.Name {
		upd.Name, changed = &Change{From: p.Name, To: *cmd.Name}, true
	}
	if cmd.CustomerIDs != nil {
		if to := sortedIDs(*cmd.CustomerIDs); !slices.Equal(p.CustomerIDs, to) {
			upd.CustomerIDs, changed = &IDsChange{From: p.CustomerIDs, To: to}, true
		}
	}
	if cmd.Prices != nil {
		upd.Prices = diffPrices(p.Prices, normalPrices(*cmd.Prices))
		changed = changed || upd.Prices != nil
	}
	if !changed {
		return nil, nil
	}
	return []Event{upd}, nil
}

// Archive decides archiving: ErrNotFound, or a *TransitionError when already archived.
func (p *PriceList) Archive(reason string) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if _, err := priceListFlow.Next(p.Status, "archive"); err != nil {
		return nil, err
	}
	return []Event{PriceListArchived{PriceListID: p.ID, Reason: reason}}, nil
}

// Apply folds a price list event in.
func (p *PriceList) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case PriceListCreated:
		*p = PriceList{
			ID: e.PriceListID, Name: e.Name, Currency: e.Currency, Status: PriceListStatusActive,
			CustomerIDs: slices.Clone(e.CustomerIDs), Prices: clonePrices(e.Prices), CreatedAt: env.Time,
		}
	case PriceListUpdated:
		if e.Name != nil {
			p.Name = e.Name.To
		}
		if e.CustomerIDs != nil {
			p.CustomerIDs = slices.Clone(e.CustomerIDs.To)
		}
		if len(e.Prices) > 0 {
			prices := clonePrices(p.Prices)
			if prices == nil {
				prices = map[string]SKUPrice{}
			}
			for sku, ch := range e.Prices {
				if ch.To == nil {
					delete(prices, sku)
				} else {
					prices[sku] = SKUPrice{UnitPrice: ch.To.UnitPrice, Tiers: slices.Clone(ch.To.Tiers)}
				}
			}
			p.Prices = prices
			if len(p.Prices) == 0 {
				p.Prices = nil
			}
		}
	case PriceListArchived:
		p.Status = PriceListStatusArchived
	}
	p.Version = env.Version
	p.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached price list is never shared with a caller.
func (p *PriceList) Clone() *PriceList {
	cp := *p
	cp.CustomerIDs = slices.Clone(p.CustomerIDs)
	cp.Prices = clonePrices(p.Prices)
	return &cp
}

func checkPriceListName(v *Validation, name string) {
	v.Check(strings.TrimSpace(name) != "" && len(name) <= 200, "name", "is required, at most 200 characters")
}

func checkCustomerIDs(v *Validation, ids []string) {
	seen := map[string]bool{}
	for i, id := range ids {
		f := "customer_ids[" + itoa(i) + "]"
		v.Check(ValidID(id), f, "must match ^[A-Za-z0-9_-]{1,64}$")
		v.Check(!seen[id], f, "is listed twice")
		seen[id] = true
	}
}

// checkPrices records bad prices, SKUs in sorted order so the fields come out the same
// every time.
func checkPrices(v *Validation, prices map[string]SKUPrice) {
	for _, sku := range slices.Sorted(maps.Keys(prices)) {
		sp, f := prices[sku], "prices."+sku
		v.Check(validSKU(sku), f, "a SKU is 1 to 100 characters without spaces")
		v.Check(sp.UnitPrice > 0 && sp.UnitPrice <= maxUnitPrice, f+".unit_price", "must be a positive amount in minor units, at most 10^12")
		prevQty, prevPrice := int64(1), sp.UnitPrice
		for i, t := range sp.Tiers {
			tf := f + ".tiers[" + itoa(i) + "]"
			v.Check(t.MinQuantity > prevQty && t.MinQuantity <= MaxQuantity, tf+".min_quantity",
				"must be at least 2, above the tier before and at most "+strconv.FormatInt(MaxQuantity, 10))
			v.Check(t.UnitPrice > 0 && t.UnitPrice <= prevPrice, tf+".unit_price", "must be positive and not above the base price or the tier before")
			prevQty, prevPrice = max(prevQty, t.MinQuantity), min(prevPrice, max(t.UnitPrice, 1))
		}
	}
}

func sortedIDs(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	return slices.Sorted(slices.Values(ids))
}

// normalPrices copies prices with empty tier lists as nil, so equal prices compare equal.
func normalPrices(prices map[string]SKUPrice) map[string]SKUPrice {
	if len(prices) == 0 {
		return nil
	}
	out := make(map[string]SKUPrice, len(prices))
	for sku, sp := range prices {
		if len(sp.Tiers) == 0 {
			sp.Tiers = nil
		} else {
			sp.Tiers = slices.Clone(sp.Tiers)
		}
		out[sku] = sp
	}
	return out
}

func clonePrices(prices map[string]SKUPrice) map[string]SKUPrice {
	if prices == nil {
		return nil
	}
	out := make(map[string]SKUPrice, len(prices))
	for sku, sp := range prices {
		sp.Tiers = slices.Clone(sp.Tiers)
		out[sku] = sp
	}
	return out
}

func equalSKUPrice(a, b SKUPrice) bool {
	return a.UnitPrice == b.UnitPrice && slices.Equal(a.Tiers, b.Tiers)
}

// diffPrices is the per-SKU change from one price map to another, nil when equal.
func diffPrices(from, to map[string]SKUPrice) map[string]PriceChange {
	out := map[string]PriceChange{}
	for sku, f := range from {
		t, ok := to[sku]
		switch {
		case !ok:
			out[sku] = PriceChange{From: ptrTo(f)}
		case !equalSKUPrice(f, t):
			out[sku] = PriceChange{From: ptrTo(f), To: ptrTo(t)}
		}
	}
	for sku, t := range to {
		if _, ok := from[sku]; !ok {
			out[sku] = PriceChange{To: ptrTo(t)}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
