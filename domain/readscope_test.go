package domain

import (
	"slices"
	"testing"
)

func TestEveryAggregateHasAReadScope(t *testing.T) {
	r := NewRegistry()
	aggs := r.Aggregates()
	if len(aggs) < 20 {
		t.Fatalf("only %d aggregates: %v", len(aggs), aggs)
	}
	for _, a := range aggs {
		s := ReadScopeOf(a)
		if _, ok := readScopes[a]; !ok || s == "admin" {
			t.Errorf("aggregate %q has no read scope", a)
			continue
		}
		if !ValidScope(s) {
			t.Errorf("aggregate %q: %q is not a valid scope", a, s)
		}
	}
	for a := range readScopes {
		if !slices.Contains(aggs, a) {
			t.Errorf("read scope for %q, which owns no registered event", a)
		}
	}
	if ReadScopeOf("nope") != "admin" {
		t.Errorf("an unknown aggregate needs %q", ReadScopeOf("nope"))
	}
}

func TestAggregatesMatchingAWebhookPattern(t *testing.T) {
	r := NewRegistry()
	for _, c := range []struct {
		pattern string
		want    []string
	}{
		{"customer.updated", []string{"customer"}},
		{"customer.*", []string{"customer"}},
		{"order.*", []string{"order"}},
		{"api_key.created", []string{"apikey"}},
		{"wholesale_order.*", []string{"wholesale_order"}},
		{"nothing.at_all", nil},
	} {
		if got := r.AggregatesMatching(c.pattern); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.pattern, got, c.want)
		}
	}
	if got := r.AggregatesMatching("*"); !slices.Equal(got, r.Aggregates()) {
		t.Errorf("*: %v, want every aggregate", got)
	}
}

func TestAPIKeyCreatedIsRedacted(t *testing.T) {
	e := APIKeyCreated{KeyID: "k", Name: "n", Prefix: "sk_live_ab", Hash: "deadbeef", Scopes: []string{"admin"}}
	got, ok := Redact(e).(APIKeyCreated)
	if !ok || got.Hash != "" || got.KeyID != "k" || got.Prefix != "sk_live_ab" {
		t.Errorf("redacted: %+v", got)
	}
}
