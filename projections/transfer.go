package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// transfersV1 is the transfers read model: one document per transfer.
type transfersV1 struct{}

// Transfers is the transfers projector.
func Transfers() Projector { return transfersV1{} }

// TransferColumns are the columns transfer lists filter on.
var TransferColumns = []string{"status", "from_location_id", "to_location_id"}

var transferDocs = docTable[domain.Transfer, *domain.Transfer]{
	table: "transfers",
	cols:  TransferColumns,
	vals:  func(t *domain.Transfer) []any { return []any{string(t.Status), t.FromLocationID, t.ToLocationID} },
	index: []string{`CREATE INDEX IF NOT EXISTS transfers_status ON transfers (status, created_seq)`},
}

func (transfersV1) Name() string             { return "transfers_v1" }
func (transfersV1) AggregateTypes() []string { return []string{"transfer"} }
func (transfersV1) Schema() []string         { return transferDocs.schema() }

func (transfersV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := transferDocs.apply(ctx, tx, env)
	return err
}

// GetTransfer returns one transfer.
func (rd *Reader) GetTransfer(ctx context.Context, id string) (Doc[domain.Transfer], error) {
	return transferDocs.get(ctx, rd.db("transfers_v1"), id)
}

// ListTransfers lists transfers, newest first.
func (rd *Reader) ListTransfers(ctx context.Context, f Filter) ([]*domain.Transfer, PageInfo, error) {
	return transferDocs.list(ctx, rd.db("transfers_v1"), f)
}
