package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"stateset/domain"
	"stateset/projections"
)

// Reading what a request says outside its body: query parameters (unknown ones
// refused, pages, times, ?as_of=) and numbers in headers.

// onlyQuery refuses query parameters the route does not know, as bodies refuse fields.
func onlyQuery(r *http.Request, allowed ...string) error {
	var v domain.Validation
	for name := range r.URL.Query() {
		v.Check(slices.Contains(allowed, name), name, "unknown query parameter")
	}
	return v.Err()
}

// pageOf reads limit (1..100, default 20), cursor and offset.
func pageOf(q url.Values, v *domain.Validation) projections.Page {
	p := projections.Page{Limit: 20, Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		v.Check(err == nil && n >= 1 && n <= 100, "limit", "must be an integer from 1 to 100")
		p.Limit = n
	}
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		v.Check(err == nil && n >= 0, "offset", "must be a non-negative integer")
		p.Offset = n
	}
	return p
}

// timeParam reads an RFC 3339 time parameter; absent is the zero time.
func timeParam(q url.Values, name string, v *domain.Validation) time.Time {
	s := q.Get(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	v.Check(err == nil, name, "must be an RFC 3339 time")
	return t
}

// asOfPosition reads ?as_of= as a stream position or an RFC 3339 time.
func (s *Server) asOfPosition(r *http.Request, aggType, id, asOf string) (uint64, error) {
	if n, err := parseUint(asOf); err == nil {
		return n, nil
	}
	t, err := time.Parse(time.RFC3339Nano, asOf)
	if err != nil {
		return 0, badRequest("as_of", "must be an RFC 3339 time or a stream position")
	}
	return s.cmd.PositionAt(r.Context(), aggType, id, t)
}

// parseUint reads a non-negative integer (a stream position), spaces around it allowed.
func parseUint(s string) (uint64, error) { return strconv.ParseUint(strings.TrimSpace(s), 10, 64) }

// isOneOf reports whether v is one of all (a query parameter checked against an enum).
func isOneOf[S ~string](all []S, v string) bool {
	for _, s := range all {
		if string(s) == v {
			return true
		}
	}
	return false
}
