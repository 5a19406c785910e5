package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"stateset/eventstore"
)

// claimGrace is how long a claim is respected even when its holder does not (yet) show
// the value: the holder may still be between its claim and its append.
const claimGrace = 30 * time.Second

type claim struct {
	Owner string    `json:"owner"`
	At    time.Time `json:"at"`
}

func claimKey(scope, value string) string {
	sum := sha256.Sum256([]byte(value))
	return scope + "." + hex.EncodeToString(sum[:])
}

// claimUnique reserves value in scope for owner across every instance (JetStream KV
// compare-and-set). holds tells whether another owner really holds the value (its
// aggregate shows it); a claim its holder does not show is taken over once it is older
// than claimGrace, which heals claims left by a crash between claim and append.
// fresh is false when owner already held the claim.
func (h *Handler) claimUnique(ctx context.Context, scope, value, owner string, holds func(ctx context.Context, holder string) (bool, error)) (fresh bool, err error) {
	key := claimKey(scope, value)
	body, _ := json.Marshal(claim{Owner: owner, At: h.now().UTC()})
	for range 3 {
		_, err := h.unique.Create(ctx, key, body)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, eventstore.ErrKeyExists) {
			return false, err
		}
		raw, rev, err := h.unique.Get(ctx, key)
		if errors.Is(err, eventstore.ErrKeyNotFound) {
			continue // released meanwhile
		}
		if err != nil {
			return false, err
		}
		var c claim
		_ = json.Unmarshal(raw, &c)
		if c.Owner == owner {
			return false, nil
		}
		held, err := holds(ctx, c.Owner)
		if err != nil {
			return false, err
		}
		if held || h.now().Sub(c.At) < claimGrace {
			return false, errTaken
		}
		if _, err := h.unique.Update(ctx, key, body, rev); err == nil {
			return true, nil
		} else if !errors.Is(err, eventstore.ErrWrongRevision) {
			return false, err
		}
	}
	return false, errTaken
}

// errTaken is returned by claimUnique when another live owner holds the value.
var errTaken = errors.New("value taken")

// releaseUnique frees value in scope if owner still holds it.
func (h *Handler) releaseUnique(ctx context.Context, scope, value, owner string) {
	key := claimKey(scope, value)
	raw, rev, err := h.unique.Get(ctx, key)
	if err != nil {
		return
	}
	var c claim
	if json.Unmarshal(raw, &c) != nil || c.Owner != owner {
		return
	}
	if err := h.unique.Delete(ctx, key, rev); err != nil && !errors.Is(err, eventstore.ErrWrongRevision) {
		h.log.WarnContext(ctx, "release unique value", "scope", scope, "err", err)
	}
}
