package sdk

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// The SDK's line-item resources (order_line_items and its siblings) are the lines of
// one native parent: an order's items, a return's items, a warranty's claims, a work
// order's components, a shipment's lines, a purchase order's or an ASN's items. A line's
// id is "<parent id>~<line id>", so that a line alone finds its parent.

// lines declares one line-item resource.
type lines struct {
	path, single, list string
	parentKey          string // the SDK's field naming the parent: order_id
	native             string // the parent's native collection: /v1/orders
	field              string // the parent's array of lines: items
	key                string // a line's id within the parent: id, line_id, sku
	view               func(parent, line map[string]any) map[string]any
	bare               bool // answers unwrapped (the PO and ASN lines, read raw)
	// create, update and remove change the parent's lines; nil answers 501 with why
	create, update func(x *exchange, l *lines, parentID string, line map[string]any, in map[string]any) answer
	remove         func(x *exchange, l *lines, parentID string, line map[string]any) answer
	why            string // why lines are not edited here
	// status serves the SDK's updateStatus of line id; nil answers 501 (a line follows its parent)
	status func(x *exchange, l *lines, id string)
	extra  []op // further methods (each 501 unless it has do)
	// created finds, after a create, the line it made or added to (default: the last)
	created func(in, line map[string]any) bool
}

const lineSep = "~"

func (l *lines) resource() *resource {
	r := &resource{path: l.path, native: l.native, opsOnly: true}
	r.ops = []op{
		{method: http.MethodGet, path: "", do: func(x *exchange, _ []string) { l.listLines(x, x.r.URL.Query().Get(l.parentKey)) }},
		{method: http.MethodGet, path: "metrics", do: func(x *exchange, _ []string) { l.metrics(x) }},
		{method: http.MethodGet, path: "{id}", do: func(x *exchange, v []string) {
			if parent, line, ok := l.find(x, v[0]); ok {
				l.answer(x, http.StatusOK, l.object(parent, line))
			}
		}},
		{method: http.MethodPost, path: "", do: func(x *exchange, _ []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			if l.create == nil {
				notImplemented(x.w, x.r, l.why)
				return
			}
			l.edited(x, in, l.create(x, l, str(in[l.parentKey]), nil, in), http.StatusCreated)
		}},
		{method: http.MethodPut, path: "{id}", do: func(x *exchange, v []string) {
			if l.update == nil {
				notImplemented(x.w, x.r, l.why)
				return
			}
			in, ok := x.body()
			if !ok {
				return
			}
			if parent, line, ok := l.find(x, v[0]); ok {
				l.editedLine(x, v[0], l.update(x, l, str(parent["id"]), line, in))
			}
		}},
		{method: http.MethodDelete, path: "{id}", do: func(x *exchange, v []string) {
			if l.remove == nil {
				notImplemented(x.w, x.r, l.why)
				return
			}
			if parent, line, ok := l.find(x, v[0]); ok {
				a := l.remove(x, l, str(parent["id"]), line)
				if !a.ok() {
					x.relay(a)
					return
				}
				l.answer(x, http.StatusOK, l.object(parent, line))
			}
		}},
	}
	for _, method := range []string{http.MethodPost, http.MethodPut} {
		if l.status == nil {
			r.ops = append(r.ops, op{method: method, path: "{id}/status", why: "a line's status follows its parent's actions"})
		} else {
			r.ops = append(r.ops, op{method: method, path: "{id}/status", do: func(x *exchange, v []string) { l.status(x, l, v[0]) }})
		}
	}
	r.ops = append(r.ops, l.extra...)
	return r
}

// object is a line in the SDK's shape: its id, its parent's, and the view.
func (l *lines) object(parent, line map[string]any) map[string]any {
	o := l.view(parent, line)
	o["id"] = str(parent["id"]) + lineSep + str(line[l.key])
	o[l.parentKey] = parent["id"]
	o["created_at"], o["updated_at"] = parent["created_at"], parent["updated_at"]
	if _, ok := o["status_history"]; !ok {
		o["status_history"] = []any{}
	}
	return o
}

func (l *lines) answer(x *exchange, status int, v any) {
	if !l.bare {
		v = map[string]any{l.single: v}
	}
	writeJSON(x.w, status, v)
}

// parent reads the native parent of the lines.
func (l *lines) parent(x *exchange, id string) (map[string]any, bool) {
	a := x.call(http.MethodGet, l.native+"/"+url.PathEscape(id), nil, nil)
	if !a.ok() {
		x.relay(a)
		return nil, false
	}
	return a.object(), true
}

func (l *lines) of(parent map[string]any) []map[string]any {
	var out []map[string]any
	arr, _ := parent[l.field].([]any)
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// find reads the line an id names (404 in the contract's format when there is none).
func (l *lines) find(x *exchange, id string) (parent, line map[string]any, ok bool) {
	pid, lid, found := strings.Cut(id, lineSep)
	if !found {
		fail(x.w, x.r, http.StatusNotFound, "NOT_FOUND", "no such resource", "id", "a line id is <parent id>"+lineSep+"<line id>")
		return nil, nil, false
	}
	if parent, ok = l.parent(x, pid); !ok {
		return nil, nil, false
	}
	for _, ln := range l.of(parent) {
		if str(ln[l.key]) == lid {
			return parent, ln, true
		}
	}
	fail(x.w, x.r, http.StatusNotFound, "NOT_FOUND", "no such resource", "", "")
	return nil, nil, false
}

// listLines lists the lines of one parent, or of every parent (up to the scan cap).
func (l *lines) listLines(x *exchange, parentID string) {
	var parents []map[string]any
	if parentID != "" {
		p, ok := l.parent(x, parentID)
		if !ok {
			return
		}
		parents = append(parents, p)
	} else {
		all, _, b := (&resource{native: l.native}).scan(x, nil)
		if b != nil {
			x.relay(*b)
			return
		}
		parents = all
	}
	items := []any{}
	for _, p := range parents {
		for _, ln := range l.of(p) {
			items = append(items, l.object(p, ln))
		}
	}
	out := map[string]any{l.list: items, "total": len(items), "pagination": map[string]any{"total": len(items), "limit": len(items), "offset": 0}}
	writeJSON(x.w, http.StatusOK, out)
}

func (l *lines) metrics(x *exchange) {
	p, ok := l.parent(x, x.r.URL.Query().Get(l.parentKey))
	if !ok {
		return
	}
	qty := 0.0
	for _, ln := range l.of(p) {
		if q, ok := ln["quantity"].(float64); ok {
			qty += q
		}
	}
	writeJSON(x.w, http.StatusOK, map[string]any{"metrics": map[string]any{l.parentKey: p["id"], "lines": len(l.of(p)), "quantity": qty}})
}

// edited answers the line a create added: the parent's last line.
func (l *lines) edited(x *exchange, in map[string]any, a answer, status int) {
	if !a.ok() {
		x.relay(a)
		return
	}
	parent := a.object()
	ls := l.of(parent)
	if len(ls) == 0 {
		x.relay(a)
		return
	}
	line := ls[len(ls)-1]
	for _, ln := range ls {
		if l.created != nil && l.created(in, ln) {
			line = ln
		}
	}
	l.answer(x, status, l.object(parent, line))
}

// editedLine answers the line id after an update.
func (l *lines) editedLine(x *exchange, id string, a answer) {
	if !a.ok() {
		x.relay(a)
		return
	}
	parent := a.object()
	_, lid, _ := strings.Cut(id, lineSep)
	for _, ln := range l.of(parent) {
		if str(ln[l.key]) == lid {
			l.answer(x, http.StatusOK, l.object(parent, ln))
			return
		}
	}
	x.relay(a)
}

// num is a JSON number, from a native answer (float64) or an SDK body (json.Number).
func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case json.Number:
		f, _ := n.Float64()
		return f
	}
	return 0
}
