package domain

import (
	"slices"
	"strings"
)

// Some clients set a status as data, in a create or an update (the official SDK's leads,
// opportunities and suppliers do); StateSet One reaches a status only by its actions.
// ReachStatus says which actions lead there, from the aggregate's flow, so such a request
// is answered by its actions, or refused before anything is written.

type statusPaths struct {
	initial  string
	statuses []string
	path     func(from, to string, allowed []string) ([]string, bool)
}

func pathsOf[S ~string](f Flow[S], initial S, statuses []S) statusPaths {
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	return statusPaths{initial: string(initial), statuses: names,
		path: func(from, to string, allowed []string) ([]string, bool) { return f.PathTo(S(from), S(to), allowed) }}
}

var reachable = map[string]statusPaths{
	"lead":        pathsOf(leadFlow, LeadStatusNew, LeadStatuses),
	"opportunity": pathsOf(opportunityFlow, OpportunityStatusProspecting, OpportunityStatuses),
	"supplier":    pathsOf(supplierFlow, SupplierStatusPending, SupplierStatuses),
}

// ReachStatus is the shortest sequence of actions, each one of allowed, that takes an
// aggregate of aggType from status from ("" is the status a create starts in) to status
// to: none when it is there. A status the type does not have is a *ValidationError on
// field; one the actions cannot reach from there a *TransitionError.
func ReachStatus(aggType, field, from, to string, allowed []string) ([]string, error) {
	p, ok := reachable[aggType]
	if !ok {
		return nil, &ValidationError{Fields: []FieldError{{field, "is not set as data on a " + aggType}}}
	}
	if !slices.Contains(p.statuses, to) {
		return nil, &ValidationError{Fields: []FieldError{{field, "must be one of " + strings.Join(p.statuses, ", ")}}}
	}
	if from == "" {
		from = p.initial
	}
	actions, ok := p.path(from, to, allowed)
	if !ok {
		return nil, &TransitionError{Entity: strings.ReplaceAll(aggType, "_", " "), From: from, Action: "reach " + to}
	}
	return actions, nil
}
