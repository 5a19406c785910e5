package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// warrantiesV1 is the warranties read model: one document per warranty, claims inside.
type warrantiesV1 struct{}

// Warranties is the warranties projector.
func Warranties() Projector { return warrantiesV1{} }

var warrantyDocs = docTable[domain.Warranty, *domain.Warranty]{
	table: "warranties",
	cols:  []string{"status", "customer_id", "order_id", "sku", "serial_number", "warranty_number", "type"},
	vals: func(w *domain.Warranty) []any {
		return []any{string(w.Status), w.CustomerID, w.OrderID, w.SKU, w.SerialNumber, w.WarrantyNumber, w.Type}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS warranties_status ON warranties (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS warranties_customer ON warranties (customer_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS warranties_number ON warranties (warranty_number)`},
}

func (warrantiesV1) Name() string             { return "warranties_v1" }
func (warrantiesV1) AggregateTypes() []string { return []string{"warranty"} }
func (warrantiesV1) Schema() []string         { return warrantyDocs.schema() }

func (warrantiesV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := warrantyDocs.apply(ctx, tx, env)
	return err
}

// GetWarranty returns one warranty.
func (rd *Reader) GetWarranty(ctx context.Context, id string) (Doc[domain.Warranty], error) {
	return warrantyDocs.get(ctx, rd.db("warranties_v1"), id)
}

// ListWarranties lists warranties, newest first.
func (rd *Reader) ListWarranties(ctx context.Context, f Filter) ([]*domain.Warranty, PageInfo, error) {
	return warrantyDocs.list(ctx, rd.db("warranties_v1"), f)
}
