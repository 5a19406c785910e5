package domain

// Step is one allowed transition of a state machine: From --Action--> To.
type Step[S ~string] struct {
	From   S
	Action string
	To     S
}

// Flow is a state machine as a table of allowed steps.
type Flow[S ~string] struct {
	Entity string
	Steps  []Step[S]
}

// Next returns the status that action leads to from from, or a *TransitionError.
func (f Flow[S]) Next(from S, action string) (S, error) {
	for _, s := range f.Steps {
		if s.From == from && s.Action == action {
			return s.To, nil
		}
	}
	return from, &TransitionError{Entity: f.Entity, From: string(from), Action: action}
}

// ActionTo returns an action that leads from from to to, if the table has one.
func (f Flow[S]) ActionTo(from, to S) (string, bool) {
	for _, s := range f.Steps {
		if s.From == from && s.To == to {
			return s.Action, true
		}
	}
	return "", false
}

// stay is the steps that leave each of statuses where it is on action.
func stay[S ~string](statuses []S, action string) []Step[S] {
	out := make([]Step[S], len(statuses))
	for i, s := range statuses {
		out[i] = Step[S]{s, action, s}
	}
	return out
}

// to is the steps from each of from to dst on action.
func to[S ~string](from []S, action string, dst S) []Step[S] {
	out := make([]Step[S], len(from))
	for i, s := range from {
		out[i] = Step[S]{s, action, dst}
	}
	return out
}
