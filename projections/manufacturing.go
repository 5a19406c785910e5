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

// workOrdersV1 is the work orders read model: one document per work order.
type workOrdersV1 struct{}

// WorkOrders is the work orders projector.
func WorkOrders() Projector { return workOrdersV1{} }

// WorkOrderColumns are the columns work order lists filter on.
var WorkOrderColumns = []string{"status", "bom_id", "sku", "location_id", "priority", "work_order_number"}

var workOrderDocs = docTable[domain.WorkOrder, *domain.WorkOrder]{
	table: "work_orders",
	cols:  WorkOrderColumns,
	vals: func(o *domain.WorkOrder) []any {
		return []any{string(o.Status), o.BOMID, o.SKU, o.LocationID, o.Priority, o.WorkOrderNumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS work_orders_status ON work_orders (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS work_orders_bom ON work_orders (bom_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS work_orders_number ON work_orders (work_order_number)`},
}

func (workOrdersV1) Name() string             { return "work_orders_v1" }
func (workOrdersV1) AggregateTypes() []string { return []string{"work_order"} }
func (workOrdersV1) Schema() []string         { return workOrderDocs.schema() }

func (workOrdersV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := workOrderDocs.apply(ctx, tx, env)
	return err
}

// GetWorkOrder returns one work order.
func (rd *Reader) GetWorkOrder(ctx context.Context, id string) (Doc[domain.WorkOrder], error) {
	return workOrderDocs.get(ctx, rd.db("work_orders_v1"), id)
}

// ListWorkOrders lists work orders, newest first.
func (rd *Reader) ListWorkOrders(ctx context.Context, f Filter) ([]*domain.WorkOrder, PageInfo, error) {
	return workOrderDocs.list(ctx, rd.db("work_orders_v1"), f)
}
