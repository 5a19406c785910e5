package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// ---- Leads ----

// CreateLead creates a NEW lead.
func (h *Handler) CreateLead(ctx context.Context, cmd domain.CreateLead, opts ...Option) (Result[domain.Lead], error) {
	return execute(ctx, h, "lead", cmd.LeadID, opts, func(l *domain.Lead) ([]domain.Event, error) {
		return l.Create(cmd)
	}, nil)
}

// ActOnLead runs contact, accept or disqualify.
func (h *Handler) ActOnLead(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Lead], error) {
	return onExisting(ctx, h, "lead", id, opts, func(l *domain.Lead) ([]domain.Event, error) { return l.Act(action, reason) })
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
func (h *Handler) ConvertLead(ctx context.Context, id string, opts ...Option) (Result[domain.Lead], error) {
	return onExistingCompound(ctx, h, "lead", id, opts, func(l *domain.Lead) ([]domain.Event, error) {
		return l.Convert(l.AsCustomer().CustomerID)
	}, h.guardLeadCustomer(opts))
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
			if _, err := h.CreateCustomer(ctx, before.AsCustomer(), sideOpts(opts)...); err != nil {
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
func (h *Handler) Lead(ctx context.Context, id string) (*domain.Lead, error) {
	return loadExisting[domain.Lead](ctx, h, "lead", id, 0)
}

// LeadAt rebuilds a lead as it was at stream position pos.
func (h *Handler) LeadAt(ctx context.Context, id string, pos uint64) (*domain.Lead, error) {
	return loadExisting[domain.Lead](ctx, h, "lead", id, pos)
}

// ---- Contacts ----

// CreateContact creates a contact of a customer or of a supplier, which must exist (asked
// of the event store): an unknown one is 400 naming customer_id or supplier_id.
func (h *Handler) CreateContact(ctx context.Context, cmd domain.CreateContact, opts ...Option) (Result[domain.Contact], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Contact]{}, err
	}
	if err := h.checkExists(ctx, &v, "customer", "customer_id", cmd.CustomerID); err != nil {
		return Result[domain.Contact]{}, err
	}
	if err := h.checkExists(ctx, &v, "supplier", "supplier_id", cmd.SupplierID); err != nil {
		return Result[domain.Contact]{}, err
	}
	if err := v.Err(); err != nil {
		return Result[domain.Contact]{}, err
	}
	return execute(ctx, h, "contact", cmd.ContactID, opts, func(c *domain.Contact) ([]domain.Event, error) {
		return c.Create(cmd)
	}, nil)
}

// ActOnContact runs archive.
func (h *Handler) ActOnContact(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Contact], error) {
	return onExisting(ctx, h, "contact", id, opts, func(c *domain.Contact) ([]domain.Event, error) { return c.Act(action, reason) })
}

// Contact loads a contact from the event store.
func (h *Handler) Contact(ctx context.Context, id string) (*domain.Contact, error) {
	return loadExisting[domain.Contact](ctx, h, "contact", id, 0)
}

// checkExists records "no such <aggType>" on field when id is given and names no
// aggregate of aggType in the event store.
func (h *Handler) checkExists(ctx context.Context, v *domain.Validation, aggType, field, id string) error {
	if id == "" {
		return nil
	}
	if aggType == "customer" {
		return h.checkCustomer(ctx, v, field, id)
	}
	ok, err := h.exists(ctx, aggType, id)
	if err != nil {
		return err
	}
	v.Check(ok, field, "no such "+aggType)
	return nil
}

// ---- Opportunities ----

// CreateOpportunity opens a deal with an existing customer or lead (400 naming the field
// otherwise).
func (h *Handler) CreateOpportunity(ctx context.Context, cmd domain.CreateOpportunity, opts ...Option) (Result[domain.Opportunity], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	if err := h.checkExists(ctx, &v, "customer", "customer_id", cmd.CustomerID); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	if err := h.checkExists(ctx, &v, "lead", "lead_id", cmd.LeadID); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	if err := v.Err(); err != nil {
		return Result[domain.Opportunity]{}, err
	}
	return execute(ctx, h, "opportunity", cmd.OpportunityID, opts, func(o *domain.Opportunity) ([]domain.Event, error) {
		return o.Create(cmd)
	}, nil)
}

// ActOnOpportunity runs qualify, propose, negotiate, win or lose.
func (h *Handler) ActOnOpportunity(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Opportunity], error) {
	return onExisting(ctx, h, "opportunity", id, opts, func(o *domain.Opportunity) ([]domain.Event, error) {
		return o.Act(action, reason)
	})
}

// Opportunity loads an opportunity from the event store.
func (h *Handler) Opportunity(ctx context.Context, id string) (*domain.Opportunity, error) {
	return loadExisting[domain.Opportunity](ctx, h, "opportunity", id, 0)
}

// ---- Cases ----

// OpenCase opens a case, NEW, numbered CASE-000001…. The customer and the order, when
// given, must exist (asked of the event store).
func (h *Handler) OpenCase(ctx context.Context, cmd domain.OpenCase, opts ...Option) (Result[domain.Case], error) {
	var none Result[domain.Case]
	if cmd.CaseNumber == "" {
		cmd.CaseNumber = "CASE-0" // checked with a placeholder; numbered below
	}
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return none, err
	}
	if err := h.checkExists(ctx, &v, "customer", "customer_id", cmd.CustomerID); err != nil {
		return none, err
	}
	if err := h.checkExists(ctx, &v, "order", "order_id", cmd.OrderID); err != nil {
		return none, err
	}
	if err := v.Err(); err != nil {
		return none, err
	}
	if ok, err := h.exists(ctx, "case", cmd.CaseID); err != nil || ok {
		if ok {
			err = &domain.AlreadyExistsError{Entity: "case", Field: "id"}
		}
		return none, err // a taken id spends no number
	}
	if cmd.CaseNumber == "CASE-0" {
		n, err := h.nextNumber(ctx, "case", "CASE")
		if err != nil {
			return none, err
		}
		cmd.CaseNumber = n
	}
	return execute(ctx, h, "case", cmd.CaseID, opts, func(c *domain.Case) ([]domain.Event, error) {
		return c.Open(cmd)
	}, nil)
}

// AssignCase hands a case to assignee (NEW starts the work).
func (h *Handler) AssignCase(ctx context.Context, id, assignee string, opts ...Option) (Result[domain.Case], error) {
	return onExisting(ctx, h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) { return c.Assign(assignee) })
}

// ActOnCase runs hold, resume, resolve, close or reopen.
func (h *Handler) ActOnCase(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Case], error) {
	return onExisting(ctx, h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) { return c.Act(action, reason) })
}

// AddCaseNote adds a note now (the handler's clock); an empty noteID gets a new one.
func (h *Handler) AddCaseNote(ctx context.Context, id, noteID, body, author string, opts ...Option) (Result[domain.Case], error) {
	if noteID == "" {
		noteID = newID()
	}
	if c, err := h.Case(ctx, id); err == nil && c.CustomerID != "" {
		var v domain.Validation // a note about a forgotten customer could not be kept
		if err := h.checkCustomer(ctx, &v, "customer_id", c.CustomerID); err != nil {
			return Result[domain.Case]{}, err
		}
		if err := v.Err(); err != nil {
			return Result[domain.Case]{}, err
		}
	}
	now := h.now()
	return onExisting(ctx, h, "case", id, opts, func(c *domain.Case) ([]domain.Event, error) {
		return c.AddNote(noteID, body, author, now)
	})
}

// Case loads a case from the event store.
func (h *Handler) Case(ctx context.Context, id string) (*domain.Case, error) {
	return loadExisting[domain.Case](ctx, h, "case", id, 0)
}

// CaseAt rebuilds a case as it was at stream position pos.
func (h *Handler) CaseAt(ctx context.Context, id string, pos uint64) (*domain.Case, error) {
	return loadExisting[domain.Case](ctx, h, "case", id, pos)
}
