package api

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// warrantyJSON is a warranty as the API shows it, with when it stops covering.
type warrantyJSON struct {
	domain.Warranty
	Claims    []domain.WarrantyClaim `json:"claims"`
	ExpiresAt string                 `json:"expires_at"`
}

func warrantyOf(w *domain.Warranty) warrantyJSON {
	return warrantyJSON{Warranty: *w, Claims: nonNil(w.Claims), ExpiresAt: rfc3339(w.ExpiresAt())}
}

func (s *Server) warrantiesRunner() *projections.Runner {
	run, _ := s.read.Runner(projections.Warranties().Name())
	return run
}

// createWarranty is POST /v1/warranties {id?, customer_id, order_id?, sku, serial_number?,
// type, starts_at? (RFC 3339, default now), duration_months, terms?}.
func (s *Server) createWarranty(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := domain.RegisterWarranty{WarrantyID: commands.NewID(), StartsAt: time.Now().UTC()}
	o.into("id", &cmd.WarrantyID)
	o.into("customer_id", &cmd.CustomerID)
	o.into("order_id", &cmd.OrderID)
	o.into("sku", &cmd.SKU)
	o.into("serial_number", &cmd.SerialNumber)
	o.into("type", &cmd.Type)
	o.into("duration_months", &cmd.DurationMonths)
	o.into("terms", &cmd.Terms)
	var starts string
	if o.into("starts_at", &starts) {
		t, err := time.Parse(time.RFC3339, starts)
		o.v.Check(err == nil, "starts_at", "must be an RFC 3339 time")
		cmd.StartsAt = t
	}
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.RegisterWarranty(r.Context(), cmd, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/warranties/"+res.Aggregate.ID)
	s.replyWarranty(w, http.StatusCreated, res)
}

func (s *Server) replyWarranty(w http.ResponseWriter, status int, res commands.Result[domain.Warranty]) {
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, status, warrantyOf(res.Aggregate))
}

func (s *Server) warrantyCommand(w http.ResponseWriter, r *http.Request, status int, run func([]commands.Option) (commands.Result[domain.Warranty], error)) {
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := run(append(opts, commands.WithMetadata(meta(r))))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.replyWarranty(w, status, res)
}

// warrantyAction is POST /v1/warranties/{id}/{action} {reason}, and the SDK's
// POST /v1/warranties/{action}/{id}.
func (s *Server) warrantyAction(w http.ResponseWriter, r *http.Request) {
	action := mux.Vars(r)["action"]
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var reason string
	o.into("reason", &reason)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.warrantyCommand(w, r, http.StatusOK, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.ActOnWarranty(r.Context(), mux.Vars(r)["id"], action, reason, opts...)
	})
}

// fileWarrantyClaim is POST /v1/warranties/{id}/claims {id?, issue_description, photos}.
func (s *Server) fileWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := domain.FileWarrantyClaim{ClaimID: commands.NewID()}
	o.into("id", &cmd.ClaimID)
	o.into("issue_description", &cmd.IssueDescription)
	o.into("photos", &cmd.Photos)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.warrantyCommand(w, r, http.StatusCreated, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.FileWarrantyClaim(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// approveWarrantyClaim is POST /v1/warranties/{id}/claims/{claim_id}/approve {resolution}.
func (s *Server) approveWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var resolution string
	o.into("resolution", &resolution)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	v := mux.Vars(r)
	s.warrantyCommand(w, r, http.StatusOK, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.ApproveWarrantyClaim(r.Context(), v["id"], v["claim_id"], resolution, opts...)
	})
}

// rejectWarrantyClaim is POST /v1/warranties/{id}/claims/{claim_id}/reject {reason}.
func (s *Server) rejectWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var reason string
	o.into("reason", &reason)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	v := mux.Vars(r)
	s.warrantyCommand(w, r, http.StatusOK, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.RejectWarrantyClaim(r.Context(), v["id"], v["claim_id"], reason, opts...)
	})
}

func (s *Server) getWarranty(w http.ResponseWriter, r *http.Request) {
	getDocAsOf(s, w, r, "warranty", s.warrantiesRunner(), func() (projections.Doc[domain.Warranty], error) {
		return s.read.GetWarranty(r.Context(), mux.Vars(r)["id"])
	}, s.cmd.WarrantyAt, func(wt *domain.Warranty) int64 { return wt.Version }, warrantyOf)
}

func (s *Server) listWarranties(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Warranties().Name(),
		[]string{"status", "customer_id", "order_id", "sku", "serial_number", "warranty_number", "type"}, domain.WarrantyStatuses,
		func(f projections.Filter) ([]*domain.Warranty, projections.PageInfo, error) {
			return s.read.ListWarranties(r.Context(), f)
		},
		warrantyOf)
}

func (s *Server) warrantyHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "warranty") }
