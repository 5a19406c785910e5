package commands

import (
	"context"

	"stateset/domain"
)

// DefaultWarehouseID is the warehouse serve creates on an empty store, so that the
// default location of orders ("main") is a real one.
const DefaultWarehouseID = "main"

// CreateWarehouse creates a warehouse; its id is the location_id of the stock kept there.
func (m Warehouse) CreateWarehouse(ctx context.Context, cmd domain.CreateWarehouse, opts ...Option) (Result[domain.Warehouse], error) {
	return execute(ctx, m.h, "warehouse", cmd.WarehouseID, opts, func(w *domain.Warehouse) ([]domain.Event, error) {
		return w.Create(cmd)
	}, nil)
}

// UpdateWarehouse edits a warehouse's code, name, address or bins.
func (m Warehouse) UpdateWarehouse(ctx context.Context, id string, cmd domain.UpdateWarehouse, opts ...Option) (Result[domain.Warehouse], error) {
	return onExisting(ctx, m.h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.Update(cmd) })
}

// ActOnWarehouse activates or deactivates a warehouse.
func (m Warehouse) ActOnWarehouse(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Warehouse], error) {
	return onExisting(ctx, m.h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.Act(action, reason) })
}

// SetWarehouseEquipment reports a piece of a warehouse's equipment's status, registering
// it when new.
func (m Warehouse) SetWarehouseEquipment(ctx context.Context, id string, cmd domain.SetWarehouseEquipment, opts ...Option) (Result[domain.Warehouse], error) {
	now := m.h.now()
	return onExisting(ctx, m.h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.SetEquipment(cmd, now) })
}

// AssignWarehouseStaff puts a person in one of a warehouse's zones.
func (m Warehouse) AssignWarehouseStaff(ctx context.Context, id string, cmd domain.AssignWarehouseStaff, opts ...Option) (Result[domain.Warehouse], error) {
	now := m.h.now()
	return onExisting(ctx, m.h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.AssignStaff(cmd, now) })
}

// ReleaseWarehouseStaff takes a person off a warehouse's roster.
func (m Warehouse) ReleaseWarehouseStaff(ctx context.Context, id, staffID string, opts ...Option) (Result[domain.Warehouse], error) {
	return onExisting(ctx, m.h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.ReleaseStaff(staffID) })
}

// BootstrapWarehouse creates the default warehouse when the store has no warehouse at
// all. Two instances starting together agree on the fixed id: the loser's create is
// ErrAlreadyExists, which is fine. It reports whether it made one.
func (m Warehouse) BootstrapWarehouse(ctx context.Context) (bool, error) {
	last, err := m.h.store.LastSeq(ctx, m.h.store.TypeSubjects("warehouse"))
	if err != nil || last > 0 {
		return false, err
	}
	_, err = m.CreateWarehouse(ctx, domain.CreateWarehouse{WarehouseID: DefaultWarehouseID, Name: "Main warehouse"},
		WithMetadata(domain.Metadata{Actor: "system", ActorName: "bootstrap"}))
	if isAlreadyExists(err) {
		return false, nil
	}
	return err == nil, err
}

// Warehouse loads a warehouse from the event store.
func (m Warehouse) Warehouse(ctx context.Context, id string) (*domain.Warehouse, error) {
	return loadExisting[domain.Warehouse](ctx, m.h, "warehouse", id, 0)
}

// checkWarehouse records "no such warehouse" on field when id names none (asked of the
// event store, not a read model).
func (h *Handler) checkWarehouse(ctx context.Context, v *domain.Validation, field, id string) error {
	if !domain.ValidID(id) {
		return nil // the command's own check names it
	}
	ok, err := h.exists(ctx, "warehouse", id)
	if err != nil {
		return err
	}
	v.Check(ok, field, "no such warehouse")
	return nil
}

// checkStockedAt records "is not stocked at <loc>" on field for each SKU not stocked at loc.
func (h *Handler) checkStockedAt(ctx context.Context, v *domain.Validation, loc string, skus []string, field func(int) string) error {
	for i, sku := range skus {
		ok, err := h.exists(ctx, "inventory", domain.InventoryItemID(sku, loc))
		if err != nil {
			return err
		}
		v.Check(ok, field(i), "is not stocked at location "+loc)
	}
	return nil
}
