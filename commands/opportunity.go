package commands

import (
	"context"

	"stateset/domain"
)

// CreateOpportunity opens a deal with an existing customer or lead (400 naming the field
// otherwise).
func (m CRM) CreateOpportunity(ctx context.Context, cmd domain.CreateOpportunity, opts ...Option) (Result[domain.Opportunity], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	if err := m.h.checkExists(ctx, &v, "customer", "customer_id", cmd.CustomerID); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	if err := m.h.checkExists(ctx, &v, "lead", "lead_id", cmd.LeadID); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	if err := v.Err(); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	return execute(ctx, m.h, "opportunity", cmd.OpportunityID, opts, func(o *domain.Opportunity) ([]domain.Event, error) {
		return o.Create(cmd)
	}, nil)
}

// UpdateOpportunity edits a deal's details.
func (m CRM) UpdateOpportunity(ctx context.Context, id string, cmd domain.UpdateOpportunity, opts ...Option) (Result[domain.Opportunity], error) {
	return onExisting(ctx, m.h, "opportunity", id, opts, func(o *domain.Opportunity) ([]domain.Event, error) { return o.Update(cmd) })
}

// ActOnOpportunity runs qualify, propose, negotiate, win or lose.
func (m CRM) ActOnOpportunity(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Opportunity], error) {
	return onExisting(ctx, m.h, "opportunity", id, opts, func(o *domain.Opportunity) ([]domain.Event, error) {
		return o.Act(action, reason)
	})
}

// Opportunity loads an opportunity from the event store.
func (m CRM) Opportunity(ctx context.Context, id string) (*domain.Opportunity, error) {
	return loadExisting[domain.Opportunity](ctx, m.h, "opportunity", id, 0)
}
