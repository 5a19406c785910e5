package domain

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// SupplierStatus is where a supplier is in its life.
type SupplierStatus string

const (
	SupplierStatusPending   SupplierStatus = "PENDING"
	SupplierStatusActive    SupplierStatus = "ACTIVE"
	SupplierStatusInactive  SupplierStatus = "INACTIVE"
	SupplierStatusSuspended SupplierStatus = "SUSPENDED"
)

// SupplierStatuses lists every status, in life order.
var SupplierStatuses = []SupplierStatus{SupplierStatusPending, SupplierStatusActive, SupplierStatusInactive, SupplierStatusSuspended}

// SupplierActions are the status actions of POST /v1/suppliers/{id}/{action}.
var SupplierActions = []string{"activate", "deactivate", "suspend"}

// supplierFlow is the supplier state machine. Only an ACTIVE supplier takes purchase
// orders; any other status may be activated again. Edits and catalog changes are allowed
// in every status (a supplier is vetted before it is activated).
var supplierFlow = Flow[SupplierStatus]{Entity: "supplier", Steps: []Step[SupplierStatus]{
	{SupplierStatusPending, "activate", SupplierStatusActive},
	{SupplierStatusPending, "deactivate", SupplierStatusInactive},
	{SupplierStatusPending, "suspend", SupplierStatusSuspended},
	{SupplierStatusActive, "deactivate", SupplierStatusInactive},
	{SupplierStatusActive, "suspend", SupplierStatusSuspended},
	{SupplierStatusInactive, "activate", SupplierStatusActive},
	{SupplierStatusSuspended, "activate", SupplierStatusActive},
	{SupplierStatusSuspended, "deactivate", SupplierStatusInactive},
}}

// SupplierTypes are the kinds of supplier.
var SupplierTypes = []string{"MANUFACTURER", "DISTRIBUTOR", "WHOLESALER", "DROPSHIPPER", "SERVICE", "OTHER"}

// SupplierProduct is one entry of a supplier's catalog: what the supplier sells a SKU for.
type SupplierProduct struct {
	SKU                  string `json:"sku"`
	SupplierSKU          string `json:"supplier_sku,omitempty"`
	UnitCost             int64  `json:"unit_cost"`
	Currency             string `json:"currency"`
	MinimumOrderQuantity int64  `json:"minimum_order_quantity"`
	LeadTimeDays         int    `json:"lead_time_days"`
}

// Supplier is the supplier aggregate, with its catalog (one entry per SKU).
type Supplier struct {
	ID           string                     `json:"id"`
	Name         string                     `json:"name"`
	SupplierCode string                     `json:"supplier_code"`
	Type         string                     `json:"type"`
	Email        string                     `json:"email"`
	Phone        string                     `json:"phone"`
	Addresses    []Address                  `json:"addresses"`
	PaymentTerms string                     `json:"payment_terms"`
	LeadTimeDays int                        `json:"lead_time_days"`
	Status       SupplierStatus             `json:"status"`
	Products     map[string]SupplierProduct `json:"products,omitempty"`
	CreatedAt    time.Time                  `json:"created_at"`
	UpdatedAt    time.Time                  `json:"updated_at"`
	Version      int64                      `json:"version"`
	// PrimaryContactID is the contact named primary (its contacts show is_primary).
	PrimaryContactID string `json:"primary_contact_id,omitempty"`
}

// Exists reports whether the supplier has been created.
func (s *Supplier) Exists() bool { return s.Version > 0 }

// CurrentVersion is the supplier's event count.
func (s *Supplier) CurrentVersion() int64 { return s.Version }

// Catalog is the supplier's products, by SKU.
func (s *Supplier) Catalog() []SupplierProduct {
	out := make([]SupplierProduct, 0, len(s.Products))
	for _, sku := range slices.Sorted(maps.Keys(s.Products)) {
		out = append(out, s.Products[sku])
	}
	return out
}

// SupplierFields are a supplier's editable details.
type SupplierFields struct {
	Name         string
	SupplierCode string
	Type         string
	Email        string
	Phone        string
	Addresses    []Address
	PaymentTerms string
	LeadTimeDays int
}

// CreateSupplier creates a supplier in PENDING.
type CreateSupplier struct {
	SupplierID string
	SupplierFields
}

// Check records every invalid field of the creation in v.
func (cmd CreateSupplier) Check(v *Validation) {
	v.Check(ValidID(cmd.SupplierID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkSupplierFields(v, cmd.SupplierFields)
}

func checkSupplierFields(v *Validation, f SupplierFields) {
	v.Check(strings.TrimSpace(f.Name) != "" && len(f.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(len(f.SupplierCode) <= 64, "supplier_code", "at most 64 characters")
	v.Check(f.Type == "" || slices.Contains(SupplierTypes, f.Type), "type", "must be one of "+strings.Join(SupplierTypes, ", "))
	if f.Email != "" {
		checkEmail(v, f.Email)
	}
	v.Check(validPhone(f.Phone), "phone", "digits, spaces and + ( ) - . only, at most 32 characters")
	v.Check(len(f.Addresses) <= 20, "addresses", "at most 20 addresses")
	for i, a := range f.Addresses {
		checkAddress(v, "addresses["+itoa(i)+"].", a)
	}
	v.Check(len(f.PaymentTerms) <= 100, "payment_terms", "at most 100 characters")
	v.Check(f.LeadTimeDays >= 0 && f.LeadTimeDays <= 3650, "lead_time_days", "must be 0 to 3650")
}

// Create decides the creation of a supplier.
func (s *Supplier) Create(cmd CreateSupplier) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if s.Exists() {
		return nil, &AlreadyExistsError{Entity: "supplier", Field: "id"}
	}
	f := cmd.SupplierFields
	return []Event{SupplierCreated{SupplierID: cmd.SupplierID, Name: f.Name, SupplierCode: f.SupplierCode, Type: f.Type,
		Email: f.Email, Phone: f.Phone, Addresses: slices.Clone(f.Addresses), PaymentTerms: f.PaymentTerms,
		LeadTimeDays: f.LeadTimeDays}}, nil
}

// UpdateSupplier edits a supplier's details; nil leaves a field alone.
type UpdateSupplier struct {
	Name         *string
	SupplierCode *string
	Type         *string
	Email        *string
	Phone        *string
	Addresses    *[]Address
	PaymentTerms *string
	LeadTimeDays *int
}

// Update decides an edit: ErrNotFound, a *ValidationError, or at most one SupplierUpdated
// holding the new values of the fields that changed.
func (s *Supplier) Update(cmd UpdateSupplier) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	f := SupplierFields{Name: s.Name, SupplierCode: s.SupplierCode, Type: s.Type, Email: s.Email, Phone: s.Phone,
		Addresses: s.Addresses, PaymentTerms: s.PaymentTerms, LeadTimeDays: s.LeadTimeDays}
	e := SupplierUpdated{SupplierID: s.ID}
	changed := false
	set := func(dst *string, next *string, out **string) {
		if next != nil && *next != *dst {
			*dst, *out, changed = *next, next, true
		}
	}
	set(&f.Name, cmd.Name, &e.Name)
	set(&f.SupplierCode, cmd.SupplierCode, &e.SupplierCode)
	set(&f.Type, cmd.Type, &e.Type)
	set(&f.Email, cmd.Email, &e.Email)
	set(&f.Phone, cmd.Phone, &e.Phone)
	set(&f.PaymentTerms, cmd.PaymentTerms, &e.PaymentTerms)
	if cmd.Addresses != nil && !slices.Equal(*cmd.Addresses, s.Addresses) {
		f.Addresses, e.Addresses, changed = *cmd.Addresses, cmd.Addresses, true
	}
	if cmd.LeadTimeDays != nil && *cmd.LeadTimeDays != s.LeadTimeDays {
		f.LeadTimeDays, e.LeadTimeDays, changed = *cmd.LeadTimeDays, cmd.LeadTimeDays, true
	}
	var v Validation
	checkSupplierFields(&v, f)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// Act decides a status action: activate, deactivate or suspend; ErrNotFound or a
// *TransitionError.
func (s *Supplier) Act(action, reason string) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	next, err := supplierFlow.Next(s.Status, action)
	if err != nil {
		return nil, err
	}
	return []Event{SupplierStatusChanged{SupplierID: s.ID, From: s.Status, To: next, Action: action, Reason: reason}}, nil
}

// SetSupplierProduct adds a catalog entry, or replaces the entry of the same SKU.
type SetSupplierProduct struct {
	Product SupplierProduct
}

// Check records every invalid field of the entry in v.
func (cmd SetSupplierProduct) Check(v *Validation) {
	p := cmd.Product
	CheckSKU(v, "sku", p.SKU)
	v.Check(len(p.SupplierSKU) <= 100, "supplier_sku", "at most 100 characters")
	v.Check(p.UnitCost >= 0 && p.UnitCost <= maxUnitPrice, "unit_cost", "must be zero or more minor units, at most 10^12")
	CheckCurrency(v, "currency", p.Currency)
	v.Check(p.MinimumOrderQuantity >= 0 && p.MinimumOrderQuantity <= maxQuantity, "minimum_order_quantity", "must be 0 to 1000000")
	v.Check(p.LeadTimeDays >= 0 && p.LeadTimeDays <= 3650, "lead_time_days", "must be 0 to 3650")
}

// SetProduct decides a catalog change: ErrNotFound, a *ValidationError, no event when the
// entry is already exactly so, else SupplierProductSet with the entry it replaced.
func (s *Supplier) SetProduct(cmd SetSupplierProduct) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	e := SupplierProductSet{SupplierID: s.ID, Product: cmd.Product}
	if old, ok := s.Products[cmd.Product.SKU]; ok {
		if old == cmd.Product {
			return nil, nil
		}
		e.Previous = &old
	}
	return []Event{e}, nil
}

// SupplierCreated: a supplier was registered, PENDING.
type SupplierCreated struct {
	SupplierID   string    `json:"supplier_id"`
	Name         string    `json:"name"`
	SupplierCode string    `json:"supplier_code,omitempty"`
	Type         string    `json:"type,omitempty"`
	Email        string    `json:"email,omitempty" personal:"true"`
	Phone        string    `json:"phone,omitempty" personal:"true"`
	Addresses    []Address `json:"addresses,omitempty" personal:"true"`
	PaymentTerms string    `json:"payment_terms,omitempty"`
	LeadTimeDays int       `json:"lead_time_days,omitempty"`
}

// SupplierUpdated: details changed; only the changed fields are present, with their new value.
type SupplierUpdated struct {
	SupplierID   string     `json:"supplier_id"`
	Name         *string    `json:"name,omitempty"`
	SupplierCode *string    `json:"supplier_code,omitempty"`
	Type         *string    `json:"type,omitempty"`
	Email        *string    `json:"email,omitempty" personal:"true"`
	Phone        *string    `json:"phone,omitempty" personal:"true"`
	Addresses    *[]Address `json:"addresses,omitempty" personal:"true"`
	PaymentTerms *string    `json:"payment_terms,omitempty"`
	LeadTimeDays *int       `json:"lead_time_days,omitempty"`
}

// SupplierStatusChanged: the supplier was activated, deactivated or suspended.
type SupplierStatusChanged struct {
	SupplierID string         `json:"supplier_id"`
	From       SupplierStatus `json:"from"`
	To         SupplierStatus `json:"to"`
	Action     string         `json:"action"`
	Reason     string         `json:"reason,omitempty"`
}

// SupplierProductSet: a catalog entry was added, or replaced the entry Previous of its SKU.
type SupplierProductSet struct {
	SupplierID string           `json:"supplier_id"`
	Product    SupplierProduct  `json:"product"`
	Previous   *SupplierProduct `json:"previous,omitempty"`
}

func (SupplierCreated) EventType() string           { return "SupplierCreated" }
func (SupplierUpdated) EventType() string           { return "SupplierUpdated" }
func (SupplierStatusChanged) EventType() string     { return "SupplierStatusChanged" }
func (SupplierProductSet) EventType() string        { return "SupplierProductSet" }
func (SupplierPrimaryContactSet) EventType() string { return "SupplierPrimaryContactSet" }

// SupplierPrimaryContactSet: the supplier named one of its contacts its primary contact,
// in place of the previous one (if any).
type SupplierPrimaryContactSet struct {
	SupplierID string `json:"supplier_id"`
	ContactID  string `json:"contact_id"`
	Previous   string `json:"previous_contact_id,omitempty"`
}

// SetPrimaryContact decides naming c, an ACTIVE contact of the supplier, its primary
// contact (the one before it no longer is); already primary, no event. Any status
// allows it, as edits do.
func (s *Supplier) SetPrimaryContact(contact *Contact) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotFound
	}
	if changed, err := namePrimary("supplier", s.ID, s.PrimaryContactID, contact); !changed || err != nil {
		return nil, err
	}
	return []Event{SupplierPrimaryContactSet{SupplierID: s.ID, ContactID: contact.ID, Previous: s.PrimaryContactID}}, nil
}

func supplierEvents(r *Registry) {
	Register[SupplierCreated](r, "supplier", 1, nil)
	Register[SupplierUpdated](r, "supplier", 1, nil)
	Register[SupplierStatusChanged](r, "supplier", 1, nil)
	Register[SupplierProductSet](r, "supplier", 1, nil)
	Register[SupplierPrimaryContactSet](r, "supplier", 1, nil)
}

// Apply folds a supplier event in.
func (s *Supplier) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case SupplierCreated:
		*s = Supplier{ID: e.SupplierID, Name: e.Name, SupplierCode: e.SupplierCode, Type: e.Type, Email: e.Email,
			Phone: e.Phone, Addresses: slices.Clone(e.Addresses), PaymentTerms: e.PaymentTerms, LeadTimeDays: e.LeadTimeDays,
			Status: SupplierStatusPending, CreatedAt: env.Time}
	case SupplierUpdated:
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&s.Name, e.Name)
		set(&s.SupplierCode, e.SupplierCode)
		set(&s.Type, e.Type)
		set(&s.Email, e.Email)
		set(&s.Phone, e.Phone)
		set(&s.PaymentTerms, e.PaymentTerms)
		if e.Addresses != nil {
			s.Addresses = slices.Clone(*e.Addresses)
		}
		if e.LeadTimeDays != nil {
			s.LeadTimeDays = *e.LeadTimeDays
		}
	case SupplierStatusChanged:
		s.Status = e.To
	case SupplierProductSet:
		s.Products = maps.Clone(s.Products)
		if s.Products == nil {
			s.Products = map[string]SupplierProduct{}
		}
		s.Products[e.Product.SKU] = e.Product
	case SupplierPrimaryContactSet:
		s.PrimaryContactID = e.ContactID
	}
	s.Version = env.Version
	s.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached supplier is never shared with a caller.
func (s *Supplier) Clone() *Supplier {
	cp := *s
	cp.Addresses = slices.Clone(s.Addresses)
	cp.Products = maps.Clone(s.Products)
	return &cp
}
