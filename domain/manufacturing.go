package domain

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---- Bills of materials ----

// BOMStatus is where a bill of materials is in its life.
type BOMStatus string

const (
	BOMStatusDraft    BOMStatus = "DRAFT"
	BOMStatusActive   BOMStatus = "ACTIVE"
	BOMStatusObsolete BOMStatus = "OBSOLETE"
)

// BOMStatuses lists every status, in life order.
var BOMStatuses = []BOMStatus{BOMStatusDraft, BOMStatusActive, BOMStatusObsolete}

// BOMActions are the status actions reachable over POST /bill_of_materials/:id/<action>.
var BOMActions = []string{"activate", "obsolete"}

// bomFlow is the bill of materials state machine. "update" edits the draft: once active,
// a BOM is what work orders were made from, so a change is a new revision (a new BOM).
// A draft may be obsoleted directly, which is how a draft is discarded.
var bomFlow = Flow[BOMStatus]{Entity: "bill of materials", Steps: []Step[BOMStatus]{
	{BOMStatusDraft, "update", BOMStatusDraft},
	{BOMStatusDraft, "activate", BOMStatusActive},
	{BOMStatusDraft, "obsolete", BOMStatusObsolete},
	{BOMStatusActive, "obsolete", BOMStatusObsolete},
}}

// BOMComponent is one line of a bill of materials: Quantity units of SKU per unit made.
type BOMComponent struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// BillOfMaterials is the bill of materials aggregate: what one unit of SKU is made of. A
// component may itself be made from its own ACTIVE bill of materials (multi-level).
type BillOfMaterials struct {
	ID         string         `json:"id"`
	SKU        string         `json:"sku"`
	Name       string         `json:"name"`
	Revision   string         `json:"revision"`
	Components []BOMComponent `json:"components"`
	Status     BOMStatus      `json:"status"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	Version    int64          `json:"version"`
}

// Exists reports whether the BOM has been created.
func (b *BillOfMaterials) Exists() bool { return b.Version > 0 }

// CurrentVersion is the BOM's event count.
func (b *BillOfMaterials) CurrentVersion() int64 { return b.Version }

// Clone returns a deep copy, so a cached BOM is never shared with a caller.
func (b *BillOfMaterials) Clone() *BillOfMaterials {
	cp := *b
	cp.Components = slices.Clone(b.Components)
	return &cp
}

// ActiveBOMs are the ACTIVE bills of materials by finished SKU, as far as a decision needs
// them: the BOMs of a BOM's components, of theirs, and so on. The caller loads them.
type ActiveBOMs map[string]*BillOfMaterials

// CreateBOM creates a draft bill of materials. Subassemblies (the active BOMs reachable
// from the components) let the decision refuse a cycle already at creation.
type CreateBOM struct {
	BOMID         string
	SKU           string
	Name          string
	Revision      string
	Components    []BOMComponent
	Subassemblies ActiveBOMs
}

// UpdateBOM edits a draft; nil leaves a field alone. No change yields no event.
type UpdateBOM struct {
	BOMID         string
	Name          *string
	Revision      *string
	Components    *[]BOMComponent
	Subassemblies ActiveBOMs
}

// BillOfMaterialsCreated: a draft bill of materials came to be.
type BillOfMaterialsCreated struct {
	BOMID      string         `json:"bom_id"`
	SKU        string         `json:"sku"`
	Name       string         `json:"name,omitempty"`
	Revision   string         `json:"revision,omitempty"`
	Components []BOMComponent `json:"components"`
}

// BOMComponentsChange is a BOM's components before and after.
type BOMComponentsChange struct {
	From []BOMComponent `json:"from"`
	To   []BOMComponent `json:"to"`
}

// BillOfMaterialsUpdated: a draft was edited; only changed fields are present.
type BillOfMaterialsUpdated struct {
	BOMID      string               `json:"bom_id"`
	Name       *Change              `json:"name,omitempty"`
	Revision   *Change              `json:"revision,omitempty"`
	Components *BOMComponentsChange `json:"components,omitempty"`
}

// BillOfMaterialsActivated: the BOM became the active one of its SKU.
type BillOfMaterialsActivated struct {
	BOMID string `json:"bom_id"`
	SKU   string `json:"sku"`
}

// BillOfMaterialsObsoleted: the BOM was retired from status From.
type BillOfMaterialsObsoleted struct {
	BOMID  string    `json:"bom_id"`
	SKU    string    `json:"sku"`
	From   BOMStatus `json:"from"`
	Reason string    `json:"reason,omitempty"`
}

func (BillOfMaterialsCreated) EventType() string   { return "BillOfMaterialsCreated" }
func (BillOfMaterialsUpdated) EventType() string   { return "BillOfMaterialsUpdated" }
func (BillOfMaterialsActivated) EventType() string { return "BillOfMaterialsActivated" }
func (BillOfMaterialsObsoleted) EventType() string { return "BillOfMaterialsObsoleted" }

// maxBOMComponents bounds a BOM's lines; maxBOMDepth bounds an explosion.
const (
	maxBOMComponents = 200
	maxBOMDepth      = 20
)

func checkBOMComponents(v *Validation, sku string, comps []BOMComponent) {
	v.Check(len(comps) >= 1 && len(comps) <= maxBOMComponents, "components", "1 to 200 components")
	seen := map[string]bool{}
	for i, c := range comps {
		f := "components[" + itoa(i) + "]."
		switch {
		case !validSKU(c.SKU):
			v.Add(f+"sku", "a SKU is 1 to 100 characters without spaces")
		case c.SKU == sku:
			v.Add(f+"sku", "a bill of materials cannot contain its own SKU (cycle: "+sku+" -> "+sku+")")
		case seen[c.SKU]:
			v.Add(f+"sku", "appears twice; give one line per SKU")
		}
		seen[c.SKU] = true
		v.Check(c.Quantity > 0 && c.Quantity <= maxQuantity, f+"quantity", "must be 1 to 1000000")
	}
}

// Check records every invalid field of the creation in v.
func (cmd CreateBOM) Check(v *Validation) {
	v.Check(ValidID(cmd.BOMID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(validSKU(cmd.SKU), "sku", "a SKU is 1 to 100 characters without spaces")
	v.Check(len(cmd.Name) <= 200, "name", "at most 200 characters")
	v.Check(len(cmd.Revision) <= 50, "revision", "at most 50 characters")
	checkBOMComponents(v, cmd.SKU, cmd.Components)
}

// BOMCycle returns the path of a cycle that the components of a BOM of sku close through
// the active BOMs (sku, its component, that component's component, ..., back to a SKU
// already on the path), or nil when there is none.
func BOMCycle(sku string, comps []BOMComponent, active ActiveBOMs) []string {
	done := map[string]bool{} // SKUs whose explosion is known to be acyclic
	var walk func(path []string, comps []BOMComponent) []string
	walk = func(path []string, comps []BOMComponent) []string {
		for _, c := range comps {
			if i := slices.Index(path, c.SKU); i >= 0 {
				return append(slices.Clone(path[i:]), c.SKU)
			}
			sub := active[c.SKU]
			if sub == nil || done[c.SKU] {
				continue
			}
			if cyc := walk(append(path, c.SKU), sub.Components); cyc != nil {
				return cyc
			}
			done[c.SKU] = true
		}
		return nil
	}
	return walk([]string{sku}, comps)
}

func checkBOMCycle(v *Validation, sku string, comps []BOMComponent, active ActiveBOMs) {
	if cyc := BOMCycle(sku, comps, active); cyc != nil {
		v.Add("components", "cycle: "+strings.Join(cyc, " -> "))
	}
}

// Create decides the creation of a draft: ErrAlreadyExists, or a *ValidationError naming
// every bad field (components names a cycle through active BOMs, with its path).
func (b *BillOfMaterials) Create(cmd CreateBOM) ([]Event, error) {
	if b.Exists() {
		return nil, &AlreadyExistsError{Entity: "bill of materials", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	checkBOMCycle(&v, cmd.SKU, cmd.Components, cmd.Subassemblies)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{BillOfMaterialsCreated{BOMID: cmd.BOMID, SKU: cmd.SKU, Name: cmd.Name, Revision: cmd.Revision,
		Components: slices.Clone(cmd.Components)}}, nil
}

// Update decides an edit of a draft: ErrNotFound, a *TransitionError past DRAFT, a
// *ValidationError, or at most one BillOfMaterialsUpdated.
func (b *BillOfMaterials) Update(cmd UpdateBOM) ([]Event, error) {
	if !b.Exists() {
		return nil, ErrNotFound
	}
	if _, err := bomFlow.Next(b.Status, "update"); err != nil {
		return nil, err
	}
	var v Validation
	if cmd.Name != nil {
		v.Check(len(*cmd.Name) <= 200, "name", "at most 200 characters")
	}
	if cmd.Revision != nil {
		v.Check(len(*cmd.Revision) <= 50, "revision", "at most 50 characters")
	}
	if cmd.Components != nil {
		checkBOMComponents(&v, b.SKU, *cmd.Components)
		if v.Err() == nil {
			checkBOMCycle(&v, b.SKU, *cmd.Components, cmd.Subassemblies)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	upd := BillOfMaterialsUpdated{BOMID: b.ID}
	changed := false
	diff := func(cur string, next *string) *Change {
		if next == nil || *next == cur {
			return nil
		}
		changed = true
		return &Change{From: cur, To: *next}
	}
	upd.Name = diff(b.Name, cmd.Name)
	upd.Revision = diff(b.Revision, cmd.Revision)
	if cmd.Components != nil && !slices.Equal(*cmd.Components, b.Components) {
		changed = true
		upd.Components = &BOMComponentsChange{From: slices.Clone(b.Components), To: slices.Clone(*cmd.Components)}
	}
	if !changed {
		return nil, nil
	}
	return []Event{upd}, nil
}

// Activate decides making the BOM its SKU's active one. active holds the active BOMs
// reachable from the components; a cycle back to a SKU on the path is a *ValidationError
// on components naming the path. That a SKU has one active BOM at most is held by the
// caller (commands claim it), not here.
func (b *BillOfMaterials) Activate(active ActiveBOMs) ([]Event, error) {
	if !b.Exists() {
		return nil, ErrNotFound
	}
	if _, err := bomFlow.Next(b.Status, "activate"); err != nil {
		return nil, err
	}
	var v Validation
	checkBOMCycle(&v, b.SKU, b.Components, active)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{BillOfMaterialsActivated{BOMID: b.ID, SKU: b.SKU}}, nil
}

// Obsolete decides retiring the BOM: ErrNotFound or a *TransitionError.
func (b *BillOfMaterials) Obsolete(reason string) ([]Event, error) {
	if !b.Exists() {
		return nil, ErrNotFound
	}
	if _, err := bomFlow.Next(b.Status, "obsolete"); err != nil {
		return nil, err
	}
	return []Event{BillOfMaterialsObsoleted{BOMID: b.ID, SKU: b.SKU, From: b.Status, Reason: reason}}, nil
}

// Act decides a status action by name: activate (with active) or obsolete.
func (b *BillOfMaterials) Act(action, reason string, active ActiveBOMs) ([]Event, error) {
	switch action {
	case "activate":
		return b.Activate(active)
	case "obsolete":
		return b.Obsolete(reason)
	}
	return nil, &TransitionError{Entity: bomFlow.Entity, From: string(b.Status), Action: action}
}

// Apply folds a bill of materials event in.
func (b *BillOfMaterials) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case BillOfMaterialsCreated:
		*b = BillOfMaterials{ID: e.BOMID, SKU: e.SKU, Name: e.Name, Revision: e.Revision,
			Components: slices.Clone(e.Components), Status: BOMStatusDraft, CreatedAt: env.Time}
	case BillOfMaterialsUpdated:
		if e.Name != nil {
			b.Name = e.Name.To
		}
		if e.Revision != nil {
			b.Revision = e.Revision.To
		}
		if e.Components != nil {
			b.Components = slices.Clone(e.Components.To)
		}
	case BillOfMaterialsActivated:
		b.Status = BOMStatusActive
	case BillOfMaterialsObsoleted:
		b.Status = BOMStatusObsolete
	}
	b.Version = env.Version
	b.UpdatedAt = env.Time
}

// ---- Explosion ----

// BOMNode is one SKU in an exploded bill of materials: Quantity units needed in all, and,
// when the SKU has an active BOM of its own (BOMID), what they are made of.
type BOMNode struct {
	SKU        string    `json:"sku"`
	Quantity   int64     `json:"quantity"`
	BOMID      string    `json:"bom_id,omitempty"`
	Components []BOMNode `json:"components,omitempty"`
}

// BOMLeaf is one raw material of an explosion: a SKU without an active BOM, its quantity
// summed over every branch that needs it, and its cost.
type BOMLeaf struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	UnitCost int64  `json:"unit_cost"`
	Cost     int64  `json:"cost"`
}

// Explosion is a bill of materials exploded for a quantity: the tree, the raw materials
// (leaves, sorted by SKU) and their rolled-up cost.
type Explosion struct {
	BOMID     string    `json:"bom_id"`
	SKU       string    `json:"sku"`
	Quantity  int64     `json:"quantity"`
	Leaves    []BOMLeaf `json:"materials"`
	TotalCost int64     `json:"total_cost"`
	Tree      BOMNode   `json:"tree"`
}

// Explode multiplies quantity units of b through its components and, level by level,
// through every component's active BOM, summing a raw material needed by several
// branches. A cycle is a *ValidationError on components, a quantity over MaxQuantity at
// any node one on quantity.
func Explode(b *BillOfMaterials, quantity int64, active ActiveBOMs) (Explosion, error) {
	var v Validation
	v.Check(quantity > 0 && quantity <= maxQuantity, "quantity", "must be 1 to 1000000")
	if err := v.Err(); err != nil {
		return Explosion{}, err
	}
	leaves := map[string]int64{}
	var grow func(path []string, comps []BOMComponent, per int64) ([]BOMNode, error)
	grow = func(path []string, comps []BOMComponent, per int64) ([]BOMNode, error) {
		if len(path) > maxBOMDepth {
			return nil, &ValidationError{Fields: []FieldError{{Field: "components", Issue: "deeper than 20 levels: " + strings.Join(path, " -> ")}}}
		}
		nodes := make([]BOMNode, 0, len(comps))
		for _, c := range comps {
			if i := slices.Index(path, c.SKU); i >= 0 {
				return nil, &ValidationError{Fields: []FieldError{{Field: "components",
					Issue: "cycle: " + strings.Join(append(slices.Clone(path[i:]), c.SKU), " -> ")}}}
			}
			need, ok := MulQuantity(c.Quantity, per)
			if !ok {
				return nil, tooMany(c.SKU)
			}
			n := BOMNode{SKU: c.SKU, Quantity: need}
			if sub := active[c.SKU]; sub != nil {
				kids, err := grow(append(path, c.SKU), sub.Components, n.Quantity)
				if err != nil {
					return nil, err
				}
				n.BOMID, n.Components = sub.ID, kids
			} else {
				sum, ok := AddQuantity(leaves[c.SKU], n.Quantity)
				if !ok {
					return nil, tooMany(c.SKU)
				}
				leaves[c.SKU] = sum
			}
			nodes = append(nodes, n)
		}
		return nodes, nil
	}
	kids, err := grow([]string{b.SKU}, b.Components, quantity)
	if err != nil {
		return Explosion{}, err
	}
	x := Explosion{BOMID: b.ID, SKU: b.SKU, Quantity: quantity,
		Tree: BOMNode{SKU: b.SKU, Quantity: quantity, BOMID: b.ID, Components: kids}}
	for _, sku := range slices.Sorted(maps.Keys(leaves)) {
		x.Leaves = append(x.Leaves, BOMLeaf{SKU: sku, Quantity: leaves[sku]})
	}
	return x, nil
}

func tooMany(sku string) error {
	return &ValidationError{Fields: []FieldError{{Field: "quantity",
		Issue: "needs more than " + strconv.FormatInt(MaxQuantity, 10) + " units of " + sku}}}
}

// Cost prices the raw materials at unitCost (minor units per SKU; a SKU missing costs 0)
// and totals them. A material's cost or the total over MaxMoney (or a negative unit cost)
// is a *ValidationError on quantity, the one number the caller chose, and leaves x as it
// was.
func (x *Explosion) Cost(unitCost map[string]int64) error {
	leaves := slices.Clone(x.Leaves)
	var total int64
	for i := range leaves {
		l := &leaves[i]
		l.UnitCost = unitCost[l.SKU]
		cost, ok := MulMoney(l.Quantity, l.UnitCost)
		if ok {
			total, ok = AddMoney(total, cost)
		}
		if !ok {
			return &ValidationError{Fields: []FieldError{{Field: "quantity",
				Issue: "the materials would cost more than " + strconv.FormatInt(MaxMoney, 10) + " minor units (at " + l.SKU + ")"}}}
		}
		l.Cost = cost
	}
	x.Leaves, x.TotalCost = leaves, total
	return nil
}

func bomEvents(r *Registry) {
	Register[BillOfMaterialsCreated](r, "bill_of_materials", 1, nil)
	Register[BillOfMaterialsUpdated](r, "bill_of_materials", 1, nil)
	Register[BillOfMaterialsActivated](r, "bill_of_materials", 1, nil)
	Register[BillOfMaterialsObsoleted](r, "bill_of_materials", 1, nil)
}

// ---- Work orders ----

// WorkOrderStatus is where a work order is in its life.
type WorkOrderStatus string

const (
	WorkOrderStatusPlanned    WorkOrderStatus = "PLANNED"
	WorkOrderStatusReleased   WorkOrderStatus = "RELEASED"
	WorkOrderStatusInProgress WorkOrderStatus = "IN_PROGRESS"
	WorkOrderStatusOnHold     WorkOrderStatus = "ON_HOLD"
	WorkOrderStatusCompleted  WorkOrderStatus = "COMPLETED"
	WorkOrderStatusCancelled  WorkOrderStatus = "CANCELLED"
)

// WorkOrderStatuses lists every status, in life order.
var WorkOrderStatuses = []WorkOrderStatus{WorkOrderStatusPlanned, WorkOrderStatusReleased, WorkOrderStatusInProgress,
	WorkOrderStatusOnHold, WorkOrderStatusCompleted, WorkOrderStatusCancelled}

// WorkOrderActions are the status actions reachable over POST /work_orders/:id/<action>.
var WorkOrderActions = []string{"release", "start", "complete", "hold", "resume", "cancel"}

// WorkOrderPriorities are the priorities a work order may have; NORMAL is the default.
var WorkOrderPriorities = []string{"LOW", "NORMAL", "HIGH", "URGENT"}

// workOrderFlow is the work order state machine. "complete" leads to COMPLETED once the
// whole quantity is produced or scrapped; a smaller completion records progress and the
// order stays IN_PROGRESS (Complete decides). "resume" returns a held order to where it was.
var workOrderFlow = Flow[WorkOrderStatus]{Entity: "work order", Steps: []Step[WorkOrderStatus]{
	{WorkOrderStatusPlanned, "release", WorkOrderStatusReleased},
	{WorkOrderStatusReleased, "start", WorkOrderStatusInProgress},
	{WorkOrderStatusInProgress, "complete", WorkOrderStatusCompleted},
	{WorkOrderStatusPlanned, "hold", WorkOrderStatusOnHold},
	{WorkOrderStatusReleased, "hold", WorkOrderStatusOnHold},
	{WorkOrderStatusInProgress, "hold", WorkOrderStatusOnHold},
	{WorkOrderStatusOnHold, "resume", WorkOrderStatusOnHold},
	{WorkOrderStatusPlanned, "cancel", WorkOrderStatusCancelled},
	{WorkOrderStatusReleased, "cancel", WorkOrderStatusCancelled},
	{WorkOrderStatusInProgress, "cancel", WorkOrderStatusCancelled},
	{WorkOrderStatusOnHold, "cancel", WorkOrderStatusCancelled},
}}

// WorkOrderComponent is what one BOM line asks of stock for the whole work order:
// QuantityPer units per unit made, Required in all.
type WorkOrderComponent struct {
	LineID      string `json:"line_id"`
	SKU         string `json:"sku"`
	QuantityPer int64  `json:"quantity_per"`
	Required    int64  `json:"required"`
}

// ComponentUse is what one completion took of a component: Consumed for the good units,
// Scrapped for the scrapped ones.
type ComponentUse struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Consumed int64  `json:"consumed"`
	Scrapped int64  `json:"scrapped"`
}

// WorkOrder is the work order aggregate: make Quantity units of SKU at LocationID from
// the components of an active bill of materials (copied at creation, one level: a
// sub-assembly with its own BOM is a component made by its own work order).
type WorkOrder struct {
	ID               string               `json:"id"`
	WorkOrderNumber  string               `json:"work_order_number"`
	BOMID            string               `json:"bom_id"`
	SKU              string               `json:"sku"`
	Quantity         int64                `json:"quantity"`
	LocationID       string               `json:"location_id"`
	Priority         string               `json:"priority"`
	DueDate          string               `json:"due_date,omitempty"`
	Components       []WorkOrderComponent `json:"components"`
	Status           WorkOrderStatus      `json:"status"`
	HeldFrom         WorkOrderStatus      `json:"held_from,omitempty"`
	StockHeld        bool                 `json:"stock_held"` // components are reserved (released, not yet finished)
	QuantityProduced int64                `json:"quantity_produced"`
	ScrapQuantity    int64                `json:"scrap_quantity"`
	CreatedAt        time.Time            `json:"created_at"`
	UpdatedAt        time.Time            `json:"updated_at"`
	Version          int64                `json:"version"`
}

// Exists reports whether the work order has been created.
func (o *WorkOrder) Exists() bool { return o.Version > 0 }

// CurrentVersion is the work order's event count.
func (o *WorkOrder) CurrentVersion() int64 { return o.Version }

// Remaining is what is left to produce or scrap.
func (o *WorkOrder) Remaining() int64 { return o.Quantity - o.QuantityProduced - o.ScrapQuantity }

// Clone returns a deep copy, so a cached work order is never shared with a caller.
func (o *WorkOrder) Clone() *WorkOrder {
	cp := *o
	cp.Components = slices.Clone(o.Components)
	return &cp
}

// CreateWorkOrder plans a work order from BOM, which must be ACTIVE.
type CreateWorkOrder struct {
	WorkOrderID     string
	WorkOrderNumber string // e.g. WO-000001, chosen by the caller
	BOM             *BillOfMaterials
	Quantity        int64
	LocationID      string
	Priority        string // default NORMAL
	DueDate         string // RFC 3339 time or YYYY-MM-DD, optional
}

// CompleteWorkOrder records production: QuantityProduced good units and ScrapQuantity
// scrapped ones. Both zero means "all that remains, produced".
type CompleteWorkOrder struct {
	QuantityProduced int64
	ScrapQuantity    int64
}

// WorkOrderCreated: a work order was planned.
type WorkOrderCreated struct {
	WorkOrderID     string               `json:"work_order_id"`
	WorkOrderNumber string               `json:"work_order_number"`
	BOMID           string               `json:"bom_id"`
	SKU             string               `json:"sku"`
	Quantity        int64                `json:"quantity"`
	LocationID      string               `json:"location_id"`
	Priority        string               `json:"priority"`
	DueDate         string               `json:"due_date,omitempty"`
	Components      []WorkOrderComponent `json:"components"`
}

// WorkOrderReleased: the work order was released to the floor; it carries what the
// work-order-stock flow reserves, so the flow loads nothing.
type WorkOrderReleased struct {
	WorkOrderID string               `json:"work_order_id"`
	SKU         string               `json:"sku"`
	LocationID  string               `json:"location_id"`
	Components  []WorkOrderComponent `json:"components"`
}

// WorkOrderStarted: production began.
type WorkOrderStarted struct {
	WorkOrderID string `json:"work_order_id"`
}

// WorkOrderHeld: the work order was put on hold from status From.
type WorkOrderHeld struct {
	WorkOrderID string          `json:"work_order_id"`
	From        WorkOrderStatus `json:"from"`
	Reason      string          `json:"reason,omitempty"`
}

// WorkOrderResumed: a held work order went back to status To.
type WorkOrderResumed struct {
	WorkOrderID string          `json:"work_order_id"`
	To          WorkOrderStatus `json:"to"`
	Reason      string          `json:"reason,omitempty"`
}

// WorkOrderProductionRecorded: QuantityProduced good units were made and ScrapQuantity
// scrapped, using Components; the totals are after this completion. The work-order-stock
// flow consumes the components and puts the good units on hand.
type WorkOrderProductionRecorded struct {
	WorkOrderID      string         `json:"work_order_id"`
	SKU              string         `json:"sku"`
	LocationID       string         `json:"location_id"`
	QuantityProduced int64          `json:"quantity_produced"`
	ScrapQuantity    int64          `json:"scrap_quantity"`
	Components       []ComponentUse `json:"components"`
	TotalProduced    int64          `json:"total_produced"`
	TotalScrapped    int64          `json:"total_scrapped"`
}

// WorkOrderCompleted: the whole quantity was produced or scrapped.
type WorkOrderCompleted struct {
	WorkOrderID      string `json:"work_order_id"`
	SKU              string `json:"sku"`
	QuantityProduced int64  `json:"quantity_produced"`
	ScrapQuantity    int64  `json:"scrap_quantity"`
}

// WorkOrderCancelled: the work order was cancelled from status From; when StockHeld its
// components' reservations are to be released.
type WorkOrderCancelled struct {
	WorkOrderID string               `json:"work_order_id"`
	From        WorkOrderStatus      `json:"from"`
	Reason      string               `json:"reason,omitempty"`
	LocationID  string               `json:"location_id"`
	StockHeld   bool                 `json:"stock_held"`
	Components  []WorkOrderComponent `json:"components"`
}

func (WorkOrderCreated) EventType() string            { return "WorkOrderCreated" }
func (WorkOrderReleased) EventType() string           { return "WorkOrderReleased" }
func (WorkOrderStarted) EventType() string            { return "WorkOrderStarted" }
func (WorkOrderHeld) EventType() string               { return "WorkOrderHeld" }
func (WorkOrderResumed) EventType() string            { return "WorkOrderResumed" }
func (WorkOrderProductionRecorded) EventType() string { return "WorkOrderProductionRecorded" }
func (WorkOrderCompleted) EventType() string          { return "WorkOrderCompleted" }
func (WorkOrderCancelled) EventType() string          { return "WorkOrderCancelled" }

func workOrderEvents(r *Registry) {
	Register[WorkOrderCreated](r, "work_order", 1, nil)
	Register[WorkOrderReleased](r, "work_order", 1, nil)
	Register[WorkOrderStarted](r, "work_order", 1, nil)
	Register[WorkOrderHeld](r, "work_order", 1, nil)
	Register[WorkOrderResumed](r, "work_order", 1, nil)
	Register[WorkOrderProductionRecorded](r, "work_order", 1, nil)
	Register[WorkOrderCompleted](r, "work_order", 1, nil)
	Register[WorkOrderCancelled](r, "work_order", 1, nil)
}

// manufacturingEvents registers the events of bills of materials and work orders.
func manufacturingEvents(r *Registry) {
	bomEvents(r)
	workOrderEvents(r)
}

// Check records every invalid field of the creation in v.
func (cmd CreateWorkOrder) Check(v *Validation) {
	v.Check(ValidID(cmd.WorkOrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.WorkOrderNumber) != "" && len(cmd.WorkOrderNumber) <= 64, "work_order_number", "is required, at most 64 characters")
	switch b := cmd.BOM; {
	case b == nil || !b.Exists():
		v.Add("bom_id", "no such bill of materials")
	case b.Status != BOMStatusActive:
		v.Add("bom_id", "bill of materials "+b.ID+" is "+string(b.Status)+"; only ACTIVE ones can be made")
	}
	v.Check(cmd.Quantity > 0 && cmd.Quantity <= maxQuantity, "quantity", "must be 1 to 1000000")
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.Priority == "" || slices.Contains(WorkOrderPriorities, cmd.Priority), "priority", "must be one of LOW, NORMAL, HIGH, URGENT")
	v.Check(cmd.DueDate == "" || validDate(cmd.DueDate), "due_date", "must be an RFC 3339 time or a YYYY-MM-DD date")
}

func validDate(s string) bool {
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return true
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Create decides planning a work order: ErrAlreadyExists or a *ValidationError (bom_id
// for a BOM that is missing or not ACTIVE). The BOM's components are copied, so later
// BOMs do not change what this order needs.
func (o *WorkOrder) Create(cmd CreateWorkOrder) ([]Event, error) {
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "work order", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	comps := make([]WorkOrderComponent, len(cmd.BOM.Components))
	for i, c := range cmd.BOM.Components {
		required, ok := MulQuantity(c.Quantity, cmd.Quantity)
		if !ok {
			v.Add("quantity", "needs more than "+strconv.FormatInt(MaxQuantity, 10)+" units of "+c.SKU)
		}
		comps[i] = WorkOrderComponent{LineID: itoa(i + 1), SKU: c.SKU, QuantityPer: c.Quantity, Required: required}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WorkOrderCreated{WorkOrderID: cmd.WorkOrderID, WorkOrderNumber: cmd.WorkOrderNumber, BOMID: cmd.BOM.ID,
		SKU: cmd.BOM.SKU, Quantity: cmd.Quantity, LocationID: cmd.LocationID, Priority: cmp.Or(cmd.Priority, "NORMAL"),
		DueDate: cmd.DueDate, Components: comps}}, nil
}

// Release decides releasing a planned order. available is what each component SKU has
// available at the order's location (a SKU missing has none): if any component's
// requirement exceeds it, the answer is an *InsufficientStockError listing every short
// component, and nothing is decided.
func (o *WorkOrder) Release(available map[string]int64) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := workOrderFlow.Next(o.Status, "release"); err != nil {
		return nil, err
	}
	var short []Shortage
	for _, c := range o.Components {
		if a := available[c.SKU]; a < c.Required {
			short = append(short, Shortage{SKU: c.SKU, LocationID: o.LocationID, Requested: c.Required, Available: a})
		}
	}
	if len(short) > 0 {
		return nil, &InsufficientStockError{Shortages: short}
	}
	return []Event{WorkOrderReleased{WorkOrderID: o.ID, SKU: o.SKU, LocationID: o.LocationID,
		Components: slices.Clone(o.Components)}}, nil
}

// Complete decides recording production from IN_PROGRESS: ErrNotFound, a
// *TransitionError, or a *ValidationError when the quantities are negative or exceed what
// remains. It yields WorkOrderProductionRecorded, and WorkOrderCompleted as well when
// nothing remains after it.
func (o *WorkOrder) Complete(cmd CompleteWorkOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := workOrderFlow.Next(o.Status, "complete"); err != nil {
		return nil, err
	}
	if cmd.QuantityProduced == 0 && cmd.ScrapQuantity == 0 {
		cmd.QuantityProduced = o.Remaining()
	}
	var v Validation
	producedOK := cmd.QuantityProduced >= 0 && cmd.QuantityProduced <= MaxQuantity
	scrapOK := cmd.ScrapQuantity >= 0 && cmd.ScrapQuantity <= MaxQuantity
	v.Check(producedOK, "quantity_produced", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	v.Check(scrapOK, "scrap_quantity", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	if producedOK && scrapOK { // so their sum cannot wrap
		v.Check(cmd.QuantityProduced+cmd.ScrapQuantity <= o.Remaining(), "quantity_produced",
			fmt.Sprintf("quantity_produced + scrap_quantity must be at most the %d remaining", o.Remaining()))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	uses := make([]ComponentUse, len(o.Components))
	for i, c := range o.Components {
		// produced + scrapped ≤ Quantity, so each use is at most Required, which Create held
		// within MaxQuantity
		uses[i] = ComponentUse{LineID: c.LineID, SKU: c.SKU, Consumed: c.QuantityPer * cmd.QuantityProduced,
			Scrapped: c.QuantityPer * cmd.ScrapQuantity}
	}
	rec := WorkOrderProductionRecorded{WorkOrderID: o.ID, SKU: o.SKU, LocationID: o.LocationID,
		QuantityProduced: cmd.QuantityProduced, ScrapQuantity: cmd.ScrapQuantity, Components: uses,
		TotalProduced: o.QuantityProduced + cmd.QuantityProduced, TotalScrapped: o.ScrapQuantity + cmd.ScrapQuantity}
	events := []Event{rec}
	if rec.TotalProduced+rec.TotalScrapped == o.Quantity {
		events = append(events, WorkOrderCompleted{WorkOrderID: o.ID, SKU: o.SKU, QuantityProduced: rec.TotalProduced,
			ScrapQuantity: rec.TotalScrapped})
	}
	return events, nil
}

// Act decides a status action without arguments: start, hold, resume or cancel (reason is
// kept). release and complete need more and have their own methods; here they are a
// *TransitionError when the status refuses them and a *ValidationError otherwise.
func (o *WorkOrder) Act(action, reason string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := workOrderFlow.Next(o.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "start":
		return []Event{WorkOrderStarted{WorkOrderID: o.ID}}, nil
	case "hold":
		return []Event{WorkOrderHeld{WorkOrderID: o.ID, From: o.Status, Reason: reason}}, nil
	case "resume":
		return []Event{WorkOrderResumed{WorkOrderID: o.ID, To: o.HeldFrom, Reason: reason}}, nil
	case "cancel":
		return []Event{WorkOrderCancelled{WorkOrderID: o.ID, From: o.Status, Reason: reason, LocationID: o.LocationID,
			StockHeld: o.StockHeld, Components: slices.Clone(o.Components)}}, nil
	}
	return nil, &ValidationError{Fields: []FieldError{{Field: "action", Issue: action + " has its own command"}}}
}

// Apply folds a work order event in.
func (o *WorkOrder) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WorkOrderCreated:
		*o = WorkOrder{ID: e.WorkOrderID, WorkOrderNumber: e.WorkOrderNumber, BOMID: e.BOMID, SKU: e.SKU,
			Quantity: e.Quantity, LocationID: e.LocationID, Priority: e.Priority, DueDate: e.DueDate,
			Components: slices.Clone(e.Components), Status: WorkOrderStatusPlanned, CreatedAt: env.Time}
	case WorkOrderReleased:
		o.Status, o.StockHeld = WorkOrderStatusReleased, true
	case WorkOrderStarted:
		o.Status = WorkOrderStatusInProgress
	case WorkOrderHeld:
		o.Status, o.HeldFrom = WorkOrderStatusOnHold, e.From
	case WorkOrderResumed:
		o.Status, o.HeldFrom = e.To, ""
	case WorkOrderProductionRecorded:
		o.QuantityProduced, o.ScrapQuantity = e.TotalProduced, e.TotalScrapped
	case WorkOrderCompleted:
		o.Status, o.StockHeld = WorkOrderStatusCompleted, false
	case WorkOrderCancelled:
		o.Status, o.StockHeld, o.HeldFrom = WorkOrderStatusCancelled, false, ""
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}
