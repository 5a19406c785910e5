package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// suppliersV1 is the suppliers read model: one document per supplier, catalog included.
type suppliersV1 struct{}

// Suppliers is the suppliers projector.
func Suppliers() Projector { return suppliersV1{} }

// SupplierColumns are the columns supplier lists filter on.
var SupplierColumns = []string{"status", "supplier_code", "type"}

var supplierDocs = docTable[domain.Supplier, *domain.Supplier]{
	table: "suppliers",
	cols:  SupplierColumns,
	vals:  func(s *domain.Supplier) []any { return []any{string(s.Status), s.SupplierCode, s.Type} },
	index: []string{`CREATE INDEX IF NOT EXISTS suppliers_status ON suppliers (status, created_seq)`},
}

func (suppliersV1) Name() string             { return "suppliers_v1" }
func (suppliersV1) AggregateTypes() []string { return []string{"supplier"} }
func (suppliersV1) Schema() []string         { return supplierDocs.schema() }

func (suppliersV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := supplierDocs.apply(ctx, tx, env)
	return err
}

// GetSupplier returns one supplier.
func (rd *Reader) GetSupplier(ctx context.Context, id string) (Doc[domain.Supplier], error) {
	return supplierDocs.get(ctx, rd.db("suppliers_v1"), id)
}

// ListSuppliers lists suppliers, newest first.
func (rd *Reader) ListSuppliers(ctx context.Context, f Filter) ([]*domain.Supplier, PageInfo, error) {
	return supplierDocs.list(ctx, rd.db("suppliers_v1"), f)
}
