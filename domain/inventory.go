package domain

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// InventoryItem is one SKU at one location: its balances and the reservations and
// backorders held against it. Every quantity change is an event that carries the
// movement's deltas, the balances after it, a reason and its source document, so the
// events are the stock ledger and the balances are a fold of them.
//
// The item decides alone whether stock can be reserved: reservations live in the
// aggregate, so two orders racing for the last unit are ordered by the append's
// sequence check, and available (on hand - reserved) never goes below zero.
type InventoryItem struct {
	ID              string `json:"id"`
	SKU             string `json:"sku"`
	LocationID      string `json:"location_id"`
	OnHand          int64  `json:"on_hand"`
	Reserved        int64  `json:"reserved"`
	Incoming        int64  `json:"incoming"`
	InTransit       int64  `json:"in_transit"`
	ReorderPoint    int64  `json:"reorder_point"`
	ReorderQuantity int64  `json:"reorder_quantity"`
	UnitCost        int64  `json:"unit_cost"`
	Currency        string `json:"currency"`
	// Reservations are the open demands on the item, by reservation id.
	Reservations map[string]*Reservation `json:"reservations,omitempty"`
	// Recent holds the last movement and reservation keys applied, oldest first: a
	// process manager's command redelivered after it landed finds its key and is a no-op.
	Recent    []string  `json:"recent,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// recentKeys is how many movement keys an item remembers. A redelivery comes within
// seconds of the first delivery (a crash between append and ack, a retry); an item would
// need this many other movements in between to forget.
const recentKeys = 512

// Reservation is stock held for one demand line (an order line, a wholesale order line, a
// work order component). Reserved is held now, Backordered waits for stock (filled
// oldest first), Consumed has left with a shipment.
type Reservation struct {
	ID            string     `json:"id"`
	ReferenceType string     `json:"reference_type"`
	ReferenceID   string     `json:"reference_id"`
	LineID        string     `json:"line_id,omitempty"`
	Reserved      int64      `json:"reserved"`
	Backordered   int64      `json:"backordered"`
	Consumed      int64      `json:"consumed"`
	ExpiresAt     *time.Time `json:"expires_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	// BackorderedAt orders the backorder queue: oldest first.
	BackorderedAt uint64 `json:"backordered_at,omitempty"`
}

// Demand is all the reservation has asked for.
func (r *Reservation) Demand() int64 { return r.Reserved + r.Backordered + r.Consumed }

// Inventory movement reasons (the ledger's vocabulary).
const (
	ReasonReceipt     = "receipt"
	ReasonSale        = "sale"
	ReasonReturn      = "return"
	ReasonAdjustment  = "adjustment"
	ReasonTransfer    = "transfer"
	ReasonProduction  = "production"
	ReasonConsumption = "consumption"
	ReasonScrap       = "scrap"
	ReasonCycleCount  = "cycle_count"
	ReasonPurchase    = "purchase_order" // incoming raised or lowered by a purchase order
	ReasonReserve     = "reserve"
	ReasonRelease     = "release"
	ReasonExpire      = "expire"
)

// AdjustReasons are the reasons a caller may give an adjustment.
var AdjustReasons = []string{ReasonReceipt, ReasonSale, ReasonReturn, ReasonAdjustment, ReasonTransfer,
	ReasonProduction, ReasonConsumption, ReasonScrap, ReasonCycleCount}

// MoveReasons are the reasons a flow may give a movement of any balance.
var MoveReasons = append(slices.Clone(AdjustReasons), ReasonPurchase)

// ReferenceTypes are the documents a reservation may be held for.
var ReferenceTypes = []string{"order", "wholesale_order", "work_order", "transfer", "manual"}

// InventoryItemID is the id of the item holding sku at location: derived, so that every
// flow addresses the same aggregate without a lookup.
func InventoryItemID(sku, locationID string) string {
	sum := sha256.Sum256([]byte(locationID + "\x00" + sku))
	return "inv_" + hex.EncodeToString(sum[:12])
}

// ReservationID is the id of the reservation for one demand line: derived, so that a
// redelivered reserve command finds the reservation it made.
func ReservationID(refType, refID, lineID, sku string) string {
	sum := sha256.Sum256([]byte(refType + "\x00" + refID + "\x00" + lineID + "\x00" + sku))
	return "res_" + hex.EncodeToString(sum[:12])
}

// MovementKey derives the dedupe key of a movement caused by event eventID (for one line).
func MovementKey(eventID, part string) string { return eventID + "/" + part }

// Available is what can still be reserved.
func (it *InventoryItem) Available() int64 { return it.OnHand - it.Reserved }

// Exists reports whether the item has been created.
func (it *InventoryItem) Exists() bool { return it.Version > 0 }

// CurrentVersion is the item's event count.
func (it *InventoryItem) CurrentVersion() int64 { return it.Version }

// Backorders lists the reservations waiting for stock, oldest first.
func (it *InventoryItem) Backorders() []*Reservation {
	var out []*Reservation
	for _, r := range it.Reservations {
		if r.Backordered > 0 {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *Reservation) int {
		return cmp.Or(cmp.Compare(a.BackorderedAt, b.BackorderedAt), strings.Compare(a.ID, b.ID))
	})
	return out
}

func (it *InventoryItem) seen(key string) bool { return key != "" && slices.Contains(it.Recent, key) }

// Shortage is one line that stock cannot cover.
type Shortage struct {
	SKU        string `json:"sku"`
	LocationID string `json:"location_id"`
	Requested  int64  `json:"requested"`
	Available  int64  `json:"available"`
}

// InsufficientStockError is returned when stock cannot cover a request; it lists what is
// short.
type InsufficientStockError struct {
	Shortages []Shortage
}

func (e *InsufficientStockError) Error() string {
	parts := make([]string, len(e.Shortages))
	for i, s := range e.Shortages {
		parts[i] = fmt.Sprintf("%s at %s: %d requested, %d available", s.SKU, s.LocationID, s.Requested, s.Available)
	}
	return "insufficient stock: " + strings.Join(parts, "; ")
}

func (it *InventoryItem) short(requested int64) error {
	return &InsufficientStockError{Shortages: []Shortage{{SKU: it.SKU, LocationID: it.LocationID, Requested: requested, Available: it.Available()}}}
}

// CreateInventoryItem stocks a SKU at a location, with an optional opening quantity.
type CreateInventoryItem struct {
	SKU             string
	LocationID      string
	OnHand          int64 // opening balance, posted as an adjustment
	ReorderPoint    int64
	ReorderQuantity int64
	UnitCost        int64
	Currency        string
}

// Check validates the command.
func (cmd CreateInventoryItem) Check(v *Validation) {
	CheckSKU(v, "sku", cmd.SKU)
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkStockLevel(v, "on_hand", cmd.OnHand)
	checkStockLevel(v, "reorder_point", cmd.ReorderPoint)
	checkStockLevel(v, "reorder_quantity", cmd.ReorderQuantity)
	checkUnitCost(v, "unit_cost", cmd.UnitCost)
	if cmd.Currency != "" {
		CheckCurrency(v, "currency", cmd.Currency)
	}
}

// checkStockLevel records field unless q is a balance or level: 0 to MaxQuantity.
func checkStockLevel(v *Validation, field string, q int64) {
	v.Check(q >= 0 && q <= MaxQuantity, field, "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
}

// checkUnitCost records field unless c is a unit cost: 0 to 10^12 minor units.
func checkUnitCost(v *Validation, field string, c int64) {
	v.Check(c >= 0 && c <= maxUnitPrice, field, "must be an integer from 0 to 1000000000000 minor units")
}

// Create decides the item's creation.
func (it *InventoryItem) Create(cmd CreateInventoryItem, movementKey string) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if it.Exists() {
		return nil, &AlreadyExistsError{Entity: "inventory item", Field: "sku and location_id"}
	}
	if cmd.Currency == "" {
		cmd.Currency = "USD"
	}
	id := InventoryItemID(cmd.SKU, cmd.LocationID)
	events := []Event{InventoryItemCreated{ItemID: id, SKU: cmd.SKU, LocationID: cmd.LocationID,
		ReorderPoint: cmd.ReorderPoint, ReorderQuantity: cmd.ReorderQuantity, UnitCost: cmd.UnitCost, Currency: cmd.Currency}}
	if cmd.OnHand > 0 {
		events = append(events, InventoryAdjusted{StockMovement: StockMovement{ItemID: id, SKU: cmd.SKU,
			LocationID: cmd.LocationID, Reason: ReasonReceipt, SourceType: "opening_balance", MovementKey: movementKey,
			OnHandDelta: cmd.OnHand, OnHand: cmd.OnHand}})
	} else if cmd.ReorderPoint > 0 {
		events = append(events, InventoryLowStock{ItemID: id, SKU: cmd.SKU, LocationID: cmd.LocationID,
			ReorderPoint: cmd.ReorderPoint, ReorderQuantity: cmd.ReorderQuantity})
	}
	return events, nil
}

// UpdateInventoryItem changes an item's settings; nil leaves a field alone.
type UpdateInventoryItem struct {
	ReorderPoint    *int64
	ReorderQuantity *int64
	UnitCost        *int64
}

// Update decides a settings change; no change yields no event.
func (it *InventoryItem) Update(cmd UpdateInventoryItem) ([]Event, error) {
	var v Validation
	for _, f := range []struct {
		name string
		p    *int64
	}{{"reorder_point", cmd.ReorderPoint}, {"reorder_quantity", cmd.ReorderQuantity}} {
		if f.p != nil {
			checkStockLevel(&v, f.name, *f.p)
		}
	}
	if cmd.UnitCost != nil {
		checkUnitCost(&v, "unit_cost", *cmd.UnitCost)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !it.Exists() {
		return nil, ErrNotFound
	}
	e := InventoryItemUpdated{ItemID: it.ID}
	change := func(p *int64, cur int64) *Int64Change {
		if p == nil || *p == cur {
			return nil
		}
		return &Int64Change{From: cur, To: *p}
	}
	e.ReorderPoint = change(cmd.ReorderPoint, it.ReorderPoint)
	e.ReorderQuantity = change(cmd.ReorderQuantity, it.ReorderQuantity)
	e.UnitCost = change(cmd.UnitCost, it.UnitCost)
	if e.ReorderPoint == nil && e.ReorderQuantity == nil && e.UnitCost == nil {
		return nil, nil
	}
	events := []Event{e}
	if e.ReorderPoint != nil && it.Available() > it.ReorderPoint && it.Available() <= e.ReorderPoint.To {
		events = append(events, InventoryLowStock{ItemID: it.ID, SKU: it.SKU, LocationID: it.LocationID,
			Available: it.Available(), ReorderPoint: e.ReorderPoint.To, ReorderQuantity: it.ReorderQuantity})
	}
	return events, nil
}

// AdjustInventory moves stock in (Quantity > 0) or out (< 0).
type AdjustInventory struct {
	Quantity    int64
	Reason      string
	SourceType  string
	SourceID    string
	Note        string
	MovementKey string // dedupe key; a key the item has seen makes the command a no-op
	Now         time.Time
}

// Check validates the command.
func (cmd AdjustInventory) Check(v *Validation) {
	v.Check(cmd.Quantity != 0 && QuantityInRange(cmd.Quantity), "quantity", "must be a non-zero integer within ±"+strconv.FormatInt(MaxQuantity, 10))
	v.Check(slices.Contains(AdjustReasons, cmd.Reason), "reason", "must be one of "+strings.Join(AdjustReasons, ", "))
}

// Adjust decides a stock movement of on hand. Stock taken out may not leave available
// below zero (reserved stock is promised). Stock coming in fills backorders, oldest
// first, in the same commit.
func (it *InventoryItem) Adjust(cmd AdjustInventory) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return it.Move(MoveInventory{OnHand: cmd.Quantity, Reason: cmd.Reason, SourceType: cmd.SourceType,
		SourceID: cmd.SourceID, Note: cmd.Note, MovementKey: cmd.MovementKey, Now: cmd.Now})
}

// MoveInventory moves any of an item's balances at once: on hand, incoming (expected from
// purchase orders) and in transit (coming from another location). A receipt against a
// purchase order is OnHand +n, Incoming -n in one movement.
type MoveInventory struct {
	OnHand      int64
	Incoming    int64
	InTransit   int64
	Reason      string
	SourceType  string
	SourceID    string
	Note        string
	MovementKey string // dedupe key; a key the item has seen makes the command a no-op
	Now         time.Time
}

// Check validates the command.
func (cmd MoveInventory) Check(v *Validation) {
	v.Check(cmd.OnHand != 0 || cmd.Incoming != 0 || cmd.InTransit != 0, "quantity", "must move something")
	v.Check(QuantityInRange(cmd.OnHand) && QuantityInRange(cmd.Incoming) && QuantityInRange(cmd.InTransit),
		"quantity", "must be within ±"+strconv.FormatInt(MaxQuantity, 10))
	v.Check(slices.Contains(MoveReasons, cmd.Reason), "reason", "must be one of "+strings.Join(MoveReasons, ", "))
}

// Move decides a movement of any balance. On hand may not leave available below zero;
// incoming and in transit may not go below zero.
func (it *InventoryItem) Move(cmd MoveInventory) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !it.Exists() {
		return nil, ErrNotFound
	}
	if it.seen(cmd.MovementKey) {
		return nil, nil
	}
	d := it.Clone()
	events := d.expire(cmd.Now) // what is overdue is free before this movement is judged
	onHand, onHandOK := AddQuantity(d.OnHand, cmd.OnHand)
	incoming, incomingOK := AddQuantity(d.Incoming, cmd.Incoming)
	inTransit, inTransitOK := AddQuantity(d.InTransit, cmd.InTransit)
	if cmd.OnHand < 0 && onHandOK && onHand < d.Reserved {
		return nil, d.short(-cmd.OnHand)
	}
	v.Check(!incomingOK || incoming >= 0, "incoming", fmt.Sprintf("would go below zero (%d incoming)", d.Incoming))
	v.Check(!inTransitOK || inTransit >= 0, "in_transit", fmt.Sprintf("would go below zero (%d in transit)", d.InTransit))
	v.Check(onHandOK && incomingOK && inTransitOK && onHand >= 0, "quantity",
		"would take a balance out of 0 to "+strconv.FormatInt(MaxQuantity, 10))
	if err := v.Err(); err != nil {
		return nil, err
	}
	before := d.Available()
	m := d.movement(cmd.Reason, cmd.SourceType, cmd.SourceID, cmd.MovementKey)
	m.OnHandDelta, m.IncomingDelta, m.InTransitDelta = cmd.OnHand, cmd.Incoming, cmd.InTransit
	m.OnHand, m.Incoming, m.InTransit = onHand, incoming, inTransit
	events = append(events, d.apply(InventoryAdjusted{StockMovement: m, Note: cmd.Note}))
	events = append(events, d.fillBackorders()...)
	return append(events, d.lowStock(before)...), nil
}

// ReserveInventory sets the demand of one reservation: the first call reserves, later
// calls with another quantity raise or lower it, the same quantity again changes nothing
// (so a redelivered command is a no-op). Quantity 0 releases it.
type ReserveInventory struct {
	ReservationID  string
	ReferenceType  string
	ReferenceID    string
	LineID         string
	Quantity       int64 // the demand wanted in total, including what was consumed
	ExpiresAt      *time.Time
	AllowBackorder bool   // a shortfall waits for stock instead of failing
	MovementKey    string // a flow's dedupe key; a key the item has seen makes the command a no-op
	Now            time.Time
}

// Check validates the command.
func (cmd ReserveInventory) Check(v *Validation) {
	v.Check(cmd.Quantity >= 0 && cmd.Quantity <= MaxQuantity, "quantity", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	v.Check(slices.Contains(ReferenceTypes, cmd.ReferenceType), "reference_type", "must be one of "+strings.Join(ReferenceTypes, ", "))
	v.Check(ValidID(cmd.ReferenceID), "reference_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.ExpiresAt == nil || cmd.ExpiresAt.After(cmd.Now), "expires_at", "must be in the future")
}

// Reserve decides a change of a reservation's demand.
func (it *InventoryItem) Reserve(cmd ReserveInventory) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !it.Exists() {
		return nil, ErrNotFound
	}
	if it.seen(cmd.MovementKey) {
		return nil, nil
	}
	d := it.Clone()
	events := d.expire(cmd.Now)
	before := d.Available()
	r := d.Reservations[cmd.ReservationID]
	if r == nil {
		if cmd.Quantity == 0 {
			return events, nil
		}
		r = &Reservation{ID: cmd.ReservationID, ReferenceType: cmd.ReferenceType, ReferenceID: cmd.ReferenceID, LineID: cmd.LineID}
	}
	switch diff := cmd.Quantity - r.Demand(); {
	case diff > 0:
		take := min(diff, d.Available())
		if take < diff && !cmd.AllowBackorder {
			return nil, it.short(diff)
		}
		if take > 0 {
			m := d.movement(ReasonReserve, r.ReferenceType, r.ReferenceID, cmd.MovementKey)
			m.ReservedDelta, m.Reserved = take, m.Reserved+take
			events = append(events, d.apply(InventoryReserved{StockMovement: m, ReservationID: r.ID,
				ReferenceType: r.ReferenceType, ReferenceID: r.ReferenceID, LineID: r.LineID, Quantity: take,
				ExpiresAt: cmd.ExpiresAt, TotalReserved: r.Reserved + r.Consumed + take, TotalBackordered: r.Backordered}))
			r = d.Reservations[r.ID]
		}
		if rest := diff - take; rest > 0 {
			events = append(events, d.apply(InventoryBackordered{ItemID: d.ID, SKU: d.SKU, LocationID: d.LocationID, MovementKey: cmd.MovementKey,
				ReservationID: r.ID, ReferenceType: r.ReferenceType, ReferenceID: r.ReferenceID, LineID: r.LineID,
				Quantity: rest, TotalReserved: r.Reserved + r.Consumed, TotalBackordered: r.Backordered + rest}))
		}
	case diff < 0:
		events = append(events, d.release(r, -diff, ReasonRelease, cmd.MovementKey)...)
		events = append(events, d.fillBackorders()...)
	}
	return append(events, d.lowStock(before)...), nil
}

// Release drops a reservation and its backorder; releasing one that is gone is a no-op.
func (it *InventoryItem) Release(reservationID string, now time.Time) ([]Event, error) {
	if !it.Exists() {
		return nil, ErrNotFound
	}
	d := it.Clone()
	events := d.expire(now)
	r := d.Reservations[reservationID]
	if r == nil {
		return events, nil
	}
	events = append(events, d.release(r, r.Reserved+r.Backordered, ReasonRelease, "")...)
	return append(events, d.fillBackorders()...), nil
}

// ConsumeInventory takes reserved stock out (a shipment, production).
type ConsumeInventory struct {
	ReservationID string
	Quantity      int64
	Reason        string // sale or consumption
	SourceType    string
	SourceID      string
	MovementKey   string
	Now           time.Time
}

// Consume decides taking reserved stock out: on hand and reserved go down together. A
// quantity beyond what the reservation holds is refused.
func (it *InventoryItem) Consume(cmd ConsumeInventory) ([]Event, error) {
	var v Validation
	v.Check(cmd.Quantity > 0 && cmd.Quantity <= MaxQuantity, "quantity", "must be an integer from 1 to "+strconv.FormatInt(MaxQuantity, 10))
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !it.Exists() {
		return nil, ErrNotFound
	}
	if it.seen(cmd.MovementKey) {
		return nil, nil
	}
	r := it.Reservations[cmd.ReservationID]
	if r == nil || r.Reserved < cmd.Quantity {
		held := int64(0)
		if r != nil {
			held = r.Reserved
		}
		return nil, &InsufficientStockError{Shortages: []Shortage{{SKU: it.SKU, LocationID: it.LocationID, Requested: cmd.Quantity, Available: held}}}
	}
	d := it.Clone()
	m := d.movement(cmd.Reason, cmd.SourceType, cmd.SourceID, cmd.MovementKey)
	m.OnHandDelta, m.ReservedDelta = -cmd.Quantity, -cmd.Quantity
	m.OnHand, m.Reserved = m.OnHand-cmd.Quantity, m.Reserved-cmd.Quantity
	closed := r.Reserved == cmd.Quantity && r.Backordered == 0
	return []Event{d.apply(InventoryReservationConsumed{StockMovement: m, ReservationID: r.ID, ReferenceType: r.ReferenceType,
		ReferenceID: r.ReferenceID, LineID: r.LineID, Quantity: cmd.Quantity, Closed: closed})}, nil
}

// ExpireReservations releases every reservation whose time has passed.
func (it *InventoryItem) ExpireReservations(now time.Time) ([]Event, error) {
	if !it.Exists() {
		return nil, ErrNotFound
	}
	d := it.Clone()
	return d.expire(now), nil
}

// release gives qty of r back: the backorder first, then held stock.
func (d *InventoryItem) release(r *Reservation, qty int64, reason, key string) []Event {
	cancel := min(qty, r.Backordered)
	free := min(qty-cancel, r.Reserved)
	m := d.movement(reason, r.ReferenceType, r.ReferenceID, key)
	m.ReservedDelta, m.Reserved = -free, m.Reserved-free
	closed := r.Reserved == free && r.Backordered == cancel // nothing held, nothing waiting
	return []Event{d.apply(InventoryReservationReleased{StockMovement: m, ReservationID: r.ID, ReferenceType: r.ReferenceType,
		ReferenceID: r.ReferenceID, LineID: r.LineID, Quantity: free, BackorderCancelled: cancel, Closed: closed,
		TotalReserved: r.Reserved + r.Consumed - free, TotalBackordered: r.Backordered - cancel})}
}

// fillBackorders reserves available stock for waiting reservations, oldest first.
func (d *InventoryItem) fillBackorders() []Event {
	var events []Event
	for _, r := range d.Backorders() {
		take := min(r.Backordered, d.Available())
		if take <= 0 {
			break
		}
		m := d.movement(ReasonReserve, r.ReferenceType, r.ReferenceID, "")
		m.ReservedDelta, m.Reserved = take, m.Reserved+take
		events = append(events, d.apply(InventoryReserved{StockMovement: m, ReservationID: r.ID, ReferenceType: r.ReferenceType,
			ReferenceID: r.ReferenceID, LineID: r.LineID, Quantity: take, FromBackorder: true,
			TotalReserved: r.Reserved + r.Consumed + take, TotalBackordered: r.Backordered - take}))
	}
	return events
}

// expire releases reservations whose expiry has passed at now.
func (d *InventoryItem) expire(now time.Time) []Event {
	if now.IsZero() {
		return nil
	}
	var due []*Reservation
	for _, r := range d.Reservations {
		if r.ExpiresAt != nil && !now.Before(*r.ExpiresAt) {
			due = append(due, r)
		}
	}
	slices.SortFunc(due, func(a, b *Reservation) int { return strings.Compare(a.ID, b.ID) })
	var events []Event
	for _, r := range due {
		events = append(events, d.release(r, r.Reserved+r.Backordered, ReasonExpire, "")...)
	}
	if len(events) > 0 {
		events = append(events, d.fillBackorders()...) // freed stock goes to the oldest waiting first
	}
	return events
}

// lowStock is InventoryLowStock when available has just crossed the reorder point.
func (d *InventoryItem) lowStock(before int64) []Event {
	if d.ReorderPoint <= 0 || before <= d.ReorderPoint || d.Available() > d.ReorderPoint {
		return nil
	}
	return []Event{d.apply(InventoryLowStock{ItemID: d.ID, SKU: d.SKU, LocationID: d.LocationID,
		Available: d.Available(), ReorderPoint: d.ReorderPoint, ReorderQuantity: d.ReorderQuantity})}
}

// movement starts a ledger entry at the current balances.
func (d *InventoryItem) movement(reason, srcType, srcID, key string) StockMovement {
	return StockMovement{ItemID: d.ID, SKU: d.SKU, LocationID: d.LocationID, Reason: reason, SourceType: srcType,
		SourceID: srcID, MovementKey: key, OnHand: d.OnHand, Reserved: d.Reserved, Incoming: d.Incoming, InTransit: d.InTransit}
}

// apply folds a decided event into the decision copy, so the next decision in the same
// command sees it, and returns it.
func (d *InventoryItem) apply(e Event) Event {
	d.fold(e, 0, time.Time{})
	return e
}

// Apply folds an inventory event in.
func (it *InventoryItem) Apply(env Envelope) {
	it.fold(env.Event, env.Position, env.Time)
	it.Version = env.Version
	it.UpdatedAt = env.Time
}

func (it *InventoryItem) fold(e Event, pos uint64, at time.Time) {
	if m, ok := Movement(e); ok {
		it.OnHand, it.Reserved, it.Incoming, it.InTransit = m.OnHand, m.Reserved, m.Incoming, m.InTransit
		it.remember(m.MovementKey)
	}
	switch e := e.(type) {
	case InventoryItemCreated:
		*it = InventoryItem{ID: e.ItemID, SKU: e.SKU, LocationID: e.LocationID, ReorderPoint: e.ReorderPoint,
			ReorderQuantity: e.ReorderQuantity, UnitCost: e.UnitCost, Currency: e.Currency, CreatedAt: at}
	case InventoryItemUpdated:
		if e.ReorderPoint != nil {
			it.ReorderPoint = e.ReorderPoint.To
		}
		if e.ReorderQuantity != nil {
			it.ReorderQuantity = e.ReorderQuantity.To
		}
		if e.UnitCost != nil {
			it.UnitCost = e.UnitCost.To
		}
	case InventoryReserved:
		r := it.reservation(e.ReservationID, e.ReferenceType, e.ReferenceID, e.LineID, at)
		r.Reserved += e.Quantity
		if e.FromBackorder {
			r.Backordered -= e.Quantity
		}
		if r.Backordered == 0 {
			r.BackorderedAt = 0 // waiting again later queues it anew, behind whoever waits then
		}
		if e.ExpiresAt != nil {
			r.ExpiresAt = e.ExpiresAt
		}
	case InventoryBackordered:
		r := it.reservation(e.ReservationID, e.ReferenceType, e.ReferenceID, e.LineID, at)
		r.Backordered += e.Quantity
		if r.BackorderedAt == 0 {
			r.BackorderedAt = pos // its place in the queue, until it stops waiting
		}
		it.remember(e.MovementKey)
	case InventoryReservationReleased:
		if r := it.Reservations[e.ReservationID]; r != nil {
			r.Reserved -= e.Quantity
			r.Backordered -= e.BackorderCancelled
			if r.Backordered == 0 {
				r.BackorderedAt = 0
			}
			if e.Closed {
				it.close(r.ID)
			}
		}
	case InventoryReservationConsumed:
		if r := it.Reservations[e.ReservationID]; r != nil {
			r.Reserved -= e.Quantity
			r.Consumed += e.Quantity
			if e.Closed {
				it.close(r.ID)
			}
		}
	}
}

func (it *InventoryItem) reservation(id, refType, refID, line string, at time.Time) *Reservation {
	if it.Reservations == nil {
		it.Reservations = map[string]*Reservation{}
	}
	r := it.Reservations[id]
	if r == nil {
		r = &Reservation{ID: id, ReferenceType: refType, ReferenceID: refID, LineID: line, CreatedAt: at}
		it.Reservations[id] = r
	}
	return r
}

// close drops a finished reservation. Its id may be reserved again (a manual reference
// reused, an order line added back): redeliveries are told apart by movement keys.
func (it *InventoryItem) close(id string) {
	delete(it.Reservations, id)
}

func (it *InventoryItem) remember(key string) {
	if key == "" {
		return
	}
	if len(it.Recent) >= recentKeys {
		it.Recent = slices.Delete(slices.Clone(it.Recent), 0, len(it.Recent)-recentKeys+1)
	}
	it.Recent = append(it.Recent, key)
}

// Clone returns a deep copy.
func (it *InventoryItem) Clone() *InventoryItem {
	cp := *it
	cp.Reservations = make(map[string]*Reservation, len(it.Reservations))
	for k, r := range it.Reservations {
		rc := *r
		cp.Reservations[k] = &rc
	}
	cp.Recent = slices.Clip(it.Recent) // an append copies instead of writing into ours
	return &cp
}
