package commands

import (
	"context"

	"stateset/domain"
)

// CreateSupplier registers a PENDING supplier.
func (m Purchasing) CreateSupplier(ctx context.Context, cmd domain.CreateSupplier, opts ...Option) (Result[domain.Supplier], error) {
	return execute(ctx, m.h, "supplier", cmd.SupplierID, opts, func(s *domain.Supplier) ([]domain.Event, error) {
		return s.Create(cmd)
	}, nil)
}

// UpdateSupplier edits a supplier's details.
func (m Purchasing) UpdateSupplier(ctx context.Context, id string, cmd domain.UpdateSupplier, opts ...Option) (Result[domain.Supplier], error) {
	return onExisting(ctx, m.h, "supplier", id, opts, func(s *domain.Supplier) ([]domain.Event, error) { return s.Update(cmd) })
}

// ActOnSupplier runs a status action: activate, deactivate or suspend.
func (m Purchasing) ActOnSupplier(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Supplier], error) {
	return onExisting(ctx, m.h, "supplier", id, opts, func(s *domain.Supplier) ([]domain.Event, error) { return s.Act(action, reason) })
}

// SetSupplierProduct adds or replaces the catalog entry of a SKU.
func (m Purchasing) SetSupplierProduct(ctx context.Context, id string, cmd domain.SetSupplierProduct, opts ...Option) (Result[domain.Supplier], error) {
	return onExisting(ctx, m.h, "supplier", id, opts, func(s *domain.Supplier) ([]domain.Event, error) { return s.SetProduct(cmd) })
}

// Supplier loads a supplier from the event store.
func (m Purchasing) Supplier(ctx context.Context, id string) (*domain.Supplier, error) {
	return loadExisting[domain.Supplier](ctx, m.h, "supplier", id, 0)
}
