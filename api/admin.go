package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"stateset/domain"
	"stateset/projections"
)

// projectionJSON is a read model as the admin view shows it.
type projectionJSON struct {
	projections.Status
	FileSize int64 `json:"file_size_bytes"`
}

// listProjections is GET /v1/admin/projections: position, lag, state, last error, size.
func (s *Server) listProjections(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var out []projectionJSON
	for _, run := range s.read.Runners() {
		out = append(out, projectionJSON{Status: run.Status(), FileSize: run.Size()})
	}
	writeJSON(w, http.StatusOK, newList(out, false, ""))
}

// rebuildProjection is POST /v1/admin/projections/{name}/rebuild: an online rebuild
// (Runner.RebuildOnline) that answers 200 once the rebuilt model is swapped in; reads
// keep being served meanwhile. A rebuild already running is 409 REBUILD_IN_PROGRESS; a
// client that goes away cancels the rebuild, leaving the live model as it was.
func (s *Server) rebuildProjection(w http.ResponseWriter, r *http.Request) {
	if !s.decode(w, r, noFields) {
		return
	}
	run, ok := s.read.Runner(mux.Vars(r)["name"])
	if !ok {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	start := time.Now()
	pos, err := run.RebuildOnline(r.Context())
	if errors.Is(err, projections.ErrRebuilding) {
		s.fail(w, r, &httpError{http.StatusConflict, "REBUILD_IN_PROGRESS", err.Error(), nil})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, rebuildJSON{Name: run.Name(), State: "rebuilt", Position: pos,
		DurationMS: time.Since(start).Milliseconds(), Projection: projectionJSON{Status: run.Status(), FileSize: run.Size()}})
}

// rebuildJSON is what a rebuild answers: the position the view was rebuilt to.
type rebuildJSON struct {
	Name       string         `json:"name"`
	State      string         `json:"state"`
	Position   uint64         `json:"position"`
	DurationMS int64          `json:"duration_ms"`
	Projection projectionJSON `json:"projection"`
}

// statusJSON is GET /v1/status.
type statusJSON struct {
	Version       string           `json:"version"`
	StartedAt     string           `json:"started_at"`
	UptimeSeconds float64          `json:"uptime_seconds"`
	StreamHead    uint64           `json:"stream_head"`
	Projections   []statusPosition `json:"projections"`
	Flows         []flowJSON       `json:"flows,omitempty"` // absent when the server runs no flows
	Parked        int              `json:"parked"`          // events parked by every flow
}

type statusPosition struct {
	Name      string `json:"name"`
	Position  uint64 `json:"position"`
	State     string `json:"state"`
	LagEvents uint64 `json:"lag_events"`
}

// status is GET /v1/status, for any valid key: version, stream head, read model
// positions, flows and parked counts, uptime.
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	head, err := s.cmd.Head(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	out := statusJSON{Version: s.cfg.Version, StartedAt: rfc3339(s.started), UptimeSeconds: now.Sub(s.started).Seconds(),
		StreamHead: head, Projections: []statusPosition{}}
	for _, run := range s.read.Runners() {
		st := run.Status()
		out.Projections = append(out.Projections, statusPosition{Name: st.Name, Position: st.Position, State: st.State, LagEvents: st.LagEvents})
	}
	if s.cfg.Flows != nil {
		out.Flows = []flowJSON{}
		for _, n := range s.cfg.Flows.Names() {
			parked, err := s.cfg.Flows.Parked(r.Context(), n)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			out.Flows = append(out.Flows, flowJSON{Name: n, Consumer: s.cfg.Flows.Durable(n), Parked: len(parked)})
			out.Parked += len(parked)
		}
	}
	setPosition(w, head)
	writeJSON(w, http.StatusOK, out)
}
