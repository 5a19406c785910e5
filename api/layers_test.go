package api

import (
	"go/build"
	"slices"
	"testing"
)

// TestAPITalksToCommandsAndProjectionsOnly holds the design's arrows: api's own files
// (not its tests, which set up a real store) import neither the event store nor SQL;
// what they need of those comes through commands and projections.
func TestAPITalksToCommandsAndProjectionsOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"stateset/eventstore", "database/sql"} {
		if slices.Contains(pkg.Imports, banned) {
			t.Errorf("api imports %s; go through commands or projections", banned)
		}
	}
}
