package commands

import (
	"context"

	"stateset/domain"
)

// OpenCase opens a case, NEW, numbered CASE-000001…. The customer and the order, when
// given, must exist (asked of the event store).
func (m CRM) OpenCase(ctx context.Context, cmd domain.OpenCase, opts ...Option) (Result[domain.Case], error) {
	var none Result[domain.Case]
	if cmd.CaseNumber == "" {
		cmd.CaseNumber = "CASE-0" // checked with a placeholder; numbered below
	}
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return none, err
	}
	if err := m.h.checkExists(ctx, &v, "customer", "customer_id", cmd.CustomerID); err != nil {
		return none, err
	}
	if err := m.h.checkExists(ctx, &v, "order", "order_id", cmd.OrderID); err != nil {
		return none, err
	}
	if err := v.Err(); err != nil {
		return none, err
	}
	if ok, err := m.h.exists(ctx, "case", cmd.CaseID); err != nil || ok {
		if ok {
			err = &domain.AlreadyExistsError{Entity: "case", Field: "id"}
		}
		return none, err // a taken id spends no number
	}
	if cmd.CaseNumber == "CASE-0" {
		n, err := m.h.nextNumber(ctx, "case", "CASE")
		if err != nil {
			return none, err
		}
		cmd.CaseNumber = n
	}
	return execute(ctx, m.h, "case", cmd.CaseID, opts, func(c *domain.Case) ([]domain.Event, error) {
		return c.Open(cmd)
	}, nil)
}

// UpdateCase edits a case's details.
func (m CRM) UpdateCase(ctx context.Context, id string, cmd domain.UpdateCase, opts ...Option) (Result[domain.Case], error) {
	return onExisting(ctx, m.h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) { return c.Update(cmd) })
}

// AssignCase hands a case to assignee (NEW starts the work).
func (m CRM) AssignCase(ctx context.Context, id, assignee string, opts ...Option) (Result[domain.Case], error) {
	return onExisting(ctx, m.h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) { return c.Assign(assignee) })
}

// ActOnCase runs hold, resume, resolve, close or reopen.
func (m CRM) ActOnCase(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Case], error) {
	return onExisting(ctx, m.h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) { return c.Act(action, reason) })
}

// AddCaseNote adds a note now (the handler's clock); an empty noteID gets a new one.
func (m CRM) AddCaseNote(ctx context.Context, id, noteID, body, author string, opts ...Option) (Result[domain.Case], error) {
	if noteID == "" {
		noteID = newID()
	}
	if c, err := m.Case(ctx, id); err == nil && c.CustomerID != "" {
		var v domain.Validation // a note about a forgotten customer could not be kept
		if err := m.h.checkCustomer(ctx, &v, "customer_id", c.CustomerID); err != nil {
			return Result[domain.Case]{}, err
		}
		if err := v.Err(); err != nil {
			return Result[domain.Case]{}, err
		}
	}
	now := m.h.now()
	return onExisting(ctx, m.h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) {
		return c.AddNote(noteID, body, author, now)
	})
}

// Case loads a case from the event store.
func (m CRM) Case(ctx context.Context, id string) (*domain.Case, error) {
	return loadExisting[domain.Case](ctx, m.h, "case", id, 0)
}

// CaseAt rebuilds a case as it was at stream position pos.
func (m CRM) CaseAt(ctx context.Context, id string, pos uint64) (*domain.Case, error) {
	return loadExisting[domain.Case](ctx, m.h, "case", id, pos)
}
