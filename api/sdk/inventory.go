package sdk

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// adjustReasons maps the SDK's adjustment types onto the stock ledger's reasons.
var adjustReasons = []string{"receipt=receipt", "shipment=sale", "return=return", "damage=scrap", "loss=scrap",
	"adjustment=adjustment", "cycle_count=adjustment"}

func inventory() *resource {
	r := &resource{
		path: "inventory", native: "/v1/inventory", list: "inventory",
		m: mapping{
			fields: []string{"sku", "location_id", "on_hand", "reorder_point", "reorder_quantity", "unit_cost", "currency"},
			rename: map[string]string{"item_id": "sku", "quantity": "on_hand"},
			money:  []string{"unit_cost"},
			in: func(m map[string]any) {
				if l, ok := m["location"].(map[string]any); ok {
					m["location_id"] = l["id"]
				}
				if md, ok := m["metadata"].(map[string]any); ok && m["item_id"] == nil {
					m["item_id"] = md["sku"]
				}
			},
			out: func(m map[string]any) {
				m["location"] = map[string]any{"id": m["location_id"], "name": m["location_id"], "type": "warehouse"}
				switch available, _ := m["available"].(float64); {
				case available <= 0:
					m["status"] = "out_of_stock"
				case m["low_stock"] == true:
					m["status"] = "low_stock"
				default:
					m["status"] = "in_stock"
				}
			},
		},
		query:  map[string]string{"item_id": "sku", "low_stock": "low_stock"},
		update: true,
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/adjust", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, adjust(x, r, v[0], in["quantity"], in["type"], in["reference_id"], in["notes"]))
		}},
		{method: http.MethodPost, path: "{id}/reserve", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			body := map[string]any{"quantity": in["quantity"], "reference_type": "manual"}
			if o, ok := in["order_id"].(string); ok {
				body["reference_type"], body["reference_id"] = "order", o
			}
			if e, ok := in["reservation_expires"].(string); ok {
				body["expires_at"] = e
			}
			a := x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/reserve", nil, body)
			if !a.ok() {
				x.relay(a)
				return
			}
			// the reservation, under the names the SDK's callers look for its id by
			rv := a.object()
			x.reply(a, map[string]any{"id": rv["id"], "reservation_id": rv["id"], "reservation": rv,
				"inventory_id": v[0], "quantity": rv["quantity"], "status": rv["status"]})
		}},
		{method: http.MethodPost, path: "{id}/release-reservation/{rid}", do: func(x *exchange, v []string) {
			a := x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/release-reservation/"+url.PathEscape(v[1]), nil, map[string]any{})
			if !a.ok() {
				x.relay(a)
				return
			}
			x.reply(a, a.object())
		}},
		{method: http.MethodGet, path: "{id}/history", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/history")
			if !ok {
				return
			}
			x.reply(a, map[string]any{"history": a.object()["data"]})
		}},
		{method: http.MethodGet, path: "low-stock-alerts", do: func(x *exchange, v []string) {
			// threshold: at or under it available; without one, at or under the reorder point
			q := url.Values{"low_stock": {"true"}}
			t, err := strconv.ParseFloat(x.r.URL.Query().Get("threshold"), 64)
			if err == nil {
				q = nil
			}
			all, _, b := r.scan(x, q)
			if b != nil {
				x.relay(*b)
				return
			}
			if err == nil {
				all = slices.DeleteFunc(all, func(it map[string]any) bool {
					avail, _ := it["available"].(float64)
					return avail > t
				})
				for _, it := range all {
					it["threshold"] = t
				}
			}
			writeJSON(x.w, http.StatusOK, map[string]any{"alerts": all, "inventory": all, "total": len(all)})
		}},
		{method: http.MethodGet, path: "value", do: func(x *exchange, v []string) {
			all, capped, b := r.scan(x, nil)
			if b != nil {
				x.relay(*b)
				return
			}
			var value float64
			units := 0.0
			for _, it := range all {
				q, _ := it["quantity"].(float64)
				c, _ := it["unit_cost"].(float64)
				value += q * c
				units += q
			}
			writeJSON(x.w, http.StatusOK, map[string]any{"total_value": value, "total_units": units, "items": len(all), "capped": capped})
		}},
		{method: http.MethodPost, path: "bulk-adjust", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			list, _ := in["adjustments"].([]any)
			results := []any{}
			for i, e := range list {
				adj, _ := e.(map[string]any)
				sub := *x
				if k := x.r.Header.Get("Idempotency-Key"); k != "" {
					sub.r = x.r.Clone(x.r.Context())
					sub.r.Header.Set("Idempotency-Key", k+"/"+itoa(i))
				}
				// each element is {inventory_id, adjustment: the body of adjustQuantity}
				in, _ := adj["adjustment"].(map[string]any)
				a := adjust(&sub, r, str(adj["inventory_id"]), in["quantity"], in["type"], in["reference_id"], in["notes"])
				results = append(results, map[string]any{"index": i, "status": a.status, "success": a.ok(), "data": r.m.toSDK(a.object())})
			}
			writeJSON(x.w, http.StatusOK, map[string]any{"results": results})
		}},
		{method: http.MethodPost, path: "transfer", why: "the SDK's transfer names locations but no item; use POST /v1/inventory/transfer natively with a sku"},
	}
	return r
}

func adjust(x *exchange, r *resource, id string, qty, kind, ref, notes any) answer {
	body := map[string]any{"quantity": qty, "reason": "adjustment"}
	if k, ok := kind.(string); ok {
		body["reason"] = lookup(adjustReasons, k, false)
		if body["reason"] == strings.ToUpper(k) {
			body["reason"] = "adjustment"
		}
	}
	if s, ok := ref.(string); ok {
		body["reference"] = s
	}
	if s, ok := notes.(string); ok {
		body["note"] = s
	}
	return x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/adjust", nil, body)
}
