package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, asnGoldens) }

// asnGoldens is one realistic value per ASN event type (see goldens).
var asnGoldens = map[string]Event{
	"ASNCreated.v1": ASNCreated{ASNID: "asn_1", ASNNumber: "ASN-000001", PurchaseOrderID: "po_1", SupplierID: "sup_acme",
		Items: []ASNItem{{SKU: "MUG", Quantity: 48}}, Carrier: "UPS", TrackingNumber: "1Z999AA10123456784",
		ExpectedArrival: "2026-02-14"},
	"ASNUpdated.v1": ASNUpdated{ASNID: "asn_1", PurchaseOrderID: "po_1", TrackingNumber: ptr("1Z999AA10123456785"),
		Items: &[]ASNItem{{SKU: "MUG", Quantity: 40}}},
	"ASNSubmitted.v1": ASNSubmitted{ASNStatusChange{ASNID: "asn_1", PurchaseOrderID: "po_1", From: ASNStatusDraft, To: ASNStatusSubmitted}},
	"ASNShipped.v1":   ASNShipped{ASNStatusChange{ASNID: "asn_1", PurchaseOrderID: "po_1", From: ASNStatusSubmitted, To: ASNStatusInTransit}},
	"ASNDelivered.v1": ASNDelivered{ASNStatusChange{ASNID: "asn_1", PurchaseOrderID: "po_1", From: ASNStatusInTransit, To: ASNStatusDelivered}},
	"ASNCancelled.v1": ASNCancelled{ASNStatusChange{ASNID: "asn_1", PurchaseOrderID: "po_1", From: ASNStatusSubmitted,
		To: ASNStatusCancelled, Reason: "shipment split"}},
}

func asnIn(t *testing.T, status ASNStatus) *ASN {
	t.Helper()
	a := fold(&ASN{}, mustEvents(t)((&ASN{}).Create(CreateASN{ASNID: "asn_1", ASNNumber: "ASN-000001",
		PurchaseOrder: purchaseOrderIn(t, PurchaseOrderStatusApproved), Items: []ASNItem{{SKU: "MUG", Quantity: 10}}}))...)
	path := map[ASNStatus][]string{ASNStatusDraft: nil, ASNStatusSubmitted: {"submit"}, ASNStatusInTransit: {"submit", "ship"},
		ASNStatusDelivered: {"submit", "ship", "deliver"}, ASNStatusCancelled: {"cancel"}}
	for _, action := range path[status] {
		fold(a, mustEvents(t)(a.Act(action, ""))...)
	}
	return a
}

func TestEveryASNStatusActionPair(t *testing.T) {
	allowed := map[ASNStatus]map[string]ASNStatus{
		ASNStatusDraft:     {"submit": ASNStatusSubmitted, "cancel": ASNStatusCancelled},
		ASNStatusSubmitted: {"ship": ASNStatusInTransit, "cancel": ASNStatusCancelled},
		ASNStatusInTransit: {"deliver": ASNStatusDelivered, "cancel": ASNStatusCancelled},
		ASNStatusDelivered: {},
		ASNStatusCancelled: {},
	}
	for _, from := range ASNStatuses {
		for _, action := range ASNActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				a := asnIn(t, from)
				if a.Status != from {
					t.Fatalf("setup folded to %s", a.Status)
				}
				before := a.Clone()
				events, err := a.Act(action, "")
				if diff := cmp.Diff(before, a); diff != "" {
					t.Fatalf("decide mutated the ASN:\n%s", diff)
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
				if fold(a, events...).Status != want {
					t.Fatalf("folded to %s, want %s", a.Status, want)
				}
			})
		}
	}
}

func TestASNNeedsAnOpenPurchaseOrder(t *testing.T) {
	create := func(po *PurchaseOrder, items ...ASNItem) error {
		_, err := (&ASN{}).Create(CreateASN{ASNID: "asn_1", ASNNumber: "ASN-000001", PurchaseOrder: po, Items: items})
		return err
	}
	if err := create(purchaseOrderIn(t, PurchaseOrderStatusDraft), ASNItem{SKU: "MUG", Quantity: 1}); !hasFields(err, "purchase_order_id") {
		t.Errorf("draft PO: %v", err)
	}
	if err := create(nil, ASNItem{SKU: "MUG", Quantity: 1}); !hasFields(err, "purchase_order_id") {
		t.Errorf("no PO: %v", err)
	}
	// 6 of 10 MUG still open
	part := purchaseOrderIn(t, PurchaseOrderStatusPartiallyReceived)
	if err := create(part, ASNItem{SKU: "MUG", Quantity: 7}, ASNItem{SKU: "CUP", Quantity: 1}); !hasFields(err, "items[0].quantity", "items[1].sku") {
		t.Errorf("over what is open: %v", fieldsOf(err))
	}
	if err := create(part, ASNItem{SKU: "MUG", Quantity: 6}); err != nil {
		t.Errorf("what is open: %v", err)
	}
}

func TestASNUpdate(t *testing.T) {
	items := func(in ...ASNItem) *[]ASNItem { return &in }
	for _, c := range []struct {
		name   string
		status ASNStatus
		cmd    UpdateASN
		want   []Event
		err    string
	}{
		{"tracking while in transit", ASNStatusInTransit, UpdateASN{TrackingNumber: ptr("1Z2"), Carrier: ptr("UPS")},
			[]Event{ASNUpdated{ASNID: "asn_1", PurchaseOrderID: "po_1", TrackingNumber: ptr("1Z2"), Carrier: ptr("UPS")}}, ""},
		{"a draft's items", ASNStatusDraft, UpdateASN{Items: items(ASNItem{SKU: "MUG", Quantity: 6}, ASNItem{SKU: "TEE", Quantity: 5})},
			[]Event{ASNUpdated{ASNID: "asn_1", PurchaseOrderID: "po_1", Items: &[]ASNItem{{SKU: "MUG", Quantity: 6}, {SKU: "TEE", Quantity: 5}}}}, ""},
		{"the same items change nothing", ASNStatusDraft, UpdateASN{Items: items(ASNItem{SKU: "MUG", Quantity: 10})}, nil, ""},
		{"more than is open", ASNStatusDraft, UpdateASN{Items: items(ASNItem{SKU: "MUG", Quantity: 11})}, nil, "validation"},
		{"a SKU not on the order", ASNStatusDraft, UpdateASN{Items: items(ASNItem{SKU: "CUP", Quantity: 1})}, nil, "validation"},
		{"a bad arrival", ASNStatusSubmitted, UpdateASN{ExpectedArrival: ptr("soon")}, nil, "validation"},
		{"items once submitted", ASNStatusSubmitted, UpdateASN{Items: items(ASNItem{SKU: "MUG", Quantity: 5})}, nil, "transition"},
		{"delivered is done", ASNStatusDelivered, UpdateASN{TrackingNumber: ptr("x")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := asnIn(t, c.status)
			c.cmd.PurchaseOrder = purchaseOrderIn(t, PurchaseOrderStatusApproved)
			got, err := a.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if fold(a, got...); c.cmd.Items != nil && len(got) > 0 && len(a.Items) != 2 {
				t.Errorf("after the edit: %+v", a)
			}
		})
	}
}
