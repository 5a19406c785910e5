package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"stateset/commands"
)

// Writing answers: JSON bodies, lists, the ETag and Stateset-Position headers, and the
// shapes every view shares (times in RFC 3339, empty lists and maps as [] and {}).

// reply answers a command's aggregate with its ETag and stream position.
func reply[A, J any](w http.ResponseWriter, status int, res commands.Result[A], view func(*A) J) {
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, status, view(res.Aggregate))
}

// writeJSON writes v as the JSON body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// listBody is the answer of every list endpoint.
type listBody[T any] struct {
	Object     string `json:"object"`
	Data       []T    `json:"data"`
	HasMore    bool   `json:"has_more"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// newList is a page of data; nil data is the empty list.
func newList[T any](data []T, hasMore bool, next string) listBody[T] {
	if data == nil {
		data = []T{}
	}
	return listBody[T]{Object: "list", Data: slices.Clip(data), HasMore: hasMore, NextCursor: next}
}

// etag is the ETag of an aggregate version, "3".
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// setPosition says the stream position the answer reflects.
func setPosition(w http.ResponseWriter, pos uint64) {
	w.Header().Set("Stateset-Position", strconv.FormatUint(pos, 10))
}

// rfc3339 is how every answer writes a time: UTC, RFC 3339 with the fraction it has.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// nonNil answers an absent list as [], never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// nonNilMap answers an absent map as {}, never null.
func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
