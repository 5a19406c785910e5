package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"stateset/domain"
)

func TestLeadConversionCreatesTheCustomer(t *testing.T) {
	sh := newShop(t)
	l := sh.ok(http.MethodPost, "/v1/leads", `{"id":"l1","firstName":"Grace","last_name":"Hopper","email":"grace@example.com",
		"company":"Navy Labs","leadSource":"trade_show","notes":"wants 40 units"}`)
	if l["status"] != "NEW" || l["lastName"] != "Hopper" || l["leadSource"] != "trade_show" {
		t.Fatalf("lead %v", l)
	}
	// a NEW lead cannot be converted yet, and that creates nobody
	sh.refused(http.MethodPost, "/v1/leads/l1/convert", "", 409, "INVALID_TRANSITION")
	sh.refused(http.MethodGet, "/v1/customers/"+domain.LeadCustomerID("l1"), "", 404, "NOT_FOUND")

	sh.ok(http.MethodPost, "/v1/leads/l1/contact", `{"reason":"called"}`)
	sh.ok(http.MethodPost, "/v1/leads/l1/accept", "")
	l = sh.ok(http.MethodPost, "/v1/leads/l1/convert", "")
	cid, _ := l["customer_id"].(string)
	if l["status"] != "CONVERTED" || cid != domain.LeadCustomerID("l1") {
		t.Fatalf("converted lead %v", l)
	}
	c := sh.ok(http.MethodGet, "/v1/customers/"+cid, "")
	if c["email"] != "grace@example.com" || c["firstName"] != "Grace" || c["lastName"] != "Hopper" || c["status"] != "ACTIVE" {
		t.Fatalf("customer %v", c)
	}
	if got := sh.ok(http.MethodGet, "/v1/leads/l1", ""); got["customer_id"] != cid || got["status"] != "CONVERTED" {
		t.Fatalf("lead read model %v", got)
	}
	sh.refused(http.MethodPost, "/v1/leads/l1/convert", "", 409, "INVALID_TRANSITION")
	if got := sh.ok(http.MethodGet, "/v1/leads?status=CONVERTED&email=GRACE@example.com", "")["data"].([]any); len(got) != 1 {
		t.Fatalf("list by status and email: %v", got)
	}

	// an email a live customer holds: 409 naming email, the lead stays QUALIFIED, no customer
	sh.ok(http.MethodPost, "/v1/leads", `{"id":"l2","firstName":"Bo","email":"buyer@example.com"}`)
	sh.ok(http.MethodPost, "/v1/leads/l2/contact", "")
	before := sh.ok(http.MethodPost, "/v1/leads/l2/accept", "")
	if f := sh.refused(http.MethodPost, "/v1/leads/l2/convert", "", 409, "ALREADY_EXISTS"); strings.Join(f, ",") != "email" {
		t.Fatalf("taken email names %v", f)
	}
	after := sh.ok(http.MethodGet, "/v1/leads/l2", "")
	if after["status"] != "QUALIFIED" || after["version"] != before["version"] || after["customer_id"] != nil {
		t.Fatalf("lead after a refused conversion %v", after)
	}
	sh.refused(http.MethodGet, "/v1/customers/"+domain.LeadCustomerID("l2"), "", 404, "NOT_FOUND")
	// disqualifying is open until conversion
	if d := sh.ok(http.MethodPost, "/v1/leads/l2/disqualify", `{"reason":"already a customer"}`); d["status"] != "DISQUALIFIED" {
		t.Fatalf("disqualified %v", d)
	}
	sh.refused(http.MethodPost, "/v1/leads/l1/disqualify", "", 409, "INVALID_TRANSITION")
	sh.refused(http.MethodPost, "/v1/leads", `{"id":"l3","email":"nope","colour":"red"}`, 400, "VALIDATION_ERROR")
	if h := history(sh, "/v1/leads/l1/history"); h[len(h)-1]["type"] != "lead.converted" {
		t.Fatalf("history %v", h)
	}
}

func TestContactNeedsAnExistingCustomerOrSupplier(t *testing.T) {
	sh := newShop(t)
	if f := sh.refused(http.MethodPost, "/v1/contacts", `{"customer_id":"nobody","firstName":"Ada"}`, 400, "VALIDATION_ERROR"); strings.Join(f, ",") != "customer_id" {
		t.Fatalf("unknown customer names %v", f)
	}
	if f := sh.refused(http.MethodPost, "/v1/contacts", `{"supplier_id":"nobody","firstName":"Ada"}`, 400, "VALIDATION_ERROR"); strings.Join(f, ",") != "supplier_id" {
		t.Fatalf("unknown supplier names %v", f)
	}
	sh.refused(http.MethodPost, "/v1/contacts", `{"customer_id":"cus1","supplier_id":"s1","firstName":"Ada"}`, 400, "VALIDATION_ERROR")
	c := sh.ok(http.MethodPost, "/v1/contacts", `{"id":"k1","customer_id":"cus1","first_name":"Ada","lastName":"Lovelace","email":"ada@example.com"}`)
	if c["status"] != "ACTIVE" || c["customer_id"] != "cus1" || c["firstName"] != "Ada" {
		t.Fatalf("contact %v", c)
	}
	if got := sh.ok(http.MethodGet, "/v1/contacts?customer_id=cus1", "")["data"].([]any); len(got) != 1 {
		t.Fatalf("contacts of cus1: %v", got)
	}
	sh.ok(http.MethodPost, "/v1/contacts/k1/archive", "")
	sh.refused(http.MethodPost, "/v1/contacts/k1/archive", "", 409, "INVALID_TRANSITION")
}

func TestOpportunityMovesThroughThePipeline(t *testing.T) {
	sh := newShop(t)
	sh.refused(http.MethodPost, "/v1/opportunities", `{"name":"deal","lead_id":"nobody","amount":100,"currency":"USD"}`, 400, "VALIDATION_ERROR")
	o := sh.ok(http.MethodPost, "/v1/opportunities", `{"id":"p1","name":"40 drills","customer_id":"cus1","amount":1200000,
		"currency":"USD","close_date":"2026-06-30","probability":20}`)
	if o["status"] != "PROSPECTING" || num(o["amount"]) != 1200000 || o["close_date"] != "2026-06-30" {
		t.Fatalf("opportunity %v", o)
	}
	// forward one stage at a time only
	sh.refused(http.MethodPost, "/v1/opportunities/p1/propose", "", 409, "INVALID_TRANSITION")
	for _, step := range []struct{ action, status string }{
		{"qualify", "QUALIFIED"}, {"propose", "PROPOSAL_SENT"}, {"negotiate", "NEGOTIATION"}, {"win", "WON"},
	} {
		if got := sh.ok(http.MethodPost, "/v1/opportunities/p1/"+step.action, ""); got["status"] != step.status {
			t.Fatalf("%s: %v", step.action, got)
		}
	}
	if got := sh.ok(http.MethodGet, "/v1/opportunities/p1", ""); num(got["probability"]) != 100 || got["status"] != "WON" {
		t.Fatalf("won %v", got)
	}
	sh.refused(http.MethodPost, "/v1/opportunities/p1/lose", "", 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/opportunities", `{"id":"p2","name":"small","customer_id":"cus1","amount":500,"currency":"EUR"}`)
	if got := sh.ok(http.MethodPost, "/v1/opportunities/p2/lose", `{"reason":"price"}`); got["status"] != "LOST" || got["reason"] != "price" {
		t.Fatalf("lost %v", got)
	}
	if got := sh.ok(http.MethodGet, "/v1/opportunities?status=WON", "")["data"].([]any); len(got) != 1 {
		t.Fatalf("won list %v", got)
	}
}

func TestCaseLifecycleWithNotes(t *testing.T) {
	sh := newShop(t)
	sh.refused(http.MethodPost, "/v1/cases", `{"caseName":"x","customer_id":"nobody","priority":"SOMEDAY"}`, 400, "VALIDATION_ERROR")
	c := sh.ok(http.MethodPost, "/v1/cases", `{"id":"k1","caseName":"Mug arrived broken","description":"handle snapped",
		"submitter":"buyer@example.com","priority":"HIGH","customer_id":"cus1"}`)
	if c["status"] != "NEW" || c["case_number"] != "CASE-000001" || c["caseName"] != "Mug arrived broken" {
		t.Fatalf("case %v", c)
	}
	sh.refused(http.MethodPost, "/v1/cases/k1/close", "", 409, "INVALID_TRANSITION") // a NEW case is resolved first
	sh.refused(http.MethodPost, "/v1/cases/k1/assign", `{}`, 400, "VALIDATION_ERROR")
	for _, step := range []struct{ path, body, status string }{
		{"assign", `{"assignee":"sam"}`, "IN_PROGRESS"},
		{"hold", `{"reason":"waiting for photos"}`, "ON_HOLD"},
		{"resume", "", "IN_PROGRESS"},
		{"resolve", `{"resolution":"replacement sent"}`, "RESOLVED"},
		{"close", "", "CLOSED"},
		{"reopen", `{"reason":"replacement broken too"}`, "IN_PROGRESS"},
	} {
		got := sh.ok(http.MethodPost, "/v1/cases/k1/"+step.path, step.body)
		if got["status"] != step.status {
			t.Fatalf("%s: %v", step.path, got)
		}
		if step.path == "resolve" && got["resolution"] != "replacement sent" {
			t.Fatalf("resolution %v", got["resolution"])
		}
	}
	sh.refused(http.MethodPost, "/v1/cases/k1/close", "", 409, "INVALID_TRANSITION")
	sh.ok(http.MethodPost, "/v1/cases/k1/notes", `{"body":"customer sent photos","author":"sam"}`)
	// the SDK's route and spelling reach the same case
	sh.ok(http.MethodPost, "/v1/cases_tickets/k1/notes", `{"note":"second replacement shipped","author":"alex"}`)
	if got := sh.ok(http.MethodPost, "/v1/cases_tickets/k1/assign", `{"assignee":"alex"}`); got["assignee"] != "alex" {
		t.Fatalf("reassigned %v", got)
	}
	notes := sh.ok(http.MethodGet, "/v1/cases/k1/notes", "")["data"].([]any)
	if len(notes) != 2 || notes[0].(map[string]any)["body"] != "customer sent photos" || notes[1].(map[string]any)["author"] != "alex" {
		t.Fatalf("notes %v", notes)
	}
	alias := sh.ok(http.MethodGet, "/v1/cases_tickets/k1", "")
	if alias["id"] != "k1" || len(alias["notes"].([]any)) != 2 || alias["status"] != "IN_PROGRESS" {
		t.Fatalf("via alias %v", alias)
	}
	if got := sh.ok(http.MethodGet, "/v1/cases_tickets?customer_id=cus1&priority=HIGH", "")["data"].([]any); len(got) != 1 {
		t.Fatalf("list %v", got)
	}
	if h := history(sh, "/v1/cases_tickets/k1/history"); len(h) != 10 {
		t.Fatalf("history has %d events", len(h))
	}
	if c2 := sh.ok(http.MethodPost, "/v1/cases_tickets", `{"case_name":"Where is my order?"}`); c2["case_number"] != "CASE-000002" || c2["priority"] != "MEDIUM" {
		t.Fatalf("second case %v", c2)
	}
}

func TestCustomerTimelineMergesOrdersReturnsWarrantiesAndCases(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 10)
	sh.shipped("o1", line("MUG", 2))
	sh.ok(http.MethodPost, "/v1/returns", `{"id":"r1","order_id":"o1","items":[{"sku":"MUG","quantity":1,"reason":"DEFECTIVE"}]}`)
	sh.ok(http.MethodPost, "/v1/returns/r1/approve", "")
	sh.ok(http.MethodPost, "/v1/warranties", `{"id":"w1","customer_id":"cus1","order_id":"o1","sku":"MUG","type":"MANUFACTURER","duration_months":12}`)
	sh.ok(http.MethodPost, "/v1/cases", `{"id":"k1","caseName":"Mug broken","customer_id":"cus1","order_id":"o1"}`)
	sh.ok(http.MethodPost, "/v1/cases/k1/assign", `{"assignee":"sam"}`)
	sh.ok(http.MethodPost, "/v1/cases/k1/notes", `{"body":"photos received","author":"sam"}`)
	// a case of nobody in particular stays off every timeline
	sh.ok(http.MethodPost, "/v1/cases", `{"id":"k2","caseName":"general question"}`)

	rows := sh.ok(http.MethodGet, "/v1/customers/cus1/timeline?limit=100", "")["data"].([]any)
	var kinds, types []string
	last := uint64(1 << 62)
	for _, r := range rows {
		e := r.(map[string]any)
		if p := uint64(num(e["position"])); p >= last {
			t.Fatalf("not newest first at %v", e)
		} else {
			last = p
		}
		kinds = append(kinds, e["kind"].(string))
		types = append(types, e["event_type"].(string))
	}
	for _, want := range []string{"OrderCreated", "OrderShipped", "OrderPaid", "ReturnRequested", "ReturnApproved",
		"WarrantyRegistered", "CaseOpened", "CaseAssigned", "CaseNoteAdded", "CustomerCreated"} {
		if !slices.Contains(types, want) {
			t.Errorf("timeline lacks %s: %v", want, types)
		}
	}
	if slices.Contains(types, "OrderLinesAllocated") {
		t.Errorf("flow bookkeeping on the timeline: %v", types)
	}
	if types[0] != "CaseNoteAdded" || kinds[0] != "case" || types[len(types)-1] != "CustomerCreated" {
		t.Fatalf("newest first: %v", types)
	}
	note := rows[0].(map[string]any)
	if note["type"] != "case.note_added" || note["data"].(map[string]any)["body"] != "photos received" {
		t.Fatalf("note row %v", note)
	}
	for _, r := range rows {
		if d := r.(map[string]any)["data"].(map[string]any); d["case_id"] == "k2" {
			t.Fatalf("k2 on cus1's timeline: %v", d)
		}
	}
}

// TestPrimaryContact: a customer or supplier names one contact primary at a time; the
// contacts show it (and filter on it), an archived one is no one's primary, If-Match is the
// contact's, and the view equals its rebuild.
func TestPrimaryContact(t *testing.T) {
	sh := newShop(t)
	sh.supplier("sup1")
	for _, k := range []string{`{"id":"k1","customer_id":"cus1","lastName":"Lovelace"}`, `{"id":"k2","customer_id":"cus1","lastName":"Byron"}`,
		`{"id":"k3","supplier_id":"sup1","lastName":"Babbage"}`} {
		if c := sh.ok(http.MethodPost, "/v1/contacts", k); c["is_primary"] != false {
			t.Fatalf("a new contact is primary: %v", c)
		}
	}
	primaries := func(owner string) string {
		var ids []string
		for _, c := range sh.ok(http.MethodGet, "/v1/contacts?is_primary=true&"+owner, "")["data"].([]any) {
			ids = append(ids, c.(map[string]any)["id"].(string))
		}
		return strings.Join(ids, ",")
	}
	if c := sh.ok(http.MethodPost, "/v1/contacts/k1/primary", ""); c["is_primary"] != true {
		t.Fatalf("named primary: %v", c)
	}
	sh.ok(http.MethodPost, "/v1/contacts/k1/primary", "") // again: nothing changes
	sh.ok(http.MethodPost, "/v1/contacts/k3/primary", "") // the supplier's, beside the customer's
	if got := primaries("customer_id=cus1"); got != "k1" {
		t.Fatalf("cus1's primary %q", got)
	}
	if c := sh.ok(http.MethodPost, "/v1/contacts/k2/primary", `{}`); c["is_primary"] != true {
		t.Fatalf("k2 named primary: %v", c)
	}
	if got := primaries("customer_id=cus1"); got != "k2" {
		t.Fatalf("cus1's primary after k2 %q", got)
	}
	if got := primaries("supplier_id=sup1"); got != "k3" {
		t.Fatalf("sup1's primary %q", got)
	}
	if c := sh.ok(http.MethodGet, "/v1/contacts/k1", ""); c["is_primary"] != false {
		t.Fatalf("k1 still primary: %v", c)
	}
	if c := sh.ok(http.MethodPut, "/v1/contacts/k2", `{"title":"Buyer"}`); c["is_primary"] != true {
		t.Fatalf("an edit's answer loses is_primary: %v", c)
	}
	// If-Match is the contact's version; a stale one is refused and names no one
	if a := sh.cl.must(t, http.MethodPost, sh.base+"/v1/contacts/k1/primary", "", "If-Match", `"7"`); a.status != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %d %s", a.status, a.body)
	}
	sh.refused(http.MethodGet, "/v1/contacts?is_primary=yes", "", 400, "VALIDATION_ERROR")
	sh.refused(http.MethodPost, "/v1/contacts/nobody/primary", "", 404, "NOT_FOUND")
	// archiving the primary leaves none; an archived contact cannot be named
	if c := sh.ok(http.MethodPost, "/v1/contacts/k2/archive", ""); c["is_primary"] != false {
		t.Fatalf("archived, still primary: %v", c)
	}
	if got := primaries("customer_id=cus1"); got != "" {
		t.Fatalf("cus1's primary after archiving it %q", got)
	}
	sh.refused(http.MethodPost, "/v1/contacts/k2/primary", "", 409, "INVALID_TRANSITION")
	if h := history(sh, "/v1/customers/cus1/history"); h[len(h)-1]["type"] != "customer.primary_contact_set" {
		t.Fatalf("customer history ends %v", h[len(h)-1])
	}
	sh.srv.stop()
	redeliverEverything(t, sh.dir) // the view takes a redelivered event as it took it first
	checkRebuildEquals(t, sh.dir)
}
