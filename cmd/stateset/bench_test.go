package main

import (
	"context"
	"strings"
	"testing"
)

// TestBenchQuickRuns runs every section of "stateset bench" at toy sizes: the command
// works end to end and prints its tables. It asserts nothing about speed.
func TestBenchQuickRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small benchmark")
	}
	var out syncBuffer
	err := run(context.Background(), []string{"bench", "--quick", "--duration", "100ms", "--events", "4000",
		"--customers", "400", "--long-events", "100", "--restarts", "1"}, &out, &syncBuffer{})
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	for _, want := range []string{"raw OCC append, 32 writers", "CRUD PUT, 32 conns", "stateset GET, 1 conn",
		"projection lag at rate", "first write after restart, 10k-event customer", "projection catch-up", "server RSS", "goal"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
