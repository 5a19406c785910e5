package sdk

import (
	"net/http"
	"net/url"
)

// itemsEdit changes a native parent's lines the one way StateSet One offers: PUT-ing the
// parent with its items replaced whole (an order before it ships, a draft purchase order or
// ASN, a requested return). One SKU is one line, so a line added of a SKU the parent has
// adds to that line, as a cart does.
type itemsEdit struct {
	native string   // the parent's collection: /v1/orders
	keep   []string // the fields of a native line its update is written with
	// in writes the SDK's line onto a native one (base: the line it changes, or empty)
	in func(in, base map[string]any) map[string]any
}

// lines is the parent's lines as its update writes them.
func (e itemsEdit) lines(parent map[string]any) []map[string]any {
	var out []map[string]any
	items, _ := parent["items"].([]any)
	for _, it := range items {
		ln, _ := it.(map[string]any)
		w := map[string]any{}
		for _, k := range e.keep {
			if v, ok := ln[k]; ok && v != nil {
				w[k] = v
			}
		}
		out = append(out, w)
	}
	return out
}

func (e itemsEdit) get(x *exchange, id string) (map[string]any, *answer) {
	a := x.call(http.MethodGet, e.native+"/"+url.PathEscape(id), nil, nil)
	if !a.ok() {
		return nil, &a
	}
	return a.object(), nil
}

// edit rewrites the parent's lines with change, at the version read (rewrite).
func (e itemsEdit) edit(x *exchange, id string, change func(p map[string]any, lines []map[string]any) []map[string]any) answer {
	return rewrite(x, e.native+"/"+url.PathEscape(id), func(p map[string]any) map[string]any {
		lines := change(p, e.lines(p))
		items := make([]any, len(lines))
		for i, l := range lines {
			items[i] = l
		}
		return map[string]any{"items": items}
	})
}

// add adds the SDK's lines to the parent.
func (e itemsEdit) add(x *exchange, id string, ins ...map[string]any) answer {
	return e.edit(x, id, func(_ map[string]any, lines []map[string]any) []map[string]any {
	next:
		for _, in := range ins {
			add := e.in(in, map[string]any{})
			for _, l := range lines {
				if l["sku"] == add["sku"] {
					l["quantity"] = num(l["quantity"]) + num(add["quantity"])
					continue next
				}
			}
			lines = append(lines, add)
		}
		return lines
	})
}

// change rewrites the parent's lines whose field key is val with the SDK's line.
func (e itemsEdit) change(x *exchange, id, key string, val any, in map[string]any) answer {
	return e.edit(x, id, func(p map[string]any, lines []map[string]any) []map[string]any {
		for i, n := range e.natives(p) {
			if n[key] == val {
				lines[i] = e.in(in, lines[i])
			}
		}
		return lines
	})
}

// remove drops the parent's lines whose field key is val.
func (e itemsEdit) remove(x *exchange, id, key string, val any) answer {
	return e.edit(x, id, func(p map[string]any, lines []map[string]any) []map[string]any {
		var kept []map[string]any
		for i, n := range e.natives(p) {
			if n[key] != val {
				kept = append(kept, lines[i])
			}
		}
		return kept
	})
}

// rewrite reads a native resource, makes the body of its PUT from what it read and writes
// it at the version read; when another write came between (412) it reads again, three
// times at most. An SDK method that edits part of a resource (a line, a note) loses no
// concurrent edit this way.
func rewrite(x *exchange, path string, change func(cur map[string]any) map[string]any) answer {
	var a answer
	for range 3 {
		cur := x.call(http.MethodGet, path, nil, nil)
		if !cur.ok() {
			return cur
		}
		a = x.callAt(http.MethodPut, path, cur.object()["version"], change(cur.object()))
		if a.status != http.StatusPreconditionFailed {
			return a
		}
	}
	return a
}

// appendNote adds a note to a resource that keeps one notes text: a line of its own.
func appendNote(x *exchange, path, note string) answer {
	return rewrite(x, path, func(cur map[string]any) map[string]any {
		notes := str(cur["notes"])
		if notes != "" {
			notes += "\n"
		}
		return map[string]any{"notes": notes + note}
	})
}

func (e itemsEdit) natives(parent map[string]any) []map[string]any {
	var out []map[string]any
	items, _ := parent["items"].([]any)
	for _, it := range items {
		ln, _ := it.(map[string]any)
		out = append(out, ln)
	}
	return out
}
