package api

import (
	"net/http"

	"stateset/domain"
	"stateset/projections"
)

// auditJSON is one entry of the audit trail: who, what, when, in which request.
type auditJSON struct {
	Position      uint64   `json:"position"`
	EventID       string   `json:"event_id"`
	Type          string   `json:"type"`       // dotted
	EventType     string   `json:"event_type"` // PascalCase
	AggregateType string   `json:"aggregate_type"`
	AggregateID   string   `json:"aggregate_id"`
	Version       int64    `json:"version"`
	Time          string   `json:"time"`
	Actor         string   `json:"actor"`      // API key id, or "system", "cli"
	ActorName     string   `json:"actor_name"` // the key's name when it acted
	RequestID     string   `json:"request_id"`
	CorrelationID string   `json:"correlation_id"`
	Changed       []string `json:"changed_fields"` // fields an *Updated event changed
}

// listAudit is GET /v1/audit: the audit_v2 read model, newest first.
func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "actor", "aggregate_type", "aggregate_id", "from", "to", "limit", "cursor", "offset"); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var v domain.Validation
	f := projections.AuditFilter{Actor: q.Get("actor"), AggregateType: q.Get("aggregate_type"), AggregateID: q.Get("aggregate_id"),
		From: timeParam(q, "from", &v), To: timeParam(q, "to", &v), Page: pageOf(q, &v)}
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	run, ok := s.read.Runner(projections.Audit().Name())
	if !ok {
		s.fail(w, r, &httpError{http.StatusNotImplemented, "NOT_IMPLEMENTED", "this server keeps no audit read model", nil})
		return
	}
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	pos := run.Position()
	rows, pi, err := s.read.ListAudit(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]auditJSON, len(rows))
	for i, a := range rows {
		out[i] = auditJSON{Position: a.Position, EventID: a.EventID, Type: s.cmd.Registry().DottedName(a.EventType),
			EventType: a.EventType, AggregateType: a.AggregateType, AggregateID: a.AggregateID, Version: a.Version,
			Time: rfc3339(a.Time), Actor: a.Actor, ActorName: a.ActorName, RequestID: a.RequestID,
			CorrelationID: a.CorrelationID, Changed: nonNil(a.Changed)}
	}
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, newList(out, pi.HasMore, pi.NextCursor))
}
