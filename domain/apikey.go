package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// APIKey is an API key: only its hash and prefix are ever stored.
type APIKey struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	Hash      string     `json:"hash"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Revoked   bool       `json:"revoked"`
	CreatedAt time.Time  `json:"created_at"`
	Version   int64      `json:"version"`
}

// CreateAPIKey issues a key whose secret the caller generated and hashed.
type CreateAPIKey struct {
	KeyID     string
	Name      string
	Prefix    string // the first characters of the token, shown in lists
	Hash      string // hex SHA-256 of the token
	Scopes    []string
	ExpiresAt *time.Time
}

// APIKeyCreated: a key was issued.
type APIKeyCreated struct {
	KeyID     string     `json:"key_id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	Hash      string     `json:"hash"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// APIKeyRevoked: a key stopped working.
type APIKeyRevoked struct {
	KeyID string `json:"key_id"`
}

func (APIKeyCreated) EventType() string { return "ApiKeyCreated" }
func (APIKeyRevoked) EventType() string { return "ApiKeyRevoked" }

func apiKeyEvents(r *Registry) {
	Register[APIKeyCreated](r, "apikey", 1, nil)
	Register[APIKeyRevoked](r, "apikey", 1, nil)
}

// Modules that have scopes; each has <module>:read and <module>:write.
var scopeModules = []string{"customers", "api_keys", "orders", "inventory", "returns", "warranties", "wholesale",
	"suppliers", "purchase_orders", "manufacturing", "warehouses", "webhooks", "events", "audit", "crm"}

// ValidScope reports whether s is a known scope: "*", "admin" or "<module>:read|write".
func ValidScope(s string) bool {
	if s == "*" || s == "admin" {
		return true
	}
	mod, access, ok := strings.Cut(s, ":")
	return ok && (access == "read" || access == "write") && slices.Contains(scopeModules, mod)
}

// Create decides issuing a key.
func (k *APIKey) Create(cmd CreateAPIKey, now time.Time) ([]Event, error) {
	if k.Version > 0 {
		return nil, &AlreadyExistsError{Entity: "api key", Field: "id"}
	}
	var v Validation
	v.Check(ValidID(cmd.KeyID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.Name) != "" && len(cmd.Name) <= 100, "name", "is required, at most 100 characters")
	v.Check(len(cmd.Scopes) > 0, "scopes", "at least one scope")
	v.Check(len(cmd.Scopes) <= 2*len(scopeModules)+2, "scopes", "at most "+strconv.Itoa(2*len(scopeModules)+2)+" scopes, each once")
	for i, s := range cmd.Scopes {
		v.Check(ValidScope(s), "scopes["+strconv.Itoa(i)+"]", "unknown scope "+strconv.Quote(s))
		v.Check(!slices.Contains(cmd.Scopes[:i], s), "scopes["+strconv.Itoa(i)+"]", "given twice")
	}
	v.Check(cmd.ExpiresAt == nil || cmd.ExpiresAt.After(now), "expires_at", "must be in the future")
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{APIKeyCreated{KeyID: cmd.KeyID, Name: cmd.Name, Prefix: cmd.Prefix, Hash: cmd.Hash,
		Scopes: cmd.Scopes, ExpiresAt: cmd.ExpiresAt}}, nil
}

// Revoke decides revoking a key; revoking twice is refused.
func (k *APIKey) Revoke() ([]Event, error) {
	if k.Version == 0 {
		return nil, ErrNotFound
	}
	if k.Revoked {
		return nil, &TransitionError{Entity: "api key", From: "REVOKED", Action: "revoke"}
	}
	return []Event{APIKeyRevoked{KeyID: k.ID}}, nil
}

// Apply folds an API key event in.
func (k *APIKey) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case APIKeyCreated:
		*k = APIKey{ID: e.KeyID, Name: e.Name, Prefix: e.Prefix, Hash: e.Hash, Scopes: e.Scopes,
			ExpiresAt: e.ExpiresAt, CreatedAt: env.Time}
	case APIKeyRevoked:
		k.Revoked = true
	}
	k.Version = env.Version
}

// CurrentVersion is the key's event count.
func (k *APIKey) CurrentVersion() int64 { return k.Version }

// Clone returns a deep copy.
func (k *APIKey) Clone() *APIKey {
	cp := *k
	cp.Scopes = slices.Clone(k.Scopes)
	return &cp
}

// Allows reports whether the key's scopes grant scope.
func (k *APIKey) Allows(scope string) bool {
	for _, s := range k.Scopes {
		if s == "*" || s == "admin" || s == scope {
			return true
		}
		// write implies read of the same module
		if mod, ok := strings.CutSuffix(s, ":write"); ok && scope == mod+":read" {
			return true
		}
	}
	return false
}

// Grants reports the first of scopes this key could not hand on (-1: none): a key may
// issue keys only with scopes it holds itself, so a customers:write key cannot mint "*".
// "admin" and "*" hold every scope, including each other. Unknown scopes are left to
// Create's validation.
func (k *APIKey) Grants(scopes []string) int {
	for i, s := range scopes {
		if ValidScope(s) && !k.Allows(s) {
			return i
		}
	}
	return -1
}

// Usable reports whether the key works at now: not revoked and not expired.
func (k *APIKey) Usable(now time.Time) bool {
	return k.Version > 0 && !k.Revoked && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// Redacted is the event without the token's hash: only the key index needs it, and it
// decodes the stream itself.
func (e APIKeyCreated) Redacted() Event { e.Hash = ""; return e }
