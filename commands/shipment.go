package commands

import (
	"context"
	"errors"

	"stateset/domain"
)

// CreateShipment sets up lines of an order to ship together (no lines: all not yet
// shipped). An unknown order is 400 on order_id; an order that cannot ship is 409.
func (m Warehouse) CreateShipment(ctx context.Context, orderID string, cmd domain.CreateShipment, opts ...Option) (Result[domain.Shipment], error) {
	o, err := m.h.Orders().Get(ctx, orderID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return Result[domain.Shipment]{}, err
	}
	cmd.Order = o
	return execute(ctx, m.h, "shipment", cmd.ShipmentID, opts, func(s *domain.Shipment) ([]domain.Event, error) {
		return s.Create(cmd)
	}, nil)
}

// ActOnShipment runs ship, deliver or cancel.
//
// Ship's guard is Orders.Ship on the order (guardShipmentShip): it runs once the shipment,
// under its lock, may ship (If-Match, and the shipment's own transition error for a status
// other than CREATED, come first and ship nothing). The order's refusal
// (INSUFFICIENT_STOCK, INVALID_TRANSITION) is atomic and answered as is, and nothing of the
// shipment is appended: it stays CREATED. There is no undo: an order's shipped lines are
// not unshipped. The order remembers the shipment, so a ship whose append conflicts, and
// any retry, ships the lines once. What the lock cannot stop is a cancel of the shipment on
// another instance between the order's ship and the shipment's: that ship is answered 409
// with the order's lines shipped.
//
// Deliver delivers the shipment; flow shipment-order then delivers the order once every
// line of it has shipped, and the API's answer waits for that flow.
func (m Warehouse) ActOnShipment(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Shipment], error) {
	act := func(s *domain.Shipment) ([]domain.Event, error) { return s.Act(action, reason) }
	if action == "ship" {
		return onExistingCompound(ctx, m.h, "shipment", id, opts, act, m.h.guardShipmentShip(opts))
	}
	return onExisting(ctx, m.h, "shipment", id, opts, act)
}

// guardShipmentShip is the guard of ShipmentShipped: it ships the shipment's lines of its
// order (Orders.Ship, which F2 turns into consumed reservations), keyed by the shipment, so
// shipping them again is a no-op. Nothing to undo.
func (h *Handler) guardShipmentShip(opts []Option) guard[domain.Shipment] {
	return func(ctx context.Context, before *domain.Shipment, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			if _, ok := e.(domain.ShipmentShipped); ok {
				if _, err := h.Orders().Ship(ctx, before.OrderID, before.ShipOrderCommand(), sideOpts(opts)...); err != nil {
					return nil, nil, err
				}
			}
		}
		return nil, nil, nil
	}
}

// deliverOrderIfShipped delivers an order whose every line has shipped (an order
// delivered already, or with lines left to ship, is left alone).
func (h *Handler) deliverOrderIfShipped(ctx context.Context, orderID string, opts []Option) error {
	o, err := h.Orders().Get(ctx, orderID)
	if err != nil || o.Status != domain.OrderStatusShipped {
		return err
	}
	_, err = h.Orders().Act(ctx, orderID, "deliver", "shipment delivered", opts...)
	if _, ok := errors.AsType[*domain.TransitionError](err); ok {
		return nil // delivered meanwhile
	}
	return err
}

// Shipment loads a shipment from the event store.
func (m Warehouse) Shipment(ctx context.Context, id string) (*domain.Shipment, error) {
	return loadExisting[domain.Shipment](ctx, m.h, "shipment", id, 0)
}

// UpdateShipment edits how a shipment travels: carrier, tracking number, packages.
func (m Warehouse) UpdateShipment(ctx context.Context, id string, cmd domain.UpdateShipment, opts ...Option) (Result[domain.Shipment], error) {
	return onExisting(ctx, m.h, "shipment", id, opts, func(s *domain.Shipment) ([]domain.Event, error) { return s.Update(cmd) })
}
