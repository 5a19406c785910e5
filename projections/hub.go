package projections

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// Hub feeds every runner of a process from one ordered subscription: each event is read
// from the stream and decoded (and its personal fields opened) once, handed to the
// runners whose subjects it matches, and each batch is committed per read model — one
// SQLite transaction per file that has events in it, carrying that file's checkpoint, so
// a kill at any point leaves every model at a batch boundary of its own and redelivery
// stays a no-op. A runner with nothing in a batch commits nothing; it is known to reflect
// the batch's last position at once (Position), so a read that waits on a position needs
// no server round trip. Per-file transactions rather than one database for all models:
// each model keeps its own file, checkpoint and online rebuild (docs/DESIGN.md,
// "Projections").
//
// The subscription starts after the lowest checkpoint of its runners; a runner ahead of
// it (a model rebuilt offline) skips what it holds, and events no runner still needs are
// not decoded.
type Hub struct {
	store *eventstore.Store
	reg   *domain.Registry
	log   *slog.Logger
	runs  []*Runner
	// dispatch: aggregate type -> runners reading every event of it; all: runners reading
	// everything; typed: "<aggregate>.<EventType>" -> runners reading only that type
	dispatch map[string][]int
	all      []int
	typed    map[string][]int
	wake     chan struct{}
	// detached marks a model whose apply failed: it leaves the hub and retries on its own
	// subscription (Runner.Run), so one model's failure never stops the others
	detached []atomic.Bool
	solo     sync.WaitGroup
	soloCtx  context.Context
}

// NewHub makes a hub over runners opened with Open. Run it instead of each runner's Run.
func NewHub(store *eventstore.Store, reg *domain.Registry, log *slog.Logger, runs ...*Runner) (*Hub, error) {
	h := &Hub{store: store, reg: reg, log: log.With("component", "projections"), runs: runs,
		dispatch: map[string][]int{}, typed: map[string][]int{}, wake: make(chan struct{}, 1),
		detached: make([]atomic.Bool, len(runs))}
	for i, run := range runs {
		run.wake = h.wake // a reader waiting on any model cuts the hub's coalescing short
		run.hubbed.Store(true)
		for _, t := range run.p.AggregateTypes() {
			agg, rest, sub := strings.Cut(t, ".")
			switch {
			case !sub && agg == "*":
				h.all = append(h.all, i)
			case !sub:
				h.dispatch[agg] = append(h.dispatch[agg], i)
			default: // "customer.*.CustomerForgotten"
				id, typ, ok := strings.Cut(rest, ".")
				if !ok || id != "*" || strings.ContainsAny(typ, "*>") || agg == "*" {
					return nil, fmt.Errorf("hub: projector %s: subject pattern %q is not <aggregate>.*.<EventType>", run.Name(), t)
				}
				h.typed[agg+"."+typ] = append(h.typed[agg+"."+typ], i)
			}
		}
	}
	return h, nil
}

// Runners are the runners the hub feeds.
func (h *Hub) Runners() []*Runner { return h.runs }

// Run follows the stream until ctx ends; errors are logged and retried from the lowest
// checkpoint with backoff. The batch in progress when ctx ends is committed first.
func (h *Hub) Run(ctx context.Context) error {
	h.soloCtx = ctx
	defer h.solo.Wait()
	const minBackoff, maxBackoff = 100 * time.Millisecond, 10 * time.Second
	backoff := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := h.follow(ctx)
		if ctx.Err() != nil {
			break
		}
		if time.Since(began) > maxBackoff {
			backoff = minBackoff
		}
		for i, run := range h.runs {
			if !h.detached[i].Load() {
				run.setState("error", err)
			}
		}
		h.log.ErrorContext(ctx, "projections stopped, retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
	for i, run := range h.runs {
		if !h.detached[i].Load() {
			run.setState("stopped", nil)
		}
	}
	return nil
}

// detach takes model i out of the hub after its apply failed and lets it retry on its own
// subscription from its checkpoint, with its own backoff (Runner.Run): the other models go
// on. It stays on its own from then on.
func (h *Hub) detach(i int, err error) {
	run := h.runs[i]
	h.detached[i].Store(true)
	run.hubbed.Store(false) // its WaitFor no longer counts on the hub
	run.setState("error", err)
	h.log.Error("read model failed; it retries on its own subscription", "projection", run.Name(), "err", err)
	h.solo.Go(func() { run.Run(h.soloCtx) })
}

// targets are the runners an event on subject is for (nil: none).
func (h *Hub) targets(subject string, into []int) []int {
	// <prefix>.events.<aggregate>.<id>.<EventType>
	rest := subject
	for range 2 {
		_, rest, _ = strings.Cut(rest, ".")
	}
	agg, rest, _ := strings.Cut(rest, ".")
	_, typ, _ := strings.Cut(rest, ".")
	into = append(into[:0], h.all...)
	into = append(into, h.dispatch[agg]...)
	if len(h.typed) > 0 {
		into = append(into, h.typed[agg+"."+typ]...)
	}
	return slices.DeleteFunc(into, func(i int) bool { return h.detached[i].Load() })
}

// hubItem is one decoded message and the runners that still need it.
type hubItem struct {
	item
	to []int
}

func (h *Hub) follow(ctx context.Context) error {
	from, found := uint64(0), false
	for i, run := range h.runs {
		if h.detached[i].Load() {
			continue
		}
		if a := run.applied.Load(); !found || a < from {
			from, found = a, true
		}
	}
	if !found { // every model is on its own
		<-ctx.Done()
		return ctx.Err()
	}
	subCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	sub, err := h.store.Subscribe(subCtx, []string{h.store.AllSubjects()}, from+1, 2*batchMax)
	if err != nil {
		return err
	}
	defer sub.Stop()
	head, err := h.store.Head(ctx)
	if err != nil {
		return err
	}
	for i, run := range h.runs {
		if h.detached[i].Load() {
			continue
		}
		// a model whose own last event it already holds is current, however far behind
		// the hub starts (a model that never had an event)
		if head <= run.Position() {
			run.setState("running", nil)
			continue
		}
		ours, err := run.ourHead(ctx)
		if err != nil {
			return err
		}
		if ours <= run.applied.Load() {
			run.reflect(head, head) // nothing of its own up to head is left to apply
			run.setState("running", nil)
			continue
		}
		run.head.Store(head)
		run.setState("catching_up", nil)
	}
	decoded := make(chan hubItem, 2*batchMax)
	go func() {
		defer close(decoded)
		var to []int
		for m := range sub.C {
			it := hubItem{item: item{m: m}}
			for _, i := range h.targets(m.Subject, to) {
				if m.Seq > h.runs[i].applied.Load() {
					it.to = append(it.to, i)
				}
			}
			if len(it.to) > 0 { // nobody's: not decoded
				it.env, it.err = decode(h.reg, m)
			}
			select {
			case decoded <- it:
			case <-subCtx.Done():
				return
			}
		}
	}()
	batch := make([]hubItem, 0, batchMax)
	// per holds each model's events not yet committed: a model nobody waits on keeps its
	// share for up to deferMax (or batchMax/4 events) so that its commits are few, while a
	// model with a waiter commits at once
	per := make([][]item, len(h.runs))
	since := make([]time.Time, len(h.runs))
	var last eventstore.Msg // the last message seen
	flush := time.NewTimer(time.Hour)
	flush.Stop()
	defer flush.Stop()
	for {
		batch = batch[:0]
		select {
		case <-ctx.Done():
			// shutdown commits what it holds
			if err := h.commit(context.WithoutCancel(ctx), per, since, last, true); err != nil {
				return err
			}
			return ctx.Err()
		case it, ok := <-decoded:
			if !ok {
				return fmt.Errorf("subscription ended: %w", sub.Err())
			}
			batch = append(batch, it)
		case <-flush.C:
		case <-h.wake:
		}
		batch = drain(decoded, batch)
		if len(batch) > 0 && len(batch) < batchMax/4 && !h.waited() {
			batch = coalesceInto(decoded, batch, h.wake)
		}
		now := time.Now()
		for _, it := range batch {
			for _, i := range it.to {
				if h.detached[i].Load() {
					continue // decoded before it left: its own subscription reads it
				}
				if len(per[i]) == 0 {
					since[i] = now
				}
				per[i] = append(per[i], it.item)
			}
		}
		if len(batch) > 0 {
			last = batch[len(batch)-1].m
		}
		if last.Seq == 0 {
			continue
		}
		if err := h.commit(context.WithoutCancel(ctx), per, since, last, false); err != nil {
			return err
		}
		// wake up for the oldest share still held
		var oldest time.Time
		for i := range per {
			if len(per[i]) > 0 && (oldest.IsZero() || since[i].Before(oldest)) {
				oldest = since[i]
			}
		}
		if !oldest.IsZero() {
			flush.Reset(max(0, deferMax-time.Since(oldest)))
		}
	}
}

// deferMax is how long a model nobody waits on may hold its share of the stream before
// committing it.
const deferMax = 2 * time.Millisecond

// commit applies the shares that are due (all of them when all is set: shutdown) — a
// model's share is due when someone waits on it, when it has batchMax/4 events or when it
// is deferMax old — the models side by side, each its own file and transaction, even if
// ctx ended meanwhile. Then every model reflects what it holds: last for a model with
// nothing left over, the position before its first held event otherwise.
func (h *Hub) commit(ctx context.Context, per [][]item, since []time.Time, last eventstore.Msg, all bool) error {
	errs := make([]error, len(h.runs))
	due := make([]bool, len(h.runs))
	var wg sync.WaitGroup
	for i, run := range h.runs {
		if len(per[i]) == 0 || h.detached[i].Load() {
			continue
		}
		due[i] = all || run.waiters.Load() > 0 || len(per[i]) >= batchMax/4 || time.Since(since[i]) >= deferMax
		if !due[i] {
			continue
		}
		wg.Go(func() {
			if errs[i] = run.apply(ctx, per[i]); errs[i] == nil {
				run.reflect(last.Seq, last.Seq+last.Pending)
			}
		})
	}
	wg.Wait()
	for i := range h.runs {
		if errs[i] != nil {
			h.detach(i, errs[i])
			per[i] = nil
		}
	}
	for i, run := range h.runs {
		switch {
		case h.detached[i].Load():
		case due[i]:
			per[i] = per[i][:0]
		case len(per[i]) == 0:
			run.reflect(last.Seq, last.Seq+last.Pending)
			// a model that rarely has events keeps its checkpoint near the stream's head,
			// so that a restart does not read the stream again from far back for it
			if cov := run.covered.Load(); cov > run.applied.Load()+idleCheckpoint || (all && cov > run.applied.Load()) {
				if err := run.checkpoint(ctx, cov); err != nil {
					h.detach(i, err)
				}
			}
		default:
			run.reflect(per[i][0].m.Seq-1, last.Seq+last.Pending)
		}
	}
	return nil
}

// idleCheckpoint is how far a model's known position may run ahead of its stored
// checkpoint before the checkpoint is written on its own.
const idleCheckpoint = 10_000

// waited reports whether a reader waits on any model: then a batch commits at once.
func (h *Hub) waited() bool {
	for _, run := range h.runs {
		if run.waiters.Load() > 0 {
			return true
		}
	}
	return false
}
