package domain

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() {
	goldens["PickListChecked.v1"] = PickListChecked{PickListID: "pk_1", Check: PickCheck{Checker: "pack-3", Status: "PARTIAL",
		Lines:      []PickCheckLine{{OrderID: "o1", LineID: "1", Passed: true}, {OrderID: "o2", LineID: "1", Issues: []string{"wrong colour"}}},
		Resolution: "REPROCESS", Notes: "re-pick the tee", CheckedAt: t1}}
}

// twoLinePickList is an IN_PROGRESS pick list of o1/1 (MUG ×2) and o2/1 (TEE ×1).
func twoLinePickList(t *testing.T) *PickList {
	t.Helper()
	p := fold(&PickList{}, must((&PickList{}).Create(CreatePickList{PickListID: "pk1", WarehouseID: "main", OrderIDs: []string{"o1", "o2"},
		Lines: []PickLine{{OrderID: "o1", LineID: "1", SKU: "MUG", Quantity: 2}, {OrderID: "o2", LineID: "1", SKU: "TEE", Quantity: 1}}}))...)
	return fold(p, PickListStarted{})
}

func TestPickCheckWhen(t *testing.T) {
	cmd := CheckPick{Checker: "pack-3", Lines: []PickCheckLine{{OrderID: "o1", LineID: "1", Passed: true}}}
	for _, c := range []struct {
		status PickListStatus
		ok     bool
	}{
		{PickListStatusCreated, false}, {PickListStatusInProgress, true}, {PickListStatusCompleted, true}, {PickListStatusCancelled, false},
	} {
		t.Run(string(c.status), func(t *testing.T) {
			p := pickListIn(t, c.status)
			events, err := p.Check(cmd, t1)
			var te *TransitionError
			if c.ok != (err == nil) || (!c.ok && !errors.As(err, &te)) {
				t.Fatalf("err %v, want allowed %v", err, c.ok)
			}
			fold(p, events...)
			if c.ok && (len(p.Checks) != 1 || p.Checks[0].CheckedAt != t1 || p.Status != c.status) {
				t.Errorf("recorded: %+v in %s", p.Checks, p.Status)
			}
		})
	}
	if _, err := (&PickList{}).Check(cmd, t1); !errors.Is(err, ErrNotFound) {
		t.Errorf("no pick list: %v", err)
	}
}

func TestPickCheckStatus(t *testing.T) {
	for _, c := range []struct {
		name   string
		passed [2]bool
		want   string
	}{
		{"all passed", [2]bool{true, true}, "PASSED"},
		{"some passed", [2]bool{true, false}, "PARTIAL"},
		{"none passed", [2]bool{false, false}, "FAILED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := twoLinePickList(t)
			before := p.Clone()
			fold(p, must(p.Check(CheckPick{Checker: "pack-3", Lines: []PickCheckLine{
				{OrderID: "o1", LineID: "1", Passed: c.passed[0]}, {OrderID: "o2", LineID: "1", Passed: c.passed[1]}}}, t1))...)
			if got := p.Checks[0].Status; got != c.want {
				t.Errorf("status %s, want %s", got, c.want)
			}
			if !cmp.Equal(p.Lines, before.Lines) || len(before.Checks) != 0 {
				t.Errorf("a check changed the lines or an earlier clone: %+v / %+v", p.Lines, before.Checks)
			}
		})
	}
	p := twoLinePickList(t)
	one := CheckPick{Checker: "a", Lines: []PickCheckLine{{OrderID: "o2", LineID: "1"}}}
	fold(p, must(p.Check(one, t1))...)
	fold(p, must(p.Check(CheckPick{Checker: "b", Lines: []PickCheckLine{{OrderID: "o2", LineID: "1", Passed: true}}}, t1))...)
	if len(p.Checks) != 2 || p.Checks[0].Status != "FAILED" || p.Checks[1].Checker != "b" {
		t.Errorf("checks are kept oldest first: %+v", p.Checks)
	}
}

func TestPickCheckRefusals(t *testing.T) {
	long := string(make([]byte, 501))
	for _, c := range []struct {
		name string
		cmd  CheckPick
		want []string
	}{
		{"nothing", CheckPick{}, []string{"checker", "lines"}},
		{"not a line", CheckPick{Checker: "a", Lines: []PickCheckLine{{OrderID: "o9", LineID: "1"}}}, []string{"lines[0].line_id"}},
		{"twice", CheckPick{Checker: "a", Lines: []PickCheckLine{{OrderID: "o1", LineID: "1"}, {OrderID: "o1", LineID: "1"}}}, []string{"lines[1].line_id"}},
		{"bad resolution and issues", CheckPick{Checker: "a", Resolution: "SCRAP",
			Lines: []PickCheckLine{{OrderID: "o1", LineID: "1", Issues: []string{" ", long}}}},
			[]string{"resolution", "lines[0].issues[0]", "lines[0].issues[1]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := twoLinePickList(t).Check(c.cmd, t1)
			if diff := cmp.Diff(c.want, fieldsOf(err)); diff != "" || events != nil {
				t.Errorf("fields (-want +got):\n%s events %v", diff, events)
			}
		})
	}
}
