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

// createWarranty is POST /v1/warranties {id?, customer_id, order_id?, sku, serial_number?,
// type, starts_at? (RFC 3339, default now), duration_months, terms?}.
func (s *Server) createWarranty(w http.ResponseWriter, r *http.Request) {
	cmd := domain.RegisterWarranty{WarrantyID: commands.NewID(), StartsAt: time.Now().UTC()}
	create(s, w, r, "/v1/warranties/", func(w *domain.Warranty) string { return w.ID }, warrantyOf, func(o *object) {
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
	}, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().Register(r.Context(), cmd, opts...)
	})
}

// warrantyAction is POST /v1/warranties/{id}/{action} {reason}, and the SDK's
// POST /v1/warranties/{action}/{id}.
func (s *Server) warrantyAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, warrantyOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().Act(r.Context(), id, action, reason, opts...)
	})
}

// fileWarrantyClaim is POST /v1/warranties/{id}/claims {id?, issue_description, photos}.
func (s *Server) fileWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	cmd := domain.FileWarrantyClaim{ClaimID: commands.NewID()}
	addTo(s, w, r, warrantyOf, func(o *object) {
		o.into("id", &cmd.ClaimID)
		o.into("issue_description", &cmd.IssueDescription)
		o.into("photos", &cmd.Photos)
	}, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().FileClaim(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// approveWarrantyClaim is POST /v1/warranties/{id}/claims/{claim_id}/approve {resolution}.
func (s *Server) approveWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var resolution string
	command(s, w, r, warrantyOf, func(o *object) { o.into("resolution", &resolution) },
		func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
			return s.cmd.Warranties().ApproveClaim(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["claim_id"], resolution, opts...)
		})
}

// rejectWarrantyClaim is POST /v1/warranties/{id}/claims/{claim_id}/reject {reason}.
func (s *Server) rejectWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var reason string
	command(s, w, r, warrantyOf, func(o *object) { o.into("reason", &reason) },
		func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
			return s.cmd.Warranties().RejectClaim(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["claim_id"], reason, opts...)
		})
}

func (s *Server) getWarranty(w http.ResponseWriter, r *http.Request) {
	getDocAsOf(s, w, r, "warranty", s.runner(projections.Warranties().Name()), func() (projections.Doc[domain.Warranty], error) {
		return s.read.GetWarranty(r.Context(), mux.Vars(r)["id"])
	}, s.cmd.Warranties().At, func(wt *domain.Warranty) int64 { return wt.Version }, warrantyOf)
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
