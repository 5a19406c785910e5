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

// ActOnASN runs a status action: submit, ship, deliver or cancel. Delivering records the
// arrival only; stock is received on the purchase order.
func (m Purchasing) ActOnASN(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.ASN], error) {
	return onExisting(ctx, m.h, "asn", id, opts, func(a *domain.ASN) ([]domain.Event, error) { return a.Act(action, reason) })
}
