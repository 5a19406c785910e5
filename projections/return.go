package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// returnsV1 is the returns read model: one document per return.
type returnsV1 struct{}

// Returns is the returns projector.
func Returns() Projector { return returnsV1{} }

var returnDocs = docTable[domain.Return, *domain.Return]{
	table: "returns",
	cols:  []string{"status", "order_id", "customer_id", "rma_number"},
	vals: func(r *domain.Return) []any {
		return []any{string(r.Status), r.OrderID, r.CustomerID, r.RMANumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS returns_status ON returns (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS returns_order ON returns (order_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS returns_customer ON returns (customer_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS returns_number ON returns (rma_number)`},
}

func (returnsV1) Name() string             { return "returns_v1" }
func (returnsV1) AggregateTypes() []string { return []string{"return"} }
func (returnsV1) Schema() []string         { return returnDocs.schema() }

func (returnsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := returnDocs.apply(ctx, tx, env)
	return err
}

// GetReturn returns one return.
func (rd *Reader) GetReturn(ctx context.Context, id string) (Doc[domain.Return], error) {
	return returnDocs.get(ctx, rd.db("returns_v1"), id)
}

// ListReturns lists returns, newest first.
func (rd *Reader) ListReturns(ctx context.Context, f Filter) ([]*domain.Return, PageInfo, error) {
	return returnDocs.list(ctx, rd.db("returns_v1"), f)
}
