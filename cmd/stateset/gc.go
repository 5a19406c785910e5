package main

import (
	"os"
	"runtime/debug"
)

// tuneGC lets the heap grow to 4x its live size between collections (GOGC=400) under a
// soft limit of 384 MiB (GOMEMLIMIT), unless the operator set either. The live heap of a
// server is small, and at Go's default the collector took ~10% of a write's CPU under
// load; the limit keeps the embedded NATS server's transient block buffers (8 MiB each
// while reading histories) from inflating the resident size.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(384 << 20)
	}
}
