package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// warehousesV1 is the warehouses read model: one document per warehouse.
type warehousesV1 struct{}

// Warehouses is the warehouses projector.
func Warehouses() Projector { return warehousesV1{} }

// WarehouseColumns are the columns warehouse lists filter on.
var WarehouseColumns = []string{"status", "code"}

var warehouseDocs = docTable[domain.Warehouse, *domain.Warehouse]{
	table: "warehouses",
	cols:  WarehouseColumns,
	vals:  func(w *domain.Warehouse) []any { return []any{string(w.Status), w.Code} },
}

func (warehousesV1) Name() string             { return "warehouses_v1" }
func (warehousesV1) AggregateTypes() []string { return []string{"warehouse"} }
func (warehousesV1) Schema() []string         { return warehouseDocs.schema() }

func (warehousesV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := warehouseDocs.apply(ctx, tx, env)
	return err
}

// GetWarehouse returns one warehouse.
func (rd *Reader) GetWarehouse(ctx context.Context, id string) (Doc[domain.Warehouse], error) {
	return warehouseDocs.get(ctx, rd.db("warehouses_v1"), id)
}

// ListWarehouses lists warehouses, newest first.
func (rd *Reader) ListWarehouses(ctx context.Context, f Filter) ([]*domain.Warehouse, PageInfo, error) {
	return warehouseDocs.list(ctx, rd.db("warehouses_v1"), f)
}
