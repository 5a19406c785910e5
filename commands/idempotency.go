package commands

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stateset/eventstore"
)

var (
	// ErrIdempotencyKeyReused is returned when a key comes back with a different request.
	ErrIdempotencyKeyReused = errors.New("idempotency key reused with a different request")
	// ErrIdempotencyInProgress is returned while the key's first request is still running.
	ErrIdempotencyInProgress = errors.New("a request with this idempotency key is in progress")
)

// IdempotencyTTL is how long a key is remembered.
const IdempotencyTTL = 24 * time.Hour

// pendingTimeout is how long a started request may hold its key before another request
// with the key may take over (the first one's process died).
const pendingTimeout = time.Minute

// Recorded is a response kept for replay.
type Recorded struct {
	Status int               `json:"status"`
	Header map[string]string `json:"header,omitempty"`
	Body   []byte            `json:"body"`
}

type idemRecord struct {
	Fingerprint string    `json:"fingerprint"`
	Done        bool      `json:"done"`
	Started     time.Time `json:"started"`
	Response    *Recorded `json:"response,omitempty"`
}

// Idempotency remembers requests by key for 24 h in a JetStream KV bucket, so every
// instance sees the same keys.
type Idempotency struct {
	b   *eventstore.Bucket
	now func() time.Time
}

// NewIdempotency opens the IDEMPOTENCY bucket.
func NewIdempotency(ctx context.Context, store *eventstore.Store, now func() time.Time) (*Idempotency, error) {
	b, err := store.Bucket(ctx, "IDEMPOTENCY", IdempotencyTTL)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Idempotency{b: b, now: now}, nil
}

// Ticket is a started request holding its key.
type Ticket struct {
	key string
	rev uint64
	rec idemRecord
}

func idemKey(scope, key string) string {
	sum := sha256.Sum256([]byte(scope + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// Begin claims key within scope (the API key) for a request with fingerprint. It returns
// the recorded response when the key already finished with the same request, a ticket
// when this request should run, ErrIdempotencyKeyReused or ErrIdempotencyInProgress.
func (i *Idempotency) Begin(ctx context.Context, scope, key, fingerprint string) (*Recorded, *Ticket, error) {
	k := idemKey(scope, key)
	rec := idemRecord{Fingerprint: fingerprint, Started: i.now().UTC()}
	body, _ := json.Marshal(rec)
	for range 3 {
		rev, err := i.b.Create(ctx, k, body)
		if err == nil {
			return nil, &Ticket{key: k, rev: rev, rec: rec}, nil
		}
		if !errors.Is(err, eventstore.ErrKeyExists) {
			return nil, nil, err
		}
		raw, rev, err := i.b.Get(ctx, k)
		if errors.Is(err, eventstore.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		var old idemRecord
		if err := json.Unmarshal(raw, &old); err != nil {
			return nil, nil, fmt.Errorf("idempotency record: %w", err)
		}
		switch {
		case old.Fingerprint != fingerprint:
			return nil, nil, ErrIdempotencyKeyReused
		case old.Done:
			return old.Response, nil, nil
		case i.now().Sub(old.Started) < pendingTimeout:
			return nil, nil, ErrIdempotencyInProgress
		}
		// the first request's process died: take the key over
		if rev, err := i.b.Update(ctx, k, body, rev); err == nil {
			return nil, &Ticket{key: k, rev: rev, rec: rec}, nil
		}
	}
	return nil, nil, ErrIdempotencyInProgress
}

// Complete records the response of a ticket's request for replay.
func (i *Idempotency) Complete(ctx context.Context, t *Ticket, resp Recorded) error {
	t.rec.Done, t.rec.Response = true, &resp
	body, err := json.Marshal(t.rec)
	if err != nil {
		return err
	}
	_, err = i.b.Update(ctx, t.key, body, t.rev)
	return err
}

// Abandon frees the key so the request can be tried again (the server failed).
func (i *Idempotency) Abandon(ctx context.Context, t *Ticket) error {
	return i.b.Delete(ctx, t.key, t.rev)
}

// Forget deletes every recorded answer that mentions a forgotten customer (its id as a
// JSON string: the customer itself, its orders, contacts, cases…), so no replay answers
// its personal data again. A deleted record only means a retry with that key runs again,
// where the command loop recognises a retry that had landed. It scans the bucket: a day's
// records, once per forget.
func (i *Idempotency) Forget(ctx context.Context, customerID string) (int, error) {
	keys, err := i.b.Keys(ctx)
	if err != nil {
		return 0, err
	}
	needle := []byte(`"` + customerID + `"`)
	n := 0
	for _, k := range keys {
		raw, rev, err := i.b.Get(ctx, k)
		if errors.Is(err, eventstore.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		var rec idemRecord
		if json.Unmarshal(raw, &rec) != nil || rec.Response == nil || !bytes.Contains(rec.Response.Body, needle) {
			continue
		}
		if err := i.b.Delete(ctx, k, rev); err != nil && !errors.Is(err, eventstore.ErrWrongRevision) {
			return n, err
		}
		n++
	}
	return n, nil
}
