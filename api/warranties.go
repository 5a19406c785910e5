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
	Metadata  map[string]string      `json:"metadata"`
	ExpiresAt string                 `json:"expires_at"`
}

func warrantyOf(w *domain.Warranty) warrantyJSON {
	return warrantyJSON{Warranty: *w, Claims: nonNil(w.Claims), Metadata: nonNilMap(w.Metadata), ExpiresAt: rfc3339(w.ExpiresAt())}
}

// createWarrantyRequest is the body of POST /v1/warranties; starts_at is now unless
// given.
type createWarrantyRequest struct {
	ID             string            `json:"id,omitempty"`
	CustomerID     string            `json:"customer_id,omitempty"`
	OrderID        string            `json:"order_id,omitempty"`
	SKU            string            `json:"sku,omitempty"`
	SerialNumber   string            `json:"serial_number,omitempty"`
	Type           string            `json:"type,omitempty" enum:"MANUFACTURER,EXTENDED,THIRD_PARTY"`
	DurationMonths int               `json:"duration_months,omitempty" minimum:"1" maximum:"120"`
	Terms          string            `json:"terms,omitempty"`
	StartsAt       string            `json:"starts_at,omitempty" format:"date-time"`
	Metadata       map[string]string `json:"metadata,omitempty"`
}

func (s *Server) createWarranty(w http.ResponseWriter, r *http.Request) {
	var cmd domain.RegisterWarranty
	create(s, w, r, "/v1/warranties/", func(w *domain.Warranty) string { return w.ID }, warrantyOf, func(o *object) {
		in := createWarrantyRequest{ID: commands.NewID()}
		o.fill(&in)
		cmd = domain.RegisterWarranty{WarrantyID: in.ID, CustomerID: in.CustomerID, OrderID: in.OrderID, SKU: in.SKU,
			SerialNumber: in.SerialNumber, Type: in.Type, DurationMonths: in.DurationMonths, Terms: in.Terms, StartsAt: time.Now().UTC(),
			Metadata: in.Metadata}
		if o.given("starts_at") && o.raw["starts_at"][0] == '"' { // a non-string is refused by fill already
			t, err := time.Parse(time.RFC3339, in.StartsAt)
			o.v.Check(err == nil, "starts_at", "must be an RFC 3339 time")
			cmd.StartsAt = t
		}
	}, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().Register(r.Context(), cmd, opts...)
	})
}

// updateWarrantyRequest is the body of PUT /v1/warranties/{id}: what it gives changes.
type updateWarrantyRequest struct {
	SerialNumber *string           `json:"serial_number,omitempty"`
	Terms        *string           `json:"terms,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"` // null clears it
}

// updateWarranty is PUT /v1/warranties/{id}: the unit's serial number, the terms and the
// metadata, in any status but CANCELLED.
func (s *Server) updateWarranty(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateWarranty
	command(s, w, r, warrantyOf, func(o *object) {
		var in updateWarrantyRequest
		o.fill(&in)
		cmd.SerialNumber, cmd.Terms = in.SerialNumber, in.Terms
		if o.has("metadata") {
			cmd.Metadata = &in.Metadata
		}
	}, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().Update(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// warrantyAction is POST /v1/warranties/{id}/{action} {reason}, and the SDK's
// POST /v1/warranties/{action}/{id}.
func (s *Server) warrantyAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, warrantyOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().Act(r.Context(), id, action, reason, opts...)
	})
}

// fileClaimRequest is the body of POST /v1/warranties/{id}/claims.
type fileClaimRequest struct {
	ID                  string   `json:"id,omitempty"`
	IssueDescription    string   `json:"issue_description,omitempty"`
	Photos              []string `json:"photos,omitempty"` // http(s) URLs
	RequestedResolution string   `json:"requested_resolution,omitempty" enum:"REPAIR,REPLACEMENT,REFUND"`
}

func (s *Server) fileWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var cmd domain.FileWarrantyClaim
	addTo(s, w, r, warrantyOf, func(o *object) {
		in := fileClaimRequest{ID: commands.NewID()}
		o.fill(&in)
		cmd = domain.FileWarrantyClaim{ClaimID: in.ID, IssueDescription: in.IssueDescription, Photos: in.Photos,
			RequestedResolution: in.RequestedResolution}
	}, func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
		return s.cmd.Warranties().FileClaim(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// updateClaimRequest is the body of PUT /v1/warranties/{id}/claims/{claim_id}.
type updateClaimRequest struct {
	IssueDescription    *string   `json:"issue_description,omitempty"`
	Photos              *[]string `json:"photos,omitempty"`
	RequestedResolution *string   `json:"requested_resolution,omitempty" enum:"REPAIR,REPLACEMENT,REFUND"` // "" clears it
}

// updateWarrantyClaim edits a claim while it awaits a decision.
func (s *Server) updateWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var in updateClaimRequest
	command(s, w, r, warrantyOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
			return s.cmd.Warranties().UpdateClaim(r.Context(), mux.Vars(r)["id"], domain.UpdateWarrantyClaim{ClaimID: mux.Vars(r)["claim_id"],
				IssueDescription: in.IssueDescription, Photos: in.Photos, RequestedResolution: in.RequestedResolution}, opts...)
		})
}

// withdrawWarrantyClaim is POST /v1/warranties/{id}/claims/{claim_id}/withdraw (reasonRequest).
func (s *Server) withdrawWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var in reasonRequest
	command(s, w, r, warrantyOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
			return s.cmd.Warranties().WithdrawClaim(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["claim_id"], deref(in.Reason), opts...)
		})
}

// approveClaimRequest is the body of POST /v1/warranties/{id}/claims/{claim_id}/approve;
// without a resolution the claim's requested one is granted.
type approveClaimRequest struct {
	Resolution string `json:"resolution,omitempty" enum:"REPAIR,REPLACEMENT,REFUND"`
}

func (s *Server) approveWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var in approveClaimRequest
	command(s, w, r, warrantyOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
			return s.cmd.Warranties().ApproveClaim(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["claim_id"], in.Resolution, opts...)
		})
}

// rejectWarrantyClaim is POST /v1/warranties/{id}/claims/{claim_id}/reject (reasonRequest).
func (s *Server) rejectWarrantyClaim(w http.ResponseWriter, r *http.Request) {
	var in reasonRequest
	command(s, w, r, warrantyOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Warranty], error) {
			return s.cmd.Warranties().RejectClaim(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["claim_id"], deref(in.Reason), opts...)
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
