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

// ---- Leads ----

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

// ---- Contacts ----

// ContactStatus is whether a contact is current.
type ContactStatus string

const (
	ContactStatusActive   ContactStatus = "ACTIVE"
	ContactStatusArchived ContactStatus = "ARCHIVED"
)

// ContactStatuses lists every status.
var ContactStatuses = []ContactStatus{ContactStatusActive, ContactStatusArchived}

// ContactActions are the status actions of POST /v1/contacts/{id}/{action}.
var ContactActions = []string{"archive"}

var contactFlow = Flow[ContactStatus]{Entity: "contact", Steps: []Step[ContactStatus]{
	{ContactStatusActive, "archive", ContactStatusArchived},
}}

// Contact is a person at a customer or at a supplier (exactly one of the two).
type Contact struct {
	ID         string        `json:"id"`
	CustomerID string        `json:"customer_id,omitempty"`
	SupplierID string        `json:"supplier_id,omitempty"`
	FirstName  string        `json:"first_name,omitempty"`
	LastName   string        `json:"last_name,omitempty"`
	Email      string        `json:"email,omitempty"`
	Phone      string        `json:"phone,omitempty"`
	Title      string        `json:"title,omitempty"`
	Notes      string        `json:"notes,omitempty"`
	Status     ContactStatus `json:"status"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	Version    int64         `json:"version"`
}

// Exists reports whether the contact has been created.
func (c *Contact) Exists() bool { return c.Version > 0 }

// CurrentVersion is the contact's event count.
func (c *Contact) CurrentVersion() int64 { return c.Version }

// Clone returns a copy.
func (c *Contact) Clone() *Contact { cp := *c; return &cp }

// PersonalSubject: a customer's contact is that customer's data (its snapshot is sealed
// under the customer's key, like its events).
func (c *Contact) PersonalSubject() string { return c.CustomerID }

// Forget zeroes what the contact holds of personal fields (see Lead.Forget).
func (c *Contact) Forget() { c.FirstName, c.LastName, c.Email, c.Phone, c.Notes = "", "", "", "", "" }

// CreateContact creates an ACTIVE contact of a customer or of a supplier.
type CreateContact struct {
	ContactID  string
	CustomerID string
	SupplierID string
	FirstName  string
	LastName   string
	Email      string
	Phone      string
	Title      string
	Notes      string
}

// Check records every invalid field of the command in v. That the customer or supplier
// exists is the command handler's to check.
func (cmd CreateContact) Check(v *Validation) {
	v.Check(ValidID(cmd.ContactID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	switch {
	case cmd.CustomerID == "" && cmd.SupplierID == "":
		v.Add("customer_id", "one of customer_id or supplier_id is required")
	case cmd.CustomerID != "" && cmd.SupplierID != "":
		v.Add("supplier_id", "give customer_id or supplier_id, not both")
	case cmd.CustomerID != "":
		v.Check(ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	default:
		v.Check(ValidID(cmd.SupplierID), "supplier_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
	v.Check(strings.TrimSpace(cmd.FirstName+cmd.LastName+cmd.Email) != "", "lastName",
		"a contact needs at least one of firstName, lastName or email")
	v.Check(len(cmd.FirstName) <= 100, "firstName", "at most 100 characters")
	v.Check(len(cmd.LastName) <= 100, "lastName", "at most 100 characters")
	if cmd.Email != "" {
		checkEmail(v, cmd.Email)
	}
	v.Check(validPhone(cmd.Phone), "phone", "digits, spaces and + ( ) - . only, at most 32 characters")
	v.Check(len(cmd.Title) <= 100, "title", "at most 100 characters")
	v.Check(len(cmd.Notes) <= 10000, "notes", "at most 10000 characters")
}

// ContactCreated: a contact came to be, ACTIVE.
type ContactCreated struct {
	ContactID  string `json:"contact_id"`
	CustomerID string `json:"customer_id,omitempty"`
	SupplierID string `json:"supplier_id,omitempty"`
	FirstName  string `json:"first_name,omitempty" personal:"true"`
	LastName   string `json:"last_name,omitempty" personal:"true"`
	Email      string `json:"email,omitempty" personal:"true"`
	Phone      string `json:"phone,omitempty" personal:"true"`
	Title      string `json:"title,omitempty"`
	Notes      string `json:"notes,omitempty" personal:"true"`
}

// ContactArchived: the contact is no longer current.
type ContactArchived struct {
	ContactID string        `json:"contact_id"`
	From      ContactStatus `json:"from"`
	Reason    string        `json:"reason,omitempty"`
}

// PersonalSubject: a customer's contact is about that customer; a supplier's is its own
// subject.
func (e ContactCreated) PersonalSubject() string { return e.CustomerID }

// Create decides creating a contact.
func (c *Contact) Create(cmd CreateContact) ([]Event, error) {
	if c.Exists() {
		return nil, &AlreadyExistsError{Entity: "contact", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{ContactCreated{ContactID: cmd.ContactID, CustomerID: cmd.CustomerID, SupplierID: cmd.SupplierID,
		FirstName: cmd.FirstName, LastName: cmd.LastName, Email: cmd.Email, Phone: cmd.Phone, Title: cmd.Title, Notes: cmd.Notes}}, nil
}

// Act decides one of ContactActions.
func (c *Contact) Act(action, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(ContactActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(ContactActions, ", ")}}}
	}
	if _, err := contactFlow.Next(c.Status, action); err != nil {
		return nil, err
	}
	return []Event{ContactArchived{ContactID: c.ID, From: c.Status, Reason: reason}}, nil
}

// Apply folds a contact event in.
func (c *Contact) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case ContactCreated:
		*c = Contact{ID: e.ContactID, CustomerID: e.CustomerID, SupplierID: e.SupplierID, FirstName: e.FirstName,
			LastName: e.LastName, Email: e.Email, Phone: e.Phone, Title: e.Title, Notes: e.Notes,
			Status: ContactStatusActive, CreatedAt: env.Time}
	case ContactArchived:
		c.Status = ContactStatusArchived
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

// ---- Opportunities ----

// OpportunityStatus is the stage of a deal.
type OpportunityStatus string

const (
	OpportunityStatusProspecting  OpportunityStatus = "PROSPECTING"
	OpportunityStatusQualified    OpportunityStatus = "QUALIFIED"
	OpportunityStatusProposalSent OpportunityStatus = "PROPOSAL_SENT"
	OpportunityStatusNegotiation  OpportunityStatus = "NEGOTIATION"
	OpportunityStatusWon          OpportunityStatus = "WON"
	OpportunityStatusLost         OpportunityStatus = "LOST"
)

// OpportunityStatuses lists every stage, in pipeline order.
var OpportunityStatuses = []OpportunityStatus{OpportunityStatusProspecting, OpportunityStatusQualified,
	OpportunityStatusProposalSent, OpportunityStatusNegotiation, OpportunityStatusWon, OpportunityStatusLost}

// OpportunityActions are the actions of POST /v1/opportunities/{id}/{action}.
var OpportunityActions = []string{"qualify", "propose", "negotiate", "win", "lose"}

var opportunityOpen = []OpportunityStatus{OpportunityStatusProspecting, OpportunityStatusQualified,
	OpportunityStatusProposalSent, OpportunityStatusNegotiation}

// opportunityFlow: forward one stage at a time; won or lost from any open stage; WON and
// LOST are final (a lost deal that comes back is a new opportunity).
var opportunityFlow = Flow[OpportunityStatus]{Entity: "opportunity", Steps: slices.Concat(
	[]Step[OpportunityStatus]{
		{OpportunityStatusProspecting, "qualify", OpportunityStatusQualified},
		{OpportunityStatusQualified, "propose", OpportunityStatusProposalSent},
		{OpportunityStatusProposalSent, "negotiate", OpportunityStatusNegotiation},
	},
	to(opportunityOpen, "win", OpportunityStatusWon),
	to(opportunityOpen, "lose", OpportunityStatusLost),
)}

// Opportunity is a deal with a customer or a lead.
type Opportunity struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	CustomerID  string            `json:"customer_id,omitempty"`
	LeadID      string            `json:"lead_id,omitempty"`
	Amount      int64             `json:"amount"`
	Currency    string            `json:"currency"`
	CloseDate   string            `json:"close_date,omitempty"`
	Probability int               `json:"probability"`
	Status      OpportunityStatus `json:"status"`
	Reason      string            `json:"reason,omitempty"` // why it was won or lost
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Version     int64             `json:"version"`
}

// Exists reports whether the opportunity has been created.
func (o *Opportunity) Exists() bool { return o.Version > 0 }

// CurrentVersion is the opportunity's event count.
func (o *Opportunity) CurrentVersion() int64 { return o.Version }

// Clone returns a copy.
func (o *Opportunity) Clone() *Opportunity { cp := *o; return &cp }

// CreateOpportunity opens a deal, PROSPECTING.
type CreateOpportunity struct {
	OpportunityID string
	Name          string
	Description   string
	CustomerID    string // one of CustomerID and LeadID
	LeadID        string
	Amount        int64 // minor units
	Currency      string
	CloseDate     string // YYYY-MM-DD or RFC 3339
	Probability   int    // 0..100
}

// Check records every invalid field of the command in v.
func (cmd CreateOpportunity) Check(v *Validation) {
	v.Check(ValidID(cmd.OpportunityID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.Name) != "" && len(cmd.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(len(cmd.Description) <= 10000, "description", "at most 10000 characters")
	switch {
	case cmd.CustomerID == "" && cmd.LeadID == "":
		v.Add("customer_id", "one of customer_id or lead_id is required")
	case cmd.CustomerID != "" && cmd.LeadID != "":
		v.Add("lead_id", "give customer_id or lead_id, not both")
	case cmd.CustomerID != "":
		v.Check(ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	default:
		v.Check(ValidID(cmd.LeadID), "lead_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
	v.Check(cmd.Amount >= 0 && cmd.Amount <= maxUnitPrice, "amount", "must be 0 to 1000000000000 (minor units)")
	v.Check(validCurrency(cmd.Currency), "currency", "must be an ISO 4217 code such as USD")
	v.Check(cmd.CloseDate == "" || validDate(cmd.CloseDate), "close_date", "must be an RFC 3339 time or a YYYY-MM-DD date")
	v.Check(cmd.Probability >= 0 && cmd.Probability <= 100, "probability", "must be 0 to 100")
}

// OpportunityCreated: a deal was opened, PROSPECTING.
type OpportunityCreated struct {
	OpportunityID string `json:"opportunity_id"`
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	CustomerID    string `json:"customer_id,omitempty"`
	LeadID        string `json:"lead_id,omitempty"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	CloseDate     string `json:"close_date,omitempty"`
	Probability   int    `json:"probability"`
}

// OpportunityAdvanced: the deal moved one stage forward (qualify, propose, negotiate).
type OpportunityAdvanced struct {
	OpportunityID string            `json:"opportunity_id"`
	From          OpportunityStatus `json:"from"`
	To            OpportunityStatus `json:"to"`
	Action        string            `json:"action"`
	Reason        string            `json:"reason,omitempty"`
}

// OpportunityWon: the deal closed in our favour; probability becomes 100.
type OpportunityWon struct {
	OpportunityID string            `json:"opportunity_id"`
	From          OpportunityStatus `json:"from"`
	Reason        string            `json:"reason,omitempty"`
}

// OpportunityLost: the deal is off; probability becomes 0.
type OpportunityLost struct {
	OpportunityID string            `json:"opportunity_id"`
	From          OpportunityStatus `json:"from"`
	Reason        string            `json:"reason,omitempty"`
}

// Create decides opening a deal.
func (o *Opportunity) Create(cmd CreateOpportunity) ([]Event, error) {
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "opportunity", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{OpportunityCreated{OpportunityID: cmd.OpportunityID, Name: cmd.Name, Description: cmd.Description,
		CustomerID: cmd.CustomerID, LeadID: cmd.LeadID, Amount: cmd.Amount, Currency: cmd.Currency,
		CloseDate: cmd.CloseDate, Probability: cmd.Probability}}, nil
}

// Act decides one of OpportunityActions.
func (o *Opportunity) Act(action, reason string) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(OpportunityActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(OpportunityActions, ", ")}}}
	}
	next, err := opportunityFlow.Next(o.Status, action)
	if err != nil {
		return nil, err
	}
	switch action {
	case "win":
		return []Event{OpportunityWon{OpportunityID: o.ID, From: o.Status, Reason: reason}}, nil
	case "lose":
		return []Event{OpportunityLost{OpportunityID: o.ID, From: o.Status, Reason: reason}}, nil
	}
	return []Event{OpportunityAdvanced{OpportunityID: o.ID, From: o.Status, To: next, Action: action, Reason: reason}}, nil
}

// Apply folds an opportunity event in.
func (o *Opportunity) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case OpportunityCreated:
		*o = Opportunity{ID: e.OpportunityID, Name: e.Name, Description: e.Description, CustomerID: e.CustomerID,
			LeadID: e.LeadID, Amount: e.Amount, Currency: e.Currency, CloseDate: e.CloseDate, Probability: e.Probability,
			Status: OpportunityStatusProspecting, CreatedAt: env.Time}
	case OpportunityAdvanced:
		o.Status = e.To
	case OpportunityWon:
		o.Status, o.Probability, o.Reason = OpportunityStatusWon, 100, e.Reason
	case OpportunityLost:
		o.Status, o.Probability, o.Reason = OpportunityStatusLost, 0, e.Reason
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}

// ---- Cases ----

// CaseStatus is where a support case is.
type CaseStatus string

const (
	CaseStatusNew        CaseStatus = "NEW"
	CaseStatusInProgress CaseStatus = "IN_PROGRESS"
	CaseStatusOnHold     CaseStatus = "ON_HOLD"
	CaseStatusResolved   CaseStatus = "RESOLVED"
	CaseStatusClosed     CaseStatus = "CLOSED"
)

// CaseStatuses lists every status, in life order.
var CaseStatuses = []CaseStatus{CaseStatusNew, CaseStatusInProgress, CaseStatusOnHold, CaseStatusResolved, CaseStatusClosed}

// CaseActions are the status actions of POST /v1/cases/{id}/{action}; "assign" has a body
// ({assignee}) and its own command, and "add_note" is POST /v1/cases/{id}/notes.
var CaseActions = []string{"hold", "resume", "resolve", "close", "reopen"}

// CasePriorities are how urgent a case is.
var CasePriorities = []string{"LOW", "MEDIUM", "HIGH", "URGENT"}

var caseAll = []CaseStatus{CaseStatusNew, CaseStatusInProgress, CaseStatusOnHold, CaseStatusResolved, CaseStatusClosed}

// caseFlow is the case state machine. Assigning starts the work (and reassigns a case in
// progress or on hold, which keeps its status); a held case resumes; a case is resolved
// from work or hold, closed once resolved, and reopened from RESOLVED or CLOSED back into
// work. Notes may be added in every status (a customer may write after the close).
var caseFlow = Flow[CaseStatus]{Entity: "case", Steps: slices.Concat(
	[]Step[CaseStatus]{
		{CaseStatusNew, "assign", CaseStatusInProgress},
		{CaseStatusInProgress, "assign", CaseStatusInProgress},
		{CaseStatusOnHold, "assign", CaseStatusOnHold},
		{CaseStatusInProgress, "hold", CaseStatusOnHold},
		{CaseStatusOnHold, "resume", CaseStatusInProgress},
		{CaseStatusInProgress, "resolve", CaseStatusResolved},
		{CaseStatusOnHold, "resolve", CaseStatusResolved},
		{CaseStatusResolved, "close", CaseStatusClosed},
		{CaseStatusResolved, "reopen", CaseStatusInProgress},
		{CaseStatusClosed, "reopen", CaseStatusInProgress},
	},
	stay(caseAll, "add_note"),
)}

// CaseNote is one entry of a case's notes timeline.
type CaseNote struct {
	ID        string    `json:"id"`
	Body      string    `json:"body"`
	Author    string    `json:"author,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Case is a support case (StateSet's cases/tickets).
type Case struct {
	ID          string     `json:"id"`
	CaseNumber  string     `json:"case_number"`
	CaseName    string     `json:"case_name"`
	Description string     `json:"description,omitempty"`
	Submitter   string     `json:"submitter,omitempty"`
	Priority    string     `json:"priority"`
	CustomerID  string     `json:"customer_id,omitempty"`
	OrderID     string     `json:"order_id,omitempty"`
	Assignee    string     `json:"assignee,omitempty"`
	Resolution  string     `json:"resolution,omitempty"`
	Status      CaseStatus `json:"status"`
	Notes       []CaseNote `json:"notes,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int64      `json:"version"`
}

// Exists reports whether the case has been opened.
func (c *Case) Exists() bool { return c.Version > 0 }

// CurrentVersion is the case's event count.
func (c *Case) CurrentVersion() int64 { return c.Version }

// Clone returns a deep copy.
// PersonalSubject: a case linked to a customer is that customer's data.
func (c *Case) PersonalSubject() string { return c.CustomerID }

// Forget zeroes what the case holds of personal fields (see Lead.Forget).
func (c *Case) Forget() {
	c.CaseName, c.Description, c.Submitter = "", "", ""
	c.Notes = slices.Clone(c.Notes)
	for i := range c.Notes {
		c.Notes[i].Body = ""
	}
}

func (c *Case) Clone() *Case {
	cp := *c
	cp.Notes = slices.Clone(c.Notes)
	return &cp
}

// OpenCase opens a case, NEW; the caller assigns id and number.
type OpenCase struct {
	CaseID      string
	CaseNumber  string
	CaseName    string
	Description string
	Submitter   string
	Priority    string // default MEDIUM
	CustomerID  string // optional
	OrderID     string // optional
}

// Check records every invalid field of the command in v.
func (cmd OpenCase) Check(v *Validation) {
	v.Check(ValidID(cmd.CaseID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.CaseNumber) != "" && len(cmd.CaseNumber) <= 64, "case_number", "is required, at most 64 characters")
	v.Check(strings.TrimSpace(cmd.CaseName) != "" && len(cmd.CaseName) <= 200, "caseName", "is required, at most 200 characters")
	v.Check(len(cmd.Description) <= 10000, "description", "at most 10000 characters")
	v.Check(len(cmd.Submitter) <= 200, "submitter", "at most 200 characters")
	v.Check(cmd.Priority == "" || slices.Contains(CasePriorities, cmd.Priority), "priority", "must be one of "+strings.Join(CasePriorities, ", "))
	v.Check(cmd.CustomerID == "" || ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.OrderID == "" || ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
}

// CaseOpened: a case came to be, NEW.
type CaseOpened struct {
	CaseID      string `json:"case_id"`
	CaseNumber  string `json:"case_number"`
	CaseName    string `json:"case_name" personal:"true"`
	Description string `json:"description,omitempty" personal:"true"`
	Submitter   string `json:"submitter,omitempty" personal:"true"`
	Priority    string `json:"priority"`
	CustomerID  string `json:"customer_id,omitempty"`
	OrderID     string `json:"order_id,omitempty"`
}

// CaseAssigned: someone took the case (or it was handed to someone else).
type CaseAssigned struct {
	CaseID   string     `json:"case_id"`
	From     CaseStatus `json:"from"`
	To       CaseStatus `json:"to"`
	Assignee string     `json:"assignee"`
}

// CaseStatusChanged: hold, resume, resolve, close or reopen. A resolve's reason is the
// resolution.
type CaseStatusChanged struct {
	CaseID string     `json:"case_id"`
	From   CaseStatus `json:"from"`
	To     CaseStatus `json:"to"`
	Action string     `json:"action"`
	Reason string     `json:"reason,omitempty"`
}

// CaseNoteAdded: a note joined the case's timeline. It names the case's customer, whose
// personal data the body may hold.
type CaseNoteAdded struct {
	CaseID     string    `json:"case_id"`
	NoteID     string    `json:"note_id"`
	Body       string    `json:"body" personal:"true"`
	Author     string    `json:"author,omitempty"`
	CustomerID string    `json:"customer_id,omitempty"`
	AddedAt    time.Time `json:"added_at"`
}

// PersonalSubject: a case linked to a customer is about that customer.
func (e CaseOpened) PersonalSubject() string { return e.CustomerID }

// PersonalSubject: the case's customer, when it has one.
func (e CaseNoteAdded) PersonalSubject() string { return e.CustomerID }

// Open decides opening a case.
func (c *Case) Open(cmd OpenCase) ([]Event, error) {
	if c.Exists() {
		return nil, &AlreadyExistsError{Entity: "case", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if cmd.Priority == "" {
		cmd.Priority = "MEDIUM"
	}
	return []Event{CaseOpened{CaseID: cmd.CaseID, CaseNumber: cmd.CaseNumber, CaseName: cmd.CaseName,
		Description: cmd.Description, Submitter: cmd.Submitter, Priority: cmd.Priority, CustomerID: cmd.CustomerID,
		OrderID: cmd.OrderID}}, nil
}

// Assign decides handing the case to assignee (required).
func (c *Case) Assign(assignee string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	next, err := caseFlow.Next(c.Status, "assign")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(assignee) == "" || len(assignee) > 200 {
		return nil, &ValidationError{Fields: []FieldError{{"assignee", "is required, at most 200 characters"}}}
	}
	if assignee == c.Assignee && next == c.Status {
		return nil, nil // already theirs: nothing happens
	}
	return []Event{CaseAssigned{CaseID: c.ID, From: c.Status, To: next, Assignee: assignee}}, nil
}

// Act decides one of CaseActions.
func (c *Case) Act(action, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(CaseActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(CaseActions, ", ")}}}
	}
	next, err := caseFlow.Next(c.Status, action)
	if err != nil {
		return nil, err
	}
	if len(reason) > 5000 {
		return nil, &ValidationError{Fields: []FieldError{{"reason", "at most 5000 characters"}}}
	}
	return []Event{CaseStatusChanged{CaseID: c.ID, From: c.Status, To: next, Action: action, Reason: reason}}, nil
}

// AddNote decides a note at now; the caller assigns its id.
func (c *Case) AddNote(noteID, body, author string, now time.Time) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := caseFlow.Next(c.Status, "add_note"); err != nil {
		return nil, err
	}
	var v Validation
	v.Check(ValidID(noteID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(body) != "" && len(body) <= 10000, "body", "is required, at most 10000 characters")
	v.Check(len(author) <= 200, "author", "at most 200 characters")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if slices.ContainsFunc(c.Notes, func(n CaseNote) bool { return n.ID == noteID }) {
		return nil, &AlreadyExistsError{Entity: "case note", Field: "id"}
	}
	return []Event{CaseNoteAdded{CaseID: c.ID, NoteID: noteID, Body: body, Author: author, CustomerID: c.CustomerID, AddedAt: now.UTC()}}, nil
}

// Apply folds a case event in.
func (c *Case) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case CaseOpened:
		*c = Case{ID: e.CaseID, CaseNumber: e.CaseNumber, CaseName: e.CaseName, Description: e.Description,
			Submitter: e.Submitter, Priority: e.Priority, CustomerID: e.CustomerID, OrderID: e.OrderID,
			Status: CaseStatusNew, CreatedAt: env.Time}
	case CaseAssigned:
		c.Status, c.Assignee = e.To, e.Assignee
	case CaseStatusChanged:
		c.Status = e.To
		switch e.Action {
		case "resolve":
			c.Resolution = e.Reason
		case "reopen":
			c.Resolution = ""
		}
	case CaseNoteAdded:
		c.Notes = append(slices.Clone(c.Notes), CaseNote{ID: e.NoteID, Body: e.Body, Author: e.Author, CreatedAt: e.AddedAt})
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

// ---- Events ----

func (LeadCreated) EventType() string         { return "LeadCreated" }
func (LeadContacted) EventType() string       { return "LeadContacted" }
func (LeadQualified) EventType() string       { return "LeadQualified" }
func (LeadDisqualified) EventType() string    { return "LeadDisqualified" }
func (LeadConverted) EventType() string       { return "LeadConverted" }
func (ContactCreated) EventType() string      { return "ContactCreated" }
func (ContactArchived) EventType() string     { return "ContactArchived" }
func (OpportunityCreated) EventType() string  { return "OpportunityCreated" }
func (OpportunityAdvanced) EventType() string { return "OpportunityAdvanced" }
func (OpportunityWon) EventType() string      { return "OpportunityWon" }
func (OpportunityLost) EventType() string     { return "OpportunityLost" }
func (CaseOpened) EventType() string          { return "CaseOpened" }
func (CaseAssigned) EventType() string        { return "CaseAssigned" }
func (CaseStatusChanged) EventType() string   { return "CaseStatusChanged" }
func (CaseNoteAdded) EventType() string       { return "CaseNoteAdded" }

func crmEvents(r *Registry) {
	Register[LeadCreated](r, "lead", 1, nil)
	Register[LeadContacted](r, "lead", 1, nil)
	Register[LeadQualified](r, "lead", 1, nil)
	Register[LeadDisqualified](r, "lead", 1, nil)
	Register[LeadConverted](r, "lead", 1, nil)
	Register[ContactCreated](r, "contact", 1, nil)
	Register[ContactArchived](r, "contact", 1, nil)
	Register[OpportunityCreated](r, "opportunity", 1, nil)
	Register[OpportunityAdvanced](r, "opportunity", 1, nil)
	Register[OpportunityWon](r, "opportunity", 1, nil)
	Register[OpportunityLost](r, "opportunity", 1, nil)
	Register[CaseOpened](r, "case", 1, nil)
	Register[CaseAssigned](r, "case", 1, nil)
	Register[CaseStatusChanged](r, "case", 1, nil)
	Register[CaseNoteAdded](r, "case", 1, nil)
}
