package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"stateset/domain"
)

// historyJSON is one event of an aggregate's history.
type historyJSON struct {
	ID            string `json:"id"`
	Type          string `json:"type"`       // StateSet's dotted name
	EventType     string `json:"event_type"` // PascalCase
	SchemaVersion int    `json:"schema_version"`
	Version       int64  `json:"version"`
	Position      uint64 `json:"position"`
	Time          string `json:"time"`
	Actor         string `json:"actor,omitempty"`
	ActorName     string `json:"actor_name,omitempty"`
	RequestID     string `json:"request_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	CausationID   string `json:"causation_id,omitempty"`
	Note          string `json:"note,omitempty"` // the notes the action was given
	Data          any    `json:"data"`           // what changed; updates carry each field's from and to
}

// history answers GET /v1/<collection>/{id}/history straight from the event store.
func (s *Server) history(w http.ResponseWriter, r *http.Request, aggType string) {
	s.historyOf(w, r, aggType, nil)
}

// historyOf is history with each event's data passed through redact (nil: as stored).
func (s *Server) historyOf(w http.ResponseWriter, r *http.Request, aggType string, redact func(domain.Event) domain.Event) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	envs, err := s.cmd.History(r.Context(), aggType, mux.Vars(r)["id"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]historyJSON, len(envs))
	for i, e := range envs {
		if redact != nil {
			e.Event = redact(e.Event)
		}
		out[i] = historyJSON{ID: e.ID, Type: s.cmd.Registry().DottedName(e.Type), EventType: e.Type,
			SchemaVersion: e.SchemaVersion, Version: e.Version, Position: e.Position, Time: rfc3339(e.Time),
			Actor: e.Metadata.Actor, ActorName: e.Metadata.ActorName, RequestID: e.Metadata.RequestID,
			CorrelationID: e.Metadata.CorrelationID, CausationID: e.Metadata.CausationID, Note: e.Metadata.Note, Data: e.Event}
	}
	setPosition(w, envs[len(envs)-1].Position)
	writeJSON(w, http.StatusOK, newList(out, false, ""))
}
