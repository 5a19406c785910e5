package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"stateset/domain"
)

// Documents keep each aggregate of a module as one JSON document, folded by the domain's
// own Apply, beside the columns lists filter on. The read model then cannot drift from
// the write side's idea of the aggregate, and a new module's read side is a table spec.
type docTable[A any, P docAggregate[A]] struct {
	table string
	cols  []string       // filter columns besides id, created_seq, doc, version, position, created_at, updated_at
	vals  func(*A) []any // their values, in cols' order
	index []string       // CREATE INDEX statements
	// keep, when set, strips what the read model must not hold (secrets) before a
	// document is stored; the fold of the next event starts from the stripped document
	keep func(*A)
}

type docAggregate[A any] interface {
	*A
	domain.Aggregate
}

func (t docTable[A, P]) schema() []string {
	var cols strings.Builder
	for _, c := range t.cols {
		cols.WriteString(c + " TEXT NOT NULL DEFAULT '',\n")
	}
	return append([]string{`CREATE TABLE IF NOT EXISTS ` + t.table + ` (
		id TEXT PRIMARY KEY,
		created_seq INTEGER NOT NULL UNIQUE,
		` + cols.String() + `created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		doc TEXT NOT NULL,
		version INTEGER NOT NULL,
		position INTEGER NOT NULL
	)`}, t.index...)
}

// apply folds env into the aggregate's document; an event at or below the document's
// version (a redelivery) changes nothing.
func (t docTable[A, P]) apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) (*A, error) {
	a := new(A)
	var doc string
	var createdSeq int64
	err := tx.QueryRowContext(ctx, `SELECT doc, created_seq FROM `+t.table+` WHERE id = ?`, env.AggregateID).Scan(&doc, &createdSeq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		createdSeq = int64(env.Position)
	case err != nil:
		return nil, fmt.Errorf("%s %s: %w", t.table, env.AggregateID, err)
	default:
		if err := json.Unmarshal([]byte(doc), a); err != nil {
			return nil, fmt.Errorf("%s %s: %w", t.table, env.AggregateID, err)
		}
		if P(a).CurrentVersion() >= env.Version {
			return a, nil
		}
	}
	P(a).Apply(env)
	if t.keep != nil {
		t.keep(a)
	}
	body, err := domain.MarshalJSON(a)
	if err != nil {
		return nil, err
	}
	names := append([]string{"id", "created_seq"}, t.cols...)
	names = append(names, "created_at", "updated_at", "doc", "version", "position")
	args := append([]any{env.AggregateID, createdSeq}, t.vals(a)...)
	args = append(args, fmtTime(env.Time), fmtTime(env.Time), string(body), env.Version, env.Position)
	sets := []string{}
	for _, n := range names[2:] {
		if n != "created_at" {
			sets = append(sets, n+" = excluded."+n)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO `+t.table+` (`+strings.Join(names, ", ")+`) VALUES (?`+
		strings.Repeat(", ?", len(names)-1)+`) ON CONFLICT(id) DO UPDATE SET `+strings.Join(sets, ", "), args...)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t.table, env.AggregateID, err)
	}
	return a, nil
}

// Doc is one document row: the aggregate as the read model holds it.
type Doc[A any] struct {
	Value    *A
	Position uint64
	cursor   int64
}

func (t docTable[A, P]) get(ctx context.Context, db *sql.DB, id string) (Doc[A], error) {
	d, err := t.scan(db.QueryRowContext(ctx, `SELECT doc, position, created_seq FROM `+t.table+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.ErrNotFound
	}
	return d, err
}

func (t docTable[A, P]) scan(row interface{ Scan(...any) error }) (Doc[A], error) {
	var d Doc[A]
	var doc string
	if err := row.Scan(&doc, &d.Position, &d.cursor); err != nil {
		return d, err
	}
	d.Value = new(A)
	if err := json.Unmarshal([]byte(doc), d.Value); err != nil {
		return d, fmt.Errorf("%s: %w", t.table, err)
	}
	return d, nil
}

// Filter is a list query over a document table: column = value conditions (empty values
// do not filter), creation time bounds, a page.
type Filter struct {
	Equal         map[string]string
	CreatedAfter  string
	CreatedBefore string
	Where         []string // extra SQL conditions, with WhereArgs
	WhereArgs     []any
	Page          Page
}

func (t docTable[A, P]) list(ctx context.Context, db *sql.DB, f Filter) ([]*A, PageInfo, error) {
	where, args := append([]string{}, f.Where...), append([]any{}, f.WhereArgs...)
	for _, c := range t.cols {
		if v := f.Equal[c]; v != "" {
			where, args = append(where, c+" = ?"), append(args, v)
		}
	}
	if f.CreatedAfter != "" {
		where, args = append(where, "created_at > ?"), append(args, f.CreatedAfter)
	}
	if f.CreatedBefore != "" {
		where, args = append(where, "created_at < ?"), append(args, f.CreatedBefore)
	}
	docs, info, err := list(ctx, db, t.table, "doc, position, created_seq", "created_seq", where, args, f.Page, t.scan,
		func(d Doc[A]) int64 { return d.cursor })
	out := make([]*A, len(docs))
	for i, d := range docs {
		out[i] = d.Value
	}
	return out, info, err
}

// scrub rewrites the documents whose column col equals val through fn, leaving their
// version and position: what a forgotten subject's documents become, the same as a
// rebuild that can no longer read the subject's personal fields would make them, or what
// another aggregate's event says of them (a contact named primary by its owner).
func (t docTable[A, P]) scrub(ctx context.Context, tx *sql.Tx, col, val string, fn func(*A)) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, doc FROM `+t.table+` WHERE `+col+` = ?`, val)
	if err != nil {
		return fmt.Errorf("scrub %s: %w", t.table, err)
	}
	docs := map[string]string{}
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			rows.Close()
			return err
		}
		docs[id] = doc
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, doc := range docs {
		a := new(A)
		if err := json.Unmarshal([]byte(doc), a); err != nil {
			return fmt.Errorf("scrub %s %s: %w", t.table, id, err)
		}
		fn(a)
		body, err := domain.MarshalJSON(a)
		if err != nil {
			return err
		}
		sets, args := []string{"doc = ?"}, []any{string(body)}
		for i, v := range t.vals(a) { // filter columns derived from personal fields change too
			sets, args = append(sets, t.cols[i]+" = ?"), append(args, v)
		}
		args = append(args, id)
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...); err != nil {
			return fmt.Errorf("scrub %s %s: %w", t.table, id, err)
		}
	}
	return nil
}

// forgettable is an aggregate that can zero what it holds of personal fields.
type forgettable interface{ Forget() }

// forget applies a CustomerForgotten event to the documents whose column col names the
// customer: each one's personal fields zeroed, the same as a rebuild that can no longer
// read them makes it. It reports whether env was a customer event (handled or not).
func (t docTable[A, P]) forget(ctx context.Context, tx *sql.Tx, env domain.Envelope, col string) (bool, error) {
	if env.AggregateType != "customer" {
		return false, nil
	}
	e, ok := env.Event.(domain.CustomerForgotten)
	if !ok {
		return true, nil
	}
	return true, t.scrub(ctx, tx, col, e.CustomerID, func(a *A) {
		if f, ok := any(a).(forgettable); ok {
			f.Forget()
		}
	})
}
