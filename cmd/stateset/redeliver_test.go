package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
)

// redeliverEverything opens the stopped server's store and hands every stored event to
// every flow subscribed to it once more, as JetStream would after a crash between a
// flow's commands and its ack: nothing may be appended, and no flow may fail.
func redeliverEverything(t *testing.T, dataDir string) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := eventstore.Open(ctx, eventstore.Config{DataDir: dataDir, Prefix: "stateset", Timeout: 5 * time.Second, Name: "redeliver"}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	vault, err := commands.OpenVault(ctx, store, log)
	if err != nil {
		t.Fatal(err)
	}
	reg := domain.NewRegistry().WithVault(vault)
	h, err := commands.New(ctx, store, reg, log, commands.Config{})
	if err != nil {
		t.Fatal(err)
	}
	head, err := store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	handled := 0
	for m, err := range store.Load(ctx, "stateset.events.>", 0) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Seq > head {
			break
		}
		env, err := reg.Unmarshal(m.Data, m.Seq)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range h.Flows() {
			if !subscribed(f.Subjects, strings.TrimPrefix(m.Subject, "stateset.events.")) {
				continue
			}
			if err := f.Handle(ctx, env, commands.FlowMetadata(f.Name, env)); err != nil {
				t.Errorf("flow %s on %s at %d, delivered again: %v", f.Name, env.Type, m.Seq, err)
			}
			handled++
		}
	}
	after, err := store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != head {
		for m, _ := range store.Load(ctx, "stateset.events.>", head) {
			t.Errorf("appended by a redelivery: %s %s", m.Subject, m.Header.Get(eventstore.HeaderActor))
		}
		t.Fatalf("redelivering %d events to their flows appended %d events", handled, after-head)
	}
}

// subscribed reports whether a flow's subjects (NATS wildcards, relative to
// <prefix>.events.) match subject.
func subscribed(patterns []string, subject string) bool {
	tokens := strings.Split(subject, ".")
	for _, p := range patterns {
		pt := strings.Split(p, ".")
		ok := len(pt) == len(tokens) || (len(pt) > 0 && pt[len(pt)-1] == ">" && len(tokens) >= len(pt))
		for i := 0; ok && i < len(pt) && i < len(tokens); i++ {
			if pt[i] == ">" {
				break
			}
			ok = pt[i] == "*" || pt[i] == tokens[i]
		}
		if ok {
			return true
		}
	}
	return false
}
