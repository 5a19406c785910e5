package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// priceListsV1 is the price lists read model: one document per list.
type priceListsV1 struct{}

// PriceLists is the price lists projector.
func PriceLists() Projector { return priceListsV1{} }

var priceListDocs = docTable[domain.PriceList, *domain.PriceList]{
	table: "price_lists",
	cols:  []string{"status", "currency"},
	vals:  func(p *domain.PriceList) []any { return []any{string(p.Status), p.Currency} },
	index: []string{`CREATE INDEX IF NOT EXISTS price_lists_status ON price_lists (status, created_seq)`},
}

func (priceListsV1) Name() string             { return "price_lists_v1" }
func (priceListsV1) AggregateTypes() []string { return []string{"price_list"} }
func (priceListsV1) Schema() []string         { return priceListDocs.schema() }

func (priceListsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := priceListDocs.apply(ctx, tx, env)
	return err
}

// GetPriceList returns one price list.
func (rd *Reader) GetPriceList(ctx context.Context, id string) (Doc[domain.PriceList], error) {
	return priceListDocs.get(ctx, rd.db("price_lists_v1"), id)
}

// ListPriceLists lists price lists, newest first.
func (rd *Reader) ListPriceLists(ctx context.Context, f Filter) ([]*domain.PriceList, PageInfo, error) {
	return priceListDocs.list(ctx, rd.db("price_lists_v1"), f)
}

// wholesaleAccountsV1 is the wholesale accounts read model: one document per account,
// keyed by customer id.
type wholesaleAccountsV1 struct{}

// WholesaleAccounts is the wholesale accounts projector.
func WholesaleAccounts() Projector { return wholesaleAccountsV1{} }

var wholesaleAccountDocs = docTable[domain.WholesaleAccount, *domain.WholesaleAccount]{
	table: "wholesale_accounts",
	cols:  []string{"currency", "net_terms", "price_list_id"},
	vals: func(a *domain.WholesaleAccount) []any {
		return []any{a.Currency, string(a.NetTerms), a.PriceListID}
	},
}

func (wholesaleAccountsV1) Name() string             { return "wholesale_accounts_v1" }
func (wholesaleAccountsV1) AggregateTypes() []string { return []string{"wholesale_account"} }
func (wholesaleAccountsV1) Schema() []string         { return wholesaleAccountDocs.schema() }

func (wholesaleAccountsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := wholesaleAccountDocs.apply(ctx, tx, env)
	return err
}

// GetWholesaleAccount returns one customer's wholesale account.
func (rd *Reader) GetWholesaleAccount(ctx context.Context, customerID string) (Doc[domain.WholesaleAccount], error) {
	return wholesaleAccountDocs.get(ctx, rd.db("wholesale_accounts_v1"), customerID)
}

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
