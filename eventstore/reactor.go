package eventstore

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmjs "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/jetstream"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"
)

// ReactFunc handles one stored event. An error is retried, then the event is parked.
type ReactFunc func(ctx context.Context, m Msg) error

// ReactorConfig tunes the reactor; the zero value is the production setting.
type ReactorConfig struct {
	Retries       int           // in-process retries before an event is parked; default 5
	RetryInterval time.Duration // first retry's wait, doubling up to 2 s; default 100 ms
	AckWait       time.Duration // how long a handler may take before it is stopped and the event tried again; default 60 s
	Workers       int           // events a flow handles at once, each of a different aggregate; default 16
	MaxAckPending int           // events a flow's consumer hands out before acks, held in-process; default 1024
	PinnedTTL     time.Duration // how long a silent instance keeps its flows (a crash); default 15 s, at least 3 s
}

// Reactor runs process managers: Watermill handlers, each fed by its own durable JetStream
// consumer on the event stream (shared by name across instances, so each event is
// handled once), with Recoverer, Retry, CorrelationID and a poison queue: an event that
// still fails after the retries is parked in the <PREFIX>_PARKED stream, where it can be
// listed and replayed.
//
// A handler sees the events of one aggregate (the subject's <type>.<id>) one at a time in
// stream order, and events of different aggregates concurrently, up to Workers at once:
// its consumer hands out up to MaxAckPending events, which our subscriber queues by
// aggregate and passes on one per aggregate, the next only once the previous was acked
// (handled, or parked). One the router gives back unparked (parking failed, the handler
// ran out of AckWait) is tried again in-process after a second, still ahead of its
// aggregate's later events. A handler added with Serial sees every event one at a time,
// in stream order.
//
// Across instances, each consumer is pinned (JetStream priority group, pinned client
// policy): one instance at a time is sent a flow's events, so two instances never handle
// two events of one aggregate at once (watermill.md: 185 inversions over 500 events on
// two instances sharing a consumer without a limit). Another instance takes over when the
// holder closes (it naks what it held, in stream order, and unpins) or has not asked for
// PinnedTTL (a crash). The new holder hands nothing over until every event the consumer
// has out is back with it (at once after a close, after AckWait after a crash) and
// queues what comes back ahead of the later events of its aggregate, so order per
// aggregate survives a handover; it waits AckWait+PinnedTTL at most (an old holder alive
// and keeping its events, which then may run beside the new one's). An event whose handler
// had not finished within 5 s of Close stays unacked, with its aggregate's later ones: the
// next holder waits for them (AckWait). Every instance must use the same ReactorConfig
// (each calls CreateOrUpdateConsumer at start).
type Reactor struct {
	store    *Store
	log      *slog.Logger
	cfg      ReactorConfig
	router   *message.Router
	pub      *wmjs.Publisher
	parked   string // stream name
	mu       sync.Mutex
	handlers map[string]ReactFunc
	subs     []*subscriber
}

// NewReactor makes a reactor on the store's stream; add handlers, then Run it.
func (s *Store) NewReactor(ctx context.Context, log *slog.Logger, cfg ReactorConfig) (*Reactor, error) {
	if cfg.Retries == 0 {
		cfg.Retries = 5
	}
	if cfg.RetryInterval == 0 {
		cfg.RetryInterval = 100 * time.Millisecond
	}
	if cfg.AckWait == 0 {
		cfg.AckWait = 60 * time.Second
	}
	if cfg.Workers == 0 {
		cfg.Workers = 16
	}
	if cfg.MaxAckPending == 0 {
		cfg.MaxAckPending = 1024
	}
	if cfg.PinnedTTL == 0 {
		cfg.PinnedTTL = 15 * time.Second
	}
	cfg.PinnedTTL = max(cfg.PinnedTTL, 3*time.Second) // a holder asks every third of it, a pull lasts 1 s at least
	r := &Reactor{store: s, log: log.With("component", "reactor"), cfg: cfg,
		parked: strings.ToUpper(s.cfg.Prefix) + "_PARKED", handlers: map[string]ReactFunc{}}
	err := s.settle(ctx, "open parked stream", func(ctx context.Context) error {
		_, err := s.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: r.parked,
			Subjects: []string{s.cfg.Prefix + ".parked.>"}, Storage: jetstream.FileStorage, Replicas: s.cfg.Replicas,
			AllowDirect: true})
		return err
	})
	if err != nil {
		return nil, err
	}
	wlog := watermill.NewSlogLoggerWithLevelMapping(r.log, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	if r.router, err = message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog); err != nil {
		return nil, fmt.Errorf("reactor: %w", err)
	}
	// Watermill closes the connections it is given: it gets its own.
	nc, err := s.connect("reactor-park")
	if err != nil {
		return nil, err
	}
	if r.pub, err = wmjs.NewPublisher(wmjs.PublisherConfig{Conn: nc, Logger: wlog}); err != nil {
		nc.Close()
		return nil, fmt.Errorf("reactor: %w", err)
	}
	// our correlation header becomes Watermill's correlation id, kept on what handlers make
	r.router.AddMiddleware(func(h message.HandlerFunc) message.HandlerFunc {
		return func(m *message.Message) ([]*message.Message, error) {
			if id := m.Metadata.Get(HeaderCorrelationID); id != "" {
				middleware.SetCorrelationID(id, m)
			}
			return h(m)
		}
	}, middleware.CorrelationID)
	return r, nil
}

// Durable is the consumer name of a handler. Renaming a handler renames its consumer,
// which then reads the whole stream again.
func (r *Reactor) Durable(name string) string { return r.store.cfg.Prefix + "-flow-" + name }

func (r *Reactor) parkedSubject(name string) string { return r.store.cfg.Prefix + ".parked." + name }

// HandleOption is an optional setting of one handler.
type HandleOption func(*handleOptions)

type handleOptions struct{ serial bool }

// Serial makes a handler see every event one at a time in stream order, across
// aggregates (the webhook fan-out: an endpoint's deliveries follow the stream).
func Serial() HandleOption { return func(o *handleOptions) { o.serial = true } }

// Handle adds a handler for the events on subjects (relative to <prefix>.events., e.g.
// "order.*.OrderConfirmed").
func (r *Reactor) Handle(name string, subjects []string, fn ReactFunc, opts ...HandleOption) error {
	var o handleOptions
	for _, opt := range opts {
		opt(&o)
	}
	filters := make([]string, len(subjects))
	for i, s := range subjects {
		filters[i] = r.store.cfg.Prefix + ".events." + s
	}
	consumer := jetstream.ConsumerConfig{Durable: r.Durable(name), FilterSubjects: filters,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: r.cfg.AckWait, MaxAckPending: r.cfg.MaxAckPending,
		// one instance at a time (see Reactor); every instance must pass the same config
		PriorityGroups: []string{flowGroup}, PriorityPolicy: jetstream.PriorityPolicyPinned, PinnedTTL: r.cfg.PinnedTTL,
		// no MaxDeliver: JetStream would drop an event after it silently; one that keeps
		// failing is parked by the handler's middleware instead
		MaxDeliver: -1, DeliverPolicy: jetstream.DeliverAllPolicy}
	nc, err := r.store.connect("reactor-" + name)
	if err != nil {
		return err
	}
	sub, err := newSubscriber(nc, r.store.name, consumer, r.cfg.Workers, o.serial, time.Second)
	if err != nil {
		nc.Close()
		return fmt.Errorf("reactor %s: %w", name, err)
	}
	r.mu.Lock()
	r.subs = append(r.subs, sub)
	r.mu.Unlock()
	// A handler stopped by shutdown (or by the subscriber's ack deadline) did not fail: its
	// event is not acked and comes back; parking it too would hand it over twice.
	pq, err := middleware.PoisonQueueWithFilter(r.pub, r.parkedSubject(name), func(err error) bool {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	})
	if err != nil {
		return fmt.Errorf("reactor %s: %w", name, err)
	}
	h := r.router.AddConsumerHandler(name, name, sub, func(m *message.Message) error {
		return fn(m.Context(), msgOf(m))
	})
	// outermost first: park what Retry gave up on; Recoverer inside Retry retries panics
	h.AddMiddleware(pq, middleware.Retry{MaxRetries: r.cfg.Retries, InitialInterval: r.cfg.RetryInterval,
		Multiplier: 2, MaxInterval: 2 * time.Second, MaxElapsedTime: r.cfg.AckWait / 4, Logger: watermill.NopLogger{}}.Middleware,
		middleware.Recoverer)
	r.mu.Lock()
	r.handlers[name] = fn
	r.mu.Unlock()
	return nil
}

// Names lists the handlers, sorted.
func (r *Reactor) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.handlers))
}

// Run runs the handlers until ctx ends.
func (r *Reactor) Run(ctx context.Context) error {
	err := r.router.Run(ctx)
	if ctx.Err() != nil {
		return nil // stopped, not failed (a stop during start ends subscribing half way)
	}
	return err
}

// Running is closed once every handler is subscribed.
func (r *Reactor) Running() chan struct{} { return r.router.Running() }

// Close stops the handlers and closes the reactor's connections.
func (r *Reactor) Close() error {
	err := r.router.Close()
	return errors.Join(err, r.pub.Close())
}

// Metadata keys the reactor adds to a delivered event.
const (
	// HeaderEventID carries the event id (its Nats-Msg-Id) to a handler.
	HeaderEventID       = "Stateset-Event-Id"
	headerSourceSeq     = "Stateset-Source-Seq"
	headerSourceSubject = "Stateset-Source-Subject"
	headerSourceTime    = "Stateset-Source-Time"
)

// unmarshaler turns a JetStream message into a Watermill one: every header but NATS' own
// (a copied expected-sequence header would make the parked publish fail), the event id as
// the message id, and the stream position, which a parked copy keeps. It never fails:
// watermill-nats v2.1.3 dereferences a nil message when it does.
type unmarshaler struct{}

func (unmarshaler) Unmarshal(m jetstream.Msg) (*message.Message, error) {
	h, md := m.Headers(), message.Metadata{}
	for k, v := range h {
		if !strings.HasPrefix(k, "Nats-") && k != wmnats.WatermillUUIDHdr {
			md.Set(k, strings.Join(v, ","))
		}
	}
	id := h.Get(wmnats.WatermillUUIDHdr) // set on parked copies
	if id == "" {
		id = h.Get(nats.MsgIdHdr)
	}
	wm := message.NewMessage(id, m.Data())
	wm.Metadata = md
	if meta, err := m.Metadata(); err == nil && md.Get(headerSourceSeq) == "" {
		md.Set(headerSourceSeq, strconv.FormatUint(meta.Sequence.Stream, 10))
		md.Set(headerSourceSubject, m.Subject())
		md.Set(headerSourceTime, meta.Timestamp.UTC().Format(time.RFC3339Nano))
	}
	return wm, nil
}

func msgOf(m *message.Message) Msg {
	seq, _ := strconv.ParseUint(m.Metadata.Get(headerSourceSeq), 10, 64)
	t, _ := time.Parse(time.RFC3339Nano, m.Metadata.Get(headerSourceTime))
	h := nats.Header{}
	for k, v := range m.Metadata {
		h.Set(k, v)
	}
	if m.UUID != "" {
		h.Set(HeaderEventID, m.UUID)
	}
	return Msg{Seq: seq, Subject: m.Metadata.Get(headerSourceSubject), Header: h, Data: m.Payload, Time: t}
}

// Parked is an event a handler gave up on.
type Parked struct {
	Seq      uint64 // in the parked stream
	Handler  string
	Reason   string
	ParkedAt time.Time
	Event    Msg // as first delivered, with its stream position
}

// Parked lists the events parked by handler name, oldest first.
func (r *Reactor) Parked(ctx context.Context, name string) ([]Parked, error) {
	var out []Parked
	err := r.eachParked(ctx, name, func(p Parked) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// Replay runs handler name again on its parked events, oldest first; each one handled is
// removed from the parked stream. It stops at the first that fails again.
func (r *Reactor) Replay(ctx context.Context, name string) (int, error) {
	r.mu.Lock()
	fn := r.handlers[name]
	r.mu.Unlock()
	if fn == nil {
		return 0, fmt.Errorf("reactor: no handler %q: %w", name, ErrNotFound)
	}
	stream, err := r.store.js.Stream(ctx, r.parked)
	if err != nil {
		return 0, r.store.wrap(err)
	}
	n := 0
	err = r.eachParked(ctx, name, func(p Parked) error {
		if err := fn(ctx, p.Event); err != nil {
			return fmt.Errorf("replay of event at %d: %w", p.Event.Seq, err)
		}
		n++
		return stream.DeleteMsg(ctx, p.Seq)
	})
	return n, err
}

// ErrNotFound is returned for a handler the reactor does not have.
var ErrNotFound = errors.New("not found")

func (r *Reactor) eachParked(ctx context.Context, name string, fn func(Parked) error) error {
	subject := r.parkedSubject(name)
	for next := uint64(1); ; {
		var batch []Parked
		for m, err := range r.loadFrom(ctx, r.parked, subject, next) {
			if err != nil {
				return err
			}
			next = m.Seq + 1
			ev := msgOf(&message.Message{UUID: m.Header.Get(wmnats.WatermillUUIDHdr), Metadata: metadataOf(m.Header), Payload: m.Data})
			batch = append(batch, Parked{Seq: m.Seq, Handler: name, Reason: m.Header.Get(middleware.ReasonForPoisonedKey),
				ParkedAt: m.Time, Event: ev})
		}
		if len(batch) == 0 {
			return nil
		}
		for _, p := range batch {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
}

// loadFrom yields one batch of the messages on subject in stream from sequence next on.
func (r *Reactor) loadFrom(ctx context.Context, stream, subject string, next uint64) iter.Seq2[Msg, error] {
	return func(yield func(Msg, error) bool) {
		bctx, cancel := context.WithTimeout(ctx, r.store.cfg.Timeout)
		defer cancel()
		it, err := jetstreamext.GetBatch(bctx, r.store.js, stream, loadBatch,
			jetstreamext.GetBatchSeq(next), jetstreamext.GetBatchSubject(subject))
		if err != nil {
			yield(Msg{}, r.store.wrap(err))
			return
		}
		for m, err := range it {
			if errors.Is(err, jetstreamext.ErrNoMessages) {
				return
			}
			if err != nil {
				yield(Msg{}, r.store.wrap(err))
				return
			}
			if !yield(Msg{Seq: m.Sequence, Subject: m.Subject, Header: m.Header, Data: m.Data, Time: m.Time}, nil) {
				return
			}
		}
		if err := bctx.Err(); err != nil {
			yield(Msg{}, r.store.wrap(err))
		}
	}
}

func metadataOf(h nats.Header) message.Metadata {
	md := message.Metadata{}
	for k, v := range h {
		md.Set(k, strings.Join(v, ","))
	}
	return md
}
