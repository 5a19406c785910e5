package commands

import (
	"context"
	"time"

	"stateset/eventstore"
)

// What of the event store beneath commands its callers see: the store's errors a
// command passes up, and the process managers' parked events. The layers above
// (the API) talk to commands, never to eventstore.

var (
	// ErrUnavailable comes back when the event store (or a key it keeps) could not be
	// reached or read in time; the request may be retried. It is eventstore.ErrUnavailable.
	ErrUnavailable = eventstore.ErrUnavailable
	// ErrConcurrency comes back when the aggregate kept changing under every try of a
	// command (or under a pinned If-Match version's one try); the request may be retried.
	// It is eventstore.ErrConcurrency.
	ErrConcurrency = eventstore.ErrConcurrency
)

// Parked is an event a process manager gave up on, as an operator sees it.
type Parked struct {
	Seq           uint64 // in the parked stream
	Reason        string
	ParkedAt      time.Time
	EventID       string
	EventType     string
	Position      uint64 // the event's own stream position
	AggregateType string
	AggregateID   string
}

// FlowAdmin lists the process managers of a reactor and the events they parked, and
// replays those.
type FlowAdmin struct{ reactor *eventstore.Reactor }

// NewFlowAdmin is the FlowAdmin of the flows r runs.
func NewFlowAdmin(r *eventstore.Reactor) FlowAdmin { return FlowAdmin{reactor: r} }

// Names lists the flows, sorted.
func (f FlowAdmin) Names() []string { return f.reactor.Names() }

// Durable is the name of a flow's durable consumer.
func (f FlowAdmin) Durable(name string) string { return f.reactor.Durable(name) }

// Parked lists the events flow name parked, oldest first.
func (f FlowAdmin) Parked(ctx context.Context, name string) ([]Parked, error) {
	parked, err := f.reactor.Parked(ctx, name)
	out := make([]Parked, len(parked))
	for i, p := range parked {
		h := p.Event.Header
		out[i] = Parked{Seq: p.Seq, Reason: p.Reason, ParkedAt: p.ParkedAt,
			EventID: h.Get(eventstore.HeaderEventID), EventType: h.Get(eventstore.HeaderEventType), Position: p.Event.Seq,
			AggregateType: h.Get(eventstore.HeaderAggregateType), AggregateID: h.Get(eventstore.HeaderAggregateID)}
	}
	return out, err
}

// Replay runs flow name again on its parked events, oldest first, and says how many
// it handled before the first that failed again.
func (f FlowAdmin) Replay(ctx context.Context, name string) (int, error) {
	return f.reactor.Replay(ctx, name)
}
