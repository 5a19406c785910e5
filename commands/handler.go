// Package commands turns commands into events: load the aggregate, let the domain decide,
// append with the expected sequence. It also holds what the write side must share across
// instances: unique-value claims and idempotency records, both in JetStream KV.
package commands

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"stateset/domain"
	"stateset/eventstore"
)

// Config tunes the handler; the zero value is sensible.
type Config struct {
	CacheSize     int              // aggregates kept in memory; default 10,000
	SnapshotEvery int64            // events between snapshots; default 100
	Now           func() time.Time // default time.Now
	Metrics       prometheus.Registerer
	Webhooks      WebhookConfig
}

// Handler executes commands against the event store.
type Handler struct {
	store     *eventstore.Store
	reg       *domain.Registry
	log       *slog.Logger
	now       func() time.Time
	cache     *lru.Cache[string, *cached]
	locks     *keyLocks
	snapEvery int64
	snapshots *eventstore.Bucket
	evicted   chan evicted // aggregates pushed out of the cache with events no snapshot holds
	unique    *eventstore.Bucket
	numbers   numberBlocks // human numbers reserved from the shared counters, per kind
	appends   *prometheus.CounterVec
	// forgetHooks run in the customer-privacy flow (set up before the flows start)
	forgetHooks []func(ctx context.Context, customerID string) error
	conflicts   *prometheus.CounterVec
	webhooks    WebhookConfig
	flows       atomic.Pointer[flowTracker] // what the flows did, for answers that wait on them (React)

	countPosting func()                   // tests: runs when a reconcile has read the items, before it posts
	claimed      func(aggType, id string) // tests: runs when a compound command's guard has claimed, before its append
}

// cached is an aggregate as of its last event's stream sequence.
type cached struct {
	agg     any // a *A of the aggregate's type
	lastSeq uint64
	snapVer int64 // version of the last snapshot written or loaded
	// the last commit's idempotency key (actor + key) and time: a retried request whose
	// first try did land is recognised instead of being decided again
	lastIdem   string
	lastIdemAt time.Time
	stale      atomic.Bool // dropped from the cache because it may be behind the stream (set by any goroutine that drops it)
	snapQueued bool        // a snapshot of it is waiting for Run
}

func idemOf(actor, key string) string {
	if key == "" {
		return ""
	}
	return actor + "\x00" + key
}

func (c *cached) setLastIdem(actor, key string, at time.Time) {
	c.lastIdem, c.lastIdemAt = idemOf(actor, key), at
}

// New returns a handler over store.
func New(ctx context.Context, store *eventstore.Store, reg *domain.Registry, log *slog.Logger, cfg Config) (*Handler, error) {
	if cfg.CacheSize == 0 {
		cfg.CacheSize = 10_000
	}
	if cfg.SnapshotEvery == 0 {
		cfg.SnapshotEvery = 100
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{store: store, reg: reg, log: log.With("component", "commands"), now: cfg.Now,
		snapEvery: cfg.SnapshotEvery, locks: newKeyLocks(), webhooks: cfg.Webhooks.withDefaults(), evicted: make(chan evicted, 4096)}
	cache, err := lru.NewWithEvict[string, *cached](cfg.CacheSize, h.onEvict)
	if err != nil {
		return nil, fmt.Errorf("aggregate cache: %w", err)
	}
	h.cache = cache
	if v, ok := reg.Vault().(*Vault); ok {
		// decrypted state of a forgotten subject may sit in any cached aggregate (a
		// customer, its orders): drop them all, unsnapshotted; they reload scrubbed
		v.OnForget(func(string) { h.dropCache() })
	}
	if h.snapshots, err = store.Bucket(ctx, "SNAPSHOTS", 0); err != nil {
		return nil, err
	}
	if h.unique, err = store.Bucket(ctx, "UNIQUE", 0); err != nil {
		return nil, err
	}
	h.appends = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "stateset_events_appended_total",
		Help: "Events appended to the stream, by aggregate type."}, []string{"aggregate"})
	h.conflicts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "stateset_append_conflicts_total",
		Help: "Appends refused because the aggregate moved on (optimistic concurrency)."}, []string{"aggregate"})
	if cfg.Metrics != nil {
		if err := registerAll(cfg.Metrics, h.appends, h.conflicts); err != nil {
			return nil, err
		}
	}
	return h, nil
}

func registerAll(r prometheus.Registerer, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			return fmt.Errorf("register metric: %w", err)
		}
	}
	return nil
}

// Registry is the event registry the handler encodes with.
func (h *Handler) Registry() *domain.Registry { return h.reg }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// NewID returns a new UUIDv7 string, for ids the caller must know before the command.
func NewID() string { return newID() }

// dropCache empties the aggregate cache without snapshotting what it held.
func (h *Handler) dropCache() {
	for _, key := range h.cache.Keys() {
		if c, ok := h.cache.Peek(key); ok {
			h.evict(key, c)
		}
	}
}
