package eventstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// subscriber is a Watermill subscriber on one durable pull consumer of the event stream.
//
// It replaces watermill-nats' pkg/jetstream subscriber, whose shutdown closes the output
// channel while a delivery may still be sending on it (a data race, and a "send on closed
// channel" panic when the select picks the send): `go test -race` caught it in a server
// stopping under load. Here a send and the close are ordered by a lock, a delivery in
// flight at shutdown is left unacked (JetStream redelivers it), and messages are acked
// only after the handler acked them.
type subscriber struct {
	nc       *nats.Conn
	js       jetstream.JetStream
	stream   string
	consumer jetstream.ConsumerConfig
	ackWait  time.Duration // longest a handler may take before the delivery is given up
	nakDelay time.Duration

	mu     sync.RWMutex // a delivery sends under the read lock; Close closes under the write lock
	closed bool
	once   sync.Once
	done   chan struct{}
	outs   []chan *message.Message
	ccs    []jetstream.ConsumeContext
}

func newSubscriber(nc *nats.Conn, stream string, consumer jetstream.ConsumerConfig, ackWait, nakDelay time.Duration) (*subscriber, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	return &subscriber{nc: nc, js: js, stream: stream, consumer: consumer, ackWait: ackWait, nakDelay: nakDelay,
		done: make(chan struct{})}, nil
}

// Subscribe binds the durable consumer (creating or updating it; the topic only names
// the handler) and delivers its messages on the returned channel until ctx ends or Close.
func (s *subscriber) Subscribe(ctx context.Context, _ string) (<-chan *message.Message, error) {
	// A busy or just-started server may not answer at once: one refusal here would stop
	// the whole router, and the instance would never be ready. Ask again until it does.
	var cons jetstream.Consumer
	for attempt := 1; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		c, err := s.js.CreateOrUpdateConsumer(cctx, s.stream, s.consumer)
		cancel()
		if err == nil {
			cons = c
			break
		}
		if ctx.Err() != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(min(attempt, 10)) * 200 * time.Millisecond):
		}
	}
	out := make(chan *message.Message)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("subscriber closed")
	}
	s.outs = append(s.outs, out)
	s.mu.Unlock()
	cc, err := cons.Consume(func(msg jetstream.Msg) { s.deliver(ctx, msg, out) }, jetstream.PullMaxMessages(1))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.ccs = append(s.ccs, cc)
	s.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return out, nil
}

// deliver hands one message to the handler and acks or naks it as the handler says.
func (s *subscriber) deliver(ctx context.Context, msg jetstream.Msg, out chan *message.Message) {
	m, _ := unmarshaler{}.Unmarshal(msg)
	mctx, cancel := context.WithTimeout(ctx, s.ackWait)
	defer cancel()
	m.SetContext(mctx)

	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return // not acked: redelivered to whoever consumes next
	}
	select {
	case out <- m: // Close waits for this lock, so out is open here
	case <-s.done:
		s.mu.RUnlock()
		return
	case <-mctx.Done():
		s.mu.RUnlock()
		return
	}
	s.mu.RUnlock()

	select {
	case <-m.Acked():
		// not waiting for the server to confirm the ack (a round trip per event): a lost
		// ack means one redelivery, and flows are idempotent (watermill.md: 2x throughput)
		_ = msg.Ack()
	case <-m.Nacked():
		_ = msg.NakWithDelay(s.nakDelay)
	case <-mctx.Done(): // shutdown or too slow: redelivered after the consumer's AckWait
	case <-s.done:
	}
}

// Close stops consuming and closes the output channels; deliveries in flight are not
// acked.
func (s *subscriber) Close() error {
	s.once.Do(func() {
		close(s.done) // deliveries waiting to send give up and release their read locks
		s.mu.Lock()   // no delivery holds the read lock now: no send is under way
		s.closed = true
		for _, cc := range s.ccs {
			cc.Stop()
		}
		for _, out := range s.outs {
			close(out)
		}
		s.mu.Unlock()
		s.nc.Close()
	})
	return nil
}
