package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// wholesaleOrdersV1 is the wholesale orders read model: one document per order.
type wholesaleOrdersV1 struct{}

// WholesaleOrders is the wholesale orders projector.
func WholesaleOrders() Projector { return wholesaleOrdersV1{} }

// WholesaleOrderColumns are the columns wholesale order lists filter on.
var WholesaleOrderColumns = []string{"status", "customer_id", "order_number", "price_list_id", "financial_status",
	"fulfillment_status", "location_id", "po_number"}

var wholesaleOrderDocs = docTable[domain.WholesaleOrder, *domain.WholesaleOrder]{
	table: "wholesale_orders",
	cols:  WholesaleOrderColumns,
	vals: func(o *domain.WholesaleOrder) []any {
		return []any{string(o.Status), o.CustomerID, o.OrderNumber, o.PriceListID, string(o.FinancialStatus),
			string(o.FulfillmentStatus), o.LocationID, o.PONumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS wholesale_orders_status ON wholesale_orders (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS wholesale_orders_customer ON wholesale_orders (customer_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS wholesale_orders_number ON wholesale_orders (order_number)`},
}

func (wholesaleOrdersV1) Name() string             { return "wholesale_orders_v1" }
func (wholesaleOrdersV1) AggregateTypes() []string { return []string{"wholesale_order"} }
func (wholesaleOrdersV1) Schema() []string         { return wholesaleOrderDocs.schema() }

func (wholesaleOrdersV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := wholesaleOrderDocs.apply(ctx, tx, env)
	return err
}

// GetWholesaleOrder returns one wholesale order.
func (rd *Reader) GetWholesaleOrder(ctx context.Context, id string) (Doc[domain.WholesaleOrder], error) {
	return wholesaleOrderDocs.get(ctx, rd.db("wholesale_orders_v1"), id)
}

// ListWholesaleOrders lists wholesale orders, newest first.
func (rd *Reader) ListWholesaleOrders(ctx context.Context, f Filter) ([]*domain.WholesaleOrder, PageInfo, error) {
	return wholesaleOrderDocs.list(ctx, rd.db("wholesale_orders_v1"), f)
}
