package domain

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
