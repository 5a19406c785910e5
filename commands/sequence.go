package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"stateset/eventstore"
)

// numberBlock is how many human numbers of a kind one instance reserves from the shared
// counter at a time: a get and a compare-and-set per block of creates instead of per
// create (which also failed under 64 concurrent creates: 50 lost compare-and-sets in a
// row answered 503).
const numberBlock = 100

// numberBlocks holds each kind's numbers reserved by this instance and not yet handed out.
// The zero value is ready.
type numberBlocks struct {
	mu    sync.Mutex
	kinds map[string]*numberRange
}

// numberRange is the block of one kind: next is the number to hand out, end the first one
// not reserved. lock (one token) serialises its users, honouring their contexts.
type numberRange struct {
	lock      chan struct{}
	next, end uint64
}

func (b *numberBlocks) of(kind string) *numberRange {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.kinds == nil {
		b.kinds = map[string]*numberRange{}
	}
	r, ok := b.kinds[kind]
	if !ok {
		r = &numberRange{lock: make(chan struct{}, 1)}
		b.kinds[kind] = r
	}
	return r
}

// nextNumber hands out the next human number of a kind ("order" -> ORD-000001). The
// counter in the UNIQUE bucket, shared by every instance, holds the last number reserved;
// an instance takes numberBlock numbers from it with one compare-and-set and hands them out
// in memory. Numbers are never duplicated, on any instance; they may have gaps (a number
// handed to a command that then fails is not reused, and what is left of a block when the
// process stops is lost), and numbers from different instances interleave rather than
// increase with time.
func (h *Handler) nextNumber(ctx context.Context, kind, prefix string) (string, error) {
	r := h.numbers.of(kind)
	select {
	case r.lock <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-r.lock }()
	if r.next >= r.end {
		first, err := h.reserveNumbers(ctx, kind, numberBlock)
		if err != nil {
			return "", err
		}
		r.next, r.end = first, first+numberBlock
	}
	n := r.next
	r.next++
	return format(prefix, n), nil
}

// reserveNumbers moves kind's shared counter on by n and returns the first number of the
// n it passed over.
func (h *Handler) reserveNumbers(ctx context.Context, kind string, n uint64) (uint64, error) {
	key := "seq." + kind
	for range 50 {
		raw, rev, err := h.unique.Get(ctx, key)
		switch {
		case errors.Is(err, eventstore.ErrKeyNotFound):
			if _, err := h.unique.Create(ctx, key, []byte(strconv.FormatUint(n, 10))); err == nil {
				return 1, nil
			} else if !errors.Is(err, eventstore.ErrKeyExists) {
				return 0, err
			}
			continue
		case err != nil:
			return 0, err
		}
		last, err := strconv.ParseUint(string(raw), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("counter %s: %w", kind, err)
		}
		if _, err := h.unique.Update(ctx, key, []byte(strconv.FormatUint(last+n, 10)), rev); err == nil {
			return last + 1, nil
		} else if !errors.Is(err, eventstore.ErrWrongRevision) {
			return 0, err
		}
	}
	return 0, fmt.Errorf("counter %s: too much contention: %w", kind, eventstore.ErrUnavailable)
}

func format(prefix string, n uint64) string { return fmt.Sprintf("%s-%06d", prefix, n) }
