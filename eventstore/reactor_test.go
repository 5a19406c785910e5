package eventstore

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
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
	for _, want := range []string{"good1", "good2"} {
		select {
		case got := <-handled:
			if got != want {
				t.Fatalf("handled %s, want %s", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s was never handled", want)
		}
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
