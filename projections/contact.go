package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// contactsV1 is the contacts read model: one document per contact.
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
