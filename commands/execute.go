package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// Result is what a command produced.
type Result[A any] struct {
	Aggregate *A                // the aggregate after the command (a copy)
	Version   int64             // its version (event count)
	Position  uint64            // stream sequence of its last event
	Events    []domain.Envelope // the events appended; empty when nothing changed
}

// Option tunes one command.
type Option func(*options)

type options struct {
	ifVersion int64 // 0: any
	meta      domain.Metadata
	asNew     bool
}

// WithIfVersion pins the version the caller saw (If-Match): if the aggregate has moved on,
// the command fails with domain.ErrVersionMismatch and is not retried.
func WithIfVersion(v int64) Option { return func(o *options) { o.ifVersion = v } }

// WithMetadata sets who and what caused the command.
func WithMetadata(m domain.Metadata) Option { return func(o *options) { o.meta = m } }

// asNew marks a create whose aggregate id is most likely new (one the caller generated):
// when the aggregate is not cached it is not loaded, and the append, which expects the
// aggregate to have no event, is the existence check. An id that does exist costs one
// refused append and a load; the command is then decided again on what the stream holds.
// Ignored when a version is pinned.
func asNew() Option { return func(o *options) { o.asNew = true } }

// sideOpts are the options of a command issued on another aggregate on behalf of a
// request: its metadata, without the If-Match version or the idempotency key, which
// belong to the request's own aggregate.
func sideOpts(opts []Option) []Option {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	m := o.meta
	m.IdempotencyKey = ""
	return []Option{WithMetadata(m)}
}

// aggregate is a pointer to an aggregate type the loop can fold and copy.
type aggregate[A any] interface {
	*A
	domain.Aggregate
	Clone() *A
}

// guard runs between decide and append, for what must be claimed outside the aggregate
// (unique values). undo runs if the append fails, done after it succeeds.
type guard[A any] func(ctx context.Context, before *A, events []domain.Event) (undo, done func(context.Context), err error)

const maxAttempts = 5

// snapshotVersions is the shape version of each aggregate's snapshot: bump it when the
// aggregate struct's JSON shape changes and old snapshots are ignored. TestSnapshotShapes
// holds each version to the shape recorded in testdata/snapshot_shapes.json and fails for
// an aggregate type with events but no entry here.
var snapshotVersions = map[string]int{"customer": 2, "apikey": 1, "inventory": 1, "order": 1, "return": 1, "warranty": 2,
	"price_list": 1, "wholesale_account": 1, "wholesale_order": 1,
	"bill_of_materials": 1, "work_order": 3,
	"supplier": 2, "purchase_order": 1, "asn": 1,
	"warehouse": 2, "pick_list": 4, "shipment": 1, "transfer": 1, "cycle_count": 2,
	"webhook_endpoint": 1, "webhook_delivery": 1,
	"lead": 1, "contact": 2, "opportunity": 1, "case": 1}

// execute is the one command loop: load (cache, else snapshot + events) -> If-Match ->
// decide -> guard -> append with the expected sequence -> fold. On a concurrency conflict it
// evicts, backs off with jitter and retries, unless a version was pinned.
//
// The cache may be stale when another instance wrote: an append finds out through the
// sequence check, and an outcome that appends nothing (no change, a refusal, a failed
// If-Match) is confirmed against the aggregate's last sequence before it is answered.
func execute[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, opts []Option,
	decide func(P) ([]domain.Event, error), g guard[A]) (Result[A], error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if !domain.ValidID(id) {
		return Result[A]{}, &domain.ValidationError{Fields: []domain.FieldError{{Field: "id", Issue: "must match ^[A-Za-z0-9_-]{1,64}$"}}}
	}
	key := aggType + "." + id
	unlock, err := h.locks.lock(ctx, key)
	if err != nil {
		return Result[A]{}, err
	}
	defer unlock()

	idem := idemOf(o.meta.Actor, o.meta.IdempotencyKey)
	confirmed := false // the loaded state is known to be the stream's latest
	for attempt := 1; ; attempt++ {
		var (
			c         *cached
			fromCache bool
			unread    bool // the aggregate was taken to be new, not read (first attempt only)
		)
		if attempt == 1 && o.asNew && o.ifVersion == 0 {
			if c, fromCache = h.cache.Get(key); !fromCache {
				c, unread = &cached{agg: new(A)}, true
			}
		} else if c, fromCache, err = load[A, P](ctx, h, aggType, id); err != nil {
			return Result[A]{}, err
		}
		// settle answers a non-append outcome, re-deciding once on fresh state if the
		// cached state turns out to be stale, or on read state if it was not read.
		settle := func(res Result[A], outcome error) (Result[A], error, bool) {
			if unread {
				return Result[A]{}, nil, false
			}
			if fromCache && !confirmed {
				last, err := h.store.LastSeq(ctx, h.store.AggregateSubjects(aggType, id))
				if err != nil {
					return Result[A]{}, err, true
				}
				confirmed = true
				if last != c.lastSeq {
					h.evict(key, c)
					return Result[A]{}, nil, false
				}
			}
			return res, outcome, true
		}
		agg := P(c.agg.(*A))
		version := versionOf(c)
		if idem != "" && c.lastIdem == idem && h.now().Sub(c.lastIdemAt) < IdempotencyTTL {
			// this very request already landed (its answer was lost): answer the state
			return Result[A]{Aggregate: agg.Clone(), Version: version, Position: c.lastSeq}, nil
		}
		if o.ifVersion != 0 && o.ifVersion != version {
			if res, err, done := settle(Result[A]{}, domain.ErrVersionMismatch); done {
				return res, err
			}
			continue
		}
		events, err := decide(agg)
		if err != nil || len(events) == 0 {
			res := Result[A]{}
			if err == nil {
				res = Result[A]{Aggregate: agg.Clone(), Version: version, Position: c.lastSeq}
			}
			if res, err, done := settle(res, err); done {
				return res, err
			}
			continue
		}
		var undo, done func(context.Context)
		if g != nil {
			if undo, done, err = g(ctx, (*A)(agg), events); err != nil {
				return Result[A]{}, err
			}
		}
		envs, msgs, err := h.envelopes(aggType, id, version, events, o.meta)
		if err != nil {
			return Result[A]{}, err
		}
		last, err := h.store.Append(ctx, aggType, id, c.lastSeq, msgs)
		if err != nil {
			h.evict(key, c)
			if !errors.Is(err, eventstore.ErrConcurrency) {
				// The outcome may be unknown (a timeout after the server stored it): keep
				// any claim, whose grace period and holder check settle it later.
				return Result[A]{}, err
			}
			if undo != nil {
				undo(context.WithoutCancel(ctx))
			}
			if unread {
				// not new after all (or created meanwhile): decide again on what the stream
				// holds, at once; this is not contention
				continue
			}
			h.conflicts.WithLabelValues(aggType).Inc()
			if o.ifVersion != 0 {
				return Result[A]{}, domain.ErrVersionMismatch
			}
			if attempt == maxAttempts {
				return Result[A]{}, fmt.Errorf("%s %s: gave up after %d attempts: %w", aggType, id, attempt, err)
			}
			backoff := time.Duration(attempt) * time.Millisecond * time.Duration(1+rand.IntN(4))
			select {
			case <-ctx.Done():
				return Result[A]{}, ctx.Err()
			case <-time.After(backoff):
			}
			continue
		}
		h.appends.WithLabelValues(aggType).Add(float64(len(events)))
		first := last - uint64(len(envs)) + 1
		for i := range envs {
			envs[i].Position = first + uint64(i)
			agg.Apply(envs[i])
		}
		c.lastSeq = last
		c.setLastIdem(o.meta.Actor, o.meta.IdempotencyKey, envs[0].Time)
		h.cache.Add(key, c)
		recordEffects(ctx, envs)
		if done != nil {
			done(context.WithoutCancel(ctx))
		}
		h.maybeSnapshot(key, c)
		return Result[A]{Aggregate: agg.Clone(), Version: versionOf(c), Position: last, Events: envs}, nil
	}
}

// MaxEventBytes bounds one encoded event. It sits well below NATS's 1 MiB message limit so
// that an event too large is refused before the append (ErrEventTooLarge, 413), never by
// the server after it (a 500), and so that any batch of stored events stays readable.
const MaxEventBytes = 512 << 10

// ErrEventTooLarge is returned by a command whose event would exceed MaxEventBytes once
// encoded; nothing is appended.
var ErrEventTooLarge = errors.New("the event this request would record exceeds 512 KiB")

func versionOf(c *cached) int64 { return c.agg.(domain.Aggregate).CurrentVersion() }

// envelopes stamps events with ids, versions, time and metadata, and encodes them.
func (h *Handler) envelopes(aggType, id string, version int64, events []domain.Event, meta domain.Metadata) ([]domain.Envelope, []eventstore.Message, error) {
	now := h.now().UTC().Truncate(time.Microsecond) // read models keep microseconds
	if meta.CorrelationID == "" {
		meta.CorrelationID = newID() // a command without a caller-given correlation starts one
	}
	envs := make([]domain.Envelope, len(events))
	msgs := make([]eventstore.Message, len(events))
	for i, e := range events {
		envs[i] = domain.Envelope{
			ID: newID(), Type: e.EventType(), SchemaVersion: h.reg.Version(e.EventType()),
			AggregateType: aggType, AggregateID: id, Version: version + int64(i) + 1,
			Time: now, Metadata: meta, Event: e,
		}
		var err error
		if msgs[i], err = EventMessage(h.reg, envs[i]); err != nil {
			return nil, nil, err
		}
		if n := len(msgs[i].Data); n > MaxEventBytes {
			return nil, nil, fmt.Errorf("%w: %s of %s %s is %d bytes", ErrEventTooLarge, e.EventType(), aggType, id, n)
		}
	}
	return envs, msgs, nil
}

// EventMessage encodes an envelope as the stream message it is stored as: the body from
// the registry's codec and the headers every event carries. Imports and migrations use it
// too, so that what they write is indistinguishable from what commands write.
func EventMessage(reg *domain.Registry, env domain.Envelope) (eventstore.Message, error) {
	body, err := reg.Marshal(env)
	if err != nil {
		return eventstore.Message{}, err
	}
	hdr := eventstore.Header{}
	hdr.Set(eventstore.HeaderEventType, env.Event.EventType())
	hdr.Set(eventstore.HeaderSchemaVersion, strconv.Itoa(reg.Version(env.Event.EventType())))
	hdr.Set(eventstore.HeaderAggregateType, env.AggregateType)
	hdr.Set(eventstore.HeaderAggregateID, env.AggregateID)
	hdr.Set(eventstore.HeaderAggregateVersion, strconv.FormatInt(env.Version, 10))
	setIf(hdr, eventstore.HeaderCorrelationID, env.Metadata.CorrelationID)
	setIf(hdr, eventstore.HeaderCausationID, env.Metadata.CausationID)
	setIf(hdr, eventstore.HeaderActor, env.Metadata.Actor)
	setIf(hdr, eventstore.HeaderIdempotencyKey, env.Metadata.IdempotencyKey)
	return eventstore.Message{ID: env.ID, EventType: env.Event.EventType(), Header: hdr, Data: body}, nil
}

func setIf(h eventstore.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}

// load returns the cached aggregate, or rebuilds it from its snapshot and later events.
// The caller holds the aggregate's lock. Aggregates that do not exist are not cached: they
// may be created on another instance at any moment.
func load[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string) (*cached, bool, error) {
	key := aggType + "." + id
	if c, ok := h.cache.Get(key); ok {
		return c, true, nil
	}
	c, err := loadFresh[A, P](ctx, h, aggType, id, 0)
	if err != nil {
		return nil, false, err
	}
	if versionOf(c) > 0 {
		h.cache.Add(key, c)
		if versionOf(c)-c.snapVer >= longLoad {
			h.snapshotSoon(key, c)
		}
	}
	return c, false, nil
}

// snapshot is what the SNAPSHOTS bucket holds per aggregate.
type snapshot struct {
	Shape int             `json:"shape"`
	Seq   uint64          `json:"seq"`
	State json.RawMessage `json:"state,omitempty"`
	// Sealed is the state sealed with its data subject's key, for aggregates whose events
	// carry personal data: a forgotten subject's snapshot can no longer be opened and the
	// aggregate is folded from its (scrubbed) events instead.
	Sealed string `json:"sealed,omitempty"`
}

// sealState seals an aggregate's state when its type carries personal data.
func (h *Handler) sealState(aggType, id string, agg any, state []byte) (snapshot, error) {
	v := h.reg.Vault()
	if v == nil || !h.reg.HasPersonalData(aggType) {
		return snapshot{State: state}, nil
	}
	sealed, err := v.Seal(domain.SubjectOf(agg, aggType, id), state)
	if errors.Is(err, domain.ErrForgotten) {
		return snapshot{}, err
	}
	return snapshot{Sealed: sealed}, err
}

// openState is the state a snapshot holds, false when it cannot be read (forgotten).
func (h *Handler) openState(s snapshot) ([]byte, bool) {
	if s.Sealed == "" {
		return s.State, len(s.State) > 0
	}
	v := h.reg.Vault()
	if v == nil {
		return nil, false
	}
	state, err := v.Open(s.Sealed)
	return state, err == nil
}

// loadFresh rebuilds an aggregate from the store, ignoring the cache: its latest
// snapshot, then the events after it. The aggregate's last message says how many events
// follow the snapshot, so the load asks for exactly those (a wildcard load that does not
// know when to stop reads every later block of a stream with many subjects), skips the
// event read when the snapshot is current and takes the last message itself when it is the
// one event to read (an aggregate of one event asks for no snapshot either). upTo > 0
// stops at that stream position and skips snapshots taken later.
func loadFresh[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, upTo uint64) (*cached, error) {
	agg := P(new(A))
	c := &cached{agg: (*A)(agg)}
	wild := h.store.AggregateSubjects(aggType, id)
	last, err := h.store.LastMsg(ctx, wild)
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", aggType, id, err)
	}
	if last == nil {
		return c, nil // no events: it does not exist
	}
	v, verr := strconv.ParseInt(last.Header.Get(eventstore.HeaderAggregateVersion), 10, 64)
	if verr != nil {
		v = 0 // unknown
	}
	// an aggregate of one event has no snapshot worth reading
	if v != 1 {
		if raw, _, err := h.snapshots.Get(ctx, aggType+"."+id); err == nil {
			var s snapshot
			if json.Unmarshal(raw, &s) == nil && s.Shape == snapshotVersions[aggType] && s.Seq <= last.Seq && (upTo == 0 || s.Seq <= upTo) {
				fresh := P(new(A))
				if state, ok := h.openState(s); ok && json.Unmarshal(state, fresh) == nil {
					agg, c.agg, c.lastSeq = fresh, (*A)(fresh), s.Seq
					c.snapVer = versionOf(c)
				}
			}
		} else if !errors.Is(err, eventstore.ErrKeyNotFound) {
			return nil, fmt.Errorf("load snapshot %s %s: %w", aggType, id, err)
		}
	}
	if c.lastSeq == last.Seq {
		c.setLastIdem(last.Header.Get(eventstore.HeaderActor), last.Header.Get(eventstore.HeaderIdempotencyKey), last.Time)
		return c, nil
	}
	limit := 0 // unknown: read to the end
	if v > c.snapVer {
		limit = int(v - c.snapVer)
	}
	if limit == 1 && (upTo == 0 || last.Seq <= upTo) {
		// The one event to read is the last message, in hand: no batched read (a new
		// aggregate, or a snapshot one event behind). A batched read costs a subscription
		// of its own, several times a single get, and ~0.5 MiB of garbage (nats.go's
		// channel of a synchronous subscription).
		env, err := h.reg.Unmarshal(last.Data, last.Seq)
		if err != nil {
			return nil, fmt.Errorf("load %s %s: %w", aggType, id, err)
		}
		agg.Apply(env)
		c.lastSeq = last.Seq
		c.setLastIdem(env.Metadata.Actor, env.Metadata.IdempotencyKey, env.Time)
		return c, nil
	}
	// Loads are direct gets, which a lagging replica may answer: a history that stops short
	// of the last message (asked of the leader) is read again, then refused.
	for attempt := 1; ; attempt++ {
		for m, err := range h.store.LoadN(ctx, wild, c.lastSeq, limit) {
			if err != nil {
				return nil, fmt.Errorf("load %s %s: %w", aggType, id, err)
			}
			if upTo > 0 && m.Seq > upTo {
				return c, nil
			}
			env, err := h.reg.Unmarshal(m.Data, m.Seq)
			if err != nil {
				return nil, fmt.Errorf("load %s %s: %w", aggType, id, err)
			}
			agg.Apply(env)
			c.lastSeq = m.Seq
			c.setLastIdem(env.Metadata.Actor, env.Metadata.IdempotencyKey, env.Time)
			if limit > 0 {
				limit-- // what is left to read; at 0 a retry reads to the end
			}
		}
		if c.lastSeq >= last.Seq || (upTo > 0 && c.lastSeq >= upTo) {
			return c, nil
		}
		if attempt == 3 {
			return nil, fmt.Errorf("load %s %s: read up to %d of %d: %w", aggType, id, c.lastSeq, last.Seq, eventstore.ErrUnavailable)
		}
		time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
	}
}

// maybeSnapshot asks Run for a snapshot every snapEvery events; the write that crosses the
// mark does not wait for it (it showed as the p99 of writes on long-lived aggregates).
func (h *Handler) maybeSnapshot(key string, c *cached) {
	if versionOf(c)-c.snapVer >= h.snapEvery {
		h.snapshotSoon(key, c)
	}
}

// writeSnapshot stores the aggregate as of c.lastSeq, unless the stored snapshot is as
// recent (another instance may have moved the aggregate on and snapshotted it): the check
// and the write are one compare-and-set. The caller holds the aggregate's lock.
func (h *Handler) writeSnapshot(ctx context.Context, aggType, id string, c *cached) {
	v := versionOf(c)
	key := aggType + "." + id
	raw, rev, err := h.snapshots.Get(ctx, key)
	switch {
	case errors.Is(err, eventstore.ErrKeyNotFound):
		rev = 0
	case err != nil:
		h.log.WarnContext(ctx, "read snapshot", "aggregate_id", id, "err", err)
		return
	default:
		var stored snapshot
		if json.Unmarshal(raw, &stored) == nil && stored.Shape == snapshotVersions[aggType] && stored.Seq >= c.lastSeq {
			c.snapVer = v // a snapshot at least as recent is there already
			return
		}
	}
	state, err := domain.MarshalJSON(c.agg)
	if err != nil {
		h.log.ErrorContext(ctx, "encode snapshot", "aggregate_id", id, "err", err)
		return
	}
	snap, err := h.sealState(aggType, id, c.agg, state)
	if err != nil {
		if !errors.Is(err, domain.ErrForgotten) {
			h.log.WarnContext(ctx, "seal snapshot", "aggregate_id", id, "err", err)
		}
		return
	}
	snap.Shape, snap.Seq = snapshotVersions[aggType], c.lastSeq
	body, _ := domain.MarshalJSON(snap)
	if rev == 0 {
		_, err = h.snapshots.Create(ctx, key, body)
	} else {
		_, err = h.snapshots.Update(ctx, key, body, rev)
	}
	if errors.Is(err, eventstore.ErrKeyExists) || errors.Is(err, eventstore.ErrWrongRevision) {
		return // written meanwhile by another instance; the next write decides again
	}
	if err != nil {
		h.log.WarnContext(ctx, "write snapshot", "aggregate_id", id, "err", err)
		return
	}
	c.snapVer = v
}

// onExisting runs decide on an aggregate that must exist (ErrNotFound otherwise).
func onExisting[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, opts []Option,
	decide func(P) ([]domain.Event, error)) (Result[A], error) {
	if !domain.ValidID(id) {
		return Result[A]{}, domain.ErrNotFound
	}
	return execute(ctx, h, aggType, id, opts, func(a P) ([]domain.Event, error) {
		if a.CurrentVersion() == 0 {
			return nil, domain.ErrNotFound
		}
		return decide(a)
	}, nil)
}

// pinned answers ErrVersionMismatch when the caller's If-Match is not version.
func pinned(opts []Option, version int64) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.ifVersion != 0 && o.ifVersion != version {
		return domain.ErrVersionMismatch
	}
	return nil
}
