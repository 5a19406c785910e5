package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{DataDir: dir}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func msg(id, typ string) Message {
	return Message{ID: id, EventType: typ, Header: Header{HeaderEventType: {typ}}, Data: []byte(`{"n":"` + id + `"}`)}
}

func loadAll(t *testing.T, s *Store, subject string, after uint64) []Msg {
	t.Helper()
	var out []Msg
	for m, err := range s.Load(context.Background(), subject, after) {
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func TestAppendChecksTheAggregatesLastSequence(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())

	seq1, err := s.Append(ctx, "customer", "c1", 0, []Message{msg("e1", "CustomerCreated")})
	if err != nil {
		t.Fatalf("first append: %v", err)
	}
	// another aggregate in between does not conflict
	if _, err := s.Append(ctx, "customer", "c2", 0, []Message{msg("e2", "CustomerCreated")}); err != nil {
		t.Fatalf("other aggregate: %v", err)
	}
	seq3, err := s.Append(ctx, "customer", "c1", seq1, []Message{msg("e3", "CustomerUpdated")})
	if err != nil {
		t.Fatalf("append with right expectation: %v", err)
	}
	if _, err := s.Append(ctx, "customer", "c1", seq1, []Message{msg("e4", "CustomerUpdated")}); !errors.Is(err, ErrConcurrency) {
		t.Fatalf("stale expectation: got %v, want ErrConcurrency", err)
	}
	if _, err := s.Append(ctx, "customer", "c1", 0, []Message{msg("e5", "CustomerCreated")}); !errors.Is(err, ErrConcurrency) {
		t.Fatalf("create over existing: got %v, want ErrConcurrency", err)
	}
	// a retry of the append that succeeded is recognised as ours
	again, err := s.Append(ctx, "customer", "c1", seq1, []Message{msg("e3", "CustomerUpdated")})
	if err != nil || again != seq3 {
		t.Fatalf("retried append: got %d, %v; want %d, nil", again, err, seq3)
	}
	got := loadAll(t, s, s.AggregateSubjects("customer", "c1"), 0)
	if len(got) != 2 || got[0].Seq != seq1 || got[1].Seq != seq3 {
		t.Fatalf("loaded %+v, want seqs %d and %d", got, seq1, seq3)
	}
	if h := got[1].Header.Get(HeaderEventType); h != "CustomerUpdated" {
		t.Errorf("event type header: got %q", h)
	}
}

func TestAppendOfSeveralEventsIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	seq1, err := s.Append(ctx, "customer", "c1", 0, []Message{msg("a1", "CustomerCreated")})
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.Append(ctx, "customer", "c1", seq1, []Message{msg("a2", "CustomerUpdated"), msg("a3", "CustomerStatusChanged")})
	if err != nil {
		t.Fatalf("batch append: %v", err)
	}
	if last != seq1+2 {
		t.Errorf("last seq: got %d, want %d", last, seq1+2)
	}
	// a stale batch stores nothing
	if _, err := s.Append(ctx, "customer", "c1", seq1, []Message{msg("b1", "CustomerUpdated"), msg("b2", "CustomerArchived")}); !errors.Is(err, ErrConcurrency) {
		t.Fatalf("stale batch: got %v, want ErrConcurrency", err)
	}
	// a retried batch is recognised as ours
	again, err := s.Append(ctx, "customer", "c1", seq1, []Message{msg("a2", "CustomerUpdated"), msg("a3", "CustomerStatusChanged")})
	if err != nil || again != last {
		t.Fatalf("retried batch: got %d, %v; want %d", again, err, last)
	}
	if n := len(loadAll(t, s, s.AggregateSubjects("customer", "c1"), 0)); n != 3 {
		t.Fatalf("stored %d events, want 3", n)
	}
}

func TestAppendRefusesUnsafeSubjects(t *testing.T) {
	s := openTest(t, t.TempDir())
	for _, id := range []string{"", "a.b", "a*", "a>", "a b", string(make([]byte, 65))} {
		if _, err := s.Append(context.Background(), "customer", id, 0, []Message{msg("x", "T")}); !errors.Is(err, ErrInvalidSubject) {
			t.Errorf("id %q: got %v, want ErrInvalidSubject", id, err)
		}
	}
}

func TestLoadPagesThroughLongHistories(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	var last uint64
	const n = 2*loadBatch + 17
	for i := range n {
		var err error
		if last, err = s.Append(ctx, "customer", "long", last, []Message{msg(fmt.Sprint("l", i), "CustomerUpdated")}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 { // interleave another aggregate
			if _, err := s.Append(ctx, "customer", fmt.Sprint("o", i), 0, []Message{msg(fmt.Sprint("o", i), "CustomerCreated")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := len(loadAll(t, s, s.AggregateSubjects("customer", "long"), 0)); got != n {
		t.Fatalf("loaded %d, want %d", got, n)
	}
	mid := loadAll(t, s, s.AggregateSubjects("customer", "long"), 0)[n-10].Seq
	if got := len(loadAll(t, s, s.AggregateSubjects("customer", "long"), mid)); got != 9 {
		t.Fatalf("loaded after %d: %d, want 9", mid, got)
	}
	if got := len(loadAll(t, s, s.AggregateSubjects("customer", "none"), 0)); got != 0 {
		t.Fatalf("missing aggregate loaded %d", got)
	}
}

func TestSubscribeDeliversInOrderFromASequence(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	for i := range 10 {
		if _, err := s.Append(ctx, "customer", fmt.Sprint("c", i), 0, []Message{msg(fmt.Sprint("e", i), "CustomerCreated")}); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := s.Subscribe(ctx, []string{s.TypeSubjects("customer")}, 4, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Stop()
	for want := uint64(4); want <= 10; want++ {
		select {
		case m := <-sub.C:
			if m.Seq != want {
				t.Fatalf("got seq %d, want %d", m.Seq, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no message %d", want)
		}
	}
}

func TestDownstreamReaderSeesEventsAndCannotWrite(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), NATSListen: "127.0.0.1:0", ReaderUser: "reader", ReaderPassword: "reader-secret-123"},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := nats.Connect(s.ClientURL()); err == nil {
		t.Fatal("anonymous connection accepted")
	}
	nc, err := nats.Connect(s.ClientURL(), nats.UserInfo("reader", "reader-secret-123"))
	if err != nil {
		t.Fatalf("connect over TCP: %v", err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	cons, err := js.OrderedConsumer(ctx, s.StreamName(), jetstream.OrderedConsumerConfig{FilterSubjects: []string{"stateset.events.customer.>"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "customer", "c1", 0, []Message{msg("d1", "CustomerCreated")}); err != nil {
		t.Fatal(err)
	}
	m, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject() != "stateset.events.customer.c1.CustomerCreated" || m.Headers().Get(HeaderEventType) != "CustomerCreated" {
		t.Fatalf("got %s %v", m.Subject(), m.Headers())
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := js.Publish(short, "stateset.events.customer.c9.CustomerCreated", []byte(`{}`)); err == nil {
		t.Error("the reader published an event")
	}
	if err := js.DeleteStream(short, s.StreamName()); err == nil {
		t.Error("the reader deleted the stream")
	}
	if head, _ := s.Head(ctx); head != 1 {
		t.Errorf("stream head %d, want 1", head)
	}
}

func TestBucketCompareAndSet(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	b, err := s.Bucket(ctx, "TEST", 0)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := b.Create(ctx, "k", []byte("1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Create(ctx, "k", []byte("2")); !errors.Is(err, ErrKeyExists) {
		t.Fatalf("second create: %v", err)
	}
	if _, err := b.Update(ctx, "k", []byte("3"), rev+5); !errors.Is(err, ErrWrongRevision) {
		t.Fatalf("stale update: %v", err)
	}
	rev2, err := b.Update(ctx, "k", []byte("3"), rev)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "k", rev); !errors.Is(err, ErrWrongRevision) {
		t.Fatalf("stale delete: %v", err)
	}
	if err := b.Delete(ctx, "k", rev2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Get(ctx, "k"); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
	if _, err := b.Create(ctx, "k", []byte("4")); err != nil {
		t.Fatalf("create after delete: %v", err)
	}
}

func TestRestartKeepsEvents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, Config{DataDir: dir}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "customer", "c1", 0, []Message{msg("r1", "CustomerCreated")}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := openTest(t, dir)
	if got := len(loadAll(t, s2, s2.AggregateSubjects("customer", "c1"), 0)); got != 1 {
		t.Fatalf("after restart loaded %d, want 1", got)
	}
}

func TestLeaderGetAnswersLikeDirectGet(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	seq, err := s.Append(ctx, "customer", "c1", 0, []Message{msg("g1", "CustomerCreated")})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []msgQuery{{Seq: seq}, {Seq: 1, NextBySubj: s.AggregateSubjects("customer", "c1")}, {LastBySubj: s.AggregateSubjects("customer", "c1")}} {
		direct, err := s.getMsg(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		leader, err := s.leaderGet(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if direct.Seq != leader.Seq || string(direct.Data) != string(leader.Data) || leader.Header.Get(jetstream.MsgIDHeader) != "g1" {
			t.Errorf("%+v: direct %+v leader %+v", q, direct, leader)
		}
	}
	if m, err := s.leaderGet(ctx, msgQuery{Seq: seq + 10}); err != nil || m != nil {
		t.Errorf("missing message: %v %v", m, err)
	}
}

// TestPersist: a request that reached no one is sent again until it is answered or the
// time is up; any other outcome is final at once.
func TestPersist(t *testing.T) {
	other := errors.New("stream not found")
	tests := []struct {
		name      string
		errs      []error // what the tries return, in order; nil after the last
		timeout   time.Duration
		wantTries int
		wantErr   error
	}{
		{"answered at once", nil, time.Second, 1, nil},
		{"no responders, then answered", []error{nats.ErrNoResponders, jetstream.ErrNoStreamResponse}, time.Second, 3, nil},
		{"wrapped no responders is seen", []error{fmt.Errorf("%w: %w", ErrUnavailable, nats.ErrNoResponders)}, time.Second, 2, nil},
		{"other errors are not retried", []error{other}, time.Second, 1, other},
		{"a timeout is not retried", []error{nats.ErrTimeout}, time.Second, 1, nats.ErrTimeout},
		{"gives up when the time is up", []error{nats.ErrNoResponders, nats.ErrNoResponders, nats.ErrNoResponders}, 0, 1, nats.ErrNoResponders},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tries := 0
			err := persist(context.Background(), tc.timeout, func() error {
				tries++
				if tries <= len(tc.errs) {
					return tc.errs[tries-1]
				}
				return nil
			})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) || tries != tc.wantTries {
				t.Errorf("err %v after %d tries, want %v after %d", err, tries, tc.wantErr, tc.wantTries)
			}
		})
	}
}

func TestTransientErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"timeout", fmt.Errorf("get: %w", context.DeadlineExceeded), true},
		{"no responders", nats.ErrNoResponders, true},
		{"leader election (10008)", fmt.Errorf("last message of x: %w",
			&jetstream.APIError{Code: 503, ErrorCode: 10008, Description: "JetStream system temporarily unavailable"}), true},
		{"wrong last sequence", &jetstream.APIError{Code: 400, ErrorCode: 10071}, false},
		{"other", errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := transient(c.err); got != c.want {
			t.Errorf("%s: transient = %v, want %v", c.name, got, c.want)
		}
	}
}
