package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"stateset/domain"
)

// customersV3 is the customers read model: one row per customer and its timeline.
// v2 clusters the timeline by customer (v1 kept it in stream order with an index); v3
// merges into the timeline the orders, returns, warranties and cases (with their notes)
// of the customer.
type customersV3 struct{}

// Customers is the customers projector.
func Customers() Projector { return customersV3{} }

func (customersV3) Name() string { return "customers_v3" }

// AggregateTypes: the customer's own events and those of the documents on its timeline.
func (customersV3) AggregateTypes() []string { return TimelineKinds() }

// TimelineKinds are the aggregate types whose events a customer's timeline holds (an
// entry's Kind): the customer's own and those of its orders, returns, warranties and cases.
func TimelineKinds() []string { return []string{"customer", "order", "return", "warranty", "case"} }

func (customersV3) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS customers (
			id TEXT PRIMARY KEY,
			created_seq INTEGER NOT NULL UNIQUE,
			email TEXT NOT NULL,
			email_key TEXT NOT NULL,
			first_name TEXT NOT NULL DEFAULT '',
			last_name TEXT NOT NULL DEFAULT '',
			phone TEXT NOT NULL DEFAULT '',
			stripe_customer_id TEXT NOT NULL DEFAULT '',
			timestamp TEXT NOT NULL DEFAULT '',
			activation_date TEXT NOT NULL DEFAULT '',
			type TEXT NOT NULL,
			status TEXT NOT NULL,
			metadata TEXT NOT NULL DEFAULT '{}',
			addresses TEXT NOT NULL DEFAULT '[]',
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL,
			version INTEGER NOT NULL,
			position INTEGER NOT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS customers_email ON customers (email_key)`,
		`CREATE INDEX IF NOT EXISTS customers_status ON customers (status, created_seq)`,
		// clustered by customer: one B-tree to insert into and to read a timeline from
		`CREATE TABLE IF NOT EXISTS customer_timeline (
			customer_id TEXT NOT NULL,
			seq INTEGER NOT NULL,
			kind TEXT NOT NULL,
			event_type TEXT NOT NULL,
			time TEXT NOT NULL,
			actor TEXT NOT NULL DEFAULT '',
			summary TEXT NOT NULL,
			PRIMARY KEY (customer_id, seq)
		) WITHOUT ROWID`,
		// whose document it is: later events of an order, return, warranty or case do
		// not carry the customer id their creation did
		`CREATE TABLE IF NOT EXISTS timeline_owner (
			aggregate_type TEXT NOT NULL,
			aggregate_id TEXT NOT NULL,
			customer_id TEXT NOT NULL,
			PRIMARY KEY (aggregate_type, aggregate_id)
		) WITHOUT ROWID`,
	}
}

func (customersV3) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	var err error
	switch e := env.Event.(type) {
	case domain.CustomerCreated:
		_, err = tx.ExecContext(ctx, `INSERT INTO customers (id, created_seq, email, email_key, first_name, last_name,
			phone, stripe_customer_id, timestamp, activation_date, type, status, metadata, addresses, created_at,
			updated_at, version, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT(id) DO NOTHING`,
			e.CustomerID, env.Position, e.Email, domain.EmailKey(e.Email), e.FirstName, e.LastName, e.Phone,
			e.StripeCustomerID, e.Timestamp, e.ActivationDate, e.Type, e.Status, jsonText(e.Metadata, "{}"),
			jsonText(e.Addresses, "[]"), fmtTime(env.Time), fmtTime(env.Time), env.Version, env.Position)
	case domain.CustomerUpdated:
		sets, args := []string{}, []any{}
		col := func(name string, ch *domain.Change) {
			if ch != nil {
				sets, args = append(sets, name+" = ?"), append(args, ch.To)
			}
		}
		col("email", e.Email)
		if e.Email != nil {
			sets, args = append(sets, "email_key = ?"), append(args, domain.EmailKey(e.Email.To))
		}
		col("first_name", e.FirstName)
		col("last_name", e.LastName)
		col("phone", e.Phone)
		col("stripe_customer_id", e.StripeCustomerID)
		col("timestamp", e.Timestamp)
		col("activation_date", e.ActivationDate)
		col("type", e.Type)
		if e.Metadata != nil {
			sets, args = append(sets, "metadata = ?"), append(args, jsonText(e.Metadata.To, "{}"))
		}
		err = touch(ctx, tx, env, e.CustomerID, sets, args)
	case domain.CustomerStatusChanged:
		err = touch(ctx, tx, env, e.CustomerID, []string{"status = ?"}, []any{e.To})
	case domain.CustomerArchived:
		err = touch(ctx, tx, env, e.CustomerID, []string{"status = ?"}, []any{domain.CustomerStatusArchived})
	case domain.CustomerAddressAdded:
		if e.Address == (domain.Address{}) {
			// a forgotten customer's address (its key gone): nothing to keep
			err = touch(ctx, tx, env, e.CustomerID, nil, nil)
			break
		}
		err = touch(ctx, tx, env, e.CustomerID, []string{"addresses = json_insert(addresses, '$[#]', json(?))"},
			[]any{jsonText(e.Address, "{}")})
	case domain.CustomerPrimaryContactSet:
		err = touch(ctx, tx, env, e.CustomerID, nil, nil) // the contacts show it (is_primary)
	case domain.CustomerForgotten:
		// what a rebuild makes of the customer once its key is gone
		if err = touch(ctx, tx, env, e.CustomerID, []string{"email = ''", "email_key = ''", "first_name = ''",
			"last_name = ''", "phone = ''", "addresses = '[]'"}, nil); err == nil {
			err = scrubTimeline(ctx, tx, e.CustomerID)
		}
	default:
		if env.AggregateType == "customer" {
			return nil
		}
		return documentTimeline(ctx, tx, env)
	}
	if err != nil {
		return err
	}
	return addTimeline(ctx, tx, env, env.AggregateID)
}

// offTimeline are document events that are bookkeeping of flows, not something that
// happened to the customer.
var offTimeline = map[string]bool{"OrderLinesAllocated": true}

// documentTimeline puts an event of an order, return, warranty or case on its customer's
// timeline: a creation naming a customer records the owner; later events find it there.
func documentTimeline(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	owner := ""
	switch e := env.Event.(type) {
	case domain.OrderCreated:
		owner = e.CustomerID
	case domain.ReturnRequested:
		owner = e.CustomerID
	case domain.WarrantyRegistered:
		owner = e.CustomerID
	case domain.CaseOpened:
		owner = e.CustomerID
	}
	if owner != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO timeline_owner (aggregate_type, aggregate_id, customer_id)
			VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, env.AggregateType, env.AggregateID, owner); err != nil {
			return fmt.Errorf("timeline owner %s %s: %w", env.AggregateType, env.AggregateID, err)
		}
	} else {
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM timeline_owner WHERE aggregate_type = ? AND aggregate_id = ?`,
			env.AggregateType, env.AggregateID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // a document of no customer
		}
		if err != nil {
			return fmt.Errorf("timeline owner %s %s: %w", env.AggregateType, env.AggregateID, err)
		}
	}
	if offTimeline[env.Type] {
		return nil
	}
	return addTimeline(ctx, tx, env, owner)
}

// touch updates columns of one customer and its version; the version guard makes a
// replayed event a no-op.
func touch(ctx context.Context, tx *sql.Tx, env domain.Envelope, id string, sets []string, args []any) error {
	sets = append(sets, "updated_at = ?", "version = ?", "position = ?")
	args = append(args, fmtTime(env.Time), env.Version, env.Position, id, env.Version)
	_, err := tx.ExecContext(ctx, `UPDATE customers SET `+strings.Join(sets, ", ")+` WHERE id = ? AND version < ?`, args...)
	return err
}

// scrubTimeline rewrites a forgotten customer's timeline entries as their events now
// decode: personal fields zeroed.
func scrubTimeline(ctx context.Context, tx *sql.Tx, customerID string) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, event_type, summary FROM customer_timeline WHERE customer_id = ?`, customerID)
	if err != nil {
		return err
	}
	type entry struct {
		seq          int64
		typ, summary string
	}
	var entries []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.seq, &e.typ, &e.summary); err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	reg := domain.NewRegistry() // types only: no keys, no I/O
	for _, e := range entries {
		ev, err := reg.DecodeData(e.typ, reg.Version(e.typ), []byte(e.summary))
		if err != nil {
			return fmt.Errorf("scrub timeline %s at %d: %w", customerID, e.seq, err)
		}
		summary, err := json.Marshal(reg.Scrub(ev))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customer_timeline SET summary = ? WHERE customer_id = ? AND seq = ?`,
			string(summary), customerID, e.seq); err != nil {
			return err
		}
	}
	return nil
}

func addTimeline(ctx context.Context, tx *sql.Tx, env domain.Envelope, customerID string) error {
	summary, err := json.Marshal(env.Event)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO customer_timeline (seq, customer_id, kind, event_type, time, actor, summary)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(customer_id, seq) DO NOTHING`,
		env.Position, customerID, env.AggregateType, env.Type, fmtTime(env.Time), env.Metadata.Actor, string(summary))
	return err
}

func jsonText(v any, empty string) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return empty
	}
	return string(b)
}

// Customer is a customer row.
type Customer struct {
	ID               string
	Email            string
	FirstName        string
	LastName         string
	Phone            string
	StripeCustomerID string
	Timestamp        string
	ActivationDate   string
	Type             string
	Status           string
	Metadata         map[string]string
	Addresses        []domain.Address
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int64
	Position         uint64
	cursor           int64
}

const customerCols = `id, email, first_name, last_name, phone, stripe_customer_id, timestamp, activation_date, type,
	status, metadata, addresses, created_at, updated_at, version, position, created_seq`

func scanCustomer(row interface{ Scan(...any) error }) (Customer, error) {
	var c Customer
	var meta, addrs, created, updated string
	err := row.Scan(&c.ID, &c.Email, &c.FirstName, &c.LastName, &c.Phone, &c.StripeCustomerID, &c.Timestamp,
		&c.ActivationDate, &c.Type, &c.Status, &meta, &addrs, &created, &updated, &c.Version, &c.Position, &c.cursor)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(meta), &c.Metadata); err != nil {
		return c, fmt.Errorf("customer %s metadata: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(addrs), &c.Addresses); err != nil {
		return c, fmt.Errorf("customer %s addresses: %w", c.ID, err)
	}
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return c, nil
}

// GetCustomer returns one customer, domain.ErrNotFound if there is none.
func (rd *Reader) GetCustomer(ctx context.Context, id string) (Customer, error) {
	c, err := scanCustomer(rd.customers.r.QueryRowContext(ctx, `SELECT `+customerCols+` FROM customers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("get customer %s: %w", id, err)
	}
	return c, nil
}

// CustomerFilter selects customers; zero fields do not filter.
type CustomerFilter struct {
	Email         string
	Status        string
	Type          string
	CreatedAfter  time.Time
	CreatedBefore time.Time
	Page
}

// ListCustomers returns customers newest first.
func (rd *Reader) ListCustomers(ctx context.Context, f CustomerFilter) ([]Customer, PageInfo, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.Email != "" {
		add("email_key = ?", domain.EmailKey(f.Email))
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.Type != "" {
		add("type = ?", f.Type)
	}
	if !f.CreatedAfter.IsZero() {
		add("created_at > ?", fmtTime(f.CreatedAfter))
	}
	if !f.CreatedBefore.IsZero() {
		add("created_at < ?", fmtTime(f.CreatedBefore))
	}
	return list(ctx, rd.customers.r, "customers", customerCols, "created_seq", where, args, f.Page, scanCustomer,
		func(c Customer) int64 { return c.cursor })
}

// TimelineEntry is one thing that happened to a customer.
type TimelineEntry struct {
	Position  uint64
	Kind      string // the aggregate type it came from
	EventType string
	Time      time.Time
	Actor     string
	Summary   json.RawMessage
}

// CustomerTimeline lists what happened to a customer, newest first: only entries of the
// given kinds (aggregate types, TimelineKinds) when kinds are given, every kind when none
// are. The kinds narrow the query itself, so a page is full and its cursor exact whatever
// they leave out.
func (rd *Reader) CustomerTimeline(ctx context.Context, id string, p Page, kinds ...string) ([]TimelineEntry, PageInfo, error) {
	where, args := []string{"customer_id = ?"}, []any{id}
	if len(kinds) > 0 {
		where = append(where, "kind IN (?"+strings.Repeat(", ?", len(kinds)-1)+")")
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	return list(ctx, rd.customers.r, "customer_timeline", "seq, kind, event_type, time, actor, summary", "seq", where, args, p,
		func(row interface{ Scan(...any) error }) (TimelineEntry, error) {
			var e TimelineEntry
			var t, summary string
			err := row.Scan(&e.Position, &e.Kind, &e.EventType, &t, &e.Actor, &summary)
			e.Time, e.Summary = parseTime(t), json.RawMessage(summary)
			return e, err
		},
		func(e TimelineEntry) int64 { return int64(e.Position) })
}
