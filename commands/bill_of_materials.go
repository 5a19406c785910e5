package commands

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"stateset/domain"
	"stateset/eventstore"
)

// bomSKUScope is the uniqueness scope "the active bill of materials of SKU x": the index
// from a SKU to its BOM, held in the UNIQUE bucket so that every instance's write side
// reads it consistently (a read model would lag). Activation claims it, obsoleting frees
// it, and a SKU has one active BOM at most.
const bomSKUScope = "bom-active-sku"

// maxBOMTree bounds how many active BOMs one explosion or cycle check loads.
const maxBOMTree = 1000

// CreateBOM creates a draft bill of materials; a cycle through the active BOMs of its
// components is refused already here.
func (m Manufacturing) CreateBOM(ctx context.Context, cmd domain.CreateBOM, opts ...Option) (Result[domain.BillOfMaterials], error) {
	subs, err := m.h.activeBOMsBelow(ctx, cmd.SKU, cmd.Components)
	if err != nil {
		return Result[domain.BillOfMaterials]{}, err
	}
	cmd.Subassemblies = subs
	return execute(ctx, m.h, "bill_of_materials", cmd.BOMID, opts, func(b *domain.BillOfMaterials) ([]domain.Event, error) {
		return b.Create(cmd)
	}, nil)
}

// UpdateBOM edits a draft bill of materials.
func (m Manufacturing) UpdateBOM(ctx context.Context, id string, cmd domain.UpdateBOM, opts ...Option) (Result[domain.BillOfMaterials], error) {
	cmd.BOMID = id
	if cmd.Components != nil {
		b, err := m.BOM(ctx, id)
		if err != nil {
			return Result[domain.BillOfMaterials]{}, err
		}
		if cmd.Subassemblies, err = m.h.activeBOMsBelow(ctx, b.SKU, *cmd.Components); err != nil {
			return Result[domain.BillOfMaterials]{}, err
		}
	}
	return onExisting(ctx, m.h, "bill_of_materials", id, opts, func(b *domain.BillOfMaterials) ([]domain.Event, error) {
		return b.Update(cmd)
	})
}

// ActOnBOM runs a status action: activate or obsolete. Activation loads the active BOMs
// reachable from the components (a cycle is a *ValidationError naming the path) and
// claims the SKU's active BOM slot: another ACTIVE BOM of the SKU is *AlreadyExistsError
// on sku. Obsoleting an active BOM frees the slot.
func (m Manufacturing) ActOnBOM(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.BillOfMaterials], error) {
	var subs domain.ActiveBOMs
	if action == "activate" {
		b, err := m.BOM(ctx, id)
		if err != nil {
			return Result[domain.BillOfMaterials]{}, err
		}
		if subs, err = m.h.activeBOMsBelow(ctx, b.SKU, b.Components); err != nil {
			return Result[domain.BillOfMaterials]{}, err
		}
	}
	if !domain.ValidID(id) {
		return Result[domain.BillOfMaterials]{}, domain.ErrNotFound
	}
	return execute(ctx, m.h, "bill_of_materials", id, opts, func(b *domain.BillOfMaterials) ([]domain.Event, error) {
		if !b.Exists() {
			return nil, domain.ErrNotFound
		}
		return b.Act(action, reason, subs)
	}, m.h.guardBOMSKU)
}

// guardBOMSKU claims a SKU's active-BOM slot before an activation is appended and frees
// it after the BOM is obsoleted.
func (h *Handler) guardBOMSKU(ctx context.Context, before *domain.BillOfMaterials, events []domain.Event) (undo, done func(context.Context), err error) {
	for _, e := range events {
		switch e := e.(type) {
		case domain.BillOfMaterialsActivated:
			fresh, err := h.claimUnique(ctx, bomSKUScope, e.SKU, e.BOMID, h.bomHoldsSKU(e.SKU))
			if errors.Is(err, errTaken) {
				return nil, nil, &domain.AlreadyExistsError{Entity: "active bill of materials", Field: "sku"}
			}
			if err != nil {
				return nil, nil, err
			}
			if fresh {
				undo = func(ctx context.Context) { h.releaseUnique(ctx, bomSKUScope, e.SKU, e.BOMID) }
			}
		case domain.BillOfMaterialsObsoleted:
			if e.From == domain.BOMStatusActive {
				done = func(ctx context.Context) { h.releaseUnique(ctx, bomSKUScope, e.SKU, e.BOMID) }
			}
		}
	}
	return undo, done, nil
}

// bomHoldsSKU reports whether BOM holder is the active BOM of sku.
func (h *Handler) bomHoldsSKU(sku string) func(context.Context, string) (bool, error) {
	return func(ctx context.Context, holder string) (bool, error) {
		b, err := h.Manufacturing().BOM(ctx, holder)
		if errors.Is(err, domain.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return b.Status == domain.BOMStatusActive && b.SKU == sku, nil
	}
}

// ActiveBOM returns the active bill of materials of sku, ErrNotFound if it has none. It
// reads the claim in the UNIQUE bucket and checks it against the BOM's own events, so a
// claim left by a failed activation counts for nothing.
func (m Manufacturing) ActiveBOM(ctx context.Context, sku string) (*domain.BillOfMaterials, error) {
	raw, _, err := m.h.unique.Get(ctx, claimKey(bomSKUScope, sku))
	if errors.Is(err, eventstore.ErrKeyNotFound) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var c claim
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, domain.ErrNotFound
	}
	b, err := m.BOM(ctx, c.Owner)
	if err != nil {
		return nil, err
	}
	if b.Status != domain.BOMStatusActive || b.SKU != sku {
		return nil, domain.ErrNotFound
	}
	return b, nil
}

// activeBOMsBelow loads the active BOMs reachable from comps, level by level. sku (the
// BOM being decided) is not loaded: its own BOM is the one on the table.
func (h *Handler) activeBOMsBelow(ctx context.Context, sku string, comps []domain.BOMComponent) (domain.ActiveBOMs, error) {
	out := domain.ActiveBOMs{}
	seen := map[string]bool{sku: true}
	queue := slices.Clone(comps)
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c.SKU] {
			continue
		}
		seen[c.SKU] = true
		if len(seen) > maxBOMTree {
			return nil, &domain.ValidationError{Fields: []domain.FieldError{{Field: "components", Issue: "reaches more than 1000 SKUs"}}}
		}
		b, err := h.Manufacturing().ActiveBOM(ctx, c.SKU)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[c.SKU] = b
		queue = append(queue, b.Components...)
	}
	return out, nil
}

// ExplodeBOM explodes quantity units of BOM id through the active BOMs of its components
// and prices the raw materials at the unit_cost of their inventory items at locationID
// (a SKU not stocked there costs 0). Everything is read from the event store.
func (m Manufacturing) ExplodeBOM(ctx context.Context, id string, quantity int64, locationID string) (domain.Explosion, error) {
	b, err := m.BOM(ctx, id)
	if err != nil {
		return domain.Explosion{}, err
	}
	subs, err := m.h.activeBOMsBelow(ctx, b.SKU, b.Components)
	if err != nil {
		return domain.Explosion{}, err
	}
	x, err := domain.Explode(b, quantity, subs)
	if err != nil {
		return domain.Explosion{}, err
	}
	costs := map[string]int64{}
	for _, l := range x.Leaves {
		it, err := m.h.Inventory().Item(ctx, domain.InventoryItemID(l.SKU, locationID))
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return domain.Explosion{}, err
		}
		costs[l.SKU] = it.UnitCost
	}
	if err := x.Cost(costs); err != nil {
		return domain.Explosion{}, err
	}
	return x, nil
}

// BOM loads a bill of materials from the event store.
func (m Manufacturing) BOM(ctx context.Context, id string) (*domain.BillOfMaterials, error) {
	return loadExisting[domain.BillOfMaterials](ctx, m.h, "bill_of_materials", id, 0)
}
