package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
)

// WarrantyStatus is where a warranty is in its life. Whether it has expired is not a
// status: it follows from the dates (Expired).
type WarrantyStatus string

const (
	WarrantyStatusPending   WarrantyStatus = "PENDING"
	WarrantyStatusApproved  WarrantyStatus = "APPROVED"
	WarrantyStatusClosed    WarrantyStatus = "CLOSED"
	WarrantyStatusRejected  WarrantyStatus = "REJECTED"
	WarrantyStatusCancelled WarrantyStatus = "CANCELLED"
	WarrantyStatusReopened  WarrantyStatus = "REOPENED"
)

// WarrantyStatuses lists every status, in life order.
var WarrantyStatuses = []WarrantyStatus{WarrantyStatusPending, WarrantyStatusApproved, WarrantyStatusClosed,
	WarrantyStatusRejected, WarrantyStatusCancelled, WarrantyStatusReopened}

// warrantyFlow is the warranty state machine. A REOPENED warranty is judged again like a
// PENDING one: approved, rejected or cancelled. "file_claim" keeps the status and is open
// only to APPROVED warranties (FileClaim also refuses expired ones).
var warrantyFlow = Flow[WarrantyStatus]{Entity: "warranty", Steps: []Step[WarrantyStatus]{
	{WarrantyStatusPending, "approve", WarrantyStatusApproved},
	{WarrantyStatusReopened, "approve", WarrantyStatusApproved},
	{WarrantyStatusApproved, "close", WarrantyStatusClosed},
	{WarrantyStatusPending, "reject", WarrantyStatusRejected},
	{WarrantyStatusReopened, "reject", WarrantyStatusRejected},
	{WarrantyStatusPending, "cancel", WarrantyStatusCancelled},
	{WarrantyStatusApproved, "cancel", WarrantyStatusCancelled},
	{WarrantyStatusReopened, "cancel", WarrantyStatusCancelled},
	{WarrantyStatusClosed, "reopen", WarrantyStatusReopened},
	{WarrantyStatusRejected, "reopen", WarrantyStatusReopened},
	{WarrantyStatusApproved, "file_claim", WarrantyStatusApproved},
}}

// WarrantyActions are the status actions that Act decides, reachable over
// POST /warranties/:id/<action> (and the SDK's /warranties/<action>/:id).
var WarrantyActions = []string{"approve", "reject", "cancel", "close", "reopen"}

// WarrantyTypes are who stands behind a warranty.
var WarrantyTypes = []string{"MANUFACTURER", "EXTENDED", "THIRD_PARTY"}

// WarrantyClaimStatus is where a claim is: filed, then decided once.
type WarrantyClaimStatus string

const (
	WarrantyClaimStatusSubmitted WarrantyClaimStatus = "SUBMITTED"
	WarrantyClaimStatusApproved  WarrantyClaimStatus = "APPROVED"
	WarrantyClaimStatusRejected  WarrantyClaimStatus = "REJECTED"
	WarrantyClaimStatusWithdrawn WarrantyClaimStatus = "WITHDRAWN" // the customer took it back
)

// WarrantyResolutions are the remedies of an approved claim: REPAIR opens a return,
// REPLACEMENT creates a zero-priced order, REFUND pays the customer back.
var WarrantyResolutions = []string{"REPAIR", "REPLACEMENT", "REFUND"}

// WarrantyClaim is one claim against a warranty.
type WarrantyClaim struct {
	ID               string   `json:"id"`
	IssueDescription string   `json:"issue_description"`
	Photos           []string `json:"photos,omitempty"` // URLs
	// RequestedResolution is what the customer asks for; approving without a resolution grants it
	RequestedResolution string              `json:"requested_resolution,omitempty"`
	Status              WarrantyClaimStatus `json:"status"`
	Resolution          string              `json:"resolution,omitempty"` // set when approved
	Reason              string              `json:"reason,omitempty"`     // set when rejected or withdrawn
	FiledAt             time.Time           `json:"filed_at"`
	DecidedAt           time.Time           `json:"decided_at,omitzero"`
}

// Warranty is the warranty aggregate: a promise about one unit of a SKU.
type Warranty struct {
	ID             string            `json:"id"`
	WarrantyNumber string            `json:"warranty_number"`
	CustomerID     string            `json:"customer_id"`
	OrderID        string            `json:"order_id,omitempty"`
	SKU            string            `json:"sku"`
	SerialNumber   string            `json:"serial_number,omitempty"`
	Type           string            `json:"type"`
	StartsAt       time.Time         `json:"starts_at"`
	DurationMonths int               `json:"duration_months"`
	Terms          string            `json:"terms,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
	Status         WarrantyStatus    `json:"status"`
	Claims         []WarrantyClaim   `json:"claims,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	Version        int64             `json:"version"`
}

// Exists reports whether the warranty has been registered.
func (w *Warranty) Exists() bool { return w.Version > 0 }

// CurrentVersion is the warranty's event count.
func (w *Warranty) CurrentVersion() int64 { return w.Version }

// ExpiresAt is the first instant the warranty no longer covers: StartsAt plus
// DurationMonths calendar months (time.AddDate, so Jan 31 + 1 month is Mar 2 or 3).
func (w *Warranty) ExpiresAt() time.Time { return w.StartsAt.AddDate(0, w.DurationMonths, 0) }

// Expired reports whether now is at or after ExpiresAt.
func (w *Warranty) Expired(now time.Time) bool { return !now.Before(w.ExpiresAt()) }

// Claim returns the claim with id, if the warranty has it.
func (w *Warranty) Claim(id string) (WarrantyClaim, bool) {
	i := slices.IndexFunc(w.Claims, func(c WarrantyClaim) bool { return c.ID == id })
	if i < 0 {
		return WarrantyClaim{}, false
	}
	return w.Claims[i], true
}

// RegisterWarranty registers a warranty; the caller assigns id and number.
type RegisterWarranty struct {
	WarrantyID     string
	WarrantyNumber string
	CustomerID     string
	OrderID        string // optional: the order the unit came with
	SKU            string
	SerialNumber   string // optional
	Type           string // MANUFACTURER, EXTENDED or THIRD_PARTY
	StartsAt       time.Time
	DurationMonths int // 1..120
	Terms          string
	Metadata       map[string]string
}

// UpdateWarranty edits what a warranty says about its unit and terms; nil leaves a field.
type UpdateWarranty struct {
	SerialNumber *string
	Terms        *string
	Metadata     *map[string]string // replaces the whole map; empty clears
}

// UpdateWarrantyClaim edits a claim still awaiting a decision; nil leaves a field.
type UpdateWarrantyClaim struct {
	ClaimID             string
	IssueDescription    *string
	Photos              *[]string
	RequestedResolution *string // "" clears
}

// FileWarrantyClaim files a claim; the caller assigns its id.
type FileWarrantyClaim struct {
	WarrantyID          string
	ClaimID             string
	IssueDescription    string
	Photos              []string // http(s) URLs
	RequestedResolution string   // optional: REPAIR, REPLACEMENT or REFUND
}

// WarrantyRegistered: a warranty came to be, PENDING.
type WarrantyRegistered struct {
	WarrantyID     string            `json:"warranty_id"`
	WarrantyNumber string            `json:"warranty_number"`
	CustomerID     string            `json:"customer_id"`
	OrderID        string            `json:"order_id,omitempty"`
	SKU            string            `json:"sku"`
	SerialNumber   string            `json:"serial_number,omitempty"`
	Type           string            `json:"type"`
	StartsAt       time.Time         `json:"starts_at"`
	DurationMonths int               `json:"duration_months"`
	Terms          string            `json:"terms,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
}

// WarrantyUpdated: the serial number, terms or metadata changed; only changed fields are
// present, each with its new value (metadata with its previous one too).
type WarrantyUpdated struct {
	WarrantyID   string          `json:"warranty_id"`
	SerialNumber *string         `json:"serial_number,omitempty"`
	Terms        *string         `json:"terms,omitempty"`
	Metadata     *MetadataChange `json:"metadata,omitempty"`
}

// WarrantyApproved: the warranty is in force; claims may be filed until it expires.
type WarrantyApproved struct {
	WarrantyID string         `json:"warranty_id"`
	From       WarrantyStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// WarrantyRejected: the warranty was refused.
type WarrantyRejected struct {
	WarrantyID string         `json:"warranty_id"`
	From       WarrantyStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// WarrantyClosed: the warranty ended; no more claims.
type WarrantyClosed struct {
	WarrantyID string         `json:"warranty_id"`
	From       WarrantyStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// WarrantyCancelled: the warranty was withdrawn.
type WarrantyCancelled struct {
	WarrantyID string         `json:"warranty_id"`
	From       WarrantyStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// WarrantyReopened: a closed or rejected warranty is to be judged again.
type WarrantyReopened struct {
	WarrantyID string         `json:"warranty_id"`
	From       WarrantyStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// WarrantyClaimFiled: a customer claimed under an approved, unexpired warranty.
type WarrantyClaimFiled struct {
	WarrantyID          string    `json:"warranty_id"`
	ClaimID             string    `json:"claim_id"`
	IssueDescription    string    `json:"issue_description"`
	Photos              []string  `json:"photos,omitempty"`
	RequestedResolution string    `json:"requested_resolution,omitempty"`
	FiledAt             time.Time `json:"filed_at"`
}

// WarrantyClaimUpdated: a claim awaiting a decision was edited; only changed fields are
// present, each with its new value.
type WarrantyClaimUpdated struct {
	WarrantyID          string    `json:"warranty_id"`
	ClaimID             string    `json:"claim_id"`
	IssueDescription    *string   `json:"issue_description,omitempty"`
	Photos              *[]string `json:"photos,omitempty"`
	RequestedResolution *string   `json:"requested_resolution,omitempty"`
}

// WarrantyClaimWithdrawn: a claim awaiting a decision was taken back; it is never decided.
type WarrantyClaimWithdrawn struct {
	WarrantyID string    `json:"warranty_id"`
	ClaimID    string    `json:"claim_id"`
	Reason     string    `json:"reason,omitempty"`
	DecidedAt  time.Time `json:"decided_at"`
}

// WarrantyClaimApproved: a claim was granted. It carries the customer, order, SKU and
// serial number so that a process manager can create a replacement order (REPLACEMENT) or
// open a return (REPAIR) without loading the warranty.
type WarrantyClaimApproved struct {
	WarrantyID   string    `json:"warranty_id"`
	ClaimID      string    `json:"claim_id"`
	Resolution   string    `json:"resolution"`
	CustomerID   string    `json:"customer_id"`
	OrderID      string    `json:"order_id,omitempty"`
	SKU          string    `json:"sku"`
	SerialNumber string    `json:"serial_number,omitempty"`
	DecidedAt    time.Time `json:"decided_at"`
}

// WarrantyClaimRejected: a claim was refused.
type WarrantyClaimRejected struct {
	WarrantyID string    `json:"warranty_id"`
	ClaimID    string    `json:"claim_id"`
	Reason     string    `json:"reason,omitempty"`
	DecidedAt  time.Time `json:"decided_at"`
}

func (WarrantyRegistered) EventType() string     { return "WarrantyRegistered" }
func (WarrantyApproved) EventType() string       { return "WarrantyApproved" }
func (WarrantyRejected) EventType() string       { return "WarrantyRejected" }
func (WarrantyClosed) EventType() string         { return "WarrantyClosed" }
func (WarrantyCancelled) EventType() string      { return "WarrantyCancelled" }
func (WarrantyReopened) EventType() string       { return "WarrantyReopened" }
func (WarrantyClaimFiled) EventType() string     { return "WarrantyClaimFiled" }
func (WarrantyClaimApproved) EventType() string  { return "WarrantyClaimApproved" }
func (WarrantyClaimRejected) EventType() string  { return "WarrantyClaimRejected" }
func (WarrantyUpdated) EventType() string        { return "WarrantyUpdated" }
func (WarrantyClaimUpdated) EventType() string   { return "WarrantyClaimUpdated" }
func (WarrantyClaimWithdrawn) EventType() string { return "WarrantyClaimWithdrawn" }

func warrantyEvents(r *Registry) {
	Register[WarrantyRegistered](r, "warranty", 1, nil)
	Register[WarrantyApproved](r, "warranty", 1, nil)
	Register[WarrantyRejected](r, "warranty", 1, nil)
	Register[WarrantyClosed](r, "warranty", 1, nil)
	Register[WarrantyCancelled](r, "warranty", 1, nil)
	Register[WarrantyReopened](r, "warranty", 1, nil)
	Register[WarrantyClaimFiled](r, "warranty", 1, nil)
	Register[WarrantyClaimApproved](r, "warranty", 1, nil)
	Register[WarrantyClaimRejected](r, "warranty", 1, nil)
	Register[WarrantyUpdated](r, "warranty", 1, nil)
	Register[WarrantyClaimUpdated](r, "warranty", 1, nil)
	Register[WarrantyClaimWithdrawn](r, "warranty", 1, nil)
}

// Check records every invalid field of the registration in v.
func (cmd RegisterWarranty) Check(v *Validation) {
	v.Check(ValidID(cmd.WarrantyID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.WarrantyNumber) != "" && len(cmd.WarrantyNumber) <= 64, "warranty_number", "is required, at most 64 characters")
	v.Check(ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.OrderID == "" || ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.SKU) != "" && len(cmd.SKU) <= 100, "sku", "is required, at most 100 characters")
	v.Check(len(cmd.SerialNumber) <= 100, "serial_number", "at most 100 characters")
	v.Check(slices.Contains(WarrantyTypes, cmd.Type), "type", "must be one of "+strings.Join(WarrantyTypes, ", "))
	v.Check(!cmd.StartsAt.IsZero(), "starts_at", "is required")
	v.Check(cmd.DurationMonths >= 1 && cmd.DurationMonths <= 120, "duration_months", "must be 1 to 120")
	v.Check(len(cmd.Terms) <= 10000, "terms", "at most 10000 characters")
	checkMetadata(v, "metadata", cmd.Metadata)
}

// Check records every invalid field of the claim in v.
func (cmd FileWarrantyClaim) Check(v *Validation) {
	v.Check(ValidID(cmd.ClaimID), "claim_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkClaim(v, cmd.IssueDescription, cmd.Photos, cmd.RequestedResolution)
}

// checkClaim checks what a claim says, at filing or after an edit.
func checkClaim(v *Validation, issue string, photos []string, requested string) {
	v.Check(strings.TrimSpace(issue) != "" && len(issue) <= 5000, "issue_description", "is required, at most 5000 characters")
	v.Check(len(photos) <= 20, "photos", "at most 20 photos")
	for i, p := range photos {
		u, err := url.Parse(p)
		ok := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(p) <= 2048
		v.Check(ok, "photos["+itoa(i)+"]", "must be an http or https URL")
	}
	v.Check(requested == "" || slices.Contains(WarrantyResolutions, requested), "requested_resolution", "must be one of "+strings.Join(WarrantyResolutions, ", "))
}

// Register decides registering a warranty, PENDING. A taken id is an *AlreadyExistsError,
// bad fields one *ValidationError.
func (w *Warranty) Register(cmd RegisterWarranty) ([]Event, error) {
	if w.Exists() {
		return nil, &AlreadyExistsError{Entity: "warranty", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WarrantyRegistered{
		WarrantyID: cmd.WarrantyID, WarrantyNumber: cmd.WarrantyNumber, CustomerID: cmd.CustomerID,
		OrderID: cmd.OrderID, SKU: cmd.SKU, SerialNumber: cmd.SerialNumber, Type: cmd.Type,
		StartsAt: cmd.StartsAt.UTC(), DurationMonths: cmd.DurationMonths, Terms: cmd.Terms, Metadata: emptyToNil(cmd.Metadata),
	}}, nil
}

// Update decides an edit of the serial number, terms or metadata, in any status but
// CANCELLED (a *TransitionError with Action "update"); nothing changed, no event.
func (w *Warranty) Update(cmd UpdateWarranty) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if w.Status == WarrantyStatusCancelled {
		return nil, &TransitionError{Entity: "warranty", From: string(w.Status), Action: "update"}
	}
	var v Validation
	v.Check(len(or(cmd.SerialNumber, w.SerialNumber)) <= 100, "serial_number", "at most 100 characters")
	v.Check(len(or(cmd.Terms, w.Terms)) <= 10000, "terms", "at most 10000 characters")
	if cmd.Metadata != nil {
		checkMetadata(&v, "metadata", *cmd.Metadata)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := WarrantyUpdated{WarrantyID: w.ID, SerialNumber: edited(&changed, w.SerialNumber, cmd.SerialNumber),
		Terms: edited(&changed, w.Terms, cmd.Terms)}
	if cmd.Metadata != nil && !maps.Equal(w.Metadata, *cmd.Metadata) {
		changed = true
		e.Metadata = &MetadataChange{From: w.Metadata, To: emptyToNil(maps.Clone(*cmd.Metadata))}
	}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// Act decides one of WarrantyActions. A missing warranty is ErrNotFound; an action the
// status does not allow is a *TransitionError; an action outside WarrantyActions
// (file_claim included: it has a body) is a *ValidationError on "action".
func (w *Warranty) Act(action, reason string) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(WarrantyActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(WarrantyActions, ", ")}}}
	}
	if _, err := warrantyFlow.Next(w.Status, action); err != nil {
		return nil, err
	}
	var e Event
	switch action {
	case "approve":
		e = WarrantyApproved{WarrantyID: w.ID, From: w.Status, Reason: reason}
	case "reject":
		e = WarrantyRejected{WarrantyID: w.ID, From: w.Status, Reason: reason}
	case "cancel":
		e = WarrantyCancelled{WarrantyID: w.ID, From: w.Status, Reason: reason}
	case "close":
		e = WarrantyClosed{WarrantyID: w.ID, From: w.Status, Reason: reason}
	case "reopen":
		e = WarrantyReopened{WarrantyID: w.ID, From: w.Status, Reason: reason}
	}
	return []Event{e}, nil
}

// FileClaim decides filing a claim at now. Only an APPROVED warranty that covers now
// (StartsAt <= now < ExpiresAt) takes claims; otherwise a *TransitionError with Action
// "file_claim" and From the status, or "EXPIRED" / "NOT_STARTED" when the dates refuse.
// A missing warranty is ErrNotFound, a claim id in use an *AlreadyExistsError, bad
// fields one *ValidationError.
func (w *Warranty) FileClaim(cmd FileWarrantyClaim, now time.Time) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if _, err := warrantyFlow.Next(w.Status, "file_claim"); err != nil {
		return nil, err
	}
	if w.Expired(now) {
		return nil, &TransitionError{Entity: "warranty", From: "EXPIRED", Action: "file_claim"}
	}
	if now.Before(w.StartsAt) {
		return nil, &TransitionError{Entity: "warranty", From: "NOT_STARTED", Action: "file_claim"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if _, taken := w.Claim(cmd.ClaimID); taken {
		return nil, &AlreadyExistsError{Entity: "warranty claim", Field: "id"}
	}
	return []Event{WarrantyClaimFiled{WarrantyID: w.ID, ClaimID: cmd.ClaimID, IssueDescription: cmd.IssueDescription,
		Photos: slices.Clone(cmd.Photos), RequestedResolution: cmd.RequestedResolution, FiledAt: now.UTC()}}, nil
}

// UpdateClaim decides an edit of a SUBMITTED claim, whatever the warranty's status or
// dates are by then (it was filed in time). Errors as ApproveClaim, with Action "update";
// nothing changed, no event.
func (w *Warranty) UpdateClaim(cmd UpdateWarrantyClaim) ([]Event, error) {
	if err := w.submittedClaim(cmd.ClaimID, "update"); err != nil {
		return nil, err
	}
	c, _ := w.Claim(cmd.ClaimID)
	var v Validation
	checkClaim(&v, or(cmd.IssueDescription, c.IssueDescription), or(cmd.Photos, c.Photos), or(cmd.RequestedResolution, c.RequestedResolution))
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := WarrantyClaimUpdated{WarrantyID: w.ID, ClaimID: c.ID,
		IssueDescription:    edited(&changed, c.IssueDescription, cmd.IssueDescription),
		Photos:              editedSlice(&changed, c.Photos, cmd.Photos),
		RequestedResolution: edited(&changed, c.RequestedResolution, cmd.RequestedResolution)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// WithdrawClaim decides taking back a SUBMITTED claim. Errors as RejectClaim, with Action
// "withdraw".
func (w *Warranty) WithdrawClaim(claimID, reason string, now time.Time) ([]Event, error) {
	if err := w.endClaim(claimID, "withdraw", reason); err != nil {
		return nil, err
	}
	return []Event{WarrantyClaimWithdrawn{WarrantyID: w.ID, ClaimID: claimID, Reason: reason, DecidedAt: now.UTC()}}, nil
}

// ClaimResolution is the resolution approving claimID grants: the one given, else the
// one the claim requested ("" when neither says).
func (w *Warranty) ClaimResolution(claimID, given string) string {
	if given != "" {
		return given
	}
	c, _ := w.Claim(claimID)
	return c.RequestedResolution
}

// ApproveClaim decides granting a SUBMITTED claim with a resolution (REPAIR, REPLACEMENT or
// REFUND; "" grants the one the claim requested, see ClaimResolution). A claim filed in
// time is decided whatever the warranty's status or dates are by then. Unknown warranty or claim: ErrNotFound (wrapped); a claim already decided: a
// *TransitionError with Entity "warranty claim"; a bad resolution: *ValidationError.
func (w *Warranty) ApproveClaim(claimID, resolution string, now time.Time) ([]Event, error) {
	if err := w.submittedClaim(claimID, "approve"); err != nil {
		return nil, err
	}
	resolution = w.ClaimResolution(claimID, resolution)
	if !slices.Contains(WarrantyResolutions, resolution) {
		return nil, &ValidationError{Fields: []FieldError{{"resolution", "must be one of " + strings.Join(WarrantyResolutions, ", ")}}}
	}
	return []Event{WarrantyClaimApproved{WarrantyID: w.ID, ClaimID: claimID, Resolution: resolution,
		CustomerID: w.CustomerID, OrderID: w.OrderID, SKU: w.SKU, SerialNumber: w.SerialNumber, DecidedAt: now.UTC()}}, nil
}

// RejectClaim decides refusing a SUBMITTED claim. Errors as ApproveClaim.
func (w *Warranty) RejectClaim(claimID, reason string, now time.Time) ([]Event, error) {
	if err := w.endClaim(claimID, "reject", reason); err != nil {
		return nil, err
	}
	return []Event{WarrantyClaimRejected{WarrantyID: w.ID, ClaimID: claimID, Reason: reason, DecidedAt: now.UTC()}}, nil
}

// endClaim is nil when claim claimID may be ended by action with reason: it awaits a
// decision and the reason is at most 500 characters.
func (w *Warranty) endClaim(claimID, action, reason string) error {
	if err := w.submittedClaim(claimID, action); err != nil {
		return err
	}
	if len(reason) > 500 {
		return &ValidationError{Fields: []FieldError{{"reason", "at most 500 characters"}}}
	}
	return nil
}

// submittedClaim is nil when the warranty has claim claimID and it awaits a decision.
func (w *Warranty) submittedClaim(claimID, action string) error {
	if !w.Exists() {
		return ErrNotFound
	}
	c, ok := w.Claim(claimID)
	if !ok {
		return fmt.Errorf("warranty %s claim %s: %w", w.ID, claimID, ErrNotFound)
	}
	if c.Status != WarrantyClaimStatusSubmitted {
		return &TransitionError{Entity: "warranty claim", From: string(c.Status), Action: action}
	}
	return nil
}

// Apply folds a warranty event in.
func (w *Warranty) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WarrantyRegistered:
		*w = Warranty{
			ID: e.WarrantyID, WarrantyNumber: e.WarrantyNumber, CustomerID: e.CustomerID, OrderID: e.OrderID,
			SKU: e.SKU, SerialNumber: e.SerialNumber, Type: e.Type, StartsAt: e.StartsAt,
			DurationMonths: e.DurationMonths, Terms: e.Terms, Metadata: maps.Clone(e.Metadata), Status: WarrantyStatusPending, CreatedAt: env.Time,
		}
	case WarrantyUpdated:
		put(&w.SerialNumber, e.SerialNumber)
		put(&w.Terms, e.Terms)
		if e.Metadata != nil {
			w.Metadata = maps.Clone(e.Metadata.To)
		}
	case WarrantyApproved:
		w.Status = WarrantyStatusApproved
	case WarrantyRejected:
		w.Status = WarrantyStatusRejected
	case WarrantyClosed:
		w.Status = WarrantyStatusClosed
	case WarrantyCancelled:
		w.Status = WarrantyStatusCancelled
	case WarrantyReopened:
		w.Status = WarrantyStatusReopened
	case WarrantyClaimFiled:
		w.Claims = append(slices.Clone(w.Claims), WarrantyClaim{ID: e.ClaimID, IssueDescription: e.IssueDescription,
			Photos: slices.Clone(e.Photos), RequestedResolution: e.RequestedResolution, Status: WarrantyClaimStatusSubmitted, FiledAt: e.FiledAt})
	case WarrantyClaimUpdated:
		w.decideClaim(e.ClaimID, func(c *WarrantyClaim) {
			put(&c.IssueDescription, e.IssueDescription)
			if e.Photos != nil {
				c.Photos = slices.Clone(*e.Photos)
			}
			put(&c.RequestedResolution, e.RequestedResolution)
		})
	case WarrantyClaimWithdrawn:
		w.decideClaim(e.ClaimID, func(c *WarrantyClaim) {
			c.Status, c.Reason, c.DecidedAt = WarrantyClaimStatusWithdrawn, e.Reason, e.DecidedAt
		})
	case WarrantyClaimApproved:
		w.decideClaim(e.ClaimID, func(c *WarrantyClaim) {
			c.Status, c.Resolution, c.DecidedAt = WarrantyClaimStatusApproved, e.Resolution, e.DecidedAt
		})
	case WarrantyClaimRejected:
		w.decideClaim(e.ClaimID, func(c *WarrantyClaim) {
			c.Status, c.Reason, c.DecidedAt = WarrantyClaimStatusRejected, e.Reason, e.DecidedAt
		})
	}
	w.Version = env.Version
	w.UpdatedAt = env.Time
}

// decideClaim (or edits) changes one claim on a copy of the claims, so a clone handed out earlier
// never sees the change.
func (w *Warranty) decideClaim(id string, set func(*WarrantyClaim)) {
	claims := slices.Clone(w.Claims)
	if i := slices.IndexFunc(claims, func(c WarrantyClaim) bool { return c.ID == id }); i >= 0 {
		set(&claims[i])
	}
	w.Claims = claims
}

// Clone returns a deep copy, so a cached warranty is never shared with a caller.
func (w *Warranty) Clone() *Warranty {
	cp := *w
	cp.Metadata = maps.Clone(w.Metadata)
	cp.Claims = slices.Clone(w.Claims)
	for i := range cp.Claims {
		cp.Claims[i].Photos = slices.Clone(cp.Claims[i].Photos)
	}
	return &cp
}

// ReplacementOrderID is the id of the order an approved REPLACEMENT claim creates, and
// RepairReturnID that of the return a REPAIR claim opens: derived from the warranty and
// the claim (claim ids are unique only within their warranty), so a redelivery of the
// approval finds what the first delivery made.
func ReplacementOrderID(warrantyID, claimID string) string {
	return claimDocID("wr", warrantyID, claimID)
}

// RepairReturnID: see ReplacementOrderID.
func RepairReturnID(warrantyID, claimID string) string { return claimDocID("wp", warrantyID, claimID) }

func claimDocID(prefix, warrantyID, claimID string) string {
	sum := sha256.Sum256([]byte(warrantyID + "\x00" + claimID))
	return prefix + "-" + hex.EncodeToString(sum[:10])
}
