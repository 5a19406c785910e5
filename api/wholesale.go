package api

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// ---- Price lists ----

// priceListJSON is a price list as the API shows it.
type priceListJSON struct {
	ID          string                     `json:"id"`
	Name        string                     `json:"name"`
	Currency    string                     `json:"currency"`
	Status      string                     `json:"status"`
	CustomerIDs []string                   `json:"customer_ids"`
	Prices      map[string]domain.SKUPrice `json:"prices"`
	CreatedAt   string                     `json:"created_at"`
	UpdatedAt   string                     `json:"updated_at"`
	Version     int64                      `json:"version"`
}

func priceListOf(p *domain.PriceList) priceListJSON {
	prices := p.Prices
	if prices == nil {
		prices = map[string]domain.SKUPrice{}
	}
	return priceListJSON{ID: p.ID, Name: p.Name, Currency: p.Currency, Status: string(p.Status),
		CustomerIDs: nonNil(p.CustomerIDs), Prices: prices, CreatedAt: rfc3339(p.CreatedAt),
		UpdatedAt: rfc3339(p.UpdatedAt), Version: p.Version}
}

// createPriceListRequest is the body of POST /v1/price_lists: prices by SKU.
type createPriceListRequest struct {
	ID          string                     `json:"id,omitempty"`
	Name        string                     `json:"name,omitempty"`
	Currency    string                     `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	CustomerIDs []string                   `json:"customer_ids,omitempty"`
	Prices      map[string]domain.SKUPrice `json:"prices,omitempty"`
}

func (s *Server) createPriceList(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreatePriceList{PriceListID: commands.NewID()}
	create(s, w, r, "/v1/price_lists/", func(p *domain.PriceList) string { return p.ID }, priceListOf, func(o *object) {
		in := createPriceListRequest{ID: cmd.PriceListID} // a generated id unless one is given
		o.fill(&in)
		cmd.PriceListID, cmd.Name, cmd.Currency = in.ID, in.Name, in.Currency
		cmd.CustomerIDs, cmd.Prices = in.CustomerIDs, in.Prices
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.PriceList], error) {
		return s.cmd.Wholesale().CreatePriceList(r.Context(), cmd, opts...)
	})
}

// updatePriceListRequest is the body of PUT /v1/price_lists/{id}: customer_ids or prices
// null clears them.
type updatePriceListRequest struct {
	Name        *string                    `json:"name,omitempty"`
	CustomerIDs []string                   `json:"customer_ids,omitempty"`
	Prices      map[string]domain.SKUPrice `json:"prices,omitempty"`
}

// updatePriceList is PUT /v1/price_lists/{id}: name, customer_ids and prices, each
// replaced whole when given.
func (s *Server) updatePriceList(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdatePriceList
	command(s, w, r, priceListOf, func(o *object) {
		in := updatePriceListRequest{CustomerIDs: []string{}, Prices: map[string]domain.SKUPrice{}} // what null gives
		o.fill(&in)
		cmd.Name = in.Name
		if o.has("customer_ids") {
			cmd.CustomerIDs = &in.CustomerIDs
		}
		if o.has("prices") {
			cmd.Prices = &in.Prices
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.PriceList], error) {
		return s.cmd.Wholesale().UpdatePriceList(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// archivePriceList is POST /v1/price_lists/{id}/archive {reason}.
func (s *Server) archivePriceList(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, priceListOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.PriceList], error) {
		return s.cmd.Wholesale().ArchivePriceList(r.Context(), id, reason, opts...)
	})
}

func (s *Server) getPriceList(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.PriceLists().Name()), func() (projections.Doc[domain.PriceList], error) {
		return s.read.GetPriceList(r.Context(), mux.Vars(r)["id"])
	}, func(p *domain.PriceList) int64 { return p.Version }, priceListOf)
}

func (s *Server) listPriceLists(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.PriceLists().Name(), []string{"status", "currency"}, domain.PriceListStatuses,
		func(f projections.Filter) ([]*domain.PriceList, projections.PageInfo, error) {
			return s.read.ListPriceLists(r.Context(), f)
		}, priceListOf)
}

func (s *Server) priceListHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "price_list")
}

// ---- Wholesale accounts ----

// wholesaleAccountJSON is a wholesale account as the API shows it.
type wholesaleAccountJSON struct {
	CustomerID      string                       `json:"customer_id"`
	Currency        string                       `json:"currency"`
	CreditLimit     int64                        `json:"credit_limit"`
	Exposure        int64                        `json:"exposure"`
	AvailableCredit int64                        `json:"available_credit"`
	NetTerms        string                       `json:"net_terms"`
	PriceListID     string                       `json:"price_list_id"`
	CreditLines     map[string]domain.CreditLine `json:"credit_lines"`
	CreatedAt       string                       `json:"created_at"`
	UpdatedAt       string                       `json:"updated_at"`
	Version         int64                        `json:"version"`
}

func wholesaleAccountOf(a *domain.WholesaleAccount) wholesaleAccountJSON {
	lines := a.CreditLines
	if lines == nil {
		lines = map[string]domain.CreditLine{}
	}
	exp := a.Exposure()
	return wholesaleAccountJSON{CustomerID: a.CustomerID, Currency: a.Currency, CreditLimit: a.CreditLimit,
		Exposure: exp, AvailableCredit: max(a.CreditLimit-exp, 0), NetTerms: string(a.NetTerms),
		PriceListID: a.PriceListID, CreditLines: lines, CreatedAt: rfc3339(a.CreatedAt),
		UpdatedAt: rfc3339(a.UpdatedAt), Version: a.Version}
}

// putWholesaleAccountRequest is the body of PUT /v1/wholesale_accounts/{customer_id}:
// price_list_id "" or null clears it.
type putWholesaleAccountRequest struct {
	Currency    *string `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	CreditLimit *int64  `json:"credit_limit,omitempty" minimum:"0"`
	NetTerms    *string `json:"net_terms,omitempty" enum:"NET15,NET30,NET60"`
	PriceListID *string `json:"price_list_id,omitempty"`
}

// putWholesaleAccount is PUT /v1/wholesale_accounts/{customer_id} {currency, credit_limit,
// net_terms, price_list_id}: opens the account of a BUSINESS customer, or changes the
// terms given.
func (s *Server) putWholesaleAccount(w http.ResponseWriter, r *http.Request) {
	cmd := domain.UpdateWholesaleAccount{CustomerID: mux.Vars(r)["customer_id"]}
	command(s, w, r, wholesaleAccountOf, func(o *object) {
		var in putWholesaleAccountRequest
		o.fill(&in)
		cmd.Currency, cmd.CreditLimit, cmd.PriceListID = in.Currency, in.CreditLimit, in.PriceListID
		if in.NetTerms != nil {
			nt := domain.NetTerms(*in.NetTerms)
			cmd.NetTerms = &nt
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.WholesaleAccount], error) {
		return s.cmd.Wholesale().PutAccount(r.Context(), cmd, opts...)
	})
}

func (s *Server) getWholesaleAccount(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.WholesaleAccounts().Name()), func() (projections.Doc[domain.WholesaleAccount], error) {
		return s.read.GetWholesaleAccount(r.Context(), mux.Vars(r)["customer_id"])
	}, func(a *domain.WholesaleAccount) int64 { return a.Version }, wholesaleAccountOf)
}

// ---- Wholesale orders ----

// wholesaleOrderJSON is a wholesale order as the API shows it.
type wholesaleOrderJSON struct {
	ID                string                 `json:"id"`
	OrderNumber       string                 `json:"order_number"`
	CustomerID        string                 `json:"customer_id"`
	PriceListID       string                 `json:"price_list_id"`
	Currency          string                 `json:"currency"`
	PONumber          string                 `json:"po_number"`
	NetTerms          string                 `json:"net_terms"`
	LocationID        string                 `json:"location_id"`
	Lines             []domain.WholesaleLine `json:"lines"`
	Subtotal          int64                  `json:"subtotal"`
	Total             int64                  `json:"total"`
	Status            string                 `json:"status"`
	FinancialStatus   string                 `json:"financial_status"`
	FulfillmentStatus string                 `json:"fulfillment_status"`
	InvoiceNumber     string                 `json:"invoice_number,omitempty"`
	DueAt             string                 `json:"due_at,omitempty"`
	Notes             string                 `json:"notes"`
	CreatedAt         string                 `json:"created_at"`
	UpdatedAt         string                 `json:"updated_at"`
	Version           int64                  `json:"version"`
}

func wholesaleOrderOf(o *domain.WholesaleOrder) wholesaleOrderJSON {
	out := wholesaleOrderJSON{ID: o.ID, OrderNumber: o.OrderNumber, CustomerID: o.CustomerID, PriceListID: o.PriceListID,
		Currency: o.Currency, PONumber: o.PONumber, NetTerms: string(o.NetTerms), LocationID: o.LocationID,
		Lines: nonNil(o.Lines), Subtotal: o.Subtotal, Total: o.Total, Status: string(o.Status),
		FinancialStatus: string(o.FinancialStatus), FulfillmentStatus: string(o.FulfillmentStatus),
		InvoiceNumber: o.InvoiceNumber, Notes: o.Notes, CreatedAt: rfc3339(o.CreatedAt), UpdatedAt: rfc3339(o.UpdatedAt),
		Version: o.Version}
	if o.DueAt != nil {
		out.DueAt = rfc3339(*o.DueAt)
	}
	return out
}

// wholesaleLineInput is a wholesale order line as a request gives it.
type wholesaleLineInput struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// wholesaleLines are the lines given (nil for none given); a line without line_id is
// numbered from 1 in body order.
func wholesaleLines(in []wholesaleLineInput) []domain.WholesaleLineInput {
	if in == nil {
		return nil
	}
	out := make([]domain.WholesaleLineInput, len(in))
	for i, l := range in {
		if l.LineID == "" {
			l.LineID = strconv.Itoa(i + 1)
		}
		out[i] = domain.WholesaleLineInput{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity}
	}
	return out
}

// createWholesaleOrderRequest is the body of POST /v1/wholesale_orders: without
// price_list_id, the customer's account's list.
type createWholesaleOrderRequest struct {
	ID          string               `json:"id,omitempty"`
	CustomerID  string               `json:"customer_id,omitempty"`
	PriceListID string               `json:"price_list_id,omitempty"`
	LocationID  string               `json:"location_id,omitempty"`
	PONumber    string               `json:"po_number,omitempty"`
	Notes       string               `json:"notes,omitempty"`
	Lines       []wholesaleLineInput `json:"lines,omitempty"`
}

func (s *Server) createWholesaleOrder(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateWholesaleOrder{OrderID: commands.NewID(), LocationID: DefaultLocation}
	var priceListID string
	create(s, w, r, "/v1/wholesale_orders/", func(w *domain.WholesaleOrder) string { return w.ID }, wholesaleOrderOf, func(o *object) {
		in := createWholesaleOrderRequest{ID: cmd.OrderID, LocationID: cmd.LocationID} // the defaults
		o.fill(&in)
		cmd.OrderID, cmd.CustomerID, priceListID, cmd.LocationID = in.ID, in.CustomerID, in.PriceListID, in.LocationID
		cmd.PONumber, cmd.Notes, cmd.Lines = in.PONumber, in.Notes, wholesaleLines(in.Lines)
		o.v.Check(domain.ValidID(cmd.OrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(domain.ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(priceListID == "" || domain.ValidID(priceListID), "price_list_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}, func(opts []commands.Option) (commands.Result[domain.WholesaleOrder], error) {
		return s.cmd.Wholesale().CreateOrder(r.Context(), cmd, priceListID, opts...)
	})
}

// updateWholesaleOrderRequest is the body of PUT /v1/wholesale_orders/{id}: lines
// replace them all.
type updateWholesaleOrderRequest struct {
	PONumber   *string              `json:"po_number,omitempty"`
	LocationID *string              `json:"location_id,omitempty"`
	Notes      *string              `json:"notes,omitempty"`
	Lines      []wholesaleLineInput `json:"lines,omitempty"`
}

// updateWholesaleOrder is PUT /v1/wholesale_orders/{id}: a draft's po_number, location_id,
// notes, and lines (re-priced from the order's list).
func (s *Server) updateWholesaleOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateWholesaleOrder
	command(s, w, r, wholesaleOrderOf, func(o *object) {
		var in updateWholesaleOrderRequest
		o.fill(&in)
		cmd.PONumber, cmd.LocationID, cmd.Notes = in.PONumber, in.LocationID, in.Notes
		if lines := wholesaleLines(in.Lines); lines != nil {
			cmd.Lines = &lines
		}
	}, func(opts []commands.Option) (commands.Result[domain.WholesaleOrder], error) {
		return s.cmd.Wholesale().UpdateOrder(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// wholesaleOrderAction is POST /v1/wholesale_orders/{id}/{action} {reason}.
func (s *Server) wholesaleOrderAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, wholesaleOrderOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.WholesaleOrder], error) {
		return s.cmd.Wholesale().ActOnOrder(r.Context(), id, action, reason, opts...)
	})
}

// invoiceWholesaleOrderRequest is the body of POST /v1/wholesale_orders/{id}/invoice.
type invoiceWholesaleOrderRequest struct {
	InvoiceNumber string `json:"invoice_number,omitempty"`
}

// invoiceWholesaleOrder is POST /v1/wholesale_orders/{id}/invoice {invoice_number}; without
// one the order gets the next INV-000001 style number.
func (s *Server) invoiceWholesaleOrder(w http.ResponseWriter, r *http.Request) {
	var in invoiceWholesaleOrderRequest
	command(s, w, r, wholesaleOrderOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.WholesaleOrder], error) {
			return s.cmd.Wholesale().InvoiceOrder(r.Context(), mux.Vars(r)["id"], in.InvoiceNumber, opts...)
		})
}

func (s *Server) getWholesaleOrder(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.WholesaleOrders().Name()), func() (projections.Doc[domain.WholesaleOrder], error) {
		return s.read.GetWholesaleOrder(r.Context(), mux.Vars(r)["id"])
	}, func(o *domain.WholesaleOrder) int64 { return o.Version }, wholesaleOrderOf)
}

func (s *Server) listWholesaleOrders(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.WholesaleOrders().Name(), projections.WholesaleOrderColumns, domain.WholesaleOrderStatuses,
		func(f projections.Filter) ([]*domain.WholesaleOrder, projections.PageInfo, error) {
			return s.read.ListWholesaleOrders(r.Context(), f)
		}, wholesaleOrderOf)
}

func (s *Server) wholesaleOrderHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "wholesale_order")
}
