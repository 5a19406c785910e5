package projections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// BenchmarkCatchUp measures projection throughput: a fresh read model applying a backlog
// of customer events (creates and updates) from the stream. One op is one event.
func BenchmarkCatchUp(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	const n = 50_000
	// fill through the store directly: the benchmark is about the projection, not commands
	var last uint64
	for i := range n {
		id := fmt.Sprint("c", i%5000)
		var ev domain.Event = domain.CustomerCreated{CustomerID: id, Email: id + "@example.com", Type: "INDIVIDUAL", Status: "ACTIVE"}
		if i >= 5000 {
			ev = domain.CustomerUpdated{CustomerID: id, Phone: &domain.Change{From: "", To: fmt.Sprint(i)}}
		}
		env := domain.Envelope{ID: fmt.Sprint("e", i), AggregateType: "customer", AggregateID: id, Version: int64(i/5000 + 1), Time: time.Now(), Event: ev}
		body, err := e.reg.Marshal(env)
		if err != nil {
			b.Fatal(err)
		}
		expected := uint64(0)
		if i >= 5000 {
			expected = last - 4999 // the same customer's previous event
		}
		last, err = e.store.Append(ctx, "customer", id, expected, []eventstore.Message{{ID: env.ID, EventType: ev.EventType(), Data: body}})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		pos, err := Rebuild(ctx, dir, Customers(), e.store, e.reg, quiet())
		if err != nil || pos != last {
			b.Fatalf("rebuild to %d: %v", pos, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}
