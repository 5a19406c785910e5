package domain

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, opportunityGoldens) }

// opportunityGoldens is one realistic value per opportunity event type (see goldens).
var opportunityGoldens = map[string]Event{
	"OpportunityCreated.v1": OpportunityCreated{OpportunityID: "opp_1", Name: "40 drills for Navy Labs", Description: "Spring refit",
		CustomerID: "cus_1", Amount: 1_200_000, Currency: "USD", CloseDate: "2026-06-30", Probability: 20},
	"OpportunityAdvanced.v1": OpportunityAdvanced{OpportunityID: "opp_1", From: OpportunityStatusProspecting,
		To: OpportunityStatusQualified, Action: "qualify", Reason: "decision maker met"},
	"OpportunityUpdated.v1": OpportunityUpdated{OpportunityID: "opp_1", Amount: ptr(int64(1_500_000)), Probability: ptr(60)},
	"OpportunityWon.v1":     OpportunityWon{OpportunityID: "opp_1", From: OpportunityStatusNegotiation, Reason: "signed"},
	"OpportunityLost.v1":    OpportunityLost{OpportunityID: "opp_2", From: OpportunityStatusProposalSent, Reason: "price"},
}

func opportunityIn(status OpportunityStatus) *Opportunity {
	o := &Opportunity{}
	events := []Event{OpportunityCreated{OpportunityID: "p1", Name: "deal", CustomerID: "c1", Amount: 100, Currency: "USD", Probability: 10}}
	switch status {
	case OpportunityStatusWon:
		events = append(events, OpportunityWon{})
	case OpportunityStatusLost:
		events = append(events, OpportunityLost{})
	default:
		for _, s := range opportunityOpen[1 : slices.Index(opportunityOpen, status)+1] {
			events = append(events, OpportunityAdvanced{To: s})
		}
	}
	fold(o, events...)
	return o
}

func TestEveryOpportunityStatusActionPair(t *testing.T) {
	end := map[string]OpportunityStatus{"win": OpportunityStatusWon, "lose": OpportunityStatusLost}
	allowed := map[OpportunityStatus]map[string]OpportunityStatus{
		OpportunityStatusProspecting:  {"qualify": OpportunityStatusQualified},
		OpportunityStatusQualified:    {"propose": OpportunityStatusProposalSent},
		OpportunityStatusProposalSent: {"negotiate": OpportunityStatusNegotiation},
		OpportunityStatusNegotiation:  {},
		OpportunityStatusWon:          {},
		OpportunityStatusLost:         {},
	}
	for _, s := range opportunityOpen {
		maps.Copy(allowed[s], end)
	}
	for _, from := range OpportunityStatuses {
		for _, action := range OpportunityActions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				o := opportunityIn(from)
				if o.Status != from {
					t.Fatalf("setup: in %s, want %s", o.Status, from)
				}
				before := *o.Clone()
				events, err := o.Act(action, "")
				checkPair(t, "opportunity", string(from), action, events, err, allowed[from], func() string {
					if diff := cmp.Diff(&before, o); diff != "" {
						t.Fatalf("decide mutated the aggregate:\n%s", diff)
					}
					fold(o, events...)
					return string(o.Status)
				}, func(s OpportunityStatus) string { return string(s) })
			})
		}
	}
	if o := opportunityIn(OpportunityStatusWon); o.Probability != 100 {
		t.Errorf("won at probability %d", o.Probability)
	}
}

func TestCreateOpportunity(t *testing.T) {
	_, err := (&Opportunity{}).Create(CreateOpportunity{OpportunityID: "p1", CustomerID: "c1", LeadID: "l1", Amount: -1,
		Currency: "usd", CloseDate: "soon", Probability: 101})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff([]string{"name", "lead_id", "amount", "currency", "close_date", "probability"}, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestOpportunityUpdate(t *testing.T) {
	for _, c := range []struct {
		name   string
		status OpportunityStatus
		cmd    UpdateOpportunity
		want   []Event
		err    string
	}{
		{"probability and amount", OpportunityStatusQualified, UpdateOpportunity{Probability: ptr(60), Amount: ptr(int64(250))},
			[]Event{OpportunityUpdated{OpportunityID: "p1", Amount: ptr(int64(250)), Probability: ptr(60)}}, ""},
		{"the same name changes nothing", OpportunityStatusProspecting, UpdateOpportunity{Name: ptr("deal")}, nil, ""},
		{"probability over 100", OpportunityStatusProspecting, UpdateOpportunity{Probability: ptr(101)}, nil, "validation"},
		{"a blank name", OpportunityStatusProspecting, UpdateOpportunity{Name: ptr(" ")}, nil, "validation"},
		{"won is final", OpportunityStatusWon, UpdateOpportunity{Probability: ptr(50)}, nil, "transition"},
		{"lost is final", OpportunityStatusLost, UpdateOpportunity{Probability: ptr(50)}, nil, "transition"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := opportunityIn(c.status)
			got, err := o.Update(c.cmd)
			checkEditErr(t, err, c.err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if fold(o, got...); len(got) > 0 && (o.Probability != 60 || o.Amount != 250 || o.Name != "deal") {
				t.Errorf("after the edit: %+v", o)
			}
		})
	}
}
