package domain

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Helpers shared by the aggregates' tests: building an aggregate from events and
// walking a state table.

// walk checks every (status, action) pair of one state machine: an allowed action yields
// events that fold to want; any other is a TransitionError naming both, with no events,
// and no decision mutates the aggregate.
func walk[S ~string, A interface {
	Aggregate
	Clone() A
}](t *testing.T, statuses []S, actions []string, allowed map[S]map[string]S,
	in func(*testing.T, S) A, status func(A) S, do func(A, string) ([]Event, error)) {
	t.Helper()
	for _, from := range statuses {
		for _, action := range actions {
			t.Run(string(from)+" "+action, func(t *testing.T) {
				a := in(t, from)
				if status(a) != from {
					t.Fatalf("setup folded to %s", status(a))
				}
				before := a.Clone()
				events, err := do(a, action)
				if diff := cmp.Diff(before, a); diff != "" {
					t.Fatalf("decide mutated the aggregate:\n%s", diff)
				}
				want, ok := allowed[from][action]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || te.From != string(from) || te.Action != action {
						t.Fatalf("got %v, %v; want a TransitionError naming %s and %s", events, err, from, action)
					}
					if events != nil {
						t.Fatalf("refused action returned events %v", events)
					}
					return
				}
				if err != nil || len(events) == 0 {
					t.Fatalf("allowed action gave %v, %v", events, err)
				}
				fold(a, events...)
				if status(a) != want {
					t.Fatalf("folded to %s, want %s", status(a), want)
				}
			})
		}
	}
}

// checkPair checks one (status, action) decision: a refusal is a *TransitionError naming
// entity, from and action with no events; an allowed one folds (fold) to the table's status.
func checkPair[S ~string](t *testing.T, entity, from, action string, events []Event, err error, allowed map[string]S,
	fold func() string, str func(S) string) {
	t.Helper()
	want, ok := allowed[action]
	if !ok {
		var te *TransitionError
		if !errors.As(err, &te) || te.Entity != entity || te.From != from || te.Action != action {
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
	if got := fold(); got != str(want) {
		t.Fatalf("folded to %s, want %s", got, str(want))
	}
}

// fold applies events to a, as the command loop does.
func fold[A Aggregate](a A, events ...Event) A {
	for _, e := range events {
		v := a.CurrentVersion() + 1
		a.Apply(Envelope{Event: e, Version: v, Time: t0.Add(time.Duration(v) * time.Second)})
	}
	return a
}

// fieldsOf lists the fields of a *ValidationError, nil for any other error.
func fieldsOf(err error) []string {
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

func hasFields(err error, fields ...string) bool { return cmp.Equal(fields, fieldsOf(err)) }

func mustEvents(t *testing.T) func([]Event, error) []Event {
	return func(events []Event, err error) []Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return events
	}
}

// checkEditErr holds an update's error to the kind a case wants: "validation" (a
// *ValidationError), "transition" (a *TransitionError) or "" (none).
func checkEditErr(t *testing.T, err error, want string) {
	t.Helper()
	var ve *ValidationError
	var te *TransitionError
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want == "validation" && !errors.As(err, &ve):
		t.Fatalf("got %v, want a *ValidationError", err)
	case want == "transition" && !errors.As(err, &te):
		t.Fatalf("got %v, want a *TransitionError", err)
	}
}
