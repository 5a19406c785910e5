package commands

import (
	"context"
	"errors"
	"strconv"

	"stateset/domain"
)

// CreateCycleCount plans a count of SKUs stocked at a warehouse (400 naming the field
// for an unknown warehouse or a SKU not stocked there).
func (m Warehouse) CreateCycleCount(ctx context.Context, cmd domain.CreateCycleCount, opts ...Option) (Result[domain.CycleCount], error) {
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.CycleCount]{}, err
	}
	if err := m.h.checkWarehouse(ctx, &v, "warehouse_id", cmd.WarehouseID); err != nil {
		return Result[domain.CycleCount]{}, err
	}
	if v.Err() == nil {
		if err := m.h.checkStockedAt(ctx, &v, cmd.WarehouseID, cmd.SKUs, func(i int) string { return "skus[" + strconv.Itoa(i) + "]" }); err != nil {
			return Result[domain.CycleCount]{}, err
		}
	}
	if err := v.Err(); err != nil {
		return Result[domain.CycleCount]{}, err
	}
	return execute(ctx, m.h, "cycle_count", cmd.CycleCountID, opts, func(c *domain.CycleCount) ([]domain.Event, error) {
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
func (m Warehouse) ActOnCycleCount(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.CycleCount], error) {
	if action != "reconcile" {
		return onExisting(ctx, m.h, "cycle_count", id, opts, func(c *domain.CycleCount) ([]domain.Event, error) {
			if action == "submit" {
				return c.Submit(nil)
			}
			return c.Act(action, reason)
		})
	}
	for {
		// a count submitted since it was read starts over (a count is COUNTED once, so it
		// does so at most once)
		res, err := m.h.reconcileCycleCount(ctx, id, opts)
		if !errors.Is(err, errCountSubmitted) {
			return res, err
		}
	}
}

func (h *Handler) reconcileCycleCount(ctx context.Context, id string, opts []Option) (Result[domain.CycleCount], error) {
	var none Result[domain.CycleCount]
	c, err := h.Warehouse().CycleCount(ctx, id)
	if err != nil {
		return none, err
	}
	items := map[string]*domain.InventoryItem{}
	if c.Status == domain.CycleCountStatusCounted {
		if err := pinned(opts, c.Version); err != nil {
			return none, err
		}
		for _, l := range c.Counts {
			it, err := h.Inventory().Item(ctx, domain.InventoryItemID(l.SKU, c.WarehouseID))
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
		_, err := h.Inventory().Move(ctx, domain.InventoryItemID(v.SKU, e.WarehouseID), domain.MoveInventory{OnHand: v.Variance,
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
func (m Warehouse) SubmitCycleCount(ctx context.Context, id string, counts []domain.CountLine, opts ...Option) (Result[domain.CycleCount], error) {
	return onExisting(ctx, m.h, "cycle_count", id, opts, func(c *domain.CycleCount) ([]domain.Event, error) { return c.Submit(counts) })
}

// CycleCount loads a cycle count from the event store.
func (m Warehouse) CycleCount(ctx context.Context, id string) (*domain.CycleCount, error) {
	return loadExisting[domain.CycleCount](ctx, m.h, "cycle_count", id, 0)
}

// UpdateCycleCount reschedules a count not yet counted.
func (m Warehouse) UpdateCycleCount(ctx context.Context, id string, cmd domain.UpdateCycleCount, opts ...Option) (Result[domain.CycleCount], error) {
	return onExisting(ctx, m.h, "cycle_count", id, opts, func(c *domain.CycleCount) ([]domain.Event, error) { return c.Update(cmd) })
}
