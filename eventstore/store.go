package eventstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"
)

var (
	// ErrConcurrency is returned by Append when the aggregate's last sequence is not the
	// expected one: someone else appended first.
	ErrConcurrency = errors.New("concurrent modification")
	// ErrUnavailable is returned when JetStream cannot be reached or does not answer in
	// time; the append may or may not have been stored.
	ErrUnavailable = errors.New("event store unavailable")
	// ErrInvalidSubject is returned for an aggregate type or id that is not subject-safe.
	ErrInvalidSubject = errors.New("invalid aggregate type or id")
)

// Header names carried by every event message.
const (
	HeaderEventType        = "Stateset-Event-Type"
	HeaderSchemaVersion    = "Stateset-Schema-Version"
	HeaderAggregateType    = "Stateset-Aggregate-Type"
	HeaderAggregateID      = "Stateset-Aggregate-Id"
	HeaderAggregateVersion = "Stateset-Aggregate-Version"
	HeaderCorrelationID    = "Stateset-Correlation-Id"
	HeaderCausationID      = "Stateset-Causation-Id"
	HeaderActor            = "Stateset-Actor"
	HeaderIdempotencyKey   = "Stateset-Idempotency-Key"
)

// Header is a message's header map.
type Header = nats.Header

// Message is one event to append.
type Message struct {
	ID        string // unique event id; becomes Nats-Msg-Id
	EventType string // last subject token
	Header    Header
	Data      []byte
}

// Msg is one stored event message.
type Msg struct {
	Seq     uint64
	Subject string
	Header  Header
	Data    []byte
	Time    time.Time
	Pending uint64 // messages after this one matching the subscription (Subscribe only)
}

// Store is the JetStream event store. Publishers and consumers use separate connections:
// one shared in-process connection stalled for 30 s under load (reference/jetstream.md).
type Store struct {
	cfg   Config
	log   *slog.Logger
	srv   *server.Server // nil with an external NATS
	pub   *nats.Conn
	sub   *nats.Conn
	js    jetstream.JetStream
	subJS jetstream.JetStream
	// appenders spread appends over several connections: one connection's writes are
	// serialised, and an in-process one (net.Pipe) has no buffer at all
	appenders []jetstream.JetStream
	next      atomic.Uint32
	extra     []*nats.Conn
	stream    jetstream.Stream
	name      string // stream name
	secret    string // this process's password on the embedded server's listener
}

// Open connects to (or starts) NATS and makes sure the stream exists.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Store{cfg: cfg, log: log.With("component", "eventstore"), name: strings.ToUpper(cfg.Prefix) + "_EVENTS"}
	var err error
	if cfg.NATSURL == "" {
		s.secret = rand.Text()
		if s.srv, err = startEmbedded(cfg, s.secret); err != nil {
			return nil, err
		}
	}
	if s.pub, err = s.connect("pub"); err != nil {
		s.Close()
		return nil, err
	}
	if s.sub, err = s.connect("sub"); err != nil {
		s.Close()
		return nil, err
	}
	if s.js, err = jetstream.New(s.pub, jetstream.WithDefaultTimeout(cfg.Timeout)); err != nil {
		s.Close()
		return nil, err
	}
	if s.subJS, err = jetstream.New(s.sub, jetstream.WithDefaultTimeout(cfg.Timeout)); err != nil {
		s.Close()
		return nil, err
	}
	s.appenders = []jetstream.JetStream{s.js}
	for i := 1; i < appendConns; i++ {
		nc, err := s.connect(fmt.Sprint("append", i))
		if err != nil {
			s.Close()
			return nil, err
		}
		s.extra = append(s.extra, nc)
		js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(cfg.Timeout))
		if err != nil {
			s.Close()
			return nil, err
		}
		s.appenders = append(s.appenders, js)
	}
	if err := s.ensureStream(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) connect(role string) (*nats.Conn, error) {
	// A batched load (GetBatch) reads through a sync subscription whose channel nats.go
	// makes SubChanLen long: at the default 65,536 every load, even of one event, cost
	// ~550 KB of garbage and ~300 µs. A batch is at most loadBatch messages and its end
	// marker, so twice that never drops one.
	opts := []nats.Option{nats.Name(s.cfg.Name + "-" + role), nats.SyncQueueLen(2 * loadBatch)}
	url := s.cfg.NATSURL
	if s.srv != nil {
		opts = append(opts, nats.InProcessServer(s.srv))
		url = ""
		if s.cfg.NATSListen != "" {
			opts = append(opts, nats.UserInfo(internalUser, s.secret))
		}
	} else {
		opts = append(opts,
			nats.MaxReconnects(-1),
			nats.ReconnectWait(250*time.Millisecond),
			nats.RetryOnFailedConnect(false),
			nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
				s.log.Warn("nats disconnected", "role", role, "err", err)
			}),
			nats.ReconnectHandler(func(c *nats.Conn) {
				s.log.Info("nats reconnected", "role", role, "url", c.ConnectedUrlRedacted())
			}))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect nats (%s): %w", role, err)
	}
	return nc, nil
}

func (s *Store) ensureStream(ctx context.Context) error {
	cfg := jetstream.StreamConfig{
		Name:              s.name,
		Subjects:          []string{s.cfg.Prefix + ".events.>"},
		Storage:           jetstream.FileStorage,
		Retention:         jetstream.LimitsPolicy,
		MaxMsgs:           -1,
		MaxBytes:          -1,
		MaxMsgsPerSubject: -1,
		Replicas:          s.cfg.Replicas,
		// Msg-Id dedupe only has to outlive a retried append (timeout 5 s plus retries);
		// the server keeps every id of the window in memory (a 2-minute window held 1M ids
		// after a bulk import), so the window is short.
		Duplicates:         dedupeWindow,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		DenyDelete:         true,
		DenyPurge:          true,
	}
	return s.settle(ctx, "create stream "+s.name, func(ctx context.Context) (err error) {
		s.stream, err = s.js.CreateOrUpdateStream(ctx, cfg)
		return err
	})
}

// settleWindow is how long startup requests to a cluster are retried.
const settleWindow = 30 * time.Second

// settle retries op, each try bounded by the request timeout, until it succeeds or
// settleWindow has passed. A cluster right after its start (or restart) is still
// electing its meta leader and the leaders of streams: a request that arrives meanwhile
// may go unanswered, and one try that waited out the whole window never asked again
// (a restarted 3-node cluster had its stream leader within 2 s; the only try timed out
// after 30).
func (s *Store) settle(ctx context.Context, what string, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, settleWindow)
	defer cancel()
	for attempt := 1; ; attempt++ {
		try, cancelTry := context.WithTimeout(ctx, s.cfg.Timeout)
		err := op(try)
		cancelTry()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, s.wrap(err))
		}
		s.log.WarnContext(ctx, what+", retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(200*attempt) * time.Millisecond):
		}
	}
}

// Close closes the connections and, when embedded, shuts the server down cleanly.
func (s *Store) Close() {
	for _, nc := range append([]*nats.Conn{s.pub, s.sub}, s.extra...) {
		if nc != nil {
			_ = nc.Drain()
			nc.Close()
		}
	}
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
	}
}

// StreamName is the name of the event stream.
func (s *Store) StreamName() string { return s.name }

// ClientURL is where downstream services reach the embedded server ("" when not listening).
func (s *Store) ClientURL() string {
	if s.srv == nil || s.cfg.NATSListen == "" {
		return ""
	}
	return s.srv.ClientURL()
}

// Subject is the subject of one event of one aggregate.
func (s *Store) Subject(aggType, id, eventType string) string {
	return s.cfg.Prefix + ".events." + aggType + "." + id + "." + eventType
}

// AggregateSubjects is the wildcard covering every event of one aggregate.
func (s *Store) AggregateSubjects(aggType, id string) string {
	return s.cfg.Prefix + ".events." + aggType + "." + id + ".*"
}

// Subjects is the subject of a pattern relative to <prefix>.events. (e.g.
// "customer.*.CustomerForgotten").
func (s *Store) Subjects(pattern string) string { return s.cfg.Prefix + ".events." + pattern }

// TypeSubjects is the wildcard covering every event of one aggregate type.
func (s *Store) TypeSubjects(aggType string) string {
	return s.cfg.Prefix + ".events." + aggType + ".>"
}

// AllSubjects is the wildcard covering every event.
func (s *Store) AllSubjects() string {
	return s.cfg.Prefix + ".events.>"
}

func subjectSafe(tok string) bool {
	if tok == "" || len(tok) > 64 {
		return false
	}
	for _, r := range tok {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Append stores msgs as the next events of one aggregate, all or none; it takes
// ownership of the messages (their headers gain the Nats-* ones). expected is the
// stream sequence of the aggregate's last event (0: the aggregate must have none). It
// returns the stream sequence of the last message stored.
//
// It returns ErrConcurrency when another append came first, ErrUnavailable when JetStream
// did not answer. A single message is one publish; several go as one atomic batch.
func (s *Store) Append(ctx context.Context, aggType, id string, expected uint64, msgs []Message) (uint64, error) {
	if !subjectSafe(aggType) || !subjectSafe(id) {
		return 0, fmt.Errorf("append %s %s: %w", aggType, id, ErrInvalidSubject)
	}
	if len(msgs) == 0 {
		return 0, fmt.Errorf("append %s %s: no events", aggType, id)
	}
	wild := s.AggregateSubjects(aggType, id)
	nms := make([]*nats.Msg, len(msgs))
	for i, m := range msgs {
		if !subjectSafe(m.EventType) {
			return 0, fmt.Errorf("append %s %s: event type %q: %w", aggType, id, m.EventType, ErrInvalidSubject)
		}
		h := m.Header // Append owns the messages it is given
		if h == nil {
			h = nats.Header{}
		}
		h.Set(jetstream.MsgIDHeader, m.ID)
		nms[i] = &nats.Msg{Subject: s.Subject(aggType, id, m.EventType), Header: h, Data: m.Data}
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()

	var seq uint64
	var err error
	// A lost ack or a leader change gives a timeout or "no responders": retry the same
	// message ids; the 10071 check below recognises our own earlier success.
	for attempt := 0; ; attempt++ {
		seq, err = s.publish(ctx, nms, expected, wild)
		if err == nil || !transient(err) || ctx.Err() != nil {
			break
		}
		s.log.WarnContext(ctx, "append retry", "aggregate_id", id, "attempt", attempt+1, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(50*(attempt+1)) * time.Millisecond):
		}
	}
	if err == nil {
		return seq, nil
	}
	var apiErr *jetstream.APIError
	switch {
	case errors.As(err, &apiErr) && wrongLastSequence(apiErr.ErrorCode):
		// A retry of an append that did succeed comes back as 10071 (the sequence check runs
		// before dedup): it is ours if the aggregate's last message carries our last id.
		if last, ok := s.lastIsOurs(ctx, wild, msgs[len(msgs)-1].ID); ok {
			return last, nil
		}
		return 0, fmt.Errorf("append %s %s: %w", aggType, id, ErrConcurrency)
	case errors.As(err, &apiErr) && apiErr.ErrorCode == jetstreamext.JSErrCodeBatchPublishDuplicateMsgID:
		// A retried batch is deduplicated before the sequence check.
		if last, ok := s.lastIsOurs(ctx, wild, msgs[len(msgs)-1].ID); ok {
			return last, nil
		}
		return 0, fmt.Errorf("append %s %s: %w", aggType, id, ErrConcurrency)
	case transient(err) || ctx.Err() != nil:
		return 0, fmt.Errorf("append %s %s: %w: %v", aggType, id, ErrUnavailable, err)
	}
	return 0, fmt.Errorf("append %s %s: %w", aggType, id, err)
}

// dedupeWindow is how long JetStream remembers a Msg-Id.
const dedupeWindow = 30 * time.Second

// appendConns is how many connections appends are spread over.
const appendConns = 4

func (s *Store) publish(ctx context.Context, nms []*nats.Msg, expected uint64, wild string) (uint64, error) {
	js := s.appenders[s.next.Add(1)%uint32(len(s.appenders))]
	if len(nms) == 1 {
		ack, err := js.PublishMsg(ctx, nms[0], jetstream.WithExpectLastSequenceForSubject(expected, wild))
		if err != nil {
			return 0, err
		}
		return ack.Sequence, nil
	}
	// Only the first message of a batch may carry the expectation (10164 otherwise).
	nms[0].Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(expected, 10))
	nms[0].Header.Set(jetstream.ExpectedLastSubjSeqSubjHeader, wild)
	ack, err := jetstreamext.PublishMsgBatch(ctx, js, nms)
	if err != nil {
		return 0, err
	}
	return ack.Sequence, nil
}

// transient reports errors after which the same append may be tried again: timeouts,
// lost connections, no one answering, and the JetStream API's own 503s (10008 "JetStream
// system temporarily unavailable", met while a stream or bucket elects a leader).
func transient(err error) bool {
	if ae, ok := errors.AsType[*jetstream.APIError](err); ok && ae.Code == 503 {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrDisconnected) ||
		errors.Is(err, nats.ErrConnectionReconnecting)
}

// unanswered reports an error that says the request reached no one: nothing was done, so
// it is safe to send again, even for a write.
func unanswered(err error) bool {
	return errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse)
}

// persist runs op again while it fails with no one to answer it, for up to timeout. A
// cluster that has just formed or just lost a node answers "no responders" at once until
// interest in the JetStream API has spread over its routes (CI saw it 70 ms after the
// stream's leader was elected): one such moment must not fail a request that a retry a
// few milliseconds later serves.
func persist(ctx context.Context, timeout time.Duration, op func() error) error {
	deadline := time.Now().Add(timeout)
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || !unanswered(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(min(attempt, 8)*25) * time.Millisecond):
		}
	}
}

func (s *Store) lastIsOurs(ctx context.Context, wild, id string) (uint64, bool) {
	m, err := s.getMsg(ctx, msgQuery{LastBySubj: wild})
	if err != nil || m == nil || m.Header.Get(jetstream.MsgIDHeader) != id {
		return 0, false
	}
	return m.Seq, true
}

// LastMsg returns the last message on subject (wildcards allowed), nil if there is none.
func (s *Store) LastMsg(ctx context.Context, subject string) (*Msg, error) {
	m, err := s.getMsg(ctx, msgQuery{LastBySubj: subject})
	if err != nil {
		return nil, fmt.Errorf("last message of %s: %w", subject, err)
	}
	return m, nil
}

// LastSeq returns the stream sequence of the last message on subject (wildcards allowed),
// 0 if there is none.
func (s *Store) LastSeq(ctx context.Context, subject string) (uint64, error) {
	m, err := s.getMsg(ctx, msgQuery{LastBySubj: subject})
	if err != nil {
		return 0, fmt.Errorf("last message of %s: %w", subject, err)
	}
	if m == nil {
		return 0, nil
	}
	return m.Seq, nil
}

// NextSeq returns the sequence of the first message on subject after seq, 0 if none.
func (s *Store) NextSeq(ctx context.Context, subject string, after uint64) (uint64, error) {
	m, err := s.getMsg(ctx, msgQuery{Seq: after + 1, NextBySubj: subject})
	if err != nil {
		return 0, fmt.Errorf("next message of %s after %d: %w", subject, after, err)
	}
	if m == nil {
		return 0, nil
	}
	return m.Seq, nil
}

// Reached reports whether the stream holds sequence seq yet.
func (s *Store) Reached(ctx context.Context, seq uint64) (bool, error) {
	m, err := s.getMsg(ctx, msgQuery{Seq: seq})
	if err != nil {
		return false, fmt.Errorf("get %d: %w", seq, err)
	}
	return m != nil, nil
}

// Head returns the stream's last sequence.
func (s *Store) Head(ctx context.Context) (uint64, error) {
	info, err := s.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream info: %w", s.wrap(err))
	}
	return info.State.LastSeq, nil
}

func (s *Store) wrap(err error) error {
	if transient(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// loadBatch is how many messages one direct-get request returns, and loadBatchBytes how
// many bytes at most: without a byte budget a batch of large events could outgrow what one
// request carries within the store's timeout (a read answering 503 now and then).
const (
	loadBatch      = 1000
	loadBatchBytes = 4 << 20
)

// Load yields the messages on subject (wildcards allowed) with sequence > after, in
// order, by batched direct get. It stops early when the consumer of the iterator does.
// A batch that does not complete in time ends the sequence with ErrUnavailable, never
// silently: a short history would read as a missing or older aggregate.
func (s *Store) Load(ctx context.Context, subject string, after uint64) iter.Seq2[Msg, error] {
	return s.LoadN(ctx, subject, after, 0)
}

// LoadN is Load stopping after n messages (n = 0: no limit). A caller that knows how many
// messages follow should say so: on a stream with many subjects the server otherwise reads
// every later block looking for more matches of a wildcard.
func (s *Store) LoadN(ctx context.Context, subject string, after uint64, n int) iter.Seq2[Msg, error] {
	return func(yield func(Msg, error) bool) {
		next, more, left := after+1, true, n
		for more {
			batch := loadBatch
			if n > 0 {
				batch = min(batch, left)
			}
			var got int
			next, got, more = s.loadBatch(ctx, subject, next, batch, yield)
			if n > 0 {
				if left -= got; left <= 0 {
					return
				}
			}
		}
	}
}

// loadBatch yields one direct-get batch of up to batch messages from sequence next on,
// and reports where the following batch starts, how many it yielded and whether there is
// another to ask for.
func (s *Store) loadBatch(ctx context.Context, subject string, next uint64, batch int, yield func(Msg, error) bool) (uint64, int, bool) {
	var (
		got  int
		more bool
	)
	// A batch that no one answered yielded nothing and is asked again.
	err := persist(ctx, s.cfg.Timeout, func() (err error) {
		next, got, more, err = s.loadBatchOnce(ctx, subject, next, batch, yield)
		return err
	})
	if err != nil {
		yield(Msg{}, fmt.Errorf("load %s from %d: %w", subject, next, s.wrap(err)))
		return next, got, false
	}
	return next, got, more
}

// loadBatchOnce is one try of loadBatch. An error comes with nothing yielded only if it is
// the first thing the batch saw.
func (s *Store) loadBatchOnce(ctx context.Context, subject string, next uint64, batch int, yield func(Msg, error) bool) (uint64, int, bool, error) {
	// The batch gets a deadline of our own: when the request times out, GetBatch's
	// iterator ends exactly as it does at the server's end-of-batch marker, without an
	// error, and only this deadline tells the two apart.
	bctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	got := 0
	it, err := jetstreamext.GetBatch(bctx, s.js, s.name, batch,
		jetstreamext.GetBatchSeq(next), jetstreamext.GetBatchSubject(subject), jetstreamext.GetBatchMaxBytes(loadBatchBytes))
	if err != nil {
		return next, got, false, err
	}
	pending := "0"
	for m, err := range it {
		if errors.Is(err, jetstreamext.ErrNoMessages) {
			return next, got, false, nil
		}
		if err != nil {
			if got > 0 {
				// messages were yielded: this batch must not be asked again
				err = fmt.Errorf("%w: %v", ErrUnavailable, err)
			}
			return next, got, false, err
		}
		next = m.Sequence + 1
		got++
		pending = m.Header.Get("Nats-Num-Pending")
		if !yield(Msg{Seq: m.Sequence, Subject: m.Subject, Header: m.Header, Data: m.Data, Time: m.Time}, nil) {
			return next, got, false, nil
		}
	}
	if err := bctx.Err(); err != nil {
		return next, got, false, err // cut short: not the end of the messages
	}
	// A batch ends at loadBatch messages or at the server's byte limit; the last
	// message says how many more match.
	return next, got, pending != "0" && pending != "", nil
}

// Subscription delivers stored messages in stream order.
type Subscription struct {
	C    <-chan Msg
	stop func()
	done chan struct{}
	err  error
}

// Stop ends the subscription and waits for its goroutine.
func (sub *Subscription) Stop() {
	sub.stop()
	<-sub.done
}

// Err is why the subscription ended, after C is closed.
func (sub *Subscription) Err() error { return sub.err }

// subscribeHeartbeat is the idle heartbeat of subscriptions: one missing for twice this
// long makes the ordered consumer recreate itself on a live server.
const subscribeHeartbeat = time.Second

// subscribeResets is how many times an ordered consumer tries to recreate its server-side
// consumer (each try waits up to 10 s) before the subscription ends with an error. Its
// own retries reuse one consumer name: a consumer assigned to a node that had just died
// (the meta leader had not noticed yet) was asked for again and again, never answered,
// and the read models stalled for good. Ending the subscription lets its owner subscribe
// afresh, under a new name, which lands on a live node.
const subscribeResets = 1

// Subscribe delivers messages matching filters from sequence from on, in order, through an
// ordered consumer (no server-side state; it recreates itself after gaps or reconnects).
// buffer bounds how many delivered messages wait in C. When the consumer cannot be
// recreated (subscribeResets), C is closed and Err says why: subscribe again.
func (s *Store) Subscribe(ctx context.Context, filters []string, from uint64, buffer int) (*Subscription, error) {
	if from == 0 {
		from = 1
	}
	cons, err := s.subJS.OrderedConsumer(ctx, s.name, jetstream.OrderedConsumerConfig{
		FilterSubjects:   filters,
		DeliverPolicy:    jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:      from,
		MaxResetAttempts: subscribeResets,
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe %v from %d: %w", filters, from, s.wrap(err))
	}
	// The ordered consumer lives on one server. If that server dies, only missing idle
	// heartbeats tell, after two of them: at the default 5 s the read models stood still
	// for 10 s after a node loss, longer than a Stateset-Min-Position read waits.
	// Pulls are bounded in bytes as well as messages, so a run of large events never makes
	// one pull outgrow the heartbeat.
	it, err := cons.Messages(jetstream.PullMaxMessagesWithBytesLimit(buffer, loadBatchBytes), jetstream.PullHeartbeat(subscribeHeartbeat))
	if err != nil {
		return nil, fmt.Errorf("subscribe %v from %d: %w", filters, from, s.wrap(err))
	}
	ch := make(chan Msg, buffer)
	sub := &Subscription{C: ch, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(ctx)
	sub.stop = func() { cancel(); it.Stop() }
	go func() {
		<-ctx.Done()
		it.Stop()
	}()
	go func() {
		defer close(sub.done)
		defer close(ch)
		for {
			m, err := it.Next()
			if err != nil {
				if !errors.Is(err, jetstream.ErrMsgIteratorClosed) {
					sub.err = err
				}
				return
			}
			md, err := m.Metadata()
			if err != nil {
				sub.err = err
				return
			}
			msg := Msg{Seq: md.Sequence.Stream, Subject: m.Subject(), Header: m.Headers(), Data: m.Data(), Time: md.Timestamp, Pending: md.NumPending}
			select {
			case ch <- msg:
			case <-ctx.Done():
				return
			}
		}
	}()
	return sub, nil
}
