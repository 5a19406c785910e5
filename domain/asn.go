package domain

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// ASNStatus is where an advance shipping notice is in its life.
type ASNStatus string

const (
	ASNStatusDraft     ASNStatus = "DRAFT"
	ASNStatusSubmitted ASNStatus = "SUBMITTED"
	ASNStatusInTransit ASNStatus = "IN_TRANSIT"
	ASNStatusDelivered ASNStatus = "DELIVERED"
	ASNStatusCancelled ASNStatus = "CANCELLED"
)

// ASNStatuses lists every status, in life order.
var ASNStatuses = []ASNStatus{ASNStatusDraft, ASNStatusSubmitted, ASNStatusInTransit, ASNStatusDelivered, ASNStatusCancelled}

// ASNActions are the status actions of POST /v1/asns/{id}/{action}.
var ASNActions = []string{"submit", "ship", "deliver", "cancel"}

// asnFlow is the ASN state machine: cancel is allowed until delivery.
var asnFlow = Flow[ASNStatus]{Entity: "asn", Steps: []Step[ASNStatus]{
	{ASNStatusDraft, "submit", ASNStatusSubmitted},
	{ASNStatusSubmitted, "ship", ASNStatusInTransit},
	{ASNStatusInTransit, "deliver", ASNStatusDelivered},
	{ASNStatusDraft, "cancel", ASNStatusCancelled},
	{ASNStatusSubmitted, "cancel", ASNStatusCancelled},
	{ASNStatusInTransit, "cancel", ASNStatusCancelled},
}}

// ASNItem is a SKU and quantity a shipment announces.
type ASNItem struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// ASN is the advance shipping notice aggregate: a supplier's announcement of goods shipped
// against a purchase order. Delivering it records the arrival only; stock is received on
// the purchase order (POST /v1/purchase_orders/{id}/receive).
type ASN struct {
	ID              string     `json:"id"`
	ASNNumber       string     `json:"asn_number"`
	PurchaseOrderID string     `json:"purchase_order_id"`
	SupplierID      string     `json:"supplier_id"`
	Items           []ASNItem  `json:"items"`
	Carrier         string     `json:"carrier,omitempty"`
	TrackingNumber  string     `json:"tracking_number,omitempty"`
	ExpectedArrival string     `json:"expected_arrival,omitempty"` // RFC 3339 time or YYYY-MM-DD
	Status          ASNStatus  `json:"status"`
	ShippedAt       *time.Time `json:"shipped_at,omitempty"`
	DeliveredAt     *time.Time `json:"delivered_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Version         int64      `json:"version"`
}

// Exists reports whether the ASN has been created.
func (a *ASN) Exists() bool { return a.Version > 0 }

// CurrentVersion is the ASN's event count.
func (a *ASN) CurrentVersion() int64 { return a.Version }

// asnPOStatuses are the purchase order statuses an ASN may be created against.
var asnPOStatuses = []PurchaseOrderStatus{PurchaseOrderStatusSubmitted, PurchaseOrderStatusApproved, PurchaseOrderStatusPartiallyReceived}

// CreateASN creates a DRAFT ASN against PurchaseOrder, which must be SUBMITTED, APPROVED or
// PARTIALLY_RECEIVED; each item's SKU must be a line of it, its quantity not above what
// is still open on that line.
type CreateASN struct {
	ASNID           string
	ASNNumber       string // e.g. ASN-000001, chosen by the caller
	PurchaseOrder   *PurchaseOrder
	Items           []ASNItem
	Carrier         string
	TrackingNumber  string
	ExpectedArrival string
}

// Check records every invalid field of the creation in v, the purchase order included.
func (cmd CreateASN) Check(v *Validation) {
	v.Check(ValidID(cmd.ASNID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.ASNNumber != "" && len(cmd.ASNNumber) <= 64, "asn_number", "is required, at most 64 characters")
	po := cmd.PurchaseOrder
	switch {
	case po == nil || !po.Exists():
		v.Add("purchase_order_id", "no such purchase order")
		po = nil
	case !slices.Contains(asnPOStatuses, po.Status):
		v.Add("purchase_order_id", "purchase order "+po.ID+" is "+string(po.Status)+"; ASNs need SUBMITTED, APPROVED or PARTIALLY_RECEIVED")
		po = nil
	}
	checkASNDetails(v, cmd.Carrier, cmd.TrackingNumber, cmd.ExpectedArrival)
	v.Check(len(cmd.Items) >= 1 && len(cmd.Items) <= 500, "items", "1 to 500 lines")
	seen := map[string]bool{}
	for i, it := range cmd.Items {
		f := "items[" + strconv.Itoa(i) + "]."
		CheckSKU(v, f+"sku", it.SKU)
		v.Check(!seen[it.SKU], f+"sku", "appears on another line; give one line per SKU")
		seen[it.SKU] = true
		if po == nil {
			v.Check(it.Quantity > 0, f+"quantity", "must be a positive integer")
			continue
		}
		l, ok := po.Line(it.SKU)
		if !ok {
			v.Add(f+"sku", "is not a line of purchase order "+po.ID)
			continue
		}
		v.Check(it.Quantity > 0 && it.Quantity <= l.Open(), f+"quantity", fmt.Sprintf("must be from 1 to the %d still open on the purchase order", l.Open()))
	}
}

// checkASNDetails checks how an ASN's goods travel.
func checkASNDetails(v *Validation, carrier, tracking, expected string) {
	v.Check(len(carrier) <= 100, "carrier", "at most 100 characters")
	v.Check(len(tracking) <= 100, "tracking_number", "at most 100 characters")
	v.Check(expected == "" || validTime(expected), "expected_arrival", "must be an RFC 3339 time or a YYYY-MM-DD date")
}

// UpdateASN edits an ASN; nil leaves a field alone. Items replaces its lines, checked
// against PurchaseOrder (the ASN's).
type UpdateASN struct {
	Carrier, TrackingNumber, ExpectedArrival *string
	Items                                    *[]ASNItem
	PurchaseOrder                            *PurchaseOrder
}

// Update decides an edit: how the goods travel until they are delivered or the ASN is
// cancelled, what it announces only while DRAFT (else a *TransitionError), each checked as
// a creation's are. Nothing changed, no event.
func (a *ASN) Update(cmd UpdateASN) ([]Event, error) {
	if !a.Exists() {
		return nil, ErrNotFound
	}
	if a.Status == ASNStatusDelivered || a.Status == ASNStatusCancelled {
		return nil, &TransitionError{Entity: "asn", From: string(a.Status), Action: "update"}
	}
	if cmd.Items != nil && a.Status != ASNStatusDraft {
		return nil, &TransitionError{Entity: "asn", From: string(a.Status), Action: "change the items of"}
	}
	var v Validation
	carrier, tracking, expected := or(cmd.Carrier, a.Carrier), or(cmd.TrackingNumber, a.TrackingNumber), or(cmd.ExpectedArrival, a.ExpectedArrival)
	if cmd.Items != nil {
		CreateASN{ASNID: a.ID, ASNNumber: a.ASNNumber, PurchaseOrder: cmd.PurchaseOrder, Items: *cmd.Items,
			Carrier: carrier, TrackingNumber: tracking, ExpectedArrival: expected}.Check(&v)
	} else {
		checkASNDetails(&v, carrier, tracking, expected)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := ASNUpdated{ASNID: a.ID, PurchaseOrderID: a.PurchaseOrderID, Carrier: edited(&changed, a.Carrier, cmd.Carrier),
		TrackingNumber: edited(&changed, a.TrackingNumber, cmd.TrackingNumber), ExpectedArrival: edited(&changed, a.ExpectedArrival, cmd.ExpectedArrival),
		Items: editedSlice(&changed, a.Items, cmd.Items)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// Create decides the creation of an ASN: ErrAlreadyExists or a *ValidationError.
func (a *ASN) Create(cmd CreateASN) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if a.Exists() {
		return nil, &AlreadyExistsError{Entity: "asn", Field: "id"}
	}
	return []Event{ASNCreated{ASNID: cmd.ASNID, ASNNumber: cmd.ASNNumber, PurchaseOrderID: cmd.PurchaseOrder.ID,
		SupplierID: cmd.PurchaseOrder.SupplierID, Items: slices.Clone(cmd.Items), Carrier: cmd.Carrier,
		TrackingNumber: cmd.TrackingNumber, ExpectedArrival: cmd.ExpectedArrival}}, nil
}

// Act decides a status action: submit, ship, deliver or cancel; ErrNotFound or a
// *TransitionError.
func (a *ASN) Act(action, reason string) ([]Event, error) {
	if !a.Exists() {
		return nil, ErrNotFound
	}
	next, err := asnFlow.Next(a.Status, action)
	if err != nil {
		return nil, err
	}
	base := ASNStatusChange{ASNID: a.ID, PurchaseOrderID: a.PurchaseOrderID, From: a.Status, To: next, Reason: reason}
	switch action {
	case "submit":
		return []Event{ASNSubmitted{base}}, nil
	case "ship":
		return []Event{ASNShipped{base}}, nil
	case "deliver":
		return []Event{ASNDelivered{base}}, nil
	case "cancel":
		return []Event{ASNCancelled{base}}, nil
	}
	return nil, &TransitionError{Entity: asnFlow.Entity, From: string(a.Status), Action: action}
}

// ASNStatusChange is what every status event of an ASN carries.
type ASNStatusChange struct {
	ASNID           string    `json:"asn_id"`
	PurchaseOrderID string    `json:"purchase_order_id"`
	From            ASNStatus `json:"from"`
	To              ASNStatus `json:"to"`
	Reason          string    `json:"reason,omitempty"`
}

// ASNCreated: a supplier's shipment was announced (DRAFT).
type ASNCreated struct {
	ASNID           string    `json:"asn_id"`
	ASNNumber       string    `json:"asn_number"`
	PurchaseOrderID string    `json:"purchase_order_id"`
	SupplierID      string    `json:"supplier_id"`
	Items           []ASNItem `json:"items"`
	Carrier         string    `json:"carrier,omitempty"`
	TrackingNumber  string    `json:"tracking_number,omitempty"`
	ExpectedArrival string    `json:"expected_arrival,omitempty"`
}

// ASNUpdated: how the goods travel (or, as a draft, what is announced) changed; only what
// changed is present.
type ASNUpdated struct {
	ASNID           string     `json:"asn_id"`
	PurchaseOrderID string     `json:"purchase_order_id"`
	Carrier         *string    `json:"carrier,omitempty"`
	TrackingNumber  *string    `json:"tracking_number,omitempty"`
	ExpectedArrival *string    `json:"expected_arrival,omitempty"`
	Items           *[]ASNItem `json:"items,omitempty"`
}

// ASNSubmitted: the notice was sent.
type ASNSubmitted struct{ ASNStatusChange }

// ASNShipped: the goods are in transit.
type ASNShipped struct{ ASNStatusChange }

// ASNDelivered: the goods arrived (they are received on the purchase order).
type ASNDelivered struct{ ASNStatusChange }

// ASNCancelled: the shipment will not come.
type ASNCancelled struct{ ASNStatusChange }

func (ASNCreated) EventType() string   { return "ASNCreated" }
func (ASNUpdated) EventType() string   { return "ASNUpdated" }
func (ASNSubmitted) EventType() string { return "ASNSubmitted" }
func (ASNShipped) EventType() string   { return "ASNShipped" }
func (ASNDelivered) EventType() string { return "ASNDelivered" }
func (ASNCancelled) EventType() string { return "ASNCancelled" }

func asnEvents(r *Registry) {
	Register[ASNCreated](r, "asn", 1, nil)
	Register[ASNUpdated](r, "asn", 1, nil)
	Register[ASNSubmitted](r, "asn", 1, nil)
	Register[ASNShipped](r, "asn", 1, nil)
	Register[ASNDelivered](r, "asn", 1, nil)
	Register[ASNCancelled](r, "asn", 1, nil)
}

// Apply folds an ASN event in.
func (a *ASN) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case ASNCreated:
		*a = ASN{ID: e.ASNID, ASNNumber: e.ASNNumber, PurchaseOrderID: e.PurchaseOrderID, SupplierID: e.SupplierID,
			Items: slices.Clone(e.Items), Carrier: e.Carrier, TrackingNumber: e.TrackingNumber,
			ExpectedArrival: e.ExpectedArrival, Status: ASNStatusDraft, CreatedAt: env.Time}
	case ASNUpdated:
		put(&a.Carrier, e.Carrier)
		put(&a.TrackingNumber, e.TrackingNumber)
		put(&a.ExpectedArrival, e.ExpectedArrival)
		if e.Items != nil {
			a.Items = slices.Clone(*e.Items)
		}
	case ASNSubmitted:
		a.Status = e.To
	case ASNShipped:
		at := env.Time
		a.Status, a.ShippedAt = e.To, &at
	case ASNDelivered:
		at := env.Time
		a.Status, a.DeliveredAt = e.To, &at
	case ASNCancelled:
		a.Status = e.To
	}
	a.Version = env.Version
	a.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached ASN is never shared with a caller.
func (a *ASN) Clone() *ASN {
	cp := *a
	cp.Items = slices.Clone(a.Items)
	if a.ShippedAt != nil {
		at := *a.ShippedAt
		cp.ShippedAt = &at
	}
	if a.DeliveredAt != nil {
		at := *a.DeliveredAt
		cp.DeliveredAt = &at
	}
	return &cp
}
