package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// purchaseOrdersV1 is the purchase orders read model: one document per order. Its
// on_time column ("true", "false", or "" until fully received with an expected date)
// gives suppliers their on-time delivery rate.
type purchaseOrdersV1 struct{}

// PurchaseOrders is the purchase orders projector.
func PurchaseOrders() Projector { return purchaseOrdersV1{} }

// PurchaseOrderColumns are the columns purchase order lists filter on.
var PurchaseOrderColumns = []string{"status", "supplier_id", "po_number", "location_id", "on_time"}

var purchaseOrderDocs = docTable[domain.PurchaseOrder, *domain.PurchaseOrder]{
	table: "purchase_orders",
	cols:  PurchaseOrderColumns,
	vals: func(o *domain.PurchaseOrder) []any {
		onTime := ""
		if o.OnTime != nil {
			onTime = map[bool]string{true: "true", false: "false"}[*o.OnTime]
		}
		return []any{string(o.Status), o.SupplierID, o.PONumber, o.LocationID, onTime}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS purchase_orders_status ON purchase_orders (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS purchase_orders_supplier ON purchase_orders (supplier_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS purchase_orders_number ON purchase_orders (po_number)`},
}

func (purchaseOrdersV1) Name() string             { return "purchase_orders_v1" }
func (purchaseOrdersV1) AggregateTypes() []string { return []string{"purchase_order"} }
func (purchaseOrdersV1) Schema() []string         { return purchaseOrderDocs.schema() }

func (purchaseOrdersV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := purchaseOrderDocs.apply(ctx, tx, env)
	return err
}

// GetPurchaseOrder returns one purchase order.
func (rd *Reader) GetPurchaseOrder(ctx context.Context, id string) (Doc[domain.PurchaseOrder], error) {
	return purchaseOrderDocs.get(ctx, rd.db("purchase_orders_v1"), id)
}

// ListPurchaseOrders lists purchase orders, newest first.
func (rd *Reader) ListPurchaseOrders(ctx context.Context, f Filter) ([]*domain.PurchaseOrder, PageInfo, error) {
	return purchaseOrderDocs.list(ctx, rd.db("purchase_orders_v1"), f)
}

// SupplierDeliveries counts a supplier's purchase orders that were fully received and had
// an expected delivery date, and how many of them on time.
func (rd *Reader) SupplierDeliveries(ctx context.Context, supplierID string) (received, onTime int64, err error) {
	err = rd.db("purchase_orders_v1").QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(on_time = 'true'), 0)
		FROM purchase_orders WHERE supplier_id = ? AND on_time != ''`, supplierID).Scan(&received, &onTime)
	return received, onTime, err
}
