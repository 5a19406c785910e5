package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"stateset/domain"
)

// auditV1 is the audit trail: one row per event of every aggregate, saying who (API key
// id and name), what (aggregate, event, changed field names), when and in which request.
// It keeps field names only, never values: personal data stays in the events.
type auditV1 struct{ reg *domain.Registry }

// Audit is the audit projector.
func Audit() Projector { return auditV1{reg: domain.NewRegistry()} }

func (auditV1) Name() string { return "audit_v2" }

// AggregateTypes is "*": every aggregate type (the runner's subject <prefix>.events.*.>).
func (auditV1) AggregateTypes() []string { return []string{"*"} }

// v2 names a change of personal fields "personal_data" instead of by field: whether
// those fields can still be read (a forgotten customer's cannot) must not change the
// trail, or a rebuild would differ from the live model.

func (auditV1) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS audit (
			position INTEGER PRIMARY KEY,
			event_id TEXT NOT NULL,
			event_type TEXT NOT NULL,
			aggregate_type TEXT NOT NULL,
			aggregate_id TEXT NOT NULL,
			version INTEGER NOT NULL,
			time TEXT NOT NULL,
			actor TEXT NOT NULL DEFAULT '',
			actor_name TEXT NOT NULL DEFAULT '',
			request_id TEXT NOT NULL DEFAULT '',
			correlation_id TEXT NOT NULL DEFAULT '',
			changed TEXT NOT NULL DEFAULT '[]'
		)`,
		`CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, position)`,
		`CREATE INDEX IF NOT EXISTS audit_aggregate ON audit (aggregate_type, aggregate_id, position)`,
		`CREATE INDEX IF NOT EXISTS audit_time ON audit (time, position)`,
	}
}

func (a auditV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	changed, err := domain.MarshalJSON(a.changed(env))
	if err != nil {
		return err
	}
	m := env.Metadata
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (position, event_id, event_type, aggregate_type, aggregate_id, version,
		time, actor, actor_name, request_id, correlation_id, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(position) DO NOTHING`,
		env.Position, env.ID, env.Type, env.AggregateType, env.AggregateID, env.Version, fmtTime(env.Time),
		m.Actor, m.ActorName, m.RequestID, m.CorrelationID, string(changed))
	return err
}

// changed is ChangedFields without personal fields, plus "personal_data" when an update
// event held personal fields: sealed ones count whether or not they can still be opened.
func (a auditV1) changed(env domain.Envelope) []string {
	personal := a.reg.PersonalFields(env.Type)
	out := slices.DeleteFunc(ChangedFields(env.Event), func(f string) bool { return slices.Contains(personal, f) })
	if len(personal) == 0 || !hasChangeFields(reflect.TypeOf(env.Event)) {
		return out
	}
	held := len(env.Sealed) > 0
	if !held { // personal data kept in the clear: present means changed
		v := reflect.ValueOf(env.Event)
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Tag.Get("personal") == "true" && !v.Field(i).IsZero() {
				held = true
			}
		}
	}
	if held {
		out = append(out, "personal_data")
		slices.Sort(out)
	}
	return out
}

// hasChangeFields reports whether an event type records changes as from/to pairs.
func hasChangeFields(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i).Type
		if f.Kind() == reflect.Pointer && f.Elem().Kind() == reflect.Struct {
			if _, from := f.Elem().FieldByName("From"); from {
				if _, to := f.Elem().FieldByName("To"); to {
					return true
				}
			}
		}
	}
	return false
}

// ChangedFields lists, sorted, the top-level fields of an event that carry a change as a
// {"from": ..., "to": ...} pair (the *Updated events); none for other events.
func ChangedFields(e domain.Event) []string {
	b, err := domain.MarshalJSON(e)
	if err != nil {
		return []string{}
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(b, &fields) != nil {
		return []string{}
	}
	out := []string{}
	for name, raw := range fields {
		var pair map[string]json.RawMessage
		if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &pair) != nil {
			continue
		}
		_, from := pair["from"]
		_, to := pair["to"]
		if from && to {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	Position      uint64
	EventID       string
	EventType     string
	AggregateType string
	AggregateID   string
	Version       int64
	Time          time.Time
	Actor         string
	ActorName     string
	RequestID     string
	CorrelationID string
	Changed       []string
}

// AuditFilter selects audit rows; zero fields select all. From is inclusive, To exclusive.
type AuditFilter struct {
	Actor         string
	AggregateType string
	AggregateID   string
	From, To      time.Time
	Page          Page
}

const auditCols = `position, event_id, event_type, aggregate_type, aggregate_id, version, time, actor, actor_name,
	request_id, correlation_id, changed`

func scanAudit(s interface{ Scan(...any) error }) (AuditEntry, error) {
	var (
		a           AuditEntry
		at, changed string
	)
	if err := s.Scan(&a.Position, &a.EventID, &a.EventType, &a.AggregateType, &a.AggregateID, &a.Version, &at,
		&a.Actor, &a.ActorName, &a.RequestID, &a.CorrelationID, &changed); err != nil {
		return a, err
	}
	a.Time = parseTime(at)
	if err := json.Unmarshal([]byte(changed), &a.Changed); err != nil {
		return a, fmt.Errorf("audit %d changed: %w", a.Position, err)
	}
	return a, nil
}

// ListAudit pages through the audit trail, newest first.
func (rd *Reader) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, PageInfo, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.AggregateType != "" {
		add("aggregate_type = ?", f.AggregateType)
	}
	if f.AggregateID != "" {
		add("aggregate_id = ?", f.AggregateID)
	}
	if !f.From.IsZero() {
		add("time >= ?", fmtTime(f.From))
	}
	if !f.To.IsZero() {
		add("time < ?", fmtTime(f.To))
	}
	return list(ctx, rd.db(Audit().Name()), "audit", auditCols, "position", where, args, f.Page, scanAudit,
		func(a AuditEntry) int64 { return int64(a.Position) })
}
