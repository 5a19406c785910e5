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

func (e itemsEdit) put(x *exchange, id string, lines []map[string]any) answer {
	items := make([]any, len(lines))
	for i, l := range lines {
		items[i] = l
	}
	return x.call(http.MethodPut, e.native+"/"+url.PathEscape(id), nil, map[string]any{"items": items})
}

// add adds the SDK's lines to the parent.
func (e itemsEdit) add(x *exchange, id string, ins ...map[string]any) answer {
	p, b := e.get(x, id)
	if b != nil {
		return *b
	}
	lines := e.lines(p)
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
	return e.put(x, id, lines)
}

// change rewrites the parent's lines whose field key is val with the SDK's line.
func (e itemsEdit) change(x *exchange, id, key string, val any, in map[string]any) answer {
	p, b := e.get(x, id)
	if b != nil {
		return *b
	}
	lines, natives := e.lines(p), e.natives(p)
	for i := range lines {
		if natives[i][key] == val {
			lines[i] = e.in(in, lines[i])
		}
	}
	return e.put(x, id, lines)
}

// remove drops the parent's lines whose field key is val.
func (e itemsEdit) remove(x *exchange, id, key string, val any) answer {
	p, b := e.get(x, id)
	if b != nil {
		return *b
	}
	var kept []map[string]any
	lines, natives := e.lines(p), e.natives(p)
	for i := range lines {
		if natives[i][key] != val {
			kept = append(kept, lines[i])
		}
	}
	return e.put(x, id, kept)
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
