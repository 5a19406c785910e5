package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// ordersV1 is the orders read model: one document per order.
type ordersV1 struct{}

// Orders is the orders projector.
func Orders() Projector { return ordersV1{} }

var orderDocs = docTable[domain.Order, *domain.Order]{
	table: "orders",
	cols:  []string{"status", "customer_id", "order_number", "payment_status", "fulfillment_status", "location_id", "channel"},
	vals: func(o *domain.Order) []any {
		return []any{string(o.Status), o.CustomerID, o.OrderNumber, o.PaymentStatus, o.FulfillmentStatus(), o.LocationID, o.Channel}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS orders_status ON orders (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS orders_number ON orders (order_number)`},
}

func (ordersV1) Name() string             { return "orders_v1" }
func (ordersV1) AggregateTypes() []string { return []string{"order", "customer.*.CustomerForgotten"} }
func (ordersV1) Schema() []string         { return orderDocs.schema() }

func (ordersV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	if customer, err := orderDocs.forget(ctx, tx, env, "customer_id"); customer || err != nil {
		return err // a forgotten customer's addresses leave its orders
	}
	_, err := orderDocs.apply(ctx, tx, env)
	return err
}

// GetOrder returns one order.
func (rd *Reader) GetOrder(ctx context.Context, id string) (Doc[domain.Order], error) {
	return orderDocs.get(ctx, rd.db("orders_v1"), id)
}

// ListOrders lists orders, newest first.
func (rd *Reader) ListOrders(ctx context.Context, f Filter) ([]*domain.Order, PageInfo, error) {
	return orderDocs.list(ctx, rd.db("orders_v1"), f)
}
