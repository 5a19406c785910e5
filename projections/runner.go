package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// Projector turns events into rows. Its name carries its schema version (customers_v3):
// a new schema is a new projector, built beside the old one.
type Projector interface {
	Name() string
	// AggregateTypes are the aggregates whose events it reads ("*": all), or subject
	// patterns relative to <prefix>.events. for only some events of an aggregate
	// ("customer.*.CustomerForgotten").
	AggregateTypes() []string
	// Schema is the DDL it needs; statements must be idempotent.
	Schema() []string
	// Apply writes one event's effect inside the batch's transaction. Events of other
	// types are ignored. It must not look at the clock or anything but tx and the event.
	Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error
}

// batchMax bounds a batch: beyond ~100-1000 rows per transaction SQLite gains nothing
// (reference/jetstream.md).
const batchMax = 1000

// coalesce is how long a small batch waits for more events before it commits, when no
// reader is waiting on this projection: under a steady write load it turns many one-event
// transactions into few larger ones (a SQLite commit costs as much as ~50 row writes).
const coalesce = time.Millisecond

// ErrWaitTimeout is returned by WaitFor when the position was not reached in time.
var ErrWaitTimeout = errors.New("projection has not reached the position")

// Runner feeds one projector from the stream: batches of up to batchMax events, each in
// one SQLite transaction together with the checkpoint.
type Runner struct {
	p       Projector
	store   *eventstore.Store
	reg     *domain.Registry
	log     *slog.Logger
	path    string
	w, r    *sql.DB
	filters []string

	applied atomic.Uint64 // checkpoint: last stream sequence applied
	covered atomic.Uint64 // every event of ours at or below it is applied
	head    atomic.Uint64 // the last sequence of ours seen so far (applied + pending)
	lastAt  atomic.Int64  // unix nanos of the last applied event
	waiters atomic.Int32  // WaitFor calls in progress: commit at once for them
	wake    chan struct{} // a reader started waiting: cut a coalescing pause short

	applyMu    sync.Mutex  // held per batch; an online rebuild holds it to pause the runner
	rebuilding atomic.Bool // an online rebuild is in progress
	hubbed     atomic.Bool // fed by a Hub, which makes it reflect every position it passes

	mu      sync.Mutex
	changed chan struct{} // closed when applied moves
	state   string
	lastErr string
}

// Open opens (creating) the projector's SQLite file under dir and reads its checkpoint.
// A deleted file is simply rebuilt from the stream by Run.
func Open(ctx context.Context, dir string, p Projector, store *eventstore.Store, reg *domain.Registry, log *slog.Logger) (*Runner, error) {
	return openAt(ctx, filepath.Join(dir, p.Name()+".db"), false, p, store, reg, log)
}

func openAt(ctx context.Context, path string, shadow bool, p Projector, store *eventstore.Store, reg *domain.Registry, log *slog.Logger) (*Runner, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("projection dir: %w", err)
	}
	w, r, err := openDB(ctx, path, shadow)
	if err != nil {
		return nil, err
	}
	run := &Runner{p: p, store: store, reg: reg, log: log.With("component", "projection", "projection", p.Name()),
		path: path, w: w, r: r, changed: make(chan struct{}), wake: make(chan struct{}, 1), state: "starting"}
	for _, t := range p.AggregateTypes() {
		if strings.Contains(t, ".") { // a subject pattern of its own: "customer.*.CustomerForgotten"
			run.filters = append(run.filters, store.Subjects(t))
			continue
		}
		run.filters = append(run.filters, store.TypeSubjects(t))
	}
	ddl := append([]string{`CREATE TABLE IF NOT EXISTS checkpoint (name TEXT PRIMARY KEY, seq INTEGER NOT NULL, updated_at TEXT NOT NULL)`}, p.Schema()...)
	for _, stmt := range ddl {
		if _, err := w.ExecContext(ctx, stmt); err != nil {
			run.Close()
			return nil, fmt.Errorf("schema of %s: %w", p.Name(), err)
		}
	}
	var seq uint64
	err = w.QueryRowContext(ctx, `SELECT seq FROM checkpoint WHERE name = ?`, p.Name()).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		run.Close()
		return nil, fmt.Errorf("checkpoint of %s: %w", p.Name(), err)
	}
	run.applied.Store(seq)
	run.covered.Store(seq)
	return run, nil
}

// Name is the projector's name.
func (run *Runner) Name() string { return run.p.Name() }

// Path is the SQLite file.
func (run *Runner) Path() string { return run.path }

// Close closes the database.
func (run *Runner) Close() error {
	return errors.Join(run.r.Close(), run.w.Close())
}

// Position is the stream position the read model is known to reflect.
func (run *Runner) Position() uint64 { return max(run.applied.Load(), run.covered.Load()) }

// Applied is the checkpoint: the last stream sequence applied.
func (run *Runner) Applied() uint64 { return run.applied.Load() }

// Status describes the runner for the admin view.
type Status struct {
	Name       string    `json:"name"`
	Position   uint64    `json:"position"`
	LagEvents  uint64    `json:"lag_events"`
	LagSeconds float64   `json:"lag_seconds"`
	State      string    `json:"state"`
	LastError  string    `json:"last_error,omitempty"`
	LastEvent  time.Time `json:"last_event_at,omitzero"`
	Rebuilding bool      `json:"rebuilding"`
}

// Status reports position, lag and state.
func (run *Runner) Status() Status {
	run.mu.Lock()
	defer run.mu.Unlock()
	st := Status{Name: run.p.Name(), Position: run.Position(), State: run.state, LastError: run.lastErr,
		Rebuilding: run.rebuilding.Load()}
	if h, a := run.head.Load(), run.Position(); h > a {
		st.LagEvents = h - a
	}
	if ns := run.lastAt.Load(); ns > 0 {
		st.LastEvent = time.Unix(0, ns).UTC()
		if st.LagEvents > 0 {
			st.LagSeconds = time.Since(st.LastEvent).Seconds()
		}
	}
	return st
}

func (run *Runner) setState(state string, err error) {
	run.mu.Lock()
	defer run.mu.Unlock()
	run.state = state
	if err != nil {
		run.lastErr = err.Error()
	}
}

// Run applies events until ctx ends. The batch in progress when ctx ends is committed
// first. Errors are logged and retried from the checkpoint with backoff.
func (run *Runner) Run(ctx context.Context) error {
	const minBackoff, maxBackoff = 100 * time.Millisecond, 10 * time.Second
	backoff := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := run.follow(ctx, 0)
		if ctx.Err() != nil {
			break
		}
		if time.Since(began) > maxBackoff {
			// it followed for a while: a new failure, not the same one again
			backoff = minBackoff
		}
		run.setState("error", err)
		run.log.ErrorContext(ctx, "projection stopped, retrying", "err", err, "seq", run.applied.Load())
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
	run.setState("stopped", nil)
	return nil
}

// follow subscribes from the checkpoint and applies batches. until > 0 returns once
// that position is applied (rebuilds); until == 0 follows forever.
func (run *Runner) follow(ctx context.Context, until uint64) error {
	subCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	sub, err := run.store.Subscribe(subCtx, run.filters, run.applied.Load()+1, 2*batchMax)
	if err != nil {
		return err
	}
	defer sub.Stop()
	// "catching_up" until the backlog that existed at subscribe time is applied: /ready
	// stays false meanwhile, so a rebuilt-from-scratch model is not served half-built
	head, err := run.ourHead(ctx)
	if err != nil {
		return err
	}
	if head <= run.applied.Load() {
		run.setState("running", nil)
	} else {
		run.head.Store(head)
		run.setState("catching_up", nil)
	}
	// Decoding runs in a stage of its own, beside the SQLite writes: on two cores a
	// catch-up spends about as long in JSON as in SQLite.
	decoded := make(chan item, 2*batchMax)
	go func() {
		defer close(decoded)
		for m := range sub.C {
			env, err := decode(run.reg, m)
			select {
			case decoded <- item{m: m, env: env, err: err}:
			case <-subCtx.Done():
				return
			}
		}
	}()
	batch := make([]item, 0, batchMax)
	for {
		if until > 0 && run.applied.Load() >= until {
			return nil
		}
		batch = batch[:0]
		// block for one message, then take whatever is already buffered
		select {
		case <-ctx.Done():
			return ctx.Err()
		case it, ok := <-decoded:
			if !ok {
				return fmt.Errorf("subscription ended: %w", sub.Err())
			}
			batch = append(batch, it)
		}
		batch = drain(decoded, batch)
		if len(batch) < batchMax/4 && run.waiters.Load() == 0 {
			batch = coalesceInto(decoded, batch, run.wake)
		}
		// the batch is committed even if ctx ended meanwhile: shutdown finishes it
		if err := run.apply(context.WithoutCancel(ctx), batch); err != nil {
			return err
		}
	}
}

// item is a stream message and its decoding.
type item struct {
	m   eventstore.Msg
	env domain.Envelope
	err error
}

// decode turns a stream message into an envelope, with the headers' type as a hint.
func decode(reg *domain.Registry, m eventstore.Msg) (domain.Envelope, error) {
	v, _ := strconv.Atoi(m.Header.Get(eventstore.HeaderSchemaVersion))
	return reg.UnmarshalTyped(m.Header.Get(eventstore.HeaderEventType), v, m.Data, m.Seq)
}

// coalesceInto is a trickle's pause: it gives the writers up to coalesce to add to a
// small batch, until it holds batchMax/4, the input ends or a reader starts waiting.
func coalesceInto[T any](c <-chan T, batch []T, wake <-chan struct{}) []T {
	timer := time.NewTimer(coalesce)
	defer timer.Stop()
	for len(batch) < batchMax/4 {
		select {
		case it, ok := <-c:
			if !ok {
				return batch
			}
			batch = drain(c, append(batch, it))
		case <-timer.C:
			return batch
		case <-wake:
			return batch
		}
	}
	return batch
}

// drain appends what is already buffered, up to batchMax.
func drain[T any](c <-chan T, batch []T) []T {
	for len(batch) < batchMax {
		select {
		case m, ok := <-c:
			if !ok {
				return batch
			}
			batch = append(batch, m)
		default:
			return batch
		}
	}
	return batch
}

// apply commits one batch and its checkpoint in one transaction. Sequences at or below
// the checkpoint (a redelivery) are skipped.
func (run *Runner) apply(ctx context.Context, batch []item) error {
	run.applyMu.Lock()
	defer run.applyMu.Unlock()
	from := run.applied.Load()
	tx, err := run.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	last := from
	var lastTime time.Time
	for _, it := range batch {
		if it.m.Seq <= last {
			continue
		}
		if it.err != nil {
			return fmt.Errorf("decode %d: %w", it.m.Seq, it.err)
		}
		if err := run.p.Apply(ctx, tx, it.env); err != nil {
			return fmt.Errorf("apply %s at %d: %w", it.env.Type, it.m.Seq, err)
		}
		last, lastTime = it.m.Seq, it.m.Time
	}
	if last == from {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoint (name, seq, updated_at) VALUES (?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
		run.p.Name(), last, fmtTime(lastTime)); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	tail := batch[len(batch)-1].m
	run.head.Store(tail.Seq + tail.Pending)
	run.lastAt.Store(lastTime.UnixNano())
	run.applied.Store(last)
	run.mu.Lock()
	if run.state == "catching_up" && tail.Pending == 0 {
		run.state = "running"
	}
	close(run.changed)
	run.changed = make(chan struct{})
	run.mu.Unlock()
	return nil
}

// reflect records that every event of this projector at or below seq is applied (the hub
// has handed it everything up to seq) and that the stream holds head.
func (run *Runner) reflect(seq, head uint64) {
	run.head.Store(head)
	moved := false
	for {
		cur := run.covered.Load()
		if cur >= seq {
			break
		}
		if run.covered.CompareAndSwap(cur, seq) {
			moved = true
			break
		}
	}
	run.mu.Lock()
	if run.state == "catching_up" && seq >= head {
		run.state = "running"
	}
	if moved {
		close(run.changed)
		run.changed = make(chan struct{})
	}
	run.mu.Unlock()
}

// checkpoint stores seq as the checkpoint of a model that has nothing of its own at or
// below seq left to apply (the hub knows: covered), without applying anything.
func (run *Runner) checkpoint(ctx context.Context, seq uint64) error {
	run.applyMu.Lock()
	defer run.applyMu.Unlock()
	if seq <= run.applied.Load() {
		return nil
	}
	if _, err := run.w.ExecContext(ctx, `INSERT INTO checkpoint (name, seq, updated_at) VALUES (?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
		run.p.Name(), seq, fmtTime(time.Unix(0, run.lastAt.Load()).UTC())); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	run.applied.Store(seq)
	return nil
}

// WaitFor returns once every event of this projector at or below pos is applied, or
// ErrWaitTimeout when ctx ends first.
func (run *Runner) WaitFor(ctx context.Context, pos uint64) error {
	if run.Position() >= pos {
		return nil
	}
	run.waiters.Add(1)
	defer run.waiters.Add(-1)
	select {
	case run.wake <- struct{}{}:
	default:
	}
	if done, err := run.waitHub(ctx, pos); done || err != nil {
		return err
	}
	for {
		if run.Position() >= pos {
			return nil
		}
		run.mu.Lock()
		ch := run.changed
		run.mu.Unlock()
		applied := run.applied.Load()
		if applied >= pos {
			return nil
		}
		// Positions are global but this projector reads only its own subjects: once the
		// stream holds pos, if none of its events lies in (applied, pos], pos is reflected.
		// Reached is asked first, so that the second answer cannot come from an older state.
		var poll <-chan time.Time
		reached, err := run.store.Reached(ctx, pos)
		if err != nil {
			return err
		}
		if reached {
			ours, err := run.nextOurs(ctx, applied)
			if err != nil {
				return err
			}
			if ours == 0 || ours > pos {
				for {
					cur := run.covered.Load()
					if cur >= pos || run.covered.CompareAndSwap(cur, pos) {
						return nil
					}
				}
			}
		} else {
			// pos lies beyond the stream's head: nothing of ours will announce it
			poll = time.After(10 * time.Millisecond)
		}
		select {
		case <-ch:
		case <-poll:
		case <-ctx.Done():
			return ErrWaitTimeout
		}
	}
}

// hubGrace is how long WaitFor of a hub-fed model waits for the hub before asking the
// server whether the position is the model's at all.
const hubGrace = 5 * time.Millisecond

// waitHub is WaitFor's first part for a model a hub feeds: the hub makes every model
// reflect each position it passes, so a position just written is reached with the hub's
// next batch, without the server round trips a lone runner needs. It reports done when pos
// was reached within hubGrace.
func (run *Runner) waitHub(ctx context.Context, pos uint64) (bool, error) {
	if !run.hubbed.Load() {
		return false, nil
	}
	grace := time.NewTimer(hubGrace)
	defer grace.Stop()
	for {
		run.mu.Lock()
		ch := run.changed
		run.mu.Unlock()
		if run.Position() >= pos {
			return true, nil
		}
		select {
		case <-ch:
		case <-grace.C:
			return false, nil
		case <-ctx.Done():
			return false, ErrWaitTimeout
		}
	}
}

func (run *Runner) nextOurs(ctx context.Context, after uint64) (uint64, error) {
	var first uint64
	for _, f := range run.filters {
		n, err := run.store.NextSeq(ctx, f, after)
		if err != nil {
			return 0, err
		}
		if n > 0 && (first == 0 || n < first) {
			first = n
		}
	}
	return first, nil
}

// Head is the stream position of the last event this projector reads.
func (run *Runner) Head(ctx context.Context) (uint64, error) { return run.ourHead(ctx) }

// ourHead is the sequence of the last event in the stream this projector reads.
func (run *Runner) ourHead(ctx context.Context) (uint64, error) {
	var head uint64
	for _, f := range run.filters {
		n, err := run.store.LastSeq(ctx, f)
		if err != nil {
			return 0, err
		}
		head = max(head, n)
	}
	return head, nil
}

// CatchUp applies events until the stream's current head for this projector.
func (run *Runner) CatchUp(ctx context.Context) error {
	head, err := run.ourHead(ctx)
	if err != nil {
		return err
	}
	if head <= run.applied.Load() {
		return nil
	}
	return run.follow(ctx, head)
}

// Rebuild builds the projector's read model from sequence 1 into a shadow file beside the
// live one, then swaps it in. The live file must not be in use (offline rebuild).
func Rebuild(ctx context.Context, dir string, p Projector, store *eventstore.Store, reg *domain.Registry, log *slog.Logger) (uint64, error) {
	live := filepath.Join(dir, p.Name()+".db")
	shadow := live + ".rebuild"
	for _, f := range []string{shadow, shadow + "-wal", shadow + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, err
		}
	}
	run, err := openAt(ctx, shadow, true, p, store, reg, log)
	if err != nil {
		return 0, err
	}
	if err := run.CatchUp(ctx); err != nil {
		run.Close()
		return 0, fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	pos := run.applied.Load()
	// fold the WAL into the main file so one rename moves the whole model
	if _, err := run.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		run.Close()
		return 0, fmt.Errorf("rebuild %s: checkpoint: %w", p.Name(), err)
	}
	if err := run.Close(); err != nil {
		return 0, err
	}
	// the shadow was written without syncs: make it durable before it becomes the model
	if err := syncFile(shadow); err != nil {
		return 0, fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	for _, f := range []string{live + "-wal", live + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, err
		}
	}
	if err := os.Rename(shadow, live); err != nil {
		return 0, fmt.Errorf("swap %s: %w", p.Name(), err)
	}
	if err := syncFile(filepath.Dir(live)); err != nil { // the rename itself
		return 0, fmt.Errorf("swap %s: %w", p.Name(), err)
	}
	return pos, nil
}

// ErrRebuilding is returned by RebuildOnline while a rebuild of the projection runs.
var ErrRebuilding = errors.New("a rebuild of this projection is already running")

// RebuildOnline rebuilds the read model while it keeps serving: a shadow file beside the
// live one is built from sequence 1 and caught up to the head; then the runner is paused
// (after its batch in flight) while the shadow applies what arrived meanwhile and its
// tables replace the live ones in one transaction, so readers see the old model or the
// new one, never a mix. It returns the position the rebuilt model reflects.
//
// The swap copies rows rather than renaming files: SQLite finds a database's WAL and
// shared-memory files by name, so a file renamed under open connections could be paired
// with another file's WAL. The pause lasts the final catch-up plus one copy of the model.
func (run *Runner) RebuildOnline(ctx context.Context) (uint64, error) {
	if !run.rebuilding.CompareAndSwap(false, true) {
		return 0, ErrRebuilding
	}
	defer run.rebuilding.Store(false)
	shadow := run.path + ".rebuild"
	clean := func() error {
		for _, f := range []string{shadow, shadow + "-wal", shadow + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		return nil
	}
	if err := clean(); err != nil {
		return 0, fmt.Errorf("rebuild %s: %w", run.p.Name(), err)
	}
	defer clean()
	sh, err := openAt(ctx, shadow, true, run.p, run.store, run.reg, run.log)
	if err != nil {
		return 0, err
	}
	defer sh.Close()
	start := time.Now()
	if err := sh.CatchUp(ctx); err != nil {
		return 0, fmt.Errorf("rebuild %s: %w", run.p.Name(), err)
	}
	run.applyMu.Lock()
	defer run.applyMu.Unlock()
	if err := sh.CatchUp(ctx); err != nil {
		return 0, fmt.Errorf("rebuild %s: %w", run.p.Name(), err)
	}
	pos := sh.applied.Load()
	if err := sh.Close(); err != nil {
		return 0, fmt.Errorf("rebuild %s: %w", run.p.Name(), err)
	}
	if err := run.swapIn(ctx, shadow); err != nil {
		return 0, fmt.Errorf("rebuild %s: swap: %w", run.p.Name(), err)
	}
	// the shadow caught up to this projector's head, at or past what the runner had
	// applied: its subscription skips what the rebuilt model already holds
	run.applied.Store(max(pos, run.applied.Load()))
	run.mu.Lock()
	close(run.changed)
	run.changed = make(chan struct{})
	run.mu.Unlock()
	run.log.InfoContext(ctx, "rebuilt online", "seq", pos, "duration_ms", time.Since(start).Milliseconds())
	return pos, nil
}

// swapIn replaces every table of the live file by the shadow's rows in one transaction.
func (run *Runner) swapIn(ctx context.Context, shadow string) error {
	conn, err := run.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS rebuilt`, shadow); err != nil {
		return fmt.Errorf("attach: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE rebuilt`)
	rows, err := conn.QueryContext(ctx, `SELECT name FROM rebuilt.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cols := map[string]string{}
	for _, t := range tables {
		rows, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_info(?, 'rebuilt')`, t)
		if err != nil {
			return err
		}
		var names []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			names = append(names, `"`+c+`"`)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		cols[t] = strings.Join(names, ", ")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM main."`+t+`"`); err != nil {
			return fmt.Errorf("clear %s: %w", t, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO main."`+t+`" (`+cols[t]+`) SELECT `+cols[t]+` FROM rebuilt."`+t+`"`); err != nil {
			return fmt.Errorf("copy %s: %w", t, err)
		}
	}
	return tx.Commit()
}

// Size is the bytes the read model's files take on disk (database and WAL).
func (run *Runner) Size() int64 {
	var n int64
	for _, f := range []string{run.path, run.path + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
