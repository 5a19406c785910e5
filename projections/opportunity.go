package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// opportunitiesV1 is the opportunities read model: one document per opportunity.
type opportunitiesV1 struct{}

// Opportunities is the opportunities projector.
func Opportunities() Projector { return opportunitiesV1{} }

// OpportunityColumns are the columns opportunity lists filter on.
var OpportunityColumns = []string{"status", "customer_id", "lead_id", "currency"}

var opportunityDocs = docTable[domain.Opportunity, *domain.Opportunity]{
	table: "opportunities",
	cols:  OpportunityColumns,
	vals: func(o *domain.Opportunity) []any {
		return []any{string(o.Status), o.CustomerID, o.LeadID, o.Currency}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS opportunities_status ON opportunities (status, created_seq)`},
}

func (opportunitiesV1) Name() string             { return "opportunities_v1" }
func (opportunitiesV1) AggregateTypes() []string { return []string{"opportunity"} }
func (opportunitiesV1) Schema() []string         { return opportunityDocs.schema() }

func (opportunitiesV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := opportunityDocs.apply(ctx, tx, env)
	return err
}

// GetOpportunity returns one opportunity.
func (rd *Reader) GetOpportunity(ctx context.Context, id string) (Doc[domain.Opportunity], error) {
	return opportunityDocs.get(ctx, rd.db("opportunities_v1"), id)
}

// ListOpportunities lists opportunities, newest first.
func (rd *Reader) ListOpportunities(ctx context.Context, f Filter) ([]*domain.Opportunity, PageInfo, error) {
	return opportunityDocs.list(ctx, rd.db("opportunities_v1"), f)
}
