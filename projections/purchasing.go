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

// asnsV1 is the ASNs read model: one document per ASN.
type asnsV1 struct{}

// ASNs is the ASNs projector.
func ASNs() Projector { return asnsV1{} }

// ASNColumns are the columns ASN lists filter on.
var ASNColumns = []string{"status", "purchase_order_id", "supplier_id", "asn_number"}

var asnDocs = docTable[domain.ASN, *domain.ASN]{
	table: "asns",
	cols:  ASNColumns,
	vals: func(a *domain.ASN) []any {
		return []any{string(a.Status), a.PurchaseOrderID, a.SupplierID, a.ASNNumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS asns_status ON asns (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS asns_po ON asns (purchase_order_id, created_seq)`},
}

func (asnsV1) Name() string             { return "asns_v1" }
func (asnsV1) AggregateTypes() []string { return []string{"asn"} }
func (asnsV1) Schema() []string         { return asnDocs.schema() }

func (asnsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := asnDocs.apply(ctx, tx, env)
	return err
}

// GetASN returns one ASN.
func (rd *Reader) GetASN(ctx context.Context, id string) (Doc[domain.ASN], error) {
	return asnDocs.get(ctx, rd.db("asns_v1"), id)
}

// ListASNs lists ASNs, newest first.
func (rd *Reader) ListASNs(ctx context.Context, f Filter) ([]*domain.ASN, PageInfo, error) {
	return asnDocs.list(ctx, rd.db("asns_v1"), f)
}
