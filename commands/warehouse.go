package commands

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"stateset/domain"
)

// ---- Warehouses ----

// DefaultWarehouseID is the warehouse serve creates on an empty store, so that the
// default location of orders ("main") is a real one.
const DefaultWarehouseID = "main"

// CreateWarehouse creates a warehouse; its id is the location_id of the stock kept there.
func (h *Handler) CreateWarehouse(ctx context.Context, cmd domain.CreateWarehouse, opts ...Option) (Result[domain.Warehouse], error) {
	return execute(ctx, h, "warehouse", cmd.WarehouseID, opts, func(w *domain.Warehouse) ([]domain.Event, error) {
		return w.Create(cmd)
	}, nil)
}

// UpdateWarehouse edits a warehouse's code, name, address or bins.
func (h *Handler) UpdateWarehouse(ctx context.Context, id string, cmd domain.UpdateWarehouse, opts ...Option) (Result[domain.Warehouse], error) {
	return onExisting(ctx, h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.Update(cmd) })
}

// ActOnWarehouse activates or deactivates a warehouse.
func (h *Handler) ActOnWarehouse(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Warehouse], error) {
	return onExisting(ctx, h, "warehouse", id, opts, func(w *domain.Warehouse) ([]domain.Event, error) { return w.Act(action, reason) })
}

// BootstrapWarehouse creates the default warehouse when the store has no warehouse at
// all. Two instances starting together agree on the fixed id: the loser's create is
// ErrAlreadyExists, which is fine. It reports whether it made one.
func (h *Handler) BootstrapWarehouse(ctx context.Context) (bool, error) {
	last, err := h.store.LastSeq(ctx, h.store.TypeSubjects("warehouse"))
	if err != nil || last > 0 {
		return false, err
	}
	_, err = h.CreateWarehouse(ctx, domain.CreateWarehouse{WarehouseID: DefaultWarehouseID, Name: "Main warehouse"},
		WithMetadata(domain.Metadata{Actor: "system", ActorName: "bootstrap"}))
	if isAlreadyExists(err) {
		return false, nil
	}
	return err == nil, err
}

// Warehouse loads a warehouse from the event store.
func (h *Handler) Warehouse(ctx context.Context, id string) (*domain.Warehouse, error) {
	return loadExisting[domain.Warehouse](ctx, h, "warehouse", id, 0)
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

// ---- Pick lists ----

// CreatePickList gathers the lines still to ship of confirmed (CONFIRMED or PROCESSING)
// orders fulfilled from the warehouse. An unknown warehouse or order, an order of another
// warehouse or in another status is 400 naming the field.
func (h *Handler) CreatePickList(ctx context.Context, cmd domain.CreatePickList, opts ...Option) (Result[domain.PickList], error) {
	var none Result[domain.PickList]
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return none, err
	}
	if err := h.checkWarehouse(ctx, &v, "warehouse_id", cmd.WarehouseID); err != nil {
		return none, err
	}
	cmd.Lines = nil
	for i, id := range cmd.OrderIDs {
		f := "order_ids[" + strconv.Itoa(i) + "]"
		o, err := h.Order(ctx, id)
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
	return execute(ctx, h, "pick_list", cmd.PickListID, opts, func(p *domain.PickList) ([]domain.Event, error) {
		return p.Create(cmd)
	}, nil)
}

// ActOnPickList runs start, complete (every line picked in full) or cancel.
func (h *Handler) ActOnPickList(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.PickList], error) {
	return onExisting(ctx, h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.Act(action, reason) })
}

// CompletePickList completes a pick list with the quantities picked.
func (h *Handler) CompletePickList(ctx context.Context, id string, lines []domain.PickedLine, opts ...Option) (Result[domain.PickList], error) {
	return onExisting(ctx, h, "pick_list", id, opts, func(p *domain.PickList) ([]domain.Event, error) { return p.Complete(lines) })
}

// PickList loads a pick list from the event store.
func (h *Handler) PickList(ctx context.Context, id string) (*domain.PickList, error) {
	return loadExisting[domain.PickList](ctx, h, "pick_list", id, 0)
}

// ---- Shipments ----

// CreateShipment sets up lines of an order to ship together (no lines: all not yet
// shipped). An unknown order is 400 on order_id; an order that cannot ship is 409.
func (h *Handler) CreateShipment(ctx context.Context, orderID string, cmd domain.CreateShipment, opts ...Option) (Result[domain.Shipment], error) {
	o, err := h.Order(ctx, orderID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return Result[domain.Shipment]{}, err
	}
	cmd.Order = o
	return execute(ctx, h, "shipment", cmd.ShipmentID, opts, func(s *domain.Shipment) ([]domain.Event, error) {
		return s.Create(cmd)
	}, nil)
}

// ActOnShipment runs ship, deliver or cancel.
//
// Ship's guard is ShipOrder on the order (guardShipmentShip): it runs once the shipment,
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
func (h *Handler) ActOnShipment(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Shipment], error) {
	act := func(s *domain.Shipment) ([]domain.Event, error) { return s.Act(action, reason) }
	if action == "ship" {
		return onExistingCompound(ctx, h, "shipment", id, opts, act, h.guardShipmentShip(opts))
	}
	return onExisting(ctx, h, "shipment", id, opts, act)
}

// guardShipmentShip is the guard of ShipmentShipped: it ships the shipment's lines of its
// order (ShipOrder, which F2 turns into consumed reservations), keyed by the shipment, so
// shipping them again is a no-op. Nothing to undo.
func (h *Handler) guardShipmentShip(opts []Option) guard[domain.Shipment] {
	return func(ctx context.Context, before *domain.Shipment, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			if _, ok := e.(domain.ShipmentShipped); ok {
				if _, err := h.ShipOrder(ctx, before.OrderID, before.ShipOrderCommand(), sideOpts(opts)...); err != nil {
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
	o, err := h.Order(ctx, orderID)
	if err != nil || o.Status != domain.OrderStatusShipped {
		return err
	}
	_, err = h.ActOnOrder(ctx, orderID, "deliver", "shipment delivered", opts...)
	if _, ok := errors.AsType[*domain.TransitionError](err); ok {
		return nil // delivered meanwhile
	}
	return err
}

// Shipment loads a shipment from the event store.
func (h *Handler) Shipment(ctx context.Context, id string) (*domain.Shipment, error) {
	return loadExisting[domain.Shipment](ctx, h, "shipment", id, 0)
}

// ---- Transfers ----

// CreateTransfer plans a transfer: both locations must be warehouses and every SKU stocked
// at the source (400 naming the field otherwise).
func (h *Handler) CreateTransfer(ctx context.Context, cmd domain.CreateTransfer, opts ...Option) (Result[domain.Transfer], error) {
	if err := h.checkTransfer(ctx, cmd); err != nil {
		return Result[domain.Transfer]{}, err
	}
	return execute(ctx, h, "transfer", cmd.TransferID, opts, func(t *domain.Transfer) ([]domain.Event, error) {
		return t.Create(cmd)
	}, nil)
}

func (h *Handler) checkTransfer(ctx context.Context, cmd domain.CreateTransfer) error {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return err
	}
	if err := h.checkWarehouse(ctx, &v, "from_location_id", cmd.FromLocationID); err != nil {
		return err
	}
	if err := h.checkWarehouse(ctx, &v, "to_location_id", cmd.ToLocationID); err != nil {
		return err
	}
	skus := make([]string, len(cmd.Items))
	for i, it := range cmd.Items {
		skus[i] = it.SKU
	}
	if err := h.checkStockedAt(ctx, &v, cmd.FromLocationID, skus, func(i int) string { return "items[" + strconv.Itoa(i) + "].sku" }); err != nil {
		return err
	}
	return v.Err()
}

// ActOnTransfer runs ship, receive or cancel.
//
// Ship's guard (guardTransferShip) runs once the transfer, under its lock, may ship
// (If-Match, and its transition error, come first and reserve nothing): it checks that
// the source has the quantities available (an *InsufficientStockError listing every short
// SKU, and nothing is appended), then reserves them there, so nothing can take them
// between this answer and the flow; flow transfer-stock (F6) consumes the reservations and
// puts the stock in transit at the destination. undo, when the append fails, gives back
// what this attempt reserved, unless the transfer shipped after all (a ship on another
// instance that found the reservations made, or an append that landed despite its error):
// then the reservations are the shipment's. A retry reserves again (the reservation's
// demand is absolute, so a retry after a crash reserves nothing twice); a hold left by a
// crash between the two is the transfer's until it ships, or is released by F6 when it is
// cancelled.
//
// Every line is checked before any is reserved, but the items are not locked: a
// reservation another request makes on a later line's item between the check and this
// ship's reserve refuses that line, and the lines reserved before it are released again,
// so a refused multi-line ship can still leave a reserve/release pair on an item (the
// reserves are on separate aggregates, which no single commit spans).
func (h *Handler) ActOnTransfer(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Transfer], error) {
	act := func(t *domain.Transfer) ([]domain.Event, error) { return t.Act(action, reason) }
	if action != "ship" {
		return onExisting(ctx, h, "transfer", id, opts, act)
	}
	return onExistingCompound(ctx, h, "transfer", id, opts, act, h.guardTransferShip(opts))
}

// guardTransferShip is the guard of TransferShipped: it checks the source's stock on the
// items as loaded, then reserves each item's quantity there, keyed by the transfer and
// SKU (holdTransfer; an item short by then refuses atomically, the same 409, and what was
// reserved before it is released). undo releases the reservations this attempt made
// (unholdTransfer), unless the transfer shipped after all.
func (h *Handler) guardTransferShip(opts []Option) guard[domain.Transfer] {
	return func(ctx context.Context, _ *domain.Transfer, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			s, ok := e.(domain.TransferShipped)
			if !ok {
				continue
			}
			if err := h.checkAvailable(ctx, s.FromLocationID, s.Items); err != nil {
				return nil, nil, err
			}
			t := &domain.Transfer{ID: s.TransferID, FromLocationID: s.FromLocationID, Items: s.Items}
			held, err := h.holdTransfer(ctx, t, sideOpts(opts))
			if err != nil {
				return nil, nil, err
			}
			if len(held) > 0 {
				undo = func(ctx context.Context) { h.unholdTransfer(ctx, t, held, sideOpts(opts)) }
			}
		}
		return undo, nil, nil
	}
}

// holdTransfer reserves a transfer's quantities at its source and answers the items whose
// reservation this call made (a reservation already holding the quantity, left by an
// earlier attempt or a concurrent ship, is not this call's to give back). On a refusal it
// releases what it reserved and answers the refusal. Only t's id, source and items are read.
func (h *Handler) holdTransfer(ctx context.Context, t *domain.Transfer, opts []Option) ([]domain.TransferItem, error) {
	var took []domain.TransferItem
	for _, it := range t.Items {
		res, err := h.ReserveInventory(ctx, domain.InventoryItemID(it.SKU, t.FromLocationID), domain.ReserveInventory{
			ReservationID: transferReservation(t.ID, it.SKU), ReferenceType: "transfer", ReferenceID: t.ID,
			Quantity: it.Quantity}, opts...)
		if err != nil {
			_ = h.releaseTransfer(context.WithoutCancel(ctx), t.ID, t.FromLocationID, took, opts)
			return nil, err
		}
		if len(res.Events) > 0 {
			took = append(took, it)
		}
	}
	return took, nil
}

// unholdTransfer gives back what a ship whose append failed reserved, unless the transfer
// shipped after all (F6 consumes the reservations then) or its state cannot be read (the
// outcome is unknown: the hold stays the transfer's until it ships or is cancelled). A
// transfer that does not exist (a TransferInventory whose append did not land) holds
// nothing.
func (h *Handler) unholdTransfer(ctx context.Context, t *domain.Transfer, held []domain.TransferItem, opts []Option) {
	now, err := h.Transfer(ctx, t.ID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
	case err != nil:
		h.log.WarnContext(ctx, "transfer ship failed; its source reservations are kept", "transfer_id", t.ID, "err", err)
		return
	case now.Status != domain.TransferStatusCreated && now.Status != domain.TransferStatusCancelled:
		return
	}
	if err := h.releaseTransfer(ctx, t.ID, t.FromLocationID, held, opts); err != nil {
		h.log.WarnContext(ctx, "release a failed transfer ship's reservations", "transfer_id", t.ID, "err", err)
	}
}

// releaseTransfer releases the source reservations of a transfer's items; releasing one
// that is gone (or of an item that is) is a no-op.
func (h *Handler) releaseTransfer(ctx context.Context, transferID, from string, items []domain.TransferItem, opts []Option) error {
	var first error
	for _, it := range items {
		_, err := h.ReleaseReservation(ctx, domain.InventoryItemID(it.SKU, from), transferReservation(transferID, it.SKU), opts...)
		if err != nil && !errors.Is(err, domain.ErrNotFound) && first == nil {
			first = err
		}
	}
	return first
}

func transferReservation(transferID, sku string) string {
	return domain.ReservationID("transfer", transferID, "", sku)
}

// TransferInventory is POST /v1/inventory/transfer: a one-line transfer created and
// shipped at once, and a refused request appends nothing. The transfer is appended
// created and shipped in one commit (TransferCreated and TransferShipped, all or none)
// carrying the request's idempotency key, guarded as any ship (guardTransferShip): the
// source's stock is checked on the items as loaded (an *InsufficientStockError), then
// reserved, keyed by the transfer and SKU (an item short by then refuses atomically: the
// same 409, nothing appended); F6 takes it from there as for any ship. undo, when the
// append fails, releases the reservations this call made, unless the transfer shipped
// after all (the append landed despite the error, or a request with the same id won). A
// transfer id that exists already reserves nothing: a replay of this request is answered
// with its state, anything else with ALREADY_EXISTS, both before the guard.
func (h *Handler) TransferInventory(ctx context.Context, cmd domain.CreateTransfer, opts ...Option) (Result[domain.Transfer], error) {
	if err := h.checkTransfer(ctx, cmd); err != nil {
		return Result[domain.Transfer]{}, err
	}
	// the answer's position is the transfer's commit, after the reservations
	return executeCompound(ctx, h, "transfer", cmd.TransferID, opts, func(t *domain.Transfer) ([]domain.Event, error) {
		return t.CreateShipped(cmd)
	}, h.guardTransferShip(opts))
}

func (h *Handler) checkAvailable(ctx context.Context, loc string, items []domain.TransferItem) error {
	var short []domain.Shortage
	for _, it := range items {
		var avail int64
		item, err := h.InventoryItem(ctx, domain.InventoryItemID(it.SKU, loc))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		if item != nil {
			avail = item.Available()
		}
		if avail < it.Quantity {
			short = append(short, domain.Shortage{SKU: it.SKU, LocationID: loc, Requested: it.Quantity, Available: avail})
		}
	}
	if len(short) > 0 {
		return &domain.InsufficientStockError{Shortages: short}
	}
	return nil
}

// Transfer loads a transfer from the event store.
func (h *Handler) Transfer(ctx context.Context, id string) (*domain.Transfer, error) {
	return loadExisting[domain.Transfer](ctx, h, "transfer", id, 0)
}

// ---- Cycle counts ----

// CreateCycleCount plans a count of SKUs stocked at a warehouse (400 naming the field
// for an unknown warehouse or a SKU not stocked there).
func (h *Handler) CreateCycleCount(ctx context.Context, cmd domain.CreateCycleCount, opts ...Option) (Result[domain.CycleCount], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.CycleCount]{}, err
	}
	if err := h.checkWarehouse(ctx, &v, "warehouse_id", cmd.WarehouseID); err != nil {
		return Result[domain.CycleCount]{}, err
	}
	if v.Err() == nil {
		if err := h.checkStockedAt(ctx, &v, cmd.WarehouseID, cmd.SKUs, func(i int) string { return "skus[" + strconv.Itoa(i) + "]" }); err != nil {
			return Result[domain.CycleCount]{}, err
		}
	}
	if err := v.Err(); err != nil {
		return Result[domain.CycleCount]{}, err
	}
	return execute(ctx, h, "cycle_count", cmd.CycleCountID, opts, func(c *domain.CycleCount) ([]domain.Event, error) {
		return c.Create(cmd)
	}, nil)
}

// ActOnCycleCount runs start, reconcile or cancel. Reconcile reads every counted item as
// it stands now and decides, under the count's lock, counted − on hand per SKU (a count
// below an item's reserved stock is an *InsufficientStockError and nothing moves). Its
// guard (guardCountVariances) then posts each non-zero variance itself, as a cycle_count
// movement keyed by the count and SKU, and only then is CycleCountReconciled appended — as
// a ship reserves before it appends. A movement refused because stock was reserved in
// between is an *InsufficientStockError listing each such SKU: the movements posted are
// real and stay (the guard has no undo), the count stays COUNTED, and a retry recomputes
// the variances from on hand as it is then (0 for a SKU already posted, whose key would
// make a second posting a no-op anyway), so it posts only the rest. An append that
// conflicts decides again on the same items, so its guard posts the same movements under
// the same keys: nothing twice. Flow cycle-count-stock (F8) posts the recorded variances
// with the same keys: a backstop that finds them posted. So a refused reconcile of several
// SKUs can leave movements behind: the items are separate aggregates and not locked, and
// what was counted is a fact worth keeping. A cancel on another instance between the
// postings and the count's append leaves them too (409).
func (h *Handler) ActOnCycleCount(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.CycleCount], error) {
	if action != "reconcile" {
		return onExisting(ctx, h, "cycle_count", id, opts, func(c *domain.CycleCount) ([]domain.Event, error) {
			if action == "submit" {
				return c.Submit(nil)
			}
			return c.Act(action, reason)
		})
	}
	for {
		// a count submitted since it was read starts over (a count is COUNTED once, so it
		// does so at most once)
		res, err := h.reconcileCycleCount(ctx, id, opts)
		if !errors.Is(err, errCountSubmitted) {
			return res, err
		}
	}
}

func (h *Handler) reconcileCycleCount(ctx context.Context, id string, opts []Option) (Result[domain.CycleCount], error) {
	var none Result[domain.CycleCount]
	c, err := h.CycleCount(ctx, id)
	if err != nil {
		return none, err
	}
	items := map[string]*domain.InventoryItem{}
	if c.Status == domain.CycleCountStatusCounted {
		if err := pinned(opts, c.Version); err != nil {
			return none, err
		}
		for _, l := range c.Counts {
			it, err := h.InventoryItem(ctx, domain.InventoryItemID(l.SKU, c.WarehouseID))
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return none, err
			}
			items[l.SKU] = it
		}
	}
	// Decided on the items as read, on every attempt, so the event records the variances
	// the guard posts. A count read in another status answers its transition error (or a
	// replayed request's state) here, unless it has been submitted since: then its
	// variances are yet to be read, so the reconcile starts over (errCountSubmitted).
	return onExistingCompound(ctx, h, "cycle_count", id, opts, func(cur *domain.CycleCount) ([]domain.Event, error) {
		if cur.Status == domain.CycleCountStatusCounted && c.Status != domain.CycleCountStatusCounted {
			return nil, errCountSubmitted
		}
		return cur.Reconcile(items)
	}, h.guardCountVariances(opts))
}

// guardCountVariances is the guard of CycleCountReconciled: it posts the event's variances
// (postCountVariances). Nothing to undo: a posted movement is a count's fact, and posting
// it again is a no-op.
func (h *Handler) guardCountVariances(opts []Option) guard[domain.CycleCount] {
	return func(ctx context.Context, _ *domain.CycleCount, events []domain.Event) (undo, done func(context.Context), err error) {
		for _, e := range events {
			if rec, ok := e.(domain.CycleCountReconciled); ok {
				if h.countPosting != nil {
					h.countPosting()
				}
				if err := h.postCountVariances(ctx, rec, sideOpts(opts)); err != nil {
					return nil, nil, err
				}
			}
		}
		return nil, nil, nil
	}
}

var errCountSubmitted = errors.New("cycle count submitted since it was read")

// postCountVariances posts each non-zero variance of a reconciled count as a cycle_count
// movement of on hand, keyed by the count and SKU. Every SKU is tried; the refusals are
// one *InsufficientStockError listing each refused SKU.
func (h *Handler) postCountVariances(ctx context.Context, e domain.CycleCountReconciled, opts []Option) error {
	var short []domain.Shortage
	for _, v := range e.Variances {
		if v.Variance == 0 {
			continue
		}
		_, err := h.MoveInventory(ctx, domain.InventoryItemID(v.SKU, e.WarehouseID), domain.MoveInventory{OnHand: v.Variance,
			Reason: domain.ReasonCycleCount, SourceType: "cycle_count", SourceID: e.CycleCountID,
			MovementKey: cycleCountKey(e.CycleCountID, v.SKU)}, opts...)
		if ise, ok := errors.AsType[*domain.InsufficientStockError](err); ok {
			short = append(short, ise.Shortages...)
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(short) > 0 {
		return &domain.InsufficientStockError{Shortages: short}
	}
	return nil
}

// cycleCountKey is the movement key of a count's variance for one SKU: reconcile and F8
// derive the same one, so whichever posts second finds it posted. A count posts each SKU
// once: a retried reconcile does not post again what an earlier attempt posted.
func cycleCountKey(countID, sku string) string {
	return domain.MovementKey("cycle_count:"+countID, sku)
}

// SubmitCycleCount records the counts.
func (h *Handler) SubmitCycleCount(ctx context.Context, id string, counts []domain.CountLine, opts ...Option) (Result[domain.CycleCount], error) {
	return onExisting(ctx, h, "cycle_count", id, opts, func(c *domain.CycleCount) ([]domain.Event, error) { return c.Submit(counts) })
}

// CycleCount loads a cycle count from the event store.
func (h *Handler) CycleCount(ctx context.Context, id string) (*domain.CycleCount, error) {
	return loadExisting[domain.CycleCount](ctx, h, "cycle_count", id, 0)
}

// ---- Flows ----

// transferStock is F6: a shipped transfer takes the stock out of the source's on hand and
// puts it in transit at the destination (creating the item there if the SKU was never
// stocked); a received transfer moves it from in transit to on hand, which fills the
// destination's backorders; a cancelled transfer releases its source reservations (the
// backstop of a ship that reserved and then lost to the cancel: releasing a reservation
// that is gone is a no-op). Movement keys derive from the event id.
func (h *Handler) transferStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	move := func(sku, loc string, m domain.MoveInventory) error {
		m.Reason, m.SourceType = domain.ReasonTransfer, "transfer"
		m.MovementKey = domain.MovementKey(env.ID, sku)
		_, err := h.MoveInventory(ctx, domain.InventoryItemID(sku, loc), m, opt)
		return err
	}
	switch e := env.Event.(type) {
	case domain.TransferShipped:
		for _, it := range e.Items {
			// the ship reserved the quantities at the source: they leave it now
			_, err := h.ConsumeInventory(ctx, domain.InventoryItemID(it.SKU, e.FromLocationID), domain.ConsumeInventory{
				ReservationID: transferReservation(e.TransferID, it.SKU), Quantity: it.Quantity, Reason: domain.ReasonTransfer,
				SourceType: "transfer", SourceID: e.TransferID, MovementKey: domain.MovementKey(env.ID, it.SKU)}, opt)
			if err != nil {
				return err
			}
			if err := h.ensureItem(ctx, it.SKU, e.FromLocationID, e.ToLocationID, opt); err != nil {
				return err
			}
			if err := move(it.SKU, e.ToLocationID, domain.MoveInventory{InTransit: it.Quantity, SourceID: e.TransferID}); err != nil {
				return err
			}
		}
	case domain.TransferReceived:
		for _, it := range e.Items {
			if err := move(it.SKU, e.ToLocationID, domain.MoveInventory{OnHand: it.Quantity, InTransit: -it.Quantity, SourceID: e.TransferID}); err != nil {
				return err
			}
		}
	case domain.TransferCancelled:
		t, err := h.Transfer(ctx, e.TransferID)
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return h.releaseTransfer(ctx, t.ID, t.FromLocationID, t.Items, []Option{opt})
	}
	return nil
}

// ensureItem stocks sku at loc, with the unit cost and currency it has at from, unless it
// is stocked there already.
func (h *Handler) ensureItem(ctx context.Context, sku, from, loc string, opt Option) error {
	ok, err := h.exists(ctx, "inventory", domain.InventoryItemID(sku, loc))
	if err != nil || ok {
		return err
	}
	create := domain.CreateInventoryItem{SKU: sku, LocationID: loc}
	if src, err := h.InventoryItem(ctx, domain.InventoryItemID(sku, from)); err == nil {
		create.UnitCost, create.Currency = src.UnitCost, src.Currency
	}
	_, err = h.CreateInventoryItem(ctx, create, opt)
	if isAlreadyExists(err) {
		return nil
	}
	return err
}

// cycleCountStock is F8, the backstop of reconcile, which posts the variances itself
// before it appends the event: each non-zero variance of a reconciled count is posted as a
// cycle_count movement of on hand with reconcile's key (count and SKU), so it is a no-op
// for what reconcile posted. A count reconciled before reconcile posted its own variances
// was posted here under the event id and SKU: that key is honoured too.
func (h *Handler) cycleCountStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.CycleCountReconciled)
	if !ok {
		return nil
	}
	for _, v := range e.Variances {
		if v.Variance == 0 {
			continue
		}
		id := domain.InventoryItemID(v.SKU, e.WarehouseID)
		if it, err := h.InventoryItem(ctx, id); err == nil && slices.Contains(it.Recent, domain.MovementKey(env.ID, v.SKU)) {
			continue
		}
		_, err := h.MoveInventory(ctx, id, domain.MoveInventory{OnHand: v.Variance,
			Reason: domain.ReasonCycleCount, SourceType: "cycle_count", SourceID: e.CycleCountID,
			MovementKey: cycleCountKey(e.CycleCountID, v.SKU)}, WithMetadata(meta))
		if err != nil {
			return err
		}
	}
	return nil
}

// pickListOrders moves the orders of a started pick list from CONFIRMED to PROCESSING:
// picking is where processing begins. Orders that moved on (held, cancelled, already
// processing) are left alone, so a redelivery changes nothing.
func (h *Handler) pickListOrders(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.PickListStarted)
	if !ok {
		return nil
	}
	for _, id := range slices.Clone(e.OrderIDs) {
		o, err := h.Order(ctx, id)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if o.Status != domain.OrderStatusConfirmed {
			continue
		}
		_, err = h.ActOnOrder(ctx, id, "process", "picking started: pick list "+e.PickListID, WithMetadata(meta))
		if _, ok := errors.AsType[*domain.TransitionError](err); ok {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// shipmentOrder delivers the order of a delivered shipment once every line has shipped.
func (h *Handler) shipmentOrder(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.ShipmentDelivered)
	if !ok {
		return nil
	}
	err := h.deliverOrderIfShipped(ctx, e.OrderID, []Option{WithMetadata(meta)})
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}
