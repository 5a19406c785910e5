package domain

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// CustomerStatus is where a customer is in its life.
type CustomerStatus string

const (
	CustomerStatusProspect  CustomerStatus = "PROSPECT"
	CustomerStatusActive    CustomerStatus = "ACTIVE"
	CustomerStatusInactive  CustomerStatus = "INACTIVE"
	CustomerStatusSuspended CustomerStatus = "SUSPENDED"
	CustomerStatusArchived  CustomerStatus = "ARCHIVED"
)

// CustomerStatuses lists every status, in life order.
var CustomerStatuses = []CustomerStatus{CustomerStatusProspect, CustomerStatusActive, CustomerStatusInactive, CustomerStatusSuspended, CustomerStatusArchived}

var customerLive = []CustomerStatus{CustomerStatusProspect, CustomerStatusActive, CustomerStatusInactive, CustomerStatusSuspended}

// customerFlow is the customer state machine. "update" and "add_address" are edits that
// keep the status; they are refused only on archived customers.
var customerFlow = Flow[CustomerStatus]{Entity: "customer", Steps: slices.Concat(
	[]Step[CustomerStatus]{
		{CustomerStatusProspect, "activate", CustomerStatusActive},
		{CustomerStatusInactive, "activate", CustomerStatusActive},
		{CustomerStatusSuspended, "activate", CustomerStatusActive},
		{CustomerStatusActive, "deactivate", CustomerStatusInactive},
		{CustomerStatusActive, "suspend", CustomerStatusSuspended},
		{CustomerStatusInactive, "suspend", CustomerStatusSuspended},
		{CustomerStatusProspect, "archive", CustomerStatusArchived},
		{CustomerStatusActive, "archive", CustomerStatusArchived},
		{CustomerStatusInactive, "archive", CustomerStatusArchived},
		{CustomerStatusSuspended, "archive", CustomerStatusArchived},
	},
	stay(customerLive, "update"),
	stay(customerLive, "add_address"),
	stay(customerLive, "set_primary_contact"),
)}

// CustomerTypes are the kinds of customer.
var CustomerTypes = []string{"INDIVIDUAL", "BUSINESS", "GOVERNMENT", "NONPROFIT"}

// AddressTypes are the uses of an address.
var AddressTypes = []string{"BILLING", "SHIPPING", "PRIMARY"}

// Address is a postal address.
type Address struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Street1    string `json:"street1"`
	Street2    string `json:"street2,omitempty"`
	City       string `json:"city"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// Customer is the customer aggregate.
type Customer struct {
	ID               string            `json:"id"`
	Email            string            `json:"email"`
	FirstName        string            `json:"first_name"`
	LastName         string            `json:"last_name"`
	Phone            string            `json:"phone"`
	StripeCustomerID string            `json:"stripe_customer_id"`
	Timestamp        string            `json:"timestamp"`
	ActivationDate   string            `json:"activation_date"`
	Type             string            `json:"type"`
	Status           CustomerStatus    `json:"status"`
	Metadata         map[string]string `json:"metadata,omitempty"`
	Addresses        []Address         `json:"addresses,omitempty"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	Version          int64             `json:"version"`
	LeadID           string            `json:"lead_id,omitempty"` // the lead it was converted from
	// ForgottenAt is when the customer's personal data was made unreadable (right to be
	// forgotten); nil while it is kept.
	ForgottenAt *time.Time `json:"forgotten_at,omitempty"`
	// PrimaryContactID is the contact named primary (its contacts show is_primary).
	PrimaryContactID string `json:"primary_contact_id,omitempty"`
}

// Exists reports whether the customer has been created.
func (c *Customer) Exists() bool { return c.Version > 0 }

// CurrentVersion is the customer's event count.
func (c *Customer) CurrentVersion() int64 { return c.Version }

// CreateCustomer creates a customer. Empty optional fields stay empty.
type CreateCustomer struct {
	CustomerID       string
	Email            string
	FirstName        string
	LastName         string
	Phone            string
	StripeCustomerID string
	Timestamp        string
	ActivationDate   string
	Type             string
	Status           CustomerStatus // PROSPECT or ACTIVE; empty means ACTIVE
	Metadata         map[string]string
	Addresses        []Address // ids assigned by the caller
	// LeadID is the lead this customer was converted from; set only by the conversion
	// (never from a request), since forgetting the customer forgets that lead too.
	LeadID string
}

// UpdateCustomer changes the fields that are set: nil leaves a field alone, a pointer to
// "" clears it. No change at all yields no event.
type UpdateCustomer struct {
	CustomerID       string
	Email            *string
	FirstName        *string
	LastName         *string
	Phone            *string
	StripeCustomerID *string
	Timestamp        *string
	ActivationDate   *string
	Type             *string
	Status           *CustomerStatus
	Metadata         *map[string]string // replaces the whole map; empty clears
	Reason           string             // for a status change
}

// AsCreate turns an update of a customer that does not exist yet into its creation
// (PUT is create-or-update, as in StateSet's legacy API).
func (u UpdateCustomer) AsCreate() CreateCustomer {
	val := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	c := CreateCustomer{
		CustomerID: u.CustomerID, Email: val(u.Email), FirstName: val(u.FirstName), LastName: val(u.LastName),
		Phone: val(u.Phone), StripeCustomerID: val(u.StripeCustomerID), Timestamp: val(u.Timestamp),
		ActivationDate: val(u.ActivationDate), Type: val(u.Type),
	}
	if u.Status != nil {
		c.Status = *u.Status
	}
	if u.Metadata != nil {
		c.Metadata = *u.Metadata
	}
	return c
}

// CustomerCreated: a customer came to be.
type CustomerCreated struct {
	CustomerID       string            `json:"customer_id"`
	Email            string            `json:"email" personal:"true"`
	FirstName        string            `json:"first_name,omitempty" personal:"true"`
	LastName         string            `json:"last_name,omitempty" personal:"true"`
	Phone            string            `json:"phone,omitempty" personal:"true"`
	StripeCustomerID string            `json:"stripe_customer_id,omitempty"`
	Timestamp        string            `json:"timestamp,omitempty"`
	ActivationDate   string            `json:"activation_date,omitempty"`
	Type             string            `json:"type"`
	Status           CustomerStatus    `json:"status"`
	Metadata         map[string]string `json:"metadata,omitempty"`
	Addresses        []Address         `json:"addresses,omitempty" personal:"true"`
	LeadID           string            `json:"lead_id,omitempty"` // converted from this lead
}

// Change is one field's previous and new value; "" is empty or cleared.
type Change struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MetadataChange is the metadata map before and after.
type MetadataChange struct {
	From map[string]string `json:"from"`
	To   map[string]string `json:"to"`
}

// CustomerUpdated: contact or account fields changed; only changed fields are present,
// each with its previous value.
type CustomerUpdated struct {
	CustomerID       string          `json:"customer_id"`
	Email            *Change         `json:"email,omitempty" personal:"true"`
	FirstName        *Change         `json:"first_name,omitempty" personal:"true"`
	LastName         *Change         `json:"last_name,omitempty" personal:"true"`
	Phone            *Change         `json:"phone,omitempty" personal:"true"`
	StripeCustomerID *Change         `json:"stripe_customer_id,omitempty"`
	Timestamp        *Change         `json:"timestamp,omitempty"`
	ActivationDate   *Change         `json:"activation_date,omitempty"`
	Type             *Change         `json:"type,omitempty"`
	Metadata         *MetadataChange `json:"metadata,omitempty"`
}

// CustomerStatusChanged: the customer moved between live statuses.
type CustomerStatusChanged struct {
	CustomerID string         `json:"customer_id"`
	From       CustomerStatus `json:"from"`
	To         CustomerStatus `json:"to"`
	Action     string         `json:"action"`
	Reason     string         `json:"reason,omitempty"`
}

// CustomerArchived: the customer was archived (DELETE); its email is free again.
type CustomerArchived struct {
	CustomerID string         `json:"customer_id"`
	From       CustomerStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

// CustomerForgotten: the customer's personal data was made unreadable everywhere (its key
// destroyed); the non-personal history stays. Read models scrub what they keep of it.
type CustomerForgotten struct {
	CustomerID string `json:"customer_id"`
	LeadID     string `json:"lead_id,omitempty"` // the lead the customer was converted from, forgotten with it
	Reason     string `json:"reason,omitempty"`
}

// CustomerAddressAdded: an address was added to the customer.
type CustomerAddressAdded struct {
	CustomerID string  `json:"customer_id"`
	Address    Address `json:"address" personal:"true"`
}

func (CustomerCreated) EventType() string           { return "CustomerCreated" }
func (CustomerUpdated) EventType() string           { return "CustomerUpdated" }
func (CustomerStatusChanged) EventType() string     { return "CustomerStatusChanged" }
func (CustomerArchived) EventType() string          { return "CustomerArchived" }
func (CustomerAddressAdded) EventType() string      { return "CustomerAddressAdded" }
func (CustomerForgotten) EventType() string         { return "CustomerForgotten" }
func (CustomerPrimaryContactSet) EventType() string { return "CustomerPrimaryContactSet" }

func customerEvents(r *Registry) {
	Register[CustomerCreated](r, "customer", 1, nil)
	Register[CustomerUpdated](r, "customer", 1, nil)
	Register[CustomerStatusChanged](r, "customer", 1, nil)
	Register[CustomerArchived](r, "customer", 1, nil)
	Register[CustomerAddressAdded](r, "customer", 1, nil)
	Register[CustomerForgotten](r, "customer", 1, nil)
	Register[CustomerPrimaryContactSet](r, "customer", 1, nil)
}

func (cmd CreateCustomer) withDefaults() CreateCustomer {
	if cmd.Type == "" {
		cmd.Type = "INDIVIDUAL"
	}
	if cmd.Status == "" {
		cmd.Status = CustomerStatusActive
	}
	return cmd
}

// Check records every invalid field of the creation in v.
func (cmd CreateCustomer) Check(v *Validation) {
	cmd = cmd.withDefaults()
	v.Check(ValidID(cmd.CustomerID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	if cmd.Email == "" {
		v.Add("email", "is required")
	} else {
		checkEmail(v, cmd.Email)
	}
	checkCustomerFields(v, cmd.FirstName, cmd.LastName, cmd.Phone, cmd.StripeCustomerID, cmd.Timestamp, cmd.ActivationDate, cmd.Type)
	v.Check(cmd.Status == CustomerStatusProspect || cmd.Status == CustomerStatusActive, "status", "a new customer is PROSPECT or ACTIVE")
	checkMetadata(v, "metadata", cmd.Metadata)
	for i, a := range cmd.Addresses {
		checkAddress(v, "addresses["+itoa(i)+"].", a)
	}
}

// Check records every invalid field of the update in v.
func (cmd UpdateCustomer) Check(v *Validation) {
	if cmd.Email != nil {
		if *cmd.Email == "" {
			v.Add("email", "cannot be cleared")
		} else {
			checkEmail(v, *cmd.Email)
		}
	}
	checkCustomerFields(v, deref(cmd.FirstName), deref(cmd.LastName), deref(cmd.Phone), deref(cmd.StripeCustomerID),
		deref(cmd.Timestamp), deref(cmd.ActivationDate), "")
	if cmd.Type != nil {
		v.Check(*cmd.Type == "" || slices.Contains(CustomerTypes, *cmd.Type), "type", "must be one of "+strings.Join(CustomerTypes, ", "))
	}
	if cmd.Metadata != nil {
		checkMetadata(v, "metadata", *cmd.Metadata)
	}
	if cmd.Status != nil {
		v.Check(slices.Contains(CustomerStatuses, *cmd.Status), "status", "must be one of PROSPECT, ACTIVE, INACTIVE, SUSPENDED, ARCHIVED")
	}
}

// Create decides the creation of a new customer.
func (c *Customer) Create(cmd CreateCustomer) ([]Event, error) {
	if c.Exists() {
		return nil, &AlreadyExistsError{Entity: "customer", Field: "id"}
	}
	cmd = cmd.withDefaults()
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{CustomerCreated{
		CustomerID: cmd.CustomerID, Email: cmd.Email, FirstName: cmd.FirstName, LastName: cmd.LastName,
		Phone: cmd.Phone, StripeCustomerID: cmd.StripeCustomerID, Timestamp: cmd.Timestamp,
		ActivationDate: cmd.ActivationDate, Type: cmd.Type, Status: cmd.Status,
		Metadata: emptyToNil(cmd.Metadata), Addresses: cmd.Addresses, LeadID: cmd.LeadID,
	}}, nil
}

// Update decides a field edit, and a status change when Status is set.
func (c *Customer) Update(cmd UpdateCustomer) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := customerFlow.Next(c.Status, "update"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}

	upd := CustomerUpdated{CustomerID: c.ID}
	changed := false
	diff := func(cur string, next *string) *Change {
		if next == nil || *next == cur {
			return nil
		}
		changed = true
		return &Change{From: cur, To: *next}
	}
	upd.Email = diff(c.Email, cmd.Email)
	upd.FirstName = diff(c.FirstName, cmd.FirstName)
	upd.LastName = diff(c.LastName, cmd.LastName)
	upd.Phone = diff(c.Phone, cmd.Phone)
	upd.StripeCustomerID = diff(c.StripeCustomerID, cmd.StripeCustomerID)
	upd.Timestamp = diff(c.Timestamp, cmd.Timestamp)
	upd.ActivationDate = diff(c.ActivationDate, cmd.ActivationDate)
	if cmd.Type != nil && *cmd.Type == "" {
		v := "INDIVIDUAL" // a type cannot be empty: clearing means the default
		cmd.Type = &v
	}
	upd.Type = diff(c.Type, cmd.Type)
	if cmd.Metadata != nil && !maps.Equal(c.Metadata, *cmd.Metadata) {
		changed = true
		upd.Metadata = &MetadataChange{From: c.Metadata, To: emptyToNil(*cmd.Metadata)}
	}

	var events []Event
	if changed {
		events = append(events, upd)
	}
	if cmd.Status != nil && *cmd.Status != c.Status {
		e, err := c.moveTo(*cmd.Status, cmd.Reason)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, nil
}

// moveTo finds the action that leads to status and decides it.
func (c *Customer) moveTo(to CustomerStatus, reason string) (Event, error) {
	action, ok := customerFlow.ActionTo(c.Status, to)
	if !ok {
		return nil, &TransitionError{Entity: "customer", From: string(c.Status), Action: "change status to " + string(to)}
	}
	if to == CustomerStatusArchived {
		return CustomerArchived{CustomerID: c.ID, From: c.Status, Reason: reason}, nil
	}
	return CustomerStatusChanged{CustomerID: c.ID, From: c.Status, To: to, Action: action, Reason: reason}, nil
}

// CustomerActions are the status actions reachable over POST /customers/:id/<action>.
var CustomerActions = []string{"activate", "deactivate", "suspend", "archive"}

// ChangeStatus decides a status action (activate, deactivate, suspend, archive).
func (c *Customer) ChangeStatus(action, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	to, err := customerFlow.Next(c.Status, action)
	if err != nil {
		return nil, err
	}
	if to == CustomerStatusArchived {
		return []Event{CustomerArchived{CustomerID: c.ID, From: c.Status, Reason: reason}}, nil
	}
	return []Event{CustomerStatusChanged{CustomerID: c.ID, From: c.Status, To: to, Action: action, Reason: reason}}, nil
}

// Forget decides making the customer's personal data unreadable: the customer is archived
// (its email freed) and CustomerForgotten recorded; the caller then destroys the
// customer's key. Forgetting a forgotten customer changes nothing.
func (c *Customer) Forget(reason, leadID string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if c.ForgottenAt != nil {
		return nil, nil
	}
	var events []Event
	if c.Status != CustomerStatusArchived {
		events = append(events, CustomerArchived{CustomerID: c.ID, From: c.Status, Reason: "forgotten"})
	}
	return append(events, CustomerForgotten{CustomerID: c.ID, LeadID: leadID, Reason: reason}), nil
}

// AddAddress decides adding an address (its id chosen by the caller).
func (c *Customer) AddAddress(a Address) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := customerFlow.Next(c.Status, "add_address"); err != nil {
		return nil, err
	}
	var v Validation
	checkAddress(&v, "", a)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{CustomerAddressAdded{CustomerID: c.ID, Address: a}}, nil
}

// CustomerPrimaryContactSet: the customer named one of its contacts its primary contact,
// in place of the previous one (if any).
type CustomerPrimaryContactSet struct {
	CustomerID string `json:"customer_id"`
	ContactID  string `json:"contact_id"`
	Previous   string `json:"previous_contact_id,omitempty"`
}

// SetPrimaryContact decides naming c, an ACTIVE contact of the customer, its primary
// contact (the one before it no longer is); already primary, no event. Refused on an
// archived customer, as edits are.
func (c *Customer) SetPrimaryContact(contact *Contact) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := customerFlow.Next(c.Status, "set_primary_contact"); err != nil {
		return nil, err
	}
	if changed, err := namePrimary("customer", c.ID, c.PrimaryContactID, contact); !changed || err != nil {
		return nil, err
	}
	return []Event{CustomerPrimaryContactSet{CustomerID: c.ID, ContactID: contact.ID, Previous: c.PrimaryContactID}}, nil
}

// Apply folds a customer event in.
func (c *Customer) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case CustomerCreated:
		*c = Customer{
			ID: e.CustomerID, Email: e.Email, FirstName: e.FirstName, LastName: e.LastName, Phone: e.Phone,
			StripeCustomerID: e.StripeCustomerID, Timestamp: e.Timestamp, ActivationDate: e.ActivationDate,
			Type: e.Type, Status: e.Status, Metadata: maps.Clone(e.Metadata), Addresses: slices.Clone(e.Addresses),
			LeadID: e.LeadID, CreatedAt: env.Time,
		}
	case CustomerUpdated:
		set := func(dst *string, ch *Change) {
			if ch != nil {
				*dst = ch.To
			}
		}
		set(&c.Email, e.Email)
		set(&c.FirstName, e.FirstName)
		set(&c.LastName, e.LastName)
		set(&c.Phone, e.Phone)
		set(&c.StripeCustomerID, e.StripeCustomerID)
		set(&c.Timestamp, e.Timestamp)
		set(&c.ActivationDate, e.ActivationDate)
		set(&c.Type, e.Type)
		if e.Metadata != nil {
			c.Metadata = maps.Clone(e.Metadata.To)
		}
	case CustomerStatusChanged:
		c.Status = e.To
	case CustomerArchived:
		c.Status = CustomerStatusArchived
	case CustomerAddressAdded:
		c.Addresses = append(slices.Clone(c.Addresses), e.Address)
	case CustomerPrimaryContactSet:
		c.PrimaryContactID = e.ContactID
	case CustomerForgotten:
		at := env.Time
		c.ForgottenAt = &at
		c.Email, c.FirstName, c.LastName, c.Phone, c.Addresses = "", "", "", "", nil
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached customer is never shared with a caller.
func (c *Customer) Clone() *Customer {
	cp := *c
	cp.Metadata = maps.Clone(c.Metadata)
	cp.Addresses = slices.Clone(c.Addresses)
	return &cp
}

// EmailKey is the form of an email that uniqueness is judged on.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func checkCustomerFields(v *Validation, first, last, phone, stripeID, ts, activation, typ string) {
	v.Check(len(first) <= 100, "firstName", "at most 100 characters")
	v.Check(len(last) <= 100, "lastName", "at most 100 characters")
	v.Check(validPhone(phone), "phone", "digits, spaces and + ( ) - . only, at most 32 characters")
	v.Check(len(stripeID) <= 255, "stripe_customer_id", "at most 255 characters")
	v.Check(ts == "" || validTime(ts), "timestamp", "must be an RFC 3339 time or a YYYY-MM-DD date")
	v.Check(activation == "" || validTime(activation), "activationDate", "must be an RFC 3339 time or a YYYY-MM-DD date")
	v.Check(typ == "" || slices.Contains(CustomerTypes, typ), "type", "must be one of "+strings.Join(CustomerTypes, ", "))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
