package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"stateset/domain"
)

var errNoFlows = &httpError{http.StatusNotImplemented, "NOT_IMPLEMENTED", "this server runs no process managers", nil}

// flowJSON is a process manager and how many events it parked.
type flowJSON struct {
	Name     string `json:"name"`
	Consumer string `json:"consumer"`
	Parked   int    `json:"parked"`
}

// parkedJSON is an event a process manager gave up on.
type parkedJSON struct {
	ParkedSeq     uint64 `json:"parked_seq"`
	Flow          string `json:"flow"`
	Reason        string `json:"reason"`
	ParkedAt      string `json:"parked_at"`
	EventID       string `json:"event_id"`
	EventType     string `json:"event_type"`
	Position      uint64 `json:"position"`
	AggregateType string `json:"aggregate_type"`
	AggregateID   string `json:"aggregate_id"`
}

func (s *Server) flowAdmin(w http.ResponseWriter, r *http.Request) (string, bool) {
	if s.cfg.Flows == nil {
		s.fail(w, r, errNoFlows)
		return "", false
	}
	name := mux.Vars(r)["name"]
	if name != "" && !slices.Contains(s.cfg.Flows.Names(), name) {
		s.fail(w, r, domain.ErrNotFound)
		return "", false
	}
	return name, true
}

// listFlows is GET /v1/admin/flows.
func (s *Server) listFlows(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.flowAdmin(w, r); !ok {
		return
	}
	var out []flowJSON
	for _, n := range s.cfg.Flows.Names() {
		parked, err := s.cfg.Flows.Parked(r.Context(), n)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, flowJSON{Name: n, Consumer: s.cfg.Flows.Durable(n), Parked: len(parked)})
	}
	writeJSON(w, http.StatusOK, newList(nonNil(out), false, ""))
}

// parkedEvents is GET /v1/admin/flows/{name}/parked, oldest first.
func (s *Server) parkedEvents(w http.ResponseWriter, r *http.Request) {
	name, ok := s.flowAdmin(w, r)
	if !ok {
		return
	}
	parked, err := s.cfg.Flows.Parked(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]parkedJSON, len(parked))
	for i, p := range parked {
		out[i] = parkedJSON{ParkedSeq: p.Seq, Flow: name, Reason: p.Reason, ParkedAt: rfc3339(p.ParkedAt),
			EventID: p.EventID, EventType: p.EventType, Position: p.Position,
			AggregateType: p.AggregateType, AggregateID: p.AggregateID}
	}
	writeJSON(w, http.StatusOK, newList(out, false, ""))
}

// replayFlow is POST /v1/admin/flows/{name}/replay: the flow handles its parked events
// again, oldest first; each one handled leaves the parked stream. It stops at the first
// that fails again and answers 409 REPLAY_FAILED with the count replayed before it.
func (s *Server) replayFlow(w http.ResponseWriter, r *http.Request) {
	name, ok := s.flowAdmin(w, r)
	if !ok {
		return
	}
	n, err := s.cfg.Flows.Replay(r.Context(), name)
	if err != nil {
		s.log.WarnContext(r.Context(), "replay failed", "flow", name, "replayed", n, "err", err)
		s.fail(w, r, &httpError{http.StatusConflict, "REPLAY_FAILED", err.Error(),
			[]domain.FieldError{{Field: "replayed", Issue: strconv.Itoa(n) + " events replayed before the failure"}}})
		return
	}
	writeJSON(w, http.StatusOK, replayJSON{Flow: name, Replayed: n})
}

// replayJSON is what a replay answers: how many parked events the flow handled.
type replayJSON struct {
	Flow     string `json:"flow"`
	Replayed int    `json:"replayed"`
}
