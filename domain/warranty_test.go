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

var warrantyGoldens = map[string]Event{
	"WarrantyRegistered.v1": WarrantyRegistered{WarrantyID: "war_1", WarrantyNumber: "WAR-000001", CustomerID: "cus_1", OrderID: "ord_1",
		SKU: "DRILL-18V", SerialNumber: "SN-4471-A", Type: "MANUFACTURER", StartsAt: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		DurationMonths: 24, Terms: "Parts and labour; excludes wear items."},
	"WarrantyApproved.v1":  WarrantyApproved{WarrantyID: "war_1", From: WarrantyStatusPending, Reason: "proof of purchase checked"},
	"WarrantyRejected.v1":  WarrantyRejected{WarrantyID: "war_1", From: WarrantyStatusPending, Reason: "serial number unknown"},
	"WarrantyClosed.v1":    WarrantyClosed{WarrantyID: "war_1", From: WarrantyStatusApproved, Reason: "unit replaced"},
	"WarrantyCancelled.v1": WarrantyCancelled{WarrantyID: "war_1", From: WarrantyStatusApproved, Reason: "order refunded"},
	"WarrantyReopened.v1":  WarrantyReopened{WarrantyID: "war_1", From: WarrantyStatusClosed, Reason: "replacement failed too"},
	"WarrantyClaimFiled.v1": WarrantyClaimFiled{WarrantyID: "war_1", ClaimID: "clm_1", IssueDescription: "Battery no longer charges.",
		Photos: []string{"https://cdn.example.com/claims/clm_1/1.jpg"}, FiledAt: time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)},
	"WarrantyClaimApproved.v1": WarrantyClaimApproved{WarrantyID: "war_1", ClaimID: "clm_1", Resolution: "REPLACEMENT", CustomerID: "cus_1",
		OrderID: "ord_1", SKU: "DRILL-18V", SerialNumber: "SN-4471-A", DecidedAt: time.Date(2026, 6, 2, 14, 0, 0, 0, time.UTC)},
	"WarrantyClaimRejected.v1": WarrantyClaimRejected{WarrantyID: "war_1", ClaimID: "clm_2", Reason: "water damage is not covered",
		DecidedAt: time.Date(2026, 7, 3, 8, 0, 0, 0, time.UTC)},
	"WarrantyUpdated.v1": WarrantyUpdated{WarrantyID: "war_1", SerialNumber: ptr("SN-4471-B"),
		Metadata: &MetadataChange{From: map[string]string{"channel": "retail"}, To: map[string]string{"channel": "web"}}},
	"WarrantyClaimUpdated.v1": WarrantyClaimUpdated{WarrantyID: "war_1", ClaimID: "clm_1", IssueDescription: ptr("Battery swells."),
		Photos: &[]string{"https://cdn.example.com/claims/clm_1/2.jpg"}, RequestedResolution: ptr("REFUND")},
	"WarrantyClaimWithdrawn.v1": WarrantyClaimWithdrawn{WarrantyID: "war_1", ClaimID: "clm_3", Reason: "found the charger was faulty",
		DecidedAt: time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)},
}

func init() { maps.Copy(goldens, warrantyGoldens) }

func givenWarranty(events ...Event) *Warranty {
	w := &Warranty{}
	foldWarranty(w, events)
	return w
}

func foldWarranty(w *Warranty, events []Event) {
	for _, e := range events {
		w.Apply(Envelope{Event: e, Version: w.Version + 1, Time: t0.Add(time.Duration(w.Version) * time.Second)})
	}
}

// testWarranty starts at t0 and runs 12 months.
var testWarranty = WarrantyRegistered{WarrantyID: "w1", WarrantyNumber: "WAR-1", CustomerID: "c1", OrderID: "o1", SKU: "DRILL",
	SerialNumber: "SN1", Type: "MANUFACTURER", StartsAt: t0, DurationMonths: 12}

func warrantyIn(status WarrantyStatus) *Warranty {
	switch status {
	case WarrantyStatusApproved:
		return givenWarranty(testWarranty, WarrantyApproved{})
	case WarrantyStatusClosed:
		return givenWarranty(testWarranty, WarrantyApproved{}, WarrantyClosed{})
	case WarrantyStatusRejected:
		return givenWarranty(testWarranty, WarrantyRejected{})
	case WarrantyStatusCancelled:
		return givenWarranty(testWarranty, WarrantyCancelled{})
	case WarrantyStatusReopened:
		return givenWarranty(testWarranty, WarrantyApproved{}, WarrantyClosed{}, WarrantyReopened{})
	}
	return givenWarranty(testWarranty)
}

func TestEveryWarrantyStatusActionPair(t *testing.T) {
	allowed := map[WarrantyStatus]map[string]WarrantyStatus{
		WarrantyStatusPending:   {"approve": WarrantyStatusApproved, "reject": WarrantyStatusRejected, "cancel": WarrantyStatusCancelled},
		WarrantyStatusApproved:  {"close": WarrantyStatusClosed, "cancel": WarrantyStatusCancelled, "file_claim": WarrantyStatusApproved},
		WarrantyStatusClosed:    {"reopen": WarrantyStatusReopened},
		WarrantyStatusRejected:  {"reopen": WarrantyStatusReopened},
		WarrantyStatusCancelled: {},
		WarrantyStatusReopened:  {"approve": WarrantyStatusApproved, "reject": WarrantyStatusRejected, "cancel": WarrantyStatusCancelled},
	}
	within := t0.AddDate(0, 1, 0)
	for _, from := range WarrantyStatuses {
		for _, action := range append(slices.Clone(WarrantyActions), "file_claim") {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				w := warrantyIn(from)
				if w.Status != from {
					t.Fatalf("setup: in %s, want %s", w.Status, from)
				}
				before := *w.Clone()
				var events []Event
				var err error
				if action == "file_claim" {
					events, err = w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k1", IssueDescription: "broken"}, within)
				} else {
					events, err = w.Act(action, "because")
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.Entity != "warranty" || te.From != string(from) || te.Action != action {
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
				if diff := cmp.Diff(&before, w); diff != "" {
					t.Fatalf("decide mutated the aggregate:\n%s", diff)
				}
				foldWarranty(w, events)
				if w.Status != want {
					t.Fatalf("folded to %s, want %s", w.Status, want)
				}
			})
		}
	}
}

func TestWarrantyActEdges(t *testing.T) {
	if _, err := (&Warranty{}).Act("approve", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("act on nothing: %v", err)
	}
	var ve *ValidationError
	if _, err := warrantyIn(WarrantyStatusApproved).Act("file_claim", ""); !errors.As(err, &ve) {
		t.Errorf("file_claim through Act: %v", err)
	}
	events, _ := warrantyIn(WarrantyStatusReopened).Act("approve", "fixed")
	want := []Event{WarrantyApproved{WarrantyID: "w1", From: WarrantyStatusReopened, Reason: "fixed"}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRegisterWarranty(t *testing.T) {
	valid := RegisterWarranty{WarrantyID: "w1", WarrantyNumber: "WAR-1", CustomerID: "c1", SKU: "DRILL", Type: "EXTENDED",
		StartsAt: t0, DurationMonths: 120}
	events, err := (&Warranty{}).Register(valid)
	want := []Event{WarrantyRegistered{WarrantyID: "w1", WarrantyNumber: "WAR-1", CustomerID: "c1", SKU: "DRILL", Type: "EXTENDED",
		StartsAt: t0, DurationMonths: 120}}
	if diff := cmp.Diff(want, events); diff != "" || err != nil {
		t.Fatalf("valid: %v (-want +got):\n%s", err, diff)
	}
	if w := givenWarranty(events...); w.Status != WarrantyStatusPending || !w.ExpiresAt().Equal(t0.AddDate(10, 0, 0)) {
		t.Errorf("folded: %+v", w)
	}
	_, err = (&Warranty{}).Register(RegisterWarranty{WarrantyID: "w 1", CustomerID: "", OrderID: "o/1", Type: "LIFETIME",
		SerialNumber: string(make([]byte, 101)), DurationMonths: 121})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Field)
	}
	wantFields := []string{"id", "warranty_number", "customer_id", "order_id", "sku", "serial_number", "type", "starts_at", "duration_months"}
	if diff := cmp.Diff(wantFields, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	for _, months := range []int{0, -1} {
		bad := valid
		bad.DurationMonths = months
		if _, err := (&Warranty{}).Register(bad); err == nil {
			t.Errorf("%d months accepted", months)
		}
	}
	if _, err := warrantyIn(WarrantyStatusPending).Register(valid); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("register twice: %v", err)
	}
}

func TestWarrantyClaimsAndExpiry(t *testing.T) {
	claim := FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k1", IssueDescription: "won't start"}
	w := warrantyIn(WarrantyStatusApproved)
	expires := t0.AddDate(1, 0, 0)
	if !w.ExpiresAt().Equal(expires) {
		t.Fatalf("expires %v, want %v", w.ExpiresAt(), expires)
	}
	transition := func(err error) string {
		var te *TransitionError
		if !errors.As(err, &te) || te.Entity != "warranty" || te.Action != "file_claim" {
			return "not a file_claim TransitionError: " + errString(err)
		}
		return te.From
	}
	for _, c := range []struct {
		name string
		w    *Warranty
		at   time.Time
		from string // "" means accepted
	}{
		{"first instant", w, t0, ""},
		{"last valid instant", w, expires.Add(-time.Nanosecond), ""},
		{"one after", w, expires, "EXPIRED"},
		{"long after", w, expires.AddDate(1, 0, 0), "EXPIRED"},
		{"before it starts", w, t0.Add(-time.Second), "NOT_STARTED"},
		{"pending", warrantyIn(WarrantyStatusPending), t0.Add(time.Hour), "PENDING"},
		{"closed", warrantyIn(WarrantyStatusClosed), t0.Add(time.Hour), "CLOSED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := c.w.FileClaim(claim, c.at)
			if c.from == "" {
				if err != nil || len(events) != 1 {
					t.Fatalf("refused: %v", err)
				}
				if w.Expired(c.at) {
					t.Error("Expired disagrees")
				}
				return
			}
			if got := transition(err); got != c.from || events != nil {
				t.Errorf("got %s, want a refusal from %s", got, c.from)
			}
		})
	}
	if !w.Expired(expires) || w.Expired(expires.Add(-time.Nanosecond)) {
		t.Error("Expired boundary")
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestFileWarrantyClaimValidation(t *testing.T) {
	w := warrantyIn(WarrantyStatusApproved)
	_, err := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "", IssueDescription: " ",
		Photos: []string{"https://cdn.example.com/a.jpg", "ftp://example.com/b.jpg", "not a url", "http://"}}, t0)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff([]string{"claim_id", "issue_description", "photos[1]", "photos[2]", "photos[3]"}, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	events, _ := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k1", IssueDescription: "x"}, t0)
	foldWarranty(w, events)
	if _, err := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k1", IssueDescription: "again"}, t0); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("claim id reused: %v", err)
	}
}

func TestDecideWarrantyClaims(t *testing.T) {
	filedAt, decidedAt := t0.Add(time.Hour), t0.Add(2*time.Hour)
	w := warrantyIn(WarrantyStatusApproved)
	for _, id := range []string{"k1", "k2"} {
		events, err := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: id, IssueDescription: "broken",
			Photos: []string{"https://cdn.example.com/" + id + ".jpg"}}, filedAt)
		if err != nil {
			t.Fatal(err)
		}
		foldWarranty(w, events)
	}

	var ve *ValidationError
	if _, err := w.ApproveClaim("k1", "UPGRADE", decidedAt); !errors.As(err, &ve) || ve.Fields[0].Field != "resolution" {
		t.Errorf("bad resolution: %v", err)
	}
	if _, err := w.ApproveClaim("k9", "REPAIR", decidedAt); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown claim: %v", err)
	}
	if _, err := w.RejectClaim("k9", "", decidedAt); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown claim: %v", err)
	}

	before := *w.Clone()
	approved, err := w.ApproveClaim("k1", "REPLACEMENT", decidedAt)
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{WarrantyClaimApproved{WarrantyID: "w1", ClaimID: "k1", Resolution: "REPLACEMENT", CustomerID: "c1",
		OrderID: "o1", SKU: "DRILL", SerialNumber: "SN1", DecidedAt: decidedAt}}
	if diff := cmp.Diff(want, approved); diff != "" {
		t.Errorf("approved (-want +got):\n%s", diff)
	}
	rejected, err := w.RejectClaim("k2", "misuse", decidedAt)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&before, w); diff != "" {
		t.Fatalf("decide mutated the aggregate:\n%s", diff)
	}
	foldWarranty(w, append(approved, rejected...))
	wantClaims := []WarrantyClaim{
		{ID: "k1", IssueDescription: "broken", Photos: []string{"https://cdn.example.com/k1.jpg"}, Status: WarrantyClaimStatusApproved,
			Resolution: "REPLACEMENT", FiledAt: filedAt, DecidedAt: decidedAt},
		{ID: "k2", IssueDescription: "broken", Photos: []string{"https://cdn.example.com/k2.jpg"}, Status: WarrantyClaimStatusRejected,
			Reason: "misuse", FiledAt: filedAt, DecidedAt: decidedAt},
	}
	if diff := cmp.Diff(wantClaims, w.Claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if before.Claims[0].Status != WarrantyClaimStatusSubmitted {
		t.Error("a clone taken earlier saw the decision")
	}

	// a claim is decided once
	for _, id := range []string{"k1", "k2"} {
		for action, decide := range map[string]func() ([]Event, error){
			"approve": func() ([]Event, error) { return w.ApproveClaim(id, "REFUND", decidedAt) },
			"reject":  func() ([]Event, error) { return w.RejectClaim(id, "", decidedAt) },
		} {
			events, err := decide()
			var te *TransitionError
			if !errors.As(err, &te) || te.Entity != "warranty claim" || te.Action != action || events != nil {
				t.Errorf("%s %s again: %v", action, id, err)
			}
		}
	}

	// a claim filed in time is still decided after the warranty closed and expired
	events, _ := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k3", IssueDescription: "again"}, filedAt)
	foldWarranty(w, events)
	events, _ = w.Act("close", "")
	foldWarranty(w, events)
	if _, err := w.ApproveClaim("k3", "REPAIR", t0.AddDate(2, 0, 0)); err != nil {
		t.Errorf("late decision: %v", err)
	}
}

func TestWarrantyUpdate(t *testing.T) {
	long := strings.Repeat("t", 10001)
	for _, c := range []struct {
		name   string
		status WarrantyStatus
		cmd    UpdateWarranty
		want   []Event
		err    string
	}{
		{"serial and metadata while approved", WarrantyStatusApproved,
			UpdateWarranty{SerialNumber: ptr("SN2"), Terms: ptr(""), Metadata: &map[string]string{"k": "v"}},
			[]Event{WarrantyUpdated{WarrantyID: "w1", SerialNumber: ptr("SN2"), Metadata: &MetadataChange{To: map[string]string{"k": "v"}}}}, ""},
		{"terms once closed", WarrantyStatusClosed, UpdateWarranty{Terms: ptr("parts only")},
			[]Event{WarrantyUpdated{WarrantyID: "w1", Terms: ptr("parts only")}}, ""},
		{"the same values", WarrantyStatusPending, UpdateWarranty{SerialNumber: ptr("SN1"), Metadata: &map[string]string{}}, nil, ""},
		{"nothing given", WarrantyStatusPending, UpdateWarranty{}, nil, ""},
		{"terms too long", WarrantyStatusPending, UpdateWarranty{Terms: &long}, nil, "validation"},
		{"an empty metadata key", WarrantyStatusPending, UpdateWarranty{Metadata: &map[string]string{"": "v"}}, nil, "validation"},
		{"cancelled", WarrantyStatusCancelled, UpdateWarranty{Terms: ptr("x")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := warrantyIn(c.status)
			got, err := w.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			foldWarranty(w, got)
			if len(got) > 0 && (or(c.cmd.SerialNumber, "SN1") != w.SerialNumber || or(c.cmd.Terms, "") != w.Terms ||
				!maps.Equal(or(c.cmd.Metadata, nil), w.Metadata) || w.Status != c.status) {
				t.Errorf("after the edit: %+v", w)
			}
		})
	}
}

func TestEditAndWithdrawWarrantyClaims(t *testing.T) {
	filedAt, decidedAt := t0.Add(time.Hour), t0.Add(2*time.Hour)
	w := warrantyIn(WarrantyStatusApproved)
	for _, id := range []string{"k1", "k2", "k3"} {
		events, err := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: id, IssueDescription: "broken", RequestedResolution: "REFUND"}, filedAt)
		if err != nil {
			t.Fatal(err)
		}
		foldWarranty(w, events)
	}
	if _, err := w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k9", IssueDescription: "x", RequestedResolution: "UPGRADE"}, filedAt); err == nil {
		t.Error("a requested resolution outside the set was filed")
	}

	for _, c := range []struct {
		name string
		cmd  UpdateWarrantyClaim
		want []Event
		err  string
	}{
		{"description and resolution", UpdateWarrantyClaim{ClaimID: "k1", IssueDescription: ptr("cracked"), RequestedResolution: ptr("REPLACEMENT")},
			[]Event{WarrantyClaimUpdated{WarrantyID: "w1", ClaimID: "k1", IssueDescription: ptr("cracked"), RequestedResolution: ptr("REPLACEMENT")}}, ""},
		{"the same description", UpdateWarrantyClaim{ClaimID: "k1", IssueDescription: ptr("broken")}, nil, ""},
		{"an empty description", UpdateWarrantyClaim{ClaimID: "k1", IssueDescription: ptr(" ")}, nil, "validation"},
		{"a photo that is no URL", UpdateWarrantyClaim{ClaimID: "k1", Photos: &[]string{"ftp://x"}}, nil, "validation"},
		{"a resolution outside the set", UpdateWarrantyClaim{ClaimID: "k1", RequestedResolution: ptr("UPGRADE")}, nil, "validation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := w.UpdateClaim(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := w.UpdateClaim(UpdateWarrantyClaim{ClaimID: "k9", IssueDescription: ptr("x")}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown claim: %v", err)
	}

	events, _ := w.UpdateClaim(UpdateWarrantyClaim{ClaimID: "k1", IssueDescription: ptr("cracked"), RequestedResolution: ptr("REPLACEMENT"),
		Photos: &[]string{"https://cdn.example.com/k1.jpg"}})
	foldWarranty(w, events)
	withdrawn, err := w.WithdrawClaim("k2", "found the charger", decidedAt)
	if err != nil {
		t.Fatal(err)
	}
	foldWarranty(w, withdrawn)
	// approving without a resolution grants the requested one
	approved, err := w.ApproveClaim("k1", "", decidedAt)
	if err != nil {
		t.Fatal(err)
	}
	foldWarranty(w, approved)
	wantClaims := []WarrantyClaim{
		{ID: "k1", IssueDescription: "cracked", Photos: []string{"https://cdn.example.com/k1.jpg"}, RequestedResolution: "REPLACEMENT",
			Status: WarrantyClaimStatusApproved, Resolution: "REPLACEMENT", FiledAt: filedAt, DecidedAt: decidedAt},
		{ID: "k2", IssueDescription: "broken", RequestedResolution: "REFUND", Status: WarrantyClaimStatusWithdrawn, Reason: "found the charger",
			FiledAt: filedAt, DecidedAt: decidedAt},
		{ID: "k3", IssueDescription: "broken", RequestedResolution: "REFUND", Status: WarrantyClaimStatusSubmitted, FiledAt: filedAt},
	}
	if diff := cmp.Diff(wantClaims, w.Claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}

	// a decided or withdrawn claim is neither edited nor withdrawn, nor decided
	for _, id := range []string{"k1", "k2"} {
		for action, decide := range map[string]func() ([]Event, error){
			"update": func() ([]Event, error) {
				return w.UpdateClaim(UpdateWarrantyClaim{ClaimID: id, IssueDescription: ptr("x")})
			},
			"withdraw": func() ([]Event, error) { return w.WithdrawClaim(id, "", decidedAt) },
			"approve":  func() ([]Event, error) { return w.ApproveClaim(id, "REFUND", decidedAt) },
		} {
			events, err := decide()
			var te *TransitionError
			if !errors.As(err, &te) || te.Entity != "warranty claim" || te.Action != action || events != nil {
				t.Errorf("%s %s: %v", action, id, err)
			}
		}
	}
	// neither given nor requested: the resolution is required
	events, _ = w.FileClaim(FileWarrantyClaim{WarrantyID: "w1", ClaimID: "k4", IssueDescription: "again"}, filedAt)
	foldWarranty(w, events)
	var ve *ValidationError
	if _, err := w.ApproveClaim("k4", "", decidedAt); !errors.As(err, &ve) || ve.Fields[0].Field != "resolution" {
		t.Errorf("no resolution: %v", err)
	}
}
