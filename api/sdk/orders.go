package sdk

import (
	"net/http"
	"net/url"
)

// orderAddress is the SDK's order address (names, street_address1) on the native one.
var orderAddress = &mapping{
	fields: []string{"type", "street1", "street2", "city", "state", "postal_code", "country"},
	rename: map[string]string{"street_address1": "street1", "street_address2": "street2"},
}

var orderItem = &mapping{
	fields: []string{"sku", "name", "quantity", "unit_price"},
	rename: map[string]string{"product_id": "sku"},
	money:  []string{"unit_price", "total"},
	out: func(m map[string]any) {
		m["sku"], m["total_amount"] = m["product_id"], m["total"]
	},
}

func orders() *resource {
	kin, kout := keep("shipping_address", "billing_address", "payment_details", "shipping_details", "priority", "source", "org_id")
	r := &resource{
		path: "orders", native: "/v1/orders", list: "orders",
		m: mapping{
			fields: []string{"id", "customer_id", "currency", "location_id", "channel", "notes", "metadata", "shipping_address", "billing_address", "status", "items"},
			money:  []string{"subtotal", "total_amount", "paid_amount", "refunded_amount"},
			nested: map[string]*mapping{"items": orderItem, "shipping_address": orderAddress, "billing_address": orderAddress},
			in: func(m map[string]any) {
				if t, ok := m["totals"].(map[string]any); ok && m["currency"] == nil {
					m["currency"] = t["currency"]
				}
				if n, ok := m["notes"].([]any); ok {
					m["notes"] = joined(n)
				}
				if m["channel"] == nil {
					m["channel"] = m["source"]
				}
				native := map[string]any{}
				for _, k := range []string{"shipping_address", "billing_address"} {
					if a, ok := m[k].(map[string]any); ok {
						native[k] = a
					}
				}
				kin(m) // the SDK's addresses, whole, for the SDK to read back
				for k, a := range native {
					m[k] = a
				}
			},
			out: func(m map[string]any) {
				kout(m)
				m["object"] = "order"
				m["totals"] = map[string]any{"subtotal": m["subtotal"], "grand_total": m["total_amount"], "currency": m["currency"],
					"shipping_total": 0, "tax_total": 0, "discount_total": 0}
			},
		},
		query:  map[string]string{"status": "status", "customer_id": "customer_id", "date_from": "created_after", "date_to": "created_before", "payment_status": "payment_status"},
		update: true,
		del:    "cancel",
		locate: true,
		// the SDK has no submit method: its orders are submitted (PENDING) unless it says DRAFT
		onCreate: func(m map[string]any) {
			if s, ok := m["status"].(string); !ok || s != "DRAFT" {
				m["status"] = "PENDING"
			}
		},
	}
	replace := func(field string) func(x *exchange, v []string) {
		return func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, r.putNative(x, v[0], map[string]any{field: in}))
		}
	}
	r.ops = []op{
		{method: http.MethodPost, path: "", do: func(x *exchange, v []string) { createOrder(x, r) }},
		{method: http.MethodPost, path: "{id}/ship", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			body := map[string]any{}
			for _, k := range []string{"carrier", "tracking_number"} {
				if s, ok := in[k].(string); ok {
					body[k] = s
				}
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/ship", nil, body))
		}},
		{method: http.MethodPost, path: "{id}/refund", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/refund", nil,
				map[string]any{"amount": toMinor(in["amount"]), "reason": in["reason"]}))
		}},
		{method: http.MethodPost, path: "{id}/notes", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/notes", nil, map[string]any{"note": in["note"]}))
		}},
		{method: http.MethodGet, path: "{id}/notes", do: func(x *exchange, v []string) { orderNotes(x, r, v[0]) }},
		{method: http.MethodGet, path: "{id}/fulfillment-history", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/history")
			if !ok {
				return
			}
			x.reply(a, map[string]any{"history": a.object()["data"]})
		}},
		{method: http.MethodPut, path: "{id}/shipping-address", do: replace("shipping_address")},
		{method: http.MethodPut, path: "{id}/billing-address", do: replace("billing_address")},
		{method: http.MethodPost, path: "{id}/return", do: func(x *exchange, v []string) { returnOrder(x, r, v[0]) }},
		{method: http.MethodPost, path: "{id}/fulfillment-events", why: "fulfilment is recorded by shipments, not free-form events"},
		{method: http.MethodGet, path: "{id}/tracking", do: func(x *exchange, v []string) { orderTracking(x, r, v[0]) }},
	}
	return r
}

// orderNotes lists an order's notes from its history (each note is an event).
func orderNotes(x *exchange, r *resource, id string) {
	a, ok := x.read(r.native + "/" + url.PathEscape(id) + "/history")
	if !ok {
		return
	}
	notes := []any{}
	events, _ := a.object()["data"].([]any)
	for _, e := range events {
		ev, _ := e.(map[string]any)
		if ev["event_type"] == "OrderNoteAdded" {
			d, _ := ev["data"].(map[string]any)
			notes = append(notes, map[string]any{"id": d["note_id"], "note": d["body"], "created_at": ev["time"]})
		}
	}
	x.reply(a, map[string]any{"notes": notes})
}

// createOrder creates the order, then records the payment the SDK says was made (it has
// no pay method: payment_details.status paid, amount_paid), so the order can be refunded.
func createOrder(x *exchange, r *resource) {
	in, ok := x.body()
	if !ok {
		return
	}
	a := r.createNative(x, in)
	pd, _ := in["payment_details"].(map[string]any)
	if !a.ok() || pd == nil || (pd["status"] != "paid" && pd["status"] != "partially_refunded") {
		r.one(x, a)
		return
	}
	// the SDK's amount_paid includes the tax and shipping its totals add, which StateSet
	// One's orders do not price: the payment recorded is of the order's total
	id := str(a.object()["id"])
	body := map[string]any{}
	if t, ok := pd["transaction_id"].(string); ok {
		body["reference"] = t
	}
	paid := x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/pay", nil, body)
	if !paid.ok() {
		x.relay(paid)
		return
	}
	paid.status = a.status
	paid.header.Set("Location", a.header.Get("Location"))
	r.one(x, paid)
}

// allocate chooses the location an SDK order ships from (or a purchase order receives
// at), since the SDK names none: of the
// locations stocking every line's SKU, the first (by id) with enough available for all of
// them, else the first that stocks them all. "" (the native default) when none does.
func allocate(x *exchange, items any) string {
	lines, _ := items.([]any)
	need := map[string]float64{}
	for _, l := range lines {
		it, _ := l.(map[string]any)
		sku := str(first(it["product_id"], it["sku"], it["item_id"]))
		q, _ := it["quantity"].(float64)
		if sku == "" {
			return ""
		}
		need[sku] += q
	}
	stocks := map[string]int{} // location → SKUs it stocks
	enough := map[string]int{} // location → SKUs it has enough of
	for sku, q := range need {
		a := x.call(http.MethodGet, "/v1/inventory", url.Values{"sku": {sku}, "limit": {"100"}}, nil)
		if !a.ok() {
			return ""
		}
		rows, _ := a.object()["data"].([]any)
		for _, e := range rows {
			row, _ := e.(map[string]any)
			loc := str(row["location_id"])
			stocks[loc]++
			if avail, _ := row["available"].(float64); avail >= q {
				enough[loc]++
			}
		}
	}
	best, full := "", false
	for loc, n := range stocks {
		if n != len(need) {
			continue
		}
		f := enough[loc] == len(need)
		if best == "" || (f && !full) || (f == full && loc < best) {
			best, full = loc, f
		}
	}
	return best
}

// returnOrder is the SDK's processReturn: a return requested of everything the order
// delivered and has not had back, for the reason and in the condition given; the answer
// is the order, with the return's id.
func returnOrder(x *exchange, r *resource, id string) {
	in, ok := x.body()
	if !ok {
		return
	}
	a, ok := x.read(r.native + "/" + url.PathEscape(id))
	if !ok {
		return
	}
	var items []any
	lines, _ := a.object()["items"].([]any)
	for _, l := range lines {
		ln, _ := l.(map[string]any)
		if q := num(ln["shipped"]) - num(ln["returned"]); q > 0 {
			items = append(items, map[string]any{"order_item_id": ln["id"], "product_id": ln["sku"], "quantity": q,
				"reason": first(in["reason"], "other"), "condition": in["condition"]})
		}
	}
	body := map[string]any{"order_id": id, "items": items}
	if rma := str(in["rma_number"]); rma != "" {
		body["notes"] = "RMA " + rma
	}
	ret := x.h.resources["returns"]
	created := ret.createNative(x, body)
	if !created.ok() {
		x.relay(created)
		return
	}
	after, ok := x.read(r.native + "/" + url.PathEscape(id))
	if !ok {
		return
	}
	o := r.m.toSDK(after.object())
	o["return_id"] = created.object()["id"]
	o["return"] = ret.m.toSDK(created.object())
	x.reply(created, o)
}

// orderTracking is what the order's history knows of its shipping: the carrier and
// tracking number of each shipment, and when it shipped and was delivered.
func orderTracking(x *exchange, r *resource, id string) {
	a, ok := x.read(r.native + "/" + url.PathEscape(id) + "/history")
	if !ok {
		return
	}
	out := map[string]any{"order_id": id, "status": "NOT_SHIPPED", "tracking_number": nil, "carrier": nil, "events": []any{}}
	var events []any
	hist, _ := a.object()["data"].([]any)
	for _, e := range hist {
		ev, _ := e.(map[string]any)
		d, _ := ev["data"].(map[string]any)
		switch ev["event_type"] {
		case "OrderShipped":
			if out["status"] != "DELIVERED" {
				out["status"] = "SHIPPED"
			}
			out["carrier"], out["tracking_number"] = d["carrier"], d["tracking_number"]
			events = append(events, map[string]any{"timestamp": ev["time"], "status": "SHIPPED", "location": d["location_id"],
				"description": "shipped with " + str(first(d["carrier"], "no carrier named")) + " " + str(d["tracking_number"])})
		case "OrderDelivered":
			out["status"] = "DELIVERED"
			events = append(events, map[string]any{"timestamp": ev["time"], "status": "DELIVERED", "description": "delivered"})
		}
	}
	if events != nil {
		out["events"] = events
	}
	x.reply(a, out)
}
