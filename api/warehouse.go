package api

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// Warehouse operations: /v1/warehouses, /v1/pick_lists, /v1/shipments, /v1/transfers,
// /v1/cycle_counts and POST /v1/inventory/transfer.

// ---- Warehouses ----

type warehouseJSON struct {
	ID      string          `json:"id"`
	Code    string          `json:"code"`
	Name    string          `json:"name"`
	Address *domain.Address `json:"address"`
	Bins    []string        `json:"bins"`
	Status  string          `json:"status"`
	// the floor: equipment with its status, staff with the zone (bin) each works
	Equipment []domain.WarehouseEquipment `json:"equipment"`
	Staff     []domain.WarehouseStaff     `json:"staff"`
	CreatedAt string                      `json:"created_at"`
	UpdatedAt string                      `json:"updated_at"`
	Version   int64                       `json:"version"`
}

func warehouseOf(w *domain.Warehouse) warehouseJSON {
	return warehouseJSON{ID: w.ID, Code: w.Code, Name: w.Name, Address: w.Address, Bins: nonNil(w.Bins),
		Status: string(w.Status), Equipment: nonNil(w.Equipment), Staff: nonNil(w.Staff),
		CreatedAt: rfc3339(w.CreatedAt), UpdatedAt: rfc3339(w.UpdatedAt), Version: w.Version}
}

// createWarehouseRequest is the body of POST /v1/warehouses.
type createWarehouseRequest struct {
	ID      string        `json:"id,omitempty"`
	Code    string        `json:"code,omitempty"`
	Name    string        `json:"name,omitempty"`
	Bins    []string      `json:"bins,omitempty"`
	Address *addressInput `json:"address,omitempty"`
}

func (s *Server) createWarehouse(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateWarehouse
	create(s, w, r, "/v1/warehouses/", func(w *domain.Warehouse) string { return w.ID }, warehouseOf, func(o *object) {
		in := createWarehouseRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreateWarehouse{WarehouseID: in.ID, Code: in.Code, Name: in.Name, Bins: in.Bins,
			Address: warehouseAddress(o, in.Address)}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Warehouse], error) {
		return s.cmd.Warehouse().CreateWarehouse(r.Context(), cmd, opts...)
	})
}

// updateWarehouseRequest is the body of PUT /v1/warehouses/{id}: each field given is
// replaced whole (bins given as null are emptied).
type updateWarehouseRequest struct {
	Code    *string       `json:"code,omitempty"`
	Name    *string       `json:"name,omitempty"`
	Address *addressInput `json:"address,omitempty"`
	Bins    []string      `json:"bins,omitempty"`
}

// updateWarehouse is PUT /v1/warehouses/{id}: code, name, address, bins (each replaced whole).
func (s *Server) updateWarehouse(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateWarehouse
	command(s, w, r, warehouseOf, func(o *object) {
		var in updateWarehouseRequest
		o.fill(&in)
		cmd = domain.UpdateWarehouse{Code: in.Code, Name: in.Name, Address: warehouseAddress(o, in.Address)}
		if o.has("bins") {
			bins := nonNil(in.Bins)
			cmd.Bins = &bins
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Warehouse], error) {
		return s.cmd.Warehouse().UpdateWarehouse(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// warehouseAddress is a warehouse request's address as its command takes it: nil when
// absent, or when it did not decode (its problems are reported; checking what did decode
// of it would report more).
func warehouseAddress(o *object, in *addressInput) *domain.Address {
	if in == nil || decodeStrict(o.raw["address"], new(addressInput)) != nil {
		return nil
	}
	a := in.address()
	return &a
}

// equipmentRequest is the body of PUT /v1/warehouses/{id}/equipment/{equipment}.
type equipmentRequest struct {
	Status string  `json:"status,omitempty" enum:"AVAILABLE,IN_USE,MAINTENANCE,OUT_OF_SERVICE"`
	Type   string  `json:"type,omitempty"`
	Notes  *string `json:"notes,omitempty"`
}

// setWarehouseEquipment reports a piece of equipment's status, registering it when new.
func (s *Server) setWarehouseEquipment(w http.ResponseWriter, r *http.Request) {
	var in equipmentRequest
	command(s, w, r, warehouseOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Warehouse], error) {
		return s.cmd.Warehouse().SetWarehouseEquipment(r.Context(), mux.Vars(r)["id"], domain.SetWarehouseEquipment{
			ID: mux.Vars(r)["equipment"], Type: in.Type, Status: domain.EquipmentStatus(in.Status), Notes: in.Notes}, opts...)
	})
}

// staffRequest is the body of PUT /v1/warehouses/{id}/staff/{staff}.
type staffRequest struct {
	Zone string `json:"zone,omitempty"`
	Role string `json:"role,omitempty"`
}

// assignWarehouseStaff puts a person in a zone, adding them to the roster when new.
func (s *Server) assignWarehouseStaff(w http.ResponseWriter, r *http.Request) {
	var in staffRequest
	command(s, w, r, warehouseOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Warehouse], error) {
		return s.cmd.Warehouse().AssignWarehouseStaff(r.Context(), mux.Vars(r)["id"], domain.AssignWarehouseStaff{
			ID: mux.Vars(r)["staff"], Zone: in.Zone, Role: in.Role}, opts...)
	})
}

// releaseWarehouseStaff is DELETE /v1/warehouses/{id}/staff/{staff}.
func (s *Server) releaseWarehouseStaff(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, warehouseOf, nil, func(opts []commands.Option) (commands.Result[domain.Warehouse], error) {
		return s.cmd.Warehouse().ReleaseWarehouseStaff(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["staff"], opts...)
	})
}

func (s *Server) warehouseAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, warehouseOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Warehouse], error) {
		return s.cmd.Warehouse().ActOnWarehouse(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getWarehouse(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Warehouses().Name()), func() (projections.Doc[domain.Warehouse], error) {
		return s.read.GetWarehouse(r.Context(), mux.Vars(r)["id"])
	}, func(w *domain.Warehouse) int64 { return w.Version }, warehouseOf)
}

func (s *Server) listWarehouses(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Warehouses().Name(), projections.WarehouseColumns, domain.WarehouseStatuses,
		func(f projections.Filter) ([]*domain.Warehouse, projections.PageInfo, error) {
			return s.read.ListWarehouses(r.Context(), f)
		}, warehouseOf)
}

func (s *Server) warehouseHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "warehouse")
}

// ---- Pick lists ----

type pickListJSON struct {
	ID          string             `json:"id"`
	WarehouseID string             `json:"warehouse_id"`
	OrderIDs    []string           `json:"order_ids"`
	Lines       []domain.PickLine  `json:"lines"`
	Priority    string             `json:"priority"`
	Picker      string             `json:"picker,omitempty"`
	Status      string             `json:"status"`
	Checks      []domain.PickCheck `json:"checks"`
	CreatedAt   string             `json:"created_at"`
	UpdatedAt   string             `json:"updated_at"`
	Version     int64              `json:"version"`
}

func pickListOf(p *domain.PickList) pickListJSON {
	return pickListJSON{ID: p.ID, WarehouseID: p.WarehouseID, OrderIDs: nonNil(p.OrderIDs), Lines: nonNil(p.Lines),
		Priority: cmp.Or(p.Priority, "NORMAL"), Picker: p.Picker, Status: string(p.Status), Checks: nonNil(p.Checks), CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt), Version: p.Version}
}

// createPickListRequest is the body of POST /v1/pick_lists.
type createPickListRequest struct {
	ID          string   `json:"id,omitempty"`
	WarehouseID string   `json:"warehouse_id,omitempty"`
	OrderIDs    []string `json:"order_ids,omitempty"`
	Priority    string   `json:"priority,omitempty" enum:"LOW,NORMAL,HIGH,URGENT"`
	Picker      string   `json:"picker,omitempty"`
}

// updatePickListRequest is the body of PUT /v1/pick_lists/{id}.
type updatePickListRequest struct {
	Priority *string `json:"priority,omitempty" enum:"LOW,NORMAL,HIGH,URGENT"`
	Picker   *string `json:"picker,omitempty"`
}

// updatePickList is PUT /v1/pick_lists/{id}: priority and picker, until completed.
func (s *Server) updatePickList(w http.ResponseWriter, r *http.Request) {
	var in updatePickListRequest
	command(s, w, r, pickListOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.PickList], error) {
		return s.cmd.Warehouse().UpdatePickList(r.Context(), mux.Vars(r)["id"], domain.UpdatePickList{Priority: in.Priority, Picker: in.Picker}, opts...)
	})
}

func (s *Server) createPickList(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreatePickList
	create(s, w, r, "/v1/pick_lists/", func(p *domain.PickList) string { return p.ID }, pickListOf, func(o *object) {
		in := createPickListRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreatePickList{PickListID: in.ID, WarehouseID: in.WarehouseID, OrderIDs: in.OrderIDs, Priority: in.Priority, Picker: in.Picker}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.PickList], error) {
		return s.cmd.Warehouse().CreatePickList(r.Context(), cmd, opts...)
	})
}

// completePickListRequest is the body of POST /v1/pick_lists/{id}/complete: what was
// picked of each line (a line not given keeps what was recorded of it; else no lines: every
// line in full, lines given: the others not at all). POST /v1/pick_lists/{id}/picks takes
// it too, every line required to be a count so far.
type completePickListRequest struct {
	Lines []domain.PickedLine `json:"lines,omitempty"`
}

// completePickList is POST /v1/pick_lists/{id}/complete {lines?[{order_id, line_id, picked}]}.
func (s *Server) completePickList(w http.ResponseWriter, r *http.Request) {
	var in completePickListRequest
	command(s, w, r, pickListOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.PickList], error) {
			return s.cmd.Warehouse().CompletePickList(r.Context(), mux.Vars(r)["id"], in.Lines, opts...)
		})
}

// recordPicks is POST /v1/pick_lists/{id}/picks {lines[{order_id, line_id, picked}]}: how
// much of each line is picked so far, while IN_PROGRESS.
func (s *Server) recordPicks(w http.ResponseWriter, r *http.Request) {
	var in completePickListRequest
	command(s, w, r, pickListOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.PickList], error) {
			return s.cmd.Warehouse().RecordPicks(r.Context(), mux.Vars(r)["id"], in.Lines, opts...)
		})
}

// checkPickListRequest is the body of POST /v1/pick_lists/{id}/checks.
type checkPickListRequest struct {
	Checker    string                 `json:"checker,omitempty"`
	Lines      []domain.PickCheckLine `json:"lines,omitempty"`
	Resolution string                 `json:"resolution,omitempty" enum:"APPROVE,REPROCESS,RETURN"`
	Notes      string                 `json:"notes,omitempty"`
}

// checkPickList is POST /v1/pick_lists/{id}/checks {checker, lines[{order_id, line_id,
// passed, issues?, notes?}], resolution?, notes?}: a verification of what was picked, while
// IN_PROGRESS or once COMPLETED, added to the list (201, as an inspection is to a work
// order); its status (PASSED, FAILED, PARTIAL) follows from the lines.
func (s *Server) checkPickList(w http.ResponseWriter, r *http.Request) {
	var in checkPickListRequest
	addTo(s, w, r, pickListOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.PickList], error) {
			return s.cmd.Warehouse().CheckPickList(r.Context(), mux.Vars(r)["id"],
				domain.CheckPick{Checker: in.Checker, Lines: in.Lines, Resolution: in.Resolution, Notes: in.Notes}, opts...)
		})
}

func (s *Server) pickListAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, pickListOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.PickList], error) {
		return s.cmd.Warehouse().ActOnPickList(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getPickList(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.PickLists().Name()), func() (projections.Doc[domain.PickList], error) {
		return s.read.GetPickList(r.Context(), mux.Vars(r)["id"])
	}, func(p *domain.PickList) int64 { return p.Version }, pickListOf)
}

func (s *Server) listPickLists(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.PickLists().Name(), projections.PickListColumns, domain.PickListStatuses,
		func(f projections.Filter) ([]*domain.PickList, projections.PageInfo, error) {
			return s.read.ListPickLists(r.Context(), f)
		}, pickListOf)
}

func (s *Server) pickListHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "pick_list")
}

// ---- Shipments ----

type shipmentJSON struct {
	ID             string               `json:"id"`
	OrderID        string               `json:"order_id"`
	WarehouseID    string               `json:"warehouse_id"`
	Lines          []domain.ShippedLine `json:"lines"`
	Packages       []domain.Package     `json:"packages"`
	Carrier        string               `json:"carrier"`
	TrackingNumber string               `json:"tracking_number"`
	Status         string               `json:"status"`
	ShippedAt      string               `json:"shipped_at,omitempty"`
	DeliveredAt    string               `json:"delivered_at,omitempty"`
	CreatedAt      string               `json:"created_at"`
	UpdatedAt      string               `json:"updated_at"`
	Version        int64                `json:"version"`
}

func shipmentOf(s *domain.Shipment) shipmentJSON {
	out := shipmentJSON{ID: s.ID, OrderID: s.OrderID, WarehouseID: s.WarehouseID, Lines: nonNil(s.Lines),
		Packages: nonNil(s.Packages), Carrier: s.Carrier, TrackingNumber: s.TrackingNumber, Status: string(s.Status),
		CreatedAt: rfc3339(s.CreatedAt), UpdatedAt: rfc3339(s.UpdatedAt), Version: s.Version}
	if s.ShippedAt != nil {
		out.ShippedAt = rfc3339(*s.ShippedAt)
	}
	if s.DeliveredAt != nil {
		out.DeliveredAt = rfc3339(*s.DeliveredAt)
	}
	return out
}

type shipLineInput struct {
	LineID   string `json:"line_id"`
	Quantity int64  `json:"quantity"`
}

// createShipmentRequest is the body of POST /v1/shipments: lines of the order (none:
// every line's quantity not yet shipped).
type createShipmentRequest struct {
	ID             string           `json:"id,omitempty"`
	OrderID        string           `json:"order_id,omitempty"`
	Lines          []shipLineInput  `json:"lines,omitempty"`
	Packages       []domain.Package `json:"packages,omitempty"`
	Carrier        string           `json:"carrier,omitempty"`
	TrackingNumber string           `json:"tracking_number,omitempty"`
}

func (s *Server) createShipment(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateShipment
	var orderID string
	create(s, w, r, "/v1/shipments/", func(s *domain.Shipment) string { return s.ID }, shipmentOf, func(o *object) {
		in := createShipmentRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		orderID = in.OrderID
		cmd = domain.CreateShipment{ShipmentID: in.ID, Packages: in.Packages, Carrier: in.Carrier,
			TrackingNumber: in.TrackingNumber}
		for _, l := range in.Lines {
			cmd.Lines = append(cmd.Lines, domain.ShipLine(l))
		}
		o.v.Check(domain.ValidID(cmd.ShipmentID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(domain.ValidID(orderID), "order_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	}, func(opts []commands.Option) (commands.Result[domain.Shipment], error) {
		return s.cmd.Warehouse().CreateShipment(r.Context(), orderID, cmd, opts...)
	})
}

// updateShipmentRequest is the body of PUT /v1/shipments/{id}: the fields given replace
// the old values (packages all of them).
type updateShipmentRequest struct {
	Carrier        *string          `json:"carrier,omitempty"`
	TrackingNumber *string          `json:"tracking_number,omitempty"`
	Packages       []domain.Package `json:"packages,omitempty"`
}

// updateShipment is PUT /v1/shipments/{id}, until delivered or cancelled.
func (s *Server) updateShipment(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateShipment
	command(s, w, r, shipmentOf, func(o *object) {
		var in updateShipmentRequest
		o.fill(&in)
		cmd.Carrier, cmd.TrackingNumber = in.Carrier, in.TrackingNumber
		if o.has("packages") {
			p := slices.Clone(in.Packages)
			cmd.Packages = &p
		}
	}, func(opts []commands.Option) (commands.Result[domain.Shipment], error) {
		return s.cmd.Warehouse().UpdateShipment(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) shipmentAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, shipmentOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Shipment], error) {
		return s.cmd.Warehouse().ActOnShipment(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getShipment(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Shipments().Name()), func() (projections.Doc[domain.Shipment], error) {
		return s.read.GetShipment(r.Context(), mux.Vars(r)["id"])
	}, func(s *domain.Shipment) int64 { return s.Version }, shipmentOf)
}

func (s *Server) listShipments(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Shipments().Name(), projections.ShipmentColumns, domain.ShipmentStatuses,
		func(f projections.Filter) ([]*domain.Shipment, projections.PageInfo, error) {
			return s.read.ListShipments(r.Context(), f)
		}, shipmentOf)
}

func (s *Server) shipmentHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "shipment") }

// ---- Transfers ----

type transferJSON struct {
	ID             string                `json:"id"`
	FromLocationID string                `json:"from_location_id"`
	ToLocationID   string                `json:"to_location_id"`
	Items          []domain.TransferItem `json:"items"`
	Status         string                `json:"status"`
	ShippedAt      string                `json:"shipped_at,omitempty"`
	ReceivedAt     string                `json:"received_at,omitempty"`
	CreatedAt      string                `json:"created_at"`
	UpdatedAt      string                `json:"updated_at"`
	Version        int64                 `json:"version"`
}

func transferOf(t *domain.Transfer) transferJSON {
	out := transferJSON{ID: t.ID, FromLocationID: t.FromLocationID, ToLocationID: t.ToLocationID, Items: nonNil(t.Items),
		Status: string(t.Status), CreatedAt: rfc3339(t.CreatedAt), UpdatedAt: rfc3339(t.UpdatedAt), Version: t.Version}
	if t.ShippedAt != nil {
		out.ShippedAt = rfc3339(*t.ShippedAt)
	}
	if t.ReceivedAt != nil {
		out.ReceivedAt = rfc3339(*t.ReceivedAt)
	}
	return out
}

// createTransferRequest is the body of POST /v1/transfers.
type createTransferRequest struct {
	ID             string                `json:"id,omitempty"`
	FromLocationID string                `json:"from_location_id,omitempty"`
	ToLocationID   string                `json:"to_location_id,omitempty"`
	Items          []domain.TransferItem `json:"items,omitempty"`
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateTransfer
	create(s, w, r, "/v1/transfers/", func(t *domain.Transfer) string { return t.ID }, transferOf, func(o *object) {
		in := createTransferRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreateTransfer{TransferID: in.ID, FromLocationID: in.FromLocationID, ToLocationID: in.ToLocationID,
			Items: in.Items}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Transfer], error) {
		return s.cmd.Warehouse().CreateTransfer(r.Context(), cmd, opts...)
	})
}

// transferInventoryRequest is the body of POST /v1/inventory/transfer: one SKU's
// quantity from one location to another.
type transferInventoryRequest struct {
	ID             string `json:"id,omitempty"`
	SKU            string `json:"sku,omitempty"`
	Quantity       int64  `json:"quantity,omitempty"`
	FromLocationID string `json:"from_location_id,omitempty"`
	ToLocationID   string `json:"to_location_id,omitempty"`
}

// transferInventory is POST /v1/inventory/transfer {sku, from_location_id, to_location_id,
// quantity, id?}: a one-line transfer, created and shipped; answers the transfer (201).
func (s *Server) transferInventory(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateTransfer
	create(s, w, r, "/v1/transfers/", func(t *domain.Transfer) string { return t.ID }, transferOf, func(o *object) {
		in := transferInventoryRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreateTransfer{TransferID: in.ID, FromLocationID: in.FromLocationID, ToLocationID: in.ToLocationID,
			Items: []domain.TransferItem{{SKU: in.SKU, Quantity: in.Quantity}}}
	}, func(opts []commands.Option) (commands.Result[domain.Transfer], error) {
		res, err := s.cmd.Warehouse().TransferInventory(r.Context(), cmd, opts...)
		return res, oneLineFields(err)
	})
}

// oneLineFields names a one-line transfer's fields as its request does (sku, quantity),
// not as the transfer's items[0].
func oneLineFields(err error) error {
	ve, ok := errors.AsType[*domain.ValidationError](err)
	if !ok {
		return err
	}
	out := &domain.ValidationError{}
	for _, f := range ve.Fields {
		f.Field = strings.TrimPrefix(f.Field, "items[0].")
		out.Fields = append(out.Fields, f)
	}
	return out
}

func (s *Server) transferAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, transferOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Transfer], error) {
		return s.cmd.Warehouse().ActOnTransfer(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Transfers().Name()), func() (projections.Doc[domain.Transfer], error) {
		return s.read.GetTransfer(r.Context(), mux.Vars(r)["id"])
	}, func(t *domain.Transfer) int64 { return t.Version }, transferOf)
}

func (s *Server) listTransfers(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Transfers().Name(), projections.TransferColumns, domain.TransferStatuses,
		func(f projections.Filter) ([]*domain.Transfer, projections.PageInfo, error) {
			return s.read.ListTransfers(r.Context(), f)
		}, transferOf)
}

func (s *Server) transferHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "transfer") }

// ---- Cycle counts ----

type cycleCountJSON struct {
	ID          string                 `json:"id"`
	WarehouseID string                 `json:"warehouse_id"`
	SKUs        []string               `json:"skus"`
	Scheduled   string                 `json:"scheduled_date,omitempty"`
	Counts      []domain.CountLine     `json:"counts"`
	Variances   []domain.CountVariance `json:"variances"`
	Status      string                 `json:"status"`
	CreatedAt   string                 `json:"created_at"`
	UpdatedAt   string                 `json:"updated_at"`
	Version     int64                  `json:"version"`
}

func cycleCountOf(c *domain.CycleCount) cycleCountJSON {
	return cycleCountJSON{ID: c.ID, WarehouseID: c.WarehouseID, SKUs: nonNil(c.SKUs), Scheduled: c.Scheduled, Counts: nonNil(c.Counts),
		Variances: nonNil(c.Variances), Status: string(c.Status), CreatedAt: rfc3339(c.CreatedAt),
		UpdatedAt: rfc3339(c.UpdatedAt), Version: c.Version}
}

// createCycleCountRequest is the body of POST /v1/cycle_counts.
type createCycleCountRequest struct {
	ID          string   `json:"id,omitempty"`
	WarehouseID string   `json:"warehouse_id,omitempty"`
	SKUs        []string `json:"skus,omitempty"`
	Scheduled   string   `json:"scheduled_date,omitempty"`
}

func (s *Server) createCycleCount(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateCycleCount
	create(s, w, r, "/v1/cycle_counts/", func(c *domain.CycleCount) string { return c.ID }, cycleCountOf, func(o *object) {
		in := createCycleCountRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreateCycleCount{CycleCountID: in.ID, WarehouseID: in.WarehouseID, SKUs: in.SKUs, Scheduled: in.Scheduled}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.CycleCount], error) {
		return s.cmd.Warehouse().CreateCycleCount(r.Context(), cmd, opts...)
	})
}

// updateCycleCountRequest is the body of PUT /v1/cycle_counts/{id}.
type updateCycleCountRequest struct {
	Scheduled *string `json:"scheduled_date,omitempty"`
}

// updateCycleCount is PUT /v1/cycle_counts/{id}: a reschedule, until counted.
func (s *Server) updateCycleCount(w http.ResponseWriter, r *http.Request) {
	var in updateCycleCountRequest
	command(s, w, r, cycleCountOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.CycleCount], error) {
		return s.cmd.Warehouse().UpdateCycleCount(r.Context(), mux.Vars(r)["id"], domain.UpdateCycleCount{Scheduled: in.Scheduled}, opts...)
	})
}

// submitCycleCountRequest is the body of POST /v1/cycle_counts/{id}/submit: counts is
// required.
type submitCycleCountRequest struct {
	Counts []domain.CountLine `json:"counts,omitempty"`
}

// submitCycleCount is POST /v1/cycle_counts/{id}/submit {counts[{sku, counted}]}.
func (s *Server) submitCycleCount(w http.ResponseWriter, r *http.Request) {
	var in submitCycleCountRequest
	command(s, w, r, cycleCountOf, func(o *object) {
		o.fill(&in)
		o.v.Check(in.Counts != nil, "counts", "is required") // an array given, even empty, is there
	}, func(opts []commands.Option) (commands.Result[domain.CycleCount], error) {
		return s.cmd.Warehouse().SubmitCycleCount(r.Context(), mux.Vars(r)["id"], in.Counts, opts...)
	})
}

func (s *Server) cycleCountAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, cycleCountOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.CycleCount], error) {
		return s.cmd.Warehouse().ActOnCycleCount(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getCycleCount(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.CycleCounts().Name()), func() (projections.Doc[domain.CycleCount], error) {
		return s.read.GetCycleCount(r.Context(), mux.Vars(r)["id"])
	}, func(c *domain.CycleCount) int64 { return c.Version }, cycleCountOf)
}

func (s *Server) listCycleCounts(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.CycleCounts().Name(), projections.CycleCountColumns, domain.CycleCountStatuses,
		func(f projections.Filter) ([]*domain.CycleCount, projections.PageInfo, error) {
			return s.read.ListCycleCounts(r.Context(), f)
		}, cycleCountOf)
}

func (s *Server) cycleCountHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "cycle_count")
}
