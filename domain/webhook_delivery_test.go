package domain

import (
	"maps"
	"testing"
	"time"
)

func init() { maps.Copy(goldens, webhookDeliveryGoldens) }

// webhookDeliveryGoldens is one realistic value per webhook delivery event type (see goldens).
var webhookDeliveryGoldens = map[string]Event{
	"WebhookDeliveryScheduled.v1": WebhookDeliveryScheduled{DeliveryID: "whd_1", EndpointID: "we_1", EventID: "evt_1",
		EventName: "OrderConfirmed", Position: 42, AggregateType: "order", AggregateID: "ord_1",
		NextAttemptAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)},
	"WebhookDeliveryAttemptStarted.v1": WebhookDeliveryAttemptStarted{DeliveryID: "whd_1", Attempt: 1,
		StartedAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), LeaseUntil: time.Date(2025, 3, 1, 10, 1, 0, 0, time.UTC)},
	"WebhookDeliveryAttempted.v1": WebhookDeliveryAttempted{DeliveryID: "whd_1", Attempt: 1, Outcome: "failed", ResponseCode: 503,
		DurationMs: 120, NextAttemptAt: ptr(time.Date(2025, 3, 1, 10, 1, 0, 0, time.UTC))},
	"WebhookDeliverySucceeded.v1":           WebhookDeliverySucceeded{DeliveryID: "whd_1", EndpointID: "we_1", Attempt: 2},
	"WebhookDeliveryFailed.v1":              WebhookDeliveryFailed{DeliveryID: "whd_1", EndpointID: "we_1", Attempts: 1, Permanent: true},
	"WebhookDeliveryRedeliveryRequested.v1": WebhookDeliveryRedeliveryRequested{DeliveryID: "whd_1", NextAttemptAt: time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)},
}

// A delivery tried on a schedule of three: two failures reschedule, the third fails it
// for good; a 400 fails it at once; a redelivery starts a new round.
func TestWebhookDeliverySchedule(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	schedule := []time.Duration{0, time.Minute, time.Hour}
	var d WebhookDelivery
	apply := func(evs []Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			d.Apply(Envelope{Event: e, Version: d.Version + 1, Time: t0})
		}
	}
	apply(d.Schedule(ScheduleWebhookDelivery{DeliveryID: "d", EndpointID: "e", EventID: "x"}, t0))
	for i, code := range []int{500, 503, 502} {
		apply(d.StartAttempt(*d.NextAttemptAt, d.NextAttemptAt.Add(time.Minute)))
		if _, err := d.StartAttempt(t0, t0); err != ErrNotDue {
			t.Fatalf("a second claim of attempt %d: %v", i+1, err)
		}
		apply(d.RecordAttempt(i+1, WebhookResult{ResponseCode: code}, t0, schedule))
	}
	if d.Status != WebhookDeliveryStatusFailed || len(d.Attempts) != 3 {
		t.Fatalf("after three failures: %+v", d)
	}
	apply(d.Redeliver(t0))
	apply(d.StartAttempt(t0, t0.Add(time.Minute)))
	apply(d.RecordAttempt(4, WebhookResult{ResponseCode: 400}, t0, schedule))
	if d.Status != WebhookDeliveryStatusFailed || d.Tries != 1 {
		t.Fatalf("400 is permanent: %+v", d)
	}
	apply(d.Redeliver(t0))
	apply(d.StartAttempt(t0, t0.Add(time.Minute)))
	apply(d.RecordAttempt(5, WebhookResult{ResponseCode: 204}, t0, schedule))
	if d.Status != WebhookDeliveryStatusSucceeded {
		t.Fatalf("204: %+v", d)
	}
}
