package commands

import (
	"context"
	"fmt"
)

// loadCurrent returns a copy of an aggregate as the stream holds it now (upTo = 0) or as
// of stream position upTo, for reads outside the command loop (queries, checks, flows'
// guards). Its version is 0 when the aggregate has no events (by upTo).
//
// The cached aggregate answers when the stream confirms it is current: the aggregate's
// last sequence in the stream (one message get, asked of the stream leader on a replicated
// stream) is the cached one, so another instance has not written it since, and the answer
// is what a rebuild would give. That get is the first request a rebuild makes anyway; the
// snapshot read and the batched event read after it are what the cache saves. Otherwise
// the aggregate is rebuilt, and cached for the commands that follow.
//
// Cached entries are changed in place by commands holding the aggregate's lock, so the
// cache is read under that lock; when someone holds it (a command on the aggregate, maybe
// the caller's own), the aggregate is rebuilt from the store without waiting, as before.
func loadCurrent[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, upTo uint64) (*A, error) {
	key := aggType + "." + id
	unlock, ok := h.locks.tryLock(key)
	if !ok {
		return loadCopy[A, P](ctx, h, aggType, id, upTo)
	}
	c, fromCache, err := load[A, P](ctx, h, aggType, id)
	if err != nil {
		unlock()
		return nil, err
	}
	if !fromCache { // just rebuilt from the stream: current
		if upTo > 0 && c.lastSeq > upTo {
			unlock()
			return loadCopy[A, P](ctx, h, aggType, id, upTo)
		}
		agg := P(c.agg.(*A)).Clone()
		unlock()
		return agg, nil
	}
	// copy what the cache holds and let commands on the aggregate go on while the
	// stream is asked whether it is current
	agg, seq := P(c.agg.(*A)).Clone(), c.lastSeq
	unlock()
	last, err := h.store.LastSeq(ctx, h.store.AggregateSubjects(aggType, id))
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", aggType, id, err)
	}
	if last != seq {
		// behind the stream (or moved on since the copy): another instance wrote it, or
		// a command here did meanwhile; the copy is not the answer
		if unlock, ok := h.locks.tryLock(key); ok {
			if cur, ok := h.cache.Peek(key); ok && cur == c && c.lastSeq != last {
				h.evict(key, c)
			}
			unlock()
		}
		return loadCopy[A, P](ctx, h, aggType, id, upTo)
	}
	if upTo > 0 && seq > upTo {
		return loadCopy[A, P](ctx, h, aggType, id, upTo) // it has moved on since upTo
	}
	return agg, nil
}

// loadCopy rebuilds an aggregate from the store as of upTo (0: now), not cached.
func loadCopy[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, upTo uint64) (*A, error) {
	c, err := loadFresh[A, P](ctx, h, aggType, id, upTo)
	if err != nil {
		return nil, err
	}
	return P(c.agg.(*A)).Clone(), nil
}
