package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// CRM: leads (people who may become customers), contacts (people at a customer or a
// supplier), opportunities (deals in a pipeline) and cases (support tickets with notes).
//
// Events holding personal data about a customer say whose it is with PersonalSubject:
// the customer id when the event has one, else "" (the subject is the aggregate itself).
// The coming field-level encryption keys personal fields by that subject, so forgetting a
// customer also makes its cases, notes and contacts unreadable.

// LeadStatus is where a lead is in its life.
type LeadStatus string

const (
	LeadStatusNew          LeadStatus = "NEW"
	LeadStatusContacted    LeadStatus = "CONTACTED"
	LeadStatusQualified    LeadStatus = "QUALIFIED"
	LeadStatusConverted    LeadStatus = "CONVERTED"
	LeadStatusDisqualified LeadStatus = "DISQUALIFIED"
)

// LeadStatuses lists every status, in life order.
var LeadStatuses = []LeadStatus{LeadStatusNew, LeadStatusContacted, LeadStatusQualified, LeadStatusConverted, LeadStatusDisqualified}

// LeadActions are the status actions of POST /v1/leads/{id}/{action}; "convert" has its own
// command (it creates the customer).
var LeadActions = []string{"contact", "accept", "disqualify"}

// leadFlow is the lead state machine. A lead may be disqualified at any point before it
// is converted; a converted or disqualified lead is final.
var leadFlow = Flow[LeadStatus]{Entity: "lead", Steps: []Step[LeadStatus]{
	{LeadStatusNew, "contact", LeadStatusContacted},
	{LeadStatusContacted, "accept", LeadStatusQualified},
	{LeadStatusQualified, "convert", LeadStatusConverted},
	{LeadStatusNew, "disqualify", LeadStatusDisqualified},
	{LeadStatusContacted, "disqualify", LeadStatusDisqualified},
	{LeadStatusQualified, "disqualify", LeadStatusDisqualified},
}}

// Lead is the lead aggregate: a person who may become a customer.
type Lead struct {
	ID         string     `json:"id"`
	FirstName  string     `json:"first_name,omitempty"`
	LastName   string     `json:"last_name,omitempty"`
	Email      string     `json:"email,omitempty"`
	Phone      string     `json:"phone,omitempty"`
	Company    string     `json:"company,omitempty"`
	Title      string     `json:"title,omitempty"`
	LeadSource string     `json:"lead_source,omitempty"`
	Notes      string     `json:"notes,omitempty"`
	Status     LeadStatus `json:"status"`
	CustomerID string     `json:"customer_id,omitempty"` // set when converted
	Reason     string     `json:"reason,omitempty"`      // why it was disqualified
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	Version    int64      `json:"version"`
}

// Exists reports whether the lead has been created.
func (l *Lead) Exists() bool { return l.Version > 0 }

// CurrentVersion is the lead's event count.
func (l *Lead) CurrentVersion() int64 { return l.Version }

// Clone returns a copy (a lead holds no shared slices or maps).
func (l *Lead) Clone() *Lead { cp := *l; return &cp }

// Forget zeroes what the lead holds of personal fields, as folding its events with their
// subject forgotten would.
func (l *Lead) Forget() { l.FirstName, l.LastName, l.Email, l.Phone, l.Notes = "", "", "", "", "" }

// CreateLead creates a NEW lead.
type CreateLead struct {
	LeadID     string
	FirstName  string
	LastName   string
	Email      string // optional, but converting needs it
	Phone      string
	Company    string
	Title      string
	LeadSource string
	Notes      string
}

// Check records every invalid field of the command in v (API spellings).
func (cmd CreateLead) Check(v *Validation) {
	v.Check(ValidID(cmd.LeadID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.FirstName+cmd.LastName+cmd.Email+cmd.Company) != "", "lastName",
		"a lead needs at least one of firstName, lastName, email or company")
	v.Check(len(cmd.FirstName) <= 100, "firstName", "at most 100 characters")
	v.Check(len(cmd.LastName) <= 100, "lastName", "at most 100 characters")
	if cmd.Email != "" {
		checkEmail(v, cmd.Email)
	}
	v.Check(validPhone(cmd.Phone), "phone", "digits, spaces and + ( ) - . only, at most 32 characters")
	v.Check(len(cmd.Company) <= 200, "company", "at most 200 characters")
	v.Check(len(cmd.Title) <= 100, "title", "at most 100 characters")
	v.Check(len(cmd.LeadSource) <= 100, "leadSource", "at most 100 characters")
	v.Check(len(cmd.Notes) <= 10000, "notes", "at most 10000 characters")
}

// LeadCreated: a lead came to be, NEW.
type LeadCreated struct {
	LeadID     string `json:"lead_id"`
	FirstName  string `json:"first_name,omitempty" personal:"true"`
	LastName   string `json:"last_name,omitempty" personal:"true"`
	Email      string `json:"email,omitempty" personal:"true"`
	Phone      string `json:"phone,omitempty" personal:"true"`
	Company    string `json:"company,omitempty"`
	Title      string `json:"title,omitempty"`
	LeadSource string `json:"lead_source,omitempty"`
	Notes      string `json:"notes,omitempty" personal:"true"`
}

// LeadContacted: someone reached the lead.
type LeadContacted struct {
	LeadID string     `json:"lead_id"`
	From   LeadStatus `json:"from"`
	Reason string     `json:"reason,omitempty"`
}

// LeadQualified: the lead was accepted as a real prospect.
type LeadQualified struct {
	LeadID string     `json:"lead_id"`
	From   LeadStatus `json:"from"`
	Reason string     `json:"reason,omitempty"`
}

// LeadDisqualified: the lead will not become a customer.
type LeadDisqualified struct {
	LeadID string     `json:"lead_id"`
	From   LeadStatus `json:"from"`
	Reason string     `json:"reason,omitempty"`
}

// LeadConverted: the lead became customer CustomerID (created just before from the
// lead's email and names).
type LeadConverted struct {
	LeadID     string     `json:"lead_id"`
	From       LeadStatus `json:"from"`
	CustomerID string     `json:"customer_id"`
}

// LeadUpdated: the lead's details changed; only the changed fields are present.
type LeadUpdated struct {
	LeadID     string  `json:"lead_id"`
	FirstName  *string `json:"first_name,omitempty" personal:"true"`
	LastName   *string `json:"last_name,omitempty" personal:"true"`
	Email      *string `json:"email,omitempty" personal:"true"`
	Phone      *string `json:"phone,omitempty" personal:"true"`
	Company    *string `json:"company,omitempty"`
	Title      *string `json:"title,omitempty"`
	LeadSource *string `json:"lead_source,omitempty"`
	Notes      *string `json:"notes,omitempty" personal:"true"`
}

// PersonalSubject: a lead is edited only before it converts, while it is its own subject.
func (LeadUpdated) PersonalSubject() string { return "" }

// UpdateLead edits a lead's details; nil leaves a field alone.
type UpdateLead struct {
	FirstName, LastName, Email, Phone, Company, Title, LeadSource, Notes *string
}

// Update decides an edit of a lead that is not final (converted or disqualified: a
// *TransitionError): the new details are checked as a creation's are, and only what
// changed is recorded (nothing changed, no event).
func (l *Lead) Update(cmd UpdateLead) ([]Event, error) {
	if !l.Exists() {
		return nil, ErrNotFound
	}
	if l.Status == LeadStatusConverted || l.Status == LeadStatusDisqualified {
		return nil, &TransitionError{Entity: "lead", From: string(l.Status), Action: "update"}
	}
	var v Validation
	CreateLead{LeadID: l.ID, FirstName: or(cmd.FirstName, l.FirstName), LastName: or(cmd.LastName, l.LastName),
		Email: or(cmd.Email, l.Email), Phone: or(cmd.Phone, l.Phone), Company: or(cmd.Company, l.Company),
		Title: or(cmd.Title, l.Title), LeadSource: or(cmd.LeadSource, l.LeadSource), Notes: or(cmd.Notes, l.Notes)}.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := LeadUpdated{LeadID: l.ID, FirstName: edited(&changed, l.FirstName, cmd.FirstName), LastName: edited(&changed, l.LastName, cmd.LastName),
		Email: edited(&changed, l.Email, cmd.Email), Phone: edited(&changed, l.Phone, cmd.Phone), Company: edited(&changed, l.Company, cmd.Company),
		Title: edited(&changed, l.Title, cmd.Title), LeadSource: edited(&changed, l.LeadSource, cmd.LeadSource), Notes: edited(&changed, l.Notes, cmd.Notes)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// PersonalSubject: a lead is its own subject until it is converted.
func (LeadCreated) PersonalSubject() string { return "" }

// PersonalSubject: from conversion on, the lead's data is about the customer it became.
func (e LeadConverted) PersonalSubject() string { return e.CustomerID }

// Create decides creating a lead: an *AlreadyExistsError on a taken id, bad fields one
// *ValidationError.
func (l *Lead) Create(cmd CreateLead) ([]Event, error) {
	if l.Exists() {
		return nil, &AlreadyExistsError{Entity: "lead", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{LeadCreated{LeadID: cmd.LeadID, FirstName: cmd.FirstName, LastName: cmd.LastName, Email: cmd.Email,
		Phone: cmd.Phone, Company: cmd.Company, Title: cmd.Title, LeadSource: cmd.LeadSource, Notes: cmd.Notes}}, nil
}

// Act decides one of LeadActions. ErrNotFound for a missing lead, a *TransitionError
// when the status refuses, a *ValidationError on "action" for anything else.
func (l *Lead) Act(action, reason string) ([]Event, error) {
	if !l.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(LeadActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(LeadActions, ", ")}}}
	}
	if _, err := leadFlow.Next(l.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "contact":
		return []Event{LeadContacted{LeadID: l.ID, From: l.Status, Reason: reason}}, nil
	case "accept":
		return []Event{LeadQualified{LeadID: l.ID, From: l.Status, Reason: reason}}, nil
	default:
		return []Event{LeadDisqualified{LeadID: l.ID, From: l.Status, Reason: reason}}, nil
	}
}

// CanConvert is nil when the lead may be converted now: it exists (else ErrNotFound), is
// QUALIFIED (else a *TransitionError) and has an email (else a *ValidationError on
// "email": a customer needs one).
func (l *Lead) CanConvert() error {
	if !l.Exists() {
		return ErrNotFound
	}
	if _, err := leadFlow.Next(l.Status, "convert"); err != nil {
		return err
	}
	if l.Email == "" {
		return &ValidationError{Fields: []FieldError{{"email", "the lead has no email; a customer needs one"}}}
	}
	return nil
}

// Convert decides the conversion into customer customerID, which the caller created.
func (l *Lead) Convert(customerID string) ([]Event, error) {
	if err := l.CanConvert(); err != nil {
		return nil, err
	}
	if !ValidID(customerID) {
		return nil, &ValidationError{Fields: []FieldError{{"customer_id", "must match ^[A-Za-z0-9_-]{1,64}$"}}}
	}
	return []Event{LeadConverted{LeadID: l.ID, From: l.Status, CustomerID: customerID}}, nil
}

// AsCustomer is the customer a conversion creates: the lead's email, names and phone.
func (l *Lead) AsCustomer() CreateCustomer {
	return CreateCustomer{CustomerID: LeadCustomerID(l.ID), Email: l.Email, FirstName: l.FirstName, LastName: l.LastName,
		Phone: l.Phone, Status: CustomerStatusActive, LeadID: l.ID} // forgetting the customer forgets the lead too
}

// LeadCustomerID is the id of the customer a lead converts into: derived from the lead,
// so a retried conversion finds the customer its first attempt created.
func LeadCustomerID(leadID string) string {
	sum := sha256.Sum256([]byte("lead\x00" + leadID))
	return "cus-" + hex.EncodeToString(sum[:10])
}

// Apply folds a lead event in.
func (l *Lead) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case LeadCreated:
		*l = Lead{ID: e.LeadID, FirstName: e.FirstName, LastName: e.LastName, Email: e.Email, Phone: e.Phone,
			Company: e.Company, Title: e.Title, LeadSource: e.LeadSource, Notes: e.Notes, Status: LeadStatusNew, CreatedAt: env.Time}
	case LeadUpdated:
		put(&l.FirstName, e.FirstName)
		put(&l.LastName, e.LastName)
		put(&l.Email, e.Email)
		put(&l.Phone, e.Phone)
		put(&l.Company, e.Company)
		put(&l.Title, e.Title)
		put(&l.LeadSource, e.LeadSource)
		put(&l.Notes, e.Notes)
	case LeadContacted:
		l.Status = LeadStatusContacted
	case LeadQualified:
		l.Status = LeadStatusQualified
	case LeadDisqualified:
		l.Status, l.Reason = LeadStatusDisqualified, e.Reason
	case LeadConverted:
		l.Status, l.CustomerID = LeadStatusConverted, e.CustomerID
	}
	l.Version = env.Version
	l.UpdatedAt = env.Time
}

func (LeadCreated) EventType() string      { return "LeadCreated" }
func (LeadUpdated) EventType() string      { return "LeadUpdated" }
func (LeadContacted) EventType() string    { return "LeadContacted" }
func (LeadQualified) EventType() string    { return "LeadQualified" }
func (LeadDisqualified) EventType() string { return "LeadDisqualified" }
func (LeadConverted) EventType() string    { return "LeadConverted" }

func leadEvents(r *Registry) {
	Register[LeadCreated](r, "lead", 1, nil)
	Register[LeadUpdated](r, "lead", 1, nil)
	Register[LeadContacted](r, "lead", 1, nil)
	Register[LeadQualified](r, "lead", 1, nil)
	Register[LeadDisqualified](r, "lead", 1, nil)
	Register[LeadConverted](r, "lead", 1, nil)
}
