package eventstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

var (
	// ErrKeyExists is returned by Bucket.Create when the key holds a value.
	ErrKeyExists = errors.New("key exists")
	// ErrKeyNotFound is returned by Bucket.Get for a missing or deleted key.
	ErrKeyNotFound = errors.New("key not found")
	// ErrWrongRevision is returned by Bucket.Update and Bucket.Delete when the key moved on.
	ErrWrongRevision = errors.New("wrong revision")
)

// Bucket is a JetStream key-value bucket shared by every instance.
type Bucket struct {
	kv      jetstream.KeyValue
	err     func(error) error
	timeout time.Duration
}

// Bucket opens (creating if needed) the key-value bucket <PREFIX>_<name>. ttl > 0 expires
// keys that long after their last write. Like the stream, it is retried while a cluster
// settles after its start.
func (s *Store) Bucket(ctx context.Context, name string, ttl time.Duration) (*Bucket, error) {
	cfg := jetstream.KeyValueConfig{
		Bucket:   strings.ToUpper(s.cfg.Prefix) + "_" + name,
		History:  1,
		TTL:      ttl,
		Storage:  jetstream.FileStorage,
		Replicas: s.cfg.Replicas,
	}
	var kv jetstream.KeyValue
	err := s.settle(ctx, "open bucket "+cfg.Bucket, func(ctx context.Context) (err error) {
		kv, err = s.js.CreateOrUpdateKeyValue(ctx, cfg)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Bucket{kv: kv, err: s.wrap, timeout: s.cfg.Timeout}, nil
}

// Create stores value under key if the key is empty and returns its revision.
func (b *Bucket) Create(ctx context.Context, key string, value []byte) (uint64, error) {
	var rev uint64
	err := persist(ctx, b.timeout, func() (err error) {
		rev, err = b.kv.Create(ctx, key, value)
		return err
	})
	if errors.Is(err, jetstream.ErrKeyExists) {
		return 0, ErrKeyExists
	}
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", key, b.err(err))
	}
	return rev, nil
}

// Get returns the value and revision of key.
func (b *Bucket) Get(ctx context.Context, key string) ([]byte, uint64, error) {
	var e jetstream.KeyValueEntry
	err := persist(ctx, b.timeout, func() (err error) {
		e, err = b.kv.Get(ctx, key)
		return err
	})
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, 0, ErrKeyNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("get %s: %w", key, b.err(err))
	}
	return e.Value(), e.Revision(), nil
}

// Put stores value under key whatever it held.
func (b *Bucket) Put(ctx context.Context, key string, value []byte) (uint64, error) {
	var rev uint64
	err := persist(ctx, b.timeout, func() (err error) {
		rev, err = b.kv.Put(ctx, key, value)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("put %s: %w", key, b.err(err))
	}
	return rev, nil
}

// Update stores value under key if its revision is still rev.
func (b *Bucket) Update(ctx context.Context, key string, value []byte, rev uint64) (uint64, error) {
	var n uint64
	err := persist(ctx, b.timeout, func() (err error) {
		n, err = b.kv.Update(ctx, key, value, rev)
		return err
	})
	if isWrongSeq(err) || errors.Is(err, jetstream.ErrKeyExists) {
		return 0, ErrWrongRevision
	}
	if err != nil {
		return 0, fmt.Errorf("update %s: %w", key, b.err(err))
	}
	return n, nil
}

// Delete removes key if its revision is still rev (rev 0: whatever it holds).
func (b *Bucket) Delete(ctx context.Context, key string, rev uint64) error {
	var opts []jetstream.KVDeleteOpt
	if rev > 0 {
		opts = append(opts, jetstream.LastRevision(rev))
	}
	err := persist(ctx, b.timeout, func() error { return b.kv.Delete(ctx, key, opts...) })
	if isWrongSeq(err) {
		return ErrWrongRevision
	}
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, b.err(err))
	}
	return nil
}

func isWrongSeq(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && wrongLastSequence(apiErr.ErrorCode)
}

// Watch calls fn for every change of a key from now on (value nil for a delete or purge)
// until ctx ends. Every instance watching sees every change; a watch the connection lost
// is made again.
func (b *Bucket) Watch(ctx context.Context, fn func(key string, value []byte)) error {
	w, err := b.kv.WatchAll(ctx, jetstream.UpdatesOnly())
	if err != nil {
		return fmt.Errorf("watch: %w", b.err(err))
	}
	go func() {
		for {
			b.follow(ctx, w, fn)
			if ctx.Err() != nil {
				return
			}
			for ctx.Err() == nil { // the watcher ended without being asked to: again
				if w, err = b.kv.WatchAll(ctx, jetstream.UpdatesOnly()); err == nil {
					break
				}
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		}
	}()
	return nil
}

func (b *Bucket) follow(ctx context.Context, w jetstream.KeyWatcher, fn func(key string, value []byte)) {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-w.Updates():
			if !ok {
				return
			}
			if e == nil {
				continue
			}
			var value []byte
			if e.Operation() == jetstream.KeyValuePut {
				value = e.Value()
			}
			fn(e.Key(), value)
		}
	}
}

// Keys lists every key holding a value.
func (b *Bucket) Keys(ctx context.Context) ([]string, error) {
	lister, err := b.kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", b.err(err))
	}
	var out []string
	for k := range lister.Keys() {
		out = append(out, k)
	}
	// the lister stops itself once it has sent every key; Stop then finds it gone
	if err := lister.Stop(); err != nil && !errors.Is(err, jetstream.ErrNoKeysFound) && !errors.Is(err, nats.ErrBadSubscription) {
		return nil, fmt.Errorf("list keys: %w", b.err(err))
	}
	return out, nil
}

// wrongLastSequence reports a failed expected-sequence check: 10071, or 10164, which a
// replicated stream answers for the same conflict.
func wrongLastSequence(code jetstream.ErrorCode) bool {
	return code == jetstream.JSErrCodeStreamWrongLastSequence || code == jetstream.JSErrCodeStreamWrongLastSequenceConstant
}
