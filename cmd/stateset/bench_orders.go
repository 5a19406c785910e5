package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
	"stateset/projections"
)

// The order-to-cash section: concurrent HTTP clients each loop create (PENDING) ->
// confirm -> wait until the order-stock and order-allocation flows have reserved every
// line -> ship, on a fresh store and on one already holding unrelated customer events.
const (
	orderSKUs      = 100
	orderCustomers = 200
	orderOnHand    = 1_000_000_000 // never runs out: a backorder would be a bench bug
	// orderAllocWait bounds confirm -> allocated for one order; past it the run fails
	orderAllocWait = 30 * time.Second
	// idleWait bounds how long the read models and flows may take to handle every stored
	// event (the pre-fill: the webhooks flow sees each of its events, one at a time)
	idleWait = 30 * time.Minute
)

// orderClients are the client counts of the order-to-cash loop.
var orderClients = []int{16, 64}

// The embedded server listens on loopback in the order-to-cash runs so the bench can ask
// JetStream, as a downstream reader, whether the flows' consumers have anything pending.
const (
	benchReader     = "bench-reader"
	benchReaderPass = "bench-reader-password-0"
)

// benchOrders runs the order-to-cash loop on a fresh store, then on one pre-filled with
// cfg.prefill customer events (none when 0).
func benchOrders(ctx context.Context, cfg benchConfig) ([]result, error) {
	out, err := benchOrderToCash(ctx, cfg, 0)
	if err != nil || cfg.prefill == 0 {
		return out, err
	}
	more, err := benchOrderToCash(ctx, cfg, cfg.prefill)
	return append(out, more...), err
}

func benchOrderToCash(ctx context.Context, cfg benchConfig, prefill int) ([]result, error) {
	label, dir := "fresh store", filepath.Join(cfg.dir, "orders-fresh")
	var out []result
	var imported int
	var importTook time.Duration
	if prefill > 0 {
		label, dir = fmt.Sprintf("store with %s events", fmtCount(prefill)), filepath.Join(cfg.dir, "orders-full")
		cfg.say("pre-filling %d customer events through the bulk import", prefill)
		var err error
		if imported, importTook, err = prefillCustomers(ctx, cfg, dir, prefill); err != nil {
			return nil, err
		}
	}
	a, err := startServeLike(ctx, cfg, dir, nil, nil)
	if err != nil {
		return nil, err
	}
	defer a.stop()
	probe, err := newIdleProbe(a, cfg.say)
	if err != nil {
		return nil, err
	}
	defer probe.close()
	caughtUp, err := probe.wait(ctx)
	if err != nil {
		return nil, err
	}
	if prefill > 0 {
		out = append(out, result{name: "order-to-cash store pre-fill", ops: float64(imported) / importTook.Seconds(),
			extra: fmt.Sprintf("%d customer events bulk-imported; read models and flows caught up in %s", imported, fmtDur(caughtUp))})
	}
	base, stop, err := serveOn(a.api)
	if err != nil {
		return nil, err
	}
	defer stop()
	shop := &orderShop{base: base, client: &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: slices.Max(orderClients), MaxConnsPerHost: slices.Max(orderClients), DisableCompression: true}}}
	defer shop.client.CloseIdleConnections()
	if err := shop.setup(ctx); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	if _, err := probe.wait(ctx); err != nil {
		return nil, err
	}
	for _, c := range orderClients {
		allocs := make([][]time.Duration, c) // one slice per client: no locking in the loop
		lat, el, err := hammer(ctx, c, cfg.duration, func(w, i int) error {
			waited, err := shop.orderToCash(ctx, fmt.Sprintf("ord_%d_%d_%d", c, w, i))
			if err != nil {
				return err
			}
			allocs[w] = append(allocs[w], waited)
			return nil
		})
		if err != nil {
			return nil, err
		}
		var alloc latencies
		for _, d := range allocs {
			alloc.add(d)
		}
		out = append(out,
			lat.result(fmt.Sprintf("order to cash, %d clients, %s", c, label), el, "orders/s; latency: create, confirm, wait allocated, ship"),
			alloc.result(fmt.Sprintf("confirm → allocated, %d clients, %s", c, label), 0, "confirm sent → GET shows every line reserved"))
		// the flows still consume the shipped orders' reservations: let them finish, so the
		// next measurement starts on a quiet server
		if _, err := probe.wait(ctx); err != nil {
			return nil, err
		}
	}
	for _, name := range a.reactor.Names() {
		parked, err := a.reactor.Parked(ctx, name)
		if err != nil {
			return nil, err
		}
		if len(parked) > 0 {
			return nil, fmt.Errorf("flow %s parked %d events (first: %s)", name, len(parked), parked[0].Reason)
		}
	}
	return out, nil
}

// fmtCount writes 1000000 as 1M and 20000 as 20k.
func fmtCount(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

// prefillCustomers bulk-imports n events of n/10 customers (a creation, then updates) as
// the catch-up section does, into a store no server runs on yet.
func prefillCustomers(ctx context.Context, cfg benchConfig, dir string, n int) (int, time.Duration, error) {
	s, err := quietStore(ctx, dir, cfg.log)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	reg := domain.NewRegistry()
	customers := max(1, n/10)
	now := time.Now().UTC()
	var encErr error
	t0 := time.Now()
	got, err := s.Import(ctx, func(yield func(eventstore.BulkMessage) bool) {
		for i := range n {
			round, c := i/customers, i%customers
			id := fmt.Sprint("pf", c)
			var e domain.Event = domain.CustomerCreated{CustomerID: id, Email: id + "@example.com", FirstName: "F", LastName: "L",
				Type: "INDIVIDUAL", Status: domain.CustomerStatusActive}
			if round > 0 {
				e = domain.CustomerUpdated{CustomerID: id, Phone: &domain.Change{From: strconv.Itoa(round - 1), To: strconv.Itoa(round)}}
			}
			env := domain.Envelope{ID: commands.NewID(), AggregateType: "customer", AggregateID: id, Version: int64(round + 1), Time: now, Event: e}
			msg, err := commands.EventMessage(reg, env)
			if err != nil {
				encErr = err
				return
			}
			if !yield(eventstore.BulkMessage{AggregateType: "customer", AggregateID: id, Message: msg}) {
				return
			}
		}
	})
	if err == nil {
		err = encErr
	}
	return got, time.Since(t0), err
}

// startServeLike starts an app configured as "stateset serve" runs by default (reservation
// sweep every 5 s, flows with their retries), with the rate limit off, the embedded NATS
// also on loopback for the idle probe, and extra read models and flows when given.
func startServeLike(ctx context.Context, cfg benchConfig, dir string, views []projections.Projector, flows []commands.Flow) (*app, error) {
	a, err := newApp(ctx, appConfig{store: eventstore.Config{DataDir: dir, NATSListen: "127.0.0.1:0",
		ReaderUser: benchReader, ReaderPassword: benchReaderPass},
		viewsDir: filepath.Join(dir, "views"), rateLimit: -1, sweepEvery: 5 * time.Second, log: cfg.log,
		extraViews: views, extraFlows: flows})
	if err != nil {
		return nil, err
	}
	if _, err := a.bootstrap(ctx, benchToken); err != nil {
		a.stop()
		return nil, err
	}
	return a, nil
}

// idleProbe tells when every read model has reached the stream head and no flow has an
// event pending, asking JetStream about the flows' durable consumers as a reader would.
type idleProbe struct {
	a   *app
	say func(format string, args ...any)
	nc  *nats.Conn
	js  jetstream.JetStream
}

func newIdleProbe(a *app, say func(format string, args ...any)) (*idleProbe, error) {
	nc, err := nats.Connect(a.store.ClientURL(), nats.UserInfo(benchReader, benchReaderPass), nats.Name("bench-idle-probe"))
	if err != nil {
		return nil, fmt.Errorf("idle probe: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("idle probe: %w", err)
	}
	return &idleProbe{a: a, say: say, nc: nc, js: js}, nil
}

func (p *idleProbe) close() { p.nc.Close() }

// wait returns how long it took until the app was idle, or an error after idleWait.
func (p *idleProbe) wait(ctx context.Context) (time.Duration, error) {
	start, told := time.Now(), time.Now()
	select { // the flows' consumers exist once the router has subscribed them
	case <-p.a.reactor.Running():
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	for {
		busy, err := p.busy(ctx)
		if err != nil {
			return 0, err
		}
		if busy == "" {
			return time.Since(start), nil
		}
		if time.Since(told) > 10*time.Second {
			p.say("waiting for the read models and flows: %s", busy)
			told = time.Now()
		}
		if time.Since(start) > idleWait {
			return 0, fmt.Errorf("not idle after %s: %s", idleWait, busy)
		}
		select { // a probe of a running server, not a test: polling is the point
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// busy names what still has work, or answers "" when nothing has.
func (p *idleProbe) busy(ctx context.Context) (string, error) {
	head, err := p.a.store.Head(ctx)
	if err != nil {
		return "", err
	}
	for _, run := range p.a.runners {
		if pos := run.Position(); pos < head {
			return fmt.Sprintf("read model %s at %d of %d", run.Name(), pos, head), nil
		}
	}
	for _, name := range p.a.reactor.Names() {
		c, err := p.js.Consumer(ctx, p.a.store.StreamName(), p.a.reactor.Durable(name))
		if err != nil {
			return "", fmt.Errorf("idle probe, flow %s: %w", name, err)
		}
		if info := c.CachedInfo(); info.NumPending > 0 || info.NumAckPending > 0 {
			return fmt.Sprintf("flow %s has %d events pending", name, info.NumPending+uint64(info.NumAckPending)), nil
		}
	}
	if again, err := p.a.store.Head(ctx); err != nil || again != head {
		return "the stream grew meanwhile", err
	}
	return "", nil
}

// orderShop is an HTTP client of the orders, inventory and customers API.
type orderShop struct {
	base   string
	client *http.Client
}

// setup creates the SKUs at the default warehouse ("main", made at bootstrap) with
// stock that never runs out, and the customers orders are placed for.
func (s *orderShop) setup(ctx context.Context) error {
	for i := range orderSKUs {
		body := fmt.Sprintf(`{"sku":"SKU-%d","location_id":"main","on_hand":%d,"unit_cost":500,"currency":"USD"}`, i, orderOnHand)
		if _, _, err := s.expect(ctx, http.StatusCreated, http.MethodPost, "/v1/inventory", body); err != nil {
			return err
		}
	}
	for i := range orderCustomers {
		body := fmt.Sprintf(`{"id":"oc%d","email":"oc%d@example.com","firstName":"Order","lastName":"Client"}`, i, i)
		if _, _, err := s.expect(ctx, http.StatusCreated, http.MethodPost, "/v1/customers", body); err != nil {
			return err
		}
	}
	return nil
}

// orderToCash places one order of 1-3 lines as PENDING, confirms it, waits until every
// line is reserved and ships it. It returns how long the allocation took after the
// confirm was sent.
func (s *orderShop) orderToCash(ctx context.Context, id string) (time.Duration, error) {
	lines := 1 + rand.IntN(3)
	first := rand.IntN(orderSKUs)
	items := make([]string, lines)
	for l := range items { // distinct SKUs: one line per SKU
		items[l] = fmt.Sprintf(`{"sku":"SKU-%d","quantity":%d,"unit_price":%d}`, (first+l)%orderSKUs, 1+rand.IntN(3), 1000+rand.IntN(9000))
	}
	body := fmt.Sprintf(`{"id":%q,"customer_id":"oc%d","currency":"USD","status":"PENDING","items":[%s]}`,
		id, rand.IntN(orderCustomers), strings.Join(items, ","))
	if _, _, err := s.expect(ctx, http.StatusCreated, http.MethodPost, "/v1/orders", body); err != nil {
		return 0, err
	}
	// measured from the confirm's request: its answer waits for the flows it triggers
	// and covers their work (Stateset-Position), so the first read usually shows it
	confirmed := time.Now()
	pos, _, err := s.expect(ctx, http.StatusOK, http.MethodPost, "/v1/orders/"+id+"/confirm", "{}")
	if err != nil {
		return 0, err
	}
	// Long-poll: each later GET waits until the orders read model has moved past what the
	// last one showed, so a client asks again only when there is something new to see.
	atLeast := pos
	var last string
	for {
		res, data, err := s.call(ctx, http.MethodGet, "/v1/orders/"+id, "", "Stateset-Min-Position", strconv.FormatUint(atLeast, 10))
		if err != nil {
			return 0, err
		}
		switch res.StatusCode {
		case http.StatusOK:
			done, err := allocated(data)
			if err != nil {
				return 0, fmt.Errorf("order %s: %w", id, err)
			}
			if done {
				waited := time.Since(confirmed)
				if _, _, err := s.expect(ctx, http.StatusOK, http.MethodPost, "/v1/orders/"+id+"/ship", "{}"); err != nil {
					return waited, err
				}
				return waited, nil
			}
			last = string(data)
			if p, err := strconv.ParseUint(res.Header.Get("Stateset-Position"), 10, 64); err == nil && p >= atLeast {
				atLeast = p + 1
			} else {
				atLeast++
			}
		case http.StatusServiceUnavailable: // nothing new within the server's wait: ask again
		default:
			return 0, fmt.Errorf("GET order %s: status %d: %s", id, res.StatusCode, data)
		}
		if time.Since(confirmed) > orderAllocWait {
			return 0, fmt.Errorf("order %s not allocated %s after its confirm; last seen %s", id, orderAllocWait, last)
		}
	}
}

// allocated tells whether every line of an order (its JSON) is reserved in full; a
// backordered line is an error, since the stock never runs out.
func allocated(order []byte) (bool, error) {
	var o struct {
		Items []struct {
			ID          string `json:"id"`
			Quantity    int64  `json:"quantity"`
			Reserved    int64  `json:"reserved"`
			Backordered int64  `json:"backordered"`
		} `json:"items"`
	}
	if err := json.Unmarshal(order, &o); err != nil {
		return false, err
	}
	if len(o.Items) == 0 {
		return false, errors.New("no lines")
	}
	for _, l := range o.Items {
		if l.Backordered > 0 {
			return false, fmt.Errorf("line %s backordered %d", l.ID, l.Backordered)
		}
		if l.Reserved < l.Quantity {
			return false, nil
		}
	}
	return true, nil
}

func (s *orderShop) call(ctx context.Context, method, path, body string, header ...string) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Token "+benchToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res, data, err
}

// expect makes a call that must answer want, and returns the Stateset-Position it answered.
func (s *orderShop) expect(ctx context.Context, want int, method, path, body string) (uint64, []byte, error) {
	res, data, err := s.call(ctx, method, path, body)
	if err != nil {
		return 0, nil, err
	}
	if res.StatusCode != want {
		return 0, nil, fmt.Errorf("%s %s: status %d: %s", method, path, res.StatusCode, data)
	}
	pos, _ := strconv.ParseUint(res.Header.Get("Stateset-Position"), 10, 64)
	return pos, data, nil
}

// The module-cost section: the stateset section's customer PUT, on the server as it is
// and with extraModules read models and flows more, each on an aggregate type that never
// sees an event: what a module costs the writes it has nothing to do with.
const extraModules = 20

// idleModel is a read model of an aggregate type nothing writes; it writes nothing.
type idleModel struct{ aggType string }

func (m idleModel) Name() string                                        { return m.aggType + "_v1" }
func (m idleModel) AggregateTypes() []string                            { return []string{m.aggType} }
func (idleModel) Schema() []string                                      { return nil }
func (idleModel) Apply(context.Context, *sql.Tx, domain.Envelope) error { return nil }

// idleModules are n read models and n flows on the aggregate types bench_x0 … bench_x<n-1>.
func idleModules(n int) ([]projections.Projector, []commands.Flow) {
	views := make([]projections.Projector, n)
	flows := make([]commands.Flow, n)
	for i := range n {
		typ := fmt.Sprintf("bench_x%d", i)
		views[i] = idleModel{aggType: typ}
		flows[i] = commands.Flow{Name: fmt.Sprintf("bench-x%d", i), Subjects: []string{typ + ".>"},
			Handle: func(context.Context, domain.Envelope, domain.Metadata) error { return nil }}
	}
	return views, flows
}

func benchModuleCost(ctx context.Context, cfg benchConfig) ([]result, error) {
	var out []result
	today := map[int]result{}
	for _, extra := range []bool{false, true} {
		dir, label := filepath.Join(cfg.dir, "modules-today"), "as today"
		var views []projections.Projector
		var flows []commands.Flow
		if extra {
			dir, label = filepath.Join(cfg.dir, "modules-extra"), fmt.Sprintf("+%d read models, +%d flows", extraModules, extraModules)
			views, flows = idleModules(extraModules)
		}
		r, err := modulePUTs(ctx, cfg, dir, views, flows)
		if err != nil {
			return nil, err
		}
		for i, c := range cfg.conns {
			r[i].name = fmt.Sprintf("modules: PUT, %s, %s", connsName(c), label)
			if !extra {
				today[c] = r[i]
			} else if t := today[c]; t.ops > 0 && t.p50 > 0 {
				r[i].extra = fmt.Sprintf("%.2fx the throughput, %.2fx the p50 of as today", r[i].ops/t.ops, float64(r[i].p50)/float64(t.p50))
			}
		}
		out = append(out, r...)
	}
	return out, nil
}

// modulePUTs is the stateset section's PUT measurement (startApp's configuration, the
// same customers and requests) on an app with the extra read models and flows.
func modulePUTs(ctx context.Context, cfg benchConfig, dir string, views []projections.Projector, flows []commands.Flow) ([]result, error) {
	a, err := newApp(ctx, appConfig{store: eventstore.Config{DataDir: dir}, viewsDir: filepath.Join(dir, "views"),
		rateLimit: -1, log: cfg.log, extraViews: views, extraFlows: flows})
	if err != nil {
		return nil, err
	}
	defer a.stop()
	if _, err := a.bootstrap(ctx, benchToken); err != nil {
		return nil, err
	}
	base, stop, err := serveOn(a.api)
	if err != nil {
		return nil, err
	}
	defer stop()
	// create every customer once so that the timed PUTs are updates
	put := putReq(base, benchToken)
	if _, _, err := httpLoad(ctx, time.Hour, 1, func(_, i int) (*http.Request, error) {
		if i >= slices.Max(cfg.conns)*perWorker {
			return nil, errDone
		}
		return put(i/perWorker, i%perWorker)
	}, http.StatusCreated); err != nil && !errors.Is(err, errDone) {
		return nil, err
	}
	var out []result
	for _, c := range cfg.conns {
		lat, el, err := httpLoad(ctx, cfg.duration, c, put, http.StatusOK)
		if err != nil {
			return nil, err
		}
		out = append(out, lat.result("", el, ""))
	}
	return out, nil
}
