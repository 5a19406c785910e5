package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// The pieces every module's handlers are made of: answer a command's result, run a
// command with If-Match and the request's metadata, read one document (optionally as of
// a time or position), list a collection, run a status action with a reason.

// reply answers a command's aggregate with its ETag and stream position.
func reply[A, J any](w http.ResponseWriter, status int, res commands.Result[A], view func(*A) J) {
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, status, view(res.Aggregate))
}

// command runs a write after If-Match and the request's metadata, and answers 200.
func command[A, J any](s *Server, w http.ResponseWriter, r *http.Request, view func(*A) J,
	run func([]commands.Option) (commands.Result[A], error)) {
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := run(append(opts, commands.WithMetadata(meta(r))))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reply(w, http.StatusOK, res, view)
}

// getDoc answers GET of one read-model document.
func getDoc[A, J any](s *Server, w http.ResponseWriter, r *http.Request, run *projections.Runner,
	get func() (projections.Doc[A], error), version func(*A) int64, view func(*A) J) {
	if err := onlyQuery(r); err != nil {
		s.fail(w, r, err)
		return
	}
	serveDoc(s, w, r, run, get, version, view)
}

// serveDoc reads one read-model document once the model has reached the reader's
// Stateset-Min-Position, and answers it with its version and the position it was read at.
func serveDoc[A, J any](s *Server, w http.ResponseWriter, r *http.Request, run *projections.Runner,
	get func() (projections.Doc[A], error), version func(*A) int64, view func(*A) J) {
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	pos := run.Position()
	d, err := get()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(version(d.Value)))
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, view(d.Value))
}

// listCollection answers a document list filtered by cols (status checked against
// statuses).
func listCollection[A, J any, S ~string](s *Server, w http.ResponseWriter, r *http.Request, name string, cols []string,
	statuses []S, list func(projections.Filter) ([]*A, projections.PageInfo, error), view func(*A) J) {
	q := r.URL.Query()
	if err := onlyQuery(r, append(slices.Clone(cols), "limit", "cursor", "offset", "created_after", "created_before")...); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	f := projections.Filter{Page: pageOf(q, &v), Equal: map[string]string{}}
	for _, c := range cols {
		f.Equal[c] = q.Get(c)
	}
	if st := q.Get("status"); st != "" {
		v.Check(slices.Contains(statuses, S(st)), "status", "not a status of this collection")
	}
	s.listDocs(w, r, &v, q, s.runner(name), &f, func() (any, projections.PageInfo, error) {
		docs, pi, err := list(f)
		out := make([]J, len(docs))
		for i, d := range docs {
			out[i] = view(d)
		}
		return out, pi, err
	})
}

// reasonAction reads an action body {reason} and runs the action.
func reasonAction[A, J any](s *Server, w http.ResponseWriter, r *http.Request, view func(*A) J,
	run func(id, action, reason string, opts []commands.Option) (commands.Result[A], error)) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var reason string
	o.into("reason", &reason)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	command(s, w, r, view, func(opts []commands.Option) (commands.Result[A], error) {
		return run(mux.Vars(r)["id"], mux.Vars(r)["action"], reason, opts)
	})
}

// getDocAsOf is getDoc for an aggregate that can also be read as it was: with ?as_of= (an
// RFC 3339 time or a stream position) the aggregate is folded from its events up to then,
// not read from the read model.
func getDocAsOf[A, J any](s *Server, w http.ResponseWriter, r *http.Request, aggType string, run *projections.Runner,
	get func() (projections.Doc[A], error), at func(ctx context.Context, id string, pos uint64) (*A, error),
	version func(*A) int64, view func(*A) J) {
	asOf := r.URL.Query().Get("as_of")
	if asOf == "" {
		if err := onlyQuery(r, "as_of"); err != nil {
			s.fail(w, r, err)
			return
		}
		serveDoc(s, w, r, run, get, version, view)
		return
	}
	if err := onlyQuery(r, "as_of"); err != nil {
		s.fail(w, r, err)
		return
	}
	id := mux.Vars(r)["id"]
	pos, err := s.asOfPosition(r, aggType, id, asOf)
	if err == nil && pos == 0 {
		err = domain.ErrNotFound // it did not exist yet
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := at(r.Context(), id, pos)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(version(a)))
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, view(a))
}
