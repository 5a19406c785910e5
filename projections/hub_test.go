package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stateset/domain"
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

// failing is a projector that fails every batch holding its failAt-th event until healed.
type failing struct {
	Projector
	mu     sync.Mutex
	failAt int
	seen   int
	healed bool
}

func (p *failing) Name() string { return "failing_v1" }

func (p *failing) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen++
	if !p.healed && p.seen >= p.failAt {
		p.seen = p.failAt - 1 // the batch is rolled back: the event comes again
		return errors.New("simulated failure")
	}
	return p.Projector.Apply(ctx, tx, env)
}

// TestHubGoesOnWhenOneModelFails: a model whose apply fails leaves the hub and retries on
// its own; the others keep following the stream, and the failed one catches up once its
// cause is gone. A model that never has an event keeps its checkpoint near the head, so a
// restart does not read the stream again for it.
func TestHubGoesOnWhenOneModelFails(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	bad := &failing{Projector: Customers(), failAt: 5}
	var runs []*Runner
	for _, p := range []Projector{bad, Audit(), Webhooks()} {
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
	pos := workload(t, e.cmd, 10)
	wait(t, runs[1], pos) // audit goes on
	wait(t, runs[2], pos)
	for deadline := time.Now().Add(10 * time.Second); runs[0].Status().LastError == "" && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // its apply runs beside the others': let it fail first
	}
	if st := runs[0].Status(); st.State == "running" || st.LastError == "" || runs[0].Applied() >= pos {
		t.Fatalf("failing model: %+v, applied %d", st, runs[0].Applied())
	}
	for _, run := range runs[1:] {
		if st := run.Status(); st.State != "running" {
			t.Errorf("%s is %s beside the failing model: %s", run.Name(), st.State, st.LastError)
		}
	}
	bad.mu.Lock()
	bad.healed = true
	bad.mu.Unlock()
	wait(t, runs[0], pos) // on its own subscription, after its backoff
	cancel()
	<-done
	for _, run := range runs {
		run.Close()
	}
	// the webhooks model had no event: its checkpoint was written at shutdown
	again, err := Open(ctx, e.dir, Webhooks(), e.store, e.reg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Applied() < pos {
		t.Errorf("an idle model reopened at checkpoint %d, the stream at %d", again.Applied(), pos)
	}
}
