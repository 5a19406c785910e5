package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// PutAccount opens a BUSINESS customer's wholesale account, or changes the terms
// that are set when it is open. Opening needs currency and net terms; a missing credit
// limit opens with none (0).
func (m Wholesale) PutAccount(ctx context.Context, cmd domain.UpdateWholesaleAccount, opts ...Option) (Result[domain.WholesaleAccount], error) {
	var v domain.Validation
	c, err := m.h.Customers().Get(ctx, cmd.CustomerID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		v.Add("customer_id", "no such customer")
	case err != nil:
		return Result[domain.WholesaleAccount]{}, err
	case c.Type != "BUSINESS":
		v.Add("customer_id", "must be a BUSINESS customer, is "+c.Type)
	}
	if cmd.PriceListID != nil && *cmd.PriceListID != "" {
		ok, err := m.h.exists(ctx, "price_list", *cmd.PriceListID)
		if err != nil {
			return Result[domain.WholesaleAccount]{}, err
		}
		v.Check(ok, "price_list_id", "no such price list")
	}
	if err := v.Err(); err != nil {
		return Result[domain.WholesaleAccount]{}, err
	}
	return execute(ctx, m.h, "wholesale_account", cmd.CustomerID, opts, func(a *domain.WholesaleAccount) ([]domain.Event, error) {
		if a.Exists() {
			return a.Update(cmd)
		}
		return a.Open(domain.OpenWholesaleAccount{CustomerID: cmd.CustomerID, Currency: val(cmd.Currency),
			CreditLimit: val(cmd.CreditLimit), NetTerms: val(cmd.NetTerms), PriceListID: val(cmd.PriceListID)})
	}, nil)
}

func val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// ReserveCredit, InvoiceCredit and ReleaseCredit move an order's use of a customer's credit.
func (m Wholesale) ReserveCredit(ctx context.Context, cmd domain.ReserveCredit, opts ...Option) (Result[domain.WholesaleAccount], error) {
	return onExisting(ctx, m.h, "wholesale_account", cmd.CustomerID, opts, func(a *domain.WholesaleAccount) ([]domain.Event, error) {
		return a.ReserveCredit(cmd)
	})
}

// InvoiceCredit marks an order's credit invoiced.
func (m Wholesale) InvoiceCredit(ctx context.Context, cmd domain.InvoiceCredit, opts ...Option) (Result[domain.WholesaleAccount], error) {
	return onExisting(ctx, m.h, "wholesale_account", cmd.CustomerID, opts, func(a *domain.WholesaleAccount) ([]domain.Event, error) {
		return a.InvoiceCredit(cmd)
	})
}

// ReleaseCredit frees an order's credit (idempotent).
func (m Wholesale) ReleaseCredit(ctx context.Context, cmd domain.ReleaseCredit, opts ...Option) (Result[domain.WholesaleAccount], error) {
	return onExisting(ctx, m.h, "wholesale_account", cmd.CustomerID, opts, func(a *domain.WholesaleAccount) ([]domain.Event, error) {
		return a.ReleaseCredit(cmd)
	})
}

// Account loads a customer's wholesale account from the event store.
func (m Wholesale) Account(ctx context.Context, customerID string) (*domain.WholesaleAccount, error) {
	return loadExisting[domain.WholesaleAccount](ctx, m.h, "wholesale_account", customerID, 0)
}

// AccountAt rebuilds an account as it was at stream position pos.
func (m Wholesale) AccountAt(ctx context.Context, customerID string, pos uint64) (*domain.WholesaleAccount, error) {
	return loadExisting[domain.WholesaleAccount](ctx, m.h, "wholesale_account", customerID, pos)
}
