package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	nats "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// syncBuffer is a bytes.Buffer safe for one writer goroutine and a reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type server struct {
	addr   string
	out    *syncBuffer
	log    *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs "stateset serve" in-process until stop is called.
func startServe(t testing.TB, args ...string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t), out: &syncBuffer{}, log: &syncBuffer{}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	args = append([]string{"serve", "--http-addr", s.addr, "--log-level", "warn"}, args...)
	go func() { s.done <- run(ctx, args, s.out, s.log) }()
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("--- log of serve on %s:\n%s", s.addr, s.log.String())
		}
	})
	// generous: under -race, with other packages' tests on the same two cores, a start
	// that opens two dozen read models and flows can take a while
	deadline := time.Now().Add(90 * time.Second)
	var last string
	for {
		if r, err := http.Get("http://" + s.addr + "/ready"); err == nil {
			body, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode == 200 {
				break
			}
			last = string(body)
		}
		select {
		case err := <-s.done:
			s.cancel = nil
			t.Fatalf("serve exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %s", last)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

func (s *server) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	s.cancel = nil
}

var tokenRe = regexp.MustCompile(`sk_live_[A-Z0-9]+`)

func (s *server) token(t testing.TB) string {
	t.Helper()
	tok := tokenRe.FindString(s.out.String())
	if tok == "" {
		t.Fatalf("no admin key printed: %q", s.out.String())
	}
	return tok
}

func call(t testing.TB, method, url, token, body string, hdr ...string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Token "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, res.Header, m
}

func TestRestartKeepsEverythingAndDeletedViewsAreRebuilt(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, "--data-dir", dir)
	tok := s.token(t)
	base := "http://" + s.addr
	for i := range 20 {
		st, _, body := call(t, "PUT", fmt.Sprintf("%s/v1/customers/c%d", base, i), tok, fmt.Sprintf(`{"email":"c%d@example.com","firstName":"F%d"}`, i, i))
		if st != 201 {
			t.Fatalf("PUT: %d %v", st, body)
		}
	}
	_, h, _ := call(t, "PUT", base+"/v1/customers/c3", tok, `{"lastName":"Last"}`)
	pos := h.Get("Stateset-Position")
	s.stop()

	// a second start prints no new key and keeps data, key and email claims
	s2 := startServe(t, "--data-dir", dir)
	if tokenRe.MatchString(s2.out.String()) {
		t.Fatal("a second admin key was printed")
	}
	base = "http://" + s2.addr
	st, _, body := call(t, "GET", base+"/v1/customers/c3", tok, "", "Stateset-Min-Position", pos)
	if st != 200 || body["lastName"] != "Last" || body["version"] != 2.0 {
		t.Fatalf("after restart: %d %v", st, body)
	}
	if st, _, _ := call(t, "POST", base+"/v1/customers", tok, `{"email":"c5@example.com"}`); st != 409 {
		t.Fatalf("duplicate email after restart: %d", st)
	}
	s2.stop()

	// the offline tools: status, rebuild, keys
	var out syncBuffer
	if err := run(context.Background(), []string{"projections", "status", "--data-dir", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "customers_v3") {
		t.Fatalf("status: %s", out.String())
	}
	out = syncBuffer{}
	if err := run(context.Background(), []string{"projections", "rebuild", "--all", "--data-dir", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rebuilt customers_v3") {
		t.Fatalf("rebuild: %s", out.String())
	}
	out = syncBuffer{}
	if err := run(context.Background(), []string{"keys", "create", "--name", "reader", "--scopes", "customers:read", "--data-dir", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	reader := tokenRe.FindString(out.String())

	for _, f := range []string{"customers_v3.db", "customers_v3.db-wal", "customers_v3.db-shm"} {
		os.Remove(filepath.Join(dir, "views", f))
	}
	s3 := startServe(t, "--data-dir", dir)
	base = "http://" + s3.addr
	st, _, body = call(t, "GET", base+"/v1/customers/c3", reader, "", "Stateset-Min-Position", pos)
	if st != 200 || body["lastName"] != "Last" {
		t.Fatalf("after deleting the read model: %d %v", st, body)
	}
	if st, _, _ := call(t, "PUT", base+"/v1/customers/c3", reader, `{"lastName":"X"}`); st != 403 {
		t.Fatalf("read-only key wrote: %d", st)
	}
}

func TestDataDirIsLockedWhileServing(t *testing.T) {
	dir := t.TempDir()
	startServe(t, "--data-dir", dir)
	err := run(context.Background(), []string{"projections", "status", "--data-dir", dir}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("tool on a served data dir: %v", err)
	}
}

func TestBootstrapKeyFromTheEnvironment(t *testing.T) {
	t.Setenv("STATESET_BOOTSTRAP_KEY", "sk_test_bootstrap_key_0123456789")
	s := startServe(t, "--data-dir", t.TempDir())
	if strings.Contains(s.out.String(), "sk_") {
		t.Fatal("a given bootstrap key is not printed")
	}
	if st, _, _ := call(t, "GET", "http://"+s.addr+"/v1/customers", "sk_test_bootstrap_key_0123456789", ""); st != 200 {
		t.Fatalf("bootstrap key refused: %d", st)
	}
}

func TestDownstreamSubscribersReceiveCustomerEvents(t *testing.T) {
	natsAddr := freeAddr(t)
	t.Setenv("STATESET_NATS_LISTEN", natsAddr) // the environment twin of --nats-listen
	s := startServe(t, "--data-dir", t.TempDir())
	tok := s.token(t)
	pass := regexp.MustCompile(`user stateset-reader  password (\S+)`).FindStringSubmatch(s.out.String())
	if pass == nil {
		t.Fatalf("no reader password printed: %s", s.out.String())
	}

	nc, err := nats.Connect("nats://"+natsAddr, nats.UserInfo("stateset-reader", pass[1]))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	cons, err := js.OrderedConsumer(ctx, "STATESET_EVENTS", jetstream.OrderedConsumerConfig{FilterSubjects: []string{"stateset.events.customer.>"}})
	if err != nil {
		t.Fatal(err)
	}
	call(t, "PUT", "http://"+s.addr+"/v1/customers/d1", tok, `{"email":"d1@example.com"}`, "X-Correlation-Id", "corr-1")
	call(t, "PUT", "http://"+s.addr+"/v1/customers/d1", tok, `{"firstName":"D"}`)
	want := []string{"CustomerCreated", "CustomerUpdated"}
	for _, typ := range want {
		m, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		h := m.Headers()
		if m.Subject() != "stateset.events.customer.d1."+typ || h.Get("Stateset-Event-Type") != typ ||
			h.Get("Stateset-Aggregate-Id") != "d1" || h.Get("Stateset-Actor") != "bootstrap-admin" || h.Get("Nats-Msg-Id") == "" {
			t.Fatalf("message %s headers %v", m.Subject(), h)
		}
		if typ == "CustomerCreated" && h.Get("Stateset-Correlation-Id") != "corr-1" {
			t.Errorf("correlation id %q", h.Get("Stateset-Correlation-Id"))
		}
		var body struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(m.Data(), &body); err != nil || body.Type != typ {
			t.Fatalf("body %s: %v", m.Data(), err)
		}
	}
}

func TestFlagsHaveEnvironmentTwins(t *testing.T) {
	t.Setenv("STATESET_SYNC", "sometimes")
	err := run(context.Background(), []string{"serve", "--data-dir", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "sync") {
		t.Fatalf("bad STATESET_SYNC: %v", err)
	}
}
