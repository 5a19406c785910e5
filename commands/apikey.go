package commands

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"stateset/domain"
)

// tokenPrefixLen is how much of a token lists show.
const tokenPrefixLen = 12

// BootstrapKeyID is the id of the admin key made on an empty store; a fixed id makes two
// instances starting at once agree on a single key.
const BootstrapKeyID = "bootstrap-admin"

// HashToken is how API key tokens are stored: hex SHA-256. Tokens are 130 random bits, so
// a fast hash is enough; nothing reversible is ever stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a fresh secret API key token.
func NewToken() string { return "sk_live_" + rand.Text() }

// Create issues a key and returns it with its token, which is never shown again.
// An empty token makes a new one.
func (m APIKeys) Create(ctx context.Context, id, name string, scopes []string, expiresAt *time.Time, token string, opts ...Option) (Result[domain.APIKey], string, error) {
	if id == "" {
		id = newID()
	}
	if token == "" {
		token = NewToken()
	}
	if len(token) < 20 {
		return Result[domain.APIKey]{}, "", &domain.ValidationError{Fields: []domain.FieldError{{Field: "token", Issue: "at least 20 characters"}}}
	}
	cmd := domain.CreateAPIKey{KeyID: id, Name: name, Prefix: token[:tokenPrefixLen], Hash: HashToken(token), Scopes: scopes, ExpiresAt: expiresAt}
	res, err := execute(ctx, m.h, "apikey", id, opts, func(k *domain.APIKey) ([]domain.Event, error) {
		return k.Create(cmd, m.h.now())
	}, nil)
	if err != nil {
		return res, "", err
	}
	return res, token, nil
}

// Revoke stops a key from working.
func (m APIKeys) Revoke(ctx context.Context, id string, opts ...Option) (Result[domain.APIKey], error) {
	return execute(ctx, m.h, "apikey", id, opts, func(k *domain.APIKey) ([]domain.Event, error) {
		return k.Revoke()
	}, nil)
}

// Bootstrap creates the first admin key when the store has no key at all. It returns the
// token and true when it made one; token "" makes a random one.
func (m APIKeys) Bootstrap(ctx context.Context, token string) (string, bool, error) {
	last, err := m.h.store.LastSeq(ctx, m.h.store.TypeSubjects("apikey"))
	if err != nil {
		return "", false, fmt.Errorf("bootstrap: %w", err)
	}
	if last > 0 {
		return "", false, nil
	}
	_, tok, err := m.Create(ctx, BootstrapKeyID, "bootstrap admin", []string{"admin"}, nil, token,
		WithMetadata(domain.Metadata{Actor: "system", ActorName: "bootstrap"}))
	if errors.Is(err, domain.ErrAlreadyExists) {
		return "", false, nil // another instance made it first
	}
	if err != nil {
		return "", false, fmt.Errorf("bootstrap: %w", err)
	}
	return tok, true, nil
}
