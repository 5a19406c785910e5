package commands

import (
	"context"
	"errors"
	"strconv"

	"stateset/domain"
)

// CreatePurchaseOrder creates a DRAFT purchase order from supplierID (which must be ACTIVE;
// its catalog supplies missing unit costs and minimum quantities). Every line's SKU must
// be stocked at the order's location. A zero PONumber gets the next PO-000001 style number.
func (m Purchasing) CreatePurchaseOrder(ctx context.Context, cmd domain.CreatePurchaseOrder, supplierID string, opts ...Option) (Result[domain.PurchaseOrder], error) {
	var none Result[domain.PurchaseOrder]
	s, err := m.Supplier(ctx, supplierID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return none, err
	}
	cmd.Supplier = s
	probe := cmd
	if probe.PONumber == "" {
		probe.PONumber = "PO-0"
	}
	// decide once on a blank order, so a bad request spends no number
	if _, err := (&domain.PurchaseOrder{}).Create(probe); err != nil {
		return none, err
	}
	var v domain.Validation
	for i, l := range cmd.Items {
		ok, err := m.h.exists(ctx, "inventory", domain.InventoryItemID(l.SKU, cmd.LocationID))
		if err != nil {
			return none, err
		}
		v.Check(ok, "items["+strconv.Itoa(i)+"].sku", "is not stocked at location "+cmd.LocationID)
	}
	if err := v.Err(); err != nil {
		return none, err
	}
	if cmd.PONumber == "" {
		if cmd.PONumber, err = m.h.nextNumber(ctx, "purchase_order", "PO"); err != nil {
			return none, err
		}
	}
	return execute(ctx, m.h, "purchase_order", cmd.PurchaseOrderID, opts, func(o *domain.PurchaseOrder) ([]domain.Event, error) {
		return o.Create(cmd)
	}, nil)
}

// UpdatePurchaseOrder edits a purchase order: its details until it is received or off,
// its lines while a DRAFT, each new line's SKU stocked at the order's location and costed
// from the supplier's catalog when it gives no unit cost.
func (m Purchasing) UpdatePurchaseOrder(ctx context.Context, id string, cmd domain.UpdatePurchaseOrder, opts ...Option) (Result[domain.PurchaseOrder], error) {
	var none Result[domain.PurchaseOrder]
	if cmd.Items != nil {
		o, err := m.PurchaseOrder(ctx, id)
		if err != nil {
			return none, err
		}
		if o.Status != domain.PurchaseOrderStatusDraft {
			return none, &domain.TransitionError{Entity: "purchase order", From: string(o.Status), Action: "change the lines of"}
		}
		if cmd.Supplier, err = m.Supplier(ctx, o.SupplierID); err != nil && !errors.Is(err, domain.ErrNotFound) {
			return none, err
		}
		var v domain.Validation
		for i, l := range *cmd.Items {
			if _, had := o.Line(l.SKU); had || l.SKU == "" {
				continue
			}
			ok, err := m.h.exists(ctx, "inventory", domain.InventoryItemID(l.SKU, o.LocationID))
			if err != nil {
				return none, err
			}
			v.Check(ok, "items["+strconv.Itoa(i)+"].sku", "is not stocked at location "+o.LocationID)
		}
		if err := v.Err(); err != nil {
			return none, err
		}
	}
	return onExisting(ctx, m.h, "purchase_order", id, opts, func(o *domain.PurchaseOrder) ([]domain.Event, error) {
		return o.Update(cmd)
	})
}

// ActOnPurchaseOrder runs a status action: submit, approve, reject, close or cancel.
// Approving, receiving, closing and cancelling move the items' incoming and on hand
// through the purchase-stock flow.
func (m Purchasing) ActOnPurchaseOrder(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.PurchaseOrder], error) {
	return onExisting(ctx, m.h, "purchase_order", id, opts, func(o *domain.PurchaseOrder) ([]domain.Event, error) {
		return o.Act(action, reason)
	})
}

// ReceivePurchaseOrder records a receipt; over-receipt is a *ValidationError and appends nothing.
func (m Purchasing) ReceivePurchaseOrder(ctx context.Context, id string, cmd domain.ReceivePurchaseOrder, opts ...Option) (Result[domain.PurchaseOrder], error) {
	return onExisting(ctx, m.h, "purchase_order", id, opts, func(o *domain.PurchaseOrder) ([]domain.Event, error) {
		return o.Receive(cmd)
	})
}

// PurchaseOrder loads a purchase order from the event store.
func (m Purchasing) PurchaseOrder(ctx context.Context, id string) (*domain.PurchaseOrder, error) {
	return loadExisting[domain.PurchaseOrder](ctx, m.h, "purchase_order", id, 0)
}

// PurchaseOrderAt rebuilds a purchase order as it was at stream position pos.
func (m Purchasing) PurchaseOrderAt(ctx context.Context, id string, pos uint64) (*domain.PurchaseOrder, error) {
	return loadExisting[domain.PurchaseOrder](ctx, m.h, "purchase_order", id, pos)
}
