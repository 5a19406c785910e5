package domain

import (
	"maps"
	"testing"
)

func init() { maps.Copy(goldens, warehouseGoldens) }

// warehouseGoldens is one realistic value per warehouse event type (see goldens).
var warehouseGoldens = map[string]Event{
	"WarehouseCreated.v1": WarehouseCreated{WarehouseID: "reno", Code: "RNO", Name: "Reno DC",
		Address: &Address{ID: "adr_w1", Type: "PRIMARY", Street1: "1 Logistics Way", City: "Reno", State: "NV", PostalCode: "89502", Country: "US"},
		Bins:    []string{"A-01", "A-02"}},
	"WarehouseUpdated.v1": WarehouseUpdated{WarehouseID: "reno", Name: &Change{From: "Reno DC", To: "Reno West"},
		Bins: &IDsChange{From: []string{"A-01", "A-02"}, To: []string{"A-01", "A-02", "B-01"}}},
	"WarehouseStatusChanged.v1": WarehouseStatusChanged{WarehouseID: "reno", From: WarehouseStatusActive, To: WarehouseStatusInactive,
		Action: "deactivate", Reason: "lease ended"},
}

func TestEveryWarehouseStatusActionPair(t *testing.T) {
	allowed := map[WarehouseStatus]map[string]WarehouseStatus{
		WarehouseStatusActive:   {"update": WarehouseStatusActive, "deactivate": WarehouseStatusInactive},
		WarehouseStatusInactive: {"update": WarehouseStatusInactive, "activate": WarehouseStatusActive},
	}
	walk(t, WarehouseStatuses, append([]string{"update"}, WarehouseActions...), allowed,
		func(t *testing.T, s WarehouseStatus) *Warehouse {
			w := fold(&Warehouse{}, WarehouseCreated{WarehouseID: "w1", Code: "W1", Name: "One"})
			if s == WarehouseStatusInactive {
				fold(w, WarehouseStatusChanged{WarehouseID: "w1", From: WarehouseStatusActive, To: WarehouseStatusInactive})
			}
			return w
		},
		func(w *Warehouse) WarehouseStatus { return w.Status },
		func(w *Warehouse, action string) ([]Event, error) {
			if action == "update" {
				return w.Update(UpdateWarehouse{Name: ptr("Renamed")})
			}
			return w.Act(action, "")
		})
}
