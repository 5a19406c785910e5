package commands

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"stateset/domain"
	"stateset/eventstore"
	"stateset/projections"
)

// webhookRig is a handler whose webhook fan-out runs on an index, with the customers and
// webhooks read models fed by a hub as in the server.
type webhookRig struct {
	h      *Handler
	s      *eventstore.Store
	reader *projections.Reader
	ix     *WebhookIndex
	fanOut eventstore.ReactFunc
}

// newWebhookRig starts the read models; the index waits for runIndex. Without the read
// model's watermark the index asks the store.
func newWebhookRig(t testing.TB, watermark bool) *webhookRig {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	reg := domain.NewRegistry()
	h, err := New(ctx, s, reg, quiet(), Config{Webhooks: WebhookConfig{AllowPrivate: true}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var runs []*projections.Runner
	for _, p := range []projections.Projector{projections.Customers(), projections.Webhooks()} {
		run, err := projections.Open(ctx, dir, p, s, reg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { run.Close() })
		runs = append(runs, run)
	}
	reader, err := projections.NewReader(runs...)
	if err != nil {
		t.Fatal(err)
	}
	hub, err := projections.NewHub(s, reg, quiet(), runs...)
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { hub.Run(rctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	rg := &webhookRig{h: h, s: s, reader: reader}
	if watermark {
		rg.ix = h.Webhooks().NewIndex(reader.WebhooksReflected)
	} else {
		rg.ix = h.Webhooks().NewIndex(nil)
	}
	rg.fanOut = h.webhookFanOut(rg.ix)
	return rg
}

func (rg *webhookRig) runIndex(t testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rg.ix.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (rg *webhookRig) endpoint(t testing.TB, id string, events ...string) {
	t.Helper()
	_, err := rg.h.Webhooks().CreateEndpoint(context.Background(), domain.CreateWebhookEndpoint{EndpointID: id,
		URL: "http://127.0.0.1:9/" + id, Events: events})
	if err != nil {
		t.Fatal(err)
	}
}

// messages are the stored events of an aggregate type, as the reactor hands them over.
func (rg *webhookRig) messages(t testing.TB, aggType string) []eventstore.Msg {
	t.Helper()
	var out []eventstore.Msg
	for m, err := range rg.s.Load(context.Background(), rg.s.TypeSubjects(aggType), 0) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// delivered reports whether the fan-out scheduled the event at m for the endpoint.
func (rg *webhookRig) delivered(t testing.TB, endpointID string, m eventstore.Msg) bool {
	t.Helper()
	env, err := rg.h.reg.Unmarshal(m.Data, m.Seq)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := rg.h.exists(context.Background(), "webhook_delivery", WebhookDeliveryID(endpointID, env.ID))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// garbled is m with a body that does not decode: a fan-out that reads it fails.
func garbled(m eventstore.Msg) eventstore.Msg {
	m.Data = []byte(`{"not": an event`)
	return m
}

// TestWebhookFanOutLeavesUnwantedEventsUnread: with an endpoint on order.* only, customer
// events are passed over from their headers: bodies that do not decode pass, and the
// fan-out allocates nothing, so it neither decodes, queries nor asks the store. A
// customer.updated endpoint created later wants the updates after it (a garbled one fails:
// it is decoded), not those before it.
func TestWebhookFanOutLeavesUnwantedEventsUnread(t *testing.T) {
	ctx := context.Background()
	rg := newWebhookRig(t, true)
	rg.runIndex(t)
	rg.endpoint(t, "orders", "order.*")
	create(t, rg.h, "c1", "c1@example.com")
	for i := range 5 {
		if _, err := rg.h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	var before []eventstore.Msg
	for _, m := range rg.messages(t, "customer") {
		before = append(before, garbled(m))
	}
	for _, m := range before {
		if err := rg.fanOut(ctx, m); err != nil {
			t.Fatalf("unwanted event at %d was read: %v", m.Seq, err)
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		if err := rg.fanOut(ctx, before[i%len(before)]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("an unwanted event costs %v allocations, want none (no decode, no query, no call to the store)", allocs)
	}

	rg.endpoint(t, "updates", "customer.updated")
	if _, err := rg.h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr("555 0100")}); err != nil {
		t.Fatal(err)
	}
	all := rg.messages(t, "customer")
	wanted := all[len(all)-1]
	if err := rg.fanOut(ctx, garbled(wanted)); err == nil {
		t.Fatal("a wanted event with a garbled body was not decoded")
	}
	for _, m := range before {
		if err := rg.fanOut(ctx, m); err != nil {
			t.Fatalf("event at %d, before the endpoint wanting it, was read: %v", m.Seq, err)
		}
	}
	if err := rg.fanOut(ctx, wanted); err != nil {
		t.Fatal(err)
	}
	if !rg.delivered(t, "updates", wanted) || rg.delivered(t, "orders", wanted) {
		t.Errorf("deliveries of the update: updates %v (want true), orders %v (want false)",
			rg.delivered(t, "updates", wanted), rg.delivered(t, "orders", wanted))
	}
}

// TestWebhookEndpointJustBeforeAnEvent: an endpoint created just before an event gets it,
// one deleted just before does not, one created just after does not. The fan-out decides
// only once the index holds every endpoint event before the event: while the index is
// not running it waits (and gives up with ctx) instead of deciding on what it has.
func TestWebhookEndpointJustBeforeAnEvent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		watermark bool
	}{
		{"with the read model's watermark", true},
		{"asking the store", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			rg := newWebhookRig(t, tc.watermark)
			rg.endpoint(t, "gone", "customer.*")
			if _, err := rg.h.Webhooks().DeleteEndpoint(ctx, "gone"); err != nil {
				t.Fatal(err)
			}
			rg.endpoint(t, "new", "customer.*")
			create(t, rg.h, "c1", "c1@example.com")
			rg.endpoint(t, "late", "customer.*")
			m := rg.messages(t, "customer")[0]

			wctx, cancel := context.WithTimeout(ctx, 5*webhookProbeEvery/2) // long enough to ask the store twice
			err := rg.fanOut(wctx, m)
			cancel()
			if !errors.Is(err, errWebhookIndexBehind) {
				t.Fatalf("fan-out before the index ran: %v, want errWebhookIndexBehind", err)
			}
			rg.runIndex(t)
			if err := rg.fanOut(ctx, m); err != nil {
				t.Fatal(err)
			}
			for id, want := range map[string]bool{"new": true, "gone": false, "late": false} {
				if got := rg.delivered(t, id, m); got != want {
					t.Errorf("endpoint %s got the event: %v, want %v", id, got, want)
				}
			}
		})
	}
}

// TestWebhookIndexFollowsEndpointChanges: a change of events, a disable, an enable and a
// delete each change what the index wants from the next event on.
func TestWebhookIndexFollowsEndpointChanges(t *testing.T) {
	ctx := context.Background()
	rg := newWebhookRig(t, true)
	rg.runIndex(t)
	rg.endpoint(t, "e1", "order.*")
	wants := func(what string, want bool) {
		t.Helper()
		pos, err := rg.s.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := rg.ix.waitFor(wctx, pos); err != nil {
			t.Fatal(err)
		}
		if got := rg.ix.wants("CustomerUpdated", pos+1); got != want {
			t.Errorf("%s: CustomerUpdated wanted %v, want %v", what, got, want)
		}
	}
	wants("order.* only", false)
	if _, err := rg.h.Webhooks().UpdateEndpoint(ctx, "e1", domain.UpdateWebhookEndpoint{Events: &[]string{"customer.*"}}); err != nil {
		t.Fatal(err)
	}
	wants("events changed to customer.*", true)
	if _, err := rg.h.Webhooks().ActOnEndpoint(ctx, "e1", "disable", "test"); err != nil {
		t.Fatal(err)
	}
	wants("disabled", false)
	if _, err := rg.h.Webhooks().ActOnEndpoint(ctx, "e1", "enable", ""); err != nil {
		t.Fatal(err)
	}
	wants("enabled", true)
	if _, err := rg.h.Webhooks().RotateSecret(ctx, "e1"); err != nil {
		t.Fatal(err)
	}
	wants("secret rotated", true)
	rg.ix.mu.RLock()
	secret := rg.ix.endpoints["e1"].ep.Secret
	rg.ix.mu.RUnlock()
	if secret != "" {
		t.Error("the index keeps the endpoint's secret")
	}
	if _, err := rg.h.Webhooks().DeleteEndpoint(ctx, "e1"); err != nil {
		t.Fatal(err)
	}
	wants("deleted", false)
}
