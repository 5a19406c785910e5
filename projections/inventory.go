package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"stateset/domain"
)

// inventoryV1 is the inventory read model: items (balances), their ledger of movements
// and every reservation with its lifecycle. v2: an item's document no longer keeps the
// aggregate's redelivery keys (Recent, up to 512): the decisions that need them read the
// event store, and rewriting them with every movement made each stock event of a busy
// item cost a 40 KB decode, fold and encode.
type inventoryV1 struct{}

// Inventory is the inventory projector.
func Inventory() Projector { return inventoryV1{} }

var itemDocs = docTable[domain.InventoryItem, *domain.InventoryItem]{
	table: "inventory_items",
	cols:  []string{"sku", "location_id", "low"},
	vals: func(it *domain.InventoryItem) []any {
		low := ""
		if it.ReorderPoint > 0 && it.Available() <= it.ReorderPoint {
			low = "1"
		}
		return []any{it.SKU, it.LocationID, low}
	},
	keep: func(it *domain.InventoryItem) { it.Recent = nil },
	index: []string{`CREATE INDEX IF NOT EXISTS inventory_items_sku ON inventory_items (sku, location_id)`,
		`CREATE INDEX IF NOT EXISTS inventory_items_low ON inventory_items (low, created_seq)`},
}

func (inventoryV1) Name() string             { return "inventory_v2" }
func (inventoryV1) AggregateTypes() []string { return []string{"inventory"} }

func (inventoryV1) Schema() []string {
	return append(itemDocs.schema(),
		// the ledger, clustered by item: one B-tree to append to and to read a history from
		`CREATE TABLE IF NOT EXISTS inventory_movements (
			item_id TEXT NOT NULL,
			seq INTEGER NOT NULL,
			event_type TEXT NOT NULL,
			time TEXT NOT NULL,
			reason TEXT NOT NULL,
			source_type TEXT NOT NULL,
			source_id TEXT NOT NULL,
			on_hand_delta INTEGER NOT NULL,
			reserved_delta INTEGER NOT NULL,
			incoming_delta INTEGER NOT NULL,
			in_transit_delta INTEGER NOT NULL,
			on_hand INTEGER NOT NULL,
			reserved INTEGER NOT NULL,
			incoming INTEGER NOT NULL,
			in_transit INTEGER NOT NULL,
			reservation_id TEXT NOT NULL DEFAULT '',
			actor TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (item_id, seq)
		) WITHOUT ROWID`,
		`CREATE TABLE IF NOT EXISTS reservations (
			id TEXT PRIMARY KEY,
			created_seq INTEGER NOT NULL UNIQUE,
			item_id TEXT NOT NULL,
			sku TEXT NOT NULL,
			location_id TEXT NOT NULL,
			reference_type TEXT NOT NULL,
			reference_id TEXT NOT NULL,
			line_id TEXT NOT NULL,
			reserved INTEGER NOT NULL DEFAULT 0,
			backordered INTEGER NOT NULL DEFAULT 0,
			consumed INTEGER NOT NULL DEFAULT 0,
			released INTEGER NOT NULL DEFAULT 0,
			status TEXT NOT NULL,
			expires_at TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			position INTEGER NOT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS reservations_ref ON reservations (reference_type, reference_id)`,
		`CREATE INDEX IF NOT EXISTS reservations_item ON reservations (item_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS reservations_status ON reservations (status, created_seq)`,
	)
}

// Reservation statuses in the read model.
const (
	ReservationActive      = "ACTIVE"
	ReservationBackordered = "BACKORDERED"
	ReservationConsumed    = "CONSUMED"
	ReservationReleased    = "RELEASED"
	ReservationExpired     = "EXPIRED"
)

func (inventoryV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	if _, err := itemDocs.apply(ctx, tx, env); err != nil {
		return err
	}
	if m, ok := domain.Movement(env.Event); ok {
		resID := ""
		switch e := env.Event.(type) {
		case domain.InventoryReserved:
			resID = e.ReservationID
		case domain.InventoryReservationReleased:
			resID = e.ReservationID
		case domain.InventoryReservationConsumed:
			resID = e.ReservationID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO inventory_movements (item_id, seq, event_type, time, reason, source_type,
			source_id, on_hand_delta, reserved_delta, incoming_delta, in_transit_delta, on_hand, reserved, incoming,
			in_transit, reservation_id, actor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`,
			env.AggregateID, env.Position, env.Type, fmtTime(env.Time), m.Reason, m.SourceType, m.SourceID, m.OnHandDelta,
			m.ReservedDelta, m.IncomingDelta, m.InTransitDelta, m.OnHand, m.Reserved, m.Incoming, m.InTransit, resID,
			env.Metadata.Actor)
		if err != nil {
			return fmt.Errorf("movement: %w", err)
		}
	}
	return applyReservation(ctx, tx, env)
}

func applyReservation(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	upsert := func(id, sku, loc, refType, refID, line string, exp *time.Time, set string, args ...any) error {
		expires := ""
		if exp != nil {
			expires = fmtTime(*exp)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO reservations (id, created_seq, item_id, sku, location_id, reference_type,
			reference_id, line_id, status, expires_at, created_at, updated_at, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT(id) DO NOTHING`, id, env.Position, env.AggregateID, sku, loc, refType, refID, line,
			ReservationActive, expires, fmtTime(env.Time), fmtTime(env.Time), 0)
		if err != nil {
			return fmt.Errorf("reservation %s: %w", id, err)
		}
		// the position guard makes a redelivered event a no-op
		_, err = tx.ExecContext(ctx, `UPDATE reservations SET `+set+`, updated_at = ?, position = ?
			WHERE id = ? AND position < ?`, append(args, fmtTime(env.Time), env.Position, id, env.Position)...)
		return err
	}
	switch e := env.Event.(type) {
	case domain.InventoryReserved:
		expires := ""
		if e.ExpiresAt != nil {
			expires = fmtTime(*e.ExpiresAt)
		}
		return upsert(e.ReservationID, e.SKU, e.LocationID, e.ReferenceType, e.ReferenceID, e.LineID, e.ExpiresAt,
			`reserved = reserved + ?, backordered = ?, status = CASE WHEN ? > 0 THEN 'BACKORDERED' ELSE 'ACTIVE' END,
			expires_at = CASE WHEN ? != '' THEN ? ELSE expires_at END`,
			e.Quantity, e.TotalBackordered, e.TotalBackordered, expires, expires)
	case domain.InventoryBackordered:
		return upsert(e.ReservationID, e.SKU, e.LocationID, e.ReferenceType, e.ReferenceID, e.LineID, nil,
			`backordered = ?, status = 'BACKORDERED'`, e.TotalBackordered)
	case domain.InventoryReservationReleased:
		status := ReservationActive
		switch {
		case e.Closed && e.Reason == domain.ReasonExpire:
			status = ReservationExpired
		case e.Closed:
			status = ReservationReleased
		case e.TotalBackordered > 0:
			status = ReservationBackordered
		}
		return upsert(e.ReservationID, e.SKU, e.LocationID, e.ReferenceType, e.ReferenceID, e.LineID, nil,
			`reserved = reserved - ?, released = released + ?, backordered = ?,
			status = CASE WHEN ? = 'RELEASED' AND consumed > 0 THEN 'CONSUMED' ELSE ? END`,
			e.Quantity, e.Quantity, e.TotalBackordered, status, status)
	case domain.InventoryReservationConsumed:
		status := "status"
		if e.Closed {
			status = "'" + ReservationConsumed + "'"
		}
		return upsert(e.ReservationID, e.SKU, e.LocationID, e.ReferenceType, e.ReferenceID, e.LineID, nil,
			`reserved = reserved - ?, consumed = consumed + ?, status = `+status, e.Quantity, e.Quantity)
	}
	return nil
}

// GetInventoryItem returns one item, domain.ErrNotFound if there is none.
func (rd *Reader) GetInventoryItem(ctx context.Context, id string) (Doc[domain.InventoryItem], error) {
	return itemDocs.get(ctx, rd.db("inventory_v2"), id)
}

// ListInventoryItems lists items, newest first; filters sku, location_id and low ("1").
func (rd *Reader) ListInventoryItems(ctx context.Context, f Filter) ([]*domain.InventoryItem, PageInfo, error) {
	return itemDocs.list(ctx, rd.db("inventory_v2"), f)
}

// Movement is one ledger entry of an item.
type Movement struct {
	Position      uint64    `json:"position"`
	EventType     string    `json:"event_type"`
	Time          time.Time `json:"time"`
	Reason        string    `json:"reason"`
	SourceType    string    `json:"source_type"`
	SourceID      string    `json:"source_id"`
	OnHandDelta   int64     `json:"on_hand_delta"`
	ReservedDelta int64     `json:"reserved_delta"`
	IncomingDelta int64     `json:"incoming_delta"`
	TransitDelta  int64     `json:"in_transit_delta"`
	OnHand        int64     `json:"on_hand"`
	Reserved      int64     `json:"reserved"`
	Incoming      int64     `json:"incoming"`
	InTransit     int64     `json:"in_transit"`
	Available     int64     `json:"available"`
	ReservationID string    `json:"reservation_id,omitempty"`
	Actor         string    `json:"actor,omitempty"`
}

// InventoryMovements is an item's ledger, newest first.
func (rd *Reader) InventoryMovements(ctx context.Context, itemID string, p Page) ([]Movement, PageInfo, error) {
	return list(ctx, rd.db("inventory_v2"), "inventory_movements", `seq, event_type, time, reason, source_type, source_id,
		on_hand_delta, reserved_delta, incoming_delta, in_transit_delta, on_hand, reserved, incoming, in_transit,
		reservation_id, actor`, "seq", []string{"item_id = ?"}, []any{itemID}, p,
		func(row interface{ Scan(...any) error }) (Movement, error) {
			var m Movement
			var t string
			err := row.Scan(&m.Position, &m.EventType, &t, &m.Reason, &m.SourceType, &m.SourceID, &m.OnHandDelta,
				&m.ReservedDelta, &m.IncomingDelta, &m.TransitDelta, &m.OnHand, &m.Reserved, &m.Incoming, &m.InTransit,
				&m.ReservationID, &m.Actor)
			m.Time, m.Available = parseTime(t), m.OnHand-m.Reserved
			return m, err
		}, func(m Movement) int64 { return int64(m.Position) })
}

// ReservationRow is a reservation as the read model holds it.
type ReservationRow struct {
	ID            string `json:"id"`
	ItemID        string `json:"inventory_item_id"`
	SKU           string `json:"sku"`
	LocationID    string `json:"location_id"`
	ReferenceType string `json:"reference_type"`
	ReferenceID   string `json:"reference_id"`
	LineID        string `json:"line_id"`
	Reserved      int64  `json:"quantity"`
	Backordered   int64  `json:"backordered"`
	Consumed      int64  `json:"consumed"`
	Released      int64  `json:"released"`
	Status        string `json:"status"`
	ExpiresAt     string `json:"expires_at,omitempty"`
	CreatedAt     string `json:"created_at"`
	UpdatedAt     string `json:"updated_at"`
	cursor        int64
}

const reservationCols = `id, item_id, sku, location_id, reference_type, reference_id, line_id, reserved, backordered,
	consumed, released, status, expires_at, created_at, updated_at, created_seq`

func scanReservation(row interface{ Scan(...any) error }) (ReservationRow, error) {
	var r ReservationRow
	err := row.Scan(&r.ID, &r.ItemID, &r.SKU, &r.LocationID, &r.ReferenceType, &r.ReferenceID, &r.LineID, &r.Reserved,
		&r.Backordered, &r.Consumed, &r.Released, &r.Status, &r.ExpiresAt, &r.CreatedAt, &r.UpdatedAt, &r.cursor)
	return r, err
}

// GetReservation returns one reservation.
func (rd *Reader) GetReservation(ctx context.Context, id string) (ReservationRow, error) {
	r, err := scanReservation(rd.db("inventory_v2").QueryRowContext(ctx, `SELECT `+reservationCols+` FROM reservations WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return r, domain.ErrNotFound
	}
	return r, err
}

// ListReservations lists reservations, newest first; filters by column (status,
// reference_type, reference_id, item_id, sku, location_id).
func (rd *Reader) ListReservations(ctx context.Context, eq map[string]string, p Page) ([]ReservationRow, PageInfo, error) {
	var where []string
	var args []any
	for _, c := range []string{"status", "reference_type", "reference_id", "item_id", "sku", "location_id"} {
		if v := eq[c]; v != "" {
			where, args = append(where, c+" = ?"), append(args, v)
		}
	}
	return list(ctx, rd.db("inventory_v2"), "reservations", reservationCols, "created_seq", where, args, p, scanReservation,
		func(r ReservationRow) int64 { return r.cursor })
}

// ItemBalances is every item's balances as the read model holds them, for verify.
func (rd *Reader) ItemBalances(ctx context.Context) (map[string]domain.InventoryItem, error) {
	rows, err := rd.db("inventory_v2").QueryContext(ctx, `SELECT id, doc FROM inventory_items`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]domain.InventoryItem{}
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		var it domain.InventoryItem
		if err := json.Unmarshal([]byte(doc), &it); err != nil {
			return nil, fmt.Errorf("item %s: %w", id, err)
		}
		out[id] = it
	}
	return out, rows.Err()
}

// DueReservations lists held reservations whose expiry is at or before now, oldest first.
func (rd *Reader) DueReservations(ctx context.Context, now time.Time, limit int) ([]ReservationRow, error) {
	rows, err := rd.db("inventory_v2").QueryContext(ctx, `SELECT `+reservationCols+` FROM reservations
		WHERE status IN ('ACTIVE', 'BACKORDERED') AND expires_at != '' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
		fmtTime(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReservationRow
	for rows.Next() {
		r, err := scanReservation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
