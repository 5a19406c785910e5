package projections

import (
	"context"
	"database/sql"
	"strconv"

	"stateset/domain"
)

// contactsV2 is the contacts read model: one document per contact, with whether its
// owner names it the primary contact (v2: is_primary).
type contactsV2 struct{}

// Contacts is the contacts projector.
func Contacts() Projector { return contactsV2{} }

// ContactColumns are the columns contact lists filter on.
var ContactColumns = []string{"status", "customer_id", "supplier_id", "email", "is_primary"}

var contactDocs = docTable[domain.Contact, *domain.Contact]{
	table: "contacts",
	cols:  ContactColumns,
	vals: func(c *domain.Contact) []any {
		return []any{string(c.Status), c.CustomerID, c.SupplierID, domain.EmailKey(c.Email), strconv.FormatBool(c.Primary)}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS contacts_customer ON contacts (customer_id, created_seq)`,
		`CREATE INDEX IF NOT EXISTS contacts_supplier ON contacts (supplier_id, created_seq)`},
}

func (contactsV2) Name() string { return "contacts_v2" }
func (contactsV2) AggregateTypes() []string {
	return []string{"contact", "customer.*.CustomerForgotten", "customer.*.CustomerPrimaryContactSet",
		"supplier.*.SupplierPrimaryContactSet"}
}
func (contactsV2) Schema() []string { return contactDocs.schema() }

func (contactsV2) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	switch e := env.Event.(type) {
	case domain.CustomerPrimaryContactSet:
		return namedPrimary(ctx, tx, e.ContactID, e.Previous)
	case domain.SupplierPrimaryContactSet:
		return namedPrimary(ctx, tx, e.ContactID, e.Previous)
	}
	if customer, err := contactDocs.forget(ctx, tx, env, "customer_id"); customer || err != nil {
		return err // a forgotten customer's personal data leaves these too
	}
	_, err := contactDocs.apply(ctx, tx, env)
	return err
}

// namedPrimary records an owner naming contact its primary in place of previous: an
// archived contact is no one's primary (it may have been archived as it was named).
func namedPrimary(ctx context.Context, tx *sql.Tx, contact, previous string) error {
	if previous != "" {
		if err := contactDocs.scrub(ctx, tx, "id", previous, func(c *domain.Contact) { c.Primary = false }); err != nil {
			return err
		}
	}
	return contactDocs.scrub(ctx, tx, "id", contact, func(c *domain.Contact) {
		c.Primary = c.Status == domain.ContactStatusActive
	})
}

// GetContact returns one contact.
func (rd *Reader) GetContact(ctx context.Context, id string) (Doc[domain.Contact], error) {
	return contactDocs.get(ctx, rd.db("contacts_v2"), id)
}

// ListContacts lists contacts, newest first.
func (rd *Reader) ListContacts(ctx context.Context, f Filter) ([]*domain.Contact, PageInfo, error) {
	if e := f.Equal["email"]; e != "" {
		f.Equal["email"] = domain.EmailKey(e)
	}
	return contactDocs.list(ctx, rd.db("contacts_v2"), f)
}
