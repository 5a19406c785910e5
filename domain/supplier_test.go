package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, supplierGoldens) }

// supplierGoldens is one realistic value per supplier event type (see goldens).
var supplierGoldens = map[string]Event{
	"SupplierCreated.v1": SupplierCreated{SupplierID: "sup_acme", Name: "Acme Mugs Ltd", SupplierCode: "ACME",
		Type: "MANUFACTURER", Email: "orders@acme.example", Phone: "+1 555 0100",
		Addresses:    []Address{{ID: "a1", Type: "PRIMARY", Street1: "1 Kiln Rd", City: "Stoke", PostalCode: "ST1 1AA", Country: "GB"}},
		PaymentTerms: "NET30", LeadTimeDays: 14},
	"SupplierUpdated.v1": SupplierUpdated{SupplierID: "sup_acme", Phone: ptr("+1 555 0199"), LeadTimeDays: ptr(21)},
	"SupplierStatusChanged.v1": SupplierStatusChanged{SupplierID: "sup_acme", From: SupplierStatusPending,
		To: SupplierStatusActive, Action: "activate", Reason: "vetted"},
	"SupplierProductSet.v1": SupplierProductSet{SupplierID: "sup_acme",
		Product:  SupplierProduct{SKU: "MUG", SupplierSKU: "AC-MUG-11", UnitCost: 240, Currency: "USD", MinimumOrderQuantity: 48, LeadTimeDays: 10},
		Previous: &SupplierProduct{SKU: "MUG", SupplierSKU: "AC-MUG-11", UnitCost: 250, Currency: "USD", MinimumOrderQuantity: 24, LeadTimeDays: 10}},
}

func supplierIn(t *testing.T, status SupplierStatus) *Supplier {
	t.Helper()
	events, err := (&Supplier{}).Create(CreateSupplier{SupplierID: "sup_1", SupplierFields: SupplierFields{Name: "Acme"}})
	if err != nil {
		t.Fatal(err)
	}
	s := fold(&Supplier{}, events...)
	if status != SupplierStatusPending {
		fold(s, SupplierStatusChanged{SupplierID: "sup_1", From: s.Status, To: status})
	}
	return s
}

func TestEverySupplierStatusActionPair(t *testing.T) {
	allowed := map[SupplierStatus]map[string]SupplierStatus{
		SupplierStatusPending:   {"activate": SupplierStatusActive, "deactivate": SupplierStatusInactive, "suspend": SupplierStatusSuspended},
		SupplierStatusActive:    {"deactivate": SupplierStatusInactive, "suspend": SupplierStatusSuspended},
		SupplierStatusInactive:  {"activate": SupplierStatusActive},
		SupplierStatusSuspended: {"activate": SupplierStatusActive, "deactivate": SupplierStatusInactive},
	}
	for _, from := range SupplierStatuses {
		for _, action := range SupplierActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				s := supplierIn(t, from)
				before := s.Clone()
				events, err := s.Act(action, "")
				if diff := cmp.Diff(before, s); diff != "" {
					t.Fatalf("decide mutated the supplier:\n%s", diff)
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action || events != nil {
						t.Fatalf("got %v, %v; want a TransitionError naming %s and %s", events, err, from, action)
					}
					return
				}
				if err != nil || len(events) != 1 {
					t.Fatalf("allowed action gave %v, %v", events, err)
				}
				if fold(s, events...).Status != want {
					t.Fatalf("folded to %s, want %s", s.Status, want)
				}
			})
		}
	}
}

func TestSupplierCatalogKeepsOneEntryPerSKU(t *testing.T) {
	s := supplierIn(t, SupplierStatusActive)
	mug := SupplierProduct{SKU: "MUG", UnitCost: 250, Currency: "USD", MinimumOrderQuantity: 10}
	fold(s, mustEvents(t)(s.SetProduct(SetSupplierProduct{Product: mug}))...)
	if events, err := s.SetProduct(SetSupplierProduct{Product: mug}); events != nil || err != nil {
		t.Errorf("same entry again: %v %v", events, err)
	}
	cheaper := mug
	cheaper.UnitCost = 200
	events := mustEvents(t)(s.SetProduct(SetSupplierProduct{Product: cheaper}))
	if diff := cmp.Diff([]Event{SupplierProductSet{SupplierID: "sup_1", Product: cheaper, Previous: &mug}}, events); diff != "" {
		t.Errorf("replacement (-want +got):\n%s", diff)
	}
	fold(s, events...)
	if diff := cmp.Diff([]SupplierProduct{cheaper}, s.Catalog()); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
	if _, err := s.SetProduct(SetSupplierProduct{Product: SupplierProduct{SKU: "bad sku", UnitCost: -1}}); !hasFields(err, "sku", "unit_cost", "currency") {
		t.Errorf("bad entry: %v", err)
	}
}

func TestSupplierUpdateChangesOnlyWhatDiffers(t *testing.T) {
	s := supplierIn(t, SupplierStatusPending)
	if events, err := s.Update(UpdateSupplier{Name: ptr("Acme")}); events != nil || err != nil {
		t.Errorf("no change: %v %v", events, err)
	}
	events := mustEvents(t)(s.Update(UpdateSupplier{Name: ptr("Acme Ltd"), LeadTimeDays: ptr(7)}))
	if diff := cmp.Diff([]Event{SupplierUpdated{SupplierID: "sup_1", Name: ptr("Acme Ltd"), LeadTimeDays: ptr(7)}}, events); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	if _, err := s.Update(UpdateSupplier{Name: ptr(""), Email: ptr("nope")}); !hasFields(err, "name", "email") {
		t.Errorf("bad update: %v", err)
	}
}
