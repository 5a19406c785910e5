package domain

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, leadGoldens) }

// leadGoldens is one realistic value per lead event type (see goldens).
var leadGoldens = map[string]Event{
	"LeadCreated.v1": LeadCreated{LeadID: "lead_1", FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com",
		Phone: "+1 555 0100", Company: "Navy Labs", Title: "CTO", LeadSource: "trade_show", Notes: "Wants 40 units by June."},
	"LeadUpdated.v1":      LeadUpdated{LeadID: "lead_1", Title: ptr("Rear Admiral"), Email: ptr("grace@navy.example")},
	"LeadContacted.v1":    LeadContacted{LeadID: "lead_1", From: LeadStatusNew, Reason: "called"},
	"LeadQualified.v1":    LeadQualified{LeadID: "lead_1", From: LeadStatusContacted, Reason: "budget confirmed"},
	"LeadDisqualified.v1": LeadDisqualified{LeadID: "lead_2", From: LeadStatusNew, Reason: "student project"},
	"LeadConverted.v1":    LeadConverted{LeadID: "lead_1", From: LeadStatusQualified, CustomerID: "cus-0123456789abcdef0123"},
}

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

func TestLeadUpdate(t *testing.T) {
	for _, c := range []struct {
		name   string
		status LeadStatus
		cmd    UpdateLead
		want   []Event
		err    string // "validation", "transition", ""
	}{
		{"a title and a phone", LeadStatusContacted, UpdateLead{Title: ptr("CEO"), Phone: ptr("+1 555 0101")},
			[]Event{LeadUpdated{LeadID: "l1", Title: ptr("CEO"), Phone: ptr("+1 555 0101")}}, ""},
		{"the same values change nothing", LeadStatusNew, UpdateLead{FirstName: ptr("Grace"), Email: ptr("grace@example.com")}, nil, ""},
		{"a bad email", LeadStatusNew, UpdateLead{Email: ptr("not an email")}, nil, "validation"},
		{"every name emptied", LeadStatusNew, UpdateLead{FirstName: ptr(""), LastName: ptr(""), Email: ptr("")}, nil, "validation"},
		{"a converted lead is final", LeadStatusConverted, UpdateLead{Title: ptr("CEO")}, nil, "transition"},
		{"a disqualified lead is final", LeadStatusDisqualified, UpdateLead{Title: ptr("CEO")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := leadIn(c.status)
			got, err := l.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if len(got) > 0 {
				fold(l, got...)
				if l.Title != "CEO" || l.Phone != "+1 555 0101" || l.FirstName != "Grace" {
					t.Errorf("after the edit: %+v", l)
				}
			}
		})
	}
}
