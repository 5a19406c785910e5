package domain

import "slices"

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

// PathTo is the shortest sequence of actions, each one of allowed, that leads from from
// to to: none when they are equal; ok is false when there is no such sequence.
func (f Flow[S]) PathTo(from, to S, allowed []string) (actions []string, ok bool) {
	type node struct {
		at   S
		path []string
	}
	seen := map[S]bool{from: true}
	for queue := []node{{from, nil}}; len(queue) > 0; queue = queue[1:] {
		n := queue[0]
		if n.at == to {
			return n.path, true
		}
		for _, s := range f.Steps {
			if s.From == n.at && !seen[s.To] && slices.Contains(allowed, s.Action) {
				seen[s.To] = true
				queue = append(queue, node{s.To, append(slices.Clip(n.path), s.Action)})
			}
		}
	}
	return nil, false
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
