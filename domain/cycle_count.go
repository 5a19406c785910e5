package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CycleCountStatus is where a cycle count is in its life.
type CycleCountStatus string

const (
	CycleCountStatusCreated    CycleCountStatus = "CREATED"
	CycleCountStatusInProgress CycleCountStatus = "IN_PROGRESS"
	CycleCountStatusCounted    CycleCountStatus = "COUNTED"
	CycleCountStatusReconciled CycleCountStatus = "RECONCILED"
	CycleCountStatusCancelled  CycleCountStatus = "CANCELLED"
)

// CycleCountStatuses lists every status, in life order.
var CycleCountStatuses = []CycleCountStatus{CycleCountStatusCreated, CycleCountStatusInProgress, CycleCountStatusCounted,
	CycleCountStatusReconciled, CycleCountStatusCancelled}

// CycleCountActions are the actions of POST /v1/cycle_counts/{id}/{action}.
var CycleCountActions = []string{"start", "submit", "reconcile", "cancel"}

var cycleCountFlow = Flow[CycleCountStatus]{Entity: "cycle count", Steps: []Step[CycleCountStatus]{
	{CycleCountStatusCreated, "start", CycleCountStatusInProgress},
	{CycleCountStatusInProgress, "submit", CycleCountStatusCounted},
	{CycleCountStatusCounted, "reconcile", CycleCountStatusReconciled},
	{CycleCountStatusCreated, "cancel", CycleCountStatusCancelled},
	{CycleCountStatusInProgress, "cancel", CycleCountStatusCancelled},
	{CycleCountStatusCounted, "cancel", CycleCountStatusCancelled},
}}

// CountLine is one SKU's count.
type CountLine struct {
	SKU     string `json:"sku"`
	Counted int64  `json:"counted"`
}

// CountVariance is one SKU's count against the item's on hand at reconciliation.
type CountVariance struct {
	SKU      string `json:"sku"`
	ItemID   string `json:"item_id"`
	OnHand   int64  `json:"on_hand"`
	Counted  int64  `json:"counted"`
	Variance int64  `json:"variance"` // counted - on hand: what reconcile posts (F8 as the backstop)
}

// CycleCount counts SKUs at one warehouse and posts the differences.
type CycleCount struct {
	ID          string           `json:"id"`
	WarehouseID string           `json:"warehouse_id"`
	SKUs        []string         `json:"skus"`
	Scheduled   string           `json:"scheduled_date,omitempty"` // when it is to be counted (a date or a time)
	Counts      []CountLine      `json:"counts,omitempty"`
	Variances   []CountVariance  `json:"variances,omitempty"`
	Status      CycleCountStatus `json:"status"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	Version     int64            `json:"version"`
}

// Exists reports whether the count has been created.
func (c *CycleCount) Exists() bool { return c.Version > 0 }

// CurrentVersion is the count's event count.
func (c *CycleCount) CurrentVersion() int64 { return c.Version }

// CreateCycleCount creates a cycle count.
type CreateCycleCount struct {
	CycleCountID string
	WarehouseID  string
	SKUs         []string
	Scheduled    string // optional: RFC 3339 time or YYYY-MM-DD
}

// Check validates the command.
func (cmd CreateCycleCount) Check(v *Validation) {
	v.Check(ValidID(cmd.CycleCountID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.WarehouseID), "warehouse_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.SKUs) > 0 && len(cmd.SKUs) <= 1000, "skus", "must hold 1 to 1000 SKUs")
	v.Check(cmd.Scheduled == "" || validDate(cmd.Scheduled), "scheduled_date", "must be an RFC 3339 time or a YYYY-MM-DD date")
	seen := map[string]bool{}
	for i, s := range cmd.SKUs {
		f := "skus[" + strconv.Itoa(i) + "]"
		CheckSKU(v, f, s)
		v.Check(!seen[s], f, "appears twice")
		seen[s] = true
	}
}

// Create decides the count's creation.
func (c *CycleCount) Create(cmd CreateCycleCount) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if c.Exists() {
		return nil, &AlreadyExistsError{Entity: "cycle count", Field: "id"}
	}
	return []Event{CycleCountCreated{CycleCountID: cmd.CycleCountID, WarehouseID: cmd.WarehouseID, SKUs: slices.Clone(cmd.SKUs),
		Scheduled: cmd.Scheduled}}, nil
}

// UpdateCycleCount moves a count's scheduled date; nil leaves it.
type UpdateCycleCount struct {
	Scheduled *string
}

// CycleCountUpdated: the count was rescheduled.
type CycleCountUpdated struct {
	CycleCountID string  `json:"cycle_count_id"`
	Scheduled    *string `json:"scheduled_date,omitempty"`
}

// Update decides a reschedule while the count is CREATED or IN_PROGRESS (else a
// *TransitionError); the same date, no event.
func (c *CycleCount) Update(cmd UpdateCycleCount) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if c.Status != CycleCountStatusCreated && c.Status != CycleCountStatusInProgress {
		return nil, &TransitionError{Entity: "cycle count", From: string(c.Status), Action: "update"}
	}
	var v Validation
	d := or(cmd.Scheduled, c.Scheduled)
	v.Check(d == "" || validDate(d), "scheduled_date", "must be an RFC 3339 time or a YYYY-MM-DD date")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := CycleCountUpdated{CycleCountID: c.ID, Scheduled: edited(&changed, c.Scheduled, cmd.Scheduled)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// Act decides start or cancel (submit and reconcile carry data: Submit, Reconcile).
func (c *CycleCount) Act(action, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := cycleCountFlow.Next(c.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "start":
		return []Event{CycleCountStarted{CycleCountID: c.ID}}, nil
	case "cancel":
		return []Event{CycleCountCancelled{CycleCountID: c.ID, From: c.Status, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "cycle count", From: string(c.Status), Action: action}
}

// Submit decides the counts: every SKU of the count exactly once, none negative.
func (c *CycleCount) Submit(counts []CountLine) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := cycleCountFlow.Next(c.Status, "submit"); err != nil {
		return nil, err
	}
	var v Validation
	seen := map[string]bool{}
	for i, l := range counts {
		f := "counts[" + strconv.Itoa(i) + "]."
		v.Check(slices.Contains(c.SKUs, l.SKU) && !seen[l.SKU], f+"sku", "is not a SKU of this count, or appears twice")
		seen[l.SKU] = true
		v.Check(l.Counted >= 0 && l.Counted <= MaxQuantity, f+"counted", "must be an integer from 0 to "+strconv.FormatInt(MaxQuantity, 10))
	}
	var missing []string
	for _, s := range c.SKUs {
		if !seen[s] {
			missing = append(missing, s)
		}
	}
	v.Check(len(missing) == 0, "counts", "misses "+strings.Join(missing, ", "))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{CycleCountSubmitted{CycleCountID: c.ID, Counts: slices.Clone(counts)}}, nil
}

// Reconcile decides the variances against items (by SKU) as they stand now. A count below
// an item's reserved stock is refused with an *InsufficientStockError listing each such
// SKU (Requested: reserved, Available: counted): release reservations first. A variance
// beyond ±MaxQuantity (only an item whose on hand predates the bound can make one) is a
// *ValidationError on the count's counts[i].counted.
func (c *CycleCount) Reconcile(items map[string]*InventoryItem) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := cycleCountFlow.Next(c.Status, "reconcile"); err != nil {
		return nil, err
	}
	var v Validation
	var short []Shortage
	var vs []CountVariance
	for i, l := range c.Counts {
		it := items[l.SKU]
		if it == nil {
			it = &InventoryItem{ID: InventoryItemID(l.SKU, c.WarehouseID), SKU: l.SKU, LocationID: c.WarehouseID}
		}
		if l.Counted < it.Reserved {
			short = append(short, Shortage{SKU: l.SKU, LocationID: c.WarehouseID, Requested: it.Reserved, Available: l.Counted})
			continue
		}
		variance, ok := SubQuantity(l.Counted, it.OnHand)
		if !ok {
			v.Add("counts["+strconv.Itoa(i)+"].counted", fmt.Sprintf("differs from the %d on hand by more than %d", it.OnHand, MaxQuantity))
			continue
		}
		vs = append(vs, CountVariance{SKU: l.SKU, ItemID: it.ID, OnHand: it.OnHand, Counted: l.Counted, Variance: variance})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(short) > 0 {
		return nil, &InsufficientStockError{Shortages: short}
	}
	return []Event{CycleCountReconciled{CycleCountID: c.ID, WarehouseID: c.WarehouseID, Variances: vs}}, nil
}

// Apply folds a cycle count event in.
func (c *CycleCount) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case CycleCountCreated:
		*c = CycleCount{ID: e.CycleCountID, WarehouseID: e.WarehouseID, SKUs: slices.Clone(e.SKUs), Scheduled: e.Scheduled,
			Status: CycleCountStatusCreated, CreatedAt: env.Time}
	case CycleCountUpdated:
		put(&c.Scheduled, e.Scheduled)
	case CycleCountStarted:
		c.Status = CycleCountStatusInProgress
	case CycleCountSubmitted:
		c.Status, c.Counts = CycleCountStatusCounted, slices.Clone(e.Counts)
	case CycleCountReconciled:
		c.Status, c.Variances = CycleCountStatusReconciled, slices.Clone(e.Variances)
	case CycleCountCancelled:
		c.Status = CycleCountStatusCancelled
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (c *CycleCount) Clone() *CycleCount {
	cp := *c
	cp.SKUs = slices.Clone(c.SKUs)
	cp.Counts = slices.Clone(c.Counts)
	cp.Variances = slices.Clone(c.Variances)
	return &cp
}

// CycleCountCreated: SKUs at a warehouse are to be counted.
type CycleCountCreated struct {
	CycleCountID string   `json:"cycle_count_id"`
	WarehouseID  string   `json:"warehouse_id"`
	SKUs         []string `json:"skus"`
	Scheduled    string   `json:"scheduled_date,omitempty"`
}

// CycleCountStarted: counting began.
type CycleCountStarted struct {
	CycleCountID string `json:"cycle_count_id"`
}

// CycleCountSubmitted: the counts were entered.
type CycleCountSubmitted struct {
	CycleCountID string      `json:"cycle_count_id"`
	Counts       []CountLine `json:"counts"`
}

// CycleCountReconciled: the counts were compared with on hand and each non-zero variance
// posted as a cycle_count movement (by reconcile, before this event; F8 is the backstop).
type CycleCountReconciled struct {
	CycleCountID string          `json:"cycle_count_id"`
	WarehouseID  string          `json:"warehouse_id"`
	Variances    []CountVariance `json:"variances"`
}

// CycleCountCancelled: the count was abandoned.
type CycleCountCancelled struct {
	CycleCountID string           `json:"cycle_count_id"`
	From         CycleCountStatus `json:"from"`
	Reason       string           `json:"reason,omitempty"`
}

func (CycleCountCreated) EventType() string    { return "CycleCountCreated" }
func (CycleCountUpdated) EventType() string    { return "CycleCountUpdated" }
func (CycleCountStarted) EventType() string    { return "CycleCountStarted" }
func (CycleCountSubmitted) EventType() string  { return "CycleCountSubmitted" }
func (CycleCountReconciled) EventType() string { return "CycleCountReconciled" }
func (CycleCountCancelled) EventType() string  { return "CycleCountCancelled" }

func cycleCountEvents(r *Registry) {
	Register[CycleCountCreated](r, "cycle_count", 1, nil)
	Register[CycleCountUpdated](r, "cycle_count", 1, nil)
	Register[CycleCountStarted](r, "cycle_count", 1, nil)
	Register[CycleCountSubmitted](r, "cycle_count", 1, nil)
	Register[CycleCountReconciled](r, "cycle_count", 1, nil)
	Register[CycleCountCancelled](r, "cycle_count", 1, nil)
}
