package domain

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// memVault is a Vault over a map, for the codec's own tests (the real one keeps keys in
// JetStream KV and encrypts with AES-GCM; commands tests it). It "encrypts" by base64 with
// a per-subject random salt, enough to show that no plaintext is written and that a
// forgotten subject cannot be read.
type memVault struct {
	mu   sync.Mutex
	keys map[string]string // subject -> salt; "" forgotten
}

func (v *memVault) Seal(subject string, plain []byte) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	salt, ok := v.keys[subject]
	if ok && salt == "" {
		return "", ErrForgotten
	}
	if !ok {
		b := make([]byte, 8)
		rand.Read(b)
		salt = base64.RawURLEncoding.EncodeToString(b)
		v.keys[subject] = salt
	}
	return SealedPrefix + subject + ":" + salt + base64.RawURLEncoding.EncodeToString(plain), nil
}

func (v *memVault) Open(sealed string) ([]byte, error) {
	subject, _ := SubjectOfSealed(sealed)
	v.mu.Lock()
	salt := v.keys[subject]
	v.mu.Unlock()
	if salt == "" {
		return nil, ErrForgotten
	}
	body := strings.TrimPrefix(sealed, SealedPrefix+subject+":")
	return base64.RawURLEncoding.DecodeString(strings.TrimPrefix(body, salt))
}

func TestPersonalFieldsAreSealedAndShredded(t *testing.T) {
	vault := &memVault{keys: map[string]string{}}
	reg := NewRegistry().WithVault(vault)
	created := CustomerCreated{CustomerID: "c1", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Phone: "+44 20 7946 0000", Type: "INDIVIDUAL", Status: CustomerStatusActive, Metadata: map[string]string{"tier": "gold"}}
	order := OrderCreated{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main", Items: []OrderLine{{ID: "1", SKU: "A", Quantity: 1}},
		ShippingAddress: &Address{ID: "a1", Street1: "12 Analytical Row", City: "London", PostalCode: "N1", Country: "GB"}}
	var bodies [][]byte
	for _, env := range []Envelope{
		{ID: "e1", AggregateType: "customer", AggregateID: "c1", Version: 1, Event: created},
		{ID: "e2", AggregateType: "order", AggregateID: "o1", Version: 1, Event: order},
	} {
		body, err := reg.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"ada@example.com", "Lovelace", "7946", "Analytical"} {
			if strings.Contains(string(body), secret) {
				t.Fatalf("%s stored in the clear: %s", secret, body)
			}
		}
		if !strings.Contains(string(body), `"customer_id":"c1"`) || !strings.Contains(string(body), map[string]string{"customer": "gold", "order": "USD"}[env.AggregateType]) {
			t.Fatalf("non-personal fields must stay readable: %s", body)
		}
		bodies = append(bodies, body)
	}
	for i, want := range []Event{created, order} {
		env, err := reg.Unmarshal(bodies[i], uint64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, env.Event); diff != "" {
			t.Fatalf("decoded with the key (-want +got):\n%s", diff)
		}
		typed, err := reg.UnmarshalTyped(want.EventType(), 1, bodies[i], uint64(i+1))
		if err != nil || !cmp.Equal(want, typed.Event) {
			t.Fatalf("typed decode: %v %v", err, cmp.Diff(want, typed.Event))
		}
	}

	vault.keys["customer.c1"] = "" // forget
	for i, want := range []Event{created, order} {
		env, err := reg.Unmarshal(bodies[i], uint64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(reg.Scrub(want), env.Event); diff != "" {
			t.Fatalf("after forgetting, decode must equal Scrub (-scrub +decoded):\n%s", diff)
		}
	}
	if c := reg.Scrub(created).(CustomerCreated); c.Email != "" || c.Phone != "" || c.Metadata["tier"] != "gold" {
		t.Fatalf("scrubbed %+v", c)
	}
	// a forgotten subject's personal fields are not written again
	body, err := reg.Marshal(Envelope{ID: "e3", AggregateType: "customer", AggregateID: "c1", Version: 2,
		Event: CustomerUpdated{CustomerID: "c1", Phone: &Change{From: "", To: "+1 555"}}})
	if err != nil || strings.Contains(string(body), "555") || strings.Contains(string(body), SealedPrefix) {
		t.Fatalf("write after forgetting: %v %s", err, body)
	}
	// without keys at all (a reader with no vault), sealed fields decode empty
	plain, err := NewRegistry().Unmarshal(bodies[1], 2)
	if err != nil || plain.Event.(OrderCreated).ShippingAddress != nil {
		t.Fatalf("without a vault: %v %+v", err, plain.Event)
	}
}

func TestVaultErrorsAreNotForgetting(t *testing.T) {
	reg := NewRegistry().WithVault(brokenVault{})
	_, err := reg.Marshal(Envelope{ID: "e1", AggregateType: "customer", AggregateID: "c1", Version: 1,
		Event: CustomerCreated{CustomerID: "c1", Email: "a@example.com"}})
	if err == nil || !strings.Contains(err.Error(), "key store down") {
		t.Fatalf("a vault failure must fail the write, got %v", err)
	}
}

type brokenVault struct{}

func (brokenVault) Seal(string, []byte) (string, error) { return "", errors.New("key store down") }
func (brokenVault) Open(string) ([]byte, error)         { return nil, errors.New("key store down") }

// TestForgetEqualsFoldingScrubbedEvents: an aggregate's Forget leaves it exactly as
// folding its events with their personal fields unreadable does. Read models scrub with
// Forget; a rebuild folds scrubbed events; the two must agree.
func TestForgetEqualsFoldingScrubbedEvents(t *testing.T) {
	reg := NewRegistry()
	addr := &Address{Street1: "12 Analytical Row", City: "London", PostalCode: "N1", Country: "GB"}
	type forgettable interface {
		Aggregate
		Forget()
	}
	tests := []struct {
		name   string
		fresh  func() forgettable
		events []Event
	}{
		{"order", func() forgettable { return &Order{} }, []Event{
			OrderCreated{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main", Status: OrderStatusDraft,
				Items: []OrderLine{{ID: "1", SKU: "A", Quantity: 1}}, ShippingAddress: addr, BillingAddress: addr},
			OrderUpdated{OrderID: "o1", CustomerID: "c1", ShippingAddress: &Address{Street1: "1 New St", City: "Leeds"}},
		}},
		{"lead", func() forgettable { return &Lead{} }, []Event{
			LeadCreated{LeadID: "l1", FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Phone: "1", Company: "AE", Notes: "met at expo"},
		}},
		{"contact", func() forgettable { return &Contact{} }, []Event{
			ContactCreated{ContactID: "k1", CustomerID: "c1", FirstName: "Ada", Email: "ada@example.com", Title: "CTO", Notes: "prefers email"},
		}},
		{"case", func() forgettable { return &Case{} }, []Event{
			CaseOpened{CaseID: "s1", CaseNumber: "CASE-000001", CaseName: "Ada's mug broke", Description: "cracked", Submitter: "Ada",
				Priority: "HIGH", CustomerID: "c1"},
			CaseNoteAdded{CaseID: "s1", NoteID: "n1", Body: "called Ada", Author: "agent", CustomerID: "c1"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			live, rebuilt := tc.fresh(), tc.fresh()
			for i, e := range tc.events {
				live.Apply(Envelope{Event: e, Version: int64(i + 1), Time: t0})
				rebuilt.Apply(Envelope{Event: reg.Scrub(e), Version: int64(i + 1), Time: t0})
			}
			live.Forget()
			if diff := cmp.Diff(rebuilt, live); diff != "" {
				t.Fatalf("Forget differs from folding scrubbed events (-rebuilt +forgotten):\n%s", diff)
			}
		})
	}
}
