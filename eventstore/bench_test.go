package eventstore

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

// BenchmarkAppend is one OCC append at a time, each to its own aggregate's tail.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	data := make([]byte, 300)
	var last uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		last, err = s.Append(ctx, "customer", "bench", last, []Message{{ID: fmt.Sprint("e", i), EventType: "CustomerUpdated", Data: data}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendParallel is concurrent OCC appends, one aggregate per goroutine.
func BenchmarkAppendParallel(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	data := make([]byte, 300)
	var ids, n atomic.Int64
	b.SetParallelism(16) // x GOMAXPROCS goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		agg := fmt.Sprint("agg", ids.Add(1))
		var last uint64
		for pb.Next() {
			var err error
			last, err = s.Append(ctx, "customer", agg, last, []Message{{ID: fmt.Sprint("p", n.Add(1)), EventType: "CustomerUpdated", Data: data}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAppendBatch is an atomic two-event commit.
func BenchmarkAppendBatch(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	data := make([]byte, 300)
	var last uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		last, err = s.Append(ctx, "customer", "bench", last, []Message{
			{ID: fmt.Sprint("a", i), EventType: "CustomerUpdated", Data: data},
			{ID: fmt.Sprint("b", i), EventType: "CustomerStatusChanged", Data: data}})
		if err != nil {
			b.Fatal(err)
		}
	}
}
