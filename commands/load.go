package commands

import (
	"context"

	"stateset/domain"
)

// loadExisting reads an aggregate for a query, as the stream holds it now (upTo = 0) or
// held it at position upTo: from the cache when the stream confirms it current, else from
// the store (loadCurrent); ErrNotFound if it has no events.
func loadExisting[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, upTo uint64) (*A, error) {
	if !domain.ValidID(id) {
		return nil, domain.ErrNotFound
	}
	a, err := loadCurrent[A, P](ctx, h, aggType, id, upTo)
	if err != nil {
		return nil, err
	}
	if P(a).CurrentVersion() == 0 {
		return nil, domain.ErrNotFound
	}
	return a, nil
}

// exists reports whether an aggregate has any event, asking the stream (not a read model).
// An aggregate in the cache exists without asking: it got there by an event read or
// appended, and events are never deleted (the stream denies deletes and purges).
func (h *Handler) exists(ctx context.Context, aggType, id string) (bool, error) {
	if !domain.ValidID(id) {
		return false, nil
	}
	if h.cache.Contains(aggType + "." + id) {
		return true, nil
	}
	seq, err := h.store.LastSeq(ctx, h.store.AggregateSubjects(aggType, id))
	return seq > 0, err
}
