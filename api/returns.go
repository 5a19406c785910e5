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

// createReturnRequest is the body of POST /v1/returns: each item names its order line
// by line_id or sku. The order holds the quantities before the return exists.
type createReturnRequest struct {
	ID      string `json:"id,omitempty"`
	OrderID string `json:"order_id,omitempty"`
	Notes   string `json:"notes,omitempty"`
	Items   []struct {
		LineID    string `json:"line_id"`
		SKU       string `json:"sku"`
		Quantity  int64  `json:"quantity"`
		Reason    string `json:"reason" enum:"DEFECTIVE,WRONG_ITEM,NOT_AS_DESCRIBED,NO_LONGER_NEEDED,DAMAGED_IN_TRANSIT,OTHER"`
		Condition string `json:"condition"`
	} `json:"items,omitempty"`
}

func (s *Server) createReturn(w http.ResponseWriter, r *http.Request) {
	var cmd commands.RequestReturn
	create(s, w, r, "/v1/returns/", func(r *domain.Return) string { return r.ID }, returnOf, func(o *object) {
		in := createReturnRequest{ID: commands.NewID()}
		o.fill(&in)
		cmd = commands.RequestReturn{ReturnID: in.ID, OrderID: in.OrderID, Notes: in.Notes}
		for _, it := range in.Items {
			cmd.Items = append(cmd.Items, commands.ReturnItemInput(it))
		}
		o.v.Check(domain.ValidID(cmd.ReturnID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(cmd.OrderID != "", "order_id", "is required")
		o.v.Check(len(cmd.Items) > 0, "items", "at least one item")
	}, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Create(r.Context(), cmd, opts...)
	})
}

// returnAction is POST /v1/returns/{id}/{action} {reason}.
// updateReturnRequest is the body of PUT /v1/returns/{id}: its notes.
type updateReturnRequest struct {
	Notes *string `json:"notes,omitempty"`
}

// updateReturn is PUT /v1/returns/{id}: the notes, in any status.
func (s *Server) updateReturn(w http.ResponseWriter, r *http.Request) {
	var in updateReturnRequest
	command(s, w, r, returnOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().UpdateReturn(r.Context(), mux.Vars(r)["id"], domain.UpdateReturn{Notes: in.Notes}, opts...)
	})
}

func (s *Server) returnAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, returnOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Act(r.Context(), id, action, reason, opts...)
	})
}

// inspectReturnRequest is the body of POST /v1/returns/{id}/inspect: one disposition a
// line, a RESTOCK line with the warehouse it goes back to.
type inspectReturnRequest struct {
	Items []struct {
		LineID      string `json:"line_id"`
		Disposition string `json:"disposition" enum:"RESTOCK,DAMAGED,DISPOSE"`
		LocationID  string `json:"location_id"`
	} `json:"items,omitempty"`
}

func (s *Server) inspectReturn(w http.ResponseWriter, r *http.Request) {
	var cmd domain.InspectReturn
	command(s, w, r, returnOf, func(o *object) {
		var in inspectReturnRequest
		o.fill(&in)
		for _, it := range in.Items {
			cmd.Items = append(cmd.Items, domain.ReturnInspection(it))
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Return], error) {
		return s.cmd.Returns().Inspect(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// refundReturn is POST /v1/returns/{id}/refund (refundRequest); amount 0 or absent
// refunds what is left of the items' value.
func (s *Server) refundReturn(w http.ResponseWriter, r *http.Request) {
	var cmd domain.RefundReturn
	command(s, w, r, returnOf, func(o *object) {
		var in refundRequest
		o.fill(&in)
		cmd = domain.RefundReturn{Amount: in.Amount, Reason: in.Reason}
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
