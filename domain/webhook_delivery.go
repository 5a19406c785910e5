package domain

import (
	"errors"
	"slices"
	"time"
)

// WebhookDeliveryStatus is where a delivery stands.
type WebhookDeliveryStatus string

const (
	WebhookDeliveryStatusPending   WebhookDeliveryStatus = "PENDING" // waiting for its next attempt
	WebhookDeliveryStatusSucceeded WebhookDeliveryStatus = "SUCCEEDED"
	WebhookDeliveryStatusFailed    WebhookDeliveryStatus = "FAILED"
)

// WebhookDeliveryStatuses lists every status.
var WebhookDeliveryStatuses = []WebhookDeliveryStatus{WebhookDeliveryStatusPending, WebhookDeliveryStatusSucceeded, WebhookDeliveryStatusFailed}

// WebhookAttempt is one POST of a delivery.
type WebhookAttempt struct {
	Attempt      int       `json:"attempt"`
	StartedAt    time.Time `json:"started_at"`
	Outcome      string    `json:"outcome,omitempty"` // succeeded, failed, abandoned; empty while in flight
	ResponseCode int       `json:"response_code,omitempty"`
	Error        string    `json:"error,omitempty"`
	DurationMs   int64     `json:"duration_ms,omitempty"`
}

// WebhookDelivery is one event for one endpoint. Its id is derived from both, so a
// redelivered event makes it once. The event itself is read from the store when sent.
type WebhookDelivery struct {
	ID            string                `json:"id"`
	EndpointID    string                `json:"endpoint_id"`
	EventID       string                `json:"event_id"`
	EventType     string                `json:"event_type"`
	Position      uint64                `json:"position"`
	AggregateType string                `json:"aggregate_type"`
	AggregateID   string                `json:"aggregate_id"`
	Status        WebhookDeliveryStatus `json:"status"`
	Tries         int                   `json:"tries"` // attempts in the current round (a redelivery starts a round)
	Attempts      []WebhookAttempt      `json:"attempts"`
	InFlight      int                   `json:"in_flight,omitempty"` // the attempt claimed and not yet recorded
	NextAttemptAt *time.Time            `json:"next_attempt_at,omitempty"`
	CreatedAt     time.Time             `json:"created_at"`
	UpdatedAt     time.Time             `json:"updated_at"`
	Version       int64                 `json:"version"`
}

// CurrentVersion is the delivery's event count.
func (d *WebhookDelivery) CurrentVersion() int64 { return d.Version }

// Clone returns a deep copy.
func (d *WebhookDelivery) Clone() *WebhookDelivery {
	cp := *d
	cp.Attempts = slices.Clone(d.Attempts)
	if d.NextAttemptAt != nil {
		t := *d.NextAttemptAt
		cp.NextAttemptAt = &t
	}
	return &cp
}

// ScheduleWebhookDelivery makes the delivery of one event to one endpoint.
type ScheduleWebhookDelivery struct {
	DeliveryID    string
	EndpointID    string
	EventID       string
	EventType     string
	Position      uint64
	AggregateType string
	AggregateID   string
}

// Schedule decides the delivery, due at once; a second schedule changes nothing.
func (d *WebhookDelivery) Schedule(cmd ScheduleWebhookDelivery, now time.Time) ([]Event, error) {
	if d.Version > 0 {
		return nil, nil
	}
	return []Event{WebhookDeliveryScheduled{DeliveryID: cmd.DeliveryID, EndpointID: cmd.EndpointID, EventID: cmd.EventID,
		EventName: cmd.EventType, Position: cmd.Position, AggregateType: cmd.AggregateType, AggregateID: cmd.AggregateID,
		NextAttemptAt: now}}, nil
}

// ErrNotDue is returned by StartAttempt when the delivery is not (or no longer) due:
// another instance claimed or finished it.
var ErrNotDue = errors.New("delivery is not due")

// StartAttempt claims the next attempt of a due delivery until leaseUntil: another
// instance that loaded the same version loses the append. An attempt whose lease ran out
// (its instance died mid-POST) is recorded as abandoned, then a new one starts.
func (d *WebhookDelivery) StartAttempt(now, leaseUntil time.Time) ([]Event, error) {
	if d.Version == 0 {
		return nil, ErrNotFound
	}
	if d.Status != WebhookDeliveryStatusPending || d.NextAttemptAt == nil || d.NextAttemptAt.After(now) {
		return nil, ErrNotDue
	}
	var out []Event
	if d.InFlight != 0 {
		out = append(out, WebhookDeliveryAttempted{DeliveryID: d.ID, Attempt: d.InFlight, Outcome: "abandoned",
			Error: "no outcome recorded before the lease ran out"})
	}
	return append(out, WebhookDeliveryAttemptStarted{DeliveryID: d.ID, Attempt: len(d.Attempts) + 1,
		StartedAt: now, LeaseUntil: leaseUntil}), nil
}

// WebhookResult is what an attempt's POST produced.
type WebhookResult struct {
	ResponseCode int
	Error        string // transport error or a short reason; never the body
	Duration     time.Duration
}

// Succeeded: any 2xx.
func (r WebhookResult) Succeeded() bool {
	return r.Error == "" && r.ResponseCode >= 200 && r.ResponseCode < 300
}

// Permanent: a 4xx other than 408 and 429 will not get better by trying again.
func (r WebhookResult) Permanent() bool {
	return r.Error == "" && r.ResponseCode >= 400 && r.ResponseCode < 500 && r.ResponseCode != 408 && r.ResponseCode != 429
}

// RecordAttempt decides the outcome of the claimed attempt: success, a permanent failure,
// the last try of the schedule failed, or the next try at now + schedule[tries]. An
// attempt that is not the one in flight (its lease ran out) records nothing.
func (d *WebhookDelivery) RecordAttempt(attempt int, res WebhookResult, now time.Time, schedule []time.Duration) ([]Event, error) {
	if d.Version == 0 {
		return nil, ErrNotFound
	}
	if d.InFlight != attempt || attempt == 0 {
		return nil, nil
	}
	e := WebhookDeliveryAttempted{DeliveryID: d.ID, Attempt: attempt, ResponseCode: res.ResponseCode, Error: res.Error,
		DurationMs: res.Duration.Milliseconds()}
	switch {
	case res.Succeeded():
		e.Outcome = "succeeded"
		return []Event{e, WebhookDeliverySucceeded{DeliveryID: d.ID, EndpointID: d.EndpointID, Attempt: attempt}}, nil
	case res.Permanent() || d.Tries+1 >= len(schedule):
		e.Outcome = "failed"
		return []Event{e, WebhookDeliveryFailed{DeliveryID: d.ID, EndpointID: d.EndpointID, Attempts: d.Tries + 1,
			Permanent: res.Permanent()}}, nil
	}
	e.Outcome = "failed"
	next := now.Add(schedule[d.Tries+1])
	e.NextAttemptAt = &next
	return []Event{e}, nil
}

// Redeliver schedules a fresh round of attempts, due at once.
func (d *WebhookDelivery) Redeliver(now time.Time) ([]Event, error) {
	if d.Version == 0 {
		return nil, ErrNotFound
	}
	if d.InFlight != 0 {
		return nil, &TransitionError{Entity: "webhook delivery", From: "IN_FLIGHT", Action: "redeliver"}
	}
	return []Event{WebhookDeliveryRedeliveryRequested{DeliveryID: d.ID, NextAttemptAt: now}}, nil
}

// Apply folds a delivery event in.
func (d *WebhookDelivery) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WebhookDeliveryScheduled:
		t := e.NextAttemptAt
		*d = WebhookDelivery{ID: e.DeliveryID, EndpointID: e.EndpointID, EventID: e.EventID, EventType: e.EventName,
			Position: e.Position, AggregateType: e.AggregateType, AggregateID: e.AggregateID, Status: WebhookDeliveryStatusPending,
			NextAttemptAt: &t, CreatedAt: env.Time}
	case WebhookDeliveryAttemptStarted:
		d.InFlight = e.Attempt
		d.Attempts = append(d.Attempts, WebhookAttempt{Attempt: e.Attempt, StartedAt: e.StartedAt})
		t := e.LeaseUntil // due again only if the attempt is never recorded
		d.NextAttemptAt = &t
	case WebhookDeliveryAttempted:
		for i := range d.Attempts {
			if d.Attempts[i].Attempt == e.Attempt {
				d.Attempts[i].Outcome, d.Attempts[i].ResponseCode, d.Attempts[i].Error = e.Outcome, e.ResponseCode, e.Error
				d.Attempts[i].DurationMs = e.DurationMs
			}
		}
		d.InFlight = 0
		d.Tries++
		if e.NextAttemptAt != nil {
			t := *e.NextAttemptAt
			d.NextAttemptAt = &t
		} else if e.Outcome == "abandoned" {
			d.NextAttemptAt = ptrTime(env.Time)
		}
	case WebhookDeliverySucceeded:
		d.Status, d.NextAttemptAt = WebhookDeliveryStatusSucceeded, nil
	case WebhookDeliveryFailed:
		d.Status, d.NextAttemptAt = WebhookDeliveryStatusFailed, nil
	case WebhookDeliveryRedeliveryRequested:
		t := e.NextAttemptAt
		d.Status, d.Tries, d.NextAttemptAt = WebhookDeliveryStatusPending, 0, &t
	}
	d.Version = env.Version
	d.UpdatedAt = env.Time
}

func ptrTime(t time.Time) *time.Time { return &t }

// WebhookDeliveryScheduled: an event matched an endpoint; the delivery is due at next_attempt_at.
type WebhookDeliveryScheduled struct {
	DeliveryID    string    `json:"delivery_id"`
	EndpointID    string    `json:"endpoint_id"`
	EventID       string    `json:"event_id"`
	EventName     string    `json:"event_type"`
	Position      uint64    `json:"position"`
	AggregateType string    `json:"aggregate_type"`
	AggregateID   string    `json:"aggregate_id"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
}

// WebhookDeliveryAttemptStarted: an instance claimed an attempt until lease_until.
type WebhookDeliveryAttemptStarted struct {
	DeliveryID string    `json:"delivery_id"`
	Attempt    int       `json:"attempt"`
	StartedAt  time.Time `json:"started_at"`
	LeaseUntil time.Time `json:"lease_until"`
}

// WebhookDeliveryAttempted: an attempt's outcome (succeeded, failed, abandoned) and, when
// another try follows, when.
type WebhookDeliveryAttempted struct {
	DeliveryID    string     `json:"delivery_id"`
	Attempt       int        `json:"attempt"`
	Outcome       string     `json:"outcome"`
	ResponseCode  int        `json:"response_code,omitempty"`
	Error         string     `json:"error,omitempty"`
	DurationMs    int64      `json:"duration_ms,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
}

// WebhookDeliverySucceeded: the endpoint answered 2xx.
type WebhookDeliverySucceeded struct {
	DeliveryID string `json:"delivery_id"`
	EndpointID string `json:"endpoint_id"`
	Attempt    int    `json:"attempt"`
}

// WebhookDeliveryFailed: no more tries; permanent when the endpoint refused it (4xx).
type WebhookDeliveryFailed struct {
	DeliveryID string `json:"delivery_id"`
	EndpointID string `json:"endpoint_id"`
	Attempts   int    `json:"attempts"`
	Permanent  bool   `json:"permanent"`
}

// WebhookDeliveryRedeliveryRequested: a fresh round of tries, due at next_attempt_at.
type WebhookDeliveryRedeliveryRequested struct {
	DeliveryID    string    `json:"delivery_id"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
}

func (WebhookDeliveryScheduled) EventType() string      { return "WebhookDeliveryScheduled" }
func (WebhookDeliveryAttemptStarted) EventType() string { return "WebhookDeliveryAttemptStarted" }
func (WebhookDeliveryAttempted) EventType() string      { return "WebhookDeliveryAttempted" }
func (WebhookDeliverySucceeded) EventType() string      { return "WebhookDeliverySucceeded" }
func (WebhookDeliveryFailed) EventType() string         { return "WebhookDeliveryFailed" }
func (WebhookDeliveryRedeliveryRequested) EventType() string {
	return "WebhookDeliveryRedeliveryRequested"
}

func webhookDeliveryEvents(r *Registry) {
	Register[WebhookDeliveryScheduled](r, "webhook_delivery", 1, nil)
	Register[WebhookDeliveryAttemptStarted](r, "webhook_delivery", 1, nil)
	Register[WebhookDeliveryAttempted](r, "webhook_delivery", 1, nil)
	Register[WebhookDeliverySucceeded](r, "webhook_delivery", 1, nil)
	Register[WebhookDeliveryFailed](r, "webhook_delivery", 1, nil)
	Register[WebhookDeliveryRedeliveryRequested](r, "webhook_delivery", 1, nil)
}
