package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// The pieces every module's handlers are made of. A write reads its body's fields
// (decode), runs one command and answers the aggregate with its ETag and position:
// create (201 with Location; If-Match does not apply), command (200, If-Match checked),
// addTo (201 for a part added to an aggregate, If-Match checked), reasonAction (a status
// action with {reason}). A read answers one read-model document (getDoc, optionally as
// of a time or position: getDocAsOf) or a list (listCollection, serveList).

// decode reads the body as one JSON object and lets fields read and check what the route
// takes. A body that is not an object, an unknown field or any bad field is answered (400
// with every field at once) and decode reports false.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, fields func(o *object)) bool {
	o, err := readObject(r)
	if err == nil {
		fields(o)
		err = o.err()
	}
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// noFields is the fields of a route whose body, when it has one, is an empty object.
func noFields(*object) {}

// create runs a command that creates an aggregate: the body's fields (decode), the
// command with the request's metadata, and 201 with Location: path and the new id.
func create[A, J any](s *Server, w http.ResponseWriter, r *http.Request, path string, id func(*A) string,
	view func(*A) J, fields func(*object), run func([]commands.Option) (commands.Result[A], error)) {
	if !s.decode(w, r, fields) {
		return
	}
	res, err := run([]commands.Option{commands.WithMetadata(meta(r))})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", path+id(res.Aggregate))
	reply(w, http.StatusCreated, res, view)
}

// command runs a write on an existing aggregate: the body's fields (decode; nil for a
// route that reads no body), If-Match, the command with the request's metadata; it
// answers 200 with the aggregate.
func command[A, J any](s *Server, w http.ResponseWriter, r *http.Request, view func(*A) J, fields func(*object),
	run func([]commands.Option) (commands.Result[A], error)) {
	write(s, w, r, http.StatusOK, view, fields, run)
}

// addTo is command for a part added to an aggregate (an address, a note, a claim): it
// answers 201 with the whole aggregate.
func addTo[A, J any](s *Server, w http.ResponseWriter, r *http.Request, view func(*A) J, fields func(*object),
	run func([]commands.Option) (commands.Result[A], error)) {
	write(s, w, r, http.StatusCreated, view, fields, run)
}

func write[A, J any](s *Server, w http.ResponseWriter, r *http.Request, status int, view func(*A) J, fields func(*object),
	run func([]commands.Option) (commands.Result[A], error)) {
	if fields != nil && !s.decode(w, r, fields) {
		return
	}
	opts, err := ifMatch(r) // with the request's metadata
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := run(opts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reply(w, status, res, view)
}

// reasonAction is a status action POST …/{id}/{action} {reason}.
func reasonAction[A, J any](s *Server, w http.ResponseWriter, r *http.Request, view func(*A) J,
	run func(id, action, reason string, opts []commands.Option) (commands.Result[A], error)) {
	var in reasonRequest
	command(s, w, r, view, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[A], error) {
			return run(mux.Vars(r)["id"], mux.Vars(r)["action"], deref(in.Reason), opts)
		})
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
	for _, c := range cols {
		if b := q.Get(c); strings.HasPrefix(c, "is_") && b != "" {
			v.Check(b == "true" || b == "false", c, "true or false")
		}
	}
	createdRange(q, &v, &f)
	serveList(s, w, r, &v, s.runner(name), func() ([]J, projections.PageInfo, error) {
		docs, pi, err := list(f)
		return views(docs, view), pi, err
	})
}

// views is each document as the API shows it.
func views[A, J any](docs []*A, view func(*A) J) []J {
	out := make([]J, len(docs))
	for i, d := range docs {
		out[i] = view(d)
	}
	return out
}

// getDocAsOf is getDoc for an aggregate that can also be read as it was: with ?as_of= (an
// RFC 3339 time or a stream position) the aggregate is folded from its events up to then
// (serveAsOf), not read from the read model.
func getDocAsOf[A, J any](s *Server, w http.ResponseWriter, r *http.Request, aggType string, run *projections.Runner,
	get func() (projections.Doc[A], error), at func(ctx context.Context, id string, pos uint64) (*A, error),
	version func(*A) int64, view func(*A) J) {
	if err := onlyQuery(r, "as_of"); err != nil {
		s.fail(w, r, err)
		return
	}
	if asOf := r.URL.Query().Get("as_of"); asOf != "" {
		serveAsOf(s, w, r, aggType, asOf, at, version, view)
		return
	}
	serveDoc(s, w, r, run, get, version, view)
}

// serveAsOf answers the aggregate {id} as it was at asOf, folded from its events by at.
func serveAsOf[A, J any](s *Server, w http.ResponseWriter, r *http.Request, aggType, asOf string,
	at func(ctx context.Context, id string, pos uint64) (*A, error), version func(*A) int64, view func(*A) J) {
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

// createdRange reads created_after and created_before into a document filter.
func createdRange(q url.Values, v *domain.Validation, f *projections.Filter) {
	if t := timeParam(q, "created_after", v); !t.IsZero() {
		f.CreatedAfter = t.UTC().Format(time.RFC3339Nano)
	}
	if t := timeParam(q, "created_before", v); !t.IsZero() {
		f.CreatedBefore = t.UTC().Format(time.RFC3339Nano)
	}
}

// serveList answers a list: the parameters' problems (v) first, then, once the model has
// reached Stateset-Min-Position, query's page at the position it was served.
func serveList[T any](s *Server, w http.ResponseWriter, r *http.Request, v *domain.Validation, run *projections.Runner,
	query func() ([]T, projections.PageInfo, error)) {
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	pos := run.Position()
	data, pi, err := query()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, newList(data, pi.HasMore, pi.NextCursor))
}

// firstEvent is the first event a command appended (nil when it appended none).
func firstEvent[A any](res commands.Result[A]) domain.Event {
	if len(res.Events) == 0 {
		return nil
	}
	return res.Events[0].Event
}
