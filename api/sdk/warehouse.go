package sdk

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Warehouses, picks (pick lists) and shipments.

func warehouses() *resource {
	r := &resource{
		path: "warehouses", native: "/v1/warehouses", single: "warehouse", list: "warehouses",
		m: mapping{
			fields: []string{"id", "code", "name", "address", "bins"},
			nested: map[string]*mapping{"address": address},
			in: func(m map[string]any) {
				if l, ok := m["location"].(map[string]any); ok {
					if a, ok := l["address"].(map[string]any); ok {
						m["address"] = map[string]any{"type": "PRIMARY", "street1": a["street"], "city": a["city"], "state": a["state"],
							"postal_code": a["postal_code"], "country": a["country"]}
					}
				}
				if zones, ok := m["zones"].([]any); ok {
					var bins []any
					for _, z := range zones {
						if zone, ok := z.(map[string]any); ok {
							bins = append(bins, first(zone["id"], zone["name"]))
						}
					}
					m["bins"] = bins
				}
			},
			out: func(m map[string]any) {
				a, _ := m["address"].(map[string]any)
				if a != nil {
					m["location"] = map[string]any{"address": map[string]any{"street": a["street1"], "city": a["city"], "state": a["state"],
						"postal_code": a["postal_code"], "country": a["country"]}}
				}
				var zones []any
				bins, _ := m["bins"].([]any)
				for _, b := range bins {
					zones = append(zones, map[string]any{"id": b, "name": b, "type": "storage"})
				}
				m["zones"] = zones
				m["equipment"] = mapEach(m["equipment"], sdkEquipment)
				m["staff"] = mapEach(m["staff"], sdkStaff)
			},
		},
		query:  map[string]string{"status": "status", "code": "code"},
		update: true,
		del:    "deactivate",
	}
	r.ops = []op{
		{method: http.MethodGet, path: "{id}/inventory", do: func(x *exchange, v []string) {
			all, _, b := x.h.resources["inventory"].scan(x, url.Values{"location_id": {v[0]}})
			if b != nil {
				x.relay(*b)
				return
			}
			writeJSON(x.w, http.StatusOK, map[string]any{"inventory": all})
		}},
		{method: http.MethodPost, path: "{id}/zones", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]))
			if !ok {
				return
			}
			bins, _ := a.object()["bins"].([]any)
			r.one(x, x.call(http.MethodPut, r.native+"/"+url.PathEscape(v[0]), nil, map[string]any{"bins": append(bins, first(in["id"], in["name"]))}))
		}},
		{method: http.MethodGet, path: "{id}/metrics", do: func(x *exchange, v []string) {
			all, capped, b := x.h.resources["inventory"].scan(x, url.Values{"location_id": {v[0]}})
			if b != nil {
				x.relay(*b)
				return
			}
			units := 0.0
			for _, it := range all {
				q, _ := it["quantity"].(float64)
				units += q
			}
			writeJSON(x.w, http.StatusOK, map[string]any{"metrics": map[string]any{"warehouse_id": v[0], "items": len(all), "units_on_hand": units, "capped": capped}})
		}},
		// the floor: the SDK's lower-case equipment statuses are ours; its zone is a bin
		{method: http.MethodPut, path: "{id}/equipment/{equipment}/status", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			body := map[string]any{"status": strings.ToUpper(str(in["status"]))}
			for _, k := range []string{"type", "notes"} {
				if in[k] != nil {
					body[k] = in[k]
				}
			}
			a := x.call(http.MethodPut, r.native+"/"+url.PathEscape(v[0])+"/equipment/"+url.PathEscape(v[1]), nil, body)
			floorPart(x, a, "equipment", v[1], "equipment", sdkEquipment)
		}},
		{method: http.MethodPost, path: "{id}/staff/{staff}/assign", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			body := map[string]any{"zone": in["zone_id"]}
			if in["role"] != nil {
				body["role"] = in["role"]
			}
			a := x.call(http.MethodPut, r.native+"/"+url.PathEscape(v[0])+"/staff/"+url.PathEscape(v[1]), nil, body)
			floorPart(x, a, "staff", v[1], "staff_member", sdkStaff)
		}},
	}
	return r
}

// floorPart answers the entry id of a native warehouse answer's list, in the SDK's shape
// under key.
func floorPart(x *exchange, a answer, list, id, key string, shape func(map[string]any) map[string]any) {
	if !a.ok() {
		x.relay(a)
		return
	}
	entries, _ := a.object()[list].([]any)
	for _, e := range entries {
		if m, ok := e.(map[string]any); ok && m["id"] == id {
			x.reply(a, map[string]any{key: shape(m)})
			return
		}
	}
	x.relay(a)
}

// sdkEquipment is a piece of the equipment register as the SDK spells it.
func sdkEquipment(m map[string]any) map[string]any {
	out := maps.Clone(m)
	out["status"] = strings.ToLower(str(m["status"]))
	return out
}

// sdkStaff is a person of the roster as the SDK spells it.
func sdkStaff(m map[string]any) map[string]any {
	out := maps.Clone(m)
	out["zone_id"] = m["zone"]
	return out
}

func picks() *resource {
	return &resource{
		path: "picks", native: "/v1/pick_lists", single: "pick", list: "picks",
		m: mapping{
			fields: []string{"id", "warehouse_id", "order_ids", "priority", "picker"},
			rename: map[string]string{"picker_id": "picker", "assigned_to": "picker"},
			values: map[string][]string{"status": {"PENDING=CREATED"}},
		},
		query:  map[string]string{"status": "status", "warehouse_id": "warehouse_id", "from": "created_after", "to": "created_before"},
		update: true,
		del:    "cancel",
		ops: []op{
			{method: http.MethodPost, path: "{id}/items/{item}/pick", do: recordItemPick},
			{method: http.MethodPost, path: "{id}/optimize-route", why: "StateSet One plans no pick routes"},
			{method: http.MethodPost, path: "{id}/quality-check", do: pickQualityCheck},
			{method: http.MethodGet, path: "{id}/metrics", do: pickMetrics},
		},
	}
}

func shipments() *resource {
	return &resource{
		path: "shipments", native: "/v1/shipments", single: "shipment", list: "shipments",
		m: mapping{
			fields: []string{"id", "order_id", "lines", "carrier", "tracking_number"},
			values: map[string][]string{"status": {"pending=CREATED", "shipped=SHIPPED", "delivered=DELIVERED", "cancelled=CANCELLED"}},
			in: func(m map[string]any) {
				if items, ok := m["items"].([]any); ok {
					var lines []any
					for _, e := range items {
						if it, ok := e.(map[string]any); ok {
							lines = append(lines, map[string]any{"line_id": first(it["order_item_id"], it["item_id"]), "quantity": it["quantity"]})
						}
					}
					m["lines"] = lines
				}
			},
		},
		query:  map[string]string{"status": "status", "carrier": "carrier", "order_id": "order_id", "date_from": "created_after", "date_to": "created_before"},
		update: true,
		ops: []op{
			{method: http.MethodGet, path: "{id}/tracking", do: func(x *exchange, v []string) {
				a, ok := x.read("/v1/shipments/" + url.PathEscape(v[0]))
				if !ok {
					return
				}
				s := a.object()
				x.reply(a, map[string]any{"tracking": map[string]any{"shipment_id": s["id"], "carrier": s["carrier"], "tracking_number": s["tracking_number"],
					"status": s["status"], "shipped_at": s["shipped_at"], "delivered_at": s["delivered_at"]}})
			}},
			{method: http.MethodPost, path: "rates", why: "StateSet One quotes no carrier rates"},
			{method: http.MethodPost, path: "{id}/packages", do: func(x *exchange, v []string) {
				in, ok := x.body()
				if !ok {
					return
				}
				a := rewrite(x, "/v1/shipments/"+url.PathEscape(v[0]), func(cur map[string]any) map[string]any {
					pkgs, _ := cur["packages"].([]any)
					return map[string]any{"packages": append(slices.Clone(pkgs), nativePackage(in))}
				})
				x.h.resources["shipments"].one(x, a)
			}},
			{method: http.MethodPost, path: "{id}/label", why: "StateSet One buys no carrier labels"},
			{method: http.MethodPost, path: "{id}/return-label", why: "StateSet One buys no carrier labels"},
		},
	}
}

// pickMetrics is what a pick list's lines and history tell: units asked for and picked,
// the fill rate, and how long picking took from start to completion.
func pickMetrics(x *exchange, v []string) {
	a, ok := x.read("/v1/pick_lists/" + url.PathEscape(v[0]))
	if !ok {
		return
	}
	h, ok := x.read("/v1/pick_lists/" + url.PathEscape(v[0]) + "/history")
	if !ok {
		return
	}
	var requested, picked, short float64
	lines, _ := a.object()["lines"].([]any)
	for _, l := range lines {
		ln, _ := l.(map[string]any)
		requested += num(ln["quantity"])
		picked += num(ln["picked"])
		if num(ln["picked"]) < num(ln["quantity"]) {
			short++
		}
	}
	m := map[string]any{"pick_id": v[0], "status": a.object()["status"], "lines": len(lines), "units_requested": requested,
		"units_picked": picked, "short_lines": short, "fill_rate": nil, "started_at": nil, "completed_at": nil, "duration_seconds": nil}
	if requested > 0 {
		m["fill_rate"] = picked / requested
	}
	var started, done time.Time
	events, _ := h.object()["data"].([]any)
	for _, e := range events {
		ev, _ := e.(map[string]any)
		t, _ := time.Parse(time.RFC3339Nano, str(ev["time"]))
		switch ev["event_type"] {
		case "PickListStarted":
			started, m["started_at"] = t, ev["time"]
		case "PickListCompleted":
			done, m["completed_at"] = t, ev["time"]
		}
	}
	if !started.IsZero() && !done.IsZero() {
		m["duration_seconds"] = done.Sub(started).Seconds()
	}
	x.reply(a, map[string]any{"metrics": m})
}

// nativePackage is the SDK's package ({type, weight{value, unit}, dimensions{length, width,
// height, unit}}) in grams and centimetres, its type as the reference.
func nativePackage(in map[string]any) map[string]any {
	grams := map[string]float64{"lb": 453.59237, "kg": 1000, "oz": 28.349523125, "g": 1}
	cms := map[string]float64{"in": 2.54, "cm": 1}
	out := map[string]any{}
	if t := str(first(in["reference"], in["type"])); t != "" {
		out["reference"] = t
	}
	if w, ok := in["weight"].(map[string]any); ok {
		if f, ok := grams[strings.ToLower(str(w["unit"]))]; ok {
			out["weight_grams"] = int64(num(w["value"])*f + 0.5)
		}
	}
	if d, ok := in["dimensions"].(map[string]any); ok {
		if f, ok := cms[strings.ToLower(str(d["unit"]))]; ok {
			for _, k := range []string{"length", "width", "height"} {
				out[k+"_cm"] = int64(num(d[k])*f + 0.5)
			}
		}
	}
	return out
}

// pickListFor reads the SDK request's body and the lines of pick list id; a failure is
// answered.
func pickListFor(x *exchange, id string) (in map[string]any, lines []map[string]any, ok bool) {
	if in, ok = x.body(); !ok {
		return nil, nil, false
	}
	a, ok := x.read("/v1/pick_lists/" + url.PathEscape(id))
	if !ok {
		return nil, nil, false
	}
	all, _ := a.object()["lines"].([]any)
	for _, e := range all {
		if l, _ := e.(map[string]any); l != nil {
			lines = append(lines, l)
		}
	}
	return in, lines, true
}

// itemLines are the pick list lines the SDK's item names: a SKU (every line of it) or a
// line id.
func itemLines(lines []map[string]any, item any) []map[string]any {
	var out []map[string]any
	for _, l := range lines {
		if item != nil && (l["sku"] == item || l["line_id"] == item) {
			out = append(out, l)
		}
	}
	return out
}

// recordItemPick is the SDK's report of how much of an item is picked so far: the item is
// a SKU (or a line id) of the pick list; a SKU on several orders' lines fills them in
// order, the last taking any excess, which the native command refuses (400).
func recordItemPick(x *exchange, v []string) {
	in, all, ok := pickListFor(x, v[0])
	if !ok {
		return
	}
	matched := itemLines(all, v[1])
	if len(matched) == 0 {
		fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_FAILED", "request validation failed", "item_id", "is not a SKU or line of this pick list")
		return
	}
	left := int64(num(in["quantity_picked"]))
	lines := make([]any, len(matched))
	for i, m := range matched {
		n := min(left, int64(num(m["quantity"])))
		if i == len(matched)-1 {
			n = left
		}
		left -= n
		lines[i] = map[string]any{"order_id": m["order_id"], "line_id": m["line_id"], "picked": n}
	}
	x.h.resources["picks"].one(x, x.call(http.MethodPost, "/v1/pick_lists/"+url.PathEscape(v[0])+"/picks", nil, map[string]any{"lines": lines}))
}

// pickQualityCheck is the SDK's quality check ({checker_id, items[{item_id, passed, issues?,
// notes?}], status, resolution?{action}}) as a check of the pick list: an item is a SKU
// (every line of it gets the verdict) or a line id. The status is not taken: it follows
// from the lines, so a check the SDK calls PASSED with a failed item reads PARTIAL.
func pickQualityCheck(x *exchange, v []string) {
	in, all, ok := pickListFor(x, v[0])
	if !ok {
		return
	}
	items, _ := in["items"].([]any)
	var lines []any
	for i, e := range items {
		it, _ := e.(map[string]any)
		matched := itemLines(all, it["item_id"])
		if len(matched) == 0 {
			fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_FAILED", "request validation failed", "items["+strconv.Itoa(i)+"].item_id", "is not a SKU or line of this pick list")
			return
		}
		for _, l := range matched {
			c := map[string]any{"order_id": l["order_id"], "line_id": l["line_id"], "passed": it["passed"] == true}
			for _, k := range []string{"issues", "notes"} {
				if it[k] != nil {
					c[k] = it[k]
				}
			}
			lines = append(lines, c)
		}
	}
	check := map[string]any{"checker": in["checker_id"], "lines": lines}
	if res, ok := in["resolution"].(map[string]any); ok {
		check["resolution"] = strings.ToUpper(str(res["action"]))
	}
	x.h.resources["picks"].one(x, x.call(http.MethodPost, "/v1/pick_lists/"+url.PathEscape(v[0])+"/checks", nil, check))
}
