package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"stateset/commands"
	"stateset/domain"
)

// eventJSON is one event of the feed.
type eventJSON struct {
	ID            string `json:"id"`
	Type          string `json:"type"`       // StateSet's dotted name
	EventType     string `json:"event_type"` // PascalCase
	SchemaVersion int    `json:"schema_version"`
	Position      uint64 `json:"position"`
	Time          string `json:"time"`
	AggregateType string `json:"aggregate_type"`
	AggregateID   string `json:"aggregate_id"`
	Version       int64  `json:"version"`
	Actor         string `json:"actor,omitempty"`
	ActorName     string `json:"actor_name,omitempty"`
	RequestID     string `json:"request_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	CausationID   string `json:"causation_id,omitempty"`
	Note          string `json:"note,omitempty"`
	Data          any    `json:"data"`
}

func (s *Server) eventOf(e domain.Envelope) eventJSON {
	return eventJSON{ID: e.ID, Type: s.cmd.Registry().DottedName(e.Type), EventType: e.Type, SchemaVersion: e.SchemaVersion,
		Position: e.Position, Time: rfc3339(e.Time), AggregateType: e.AggregateType, AggregateID: e.AggregateID,
		Version: e.Version, Actor: e.Metadata.Actor, ActorName: e.Metadata.ActorName, RequestID: e.Metadata.RequestID,
		CorrelationID: e.Metadata.CorrelationID, CausationID: e.Metadata.CausationID, Note: e.Metadata.Note, Data: e.Event}
}

// feedBody is the answer of GET /v1/events: a list whose cursor is a stream position.
type feedBody struct {
	Object     string      `json:"object"`
	Data       []eventJSON `json:"data"`
	HasMore    bool        `json:"has_more"`
	NextCursor string      `json:"next_cursor,omitempty"` // the position to pass as after (or cursor)
	NextAfter  uint64      `json:"next_after"`            // the same, as a number; after itself when empty
}

// eventFilter reads after (or cursor), type (dotted or PascalCase), aggregate_type and
// aggregate_id.
func (s *Server) eventFilter(r *http.Request, v *domain.Validation) commands.EventFilter {
	q := r.URL.Query()
	var f commands.EventFilter
	after := q.Get("after")
	if after == "" {
		after = q.Get("cursor")
	}
	if after != "" {
		n, err := parseUint(after)
		v.Check(err == nil, "after", "must be a stream position (a non-negative integer)")
		f.After = n
	}
	if t := q.Get("type"); t != "" {
		typ, ok := s.cmd.Registry().TypeNamed(t)
		v.Check(ok, "type", "unknown event type (give customer.updated or CustomerUpdated)")
		f.EventType = typ
	}
	f.AggregateType, f.AggregateID = q.Get("aggregate_type"), q.Get("aggregate_id")
	return f
}

// readableBy narrows f to the aggregates key may read (each aggregate type's module read
// scope, domain.ReadScopeOf); an aggregate_type or type the key cannot read is 403.
func (s *Server) readableBy(key *domain.APIKey, f *commands.EventFilter) error {
	if key == nil {
		return errUnauthorized
	}
	f.Readable = func(agg string) bool { return key.Allows(domain.ReadScopeOf(agg)) }
	deny := func(field, agg string) error {
		scope := domain.ReadScopeOf(agg)
		return &httpError{http.StatusForbidden, "FORBIDDEN", "the calling key cannot read these events",
			[]domain.FieldError{{Field: field, Issue: "the calling key lacks " + strconv.Quote(scope)}}}
	}
	if f.AggregateType != "" && !f.Readable(f.AggregateType) {
		return deny("aggregate_type", f.AggregateType)
	}
	if f.EventType != "" {
		if agg := s.cmd.Registry().Aggregate(f.EventType); !f.Readable(agg) {
			return deny("type", agg)
		}
	}
	return nil
}

// listEvents is GET /v1/events: events in stream order straight from the stream, each
// decoded through the registry; page with after = next_after, the last position scanned
// (events of aggregates the key cannot read are skipped, not shown).
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "after", "cursor", "type", "aggregate_type", "aggregate_id", "limit"); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	f := s.eventFilter(r, &v)
	limit := 100
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		v.Check(err == nil && n >= 1 && n <= 1000, "limit", "must be an integer from 1 to 1000")
		limit = n
	}
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cmd.CheckEventFilter(f); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.readableBy(info(r.Context()).key, &f); err != nil {
		s.fail(w, r, err)
		return
	}
	envs, more, last, err := s.cmd.Events(r.Context(), f, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := feedBody{Object: "list", Data: make([]eventJSON, len(envs)), HasMore: more, NextAfter: last}
	for i, e := range envs {
		out.Data[i] = s.eventOf(e)
	}
	if more {
		out.NextCursor = strconv.FormatUint(out.NextAfter, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

// streamEvents is GET /v1/events/stream: Server-Sent Events (id: position, event: dotted
// type, data: the feed's JSON), from after or Last-Event-ID on, as they are appended; a
// comment every heartbeat keeps proxies from closing an idle stream. It ends when the
// client goes, or with an "event: error" once its key is revoked or expires.
func (s *Server) streamEvents(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "after", "type", "aggregate_type", "aggregate_id"); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	f := s.eventFilter(r, &v)
	if last := strings.TrimSpace(r.Header.Get("Last-Event-ID")); last != "" {
		n, err := parseUint(last)
		v.Check(err == nil, "Last-Event-ID", "must be a position this stream sent")
		f.After = n
	}
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cmd.CheckEventFilter(f); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.readableBy(info(r.Context()).key, &f); err != nil {
		s.fail(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives any server write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	ctx, cancel := context.WithCancel(r.Context())
	var (
		mu     sync.Mutex // the heartbeat and the events write to one stream
		closed bool       // the handler returned: w is no longer ours
	)
	defer func() {
		cancel()
		mu.Lock()
		closed = true
		mu.Unlock()
	}()
	send := func(b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return context.Canceled
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := send([]byte(": stream of events after " + strconv.FormatUint(f.After, 10) + "\n\n")); err != nil {
		return
	}
	// the key is checked again on every heartbeat and before every event: a stream
	// outlives no revocation or expiry of its key by more than a heartbeat
	key := info(r.Context()).key
	var endOnce sync.Once
	endStream := func(why string) {
		endOnce.Do(func() {
			b, _ := json.Marshal(map[string]string{"code": "UNAUTHORIZED", "message": why})
			_ = send([]byte("event: error\ndata: " + string(b) + "\n\n"))
			cancel()
		})
	}
	heartbeat := s.cfg.Heartbeat
	go func() {
		t := time.NewTicker(heartbeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if why := s.keyGone(key); why != "" {
					endStream(why)
					return
				}
				if send([]byte(": heartbeat\n\n")) != nil {
					cancel()
					return
				}
			}
		}
	}()
	err := s.cmd.FollowEvents(ctx, f, func(e domain.Envelope) error {
		if why := s.keyGone(key); why != "" {
			endStream(why)
			return errKeyGone
		}
		data, err := domain.MarshalJSON(s.eventOf(e))
		if err != nil {
			return err
		}
		msg := make([]byte, 0, len(data)+64)
		msg = append(msg, "id: "+strconv.FormatUint(e.Position, 10)+"\nevent: "+s.cmd.Registry().DottedName(e.Type)+"\ndata: "...)
		msg = append(append(msg, data...), "\n\n"...)
		return send(msg)
	})
	if err != nil && !errors.Is(err, errKeyGone) && ctx.Err() == nil {
		// the answer has begun: all that is left is to log and end the stream
		s.log.WarnContext(ctx, "event stream ended", "err", err, "request_id", requestID(ctx))
	}
}

// errKeyGone ends an event stream whose key stopped working.
var errKeyGone = errors.New("the stream's API key stopped working")

// keyGone says why a key authorized earlier no longer works ("" while it does), deciding
// as the auth middleware does: the key index still knows it, it is not revoked, not
// expired.
func (s *Server) keyGone(k *domain.APIKey) string {
	if k == nil {
		return "the request had no API key"
	}
	cur, ok := s.keys.Lookup(k.Hash)
	switch {
	case !ok || cur.ID != k.ID:
		return "the API key is no longer known"
	case cur.Revoked:
		return "the API key was revoked"
	case !cur.Usable(s.now()):
		return "the API key expired"
	}
	return ""
}
