package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// CreateASN creates a DRAFT ASN against purchaseOrderID (SUBMITTED, APPROVED or
// PARTIALLY_RECEIVED; quantities within what is open). A zero ASNNumber gets the next
// ASN-000001 style number.
func (m Purchasing) CreateASN(ctx context.Context, cmd domain.CreateASN, purchaseOrderID string, opts ...Option) (Result[domain.ASN], error) {
	var none Result[domain.ASN]
	po, err := m.PurchaseOrder(ctx, purchaseOrderID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return none, err
	}
	cmd.PurchaseOrder = po
	probe := cmd
	if probe.ASNNumber == "" {
		probe.ASNNumber = "ASN-0"
	}
	if _, err := (&domain.ASN{}).Create(probe); err != nil {
		return none, err
	}
	if cmd.ASNNumber == "" {
		if cmd.ASNNumber, err = m.h.nextNumber(ctx, "asn", "ASN"); err != nil {
			return none, err
		}
	}
	return execute(ctx, m.h, "asn", cmd.ASNID, opts, func(a *domain.ASN) ([]domain.Event, error) { return a.Create(cmd) }, nil)
}

// UpdateASN edits an ASN: how its goods travel until delivered, its items while a DRAFT
// (checked against its purchase order's open quantities).
func (m Purchasing) UpdateASN(ctx context.Context, id string, cmd domain.UpdateASN, opts ...Option) (Result[domain.ASN], error) {
	if cmd.Items != nil {
		a, err := m.ASN(ctx, id)
		if err != nil {
			return Result[domain.ASN]{}, err
		}
		if cmd.PurchaseOrder, err = m.PurchaseOrder(ctx, a.PurchaseOrderID); err != nil && !errors.Is(err, domain.ErrNotFound) {
			return Result[domain.ASN]{}, err
		}
	}
	return onExisting(ctx, m.h, "asn", id, opts, func(a *domain.ASN) ([]domain.Event, error) { return a.Update(cmd) })
}

// ActOnASN runs a status action: submit, ship, deliver or cancel. Delivering records the
// arrival only; stock is received on the purchase order.
func (m Purchasing) ActOnASN(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.ASN], error) {
	return onExisting(ctx, m.h, "asn", id, opts, func(a *domain.ASN) ([]domain.Event, error) { return a.Act(action, reason) })
}

// ASN loads an ASN from the event store.
func (m Purchasing) ASN(ctx context.Context, id string) (*domain.ASN, error) {
	return loadExisting[domain.ASN](ctx, m.h, "asn", id, 0)
}
