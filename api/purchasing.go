package api

import (
	"net/http"
	"slices"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// ---- Suppliers ----

// supplierJSON is a supplier as the API shows it. OnTimeDelivery is on GET of one supplier.
type supplierJSON struct {
	ID             string                   `json:"id"`
	Name           string                   `json:"name"`
	SupplierCode   string                   `json:"supplier_code"`
	Type           string                   `json:"type"`
	Email          string                   `json:"email"`
	Phone          string                   `json:"phone"`
	Addresses      []domain.Address         `json:"addresses"`
	PaymentTerms   string                   `json:"payment_terms"`
	LeadTimeDays   int                      `json:"lead_time_days"`
	Status         string                   `json:"status"`
	Products       []domain.SupplierProduct `json:"products"`
	OnTimeDelivery *onTimeJSON              `json:"on_time_delivery,omitempty"`
	CreatedAt      string                   `json:"created_at"`
	UpdatedAt      string                   `json:"updated_at"`
	Version        int64                    `json:"version"`
}

// onTimeJSON is a supplier's delivery record: of the purchase orders fully received that
// had an expected delivery date, how many on or before it. Rate is null with none.
type onTimeJSON struct {
	Received int64    `json:"received_purchase_orders"`
	OnTime   int64    `json:"on_time_purchase_orders"`
	Rate     *float64 `json:"rate"`
}

func supplierOf(s *domain.Supplier) supplierJSON {
	return supplierJSON{ID: s.ID, Name: s.Name, SupplierCode: s.SupplierCode, Type: s.Type, Email: s.Email, Phone: s.Phone,
		Addresses: nonNil(s.Addresses), PaymentTerms: s.PaymentTerms, LeadTimeDays: s.LeadTimeDays, Status: string(s.Status),
		Products: s.Catalog(), CreatedAt: rfc3339(s.CreatedAt), UpdatedAt: rfc3339(s.UpdatedAt), Version: s.Version}
}

// createSupplierRequest is the body of POST /v1/suppliers.
type createSupplierRequest struct {
	ID           string           `json:"id,omitempty"`
	Name         string           `json:"name,omitempty"`
	SupplierCode string           `json:"supplier_code,omitempty"`
	Type         string           `json:"type,omitempty"`
	Email        string           `json:"email,omitempty"`
	Phone        string           `json:"phone,omitempty"`
	Addresses    []domain.Address `json:"addresses,omitempty"`
	PaymentTerms string           `json:"payment_terms,omitempty"`
	LeadTimeDays int              `json:"lead_time_days,omitempty"`
}

func (s *Server) createSupplier(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateSupplier{SupplierID: commands.NewID()}
	create(s, w, r, "/v1/suppliers/", func(s *domain.Supplier) string { return s.ID }, supplierOf, func(o *object) {
		in := createSupplierRequest{ID: cmd.SupplierID} // a generated id unless one is given
		o.fill(&in)
		cmd.SupplierID = in.ID
		cmd.Name, cmd.SupplierCode, cmd.Type, cmd.Email, cmd.Phone = in.Name, in.SupplierCode, in.Type, in.Email, in.Phone
		cmd.Addresses, cmd.PaymentTerms, cmd.LeadTimeDays = in.Addresses, in.PaymentTerms, in.LeadTimeDays
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Supplier], error) {
		return s.cmd.Purchasing().CreateSupplier(r.Context(), cmd, opts...)
	})
}

// updateSupplierRequest is the body of PUT /v1/suppliers/{id}: addresses null clears
// them.
type updateSupplierRequest struct {
	Name         *string          `json:"name,omitempty"`
	SupplierCode *string          `json:"supplier_code,omitempty"`
	Type         *string          `json:"type,omitempty"`
	Email        *string          `json:"email,omitempty"`
	Phone        *string          `json:"phone,omitempty"`
	PaymentTerms *string          `json:"payment_terms,omitempty"`
	Addresses    []domain.Address `json:"addresses,omitempty"`
	LeadTimeDays *int             `json:"lead_time_days,omitempty"`
}

// updateSupplier is PUT /v1/suppliers/{id}: the fields given replace the old values.
func (s *Server) updateSupplier(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateSupplier
	command(s, w, r, supplierOf, func(o *object) {
		in := updateSupplierRequest{Addresses: []domain.Address{}} // what null gives
		o.fill(&in)
		cmd.Name, cmd.SupplierCode, cmd.Type, cmd.Email, cmd.Phone = in.Name, in.SupplierCode, in.Type, in.Email, in.Phone
		cmd.PaymentTerms, cmd.LeadTimeDays = in.PaymentTerms, in.LeadTimeDays
		if o.has("addresses") {
			cmd.Addresses = &in.Addresses
		}
	}, func(opts []commands.Option) (commands.Result[domain.Supplier], error) {
		return s.cmd.Purchasing().UpdateSupplier(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// supplierAction is POST /v1/suppliers/{id}/{activate|deactivate|suspend} {reason}.
func (s *Server) supplierAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, supplierOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Supplier], error) {
		return s.cmd.Purchasing().ActOnSupplier(r.Context(), id, action, reason, opts...)
	})
}

// setSupplierProductRequest is the body of POST /v1/suppliers/{id}/products: one catalog
// entry.
type setSupplierProductRequest struct {
	SKU                  string `json:"sku,omitempty"`
	SupplierSKU          string `json:"supplier_sku,omitempty"`
	UnitCost             int64  `json:"unit_cost,omitempty"`
	Currency             string `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	MinimumOrderQuantity int64  `json:"minimum_order_quantity,omitempty"`
	LeadTimeDays         int    `json:"lead_time_days,omitempty"`
}

// setSupplierProduct is POST /v1/suppliers/{id}/products {sku, supplier_sku, unit_cost,
// currency, minimum_order_quantity, lead_time_days}: adds the SKU's catalog entry or
// replaces it whole. It answers the entry.
func (s *Server) setSupplierProduct(w http.ResponseWriter, r *http.Request) {
	var cmd domain.SetSupplierProduct
	p := &cmd.Product
	command(s, w, r, func(s *domain.Supplier) domain.SupplierProduct { return s.Products[p.SKU] }, func(o *object) {
		var in setSupplierProductRequest
		o.fill(&in)
		*p = domain.SupplierProduct{SKU: in.SKU, SupplierSKU: in.SupplierSKU, UnitCost: in.UnitCost, Currency: in.Currency,
			MinimumOrderQuantity: in.MinimumOrderQuantity, LeadTimeDays: in.LeadTimeDays}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Supplier], error) {
		return s.cmd.Purchasing().SetSupplierProduct(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// getSupplier answers the supplier with its on-time delivery record (from the purchase
// orders read model).
func (s *Server) getSupplier(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	sup, pos := s.runner(projections.Suppliers().Name()), s.runner(projections.PurchaseOrders().Name())
	if err := s.waitMin(r, sup, pos); err != nil {
		s.fail(w, r, err)
		return
	}
	at := min(sup.Position(), pos.Position())
	d, err := s.read.GetSupplier(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	received, onTime, err := s.read.SupplierDeliveries(r.Context(), d.Value.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := supplierOf(d.Value)
	out.OnTimeDelivery = &onTimeJSON{Received: received, OnTime: onTime}
	if received > 0 {
		rate := float64(onTime) / float64(received)
		out.OnTimeDelivery.Rate = &rate
	}
	w.Header().Set("ETag", etag(d.Value.Version))
	setPosition(w, at)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listSuppliers(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Suppliers().Name(), projections.SupplierColumns, domain.SupplierStatuses,
		func(f projections.Filter) ([]*domain.Supplier, projections.PageInfo, error) {
			return s.read.ListSuppliers(r.Context(), f)
		}, supplierOf)
}

// listSupplierProducts is GET /v1/suppliers/{id}/products: the catalog, by SKU.
func (s *Server) listSupplierProducts(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Suppliers().Name()), func() (projections.Doc[domain.Supplier], error) {
		return s.read.GetSupplier(r.Context(), mux.Vars(r)["id"])
	}, func(x *domain.Supplier) int64 { return x.Version }, func(x *domain.Supplier) listBody[domain.SupplierProduct] {
		return newList(x.Catalog(), false, "")
	})
}

// listSupplierPurchaseOrders is GET /v1/suppliers/{id}/purchase_orders: the purchase
// order list filtered on the supplier (404 for an unknown supplier).
func (s *Server) listSupplierPurchaseOrders(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.waitMin(r, s.runner(projections.Suppliers().Name())); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.read.GetSupplier(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.listPurchaseOrdersWhere(w, r, id)
}

func (s *Server) supplierHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "supplier") }

// ---- Purchase orders ----

// purchaseOrderJSON is a purchase order as the API shows it.
type purchaseOrderJSON struct {
	ID                   string                     `json:"id"`
	PONumber             string                     `json:"po_number"`
	SupplierID           string                     `json:"supplier_id"`
	LocationID           string                     `json:"location_id"`
	ExpectedDeliveryDate string                     `json:"expected_delivery_date"`
	Currency             string                     `json:"currency"`
	PaymentTerms         string                     `json:"payment_terms"`
	Notes                string                     `json:"notes"`
	Items                []domain.PurchaseOrderLine `json:"items"`
	Total                int64                      `json:"total"`
	Status               string                     `json:"status"`
	Receipts             []domain.PurchaseReceipt   `json:"receipts"`
	ReceivedAt           string                     `json:"received_at,omitempty"`
	OnTime               *bool                      `json:"on_time"`
	CreatedAt            string                     `json:"created_at"`
	UpdatedAt            string                     `json:"updated_at"`
	Version              int64                      `json:"version"`
}

func purchaseOrderOf(o *domain.PurchaseOrder) purchaseOrderJSON {
	out := purchaseOrderJSON{ID: o.ID, PONumber: o.PONumber, SupplierID: o.SupplierID, LocationID: o.LocationID,
		ExpectedDeliveryDate: o.ExpectedDeliveryDate, Currency: o.Currency, PaymentTerms: o.PaymentTerms, Notes: o.Notes,
		Items: nonNil(o.Items), Total: o.Total, Status: string(o.Status), Receipts: nonNil(o.Receipts), OnTime: o.OnTime,
		CreatedAt: rfc3339(o.CreatedAt), UpdatedAt: rfc3339(o.UpdatedAt), Version: o.Version}
	if o.ReceivedAt != nil {
		out.ReceivedAt = rfc3339(*o.ReceivedAt)
	}
	return out
}

// purchaseLineInput is a purchase order line as a request gives it: without unit_cost,
// the catalog's.
type purchaseLineInput struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	UnitCost *int64 `json:"unit_cost"`
}

// createPurchaseOrderRequest is the body of POST /v1/purchase_orders.
type createPurchaseOrderRequest struct {
	ID                   string              `json:"id,omitempty"`
	SupplierID           string              `json:"supplier_id,omitempty"`
	LocationID           string              `json:"location_id,omitempty"`
	ExpectedDeliveryDate string              `json:"expected_delivery_date,omitempty"`
	Currency             string              `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	PaymentTerms         string              `json:"payment_terms,omitempty"`
	Notes                string              `json:"notes,omitempty"`
	Items                []purchaseLineInput `json:"items,omitempty"`
}

func (s *Server) createPurchaseOrder(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreatePurchaseOrder{PurchaseOrderID: commands.NewID(), LocationID: DefaultLocation}
	var supplierID string
	create(s, w, r, "/v1/purchase_orders/", func(p *domain.PurchaseOrder) string { return p.ID }, purchaseOrderOf, func(o *object) {
		in := createPurchaseOrderRequest{ID: cmd.PurchaseOrderID, LocationID: cmd.LocationID} // the defaults
		o.fill(&in)
		cmd.PurchaseOrderID, supplierID, cmd.LocationID = in.ID, in.SupplierID, in.LocationID
		cmd.ExpectedDeliveryDate, cmd.Currency = in.ExpectedDeliveryDate, in.Currency
		cmd.PaymentTerms, cmd.Notes = in.PaymentTerms, in.Notes
		for _, l := range in.Items {
			cmd.Items = append(cmd.Items, domain.PurchaseLineInput{SKU: l.SKU, Quantity: l.Quantity, UnitCost: l.UnitCost})
		}
		o.v.Check(domain.ValidID(cmd.PurchaseOrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(domain.ValidID(supplierID), "supplier_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(len(in.Items) > 0, "items", "1 to 500 lines")
	}, func(opts []commands.Option) (commands.Result[domain.PurchaseOrder], error) {
		return s.cmd.Purchasing().CreatePurchaseOrder(r.Context(), cmd, supplierID, opts...)
	})
}

// purchaseOrderAction is POST /v1/purchase_orders/{id}/{submit|approve|reject|close|cancel} {reason}.
// updatePurchaseOrderRequest is the body of PUT /v1/purchase_orders/{id}: the fields
// given replace the old values; items replaces a draft's lines.
type updatePurchaseOrderRequest struct {
	ExpectedDeliveryDate *string             `json:"expected_delivery_date,omitempty"`
	PaymentTerms         *string             `json:"payment_terms,omitempty"`
	Notes                *string             `json:"notes,omitempty"`
	Items                []purchaseLineInput `json:"items,omitempty"`
}

// updatePurchaseOrder is PUT /v1/purchase_orders/{id}: details until the order is received
// or off, lines while it is a DRAFT.
func (s *Server) updatePurchaseOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdatePurchaseOrder
	command(s, w, r, purchaseOrderOf, func(o *object) {
		var in updatePurchaseOrderRequest
		o.fill(&in)
		cmd.ExpectedDeliveryDate, cmd.PaymentTerms, cmd.Notes = in.ExpectedDeliveryDate, in.PaymentTerms, in.Notes
		if o.has("items") {
			items := make([]domain.PurchaseLineInput, len(in.Items))
			for i, l := range in.Items {
				items[i] = domain.PurchaseLineInput{SKU: l.SKU, Quantity: l.Quantity, UnitCost: l.UnitCost}
			}
			cmd.Items = &items
		}
	}, func(opts []commands.Option) (commands.Result[domain.PurchaseOrder], error) {
		return s.cmd.Purchasing().UpdatePurchaseOrder(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) purchaseOrderAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, purchaseOrderOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.PurchaseOrder], error) {
		return s.cmd.Purchasing().ActOnPurchaseOrder(r.Context(), id, action, reason, opts...)
	})
}

// receivePurchaseOrderRequest is the body of POST /v1/purchase_orders/{id}/receive: the
// quantities received.
type receivePurchaseOrderRequest struct {
	Items []domain.ASNItem `json:"items,omitempty"` // {sku, quantity}
}

// receivePurchaseOrder is POST /v1/purchase_orders/{id}/receive {items[{sku, quantity}]}.
func (s *Server) receivePurchaseOrder(w http.ResponseWriter, r *http.Request) {
	var in receivePurchaseOrderRequest
	command(s, w, r, purchaseOrderOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.PurchaseOrder], error) {
			cmd := domain.ReceivePurchaseOrder{}
			for _, it := range in.Items {
				cmd.Items = append(cmd.Items, domain.PurchaseItem{SKU: it.SKU, Quantity: it.Quantity})
			}
			return s.cmd.Purchasing().ReceivePurchaseOrder(r.Context(), mux.Vars(r)["id"], cmd, opts...)
		})
}

func (s *Server) getPurchaseOrder(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.PurchaseOrders().Name()), func() (projections.Doc[domain.PurchaseOrder], error) {
		return s.read.GetPurchaseOrder(r.Context(), mux.Vars(r)["id"])
	}, func(o *domain.PurchaseOrder) int64 { return o.Version }, purchaseOrderOf)
}

func (s *Server) listPurchaseOrders(w http.ResponseWriter, r *http.Request) {
	s.listPurchaseOrdersWhere(w, r, "")
}

// listPurchaseOrdersWhere lists purchase orders, of supplierID when it is set.
func (s *Server) listPurchaseOrdersWhere(w http.ResponseWriter, r *http.Request, supplierID string) {
	q := r.URL.Query()
	cols := projections.PurchaseOrderColumns
	if err := onlyQuery(r, append(slices.Clone(cols), "limit", "cursor", "offset", "created_after", "created_before")...); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	f := projections.Filter{Page: pageOf(q, &v), Equal: map[string]string{}}
	for _, c := range cols {
		f.Equal[c] = q.Get(c)
	}
	if supplierID != "" {
		f.Equal["supplier_id"] = supplierID
	}
	if st := q.Get("status"); st != "" {
		v.Check(slices.Contains(domain.PurchaseOrderStatuses, domain.PurchaseOrderStatus(st)), "status", "not a purchase order status")
	}
	createdRange(q, &v, &f)
	serveList(s, w, r, &v, s.runner(projections.PurchaseOrders().Name()), func() ([]purchaseOrderJSON, projections.PageInfo, error) {
		list, pi, err := s.read.ListPurchaseOrders(r.Context(), f)
		return views(list, purchaseOrderOf), pi, err
	})
}

func (s *Server) purchaseOrderHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "purchase_order")
}

// ---- ASNs ----

// asnJSON is an ASN as the API shows it.
type asnJSON struct {
	ID              string           `json:"id"`
	ASNNumber       string           `json:"asn_number"`
	PurchaseOrderID string           `json:"purchase_order_id"`
	SupplierID      string           `json:"supplier_id"`
	Items           []domain.ASNItem `json:"items"`
	Carrier         string           `json:"carrier"`
	TrackingNumber  string           `json:"tracking_number"`
	ExpectedArrival string           `json:"expected_arrival"`
	Status          string           `json:"status"`
	ShippedAt       string           `json:"shipped_at,omitempty"`
	DeliveredAt     string           `json:"delivered_at,omitempty"`
	CreatedAt       string           `json:"created_at"`
	UpdatedAt       string           `json:"updated_at"`
	Version         int64            `json:"version"`
}

func asnOf(a *domain.ASN) asnJSON {
	out := asnJSON{ID: a.ID, ASNNumber: a.ASNNumber, PurchaseOrderID: a.PurchaseOrderID, SupplierID: a.SupplierID,
		Items: nonNil(a.Items), Carrier: a.Carrier, TrackingNumber: a.TrackingNumber, ExpectedArrival: a.ExpectedArrival,
		Status: string(a.Status), CreatedAt: rfc3339(a.CreatedAt), UpdatedAt: rfc3339(a.UpdatedAt), Version: a.Version}
	if a.ShippedAt != nil {
		out.ShippedAt = rfc3339(*a.ShippedAt)
	}
	if a.DeliveredAt != nil {
		out.DeliveredAt = rfc3339(*a.DeliveredAt)
	}
	return out
}

// createASNRequest is the body of POST /v1/asns.
type createASNRequest struct {
	ID              string           `json:"id,omitempty"`
	PurchaseOrderID string           `json:"purchase_order_id,omitempty"`
	Items           []domain.ASNItem `json:"items,omitempty"`
	Carrier         string           `json:"carrier,omitempty"`
	TrackingNumber  string           `json:"tracking_number,omitempty"`
	ExpectedArrival string           `json:"expected_arrival,omitempty"`
}

func (s *Server) createASN(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateASN{ASNID: commands.NewID()}
	var poID string
	create(s, w, r, "/v1/asns/", func(a *domain.ASN) string { return a.ID }, asnOf, func(o *object) {
		in := createASNRequest{ID: cmd.ASNID} // a generated id unless one is given
		o.fill(&in)
		cmd.ASNID, poID, cmd.Items = in.ID, in.PurchaseOrderID, in.Items
		cmd.Carrier, cmd.TrackingNumber, cmd.ExpectedArrival = in.Carrier, in.TrackingNumber, in.ExpectedArrival
		o.v.Check(domain.ValidID(cmd.ASNID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(domain.ValidID(poID), "purchase_order_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	}, func(opts []commands.Option) (commands.Result[domain.ASN], error) {
		return s.cmd.Purchasing().CreateASN(r.Context(), cmd, poID, opts...)
	})
}

// asnAction is POST /v1/asns/{id}/{submit|ship|deliver|cancel} {reason}.
// updateASNRequest is the body of PUT /v1/asns/{id}: the fields given replace the old
// values; items replaces a draft's.
type updateASNRequest struct {
	Carrier         *string          `json:"carrier,omitempty"`
	TrackingNumber  *string          `json:"tracking_number,omitempty"`
	ExpectedArrival *string          `json:"expected_arrival,omitempty"`
	Items           []domain.ASNItem `json:"items,omitempty"`
}

// updateASN is PUT /v1/asns/{id}: how the goods travel until delivered, the items while a
// DRAFT.
func (s *Server) updateASN(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateASN
	command(s, w, r, asnOf, func(o *object) {
		var in updateASNRequest
		o.fill(&in)
		cmd.Carrier, cmd.TrackingNumber, cmd.ExpectedArrival = in.Carrier, in.TrackingNumber, in.ExpectedArrival
		if o.has("items") {
			items := slices.Clone(in.Items)
			if items == nil {
				items = []domain.ASNItem{}
			}
			cmd.Items = &items
		}
	}, func(opts []commands.Option) (commands.Result[domain.ASN], error) {
		return s.cmd.Purchasing().UpdateASN(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) asnAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, asnOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.ASN], error) {
		return s.cmd.Purchasing().ActOnASN(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getASN(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.ASNs().Name()), func() (projections.Doc[domain.ASN], error) {
		return s.read.GetASN(r.Context(), mux.Vars(r)["id"])
	}, func(a *domain.ASN) int64 { return a.Version }, asnOf)
}

func (s *Server) listASNs(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.ASNs().Name(), projections.ASNColumns, domain.ASNStatuses,
		func(f projections.Filter) ([]*domain.ASN, projections.PageInfo, error) {
			return s.read.ListASNs(r.Context(), f)
		}, asnOf)
}

func (s *Server) asnHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "asn") }
