package sdk

import (
	"net/http"
	"net/url"
)

// Suppliers, purchase orders and advance shipping notices.

func suppliers() *resource {
	r := &resource{
		path: "suppliers", native: "/v1/suppliers", single: "supplier", list: "suppliers",
		m: mapping{
			fields: []string{"id", "name", "supplier_code", "type", "email", "phone", "addresses", "payment_terms", "lead_time_days"},
			values: map[string][]string{"type": {"SERVICE_PROVIDER=SERVICE"}},
			nested: map[string]*mapping{"addresses": address},
			in: func(m map[string]any) {
				if t, ok := m["payment_terms"].(map[string]any); ok {
					m["payment_terms"] = t["terms"] // StateSet One keeps the terms, not the credit
				}
			},
			out: func(m map[string]any) {
				m["payment_terms"] = map[string]any{"terms": m["payment_terms"]}
			},
		},
		query:  map[string]string{"status": "status", "type": "type", "supplier_code": "supplier_code", "from": "created_after", "to": "created_before"},
		update: true,
		del:    "deactivate",
		reach:  &reaching{agg: "supplier", verbs: []string{"activate", "deactivate", "suspend"}},
	}
	r.ops = []op{
		{method: http.MethodGet, path: "{id}/performance", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]))
			if !ok {
				return
			}
			s := a.object()
			x.reply(a, map[string]any{"performance": map[string]any{"supplier_id": s["id"], "on_time_delivery": s["on_time_delivery"], "lead_time_days": s["lead_time_days"]}})
		}},
		{method: http.MethodPut, path: "{id}/payment-terms", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, r.putNative(x, v[0], map[string]any{"payment_terms": in}))
		}},
		{method: http.MethodGet, path: "{id}/products", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/products")
			if !ok {
				return
			}
			products, _ := a.object()["data"].([]any)
			x.reply(a, map[string]any{"products": products, "pagination": map[string]any{"total": len(products), "limit": 100, "offset": 0}})
		}},
		{method: http.MethodPost, path: "{id}/contacts", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			c := map[string]any{"supplier_id": v[0], "lastName": first(in["name"], in["value"])}
			if in["type"] == "EMAIL" {
				c["email"] = in["value"]
			} else {
				c["phone"] = in["value"]
			}
			if a := x.call(http.MethodPost, "/v1/contacts", nil, c); !a.ok() {
				x.relay(a)
				return
			}
			r.get(x, v[0])
		}},
	}
	return r
}

// poStatuses are the purchase order's statuses on the five the SDK accepts.
var poStatuses = []string{"APPROVED=PARTIALLY_RECEIVED", "RECEIVED=CLOSED", "CANCELLED=REJECTED"}

func purchaseOrders() *resource {
	r := &resource{
		path: "purchaseorders", native: "/v1/purchase_orders", single: "update_purchaseorders_by_pk",
		m: mapping{
			fields: []string{"id", "supplier_id", "location_id", "expected_delivery_date", "currency", "payment_terms", "notes", "items"},
			values: map[string][]string{"status": poStatuses},
			money:  []string{"total"},
			dates:  []string{"expected_delivery_date"},
			nested: map[string]*mapping{"items": {
				fields: []string{"sku", "quantity", "unit_cost"},
				rename: map[string]string{"item_id": "sku", "unit_price": "unit_cost"},
				money:  []string{"unit_cost", "total"},
			}},
			out: func(m map[string]any) { m["object"] = "purchaseorder" },
		},
		update: true,
		del:    "cancel",
		locate: true,
		// the SDK's purchase order names no currency: USD unless it does
		onCreate: func(m map[string]any) {
			if m["currency"] == nil {
				m["currency"] = "USD"
			}
		},
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/receive", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			var items []any
			got, _ := in["received_items"].([]any)
			for _, e := range got {
				it, _ := e.(map[string]any)
				items = append(items, map[string]any{"sku": it["item_id"], "quantity": it["quantity_received"]})
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/receive", nil, map[string]any{"items": items}))
		}},
		{method: http.MethodPost, path: "{id}/items", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, poItems.add(x, v[0], in))
			}
		}},
		{method: http.MethodDelete, path: "{id}/items/{item}", do: func(x *exchange, v []string) {
			// the SDK names the line by its item (SKU); its line id is taken too
			p, b := poItems.get(x, v[0])
			if b != nil {
				x.relay(*b)
				return
			}
			for _, ln := range poItems.natives(p) {
				for _, key := range []string{"sku", "line_id"} {
					if ln[key] == v[1] {
						r.one(x, poItems.remove(x, v[0], key, v[1]))
						return
					}
				}
			}
			fail(x.w, x.r, http.StatusNotFound, "NOT_FOUND", "no such resource", "item", "the purchase order has no line of "+v[1])
		}},
	}
	return r
}

func asns() *resource {
	r := &resource{
		path: "asns", native: "/v1/asns", list: "asns",
		m: mapping{
			fields: []string{"id", "purchase_order_id", "items", "carrier", "tracking_number", "expected_arrival"},
			rename: map[string]string{"expected_delivery_date": "expected_arrival"},
			nested: map[string]*mapping{"items": {
				fields: []string{"sku", "quantity"},
				rename: map[string]string{"purchase_order_item_id": "sku", "quantity_shipped": "quantity"},
			}},
		},
		query: map[string]string{"status": "status", "purchase_order_id": "purchase_order_id"},
		verbs: map[string]string{"in-transit": "ship"},
		del:   "cancel",
	}
	r.ops = []op{
		{method: http.MethodPost, path: "", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, r.createNative(x, poLineSKUs(x, in)))
		}},
		{method: http.MethodPut, path: "{id}", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			if items, ok := in["items"].([]any); ok {
				in = clone(in)
				in["items"] = anys(asnSKUs(x, v[0], objects(items)))
			}
			r.one(x, r.putNative(x, v[0], in))
		}},
		{method: http.MethodPut, path: "{id}/shipping-info", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, r.putNative(x, v[0], in))
			}
		}},
		{method: http.MethodGet, path: "{id}/tracking", do: func(x *exchange, v []string) { r.get(x, v[0]) }},
		{method: http.MethodGet, path: "{id}/line_items", do: func(x *exchange, v []string) { asnLines().listLines(x, v[0]) }},
		{method: http.MethodPost, path: "{id}/line_items/bulk", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			items, _ := in["line_items"].([]any)
			ins := asnSKUs(x, v[0], objects(items))
			a := asnItems.add(x, v[0], ins...)
			if !a.ok() {
				x.relay(a)
				return
			}
			l := asnLines()
			out := []any{}
			for _, ln := range l.of(a.object()) {
				for _, m := range ins {
					if ln["sku"] == m["sku"] {
						out = append(out, l.object(a.object(), ln))
					}
				}
			}
			writeJSON(x.w, http.StatusCreated, out)
		}},
		{method: http.MethodPost, path: "{id}/items", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, asnItems.add(x, v[0], asnSKUs(x, v[0], []map[string]any{in})...))
			}
		}},
		{method: http.MethodDelete, path: "{id}/items/{item}", do: func(x *exchange, v []string) {
			// the SDK names the item by its purchase order line
			sku := asnSKUs(x, v[0], []map[string]any{{"purchase_order_item_id": v[1]}})[0]["sku"]
			p, b := asnItems.get(x, v[0])
			if b != nil {
				x.relay(*b)
				return
			}
			for _, ln := range asnItems.natives(p) {
				if ln["sku"] == sku {
					r.one(x, asnItems.remove(x, v[0], "sku", sku))
					return
				}
			}
			fail(x.w, x.r, http.StatusNotFound, "NOT_FOUND", "no such resource", "item", "the ASN announces nothing of purchase order line "+v[1])
		}},
	}
	return r
}

// asnItems edits a draft ASN's items: the SDK's {sku (resolved by asnSKUs), quantity_shipped}.
var asnItems = itemsEdit{native: "/v1/asns", keep: []string{"sku", "quantity"},
	in: func(in, base map[string]any) map[string]any {
		out := clone(base)
		if s := first(in["sku"]); s != nil {
			out["sku"] = s
		}
		if q, ok := in["quantity_shipped"]; ok {
			out["quantity"] = q
		}
		return out
	}}

// asnSKUs gives each SDK ASN item the SKU of the purchase order line it names
// (purchase_order_item_id or purchase_order_line_item_id, a line id or a SKU).
func asnSKUs(x *exchange, asnID string, items []map[string]any) []map[string]any {
	skus := map[string]any{}
	if a := x.call(http.MethodGet, "/v1/asns/"+url.PathEscape(asnID), nil, nil); a.ok() {
		if po := x.call(http.MethodGet, "/v1/purchase_orders/"+url.PathEscape(str(a.object()["purchase_order_id"])), nil, nil); po.ok() {
			lines, _ := po.object()["items"].([]any)
			for _, l := range lines {
				line, _ := l.(map[string]any)
				skus[str(line["line_id"])] = line["sku"]
			}
		}
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		it = clone(it)
		line := str(first(it["purchase_order_item_id"], it["purchase_order_line_item_id"]))
		if sku, ok := skus[line]; ok {
			it["sku"] = sku
		} else if line != "" && it["sku"] == nil {
			it["sku"] = line
		}
		delete(it, "purchase_order_item_id") // one spelling of the SKU left for the mapping
		delete(it, "purchase_order_line_item_id")
		out[i] = it
	}
	return out
}

func objects(items []any) []map[string]any {
	var out []map[string]any
	for _, e := range items {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func anys(ms []map[string]any) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}

// poLineSKUs names each ASN item by its purchase order line's SKU: the SDK names the
// line (purchase_order_item_id), StateSet One the SKU. An id that is no line of the
// order is taken as a SKU.
func poLineSKUs(x *exchange, in map[string]any) map[string]any {
	po, _ := in["purchase_order_id"].(string)
	items, _ := in["items"].([]any)
	if po == "" || len(items) == 0 {
		return in
	}
	a := x.call(http.MethodGet, "/v1/purchase_orders/"+url.PathEscape(po), nil, nil)
	if !a.ok() {
		return in
	}
	skus := map[string]any{}
	lines, _ := a.object()["items"].([]any)
	for _, l := range lines {
		line, _ := l.(map[string]any)
		skus[str(line["line_id"])] = line["sku"]
	}
	out := clone(in)
	mapped := make([]any, len(items))
	for i, e := range items {
		it, _ := e.(map[string]any)
		it = clone(it)
		if sku, ok := skus[str(it["purchase_order_item_id"])]; ok {
			it["purchase_order_item_id"] = sku
		}
		mapped[i] = it
	}
	out["items"] = mapped
	return out
}
