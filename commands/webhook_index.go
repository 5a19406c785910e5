package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// WebhookWatermark waits until the webhooks read model reflects stream position pos. It
// returns the position the model reflects (at least pos) and, read after it, the position
// of the last webhook endpoint or delivery event the model has applied: every such event
// at or below reflected lies at or below applied.
type WebhookWatermark func(ctx context.Context, pos uint64) (reflected, applied uint64, err error)

// WebhookIndex is the webhook endpoints held in memory on every instance, fed straight
// from the stream like the API key index (projections.Keys), so that the fan-out matches
// an event against the subscriptions by its headers alone: an event no endpoint wants is
// neither decoded nor looked up.
//
// The fan-out of the event at position X may decide only once every endpoint event
// before X is applied (an endpoint created at P gets every matching event after P, one
// deleted at P none). The index subscribes to the endpoints' events and the deliveries'
// together, in stream order, so that it can tell how far it covers when the watermark
// (the webhooks read model, fed by the projection hub) says the last webhook event at or
// below X is at A: once the index has passed A it has every endpoint event up to X, and
// that wait is in memory. Without a watermark, or while the index is stuck, it asks the store
// whether an endpoint event lies between what it holds and X.
type WebhookIndex struct {
	store     *eventstore.Store
	reg       *domain.Registry
	log       *slog.Logger
	watermark WebhookWatermark
	dotted    map[string]string // registered event type -> dotted name; fixed

	mu sync.RWMutex
	// endpoints not deleted, by id, secrets left out (the dispatcher reads those from the store)
	endpoints map[string]*webhookTarget
	// first: event type -> creation position of the oldest enabled endpoint that matches it
	// (0: none); filled on demand, emptied by every endpoint event
	first   map[string]uint64
	last    uint64 // the last endpoint event applied
	covered uint64 // every endpoint event at or below it is applied
	changed chan struct{}
}

// webhookTarget is an endpoint as the fan-out needs it.
type webhookTarget struct {
	ep      domain.WebhookEndpoint
	created uint64 // position of its WebhookEndpointCreated
}

// webhookProbeEvery is how often a fan-out waiting on an index that does not move asks
// the store instead.
const webhookProbeEvery = 200 * time.Millisecond

// NewIndex returns an empty index; Run fills it. watermark may be nil: the index
// then asks the store whenever an event lies beyond what it covers.
func (m Webhooks) NewIndex(watermark WebhookWatermark) *WebhookIndex {
	ix := &WebhookIndex{store: m.h.store, reg: m.h.reg, log: m.h.log.With("component", "webhooks"), watermark: watermark,
		dotted: map[string]string{}, endpoints: map[string]*webhookTarget{}, first: map[string]uint64{},
		changed: make(chan struct{})}
	for _, t := range m.h.reg.Types() {
		ix.dotted[t] = m.h.reg.DottedName(t)
	}
	return ix
}

// Run follows the endpoint events until ctx ends, resubscribing after errors.
func (ix *WebhookIndex) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		err := ix.follow(ctx)
		if ctx.Err() != nil {
			break
		}
		ix.log.ErrorContext(ctx, "webhook endpoint index stopped, retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

func (ix *WebhookIndex) follow(ctx context.Context) error {
	endpoints := ix.store.TypeSubjects("webhook_endpoint")
	endpointSubjects := strings.TrimSuffix(endpoints, ">")
	ix.mu.RLock()
	from := ix.covered + 1
	ix.mu.RUnlock()
	// The past first, endpoint events alone: its deliveries are many and tell nothing.
	// Head is read before LastSeq, so every endpoint event at or below head is at or below
	// last; once last is applied, the index covers head.
	head, err := ix.store.Head(ctx)
	if err != nil {
		return err
	}
	if head >= from {
		last, err := ix.store.LastSeq(ctx, endpoints)
		if err != nil {
			return err
		}
		if last >= from {
			if err := ix.catchUp(ctx, endpoints, from, last); err != nil {
				return err
			}
		}
		ix.cover(head, true)
	}
	// Then the endpoints' events and the deliveries' together: each one passed moves what
	// the index covers, up to the watermark's last webhook event.
	ix.mu.RLock()
	from = ix.covered + 1
	ix.mu.RUnlock()
	sub, err := ix.store.Subscribe(ctx, []string{endpoints, ix.store.TypeSubjects("webhook_delivery")}, from, 256)
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
				return fmt.Errorf("subscription ended: %w", sub.Err())
			}
			if strings.HasPrefix(m.Subject, endpointSubjects) {
				if err := ix.applyMsg(m); err != nil {
					return err
				}
			}
			ix.cover(m.Seq, true)
		}
	}
}

// catchUp applies the endpoint events from sequence from until the one at last (or the
// last there is).
func (ix *WebhookIndex) catchUp(ctx context.Context, endpoints string, from, last uint64) error {
	sub, err := ix.store.Subscribe(ctx, []string{endpoints}, from, 256)
	if err != nil {
		return err
	}
	defer sub.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case m, ok := <-sub.C:
			if !ok {
				return fmt.Errorf("subscription ended: %w", sub.Err())
			}
			if err := ix.applyMsg(m); err != nil {
				return err
			}
			if m.Seq >= last || m.Pending == 0 {
				return nil
			}
		}
	}
}

func (ix *WebhookIndex) applyMsg(m eventstore.Msg) error {
	ix.mu.RLock()
	seen := m.Seq <= ix.last
	ix.mu.RUnlock()
	if seen {
		return nil
	}
	env, err := ix.reg.Unmarshal(m.Data, m.Seq)
	if err != nil {
		return fmt.Errorf("webhook endpoint event at %d: %w", m.Seq, err)
	}
	ix.apply(env)
	return nil
}

func (ix *WebhookIndex) apply(env domain.Envelope) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if env.Position <= ix.last {
		return
	}
	ix.last = env.Position
	t, ok := ix.endpoints[env.AggregateID]
	if !ok {
		if _, created := env.Event.(domain.WebhookEndpointCreated); !created {
			return // a deleted endpoint's late event
		}
		t = &webhookTarget{created: env.Position}
		ix.endpoints[env.AggregateID] = t
	}
	t.ep.Apply(env)
	t.ep.Secret = ""
	if t.ep.Deleted {
		delete(ix.endpoints, env.AggregateID)
	}
	clear(ix.first)
}

// cover records that every endpoint event at or below pos is applied. seen: the index's
// own subscription got there (waiters are woken); otherwise the watermark or the store said
// so, and nobody waits for that.
func (ix *WebhookIndex) cover(pos uint64, seen bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if pos <= ix.covered {
		return
	}
	ix.covered = pos
	if seen {
		close(ix.changed)
		ix.changed = make(chan struct{})
	}
}

// errWebhookIndexBehind is returned by waitFor when ctx ends before the index holds every
// endpoint event up to the position: the event is retried.
var errWebhookIndexBehind = errors.New("webhook endpoint index has not reached the position")

// waitFor returns once every endpoint event at or below pos is applied. With a watermark
// and the index current, that is a few atomic reads and no call to the store.
func (ix *WebhookIndex) waitFor(ctx context.Context, pos uint64) error {
	ix.mu.RLock()
	covered := ix.covered
	ix.mu.RUnlock()
	if covered >= pos {
		return nil
	}
	if ix.watermark == nil {
		return ix.reach(ctx, pos, true)
	}
	reflected, applied, err := ix.watermark(ctx, pos)
	if err != nil {
		return err
	}
	// every endpoint event at or below reflected is at or below applied
	if err := ix.reach(ctx, applied, false); err != nil {
		return err
	}
	ix.cover(reflected, false)
	return nil
}

// reach waits until the index covers pos, an event already stored. The store is asked
// whether an endpoint event lies in (covered, pos] at once if probe, else only when the
// index has not moved for webhookProbeEvery.
func (ix *WebhookIndex) reach(ctx context.Context, pos uint64, probe bool) error {
	var tick <-chan time.Time
	for {
		ix.mu.RLock()
		covered, ch := ix.covered, ix.changed
		ix.mu.RUnlock()
		if covered >= pos {
			return nil
		}
		if probe {
			next, err := ix.store.NextSeq(ctx, ix.store.TypeSubjects("webhook_endpoint"), covered)
			if err != nil && ctx.Err() != nil {
				return fmt.Errorf("position %d: %w", pos, errWebhookIndexBehind)
			}
			if err != nil {
				return err
			}
			if next == 0 || next > pos {
				ix.cover(pos, false)
				return nil
			}
			probe = false
		}
		if tick == nil {
			t := time.NewTicker(webhookProbeEvery)
			defer t.Stop()
			tick = t.C
		}
		select {
		case <-ch:
		case <-tick:
			probe = true
		case <-ctx.Done():
			return fmt.Errorf("position %d: %w", pos, errWebhookIndexBehind)
		}
	}
}

// wants reports whether an enabled endpoint created before pos may want events of
// eventType; an unregistered type is wanted (its decoding says what it is). The index
// must cover pos (waitFor).
func (ix *WebhookIndex) wants(eventType string, pos uint64) bool {
	ix.mu.RLock()
	first, ok := ix.first[eventType]
	ix.mu.RUnlock()
	if !ok {
		dotted, known := ix.dotted[eventType]
		if !known {
			return true
		}
		ix.mu.Lock()
		first = 0
		for _, t := range ix.endpoints {
			if t.ep.Status == domain.WebhookEndpointStatusEnabled && t.ep.Matches(dotted) && (first == 0 || t.created < first) {
				first = t.created
			}
		}
		ix.first[eventType] = first
		ix.mu.Unlock()
	}
	return first != 0 && first < pos
}

// endpointsAt lists the enabled endpoints created before pos that subscribe to the
// dotted name, oldest first: what the fan-out of the event at pos delivers to.
func (ix *WebhookIndex) endpointsAt(pos uint64, dotted string) []string {
	type target struct {
		created uint64
		id      string
	}
	var found []target
	ix.mu.RLock()
	for _, t := range ix.endpoints {
		if t.created < pos && t.ep.Status == domain.WebhookEndpointStatusEnabled && t.ep.Matches(dotted) {
			found = append(found, target{t.created, t.ep.ID})
		}
	}
	ix.mu.RUnlock()
	slices.SortFunc(found, func(a, b target) int { return cmp.Compare(a.created, b.created) })
	ids := make([]string, len(found))
	for i, t := range found {
		ids[i] = t.id
	}
	return ids
}
