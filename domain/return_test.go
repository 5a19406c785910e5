package domain

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var returnGoldens = map[string]Event{
	"ReturnRequested.v1": ReturnRequested{ReturnID: "ret_1", RMANumber: "RMA-000001", OrderID: "ord_1", CustomerID: "cus_1",
		Currency: "USD", Notes: "box unopened", Items: []ReturnItem{
			{LineID: "line_1", SKU: "MUG-BLUE", Quantity: 2, UnitPrice: 1299, Reason: "DEFECTIVE", Condition: "OPENED"},
			{LineID: "line_2", SKU: "TEE-M", Quantity: 1, UnitPrice: 2500, Reason: "NO_LONGER_NEEDED"},
		}},
	"ReturnUpdated.v1":  ReturnUpdated{ReturnID: "ret_1", OrderID: "ord_1", Notes: ptr("Photos received.")},
	"ReturnApproved.v1": ReturnApproved{ReturnID: "ret_1", OrderID: "ord_1", Reason: "within 30 days"},
	"ReturnRejected.v1": ReturnRejected{ReturnID: "ret_1", OrderID: "ord_1", From: ReturnStatusRequested, Reason: "outside the return window"},
	"ReturnReceived.v1": ReturnReceived{ReturnID: "ret_1", OrderID: "ord_1"},
	"ReturnInspected.v1": ReturnInspected{ReturnID: "ret_1", OrderID: "ord_1", Items: []ReturnItem{
		{LineID: "line_1", SKU: "MUG-BLUE", Quantity: 2, UnitPrice: 1299, Reason: "DEFECTIVE", Condition: "OPENED", Disposition: "DAMAGED"},
		{LineID: "line_2", SKU: "TEE-M", Quantity: 1, UnitPrice: 2500, Reason: "NO_LONGER_NEEDED", Disposition: "RESTOCK", LocationID: "wh_east"},
	}},
	"ReturnRefunded.v1":  ReturnRefunded{ReturnID: "ret_1", OrderID: "ord_1", Amount: 5098, Currency: "USD", Reason: "full refund"},
	"ReturnClosed.v1":    ReturnClosed{ReturnID: "ret_1", OrderID: "ord_1", From: ReturnStatusRefunded},
	"ReturnCancelled.v1": ReturnCancelled{ReturnID: "ret_1", OrderID: "ord_1", From: ReturnStatusApproved, Reason: "customer kept it"},
	"ReturnReopened.v1":  ReturnReopened{ReturnID: "ret_1", OrderID: "ord_1", From: ReturnStatusClosed, Reason: "second defect found"},
}

func init() { maps.Copy(goldens, returnGoldens) }

// givenReturn folds events into a fresh return, as the command loop does.
func givenReturn(events ...Event) *Return {
	r := &Return{}
	for _, e := range events {
		r.Apply(Envelope{Event: e, Version: r.Version + 1, Time: t0.Add(time.Duration(r.Version) * time.Second)})
	}
	return r
}

func foldReturn(r *Return, events []Event) {
	for _, e := range events {
		r.Apply(Envelope{Event: e, Version: r.Version + 1})
	}
}

var testReturnItems = []ReturnItem{
	{LineID: "L1", SKU: "MUG", Quantity: 2, UnitPrice: 1000, Reason: "DEFECTIVE"},
	{LineID: "L2", SKU: "TEE", Quantity: 1, UnitPrice: 2500, Reason: "NO_LONGER_NEEDED", Condition: "NEW"},
}

// testInspection gives every line of testReturnItems a disposition.
var testInspection = []ReturnInspection{{LineID: "L1", Disposition: "DAMAGED"}, {LineID: "L2", Disposition: "RESTOCK", LocationID: "wh1"}}

func returnIn(status ReturnStatus) *Return {
	req := ReturnRequested{ReturnID: "r1", RMANumber: "RMA-1", OrderID: "o1", Currency: "USD", Items: testReturnItems}
	inspected := ReturnInspected{ReturnID: "r1", OrderID: "o1", Items: []ReturnItem{testReturnItems[0], testReturnItems[1]}}
	inspected.Items[0].Disposition = "DAMAGED"
	inspected.Items[1].Disposition, inspected.Items[1].LocationID = "RESTOCK", "wh1"
	path := []Event{req, ReturnApproved{}, ReturnReceived{}, inspected, ReturnRefunded{Amount: 4500}, ReturnClosed{}}
	switch status {
	case ReturnStatusRejected:
		return givenReturn(req, ReturnRejected{})
	case ReturnStatusCancelled:
		return givenReturn(req, ReturnCancelled{})
	}
	n := slices.Index(ReturnStatuses, status) + 1
	return givenReturn(path[:n]...)
}

// decideReturn decides any return action, with valid bodies for inspect and refund.
func decideReturn(r *Return, action string) ([]Event, error) {
	switch action {
	case "inspect":
		return r.Inspect(InspectReturn{ReturnID: r.ID, Items: testInspection})
	case "refund":
		return r.Refund(RefundReturn{ReturnID: r.ID})
	}
	return r.Act(action, "because")
}

func TestEveryReturnStatusActionPair(t *testing.T) {
	allowed := map[ReturnStatus]map[string]ReturnStatus{
		ReturnStatusRequested: {"approve": ReturnStatusApproved, "reject": ReturnStatusRejected, "cancel": ReturnStatusCancelled},
		ReturnStatusApproved:  {"receive": ReturnStatusReceived, "reject": ReturnStatusRejected, "cancel": ReturnStatusCancelled},
		ReturnStatusReceived:  {"inspect": ReturnStatusInspected},
		ReturnStatusInspected: {"refund": ReturnStatusRefunded, "close": ReturnStatusClosed},
		ReturnStatusRefunded:  {"close": ReturnStatusClosed},
		ReturnStatusClosed:    {"reopen": ReturnStatusRequested},
		ReturnStatusRejected:  {"reopen": ReturnStatusRequested},
		ReturnStatusCancelled: {},
	}
	actions := append(slices.Clone(ReturnActions), "inspect", "refund")
	for _, from := range ReturnStatuses {
		for _, action := range actions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				r := returnIn(from)
				if r.Status != from {
					t.Fatalf("setup: in %s, want %s", r.Status, from)
				}
				before := *r.Clone()
				events, err := decideReturn(r, action)
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.Entity != "return" || te.From != string(from) || te.Action != action {
						t.Fatalf("got %v, want a TransitionError naming %s and %s", err, from, action)
					}
					if events != nil {
						t.Fatalf("refused action returned events %v", events)
					}
					return
				}
				if err != nil {
					t.Fatalf("allowed action refused: %v", err)
				}
				if diff := cmp.Diff(&before, r); diff != "" {
					t.Fatalf("decide mutated the aggregate:\n%s", diff)
				}
				foldReturn(r, events)
				if r.Status != want {
					t.Fatalf("folded to %s, want %s", r.Status, want)
				}
				if r.Open() != (want != ReturnStatusRejected && want != ReturnStatusCancelled) {
					t.Errorf("Open() = %v in %s", r.Open(), want)
				}
			})
		}
	}
}

func TestReturnActEdges(t *testing.T) {
	if _, err := (&Return{}).Act("approve", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("act on nothing: %v", err)
	}
	var ve *ValidationError
	if _, err := returnIn(ReturnStatusReceived).Act("inspect", ""); !errors.As(err, &ve) || ve.Fields[0].Field != "action" {
		t.Errorf("inspect through Act: %v", err)
	}
	// status events say where they came from, and carry the order for process managers
	events, _ := returnIn(ReturnStatusApproved).Act("cancel", "changed mind")
	want := []Event{ReturnCancelled{ReturnID: "r1", OrderID: "o1", From: ReturnStatusApproved, Reason: "changed mind"}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("cancel (-want +got):\n%s", diff)
	}
	// reopening clears the dispositions for a new inspection, and keeps what was refunded
	r := returnIn(ReturnStatusClosed)
	events, err := r.Act("reopen", "")
	if err != nil {
		t.Fatal(err)
	}
	foldReturn(r, events)
	if r.Items[1].Disposition != "" || r.Items[1].LocationID != "" || r.RefundAmount != 4500 {
		t.Errorf("after reopen: %+v refunded %d", r.Items, r.RefundAmount)
	}
}

func validCreateReturn() CreateReturn {
	return CreateReturn{ReturnID: "r1", RMANumber: "RMA-000001", OrderID: "o1", CustomerID: "c1", Currency: "USD",
		Items: slices.Clone(testReturnItems), Returnable: map[string]int64{"L1": 2, "L2": 1, "L3": 5}}
}

func TestCreateReturn(t *testing.T) {
	with := func(f func(*CreateReturn)) CreateReturn {
		c := validCreateReturn()
		c.Items = slices.Clone(c.Items)
		f(&c)
		return c
	}
	cases := []struct {
		name   string
		cmd    CreateReturn
		fields []string // invalid fields; nil means accepted
	}{
		{"valid", validCreateReturn(), nil},
		{"part of a line", with(func(c *CreateReturn) { c.Items = c.Items[:1]; c.Items[0].Quantity = 1 }), nil},
		{"no customer", with(func(c *CreateReturn) { c.CustomerID = "" }), nil},
		{"no items", with(func(c *CreateReturn) { c.Items = nil }), []string{"items"}},
		{"more than still returnable", with(func(c *CreateReturn) { c.Items[0].Quantity = 3 }), []string{"items[0].quantity"}},
		{"line not on the order", with(func(c *CreateReturn) { c.Items[1].LineID = "L9" }), []string{"items[1].line_id"}},
		{"line twice over its quantity", with(func(c *CreateReturn) {
			c.Items[1] = ReturnItem{LineID: "L1", SKU: "MUG", Quantity: 1, Reason: "OTHER"}
		}), []string{"items[1].line_id", "items[1].quantity"}},
		{"disposition given up front", with(func(c *CreateReturn) { c.Items[1].Disposition = "RESTOCK" }), []string{"items[1].disposition"}},
		{"everything wrong", CreateReturn{ReturnID: "a b", OrderID: "", CustomerID: "c 1", Currency: "usd",
			Items: []ReturnItem{
				{LineID: "", SKU: "", Quantity: 0, UnitPrice: -1, Reason: "MEH", Condition: "SHINY"},
				{LineID: "L1", SKU: "MUG", Quantity: -2, Reason: "DEFECTIVE"},
			}, Returnable: map[string]int64{"L1": 2}},
			[]string{"id", "rma_number", "order_id", "customer_id", "currency",
				"items[0].line_id", "items[0].quantity", "items[0].sku", "items[0].unit_price", "items[0].reason", "items[0].condition",
				"items[1].quantity"}},
		{"value past int64", with(func(c *CreateReturn) { c.Items[0].UnitPrice = 1 << 62 }), []string{"items"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			events, err := (&Return{}).Create(c.cmd)
			if c.fields == nil {
				if err != nil || len(events) != 1 {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if diff := cmp.Diff(c.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := returnIn(ReturnStatusRequested).Create(validCreateReturn()); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("create twice: %v", err)
	}
}

func TestCreateReturnCarriesEverything(t *testing.T) {
	cmd := validCreateReturn()
	cmd.Notes = "n"
	events, err := (&Return{}).Create(cmd)
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{ReturnRequested{ReturnID: "r1", RMANumber: "RMA-000001", OrderID: "o1", CustomerID: "c1", Currency: "USD",
		Items: testReturnItems, Notes: "n"}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	r := givenReturn(events...)
	if r.Status != ReturnStatusRequested || !r.Open() || r.Value() != 4500 || !r.CreatedAt.Equal(t0) {
		t.Errorf("folded: %+v", r)
	}
}

func TestOverReturnNamesTheFieldAndWhatIsLeft(t *testing.T) {
	cmd := validCreateReturn()
	cmd.Items = []ReturnItem{{LineID: "L1", SKU: "MUG", Quantity: 3, UnitPrice: 1000, Reason: "DEFECTIVE"}}
	_, err := (&Return{}).Create(cmd)
	want := &ValidationError{Fields: []FieldError{{"items[0].quantity", "exceeds the 2 still returnable"}}}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// returnable is what an order would compute: shipped minus what open returns hold.
func returnable(shipped map[string]int64, returns ...*Return) map[string]int64 {
	left := maps.Clone(shipped)
	for _, r := range returns {
		if !r.Open() {
			continue
		}
		for _, it := range r.Items {
			left[it.LineID] -= it.Quantity
		}
	}
	return left
}

func TestPartialReturnsAcrossTwoCreates(t *testing.T) {
	shipped := map[string]int64{"L1": 3}
	create := func(id string, qty int64, prior ...*Return) (*Return, error) {
		r := &Return{}
		events, err := r.Create(CreateReturn{ReturnID: id, RMANumber: "RMA-" + id, OrderID: "o1", Currency: "USD",
			Items:      []ReturnItem{{LineID: "L1", SKU: "MUG", Quantity: qty, UnitPrice: 100, Reason: "DEFECTIVE"}},
			Returnable: returnable(shipped, prior...)})
		foldReturn(r, events)
		return r, err
	}
	first, err := create("r1", 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := create("r2", 2, first); err == nil {
		t.Fatal("second return of 2 accepted with 1 left")
	}
	second, err := create("r2", 1, first)
	if err != nil {
		t.Fatalf("second return of the last 1: %v", err)
	}
	if _, err := create("r3", 1, first, second); err == nil {
		t.Fatal("third return accepted with nothing left")
	}
	// a cancelled return gives its quantity back
	events, _ := first.Act("cancel", "")
	foldReturn(first, events)
	if _, err := create("r3", 2, first, second); err != nil {
		t.Fatalf("after cancelling the first: %v", err)
	}
}

func TestInspectReturn(t *testing.T) {
	fields := func(err error) []string {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return nil
		}
		var out []string
		for _, f := range ve.Fields {
			out = append(out, f.Field)
		}
		return out
	}
	for _, c := range []struct {
		name   string
		items  []ReturnInspection
		fields []string
	}{
		{"every line is needed", testInspection[:1], []string{"items"}},
		{"nothing given", nil, []string{"items", "items"}},
		{"unknown line", append(slices.Clone(testInspection), ReturnInspection{LineID: "L9", Disposition: "DISPOSE"}), []string{"items[2].line_id"}},
		{"line twice", append(slices.Clone(testInspection), ReturnInspection{LineID: "L1", Disposition: "DISPOSE"}), []string{"items[2].line_id"}},
		{"restock needs a location, others none", []ReturnInspection{{LineID: "L1", Disposition: "RESTOCK"}, {LineID: "L2", Disposition: "DISPOSE", LocationID: "wh1"}},
			[]string{"items[0].location_id", "items[1].location_id"}},
		{"unknown disposition", []ReturnInspection{{LineID: "L1", Disposition: "KEEP"}, testInspection[1]}, []string{"items[0].disposition"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := returnIn(ReturnStatusReceived).Inspect(InspectReturn{ReturnID: "r1", Items: c.items})
			if diff := cmp.Diff(c.fields, fields(err)); diff != "" || events != nil {
				t.Errorf("err %v; fields (-want +got):\n%s", err, diff)
			}
		})
	}
	// the event alone says what to restock where
	events, err := returnIn(ReturnStatusReceived).Inspect(InspectReturn{ReturnID: "r1", Items: []ReturnInspection{testInspection[1], testInspection[0]}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{ReturnInspected{ReturnID: "r1", OrderID: "o1", Items: []ReturnItem{
		{LineID: "L1", SKU: "MUG", Quantity: 2, UnitPrice: 1000, Reason: "DEFECTIVE", Disposition: "DAMAGED"},
		{LineID: "L2", SKU: "TEE", Quantity: 1, UnitPrice: 2500, Reason: "NO_LONGER_NEEDED", Condition: "NEW", Disposition: "RESTOCK", LocationID: "wh1"},
	}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if testReturnItems[1].Disposition != "" {
		t.Error("inspect wrote through to the request's items")
	}
}

func TestRefundReturn(t *testing.T) {
	refund := func(r *Return, amount int64) ([]Event, error) {
		return r.Refund(RefundReturn{ReturnID: "r1", Amount: amount, Reason: "r"})
	}
	// the items are worth 2*1000 + 1*2500
	events, err := refund(returnIn(ReturnStatusInspected), 0)
	want := []Event{ReturnRefunded{ReturnID: "r1", OrderID: "o1", Amount: 4500, Currency: "USD", Reason: "r"}}
	if diff := cmp.Diff(want, events); diff != "" || err != nil {
		t.Errorf("default amount: %v (-want +got):\n%s", err, diff)
	}
	if _, err := refund(returnIn(ReturnStatusInspected), 4500); err != nil {
		t.Errorf("the whole value: %v", err)
	}
	if events, _ := refund(returnIn(ReturnStatusInspected), 1200); events[0].(ReturnRefunded).Amount != 1200 {
		t.Errorf("partial: %v", events)
	}
	for _, amount := range []int64{4501, -1} {
		_, err := refund(returnIn(ReturnStatusInspected), amount)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "amount" {
			t.Errorf("amount %d: %v", amount, err)
		}
	}
	// reopened after a full refund: nothing is left to pay for the same goods
	r := returnIn(ReturnStatusClosed)
	for _, a := range []string{"reopen", "approve", "receive", "inspect"} {
		events, err := decideReturn(r, a)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		foldReturn(r, events)
	}
	if _, err := refund(r, 0); err == nil {
		t.Error("refunded twice")
	}
}

func TestReturnCloneIsDeep(t *testing.T) {
	r := returnIn(ReturnStatusInspected)
	cp := r.Clone()
	cp.Items[0].SKU = "X"
	if r.Items[0].SKU == "X" {
		t.Error("clone shares items")
	}
}

func TestReturnUpdate(t *testing.T) {
	long := strings.Repeat("n", 10001)
	for _, c := range []struct {
		name   string
		status ReturnStatus
		cmd    UpdateReturn
		want   []Event
		err    string
	}{
		{"notes while received", ReturnStatusReceived, UpdateReturn{Notes: ptr("photos in")},
			[]Event{ReturnUpdated{ReturnID: returnIn(ReturnStatusReceived).ID, OrderID: returnIn(ReturnStatusReceived).OrderID, Notes: ptr("photos in")}}, ""},
		{"notes once closed", ReturnStatusClosed, UpdateReturn{Notes: ptr("photos in")},
			[]Event{ReturnUpdated{ReturnID: returnIn(ReturnStatusClosed).ID, OrderID: returnIn(ReturnStatusClosed).OrderID, Notes: ptr("photos in")}}, ""},
		{"nothing given", ReturnStatusRequested, UpdateReturn{}, nil, ""},
		{"too long", ReturnStatusRequested, UpdateReturn{Notes: &long}, nil, "validation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := returnIn(c.status)
			got, err := r.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if fold(r, got...); len(got) > 0 && (r.Notes != "photos in" || r.Status != c.status) {
				t.Errorf("after the edit: %+v", r)
			}
		})
	}
}
