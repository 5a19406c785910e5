package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// The CRM read models: one document per lead, contact, opportunity and case.

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

type contactsV1 struct{}

// Contacts is the contacts projector.
func Contacts() Projector { return contactsV1{} }

// ContactColumns are the columns contact lists filter on.
var ContactColumns = []string{"status", "customer_id", "supplier_id", "email"}

var contactDocs = docTable[domain.Contact, *domain.Contact]{
	table: "contacts",
	cols:  ContactColumns,
	vals: func(c *domain.Contact) []any {
		return []any{string(c.Status), c.CustomerID, c.SupplierID, domain.EmailKey(c.Email)}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS contacts_customer ON contacts (customer_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS contacts_supplier ON contacts (supplier_id, created_seq)`},
}

func (contactsV1) Name() string { return "contacts_v1" }
func (contactsV1) AggregateTypes() []string {
	return []string{"contact", "customer.*.CustomerForgotten"}
}
func (contactsV1) Schema() []string { return contactDocs.schema() }

func (contactsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	if customer, err := contactDocs.forget(ctx, tx, env, "customer_id"); customer || err != nil {
		return err // a forgotten customer's personal data leaves these too
	}
	_, err := contactDocs.apply(ctx, tx, env)
	return err
}

// GetContact returns one contact.
func (rd *Reader) GetContact(ctx context.Context, id string) (Doc[domain.Contact], error) {
	return contactDocs.get(ctx, rd.db("contacts_v1"), id)
}

// ListContacts lists contacts, newest first.
func (rd *Reader) ListContacts(ctx context.Context, f Filter) ([]*domain.Contact, PageInfo, error) {
	if e := f.Equal["email"]; e != "" {
		f.Equal["email"] = domain.EmailKey(e)
	}
	return contactDocs.list(ctx, rd.db("contacts_v1"), f)
}

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
