package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReactorParksAndReplays: an event whose handler keeps failing is retried, parked
// with its reason and original position, listed, and handled by a replay once the
// handler works; the events behind it were not held up.
func TestReactorParksAndReplays(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openTest(t, t.TempDir())
	r, err := s.NewReactor(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), ReactorConfig{Retries: 2, RetryInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var broken atomic.Bool
	broken.Store(true)
	handled := make(chan string, 10)
	err = r.Handle("test", []string{"order.*.*"}, func(ctx context.Context, m Msg) error {
		if broken.Load() && m.Header.Get(HeaderAggregateID) == "bad" {
			return errors.New("inventory unavailable")
		}
		handled <- m.Header.Get(HeaderAggregateID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	go r.Run(ctx)
	<-r.Running()
	defer r.Close()
	var badSeq uint64
	for _, id := range []string{"good1", "bad", "good2"} {
		h := Header{}
		h.Set(HeaderAggregateID, id)
		seq, err := s.Append(ctx, "order", id, 0, []Message{{ID: "evt-" + id, EventType: "OrderConfirmed", Header: h, Data: []byte(`{}`)}})
		if err != nil {
			t.Fatal(err)
		}
		if id == "bad" {
			badSeq = seq
		}
	}
	var good []string // two aggregates: in either order
	for range 2 {
		select {
		case got := <-handled:
			good = append(good, got)
		case <-time.After(10 * time.Second):
			t.Fatalf("handled %v, want good1 and good2", good)
		}
	}
	if slices.Sort(good); !slices.Equal(good, []string{"good1", "good2"}) {
		t.Fatalf("handled %v, want good1 and good2", good)
	}
	var parked []Parked
	for range 100 {
		if parked, err = r.Parked(ctx, "test"); err != nil || len(parked) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || len(parked) != 1 || parked[0].Event.Seq != badSeq || parked[0].Reason != "inventory unavailable" {
		t.Fatalf("parked %+v, %v; want the event at %d", parked, err, badSeq)
	}
	if n, err := r.Replay(ctx, "test"); err == nil || n != 0 {
		t.Fatalf("replay while still broken: %d, %v", n, err)
	}
	broken.Store(false)
	if n, err := r.Replay(ctx, "test"); err != nil || n != 1 {
		t.Fatalf("replay: %d, %v", n, err)
	}
	if got := <-handled; got != "bad" {
		t.Fatalf("replayed %s", got)
	}
	if parked, err := r.Parked(ctx, "test"); err != nil || len(parked) != 0 {
		t.Fatalf("after replay: %+v, %v", parked, err)
	}
}

// appendRounds appends rounds events to each aggregate, round by round, so that the
// aggregates' events interleave in the stream; it returns each aggregate's sequences.
func appendRounds(t testing.TB, s *Store, aggs []string, rounds int) map[string][]uint64 {
	t.Helper()
	seqs := map[string][]uint64{}
	for v := range rounds {
		for _, id := range aggs {
			h := Header{}
			h.Set(HeaderAggregateID, id)
			h.Set(HeaderAggregateVersion, fmt.Sprint(v+1))
			var last uint64
			if n := len(seqs[id]); n > 0 {
				last = seqs[id][n-1]
			}
			seq, err := s.Append(context.Background(), "order", id, last, []Message{{ID: fmt.Sprintf("evt-%s-%d", id, v+1),
				EventType: "OrderUpdated", Header: h, Data: []byte(`{}`)}})
			if err != nil {
				t.Fatal(err)
			}
			seqs[id] = append(seqs[id], seq)
		}
	}
	return seqs
}

// handling is what a test handler saw: each call in the order the calls began.
type handling struct {
	mu       sync.Mutex
	calls    []call
	inFlight atomic.Int64
	maxSeen  atomic.Int64
}

type call struct {
	agg  string
	seq  uint64
	ok   bool
	from string // the instance
}

// record runs a handler call: counted while it runs, logged when it ends.
func (h *handling) record(agg string, seq uint64, from string, fn func() error) error {
	n := h.inFlight.Add(1)
	for m := h.maxSeen.Load(); n > m && !h.maxSeen.CompareAndSwap(m, n); m = h.maxSeen.Load() {
	}
	time.Sleep(rand.N(2 * time.Millisecond)) // handlers take varying time
	err := fn()
	h.inFlight.Add(-1)
	h.mu.Lock()
	h.calls = append(h.calls, call{agg: agg, seq: seq, ok: err == nil, from: from})
	h.mu.Unlock()
	return err
}

// handled is, per aggregate, the sequences of the calls that succeeded, in the order
// they ended.
func (h *handling) handled() map[string][]uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string][]uint64{}
	for _, c := range h.calls {
		if c.ok {
			out[c.agg] = append(out[c.agg], c.seq)
		}
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestReactorOrdersPerAggregate: a flow handles many aggregates' events concurrently,
// each aggregate's in stream order; an event that keeps failing is parked before its
// aggregate's next event is handled, and one the router gives back unparked (its handler
// ran out of time) is tried again before its aggregate's next event.
func TestReactorOrdersPerAggregate(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openTest(t, t.TempDir())
	r, err := s.NewReactor(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), ReactorConfig{Retries: 2, RetryInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	aggs := []string{"bad", "late"}
	for i := range 40 {
		aggs = append(aggs, fmt.Sprint("o", i))
	}
	const rounds = 6
	want := appendRounds(t, s, aggs, rounds)
	badSeq, lateSeq := want["bad"][1], want["late"][1]
	var h handling
	var lateTries atomic.Int64
	var parkedFirst atomic.Bool // when bad's next event came, bad's second was parked
	err = r.Handle("test", []string{"order.*.*"}, func(ctx context.Context, m Msg) error {
		agg := m.Header.Get(HeaderAggregateID)
		return h.record(agg, m.Seq, "", func() error {
			switch {
			case m.Seq == badSeq:
				return errors.New("inventory unavailable")
			case m.Seq == lateSeq && lateTries.Add(1) <= 3: // one pass of Retry: not parked
				return fmt.Errorf("reserve: %w", context.DeadlineExceeded)
			case agg == "bad" && m.Seq == want["bad"][2]:
				p, err := r.Parked(ctx, "test")
				parkedFirst.Store(err == nil && len(p) == 1 && p[0].Event.Seq == badSeq)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	go r.Run(ctx)
	<-r.Running()
	defer r.Close()
	waitFor(t, "every event", func() bool {
		n := 0
		for _, seqs := range h.handled() {
			n += len(seqs)
		}
		return n == len(aggs)*rounds-1 // all but the parked one
	})

	got := h.handled()
	want["bad"] = slices.Delete(want["bad"], 1, 2)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handled per aggregate, in the order handled (-stream order +got):\n%s", diff)
	}
	if n := h.maxSeen.Load(); n < 2 {
		t.Errorf("at most %d handler calls at once, want several", n)
	}
	if !parkedFirst.Load() {
		t.Errorf("bad's third event was handled before its second was parked")
	}
	if n := lateTries.Load(); n != 4 {
		t.Errorf("late's second event was tried %d times, want 3 and once more after the router gave it back", n)
	}
	if p, err := r.Parked(ctx, "test"); err != nil || len(p) != 1 || p[0].Event.Seq != badSeq {
		t.Errorf("parked %+v, %v; want the event at %d", p, err, badSeq)
	}
}

// TestReactorSerial: a handler added with Serial sees every event one at a time, in
// stream order across aggregates.
func TestReactorSerial(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openTest(t, t.TempDir())
	r, err := s.NewReactor(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), ReactorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	aggs := []string{"o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"}
	const rounds = 5
	appendRounds(t, s, aggs, rounds)
	var h handling
	err = r.Handle("test", []string{"order.*.*"}, func(ctx context.Context, m Msg) error {
		return h.record(m.Header.Get(HeaderAggregateID), m.Seq, "", func() error { return nil })
	}, Serial())
	if err != nil {
		t.Fatal(err)
	}
	go r.Run(ctx)
	<-r.Running()
	defer r.Close()
	waitFor(t, "every event", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.calls) == len(aggs)*rounds
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	var got []uint64
	for _, c := range h.calls {
		got = append(got, c.seq)
	}
	if !slices.IsSorted(got) {
		t.Errorf("handled out of stream order: %v", got)
	}
	if n := h.maxSeen.Load(); n != 1 {
		t.Errorf("%d calls at once, want 1", n)
	}
}

// TestReactorHandsOverInOrder: two instances share a flow; one at a time is sent its
// events, and when that one closes, the other carries on with what it had not finished,
// each aggregate still in stream order and each event handled once.
func TestReactorHandsOverInOrder(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openTest(t, t.TempDir())
	var aggs []string
	for i := range 50 {
		aggs = append(aggs, fmt.Sprint("o", i))
	}
	const rounds = 20
	want := appendRounds(t, s, aggs, rounds) // a backlog: the first holder is closed half way
	var h handling
	reactors := map[string]*Reactor{}
	for _, name := range []string{"a", "b"} {
		r, err := s.NewReactor(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), ReactorConfig{})
		if err != nil {
			t.Fatal(err)
		}
		err = r.Handle("test", []string{"order.*.*"}, func(ctx context.Context, m Msg) error {
			return h.record(m.Header.Get(HeaderAggregateID), m.Seq, name, func() error { return nil })
		})
		if err != nil {
			t.Fatal(err)
		}
		go r.Run(ctx)
		<-r.Running()
		defer r.Close()
		reactors[name] = r
	}
	total := func() int {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.calls)
	}
	waitFor(t, "the first events", func() bool { return total() >= 100 })
	h.mu.Lock()
	holder := h.calls[0].from
	for _, c := range h.calls {
		if c.from != holder {
			t.Errorf("instance %s handled an event while %s held the flow", c.from, holder)
			break
		}
	}
	h.mu.Unlock()
	if err := reactors[holder].Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every event", func() bool { return total() >= len(aggs)*rounds })

	if diff := cmp.Diff(want, h.handled()); diff != "" {
		t.Errorf("handled per aggregate across the handover (-stream order +got):\n%s", diff)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.calls); n != len(aggs)*rounds {
		t.Errorf("%d calls for %d events", n, len(aggs)*rounds)
	}
	if last := h.calls[len(h.calls)-1].from; last == holder {
		t.Errorf("the last event was handled by %s, which had closed", holder)
	}
}

// TestReactorTakesOverAfterACrash: the instance holding a flow loses its connection with
// events unacked; after the pin's TTL the other instance takes the flow, waits for those
// events to come back and handles each aggregate's events in stream order (an event the
// first handled but could not ack is handled again, right after itself).
func TestReactorTakesOverAfterACrash(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openTest(t, t.TempDir())
	var aggs []string
	for i := range 50 {
		aggs = append(aggs, fmt.Sprint("o", i))
	}
	const rounds = 20
	want := appendRounds(t, s, aggs, rounds)
	var h handling
	reactors := map[string]*Reactor{}
	crashed := map[string]*atomic.Bool{}
	for _, name := range []string{"a", "b"} {
		r, err := s.NewReactor(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)),
			ReactorConfig{AckWait: 2 * time.Second, PinnedTTL: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		dead := &atomic.Bool{}
		err = r.Handle("test", []string{"order.*.*"}, func(ctx context.Context, m Msg) error {
			if dead.Load() { // what a crashed process no longer does
				<-ctx.Done()
				return ctx.Err()
			}
			return h.record(m.Header.Get(HeaderAggregateID), m.Seq, name, func() error { return nil })
		})
		if err != nil {
			t.Fatal(err)
		}
		go r.Run(ctx)
		<-r.Running()
		defer r.Close()
		reactors[name], crashed[name] = r, dead
	}
	distinct := func() int {
		n := 0
		for _, seqs := range h.handled() {
			n += len(slices.Compact(seqs))
		}
		return n
	}
	waitFor(t, "the first events", func() bool { return distinct() >= 100 })
	h.mu.Lock()
	holder := h.calls[0].from
	h.mu.Unlock()
	crashed[holder].Store(true)
	for _, sub := range reactors[holder].subs {
		sub.nc.Close() // no naks, no unpin, no more acks or InProgress
	}
	waitFor(t, "every event", func() bool { return distinct() == len(aggs)*rounds })

	got := h.handled()
	for agg, seqs := range got {
		if !slices.IsSorted(seqs) {
			t.Errorf("%s handled out of stream order: %v", agg, seqs)
		}
		got[agg] = slices.Compact(seqs)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handled per aggregate across the crash (-stream order +got):\n%s", diff)
	}
}

// BenchmarkReactorFlow is one flow with a 1 ms handler draining a backlog of events
// spread over 100 aggregates (b.N events in all); it reports events handled per second.
func BenchmarkReactorFlow(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openTest(b, b.TempDir())
	last := map[string]uint64{}
	for i := range b.N {
		id := fmt.Sprint("o", i%100)
		h := Header{}
		h.Set(HeaderAggregateID, id)
		seq, err := s.Append(ctx, "order", id, last[id], []Message{{ID: fmt.Sprint("e", i), EventType: "OrderConfirmed", Header: h, Data: []byte(`{}`)}})
		if err != nil {
			b.Fatal(err)
		}
		last[id] = seq
	}
	head := uint64(b.N)
	r, err := s.NewReactor(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), ReactorConfig{})
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	done := make(chan struct{})
	err = r.Handle("bench", []string{"order.*.*"}, func(ctx context.Context, m Msg) error {
		time.Sleep(time.Millisecond)
		if n.Add(1) == int64(head) {
			close(done)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	go r.Run(ctx)
	defer r.Close()
	<-done
	b.ReportMetric(float64(head)/time.Since(start).Seconds(), "events/s")
}
