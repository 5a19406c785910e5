package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, transferGoldens) }

// transferGoldens is one realistic value per transfer event type (see goldens).
var transferGoldens = map[string]Event{
	"TransferCreated.v1": TransferCreated{TransferID: "tr_1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 5}}},
	"TransferShipped.v1": TransferShipped{TransferMoved{TransferID: "tr_1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 5}}}},
	"TransferReceived.v1": TransferReceived{TransferMoved{TransferID: "tr_1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 5}}}},
	"TransferCancelled.v1": TransferCancelled{TransferID: "tr_1", Reason: "not needed"},
}

func transferIn(t *testing.T, s TransferStatus) *Transfer {
	t.Helper()
	events, err := (&Transfer{}).Create(CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "reno",
		Items: []TransferItem{{SKU: "MUG", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	tr := fold(&Transfer{}, events...)
	path := map[TransferStatus][]Event{
		TransferStatusInTransit: {TransferShipped{}},
		TransferStatusReceived:  {TransferShipped{}, TransferReceived{}},
		TransferStatusCancelled: {TransferCancelled{}},
	}
	return fold(tr, path[s]...)
}

func TestEveryTransferStatusActionPair(t *testing.T) {
	allowed := map[TransferStatus]map[string]TransferStatus{
		TransferStatusCreated:   {"ship": TransferStatusInTransit, "cancel": TransferStatusCancelled},
		TransferStatusInTransit: {"receive": TransferStatusReceived},
	}
	walk(t, TransferStatuses, TransferActions, allowed, transferIn,
		func(tr *Transfer) TransferStatus { return tr.Status },
		func(tr *Transfer, action string) ([]Event, error) { return tr.Act(action, "") })
}

func TestCreateTransferListsEveryBadField(t *testing.T) {
	_, err := (&Transfer{}).Create(CreateTransfer{TransferID: "t1", FromLocationID: "main", ToLocationID: "main",
		Items: []TransferItem{{SKU: "MUG", Quantity: 0}, {SKU: "MUG", Quantity: 1}}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	if diff := cmp.Diff([]string{"to_location_id", "items[0].quantity", "items[1].sku"}, fields); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
}
