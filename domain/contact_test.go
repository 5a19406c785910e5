package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, contactGoldens) }

// contactGoldens is one realistic value per contact event type (see goldens).
var contactGoldens = map[string]Event{
	"ContactCreated.v1": ContactCreated{ContactID: "con_1", CustomerID: "cus_1", FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Phone: "+44 20 7946 0000", Title: "Buyer", Notes: "Prefers email."},
	"ContactUpdated.v1":  ContactUpdated{ContactID: "con_1", CustomerID: "cus_1", Title: ptr("Head of purchasing"), Phone: ptr("+44 20 7946 0001")},
	"ContactArchived.v1": ContactArchived{ContactID: "con_1", From: ContactStatusActive, Reason: "left the company"},
}

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

func TestContactUpdate(t *testing.T) {
	for _, c := range []struct {
		name     string
		archived bool
		cmd      UpdateContact
		want     []Event
		err      string
	}{
		{"a title", false, UpdateContact{Title: ptr("Head of purchasing")},
			[]Event{ContactUpdated{ContactID: "k1", CustomerID: "c1", Title: ptr("Head of purchasing")}}, ""},
		{"the same name changes nothing", false, UpdateContact{LastName: ptr("Lovelace")}, nil, ""},
		{"nameless", false, UpdateContact{LastName: ptr("")}, nil, "validation"},
		{"a bad email", false, UpdateContact{Email: ptr("nope")}, nil, "validation"},
		{"archived", true, UpdateContact{Title: ptr("x")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := fold(&Contact{}, ContactCreated{ContactID: "k1", CustomerID: "c1", LastName: "Lovelace"})
			if c.archived {
				fold(k, ContactArchived{})
			}
			got, err := k.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if fold(k, got...); len(got) > 0 && k.Title != "Head of purchasing" {
				t.Errorf("after the edit: %+v", k)
			}
		})
	}
}
