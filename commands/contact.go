package commands

import (
	"context"
	"fmt"

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
	return m.withPrimary(ctx)(execute(ctx, m.h, "contact", cmd.ContactID, opts, func(c *domain.Contact) ([]domain.Event, error) {
		return c.Create(cmd)
	}, nil))
}

// UpdateContact edits a contact's details.
func (m CRM) UpdateContact(ctx context.Context, id string, cmd domain.UpdateContact, opts ...Option) (Result[domain.Contact], error) {
	return m.withPrimary(ctx)(onExisting(ctx, m.h, "contact", id, opts, func(c *domain.Contact) ([]domain.Event, error) { return c.Update(cmd) }))
}

// ActOnContact runs archive.
func (m CRM) ActOnContact(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Contact], error) {
	return m.withPrimary(ctx)(onExisting(ctx, m.h, "contact", id, opts, func(c *domain.Contact) ([]domain.Event, error) { return c.Act(action, reason) }))
}

// SetPrimaryContact names an ACTIVE contact its customer's or supplier's primary contact,
// in place of the one before: an event of the owner, which keeps one at a time. The
// answer is the contact, primary, at the owner event's position (what a read waits for;
// the contact, named then, was created before it).
func (m CRM) SetPrimaryContact(ctx context.Context, id string, opts ...Option) (Result[domain.Contact], error) {
	c, err := m.Contact(ctx, id)
	if err != nil {
		return Result[domain.Contact]{}, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.ifVersion != 0 && o.ifVersion != c.Version { // If-Match is of the contact, not its owner
		return Result[domain.Contact]{}, domain.ErrVersionMismatch
	}
	opts = []Option{WithMetadata(o.meta)}
	var pos uint64
	var events []domain.Envelope
	switch kind, owner := c.Owner(); kind {
	case "supplier":
		res, err := onExisting(ctx, m.h, kind, owner, opts, func(s *domain.Supplier) ([]domain.Event, error) { return s.SetPrimaryContact(c) })
		if err != nil {
			return Result[domain.Contact]{}, err
		}
		pos, events = res.Position, res.Events
	default:
		res, err := onExisting(ctx, m.h, kind, owner, opts, func(cu *domain.Customer) ([]domain.Event, error) { return cu.SetPrimaryContact(c) })
		if err != nil {
			return Result[domain.Contact]{}, err
		}
		pos, events = res.Position, res.Events
	}
	c.Primary = true
	return Result[domain.Contact]{Aggregate: c, Version: c.Version, Position: pos, Events: events}, nil
}

// withPrimary fills in the answered contact's Primary from its owner, which keeps it.
func (m CRM) withPrimary(ctx context.Context) func(Result[domain.Contact], error) (Result[domain.Contact], error) {
	return func(res Result[domain.Contact], err error) (Result[domain.Contact], error) {
		if err != nil || res.Aggregate == nil {
			return res, err
		}
		primary, err := m.primaryOf(ctx, res.Aggregate)
		if err != nil {
			return res, err
		}
		res.Aggregate.Primary = primary && res.Aggregate.Status == domain.ContactStatusActive
		return res, nil
	}
}

// primaryOf reports whether c's owner names it its primary contact.
func (m CRM) primaryOf(ctx context.Context, c *domain.Contact) (bool, error) {
	switch kind, owner := c.Owner(); kind {
	case "supplier":
		s, err := loadExisting[domain.Supplier](ctx, m.h, kind, owner, 0)
		if err != nil {
			return false, fmt.Errorf("contact %s's supplier: %w", c.ID, err)
		}
		return s.PrimaryContactID == c.ID, nil
	default:
		cu, err := loadExisting[domain.Customer](ctx, m.h, kind, owner, 0)
		if err != nil {
			return false, fmt.Errorf("contact %s's customer: %w", c.ID, err)
		}
		return cu.PrimaryContactID == c.ID, nil
	}
}

// Contact loads a contact from the event store.
func (m CRM) Contact(ctx context.Context, id string) (*domain.Contact, error) {
	return loadExisting[domain.Contact](ctx, m.h, "contact", id, 0)
}
