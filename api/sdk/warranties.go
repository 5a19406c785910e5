package sdk

import (
	"net/http"
	"net/url"
	"strconv"

	"stateset/domain"
)

// Warranties and returns.

func warranties() *resource {
	r := &resource{
		path: "warranties", native: "/v1/warranties", single: "warranty", list: "warranties",
		m: mapping{
			fields: []string{"id", "customer_id", "order_id", "sku", "serial_number", "type", "duration_months", "terms", "starts_at", "metadata"},
			in: func(m map[string]any) {
				// StateSet One's warranty covers one item: the SDK's first
				if items, ok := m["items"].([]any); ok && len(items) > 0 {
					if it, ok := items[0].(map[string]any); ok {
						m["sku"] = first(it["sku"], it["item_id"])
						m["serial_number"] = it["serial_number"]
						m["starts_at"] = it["warranty_start"]
					}
				}
				if c, ok := m["coverage"].(map[string]any); ok {
					m["duration_months"], m["terms"] = c["duration_months"], c["terms"]
				}
				if s, ok := m["starts_at"].(string); ok && len(s) == 10 {
					m["starts_at"] = s + "T00:00:00Z" // a date is its first instant
				}
				delete(m, "items")
				delete(m, "coverage")
			},
			out: func(m map[string]any) {
				m["items"] = []any{map[string]any{"item_id": m["sku"], "sku": m["sku"], "serial_number": m["serial_number"],
					"warranty_start": m["starts_at"], "warranty_end": m["expires_at"]}}
				m["coverage"] = map[string]any{"duration_months": m["duration_months"], "terms": m["terms"]}
			},
		},
		query: map[string]string{"status": "status", "customer_id": "customer_id", "order_id": "order_id", "from": "created_after", "to": "created_before"},
		del:   "cancel",
	}
	// the SDK puts the verb before the id: POST warranties/approve/{id}
	for _, verb := range []string{"approve", "reject", "cancel", "close", "reopen"} {
		r.ops = append(r.ops, op{method: http.MethodPost, path: verb + "/{id}", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/"+verb, nil, x.nativeBody(&actionBody, in)))
		}})
	}
	claim := &mapping{fields: []string{"issue_description", "photos"}}
	claim.init()
	// an update edits what the warranty says of its unit and terms: the SDK's first item's
	// serial number, the coverage's terms, the metadata
	edit := &mapping{fields: []string{"serial_number", "terms", "metadata"}, in: func(m map[string]any) {
		if items, ok := m["items"].([]any); ok && len(items) > 0 {
			if it, ok := items[0].(map[string]any); ok && it["serial_number"] != nil {
				m["serial_number"] = it["serial_number"]
			}
		}
		if c, ok := m["coverage"].(map[string]any); ok && c["terms"] != nil {
			m["terms"] = c["terms"]
		}
		delete(m, "items")
		delete(m, "coverage")
	}}
	edit.init()
	r.ops = append(r.ops, op{method: http.MethodPut, path: "{id}", do: func(x *exchange, v []string) {
		if in, ok := x.body(); ok {
			r.one(x, x.call(http.MethodPut, r.native+"/"+url.PathEscape(v[0]), nil, x.nativeBody(edit, in)))
		}
	}})
	r.ops = append(r.ops, op{method: http.MethodPost, path: "{id}/claims", do: func(x *exchange, v []string) {
		in, ok := x.body()
		if !ok {
			return
		}
		r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/claims", nil, x.nativeBody(claim, in)))
	}})
	return r
}

// first is the first of vs that is a non-empty string.
func first(vs ...any) any {
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return nil
}

// returnItem is the SDK's return line: its order line and product, why and in what state.
var returnItem = &mapping{
	fields: []string{"line_id", "sku", "quantity", "reason", "condition"},
	rename: map[string]string{"order_item_id": "line_id", "product_id": "sku"},
	values: map[string][]string{
		"reason": {"defective=DEFECTIVE", "wrong_item=WRONG_ITEM", "not_as_described=NOT_AS_DESCRIBED",
			"changed_mind=NO_LONGER_NEEDED", "damaged_in_shipping=DAMAGED_IN_TRANSIT", "other=OTHER",
			"quality_issue=DEFECTIVE", "size_fit_issue=OTHER", "arrived_late=OTHER"},
		"condition": {"new=NEW", "like_new=OPENED", "used=USED", "damaged=DAMAGED", "unsalvageable=DAMAGED"},
	},
	money: []string{"unit_price"},
}

func returns() *resource {
	r := &resource{
		path: "returns", native: "/v1/returns", single: "return", list: "returns",
		m: mapping{
			fields: []string{"id", "order_id", "notes", "items"},
			values: map[string][]string{"status": {"INSPECTING=INSPECTED", "COMPLETED=REFUNDED"}},
			money:  []string{"refund_amount", "total_value"},
			nested: map[string]*mapping{"items": returnItem},
			in: func(m map[string]any) {
				if n, ok := m["notes"].([]any); ok {
					m["notes"] = joined(n)
				}
			},
		},
		query:  map[string]string{"status": "status", "customer_id": "customer_id", "order_id": "order_id", "date_from": "created_after", "date_to": "created_before"},
		verbs:  map[string]string{"receive": "receive", "approve": "approve"},
		update: true,
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/inspect", do: func(x *exchange, v []string) { inspectReturn(x, r, v[0]) }},
		{method: http.MethodPost, path: "{id}/refund", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			body := map[string]any{"amount": toMinor(in["amount"])}
			if n, ok := in["notes"].(string); ok {
				body["reason"] = n
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/refund", nil, body))
		}},
		{method: http.MethodGet, path: "{id}/history", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/history")
			if !ok {
				return
			}
			x.reply(a, map[string]any{"history": a.object()["data"]})
		}},
		{method: http.MethodPost, path: "{id}/notes", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, appendNote(x, r.native+"/"+url.PathEscape(v[0]), str(in["note"])))
			}
		}},
		{method: http.MethodPost, path: "{id}/generate-label", why: "StateSet One buys no carrier labels"},
		{method: http.MethodGet, path: "export", do: func(x *exchange, v []string) {
			all, capped, b := r.scan(x, r.nativeQuery(x.r.URL.Query()))
			if b != nil {
				x.relay(*b)
				return
			}
			if capped {
				x.w.Header().Set("Stateset-Scan-Capped", strconv.Itoa(scanCap))
			}
			export(x, "returns", all)
		}},
		{method: http.MethodGet, path: "{id}/can-transition", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]))
			if !ok {
				return
			}
			target := x.r.URL.Query().Get("target")
			from, to := str(a.object()["status"]), lookup(r.m.values["status"], target, false)
			x.reply(a, map[string]any{"can_transition": domain.ReturnCanMove(domain.ReturnStatus(from), domain.ReturnStatus(to)),
				"from": lookup(r.m.values["status"], from, true), "to": target})
		}},
	}
	return r
}

// dispositions maps the SDK inspection's recommended action onto what happens to the goods.
var dispositions = map[string]string{"restock": "RESTOCK", "refurbish": "DAMAGED", "liquidate": "DAMAGED", "dispose": "DISPOSE"}

// inspectReturn records the SDK's one inspection for every line of the return: restocked
// goods go back to the order's location.
func inspectReturn(x *exchange, r *resource, id string) {
	in, ok := x.body()
	if !ok {
		return
	}
	a, ok := x.read(r.native + "/" + url.PathEscape(id))
	if !ok {
		return
	}
	ret := a.object()
	disposition := "DAMAGED"
	if d, ok := dispositions[str(in["recommended_action"])]; ok {
		disposition = d
	} else if b, ok := in["resellable"].(bool); ok && b {
		disposition = "RESTOCK"
	}
	location := ""
	if disposition == "RESTOCK" {
		o, ok := x.read("/v1/orders/" + url.PathEscape(str(ret["order_id"])))
		if !ok {
			return
		}
		location = str(o.object()["location_id"])
	}
	var items []any
	lines, _ := ret["items"].([]any)
	for _, l := range lines {
		line, _ := l.(map[string]any)
		it := map[string]any{"line_id": line["line_id"], "disposition": disposition}
		if location != "" {
			it["location_id"] = location
		}
		items = append(items, it)
	}
	r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/inspect", nil, map[string]any{"items": items}))
}
