package commands

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// WebhookConfig tunes webhook delivery; zero values take the defaults.
type WebhookConfig struct {
	// AllowPrivate lets endpoints point at private, loopback and link-local addresses
	// (an operator's choice, for tests and internal receivers).
	AllowPrivate bool
	// Schedule is the wait before each try: the first is due at once (Schedule[0] is
	// ignored), a failed try i waits Schedule[i+1]. Default 8 tries over about a day.
	Schedule []time.Duration
	// DisableAfter is how many deliveries may fail in a row before the endpoint is
	// disabled; default 5, negative never.
	DisableAfter int
	Timeout      time.Duration // one POST; default 10 s
	Poll         time.Duration // how often the dispatcher looks for due deliveries; default 1 s
	Parallel     int           // endpoints delivered to at once per instance; default 16
}

// DefaultWebhookSchedule is 8 tries over about a day.
var DefaultWebhookSchedule = []time.Duration{0, time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

func (c WebhookConfig) withDefaults() WebhookConfig {
	if len(c.Schedule) == 0 {
		c.Schedule = DefaultWebhookSchedule
	}
	if c.DisableAfter == 0 {
		c.DisableAfter = 5
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Poll == 0 {
		// a fast schedule (tests) is polled at half its shortest wait
		c.Poll = time.Second
		for _, d := range c.Schedule[1:] {
			c.Poll = min(c.Poll, max(d/2, 20*time.Millisecond))
		}
	}
	if c.Parallel == 0 {
		c.Parallel = 16
	}
	return c
}

// ParseWebhookSchedule reads a comma-separated list of durations ("0,1m,5m").
func ParseWebhookSchedule(s string) ([]time.Duration, error) {
	var out []time.Duration
	for part := range strings.SplitSeq(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("webhook retry schedule %q: each entry must be a duration >= 0", s)
		}
		out = append(out, d)
	}
	if len(out) == 0 || len(out) > 50 {
		return nil, fmt.Errorf("webhook retry schedule %q: 1 to 50 tries", s)
	}
	return out, nil
}

// Redeliver schedules a fresh round of tries of one of the endpoint's deliveries.
func (m Webhooks) Redeliver(ctx context.Context, endpointID, deliveryID string, opts ...Option) (Result[domain.WebhookDelivery], error) {
	if _, err := m.Endpoint(ctx, endpointID); err != nil {
		return Result[domain.WebhookDelivery]{}, err
	}
	return onExisting(ctx, m.h, "webhook_delivery", deliveryID, opts, func(d *domain.WebhookDelivery) ([]domain.Event, error) {
		if d.EndpointID != endpointID {
			return nil, domain.ErrNotFound
		}
		return d.Redeliver(m.h.now())
	})
}

// WebhookDeliveryID is the delivery of an event to an endpoint: one per pair, whatever
// redelivers the event.
func WebhookDeliveryID(endpointID, eventID string) string {
	sum := sha256.Sum256([]byte(endpointID + "\x00" + eventID))
	return "whd_" + hex.EncodeToString(sum[:16])
}

// React adds the fan-out to a reactor, as the flow "webhooks" (its durable
// consumer reads every event, one at a time in stream order, so that each endpoint's
// deliveries are scheduled in the order of their events). Every stored event but the
// webhooks' own becomes a delivery for each enabled endpoint created before it whose
// patterns match its dotted name. The decision is taken from the message's headers
// against ix, once ix holds every endpoint event before it: an event no endpoint wants is
// not decoded, and nothing is read for it. The delivery id comes from the endpoint and the
// event, so a redelivered event schedules nothing new. Run ix beside the reactor.
func (m Webhooks) React(r *eventstore.Reactor, ix *WebhookIndex) error {
	// Serial: deliveries to one endpoint keep stream order across aggregates
	return r.Handle("webhooks", []string{">"}, m.h.webhookFanOut(ix), eventstore.Serial())
}

func (h *Handler) webhookFanOut(ix *WebhookIndex) eventstore.ReactFunc {
	return func(ctx context.Context, m eventstore.Msg) error {
		agg, typ := m.Header.Get(eventstore.HeaderAggregateType), m.Header.Get(eventstore.HeaderEventType)
		if agg == "webhook_endpoint" || agg == "webhook_delivery" {
			return nil
		}
		if err := ix.waitFor(ctx, m.Seq); err != nil {
			return fmt.Errorf("flow webhooks: %w", err)
		}
		if agg != "" && !ix.wants(typ, m.Seq) {
			return nil
		}
		env, err := h.reg.Unmarshal(m.Data, m.Seq)
		if err != nil {
			return fmt.Errorf("flow webhooks: %w", err)
		}
		if env.AggregateType == "webhook_endpoint" || env.AggregateType == "webhook_delivery" {
			return nil
		}
		meta := FlowMetadata("webhooks", env)
		for _, epID := range ix.endpointsAt(env.Position, h.reg.DottedName(env.Type)) {
			id := WebhookDeliveryID(epID, env.ID)
			_, err := execute(ctx, h, "webhook_delivery", id, []Option{WithMetadata(meta)}, func(d *domain.WebhookDelivery) ([]domain.Event, error) {
				return d.Schedule(domain.ScheduleWebhookDelivery{DeliveryID: id, EndpointID: epID, EventID: env.ID,
					EventType: env.Type, Position: env.Position, AggregateType: env.AggregateType, AggregateID: env.AggregateID}, h.now())
			}, nil)
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// DueWebhooks lists deliveries due at now: per enabled endpoint only its oldest pending
// delivery, so that a later event waits while an earlier one is retried.
type DueWebhooks func(ctx context.Context, now time.Time, limit int) ([]*domain.WebhookDelivery, error)

// Run is the dispatcher: until ctx ends it polls for due deliveries and sends
// each (one at a time per endpoint, up to Parallel endpoints at once). Instances may run
// it together: an attempt is claimed by appending WebhookDeliveryAttemptStarted at the
// version the read model showed, and the loser skips it. A crash between the POST and
// recording its outcome sends that attempt again once its lease lapses (at least once).
func (m Webhooks) Run(ctx context.Context, due DueWebhooks) {
	cfg := m.h.webhooks
	client := webhookClient(cfg)
	log := m.h.log.With("component", "webhooks")
	var mu sync.Mutex
	busy := map[string]bool{} // endpoints with an attempt in progress here
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(cfg.Poll)
	defer t.Stop()
	for {
		list, err := due(ctx, m.h.now(), 200)
		if err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "due webhook deliveries", "err", err)
		}
		for _, d := range list {
			mu.Lock()
			if busy[d.EndpointID] || len(busy) >= cfg.Parallel {
				mu.Unlock()
				continue
			}
			busy[d.EndpointID] = true
			mu.Unlock()
			wg.Go(func() {
				defer func() {
					mu.Lock()
					delete(busy, d.EndpointID)
					mu.Unlock()
				}()
				if err := m.h.deliverWebhook(ctx, client, d); err != nil && ctx.Err() == nil {
					log.WarnContext(ctx, "webhook delivery", "delivery_id", d.ID, "endpoint_id", d.EndpointID, "err", err)
				}
			})
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deliverWebhook makes one attempt of a due delivery seen at version d.Version.
func (h *Handler) deliverWebhook(ctx context.Context, client *http.Client, d *domain.WebhookDelivery) error {
	cfg := h.webhooks
	ep, err := h.Webhooks().Endpoint(ctx, d.EndpointID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if ep.Status != domain.WebhookEndpointStatusEnabled {
		return nil
	}
	meta := WithMetadata(domain.Metadata{Actor: "system", ActorName: "webhooks"})
	now := h.now()
	claim, err := execute(ctx, h, "webhook_delivery", d.ID, []Option{WithIfVersion(d.Version), meta},
		func(d *domain.WebhookDelivery) ([]domain.Event, error) {
			return d.StartAttempt(now, now.Add(cfg.Timeout+30*time.Second))
		}, nil)
	if errors.Is(err, domain.ErrVersionMismatch) || errors.Is(err, domain.ErrNotDue) {
		return nil // another instance has it, or the read model was behind
	}
	if err != nil {
		return err
	}
	attempt := claim.Aggregate.InFlight
	res := h.postWebhook(ctx, client, ep, claim.Aggregate)
	if ctx.Err() != nil {
		return nil // shutting down: the lease lapses and the attempt is made again
	}
	rec, err := execute(ctx, h, "webhook_delivery", d.ID, []Option{meta}, func(d *domain.WebhookDelivery) ([]domain.Event, error) {
		return d.RecordAttempt(attempt, res, h.now(), cfg.Schedule)
	}, nil)
	if err != nil {
		return err
	}
	var succeeded, finished bool
	for _, e := range rec.Events {
		switch e.Event.(type) {
		case domain.WebhookDeliverySucceeded:
			succeeded, finished = true, true
		case domain.WebhookDeliveryFailed:
			finished = true
		}
	}
	if !finished {
		return nil
	}
	_, err = onExisting(ctx, h, "webhook_endpoint", ep.ID, []Option{meta}, func(w *domain.WebhookEndpoint) ([]domain.Event, error) {
		return w.RecordDelivery(d.ID, succeeded, cfg.DisableAfter)
	})
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}

// webhookBody is what an endpoint receives.
type webhookBody struct {
	ID            string    `json:"id"`
	Type          string    `json:"type"`
	EventType     string    `json:"event_type"`
	Position      uint64    `json:"position"`
	Created       time.Time `json:"created"`
	AggregateType string    `json:"aggregate_type"`
	AggregateID   string    `json:"aggregate_id"`
	DeliveryID    string    `json:"delivery_id"`
	Data          any       `json:"data"`
}

// WebhookSignature is the Stateset-Signature header of body sent at t.
func WebhookSignature(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// postWebhook sends the delivery's event, read from the store and decoded by the
// registry (the one place personal fields are decoded), signed with the endpoint's secret.
func (h *Handler) postWebhook(ctx context.Context, client *http.Client, ep *domain.WebhookEndpoint, d *domain.WebhookDelivery) domain.WebhookResult {
	start := time.Now()
	fail := func(msg string) domain.WebhookResult {
		return domain.WebhookResult{Error: msg, Duration: time.Since(start)}
	}
	var env domain.Envelope
	found := false
	for m, err := range h.store.LoadN(ctx, h.store.AggregateSubjects(d.AggregateType, d.AggregateID), d.Position-1, 1) {
		if err != nil {
			return fail("read event: " + err.Error())
		}
		if m.Seq != d.Position {
			break
		}
		if env, err = h.reg.Unmarshal(m.Data, m.Seq); err != nil {
			return fail("decode event: " + err.Error())
		}
		found = true
	}
	if !found {
		return fail("event no longer in the store")
	}
	body, err := domain.MarshalJSON(webhookBody{ID: env.ID, Type: h.reg.DottedName(env.Type), EventType: env.Type,
		Position: env.Position, Created: env.Time.UTC(), AggregateType: env.AggregateType, AggregateID: env.AggregateID,
		DeliveryID: d.ID, Data: domain.Redact(env.Event)})
	if err != nil {
		return fail("encode body: " + err.Error())
	}
	rctx, cancel := context.WithTimeout(ctx, h.webhooks.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return fail("bad url")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "StateSet-Webhooks/1")
	req.Header.Set("Stateset-Signature", WebhookSignature(ep.Secret, time.Now(), body))
	req.Header.Set("Stateset-Event-Id", env.ID)
	req.Header.Set("Stateset-Delivery-Id", d.ID)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) { // its text repeats the URL, which may carry a token
			err = ue.Err
		}
		return fail(truncate(err.Error(), 300))
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return domain.WebhookResult{ResponseCode: resp.StatusCode, Duration: time.Since(start)}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// errPrivateTarget is what the dialer answers for an address endpoints may not reach.
var errPrivateTarget = errors.New("refusing to connect to a private, loopback or link-local address")

// webhookClient dials only addresses domain.CheckWebhookDial allows (the same
// domain.WebhookTarget that checked the URL at create): the address checked is the one
// being dialled, after DNS, so a name that later resolves to an internal host is refused
// too. Redirects are not followed (a 3xx is a failed try).
func webhookClient(cfg WebhookConfig) *http.Client {
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: func(_, address string, _ syscall.RawConn) error {
		if err := domain.CheckWebhookDial(address, cfg.AllowPrivate); err != nil {
			return errPrivateTarget
		}
		return nil
	}}
	tr := &http.Transport{Proxy: nil, DialContext: dialer.DialContext, MaxIdleConnsPerHost: 2,
		IdleConnTimeout: time.Minute, TLSHandshakeTimeout: cfg.Timeout, ResponseHeaderTimeout: cfg.Timeout}
	return &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
