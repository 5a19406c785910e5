package domain

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "write missing golden event files")

// goldens is one value per event type and schema version. Files under testdata/events are
// never edited once written: they are what old streams hold and must keep decoding.
var goldens = map[string]Event{
	"CustomerCreated.v1": CustomerCreated{CustomerID: "cus_1", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace",
		Phone: "+44 20 7946 0000", StripeCustomerID: "cus_stripe_1", Timestamp: "2024-05-01T10:00:00Z", ActivationDate: "2024-05-02",
		Type: "INDIVIDUAL", Status: CustomerStatusActive, Metadata: map[string]string{"tier": "gold"},
		Addresses: []Address{{ID: "adr_1", Type: "SHIPPING", Street1: "1 Main St", City: "London", PostalCode: "N1", Country: "GB"}}},
	"CustomerUpdated.v1": CustomerUpdated{CustomerID: "cus_1", Email: &Change{From: "ada@example.com", To: "ada@lovelace.org"},
		LastName: &Change{From: "Lovelace", To: "King"}, Metadata: &MetadataChange{From: map[string]string{"tier": "gold"}, To: nil}},
	"CustomerStatusChanged.v1": CustomerStatusChanged{CustomerID: "cus_1", From: CustomerStatusActive, To: CustomerStatusSuspended,
		Action: "suspend", Reason: "chargebacks"},
	"CustomerArchived.v1":     CustomerArchived{CustomerID: "cus_1", From: CustomerStatusSuspended, Reason: "closed"},
	"CustomerForgotten.v1":    CustomerForgotten{CustomerID: "cus_1", Reason: "GDPR request 42"},
	"CustomerAddressAdded.v1": CustomerAddressAdded{CustomerID: "cus_1", Address: Address{ID: "adr_2", Type: "BILLING", Street1: "2 High St", City: "Leeds", PostalCode: "LS1", Country: "GB"}},
	"ApiKeyCreated.v1": APIKeyCreated{KeyID: "key_1", Name: "ops", Prefix: "sk_live_ABCD", Hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Scopes: []string{"customers:read"}, ExpiresAt: ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))},
	"ApiKeyRevoked.v1": APIKeyRevoked{KeyID: "key_1"},
}

func TestGoldenEventsKeepDecoding(t *testing.T) {
	r := NewRegistry()
	dir := filepath.Join("testdata", "events")
	for name, want := range goldens {
		t.Run(name, func(t *testing.T) {
			typ, ver, _ := strings.Cut(name, ".v")
			var version int
			fmt.Sscan(ver, &version)
			path := filepath.Join(dir, name+".json")
			data, err := os.ReadFile(path)
			if os.IsNotExist(err) && *update {
				data, _ = json.MarshalIndent(want, "", "  ")
				if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if err != nil {
				t.Fatalf("missing golden %s (run go test ./domain -update once): %v", path, err)
			}
			got, err := r.DecodeData(typ, version, data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decoded golden differs (-want +got):\n%s", diff)
			}
		})
	}
	// every registered type at every version up to its current one has a golden
	for _, typ := range r.Types() {
		for v := 1; v <= r.Version(typ); v++ {
			if _, ok := goldens[fmt.Sprintf("%s.v%d", typ, v)]; !ok {
				t.Errorf("no golden for %s v%d", typ, v)
			}
		}
	}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	r := NewRegistry()
	env := Envelope{ID: "e1", AggregateType: "customer", AggregateID: "cus_1", Version: 3, Time: t0,
		Metadata: Metadata{CorrelationID: "corr", CausationID: "cause", Actor: "key_1", RequestID: "req"},
		Event:    goldens["CustomerUpdated.v1"]}
	body, err := r.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Unmarshal(body, 42)
	if err != nil {
		t.Fatal(err)
	}
	env.Type, env.SchemaVersion, env.Position = "CustomerUpdated", 1, 42
	if diff := cmp.Diff(env, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if _, err := r.Unmarshal([]byte(`{"type":"Nope","schema_version":1,"data":{}}`), 1); err == nil {
		t.Error("unknown type decoded")
	}
	if _, err := r.Unmarshal([]byte(`{"type":"CustomerUpdated","schema_version":9,"data":{}}`), 1); err == nil {
		t.Error("future schema version decoded")
	}
}

// nameV2 is a test-only event whose v1 had a single "name" field.
type nameV2 struct {
	First string `json:"first"`
	Last  string `json:"last" personal:"true"`
}

func (nameV2) EventType() string { return "TestNamed" }

func TestUpcastersTurnOldShapesIntoTheCurrentOne(t *testing.T) {
	r := &Registry{types: map[string]*eventInfo{}}
	Register[nameV2](r, "test", 2, map[int]Upcaster{1: func(data json.RawMessage) (json.RawMessage, error) {
		var v1 struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(data, &v1); err != nil {
			return nil, err
		}
		first, last, _ := strings.Cut(v1.Name, " ")
		return json.Marshal(nameV2{First: first, Last: last})
	}})
	got, err := r.DecodeData("TestNamed", 1, []byte(`{"name":"Ada Lovelace"}`))
	if err != nil || got != (nameV2{First: "Ada", Last: "Lovelace"}) {
		t.Fatalf("upcast: %v %v", got, err)
	}
	if diff := cmp.Diff([]string{"last"}, r.PersonalFields("TestNamed")); diff != "" {
		t.Errorf("personal fields: %s", diff)
	}
	defer func() {
		if recover() == nil {
			t.Error("duplicate registration did not panic")
		}
	}()
	Register[nameV2](r, "test", 1, nil)
}

func TestPersonalFieldsAreMarked(t *testing.T) {
	r := NewRegistry()
	for typ, want := range map[string][]string{
		"CustomerCreated":      {"email", "first_name", "last_name", "phone", "addresses"},
		"CustomerUpdated":      {"email", "first_name", "last_name", "phone"},
		"CustomerAddressAdded": {"address"},
		"CustomerArchived":     nil,
	} {
		if got := r.PersonalFields(typ); !slices.Equal(got, want) {
			t.Errorf("%s personal fields %v, want %v", typ, got, want)
		}
	}
}

func TestDottedNames(t *testing.T) {
	r := NewRegistry()
	for typ, want := range map[string]string{
		"CustomerCreated": "customer.created", "CustomerStatusChanged": "customer.status_changed",
		"CustomerAddressAdded": "customer.address_added", "ApiKeyRevoked": "api_key.revoked",
	} {
		if got := r.DottedName(typ); got != want {
			t.Errorf("%s -> %s, want %s", typ, got, want)
		}
	}
}

func TestTypedDecodingAgreesWithTheGeneralPath(t *testing.T) {
	r := NewRegistry()
	for name, ev := range goldens {
		typ, _, _ := strings.Cut(name, ".v")
		env := Envelope{ID: "e1", AggregateType: "customer", AggregateID: "cus_1", Version: 2, Time: t0,
			Metadata: Metadata{Actor: "k", RequestID: "r"}, Event: ev}
		body, err := r.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		general, err := r.Unmarshal(body, 7)
		if err != nil {
			t.Fatal(err)
		}
		typed, err := r.UnmarshalTyped(typ, r.Version(typ), body, 7)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(general, typed); diff != "" {
			t.Errorf("%s: typed decode differs:\n%s", typ, diff)
		}
		// a wrong hint falls back to the general path
		wrong, err := r.UnmarshalTyped("CustomerArchived", 1, body, 7)
		if err != nil || wrong.Type != typ {
			t.Errorf("%s with a wrong hint: %v %v", typ, wrong.Type, err)
		}
	}
}
