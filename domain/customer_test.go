package domain

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// given folds events into a fresh customer, as the command loop does.
func given(events ...Event) *Customer {
	c := &Customer{}
	for i, e := range events {
		c.Apply(Envelope{Event: e, Version: int64(i + 1), Time: t0.Add(time.Duration(i) * time.Second)})
	}
	return c
}

func customerIn(status CustomerStatus) *Customer {
	events := []Event{CustomerCreated{CustomerID: "c1", Email: "a@example.com", Type: "INDIVIDUAL", Status: CustomerStatusActive}}
	switch status {
	case CustomerStatusProspect:
		events[0] = CustomerCreated{CustomerID: "c1", Email: "a@example.com", Type: "INDIVIDUAL", Status: CustomerStatusProspect}
	case CustomerStatusInactive, CustomerStatusSuspended:
		events = append(events, CustomerStatusChanged{CustomerID: "c1", From: CustomerStatusActive, To: status})
	case CustomerStatusArchived:
		events = append(events, CustomerArchived{CustomerID: "c1", From: CustomerStatusActive})
	}
	return given(events...)
}

func TestEveryCustomerStatusActionPair(t *testing.T) {
	allowed := map[CustomerStatus]map[string]CustomerStatus{
		CustomerStatusProspect:  {"activate": CustomerStatusActive, "archive": CustomerStatusArchived},
		CustomerStatusActive:    {"deactivate": CustomerStatusInactive, "suspend": CustomerStatusSuspended, "archive": CustomerStatusArchived},
		CustomerStatusInactive:  {"activate": CustomerStatusActive, "suspend": CustomerStatusSuspended, "archive": CustomerStatusArchived},
		CustomerStatusSuspended: {"activate": CustomerStatusActive, "archive": CustomerStatusArchived},
		CustomerStatusArchived:  {},
	}
	for _, from := range CustomerStatuses {
		for _, action := range CustomerActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				c := customerIn(from)
				before := *c.Clone()
				events, err := c.ChangeStatus(action, "because")
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action {
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
				if diff := cmp.Diff(&before, c); diff != "" {
					t.Fatalf("decide mutated the aggregate:\n%s", diff)
				}
				for _, e := range events {
					c.Apply(Envelope{Event: e, Version: c.Version + 1})
				}
				if c.Status != want {
					t.Fatalf("folded to %s, want %s", c.Status, want)
				}
			})
		}
	}
}

func TestEditsAreRefusedOnlyWhenArchived(t *testing.T) {
	for _, st := range CustomerStatuses {
		c := customerIn(st)
		_, errU := c.Update(UpdateCustomer{CustomerID: "c1", Phone: ptr("1")})
		_, errA := c.AddAddress(Address{ID: "a1", Street1: "1 Main", City: "X", PostalCode: "1", Country: "US"})
		archived := st == CustomerStatusArchived
		var te *TransitionError
		if archived != errors.As(errU, &te) || archived != errors.As(errA, &te) {
			t.Errorf("%s: update err %v, address err %v", st, errU, errA)
		}
	}
}

func TestCreateCustomer(t *testing.T) {
	cases := []struct {
		name   string
		cmd    CreateCustomer
		fields []string // invalid fields; nil means accepted
	}{
		{"minimal", CreateCustomer{CustomerID: "c1", Email: "a@example.com"}, nil},
		{"full", CreateCustomer{CustomerID: "c1", Email: "a@example.com", FirstName: "A", LastName: "B", Phone: "+1 (555) 010-0000",
			Timestamp: "2024-01-01T00:00:00Z", ActivationDate: "2024-01-02", Type: "BUSINESS", Status: CustomerStatusProspect,
			Metadata: map[string]string{"k": "v"}, Addresses: []Address{{ID: "a", Street1: "1", City: "c", PostalCode: "p", Country: "US"}}}, nil},
		{"no email", CreateCustomer{CustomerID: "c1"}, []string{"email"}},
		{"display-name email", CreateCustomer{CustomerID: "c1", Email: "Ada <a@example.com>"}, []string{"email"}},
		{"bad id", CreateCustomer{CustomerID: "a b", Email: "a@example.com"}, []string{"id"}},
		{"bad phone", CreateCustomer{CustomerID: "c1", Email: "a@example.com", Phone: "call me"}, []string{"phone"}},
		{"bad times", CreateCustomer{CustomerID: "c1", Email: "a@example.com", Timestamp: "now", ActivationDate: "01/02/2024"}, []string{"timestamp", "activationDate"}},
		{"bad type", CreateCustomer{CustomerID: "c1", Email: "a@example.com", Type: "ALIEN"}, []string{"type"}},
		{"born suspended", CreateCustomer{CustomerID: "c1", Email: "a@example.com", Status: CustomerStatusSuspended}, []string{"status"}},
		{"bad address", CreateCustomer{CustomerID: "c1", Email: "a@example.com", Addresses: []Address{{Country: "usa"}}},
			[]string{"addresses[0].street1", "addresses[0].city", "addresses[0].postal_code", "addresses[0].country"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			events, err := (&Customer{}).Create(c.cmd)
			if c.fields == nil {
				if err != nil || len(events) != 1 {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if diff := cmp.Diff(c.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := customerIn(CustomerStatusActive).Create(CreateCustomer{CustomerID: "c1", Email: "a@example.com"}); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("create twice: %v", err)
	}
}

func TestUpdateCustomerRecordsOnlyChangesWithPreviousValues(t *testing.T) {
	c := given(CustomerCreated{CustomerID: "c1", Email: "a@example.com", FirstName: "Ada", Phone: "1", Type: "INDIVIDUAL",
		Status: CustomerStatusActive, Metadata: map[string]string{"a": "1"}})
	events, err := c.Update(UpdateCustomer{CustomerID: "c1", FirstName: ptr("Ada"), Phone: ptr(""), LastName: ptr("King"),
		Metadata: &map[string]string{"a": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{CustomerUpdated{CustomerID: "c1", Phone: &Change{From: "1", To: ""}, LastName: &Change{From: "", To: "King"},
		Metadata: &MetadataChange{From: map[string]string{"a": "1"}, To: map[string]string{"a": "2"}}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if events, _ := c.Update(UpdateCustomer{CustomerID: "c1", FirstName: ptr("Ada")}); len(events) != 0 {
		t.Errorf("no change gave %v", events)
	}
	if _, err := c.Update(UpdateCustomer{CustomerID: "c1", Email: ptr("")}); err == nil {
		t.Error("clearing the email was accepted")
	}
	if _, err := (&Customer{}).Update(UpdateCustomer{CustomerID: "c1"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of nobody: %v", err)
	}
	// a status in an update is a second event, refused when the machine says no
	events, err = c.Update(UpdateCustomer{CustomerID: "c1", Phone: ptr("2"), Status: ptr(CustomerStatusInactive)})
	if err != nil || len(events) != 2 {
		t.Fatalf("update with status: %v %v", events, err)
	}
	if _, err := c.Update(UpdateCustomer{CustomerID: "c1", Status: ptr(CustomerStatusProspect)}); err == nil {
		t.Error("ACTIVE -> PROSPECT was accepted")
	}
}

func TestAPIKeyScopesAndLife(t *testing.T) {
	k := &APIKey{}
	exp := t0.Add(time.Hour)
	events, err := k.Create(CreateAPIKey{KeyID: "k1", Name: "ops", Hash: "h", Scopes: []string{"customers:write"}, ExpiresAt: &exp}, t0)
	if err != nil {
		t.Fatal(err)
	}
	k.Apply(Envelope{Event: events[0], Version: 1})
	for scope, want := range map[string]bool{"customers:write": true, "customers:read": true, "api_keys:read": false, "admin": false} {
		if got := k.Allows(scope); got != want {
			t.Errorf("Allows(%s) = %v", scope, got)
		}
	}
	if !k.Usable(t0) || k.Usable(exp) {
		t.Error("expiry not honoured")
	}
	ev, _ := k.Revoke()
	k.Apply(Envelope{Event: ev[0], Version: 2})
	if k.Usable(t0) {
		t.Error("revoked key usable")
	}
	if _, err := k.Revoke(); err == nil {
		t.Error("revoked twice")
	}
	if _, err := (&APIKey{}).Create(CreateAPIKey{KeyID: "k2", Name: "x", Scopes: []string{"root"}}, t0); err == nil {
		t.Error("unknown scope accepted")
	}
	if !slices.ContainsFunc([]string{"admin", "*"}, ValidScope) {
		t.Error("admin scopes invalid")
	}
}
