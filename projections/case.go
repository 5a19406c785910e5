package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// casesV1 is the cases read model: one document per case.
type casesV1 struct{}

// Cases is the cases projector.
func Cases() Projector { return casesV1{} }

// CaseColumns are the columns case lists filter on.
var CaseColumns = []string{"status", "priority", "customer_id", "order_id", "assignee", "case_number"}

var caseDocs = docTable[domain.Case, *domain.Case]{
	table: "cases",
	cols:  CaseColumns,
	vals: func(c *domain.Case) []any {
		return []any{string(c.Status), c.Priority, c.CustomerID, c.OrderID, c.Assignee, c.CaseNumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS cases_status ON cases (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS cases_customer ON cases (customer_id, created_seq)`},
}

func (casesV1) Name() string             { return "cases_v1" }
func (casesV1) AggregateTypes() []string { return []string{"case", "customer.*.CustomerForgotten"} }
func (casesV1) Schema() []string         { return caseDocs.schema() }

func (casesV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	if customer, err := caseDocs.forget(ctx, tx, env, "customer_id"); customer || err != nil {
		return err // a forgotten customer's personal data leaves these too
	}
	_, err := caseDocs.apply(ctx, tx, env)
	return err
}

// GetCase returns one case.
func (rd *Reader) GetCase(ctx context.Context, id string) (Doc[domain.Case], error) {
	return caseDocs.get(ctx, rd.db("cases_v1"), id)
}

// ListCases lists cases, newest first.
func (rd *Reader) ListCases(ctx context.Context, f Filter) ([]*domain.Case, PageInfo, error) {
	return caseDocs.list(ctx, rd.db("cases_v1"), f)
}
