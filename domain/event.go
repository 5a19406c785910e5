// Package domain holds the aggregates, their decisions and their events. It is pure Go:
// no I/O, no clock, no id maker, and no imports of the project's other packages.
package domain

import (
	"bytes"
	"encoding/json"
	"regexp"
	"time"
)

// Event is a fact that happened to one aggregate. Its wire name is declared, never derived
// from the Go type, because it names subjects, feed entries and webhooks.
type Event interface {
	EventType() string
}

// Metadata travels with every event: who caused it and why.
type Metadata struct {
	CorrelationID  string `json:"correlation_id,omitempty"`
	CausationID    string `json:"causation_id,omitempty"`
	Actor          string `json:"actor,omitempty"`      // API key id, or "system"
	ActorName      string `json:"actor_name,omitempty"` // API key name, for audit
	RequestID      string `json:"request_id,omitempty"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Note is the caller's remark on an action ({"notes": "..."}), kept with each event
	// the action records and shown in its history; stored as given, not sealed.
	Note string `json:"note,omitempty"`
}

// Envelope is an event with its identity and place in the stream.
type Envelope struct {
	ID            string    // event id (UUIDv7); also the JetStream Nats-Msg-Id
	Type          string    // EventType()
	SchemaVersion int       // version of the payload's shape
	AggregateType string    // lower-case, e.g. "customer"
	AggregateID   string    //
	Version       int64     // the aggregate's event count after this event
	Position      uint64    // stream sequence; 0 until stored
	Time          time.Time // when the command decided it (UTC)
	Metadata      Metadata
	Event         Event
	// Sealed names the personal fields the stored event holds sealed, readable or not:
	// what a reader may say about them without their values (the audit trail).
	Sealed []string
}

// Aggregate is what the command loop folds events into.
type Aggregate interface {
	// Apply folds one stored event in. It cannot fail: the event is already a fact.
	// The envelope gives the aggregate its version and the event's time.
	Apply(env Envelope)
	// CurrentVersion is the number of events folded in so far (0: does not exist).
	CurrentVersion() int64
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidID reports whether id may name an aggregate: it becomes part of a NATS subject.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// Redacter is an event that holds a secret no reader of the feed, a history or a webhook
// may see; Redacted returns it without.
type Redacter interface {
	Redacted() Event
}

// Redact returns e without its secrets.
func Redact(e Event) Event {
	if r, ok := e.(Redacter); ok {
		return r.Redacted()
	}
	return e
}

// MarshalJSON encodes v as JSON without HTML escaping: stored events, snapshots and
// read-model documents keep `<`, `>` and `&` as they are, not as six-byte \u003c escapes
// (a field of a million `<` would otherwise be stored six times over).
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
