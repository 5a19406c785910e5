package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"stateset/domain"
	"stateset/eventstore"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openStore(t testing.TB, dir string) *eventstore.Store {
	t.Helper()
	s, err := eventstore.Open(context.Background(), eventstore.Config{DataDir: dir}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func newHandler(t testing.TB, s *eventstore.Store, cfg Config) *Handler {
	t.Helper()
	h, err := New(context.Background(), s, domain.NewRegistry(), quiet(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func ptr[T any](v T) *T { return &v }

// warehouse creates the warehouse id, which inventory items need as their location.
func warehouse(t testing.TB, h *Handler, id string) {
	t.Helper()
	if _, err := h.Warehouse().CreateWarehouse(context.Background(), domain.CreateWarehouse{WarehouseID: id, Name: id}); err != nil {
		t.Fatal(err)
	}
}

func create(t testing.TB, h *Handler, id, email string) Result[domain.Customer] {
	t.Helper()
	res, err := h.Customers().Create(context.Background(), domain.CreateCustomer{CustomerID: id, Email: email, FirstName: "Ada"})
	if err != nil {
		t.Fatalf("create %s: %v", id, err)
	}
	return res
}

func TestConcurrentUpdatesWithoutIfMatchAllLand(t *testing.T) {
	s := openStore(t, t.TempDir())
	// two handlers = two instances with their own caches and locks: conflicts go through OCC
	h1, h2 := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	create(t, h1, "c1", "ada@example.com")
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := h1
			if i%2 == 1 {
				h = h2
			}
			_, err := h.Customers().Update(context.Background(), domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(fmt.Sprint(1000 + i))})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("update: %v", err)
		}
	}
	hist, err := h1.History(context.Background(), "customer", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != n+1 {
		t.Fatalf("history has %d events, want %d", len(hist), n+1)
	}
	for i, e := range hist {
		if e.Version != int64(i+1) {
			t.Errorf("event %d has version %d", i, e.Version)
		}
	}
}

func TestConcurrentUpdatesWithIfMatchExactlyOneWins(t *testing.T) {
	s := openStore(t, t.TempDir())
	h1, h2 := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	create(t, h1, "c1", "ada@example.com")
	for _, pair := range [][2]*Handler{{h1, h1}, {h1, h2}} {
		cur, err := h1.Customers().Get(context.Background(), "c1")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, h := range pair {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = h.Customers().Update(context.Background(),
					domain.UpdateCustomer{CustomerID: "c1", LastName: ptr(fmt.Sprint("L", i, cur.Version))}, WithIfVersion(cur.Version))
			}()
		}
		wg.Wait()
		wins, mismatches := 0, 0
		for _, err := range results {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, domain.ErrVersionMismatch):
				mismatches++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if wins != 1 || mismatches != 1 {
			t.Fatalf("wins %d, mismatches %d; want 1 and 1", wins, mismatches)
		}
	}
}

func TestConcurrentCreatesWithOneEmailOnlyOneWins(t *testing.T) {
	s := openStore(t, t.TempDir())
	h1, h2 := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := h1
			if i%2 == 1 {
				h = h2
			}
			_, errs[i] = h.Customers().Create(context.Background(), domain.CreateCustomer{CustomerID: fmt.Sprint("dup", i), Email: "Same@Example.com"})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, domain.ErrAlreadyExists):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d creates won, want exactly 1", wins)
	}
	// case-insensitive
	if _, err := h1.Customers().Create(context.Background(), domain.CreateCustomer{CustomerID: "other", Email: "same@example.com"}); !errors.Is(err, domain.ErrAlreadyExists) {
		t.Fatalf("other spelling: got %v", err)
	}
}

func TestEmailIsFreedByArchiveAndByChange(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{})
	create(t, h, "a", "a@example.com")
	create(t, h, "b", "b@example.com")

	if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "b", Email: ptr("a@example.com")}); !errors.Is(err, domain.ErrAlreadyExists) {
		t.Fatalf("taking a's email: got %v", err)
	}
	if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "a", Email: ptr("a2@example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "b", Email: ptr("a@example.com")}); err != nil {
		t.Fatalf("a's old email should be free: %v", err)
	}
	if _, err := h.Customers().ChangeStatus(ctx, "b", "archive", "gone"); err != nil {
		t.Fatal(err)
	}
	create(t, h, "c", "a@example.com") // archived b freed it
	// a failed append releases a fresh claim: creating an existing id with a new email
	if _, err := h.Customers().Create(ctx, domain.CreateCustomer{CustomerID: "c", Email: "fresh@example.com"}); !errors.Is(err, domain.ErrAlreadyExists) {
		t.Fatalf("create existing id: %v", err)
	}
	create(t, h, "d", "fresh@example.com")
}

func TestEveryLoadPathGivesTheSameCustomer(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	h := newHandler(t, s, Config{SnapshotEvery: 7})
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go h.Run(rctx) // writes the snapshots
	create(t, h, "c1", "ada@example.com")
	var last Result[domain.Customer]
	for i := range 30 {
		var err error
		last, err = h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(fmt.Sprint(i))})
		if err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	h.Flush(ctx)                                        // and whatever Run had not reached yet
	fresh := newHandler(t, s, Config{SnapshotEvery: 7}) // empty cache: snapshot + tail
	fromSnap, err := fresh.Customers().Get(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(last.Aggregate, fromSnap); diff != "" {
		t.Errorf("snapshot load differs (-cached +loaded):\n%s", diff)
	}
	if _, _, err := fresh.snapshots.Get(ctx, "customer.c1"); err != nil {
		t.Errorf("no snapshot written: %v", err)
	}
	// as of an earlier position
	hist, _ := h.History(ctx, "customer", "c1")
	at, err := h.Customers().At(ctx, "c1", hist[4].Position)
	if err != nil {
		t.Fatal(err)
	}
	if at.Version != 5 || at.Phone != "3" {
		t.Errorf("as of event 5: version %d phone %q", at.Version, at.Phone)
	}
	// a write through the fresh handler continues at the right version
	res, err := fresh.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr("555")})
	if err != nil || res.Version != 32 {
		t.Fatalf("write after snapshot load: version %d, %v", res.Version, err)
	}
}

func TestNoChangeAppendsNothing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{})
	created := create(t, h, "c1", "ada@example.com")
	res, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", FirstName: ptr("Ada"), Email: ptr("ada@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 0 || res.Position != created.Position {
		t.Fatalf("no-op update appended %d events", len(res.Events))
	}
	head, _ := s.Head(ctx)
	if head != created.Position {
		t.Fatalf("stream grew to %d", head)
	}
}

func TestUpdateWithStatusCommitsBothEventsAtomically(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{})
	create(t, h, "c1", "ada@example.com")
	st := domain.CustomerStatusSuspended
	res, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr("1"), Status: &st})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 2 || res.Aggregate.Status != st || res.Version != 3 {
		t.Fatalf("got %d events, status %s, version %d", len(res.Events), res.Aggregate.Status, res.Version)
	}
}

func TestIdempotencyRecordsAndReplays(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	idem, err := NewIdempotency(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, ticket, err := idem.Begin(ctx, "key1", "k", "fp1")
	if err != nil || rec != nil || ticket == nil {
		t.Fatalf("first begin: %v %v %v", rec, ticket, err)
	}
	if _, _, err := idem.Begin(ctx, "key1", "k", "fp1"); !errors.Is(err, ErrIdempotencyInProgress) {
		t.Fatalf("while running: %v", err)
	}
	if err := idem.Complete(ctx, ticket, Recorded{Status: 201, Body: []byte(`{"ok":true}`)}); err != nil {
		t.Fatal(err)
	}
	rec, _, err = idem.Begin(ctx, "key1", "k", "fp1")
	if err != nil || rec == nil || rec.Status != 201 || string(rec.Body) != `{"ok":true}` {
		t.Fatalf("replay: %+v %v", rec, err)
	}
	if _, _, err := idem.Begin(ctx, "key1", "k", "fp2"); !errors.Is(err, ErrIdempotencyKeyReused) {
		t.Fatalf("other body: %v", err)
	}
	if _, ticket, err := idem.Begin(ctx, "key2", "k", "fp2"); err != nil || ticket == nil {
		t.Fatalf("keys are per API key: %v", err)
	}
}

func TestAnotherInstancesWritesAreSeenThroughAStaleCache(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	a, b := newHandler(t, s, Config{}), newHandler(t, s, Config{})

	// an action on a customer that does not exist yet is not remembered as "missing"
	if _, err := a.Customers().ChangeStatus(ctx, "c1", "suspend", ""); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("before create: %v", err)
	}
	create(t, b, "c1", "x@example.com")
	if _, err := a.Customers().ChangeStatus(ctx, "c1", "suspend", ""); err != nil {
		t.Fatalf("after create on the other instance: %v", err)
	}

	// a's cache holds email x; b changes it to y; a's "no change" PUT of x must append
	if _, err := b.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Email: ptr("y@example.com")}); err != nil {
		t.Fatal(err)
	}
	res, err := a.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Email: ptr("x@example.com")})
	if err != nil || res.Aggregate.Email != "x@example.com" || len(res.Events) != 1 {
		t.Fatalf("stale no-op: %+v %v", res, err)
	}
	// If-Match ahead of a's cache is judged on the stream, not the cache
	cur, err := b.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr("1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr("2")}, WithIfVersion(cur.Version)); err != nil {
		t.Fatalf("If-Match of the latest version refused: %v", err)
	}
}

func TestARetriedRequestThatLandedIsNotDecidedAgain(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{})
	create(t, h, "c1", "x@example.com")
	meta := WithMetadata(domain.Metadata{Actor: "key1", IdempotencyKey: "idem-1"})
	first, err := h.Customers().AddAddress(ctx, "c1", domain.Address{Street1: "1", City: "c", PostalCode: "p", Country: "US"}, meta)
	if err != nil {
		t.Fatal(err)
	}
	// the answer was lost; the retry runs on a fresh instance
	fresh := newHandler(t, s, Config{})
	again, err := fresh.Customers().AddAddress(ctx, "c1", domain.Address{Street1: "1", City: "c", PostalCode: "p", Country: "US"}, meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Events) != 0 || again.Position != first.Position || len(again.Aggregate.Addresses) != 1 {
		t.Fatalf("retry decided again: %d events, %d addresses", len(again.Events), len(again.Aggregate.Addresses))
	}
	// another key's request with the same idempotency string is its own request
	other, err := fresh.Customers().AddAddress(ctx, "c1", domain.Address{Street1: "2", City: "c", PostalCode: "p", Country: "US"},
		WithMetadata(domain.Metadata{Actor: "key2", IdempotencyKey: "idem-1"}))
	if err != nil || len(other.Events) != 1 {
		t.Fatalf("other key: %v", err)
	}
}

func TestWaitingForAnAggregateLockHonoursTheContext(t *testing.T) {
	l := newKeyLocks()
	unlock, err := l.lock(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.lock(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	unlock()
	unlock2, err := l.lock(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	unlock2()
	if len(l.m) != 0 {
		t.Errorf("locks leak: %d left", len(l.m))
	}
}

func TestEvictedAndCachedAggregatesLeaveSnapshots(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{CacheSize: 2, SnapshotEvery: 1000})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { h.Run(rctx); close(done) }()
	for i := range 4 {
		create(t, h, fmt.Sprint("c", i), fmt.Sprint("c", i, "@example.com"))
	}
	// c0 and c1 were pushed out of the 2-entry cache: Run snapshots them
	deadline := time.Now().Add(5 * time.Second)
	for _, id := range []string{"c0", "c1"} {
		for {
			if _, _, err := h.snapshots.Get(ctx, "customer."+id); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no snapshot of evicted %s", id)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	cancel()
	<-done
	// c2 and c3 are still cached: Flush snapshots them
	h.Flush(ctx)
	for _, id := range []string{"c2", "c3"} {
		if _, _, err := h.snapshots.Get(ctx, "customer."+id); err != nil {
			t.Fatalf("no snapshot of cached %s after Flush: %v", id, err)
		}
	}
	// a fresh instance loads the current snapshot and agrees with the events
	fresh := newHandler(t, s, Config{})
	got, err := fresh.Customers().Get(ctx, "c3")
	if err != nil || got.Email != "c3@example.com" || got.Version != 1 {
		t.Fatalf("load from snapshot: %+v %v", got, err)
	}
	res, err := fresh.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c3", Phone: ptr("5")})
	if err != nil || res.Version != 2 {
		t.Fatalf("write after snapshot load: %v %v", res.Version, err)
	}
}

func TestALongLoadIsSnapshottedAtOnce(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	writer := newHandler(t, s, Config{SnapshotEvery: 1000})
	create(t, writer, "c1", "c1@example.com")
	for i := range longLoad {
		if _, err := writer.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHandler(t, s, Config{SnapshotEvery: 1000})
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go h.Run(rctx)
	if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", LastName: ptr("L")}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if raw, _, err := h.snapshots.Get(ctx, "customer.c1"); err == nil && strings.Contains(string(raw), `"last_name":"L"`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the long load was not snapshotted")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAnOlderSnapshotDoesNotReplaceANewerOne(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	a, b := newHandler(t, s, Config{SnapshotEvery: 1000}), newHandler(t, s, Config{SnapshotEvery: 1000})
	create(t, a, "c1", "c1@example.com") // a caches c1 at version 1
	for i := range 3 {
		if _, err := b.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	b.Flush(ctx) // b snapshots version 4
	a.Flush(ctx) // a's cached version 1 must not overwrite it
	raw, _, err := a.snapshots.Get(ctx, "customer.c1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"version":4`) {
		t.Fatalf("snapshot went back: %s", raw)
	}
}
