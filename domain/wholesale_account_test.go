package domain

import (
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, wholesaleAccountGoldens) }

// wholesaleAccountGoldens is one realistic value per wholesale account event type (see goldens).
var wholesaleAccountGoldens = map[string]Event{
	"WholesaleAccountOpened.v1": WholesaleAccountOpened{CustomerID: "cus_acme", Currency: "USD", CreditLimit: 5_000_000,
		NetTerms: NetTerms30, PriceListID: "pl_trade"},
	"WholesaleAccountUpdated.v1": WholesaleAccountUpdated{CustomerID: "cus_acme", CreditLimit: &AmountChange{From: 5_000_000, To: 7_500_000},
		NetTerms: &Change{From: "NET30", To: "NET60"}, PriceListID: &Change{From: "pl_trade", To: "pl_trade_2027"}},
	"WholesaleCreditReserved.v1": WholesaleCreditReserved{CustomerID: "cus_acme", OrderID: "wso_1", Amount: 1_234_500, Currency: "USD"},
	"WholesaleCreditInvoiced.v1": WholesaleCreditInvoiced{CustomerID: "cus_acme", OrderID: "wso_1"},
	"WholesaleCreditReleased.v1": WholesaleCreditReleased{CustomerID: "cus_acme", OrderID: "wso_1", Amount: 1_234_500, Reason: "paid"},
}

func acmeAccount(limit int64) *WholesaleAccount {
	return fold(&WholesaleAccount{}, WholesaleAccountOpened{CustomerID: "cus_1", Currency: "USD", CreditLimit: limit, NetTerms: NetTerms30})
}

func TestCreditLimit(t *testing.T) {
	a := acmeAccount(500000)
	reserve := func(order string, amount int64) ([]Event, error) {
		before := a.Clone()
		events, err := a.ReserveCredit(ReserveCredit{CustomerID: "cus_1", OrderID: order, Amount: amount, Currency: "USD"})
		if diff := cmp.Diff(before, a); diff != "" {
			t.Fatalf("decide mutated the account:\n%s", diff)
		}
		fold(a, events...)
		return events, err
	}
	if _, err := reserve("o1", 420000); err != nil {
		t.Fatal(err)
	}
	_, err := reserve("o2", 100000)
	var cle *CreditLimitError
	if !errors.As(err, &cle) {
		t.Fatalf("over the limit: %v", err)
	}
	if diff := cmp.Diff(&CreditLimitError{CustomerID: "cus_1", Limit: 500000, Exposure: 420000, Amount: 100000, Currency: "USD"}, cle); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if got, want := err.Error(), "credit limit 500000 USD exceeded: 420000 in use + 100000 ordered"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if events, err := reserve("o2", 80000); err != nil || len(events) != 1 {
		t.Fatalf("exactly at the limit: %v %v", events, err)
	}
	if a.Exposure() != 500000 {
		t.Errorf("exposure %d", a.Exposure())
	}
	if _, err := reserve("o3", 1); !errors.As(err, &cle) || cle.Exposure != 500000 || cle.Amount != 1 {
		t.Errorf("one over the limit: %v", err)
	}
	if events, err := reserve("o1", 420000); err != nil || events != nil {
		t.Errorf("reserving a held order again: %v %v", events, err)
	}
	// invoicing keeps the credit in use; paying frees it
	fold(a, mustEvents(t)(a.InvoiceCredit(InvoiceCredit{CustomerID: "cus_1", OrderID: "o1"}))...)
	if a.CreditLines["o1"].State != CreditStateInvoiced || a.Exposure() != 500000 {
		t.Errorf("after invoice: %+v", a.CreditLines)
	}
	if events, err := a.InvoiceCredit(InvoiceCredit{CustomerID: "cus_1", OrderID: "o1"}); err != nil || events != nil {
		t.Errorf("invoicing twice: %v %v", events, err)
	}
	released := mustEvents(t)(a.ReleaseCredit(ReleaseCredit{CustomerID: "cus_1", OrderID: "o1", Reason: "paid"}))
	if diff := cmp.Diff([]Event{WholesaleCreditReleased{CustomerID: "cus_1", OrderID: "o1", Amount: 420000, Reason: "paid"}}, released); diff != "" {
		t.Errorf("released (-want +got):\n%s", diff)
	}
	fold(a, released...)
	if events, err := reserve("o3", 420000); err != nil || len(events) != 1 {
		t.Errorf("reserve after release: %v %v", events, err)
	}
	if events, err := a.ReleaseCredit(ReleaseCredit{CustomerID: "cus_1", OrderID: "o1", Reason: "cancelled"}); err != nil || events != nil {
		t.Errorf("releasing an order holding nothing: %v %v", events, err)
	}
	if _, err := a.ReleaseCredit(ReleaseCredit{CustomerID: "cus_1", OrderID: "o2", Reason: "lost"}); !hasFields(err, "reason") {
		t.Errorf("bad reason: %v", err)
	}
	if _, err := reserve("o9", 1); !errors.As(err, &cle) {
		t.Errorf("full again: %v", err)
	}
	if _, err := acmeAccount(0).ReserveCredit(ReserveCredit{OrderID: "o1", Amount: 1, Currency: "USD"}); !errors.As(err, &cle) {
		t.Errorf("a zero limit allowed credit: %v", err)
	}
	if _, err := acmeAccount(10).ReserveCredit(ReserveCredit{OrderID: "o 1", Amount: 0, Currency: "EUR"}); !hasFields(err, "order_id", "amount", "currency") {
		t.Errorf("bad reservation: %v", err)
	}
	if _, err := (&WholesaleAccount{}).ReserveCredit(ReserveCredit{OrderID: "o1", Amount: 1, Currency: "USD"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("no account: %v", err)
	}
}

func TestOpenAndUpdateWholesaleAccount(t *testing.T) {
	bad := OpenWholesaleAccount{CustomerID: "", Currency: "US", CreditLimit: -1, NetTerms: "NET45", PriceListID: "p l"}
	if _, err := (&WholesaleAccount{}).Open(bad); !hasFields(err, "customer_id", "currency", "credit_limit", "net_terms", "price_list_id") {
		t.Errorf("bad opening: %v", err)
	}
	a := acmeAccount(1000)
	if _, err := a.Open(OpenWholesaleAccount{CustomerID: "cus_1", Currency: "USD", NetTerms: NetTerms15}); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("open twice: %v", err)
	}
	events, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", CreditLimit: ptr(int64(2000)), NetTerms: ptr(NetTerms30),
		PriceListID: ptr("pl1")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{WholesaleAccountUpdated{CustomerID: "cus_1", CreditLimit: &AmountChange{From: 1000, To: 2000},
		PriceListID: &Change{From: "", To: "pl1"}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("updated (-want +got):\n%s", diff)
	}
	if fold(a, events...); a.CreditLimit != 2000 || a.PriceListID != "pl1" {
		t.Errorf("folded: %+v", a)
	}
	if events, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", CreditLimit: ptr(int64(2000))}); err != nil || events != nil {
		t.Errorf("no change gave %v %v", events, err)
	}
	if _, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", CreditLimit: ptr(int64(-5)), NetTerms: ptr(NetTerms("NET7")),
		Currency: ptr("eur")}); !hasFields(err, "currency", "credit_limit", "net_terms") {
		t.Errorf("bad update: %v", err)
	}
	fold(a, WholesaleCreditReserved{CustomerID: "cus_1", OrderID: "o1", Amount: 10, Currency: "USD"})
	if _, err := a.Update(UpdateWholesaleAccount{CustomerID: "cus_1", Currency: ptr("EUR")}); !hasFields(err, "currency") {
		t.Errorf("currency change while credit is held: %v", err)
	}
	if _, err := (&WholesaleAccount{}).Update(UpdateWholesaleAccount{CustomerID: "cus_1"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of nothing: %v", err)
	}
}
