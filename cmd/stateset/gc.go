package main

import (
	"os"
	"runtime/debug"
)

// tuneGC makes the collector run a quarter as often as Go's default unless the operator
// set GOGC: the live heap of a server is small (tens of MiB), and at the default the
// collector took ~10% of the CPU of a write under load. GOMEMLIMIT still caps the heap.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
}
