package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

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
