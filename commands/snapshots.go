package commands

import (
	"context"
	"strings"
)

// evicted is an aggregate to snapshot in the background: one the cache let go of, or
// (inCache) one whose load had to read a long history.
type evicted struct {
	key     string
	c       *cached
	inCache bool
}

// onEvict runs on the goroutine that made the cache evict (after the cache's lock is
// released, but without the evicted aggregate's lock), so it reads nothing of the entry:
// it hands it to Run, which checks under the aggregate's lock whether the entry has
// events its snapshot lacks. An aggregate that leaves the cache that way is snapshotted,
// so that its next load reads one snapshot instead of its history spread through the
// stream.
func (h *Handler) onEvict(key string, c *cached) {
	select {
	case h.evicted <- evicted{key: key, c: c}:
	default: // saturated: the aggregate is simply loaded from its events next time
	}
}

// evict drops an entry that may be behind the stream; it is not snapshotted.
func (h *Handler) evict(key string, c *cached) {
	c.stale.Store(true)
	h.cache.Remove(key)
}

// Run writes the snapshots of evicted aggregates until ctx ends.
func (h *Handler) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-h.evicted:
			h.snapshotEvicted(ctx, e)
		}
	}
}

// snapshotEvicted snapshots an aggregate that left the cache.
func (h *Handler) snapshotEvicted(ctx context.Context, e evicted) {
	// The key's lock waits out a command still holding this very entry; that command
	// either put it back in the cache (newer, it will be snapshotted later) or marked it
	// stale.
	unlock, err := h.locks.lock(ctx, e.key)
	if err != nil {
		return
	}
	defer unlock()
	e.c.snapQueued = false
	cur, back := h.cache.Peek(e.key)
	switch {
	case e.inCache && back:
		e.c = cur // the entry, as the last command left it
		e.c.snapQueued = false
	case back:
		return // cached again: it will be snapshotted when it leaves
	}
	if e.c.stale.Load() || versionOf(e.c) <= e.c.snapVer {
		return
	}
	aggType, id, _ := strings.Cut(e.key, ".")
	h.writeSnapshot(ctx, aggType, id, e.c)
}

// longLoad is how many events read from the stream make a load worth a snapshot at once:
// such a history is spread through the stream, and reading it again costs a scan.
const longLoad = 8

// snapshotSoon asks Run to snapshot a cached aggregate, once until Run gets to it. The
// caller holds the aggregate's lock.
func (h *Handler) snapshotSoon(key string, c *cached) {
	if c.snapQueued {
		return
	}
	select {
	case h.evicted <- evicted{key: key, c: c, inCache: true}:
		c.snapQueued = true
	default:
	}
}

// Flush snapshots every cached aggregate with events its snapshot lacks: on shutdown, so
// that a restart loads snapshots, not histories.
func (h *Handler) Flush(ctx context.Context) {
	for _, key := range h.cache.Keys() {
		unlock, err := h.locks.lock(ctx, key)
		if err != nil {
			return
		}
		if c, ok := h.cache.Peek(key); ok && !c.stale.Load() && versionOf(c) > c.snapVer {
			aggType, id, _ := strings.Cut(key, ".")
			h.writeSnapshot(ctx, aggType, id, c)
		}
		unlock()
	}
	for {
		select {
		case e := <-h.evicted:
			h.snapshotEvicted(ctx, e)
		default:
			return
		}
	}
}
