package commands

import (
	"context"

	"stateset/domain"
)

// CreateContact creates a contact of a customer or of a supplier, which must exist (asked
// of the event store): an unknown one is 400 naming customer_id or supplier_id.
func (m CRM) CreateContact(ctx context.Context, cmd domain.CreateContact, opts ...Option) (Result[domain.Contact], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Contact]{}, err
	}
	if err := m.h.checkExists(ctx, &v, "customer", "customer_id", cmd.CustomerID); err != nil {
		return Result[domain.Contact]{}, err
	}
	if err := m.h.checkExists(ctx, &v, "supplier", "supplier_id", cmd.SupplierID); err != nil {
		return Result[domain.Contact]{}, err
	}
	if err := v.Err(); err != nil {
		return Result[domain.Contact]{}, err
	}
	return execute(ctx, m.h, "contact", cmd.ContactID, opts, func(c *domain.Contact) ([]domain.Event, error) {
		return c.Create(cmd)
	}, nil)
}

// UpdateContact edits a contact's details.
func (m CRM) UpdateContact(ctx context.Context, id string, cmd domain.UpdateContact, opts ...Option) (Result[domain.Contact], error) {
	return onExisting(ctx, m.h, "contact", id, opts, func(c *domain.Contact) ([]domain.Event, error) { return c.Update(cmd) })
}

// ActOnContact runs archive.
func (m CRM) ActOnContact(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Contact], error) {
	return onExisting(ctx, m.h, "contact", id, opts, func(c *domain.Contact) ([]domain.Event, error) { return c.Act(action, reason) })
}

// Contact loads a contact from the event store.
func (m CRM) Contact(ctx context.Context, id string) (*domain.Contact, error) {
	return loadExisting[domain.Contact](ctx, m.h, "contact", id, 0)
}
