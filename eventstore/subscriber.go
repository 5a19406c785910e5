package eventstore

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// flowGroup is the priority group of every flow consumer: pinned, so one instance at a
// time consumes a flow (see Reactor).
const flowGroup = "flows"

// drainWait is how long Close waits for the handlers in flight.
const drainWait = 5 * time.Second

// subscriber is a Watermill subscriber on one durable pull consumer of the event stream
// that hands the router several messages at once, in stream order per aggregate.
//
// Deliveries are held in-process, queued by aggregate (the subject without its event
// type; all in one queue for a serial handler). Up to workers queues are handled at a
// time, one message each: the next message of an aggregate goes to the router only after
// the previous one was acked (handled, or parked by the PoisonQueue). One the router
// nacks (parking failed, or the handler was stopped by its deadline) is handed over again
// after nakDelay without going back to JetStream, so a later event of its aggregate can
// never overtake it. Held messages are kept alive with InProgress, so a long queue does
// not run into the consumer's AckWait.
//
// The consumer is pinned (priority group, PriorityPolicyPinned): one instance at a time
// is sent a flow's events. When the pin moves to this instance (at start, or after
// another one stopped or lost it), nothing is handed over until every message the
// consumer has out is held here, that is until the previous holder acked its events or
// they came back to us (after AckWait, or at once when it naked them at close); queues
// are kept in stream order, so a returned event goes before the later ones of its
// aggregate. After AckWait and a margin it goes on regardless (a holder that lost the pin
// but keeps its events alive).
//
// It replaces watermill-nats' pkg/jetstream subscriber, whose shutdown closes the output
// channel while a delivery may still be sending on it. Close stops consuming, waits up to
// drainWait for the handlers in flight, naks in stream order what is held and settled (an
// aggregate whose handler did not finish keeps its events unacked: they return after
// AckWait) and unpins, so another instance takes over at once; only then is the output
// channel closed.
type subscriber struct {
	nc       *nats.Conn
	js       jetstream.JetStream
	stream   string
	consumer jetstream.ConsumerConfig
	workers  int
	serial   bool          // one queue for every aggregate: stream order across aggregates
	ackWait  time.Duration // longest a handler may take before it is stopped
	nakDelay time.Duration
	pinTTL   time.Duration // the consumer's PinnedTTL: a holder asks again at least every third of it

	once    sync.Once
	stop    chan struct{} // closed by Close: nothing new is handed over
	abandon chan struct{} // closed by Close after drainWait: stop waiting for handlers
	wg      sync.WaitGroup

	mu        sync.Mutex
	cond      *sync.Cond // signals ready queues, the end of a pause and stop
	cons      jetstream.Consumer
	cc        jetstream.ConsumeContext
	out       chan *message.Message
	stopping  bool
	finished  bool                  // Close has naked what it held
	queues    map[string]*partition // aggregates with messages held
	ready     []*partition          // queues with a message to hand over and none in flight
	held      map[uint64]*held      // by stream sequence
	pin       string                // the pin id of the last delivery
	paused    bool                  // the pin moved here: waiting for the previous holder's events
	pauseTurn int                   // counts pauses: a newer one ends the wait of an older
}

// partition is one aggregate's held messages, in stream order; the first is in flight
// while busy.
type partition struct {
	key       string
	queue     []*held
	busy      bool
	abandoned bool // its handler in flight did not finish by Close
}

type held struct {
	seq uint64
	msg jetstream.Msg // the latest delivery: a redelivery of a held message replaces it
}

func newSubscriber(nc *nats.Conn, stream string, consumer jetstream.ConsumerConfig, workers int, serial bool, nakDelay time.Duration) (*subscriber, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	if serial {
		workers = 1
	}
	s := &subscriber{nc: nc, js: js, stream: stream, consumer: consumer, workers: max(workers, 1), serial: serial,
		ackWait: consumer.AckWait, nakDelay: nakDelay, pinTTL: consumer.PinnedTTL, stop: make(chan struct{}), abandon: make(chan struct{}),
		queues: map[string]*partition{}, held: map[uint64]*held{}}
	s.cond = sync.NewCond(&s.mu)
	return s, nil
}

// Subscribe binds the durable consumer (creating or updating it; the topic only names
// the handler) and delivers its messages on the returned channel until ctx ends or Close.
// It may be called once.
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
	if s.stopping || s.out != nil {
		s.mu.Unlock()
		return nil, errors.New("subscriber closed or subscribed already")
	}
	s.cons, s.out = cons, out
	s.mu.Unlock()
	// the callback never blocks: the consumer's MaxAckPending bounds what is held
	cc, err := cons.Consume(s.receive, jetstream.PullMaxMessages(max(s.consumer.MaxAckPending, 1)),
		jetstream.PullPriorityGroup(flowGroup), jetstream.PullExpiry(max(s.pinTTL/3, time.Second)))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.stopping { // Close came first and found nothing to stop
		s.mu.Unlock()
		cc.Stop()
		return nil, errors.New("subscriber closed")
	}
	s.cc = cc
	for range s.workers { // under the lock: Close waits for them only once it holds it
		s.wg.Go(func() { s.work(ctx, out) })
	}
	s.mu.Unlock()
	go s.keepAlive()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.stop:
		}
	}()
	return out, nil
}

// receive holds one delivery: queued behind the held messages of its aggregate with a
// lower stream sequence.
func (s *subscriber) receive(msg jetstream.Msg) {
	meta, err := msg.Metadata()
	if err != nil {
		return // not a consumer's message; nothing to ack
	}
	key := ""
	if !s.serial {
		key = aggregateOf(msg.Subject())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.held[meta.Sequence.Stream]; ok {
		h.msg = msg // AckWait ran out before an InProgress: the latest delivery settles it
		return
	}
	if s.finished { // arrived after Close gave back what it held
		if p := s.queues[key]; p == nil || !p.abandoned {
			_ = msg.Nak()
		}
		return
	}
	if pin := msg.Headers().Get("Nats-Pin-Id"); pin != "" && pin != s.pin {
		s.pin = pin
		s.paused = true
		s.pauseTurn++
		go s.awaitPrevious(s.pauseTurn)
	}
	h := &held{seq: meta.Sequence.Stream, msg: msg}
	s.held[h.seq] = h
	p := s.queues[key]
	if p == nil {
		p = &partition{key: key}
		s.queues[key] = p
	}
	i := len(p.queue)
	for i > 0 && p.queue[i-1].seq > h.seq && !(i == 1 && p.busy) {
		i-- // an event returned by a previous holder goes before the later ones queued
	}
	p.queue = slices.Insert(p.queue, i, h)
	if !p.busy && len(p.queue) == 1 {
		s.ready = append(s.ready, p)
		s.cond.Signal()
	}
}

// aggregateOf is the aggregate of an event's subject: the subject without the event
// type (<prefix>.events.<type>.<id>).
func aggregateOf(subject string) string {
	if i := strings.LastIndexByte(subject, '.'); i >= 0 {
		return subject[:i]
	}
	return subject
}

// awaitPrevious ends the pause that began when the pin moved here: once every message
// the consumer has out is held here, or after AckWait and a margin.
func (s *subscriber) awaitPrevious(turn int) {
	deadline := time.Now().Add(s.ackWait + s.pinTTL)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		info, err := s.cons.Info(ctx)
		cancel()
		s.mu.Lock()
		if turn != s.pauseTurn || s.stopping {
			s.mu.Unlock()
			return
		}
		// acks sent and not yet seen by the server only make this wait a little longer
		if err == nil && info.NumAckPending <= len(s.held) || time.Now().After(deadline) {
			s.paused = false
			s.cond.Broadcast()
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		select {
		case <-time.After(wait):
		case <-s.stop:
			return
		}
	}
}

// work hands over one aggregate's next message at a time until Close.
func (s *subscriber) work(ctx context.Context, out chan *message.Message) {
	for {
		s.mu.Lock()
		for !s.stopping && (s.paused || len(s.ready) == 0) {
			s.cond.Wait()
		}
		if s.stopping {
			s.mu.Unlock()
			return
		}
		p := s.ready[0]
		s.ready = s.ready[1:]
		p.busy = true
		h := p.queue[0]
		s.mu.Unlock()

		acked, finished := s.handle(ctx, h, out)

		s.mu.Lock()
		p.busy = false
		switch {
		case acked:
			delete(s.held, h.seq)
			p.queue = p.queue[1:]
			if len(p.queue) == 0 {
				delete(s.queues, p.key)
			} else if !s.stopping {
				s.ready = append(s.ready, p)
				s.cond.Signal()
			}
		case !finished:
			p.abandoned = true
		}
		s.mu.Unlock()
	}
}

// handle hands h to the router until it is acked (acked), or until Close, reporting
// whether the handler is done with it (finished: not running, so it may be naked).
func (s *subscriber) handle(ctx context.Context, h *held, out chan *message.Message) (acked, finished bool) {
	for {
		s.mu.Lock()
		msg := h.msg
		s.mu.Unlock()
		m, _ := unmarshaler{}.Unmarshal(msg)
		mctx, cancel := context.WithTimeout(ctx, s.ackWait)
		m.SetContext(mctx)
		select {
		case out <- m: // out is closed only once every worker has returned
		case <-s.stop:
			cancel()
			return false, true
		}
		select {
		case <-m.Acked():
			cancel()
			s.mu.Lock()
			msg = h.msg
			s.mu.Unlock()
			// not waiting for the server to confirm the ack (a round trip per event): a lost
			// ack means one redelivery, and flows are idempotent (watermill.md: 2x throughput)
			_ = msg.Ack()
			return true, true
		case <-m.Nacked():
			cancel()
		case <-s.abandon:
			cancel() // the handler is told to stop; its event stays unacked
			return false, false
		}
		// not parked (the parked stream refused it, or the handler ran out of time or was
		// stopped): try again here, holding the aggregate's later events back
		select {
		case <-time.After(s.nakDelay):
		case <-s.stop:
			return false, true
		case <-ctx.Done(): // Close is under way
			return false, true
		}
	}
}

// keepAlive tells the server every held message is being worked on, so none is
// redelivered while it waits its turn.
func (s *subscriber) keepAlive() {
	t := time.NewTicker(max(s.ackWait/3, 100*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.stop:
			return
		}
		s.mu.Lock()
		msgs := make([]jetstream.Msg, 0, len(s.held))
		for _, h := range s.held {
			msgs = append(msgs, h.msg)
		}
		s.mu.Unlock()
		for _, m := range msgs {
			_ = m.InProgress()
		}
	}
}

// Close stops consuming, waits up to drainWait for the handlers in flight, gives back
// what it holds (see subscriber) and closes the output channel and the connection.
func (s *subscriber) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.stopping = true
		close(s.stop)
		s.cond.Broadcast()
		cc, cons, out := s.cc, s.cons, s.out
		s.mu.Unlock()
		if cc != nil {
			// drained, not stopped: what the server sent before the unsubscribe is still
			// received, and so naked below instead of waiting out AckWait
			cc.Drain()
			select {
			case <-cc.Closed():
			case <-time.After(2 * time.Second):
			}
		}
		done := make(chan struct{})
		go func() {
			s.wg.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(drainWait):
			close(s.abandon)
			<-done
		}

		s.mu.Lock()
		s.finished = true
		var back []*held
		for _, p := range s.queues {
			if !p.abandoned {
				back = append(back, p.queue...)
			}
		}
		// in stream order: JetStream redelivers naked messages first, in the order naked
		slices.SortFunc(back, func(a, b *held) int { return cmp.Compare(a.seq, b.seq) })
		msgs := make([]jetstream.Msg, len(back))
		for i, h := range back {
			msgs[i] = h.msg
		}
		pin := s.pin
		s.mu.Unlock()
		for _, m := range msgs {
			_ = m.Nak()
		}
		if cons != nil && pin != "" {
			s.unpin(cons, pin)
		}
		if out != nil {
			close(out)
		}
		s.nc.Close()
	})
	return nil
}

// unpin lets the next instance that asks take the consumer at once, instead of after
// the PinnedTTL, if this one still holds the pin.
func (s *subscriber) unpin(cons jetstream.Consumer, pin string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.nc.FlushWithContext(ctx); err != nil { // the naks reach the server first
		return
	}
	info, err := cons.Info(ctx)
	if err != nil || !slices.ContainsFunc(info.PriorityGroups, func(g jetstream.PriorityGroupState) bool {
		return g.Group == flowGroup && g.PinnedClientID == pin
	}) {
		return
	}
	if st, err := s.js.Stream(ctx, s.stream); err == nil {
		_ = st.UnpinConsumer(ctx, s.consumer.Durable, flowGroup)
	}
}
