package sdk

import (
	"net/http"
	"net/url"
	"strings"
)

// The SDK's seven line-item resources, declared on the lines of their native parents.

func lineItems() []*resource {
	return []*resource{orderLines().resource(), returnLines().resource(), warrantyLines().resource(),
		workOrderLines().resource(), shipmentLines().resource(), poLines().resource(), asnLines().resource(),
		purchaseOrderPaths()}
}

func orderLines() *lines {
	edit := itemsEdit{native: "/v1/orders", keep: []string{"sku", "name", "quantity", "unit_price"},
		in: func(in, base map[string]any) map[string]any {
			it, _ := in["item"].(map[string]any)
			out := clone(base)
			if it == nil {
				return out
			}
			if s := first(it["product_id"], it["sku"]); s != nil {
				out["sku"] = s
			}
			if n, ok := it["name"].(string); ok {
				out["name"] = n
			}
			if q, ok := it["quantity"]; ok {
				out["quantity"] = q
			}
			if p, ok := it["unit_price"]; ok {
				out["unit_price"] = toMinor(p)
			}
			return out
		}}
	return &lines{
		path: "order_line_items", single: "order_line", list: "order_lines", parentKey: "order_id",
		native: "/v1/orders", field: "items", key: "id",
		view: func(p, ln map[string]any) map[string]any {
			return map[string]any{"type": "PRODUCT", "status": p["status"],
				"item":    map[string]any{"product_id": ln["sku"], "sku": ln["sku"], "name": ln["name"], "quantity": ln["quantity"], "unit_price": num(ln["unit_price"]) / 100, "currency": p["currency"]},
				"pricing": map[string]any{"subtotal": num(ln["total"]) / 100, "total": num(ln["total"]) / 100}}
		},
		// an order's lines change while it has not shipped: the order is updated whole
		create: func(x *exchange, l *lines, pid string, _ map[string]any, in map[string]any) answer {
			return edit.add(x, pid, in)
		},
		created: func(in, ln map[string]any) bool {
			it, _ := in["item"].(map[string]any)
			return it != nil && ln["sku"] == first(it["product_id"], it["sku"])
		},
		update: func(x *exchange, l *lines, pid string, line map[string]any, in map[string]any) answer {
			return edit.change(x, pid, "id", line["id"], in)
		},
		remove: func(x *exchange, l *lines, pid string, line map[string]any) answer {
			return edit.remove(x, pid, "id", line["id"])
		},
		extra: []op{{method: http.MethodPost, path: "{id}/fulfillment", why: "lines are fulfilled by the order's shipments"}},
	}
}

// returnReasons spells a return line's reason as the SDK's ReturnLine does (upper case).
var returnLineReasons = []string{"CHANGED_MIND=NO_LONGER_NEEDED", "DAMAGED=DAMAGED_IN_TRANSIT"}

func returnLines() *lines {
	return &lines{
		path: "return_line_items", single: "return_line", list: "return_lines", parentKey: "return_id",
		native: "/v1/returns", field: "items", key: "line_id",
		why: "a return's lines are fixed when it is requested",
		view: func(p, ln map[string]any) map[string]any {
			return map[string]any{"order_id": p["order_id"], "status": p["status"], "reason": lookup(returnLineReasons, str(ln["reason"]), true),
				"requested_action": "REFUND",
				"item": map[string]any{"product_id": ln["sku"], "sku": ln["sku"], "quantity": ln["quantity"], "unit_price": num(ln["unit_price"]) / 100,
					"currency": p["currency"], "condition": ln["condition"]}}
		},
		extra: []op{{method: http.MethodPost, path: "{id}/inspection", why: "a return is inspected whole (POST /v1/returns/{id}/inspect)"}},
	}
}

// warrantyLines are a warranty's claims: the SDK's line is a claim on the item, its type
// the resolution asked for (SERVICE is a repair), its status the claim's.
func warrantyLines() *lines {
	claimStatus := []string{"PENDING=SUBMITTED", "CANCELLED=WITHDRAWN"}
	claim := func(in map[string]any) map[string]any {
		out := map[string]any{}
		if d, ok := in["claim_description"]; ok {
			out["issue_description"] = d
		}
		if t, ok := in["type"].(string); ok {
			out["requested_resolution"] = lookup([]string{"SERVICE=REPAIR"}, t, false)
		}
		return out
	}
	return &lines{
		path: "warranty_line_items", single: "warranty_line", list: "warranty_lines", parentKey: "warranty_id",
		native: "/v1/warranties", field: "claims", key: "id",
		view: func(p, c map[string]any) map[string]any {
			o := map[string]any{"type": first(c["resolution"], c["requested_resolution"]), "status": lookup(claimStatus, str(c["status"]), true),
				"claim_description": c["issue_description"],
				"item":              map[string]any{"product_id": p["sku"], "sku": p["sku"], "serial_number": p["serial_number"], "quantity": 1}}
			if c["status"] == "APPROVED" {
				o["resolution"] = map[string]any{"type": c["resolution"], "approved_at": c["decided_at"]}
			}
			return o
		},
		create: func(x *exchange, l *lines, pid string, _ map[string]any, in map[string]any) answer {
			return x.call(http.MethodPost, "/v1/warranties/"+url.PathEscape(pid)+"/claims", nil, claim(in))
		},
		update: func(x *exchange, l *lines, pid string, c map[string]any, in map[string]any) answer {
			return x.call(http.MethodPut, claimPath(pid, c), nil, claim(in))
		},
		remove: func(x *exchange, l *lines, pid string, c map[string]any) answer {
			return x.call(http.MethodPost, claimPath(pid, c)+"/withdraw", nil, map[string]any{})
		},
		status: warrantyLineStatus,
	}
}

// claimPath is the native path of claim c of warranty pid.
func claimPath(pid string, c map[string]any) string {
	return "/v1/warranties/" + url.PathEscape(pid) + "/claims/" + url.PathEscape(str(c["id"]))
}

// claimActions are the claim's actions that reach the SDK's line statuses; approving
// grants the resolution the claim asked for.
var claimActions = map[string]string{"APPROVED": "approve", "REJECTED": "reject", "CANCELLED": "withdraw"}

// warrantyLineStatus is the SDK's updateStatus of a claim: its status reached by the
// claim's action. IN_PROGRESS and COMPLETED are the remedy's, which the warranty-claims
// flow carries out once a claim is approved.
func warrantyLineStatus(x *exchange, l *lines, id string) {
	in, ok := x.body()
	if !ok {
		return
	}
	status := strings.ToUpper(str(in["status"]))
	action, known := claimActions[status]
	if !known {
		fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_FAILED", "request validation failed", "status",
			"must be one of APPROVED, REJECTED, CANCELLED: a claim's remedy (IN_PROGRESS, COMPLETED) is carried out by the warranty-claims flow once it is approved")
		return
	}
	parent, c, found := l.find(x, id)
	if !found {
		return
	}
	body := map[string]any{}
	if reason, ok := in["reason"].(string); ok && action != "approve" {
		body["reason"] = reason
	}
	l.editedLine(x, id, x.call(http.MethodPost, claimPath(str(parent["id"]), c)+"/"+action, nil, body))
}

func workOrderLines() *lines {
	return &lines{
		path: "work_order_line_items", single: "work_order_line", list: "work_order_lines", parentKey: "work_order_id",
		native: "/v1/work_orders", field: "components", key: "line_id",
		why: "a work order's components are its bill of materials', exploded when it is created",
		view: func(p, c map[string]any) map[string]any {
			o := map[string]any{"type": "MATERIAL", "status": p["status"], "item": map[string]any{"item_id": c["sku"], "quantity": c["required"], "unit_of_measure": "each"},
				"cost_details": map[string]any{"estimated_cost": 0, "currency": "USD"}}
			// its quality check is the last inspection check of the component
			checks, _ := p["inspections"].([]any)
			for _, ch := range checks {
				if ch, _ := ch.(map[string]any); ch != nil && ch["line_id"] == c["line_id"] {
					o["quality_check"] = map[string]any{"parameter": ch["parameter"], "expected_value": ch["specification"], "actual_value": ch["measurement"],
						"passed": ch["result"] == "PASS", "checked_at": ch["inspected_at"], "checked_by": ch["inspector"]}
				}
			}
			return o
		},
		extra: []op{
			{method: http.MethodPost, path: "{id}/execution", why: "a work order is executed whole (start, complete)"},
			{method: http.MethodPost, path: "{id}/quality-check", do: workOrderLineCheck},
		},
	}
}

// workOrderLineCheck is the SDK's submitQualityCheck of a work order line: an inspection
// check of that component, recorded on the work order.
func workOrderLineCheck(x *exchange, v []string) {
	in, ok := x.body()
	if !ok {
		return
	}
	l := workOrderLines()
	parent, line, found := l.find(x, v[0])
	if !found {
		return
	}
	check := given(map[string]any{"line_id": line["line_id"], "parameter": in["parameter"], "specification": in["expected_value"],
		"measurement": in["actual_value"], "result": passFail(in["passed"]), "inspector": in["checked_by"]})
	l.editedLine(x, v[0], x.call(http.MethodPost, l.native+"/"+url.PathEscape(str(parent["id"]))+"/inspections", nil,
		map[string]any{"checks": []any{check}}))
}

func shipmentLines() *lines {
	return &lines{
		path: "shipment_line_items", single: "shipment_line", list: "shipment_lines", parentKey: "shipment_id",
		native: "/v1/shipments", field: "lines", key: "line_id",
		why: "a shipment's lines are fixed when it is created",
		view: func(p, ln map[string]any) map[string]any {
			return map[string]any{"type": "PRODUCT", "status": p["status"], "order_line_id": ln["line_id"],
				"item":     map[string]any{"item_id": ln["line_id"], "sku": ln["sku"], "quantity": ln["quantity"], "weight": map[string]any{"value": 0, "unit": "LB"}},
				"tracking": map[string]any{"number": p["tracking_number"], "carrier": p["carrier"]}}
		},
		extra: []op{{method: http.MethodPost, path: "{id}/tracking", do: shipmentLineTracking}},
	}
}

// shipmentLineTracking is the SDK's updateTracking of a line: a shipment travels as one,
// so the tracking number and carrier are the shipment's.
func shipmentLineTracking(x *exchange, v []string) {
	in, ok := x.body()
	if !ok {
		return
	}
	l := shipmentLines()
	parent, _, found := l.find(x, v[0])
	if !found {
		return
	}
	body := map[string]any{}
	if n := str(first(in["number"], in["tracking_number"])); n != "" {
		body["tracking_number"] = n
	}
	if c := str(in["carrier"]); c != "" {
		body["carrier"] = c
	}
	l.editedLine(x, v[0], x.call(http.MethodPut, "/v1/shipments/"+url.PathEscape(str(parent["id"])), nil, body))
}

// poItems edits a draft purchase order's lines: the SDK's {item_id, quantity, unit_price}.
var poItems = itemsEdit{native: "/v1/purchase_orders", keep: []string{"sku", "quantity", "unit_cost"},
	in: func(in, base map[string]any) map[string]any {
		out := clone(base)
		if s := first(in["item_id"], in["sku"]); s != nil {
			out["sku"] = s
		}
		if q, ok := in["quantity"]; ok {
			out["quantity"] = q
		}
		if p, ok := in["unit_price"]; ok {
			out["unit_cost"] = toMinor(p)
		}
		return out
	}}

func poLines() *lines {
	l := &lines{
		path: "purchase_order_line_items", single: "line_item", list: "line_items", parentKey: "purchase_order_id",
		native: "/v1/purchase_orders", field: "items", key: "line_id", bare: true,
		// a draft's lines change: the order is updated whole
		create: func(x *exchange, l *lines, pid string, _ map[string]any, in map[string]any) answer {
			return poItems.add(x, pid, in)
		},
		created: func(in, ln map[string]any) bool { return ln["sku"] == first(in["item_id"], in["sku"]) },
		update: func(x *exchange, l *lines, pid string, line map[string]any, in map[string]any) answer {
			return poItems.change(x, pid, "line_id", line["line_id"], in)
		},
		remove: func(x *exchange, l *lines, pid string, line map[string]any) answer {
			return poItems.remove(x, pid, "line_id", line["line_id"])
		},
		view: func(p, ln map[string]any) map[string]any {
			return map[string]any{"item_id": ln["sku"], "quantity": ln["quantity"], "unit_price": num(ln["unit_cost"]) / 100, "currency": p["currency"],
				"total_amount": num(ln["total"]) / 100, "quantity_received": ln["received"], "status": p["status"]}
		},
	}
	l.extra = []op{{method: http.MethodPut, path: "{id}/receive", do: func(x *exchange, v []string) {
		in, ok := x.body()
		if !ok {
			return
		}
		parent, line, found := l.find(x, v[0])
		if !found {
			return
		}
		a := x.call(http.MethodPost, "/v1/purchase_orders/"+url.PathEscape(str(parent["id"]))+"/receive", nil,
			map[string]any{"items": []any{map[string]any{"sku": line["sku"], "quantity": in["quantity_received"]}}})
		l.editedLine(x, v[0], a)
	}}}
	return l
}

func asnLines() *lines {
	return &lines{
		path: "asn_line_items", single: "line_item", list: "line_items", parentKey: "asn_id",
		native: "/v1/asns", field: "items", key: "sku", bare: true,
		view: func(p, ln map[string]any) map[string]any {
			return map[string]any{"purchase_order_line_item_id": ln["sku"], "quantity_shipped": ln["quantity"], "status": p["status"],
				"tracking_number": p["tracking_number"], "carrier": p["carrier"]}
		},
		// a draft ASN's items change: the ASN is updated whole
		create: func(x *exchange, l *lines, pid string, _ map[string]any, in map[string]any) answer {
			resolved := asnSKUs(x, pid, []map[string]any{in})[0]
			in["sku"] = resolved["sku"] // for created, which finds the line by it
			return asnItems.add(x, pid, resolved)
		},
		created: func(in, ln map[string]any) bool { return ln["sku"] == in["sku"] },
		update: func(x *exchange, l *lines, pid string, line map[string]any, in map[string]any) answer {
			return asnItems.change(x, pid, "sku", line["sku"], in)
		},
		remove: func(x *exchange, l *lines, pid string, line map[string]any) answer {
			return asnItems.remove(x, pid, "sku", line["sku"])
		},
		extra: []op{
			{method: http.MethodPut, path: "{id}/tracking", do: asnLineTracking},
			{method: http.MethodGet, path: "{id}/tracking-history", do: asnTrackingHistory},
		},
	}
}

// asnLineTracking is the SDK's updateTrackingInfo: an ASN travels as one, so its line's
// tracking number is the ASN's.
func asnLineTracking(x *exchange, v []string) {
	in, ok := x.body()
	if !ok {
		return
	}
	l := asnLines()
	parent, _, found := l.find(x, v[0])
	if !found {
		return
	}
	body := map[string]any{}
	if t, ok := in["tracking_number"].(string); ok {
		body["tracking_number"] = t
	}
	l.editedLine(x, v[0], x.call(http.MethodPut, "/v1/asns/"+url.PathEscape(str(parent["id"])), nil, body))
}

// asnTrackingHistory is the line's journey: its ASN's submission, shipping and delivery.
func asnTrackingHistory(x *exchange, v []string) {
	parent, _, found := asnLines().find(x, v[0])
	if !found {
		return
	}
	a, ok := x.read("/v1/asns/" + url.PathEscape(str(parent["id"])) + "/history")
	if !ok {
		return
	}
	steps := map[string]string{"ASNCreated": "PENDING", "ASNSubmitted": "PENDING", "ASNShipped": "IN_TRANSIT", "ASNDelivered": "DELIVERED", "ASNCancelled": "CANCELLED"}
	events := []any{}
	hist, _ := a.object()["data"].([]any)
	for _, e := range hist {
		ev, _ := e.(map[string]any)
		if st, ok := steps[str(ev["event_type"])]; ok {
			events = append(events, map[string]any{"timestamp": ev["time"], "status": st, "event": ev["event_type"],
				"tracking_number": parent["tracking_number"], "carrier": parent["carrier"]})
		}
	}
	x.reply(a, map[string]any{"line_item_id": v[0], "history": events})
}

// purchaseOrderPaths serves the SDK's purchase_orders/{id}/line_items (its PO lines'
// list and bulk create); every other purchase_orders request is native.
func purchaseOrderPaths() *resource {
	return &resource{path: "purchase_orders", native: "/v1/purchase_orders", opsOnly: true, ops: []op{
		{method: http.MethodGet, path: "{id}/line_items", do: func(x *exchange, v []string) { poLines().listLines(x, v[0]) }},
		{method: http.MethodPost, path: "{id}/line_items/bulk", do: func(x *exchange, v []string) {
			// the SDK's bulkCreate: every line added in one update of the draft
			in, ok := x.body()
			if !ok {
				return
			}
			var ins []map[string]any
			items, _ := in["line_items"].([]any)
			for _, e := range items {
				if m, ok := e.(map[string]any); ok {
					ins = append(ins, m)
				}
			}
			a := poItems.add(x, v[0], ins...)
			if !a.ok() {
				x.relay(a)
				return
			}
			l := poLines()
			var out []any
			for _, ln := range l.of(a.object()) {
				for _, m := range ins {
					if ln["sku"] == first(m["item_id"], m["sku"]) {
						out = append(out, l.object(a.object(), ln))
					}
				}
			}
			writeJSON(x.w, http.StatusCreated, out)
		}},
	}}
}
