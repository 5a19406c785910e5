package api

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// openAPIRoute is one operation of api/openapi.yaml (written as JSON, which YAML parsers
// read too, so no YAML library is needed here).
type openAPIRoute struct{ method, path, scope string }

func loadOpenAPI(t *testing.T) []openAPIRoute {
	t.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.yaml is not the JSON form of YAML it promises: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	var out []openAPIRoute
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			var o struct {
				Scope string `json:"x-scope"`
			}
			json.Unmarshal(op, &o)
			out = append(out, openAPIRoute{method: strings.ToUpper(method), path: path, scope: o.Scope})
		}
	}
	return out
}

var (
	muxVar    = regexp.MustCompile(`\{([a-z_]+):[^}]*\}`)
	muxAction = regexp.MustCompile(`\{action:([a-z|]+)\}`)
)

// specPaths are the spec's paths of one mux route: an action route
// (/v1/orders/{id}/{action:submit|confirm}) is one path per action, since OpenAPI
// templates that differ only in names conflict (/v1/warranties/{id}/{action} and
// /v1/warranties/{action}/{id}); any other variable keeps its name, without its pattern.
func specPaths(route string) []string {
	m := muxAction.FindStringSubmatch(route)
	if m == nil {
		return []string{muxVar.ReplaceAllString(route, "{$1}")}
	}
	var out []string
	for _, a := range strings.Split(m[1], "|") {
		out = append(out, muxVar.ReplaceAllString(strings.Replace(route, m[0], a, 1), "{$1}"))
	}
	return out
}

// TestOpenAPIIsValid loads the contract with kin-openapi, as standard tooling (client
// generators, request validators) would, and validates it against the OpenAPI 3.0 rules.
func TestOpenAPIIsValid(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("openapi.yaml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
}

// TestOpenAPIMatchesTheRouter holds the published contract and the router to each other:
// every route is documented with its scope, and every documented operation is served.
func TestOpenAPIMatchesTheRouter(t *testing.T) {
	h := newHarness(t)
	spec := loadOpenAPI(t)
	served := map[openAPIRoute]bool{{method: http.MethodGet, path: "/metrics"}: true}
	for _, rt := range h.srv.Routes() {
		for _, path := range specPaths(rt.Path) {
			served[openAPIRoute{method: rt.Method, path: path, scope: rt.Scope}] = true
		}
	}
	documented := map[openAPIRoute]bool{}
	for _, op := range spec {
		documented[op] = true
		if !served[op] {
			t.Errorf("documented but not served (or another scope): %s %s %q", op.method, op.path, op.scope)
		}
	}
	for op := range served {
		if !documented[op] {
			t.Errorf("served but not documented: %s %s %q", op.method, op.path, op.scope)
		}
	}
	if !slices.ContainsFunc(spec, func(o openAPIRoute) bool { return o.path == "/v1/customers/{id}" && o.method == "PUT" }) {
		t.Error("the seed route is missing")
	}
}
