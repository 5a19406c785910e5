package api

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"stateset/eventstore"
)

// sdkRun runs a table of SDK calls: runSDK holds each to its row, runHostile uses the
// table's requests as the ground for an adversarial pass.
type sdkRun func(t *testing.T, h *harness, rows []sdkCall)

// TestSDKHostileBodies is the adversarial pass over the SDK dialect: the contract tables
// again, each write first sent with bodies of the wrong shape (every field, and every
// field of its first object or element, given a value of another JSON type; the body
// not an object). Whatever comes in, no answer is a 5xx other than 501, a refusal is in
// the contract's format with a `detail` the SDK can show, and a refused request appends
// nothing (no event carries its correlation id, which is its X-Request-ID).
func TestSDKHostileBodies(t *testing.T) {
	for _, c := range []struct {
		name  string
		table func(*testing.T, *harness, sdkRun)
	}{
		{"customers", sdkCustomers}, {"order, return, warranty", sdkOrderReturnWarranty}, {"supply and warehouse", sdkSupplyAndWarehouse},
		{"crm", sdkCRM}, {"what the SDK leaves unsaid", sdkWhatTheSDKLeavesUnsaid},
	} {
		t.Run(c.name, func(t *testing.T) { c.table(t, newFlowingHarness(t), runHostile) })
	}
}

// TestAPanicIsAnsweredInTheErrorFormat: a panic before the native middleware (in the SDK
// dialect's mapping) is a 500 in the contract's format, not a dropped connection.
func TestAPanicIsAnsweredInTheErrorFormat(t *testing.T) {
	h := newHarness(t)
	rec := httptest.NewRecorder()
	h.srv.recovering(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })).
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/customers/search?offset=-1", nil))
	var e struct {
		Detail string `json:"detail"`
		Error  struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != http.StatusInternalServerError || e.Error.Code == "" || e.Detail == "" {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// runHostile sends each row's hostile variants, then the row itself, asserting only what
// must hold of any answer: a row whose saved values are missing (an earlier variant took
// its place) is skipped.
func runHostile(t *testing.T, h *harness, rows []sdkCall) {
	t.Helper()
	vals := map[string]string{}
	for _, c := range rows {
		path, ok1 := fillSaved(c.path, vals)
		body, ok2 := fillSaved(c.body, vals)
		if !ok1 || !ok2 {
			continue
		}
		for _, p := range hostilePaths(c.path, vals) {
			h.hostileCall(t, c.method, c.verb, p, body)
		}
		switch {
		case c.verb == "GET":
			for _, p := range hostileQueries(path) {
				h.hostileCall(t, c.method, c.verb, p, "")
			}
		case strings.HasPrefix(strings.TrimSpace(body), "{"):
			for _, v := range hostileBodies(body) {
				h.hostileCall(t, c.method, c.verb, path, v)
			}
		}
		status, _, b := h.sdkDo(c.verb, path, body)
		if status >= 500 && status != 501 {
			t.Errorf("%s: %s %s answered %d: %s", c.method, c.verb, path, status, b)
		}
		var a any
		if json.Unmarshal(b, &a) != nil {
			continue
		}
		for name, p := range c.save {
			if v, ok := at(a, p); ok && v != nil {
				vals[name] = fmt.Sprint(v)
			}
		}
	}
}

// hostileCall sends one hostile body as the SDK would and checks the answer.
func (h *harness) hostileCall(t *testing.T, method, verb, path, body string) {
	t.Helper()
	before := h.head()
	id := uuid.NewString()
	status, _, b := h.sdkDoAs(verb, path, body, id)
	if status >= 500 && status != 501 {
		t.Errorf("%s: %s %s %s answered %d: %s", method, verb, path, body, status, b)
		return
	}
	if status < 400 {
		return
	}
	var e struct {
		Detail string `json:"detail"`
		Error  struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.Detail == "" || e.Error.Code == "" {
		t.Errorf("%s: %s %s %s: %d not in the error format with a detail: %s", method, verb, path, body, status, b)
	}
	for m, err := range h.store.Load(context.Background(), h.store.AllSubjects(), before) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Get(eventstore.HeaderCorrelationID) == id {
			t.Errorf("%s: %s %s %s was refused with %d but appended %s: %s", method, verb, path, body, status, m.Subject, b)
		}
	}
}

// hostileBodies are the variants of a JSON object body: not an object at all, and each
// field (and each field of a field's object, or of an array's first object) replaced
// by values of other JSON types.
func hostileBodies(body string) []string {
	var m map[string]any
	if json.Unmarshal([]byte(body), &m) != nil {
		return nil
	}
	out := []string{`null`, `[]`, `"x"`, `{`, `{"a":1} {"b":2}`}
	for _, k := range sortedKeys(m) {
		for _, v := range otherTypes(m[k]) {
			out = append(out, with(m, k, v))
		}
		switch inner := m[k].(type) {
		case map[string]any:
			for _, ik := range sortedKeys(inner) {
				out = append(out, with(m, k, withValue(inner, ik, otherTypes(inner[ik])[0])))
			}
		case []any:
			if len(inner) > 0 {
				if first, ok := inner[0].(map[string]any); ok {
					for _, ik := range sortedKeys(first) {
						arr := slices.Clone(inner)
						arr[0] = withValue(first, ik, otherTypes(first[ik])[0])
						out = append(out, with(m, k, arr))
					}
				}
			}
		}
	}
	return out
}

// hostileIDs are ids no resource has, in the shapes an id is parsed in (a line's is
// <parent>~<line>).
var hostileIDs = []string{"nope", "a~", "~", "~1", "a~b~c", strings.Repeat("x", 300), "%00", " ", "..."}

// hostilePaths are the variants of a row's path template: each saved value in it replaced
// by each of hostileIDs, and, for a line's <parent>~<line>, each half.
func hostilePaths(template string, vals map[string]string) []string {
	var out []string
	for _, m := range saved.FindAllStringIndex(template, -1) {
		for _, id := range hostileIDs {
			p, ok := fillSaved(template[:m[0]]+url.PathEscape(id)+template[m[1]:], vals)
			if ok {
				out = append(out, p)
			}
		}
		if rest := template[m[1]:]; strings.HasPrefix(rest, "~") {
			p, ok := fillSaved(template[:m[1]]+"~nope"+rest[strings.IndexAny(rest+"/", "/?"):], vals)
			if ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// hostileQueries are the variants of a GET's path: each query parameter, and the paging
// ones, given values no parameter takes.
func hostileQueries(path string) []string {
	base, query, _ := strings.Cut(path, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil
	}
	for _, k := range []string{"limit", "offset", "page"} {
		if !q.Has(k) {
			q.Set(k, "1")
		}
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range []string{"x", "-1", "99999999999999999999", "", "%00"} {
			bad := maps.Clone(q)
			bad[k] = []string{v}
			out = append(out, base+"?"+bad.Encode())
		}
	}
	return out
}

// otherTypes are values of JSON types other than v's, the likeliest to confuse first.
func otherTypes(v any) []any {
	switch v.(type) {
	case string:
		return []any{42, map[string]any{"a": 1}}
	case float64:
		return []any{"12", -1e300}
	case bool:
		return []any{"true"}
	case map[string]any:
		return []any{"x", []any{1}}
	case []any:
		return []any{"x", []any{nil}}
	default: // null
		return []any{map[string]any{}}
	}
}

func withValue(m map[string]any, k string, v any) map[string]any {
	out := maps.Clone(m)
	out[k] = v
	return out
}

func with(m map[string]any, k string, v any) string {
	b, _ := json.Marshal(withValue(m, k, v))
	return string(b)
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
