package commands

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// TestWaitFlowsFollowsWhatAWriteTriggered runs real flows on a real reactor: a write's
// wait covers two hops of flows (the position of the last event they appended, which is
// in the stream when the wait returns), and names a flow that fails instead of waiting
// out the deadline.
func TestWaitFlowsFollowsWhatAWriteTriggered(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{})
	r, err := s.NewReactor(ctx, quiet(), eventstore.ReactorConfig{Retries: 1, RetryInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	meta := func(flow string, env domain.Envelope) Option { return WithMetadata(FlowMetadata(flow, env)) }
	flows := []Flow{
		{Name: "first", Subjects: []string{"customer.*.CustomerCreated"}, Handle: func(ctx context.Context, env domain.Envelope, _ domain.Metadata) error {
			_, err := h.Warehouse().CreateWarehouse(ctx, domain.CreateWarehouse{WarehouseID: "w-" + env.AggregateID, Name: "one"}, meta("first", env))
			return err
		}},
		{Name: "second", Subjects: []string{"warehouse.*.WarehouseCreated"}, Handle: func(ctx context.Context, env domain.Envelope, _ domain.Metadata) error {
			if strings.HasPrefix(env.AggregateID, "x-") {
				return nil
			}
			_, err := h.Warehouse().CreateWarehouse(ctx, domain.CreateWarehouse{WarehouseID: "x-" + env.AggregateID, Name: "two"}, meta("second", env))
			return err
		}},
		{Name: "broken", Subjects: []string{"customer.*.CustomerUpdated"}, Handle: func(context.Context, domain.Envelope, domain.Metadata) error {
			return errors.New("always fails")
		}},
	}
	if err := h.React(r, flows); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done; _ = r.Close() })
	<-r.Running()

	wctx, eff := WithEffects(ctx)
	create(t, h, "c1", "c1@example.com") // outside the collector: not waited for
	if _, err := h.Customers().Create(wctx, domain.CreateCustomer{CustomerID: "c2", Email: "c2@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got := eff.List(); len(got) != 1 || got[0].Subject != "customer.c2.CustomerCreated" {
		t.Fatalf("collected %v", got)
	}
	deadline, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	got := h.WaitFlows(deadline, eff.List())
	if len(got.Pending) != 0 {
		t.Fatalf("pending %v", got.Pending)
	}
	last, err := s.LastSeq(ctx, s.AggregateSubjects("warehouse", "x-w-c2"))
	if err != nil || last == 0 || got.Position != last {
		t.Fatalf("waited to %d; the second hop's warehouse is at %d (%v)", got.Position, last, err)
	}

	wctx, eff = WithEffects(ctx)
	if _, err := h.Customers().Update(wctx, domain.UpdateCustomer{CustomerID: "c2", FirstName: ptr("Bo")}); err != nil {
		t.Fatal(err)
	}
	if got := h.WaitFlows(deadline, eff.List()); !slices.Equal(got.Pending, []string{"broken"}) || deadline.Err() != nil {
		t.Fatalf("a failing flow: %+v (deadline %v)", got, deadline.Err())
	}
}

func TestFlowTrackerMatchesSubjects(t *testing.T) {
	tr := newFlowTracker([]Flow{
		{Name: "a", Subjects: []string{"order.*.OrderConfirmed", "order.*.OrderShipped"}},
		{Name: "b", Subjects: []string{"order.*.OrderConfirmed"}},
		{Name: "c", Subjects: []string{"order.>"}},
		{Name: "d", Subjects: []string{"inventory.MUG-main.*"}},
	})
	for _, tc := range []struct {
		subject string
		want    []string
	}{
		{"order.o1.OrderConfirmed", []string{"a", "b", "c"}},
		{"order.o1.OrderShipped", []string{"a", "c"}},
		{"order.o1.OrderCreated", []string{"c"}},
		{"inventory.MUG-main.InventoryReserved", []string{"d"}},
		{"inventory.TEE-main.InventoryReserved", nil},
		{"customer.c1.CustomerUpdated", nil},
	} {
		got := tr.triggered(tc.subject)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.subject, got, tc.want)
		}
	}
	if got := tr.triggered("order.o1.OrderConfirmed"); len(tr.byKey["order.OrderConfirmed"]) != 2 || len(got) != 3 {
		t.Fatalf("matching changed the index: %v", tr.byKey)
	}
}
