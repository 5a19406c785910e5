package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
	"stateset/projections"
)

// The bench sections about history: long aggregates, catch-up and memory.

// benchLong compares writes on a customer with many events to writes on new ones, warm
// and as the first write after a restart (cache empty: snapshot + tail).
func benchLong(ctx context.Context, cfg benchConfig) ([]result, error) {
	dir := filepath.Join(cfg.dir, "long")
	a, err := startApp(ctx, cfg, dir)
	if err != nil {
		return nil, err
	}
	h := a.cmd
	if _, err := h.Customers().Create(ctx, domain.CreateCustomer{CustomerID: "long", Email: "long@example.com"}); err != nil {
		a.stop()
		return nil, err
	}
	for i := 1; i < cfg.longEvents; i++ {
		if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "long", Phone: ptr(strconv.Itoa(i))}); err != nil {
			a.stop()
			return nil, err
		}
		if i%10 == 0 { // spread its events through the stream
			id := fmt.Sprint("filler", i)
			if _, err := h.Customers().Create(ctx, domain.CreateCustomer{CustomerID: id, Email: id + "@example.com"}); err != nil {
				a.stop()
				return nil, err
			}
		}
	}
	const samples = 400
	var longW, newW latencies
	for i := range samples {
		t := time.Now()
		if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "long", LastName: ptr(strconv.Itoa(i))}); err != nil {
			a.stop()
			return nil, err
		}
		longW.add([]time.Duration{time.Since(t)})
		id := fmt.Sprint("small", i)
		if _, err := h.Customers().Create(ctx, domain.CreateCustomer{CustomerID: id, Email: id + "@example.com"}); err != nil {
			a.stop()
			return nil, err
		}
		t = time.Now()
		if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: id, LastName: ptr(strconv.Itoa(i))}); err != nil {
			a.stop()
			return nil, err
		}
		newW.add([]time.Duration{time.Since(t)})
	}
	a.stop()
	var longCold, newCold latencies
	for i := range cfg.restarts {
		a, err := startApp(ctx, cfg, dir)
		if err != nil {
			return nil, err
		}
		// a first write elsewhere pays the connection warm-up; then the small and the long
		// customer, in alternating order, neither of them cached
		if _, err = a.cmd.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "filler10", Phone: ptr(strconv.Itoa(i))}); err != nil {
			a.stop()
			return nil, err
		}
		small := func() error {
			t := time.Now()
			_, err := a.cmd.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: fmt.Sprint("small", i), Phone: ptr("1")})
			newCold.add([]time.Duration{time.Since(t)})
			return err
		}
		long := func() error {
			t := time.Now()
			_, err := a.cmd.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "long", Phone: ptr(fmt.Sprint("9", i))})
			longCold.add([]time.Duration{time.Since(t)})
			return err
		}
		first, second := small, long
		if i%2 == 1 {
			first, second = long, small
		}
		if err = first(); err == nil {
			err = second()
		}
		a.stop()
		if err != nil {
			return nil, err
		}
	}
	n := fmt.Sprintf("%d events", cfg.longEvents)
	return []result{
		longW.result("write, 10k-event customer, warm", 0, n),
		newW.result("write, new customer, warm", 0, "2 events"),
		longCold.result("first write after restart, 10k-event customer", 0, fmt.Sprintf("%d restarts", cfg.restarts)),
		newCold.result("first write after restart, small customer", 0, ""),
	}, nil
}

// benchCatchUp fills a store with events customers x (events/customers) through bulk
// import, then times a full rebuild of the customers read model from sequence 1.
func benchCatchUp(ctx context.Context, cfg benchConfig) ([]result, string, error) {
	dir := filepath.Join(cfg.dir, "big")
	s, err := quietStore(ctx, dir, cfg.log)
	if err != nil {
		return nil, "", err
	}
	defer s.Close()
	reg := domain.NewRegistry()
	per := cfg.events / cfg.customers
	now := time.Now().UTC()
	var encErr error
	t0 := time.Now()
	n, err := s.Import(ctx, func(yield func(eventstore.BulkMessage) bool) {
		for round := range per {
			for c := range cfg.customers {
				id := fmt.Sprint("c", c)
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
		}
	})
	if err == nil {
		err = encErr
	}
	if err != nil {
		return nil, "", err
	}
	fill := time.Since(t0)
	// a rebuild runs as "stateset projections rebuild" does: without serve's memory limit
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	t1 := time.Now()
	pos, err := projections.Rebuild(ctx, filepath.Join(dir, "views"), projections.Customers(), s, reg, cfg.log)
	if err != nil {
		return nil, "", err
	}
	took := time.Since(t1)
	// JetStream keeps the Msg-Id of every message of its 30 s dedupe window in memory; the
	// memory probe measures a server holding the data, not one right after a bulk import
	if wait := 31*time.Second - time.Since(t0.Add(fill)); wait > 0 && !cfg.quick {
		cfg.say("waiting %s for the dedupe window of the import to pass", wait.Round(time.Second))
		time.Sleep(wait)
	}
	return []result{
		{name: "bulk import (seeding)", ops: float64(n) / fill.Seconds(), extra: fmt.Sprintf("%d events", n)},
		{name: "projection catch-up", ops: float64(n) / took.Seconds(), extra: fmt.Sprintf("events, to position %d", pos)},
		{name: "rebuild", p50: took, extra: fmt.Sprintf("%d events, shadow file + swap", n)},
	}, dir, nil
}

// benchRSS starts a real server process on the big store, warms it with reads and
// writes across all customers, and reads its resident set size.
func benchRSS(ctx context.Context, cfg benchConfig, dir string) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, self, "serve", "--data-dir", dir, "--http-addr", addr, "--log-level", "error", "--rate-limit", "-1")
	if p := os.Getenv("STATESET_BENCH_PPROF"); p != "" { // investigate the server's memory
		cmd.Args = append(cmd.Args, "--pprof-addr", p)
	}
	cmd.Env = append(os.Environ(), "STATESET_BOOTSTRAP_KEY="+benchToken)
	if testing.Testing() { // under go test the executable is the test binary: make it the server
		cmd.Env = append(cmd.Env, testMainEnv+"=1")
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	base := "http://" + addr
	deadline := time.Now().Add(2 * time.Minute)
	for {
		res, err := http.Get(base + "/ready")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return result{}, errors.New("rss: server not ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Warm it with reads and writes over random customers, for at most 20 s: a first write
	// to a customer never loaded on this instance reads its history spread through the
	// whole stream (BENCHMARKS.md), so the count reached says how many there were time for.
	warm := min(cfg.customers, 20_000)
	stopAt := time.Now().Add(20 * time.Second)
	var sent atomic.Int64
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	var wg sync.WaitGroup
	var failed atomic.Value
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < warm && time.Now().Before(stopAt); i += 8 {
				sent.Add(1)
				method, body := http.MethodGet, ""
				if i%2 == 0 {
					method, body = http.MethodPut, fmt.Sprintf(`{"lastName":"W%d"}`, i)
				}
				req, _ := http.NewRequest(method, fmt.Sprintf("%s/v1/customers/c%d", base, rand.IntN(cfg.customers)), strings.NewReader(body))
				req.Header.Set("Authorization", "Token "+benchToken)
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := client.Do(req)
				if err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		return result{}, err
	}
	rss, hwm, err := procMemory(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	return result{name: "server RSS", ops: float64(rss) / (1 << 20),
		extra: fmt.Sprintf("%.0f MiB resident, peak %.0f MiB, after %d requests", float64(rss)/(1<<20), float64(hwm)/(1<<20), sent.Load())}, nil
}

// procMemory reads VmRSS and VmHWM (bytes) of a process from /proc.
func procMemory(pid int) (rss, hwm int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			hwm = kb << 10
		}
	}
	return rss, hwm, sc.Err()
}
