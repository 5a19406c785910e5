package sdk

import (
	"net/http"
	"net/url"
	"slices"
)

// The CRM resources: leads, contacts, opportunities and cases (the SDK's cases_tickets).

func leads() *resource {
	return &resource{
		path: "leads", native: "/v1/leads", list: "data",
		m: mapping{
			fields: []string{"id", "firstName", "lastName", "email", "phone", "company", "title", "leadSource", "notes"},
			rename: map[string]string{"first_name": "firstName", "last_name": "lastName", "source": "leadSource", "lead_source": "leadSource", "job_title": "title"},
			in:     func(m map[string]any) { splitName(m, "firstName", "lastName") },
			out:    func(m map[string]any) { m["title"] = m["job_title"] }, // both spellings
		},
		query:  map[string]string{"status": "status", "email": "email", "company": "company", "source": "lead_source", "from": "created_after", "to": "created_before"},
		update: true,
		reach:  &reaching{agg: "lead", verbs: []string{"contact", "accept", "disqualify"}},
		del:    "disqualify",
	}
}

func contacts() *resource {
	r := &resource{
		path: "contacts", native: "/v1/contacts", single: "contact", list: "contacts",
		m: mapping{
			fields: []string{"id", "customer_id", "supplier_id", "firstName", "lastName", "email", "phone", "title", "notes"},
			rename: map[string]string{"first_name": "firstName", "last_name": "lastName", "job_title": "title"},
			values: map[string][]string{"status": {"INACTIVE=ARCHIVED"}},
			in: func(m map[string]any) {
				// the SDK's entity is a customer unless its type says supplier
				if id, ok := m["entity_id"].(string); ok {
					switch m["type"] {
					case "SUPPLIER", "VENDOR":
						m["supplier_id"] = id
					default:
						m["customer_id"] = id
					}
				}
				if n, ok := m["notes"].([]any); ok {
					m["notes"] = joined(n)
				}
			},
			out: func(m map[string]any) {
				m["entity_id"], m["type"] = m["customer_id"], "CUSTOMER"
				if s, ok := m["supplier_id"].(string); ok && s != "" {
					m["entity_id"], m["type"] = s, "SUPPLIER"
				}
			},
		},
		query:  map[string]string{"entity_id": "customer_id", "status": "status", "email": "email", "from": "created_after", "to": "created_before"},
		update: true,
		del:    "archive",
	}
	// the owner names its primary contact; the contact answers is_primary
	r.ops = []op{{method: http.MethodPost, path: "{id}/set_primary", do: func(x *exchange, v []string) {
		r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/primary", nil, map[string]any{}))
	}}}
	return r
}

func opportunities() *resource {
	r := &resource{
		path: "opportunities", native: "/v1/opportunities", single: "opportunity", list: "opportunities",
		m: mapping{
			fields: []string{"id", "name", "description", "customer_id", "lead_id", "amount", "currency", "close_date", "probability"},
			rename: map[string]string{"expected_close_date": "close_date"},
			money:  []string{"amount"},
			in: func(m map[string]any) {
				if _, ok := m["name"]; !ok {
					m["name"] = m["description"]
				}
				// StateSet One's opportunity is on a customer or a lead: the customer, when both
				if m["customer_id"] != nil {
					delete(m, "lead_id")
				}
				if d, ok := m["expected_close_date"].(string); ok && len(d) > 10 {
					m["expected_close_date"] = d[:10]
				}
			},
		},
		query:  map[string]string{"lead_id": "lead_id", "customer_id": "customer_id", "status": "status", "from": "created_after", "to": "created_before", "date_from": "created_after", "date_to": "created_before"},
		update: true,
		reach:  &reaching{agg: "opportunity", verbs: []string{"qualify", "propose", "negotiate", "win", "lose"}},
		del:    "lose",
	}
	r.ops = []op{{method: http.MethodPost, path: "{id}/convert", do: func(x *exchange, v []string) { convertOpportunity(x, r, v[0]) }}}
	return r
}

// convertOpportunity is the SDK's convertToCustomer: the deal is won with the customer it
// names, who must be the opportunity's (or, for one on a lead, the customer the lead was
// converted to; a lead converts through POST /v1/leads/{id}/convert).
func convertOpportunity(x *exchange, r *resource, id string) {
	in, ok := x.body()
	if !ok {
		return
	}
	a, ok := x.read(r.native + "/" + url.PathEscape(id))
	if !ok {
		return
	}
	o := a.object()
	owner := str(o["customer_id"])
	if owner == "" && str(o["lead_id"]) != "" {
		if l := x.call(http.MethodGet, "/v1/leads/"+url.PathEscape(str(o["lead_id"])), nil, nil); l.ok() {
			owner = str(l.object()["customer_id"])
		}
	}
	if want := str(in["customer_id"]); want != "" && want != owner {
		msg := "the opportunity is not with customer " + want
		if owner == "" {
			msg = "the opportunity is on a lead not yet converted: convert the lead (POST /v1/leads/{id}/convert) first"
		}
		fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_ERROR", "the request is invalid", "customer_id", msg)
		return
	}
	r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/win", nil, map[string]any{"reason": "converted to customer"}))
}

func casesTickets() *resource {
	r := &resource{
		path: "cases_tickets", native: "/v1/cases", single: "case_ticket", list: "cases_tickets",
		m: mapping{
			fields: []string{"id", "caseName", "description", "submitter", "priority", "customer_id", "order_id"},
			rename: map[string]string{"subject": "caseName", "assigned_to": "assignee"},
			values: map[string][]string{"status": {"OPEN=NEW"}},
		},
		query:  map[string]string{"customer_id": "customer_id", "order_id": "order_id", "status": "status", "priority": "priority", "date_from": "created_after", "date_to": "created_before"},
		update: true,
		del:    "close",
		// a case is closed once resolved: the SDK's delete of an open one resolves it first
		delFirst: "resolve",
	}
	sub := func(x *exchange, id, verb string, body map[string]any) {
		if a := x.call(http.MethodPost, r.native+"/"+url.PathEscape(id)+"/"+verb, nil, body); !a.ok() {
			x.relay(a)
			return
		}
		r.get(x, id)
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/resolve", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				sub(x, v[0], "resolve", map[string]any{"resolution": in["notes"]})
			}
		}},
		{method: http.MethodPost, path: "{id}/assign", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				sub(x, v[0], "assign", map[string]any{"assignee": in["agent_id"]})
			}
		}},
		{method: http.MethodPost, path: "{id}/reopen", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				sub(x, v[0], "reopen", map[string]any{"notes": in["note"]})
			}
		}},
		{method: http.MethodPost, path: "{id}/notes", do: func(x *exchange, v []string) {
			if in, ok := x.body(); ok {
				sub(x, v[0], "notes", map[string]any{"note": in["note"]})
			}
		}},
		{method: http.MethodPost, path: "{id}/escalate", do: func(x *exchange, v []string) {
			// escalating raises the priority to the level (CRITICAL is URGENT), never lowers it
			in, ok := x.body()
			if !ok {
				return
			}
			level := lookup([]string{"CRITICAL=URGENT"}, str(in["level"]), false)
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]))
			if !ok {
				return
			}
			order := []string{"LOW", "MEDIUM", "HIGH", "URGENT"}
			if slices.Index(order, level) <= slices.Index(order, str(a.object()["priority"])) && slices.Contains(order, level) {
				r.one(x, a)
				return
			}
			r.one(x, x.call(http.MethodPut, r.native+"/"+url.PathEscape(v[0]), nil, map[string]any{"priority": level}))
		}},
		{method: http.MethodGet, path: "{id}/notes", do: func(x *exchange, v []string) {
			a, ok := x.read(r.native + "/" + url.PathEscape(v[0]) + "/notes")
			if !ok {
				return
			}
			x.reply(a, map[string]any{"notes": a.object()["data"]})
		}},
	}
	return r
}

// joined is the SDK's array of notes as the one note StateSet One keeps.
func joined(notes []any) string {
	out := ""
	for _, n := range notes {
		if s, ok := n.(string); ok {
			if out != "" {
				out += "\n"
			}
			out += s
		}
	}
	return out
}
