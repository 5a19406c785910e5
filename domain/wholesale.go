package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// NetTerms is how many days a wholesale customer has to pay an invoice.
type NetTerms string

const (
	NetTerms15 NetTerms = "NET15"
	NetTerms30 NetTerms = "NET30"
	NetTerms60 NetTerms = "NET60"
)

// NetTermsList lists every net term, shortest first.
var NetTermsList = []NetTerms{NetTerms15, NetTerms30, NetTerms60}

// Days is the number of days the terms give, 0 for an unknown value.
func (n NetTerms) Days() int {
	switch n {
	case NetTerms15:
		return 15
	case NetTerms30:
		return 30
	case NetTerms60:
		return 60
	}
	return 0
}

func checkNetTerms(v *Validation, n NetTerms) {
	v.Check(slices.Contains(NetTermsList, n), "net_terms", "must be one of NET15, NET30, NET60")
}

// ---- Wholesale account: credit limit and exposure ----

// CreditState is where an order's use of credit stands.
type CreditState string

const (
	CreditStateSubmitted CreditState = "SUBMITTED" // submitted, approved or fulfilled, not yet invoiced
	CreditStateInvoiced  CreditState = "INVOICED"  // invoiced, not yet paid
)

// CreditLine is the credit one wholesale order uses.
type CreditLine struct {
	Amount int64       `json:"amount"`
	State  CreditState `json:"state"`
}

// WholesaleAccount is the wholesale account aggregate of one BUSINESS customer; its id is
// the customer id.
//
// Exposure is the credit the customer uses: every wholesale order that is submitted,
// approved, fulfilled or invoiced counts until it is paid or cancelled. That is stricter
// than "open invoices" alone, on purpose: credit is reserved when an order is submitted, on
// this one aggregate, so two orders submitted one after the other cannot both slip under
// the limit. Lowering the limit below the exposure is allowed; it refuses new orders only.
type WholesaleAccount struct {
	CustomerID  string                `json:"customer_id"`
	Currency    string                `json:"currency"`
	CreditLimit int64                 `json:"credit_limit"`
	NetTerms    NetTerms              `json:"net_terms"`
	PriceListID string                `json:"price_list_id,omitempty"`
	CreditLines map[string]CreditLine `json:"credit_lines,omitempty"` // by order id
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"updated_at"`
	Version     int64                 `json:"version"`
}

// Exists reports whether the account has been opened.
func (a *WholesaleAccount) Exists() bool { return a.Version > 0 }

// CurrentVersion is the account's event count.
func (a *WholesaleAccount) CurrentVersion() int64 { return a.Version }

// Exposure is the credit in use: the sum of every credit line. ReserveCredit never lets it
// pass the credit limit, itself at most MaxMoney.
func (a *WholesaleAccount) Exposure() int64 {
	sum, _ := a.exposure()
	return sum
}

// exposure is the checked sum of the credit lines; ok is false only if it passed MaxMoney.
func (a *WholesaleAccount) exposure() (sum int64, ok bool) {
	ok = true
	for _, l := range a.CreditLines {
		if sum, ok = AddMoney(sum, l.Amount); !ok {
			return MaxMoney, false
		}
	}
	return sum, true
}

// CreditLimitError is returned by ReserveCredit when the order would take the exposure over
// the credit limit.
type CreditLimitError struct {
	CustomerID string
	Limit      int64
	Exposure   int64 // in use before this order
	Amount     int64 // this order
	Currency   string
}

func (e *CreditLimitError) Error() string {
	return fmt.Sprintf("credit limit %d %s exceeded: %d in use + %d ordered", e.Limit, e.Currency, e.Exposure, e.Amount)
}

// OpenWholesaleAccount opens a customer's wholesale account.
type OpenWholesaleAccount struct {
	CustomerID  string
	Currency    string
	CreditLimit int64 // minor units; 0 allows no credit at all
	NetTerms    NetTerms
	PriceListID string // optional
}

// UpdateWholesaleAccount changes the fields that are set; nil leaves a field alone. The
// currency cannot change while any order holds credit.
type UpdateWholesaleAccount struct {
	CustomerID  string
	Currency    *string
	CreditLimit *int64
	NetTerms    *NetTerms
	PriceListID *string // a pointer to "" clears it
}

// ReserveCredit takes credit for a submitted wholesale order. The order id makes it
// idempotent: an order that already holds credit yields no event.
type ReserveCredit struct {
	CustomerID string
	OrderID    string
	Amount     int64  // the order's total, minor units
	Currency   string // the order's currency; must be the account's
}

// InvoiceCredit marks an order's credit as invoiced.
type InvoiceCredit struct {
	CustomerID string
	OrderID    string
}

// CreditReleaseReasons are why an order stops using credit.
var CreditReleaseReasons = []string{"cancelled", "paid"}

// ReleaseCredit frees an order's credit, because it was cancelled or paid.
type ReleaseCredit struct {
	CustomerID string
	OrderID    string
	Reason     string // "cancelled" or "paid"
}

// WholesaleAccountOpened: a customer got a wholesale account.
type WholesaleAccountOpened struct {
	CustomerID  string   `json:"customer_id"`
	Currency    string   `json:"currency"`
	CreditLimit int64    `json:"credit_limit"`
	NetTerms    NetTerms `json:"net_terms"`
	PriceListID string   `json:"price_list_id,omitempty"`
}

// AmountChange is an amount before and after.
type AmountChange struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// WholesaleAccountUpdated: account terms changed; only changed fields are present, each with
// its previous value.
type WholesaleAccountUpdated struct {
	CustomerID  string        `json:"customer_id"`
	Currency    *Change       `json:"currency,omitempty"`
	CreditLimit *AmountChange `json:"credit_limit,omitempty"`
	NetTerms    *Change       `json:"net_terms,omitempty"`
	PriceListID *Change       `json:"price_list_id,omitempty"`
}

// WholesaleCreditReserved: a submitted order took credit.
type WholesaleCreditReserved struct {
	CustomerID string `json:"customer_id"`
	OrderID    string `json:"order_id"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
}

// WholesaleCreditInvoiced: an order holding credit was invoiced.
type WholesaleCreditInvoiced struct {
	CustomerID string `json:"customer_id"`
	OrderID    string `json:"order_id"`
}

// WholesaleCreditReleased: an order stopped using credit.
type WholesaleCreditReleased struct {
	CustomerID string `json:"customer_id"`
	OrderID    string `json:"order_id"`
	Amount     int64  `json:"amount"`
	Reason     string `json:"reason"`
}

func (WholesaleAccountOpened) EventType() string  { return "WholesaleAccountOpened" }
func (WholesaleAccountUpdated) EventType() string { return "WholesaleAccountUpdated" }
func (WholesaleCreditReserved) EventType() string { return "WholesaleCreditReserved" }
func (WholesaleCreditInvoiced) EventType() string { return "WholesaleCreditInvoiced" }
func (WholesaleCreditReleased) EventType() string { return "WholesaleCreditReleased" }

// Check records every invalid field of the opening in v.
func (cmd OpenWholesaleAccount) Check(v *Validation) {
	v.Check(ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	checkCurrency(v, "currency", cmd.Currency)
	checkCreditLimit(v, cmd.CreditLimit)
	checkNetTerms(v, cmd.NetTerms)
	v.Check(cmd.PriceListID == "" || ValidID(cmd.PriceListID), "price_list_id", "must match ^[A-Za-z0-9_-]{1,64}$")
}

// Check records every invalid field of the update in v.
func (cmd UpdateWholesaleAccount) Check(v *Validation) {
	if cmd.Currency != nil {
		checkCurrency(v, "currency", *cmd.Currency)
	}
	if cmd.CreditLimit != nil {
		checkCreditLimit(v, *cmd.CreditLimit)
	}
	if cmd.NetTerms != nil {
		checkNetTerms(v, *cmd.NetTerms)
	}
	if cmd.PriceListID != nil {
		v.Check(*cmd.PriceListID == "" || ValidID(*cmd.PriceListID), "price_list_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
}

// Check records every invalid field of the reservation in v.
func (cmd ReserveCredit) Check(v *Validation) {
	v.Check(ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.Amount > 0 && cmd.Amount <= MaxMoney, "amount", "must be a positive amount in minor units, at most 10^15")
	checkCurrency(v, "currency", cmd.Currency)
}

// Check records every invalid field of the invoicing in v.
func (cmd InvoiceCredit) Check(v *Validation) {
	v.Check(ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
}

// Check records every invalid field of the release in v.
func (cmd ReleaseCredit) Check(v *Validation) {
	v.Check(ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(slices.Contains(CreditReleaseReasons, cmd.Reason), "reason", "must be cancelled or paid")
}

func checkCreditLimit(v *Validation, limit int64) {
	v.Check(MoneyInRange(limit), "credit_limit", "must be zero or more minor units, at most 10^15")
}

// Open decides the opening of an account; ErrAlreadyExists if it is open.
func (a *WholesaleAccount) Open(cmd OpenWholesaleAccount) ([]Event, error) {
	if a.Exists() {
		return nil, &AlreadyExistsError{Entity: "wholesale account", Field: "customer_id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WholesaleAccountOpened{CustomerID: cmd.CustomerID, Currency: cmd.Currency,
		CreditLimit: cmd.CreditLimit, NetTerms: cmd.NetTerms, PriceListID: cmd.PriceListID}}, nil
}

// Update decides a change of terms: ErrNotFound, a *ValidationError, or at most one
// WholesaleAccountUpdated.
func (a *WholesaleAccount) Update(cmd UpdateWholesaleAccount) ([]Event, error) {
	if !a.Exists() {
		return nil, ErrNotFound
	}
	var v Validation
	cmd.Check(&v)
	if cmd.Currency != nil && *cmd.Currency != a.Currency && len(a.CreditLines) > 0 {
		v.Add("currency", "cannot change while "+itoa(len(a.CreditLines))+" orders hold credit")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	upd := WholesaleAccountUpdated{CustomerID: a.CustomerID}
	changed := false
	diff := func(cur string, next *string) *Change {
		if next == nil || *next == cur {
			return nil
		}
		changed = true
		return &Change{From: cur, To: *next}
	}
	upd.Currency = diff(a.Currency, cmd.Currency)
	upd.PriceListID = diff(a.PriceListID, cmd.PriceListID)
	if cmd.NetTerms != nil {
		upd.NetTerms = diff(string(a.NetTerms), ptrTo(string(*cmd.NetTerms)))
	}
	if cmd.CreditLimit != nil && *cmd.CreditLimit != a.CreditLimit {
		upd.CreditLimit, changed = &AmountChange{From: a.CreditLimit, To: *cmd.CreditLimit}, true
	}
	if !changed {
		return nil, nil
	}
	return []Event{upd}, nil
}

// ReserveCredit decides taking credit for an order: ErrNotFound, a *ValidationError (also
// for a currency other than the account's), a *CreditLimitError when exposure + amount
// would exceed the limit, no event when the order already holds credit, else
// WholesaleCreditReserved. Exactly reaching the limit is allowed.
func (a *WholesaleAccount) ReserveCredit(cmd ReserveCredit) ([]Event, error) {
	if !a.Exists() {
		return nil, ErrNotFound
	}
	if _, held := a.CreditLines[cmd.OrderID]; held {
		return nil, nil
	}
	var v Validation
	cmd.Check(&v)
	v.Check(cmd.Currency == a.Currency || !validCurrency(cmd.Currency), "currency", "must be the account's currency "+a.Currency)
	if err := v.Err(); err != nil {
		return nil, err
	}
	exposure, ok := a.exposure()
	if after, fits := AddMoney(exposure, cmd.Amount); !ok || !fits || after > a.CreditLimit {
		return nil, &CreditLimitError{CustomerID: a.CustomerID, Limit: a.CreditLimit, Exposure: exposure,
			Amount: cmd.Amount, Currency: a.Currency}
	}
	return []Event{WholesaleCreditReserved{CustomerID: a.CustomerID, OrderID: cmd.OrderID, Amount: cmd.Amount, Currency: a.Currency}}, nil
}

// InvoiceCredit decides marking an order's credit invoiced. An order that holds no credit
// (never reserved, or released) or is already invoiced yields no event, so a redelivered
// or late event is harmless.
func (a *WholesaleAccount) InvoiceCredit(cmd InvoiceCredit) ([]Event, error) {
	if !a.Exists() {
		return nil, ErrNotFound
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if l, held := a.CreditLines[cmd.OrderID]; !held || l.State == CreditStateInvoiced {
		return nil, nil
	}
	return []Event{WholesaleCreditInvoiced{CustomerID: a.CustomerID, OrderID: cmd.OrderID}}, nil
}

// ReleaseCredit decides freeing an order's credit; an order that holds none yields no event.
func (a *WholesaleAccount) ReleaseCredit(cmd ReleaseCredit) ([]Event, error) {
	if !a.Exists() {
		return nil, ErrNotFound
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	l, held := a.CreditLines[cmd.OrderID]
	if !held {
		return nil, nil
	}
	return []Event{WholesaleCreditReleased{CustomerID: a.CustomerID, OrderID: cmd.OrderID, Amount: l.Amount, Reason: cmd.Reason}}, nil
}

// Apply folds a wholesale account event in.
func (a *WholesaleAccount) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WholesaleAccountOpened:
		*a = WholesaleAccount{CustomerID: e.CustomerID, Currency: e.Currency, CreditLimit: e.CreditLimit,
			NetTerms: e.NetTerms, PriceListID: e.PriceListID, CreatedAt: env.Time}
	case WholesaleAccountUpdated:
		if e.Currency != nil {
			a.Currency = e.Currency.To
		}
		if e.CreditLimit != nil {
			a.CreditLimit = e.CreditLimit.To
		}
		if e.NetTerms != nil {
			a.NetTerms = NetTerms(e.NetTerms.To)
		}
		if e.PriceListID != nil {
			a.PriceListID = e.PriceListID.To
		}
	case WholesaleCreditReserved:
		lines := maps.Clone(a.CreditLines)
		if lines == nil {
			lines = map[string]CreditLine{}
		}
		lines[e.OrderID] = CreditLine{Amount: e.Amount, State: CreditStateSubmitted}
		a.CreditLines = lines
	case WholesaleCreditInvoiced:
		if l, ok := a.CreditLines[e.OrderID]; ok {
			a.CreditLines = maps.Clone(a.CreditLines)
			l.State = CreditStateInvoiced
			a.CreditLines[e.OrderID] = l
		}
	case WholesaleCreditReleased:
		a.CreditLines = maps.Clone(a.CreditLines)
		delete(a.CreditLines, e.OrderID)
		if len(a.CreditLines) == 0 {
			a.CreditLines = nil
		}
	}
	a.Version = env.Version
	a.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached account is never shared with a caller.
func (a *WholesaleAccount) Clone() *WholesaleAccount {
	cp := *a
	cp.CreditLines = maps.Clone(a.CreditLines)
	return &cp
}

func wholesaleAccountEvents(r *Registry) {
	Register[WholesaleAccountOpened](r, "wholesale_account", 1, nil)
	Register[WholesaleAccountUpdated](r, "wholesale_account", 1, nil)
	Register[WholesaleCreditReserved](r, "wholesale_account", 1, nil)
	Register[WholesaleCreditInvoiced](r, "wholesale_account", 1, nil)
	Register[WholesaleCreditReleased](r, "wholesale_account", 1, nil)
}

// ---- Wholesale order ----

// WholesaleOrderStatus is where a wholesale order is in its life.
type WholesaleOrderStatus string

const (
	WholesaleOrderStatusDraft     WholesaleOrderStatus = "DRAFT"
	WholesaleOrderStatusSubmitted WholesaleOrderStatus = "SUBMITTED"
	WholesaleOrderStatusApproved  WholesaleOrderStatus = "APPROVED"
	WholesaleOrderStatusFulfilled WholesaleOrderStatus = "FULFILLED"
	WholesaleOrderStatusInvoiced  WholesaleOrderStatus = "INVOICED"
	WholesaleOrderStatusPaid      WholesaleOrderStatus = "PAID"
	WholesaleOrderStatusCancelled WholesaleOrderStatus = "CANCELLED"
)

// WholesaleOrderStatuses lists every status, in life order.
var WholesaleOrderStatuses = []WholesaleOrderStatus{WholesaleOrderStatusDraft, WholesaleOrderStatusSubmitted,
	WholesaleOrderStatusApproved, WholesaleOrderStatusFulfilled, WholesaleOrderStatusInvoiced, WholesaleOrderStatusPaid,
	WholesaleOrderStatusCancelled}

// WholesaleFinancialStatus is whether the order has been invoiced and paid.
type WholesaleFinancialStatus string

const (
	WholesaleFinancialUnpaid   WholesaleFinancialStatus = "UNPAID"
	WholesaleFinancialInvoiced WholesaleFinancialStatus = "INVOICED"
	WholesaleFinancialPaid     WholesaleFinancialStatus = "PAID"
)

// WholesaleFulfillmentStatus is whether the order's goods have gone out.
type WholesaleFulfillmentStatus string

const (
	WholesaleUnfulfilled WholesaleFulfillmentStatus = "UNFULFILLED"
	WholesaleFulfilled   WholesaleFulfillmentStatus = "FULFILLED"
)

// WholesaleOrderActions are the status actions reachable over POST
// /wholesale_orders/:id/<action>; "invoice" goes through Invoice, the rest through Act.
var WholesaleOrderActions = []string{"submit", "approve", "fulfill", "invoice", "pay", "cancel"}

// wholesaleOrderFlow is the wholesale order state machine. "update" edits lines and
// details, and only a draft can be edited: from submission on, the total is what credit
// was reserved for.
var wholesaleOrderFlow = Flow[WholesaleOrderStatus]{Entity: "wholesale order", Steps: []Step[WholesaleOrderStatus]{
	{WholesaleOrderStatusDraft, "update", WholesaleOrderStatusDraft},
	{WholesaleOrderStatusDraft, "submit", WholesaleOrderStatusSubmitted},
	{WholesaleOrderStatusSubmitted, "approve", WholesaleOrderStatusApproved},
	{WholesaleOrderStatusApproved, "fulfill", WholesaleOrderStatusFulfilled},
	{WholesaleOrderStatusFulfilled, "invoice", WholesaleOrderStatusInvoiced},
	{WholesaleOrderStatusInvoiced, "pay", WholesaleOrderStatusPaid},
	{WholesaleOrderStatusDraft, "cancel", WholesaleOrderStatusCancelled},
	{WholesaleOrderStatusSubmitted, "cancel", WholesaleOrderStatusCancelled},
	{WholesaleOrderStatusApproved, "cancel", WholesaleOrderStatusCancelled},
}}

// WholesaleLine is a priced order line.
type WholesaleLine struct {
	LineID    string `json:"line_id"`
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"` // minor units, from the price list at this quantity
	Total     int64  `json:"total"`      // Quantity * UnitPrice
}

// WholesaleItem is what an order line asks of stock: a SKU and a quantity.
type WholesaleItem struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// WholesaleOrder is the wholesale (B2B) order aggregate.
type WholesaleOrder struct {
	ID                string                     `json:"id"`
	OrderNumber       string                     `json:"order_number"`
	CustomerID        string                     `json:"customer_id"`
	PriceListID       string                     `json:"price_list_id"`
	Currency          string                     `json:"currency"`
	PONumber          string                     `json:"po_number,omitempty"`
	NetTerms          NetTerms                   `json:"net_terms"`
	LocationID        string                     `json:"location_id"`
	Lines             []WholesaleLine            `json:"lines"`
	Subtotal          int64                      `json:"subtotal"`
	Total             int64                      `json:"total"`
	Status            WholesaleOrderStatus       `json:"status"`
	FinancialStatus   WholesaleFinancialStatus   `json:"financial_status"`
	FulfillmentStatus WholesaleFulfillmentStatus `json:"fulfillment_status"`
	InvoiceNumber     string                     `json:"invoice_number,omitempty"`
	DueAt             *time.Time                 `json:"due_at,omitempty"`
	Notes             string                     `json:"notes,omitempty"`
	CreatedAt         time.Time                  `json:"created_at"`
	UpdatedAt         time.Time                  `json:"updated_at"`
	Version           int64                      `json:"version"`
}

// Exists reports whether the order has been created.
func (o *WholesaleOrder) Exists() bool { return o.Version > 0 }

// CurrentVersion is the order's event count.
func (o *WholesaleOrder) CurrentVersion() int64 { return o.Version }

// WholesaleLineInput is an order line as asked for; its price comes from the price list.
type WholesaleLineInput struct {
	LineID   string // chosen by the caller, unique in the order
	SKU      string
	Quantity int64
}

// CreateWholesaleOrder creates a draft wholesale order priced from PriceList, which must be
// active and assigned to the customer; the order takes the list's currency. The caller
// loads the list (usually the account's) and copies NetTerms from the account.
type CreateWholesaleOrder struct {
	OrderID     string
	OrderNumber string // e.g. WSO-000001, chosen by the caller
	CustomerID  string
	LocationID  string // where stock is reserved on approval
	PONumber    string // the customer's purchase order number, optional
	NetTerms    NetTerms
	Notes       string
	Lines       []WholesaleLineInput
	PriceList   *PriceList
}

// UpdateWholesaleOrder edits a draft; nil leaves a field alone. New Lines replace all lines
// and are priced from PriceList, which must be the order's list, still active and assigned.
// No change at all yields no event.
type UpdateWholesaleOrder struct {
	OrderID    string
	PONumber   *string
	LocationID *string
	Notes      *string
	Lines      *[]WholesaleLineInput
	PriceList  *PriceList // required with Lines
}

// InvoiceWholesaleOrder invoices a fulfilled order; it is due NetTerms days later.
type InvoiceWholesaleOrder struct {
	OrderID       string
	InvoiceNumber string // chosen by the caller
}

// WholesaleOrderCreated: a draft wholesale order came to be, priced.
type WholesaleOrderCreated struct {
	OrderID     string          `json:"order_id"`
	OrderNumber string          `json:"order_number"`
	CustomerID  string          `json:"customer_id"`
	PriceListID string          `json:"price_list_id"`
	Currency    string          `json:"currency"`
	PONumber    string          `json:"po_number,omitempty"`
	NetTerms    NetTerms        `json:"net_terms"`
	LocationID  string          `json:"location_id"`
	Lines       []WholesaleLine `json:"lines"`
	Subtotal    int64           `json:"subtotal"`
	Total       int64           `json:"total"`
	Notes       string          `json:"notes,omitempty"`
}

// LinesChange is an order's priced lines and totals before and after.
type LinesChange struct {
	From         []WholesaleLine `json:"from"`
	To           []WholesaleLine `json:"to"`
	SubtotalFrom int64           `json:"subtotal_from"`
	SubtotalTo   int64           `json:"subtotal_to"`
	TotalFrom    int64           `json:"total_from"`
	TotalTo      int64           `json:"total_to"`
}

// WholesaleOrderUpdated: a draft was edited; only changed fields are present, each with its
// previous value.
type WholesaleOrderUpdated struct {
	OrderID    string       `json:"order_id"`
	PONumber   *Change      `json:"po_number,omitempty"`
	LocationID *Change      `json:"location_id,omitempty"`
	Notes      *Change      `json:"notes,omitempty"`
	Lines      *LinesChange `json:"lines,omitempty"`
}

// WholesaleOrderSubmitted: the customer committed to the order; credit is reserved for Total.
type WholesaleOrderSubmitted struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
	Total      int64  `json:"total"`
	Currency   string `json:"currency"`
}

// WholesaleOrderApproved: the order was accepted; it carries what a process manager needs to
// reserve stock without loading anything else.
type WholesaleOrderApproved struct {
	OrderID    string          `json:"order_id"`
	CustomerID string          `json:"customer_id"`
	LocationID string          `json:"location_id"`
	Lines      []WholesaleItem `json:"lines"`
}

// WholesaleOrderFulfilled: the order's goods went out.
type WholesaleOrderFulfilled struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
}

// WholesaleOrderInvoiced: the order was invoiced, due DueAt.
type WholesaleOrderInvoiced struct {
	OrderID       string    `json:"order_id"`
	CustomerID    string    `json:"customer_id"`
	InvoiceNumber string    `json:"invoice_number"`
	DueAt         time.Time `json:"due_at"`
	Total         int64     `json:"total"`
	Currency      string    `json:"currency"`
}

// WholesaleOrderPaid: the invoice was paid in full.
type WholesaleOrderPaid struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
}

// WholesaleOrderCancelled: the order was cancelled from status From; credit, and stock if it
// was approved, are to be released.
type WholesaleOrderCancelled struct {
	OrderID    string               `json:"order_id"`
	CustomerID string               `json:"customer_id"`
	From       WholesaleOrderStatus `json:"from"`
	Reason     string               `json:"reason,omitempty"`
}

func (WholesaleOrderCreated) EventType() string   { return "WholesaleOrderCreated" }
func (WholesaleOrderUpdated) EventType() string   { return "WholesaleOrderUpdated" }
func (WholesaleOrderSubmitted) EventType() string { return "WholesaleOrderSubmitted" }
func (WholesaleOrderApproved) EventType() string  { return "WholesaleOrderApproved" }
func (WholesaleOrderFulfilled) EventType() string { return "WholesaleOrderFulfilled" }
func (WholesaleOrderInvoiced) EventType() string  { return "WholesaleOrderInvoiced" }
func (WholesaleOrderPaid) EventType() string      { return "WholesaleOrderPaid" }
func (WholesaleOrderCancelled) EventType() string { return "WholesaleOrderCancelled" }

func wholesaleOrderEvents(r *Registry) {
	Register[WholesaleOrderCreated](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderUpdated](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderSubmitted](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderApproved](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderFulfilled](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderInvoiced](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderPaid](r, "wholesale_order", 1, nil)
	Register[WholesaleOrderCancelled](r, "wholesale_order", 1, nil)
}

// wholesaleEvents registers the events of the wholesale module's three aggregates.
func wholesaleEvents(r *Registry) {
	priceListEvents(r)
	wholesaleAccountEvents(r)
	wholesaleOrderEvents(r)
}

// Check records every invalid field of the creation in v, pricing problems included.
func (cmd CreateWholesaleOrder) Check(v *Validation) {
	v.Check(ValidID(cmd.OrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.OrderNumber) != "" && len(cmd.OrderNumber) <= 64, "order_number", "is required, at most 64 characters")
	v.Check(ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.PONumber) <= 100, "po_number", "at most 100 characters")
	checkNetTerms(v, cmd.NetTerms)
	v.Check(len(cmd.Notes) <= 2000, "notes", "at most 2000 characters")
	checkPriceListFor(v, cmd.PriceList, cmd.CustomerID, "")
	checkWholesaleLines(v, cmd.Lines, cmd.PriceList)
}

// Check records every invalid field of the edit in v. Update also checks that PriceList is
// the order's own list, still active and assigned to the customer.
func (cmd UpdateWholesaleOrder) Check(v *Validation) {
	if cmd.PONumber != nil {
		v.Check(len(*cmd.PONumber) <= 100, "po_number", "at most 100 characters")
	}
	if cmd.LocationID != nil {
		v.Check(ValidID(*cmd.LocationID), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	}
	if cmd.Notes != nil {
		v.Check(len(*cmd.Notes) <= 2000, "notes", "at most 2000 characters")
	}
	if cmd.Lines != nil {
		v.Check(cmd.PriceList != nil && cmd.PriceList.Exists(), "price_list_id", "is required")
		checkWholesaleLines(v, *cmd.Lines, cmd.PriceList)
	}
}

// Check records every invalid field of the invoicing in v.
func (cmd InvoiceWholesaleOrder) Check(v *Validation) {
	v.Check(strings.TrimSpace(cmd.InvoiceNumber) != "" && len(cmd.InvoiceNumber) <= 64, "invoice_number", "is required, at most 64 characters")
}

// checkPriceListFor records why pl cannot price an order of customerID; want, when set, is
// the list the order already uses.
func checkPriceListFor(v *Validation, pl *PriceList, customerID, want string) {
	switch {
	case pl == nil || !pl.Exists():
		v.Add("price_list_id", "is required")
	case want != "" && pl.ID != want:
		v.Add("price_list_id", "must be the order's price list "+want)
	case pl.Status != PriceListStatusActive:
		v.Add("price_list_id", "price list "+pl.ID+" is "+string(pl.Status))
	case !pl.AssignedTo(customerID):
		v.Add("customer_id", "not assigned to price list "+pl.ID)
	}
}

func checkWholesaleLines(v *Validation, lines []WholesaleLineInput, pl *PriceList) {
	v.Check(len(lines) >= 1 && len(lines) <= maxWholesaleLines, "lines", "1 to 500 lines")
	seen, priced := map[string]bool{}, true
	for i, l := range lines {
		f := "lines[" + itoa(i) + "]."
		v.Check(ValidID(l.LineID) && !seen[l.LineID], f+"line_id", "must match ^[A-Za-z0-9_-]{1,64}$ and be unique in the order")
		seen[l.LineID] = true
		onList := false
		if !validSKU(l.SKU) {
			v.Add(f+"sku", "a SKU is 1 to 100 characters without spaces")
		} else if pl != nil && pl.Exists() {
			if _, onList = pl.Price(l.SKU, 1); !onList {
				v.Add(f+"sku", "not on price list "+pl.ID)
			}
		}
		qtyOK := l.Quantity > 0 && l.Quantity <= maxQuantity
		v.Check(qtyOK, f+"quantity", "must be 1 to 1000000")
		priced = priced && qtyOK && onList
	}
	if priced {
		checkLineTotals(v, "lines", len(lines), func(i int) (int64, int64) {
			price, _ := pl.Price(lines[i].SKU, lines[i].Quantity)
			return lines[i].Quantity, price
		})
	}
}

// maxWholesaleLines bounds an order's lines.
const maxWholesaleLines = 500

// priceLines prices lines from pl that checkWholesaleLines found valid, so every line
// total and their sum are within MaxMoney.
func priceLines(lines []WholesaleLineInput, pl *PriceList) ([]WholesaleLine, int64) {
	out := make([]WholesaleLine, len(lines))
	var subtotal int64
	for i, l := range lines {
		price, _ := pl.Price(l.SKU, l.Quantity)
		total, _ := MulMoney(l.Quantity, price)
		out[i] = WholesaleLine{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity, UnitPrice: price, Total: total}
		subtotal, _ = AddMoney(subtotal, total)
	}
	return out, subtotal
}

// Create decides the creation of a draft order: ErrAlreadyExists, or a *ValidationError
// naming every bad field (lines[i].sku for a SKU not on the list, price_list_id for a
// missing or archived list, customer_id for a list not assigned to the customer).
func (o *WholesaleOrder) Create(cmd CreateWholesaleOrder) ([]Event, error) {
	if o.Exists() {
		return nil, &AlreadyExistsError{Entity: "wholesale order", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	lines, subtotal := priceLines(cmd.Lines, cmd.PriceList)
	return []Event{WholesaleOrderCreated{
		OrderID: cmd.OrderID, OrderNumber: cmd.OrderNumber, CustomerID: cmd.CustomerID, PriceListID: cmd.PriceList.ID,
		Currency: cmd.PriceList.Currency, PONumber: cmd.PONumber, NetTerms: cmd.NetTerms, LocationID: cmd.LocationID,
		Lines: lines, Subtotal: subtotal, Total: subtotal, Notes: cmd.Notes,
	}}, nil
}

// Update decides an edit of a draft: ErrNotFound, a *TransitionError past DRAFT, a
// *ValidationError, or at most one WholesaleOrderUpdated.
func (o *WholesaleOrder) Update(cmd UpdateWholesaleOrder) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := wholesaleOrderFlow.Next(o.Status, "update"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	if cmd.Lines != nil && cmd.PriceList != nil && cmd.PriceList.Exists() {
		checkPriceListFor(&v, cmd.PriceList, o.CustomerID, o.PriceListID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	upd := WholesaleOrderUpdated{OrderID: o.ID}
	changed := false
	diff := func(cur string, next *string) *Change {
		if next == nil || *next == cur {
			return nil
		}
		changed = true
		return &Change{From: cur, To: *next}
	}
	upd.PONumber = diff(o.PONumber, cmd.PONumber)
	upd.LocationID = diff(o.LocationID, cmd.LocationID)
	upd.Notes = diff(o.Notes, cmd.Notes)
	if cmd.Lines != nil {
		lines, subtotal := priceLines(*cmd.Lines, cmd.PriceList)
		if !slices.Equal(lines, o.Lines) {
			changed = true
			upd.Lines = &LinesChange{From: o.Lines, To: lines, SubtotalFrom: o.Subtotal, SubtotalTo: subtotal,
				TotalFrom: o.Total, TotalTo: subtotal}
		}
	}
	if !changed {
		return nil, nil
	}
	return []Event{upd}, nil
}

// Act decides a status action without arguments: submit, approve, fulfill, pay or cancel
// (reason is kept for cancel). It returns ErrNotFound or a *TransitionError (also for
// "update", which is UpdateWholesaleOrder's); "invoice" needs an invoice number, so here
// it is a *ValidationError once the status allows it.
func (o *WholesaleOrder) Act(action, reason string, now time.Time) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if action == "invoice" {
		return o.Invoice(InvoiceWholesaleOrder{OrderID: o.ID}, now)
	}
	if _, err := wholesaleOrderFlow.Next(o.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "submit":
		return []Event{WholesaleOrderSubmitted{OrderID: o.ID, CustomerID: o.CustomerID, Total: o.Total, Currency: o.Currency}}, nil
	case "approve":
		items := make([]WholesaleItem, len(o.Lines))
		for i, l := range o.Lines {
			items[i] = WholesaleItem{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity}
		}
		return []Event{WholesaleOrderApproved{OrderID: o.ID, CustomerID: o.CustomerID, LocationID: o.LocationID, Lines: items}}, nil
	case "fulfill":
		return []Event{WholesaleOrderFulfilled{OrderID: o.ID, CustomerID: o.CustomerID}}, nil
	case "pay":
		return []Event{WholesaleOrderPaid{OrderID: o.ID, CustomerID: o.CustomerID, Amount: o.Total, Currency: o.Currency}}, nil
	case "cancel":
		return []Event{WholesaleOrderCancelled{OrderID: o.ID, CustomerID: o.CustomerID, From: o.Status, Reason: reason}}, nil
	}
	// "update" is in the table but has its own command, UpdateWholesaleOrder
	return nil, &TransitionError{Entity: wholesaleOrderFlow.Entity, From: string(o.Status), Action: action}
}

// Invoice decides invoicing a fulfilled order, due NetTerms days after now: ErrNotFound, a
// *TransitionError, or a *ValidationError without an invoice number.
func (o *WholesaleOrder) Invoice(cmd InvoiceWholesaleOrder, now time.Time) ([]Event, error) {
	if !o.Exists() {
		return nil, ErrNotFound
	}
	if _, err := wholesaleOrderFlow.Next(o.Status, "invoice"); err != nil {
		return nil, err
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return []Event{WholesaleOrderInvoiced{OrderID: o.ID, CustomerID: o.CustomerID, InvoiceNumber: cmd.InvoiceNumber,
		DueAt: now.UTC().AddDate(0, 0, o.NetTerms.Days()), Total: o.Total, Currency: o.Currency}}, nil
}

// Apply folds a wholesale order event in.
func (o *WholesaleOrder) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WholesaleOrderCreated:
		*o = WholesaleOrder{
			ID: e.OrderID, OrderNumber: e.OrderNumber, CustomerID: e.CustomerID, PriceListID: e.PriceListID,
			Currency: e.Currency, PONumber: e.PONumber, NetTerms: e.NetTerms, LocationID: e.LocationID,
			Lines: slices.Clone(e.Lines), Subtotal: e.Subtotal, Total: e.Total, Notes: e.Notes,
			Status: WholesaleOrderStatusDraft, FinancialStatus: WholesaleFinancialUnpaid,
			FulfillmentStatus: WholesaleUnfulfilled, CreatedAt: env.Time,
		}
	case WholesaleOrderUpdated:
		set := func(dst *string, ch *Change) {
			if ch != nil {
				*dst = ch.To
			}
		}
		set(&o.PONumber, e.PONumber)
		set(&o.LocationID, e.LocationID)
		set(&o.Notes, e.Notes)
		if e.Lines != nil {
			o.Lines, o.Subtotal, o.Total = slices.Clone(e.Lines.To), e.Lines.SubtotalTo, e.Lines.TotalTo
		}
	case WholesaleOrderSubmitted:
		o.Status = WholesaleOrderStatusSubmitted
	case WholesaleOrderApproved:
		o.Status = WholesaleOrderStatusApproved
	case WholesaleOrderFulfilled:
		o.Status, o.FulfillmentStatus = WholesaleOrderStatusFulfilled, WholesaleFulfilled
	case WholesaleOrderInvoiced:
		due := e.DueAt
		o.Status, o.FinancialStatus, o.InvoiceNumber, o.DueAt = WholesaleOrderStatusInvoiced, WholesaleFinancialInvoiced, e.InvoiceNumber, &due
	case WholesaleOrderPaid:
		o.Status, o.FinancialStatus = WholesaleOrderStatusPaid, WholesaleFinancialPaid
	case WholesaleOrderCancelled:
		o.Status = WholesaleOrderStatusCancelled
	}
	o.Version = env.Version
	o.UpdatedAt = env.Time
}

// Clone returns a deep copy, so a cached order is never shared with a caller.
func (o *WholesaleOrder) Clone() *WholesaleOrder {
	cp := *o
	cp.Lines = slices.Clone(o.Lines)
	if o.DueAt != nil {
		due := *o.DueAt
		cp.DueAt = &due
	}
	return &cp
}
