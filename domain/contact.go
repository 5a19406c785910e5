package domain

import (
	"slices"
	"strings"
	"time"
)

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
	// Primary is whether its customer or supplier names it the primary contact. That is
	// the owner's to keep (one at a time: Customer.SetPrimaryContact), not the contact's,
	// so no contact event sets it: the contacts read model and the commands that answer a
	// contact fill it in. An archived contact is no one's primary.
	Primary bool `json:"is_primary,omitempty"`
}

// Owner is the customer or supplier the contact belongs to: its aggregate type and id.
func (c *Contact) Owner() (kind, id string) {
	if c.SupplierID != "" {
		return "supplier", c.SupplierID
	}
	return "customer", c.CustomerID
}

// namePrimary decides an owner (entity ownerID, whose primary contact is now current)
// naming c its primary contact: c must be an ACTIVE contact of that owner. It reports
// whether anything changes.
func namePrimary(entity, ownerID, current string, c *Contact) (bool, error) {
	if !c.Exists() {
		return false, ErrNotFound
	}
	if kind, id := c.Owner(); kind != entity || id != ownerID {
		return false, &ValidationError{Fields: []FieldError{{"contact_id", "is not a contact of " + entity + " " + ownerID}}}
	}
	if c.Status != ContactStatusActive {
		return false, &TransitionError{Entity: "contact", From: string(c.Status), Action: "set_primary"}
	}
	return current != c.ID, nil
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

// ContactUpdated: the contact's details changed; only the changed fields are present.
type ContactUpdated struct {
	ContactID  string  `json:"contact_id"`
	CustomerID string  `json:"customer_id,omitempty"` // whose data it is (see PersonalSubject)
	FirstName  *string `json:"first_name,omitempty" personal:"true"`
	LastName   *string `json:"last_name,omitempty" personal:"true"`
	Email      *string `json:"email,omitempty" personal:"true"`
	Phone      *string `json:"phone,omitempty" personal:"true"`
	Title      *string `json:"title,omitempty"`
	Notes      *string `json:"notes,omitempty" personal:"true"`
}

// PersonalSubject: see ContactCreated.
func (e ContactUpdated) PersonalSubject() string { return e.CustomerID }

// UpdateContact edits a contact's details; nil leaves a field alone.
type UpdateContact struct {
	FirstName, LastName, Email, Phone, Title, Notes *string
}

// Update decides an edit of an ACTIVE contact (an archived one: a *TransitionError), the
// new details checked as a creation's are; nothing changed, no event.
func (c *Contact) Update(cmd UpdateContact) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if c.Status != ContactStatusActive {
		return nil, &TransitionError{Entity: "contact", From: string(c.Status), Action: "update"}
	}
	var v Validation
	CreateContact{ContactID: c.ID, CustomerID: c.CustomerID, SupplierID: c.SupplierID, FirstName: or(cmd.FirstName, c.FirstName),
		LastName: or(cmd.LastName, c.LastName), Email: or(cmd.Email, c.Email), Phone: or(cmd.Phone, c.Phone),
		Title: or(cmd.Title, c.Title), Notes: or(cmd.Notes, c.Notes)}.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := ContactUpdated{ContactID: c.ID, CustomerID: c.CustomerID, FirstName: edited(&changed, c.FirstName, cmd.FirstName),
		LastName: edited(&changed, c.LastName, cmd.LastName), Email: edited(&changed, c.Email, cmd.Email),
		Phone: edited(&changed, c.Phone, cmd.Phone), Title: edited(&changed, c.Title, cmd.Title), Notes: edited(&changed, c.Notes, cmd.Notes)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

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
	case ContactUpdated:
		put(&c.FirstName, e.FirstName)
		put(&c.LastName, e.LastName)
		put(&c.Email, e.Email)
		put(&c.Phone, e.Phone)
		put(&c.Title, e.Title)
		put(&c.Notes, e.Notes)
	case ContactArchived:
		c.Status, c.Primary = ContactStatusArchived, false
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

func (ContactCreated) EventType() string  { return "ContactCreated" }
func (ContactUpdated) EventType() string  { return "ContactUpdated" }
func (ContactArchived) EventType() string { return "ContactArchived" }

func contactEvents(r *Registry) {
	Register[ContactCreated](r, "contact", 1, nil)
	Register[ContactUpdated](r, "contact", 1, nil)
	Register[ContactArchived](r, "contact", 1, nil)
}
