package commands

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// Vault keeps one AES-256 key per data subject in the PII_KEYS bucket of JetStream KV and
// seals personal fields with AES-GCM (the subject is the additional data, so a value
// cannot be moved to another subject). Forgetting a subject replaces its key with a
// tombstone: every instance watching the bucket drops the key at once, and nothing
// sealed with it can be opened again. Trusted services that must read personal data hold
// read access to the bucket and decode with domain.NewRegistry().WithVault(vault).
type Vault struct {
	keys    *eventstore.Bucket
	log     *slog.Logger
	timeout time.Duration

	mu       sync.RWMutex
	cache    map[string][]byte // subject -> key; nil value: forgotten
	onForget []func(subject string)
}

// tombstone is what a forgotten subject's key is replaced with.
var tombstone = []byte("forgotten")

// OpenVault opens (creating if needed) the key bucket and follows it until ctx ends.
func OpenVault(ctx context.Context, store *eventstore.Store, log *slog.Logger) (*Vault, error) {
	b, err := store.Bucket(ctx, "PII_KEYS", 0)
	if err != nil {
		return nil, err
	}
	v := &Vault{keys: b, log: log.With("component", "vault"), timeout: 5 * time.Second, cache: map[string][]byte{}}
	if err := b.Watch(ctx, v.changed); err != nil {
		return nil, err
	}
	return v, nil
}

// OnForget registers fn to run on this instance whenever a subject is forgotten (by any
// instance): caches of decrypted state drop what they hold.
func (v *Vault) OnForget(fn func(subject string)) {
	v.mu.Lock()
	v.onForget = append(v.onForget, fn)
	v.mu.Unlock()
}

func (v *Vault) changed(subject string, value []byte) {
	if value != nil && string(value) != string(tombstone) {
		return // a new key: fetched when first needed
	}
	v.mu.Lock()
	v.cache[subject] = nil
	hooks := v.onForget
	v.mu.Unlock()
	for _, fn := range hooks {
		fn(subject)
	}
}

// key returns subject's key, making one when create is set; nil key: forgotten.
func (v *Vault) key(subject string, create bool) ([]byte, error) {
	v.mu.RLock()
	k, ok := v.cache[subject]
	v.mu.RUnlock()
	if ok {
		return k, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), v.timeout)
	defer cancel()
	var err error
	if create {
		k, _, err = v.keys.Get(ctx, subject) // a new subject is the common case: no waiting
	} else {
		k, err = v.fetch(ctx, subject)
	}
	if errors.Is(err, eventstore.ErrKeyNotFound) && create {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		if _, err = v.keys.Create(ctx, subject, fresh); err == nil {
			k = fresh
		} else if errors.Is(err, eventstore.ErrKeyExists) {
			k, err = v.fetch(ctx, subject) // another writer made it first
		}
	}
	if errors.Is(err, eventstore.ErrKeyNotFound) {
		// Forgetting leaves a tombstone, never nothing: a missing key is a store problem
		// (or a replica behind), and failing loudly beats decoding as if forgotten.
		err = fmt.Errorf("no key: %w", eventstore.ErrUnavailable)
	}
	if err != nil {
		return nil, fmt.Errorf("key of %s: %w", subject, err)
	}
	if string(k) == string(tombstone) {
		k = nil
	}
	v.mu.Lock()
	if cur, ok := v.cache[subject]; ok && cur == nil {
		k = nil // forgotten while we fetched
	}
	v.cache[subject] = k
	v.mu.Unlock()
	return k, nil
}

// fetch reads subject's key, asking again for a moment when it is not found: a replica
// may not have applied a key just made.
func (v *Vault) fetch(ctx context.Context, subject string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		k, _, err := v.keys.Get(ctx, subject)
		if !errors.Is(err, eventstore.ErrKeyNotFound) || attempt == 3 {
			return k, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
}

// Seal encrypts plaintext with subject's key.
func (v *Vault) Seal(subject string, plaintext []byte) (string, error) {
	k, err := v.key(subject, true)
	if err != nil {
		return "", err
	}
	if k == nil {
		return "", domain.ErrForgotten
	}
	gcm, err := newGCM(k)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(plaintext)+gcm.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := gcm.Seal(nonce, nonce, plaintext, []byte(subject))
	return domain.SealedPrefix + subject + ":" + base64.RawURLEncoding.EncodeToString(ct), nil
}

// Open decrypts a sealed value.
func (v *Vault) Open(sealed string) ([]byte, error) {
	subject, ok := domain.SubjectOfSealed(sealed)
	if !ok {
		return nil, errors.New("not a sealed value")
	}
	k, err := v.key(subject, false)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, domain.ErrForgotten
	}
	ct, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, domain.SealedPrefix+subject+":"))
	if err != nil {
		return nil, fmt.Errorf("sealed value of %s: %w", subject, err)
	}
	gcm, err := newGCM(k)
	if err != nil {
		return nil, err
	}
	if len(ct) < gcm.NonceSize() {
		return nil, fmt.Errorf("sealed value of %s: too short", subject)
	}
	plain, err := gcm.Open(nil, ct[:gcm.NonceSize()], ct[gcm.NonceSize():], []byte(subject))
	if err != nil {
		return nil, fmt.Errorf("sealed value of %s: %w", subject, err)
	}
	return plain, nil
}

// Forget replaces subject's key with a tombstone: what was sealed with it is unreadable
// from now on, on every instance, and nothing more is sealed for it.
func (v *Vault) Forget(ctx context.Context, subject string) error {
	if _, err := v.keys.Put(ctx, subject, tombstone); err != nil {
		return fmt.Errorf("forget %s: %w", subject, err)
	}
	v.changed(subject, nil)
	return nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
