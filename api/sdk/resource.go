package sdk

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"stateset/domain"
)

// resource is one SDK resource, declared as data: where it lives natively, how its
// bodies and answers are spelled, and the methods that are not plain CRUD.
type resource struct {
	path     string // the SDK's path segment: "customers", "cycle-counts"
	native   string // the native collection: "/v1/customers"
	single   string // the key an SDK single answer sits under; "" answers it bare
	list     string // the key of an SDK list; "" answers a bare array
	m        mapping
	query    map[string]string // SDK list parameter → native ("" is not forwarded); limit, offset, cursor always are
	verbs    map[string]string // SDK action verb → native action ("" answers 501)
	update   bool              // the native resource takes PUT <native>/{id}
	del      string            // DELETE <p>/{id}: "DELETE" natively, a native action's verb, or "" (501)
	delFirst string            // the action taken first when del's is refused (409)
	ops      []op              // methods with their own mapping, matched before the generic ones

	onCreate func(m map[string]any) // the SDK body of a create, before it is mapped
	// reach is how a status the SDK creates or updates with is reached (the native create
	// starts every resource in its first status, and an update changes details, not status)
	reach   *reaching
	opsOnly bool // only ops are served; any other request is the native API's
	locate  bool // a create naming no location_id is placed where its items are stocked
	// hidden lists native statuses the SDK throws on: lists and searches leave them out
	hidden []string
}

// reaching reaches a status by the native actions verbs of aggregate type agg's flow, the
// shortest way (domain.ReachStatus): a status they cannot reach is refused before anything
// is written.
type reaching struct {
	agg   string
	verbs []string
}

// statusPath is the actions from native status from ("" a create's first) to the SDK's status in
// body in, if it names one; a refusal is answered in err.
func (r *resource) statusPath(x *exchange, from string, in map[string]any) (verbs []string, err *answer) {
	sdk := strings.ToUpper(str(in["status"]))
	if r.reach == nil || sdk == "" {
		return nil, nil
	}
	verbs, e := domain.ReachStatus(r.reach.agg, "status", from, lookup(r.m.values["status"], sdk, false), r.reach.verbs)
	var ve *domain.ValidationError
	var te *domain.TransitionError
	switch {
	case errors.As(e, &ve):
		a := errAnswer(x, http.StatusBadRequest, "VALIDATION_ERROR", "the request is invalid", ve.Fields[0].Field, ve.Fields[0].Issue)
		return nil, &a
	case errors.As(e, &te):
		a := errAnswer(x, http.StatusConflict, "INVALID_TRANSITION", te.Error(), "status", "current status "+te.From+" does not allow "+te.Action)
		return nil, &a
	}
	return verbs, nil
}

// walk takes the actions of path on resource id after the write a made, answering the
// last with a's status (and Location); a refused action is answered as it is.
func (r *resource) walk(x *exchange, id string, a answer, path []string) answer {
	if !a.ok() || len(path) == 0 {
		return a
	}
	acted := a
	for _, verb := range path {
		if acted = x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/"+verb, nil, map[string]any{}); !acted.ok() {
			return acted
		}
	}
	acted.status = a.status
	if loc := a.header.Get("Location"); loc != "" {
		acted.header.Set("Location", loc)
	}
	return acted
}

// op is an SDK method the generic routes do not serve.
type op struct {
	method string
	path   string // segments after the resource's, "{id}" and "{x}" matching any one
	why    string // set: the method is not offered (501), and why
	do     func(x *exchange, vars []string)
}

// mapping translates bodies (SDK → native) and answers (native → SDK).
type mapping struct {
	fields  []string            // the native body fields; an SDK field neither these nor mapped is dropped
	rename  map[string]string   // SDK name → native name
	values  map[string][]string // native field → pairs "SDK=NATIVE" (SDK side compared case-insensitively)
	money   []string            // native fields in minor units that the SDK gives in major units
	dates   []string            // native date-only fields the SDK sends as ISO date-times (cut to the day)
	nested  map[string]*mapping // native field → the mapping of its object(s)
	in, out func(m map[string]any)

	back map[string]string // native → SDK, built by init
}

func (r *resource) init() {
	r.m.init()
	if r.query == nil {
		r.query = map[string]string{}
	}
}

func (m *mapping) init() {
	m.back = map[string]string{}
	names := make([]string, 0, len(m.rename))
	for s := range m.rename {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names { // of two SDK spellings, the first in order is answered
		if _, taken := m.back[m.rename[s]]; !taken {
			m.back[m.rename[s]] = s
		}
	}
	for _, sub := range m.nested {
		sub.init()
	}
}

// toNative maps an SDK body onto the native one, returning the SDK fields it dropped.
func (m *mapping) toNative(in map[string]any) (map[string]any, []string) {
	out := map[string]any{}
	var dropped []string
	if m.in != nil {
		in = clone(in)
		m.in(in)
	}
	for k, v := range in {
		name := k
		if n, ok := m.rename[k]; ok {
			name = n
		}
		if name == "" || !slices.Contains(m.fields, name) || v == nil {
			if name != "" && v != nil {
				dropped = append(dropped, k)
			}
			continue
		}
		if pairs, ok := m.values[name]; ok {
			if s, isStr := v.(string); isStr {
				v = lookup(pairs, s, false)
			}
		}
		if slices.Contains(m.money, name) {
			v = toMinor(v)
		}
		if s, isStr := v.(string); isStr && slices.Contains(m.dates, name) && len(s) > 10 && s[10] == 'T' {
			v = s[:10]
		}
		if sub := m.nested[name]; sub != nil {
			v = sub.each(v, func(o map[string]any) map[string]any {
				n, d := sub.toNative(o)
				for _, f := range d {
					dropped = append(dropped, k+"."+f)
				}
				return n
			})
		}
		out[name] = v
	}
	sort.Strings(dropped)
	return out, slices.Compact(dropped)
}

// toSDK maps a native object onto the SDK's spelling. A status (or other value) that
// the SDK spells otherwise keeps its native spelling under native_<field>.
func (m *mapping) toSDK(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		name := k
		if s, ok := m.back[k]; ok {
			name = s
		}
		if pairs, ok := m.values[k]; ok {
			if s, isStr := v.(string); isStr {
				if sdk := lookup(pairs, s, true); sdk != s {
					out["native_"+name] = s
					v = sdk
				}
			}
		}
		if slices.Contains(m.money, k) {
			v = toMajor(v)
		}
		if sub := m.nested[k]; sub != nil {
			v = sub.each(v, sub.toSDK)
		}
		out[name] = v
	}
	if m.out != nil {
		m.out(out)
	}
	return out
}

// each applies f to an object or to every object of an array.
func (m *mapping) each(v any, f func(map[string]any) map[string]any) any {
	switch t := v.(type) {
	case map[string]any:
		return f(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			if o, ok := e.(map[string]any); ok {
				out[i] = f(o)
			} else {
				out[i] = e
			}
		}
		return out
	}
	return v
}

// lookup maps a value through "SDK=NATIVE" pairs: SDK → native (case-insensitively, an
// unlisted value upper-cased, since native enums are upper case), or native → SDK.
func lookup(pairs []string, v string, toSDK bool) string {
	for _, p := range pairs {
		sdk, native, _ := strings.Cut(p, "=")
		if toSDK && native == v {
			return sdk
		}
		if !toSDK && strings.EqualFold(sdk, v) {
			return native
		}
	}
	if toSDK {
		return v
	}
	return strings.ToUpper(v)
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// serve routes an SDK request on this resource: declared ops first, then search, count,
// bulk and metrics, then CRUD and the generic action POST <p>/{id}/{verb}.
func (r *resource) serve(x *exchange, segs []string) {
	if len(segs) == 1 && segs[0] == "" {
		segs = nil
	}
	for _, o := range r.ops {
		if vars, ok := o.match(x.r.Method, segs); ok {
			if o.why != "" {
				notImplemented(x.w, x.r, o.why)
				return
			}
			o.do(x, vars)
			return
		}
	}
	if r.opsOnly {
		x.h.pass(x.w, x.r)
		return
	}
	method := x.r.Method
	switch {
	case len(segs) == 0 && method == http.MethodGet:
		r.listMethod(x)
	case len(segs) == 0 && method == http.MethodPost:
		r.create(x)
	case len(segs) == 1 && segs[0] == "search" && method == http.MethodGet:
		r.search(x)
	case len(segs) == 1 && segs[0] == "count" && method == http.MethodGet:
		r.count(x)
	case len(segs) == 1 && segs[0] == "metrics" && method == http.MethodGet:
		r.metrics(x)
	case len(segs) == 1 && segs[0] == "bulk":
		r.bulk(x)
	case len(segs) == 1 && method == http.MethodGet:
		r.get(x, segs[0])
	case len(segs) == 1 && method == http.MethodPut:
		r.put(x, segs[0])
	case len(segs) == 1 && method == http.MethodDelete:
		r.delete(x, segs[0])
	case len(segs) == 2 && method == http.MethodPost:
		r.action(x, segs[0], segs[1])
	default:
		x.h.pass(x.w, x.r)
	}
}

func (o op) match(method string, segs []string) ([]string, bool) {
	if o.method != method {
		return nil, false
	}
	want := strings.Split(o.path, "/")
	if o.path == "" {
		want = nil
	}
	if len(want) != len(segs) {
		return nil, false
	}
	var vars []string
	for i, w := range want {
		switch {
		case strings.HasPrefix(w, "{"):
			vars = append(vars, segs[i])
		case w != segs[i]:
			return nil, false
		}
	}
	return vars, true
}

// body reads the SDK request's JSON object (an absent body is {}).
func (x *exchange) body() (map[string]any, bool) {
	m := map[string]any{}
	dec := json.NewDecoder(http.MaxBytesReader(x.w, x.r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil && err.Error() != "EOF" {
		fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_ERROR", "the request is invalid", "body", "must be one JSON object")
		return nil, false
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, true
}

// nativeBody maps the SDK body for a native write, saying in Stateset-Dropped-Fields
// which SDK fields StateSet One does not keep.
func (x *exchange) nativeBody(m *mapping, in map[string]any) map[string]any {
	out, dropped := m.toNative(in)
	if len(dropped) > 0 {
		x.w.Header().Set("Stateset-Dropped-Fields", strings.Join(dropped, ","))
	}
	return out
}

// one answers a native single answer in the SDK's shape.
func (r *resource) one(x *exchange, a answer) {
	if !a.ok() {
		x.relay(a)
		return
	}
	if loc := a.header.Get("Location"); loc != "" {
		x.w.Header().Set("Location", strings.Replace(loc, r.native, "/v1/"+r.path, 1))
	}
	x.reply(a, r.wrap(r.m.toSDK(a.object())))
}

func (r *resource) wrap(obj map[string]any) any {
	if r.single == "" {
		return obj
	}
	return map[string]any{r.single: obj}
}

func (r *resource) create(x *exchange) {
	in, ok := x.body()
	if !ok {
		return
	}
	r.one(x, r.createNative(x, in))
}

func (r *resource) createNative(x *exchange, in map[string]any) answer {
	if r.onCreate != nil || r.locate {
		in = clone(in)
	}
	if r.onCreate != nil {
		r.onCreate(in)
	}
	if r.locate && in["location_id"] == nil {
		if loc := allocate(x, in["items"]); loc != "" {
			in["location_id"] = loc
		}
	}
	path, refused := r.statusPath(x, "", in)
	if refused != nil {
		return *refused
	}
	a := x.call(http.MethodPost, r.native, nil, x.nativeBody(&r.m, in))
	return r.walk(x, str(a.object()["id"]), a, path)
}

func (r *resource) get(x *exchange, id string) {
	r.one(x, x.call(http.MethodGet, r.native+"/"+url.PathEscape(id), nil, nil))
}

func (r *resource) put(x *exchange, id string) {
	if !r.update {
		notImplemented(x.w, x.r, "the resource is changed through its actions, not replaced")
		return
	}
	in, ok := x.body()
	if !ok {
		return
	}
	r.one(x, r.putNative(x, id, in))
}

// putNative replaces the resource's details, then walks to the status the SDK names; a
// status it cannot reach from where the resource is refuses the whole update first.
func (r *resource) putNative(x *exchange, id string, in map[string]any) answer {
	var path []string
	if r.reach != nil && str(in["status"]) != "" {
		cur := x.call(http.MethodGet, r.native+"/"+url.PathEscape(id), nil, nil)
		if !cur.ok() {
			return cur
		}
		var refused *answer
		if path, refused = r.statusPath(x, str(cur.object()["status"]), in); refused != nil {
			return *refused
		}
	}
	return r.walk(x, id, x.call(http.MethodPut, r.native+"/"+url.PathEscape(id), nil, x.nativeBody(&r.m, in)), path)
}

func (r *resource) delete(x *exchange, id string) {
	if r.del == "" {
		notImplemented(x.w, x.r, "events are never deleted; end the resource through its actions")
		return
	}
	r.one(x, r.deleteAnswer(x, id))
}

// deleteAnswer ends resource id as a DELETE does, for one delete or one element of a bulk
// delete: the delete's action, the action it needs first when refused, and a resource
// already ended answered as it is.
func (r *resource) deleteAnswer(x *exchange, id string) answer {
	a := r.deleteNative(x, id)
	if a.status == http.StatusConflict && r.delFirst != "" {
		// the delete's action needs another first (a case is resolved, then closed)
		if pre := x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/"+r.delFirst, nil, map[string]any{}); pre.ok() {
			a = r.deleteNative(x, id)
		}
	}
	if a.status == http.StatusConflict && ended[r.del] != "" {
		// DELETE is idempotent: a resource already where the delete takes it is answered
		if cur := x.call(http.MethodGet, r.native+"/"+url.PathEscape(id), nil, nil); cur.ok() && cur.object()["status"] == ended[r.del] {
			a = cur
		}
	}
	return a
}

// ended is the status each native action a DELETE maps to leaves a resource in.
var ended = map[string]string{"cancel": "CANCELLED", "obsolete": "OBSOLETE", "archive": "ARCHIVED", "deactivate": "INACTIVE",
	"disqualify": "DISQUALIFIED", "lose": "LOST", "close": "CLOSED"}

func (r *resource) deleteNative(x *exchange, id string) answer {
	if r.del == http.MethodDelete {
		return x.call(http.MethodDelete, r.native+"/"+url.PathEscape(id), nil, nil)
	}
	return x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/"+r.del, nil, map[string]any{})
}

// action serves POST <p>/{id}/{verb} as the native action the verb maps to, with the
// action's reason and notes.
func (r *resource) action(x *exchange, id, verb string) {
	native, known := r.verbs[verb]
	if !known {
		native = verb
	}
	if native == "" {
		notImplemented(x.w, x.r, "")
		return
	}
	in, ok := x.body()
	if !ok {
		return
	}
	r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/"+native, nil, x.nativeBody(&actionBody, in)))
}

// actionBody is what a native action reads: why, and notes (the SDK's array of notes
// is joined).
var actionBody = mapping{fields: []string{"reason", "notes"}, in: func(m map[string]any) {
	if n, ok := m["notes"].([]any); ok {
		parts := make([]string, 0, len(n))
		for _, e := range n {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		m["notes"] = strings.Join(parts, "\n")
	}
	if n, ok := m["note"].(string); ok && m["notes"] == nil {
		m["notes"] = n
	}
}}

func init() { actionBody.init() }
