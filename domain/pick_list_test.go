package domain

import (
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, pickListGoldens) }

// pickListGoldens is one realistic value per pick list event type (see goldens).
var pickListGoldens = map[string]Event{
	"PickListCreated.v1": PickListCreated{PickListID: "pk_1", WarehouseID: "reno", OrderIDs: []string{"o1", "o2"},
		Lines: []PickLine{{OrderID: "o1", LineID: "1", SKU: "MUG", Quantity: 2}, {OrderID: "o2", LineID: "1", SKU: "TEE", Quantity: 1}}},
	"PickListUpdated.v1":   PickListUpdated{PickListID: "pk_1", Priority: ptr("URGENT"), Picker: ptr("sam")},
	"PickListStarted.v1":   PickListStarted{PickListID: "pk_1", WarehouseID: "reno", OrderIDs: []string{"o1", "o2"}},
	"PickListCompleted.v1": PickListCompleted{PickListID: "pk_1", Lines: []PickedLine{{OrderID: "o1", LineID: "1", Picked: 2}, {OrderID: "o2", LineID: "1", Picked: 0}}},
	"PickListPicked.v1":    PickListPicked{PickListID: "pk_1", Lines: []PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}}},
	"PickListCancelled.v1": PickListCancelled{PickListID: "pk_1", From: PickListStatusInProgress, Reason: "picker reassigned"},
}

func pickListIn(t *testing.T, s PickListStatus) *PickList {
	t.Helper()
	events, err := (&PickList{}).Create(CreatePickList{PickListID: "pk1", WarehouseID: "main", OrderIDs: []string{"o1"},
		Lines: []PickLine{{OrderID: "o1", LineID: "1", SKU: "MUG", Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	p := fold(&PickList{}, events...)
	path := map[PickListStatus][]Event{
		PickListStatusInProgress: {PickListStarted{}},
		PickListStatusCompleted:  {PickListStarted{}, PickListCompleted{}},
		PickListStatusCancelled:  {PickListCancelled{}},
	}
	return fold(p, path[s]...)
}

func TestEveryPickListStatusActionPair(t *testing.T) {
	allowed := map[PickListStatus]map[string]PickListStatus{
		PickListStatusCreated:    {"start": PickListStatusInProgress, "cancel": PickListStatusCancelled},
		PickListStatusInProgress: {"complete": PickListStatusCompleted, "cancel": PickListStatusCancelled},
	}
	walk(t, PickListStatuses, PickListActions, allowed, pickListIn,
		func(p *PickList) PickListStatus { return p.Status },
		func(p *PickList, action string) ([]Event, error) { return p.Act(action, "") })
}

func TestPickListCompletion(t *testing.T) {
	p := pickListIn(t, PickListStatusInProgress)
	if _, err := p.Complete([]PickedLine{{OrderID: "o1", LineID: "1", Picked: 3}}); err == nil {
		t.Fatal("picked more than the line holds")
	}
	if _, err := p.Complete([]PickedLine{{OrderID: "o2", LineID: "1", Picked: 1}}); err == nil {
		t.Fatal("picked a line the list does not have")
	}
	events, err := p.Complete([]PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fold(p, events...).Lines[0].Picked; got != 1 {
		t.Fatalf("picked %d", got)
	}
	all, _ := pickListIn(t, PickListStatusInProgress).Complete(nil)
	if got := all[0].(PickListCompleted).Lines[0].Picked; got != 2 {
		t.Fatalf("no lines given picked %d, want all 2", got)
	}
	if _, err := (&PickList{}).Create(CreatePickList{PickListID: "pk2", WarehouseID: "main", OrderIDs: []string{"o1"}}); err == nil {
		t.Fatal("an empty pick list was created")
	}
}

func TestPickListRecordPicks(t *testing.T) {
	created := func(t *testing.T, status PickListStatus) *PickList {
		t.Helper()
		events, err := (&PickList{}).Create(CreatePickList{PickListID: "pk1", WarehouseID: "main", OrderIDs: []string{"o1", "o2"},
			Lines: []PickLine{{OrderID: "o1", LineID: "1", SKU: "MUG", Quantity: 2}, {OrderID: "o2", LineID: "1", SKU: "MUG", Quantity: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		p := fold(&PickList{}, events...)
		if status == PickListStatusInProgress {
			fold(p, PickListStarted{})
		}
		return p
	}
	for _, c := range []struct {
		name   string
		status PickListStatus
		lines  []PickedLine
		want   []Event
		err    string
	}{
		{"one line", PickListStatusInProgress, []PickedLine{{OrderID: "o2", LineID: "1", Picked: 2}},
			[]Event{PickListPicked{PickListID: "pk1", Lines: []PickedLine{{OrderID: "o2", LineID: "1", Picked: 2}}}}, ""},
		{"none picked yet is a report too", PickListStatusInProgress, []PickedLine{{OrderID: "o1", LineID: "1", Picked: 0}},
			[]Event{PickListPicked{PickListID: "pk1", Lines: []PickedLine{{OrderID: "o1", LineID: "1", Picked: 0}}}}, ""},
		{"no lines", PickListStatusInProgress, nil, nil, "validation"},
		{"more than the line holds", PickListStatusInProgress, []PickedLine{{OrderID: "o1", LineID: "1", Picked: 3}}, nil, "validation"},
		{"a line twice", PickListStatusInProgress, []PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}, {OrderID: "o1", LineID: "1", Picked: 1}}, nil, "validation"},
		{"before starting", PickListStatusCreated, []PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := created(t, c.status).RecordPicks(c.lines)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
		})
	}

	// a repeated report changes nothing; completion keeps what was recorded
	p := created(t, PickListStatusInProgress)
	events, _ := p.RecordPicks([]PickedLine{{OrderID: "o2", LineID: "1", Picked: 2}})
	fold(p, events...)
	if again, err := p.RecordPicks([]PickedLine{{OrderID: "o2", LineID: "1", Picked: 2}}); err != nil || again != nil {
		t.Fatalf("the same report again: %v %v", again, err)
	}
	if l := p.Lines[1]; l.Picked != 2 || !l.Recorded {
		t.Fatalf("recorded line: %+v", l)
	}
	done, err := p.Complete(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []PickedLine{{OrderID: "o1", LineID: "1", Picked: 2}, {OrderID: "o2", LineID: "1", Picked: 2}}
	if diff := cmp.Diff(want, done[0].(PickListCompleted).Lines); diff != "" {
		t.Fatalf("completed without lines (-want +got):\n%s", diff)
	}
	done, _ = p.Complete([]PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}})
	want = []PickedLine{{OrderID: "o1", LineID: "1", Picked: 1}, {OrderID: "o2", LineID: "1", Picked: 2}}
	if diff := cmp.Diff(want, done[0].(PickListCompleted).Lines); diff != "" {
		t.Fatalf("completed with a line (-want +got):\n%s", diff)
	}
}

func TestPickListUpdate(t *testing.T) {
	for _, c := range []struct {
		name   string
		status PickListStatus
		cmd    UpdatePickList
		err    string
		events int
	}{
		{"urgent, to sam", PickListStatusCreated, UpdatePickList{Priority: ptr("URGENT"), Picker: ptr("sam")}, "", 1},
		{"while picking", PickListStatusInProgress, UpdatePickList{Priority: ptr("URGENT"), Picker: ptr("sam")}, "", 1},
		{"an unknown priority", PickListStatusCreated, UpdatePickList{Priority: ptr("ASAP")}, "validation", 0},
		{"completed", PickListStatusCompleted, UpdatePickList{Picker: ptr("sam")}, "transition", 0},
		{"cancelled", PickListStatusCancelled, UpdatePickList{Picker: ptr("sam")}, "transition", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := pickListIn(t, c.status)
			got, err := p.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if len(got) != c.events {
				t.Fatalf("events %v, want %d", got, c.events)
			}
			if fold(p, got...); c.events > 0 && (p.Priority != "URGENT" || p.Picker != "sam" || p.Status != c.status) {
				t.Errorf("after the edit: %+v", p)
			}
		})
	}
}
