package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// What a warehouse keeps of its floor: the equipment register (forklifts, scanners,
// conveyors), each with its status, and the staff roster, each person with the zone (one
// of its bins) they work. Neither moves stock; a pick list names its picker as before.
// Staff are ids of the business's people system with a role: no names are kept, which
// would be personal data.

// EquipmentStatus is whether a piece of equipment can be used.
type EquipmentStatus string

const (
	EquipmentStatusAvailable    EquipmentStatus = "AVAILABLE"
	EquipmentStatusInUse        EquipmentStatus = "IN_USE"
	EquipmentStatusMaintenance  EquipmentStatus = "MAINTENANCE"
	EquipmentStatusOutOfService EquipmentStatus = "OUT_OF_SERVICE"
)

// EquipmentStatuses lists every equipment status.
var EquipmentStatuses = []EquipmentStatus{EquipmentStatusAvailable, EquipmentStatusInUse, EquipmentStatusMaintenance, EquipmentStatusOutOfService}

// Bounds of the floor record, so one warehouse's document stays small.
const (
	maxEquipment = 1000
	maxStaff     = 1000
)

// WarehouseEquipment is one piece of equipment of the register.
type WarehouseEquipment struct {
	ID          string          `json:"id"`
	Type        string          `json:"type,omitempty"`
	Status      EquipmentStatus `json:"status"`
	Notes       string          `json:"notes,omitempty"`
	StatusSince time.Time       `json:"status_since"` // when it took its status
}

// WarehouseStaff is one person of the roster and the zone they work.
type WarehouseStaff struct {
	ID         string    `json:"id"`
	Role       string    `json:"role,omitempty"`
	Zone       string    `json:"zone"`
	AssignedAt time.Time `json:"assigned_at"` // when they took the zone
}

// SetWarehouseEquipment reports a piece of equipment's status, registering it when new;
// an empty Type or nil Notes keeps what the register has.
type SetWarehouseEquipment struct {
	ID     string
	Type   string
	Status EquipmentStatus
	Notes  *string
}

// SetEquipment decides a status report of a warehouse's equipment, in any status of the
// warehouse (a closed one's machines are still serviced). Nothing changed, no event.
func (w *Warehouse) SetEquipment(cmd SetWarehouseEquipment, now time.Time) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	i := slices.IndexFunc(w.Equipment, func(e WarehouseEquipment) bool { return e.ID == cmd.ID })
	var v Validation
	v.Check(ValidID(cmd.ID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(slices.Contains(EquipmentStatuses, cmd.Status), "status", "must be AVAILABLE, IN_USE, MAINTENANCE or OUT_OF_SERVICE")
	v.Check(len(cmd.Type) <= 64, "type", "at most 64 characters")
	v.Check(cmd.Notes == nil || len(*cmd.Notes) <= 1000, "notes", "at most 1000 characters")
	v.Check(i >= 0 || len(w.Equipment) < maxEquipment, "id", "a warehouse registers at most "+strconv.Itoa(maxEquipment)+" pieces of equipment")
	if err := v.Err(); err != nil {
		return nil, err
	}
	next := WarehouseEquipment{ID: cmd.ID, Type: cmd.Type, Status: cmd.Status, Notes: or(cmd.Notes, ""), StatusSince: now.UTC()}
	e := WarehouseEquipmentSet{WarehouseID: w.ID}
	if i >= 0 {
		cur := w.Equipment[i]
		next.Type, next.Notes = cmp.Or(cmd.Type, cur.Type), or(cmd.Notes, cur.Notes)
		if cur.Status == next.Status {
			next.StatusSince = cur.StatusSince
		}
		if next == cur {
			return nil, nil
		}
		e.From = cur.Status
	}
	e.Equipment = next
	return []Event{e}, nil
}

// AssignWarehouseStaff puts a person of the roster in a zone, adding them when new; an
// empty Role keeps the roster's.
type AssignWarehouseStaff struct {
	ID   string
	Zone string
	Role string
}

// AssignStaff decides assigning a person to one of an ACTIVE warehouse's zones (its bins).
// The same zone and role again is no change, no event.
func (w *Warehouse) AssignStaff(cmd AssignWarehouseStaff, now time.Time) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if w.Status != WarehouseStatusActive {
		return nil, &TransitionError{Entity: "warehouse", From: string(w.Status), Action: "assign_staff"}
	}
	i := slices.IndexFunc(w.Staff, func(s WarehouseStaff) bool { return s.ID == cmd.ID })
	var v Validation
	v.Check(ValidID(cmd.ID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(slices.Contains(w.Bins, cmd.Zone), "zone", "the warehouse has no zone (bin) "+strconv.Quote(cmd.Zone))
	v.Check(len(cmd.Role) <= 64, "role", "at most 64 characters")
	v.Check(i >= 0 || len(w.Staff) < maxStaff, "id", "a warehouse's roster holds at most "+strconv.Itoa(maxStaff)+" people")
	if err := v.Err(); err != nil {
		return nil, err
	}
	next := WarehouseStaff{ID: cmd.ID, Role: cmd.Role, Zone: cmd.Zone, AssignedAt: now.UTC()}
	e := WarehouseStaffAssigned{WarehouseID: w.ID}
	if i >= 0 {
		cur := w.Staff[i]
		next.Role = cmp.Or(cmd.Role, cur.Role)
		if cur.Zone == next.Zone {
			next.AssignedAt = cur.AssignedAt
		}
		if next == cur {
			return nil, nil
		}
		e.FromZone = cur.Zone
	}
	e.Staff = next
	return []Event{e}, nil
}

// ReleaseStaff decides taking a person off the roster.
func (w *Warehouse) ReleaseStaff(id string) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if !slices.ContainsFunc(w.Staff, func(s WarehouseStaff) bool { return s.ID == id }) {
		return nil, fmt.Errorf("warehouse %s staff %s: %w", w.ID, id, ErrNotFound)
	}
	return []Event{WarehouseStaffReleased{WarehouseID: w.ID, StaffID: id}}, nil
}

// staffedZones are the zones of bins that someone works, which an update cannot remove.
func (w *Warehouse) staffedZones(bins []string) []string {
	var out []string
	for _, s := range w.Staff {
		if !slices.Contains(bins, s.Zone) && !slices.Contains(out, s.Zone) {
			out = append(out, s.Zone)
		}
	}
	return out
}

// WarehouseEquipmentSet: a piece of equipment's status was reported (From: the one
// before; empty when it was registered by this report).
type WarehouseEquipmentSet struct {
	WarehouseID string             `json:"warehouse_id"`
	Equipment   WarehouseEquipment `json:"equipment"`
	From        EquipmentStatus    `json:"from,omitempty"`
}

// WarehouseStaffAssigned: a person was put in a zone (FromZone: the one before; empty
// when they joined the roster).
type WarehouseStaffAssigned struct {
	WarehouseID string         `json:"warehouse_id"`
	Staff       WarehouseStaff `json:"staff"`
	FromZone    string         `json:"from_zone,omitempty"`
}

// WarehouseStaffReleased: a person left the roster.
type WarehouseStaffReleased struct {
	WarehouseID string `json:"warehouse_id"`
	StaffID     string `json:"staff_id"`
}

// applyFloor folds the floor events in; false for any other event.
func (w *Warehouse) applyFloor(event Event) bool {
	switch e := event.(type) {
	case WarehouseEquipmentSet:
		w.Equipment = replaced(w.Equipment, e.Equipment, func(x WarehouseEquipment) bool { return x.ID == e.Equipment.ID })
	case WarehouseStaffAssigned:
		w.Staff = replaced(w.Staff, e.Staff, func(x WarehouseStaff) bool { return x.ID == e.Staff.ID })
	case WarehouseStaffReleased:
		w.Staff = slices.DeleteFunc(slices.Clone(w.Staff), func(s WarehouseStaff) bool { return s.ID == e.StaffID })
	default:
		return false
	}
	return true
}

// replaced is list with the element same matches replaced by x in place, or x appended,
// in a new slice (a folded aggregate never shares its lists with a copy).
func replaced[T any](list []T, x T, same func(T) bool) []T {
	out := slices.Clone(list)
	if i := slices.IndexFunc(out, same); i >= 0 {
		out[i] = x
		return out
	}
	return append(out, x)
}

func (WarehouseEquipmentSet) EventType() string  { return "WarehouseEquipmentSet" }
func (WarehouseStaffAssigned) EventType() string { return "WarehouseStaffAssigned" }
func (WarehouseStaffReleased) EventType() string { return "WarehouseStaffReleased" }

func warehouseFloorEvents(r *Registry) {
	Register[WarehouseEquipmentSet](r, "warehouse", 1, nil)
	Register[WarehouseStaffAssigned](r, "warehouse", 1, nil)
	Register[WarehouseStaffReleased](r, "warehouse", 1, nil)
}
