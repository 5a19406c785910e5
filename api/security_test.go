package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fieldsOf lists an error answer's detail fields.
func fieldsOf(t testing.TB, r resp) []string {
	t.Helper()
	var e struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	var out []string
	for _, d := range e.Error.Details {
		out = append(out, d.Field)
	}
	return out
}

func TestAnExpiringKeyMintsNoLongerLivedKey(t *testing.T) {
	h := newHarness(t)
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tok := h.key("temp", []string{"api_keys:write"}, &exp)
	auth := []string{"Authorization", "Token " + tok}

	// no expires_at: the new key takes the caller's
	r := h.do("POST", "/v1/api_keys", `{"name":"child","scopes":["api_keys:read"]}`, auth...)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if got, _ := r.json(t)["expires_at"].(string); got != rfc3339(exp) {
		t.Errorf("child expires_at %q, want the caller's %q", got, rfc3339(exp))
	}
	// an earlier expiry is kept
	earlier := exp.Add(-time.Minute)
	r = h.do("POST", "/v1/api_keys", `{"name":"child2","scopes":["api_keys:read"],"expires_at":"`+rfc3339(earlier)+`"}`, auth...)
	if r.status != http.StatusCreated || r.json(t)["expires_at"] != rfc3339(earlier) {
		t.Fatalf("earlier expiry: %d %s", r.status, r.body)
	}
	// a later one is refused, naming expires_at
	later := exp.Add(time.Minute)
	r = h.do("POST", "/v1/api_keys", `{"name":"child3","scopes":["api_keys:read"],"expires_at":"`+rfc3339(later)+`"}`, auth...)
	if r.status != http.StatusForbidden || strings.Join(fieldsOf(t, r), ",") != "expires_at" {
		t.Fatalf("later expiry: %d %s", r.status, r.body)
	}
	// a key without expiry still mints keys without one
	r = h.do("POST", "/v1/api_keys", `{"name":"forever","scopes":["api_keys:read"]}`)
	if r.status != http.StatusCreated || r.json(t)["expires_at"] != nil {
		t.Fatalf("admin create: %d %s", r.status, r.body)
	}
}

func TestRevokingNeedsTheTargetsScopes(t *testing.T) {
	h := newHarness(t)
	tok := h.key("keys", []string{"api_keys:write"}, nil)
	auth := []string{"Authorization", "Token " + tok}
	mk := func(name, scopes string) string {
		t.Helper()
		r := h.do("POST", "/v1/api_keys", `{"name":"`+name+`","scopes":`+scopes+`}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", name, r.status, r.body)
		}
		return r.json(t)["id"].(string)
	}
	admin, star, cust, mine := mk("admin2", `["admin"]`), mk("star", `["*"]`), mk("cust", `["customers:read"]`), mk("mine", `["api_keys:read"]`)
	for _, id := range []string{admin, star, cust} {
		for _, req := range [][2]string{{"POST", "/v1/api_keys/" + id + "/revoke"}, {"DELETE", "/v1/api_keys/" + id}} {
			if r := h.do(req[0], req[1], "", auth...); r.status != http.StatusForbidden {
				t.Errorf("%s %s by an api_keys:write key: %d %s", req[0], req[1], r.status, r.body)
			}
		}
		if r := h.do("GET", "/v1/api_keys/"+id, ""); r.json(t)["status"] != "ACTIVE" {
			t.Errorf("key %s: %s", id, r.body)
		}
	}
	if r := h.do("DELETE", "/v1/api_keys/"+mine, "", auth...); r.status != http.StatusOK || r.json(t)["status"] != "REVOKED" {
		t.Errorf("revoke a key within the caller's scopes: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/v1/api_keys/nope/revoke", "", auth...); r.status != http.StatusNotFound {
		t.Errorf("unknown key: %d %s", r.status, r.body)
	}
	// admin may revoke anything
	if r := h.do("POST", "/v1/api_keys/"+star+"/revoke", ""); r.status != http.StatusOK {
		t.Errorf("admin revokes *: %d %s", r.status, r.body)
	}
}
