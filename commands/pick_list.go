package commands

import (
	"context"
	"errors"
	"strconv"

	"stateset/domain"
)

// CreatePickList gathers the lines still to ship of confirmed (CONFIRMED or PROCESSING)
// orders fulfilled from the warehouse. An unknown warehouse or order, an order of another
// warehouse or in another status is 400 naming the field.
func (m Warehouse) CreatePickList(ctx context.Context, cmd domain.CreatePickList, opts ...Option) (Result[domain.PickList], error) {
	var none Result[domain.PickList]
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return none, err
	}
	if err := m.h.checkWarehouse(ctx, &v, "warehouse_id", cmd.WarehouseID); err != nil {
		return none, err
	}
	cmd.Lines = nil
	for i, id := range cmd.OrderIDs {
		f := "order_ids[" + strconv.Itoa(i) + "]"
		o, err := m.h.Orders().Get(ctx, id)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			v.Add(f, "no such order")
			continue
		case err != nil:
			return none, err
		case o.LocationID != cmd.WarehouseID:
			v.Add(f, "is fulfilled from location "+o.LocationID)
			continue
		case o.Status != domain.OrderStatusConfirmed && o.Status != domain.OrderStatusProcessing:
			v.Add(f, "is "+string(o.Status)+"; only CONFIRMED or PROCESSING orders are picked")
			continue
		}
		for _, l := range o.Items {
			if n := l.Quantity - l.Shipped; n > 0 {
				cmd.Lines = append(cmd.Lines, domain.PickLine{OrderID: o.ID, LineID: l.ID, SKU: l.SKU, Quantity: n})
			}
		}
	}
	if err := v.Err(); err != nil {
		return none, err
	}
	return execute(ctx, m.h, "pick_list", cmd.PickListID, opts, func(p *domain.PickList) ([]domain.Event, error) {
		return p.Create(cmd)
	}, nil)
}

// ActOnPickList runs start, complete (every line picked in full) or cancel.
func (m Warehouse) ActOnPickList(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.PickList], error) {
	return onExisting(ctx, m.h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.Act(action, reason) })
}

// CompletePickList completes a pick list with the quantities picked.
func (m Warehouse) CompletePickList(ctx context.Context, id string, lines []domain.PickedLine, opts ...Option) (Result[domain.PickList], error) {
	return onExisting(ctx, m.h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.Complete(lines) })
}

// RecordPicks records, while picking, how much of some lines is picked so far.
func (m Warehouse) RecordPicks(ctx context.Context, id string, lines []domain.PickedLine, opts ...Option) (Result[domain.PickList], error) {
	return onExisting(ctx, m.h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.RecordPicks(lines) })
}

// CheckPickList records a second person's verification of what was picked.
func (m Warehouse) CheckPickList(ctx context.Context, id string, cmd domain.CheckPick, opts ...Option) (Result[domain.PickList], error) {
	now := m.h.now()
	return onExisting(ctx, m.h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.Check(cmd, now) })
}

// PickList loads a pick list from the event store.
func (m Warehouse) PickList(ctx context.Context, id string) (*domain.PickList, error) {
	return loadExisting[domain.PickList](ctx, m.h, "pick_list", id, 0)
}

// UpdatePickList edits a pick list's priority and picker.
func (m Warehouse) UpdatePickList(ctx context.Context, id string, cmd domain.UpdatePickList, opts ...Option) (Result[domain.PickList], error) {
	return onExisting(ctx, m.h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.Update(cmd) })
}
