package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
)

// apiKeyJSON is an API key as the API shows it: its prefix, never its token or hash.
type apiKeyJSON struct {
	ID        string   `json:"id"`
	Object    string   `json:"object"`
	Name      string   `json:"name"`
	Prefix    string   `json:"prefix"`
	Scopes    []string `json:"scopes"`
	Status    string   `json:"status"` // ACTIVE, EXPIRED or REVOKED
	ExpiresAt *string  `json:"expires_at"`
	CreatedAt string   `json:"created_at"`
	Version   int64    `json:"version"`
	Token     string   `json:"token,omitempty"` // only in the answer that created it
}

func apiKeyOf(k *domain.APIKey, now time.Time) apiKeyJSON {
	out := apiKeyJSON{ID: k.ID, Object: "api_key", Name: k.Name, Prefix: k.Prefix, Scopes: nonNil(k.Scopes),
		Status: "ACTIVE", CreatedAt: rfc3339(k.CreatedAt), Version: k.Version}
	if k.ExpiresAt != nil {
		exp := rfc3339(*k.ExpiresAt)
		out.ExpiresAt = &exp
	}
	switch {
	case k.Revoked:
		out.Status = "REVOKED"
	case !k.Usable(now):
		out.Status = "EXPIRED"
	}
	return out
}

// createAPIKeyRequest is the body of POST /v1/api_keys: expires_at an RFC 3339 time.
type createAPIKeyRequest struct {
	ID        *string  `json:"id,omitempty"`
	Name      *string  `json:"name,omitempty"`
	Scopes    []string `json:"scopes,omitempty"`
	ExpiresAt *string  `json:"expires_at,omitempty"`
}

// createAPIKey is POST /v1/api_keys {id?, name, scopes, expires_at?}: 201 with the token,
// shown this once. The caller's key must hold every scope it grants (403 otherwise), and
// a caller whose key expires mints keys expiring no later (expires_at absent: the
// caller's; later: 403).
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	var in createAPIKeyRequest
	var exp *time.Time
	if !s.decode(w, r, func(o *object) {
		o.fill(&in)
		if e := deref(in.ExpiresAt); e != "" {
			t, err := time.Parse(time.RFC3339Nano, e)
			if err != nil {
				o.v.Add("expires_at", "must be an RFC 3339 time")
			} else {
				exp = &t
			}
		}
	}) {
		return
	}
	caller := info(r.Context()).key
	if i := caller.Grants(in.Scopes); i >= 0 {
		s.fail(w, r, &httpError{http.StatusForbidden, "FORBIDDEN", "a key can grant only scopes it holds itself",
			[]domain.FieldError{{Field: "scopes[" + strconv.Itoa(i) + "]", Issue: "the calling key lacks " + strconv.Quote(in.Scopes[i])}}})
		return
	}
	// a key that expires cannot outlive itself through the keys it mints: no expires_at
	// takes the caller's, a later one is refused
	if caller.ExpiresAt != nil {
		switch {
		case exp == nil:
			t := *caller.ExpiresAt
			exp = &t
		case exp.After(*caller.ExpiresAt):
			s.fail(w, r, &httpError{http.StatusForbidden, "FORBIDDEN", "a key can grant only a lifetime it has itself",
				[]domain.FieldError{{Field: "expires_at", Issue: "the calling key expires at " + rfc3339(*caller.ExpiresAt)}}})
			return
		}
	}
	res, tok, err := s.cmd.APIKeys().Create(r.Context(), deref(in.ID), deref(in.Name), in.Scopes, exp, "", commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.waitKey(r.Context(), res.Position); err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiKeyOf(res.Aggregate, s.now())
	// an idempotent replay answers the key without its token: the token is stored nowhere,
	// not even in the idempotency record (a client that lost it revokes and creates again)
	info(r.Context()).replay, _ = json.Marshal(out)
	out.Token = tok
	w.Header().Set("Location", "/v1/api_keys/"+url.PathEscape(res.Aggregate.ID))
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, http.StatusCreated, out)
}

// waitKey returns once this instance's key index holds the key event at pos, so a key
// created or revoked here works, or fails, from the answer on.
func (s *Server) waitKey(ctx context.Context, pos uint64) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ReadWait)
	defer cancel()
	return s.keys.WaitFor(ctx, pos)
}

// listAPIKeys is GET /v1/api_keys: every key, newest first (keys are few: not paged).
func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	keys := s.keys.List()
	out := make([]apiKeyJSON, len(keys))
	for i, k := range keys {
		out[i] = apiKeyOf(k, s.now())
	}
	writeJSON(w, http.StatusOK, newList(out, false, ""))
}

// getAPIKey is GET /v1/api_keys/{id}.
func (s *Server) getAPIKey(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.keys.Get(mux.Vars(r)["id"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(k.Version))
	writeJSON(w, http.StatusOK, apiKeyOf(k, s.now()))
}

// revokeAPIKey is POST /v1/api_keys/{id}/revoke and DELETE /v1/api_keys/{id}: the key
// fails on this instance from the answer on (the others follow the event within
// milliseconds). Revoking twice is 409 INVALID_TRANSITION. The caller's key must hold
// every scope of the key it revokes (403 otherwise), as it would to create it.
func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) {
	if !s.decode(w, r, noFields) {
		return
	}
	// only a key that could have minted the target may revoke it: an api_keys:write key
	// cannot revoke an admin key
	target, err := s.keys.Get(mux.Vars(r)["id"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if i := info(r.Context()).key.Grants(target.Scopes); i >= 0 {
		s.fail(w, r, &httpError{http.StatusForbidden, "FORBIDDEN", "a key can revoke only keys whose scopes it holds itself",
			[]domain.FieldError{{Field: "scopes[" + strconv.Itoa(i) + "]", Issue: "the calling key lacks " + strconv.Quote(target.Scopes[i])}}})
		return
	}
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.APIKeys().Revoke(r.Context(), mux.Vars(r)["id"], opts...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.waitKey(r.Context(), res.Position); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, http.StatusOK, apiKeyOf(res.Aggregate, s.now()))
}
