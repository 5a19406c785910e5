package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"stateset/eventstore"
)

// nextNumber hands out the next human number of a kind ("order" -> ORD-000001) from a
// counter in the UNIQUE bucket, shared by every instance (compare-and-set). A number
// handed to a command that then fails is not reused: numbers may have gaps, never
// duplicates.
func (h *Handler) nextNumber(ctx context.Context, kind, prefix string) (string, error) {
	key := "seq." + kind
	for range 50 {
		raw, rev, err := h.unique.Get(ctx, key)
		var n uint64
		switch {
		case errors.Is(err, eventstore.ErrKeyNotFound):
			if _, err := h.unique.Create(ctx, key, []byte("1")); err == nil {
				return format(prefix, 1), nil
			} else if !errors.Is(err, eventstore.ErrKeyExists) {
				return "", err
			}
			continue
		case err != nil:
			return "", err
		}
		if n, err = strconv.ParseUint(string(raw), 10, 64); err != nil {
			return "", fmt.Errorf("counter %s: %w", kind, err)
		}
		n++
		if _, err := h.unique.Update(ctx, key, []byte(strconv.FormatUint(n, 10)), rev); err == nil {
			return format(prefix, n), nil
		} else if !errors.Is(err, eventstore.ErrWrongRevision) {
			return "", err
		}
	}
	return "", fmt.Errorf("counter %s: too much contention: %w", kind, eventstore.ErrUnavailable)
}

func format(prefix string, n uint64) string { return fmt.Sprintf("%s-%06d", prefix, n) }
