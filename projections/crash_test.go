package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stateset/commands"
	"stateset/domain"
)

// errCrash is what a crashing projector returns: the batch in flight dies with it, as
// it would with the process.
var errCrash = errors.New("simulated crash")

// crashing is the customers projector plus a count of how often each stream position
// was applied, deliberately not idempotent: a position applied twice (a checkpoint that
// fell behind its rows) counts 2, a skipped one is missing. At its crashAt-th event it
// ends the runner's round: a hard crash fails the batch (its transaction is rolled back
// with the rows it already wrote), a soft stop cancels the runner and lets it commit.
type crashing struct {
	Projector
	crashAt int
	hard    bool
	stop    context.CancelFunc
	calls   int // only the runner's goroutine touches it while it runs
}

func (p *crashing) Name() string { return "crash_v1" }

func (p *crashing) Schema() []string {
	return append(p.Projector.Schema(),
		`CREATE TABLE IF NOT EXISTS applied (seq INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, times INTEGER NOT NULL)`)
}

func (p *crashing) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	if err := p.Projector.Apply(ctx, tx, env); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO applied (seq, customer_id, times) VALUES (?, ?, 1)
		ON CONFLICT(seq) DO UPDATE SET times = times + 1`, env.Position, env.AggregateID); err != nil {
		return err
	}
	p.calls++
	if p.calls == p.crashAt {
		p.stop()
		if p.hard {
			return errCrash
		}
	}
	return nil
}

// randomWorkload writes random customer commands.
type randomWorkload struct {
	rng       *rand.Rand
	customers int
}

// write runs commands until at least n more events are in the stream and returns the
// position of the last. Commands the domain refuses (a transition the status does not
// allow, an edit of an archived customer) append nothing.
func (w *randomWorkload) write(ctx context.Context, h *commands.Handler, n int) (uint64, error) {
	var last uint64
	for events := 0; events < n; {
		id := fmt.Sprint("p", w.rng.IntN(max(w.customers, 1)))
		var res commands.Result[domain.Customer]
		var err error
		switch r := w.rng.IntN(10); {
		case w.customers < 3 || r < 2:
			id = fmt.Sprint("p", w.customers)
			w.customers++
			res, err = h.Customers().Create(ctx, domain.CreateCustomer{CustomerID: id, Email: id + "@example.com", FirstName: "F"})
		case r < 6:
			name := fmt.Sprint("N", w.rng.IntN(1000))
			res, err = h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: id, FirstName: &name})
		case r < 8:
			res, err = h.Customers().AddAddress(ctx, id, domain.Address{Type: "SHIPPING", Street1: fmt.Sprint(w.rng.IntN(100), " Main St"),
				City: "X", PostalCode: "1", Country: "US"})
		default:
			actions := []string{"activate", "deactivate", "suspend", "activate", "deactivate", "archive"}
			res, err = h.Customers().ChangeStatus(ctx, id, actions[w.rng.IntN(len(actions))], "")
		}
		if _, refused := errors.AsType[*domain.TransitionError](err); refused {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", id, err)
		}
		events += len(res.Events)
		if len(res.Events) > 0 {
			last = max(last, res.Position)
		}
	}
	return last, nil
}

// TestRunnerKilledAtRandomPointsAppliesEveryEventOnce is a property test of the runner.
// Round after round, a runner is opened on the same file, a random chunk of customer
// commands is written while it runs, and the runner is stopped at a random event: half
// the time by a crash in the middle of its batch (the transaction is abandoned with the
// rows it wrote), half the time by cancelling it (the batch commits). A last round runs
// to the end. Every event must then have been applied exactly once, each customer must
// be at the version of its event count, and the read model must equal a clean rebuild.
// A failing seed is in the subtest's name: rerun it with -run.
func TestRunnerKilledAtRandomPointsAppliesEveryEventOnce(t *testing.T) {
	seeds := []uint64{1, 2, 3, uint64(time.Now().UnixNano())}
	for _, viaHub := range []bool{false, true} {
		for _, seed := range seeds {
			name := fmt.Sprint("own subscription, seed ", seed)
			if viaHub {
				name = fmt.Sprint("fed by a hub beside another model, seed ", seed)
			}
			t.Run(name, func(t *testing.T) { killedAtRandomPoints(t, seed, viaHub) })
		}
	}
}

// killedAtRandomPoints runs the crash rounds of one seed; viaHub feeds the crashing model
// through a Hub together with the audit model, as the server does.
func killedAtRandomPoints(t *testing.T, seed uint64, viaHub bool) {
	{
		{
			const rounds = 40
			e := setup(t)
			ctx := context.Background()
			dir := t.TempDir() // crash_v1.db, the file every round reopens
			otherDir := t.TempDir()
			rng := rand.New(rand.NewPCG(seed, 1))
			w := &randomWorkload{rng: rand.New(rand.NewPCG(seed, 2))}
			var final uint64
			var crashes, stops int
			for round := 0; round <= rounds; round++ {
				rctx, cancel := context.WithCancel(ctx)
				p := &crashing{Projector: Customers(), crashAt: 1 + rng.IntN(40), hard: rng.IntN(2) == 0, stop: cancel}
				if round == rounds {
					p.crashAt = 0 // the last round runs to the end
				}
				run, err := Open(ctx, dir, p, e.store, e.reg, quiet())
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan struct{})
				if viaHub {
					other, err := Open(ctx, otherDir, Audit(), e.store, e.reg, quiet())
					if err != nil {
						t.Fatal(err)
					}
					hub, err := NewHub(e.store, e.reg, quiet(), other, run)
					if err != nil {
						t.Fatal(err)
					}
					go func() { hub.Run(rctx); other.Close(); close(done) }()
				} else {
					go func() { run.Run(rctx); close(done) }()
				}
				if round < rounds {
					last, err := w.write(ctx, e.cmd, 1+rng.IntN(50)) // while the runner runs
					if err != nil {
						cancel()
						<-done
						run.Close()
						t.Fatalf("workload: %v", err)
					}
					final = max(final, last)
				}
				// the round ends at its crash, or once all that was written is applied
				caught := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					if run.WaitFor(rctx, final) == nil {
						close(caught)
					}
				})
				select {
				case <-done:
				case <-caught:
				case <-time.After(time.Minute):
					t.Fatalf("round %d neither stopped nor caught up with position %d (applied %d)", round, final, run.Applied())
				}
				cancel()
				<-done
				wg.Wait()
				if err := run.Close(); err != nil {
					t.Fatal(err)
				}
				switch {
				case p.crashAt == 0 || p.calls < p.crashAt:
				case p.hard:
					crashes++
				default:
					stops++
				}
				if round == rounds && run.Applied() < final {
					t.Fatalf("last round ended at %d, the stream at %d", run.Applied(), final)
				}
			}
			t.Logf("%d rounds: %d crashes mid-batch, %d stops; stream at %d", rounds+1, crashes, stops, final)

			run, err := Open(ctx, dir, &crashing{Projector: Customers()}, e.store, e.reg, quiet())
			if err != nil {
				t.Fatal(err)
			}
			defer run.Close()
			checkAppliedOnce(t, e, run.w)
			rebuilt := t.TempDir()
			if _, err := Rebuild(ctx, rebuilt, Customers(), e.store, e.reg, quiet()); err != nil {
				t.Fatal(err)
			}
			reb, err := Open(ctx, rebuilt, Customers(), e.store, e.reg, quiet())
			if err != nil {
				t.Fatal(err)
			}
			defer reb.Close()
			if diff := cmp.Diff(dump(t, reb.w), dump(t, run.w)); diff != "" {
				t.Errorf("read model differs from a clean rebuild (-rebuilt +crashed):\n%s", diff)
			}
		}
	}
}

// checkAppliedOnce compares what the crash-tested read model applied with the stream:
// each customer event once, and each customer at the version of its event count.
func checkAppliedOnce(t *testing.T, e *env, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	wantTimes, wantVersions := map[uint64]int{}, map[string]int64{}
	for m, err := range e.store.Load(ctx, e.store.TypeSubjects("customer"), 0) {
		if err != nil {
			t.Fatal(err)
		}
		env, err := e.reg.Unmarshal(m.Data, m.Seq)
		if err != nil {
			t.Fatal(err)
		}
		wantTimes[m.Seq] = 1
		wantVersions[env.AggregateID]++
	}
	gotTimes, gotVersions := map[uint64]int{}, map[string]int64{}
	rows, err := db.QueryContext(ctx, `SELECT seq, times FROM applied`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq uint64
		var n int
		if err := rows.Scan(&seq, &n); err != nil {
			t.Fatal(err)
		}
		gotTimes[seq] = n
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT id, version FROM customers`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		gotVersions[id] = v
	}
	rows.Close()
	if diff := cmp.Diff(wantTimes, gotTimes); diff != "" {
		t.Errorf("times each stream position was applied (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantVersions, gotVersions); diff != "" {
		t.Errorf("customer versions against their event counts (-want +got):\n%s", diff)
	}
}
