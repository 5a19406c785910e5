package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// CreateLead creates a NEW lead.
func (m CRM) CreateLead(ctx context.Context, cmd domain.CreateLead, opts ...Option) (Result[domain.Lead], error) {
	return execute(ctx, m.h, "lead", cmd.LeadID, opts, func(l *domain.Lead) ([]domain.Event, error) {
		return l.Create(cmd)
	}, nil)
}

// UpdateLead edits a lead's details.
func (m CRM) UpdateLead(ctx context.Context, id string, cmd domain.UpdateLead, opts ...Option) (Result[domain.Lead], error) {
	return onExisting(ctx, m.h, "lead", id, opts, func(l *domain.Lead) ([]domain.Event, error) { return l.Update(cmd) })
}

// ActOnLead runs contact, accept or disqualify.
func (m CRM) ActOnLead(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Lead], error) {
	return onExisting(ctx, m.h, "lead", id, opts, func(l *domain.Lead) ([]domain.Event, error) { return l.Act(action, reason) })
}

// ConvertLead turns a QUALIFIED lead into a customer (domain.LeadCustomerID, the lead's
// email and names) and records LeadConverted on the lead. Its guard
// (guardLeadCustomer) creates the customer once the lead, under its lock, may convert: a
// lead that may not (its transition error, or no email), or an If-Match that is not its
// version, creates nobody. An email held by another live customer is
// *domain.AlreadyExistsError on "email", refused atomically by the customer's creation, and
// the lead stays as it was. There is no undo: a conversion whose append conflicts decides
// again, and its guard (or a retry after a failure between the two) finds the customer its
// first attempt made (the id is derived from the lead) and only converts the lead. What the
// lock cannot stop is an action on another instance between the two: a concurrent
// conversion there is harmless (one customer, one LeadConverted, whichever request created
// it), a disqualify leaves the customer made for a lead that is answered 409.
func (m CRM) ConvertLead(ctx context.Context, id string, opts ...Option) (Result[domain.Lead], error) {
	return onExistingCompound(ctx, m.h, "lead", id, opts, func(l *domain.Lead) ([]domain.Event, error) {
		return l.Convert(l.AsCustomer().CustomerID)
	}, m.h.guardLeadCustomer(opts))
}

// guardLeadCustomer is the guard of LeadConverted: it creates the customer the lead
// converts into, unless its id is taken, which only this lead's earlier attempt does. Nothing
// to undo.
func (h *Handler) guardLeadCustomer(opts []Option) guard[domain.Lead] {
	return func(ctx context.Context, before *domain.Lead, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			if _, ok := e.(domain.LeadConverted); !ok {
				continue
			}
			if _, err := h.Customers().Create(ctx, before.AsCustomer(), sideOpts(opts)...); err != nil {
				var ae *domain.AlreadyExistsError
				if !errors.As(err, &ae) || ae.Field != "id" {
					return nil, nil, err
				}
				// the id is taken: by this lead's earlier attempt, since ids derived from
				// leads are made nowhere else
			}
		}
		return nil, nil, nil
	}
}

// Lead loads a lead from the event store.
func (m CRM) Lead(ctx context.Context, id string) (*domain.Lead, error) {
	return loadExisting[domain.Lead](ctx, m.h, "lead", id, 0)
}

// LeadAt rebuilds a lead as it was at stream position pos.
func (m CRM) LeadAt(ctx context.Context, id string, pos uint64) (*domain.Lead, error) {
	return loadExisting[domain.Lead](ctx, m.h, "lead", id, pos)
}
