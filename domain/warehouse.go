package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Warehouse operations: warehouses (the inventory locations), pick lists, shipments,
// transfers between warehouses and cycle counts. Stock itself stays on the inventory
// items; these documents say why it moves, and flows move it (F6 transfers; a count's
// reconcile posts its variances itself, F8 being the backstop).

// WarehouseStatus is whether a warehouse is in use.
type WarehouseStatus string

const (
	WarehouseStatusActive   WarehouseStatus = "ACTIVE"
	WarehouseStatusInactive WarehouseStatus = "INACTIVE"
)

// WarehouseStatuses lists every status.
var WarehouseStatuses = []WarehouseStatus{WarehouseStatusActive, WarehouseStatusInactive}

// WarehouseActions are the status actions of POST /v1/warehouses/{id}/{action}.
var WarehouseActions = []string{"activate", "deactivate"}

var warehouseFlow = Flow[WarehouseStatus]{Entity: "warehouse", Steps: []Step[WarehouseStatus]{
	{WarehouseStatusActive, "update", WarehouseStatusActive},
	{WarehouseStatusInactive, "update", WarehouseStatusInactive},
	{WarehouseStatusActive, "deactivate", WarehouseStatusInactive},
	{WarehouseStatusInactive, "activate", WarehouseStatusActive},
}}

// Warehouse is a stock location: its id is the location_id of the inventory items kept
// there. Its address is a business address, not personal data.
type Warehouse struct {
	ID        string          `json:"id"`
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Address   *Address        `json:"address,omitempty"`
	Bins      []string        `json:"bins,omitempty"`
	Status    WarehouseStatus `json:"status"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Version   int64           `json:"version"`
	// the floor (warehouse_floor.go): equipment in the order registered, staff in the
	// order they joined the roster
	Equipment []WarehouseEquipment `json:"equipment,omitempty"`
	Staff     []WarehouseStaff     `json:"staff,omitempty"`
}

// Exists reports whether the warehouse has been created.
func (w *Warehouse) Exists() bool { return w.Version > 0 }

// CurrentVersion is the warehouse's event count.
func (w *Warehouse) CurrentVersion() int64 { return w.Version }

// CreateWarehouse creates an ACTIVE warehouse; an empty Code is the id.
type CreateWarehouse struct {
	WarehouseID string
	Code        string
	Name        string
	Address     *Address
	Bins        []string
}

// Check validates the command.
func (cmd CreateWarehouse) Check(v *Validation) {
	v.Check(ValidID(cmd.WarehouseID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.Name) != "" && len(cmd.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(len(cmd.Code) <= 64, "code", "must be at most 64 characters")
	checkOptionalAddress(v, "address", cmd.Address)
	checkBins(v, cmd.Bins)
}

func checkBins(v *Validation, bins []string) {
	v.Check(len(bins) <= 10_000, "bins", "must hold at most 10000 bins")
	seen := map[string]bool{}
	for i, b := range bins {
		v.Check(b != "" && len(b) <= 64 && !seen[b], "bins["+strconv.Itoa(i)+"]", "must be 1 to 64 characters and appear once")
		seen[b] = true
	}
}

// UpdateWarehouse changes the fields that are set; nil leaves a field alone.
type UpdateWarehouse struct {
	Code    *string
	Name    *string
	Address *Address
	Bins    *[]string
}

// Check validates the command.
func (cmd UpdateWarehouse) Check(v *Validation) {
	if cmd.Name != nil {
		v.Check(strings.TrimSpace(*cmd.Name) != "" && len(*cmd.Name) <= 200, "name", "is required, at most 200 characters")
	}
	if cmd.Code != nil {
		v.Check(*cmd.Code != "" && len(*cmd.Code) <= 64, "code", "must be 1 to 64 characters")
	}
	checkOptionalAddress(v, "address", cmd.Address)
	if cmd.Bins != nil {
		checkBins(v, *cmd.Bins)
	}
}

// Create decides the warehouse's creation.
func (w *Warehouse) Create(cmd CreateWarehouse) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if w.Exists() {
		return nil, &AlreadyExistsError{Entity: "warehouse", Field: "id"}
	}
	if cmd.Code == "" {
		cmd.Code = cmd.WarehouseID
	}
	return []Event{WarehouseCreated{WarehouseID: cmd.WarehouseID, Code: cmd.Code, Name: cmd.Name, Address: cmd.Address,
		Bins: slices.Clone(cmd.Bins)}}, nil
}

// Update decides an edit; no change yields no event.
func (w *Warehouse) Update(cmd UpdateWarehouse) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if _, err := warehouseFlow.Next(w.Status, "update"); err != nil {
		return nil, err
	}
	e := WarehouseUpdated{WarehouseID: w.ID}
	if cmd.Code != nil && *cmd.Code != w.Code {
		e.Code = &Change{From: w.Code, To: *cmd.Code}
	}
	if cmd.Name != nil && *cmd.Name != w.Name {
		e.Name = &Change{From: w.Name, To: *cmd.Name}
	}
	if cmd.Address != nil && (w.Address == nil || *w.Address != *cmd.Address) {
		e.Address = cmd.Address
	}
	if cmd.Bins != nil && !slices.Equal(*cmd.Bins, w.Bins) {
		if z := w.staffedZones(*cmd.Bins); len(z) > 0 {
			return nil, &ValidationError{Fields: []FieldError{{"bins", "keeps the zones staff work in (" + strings.Join(z, ", ") + "): reassign them first"}}}
		}
		e.Bins = &IDsChange{From: w.Bins, To: slices.Clone(*cmd.Bins)}
	}
	if e.Code == nil && e.Name == nil && e.Address == nil && e.Bins == nil {
		return nil, nil
	}
	return []Event{e}, nil
}

// Act decides activate or deactivate. An inactive warehouse keeps its stock; it is only
// marked (see docs/API.md).
func (w *Warehouse) Act(action, reason string) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if action == "update" {
		return nil, &TransitionError{Entity: "warehouse", From: string(w.Status), Action: action}
	}
	next, err := warehouseFlow.Next(w.Status, action)
	if err != nil {
		return nil, err
	}
	return []Event{WarehouseStatusChanged{WarehouseID: w.ID, From: w.Status, To: next, Action: action, Reason: reason}}, nil
}

// Apply folds a warehouse event in.
func (w *Warehouse) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WarehouseCreated:
		*w = Warehouse{ID: e.WarehouseID, Code: e.Code, Name: e.Name, Address: e.Address, Bins: slices.Clone(e.Bins),
			Status: WarehouseStatusActive, CreatedAt: env.Time}
	case WarehouseUpdated:
		if e.Code != nil {
			w.Code = e.Code.To
		}
		if e.Name != nil {
			w.Name = e.Name.To
		}
		if e.Address != nil {
			w.Address = e.Address
		}
		if e.Bins != nil {
			w.Bins = slices.Clone(e.Bins.To)
		}
	case WarehouseStatusChanged:
		w.Status = e.To
	default:
		w.applyFloor(e)
	}
	w.Version = env.Version
	w.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (w *Warehouse) Clone() *Warehouse {
	cp := *w
	cp.Bins = slices.Clone(w.Bins)
	cp.Equipment, cp.Staff = slices.Clone(w.Equipment), slices.Clone(w.Staff)
	if w.Address != nil {
		a := *w.Address
		cp.Address = &a
	}
	return &cp
}

// WarehouseCreated: a stock location was opened.
type WarehouseCreated struct {
	WarehouseID string   `json:"warehouse_id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Address     *Address `json:"address,omitempty"`
	Bins        []string `json:"bins,omitempty"`
}

// WarehouseUpdated: details changed; only changed fields are present.
type WarehouseUpdated struct {
	WarehouseID string     `json:"warehouse_id"`
	Code        *Change    `json:"code,omitempty"`
	Name        *Change    `json:"name,omitempty"`
	Address     *Address   `json:"address,omitempty"`
	Bins        *IDsChange `json:"bins,omitempty"`
}

// WarehouseStatusChanged: a warehouse was activated or deactivated.
type WarehouseStatusChanged struct {
	WarehouseID string          `json:"warehouse_id"`
	From        WarehouseStatus `json:"from"`
	To          WarehouseStatus `json:"to"`
	Action      string          `json:"action"`
	Reason      string          `json:"reason,omitempty"`
}

func (WarehouseCreated) EventType() string       { return "WarehouseCreated" }
func (WarehouseUpdated) EventType() string       { return "WarehouseUpdated" }
func (WarehouseStatusChanged) EventType() string { return "WarehouseStatusChanged" }

func warehouseEvents(r *Registry) {
	Register[WarehouseCreated](r, "warehouse", 1, nil)
	Register[WarehouseUpdated](r, "warehouse", 1, nil)
	Register[WarehouseStatusChanged](r, "warehouse", 1, nil)
	warehouseFloorEvents(r)
}
