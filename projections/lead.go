package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// leadsV1 is the leads read model: one document per lead.
type leadsV1 struct{}

// Leads is the leads projector.
func Leads() Projector { return leadsV1{} }

// LeadColumns are the columns lead lists filter on.
var LeadColumns = []string{"status", "email", "company", "lead_source", "customer_id"}

var leadDocs = docTable[domain.Lead, *domain.Lead]{
	table: "leads",
	cols:  LeadColumns,
	vals: func(l *domain.Lead) []any {
		return []any{string(l.Status), domain.EmailKey(l.Email), l.Company, l.LeadSource, l.CustomerID}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS leads_status ON leads (status, created_seq)`},
}

func (leadsV1) Name() string             { return "leads_v1" }
func (leadsV1) AggregateTypes() []string { return []string{"lead", "customer.*.CustomerForgotten"} }
func (leadsV1) Schema() []string         { return leadDocs.schema() }

func (leadsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	if customer, err := leadDocs.forget(ctx, tx, env, "customer_id"); customer || err != nil {
		return err // a forgotten customer's personal data leaves these too
	}
	_, err := leadDocs.apply(ctx, tx, env)
	return err
}

// GetLead returns one lead.
func (rd *Reader) GetLead(ctx context.Context, id string) (Doc[domain.Lead], error) {
	return leadDocs.get(ctx, rd.db("leads_v1"), id)
}

// ListLeads lists leads, newest first. The email filter is matched case-insensitively.
func (rd *Reader) ListLeads(ctx context.Context, f Filter) ([]*domain.Lead, PageInfo, error) {
	if e := f.Equal["email"]; e != "" {
		f.Equal["email"] = domain.EmailKey(e)
	}
	return leadDocs.list(ctx, rd.db("leads_v1"), f)
}
