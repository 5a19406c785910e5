package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

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
