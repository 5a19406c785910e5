package domain

import (
	"slices"
	"strconv"
	"time"
)

// TransferStatus is where a transfer is in its life.
type TransferStatus string

const (
	TransferStatusCreated   TransferStatus = "CREATED"
	TransferStatusInTransit TransferStatus = "IN_TRANSIT"
	TransferStatusReceived  TransferStatus = "RECEIVED"
	TransferStatusCancelled TransferStatus = "CANCELLED"
)

// TransferStatuses lists every status, in life order.
var TransferStatuses = []TransferStatus{TransferStatusCreated, TransferStatusInTransit, TransferStatusReceived, TransferStatusCancelled}

// TransferActions are the actions of POST /v1/transfers/{id}/{action}.
var TransferActions = []string{"ship", "receive", "cancel"}

var transferFlow = Flow[TransferStatus]{Entity: "transfer", Steps: []Step[TransferStatus]{
	{TransferStatusCreated, "ship", TransferStatusInTransit},
	{TransferStatusInTransit, "receive", TransferStatusReceived},
	{TransferStatusCreated, "cancel", TransferStatusCancelled},
}}

// TransferItem is a quantity of one SKU moving between warehouses.
type TransferItem struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// Transfer moves stock from one warehouse to another.
type Transfer struct {
	ID             string         `json:"id"`
	FromLocationID string         `json:"from_location_id"`
	ToLocationID   string         `json:"to_location_id"`
	Items          []TransferItem `json:"items"`
	Status         TransferStatus `json:"status"`
	ShippedAt      *time.Time     `json:"shipped_at,omitempty"`
	ReceivedAt     *time.Time     `json:"received_at,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	Version        int64          `json:"version"`
}

// Exists reports whether the transfer has been created.
func (t *Transfer) Exists() bool { return t.Version > 0 }

// CurrentVersion is the transfer's event count.
func (t *Transfer) CurrentVersion() int64 { return t.Version }

// CreateTransfer creates a transfer.
type CreateTransfer struct {
	TransferID     string
	FromLocationID string
	ToLocationID   string
	Items          []TransferItem
}

// Check validates the command.
func (cmd CreateTransfer) Check(v *Validation) {
	v.Check(ValidID(cmd.TransferID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.FromLocationID), "from_location_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.ToLocationID), "to_location_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.FromLocationID == "" || cmd.FromLocationID != cmd.ToLocationID, "to_location_id", "must differ from from_location_id")
	v.Check(len(cmd.Items) > 0 && len(cmd.Items) <= 500, "items", "must hold 1 to 500 items")
	seen := map[string]bool{}
	for i, it := range cmd.Items {
		f := "items[" + strconv.Itoa(i) + "]."
		CheckSKU(v, f+"sku", it.SKU)
		v.Check(!seen[it.SKU], f+"sku", "appears on another item; give one item per SKU")
		seen[it.SKU] = true
		v.Check(it.Quantity > 0 && it.Quantity <= 1_000_000, f+"quantity", "must be a positive integer up to 1000000")
	}
}

// Create decides the transfer's creation.
func (t *Transfer) Create(cmd CreateTransfer) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if t.Exists() {
		return nil, &AlreadyExistsError{Entity: "transfer", Field: "id"}
	}
	return []Event{TransferCreated{TransferID: cmd.TransferID, FromLocationID: cmd.FromLocationID,
		ToLocationID: cmd.ToLocationID, Items: slices.Clone(cmd.Items)}}, nil
}

// CreateShipped decides a transfer created and shipped at once (POST
// /v1/inventory/transfer): TransferCreated then TransferShipped, for the caller to append
// in one commit, so that a refused ship never leaves a transfer CREATED behind. The
// refusals are Create's; whether the source has the stock is the caller's check, as for Act.
func (t *Transfer) CreateShipped(cmd CreateTransfer) ([]Event, error) {
	events, err := t.Create(cmd)
	if err != nil {
		return nil, err
	}
	if _, err := transferFlow.Next(TransferStatusCreated, "ship"); err != nil {
		return nil, err
	}
	return append(events, TransferShipped{TransferMoved{TransferID: cmd.TransferID, FromLocationID: cmd.FromLocationID,
		ToLocationID: cmd.ToLocationID, Items: slices.Clone(cmd.Items)}}), nil
}

// Act decides ship, receive or cancel. Whether the source has the stock is the caller's
// check (it reads the items); the stock moves in flow transfer-stock.
func (t *Transfer) Act(action, reason string) ([]Event, error) {
	if !t.Exists() {
		return nil, ErrNotFound
	}
	if _, err := transferFlow.Next(t.Status, action); err != nil {
		return nil, err
	}
	body := TransferMoved{TransferID: t.ID, FromLocationID: t.FromLocationID, ToLocationID: t.ToLocationID, Items: slices.Clone(t.Items)}
	switch action {
	case "ship":
		return []Event{TransferShipped{body}}, nil
	case "receive":
		return []Event{TransferReceived{body}}, nil
	case "cancel":
		return []Event{TransferCancelled{TransferID: t.ID, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "transfer", From: string(t.Status), Action: action}
}

// Apply folds a transfer event in.
func (t *Transfer) Apply(env Envelope) {
	at := env.Time
	switch e := env.Event.(type) {
	case TransferCreated:
		*t = Transfer{ID: e.TransferID, FromLocationID: e.FromLocationID, ToLocationID: e.ToLocationID,
			Items: slices.Clone(e.Items), Status: TransferStatusCreated, CreatedAt: env.Time}
	case TransferShipped:
		t.Status, t.ShippedAt = TransferStatusInTransit, &at
	case TransferReceived:
		t.Status, t.ReceivedAt = TransferStatusReceived, &at
	case TransferCancelled:
		t.Status = TransferStatusCancelled
	}
	t.Version = env.Version
	t.UpdatedAt = env.Time
}

// Clone returns a deep copy.
func (t *Transfer) Clone() *Transfer {
	cp := *t
	cp.Items = slices.Clone(t.Items)
	return &cp
}

// TransferCreated: a move of stock between warehouses was planned.
type TransferCreated struct {
	TransferID     string         `json:"transfer_id"`
	FromLocationID string         `json:"from_location_id"`
	ToLocationID   string         `json:"to_location_id"`
	Items          []TransferItem `json:"items"`
}

// TransferMoved is what the ship and receive events carry: everything flow
// transfer-stock needs.
type TransferMoved struct {
	TransferID     string         `json:"transfer_id"`
	FromLocationID string         `json:"from_location_id"`
	ToLocationID   string         `json:"to_location_id"`
	Items          []TransferItem `json:"items"`
}

// TransferShipped: the stock left the source (on hand down there, in transit up at the
// destination: F6).
type TransferShipped struct{ TransferMoved }

// TransferReceived: the stock arrived (in transit down, on hand up at the destination: F6).
type TransferReceived struct{ TransferMoved }

// TransferCancelled: the transfer was abandoned before it shipped.
type TransferCancelled struct {
	TransferID string `json:"transfer_id"`
	Reason     string `json:"reason,omitempty"`
}

func (TransferCreated) EventType() string   { return "TransferCreated" }
func (TransferShipped) EventType() string   { return "TransferShipped" }
func (TransferReceived) EventType() string  { return "TransferReceived" }
func (TransferCancelled) EventType() string { return "TransferCancelled" }

func transferEvents(r *Registry) {
	Register[TransferCreated](r, "transfer", 1, nil)
	Register[TransferShipped](r, "transfer", 1, nil)
	Register[TransferReceived](r, "transfer", 1, nil)
	Register[TransferCancelled](r, "transfer", 1, nil)
}
