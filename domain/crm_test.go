package domain

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, crmGoldens) }

// crmGoldens is one realistic value per CRM event type (see goldens).
var crmGoldens = map[string]Event{
	"LeadCreated.v1": LeadCreated{LeadID: "lead_1", FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com",
		Phone: "+1 555 0100", Company: "Navy Labs", Title: "CTO", LeadSource: "trade_show", Notes: "Wants 40 units by June."},
	"LeadContacted.v1":    LeadContacted{LeadID: "lead_1", From: LeadStatusNew, Reason: "called"},
	"LeadQualified.v1":    LeadQualified{LeadID: "lead_1", From: LeadStatusContacted, Reason: "budget confirmed"},
	"LeadDisqualified.v1": LeadDisqualified{LeadID: "lead_2", From: LeadStatusNew, Reason: "student project"},
	"LeadConverted.v1":    LeadConverted{LeadID: "lead_1", From: LeadStatusQualified, CustomerID: "cus-0123456789abcdef0123"},
	"ContactCreated.v1": ContactCreated{ContactID: "con_1", CustomerID: "cus_1", FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Phone: "+44 20 7946 0000", Title: "Buyer", Notes: "Prefers email."},
	"ContactArchived.v1": ContactArchived{ContactID: "con_1", From: ContactStatusActive, Reason: "left the company"},
	"OpportunityCreated.v1": OpportunityCreated{OpportunityID: "opp_1", Name: "40 drills for Navy Labs", Description: "Spring refit",
		CustomerID: "cus_1", Amount: 1_200_000, Currency: "USD", CloseDate: "2026-06-30", Probability: 20},
	"OpportunityAdvanced.v1": OpportunityAdvanced{OpportunityID: "opp_1", From: OpportunityStatusProspecting,
		To: OpportunityStatusQualified, Action: "qualify", Reason: "decision maker met"},
	"OpportunityWon.v1":  OpportunityWon{OpportunityID: "opp_1", From: OpportunityStatusNegotiation, Reason: "signed"},
	"OpportunityLost.v1": OpportunityLost{OpportunityID: "opp_2", From: OpportunityStatusProposalSent, Reason: "price"},
	"CaseOpened.v1": CaseOpened{CaseID: "case_1", CaseNumber: "CASE-000001", CaseName: "Mug arrived broken",
		Description: "Handle snapped off in transit.", Submitter: "ada@example.com", Priority: "HIGH", CustomerID: "cus_1", OrderID: "ord_1"},
	"CaseAssigned.v1": CaseAssigned{CaseID: "case_1", From: CaseStatusNew, To: CaseStatusInProgress, Assignee: "sam@support"},
	"CaseStatusChanged.v1": CaseStatusChanged{CaseID: "case_1", From: CaseStatusInProgress, To: CaseStatusResolved,
		Action: "resolve", Reason: "replacement sent"},
	"CaseNoteAdded.v1": CaseNoteAdded{CaseID: "case_1", NoteID: "note_1", Body: "Customer sent photos.", Author: "sam@support",
		CustomerID: "cus_1", AddedAt: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)},
}

// ---- leads ----

var testLead = LeadCreated{LeadID: "l1", FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com"}

func leadIn(status LeadStatus) *Lead {
	l := &Lead{}
	events := []Event{testLead}
	switch status {
	case LeadStatusContacted:
		events = append(events, LeadContacted{})
	case LeadStatusQualified:
		events = append(events, LeadContacted{}, LeadQualified{})
	case LeadStatusConverted:
		events = append(events, LeadContacted{}, LeadQualified{}, LeadConverted{CustomerID: "c1"})
	case LeadStatusDisqualified:
		events = append(events, LeadDisqualified{})
	}
	fold(l, events...)
	return l
}

func TestEveryLeadStatusActionPair(t *testing.T) {
	allowed := map[LeadStatus]map[string]LeadStatus{
		LeadStatusNew:          {"contact": LeadStatusContacted, "disqualify": LeadStatusDisqualified},
		LeadStatusContacted:    {"accept": LeadStatusQualified, "disqualify": LeadStatusDisqualified},
		LeadStatusQualified:    {"convert": LeadStatusConverted, "disqualify": LeadStatusDisqualified},
		LeadStatusConverted:    {},
		LeadStatusDisqualified: {},
	}
	for _, from := range LeadStatuses {
		for _, action := range append(slices.Clone(LeadActions), "convert") {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				l := leadIn(from)
				if l.Status != from {
					t.Fatalf("setup: in %s, want %s", l.Status, from)
				}
				before := *l.Clone()
				var events []Event
				var err error
				if action == "convert" {
					events, err = l.Convert("cus9")
				} else {
					events, err = l.Act(action, "because")
				}
				checkPair(t, "lead", string(from), action, events, err, allowed[from], func() string {
					if diff := cmp.Diff(&before, l); diff != "" {
						t.Fatalf("decide mutated the aggregate:\n%s", diff)
					}
					fold(l, events...)
					return string(l.Status)
				}, func(want LeadStatus) string { return string(want) })
			})
		}
	}
}

// checkPair checks one (status, action) decision: a refusal is a *TransitionError naming
// entity, from and action with no events; an allowed one folds (fold) to the table's status.
func checkPair[S ~string](t *testing.T, entity, from, action string, events []Event, err error, allowed map[string]S,
	fold func() string, str func(S) string) {
	t.Helper()
	want, ok := allowed[action]
	if !ok {
		var te *TransitionError
		if !errors.As(err, &te) || te.Entity != entity || te.From != from || te.Action != action {
			t.Fatalf("got %v, want a TransitionError naming %s and %s", err, from, action)
		}
		if events != nil {
			t.Fatalf("refused action returned events %v", events)
		}
		return
	}
	if err != nil {
		t.Fatalf("allowed action refused: %v", err)
	}
	if got := fold(); got != str(want) {
		t.Fatalf("folded to %s, want %s", got, str(want))
	}
}

func TestLeadCreateAndConvert(t *testing.T) {
	if _, err := (&Lead{}).Create(CreateLead{LeadID: "l 1", Email: "not an email", Phone: "call me"}); err == nil {
		t.Fatal("bad lead accepted")
	} else {
		var ve *ValidationError
		errors.As(err, &ve)
		var got []string
		for _, f := range ve.Fields {
			got = append(got, f.Field)
		}
		if diff := cmp.Diff([]string{"id", "email", "phone"}, got); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	}
	if _, err := (&Lead{}).Create(CreateLead{LeadID: "l1"}); err == nil {
		t.Error("a lead with no name, email or company accepted")
	}
	if _, err := leadIn(LeadStatusNew).Create(CreateLead{LeadID: "l1", Email: "a@b.co"}); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("create twice: %v", err)
	}
	// conversion needs an email; the customer id is derived from the lead
	noEmail := &Lead{}
	fold(noEmail, []Event{LeadCreated{LeadID: "l2", Company: "Acme"}, LeadContacted{}, LeadQualified{}}...)
	var ve *ValidationError
	if _, err := noEmail.Convert("c1"); !errors.As(err, &ve) || ve.Fields[0].Field != "email" {
		t.Errorf("convert without email: %v", err)
	}
	l := leadIn(LeadStatusQualified)
	want := CreateCustomer{CustomerID: LeadCustomerID("l1"), Email: "grace@example.com", FirstName: "Grace", LastName: "Hopper",
		Status: CustomerStatusActive, LeadID: "l1"}
	if diff := cmp.Diff(want, l.AsCustomer()); diff != "" {
		t.Errorf("customer (-want +got):\n%s", diff)
	}
	if LeadCustomerID("l1") != LeadCustomerID("l1") || LeadCustomerID("l1") == LeadCustomerID("l2") || !ValidID(LeadCustomerID("l1")) {
		t.Error("lead customer ids are not stable, distinct and valid")
	}
	events, _ := l.Convert(LeadCustomerID("l1"))
	fold(l, events...)
	if l.Status != LeadStatusConverted || l.CustomerID != LeadCustomerID("l1") {
		t.Errorf("converted lead %+v", l)
	}
}

// ---- contacts ----

func TestEveryContactStatusActionPair(t *testing.T) {
	allowed := map[ContactStatus]map[string]ContactStatus{
		ContactStatusActive:   {"archive": ContactStatusArchived},
		ContactStatusArchived: {},
	}
	for _, from := range ContactStatuses {
		for _, action := range ContactActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				c := &Contact{}
				events := []Event{ContactCreated{ContactID: "k1", CustomerID: "c1", LastName: "Lovelace"}}
				if from == ContactStatusArchived {
					events = append(events, ContactArchived{})
				}
				fold(c, events...)
				got, err := c.Act(action, "")
				checkPair(t, "contact", string(from), action, got, err, allowed[from], func() string {
					fold(c, got...)
					return string(c.Status)
				}, func(s ContactStatus) string { return string(s) })
			})
		}
	}
}

func TestContactBelongsToACustomerXorASupplier(t *testing.T) {
	for _, c := range []struct {
		name  string
		cmd   CreateContact
		field string // "" means accepted
	}{
		{"customer", CreateContact{ContactID: "k1", CustomerID: "c1", Email: "a@b.co"}, ""},
		{"supplier", CreateContact{ContactID: "k1", SupplierID: "s1", LastName: "Babbage"}, ""},
		{"neither", CreateContact{ContactID: "k1", LastName: "Babbage"}, "customer_id"},
		{"both", CreateContact{ContactID: "k1", CustomerID: "c1", SupplierID: "s1", LastName: "Babbage"}, "supplier_id"},
		{"nameless", CreateContact{ContactID: "k1", CustomerID: "c1"}, "lastName"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := (&Contact{}).Create(c.cmd)
			var ve *ValidationError
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != c.field):
				t.Fatalf("got %v, want a ValidationError on %s", err, c.field)
			}
		})
	}
	if (ContactCreated{CustomerID: "c1"}).PersonalSubject() != "c1" || (ContactCreated{SupplierID: "s1"}).PersonalSubject() != "" {
		t.Error("contact personal subject")
	}
}

// ---- opportunities ----

func opportunityIn(status OpportunityStatus) *Opportunity {
	o := &Opportunity{}
	events := []Event{OpportunityCreated{OpportunityID: "p1", Name: "deal", CustomerID: "c1", Amount: 100, Currency: "USD", Probability: 10}}
	switch status {
	case OpportunityStatusWon:
		events = append(events, OpportunityWon{})
	case OpportunityStatusLost:
		events = append(events, OpportunityLost{})
	default:
		for _, s := range opportunityOpen[1 : slices.Index(opportunityOpen, status)+1] {
			events = append(events, OpportunityAdvanced{To: s})
		}
	}
	fold(o, events...)
	return o
}

func TestEveryOpportunityStatusActionPair(t *testing.T) {
	end := map[string]OpportunityStatus{"win": OpportunityStatusWon, "lose": OpportunityStatusLost}
	allowed := map[OpportunityStatus]map[string]OpportunityStatus{
		OpportunityStatusProspecting:  {"qualify": OpportunityStatusQualified},
		OpportunityStatusQualified:    {"propose": OpportunityStatusProposalSent},
		OpportunityStatusProposalSent: {"negotiate": OpportunityStatusNegotiation},
		OpportunityStatusNegotiation:  {},
		OpportunityStatusWon:          {},
		OpportunityStatusLost:         {},
	}
	for _, s := range opportunityOpen {
		maps.Copy(allowed[s], end)
	}
	for _, from := range OpportunityStatuses {
		for _, action := range OpportunityActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				o := opportunityIn(from)
				if o.Status != from {
					t.Fatalf("setup: in %s, want %s", o.Status, from)
				}
				before := *o.Clone()
				events, err := o.Act(action, "")
				checkPair(t, "opportunity", string(from), action, events, err, allowed[from], func() string {
					if diff := cmp.Diff(&before, o); diff != "" {
						t.Fatalf("decide mutated the aggregate:\n%s", diff)
					}
					fold(o, events...)
					return string(o.Status)
				}, func(s OpportunityStatus) string { return string(s) })
			})
		}
	}
	if o := opportunityIn(OpportunityStatusWon); o.Probability != 100 {
		t.Errorf("won at probability %d", o.Probability)
	}
}

func TestCreateOpportunity(t *testing.T) {
	_, err := (&Opportunity{}).Create(CreateOpportunity{OpportunityID: "p1", CustomerID: "c1", LeadID: "l1", Amount: -1,
		Currency: "usd", CloseDate: "soon", Probability: 101})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff([]string{"name", "lead_id", "amount", "currency", "close_date", "probability"}, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// ---- cases ----

var testCase = CaseOpened{CaseID: "k1", CaseNumber: "CASE-1", CaseName: "broken", Priority: "MEDIUM", CustomerID: "c1"}

func caseIn(status CaseStatus) *Case {
	c := &Case{}
	assigned := CaseAssigned{To: CaseStatusInProgress, Assignee: "sam"}
	events := []Event{testCase}
	switch status {
	case CaseStatusInProgress:
		events = append(events, assigned)
	case CaseStatusOnHold:
		events = append(events, assigned, CaseStatusChanged{To: CaseStatusOnHold})
	case CaseStatusResolved:
		events = append(events, assigned, CaseStatusChanged{To: CaseStatusResolved, Action: "resolve", Reason: "fixed"})
	case CaseStatusClosed:
		events = append(events, assigned, CaseStatusChanged{To: CaseStatusResolved}, CaseStatusChanged{To: CaseStatusClosed})
	}
	fold(c, events...)
	return c
}

func TestEveryCaseStatusActionPair(t *testing.T) {
	allowed := map[CaseStatus]map[string]CaseStatus{
		CaseStatusNew:        {"assign": CaseStatusInProgress},
		CaseStatusInProgress: {"assign": CaseStatusInProgress, "hold": CaseStatusOnHold, "resolve": CaseStatusResolved},
		CaseStatusOnHold:     {"assign": CaseStatusOnHold, "resume": CaseStatusInProgress, "resolve": CaseStatusResolved},
		CaseStatusResolved:   {"close": CaseStatusClosed, "reopen": CaseStatusInProgress},
		CaseStatusClosed:     {"reopen": CaseStatusInProgress},
	}
	for _, s := range CaseStatuses {
		allowed[s]["add_note"] = s
	}
	for _, from := range CaseStatuses {
		for _, action := range append(slices.Clone(CaseActions), "assign", "add_note") {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				c := caseIn(from)
				if c.Status != from {
					t.Fatalf("setup: in %s, want %s", c.Status, from)
				}
				before := *c.Clone()
				var events []Event
				var err error
				switch action {
				case "assign":
					events, err = c.Assign("alex")
				case "add_note":
					events, err = c.AddNote("n1", "called back", "alex", t0)
				default:
					events, err = c.Act(action, "because")
				}
				checkPair(t, "case", string(from), action, events, err, allowed[from], func() string {
					if diff := cmp.Diff(&before, c); diff != "" {
						t.Fatalf("decide mutated the aggregate:\n%s", diff)
					}
					if len(events) != 1 {
						t.Fatalf("events %v", events)
					}
					fold(c, events...)
					return string(c.Status)
				}, func(s CaseStatus) string { return string(s) })
			})
		}
	}
}

func TestCaseNotesAndAssignment(t *testing.T) {
	c := caseIn(CaseStatusInProgress)
	if events, err := c.Assign("sam"); err != nil || events != nil {
		t.Errorf("assigning the assignee again: %v %v", events, err)
	}
	if _, err := c.Assign(" "); err == nil {
		t.Error("blank assignee accepted")
	}
	events, err := c.AddNote("n1", "photos received", "sam", t0)
	want := []Event{CaseNoteAdded{CaseID: "k1", NoteID: "n1", Body: "photos received", Author: "sam", CustomerID: "c1", AddedAt: t0}}
	if diff := cmp.Diff(want, events); diff != "" || err != nil {
		t.Fatalf("note: %v (-want +got):\n%s", err, diff)
	}
	fold(c, events...)
	if _, err := c.AddNote("n1", "again", "", t0); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("note id twice: %v", err)
	}
	if _, err := c.AddNote("n2", "", "", t0); err == nil {
		t.Error("empty note accepted")
	}
	if (CaseOpened{CustomerID: "c1"}).PersonalSubject() != "c1" || want[0].(CaseNoteAdded).PersonalSubject() != "c1" {
		t.Error("case personal subject")
	}
	resolved := caseIn(CaseStatusResolved)
	if resolved.Resolution != "fixed" {
		t.Errorf("resolution %q", resolved.Resolution)
	}
	events, _ = resolved.Act("reopen", "")
	fold(resolved, events...)
	if resolved.Resolution != "" || resolved.Status != CaseStatusInProgress {
		t.Errorf("reopened %+v", resolved)
	}
	var ve *ValidationError
	if _, err := (&Case{}).Open(OpenCase{CaseID: "k1", CaseNumber: "CASE-1", Priority: "SOMEDAY"}); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("bad case: %v", err)
	}
}

func TestCRMPersonalFieldsAreMarked(t *testing.T) {
	r := NewRegistry()
	for typ, want := range map[string][]string{
		"LeadCreated":    {"first_name", "last_name", "email", "phone", "notes"},
		"ContactCreated": {"first_name", "last_name", "email", "phone", "notes"},
		"CaseOpened":     {"case_name", "description", "submitter"},
		"CaseNoteAdded":  {"body"},
		"LeadConverted":  nil,
	} {
		if got := r.PersonalFields(typ); !slices.Equal(got, want) {
			t.Errorf("%s personal fields %v, want %v", typ, got, want)
		}
	}
}
