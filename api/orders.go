package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// orderJSON is an order as the API shows it.
type orderJSON struct {
	ID                string             `json:"id"`
	OrderNumber       string             `json:"order_number"`
	CustomerID        string             `json:"customer_id"`
	Status            string             `json:"status"`
	PaymentStatus     string             `json:"payment_status"`
	FulfillmentStatus string             `json:"fulfillment_status"`
	Currency          string             `json:"currency"`
	LocationID        string             `json:"location_id"`
	Channel           string             `json:"channel"`
	Notes             string             `json:"notes"`
	Items             []domain.OrderLine `json:"items"`
	ShippingAddress   *domain.Address    `json:"shipping_address"`
	BillingAddress    *domain.Address    `json:"billing_address"`
	Metadata          map[string]string  `json:"metadata"`
	Subtotal          int64              `json:"subtotal"`
	Total             int64              `json:"total_amount"`
	PaidAmount        int64              `json:"paid_amount"`
	RefundedAmount    int64              `json:"refunded_amount"`
	CreatedAt         string             `json:"created_at"`
	UpdatedAt         string             `json:"updated_at"`
	Version           int64              `json:"version"`
}

func orderOf(o *domain.Order) orderJSON {
	return orderJSON{ID: o.ID, OrderNumber: o.OrderNumber, CustomerID: o.CustomerID, Status: string(o.Status),
		PaymentStatus: o.PaymentStatus, FulfillmentStatus: o.FulfillmentStatus(), Currency: o.Currency,
		LocationID: o.LocationID, Channel: o.Channel, Notes: o.Notes, Items: nonNil(o.Items),
		ShippingAddress: o.ShippingAddress, BillingAddress: o.BillingAddress, Metadata: nonNilMap(o.Metadata),
		Subtotal: o.Subtotal, Total: o.Total, PaidAmount: o.PaidAmount, RefundedAmount: o.RefundedAmount,
		CreatedAt: rfc3339(o.CreatedAt), UpdatedAt: rfc3339(o.UpdatedAt), Version: o.Version}
}

// orderItemInput is one order line of a request.
type orderItemInput struct {
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Quantity  int64  `json:"quantity" minimum:"1"`
	UnitPrice int64  `json:"unit_price" minimum:"0"`
}

func orderLines(in []orderItemInput) []domain.OrderLineInput {
	out := make([]domain.OrderLineInput, len(in))
	for i, l := range in {
		out[i] = domain.OrderLineInput(l)
	}
	return out
}

// orderAddress is an address a request gives, nil when it gives none.
func orderAddress(in *addressInput) *domain.Address {
	if in == nil {
		return nil
	}
	a := in.address()
	return &a
}

// DefaultLocation is where an order without location_id is fulfilled from.
const DefaultLocation = "main"

// createOrderRequest is the body of POST /v1/orders.
type createOrderRequest struct {
	ID              string            `json:"id,omitempty"`
	CustomerID      string            `json:"customer_id,omitempty"`
	Currency        string            `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	LocationID      string            `json:"location_id,omitempty"` // main unless given
	Channel         string            `json:"channel,omitempty"`
	Notes           string            `json:"notes,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	ShippingAddress *addressInput     `json:"shipping_address,omitempty"`
	BillingAddress  *addressInput     `json:"billing_address,omitempty"`
	Status          string            `json:"status,omitempty" enum:"DRAFT,PENDING"` // DRAFT unless given
	Items           []orderItemInput  `json:"items,omitempty"`
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateOrder
	create(s, w, r, "/v1/orders/", func(o *domain.Order) string { return o.ID }, orderOf, func(o *object) {
		in := createOrderRequest{ID: commands.NewID(), LocationID: DefaultLocation}
		o.fill(&in)
		cmd = domain.CreateOrder{OrderID: in.ID, CustomerID: in.CustomerID, Currency: in.Currency, LocationID: in.LocationID,
			Channel: in.Channel, Notes: in.Notes, Metadata: in.Metadata,
			ShippingAddress: orderAddress(in.ShippingAddress), BillingAddress: orderAddress(in.BillingAddress)}
		if o.given("status") {
			o.v.Check(in.Status == "DRAFT" || in.Status == "PENDING", "status", "must be DRAFT or PENDING")
			cmd.Submit = in.Status == "PENDING"
		}
		if in.Items != nil {
			cmd.Items = orderLines(in.Items)
		}
		o.v.Check(domain.ValidID(cmd.OrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Create(r.Context(), cmd, opts...)
	})
}

// updateOrderRequest is the body of PUT /v1/orders/{id}: what it gives changes.
type updateOrderRequest struct {
	Items           []orderItemInput  `json:"items,omitempty"`
	Notes           *string           `json:"notes,omitempty"`
	Channel         *string           `json:"channel,omitempty"`
	ShippingAddress *addressInput     `json:"shipping_address,omitempty"`
	BillingAddress  *addressInput     `json:"billing_address,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"` // null clears it
}

// updateOrder is PUT /v1/orders/{id}: an edit before shipping. Items replaces the lines
// (a line keeps its id and reservation when its SKU stays); a confirmed order's
// reservations follow the new lines (F4).
func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateOrder
	command(s, w, r, orderOf, func(o *object) {
		var in updateOrderRequest
		o.fill(&in)
		if in.Items != nil {
			lines := orderLines(in.Items)
			cmd.Items = &lines
		}
		cmd.Notes, cmd.Channel = in.Notes, in.Channel
		cmd.ShippingAddress, cmd.BillingAddress = orderAddress(in.ShippingAddress), orderAddress(in.BillingAddress)
		if o.has("metadata") {
			cmd.Metadata = &in.Metadata
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Update(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// orderAction is POST /v1/orders/{id}/{action} {reason}.
func (s *Server) orderAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, orderOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Act(r.Context(), id, action, reason, opts...)
	})
}

// shipOrderRequest is the body of POST /v1/orders/{id}/ship: without lines it ships
// everything not yet shipped.
type shipOrderRequest struct {
	Lines []struct {
		LineID   string `json:"line_id"`
		Quantity int64  `json:"quantity"`
	} `json:"lines,omitempty"`
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
}

func (s *Server) shipOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.ShipOrder
	command(s, w, r, orderOf, func(o *object) {
		var in shipOrderRequest
		o.fill(&in)
		for _, l := range in.Lines {
			cmd.Lines = append(cmd.Lines, domain.ShipLine{LineID: l.LineID, Quantity: l.Quantity})
		}
		cmd.Carrier, cmd.TrackingNumber = in.Carrier, in.TrackingNumber
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Ship(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// orderNoteRequest is the body of POST /v1/orders/{id}/notes: the note, as body or as
// the SDK's note.
type orderNoteRequest struct {
	Body string  `json:"body,omitempty"`
	Note *string `json:"note,omitempty"`
}

func (s *Server) addOrderNote(w http.ResponseWriter, r *http.Request) {
	var in orderNoteRequest
	command(s, w, r, orderOf, func(o *object) {
		o.fill(&in)
		if in.Note != nil { // StateSet's SDK sends "note"
			in.Body = *in.Note
		}
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().AddNote(r.Context(), mux.Vars(r)["id"], in.Body, opts...)
	})
}

// payOrderRequest is the body of POST /v1/orders/{id}/pay: the captured amount (the
// total unless given).
type payOrderRequest struct {
	Amount    int64  `json:"amount,omitempty" minimum:"0"`
	Reference string `json:"reference,omitempty"`
}

func (s *Server) payOrder(w http.ResponseWriter, r *http.Request) {
	var in payOrderRequest
	command(s, w, r, orderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Pay(r.Context(), mux.Vars(r)["id"], in.Amount, in.Reference, opts...)
	})
}

// refundRequest is the body of a refund: the amount (0 or absent: all that is left) and
// why.
type refundRequest struct {
	Amount int64  `json:"amount,omitempty" minimum:"0"`
	Reason string `json:"reason,omitempty"`
}

func (s *Server) refundOrder(w http.ResponseWriter, r *http.Request) {
	var in refundRequest
	command(s, w, r, orderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Refund(r.Context(), mux.Vars(r)["id"], in.Amount, in.Reason, "", "", opts...)
	})
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	getDocAsOf(s, w, r, "order", s.runner(projections.Orders().Name()), func() (projections.Doc[domain.Order], error) {
		return s.read.GetOrder(r.Context(), mux.Vars(r)["id"])
	}, s.cmd.Orders().At, func(o *domain.Order) int64 { return o.Version }, orderOf)
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Orders().Name(), []string{"status", "customer_id", "order_number", "payment_status", "fulfillment_status", "location_id", "channel"}, domain.OrderStatuses,
		func(f projections.Filter) ([]*domain.Order, projections.PageInfo, error) {
			return s.read.ListOrders(r.Context(), f)
		}, orderOf)
}

func (s *Server) orderHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "order") }
