package sdk

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Bills of materials and work orders.

// component is the SDK's BOM component ({item_id, quantity}) on the native {sku, quantity}.
var component = &mapping{
	fields: []string{"sku", "quantity"},
	rename: map[string]string{"item_id": "sku"},
	out:    func(m map[string]any) { m["id"] = m["item_id"] },
}

func billOfMaterials() *resource {
	r := &resource{
		path: "billofmaterials", native: "/v1/bill_of_materials", list: "boms",
		m: mapping{
			fields: []string{"id", "sku", "name", "revision", "components"},
			rename: map[string]string{"product_id": "sku"},
			nested: map[string]*mapping{"components": component},
			in: func(m map[string]any) {
				if md, ok := m["metadata"].(map[string]any); ok && m["revision"] == nil {
					m["revision"] = md["version"]
				}
			},
		},
		query:  map[string]string{"status": "status", "product_id": "sku"},
		update: true,
		verbs:  map[string]string{"set-active": "activate", "set-obsolete": "obsolete"},
		del:    "obsolete",
	}
	// components are edited by replacing the draft's list
	edit := func(x *exchange, id string, change func(comps []any, in map[string]any) []any) {
		in, ok := x.body()
		if !ok {
			return
		}
		a, ok := x.read(r.native + "/" + url.PathEscape(id))
		if !ok {
			return
		}
		comps, _ := a.object()["components"].([]any)
		body, _ := r.m.toNative(map[string]any{"components": change(comps, in)})
		r.one(x, x.call(http.MethodPut, r.native+"/"+url.PathEscape(id), nil, body))
	}
	sdkComps := func(comps []any) []any { // native components in the SDK's spelling, for toNative
		out := make([]any, len(comps))
		for i, c := range comps {
			m, _ := c.(map[string]any)
			out[i] = map[string]any{"item_id": m["sku"], "quantity": m["quantity"]}
		}
		return out
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/add-component", do: func(x *exchange, v []string) {
			edit(x, v[0], func(comps []any, in map[string]any) []any { return append(sdkComps(comps), in) })
		}},
		{method: http.MethodPut, path: "{id}/components/{component}", do: func(x *exchange, v []string) {
			edit(x, v[0], func(comps []any, in map[string]any) []any {
				out := sdkComps(comps)
				for i, c := range out {
					if m := c.(map[string]any); m["item_id"] == v[1] {
						for k, val := range in {
							m[k] = val
						}
						out[i] = m
					}
				}
				return out
			})
		}},
		{method: http.MethodDelete, path: "{id}/components/{component}", do: func(x *exchange, v []string) {
			edit(x, v[0], func(comps []any, in map[string]any) []any {
				var out []any
				for _, c := range sdkComps(comps) {
					if c.(map[string]any)["item_id"] != v[1] {
						out = append(out, c)
					}
				}
				return out
			})
		}},
		{method: http.MethodPost, path: "{id}/start-revision", do: func(x *exchange, v []string) { startRevision(x, r, v[0]) }},
		{method: http.MethodPost, path: "{id}/complete-revision", do: func(x *exchange, v []string) { completeRevision(x, r, v[0]) }},
		{method: http.MethodGet, path: "{id}/cost-analysis", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/explode")
			if !ok {
				return
			}
			x.reply(a, a.object())
		}},
		{method: http.MethodGet, path: "{id}/versions", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/history")
			if !ok {
				return
			}
			x.reply(a, map[string]any{"versions": a.object()["data"]})
		}},
		{method: http.MethodGet, path: "{id}/validate", do: func(x *exchange, v []string) {
			// valid when it explodes: every level through the active BOMs, no cycle, no
			// quantity out of bounds
			a := x.call(http.MethodGet, r.native+"/"+url.PathEscape(v[0])+"/explode", nil, nil)
			switch {
			case a.ok():
				x.reply(a, map[string]any{"valid": true, "errors": []any{}, "materials": a.object()["materials"]})
			case a.status == http.StatusBadRequest:
				a.status = http.StatusOK
				x.reply(a, map[string]any{"valid": false, "errors": []any{a.object()["detail"]}})
			default:
				x.relay(a)
			}
		}},
		{method: http.MethodGet, path: "{id}/export", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]))
			if !ok {
				return
			}
			bom := r.m.toSDK(a.object())
			if x.r.URL.Query().Get("format") == "json" {
				export(x, "bom-"+v[0], []map[string]any{bom})
				return
			}
			// csv: a row per component
			var rows []map[string]any
			comps, _ := bom["components"].([]any)
			for _, c := range comps {
				m, _ := c.(map[string]any)
				rows = append(rows, map[string]any{"bom_id": bom["id"], "product_id": bom["product_id"], "revision": bom["revision"],
					"item_id": m["item_id"], "quantity": m["quantity"]})
			}
			export(x, "bom-"+v[0], rows)
		}},
	}
	return r
}

func workOrders() *resource {
	r := &resource{
		path: "workorders", native: "/v1/work_orders", single: "workorder", list: "workorders",
		m: mapping{
			fields: []string{"id", "bom_id", "quantity", "location_id", "priority", "due_date", "assignee", "notes", "operations"},
			rename: map[string]string{"assigned_to": "assignee", "tasks": "operations", "quality_checks": "inspections"},
			nested: map[string]*mapping{"operations": &operationMapping, "resources": &resourceMapping, "inspections": &inspectionMapping},
			values: map[string][]string{
				"priority": {"CRITICAL=URGENT", "MEDIUM=NORMAL", "ROUTINE=LOW"},
				"status":   {"DRAFT=PLANNED", "SCHEDULED=RELEASED"},
			},
			in: func(m map[string]any) {
				// the SDK's work order is on an asset: here, the bill of materials it builds
				if m["bom_id"] == nil {
					m["bom_id"] = m["asset_id"]
				}
				if l, ok := m["location"].(map[string]any); ok && m["location_id"] == nil {
					m["location_id"] = l["facility_id"]
				}
				if md, ok := m["metadata"].(map[string]any); ok && m["quantity"] == nil {
					m["quantity"] = md["quantity"]
				}
				if s, ok := m["due_date"].(string); ok && len(s) > 10 {
					m["due_date"] = s[:10]
				}
			},
			out: func(m map[string]any) {
				m["asset_id"] = m["bom_id"]
				m["location"] = map[string]any{"facility_id": m["location_id"]}
				m["object"] = "workorder"
			},
		},
		query:  map[string]string{"status": "status", "priority": "priority", "asset_id": "bom_id", "facility_id": "location_id", "from": "created_after", "to": "created_before"},
		update: true,
		del:    "cancel",
		onCreate: func(m map[string]any) {
			if m["quantity"] == nil {
				if md, ok := m["metadata"].(map[string]any); !ok || md["quantity"] == nil {
					m["quantity"] = 1
				}
			}
		},
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/start", do: func(x *exchange, v []string) {
			// the SDK has no release: a planned work order is released, then started
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]))
			if !ok {
				return
			}
			if a.object()["status"] == "PLANNED" {
				if rel := x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/release", nil, map[string]any{}); !rel.ok() {
					x.relay(rel)
					return
				}
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/start", nil, map[string]any{}))
		}},
		{method: http.MethodPost, path: "{id}/complete", do: func(x *exchange, v []string) {
			if _, ok := x.body(); ok {
				r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/complete", nil, map[string]any{}))
			}
		}},
		{method: http.MethodPost, path: "{id}/assign", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, x.call(http.MethodPut, r.native+"/"+url.PathEscape(v[0]), nil, map[string]any{"assignee": first(in["worker_id"], in["assignee"])}))
			}
		}},
		{method: http.MethodPost, path: "{id}/notes", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, appendNote(x, r.native+"/"+url.PathEscape(v[0]), str(in["note"])))
			}
		}},
		{method: http.MethodPost, path: "{id}/resources", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/resources", nil, x.nativeBody(&resourceMapping, in)))
			}
		}},
		{method: http.MethodPost, path: "{id}/quality-checks", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/inspections", nil,
					map[string]any{"checks": inspectionMapping.each(in["quality_checks"], nativeOf(&inspectionMapping))}))
			}
		}},
		{method: http.MethodPut, path: "{id}/tasks/{task}", do: func(x *exchange, v []string) {
			// a task's status COMPLETED is its completion; the rest is an edit
			in, ok := x.body()
			if !ok {
				return
			}
			op := r.native + "/" + url.PathEscape(v[0]) + "/operations/" + url.PathEscape(v[1])
			d, _ := in["duration"].(map[string]any)
			c, _ := in["completion"].(map[string]any)
			notes, _ := c["notes"].([]any)
			if strings.EqualFold(str(in["status"]), "COMPLETED") {
				r.one(x, x.call(http.MethodPost, op+"/complete", nil, given(map[string]any{"actual_minutes": d["actual"],
					"completed_by": c["by"], "notes": nilIfEmpty(joined(notes))})))
				return
			}
			body := given(map[string]any{"description": in["description"], "estimated_minutes": d["estimated"], "notes": nilIfEmpty(joined(notes))})
			if st := str(in["status"]); st != "" {
				body["status"] = strings.ToUpper(st)
			}
			r.one(x, x.call(http.MethodPut, op, nil, body))
		}},
		{method: http.MethodPost, path: "{id}/tasks/{task}/complete", do: func(x *exchange, v []string) {
			// its quality check results are the work order's inspection checks, recorded
			// with the completion in one write
			in, ok := x.body()
			if !ok {
				return
			}
			body := given(map[string]any{"actual_minutes": in["actual_duration"], "notes": in["notes"]})
			switch results := in["quality_check_results"].(type) {
			case []any:
				checks := make([]any, len(results))
				for i, c := range results {
					c, _ := c.(map[string]any)
					checks[i] = given(map[string]any{"parameter": c["parameter"], "measurement": c["actual_value"], "result": passFail(c["passed"])})
				}
				body["checks"] = checks
			case nil:
			default:
				body["checks"] = results // not a list: refused natively, in the contract's words
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/operations/"+url.PathEscape(v[1])+"/complete", nil, body))
		}},
	}
	return r
}

// A work order's shop floor in the SDK's spelling: its tasks are the operations of the
// routing (duration in minutes), its resources the workers, machines and tools assigned,
// its quality checks the inspection checks recorded.
var (
	operationMapping = mapping{
		fields: []string{"id", "sequence", "description", "estimated_minutes"},
		in: func(m map[string]any) {
			if d, ok := m["duration"].(map[string]any); ok && m["estimated_minutes"] == nil {
				m["estimated_minutes"] = d["estimated"]
			}
		},
		out: func(m map[string]any) {
			m["duration"] = map[string]any{"estimated": m["estimated_minutes"], "actual": m["actual_minutes"]}
			m["resources"], m["details"] = []any{}, map[string]any{}
			if m["status"] == "COMPLETED" {
				notes := []any{}
				if n, _ := m["notes"].(string); n != "" {
					notes = append(notes, n)
				}
				m["completion"] = map[string]any{"by": m["completed_by"], "at": m["completed_at"], "notes": notes}
			}
		},
	}
	resourceMapping = mapping{
		fields: []string{"id", "type", "name", "quantity"},
		out:    func(m map[string]any) { m["status"] = "ASSIGNED" },
	}
	inspectionMapping = mapping{
		fields: []string{"parameter", "specification", "measurement", "result", "inspector", "notes"},
		out:    func(m map[string]any) { m["inspection_date"] = m["inspected_at"] },
	}
)

// given is m without its absent (nil) fields, so a native body names only what the SDK gave.
func given(m map[string]any) map[string]any {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	return m
}

// nilIfEmpty is s, or nil (absent) when it is empty.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nativeOf is toNative as a function of one object, for each.
func nativeOf(m *mapping) func(map[string]any) map[string]any {
	return func(o map[string]any) map[string]any { n, _ := m.toNative(o); return n }
}

// passFail is an SDK check's passed as an inspection result; none (nil) when the SDK
// does not say, which the native check refuses: a check records its result.
func passFail(passed any) any {
	switch passed {
	case true:
		return "PASS"
	case false:
		return "FAIL"
	}
	return nil
}

// A bill of materials is what work orders were made from, so StateSet One never edits an
// active one: a revision is a new bill of materials. The SDK's startRevision makes it (a
// DRAFT copy at the next revision, answered: its id is the revision's) and completeRevision
// of that draft makes it the SKU's active one, retiring the revision it replaces.

// startRevision creates the next revision of BOM id as a draft. Its id is derived from the
// BOM and the revision, so a retried request finds the draft the first one made.
func startRevision(x *exchange, r *resource, id string) {
	if _, ok := x.body(); !ok {
		return
	}
	a, ok := x.read(r.native + "/" + url.PathEscape(id))
	if !ok {
		return
	}
	bom := a.object()
	rev := nextRevision(str(bom["revision"]))
	draftID := revisionID(id, rev)
	comps, _ := bom["components"].([]any)
	created := x.call(http.MethodPost, r.native, nil, map[string]any{"id": draftID, "sku": bom["sku"], "name": bom["name"],
		"revision": rev, "components": comps})
	if created.status == http.StatusConflict { // made by an earlier try of this request
		if again := x.call(http.MethodGet, r.native+"/"+url.PathEscape(draftID), nil, nil); again.ok() && again.object()["revision"] == rev {
			created = again
		}
	}
	r.one(x, created)
}

// revisionID is the id of the revision rev that startRevision makes of BOM id.
func revisionID(id, rev string) string {
	sum := sha256.Sum256([]byte(id + "\x00" + rev))
	return "bom-" + hex.EncodeToString(sum[:10])
}

// completeRevision activates draft id (or, as the SDK calls it with the id it started the
// revision of, the draft startRevision made of active BOM id), first obsoleting the SKU's
// active bill of materials (a SKU has one at a time); a work order created between the two
// steps finds no active one and is refused, never made from the wrong revision.
func completeRevision(x *exchange, r *resource, id string) {
	a, ok := x.read(r.native + "/" + url.PathEscape(id))
	if !ok {
		return
	}
	draft := a.object()
	if draft["status"] == "ACTIVE" {
		next := revisionID(id, nextRevision(str(draft["revision"])))
		if d := x.call(http.MethodGet, r.native+"/"+url.PathEscape(next), nil, nil); d.ok() && d.object()["status"] == "DRAFT" {
			id, draft = next, d.object()
		}
	}
	if draft["status"] == "DRAFT" {
		act, ok := x.read(r.native + "?" + url.Values{"sku": {str(draft["sku"])}, "status": {"ACTIVE"}}.Encode())
		if !ok {
			return
		}
		old, _ := act.object()["data"].([]any)
		for _, o := range old {
			if m, _ := o.(map[string]any); m != nil && m["id"] != id {
				if ob := x.call(http.MethodPost, r.native+"/"+url.PathEscape(str(m["id"]))+"/obsolete", nil,
					map[string]any{"reason": "revision " + str(draft["revision"]) + " replaces it"}); !ob.ok() {
					x.relay(ob)
					return
				}
			}
		}
	}
	r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/activate", nil, map[string]any{}))
}

// nextRevision counts a revision on: a trailing number up by one (B2 → B3, 1 → 2), else a
// trailing letter (A → B), else a "-2" appended; none is 2.
func nextRevision(rev string) string {
	if rev == "" {
		return "2"
	}
	i := len(rev)
	for i > 0 && rev[i-1] >= '0' && rev[i-1] <= '9' {
		i--
	}
	if i < len(rev) {
		n, err := strconv.Atoi(rev[i:])
		if err == nil {
			return rev[:i] + strconv.Itoa(n+1)
		}
	}
	if c := rev[len(rev)-1]; (c >= 'A' && c < 'Z') || (c >= 'a' && c < 'z') {
		return rev[:len(rev)-1] + string(c+1)
	}
	return rev + "-2"
}
