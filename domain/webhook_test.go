package domain

import (
	"maps"
	"net/netip"
	"testing"
	"time"
)

func init() { maps.Copy(goldens, webhookGoldens) }

// webhookGoldens is one realistic value per webhook event type (see goldens).
var webhookGoldens = map[string]Event{
	"WebhookEndpointCreated.v1": WebhookEndpointCreated{EndpointID: "we_1", URL: "https://hooks.example.com/stateset",
		Events: []string{"order.*", "customer.updated"}, Description: "ERP", Secret: "whsec_0123456789abcdef"},
	"WebhookEndpointUpdated.v1": WebhookEndpointUpdated{EndpointID: "we_1", URL: &Change{From: "https://a.example.com", To: "https://b.example.com"},
		Events: &IDsChange{From: []string{"order.*"}, To: []string{"*"}}},
	"WebhookEndpointSecretRotated.v1":   WebhookEndpointSecretRotated{EndpointID: "we_1", Secret: "whsec_fedcba9876543210"},
	"WebhookEndpointDisabled.v1":        WebhookEndpointDisabled{EndpointID: "we_1", Reason: "5 deliveries failed in a row"},
	"WebhookEndpointEnabled.v1":         WebhookEndpointEnabled{EndpointID: "we_1"},
	"WebhookEndpointDeleted.v1":         WebhookEndpointDeleted{EndpointID: "we_1"},
	"WebhookEndpointFailureCounted.v1":  WebhookEndpointFailureCounted{EndpointID: "we_1", DeliveryID: "whd_1", ConsecutiveFailures: 2},
	"WebhookEndpointFailuresCleared.v1": WebhookEndpointFailuresCleared{EndpointID: "we_1", DeliveryID: "whd_2"},
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

func TestWebhookPatterns(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "order.created", true},
		{"order.*", "order.created", true},
		{"order.*", "order_line.created", false},
		{"customer.updated", "customer.updated", true},
		{"customer.updated", "customer.created", false},
	} {
		if got := WebhookPatternMatches(c.pattern, c.name); got != c.want {
			t.Errorf("%q matches %q: got %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestWebhookURLs(t *testing.T) {
	for _, c := range []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.example.com/x", false, true},
		{"ftp://hooks.example.com/x", false, false},
		{"http://127.0.0.1:8080/x", false, false},
		{"http://127.0.0.1:8080/x", true, true},
		{"http://10.1.2.3/x", false, false},
		{"http://169.254.169.254/latest", false, false},
		{"http://[::1]/x", false, false},
		{"http://localhost/x", false, false},
		{"https://user:pw@hooks.example.com/x", false, false},
		{"/relative", false, false},
	} {
		var v Validation
		CheckWebhookURL(&v, "url", c.url, c.allowPrivate)
		if got := v.Err() == nil; got != c.ok {
			t.Errorf("%s (allow private %v): ok %v, want %v", c.url, c.allowPrivate, got, c.ok)
		}
	}
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

func TestPublicAddr(t *testing.T) {
	for addr, public := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1:248:1893:25c8:1946": true,
		"127.0.0.1": false, "::1": false, "::ffff:127.0.0.1": false, "10.1.2.3": false, "192.168.0.1": false,
		"172.16.0.1": false, "169.254.169.254": false, "fe80::1": false, "fc00::1": false, "0.0.0.0": false,
		"100.64.0.1": false, "198.18.0.1": false, "192.0.0.8": false, "240.0.0.1": false,
		"64:ff9b::7f00:1": false, "2002:7f00:1::": false, "2001:0:4136:e378::1": false,
	} {
		if got := PublicAddr(netip.MustParseAddr(addr)); got != public {
			t.Errorf("PublicAddr(%s) = %v, want %v", addr, got, public)
		}
	}
}
