package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestEveryRouteChecksItsScope(t *testing.T) {
	h := newHarness(t)
	// two keys of one scope each: every route is tried with the one it does not accept
	keys := map[string]string{"events:read": h.key("feed only", []string{"events:read"}, nil),
		"audit:read": h.key("audit only", []string{"audit:read"}, nil)}
	for _, rt := range h.srv.Routes() {
		if rt.Scope == "" {
			continue
		}
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			// a constrained variable takes its first alternative, any other "x1"
			path := regexp.MustCompile(`\{[a-z_]+:([^|}]+)[^}]*\}`).ReplaceAllString(rt.Path, "$1")
			path = regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(path, "x1")
			if rt.Scope == scopeAnyKey {
				// any valid key: no key at all is the only refusal
				if r := h.do(rt.Method, path, `{}`, "Authorization", ""); r.status != http.StatusUnauthorized {
					t.Fatalf("without a key: got %d, want 401", r.status)
				}
				return
			}
			none := keys["events:read"]
			if rt.Scope == "events:read" {
				none = keys["audit:read"]
			}
			r := h.do(rt.Method, path, `{}`, "Authorization", "Token "+none)
			if r.status != http.StatusForbidden {
				t.Fatalf("got %d, want 403", r.status)
			}
		})
	}
}

func TestHealthReadyAndMetricsNeedNoKey(t *testing.T) {
	h := newHarness(t)
	h.do("PUT", "/v1/customers/c1", `{"email":"c1@example.com"}`)
	for _, p := range []string{"/health", "/ready", "/metrics"} {
		if r := h.do("GET", p, "", "Authorization", ""); r.status != 200 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	m := h.do("GET", "/metrics", "", "Authorization", "")
	if !strings.Contains(string(m.body), `stateset_http_request_duration_seconds_bucket{method="PUT",route="/v1/customers/{id}"`) {
		t.Errorf("metrics lack the request histogram:\n%.2000s", m.body)
	}
}

func TestRateLimitAnswers429(t *testing.T) {
	h := newHarness(t)
	h.srv.cfg.RateLimit, h.srv.cfg.RateBurst = 1, 2
	var last resp
	for range 5 {
		last = h.do("GET", "/v1/customers", "")
	}
	if last.status != 429 || last.code() != "RATE_LIMITED" || last.header.Get("Retry-After") == "" || last.header.Get("X-RateLimit-Limit") != "1" {
		t.Fatalf("got %d %s %v", last.status, last.body, last.header)
	}
}
