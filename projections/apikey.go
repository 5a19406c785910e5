package projections

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// Keys is the API keys read model, held in memory on every instance and fed straight from
// the stream, so a created or revoked key takes effect everywhere within milliseconds and
// every request's lookup costs a map read.
type Keys struct {
	store *eventstore.Store
	reg   *domain.Registry
	log   *slog.Logger

	mu      sync.RWMutex
	byHash  map[string]*domain.APIKey
	byID    map[string]*domain.APIKey
	applied uint64
	caught  bool // the backlog present at subscribe time is applied
	changed chan struct{}
}

// NewKeys returns an empty key index; Run fills it.
func NewKeys(store *eventstore.Store, reg *domain.Registry, log *slog.Logger) *Keys {
	return &Keys{store: store, reg: reg, log: log.With("component", "keys"), byHash: map[string]*domain.APIKey{},
		byID: map[string]*domain.APIKey{}, changed: make(chan struct{})}
}

// Run follows the API key events until ctx ends, resubscribing after errors.
func (k *Keys) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		err := k.follow(ctx)
		if ctx.Err() != nil {
			break
		}
		k.log.ErrorContext(ctx, "key index stopped, retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

func (k *Keys) follow(ctx context.Context) error {
	k.mu.RLock()
	from := k.applied + 1
	k.mu.RUnlock()
	head, err := k.store.LastSeq(ctx, k.store.TypeSubjects("apikey"))
	if err != nil {
		return err
	}
	if head < from {
		k.markCaughtUp()
	}
	sub, err := k.store.Subscribe(ctx, []string{k.store.TypeSubjects("apikey")}, from, 256)
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
			env, err := k.reg.Unmarshal(m.Data, m.Seq)
			if err != nil {
				return err
			}
			k.apply(env)
			if m.Pending == 0 {
				k.markCaughtUp()
			}
		}
	}
}

func (k *Keys) apply(env domain.Envelope) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if env.Position <= k.applied {
		return
	}
	key, ok := k.byID[env.AggregateID]
	if !ok {
		key = &domain.APIKey{}
	} else {
		key = key.Clone() // readers may hold the old value
	}
	key.Apply(env)
	k.byID[key.ID] = key
	k.byHash[key.Hash] = key
	k.applied = env.Position
	close(k.changed)
	k.changed = make(chan struct{})
}

func (k *Keys) markCaughtUp() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.caught = true
}

// Ready reports whether every key that existed when the index started is loaded: until
// then a valid key could be refused.
func (k *Keys) Ready() bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.caught
}

// Lookup finds a key by the hash of its token.
func (k *Keys) Lookup(hash string) (*domain.APIKey, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, ok := k.byHash[hash]
	return key, ok
}

// Get returns a key by id; ErrNotFound if there is none.
func (k *Keys) Get(id string) (*domain.APIKey, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, ok := k.byID[id]
	if !ok {
		return nil, domain.ErrNotFound
	}
	return key, nil
}

// List returns every key, newest first (ties by id). Keys are few: the list is not paged.
func (k *Keys) List() []*domain.APIKey {
	k.mu.RLock()
	out := make([]*domain.APIKey, 0, len(k.byID))
	for _, key := range k.byID {
		out = append(out, key)
	}
	k.mu.RUnlock()
	slices.SortFunc(out, func(a, b *domain.APIKey) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// WaitFor returns once the index has applied the key event at pos (or ctx ends).
func (k *Keys) WaitFor(ctx context.Context, pos uint64) error {
	for {
		k.mu.RLock()
		applied, ch := k.applied, k.changed
		k.mu.RUnlock()
		if applied >= pos {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ErrWaitTimeout
		}
	}
}
