package eventstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// BulkMessage is one event of a bulk import, with the aggregate it belongs to.
type BulkMessage struct {
	AggregateType string
	AggregateID   string
	Message
}

// Import appends messages with asynchronous publishes and no concurrency check, keeping
// at most 4000 in flight, and returns when every one is acknowledged. It is for seeding
// benchmarks and for migrations into a new stream (replays), never for commands: nothing
// stops it from interleaving with a writer of the same aggregate.
func (s *Store) Import(ctx context.Context, msgs func(yield func(BulkMessage) bool)) (int, error) {
	var futures []jetstream.PubAckFuture
	n := 0
	flush := func() error {
		for _, f := range futures {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				return fmt.Errorf("import: %w", s.wrap(err))
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		futures = futures[:0]
		return nil
	}
	var err error
	msgs(func(m BulkMessage) bool {
		if !subjectSafe(m.AggregateType) || !subjectSafe(m.AggregateID) || !subjectSafe(m.EventType) {
			err = fmt.Errorf("import %s %s: %w", m.AggregateType, m.AggregateID, ErrInvalidSubject)
			return false
		}
		h := nats.Header{}
		for k, v := range m.Header {
			h[k] = v
		}
		h.Set(jetstream.MsgIDHeader, m.ID)
		var f jetstream.PubAckFuture
		f, err = s.js.PublishMsgAsync(&nats.Msg{Subject: s.Subject(m.AggregateType, m.AggregateID, m.EventType), Header: h, Data: m.Data},
			jetstream.WithStallWait(30*time.Second))
		if err != nil {
			err = fmt.Errorf("import: %w", s.wrap(err))
			return false
		}
		futures = append(futures, f)
		n++
		if len(futures) == 4000 {
			if err = flush(); err != nil {
				return false
			}
		}
		return true
	})
	if err != nil {
		// what was sent is acknowledged (or not) before the error is reported
		if ferr := flush(); ferr != nil {
			return n, errors.Join(err, ferr)
		}
		return n, err
	}
	return n, flush()
}
