package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// billsOfMaterialsV1 is the bills of materials read model: one document per BOM.
type billsOfMaterialsV1 struct{}

// BillsOfMaterials is the bills of materials projector.
func BillsOfMaterials() Projector { return billsOfMaterialsV1{} }

// BOMColumns are the columns BOM lists filter on.
var BOMColumns = []string{"status", "sku", "revision"}

var bomDocs = docTable[domain.BillOfMaterials, *domain.BillOfMaterials]{
	table: "bills_of_materials",
	cols:  BOMColumns,
	vals:  func(b *domain.BillOfMaterials) []any { return []any{string(b.Status), b.SKU, b.Revision} },
	index: []string{`CREATE INDEX IF NOT EXISTS bills_of_materials_status ON bills_of_materials (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS bills_of_materials_sku ON bills_of_materials (sku, created_seq)`},
}

func (billsOfMaterialsV1) Name() string             { return "bills_of_materials_v1" }
func (billsOfMaterialsV1) AggregateTypes() []string { return []string{"bill_of_materials"} }
func (billsOfMaterialsV1) Schema() []string         { return bomDocs.schema() }

func (billsOfMaterialsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := bomDocs.apply(ctx, tx, env)
	return err
}

// GetBOM returns one bill of materials.
func (rd *Reader) GetBOM(ctx context.Context, id string) (Doc[domain.BillOfMaterials], error) {
	return bomDocs.get(ctx, rd.db("bills_of_materials_v1"), id)
}

// ListBOMs lists bills of materials, newest first.
func (rd *Reader) ListBOMs(ctx context.Context, f Filter) ([]*domain.BillOfMaterials, PageInfo, error) {
	return bomDocs.list(ctx, rd.db("bills_of_materials_v1"), f)
}
