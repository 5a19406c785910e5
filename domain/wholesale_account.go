package domain

import (
	"fmt"
	"maps"
	"slices"
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
