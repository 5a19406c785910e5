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
