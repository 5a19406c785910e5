package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// emailScope is the uniqueness scope of live customers' emails.
const emailScope = "customer-email"

// Create creates a customer; its email must not belong to another live customer.
func (m Customers) Create(ctx context.Context, cmd domain.CreateCustomer, opts ...Option) (Result[domain.Customer], error) {
	return execute(ctx, m.h, "customer", cmd.CustomerID, opts, func(c *domain.Customer) ([]domain.Event, error) {
		return c.Create(cmd)
	}, m.h.guardCustomerEmail)
}

// Update edits a customer's fields (and status).
func (m Customers) Update(ctx context.Context, cmd domain.UpdateCustomer, opts ...Option) (Result[domain.Customer], error) {
	return execute(ctx, m.h, "customer", cmd.CustomerID, opts, func(c *domain.Customer) ([]domain.Event, error) {
		return c.Update(cmd)
	}, m.h.guardCustomerEmail)
}

// Upsert updates a customer, or creates it when it does not exist yet (the seed's
// PUT is create-or-update).
func (m Customers) Upsert(ctx context.Context, cmd domain.UpdateCustomer, opts ...Option) (Result[domain.Customer], error) {
	return execute(ctx, m.h, "customer", cmd.CustomerID, opts, func(c *domain.Customer) ([]domain.Event, error) {
		if !c.Exists() {
			return c.Create(cmd.AsCreate())
		}
		return c.Update(cmd)
	}, m.h.guardCustomerEmail)
}

// ChangeStatus runs a status action: activate, deactivate, suspend or archive.
func (m Customers) ChangeStatus(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Customer], error) {
	return execute(ctx, m.h, "customer", id, opts, func(c *domain.Customer) ([]domain.Event, error) {
		return c.ChangeStatus(action, reason)
	}, m.h.guardCustomerEmail)
}

// AddAddress adds an address; its id is made here when empty.
func (m Customers) AddAddress(ctx context.Context, id string, a domain.Address, opts ...Option) (Result[domain.Customer], error) {
	if a.ID == "" {
		a.ID = newID()
	}
	return execute(ctx, m.h, "customer", id, opts, func(c *domain.Customer) ([]domain.Event, error) {
		return c.AddAddress(a)
	}, nil)
}

// Get loads a customer from the event store (cache, snapshot, events).
func (m Customers) Get(ctx context.Context, id string) (*domain.Customer, error) {
	c, err := m.h.loadForRead(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// At rebuilds a customer as it was at stream position pos.
func (m Customers) At(ctx context.Context, id string, pos uint64) (*domain.Customer, error) {
	return m.h.loadForRead(ctx, id, pos)
}

func (h *Handler) loadForRead(ctx context.Context, id string, upTo uint64) (*domain.Customer, error) {
	if !domain.ValidID(id) {
		return nil, domain.ErrNotFound
	}
	c, err := loadFresh[domain.Customer](ctx, h, "customer", id, upTo)
	if err != nil {
		return nil, err
	}
	cust := c.agg.(*domain.Customer)
	if !cust.Exists() {
		return nil, domain.ErrNotFound
	}
	return cust, nil
}

// guardCustomerEmail claims a new email before the append and frees an old one after it:
// two concurrent creates with one email cannot both win, on any instance.
func (h *Handler) guardCustomerEmail(ctx context.Context, before *domain.Customer, events []domain.Event) (undo, done func(context.Context), err error) {
	id := before.ID
	var claimEmail string // a new email this command gives the customer
	release := []string{} // emails the customer stops holding
	for _, e := range events {
		switch e := e.(type) {
		case domain.CustomerCreated:
			id, claimEmail = e.CustomerID, e.Email
		case domain.CustomerUpdated:
			if e.Email != nil && domain.EmailKey(e.Email.From) != domain.EmailKey(e.Email.To) {
				claimEmail = e.Email.To
				release = append(release, e.Email.From)
			}
		case domain.CustomerArchived:
			// unique among live customers: an archived customer frees its email
			release = append(release, before.Email)
			claimEmail = ""
		}
	}
	if claimEmail != "" {
		key := domain.EmailKey(claimEmail)
		fresh, err := h.claimUnique(ctx, emailScope, key, id, h.customerHoldsEmail(key))
		if errors.Is(err, errTaken) {
			return nil, nil, &domain.AlreadyExistsError{Entity: "customer", Field: "email"}
		}
		if err != nil {
			return nil, nil, err
		}
		if fresh {
			undo = func(ctx context.Context) { h.releaseUnique(ctx, emailScope, key, id) }
		}
	}
	if len(release) > 0 {
		done = func(ctx context.Context) {
			for _, e := range release {
				h.releaseUnique(ctx, emailScope, domain.EmailKey(e), id)
			}
		}
	}
	return undo, done, nil
}

// customerHoldsEmail reports whether customer holder is live and has the email. It reads
// the store directly: the holder's lock may be this goroutine's stripe.
func (h *Handler) customerHoldsEmail(key string) func(context.Context, string) (bool, error) {
	return func(ctx context.Context, holder string) (bool, error) {
		c, err := h.loadForRead(ctx, holder, 0)
		if errors.Is(err, domain.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return c.Status != domain.CustomerStatusArchived && domain.EmailKey(c.Email) == key, nil
	}
}

// Forget makes a customer's personal data unreadable everywhere: it destroys the
// customer's key, then records CustomerForgotten (archiving the customer, which frees its
// email), so every personal field ever sealed for the customer — in its own
// events and in others' (an order's addresses) — is gone from the stream, snapshots and
// downstream copies alike. The flow customer-privacy destroys the key again on the event,
// should this process stop in between.
func (m Customers) Forget(ctx context.Context, id, reason string, opts ...Option) (Result[domain.Customer], error) {
	c, err := m.Get(ctx, id)
	if err != nil {
		return Result[domain.Customer]{}, err
	}
	// The keys go first: from this moment nothing about the customer is written readably,
	// on any instance, so no write racing the forget lands readable after it.
	if err := m.h.shred(ctx, id, c.LeadID); err != nil {
		return Result[domain.Customer]{}, err
	}
	res, err := execute(ctx, m.h, "customer", id, opts, func(c *domain.Customer) ([]domain.Event, error) {
		return c.Forget(reason, c.LeadID)
	}, nil)
	if err == nil && c.Email != "" {
		// the email is free again; the customer as now decoded no longer shows it, so the
		// claim is released by the value read before the keys went (a claim left behind by
		// a crash here is taken over: its holder does not show the email)
		m.h.releaseUnique(context.WithoutCancel(ctx), emailScope, domain.EmailKey(c.Email), id)
	}
	return res, err
}

// shred destroys a customer's key, and that of the lead it was converted from; without a
// vault (personal data kept in the clear) there is nothing to destroy and forgetting only
// scrubs the read models.
func (h *Handler) shred(ctx context.Context, customerID, leadID string) error {
	v, ok := h.reg.Vault().(*Vault)
	if !ok {
		return nil
	}
	if leadID != "" {
		if err := v.Forget(ctx, "lead."+leadID); err != nil {
			return err
		}
	}
	return v.Forget(ctx, domain.CustomerSubject(customerID))
}

// OnForgotten adds work the customer-privacy flow does for every forgotten
// customer, after its keys are gone (e.g. deleting recorded answers that mention it).
func (m Customers) OnForgotten(fn func(ctx context.Context, customerID string) error) {
	m.h.forgetHooks = append(m.h.forgetHooks, fn)
}

// checkCustomer records on field why customer id cannot take a new document: it does not
// exist, or it was forgotten (a document about it could keep none of its personal data,
// and answering it as written would be a lie).
func (h *Handler) checkCustomer(ctx context.Context, v *domain.Validation, field, id string) error {
	if id == "" {
		return nil
	}
	c, err := loadExisting[domain.Customer](ctx, h, "customer", id, 0) // current: a forget on another instance counts
	switch {
	case errors.Is(err, domain.ErrNotFound):
		v.Add(field, "no such customer")
	case err != nil:
		return err
	case c.ForgottenAt != nil:
		v.Add(field, "the customer was forgotten")
	}
	return nil
}
