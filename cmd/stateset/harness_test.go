package main

// The fault tests' harness: real processes (stateset itself, re-executed from the test
// binary, and nats-server built from the module), a bounded HTTP write load that records
// every acknowledged write, and the checks that each acknowledged write is in the stream
// and in the read model. Everything listens on 127.0.0.1.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"stateset/api/contract"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	nats "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"stateset/eventstore"
	"stateset/projections"
)

// TestMain makes the test binary act as the stateset command when testMainEnv is set: it
// runs main with the process's arguments instead of the tests, so that a test can run a
// real server process and SIGKILL it.
func TestMain(m *testing.M) {
	if os.Getenv(testMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testKey is the bootstrap admin key the fault tests give their servers.
const testKey = "sk_test_faults_0123456789abcdefghij"

// proc is a child process whose output is kept for the test log.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{} // closed when the process has exited
}

// childEnv is the test's environment without STATESET_* variables, so that a setting a
// test made for itself never leaks into a child, plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STATESET_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startProc starts a process that is killed at the end of the test at the latest; its
// output is logged when the test fails.
func startProc(t testing.TB, name, bin string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	// a test binary that dies (a panic, the -timeout) takes its servers with it
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- output of %s (last 4 KiB):\n%s", name, tail(p.out.String(), 4096))
		}
	})
	return p
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// kill sends SIGKILL and waits for the process to go.
func (p *proc) kill() {
	if !p.exited() {
		p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// stop asks the process to shut down cleanly (SIGTERM) and waits; after a minute it is
// killed and the test fails.
func (p *proc) stop(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		p.kill()
		t.Fatalf("%s did not stop on SIGTERM", p.name)
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitUntil polls ok every 50 ms until it returns true, failing the test after
// deadline. It is a bounded wait, never an assertion on how long something took.
func waitUntil(t testing.TB, deadline time.Duration, what string, ok func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("gave up after %s waiting for %s", deadline, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// statesetProc runs "stateset serve" as a child process (the test binary re-executed)
// and waits until /ready answers 200.
func statesetProc(t testing.TB, name, addr string, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args = append([]string{"serve", "--http-addr", addr, "--bootstrap-key", testKey, "--log-level", "warn"}, args...)
	p := startProc(t, name, exe, childEnv(testMainEnv+"=1"), args...)
	waitUntil(t, 60*time.Second, name+" to be ready", func() bool {
		if p.exited() {
			t.Fatalf("%s exited before it was ready", name)
		}
		return ready("http://" + addr)
	})
	return p
}

func ready(base string) bool {
	cl := &http.Client{Timeout: 2 * time.Second}
	res, err := cl.Get(base + "/ready")
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// natsServerBin builds nats-server, at the version go.mod requires, into a temporary
// directory (from the build cache this takes well under a second).
func natsServerBin(t testing.TB) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command builds nats-server for this test: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "nats-server")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", bin, "github.com/nats-io/nats-server/v2")
	cmd.Env = childEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build nats-server: %v\n%s", err, out)
	}
	return bin
}

// natsNode is one nats-server process with JetStream, restartable on its port and store.
type natsNode struct {
	name    string
	bin     string
	port    int // client port
	monitor int // HTTP monitoring port (/healthz)
	args    []string
	p       *proc
}

func (n *natsNode) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.port) }

func port(t testing.TB) int {
	t.Helper()
	_, p, _ := strings.Cut(freeAddr(t), ":")
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// newNATSNode describes a node; routes are the cluster URLs of its peers (none: single
// node). start runs it.
func newNATSNode(t testing.TB, bin, name, storeDir string, clusterPort int, routes []string) *natsNode {
	t.Helper()
	n := &natsNode{name: name, bin: bin, port: port(t), monitor: port(t)}
	n.args = []string{"--name", name, "--addr", "127.0.0.1", "--port", strconv.Itoa(n.port),
		"--http_port", strconv.Itoa(n.monitor), "--jetstream", "--store_dir", storeDir}
	if clusterPort > 0 {
		n.args = append(n.args, "--cluster_name", "stateset", "--cluster", fmt.Sprintf("nats://127.0.0.1:%d", clusterPort),
			"--routes", strings.Join(routes, ","))
	}
	return n
}

// start runs the node; it does not wait (a cluster node is healthy only with its peers).
func (n *natsNode) start(t testing.TB) {
	t.Helper()
	n.p = startProc(t, n.name, n.bin, childEnv(), n.args...)
}

// waitHealthy waits until the node's /healthz says JetStream is up and current.
func (n *natsNode) waitHealthy(t testing.TB) {
	t.Helper()
	cl := &http.Client{Timeout: 2 * time.Second}
	waitUntil(t, 60*time.Second, n.name+" to be healthy", func() bool {
		if n.p.exited() {
			t.Fatalf("%s exited", n.name)
		}
		res, err := cl.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", n.monitor))
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
}

// startCluster starts size JetStream nodes routed to each other on loopback.
func startCluster(t testing.TB, bin string, size int) []*natsNode {
	t.Helper()
	cports := make([]int, size)
	for i := range cports {
		cports[i] = port(t)
	}
	nodes := make([]*natsNode, size)
	for i := range nodes {
		var routes []string
		for j, cp := range cports {
			if j != i {
				routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", cp))
			}
		}
		nodes[i] = newNATSNode(t, bin, fmt.Sprintf("n%d", i+1), filepath.Join(t.TempDir(), "js"), cports[i], routes)
		nodes[i].start(t)
	}
	for _, n := range nodes {
		n.waitHealthy(t)
	}
	return nodes
}

func clusterURL(nodes []*natsNode) string {
	urls := make([]string, len(nodes))
	for i, n := range nodes {
		urls[i] = n.url()
	}
	return strings.Join(urls, ",")
}

// client is a small HTTP client for the API with a bounded timeout. Its methods may be
// called from any goroutine: they return errors, never fail the test.
type client struct {
	http *http.Client
	tok  string
}

func newClient() *client {
	return &client{http: &http.Client{Timeout: 30 * time.Second}, tok: testKey}
}

// answer is one HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v: %s", a.status, err, a.body)
	}
	return m
}

func (a answer) position() uint64 {
	n, _ := strconv.ParseUint(a.header.Get("Stateset-Position"), 10, 64)
	return n
}

// errCode is the error code of an error answer ("" if it is none).
func (a answer) errCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(a.body, &e)
	return e.Error.Code
}

func (c *client) do(ctx context.Context, method, url, body string, hdr ...string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Token "+c.tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return answer{}, err
	}
	if err := contract.Check(req, []byte(body), res, b); err != nil {
		return answer{}, err
	}
	return answer{status: res.StatusCode, header: res.Header, body: b}, nil
}

// must is do for the test goroutine: a transport error fails the test.
func (c *client) must(t testing.TB, method, url, body string, hdr ...string) answer {
	t.Helper()
	a, err := c.do(context.Background(), method, url, body, hdr...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return a
}

// ack is a write the server acknowledged with a 2xx.
type ack struct {
	id        string // customer
	version   int64  // the customer's version in the answer
	position  uint64 // Stateset-Position: the stream sequence of the write's last event
	firstName string // firstName in the answer
	epoch     int64  // the load's epoch when the request was sent
}

// writeLoad drives concurrent writes and records every answer. Each worker owns its
// customers and writes them in order: creates (PUT of a new id), updates (PUT) and
// address additions (POST), so the expected state of each customer is known.
type writeLoad struct {
	prefix  string // of customer ids, so that loads never share customers
	cl      *client
	base    func() string // the server to send the next request to
	workers int
	max     int  // requests per worker at most
	stopErr bool // a worker stops at its first transport error (the server is gone)

	epoch atomic.Int64 // bumped by the test at each fault; stamped on every ack
	halt  atomic.Bool  // workers send no further request

	mu       sync.Mutex
	acks     []ack
	statuses map[string]int // "<status> <code>" or "transport error" -> count, by epoch
	lastErr  error          // the last transport error
	changed  chan struct{}  // closed and replaced on every answer
}

func newWriteLoad(prefix string, cl *client, workers, max int, base func() string) *writeLoad {
	return &writeLoad{prefix: prefix, cl: cl, base: base, workers: workers, max: max, statuses: map[string]int{},
		changed: make(chan struct{})}
}

// running is a started load.
type running struct {
	l      *writeLoad
	cancel context.CancelFunc
	wg     *sync.WaitGroup
}

// wait waits for the workers to finish on their own (max requests, or stopErr).
func (r running) wait() { r.wg.Wait() }

// stop lets every worker finish the request it is sending and waits: afterwards no
// write is in flight, so the stream and the read models hold still.
func (r running) stop() { r.l.halt.Store(true); r.wg.Wait() }

// start starts the workers. At the end of the test they are cancelled at the latest.
func (l *writeLoad) start(t testing.TB) running {
	ctx, cancel := context.WithCancel(context.Background())
	r := running{l: l, cancel: cancel, wg: &sync.WaitGroup{}}
	for w := range l.workers {
		r.wg.Go(func() { l.worker(ctx, w) })
	}
	t.Cleanup(func() { cancel(); r.wg.Wait() })
	return r
}

func (l *writeLoad) worker(ctx context.Context, w int) {
	var mine []string // customers whose creation was acknowledged
	created := 0
	for i := range l.max {
		if ctx.Err() != nil || l.halt.Load() {
			return
		}
		epoch := l.epoch.Load()
		name := fmt.Sprintf("w%d-r%d", w, i)
		var method, path, body string
		create := len(mine) == 0 || i%4 == 0
		switch {
		case create:
			id := fmt.Sprintf("%sw%dc%d", l.prefix, w, created)
			created++
			method, path = http.MethodPut, "/v1/customers/"+id
			body = fmt.Sprintf(`{"email":"%s@example.com","firstName":%q}`, id, name)
		case i%4 == 3:
			method, path = http.MethodPost, "/v1/customers/"+mine[i%len(mine)]+"/addresses"
			body = `{"type":"SHIPPING","street1":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"}`
		default:
			method, path = http.MethodPut, "/v1/customers/"+mine[i%len(mine)]
			body = fmt.Sprintf(`{"firstName":%q}`, name)
		}
		a, err := l.cl.do(ctx, method, l.base()+path, body)
		if ctx.Err() != nil {
			return // the test is done; this answer may be cut short
		}
		key := "transport error"
		if err == nil {
			key = fmt.Sprintf("%d %s", a.status, a.errCode())
		}
		var k ack
		if err == nil && a.status/100 == 2 {
			var c struct {
				ID        string `json:"id"`
				Version   int64  `json:"version"`
				FirstName string `json:"firstName"`
			}
			json.Unmarshal(a.body, &c)
			k = ack{id: c.ID, version: c.Version, position: a.position(), firstName: c.FirstName, epoch: epoch}
			if create && !slices.Contains(mine, c.ID) {
				mine = append(mine, c.ID)
			}
		}
		l.mu.Lock()
		l.statuses[fmt.Sprintf("epoch %d: %s", epoch, key)]++
		if err != nil {
			l.lastErr = err
		}
		if k.id != "" {
			l.acks = append(l.acks, k)
		}
		close(l.changed)
		l.changed = make(chan struct{})
		l.mu.Unlock()
		if err != nil && l.stopErr {
			return
		}
	}
}

// waitFor blocks until cond holds over the recorded answers, failing after deadline.
func (l *writeLoad) waitFor(t testing.TB, deadline time.Duration, what string, cond func(acks []ack, statuses map[string]int) bool) {
	t.Helper()
	timer := time.NewTimer(deadline)
	defer timer.Stop()
	for {
		l.mu.Lock()
		ok, ch := cond(l.acks, l.statuses), l.changed
		summary := fmt.Sprint(l.statuses)
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-timer.C:
			t.Fatalf("gave up after %s waiting for %s; answers so far: %s", deadline, what, summary)
		}
	}
}

func (l *writeLoad) snapshot() ([]ack, map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := map[string]int{}
	for k, v := range l.statuses {
		st[k] = v
	}
	return append([]ack(nil), l.acks...), st
}

func (l *writeLoad) lastError() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastErr
}

func countAcks(acks []ack, minEpoch int64) int {
	n := 0
	for _, a := range acks {
		if a.epoch >= minEpoch {
			n++
		}
	}
	return n
}

// lastAcks is, per customer, its acknowledged write with the highest version, and the
// highest acknowledged position overall.
func lastAcks(acks []ack) (map[string]ack, uint64) {
	last := map[string]ack{}
	var maxPos uint64
	for _, a := range acks {
		if a.version > last[a.id].version {
			last[a.id] = a
		}
		maxPos = max(maxPos, a.position)
	}
	return last, maxPos
}

// checkReadModel checks, through base, that every acknowledged write is in the read
// model: read with Stateset-Min-Position at the highest acknowledged position, each
// customer is at least at its acknowledged version and, when no later write landed,
// shows what that write answered. It returns each customer's version as read.
func checkReadModel(t testing.TB, cl *client, base string, acks []ack) map[string]int64 {
	t.Helper()
	last, maxPos := lastAcks(acks)
	versions := map[string]int64{}
	for id, a := range last {
		got := cl.must(t, http.MethodGet, base+"/v1/customers/"+id, "", "Stateset-Min-Position", strconv.FormatUint(maxPos, 10))
		if got.status != http.StatusOK {
			t.Errorf("GET %s at position %d: %d %s", id, maxPos, got.status, got.body)
			continue
		}
		var c struct {
			Version   int64  `json:"version"`
			FirstName string `json:"firstName"`
		}
		json.Unmarshal(got.body, &c)
		versions[id] = c.Version
		switch {
		case c.Version < a.version:
			t.Errorf("customer %s: read model at version %d, below the acknowledged %d (position %d)", id, c.Version, a.version, a.position)
		case c.Version == a.version && c.FirstName != a.firstName:
			t.Errorf("customer %s version %d: read model firstName %q, the write answered %q", id, c.Version, c.FirstName, a.firstName)
		}
	}
	return versions
}

// checkHistory checks, through the API's history (read from the event store), that
// every acknowledged write's event is stored at its position with its version, and
// that each customer's read-model version equals its number of events.
func checkHistory(t testing.TB, cl *client, base string, acks []ack, versions map[string]int64) {
	t.Helper()
	byID := map[string][]ack{}
	for _, a := range acks {
		byID[a.id] = append(byID[a.id], a)
	}
	for id, list := range byID {
		got := cl.must(t, http.MethodGet, base+"/v1/customers/"+id+"/history", "")
		if got.status != http.StatusOK {
			t.Errorf("history of %s: %d %s", id, got.status, got.body)
			continue
		}
		var h struct {
			Data []struct {
				Version  int64  `json:"version"`
				Position uint64 `json:"position"`
			} `json:"data"`
		}
		json.Unmarshal(got.body, &h)
		at := map[uint64]int64{}
		for _, e := range h.Data {
			at[e.Position] = e.Version
		}
		for _, a := range list {
			if v, ok := at[a.position]; !ok || v != a.version {
				t.Errorf("customer %s: acknowledged version %d at position %d is not in its history %v", id, a.version, a.position, h.Data)
			}
		}
		if v, ok := versions[id]; ok && v != int64(len(h.Data)) {
			t.Errorf("customer %s: read model at version %d, history has %d events", id, v, len(h.Data))
		}
	}
}

// streamMsg is what the stream holds at one position.
type streamMsg struct {
	subject string
	id      string // Stateset-Aggregate-Id
	version int64  // Stateset-Aggregate-Version
}

// readStream reads the whole event stream straight from JetStream, message by message
// through the stream leader ($JS.API.STREAM.MSG.GET: a replica may lag, and a consumer
// might be placed on a node that is down), up to its last sequence.
func readStream(t testing.TB, natsURL string) map[uint64]streamMsg {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stream, err := js.Stream(ctx, "STATESET_EVENTS")
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	out := map[uint64]streamMsg{}
	for seq := uint64(1); seq <= stream.CachedInfo().State.LastSeq; seq++ {
		req, _ := json.Marshal(map[string]uint64{"seq": seq})
		res, err := nc.RequestWithContext(ctx, "$JS.API.STREAM.MSG.GET.STATESET_EVENTS", req)
		if err != nil {
			t.Fatalf("get message %d: %v", seq, err)
		}
		var r struct {
			Error   *jetstream.APIError `json:"error"`
			Message struct {
				Subject string `json:"subject"`
				Header  []byte `json:"hdrs"`
			} `json:"message"`
		}
		if err := json.Unmarshal(res.Data, &r); err != nil || r.Error != nil {
			t.Fatalf("get message %d: %v %v", seq, err, r.Error)
		}
		h, err := nats.DecodeHeadersMsg(r.Message.Header)
		if err != nil {
			t.Fatalf("message %d headers: %v", seq, err)
		}
		v, _ := strconv.ParseInt(h.Get(eventstore.HeaderAggregateVersion), 10, 64)
		out[seq] = streamMsg{subject: r.Message.Subject, id: h.Get(eventstore.HeaderAggregateID), version: v}
	}
	return out
}

// checkStream checks that every acknowledged write's event is in the stream at its
// position, and returns the number of events per customer.
func checkStream(t testing.TB, msgs map[uint64]streamMsg, acks []ack) map[string]int64 {
	t.Helper()
	for _, a := range acks {
		m, ok := msgs[a.position]
		if !ok || m.id != a.id || m.version != a.version {
			t.Errorf("acknowledged write of %s version %d at position %d: the stream holds %+v (found %v)", a.id, a.version, a.position, m, ok)
		}
	}
	counts := map[string]int64{}
	for _, m := range msgs {
		if strings.Contains(m.subject, ".customer.") {
			counts[m.id]++
		}
	}
	return counts
}

// dumpViews returns every row of every table of a read model file, each table's rows
// sorted, so that two files with the same content compare equal.
func dumpViews(t testing.TB, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rs, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatalf("tables of %s: %v", path, err)
	}
	for rs.Next() {
		var name string
		if err := rs.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := errors.Join(rs.Err(), rs.Close()); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		rs, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rs.Columns()
		rows := []string{}
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, fmt.Sprint(vals...))
		}
		if err := errors.Join(rs.Err(), rs.Close()); err != nil {
			t.Fatal(err)
		}
		slices.Sort(rows)
		out[table] = rows
	}
	return out
}

// checkRebuildEquals rebuilds every read model of the (stopped) server's data dir from
// the stream and checks each came out exactly as the live one was.
func checkRebuildEquals(t testing.TB, dataDir string) {
	t.Helper()
	live := map[string]map[string][]string{}
	for _, p := range projections.All() {
		live[p.Name()] = dumpViews(t, filepath.Join(dataDir, "views", p.Name()+".db"))
	}
	// the loads write customers: that read model at least must have applied them (the
	// others are held against their rebuild all the same)
	if cust := projections.Customers().Name(); len(live[cust]["checkpoint"]) == 0 {
		t.Errorf("read model %s has applied nothing: %v", cust, live[cust])
	}
	liveCP := map[string]uint64{}
	for _, p := range projections.All() {
		liveCP[p.Name()] = checkpointOf(t, filepath.Join(dataDir, "views", p.Name()+".db"))
	}
	var out syncBuffer
	args := []string{"projections", "rebuild", "--all", "--data-dir", dataDir, "--log-level", "warn"}
	if err := run(context.Background(), args, &out, &out); err != nil {
		t.Fatalf("projections rebuild: %v\n%s", err, out.String())
	}
	for _, p := range projections.All() {
		rebuilt := dumpViews(t, filepath.Join(dataDir, "views", p.Name()+".db"))
		// the checkpoints may differ: the live one may stand past the model's last event
		// (the hub stores the position it has reflected for a model with nothing newer of
		// its own); it must never stand before the rebuild's
		if cp := checkpointOf(t, filepath.Join(dataDir, "views", p.Name()+".db")); liveCP[p.Name()] < cp {
			t.Errorf("read model %s: live checkpoint %d before the rebuild's %d", p.Name(), liveCP[p.Name()], cp)
		}
		delete(live[p.Name()], "checkpoint")
		delete(rebuilt, "checkpoint")
		if diff := cmp.Diff(live[p.Name()], rebuilt); diff != "" {
			t.Errorf("read model %s differs from a fresh rebuild (-live +rebuilt):\n%s", p.Name(), diff)
		}
	}
}

// checkpointOf reads a read model file's checkpoint.
func checkpointOf(t testing.TB, path string) uint64 {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var seq uint64
	if err := db.QueryRow(`SELECT seq FROM checkpoint`).Scan(&seq); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("checkpoint of %s: %v", path, err)
	}
	return seq
}
