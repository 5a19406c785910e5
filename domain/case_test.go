package domain

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, caseGoldens) }

// caseGoldens is one realistic value per case event type (see goldens).
var caseGoldens = map[string]Event{
	"CaseOpened.v1": CaseOpened{CaseID: "case_1", CaseNumber: "CASE-000001", CaseName: "Mug arrived broken",
		Description: "Handle snapped off in transit.", Submitter: "ada@example.com", Priority: "HIGH", CustomerID: "cus_1", OrderID: "ord_1"},
	"CaseUpdated.v1":  CaseUpdated{CaseID: "case_1", CustomerID: "cus_1", Priority: ptr("URGENT")},
	"CaseAssigned.v1": CaseAssigned{CaseID: "case_1", From: CaseStatusNew, To: CaseStatusInProgress, Assignee: "sam@support"},
	"CaseStatusChanged.v1": CaseStatusChanged{CaseID: "case_1", From: CaseStatusInProgress, To: CaseStatusResolved,
		Action: "resolve", Reason: "replacement sent"},
	"CaseNoteAdded.v1": CaseNoteAdded{CaseID: "case_1", NoteID: "note_1", Body: "Customer sent photos.", Author: "sam@support",
		CustomerID: "cus_1", AddedAt: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)},
}

var testCase = CaseOpened{CaseID: "k1", CaseNumber: "CASE-1", CaseName: "broken", Priority: "MEDIUM", CustomerID: "c1"}

func caseIn(status CaseStatus) *Case {
	c := &Case{}
	assigned := CaseAssigned{To: CaseStatusInProgress, Assignee: "sam"}
	events := []Event{testCase}
	switch status {
	case CaseStatusInProgress:
		events = append(events, assigned)
	case CaseStatusOnHold:
		events = append(events, assigned, CaseStatusChanged{To: CaseStatusOnHold})
	case CaseStatusResolved:
		events = append(events, assigned, CaseStatusChanged{To: CaseStatusResolved, Action: "resolve", Reason: "fixed"})
	case CaseStatusClosed:
		events = append(events, assigned, CaseStatusChanged{To: CaseStatusResolved}, CaseStatusChanged{To: CaseStatusClosed})
	}
	fold(c, events...)
	return c
}

func TestEveryCaseStatusActionPair(t *testing.T) {
	allowed := map[CaseStatus]map[string]CaseStatus{
		CaseStatusNew:        {"assign": CaseStatusInProgress, "resolve": CaseStatusResolved},
		CaseStatusInProgress: {"assign": CaseStatusInProgress, "hold": CaseStatusOnHold, "resolve": CaseStatusResolved},
		CaseStatusOnHold:     {"assign": CaseStatusOnHold, "resume": CaseStatusInProgress, "resolve": CaseStatusResolved},
		CaseStatusResolved:   {"close": CaseStatusClosed, "reopen": CaseStatusInProgress},
		CaseStatusClosed:     {"reopen": CaseStatusInProgress},
	}
	for _, s := range CaseStatuses {
		allowed[s]["add_note"] = s
	}
	for _, from := range CaseStatuses {
		for _, action := range append(slices.Clone(CaseActions), "assign", "add_note") {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				c := caseIn(from)
				if c.Status != from {
					t.Fatalf("setup: in %s, want %s", c.Status, from)
				}
				before := *c.Clone()
				var events []Event
				var err error
				switch action {
				case "assign":
					events, err = c.Assign("alex")
				case "add_note":
					events, err = c.AddNote("n1", "called back", "alex", t0)
				default:
					events, err = c.Act(action, "because")
				}
				checkPair(t, "case", string(from), action, events, err, allowed[from], func() string {
					if diff := cmp.Diff(&before, c); diff != "" {
						t.Fatalf("decide mutated the aggregate:\n%s", diff)
					}
					if len(events) != 1 {
						t.Fatalf("events %v", events)
					}
					fold(c, events...)
					return string(c.Status)
				}, func(s CaseStatus) string { return string(s) })
			})
		}
	}
}

func TestCaseNotesAndAssignment(t *testing.T) {
	c := caseIn(CaseStatusInProgress)
	if events, err := c.Assign("sam"); err != nil || events != nil {
		t.Errorf("assigning the assignee again: %v %v", events, err)
	}
	if _, err := c.Assign(" "); err == nil {
		t.Error("blank assignee accepted")
	}
	events, err := c.AddNote("n1", "photos received", "sam", t0)
	want := []Event{CaseNoteAdded{CaseID: "k1", NoteID: "n1", Body: "photos received", Author: "sam", CustomerID: "c1", AddedAt: t0}}
	if diff := cmp.Diff(want, events); diff != "" || err != nil {
		t.Fatalf("note: %v (-want +got):\n%s", err, diff)
	}
	fold(c, events...)
	if _, err := c.AddNote("n1", "again", "", t0); !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("note id twice: %v", err)
	}
	if _, err := c.AddNote("n2", "", "", t0); err == nil {
		t.Error("empty note accepted")
	}
	if (CaseOpened{CustomerID: "c1"}).PersonalSubject() != "c1" || want[0].(CaseNoteAdded).PersonalSubject() != "c1" {
		t.Error("case personal subject")
	}
	resolved := caseIn(CaseStatusResolved)
	if resolved.Resolution != "fixed" {
		t.Errorf("resolution %q", resolved.Resolution)
	}
	events, _ = resolved.Act("reopen", "")
	fold(resolved, events...)
	if resolved.Resolution != "" || resolved.Status != CaseStatusInProgress {
		t.Errorf("reopened %+v", resolved)
	}
	var ve *ValidationError
	if _, err := (&Case{}).Open(OpenCase{CaseID: "k1", CaseNumber: "CASE-1", Priority: "SOMEDAY"}); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("bad case: %v", err)
	}
}

func TestCaseUpdate(t *testing.T) {
	for _, c := range []struct {
		name   string
		status CaseStatus
		cmd    UpdateCase
		want   []Event
		err    string
	}{
		{"escalated", CaseStatusInProgress, UpdateCase{Priority: ptr("URGENT")},
			[]Event{CaseUpdated{CaseID: "k1", CustomerID: "c1", Priority: ptr("URGENT")}}, ""},
		{"resolved cases are still edited", CaseStatusResolved, UpdateCase{Priority: ptr("URGENT"), CaseName: ptr("broken")},
			[]Event{CaseUpdated{CaseID: "k1", CustomerID: "c1", Priority: ptr("URGENT")}}, ""},
		{"the same priority changes nothing", CaseStatusNew, UpdateCase{Priority: ptr("MEDIUM")}, nil, ""},
		{"an unknown priority", CaseStatusNew, UpdateCase{Priority: ptr("SOON")}, nil, "validation"},
		{"an empty priority", CaseStatusNew, UpdateCase{Priority: ptr("")}, nil, "validation"},
		{"a blank name", CaseStatusNew, UpdateCase{CaseName: ptr("")}, nil, "validation"},
		{"closed: reopen first", CaseStatusClosed, UpdateCase{Priority: ptr("URGENT")}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := caseIn(c.status)
			got, err := k.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if fold(k, got...); len(got) > 0 && (k.Priority != "URGENT" || k.CaseName != "broken") {
				t.Errorf("after the edit: %+v", k)
			}
		})
	}
}
