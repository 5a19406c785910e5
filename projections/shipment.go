package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// shipmentsV1 is the shipments read model: one document per shipment.
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
