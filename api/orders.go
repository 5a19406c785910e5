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

type orderItemInput struct {
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
}

func orderItems(o *object) *[]domain.OrderLineInput {
	var in []orderItemInput
	if !o.into("items", &in) {
		return nil
	}
	out := make([]domain.OrderLineInput, len(in))
	for i, l := range in {
		out[i] = domain.OrderLineInput(l)
	}
	return &out
}

// DefaultLocation is where an order without location_id is fulfilled from.
const DefaultLocation = "main"

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateOrder{OrderID: commands.NewID(), LocationID: DefaultLocation}
	create(s, w, r, "/v1/orders/", func(o *domain.Order) string { return o.ID }, orderOf, func(o *object) {
		o.into("id", &cmd.OrderID)
		o.into("customer_id", &cmd.CustomerID)
		o.into("currency", &cmd.Currency)
		o.into("location_id", &cmd.LocationID)
		o.into("channel", &cmd.Channel)
		o.into("notes", &cmd.Notes)
		o.into("metadata", &cmd.Metadata)
		cmd.ShippingAddress, cmd.BillingAddress = orderAddress(o, "shipping_address"), orderAddress(o, "billing_address")
		var status string
		if o.into("status", &status) {
			o.v.Check(status == "DRAFT" || status == "PENDING", "status", "must be DRAFT or PENDING")
			cmd.Submit = status == "PENDING"
		}
		if items := orderItems(o); items != nil {
			cmd.Items = *items
		}
		o.v.Check(domain.ValidID(cmd.OrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Create(r.Context(), cmd, opts...)
	})
}

// orderAddress reads an address field of an order, nil when absent. Each address is read
// into its own value: a billing address leaving out street2 has none, whatever the
// shipping address said.
func orderAddress(o *object, field string) *domain.Address {
	var in addressInput
	if !o.into(field, &in) {
		return nil
	}
	a := in.address()
	return &a
}

// updateOrder is PUT /v1/orders/{id}: an edit before shipping. Items replaces the lines
// (a line keeps its id and reservation when its SKU stays); a confirmed order's
// reservations follow the new lines (F4).
func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateOrder
	command(s, w, r, orderOf, func(o *object) {
		cmd.Items = orderItems(o)
		cmd.Notes = o.str("notes")
		cmd.Channel = o.str("channel")
		cmd.ShippingAddress, cmd.BillingAddress = orderAddress(o, "shipping_address"), orderAddress(o, "billing_address")
		var m map[string]string
		if o.has("metadata") {
			o.into("metadata", &m)
			cmd.Metadata = &m
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

// shipOrder is POST /v1/orders/{id}/ship {lines: [{line_id, quantity}], carrier,
// tracking_number}; without lines it ships everything not yet shipped.
func (s *Server) shipOrder(w http.ResponseWriter, r *http.Request) {
	var cmd domain.ShipOrder
	command(s, w, r, orderOf, func(o *object) {
		var lines []struct {
			LineID   string `json:"line_id"`
			Quantity int64  `json:"quantity"`
		}
		o.into("lines", &lines)
		for _, l := range lines {
			cmd.Lines = append(cmd.Lines, domain.ShipLine{LineID: l.LineID, Quantity: l.Quantity})
		}
		o.into("carrier", &cmd.Carrier)
		o.into("tracking_number", &cmd.TrackingNumber)
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Ship(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) addOrderNote(w http.ResponseWriter, r *http.Request) {
	var body string
	command(s, w, r, orderOf, func(o *object) {
		o.into("body", &body)
		if b := o.str("note"); b != nil { // StateSet's SDK sends "note"
			body = *b
		}
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().AddNote(r.Context(), mux.Vars(r)["id"], body, opts...)
	})
}

func (s *Server) payOrder(w http.ResponseWriter, r *http.Request) {
	var amount int64
	var ref string
	command(s, w, r, orderOf, func(o *object) {
		o.into("amount", &amount)
		o.into("reference", &ref)
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Pay(r.Context(), mux.Vars(r)["id"], amount, ref, opts...)
	})
}

func (s *Server) refundOrder(w http.ResponseWriter, r *http.Request) {
	var amount int64
	var reason string
	command(s, w, r, orderOf, func(o *object) {
		o.into("amount", &amount)
		o.into("reason", &reason)
	}, func(opts []commands.Option) (commands.Result[domain.Order], error) {
		return s.cmd.Orders().Refund(r.Context(), mux.Vars(r)["id"], amount, reason, "", "", opts...)
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
