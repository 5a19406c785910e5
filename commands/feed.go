package commands

import (
	"context"
	"fmt"

	"stateset/domain"
	"stateset/eventstore"
)

// EventFilter selects events of the stream for the feed. Every field is optional; an
// AggregateID needs its AggregateType. EventType is a registered PascalCase name.
type EventFilter struct {
	After         uint64 // events at later positions only
	EventType     string
	AggregateType string
	AggregateID   string
	// Readable, when set, says which aggregate types' events the reader may see; the rest
	// are skipped (the feed still moves past them).
	Readable func(aggregateType string) bool
}

// readable reports whether f lets its reader see events of aggType.
func (f EventFilter) readable(aggType string) bool { return f.Readable == nil || f.Readable(aggType) }

// skipBudget bounds how many unreadable events one page of the feed scans past before it
// answers a short (possibly empty) page whose cursor is beyond them.
const skipBudget = 1000

// feedEvent decodes a stored event for the feed, nil if the reader may not see it; an
// unreadable event is told by its header when the header is there, so it is not decoded.
func (h *Handler) feedEvent(f EventFilter, m eventstore.Msg) (*domain.Envelope, error) {
	if agg := m.Header.Get(eventstore.HeaderAggregateType); agg != "" && !f.readable(agg) {
		return nil, nil
	}
	env, err := h.reg.Unmarshal(m.Data, m.Seq)
	if err != nil {
		return nil, err
	}
	if !f.readable(env.AggregateType) {
		return nil, nil
	}
	env.Event = domain.Redact(env.Event)
	return &env, nil
}

// subject is the narrowest stream subject covering the filter: the store filters by
// subject, so a feed of one aggregate never reads the rest of the stream.
func (h *Handler) subject(f EventFilter) (string, error) {
	agg, id, typ := f.AggregateType, f.AggregateID, "*"
	if f.EventType != "" {
		typ = f.EventType
		owner := h.reg.Aggregate(f.EventType)
		if agg != "" && agg != owner {
			return "", nil // no event of that type belongs to that aggregate
		}
		agg = owner
	}
	if id != "" && f.AggregateType == "" {
		return "", &domain.ValidationError{Fields: []domain.FieldError{{Field: "aggregate_id", Issue: "needs aggregate_type"}}}
	}
	var v domain.Validation
	v.Check(agg == "" || domain.ValidID(agg), "aggregate_type", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(id == "" || domain.ValidID(id), "aggregate_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	if err := v.Err(); err != nil {
		return "", err
	}
	switch {
	case agg == "":
		return h.store.AllSubjects(), nil
	case id == "" && typ == "*":
		return h.store.TypeSubjects(agg), nil
	case id == "":
		id = "*"
	}
	return h.store.Subject(agg, id, typ), nil
}

// CheckEventFilter reports what is wrong with a filter (a *domain.ValidationError), nil if
// nothing is.
func (h *Handler) CheckEventFilter(f EventFilter) error {
	_, err := h.subject(f)
	return err
}

// Events returns up to limit events matching f in stream order, decoded through the
// registry, whether more follow, and the position of the last event scanned (f.After when
// none): the cursor of the next page. Events f.Readable refuses are skipped, at most
// skipBudget of them a page, so a page may be short or empty while more follow.
// A filter that matches nothing returns none.
func (h *Handler) Events(ctx context.Context, f EventFilter, limit int) ([]domain.Envelope, bool, uint64, error) {
	subject, err := h.subject(f)
	if err != nil || subject == "" {
		return nil, false, f.After, err
	}
	scan := limit
	if f.Readable != nil {
		scan += skipBudget
	}
	var out []domain.Envelope
	last, scanned := f.After, 0
	for m, err := range h.store.LoadN(ctx, subject, f.After, scan+1) {
		if err != nil {
			return nil, false, f.After, err
		}
		if len(out) == limit || scanned == scan {
			return out, true, last, nil
		}
		scanned++
		env, err := h.feedEvent(f, m)
		if err != nil {
			return nil, false, f.After, err
		}
		last = m.Seq
		if env != nil {
			out = append(out, *env)
		}
	}
	return out, false, last, nil
}

// FollowEvents calls yield with every event matching f (and readable) after f.After, in stream order,
// as it is appended, until ctx ends (nil) or yield or the subscription fails (the error).
func (h *Handler) FollowEvents(ctx context.Context, f EventFilter, yield func(domain.Envelope) error) error {
	subject, err := h.subject(f)
	if err != nil {
		return err
	}
	if subject == "" {
		<-ctx.Done()
		return nil
	}
	sub, err := h.store.Subscribe(ctx, []string{subject}, f.After+1, 64)
	if err != nil {
		return err
	}
	defer sub.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-sub.C:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("follow events: %w", sub.Err())
			}
			env, err := h.feedEvent(f, m)
			if err != nil {
				return err
			}
			if env == nil {
				continue
			}
			if err := yield(*env); err != nil {
				return err
			}
		}
	}
}

// Head is the stream's last position.
func (h *Handler) Head(ctx context.Context) (uint64, error) { return h.store.Head(ctx) }
