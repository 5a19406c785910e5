package api

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// Webhooks: /v1/webhook_endpoints and their deliveries. An endpoint's secret is answered
// only by create and rotate_secret; lists, gets, history and errors never carry it.

type webhookEndpointJSON struct {
	ID                  string   `json:"id"`
	URL                 string   `json:"url"`
	Events              []string `json:"events"`
	Description         string   `json:"description"`
	Status              string   `json:"status"`
	DisabledReason      string   `json:"disabled_reason,omitempty"`
	ConsecutiveFailures int      `json:"consecutive_failures"`
	Secret              string   `json:"secret,omitempty"` // create and rotate_secret only
	CreatedAt           string   `json:"created_at"`
	UpdatedAt           string   `json:"updated_at"`
	Version             int64    `json:"version"`
}

func webhookEndpointOf(w *domain.WebhookEndpoint) webhookEndpointJSON {
	return webhookEndpointJSON{ID: w.ID, URL: w.URL, Events: nonNil(w.Events), Description: w.Description,
		Status: string(w.Status), DisabledReason: w.DisabledReason, ConsecutiveFailures: w.ConsecutiveFailures,
		CreatedAt: rfc3339(w.CreatedAt), UpdatedAt: rfc3339(w.UpdatedAt), Version: w.Version}
}

// webhookEndpointWithSecret is the one view that shows the secret.
func webhookEndpointWithSecret(w *domain.WebhookEndpoint) webhookEndpointJSON {
	out := webhookEndpointOf(w)
	out.Secret = w.Secret
	return out
}

type webhookAttemptJSON struct {
	Attempt      int    `json:"attempt"`
	StartedAt    string `json:"started_at"`
	Outcome      string `json:"outcome,omitempty"`
	ResponseCode int    `json:"response_code,omitempty"`
	Error        string `json:"error,omitempty"`
	DurationMs   int64  `json:"duration_ms"`
}

type webhookDeliveryJSON struct {
	ID            string               `json:"id"`
	EndpointID    string               `json:"endpoint_id"`
	EventID       string               `json:"event_id"`
	Type          string               `json:"type"`
	EventType     string               `json:"event_type"`
	Position      uint64               `json:"position"`
	AggregateType string               `json:"aggregate_type"`
	AggregateID   string               `json:"aggregate_id"`
	Status        string               `json:"status"`
	Attempts      []webhookAttemptJSON `json:"attempts"`
	NextAttemptAt string               `json:"next_attempt_at,omitempty"`
	CreatedAt     string               `json:"created_at"`
	UpdatedAt     string               `json:"updated_at"`
	Version       int64                `json:"version"`
}

func (s *Server) webhookDeliveryOf(d *domain.WebhookDelivery) webhookDeliveryJSON {
	out := webhookDeliveryJSON{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID,
		Type: s.cmd.Registry().DottedName(d.EventType), EventType: d.EventType, Position: d.Position,
		AggregateType: d.AggregateType, AggregateID: d.AggregateID, Status: string(d.Status),
		Attempts: []webhookAttemptJSON{}, CreatedAt: rfc3339(d.CreatedAt), UpdatedAt: rfc3339(d.UpdatedAt), Version: d.Version}
	for _, a := range d.Attempts {
		out.Attempts = append(out.Attempts, webhookAttemptJSON{Attempt: a.Attempt, StartedAt: rfc3339(a.StartedAt),
			Outcome: a.Outcome, ResponseCode: a.ResponseCode, Error: a.Error, DurationMs: a.DurationMs})
	}
	if d.NextAttemptAt != nil && d.Status == domain.WebhookDeliveryStatusPending {
		out.NextAttemptAt = rfc3339(*d.NextAttemptAt)
	}
	return out
}

// canSubscribe refuses (403 naming events[i]) a pattern that would send the endpoint
// events of an aggregate the calling key cannot read (domain.ReadScopeOf): "*" or a prefix
// covering several aggregates needs the read scope of each. Nothing of this is stored: the
// check is the creating (or updating) key's, at that moment.
func (s *Server) canSubscribe(r *http.Request, patterns []string) error {
	key := info(r.Context()).key
	if key == nil {
		return errUnauthorized
	}
	for i, p := range patterns {
		for _, agg := range s.cmd.Registry().AggregatesMatching(p) {
			if scope := domain.ReadScopeOf(agg); !key.Allows(scope) {
				return &httpError{http.StatusForbidden, "FORBIDDEN", "an endpoint may subscribe only to events the calling key can read",
					[]domain.FieldError{{Field: "events[" + strconv.Itoa(i) + "]", Issue: "matches " + agg + " events; the calling key lacks " + strconv.Quote(scope)}}}
			}
		}
	}
	return nil
}

// createWebhookEndpointRequest is the body of POST /v1/webhook_endpoints: events are
// event names or patterns (order.*, customer.updated, *).
type createWebhookEndpointRequest struct {
	ID          string   `json:"id,omitempty"`
	URL         string   `json:"url,omitempty"`
	Events      []string `json:"events,omitempty"`
	Description string   `json:"description,omitempty"`
}

func (s *Server) createWebhookEndpoint(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateWebhookEndpoint
	create(s, w, r, "/v1/webhook_endpoints/", func(w *domain.WebhookEndpoint) string { return w.ID }, webhookEndpointWithSecret, func(o *object) {
		in := createWebhookEndpointRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreateWebhookEndpoint{EndpointID: in.ID, URL: in.URL, Events: in.Events, Description: in.Description}
	}, func(opts []commands.Option) (commands.Result[domain.WebhookEndpoint], error) {
		if err := s.canSubscribe(r, cmd.Events); err != nil {
			return commands.Result[domain.WebhookEndpoint]{}, err
		}
		return s.cmd.Webhooks().CreateEndpoint(r.Context(), cmd, opts...)
	})
}

// updateWebhookEndpointRequest is the body of PUT /v1/webhook_endpoints/{id}: each field
// given is replaced (events given as null are emptied, and refused as such).
type updateWebhookEndpointRequest struct {
	URL         *string  `json:"url,omitempty"`
	Description *string  `json:"description,omitempty"`
	Events      []string `json:"events,omitempty"`
}

// updateWebhookEndpoint is PUT /v1/webhook_endpoints/{id}: url, events, description.
func (s *Server) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateWebhookEndpoint
	if !s.decode(w, r, func(o *object) {
		var in updateWebhookEndpointRequest
		o.fill(&in)
		cmd = domain.UpdateWebhookEndpoint{URL: in.URL, Description: in.Description}
		if o.has("events") {
			events := nonNil(in.Events)
			cmd.Events = &events
		}
	}) {
		return
	}
	if cmd.Events != nil {
		if err := s.canSubscribe(r, *cmd.Events); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	// the body is read: the events are checked before If-Match
	command(s, w, r, webhookEndpointOf, nil, func(opts []commands.Option) (commands.Result[domain.WebhookEndpoint], error) {
		return s.cmd.Webhooks().UpdateEndpoint(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

func (s *Server) webhookEndpointAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, webhookEndpointOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.WebhookEndpoint], error) {
		return s.cmd.Webhooks().ActOnEndpoint(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, webhookEndpointWithSecret, nil, func(opts []commands.Option) (commands.Result[domain.WebhookEndpoint], error) {
		return s.cmd.Webhooks().RotateSecret(r.Context(), mux.Vars(r)["id"], opts...)
	})
}

func (s *Server) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, webhookEndpointOf, nil, func(opts []commands.Option) (commands.Result[domain.WebhookEndpoint], error) {
		return s.cmd.Webhooks().DeleteEndpoint(r.Context(), mux.Vars(r)["id"], opts...)
	})
}

func (s *Server) getWebhookEndpoint(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Webhooks().Name()), func() (projections.Doc[domain.WebhookEndpoint], error) {
		return s.read.GetWebhookEndpoint(r.Context(), mux.Vars(r)["id"])
	}, func(w *domain.WebhookEndpoint) int64 { return w.Version }, webhookEndpointOf)
}

func (s *Server) listWebhookEndpoints(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Webhooks().Name(), projections.WebhookEndpointColumns, domain.WebhookEndpointStatuses,
		func(f projections.Filter) ([]*domain.WebhookEndpoint, projections.PageInfo, error) {
			return s.read.ListWebhookEndpoints(r.Context(), f)
		}, webhookEndpointOf)
}

// webhookEndpointHistory is the endpoint's events with the secrets left out.
func (s *Server) webhookEndpointHistory(w http.ResponseWriter, r *http.Request) {
	s.historyOf(w, r, "webhook_endpoint", domain.Redact)
}

// listWebhookDeliveries is GET /v1/webhook_endpoints/{id}/deliveries?status=: the
// delivery log, newest first.
func (s *Server) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "status", "limit", "cursor", "offset", "created_after", "created_before"); err != nil {
		s.fail(w, r, err)
		return
	}
	run := s.runner(projections.Webhooks().Name())
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	id := mux.Vars(r)["id"]
	if _, err := s.read.GetWebhookEndpoint(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var v domain.Validation
	f := projections.Filter{Page: pageOf(q, &v), Equal: map[string]string{"endpoint_id": id, "status": q.Get("status")}}
	if st := q.Get("status"); st != "" {
		v.Check(isOneOf(domain.WebhookDeliveryStatuses, st), "status", "not a status of this collection")
	}
	createdRange(q, &v, &f)
	serveList(s, w, r, &v, run, func() ([]webhookDeliveryJSON, projections.PageInfo, error) {
		docs, pi, err := s.read.ListWebhookDeliveries(r.Context(), f)
		return views(docs, s.webhookDeliveryOf), pi, err
	})
}

func (s *Server) getWebhookDelivery(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Webhooks().Name()), func() (projections.Doc[domain.WebhookDelivery], error) {
		d, err := s.read.GetWebhookDelivery(r.Context(), mux.Vars(r)["delivery_id"])
		if err == nil && d.Value.EndpointID != mux.Vars(r)["id"] {
			return d, domain.ErrNotFound
		}
		return d, err
	}, func(d *domain.WebhookDelivery) int64 { return d.Version }, s.webhookDeliveryOf)
}

// redeliverWebhook schedules a fresh round of tries, due at once.
func (s *Server) redeliverWebhook(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, s.webhookDeliveryOf, nil, func(opts []commands.Option) (commands.Result[domain.WebhookDelivery], error) {
		return s.cmd.Webhooks().Redeliver(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["delivery_id"], opts...)
	})
}
