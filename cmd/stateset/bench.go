package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// benchConfig sizes one benchmark run.
type benchConfig struct {
	dir        string
	duration   time.Duration // per throughput measurement
	conns      []int
	events     int // events in the catch-up / rebuild / RSS store
	customers  int // customers they belong to
	longEvents int // events of the long customer
	lagRate    int // writes per second for the lag measurement
	restarts   int // cold-write samples
	prefill    int // customer events already in the second order-to-cash run's store (0: no such run)
	keep       bool
	quick      bool            // toy sizes: skip waits that only make full-size figures fair
	only       map[string]bool // sections to run; empty runs all
	out        io.Writer
	log        *slog.Logger
}

// result is one measured line.
type result struct {
	name  string
	ops   float64 // per second
	p50   time.Duration
	p99   time.Duration
	extra string
}

type comparison struct {
	what   string
	got    float64
	goal   string
	passes bool
}

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := benchConfig{out: stdout}
	quick := fs.Bool("quick", false, "small sizes and short runs (a smoke test, not a measurement)")
	fs.StringVar(&cfg.dir, "dir", "", "work directory (default: a new temporary one, removed afterwards)")
	fs.DurationVar(&cfg.duration, "duration", 5*time.Second, "length of each throughput measurement")
	fs.IntVar(&cfg.events, "events", 1_000_000, "events in the catch-up, rebuild and memory store")
	fs.IntVar(&cfg.customers, "customers", 100_000, "customers those events belong to")
	fs.IntVar(&cfg.longEvents, "long-events", 10_000, "events of the long-lived customer")
	fs.IntVar(&cfg.lagRate, "lag-rate", 2000, "writes per second while measuring projection lag")
	fs.IntVar(&cfg.restarts, "restarts", 5, "restarts for the first-write-after-restart samples")
	fs.IntVar(&cfg.prefill, "orders-prefill", 1_000_000, "unrelated customer events in the store of the second order-to-cash run (0 skips it)")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the work directory")
	only := fs.String("only", "", "comma-separated sections: raw, sqlite, crud, stateset, long, catchup (with rss), orders, modules")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.quick = *quick
	if *quick { // small defaults; flags given explicitly still win
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		for name, v := range map[string]string{"duration": "300ms", "events": "20000", "customers": "2000",
			"long-events": "500", "lag-rate": "500", "restarts": "2", "orders-prefill": "20000"} {
			if !given[name] {
				fs.Set(name, v)
			}
		}
	}
	cfg.conns = []int{1, 32}
	if *only != "" {
		cfg.only = map[string]bool{}
		for sec := range strings.SplitSeq(*only, ",") {
			cfg.only[strings.TrimSpace(sec)] = true
		}
	}
	if cfg.customers < 1 || cfg.events < cfg.customers {
		return errors.New("bench: need events >= customers >= 1")
	}
	if cfg.dir == "" {
		d, err := os.MkdirTemp("", "stateset-bench-")
		if err != nil {
			return err
		}
		cfg.dir = d
	}
	if !cfg.keep {
		defer os.RemoveAll(cfg.dir)
	}
	cfg.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	tuneGC()                                                        // as serve does: the in-process servers run under the same settings
	if path := os.Getenv("STATESET_BENCH_CPUPROFILE"); path != "" { // profile the whole run
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return runBench(ctx, cfg)
}

func (cfg benchConfig) say(format string, args ...any) {
	fmt.Fprintf(cfg.out, "# "+format+"\n", args...)
}

func runBench(ctx context.Context, cfg benchConfig) error {
	var rows []result
	var cmp []comparison
	add := func(r ...result) { rows = append(rows, r...) }
	find := func(name string) result {
		for _, r := range rows {
			if r.name == name {
				return r
			}
		}
		return result{}
	}
	ratio := func(what, a, b string, min float64) {
		x, y := find(a), find(b)
		if y.ops == 0 {
			return
		}
		v := x.ops / y.ops
		cmp = append(cmp, comparison{what: fmt.Sprintf("%s / %s", a, b), got: v, goal: fmt.Sprintf(">= %.2fx", min), passes: v >= min})
		_ = what
	}

	sections := []struct {
		name, title string
		run         func() ([]result, error)
	}{
		{"raw", "raw JetStream OCC append", func() ([]result, error) { return benchRawAppend(ctx, cfg) }},
		{"sqlite", "raw SQLite batched upsert", func() ([]result, error) { r, err := benchRawSQLite(ctx, cfg); return []result{r}, err }},
		{"crud", "CRUD baseline over HTTP", func() ([]result, error) { return benchCRUD(ctx, cfg) }},
		{"stateset", "stateset over HTTP", func() ([]result, error) { return benchStateset(ctx, cfg) }},
		{"long", "long-lived customer", func() ([]result, error) { return benchLong(ctx, cfg) }},
		{"catchup", fmt.Sprintf("catch-up and rebuild over %d events, then the memory of a server holding them", cfg.events),
			func() ([]result, error) {
				r, bigDir, err := benchCatchUp(ctx, cfg)
				if err != nil {
					return nil, err
				}
				rss, err := benchRSS(ctx, cfg, bigDir)
				return append(r, rss), err
			}},
		{"orders", "order to cash over HTTP: create PENDING, confirm, wait until every line is reserved, ship",
			func() ([]result, error) { return benchOrders(ctx, cfg) }},
		{"modules", fmt.Sprintf("module cost: the customer PUT with %d more read models and flows that never see it", extraModules),
			func() ([]result, error) { return benchModuleCost(ctx, cfg) }},
	}
	for _, sec := range sections {
		if len(cfg.only) > 0 && !cfg.only[sec.name] {
			continue
		}
		cfg.say("%s", sec.title)
		r, err := sec.run()
		if err != nil {
			return fmt.Errorf("%s: %w", sec.name, err)
		}
		add(r...)
	}
	rss := find("server RSS")

	ratio("", "stateset PUT, 32 conns", "CRUD PUT, 32 conns", 1.0)
	ratio("", "stateset PUT, 32 conns", "raw OCC append, 32 writers", 0.35)
	ratio("", "stateset PUT, 1 conn", "CRUD PUT, 1 conn", 1.0)
	ratio("", "stateset GET, 32 conns", "CRUD GET, 32 conns", 0.8)
	ratio("", "stateset GET, 1 conn", "CRUD GET, 1 conn", 0.8)
	ratio("", "projection catch-up", "raw SQLite batched upsert", 0.5)
	if lag := find("projection lag at rate"); lag.p99 > 0 {
		cmp = append(cmp, comparison{what: "projection lag p99", got: float64(lag.p99.Microseconds()) / 1000, goal: "<= 20 ms", passes: lag.p99 <= 20*time.Millisecond})
	}
	for _, pair := range [][2]string{{"write, 10k-event customer, warm", "write, new customer, warm"}, {"first write after restart, 10k-event customer", "first write after restart, small customer"}} {
		a, b := find(pair[0]), find(pair[1])
		if b.p99 > 0 {
			v := float64(a.p99) / float64(b.p99)
			cmp = append(cmp, comparison{what: "p99 " + pair[0] + " / " + pair[1], got: v, goal: "<= 1.50x", passes: v <= 1.5})
		}
	}
	if reb := find("rebuild"); reb.p50 > 0 {
		cmp = append(cmp, comparison{what: fmt.Sprintf("rebuild of %d events, seconds", cfg.events), got: reb.p50.Seconds(), goal: "<= 60", passes: reb.p50 <= time.Minute})
	}
	if rss.ops > 0 {
		cmp = append(cmp, comparison{what: "server RSS, MiB", got: rss.ops, goal: "<= 512", passes: rss.ops <= 512})
	}

	if own, peak, err := procMemory(os.Getpid()); err == nil {
		rows = append(rows, result{name: "bench process RSS", extra: fmt.Sprintf("%.0f MiB resident, peak %.0f MiB (all in-process servers and clients)",
			float64(own)/(1<<20), float64(peak)/(1<<20))})
	}
	fmt.Fprintln(cfg.out)
	tw := tabwriter.NewWriter(cfg.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tper second\tp50\tp99\tnote")
	for _, r := range rows {
		ops := "-"
		if r.ops > 0 && r.name != "server RSS" {
			ops = fmtOps(r.ops)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.name, ops, fmtDur(r.p50), fmtDur(r.p99), r.extra)
	}
	tw.Flush()
	fmt.Fprintln(cfg.out)
	tw = tabwriter.NewWriter(cfg.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "goal\tmeasured\ttarget\tmet")
	for _, c := range cmp {
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%v\n", c.what, c.got, c.goal, c.passes)
	}
	return tw.Flush()
}

func fmtOps(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.1fk", v/1000)
	}
	return fmt.Sprintf("%.0f", v)
}

func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// latencies collects samples from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d...)
	l.mu.Unlock()
}

func (l *latencies) result(name string, elapsed time.Duration, extra string) result {
	slices.Sort(l.d)
	r := result{name: name, extra: extra}
	if n := len(l.d); n > 0 {
		r.p50, r.p99 = l.d[n/2], l.d[min(n-1, n*99/100)]
		if elapsed > 0 {
			r.ops = float64(n) / elapsed.Seconds()
		}
	}
	return r
}

// hammer runs workers until the duration ends, each calling op in a loop.
func hammer(ctx context.Context, workers int, d time.Duration, op func(w, i int) error) (*latencies, time.Duration, error) {
	var lat latencies
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			local := make([]time.Duration, 0, 4096)
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t := time.Now()
				if err := op(w, i); err != nil {
					firstErr.CompareAndSwap(nil, err)
					break
				}
				local = append(local, time.Since(t))
			}
			lat.add(local)
		})
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return nil, 0, err
	}
	return &lat, time.Since(start), nil
}

func quietStore(ctx context.Context, dir string, log *slog.Logger) (*eventstore.Store, error) {
	return eventstore.Open(ctx, eventstore.Config{DataDir: dir}, log)
}

func benchRawAppend(ctx context.Context, cfg benchConfig) ([]result, error) {
	s, err := quietStore(ctx, filepath.Join(cfg.dir, "raw-js"), cfg.log)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	data := []byte(strings.Repeat("x", 300))
	var out []result
	for _, writers := range []int{1, 32} {
		last := make([]uint64, writers)
		var n atomic.Int64
		lat, el, err := hammer(ctx, writers, cfg.duration, func(w, _ int) error {
			var err error
			id := fmt.Sprintf("w%d-%d", writers, w)
			last[w], err = s.Append(ctx, "customer", id, last[w], []eventstore.Message{{ID: fmt.Sprint("raw", writers, "-", n.Add(1)), EventType: "CustomerUpdated", Data: data}})
			return err
		})
		if err != nil {
			return nil, err
		}
		name := "raw OCC append, 1 writer"
		if writers > 1 {
			name = fmt.Sprintf("raw OCC append, %d writers", writers)
		}
		out = append(out, lat.result(name, el, ""))
	}
	return out, nil
}

func benchRawSQLite(ctx context.Context, cfg benchConfig) (result, error) {
	path := filepath.Join(cfg.dir, "raw.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000")
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE rows (id TEXT PRIMARY KEY, version INTEGER NOT NULL, email TEXT, phone TEXT, updated_at TEXT)`); err != nil {
		return result{}, err
	}
	var version atomic.Int64
	lat, el, err := hammer(ctx, 1, cfg.duration, func(_, _ int) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO rows (id, version, email, phone, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET version = excluded.version, email = excluded.email, phone = excluded.phone,
			updated_at = excluded.updated_at WHERE excluded.version > rows.version`)
		if err != nil {
			return err
		}
		for range 1000 {
			v := version.Add(1)
			id := fmt.Sprint("c", rand.IntN(cfg.customers))
			if _, err := stmt.ExecContext(ctx, id, v, id+"@example.com", strconv.FormatInt(v, 10), time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
	if err != nil {
		return result{}, err
	}
	r := lat.result("raw SQLite batched upsert", el, "rows; latency per 1000-row tx")
	r.ops *= 1000
	return r, nil
}

// httpLoad measures one HTTP operation at conns keep-alive connections.
func httpLoad(ctx context.Context, d time.Duration, conns int, mk func(w, i int) (*http.Request, error), want int) (*latencies, time.Duration, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}}
	defer client.CloseIdleConnections()
	return hammer(ctx, conns, d, func(w, i int) error {
		req, err := mk(w, i)
		if err != nil {
			return err
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			return fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, res.StatusCode)
		}
		return nil
	})
}

const benchSeed = `{"id":"%s","email":"%s@example.com","firstName":"Ada","lastName":"L%d","phone":"+44 20 7946 0000","stripe_customer_id":"cus_stripe_1","timestamp":"2024-05-01T10:00:00Z","activationDate":"2024-05-02"}`

// perWorker is how many customers each load worker cycles over.
const perWorker = 16

func putReq(base, token string) func(w, i int) (*http.Request, error) {
	return func(w, i int) (*http.Request, error) {
		id := fmt.Sprintf("cus_%d_%d", w, i%perWorker)
		req, err := http.NewRequest(http.MethodPut, base+"/v1/customers/"+id, strings.NewReader(fmt.Sprintf(benchSeed, id, id, i)))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Token "+token)
		}
		return req, nil
	}
}

func getReq(base, token string, conns int) func(w, i int) (*http.Request, error) {
	return func(w, i int) (*http.Request, error) {
		id := fmt.Sprintf("cus_%d_%d", rand.IntN(conns), rand.IntN(perWorker))
		req, err := http.NewRequest(http.MethodGet, base+"/v1/customers/"+id, nil)
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Token "+token)
		}
		return req, nil
	}
}

// httpSuite creates the customers, then measures PUT and GET at each connection count.
func httpSuite(ctx context.Context, cfg benchConfig, label, base, token string, created int) ([]result, error) {
	var out []result
	maxConns := slices.Max(cfg.conns)
	// create every customer once so that the timed PUTs are updates
	if _, _, err := httpLoad(ctx, time.Hour, 1, func(_, i int) (*http.Request, error) {
		if i >= maxConns*perWorker {
			return nil, errDone
		}
		return putReq(base, token)(i/perWorker, i%perWorker)
	}, created); err != nil && !errors.Is(err, errDone) {
		return nil, err
	}
	for _, c := range cfg.conns {
		lat, el, err := httpLoad(ctx, cfg.duration, c, putReq(base, token), http.StatusOK)
		if err != nil {
			return nil, err
		}
		out = append(out, lat.result(fmt.Sprintf("%s PUT, %s", label, connsName(c)), el, ""))
	}
	for _, c := range cfg.conns {
		lat, el, err := httpLoad(ctx, cfg.duration, c, getReq(base, token, maxConns), http.StatusOK)
		if err != nil {
			return nil, err
		}
		out = append(out, lat.result(fmt.Sprintf("%s GET, %s", label, connsName(c)), el, ""))
	}
	return out, nil
}

var errDone = errors.New("done")

func connsName(c int) string {
	if c == 1 {
		return "1 conn"
	}
	return fmt.Sprintf("%d conns", c)
}

func serveOn(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
}

func benchCRUD(ctx context.Context, cfg benchConfig) ([]result, error) {
	c, err := openCRUD(filepath.Join(cfg.dir, "crud"))
	if err != nil {
		return nil, err
	}
	defer c.Close()
	base, stop, err := serveOn(c.handler())
	if err != nil {
		return nil, err
	}
	defer stop()
	return httpSuite(ctx, cfg, "CRUD", base, "", http.StatusOK)
}

const benchToken = "sk_test_benchmark_admin_key_000000"

func startApp(ctx context.Context, cfg benchConfig, dir string) (*app, error) {
	a, err := newApp(ctx, appConfig{store: eventstore.Config{DataDir: dir}, viewsDir: filepath.Join(dir, "views"),
		rateLimit: -1, log: cfg.log})
	if err != nil {
		return nil, err
	}
	if _, err := a.bootstrap(ctx, benchToken); err != nil {
		a.stop()
		return nil, err
	}
	return a, nil
}

func benchStateset(ctx context.Context, cfg benchConfig) ([]result, error) {
	dir := filepath.Join(cfg.dir, "stateset")
	a, err := startApp(ctx, cfg, dir)
	if err != nil {
		return nil, err
	}
	defer a.stop()
	base, stop, err := serveOn(a.api)
	if err != nil {
		return nil, err
	}
	defer stop()
	out, err := httpSuite(ctx, cfg, "stateset", base, benchToken, http.StatusCreated)
	if err != nil {
		return nil, err
	}

	// read-your-writes: PUT, then GET with the position it answered
	client := &http.Client{}
	var pairs, gets latencies
	deadline := time.Now().Add(cfg.duration)
	for i := 0; time.Now().Before(deadline); i++ {
		t0 := time.Now()
		req, _ := putReq(base, benchToken)(0, i)
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		pos := res.Header.Get("Stateset-Position")
		t1 := time.Now()
		g, _ := http.NewRequest(http.MethodGet, base+"/v1/customers/"+fmt.Sprintf("cus_0_%d", i%perWorker), nil)
		g.Header.Set("Authorization", "Token "+benchToken)
		g.Header.Set("Stateset-Min-Position", pos)
		res, err = client.Do(g)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("read-your-writes GET: %d", res.StatusCode)
		}
		pairs.add([]time.Duration{time.Since(t0)})
		gets.add([]time.Duration{time.Since(t1)})
	}
	out = append(out, pairs.result("read-your-writes PUT+GET", 0, "sequential pairs"),
		gets.result("read-your-writes GET part", 0, "waits for the projection"))

	// projection lag at a steady write rate: append acknowledged -> read model committed
	run := a.runners[0]
	var lag latencies
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(cfg.lagRate))
	defer tick.Stop()
	end := time.Now().Add(max(cfg.duration, time.Second))
	var failed atomic.Value
	for i := 0; time.Now().Before(end); i++ {
		<-tick.C
		wg.Go(func() {
			res, err := a.cmd.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: fmt.Sprintf("cus_%d_%d", i%32, (i/32)%perWorker),
				Phone: ptr(strconv.Itoa(i))})
			if err != nil {
				failed.CompareAndSwap(nil, err)
				return
			}
			acked := time.Now()
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := run.WaitFor(wctx, res.Position); err != nil {
				failed.CompareAndSwap(nil, err)
				return
			}
			lag.add([]time.Duration{time.Since(acked)})
		})
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		return nil, err
	}
	out = append(out, lag.result("projection lag at rate", 0, fmt.Sprintf("%d writes/s", cfg.lagRate)))
	return out, nil
}

func ptr[T any](v T) *T { return &v }
