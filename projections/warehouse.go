package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// The warehouse operations read models: one document per warehouse, pick list, shipment,
// transfer and cycle count.

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

type pickListsV1 struct{}

// PickLists is the pick lists projector.
func PickLists() Projector { return pickListsV1{} }

// PickListColumns are the columns pick list lists filter on.
var PickListColumns = []string{"status", "warehouse_id"}

var pickListDocs = docTable[domain.PickList, *domain.PickList]{
	table: "pick_lists",
	cols:  PickListColumns,
	vals:  func(p *domain.PickList) []any { return []any{string(p.Status), p.WarehouseID} },
	index: []string{`CREATE INDEX IF NOT EXISTS pick_lists_status ON pick_lists (status, created_seq)`},
}

func (pickListsV1) Name() string             { return "pick_lists_v1" }
func (pickListsV1) AggregateTypes() []string { return []string{"pick_list"} }
func (pickListsV1) Schema() []string         { return pickListDocs.schema() }

func (pickListsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := pickListDocs.apply(ctx, tx, env)
	return err
}

// GetPickList returns one pick list.
func (rd *Reader) GetPickList(ctx context.Context, id string) (Doc[domain.PickList], error) {
	return pickListDocs.get(ctx, rd.db("pick_lists_v1"), id)
}

// ListPickLists lists pick lists, newest first.
func (rd *Reader) ListPickLists(ctx context.Context, f Filter) ([]*domain.PickList, PageInfo, error) {
	return pickListDocs.list(ctx, rd.db("pick_lists_v1"), f)
}

type shipmentsV1 struct{}

// Shipments is the shipments projector.
func Shipments() Projector { return shipmentsV1{} }

// ShipmentColumns are the columns shipment lists filter on.
var ShipmentColumns = []string{"status", "order_id", "warehouse_id", "carrier", "tracking_number"}

var shipmentDocs = docTable[domain.Shipment, *domain.Shipment]{
	table: "shipments",
	cols:  ShipmentColumns,
	vals: func(s *domain.Shipment) []any {
		return []any{string(s.Status), s.OrderID, s.WarehouseID, s.Carrier, s.TrackingNumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS shipments_status ON shipments (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS shipments_order ON shipments (order_id, created_seq)`},
}

func (shipmentsV1) Name() string             { return "shipments_v1" }
func (shipmentsV1) AggregateTypes() []string { return []string{"shipment"} }
func (shipmentsV1) Schema() []string         { return shipmentDocs.schema() }

func (shipmentsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := shipmentDocs.apply(ctx, tx, env)
	return err
}

// GetShipment returns one shipment.
func (rd *Reader) GetShipment(ctx context.Context, id string) (Doc[domain.Shipment], error) {
	return shipmentDocs.get(ctx, rd.db("shipments_v1"), id)
}

// ListShipments lists shipments, newest first.
func (rd *Reader) ListShipments(ctx context.Context, f Filter) ([]*domain.Shipment, PageInfo, error) {
	return shipmentDocs.list(ctx, rd.db("shipments_v1"), f)
}

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

type cycleCountsV1 struct{}

// CycleCounts is the cycle counts projector.
func CycleCounts() Projector { return cycleCountsV1{} }

// CycleCountColumns are the columns cycle count lists filter on.
var CycleCountColumns = []string{"status", "warehouse_id"}

var cycleCountDocs = docTable[domain.CycleCount, *domain.CycleCount]{
	table: "cycle_counts",
	cols:  CycleCountColumns,
	vals:  func(c *domain.CycleCount) []any { return []any{string(c.Status), c.WarehouseID} },
	index: []string{`CREATE INDEX IF NOT EXISTS cycle_counts_status ON cycle_counts (status, created_seq)`},
}

func (cycleCountsV1) Name() string             { return "cycle_counts_v1" }
func (cycleCountsV1) AggregateTypes() []string { return []string{"cycle_count"} }
func (cycleCountsV1) Schema() []string         { return cycleCountDocs.schema() }

func (cycleCountsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := cycleCountDocs.apply(ctx, tx, env)
	return err
}

// GetCycleCount returns one cycle count.
func (rd *Reader) GetCycleCount(ctx context.Context, id string) (Doc[domain.CycleCount], error) {
	return cycleCountDocs.get(ctx, rd.db("cycle_counts_v1"), id)
}

// ListCycleCounts lists cycle counts, newest first.
func (rd *Reader) ListCycleCounts(ctx context.Context, f Filter) ([]*domain.CycleCount, PageInfo, error) {
	return cycleCountDocs.list(ctx, rd.db("cycle_counts_v1"), f)
}
