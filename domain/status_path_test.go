package domain

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReachStatus(t *testing.T) {
	leadVerbs := []string{"contact", "accept", "disqualify"}
	dealVerbs := []string{"qualify", "propose", "negotiate", "win", "lose"}
	for _, c := range []struct {
		name, agg, from, to string
		allowed             []string
		want                []string
		err                 string // "validation", "transition" or ""
	}{
		{"already there", "lead", "", "NEW", leadVerbs, nil, ""},
		{"one step from a create", "lead", "", "CONTACTED", leadVerbs, []string{"contact"}, ""},
		{"two steps from a create", "lead", "", "QUALIFIED", leadVerbs, []string{"contact", "accept"}, ""},
		{"the rest of the way", "lead", "CONTACTED", "QUALIFIED", leadVerbs, []string{"accept"}, ""},
		{"out from anywhere open", "lead", "QUALIFIED", "DISQUALIFIED", leadVerbs, []string{"disqualify"}, ""},
		{"not with the actions allowed", "lead", "QUALIFIED", "CONVERTED", leadVerbs, nil, "transition"},
		{"never backwards", "lead", "QUALIFIED", "NEW", leadVerbs, nil, "transition"},
		{"the shortest way", "opportunity", "", "WON", dealVerbs, []string{"win"}, ""},
		{"up the ladder", "opportunity", "QUALIFIED", "NEGOTIATION", dealVerbs, []string{"propose", "negotiate"}, ""},
		{"not from a closed deal", "opportunity", "WON", "LOST", dealVerbs, nil, "transition"},
		{"around", "supplier", "INACTIVE", "SUSPENDED", []string{"activate", "deactivate", "suspend"}, []string{"activate", "suspend"}, ""},
		{"no such status", "supplier", "", "RETIRED", []string{"activate"}, nil, "validation"},
		{"no such type", "order", "", "SHIPPED", nil, nil, "validation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReachStatus(c.agg, "status", c.from, c.to, c.allowed)
			var ve *ValidationError
			var te *TransitionError
			switch {
			case c.err == "validation" && !errors.As(err, &ve), c.err == "transition" && !errors.As(err, &te), c.err == "" && err != nil:
				t.Fatalf("err %v, want %s", err, c.err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
		})
	}
}
