package commands

import (
	"context"
	"time"

	"stateset/domain"
)

// History returns an aggregate's events in order, decoded; none means it does not exist.
func (h *Handler) History(ctx context.Context, aggType, id string) ([]domain.Envelope, error) {
	if !domain.ValidID(id) {
		return nil, domain.ErrNotFound
	}
	var out []domain.Envelope
	for m, err := range h.store.Load(ctx, h.store.AggregateSubjects(aggType, id), 0) {
		if err != nil {
			return nil, err
		}
		env, err := h.reg.Unmarshal(m.Data, m.Seq)
		if err != nil {
			return nil, err
		}
		out = append(out, env)
	}
	if len(out) == 0 {
		return nil, domain.ErrNotFound
	}
	return out, nil
}

// PositionAt is the stream position of an aggregate's last event at or before t, 0 if it
// had none yet.
func (h *Handler) PositionAt(ctx context.Context, aggType, id string, t time.Time) (uint64, error) {
	hist, err := h.History(ctx, aggType, id)
	if err != nil {
		return 0, err
	}
	var pos uint64
	for _, e := range hist {
		if e.Time.After(t) {
			break
		}
		pos = e.Position
	}
	return pos, nil
}
