package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKill9DuringWriteLoadLosesNoAcknowledgedWrite runs stateset as a real process with
// its embedded JetStream, SIGKILLs it in the middle of a concurrent write load, several
// times over, and restarts it on the same data dir each time. Every write that was
// answered 2xx must then be in the stream at its Stateset-Position (history), in the read
// model (GET with Stateset-Min-Position), and the read model must equal a fresh rebuild.
func TestKill9DuringWriteLoadLosesNoAcknowledgedWrite(t *testing.T) {
	const rounds, workers, acksPerRound = 3, 6, 120
	dir := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	cl := newClient()

	var acks []ack
	for round := range rounds {
		srv := statesetProc(t, fmt.Sprintf("stateset (start %d)", round+1), addr, "--data-dir", dir)
		load := newWriteLoad(fmt.Sprintf("k%d", round), cl, workers, 200, func() string { return base })
		load.stopErr = true // once the process is gone, each worker stops at its next request
		run := load.start(t)
		load.waitFor(t, time.Minute, fmt.Sprintf("%d acknowledged writes", acksPerRound), func(a []ack, _ map[string]int) bool {
			return len(a) >= acksPerRound
		})
		srv.kill()
		run.wait()
		got, statuses := load.snapshot()
		for st, n := range statuses {
			// the load never conflicts with itself: anything but a 2xx is a request in
			// flight when the process died
			if !strings.Contains(st, ": 2") && !strings.Contains(st, "transport error") {
				t.Errorf("round %d: %d answers %q", round+1, n, st)
			}
		}
		t.Logf("round %d: %v", round+1, statuses)
		acks = append(acks, got...)
	}

	srv := statesetProc(t, "stateset (after the kills)", addr, "--data-dir", dir)
	versions := checkReadModel(t, cl, base, acks)
	checkHistory(t, cl, base, acks, versions)
	srv.stop(t)
	checkRebuildEquals(t, dir)
	t.Logf("%d acknowledged writes over %d kills, %d customers", len(acks), rounds, len(versions))
}

// TestExternalNATSRestartedDuringLoad points stateset at a real nats-server process and
// SIGKILLs that server in the middle of a write load. While it is down, writes must fail
// with 503 UNAVAILABLE and reads keep being served from SQLite; once it is back on the
// same port and store, writes succeed again without restarting stateset, the read model
// follows again, and every write answered 2xx, before, during or after, is in the stream.
func TestExternalNATSRestartedDuringLoad(t *testing.T) {
	const workers = 4
	bin := natsServerBin(t)
	node := newNATSNode(t, bin, "nats", filepath.Join(t.TempDir(), "js"), 0, nil)
	node.start(t)
	node.waitHealthy(t)
	s := startServe(t, "--data-dir", t.TempDir(), "--nats-url", node.url(), "--bootstrap-key", testKey)
	base := "http://" + s.addr
	cl := newClient()

	load := newWriteLoad("x", cl, workers, 400, func() string { return base })
	run := load.start(t)
	load.waitFor(t, time.Minute, "writes before the outage", func(a []ack, _ map[string]int) bool { return len(a) >= 40 })

	node.p.kill()
	load.epoch.Store(1) // requests sent from here on meet a dead NATS

	// Meanwhile, reads of the read models are answered from SQLite, and reads of the
	// event store say it is unavailable (never "not found"). Those wait for the store's
	// timeout, so they run side by side with the load.
	before, _ := load.snapshot()
	id := before[0].id
	reads := []struct {
		path       string
		wantStatus int
		wantCode   string
	}{
		{"/v1/customers/" + id, http.StatusOK, ""},
		{"/v1/customers?limit=5", http.StatusOK, ""},
		{"/v1/customers/" + id + "/timeline", http.StatusOK, ""},
		{"/v1/customers/" + id + "/history", http.StatusServiceUnavailable, "UNAVAILABLE"},
		{"/v1/customers/" + id + "?as_of=1", http.StatusServiceUnavailable, "UNAVAILABLE"},
	}
	answers := make([]answer, len(reads))
	errs := make([]error, len(reads))
	var wg sync.WaitGroup
	for i, rd := range reads {
		wg.Go(func() { answers[i], errs[i] = cl.do(context.Background(), http.MethodGet, base+rd.path, "") })
	}
	load.waitFor(t, time.Minute, "every worker to meet the outage", func(_ []ack, st map[string]int) bool {
		failed := 0
		for k, n := range st {
			if strings.HasPrefix(k, "epoch 1: ") && !strings.HasPrefix(k, "epoch 1: 2") {
				failed += n
			}
		}
		return failed >= workers
	})
	wg.Wait()
	for i, rd := range reads {
		if got := answers[i]; errs[i] != nil || got.status != rd.wantStatus || got.errCode() != rd.wantCode {
			t.Errorf("GET %s while NATS is down: %d %s (%v), want %d %s", rd.path, got.status, got.body, errs[i], rd.wantStatus, rd.wantCode)
		}
	}

	node.start(t) // same port, same store
	node.waitHealthy(t)
	load.epoch.Store(2)
	load.waitFor(t, time.Minute, "writes to succeed again", func(a []ack, _ map[string]int) bool { return countAcks(a, 2) >= 40 })
	run.stop()

	acks, statuses := load.snapshot()
	for st, n := range statuses {
		// a write sent before NATS came back either failed with 503 UNAVAILABLE or (in
		// flight when NATS died, or sent just before it came back) succeeded; after
		// that, every write succeeds
		ok := strings.Contains(st, ": 2") || !strings.HasPrefix(st, "epoch 2") && strings.HasSuffix(st, ": 503 UNAVAILABLE")
		if !ok {
			t.Errorf("%d answers %q (last transport error: %v)", n, st, load.lastError())
		}
	}
	t.Logf("answers: %v", statuses)
	msgs := readStream(t, node.url())
	counts := checkStream(t, msgs, acks)
	versions := checkReadModel(t, cl, base, acks)
	for id, v := range versions {
		if counts[id] != v {
			t.Errorf("customer %s: read model at version %d, the stream has %d of its events", id, v, counts[id])
		}
	}
	if !ready(base) {
		t.Error("not ready after NATS came back")
	}
	s.stop() // while NATS is up: a shutdown without it waits for the connections' drain
}
