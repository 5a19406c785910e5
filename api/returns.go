package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// returnJSON is a return as the API shows it: the aggregate plus the items' value.
type returnJSON struct {
	domain.Return
	Items      []domain.ReturnItem `json:"items"`
	TotalValue int64               `json:"total_value"`
}

func returnOf(r *domain.Return) returnJSON {
	return returnJSON{Return: *r, Items: nonNil(r.Items), TotalValue: r.Value()}
}

func (s *Server) returnsRunner() *projections.Runner {
	run, _ := s.read.Runner(projections.Returns().Name())
	return run
}

// createReturn is POST /v1/returns {id?, order_id, items: [{line_id or sku, quantity,
// reason, condition}], notes}. The order holds the quantities before the return exists.
func (s *Server) createReturn(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := commands.RequestReturn{ReturnID: commands.NewID()}
	o.into("id", &in.ReturnID)
	o.into("order_id", &in.OrderID)
	o.into("notes", &in.Notes)
	var items []struct {
		LineID    string `json:"line_id"`
		SKU       string `json:"sku"`
		Quantity  int64  `json:"quantity"`
		Reason    string `json:"reason"`
		Condition string `json:"condition"`
	}
	o.into("items", &items)
	for _, it := range items {
		in.Items = append(in.Items, commands.ReturnItemInput(it))
	}
	o.v.Check(domain.ValidID(in.ReturnID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	o.v.Check(in.OrderID != "", "order_id", "is required")
	o.v.Check(len(in.Items) > 0, "items", "at least one item")
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.CreateReturn(r.Context(), in, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/returns/"+res.Aggregate.ID)
	s.replyReturn(w, http.StatusCreated, res)
}

func (s *Server) replyReturn(w http.ResponseWriter, status int, res commands.Result[domain.Return]) {
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, status, returnOf(res.Aggregate))
}

// returnAction is POST /v1/returns/{id}/{action} {reason}.
func (s *Server) returnAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, returnOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.ActOnReturn(r.Context(), id, action, reason, opts...)
	})
}

// inspectReturn is POST /v1/returns/{id}/inspect {items: [{line_id, disposition, location_id}]}.
func (s *Server) inspectReturn(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var items []struct {
		LineID      string `json:"line_id"`
		Disposition string `json:"disposition"`
		LocationID  string `json:"location_id"`
	}
	o.into("items", &items)
	var cmd domain.InspectReturn
	for _, it := range items {
		cmd.Items = append(cmd.Items, domain.ReturnInspection(it))
	}
	cmd.Check(&o.v)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	command(s, w, r, returnOf, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.InspectReturn(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// refundReturn is POST /v1/returns/{id}/refund {amount, reason}; amount 0 or absent
// refunds what is left of the items' value.
func (s *Server) refundReturn(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var cmd domain.RefundReturn
	o.into("amount", &cmd.Amount)
	o.into("reason", &cmd.Reason)
	cmd.Check(&o.v)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	command(s, w, r, returnOf, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.RefundReturn(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) getReturn(w http.ResponseWriter, r *http.Request) {
	getDocAsOf(s, w, r, "return", s.returnsRunner(), func() (projections.Doc[domain.Return], error) {
		return s.read.GetReturn(r.Context(), mux.Vars(r)["id"])
	}, s.cmd.ReturnAt, func(rt *domain.Return) int64 { return rt.Version }, returnOf)
}

func (s *Server) listReturns(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Returns().Name(), []string{"status", "order_id", "customer_id", "rma_number"}, domain.ReturnStatuses,
		func(f projections.Filter) ([]*domain.Return, projections.PageInfo, error) {
			return s.read.ListReturns(r.Context(), f)
		}, returnOf)
}

func (s *Server) returnHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "return") }
