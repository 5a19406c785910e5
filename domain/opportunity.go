package domain

import (
	"slices"
	"strings"
	"time"
)

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

// OpportunityUpdated: the deal's details changed; only the changed fields are present.
type OpportunityUpdated struct {
	OpportunityID string  `json:"opportunity_id"`
	Name          *string `json:"name,omitempty"`
	Description   *string `json:"description,omitempty"`
	Amount        *int64  `json:"amount,omitempty"`
	Currency      *string `json:"currency,omitempty"`
	CloseDate     *string `json:"close_date,omitempty"`
	Probability   *int    `json:"probability,omitempty"`
}

// UpdateOpportunity edits a deal's details; nil leaves a field alone.
type UpdateOpportunity struct {
	Name, Description, Currency, CloseDate *string
	Amount                                 *int64
	Probability                            *int
}

// Update decides an edit of an open deal (won or lost: a *TransitionError), the new
// details checked as a creation's are; nothing changed, no event.
func (o *Opportunity) Update(cmd UpdateOpportunity) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(opportunityOpen, o.Status) {
		return nil, &TransitionError{Entity: "opportunity", From: string(o.Status), Action: "update"}
	}
	var v Validation
	CreateOpportunity{OpportunityID: o.ID, CustomerID: o.CustomerID, LeadID: o.LeadID, Name: or(cmd.Name, o.Name),
		Description: or(cmd.Description, o.Description), Amount: or(cmd.Amount, o.Amount), Currency: or(cmd.Currency, o.Currency),
		CloseDate: or(cmd.CloseDate, o.CloseDate), Probability: or(cmd.Probability, o.Probability)}.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := OpportunityUpdated{OpportunityID: o.ID, Name: edited(&changed, o.Name, cmd.Name), Description: edited(&changed, o.Description, cmd.Description),
		Amount: edited(&changed, o.Amount, cmd.Amount), Currency: edited(&changed, o.Currency, cmd.Currency),
		CloseDate: edited(&changed, o.CloseDate, cmd.CloseDate), Probability: edited(&changed, o.Probability, cmd.Probability)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
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
	case OpportunityUpdated:
		put(&o.Name, e.Name)
		put(&o.Description, e.Description)
		put(&o.Amount, e.Amount)
		put(&o.Currency, e.Currency)
		put(&o.CloseDate, e.CloseDate)
		put(&o.Probability, e.Probability)
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

func (OpportunityCreated) EventType() string  { return "OpportunityCreated" }
func (OpportunityUpdated) EventType() string  { return "OpportunityUpdated" }
func (OpportunityAdvanced) EventType() string { return "OpportunityAdvanced" }
func (OpportunityWon) EventType() string      { return "OpportunityWon" }
func (OpportunityLost) EventType() string     { return "OpportunityLost" }

func opportunityEvents(r *Registry) {
	Register[OpportunityCreated](r, "opportunity", 1, nil)
	Register[OpportunityUpdated](r, "opportunity", 1, nil)
	Register[OpportunityAdvanced](r, "opportunity", 1, nil)
	Register[OpportunityWon](r, "opportunity", 1, nil)
	Register[OpportunityLost](r, "opportunity", 1, nil)
}
