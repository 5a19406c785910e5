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

// createReturn is POST /v1/returns {id?, order_id, items: [{line_id or sku, quantity,
// reason, condition}], notes}. The order holds the quantities before the return exists.
func (s *Server) createReturn(w http.ResponseWriter, r *http.Request) {
	in := commands.RequestReturn{ReturnID: commands.NewID()}
	create(s, w, r, "/v1/returns/", func(r *domain.Return) string { return r.ID }, returnOf, func(o *object) {
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
	}, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Create(r.Context(), in, opts...)
	})
}

// returnAction is POST /v1/returns/{id}/{action} {reason}.
func (s *Server) returnAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, returnOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Act(r.Context(), id, action, reason, opts...)
	})
}

// inspectReturn is POST /v1/returns/{id}/inspect {items: [{line_id, disposition, location_id}]}.
func (s *Server) inspectReturn(w http.ResponseWriter, r *http.Request) {
	var cmd domain.InspectReturn
	command(s, w, r, returnOf, func(o *object) {
		var items []struct {
			LineID      string `json:"line_id"`
			Disposition string `json:"disposition"`
			LocationID  string `json:"location_id"`
		}
		o.into("items", &items)
		for _, it := range items {
			cmd.Items = append(cmd.Items, domain.ReturnInspection(it))
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Inspect(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// refundReturn is POST /v1/returns/{id}/refund {amount, reason}; amount 0 or absent
// refunds what is left of the items' value.
func (s *Server) refundReturn(w http.ResponseWriter, r *http.Request) {
	var cmd domain.RefundReturn
	command(s, w, r, returnOf, func(o *object) {
		o.into("amount", &cmd.Amount)
		o.into("reason", &cmd.Reason)
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Refund(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) getReturn(w http.ResponseWriter, r *http.Request) {
	getDocAsOf(s, w, r, "return", s.runner(projections.Returns().Name()), func() (projections.Doc[domain.Return], error) {
		return s.read.GetReturn(r.Context(), mux.Vars(r)["id"])
	}, s.cmd.Returns().At, func(rt *domain.Return) int64 { return rt.Version }, returnOf)
}

func (s *Server) listReturns(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Returns().Name(), []string{"status", "order_id", "customer_id", "rma_number"}, domain.ReturnStatuses,
		func(f projections.Filter) ([]*domain.Return, projections.PageInfo, error) {
			return s.read.ListReturns(r.Context(), f)
		}, returnOf)
}

func (s *Server) returnHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "return") }
