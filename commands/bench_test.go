package commands

import (
	"context"
	"fmt"
	"testing"

	"stateset/domain"
	"stateset/eventstore"
)

// longCustomer writes a customer with n events, interleaved with another customer's
// events so its history is spread through the stream.
func longCustomer(b *testing.B, h *Handler, n int) {
	ctx := context.Background()
	create(b, h, "long", "long@example.com")
	create(b, h, "noise", "noise@example.com")
	for i := 1; i < n; i++ {
		if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "long", Phone: ptr(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
		if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "noise", Phone: ptr(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad rebuilds one customer from the store (no cache): 1 event; 10,000 events
// with and without a snapshot; and the first load after a server restart.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		events   int
		snap     int64
		restart  bool
		expected int64
	}{
		{"events=1", 1, 100, false, 1},
		{"events=10000/snapshot=no", 10_000, 1 << 40, false, 10_000},
		{"events=10000/snapshot=yes", 10_000, 100, false, 10_000},
		{"events=10000/snapshot=no/after-restart", 10_000, 1 << 40, true, 10_000},
		{"events=10000/snapshot=yes/after-restart", 10_000, 100, true, 10_000},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			s, err := eventstore.Open(ctx, eventstore.Config{DataDir: dir}, quiet())
			if err != nil {
				b.Fatal(err)
			}
			h := newHandler(b, s, Config{SnapshotEvery: tc.snap})
			if tc.events == 1 {
				create(b, h, "long", "long@example.com")
			} else {
				longCustomer(b, h, tc.events)
			}
			if tc.snap < 1<<40 {
				h.Flush(ctx) // what Run and shutdown do: the aggregate leaves a snapshot
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if tc.restart {
					b.StopTimer()
					s.Close()
					if s, err = eventstore.Open(ctx, eventstore.Config{DataDir: dir}, quiet()); err != nil {
						b.Fatal(err)
					}
					h = newHandler(b, s, Config{SnapshotEvery: tc.snap})
					b.StartTimer()
				}
				c, err := h.Customers().Get(ctx, "long")
				if err != nil || c.Version != tc.expected {
					b.Fatalf("load: version %d, %v", c.Version, err)
				}
			}
			b.StopTimer()
			s.Close()
		})
	}
}

// BenchmarkUpdate is the write path (load from cache, decide, append, fold) on a new
// customer and on one with 10,000 events: warm, and the first write after a restart.
func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		events  int
		restart bool
	}{
		{"events=1", 1, false},
		{"events=10000", 10_000, false},
		{"events=10000/first-after-restart", 10_000, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			s, err := eventstore.Open(ctx, eventstore.Config{DataDir: dir}, quiet())
			if err != nil {
				b.Fatal(err)
			}
			h := newHandler(b, s, Config{})
			if tc.events == 1 {
				create(b, h, "long", "long@example.com")
			} else {
				longCustomer(b, h, tc.events)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if tc.restart {
					b.StopTimer()
					s.Close()
					if s, err = eventstore.Open(ctx, eventstore.Config{DataDir: dir}, quiet()); err != nil {
						b.Fatal(err)
					}
					h = newHandler(b, s, Config{})
					b.StartTimer()
				}
				if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "long", LastName: ptr(fmt.Sprint("L", i))}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			s.Close()
		})
	}
}
