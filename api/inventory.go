package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// inventoryJSON is an inventory item (a SKU at a location) as the API shows it.
type inventoryJSON struct {
	ID              string `json:"id"`
	SKU             string `json:"sku"`
	LocationID      string `json:"location_id"`
	OnHand          int64  `json:"on_hand"`
	Reserved        int64  `json:"reserved"`
	Available       int64  `json:"available"`
	Incoming        int64  `json:"incoming"`
	InTransit       int64  `json:"in_transit"`
	Backordered     int64  `json:"backordered"`
	ReorderPoint    int64  `json:"reorder_point"`
	ReorderQuantity int64  `json:"reorder_quantity"`
	UnitCost        int64  `json:"unit_cost"`
	Currency        string `json:"currency"`
	LowStock        bool   `json:"low_stock"`
	CreatedAt       string `json:"created_at"`
	UpdatedAt       string `json:"updated_at"`
	Version         int64  `json:"version"`
}

func inventoryOf(it *domain.InventoryItem) inventoryJSON {
	var back int64
	for _, r := range it.Reservations {
		back += r.Backordered
	}
	return inventoryJSON{ID: it.ID, SKU: it.SKU, LocationID: it.LocationID, OnHand: it.OnHand, Reserved: it.Reserved,
		Available: it.Available(), Incoming: it.Incoming, InTransit: it.InTransit, Backordered: back,
		ReorderPoint: it.ReorderPoint, ReorderQuantity: it.ReorderQuantity, UnitCost: it.UnitCost, Currency: it.Currency,
		LowStock:  it.ReorderPoint > 0 && it.Available() <= it.ReorderPoint,
		CreatedAt: rfc3339(it.CreatedAt), UpdatedAt: rfc3339(it.UpdatedAt), Version: it.Version}
}

// createItemRequest is the body of POST /v1/inventory: on_hand is posted as an opening
// receipt.
type createItemRequest struct {
	SKU             string `json:"sku,omitempty"`
	LocationID      string `json:"location_id,omitempty"`
	OnHand          int64  `json:"on_hand,omitempty" minimum:"0"`
	ReorderPoint    int64  `json:"reorder_point,omitempty" minimum:"0"`
	ReorderQuantity int64  `json:"reorder_quantity,omitempty" minimum:"0"`
	UnitCost        int64  `json:"unit_cost,omitempty" minimum:"0"`
	Currency        string `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
}

func (s *Server) createInventoryItem(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateInventoryItem
	create(s, w, r, "/v1/inventory/", func(i *domain.InventoryItem) string { return i.ID }, inventoryOf, func(o *object) {
		var in createItemRequest
		o.fill(&in)
		cmd = domain.CreateInventoryItem{SKU: in.SKU, LocationID: in.LocationID, OnHand: in.OnHand, ReorderPoint: in.ReorderPoint,
			ReorderQuantity: in.ReorderQuantity, UnitCost: in.UnitCost, Currency: in.Currency}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.InventoryItem], error) {
		return s.cmd.Inventory().CreateItem(r.Context(), cmd, opts...)
	})
}

// updateItemRequest is the body of PUT /v1/inventory/{id}: what it gives changes.
type updateItemRequest struct {
	ReorderPoint    *int64 `json:"reorder_point,omitempty" minimum:"0"`
	ReorderQuantity *int64 `json:"reorder_quantity,omitempty" minimum:"0"`
	UnitCost        *int64 `json:"unit_cost,omitempty" minimum:"0"`
}

func (s *Server) updateInventoryItem(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateInventoryItem
	command(s, w, r, inventoryOf, func(o *object) {
		var in updateItemRequest
		o.fill(&in)
		cmd.ReorderPoint, cmd.ReorderQuantity, cmd.UnitCost = in.ReorderPoint, in.ReorderQuantity, in.UnitCost
	}, func(opts []commands.Option) (commands.Result[domain.InventoryItem], error) {
		return s.cmd.Inventory().UpdateItem(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// adjustRequest is the body of POST /v1/inventory/{id}/adjust: quantity is signed
// (negative takes stock out).
type adjustRequest struct {
	Quantity      int64  `json:"quantity,omitempty"`
	Reason        string `json:"reason,omitempty"`
	Reference     string `json:"reference,omitempty"`
	ReferenceType string `json:"reference_type,omitempty"` // adjustment unless given
	Note          string `json:"note,omitempty"`
}

func (s *Server) adjustInventory(w http.ResponseWriter, r *http.Request) {
	var cmd domain.AdjustInventory
	command(s, w, r, inventoryOf, func(o *object) {
		in := adjustRequest{ReferenceType: "adjustment"}
		o.fill(&in)
		cmd = domain.AdjustInventory{Quantity: in.Quantity, Reason: in.Reason, SourceID: in.Reference, SourceType: in.ReferenceType, Note: in.Note}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.InventoryItem], error) {
		return s.cmd.Inventory().Adjust(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// reserveInventory is POST /v1/inventory/{id}/reserve {quantity, reference_type,
// reference_id, line_id, expires_at}: a manual reservation, refused with
// INSUFFICIENT_STOCK beyond available (no backorder).
// reserveRequest is the body of POST /v1/inventory/{id}/reserve.
type reserveRequest struct {
	Quantity      int64  `json:"quantity,omitempty" minimum:"1"`
	ReferenceType string `json:"reference_type,omitempty" enum:"manual"`
	ReferenceID   string `json:"reference_id,omitempty"`
	LineID        string `json:"line_id,omitempty"`
	ExpiresAt     string `json:"expires_at,omitempty" format:"date-time"`
}

func (s *Server) reserveInventory(w http.ResponseWriter, r *http.Request) {
	cmd := domain.ReserveInventory{Now: time.Now()}
	if !s.decode(w, r, func(o *object) {
		in := reserveRequest{ReferenceType: "manual"}
		o.fill(&in)
		cmd.Quantity, cmd.ReferenceType, cmd.ReferenceID, cmd.LineID = in.Quantity, in.ReferenceType, in.ReferenceID, in.LineID
		if o.given("expires_at") && o.raw["expires_at"][0] == '"' { // a non-string is refused by fill already
			t, err := time.Parse(time.RFC3339Nano, in.ExpiresAt)
			o.v.Check(err == nil, "expires_at", "must be an RFC 3339 time")
			cmd.ExpiresAt = &t
		}
		o.v.Check(cmd.Quantity > 0, "quantity", "must be a positive integer")
		// documents' reservations belong to their flows; by hand only manual ones
		o.v.Check(cmd.ReferenceType == "manual", "reference_type", "must be manual (orders, wholesale and work orders reserve through their own flows)")
		if cmd.ReferenceID == "" {
			cmd.ReferenceID = commands.NewID()
		}
		cmd.Check(&o.v)
	}) {
		return
	}
	id := mux.Vars(r)["id"]
	item, err := s.cmd.Inventory().Item(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cmd.ReservationID = domain.ReservationID(cmd.ReferenceType, cmd.ReferenceID, cmd.LineID, item.SKU)
	res, err := s.cmd.Inventory().Reserve(r.Context(), id, cmd, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rv := res.Aggregate.Reservations[cmd.ReservationID]
	if rv == nil {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	setPosition(w, res.Position)
	w.Header().Set("Location", "/v1/reservations/"+rv.ID)
	writeJSON(w, http.StatusCreated, reservationOf(res.Aggregate, rv))
}

func reservationOf(it *domain.InventoryItem, rv *domain.Reservation) projections.ReservationRow {
	out := projections.ReservationRow{ID: rv.ID, ItemID: it.ID, SKU: it.SKU, LocationID: it.LocationID,
		ReferenceType: rv.ReferenceType, ReferenceID: rv.ReferenceID, LineID: rv.LineID, Reserved: rv.Reserved,
		Backordered: rv.Backordered, Consumed: rv.Consumed, Status: projections.ReservationActive,
		CreatedAt: rfc3339(rv.CreatedAt), UpdatedAt: rfc3339(it.UpdatedAt)}
	if rv.Backordered > 0 {
		out.Status = projections.ReservationBackordered
	}
	if rv.ExpiresAt != nil {
		out.ExpiresAt = rfc3339(*rv.ExpiresAt)
	}
	return out
}

// releaseReservation is POST /v1/reservations/{rid}/release, and the SDK's
// POST /v1/inventory/{id}/release-reservation/{rid}.
func (s *Server) releaseReservation(w http.ResponseWriter, r *http.Request) {
	if _, err := readObject(r); err != nil {
		s.fail(w, r, err)
		return
	}
	vars := mux.Vars(r)
	itemID := vars["id"]
	if itemID == "" {
		run := s.runner(projections.Inventory().Name())
		if err := s.waitMin(r, run); err != nil {
			s.fail(w, r, err)
			return
		}
		rv, err := s.read.GetReservation(r.Context(), vars["rid"])
		if err != nil {
			s.fail(w, r, err)
			return
		}
		itemID = rv.ItemID
	}
	item, err := s.cmd.Inventory().Item(r.Context(), itemID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rv := item.Reservations[vars["rid"]]
	if rv == nil {
		s.fail(w, r, &domain.TransitionError{Entity: "reservation", From: "CLOSED", Action: "release"})
		return
	}
	if rv.ReferenceType != "manual" {
		// cancelling or editing the document releases it; a release by hand would leave
		// the document believing its stock is held
		s.fail(w, r, &domain.TransitionError{Entity: "reservation of " + rv.ReferenceType + " " + rv.ReferenceID,
			From: "HELD_BY_" + strings.ToUpper(rv.ReferenceType), Action: "release"})
		return
	}
	res, err := s.cmd.Inventory().ReleaseReservation(r.Context(), itemID, rv.ID, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := reservationOf(res.Aggregate, rv)
	out.Released, out.Reserved, out.Backordered, out.Status = rv.Reserved, 0, 0, projections.ReservationReleased
	setPosition(w, res.Position)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getInventoryItem(w http.ResponseWriter, r *http.Request) {
	getDocAsOf(s, w, r, "inventory", s.runner(projections.Inventory().Name()), func() (projections.Doc[domain.InventoryItem], error) {
		return s.read.GetInventoryItem(r.Context(), mux.Vars(r)["id"])
	}, s.cmd.Inventory().ItemAt, func(it *domain.InventoryItem) int64 { return it.Version }, func(it *domain.InventoryItem) inventoryJSON { return inventoryOf(it) })
}

func (s *Server) listInventory(w http.ResponseWriter, r *http.Request) {
	s.listItems(w, r, false)
}

func (s *Server) lowStock(w http.ResponseWriter, r *http.Request) {
	s.listItems(w, r, true)
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request, low bool) {
	q := r.URL.Query()
	if err := onlyQuery(r, "limit", "cursor", "offset", "sku", "location_id", "low_stock", "created_after", "created_before"); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	f := projections.Filter{Page: pageOf(q, &v), Equal: map[string]string{"sku": q.Get("sku"), "location_id": q.Get("location_id")}}
	if ls := q.Get("low_stock"); ls != "" {
		v.Check(ls == "true" || ls == "false", "low_stock", "must be true or false")
		low = low || ls == "true"
	}
	if low {
		f.Equal["low"] = "1"
	}
	createdRange(q, &v, &f)
	serveList(s, w, r, &v, s.runner(projections.Inventory().Name()), func() ([]inventoryJSON, projections.PageInfo, error) {
		items, pi, err := s.read.ListInventoryItems(r.Context(), f)
		return views(items, inventoryOf), pi, err
	})
}

// inventoryHistory is GET /v1/inventory/{id}/history: the item's ledger, newest first,
// each movement with its deltas, reason, source document and the balances after it.
func (s *Server) inventoryHistory(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "limit", "cursor", "offset"); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	page := pageOf(r.URL.Query(), &v)
	id := mux.Vars(r)["id"]
	serveList(s, w, r, &v, s.runner(projections.Inventory().Name()), func() ([]projections.Movement, projections.PageInfo, error) {
		if _, err := s.read.GetInventoryItem(r.Context(), id); err != nil {
			return nil, projections.PageInfo{}, err
		}
		return s.read.InventoryMovements(r.Context(), id, page)
	})
}

func (s *Server) listReservations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cols := []string{"status", "reference_type", "reference_id", "inventory_item_id", "sku", "location_id"}
	if err := onlyQuery(r, append(cols, "limit", "cursor", "offset")...); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	page := pageOf(q, &v)
	eq := map[string]string{}
	for _, c := range cols {
		eq[strings.TrimPrefix(c, "inventory_")] = q.Get(c)
	}
	if st := eq["status"]; st != "" {
		v.Check(slices.Contains([]string{projections.ReservationActive, projections.ReservationBackordered,
			projections.ReservationConsumed, projections.ReservationReleased, projections.ReservationExpired}, st),
			"status", "must be one of ACTIVE, BACKORDERED, CONSUMED, RELEASED, EXPIRED")
	}
	serveList(s, w, r, &v, s.runner(projections.Inventory().Name()), func() ([]projections.ReservationRow, projections.PageInfo, error) {
		return s.read.ListReservations(r.Context(), eq, page)
	})
}

func (s *Server) getReservation(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	run := s.runner(projections.Inventory().Name())
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	pos := run.Position()
	rv, err := s.read.GetReservation(r.Context(), mux.Vars(r)["rid"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, rv)
}
