package domain

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, warehouseFloorGoldens) }

// warehouseFloorGoldens is one realistic value per warehouse floor event type (see goldens).
var warehouseFloorGoldens = map[string]Event{
	"WarehouseEquipmentSet.v1": WarehouseEquipmentSet{WarehouseID: "reno", From: EquipmentStatusAvailable,
		Equipment: WarehouseEquipment{ID: "forklift-1", Type: "forklift", Status: EquipmentStatusMaintenance, Notes: "hydraulics", StatusSince: t0}},
	"WarehouseStaffAssigned.v1": WarehouseStaffAssigned{WarehouseID: "reno", FromZone: "A-01",
		Staff: WarehouseStaff{ID: "emp-42", Role: "picker", Zone: "A-02", AssignedAt: t0}},
	"WarehouseStaffReleased.v1": WarehouseStaffReleased{WarehouseID: "reno", StaffID: "emp-42"},
}

func floorWarehouse(status WarehouseStatus) *Warehouse {
	w := fold(&Warehouse{}, WarehouseCreated{WarehouseID: "w1", Code: "W1", Name: "One", Bins: []string{"A1", "B1"}})
	if status == WarehouseStatusInactive {
		fold(w, WarehouseStatusChanged{WarehouseID: "w1", From: WarehouseStatusActive, To: WarehouseStatusInactive})
	}
	return w
}

func TestWarehouseEquipment(t *testing.T) {
	t1 := t0.Add(time.Hour)
	w := floorWarehouse(WarehouseStatusInactive) // a closed warehouse's machines are serviced too
	got, err := w.SetEquipment(SetWarehouseEquipment{ID: "fl1", Type: "forklift", Status: EquipmentStatusAvailable}, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{WarehouseEquipmentSet{WarehouseID: "w1", Equipment: WarehouseEquipment{ID: "fl1", Type: "forklift",
		Status: EquipmentStatusAvailable, StatusSince: t0}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("registered (-want +got):\n%s", diff)
	}
	fold(w, got...)
	// the same report again: nothing; a type left out keeps the register's
	if got, err := w.SetEquipment(SetWarehouseEquipment{ID: "fl1", Status: EquipmentStatusAvailable}, t1); err != nil || got != nil {
		t.Fatalf("the same status again: %v %v", got, err)
	}
	got, err = w.SetEquipment(SetWarehouseEquipment{ID: "fl1", Status: EquipmentStatusMaintenance, Notes: ptr("hydraulics")}, t1)
	want = []Event{WarehouseEquipmentSet{WarehouseID: "w1", From: EquipmentStatusAvailable, Equipment: WarehouseEquipment{ID: "fl1",
		Type: "forklift", Status: EquipmentStatusMaintenance, Notes: "hydraulics", StatusSince: t1}}}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Fatalf("status change (-want +got):\n%s %v", diff, err)
	}
	fold(w, got...)
	// notes alone change; the status keeps its time
	got, _ = w.SetEquipment(SetWarehouseEquipment{ID: "fl1", Status: EquipmentStatusMaintenance, Notes: ptr("parts ordered")}, t1.Add(time.Hour))
	if fold(w, got...); w.Equipment[0].StatusSince != t1 || w.Equipment[0].Notes != "parts ordered" || len(w.Equipment) != 1 {
		t.Fatalf("register %+v", w.Equipment)
	}
	for _, c := range []struct {
		name  string
		cmd   SetWarehouseEquipment
		field string
	}{
		{"lower-case status", SetWarehouseEquipment{ID: "fl2", Status: "available"}, "status"},
		{"no status", SetWarehouseEquipment{ID: "fl2"}, "status"},
		{"bad id", SetWarehouseEquipment{ID: "fork lift", Status: EquipmentStatusAvailable}, "id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.SetEquipment(c.cmd, t0)
			if ve := (*ValidationError)(nil); !errors.As(err, &ve) || ve.Fields[0].Field != c.field {
				t.Fatalf("got %v, want a ValidationError on %s", err, c.field)
			}
		})
	}
}

func TestWarehouseStaff(t *testing.T) {
	t1 := t0.Add(time.Hour)
	w := floorWarehouse(WarehouseStatusActive)
	got, err := w.AssignStaff(AssignWarehouseStaff{ID: "emp1", Zone: "A1", Role: "picker"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	fold(w, got...)
	if got, err := w.AssignStaff(AssignWarehouseStaff{ID: "emp1", Zone: "A1"}, t1); err != nil || got != nil {
		t.Fatalf("the same zone again: %v %v", got, err)
	}
	got, err = w.AssignStaff(AssignWarehouseStaff{ID: "emp1", Zone: "B1"}, t1)
	want := []Event{WarehouseStaffAssigned{WarehouseID: "w1", FromZone: "A1", Staff: WarehouseStaff{ID: "emp1", Role: "picker", Zone: "B1", AssignedAt: t1}}}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Fatalf("moved (-want +got):\n%s %v", diff, err)
	}
	fold(w, got...)
	if _, err := w.AssignStaff(AssignWarehouseStaff{ID: "emp2", Zone: "C9"}, t1); !errors.As(err, new(*ValidationError)) {
		t.Fatalf("a zone the warehouse lacks: %v", err)
	}
	// a zone someone works cannot leave the bins
	if _, err := w.Update(UpdateWarehouse{Bins: &[]string{"A1"}}); !errors.As(err, new(*ValidationError)) {
		t.Fatalf("removing a staffed zone: %v", err)
	}
	if _, err := w.Update(UpdateWarehouse{Bins: &[]string{"B1", "C1"}}); err != nil {
		t.Fatalf("removing an empty zone: %v", err)
	}
	got, err = w.ReleaseStaff("emp1")
	if err != nil {
		t.Fatal(err)
	}
	if fold(w, got...); len(w.Staff) != 0 {
		t.Fatalf("released, still on the roster: %+v", w.Staff)
	}
	if _, err := w.ReleaseStaff("emp1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("releasing someone not on the roster: %v", err)
	}
	closed := floorWarehouse(WarehouseStatusInactive)
	if _, err := closed.AssignStaff(AssignWarehouseStaff{ID: "emp1", Zone: "A1"}, t0); !errors.As(err, new(*TransitionError)) {
		t.Fatalf("staff for a closed warehouse: %v", err)
	}
	// a folded copy never shares its lists
	a := floorWarehouse(WarehouseStatusActive)
	fold(a, WarehouseStaffAssigned{WarehouseID: "w1", Staff: WarehouseStaff{ID: "e", Zone: "A1"}})
	b := a.Clone()
	fold(b, WarehouseStaffAssigned{WarehouseID: "w1", Staff: WarehouseStaff{ID: "e", Zone: "B1"}})
	if a.Staff[0].Zone != "A1" {
		t.Fatal("a clone's fold changed the original")
	}
}
