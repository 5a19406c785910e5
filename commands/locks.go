package commands

import (
	"context"
	"sync"
)

// keyLocks serialises commands per aggregate within one instance, so that concurrent
// requests for one aggregate queue here instead of conflicting in the stream. Waiting
// honours the request's context.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{} // holds one token while locked
	refs int
}

func newKeyLocks() *keyLocks { return &keyLocks{m: map[string]*keyLock{}} }

// lock takes key's lock, or returns ctx's error if ctx ends first. The returned func
// unlocks.
func (l *keyLocks) lock(ctx context.Context, key string) (func(), error) {
	k := l.acquire(key)
	select {
	case k.ch <- struct{}{}:
		return func() { <-k.ch; l.release(key, k) }, nil
	case <-ctx.Done():
		l.release(key, k)
		return nil, ctx.Err()
	}
}

func (l *keyLocks) release(key string, k *keyLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if k.refs--; k.refs == 0 {
		delete(l.m, key)
	}
}

// tryLock takes key's lock if no one holds it; false when someone does. The returned func
// unlocks.
func (l *keyLocks) tryLock(key string) (func(), bool) {
	k := l.acquire(key)
	select {
	case k.ch <- struct{}{}:
		return func() { <-k.ch; l.release(key, k) }, true
	default:
		l.release(key, k)
		return nil, false
	}
}

// acquire finds (or makes) key's lock and counts the caller as one of its users.
func (l *keyLocks) acquire(key string) *keyLock {
	l.mu.Lock()
	defer l.mu.Unlock()
	k, ok := l.m[key]
	if !ok {
		k = &keyLock{ch: make(chan struct{}, 1)}
		l.m[key] = k
	}
	k.refs++
	return k
}
