package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// CreateWorkOrder plans a work order of an ACTIVE bill of materials (bomID); a zero
// number gets WO-000001 style.
func (m Manufacturing) CreateWorkOrder(ctx context.Context, cmd domain.CreateWorkOrder, bomID string, opts ...Option) (Result[domain.WorkOrder], error) {
	var none Result[domain.WorkOrder]
	b, err := m.BOM(ctx, bomID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return none, err
	}
	cmd.BOM = b
	var v domain.Validation
	probe := cmd
	if probe.WorkOrderNumber == "" {
		probe.WorkOrderNumber = "WO-0"
	}
	probe.Check(&v)
	if err := v.Err(); err != nil {
		return none, err
	}
	if cmd.WorkOrderNumber == "" {
		if cmd.WorkOrderNumber, err = m.h.nextNumber(ctx, "work_order", "WO"); err != nil {
			return none, err
		}
	}
	return execute(ctx, m.h, "work_order", cmd.WorkOrderID, opts, func(o *domain.WorkOrder) ([]domain.Event, error) {
		return o.Create(cmd)
	}, nil)
}

// UpdateWorkOrder edits a work order's priority, due date, assignee and notes.
func (m Manufacturing) UpdateWorkOrder(ctx context.Context, id string, cmd domain.UpdateWorkOrder, opts ...Option) (Result[domain.WorkOrder], error) {
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) { return o.Update(cmd) })
}

// ActOnWorkOrder runs a status action: release, start, hold, resume or cancel (complete
// is CompleteWorkOrder).
//
// Release loads each component's inventory item at the order's location and answers an
// *InsufficientStockError listing every component whose available stock is below what
// the order needs, appending nothing; else the order is released pinned to the version
// the stock was checked for, and the work-order-stock flow reserves the components
// (backordering what a concurrent reservation took meanwhile).
func (m Manufacturing) ActOnWorkOrder(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.WorkOrder], error) {
	if action != "release" {
		return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) {
			if action == "complete" {
				return o.Complete(domain.CompleteWorkOrder{})
			}
			return o.Act(action, reason)
		})
	}
	o, err := m.WorkOrder(ctx, id)
	if err != nil {
		return Result[domain.WorkOrder]{}, err
	}
	if err := pinned(opts, o.Version); err != nil {
		return Result[domain.WorkOrder]{}, err
	}
	available := map[string]int64{}
	if o.Status == domain.WorkOrderStatusPlanned {
		for _, c := range o.Components {
			it, err := m.h.Inventory().Item(ctx, domain.InventoryItemID(c.SKU, o.LocationID))
			if errors.Is(err, domain.ErrNotFound) {
				continue
			}
			if err != nil {
				return Result[domain.WorkOrder]{}, err
			}
			available[c.SKU] = it.Available()
		}
	}
	return onExisting(ctx, m.h, "work_order", id, append(opts, WithIfVersion(o.Version)), func(o *domain.WorkOrder) ([]domain.Event, error) {
		return o.Release(available)
	})
}

// CompleteWorkOrder records production. It is refused with an *InsufficientStockError
// unless each component's reservation holds what this completion uses (a backordered
// component, or a reservation the flow has not made yet, is short); the
// work-order-stock flow then consumes the components and puts the good units on hand.
func (m Manufacturing) CompleteWorkOrder(ctx context.Context, id string, cmd domain.CompleteWorkOrder, opts ...Option) (Result[domain.WorkOrder], error) {
	var none Result[domain.WorkOrder]
	o, err := m.WorkOrder(ctx, id)
	if err != nil {
		return none, err
	}
	if err := pinned(opts, o.Version); err != nil {
		return none, err
	}
	decide := func(o *domain.WorkOrder) ([]domain.Event, error) { return o.Complete(cmd) }
	events, err := decide(o)
	if err != nil {
		return none, err
	}
	if rec, ok := events[0].(domain.WorkOrderProductionRecorded); ok {
		var short []domain.Shortage
		for _, u := range rec.Components {
			var held int64
			it, err := m.h.Inventory().Item(ctx, domain.InventoryItemID(u.SKU, o.LocationID))
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return none, err
			}
			if it != nil {
				if r := it.Reservations[domain.ReservationID("work_order", o.ID, u.LineID, u.SKU)]; r != nil {
					held = r.Reserved
				}
			}
			if need := u.Consumed + u.Scrapped; held < need {
				short = append(short, domain.Shortage{SKU: u.SKU, LocationID: o.LocationID, Requested: need, Available: held})
			}
		}
		if len(short) > 0 {
			return none, &domain.InsufficientStockError{Shortages: short}
		}
	}
	return onExisting(ctx, m.h, "work_order", id, append(opts, WithIfVersion(o.Version)), decide)
}

// WorkOrder loads a work order from the event store.
func (m Manufacturing) WorkOrder(ctx context.Context, id string) (*domain.WorkOrder, error) {
	return loadExisting[domain.WorkOrder](ctx, m.h, "work_order", id, 0)
}

// AddWorkOrderOperations adds operations to an open work order's routing.
func (m Manufacturing) AddWorkOrderOperations(ctx context.Context, id string, ops []domain.WorkOrderOperationInput, opts ...Option) (Result[domain.WorkOrder], error) {
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) { return o.AddOperations(ops) })
}

// UpdateWorkOrderOperation edits an operation, or moves it (start, fail, back to pending).
func (m Manufacturing) UpdateWorkOrderOperation(ctx context.Context, id string, cmd domain.UpdateWorkOrderOperation, opts ...Option) (Result[domain.WorkOrder], error) {
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) { return o.UpdateOperation(cmd) })
}

// CompleteWorkOrderOperation records an operation of an IN_PROGRESS work order done.
func (m Manufacturing) CompleteWorkOrderOperation(ctx context.Context, id string, cmd domain.CompleteWorkOrderOperation, opts ...Option) (Result[domain.WorkOrder], error) {
	now := m.h.now()
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) {
		return o.CompleteOperation(cmd, now)
	})
}

// AssignWorkOrderResource assigns a worker, machine or tool to an open work order.
func (m Manufacturing) AssignWorkOrderResource(ctx context.Context, id string, cmd domain.AssignWorkOrderResource, opts ...Option) (Result[domain.WorkOrder], error) {
	now := m.h.now()
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) {
		return o.AssignResource(cmd, now)
	})
}

// ReleaseWorkOrderResource takes a resource off an open work order.
func (m Manufacturing) ReleaseWorkOrderResource(ctx context.Context, id, resourceID string, opts ...Option) (Result[domain.WorkOrder], error) {
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) {
		return o.ReleaseResource(resourceID)
	})
}

// InspectWorkOrder records inspection checks of what a work order makes.
func (m Manufacturing) InspectWorkOrder(ctx context.Context, id string, checks []domain.InspectionCheck, opts ...Option) (Result[domain.WorkOrder], error) {
	now := m.h.now()
	return onExisting(ctx, m.h, "work_order", id, opts, func(o *domain.WorkOrder) ([]domain.Event, error) {
		return o.Inspect(checks, now)
	})
}
