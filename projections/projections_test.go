package projections

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type env struct {
	store *eventstore.Store
	reg   *domain.Registry
	cmd   *commands.Handler
	dir   string
}

func setup(t testing.TB) *env {
	t.Helper()
	dir := t.TempDir()
	s, err := eventstore.Open(context.Background(), eventstore.Config{DataDir: dir}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	reg := domain.NewRegistry()
	h, err := commands.New(context.Background(), s, reg, quiet(), commands.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &env{store: s, reg: reg, cmd: h, dir: filepath.Join(dir, "views")}
}

func (e *env) start(t testing.TB) *Runner {
	t.Helper()
	run, err := Open(context.Background(), e.dir, Customers(), e.store, e.reg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { run.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; run.Close() })
	return run
}

func ptr[T any](v T) *T { return &v }

// workload writes a mix of customer commands and returns the last position.
func workload(t testing.TB, h *commands.Handler, n int) uint64 {
	t.Helper()
	ctx := context.Background()
	var pos uint64
	for i := range n {
		id := fmt.Sprint("c", i)
		res, err := h.Customers().Create(ctx, domain.CreateCustomer{CustomerID: id, Email: id + "@example.com", FirstName: "F" + id,
			Metadata: map[string]string{"i": fmt.Sprint(i)}})
		if err != nil {
			t.Fatal(err)
		}
		pos = res.Position
		switch i % 4 {
		case 1:
			res, err = h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: id, LastName: ptr("L"), Phone: ptr("+1 555")})
		case 2:
			res, err = h.Customers().AddAddress(ctx, id, domain.Address{Type: "SHIPPING", Street1: "1 Main", City: "X", PostalCode: "1", Country: "US"})
		case 3:
			res, err = h.Customers().ChangeStatus(ctx, id, "archive", "test")
		}
		if err != nil {
			t.Fatal(err)
		}
		if res.Position > pos {
			pos = res.Position
		}
	}
	return pos
}

func wait(t testing.TB, run *Runner, pos uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := run.WaitFor(ctx, pos); err != nil {
		t.Fatalf("wait for %d: %v (applied %d)", pos, err, run.Applied())
	}
}

func dump(t testing.TB, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT ` + customerCols + ` FROM customers ORDER BY id`,
		`SELECT seq, customer_id, kind, event_type, time, actor, summary FROM customer_timeline ORDER BY seq`,
	} {
		dumpRows(t, &b, db, q)
	}
	return b.String()
}

// dumpRows writes every row q answers, a line each.
func dumpRows(t testing.TB, b *strings.Builder, db *sql.DB, q string) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(b, vals...)
	}
}

func TestProjectionFollowsTheStream(t *testing.T) {
	e := setup(t)
	run := e.start(t)
	pos := workload(t, e.cmd, 12)
	wait(t, run, pos)
	rd, err := NewReader(run)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := rd.GetCustomer(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if c.LastName != "L" || c.Phone != "+1 555" || c.Version != 2 || c.Metadata["i"] != "1" {
		t.Errorf("c1 = %+v", c)
	}
	c2, _ := rd.GetCustomer(ctx, "c2")
	if len(c2.Addresses) != 1 || c2.Addresses[0].City != "X" {
		t.Errorf("c2 addresses = %+v", c2.Addresses)
	}
	c3, _ := rd.GetCustomer(ctx, "c3")
	if c3.Status != "ARCHIVED" {
		t.Errorf("c3 status = %s", c3.Status)
	}
	if _, err := rd.GetCustomer(ctx, "nope"); err != domain.ErrNotFound {
		t.Errorf("missing: %v", err)
	}
	tl, _, err := rd.CustomerTimeline(ctx, "c1", Page{})
	if err != nil || len(tl) != 2 || tl[0].EventType != "CustomerUpdated" {
		t.Errorf("timeline = %+v, %v", tl, err)
	}
}

func TestListsPageByKeysetCursor(t *testing.T) {
	e := setup(t)
	run := e.start(t)
	wait(t, run, workload(t, e.cmd, 25))
	rd, _ := NewReader(run)
	ctx := context.Background()
	var seen []string
	page := Page{Limit: 7}
	for {
		got, info, err := rd.ListCustomers(ctx, CustomerFilter{Page: page})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got {
			seen = append(seen, c.ID)
		}
		if !info.HasMore {
			break
		}
		page.Cursor = info.NextCursor
		// an insert between pages does not shift what follows
		res, err := e.cmd.Customers().Create(ctx, domain.CreateCustomer{CustomerID: "late" + fmt.Sprint(len(seen)), Email: fmt.Sprint("late", len(seen), "@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		wait(t, run, res.Position)
	}
	if len(seen) != 25 || seen[0] != "c24" || seen[24] != "c0" {
		t.Fatalf("paged %d customers: %v", len(seen), seen)
	}
	archived, _, err := rd.ListCustomers(ctx, CustomerFilter{Status: "ARCHIVED", Page: Page{Limit: 100}})
	if err != nil || len(archived) != 6 {
		t.Fatalf("archived: %d, %v", len(archived), err)
	}
	byEmail, _, _ := rd.ListCustomers(ctx, CustomerFilter{Email: "C5@EXAMPLE.COM"})
	if len(byEmail) != 1 || byEmail[0].ID != "c5" {
		t.Fatalf("by email: %+v", byEmail)
	}
	if _, _, err := rd.ListCustomers(ctx, CustomerFilter{Page: Page{Cursor: "garbage"}}); err != ErrBadCursor {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestRebuildEqualsLiveAndRestartResumes(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	run, err := Open(ctx, e.dir, Customers(), e.store, e.reg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { run.Run(rctx); close(done) }()
	pos := workload(t, e.cmd, 20)
	wait(t, run, pos)
	cancel()
	<-done
	live := dump(t, run.w)
	run.Close()

	// more events while stopped; restart resumes from the checkpoint
	pos2 := workload2(t, e.cmd)
	run2 := e.start(t)
	if run2.Applied() != pos {
		t.Fatalf("restart checkpoint %d, want %d", run2.Applied(), pos)
	}
	wait(t, run2, pos2)
	liveAfter := dump(t, run2.w)
	if liveAfter == live {
		t.Fatal("restart did not apply the new events")
	}

	shadowDir := t.TempDir()
	got, err := Rebuild(ctx, shadowDir, Customers(), e.store, e.reg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if got != run2.Applied() {
		t.Errorf("rebuild reached %d, live %d", got, run2.Applied())
	}
	reb, err := Open(ctx, shadowDir, Customers(), e.store, e.reg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer reb.Close()
	if diff := cmp.Diff(liveAfter, dump(t, reb.w)); diff != "" {
		t.Errorf("rebuild differs from live (-live +rebuild):\n%s", diff)
	}
}

func workload2(t testing.TB, h *commands.Handler) uint64 {
	res, err := h.Customers().Update(context.Background(), domain.UpdateCustomer{CustomerID: "c0", FirstName: ptr("Zed")})
	if err != nil {
		t.Fatal(err)
	}
	return res.Position
}

func TestRedeliveredBatchIsANoOp(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	workload(t, e.cmd, 6)
	run, err := Open(ctx, e.dir, Customers(), e.store, e.reg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	var msgs []eventstore.Msg
	for m, err := range e.store.Load(ctx, e.store.TypeSubjects("customer"), 0) {
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	items := make([]item, len(msgs))
	for i, m := range msgs {
		env, err := decode(e.reg, m)
		items[i] = item{m: m, env: env, err: err}
	}
	if err := run.apply(ctx, items[:5]); err != nil {
		t.Fatal(err)
	}
	if err := run.apply(ctx, items); err != nil { // overlaps the first batch
		t.Fatal(err)
	}
	once := dump(t, run.w)
	if err := run.apply(ctx, items); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(once, dump(t, run.w)); diff != "" {
		t.Errorf("redelivery changed rows:\n%s", diff)
	}
}

func TestDeletedReadModelIsRebuiltOnStart(t *testing.T) {
	e := setup(t)
	pos := workload(t, e.cmd, 5)
	run := e.start(t)
	wait(t, run, pos)
	run.Close()
	for _, f := range []string{"", "-wal", "-shm"} {
		os.Remove(run.Path() + f)
	}
	run2 := e.start(t)
	wait(t, run2, pos)
	rd, _ := NewReader(run2)
	got, _, err := rd.ListCustomers(context.Background(), CustomerFilter{Page: Page{Limit: 100}})
	if err != nil || len(got) != 5 {
		t.Fatalf("after delete: %d customers, %v", len(got), err)
	}
}

func TestWaitForAPositionOfAnotherAggregateType(t *testing.T) {
	e := setup(t)
	run := e.start(t)
	wait(t, run, workload(t, e.cmd, 2))
	// an API key event is not ours: waiting for its position returns at once
	res, _, err := e.cmd.APIKeys().Create(context.Background(), "", "k", []string{"admin"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, run, res.Position)
	if run.Position() < res.Position {
		t.Errorf("position %d below %d", run.Position(), res.Position)
	}
	// a position not yet reached times out
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := run.WaitFor(ctx, res.Position+100); err != ErrWaitTimeout {
		t.Errorf("future position: %v", err)
	}
}
