package projections

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHubFeedsEveryModelAsARebuildWould: one subscription feeds several read models; each
// ends equal to its own clean rebuild, a model with no events of its own still reflects
// the head, and a model deleted while the others are kept is rebuilt on start beside them.
func TestHubFeedsEveryModelAsARebuildWould(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	views := []Projector{Customers(), Audit(), Webhooks(), Leads()}
	start := func() ([]*Runner, func()) {
		var runs []*Runner
		for _, p := range views {
			run, err := Open(ctx, e.dir, p, e.store, e.reg, quiet())
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, run)
		}
		hub, err := NewHub(e.store, e.reg, quiet(), runs...)
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { hub.Run(rctx); close(done) }()
		return runs, func() {
			cancel()
			<-done
			for _, run := range runs {
				run.Close()
			}
		}
	}
	check := func(runs []*Runner, pos uint64) {
		t.Helper()
		for _, run := range runs {
			wait(t, run, pos)
			if run.Position() < pos {
				t.Errorf("%s reflects %d, want %d", run.Name(), run.Position(), pos)
			}
			dir := t.TempDir()
			if _, err := Rebuild(ctx, dir, run.p, e.store, e.reg, quiet()); err != nil {
				t.Fatal(err)
			}
			reb, err := Open(ctx, dir, run.p, e.store, e.reg, quiet())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(dumpAll(t, reb.w), dumpAll(t, run.w)); diff != "" {
				t.Errorf("%s fed by the hub differs from its rebuild (-rebuilt +hub):\n%s", run.Name(), diff)
			}
			reb.Close()
		}
	}
	runs, stop := start()
	pos := workload(t, e.cmd, 30)
	check(runs, pos)
	stop()

	// the audit model deleted while stopped, more events meanwhile: the hub starts from the
	// lowest checkpoint and the others skip what they hold
	for _, f := range []string{"", "-wal", "-shm"} {
		os.Remove(runs[1].Path() + f)
	}
	pos = workload2(t, e.cmd)
	runs, stop = start()
	defer stop()
	if runs[1].Applied() != 0 {
		t.Fatalf("audit reopened at %d", runs[1].Applied())
	}
	check(runs, pos)
}

// dumpAll lists every row of every table but the checkpoint.
func dumpAll(t testing.TB, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'checkpoint' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tb := range tables {
		fmt.Fprintln(&b, tb)
		dumpRows(t, &b, db, `SELECT * FROM "`+tb+`" ORDER BY 1`)
	}
	return b.String()
}
