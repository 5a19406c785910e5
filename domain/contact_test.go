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
	"ContactUpdated.v1":            ContactUpdated{ContactID: "con_1", CustomerID: "cus_1", Title: ptr("Head of purchasing"), Phone: ptr("+44 20 7946 0001")},
	"ContactArchived.v1":           ContactArchived{ContactID: "con_1", From: ContactStatusActive, Reason: "left the company"},
	"CustomerPrimaryContactSet.v1": CustomerPrimaryContactSet{CustomerID: "cus_1", ContactID: "con_2", Previous: "con_1"},
	"SupplierPrimaryContactSet.v1": SupplierPrimaryContactSet{SupplierID: "sup_acme", ContactID: "con_3"},
}

// TestPrimaryContact holds who may be named the primary contact: an ACTIVE contact of the
// owner itself, one at a time (the previous one recorded), naming it again changing nothing.
func TestPrimaryContact(t *testing.T) {
	contact := func(id, customer, supplier string, archived bool) *Contact {
		c := fold(&Contact{}, ContactCreated{ContactID: id, CustomerID: customer, SupplierID: supplier, LastName: "Lovelace"})
		if archived {
			fold(c, ContactArchived{ContactID: id, From: ContactStatusActive})
		}
		return c
	}
	customer := func(status CustomerStatus, primary string) *Customer {
		c := fold(&Customer{}, CustomerCreated{CustomerID: "c1", Email: "a@b.co", Status: CustomerStatusActive})
		if status != CustomerStatusActive {
			fold(c, CustomerStatusChanged{CustomerID: "c1", To: status})
		}
		if primary != "" {
			fold(c, CustomerPrimaryContactSet{CustomerID: "c1", ContactID: primary})
		}
		return c
	}
	for _, c := range []struct {
		name     string
		customer *Customer
		contact  *Contact
		want     []Event
		err      string // "validation", "transition", "not found"; "" accepted
	}{
		{"first", customer(CustomerStatusActive, ""), contact("k1", "c1", "", false),
			[]Event{CustomerPrimaryContactSet{CustomerID: "c1", ContactID: "k1"}}, ""},
		{"in place of another", customer(CustomerStatusActive, "k0"), contact("k1", "c1", "", false),
			[]Event{CustomerPrimaryContactSet{CustomerID: "c1", ContactID: "k1", Previous: "k0"}}, ""},
		{"again", customer(CustomerStatusActive, "k1"), contact("k1", "c1", "", false), nil, ""},
		{"another customer's", customer(CustomerStatusActive, ""), contact("k1", "c2", "", false), nil, "validation"},
		{"a supplier's", customer(CustomerStatusActive, ""), contact("k1", "", "c1", false), nil, "validation"},
		{"archived contact", customer(CustomerStatusActive, ""), contact("k1", "c1", "", true), nil, "transition"},
		{"archived customer", customer(CustomerStatusArchived, ""), contact("k1", "c1", "", false), nil, "transition"},
		{"no contact", customer(CustomerStatusActive, ""), &Contact{}, nil, "not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.customer.SetPrimaryContact(c.contact)
			var ve *ValidationError
			var te *TransitionError
			switch c.err {
			case "":
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Fatalf("events (-want +got):\n%s", diff)
				}
			case "validation":
				if !errors.As(err, &ve) || ve.Fields[0].Field != "contact_id" {
					t.Fatalf("got %v, want a ValidationError on contact_id", err)
				}
			case "transition":
				if !errors.As(err, &te) {
					t.Fatalf("got %v, want a TransitionError", err)
				}
			case "not found":
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("got %v, want ErrNotFound", err)
				}
			}
		})
	}
	s := supplierIn(t, SupplierStatusSuspended) // any status names one
	got, err := s.SetPrimaryContact(contact("k1", "", "sup_1", false))
	if err != nil || len(got) != 1 {
		t.Fatalf("supplier: %v %v", got, err)
	}
	if fold(s, got...).PrimaryContactID != "k1" {
		t.Error("supplier's primary contact not folded in")
	}
	if _, err := s.SetPrimaryContact(contact("k2", "sup_1", "", false)); !errors.As(err, new(*ValidationError)) {
		t.Errorf("a customer's contact named by the supplier: %v", err)
	}
	if c := contact("k1", "c1", "", false); fold(&Contact{Primary: true, ID: "k1", Version: c.Version}, ContactArchived{}).Primary {
		t.Error("an archived contact is still primary")
	}
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
