package main

import (
	"context"
	"strings"
	"testing"
)

// TestBenchOrdersQuickRuns runs the order-to-cash and module-cost sections of "stateset
// bench" at toy sizes: the loop completes over HTTP on a fresh and a pre-filled store,
// and the PUTs run with and without the extra modules. It asserts nothing about speed.
func TestBenchOrdersQuickRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small benchmark")
	}
	var out syncBuffer
	err := run(context.Background(), []string{"bench", "--quick", "--only", "orders,modules", "--duration", "100ms",
		"--orders-prefill", "2000"}, &out, &syncBuffer{})
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	for _, want := range []string{"order to cash, 16 clients, fresh store", "confirm → allocated, 64 clients, fresh store",
		"order-to-cash store pre-fill", "order to cash, 64 clients, store with 2k events",
		"modules: PUT, 1 conn, as today", "modules: PUT, 32 conns, +20 read models, +20 flows"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
