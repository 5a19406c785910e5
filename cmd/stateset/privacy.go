package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
)

// privacyCmd is "stateset privacy migrate": a store written before personal data was
// sealed (or with --plain-personal-data) is replayed into a new stream with every
// personal field sealed under its subject's key. Event ids, order, times and metadata are
// kept; stream positions start again from 1 in the new stream, so read models are rebuilt
// there from scratch (they are, on the first start against it). Unique-value claims and
// counters are copied; snapshots and idempotency records are not (they are caches).
func privacyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "migrate" {
		return fmt.Errorf("usage: stateset privacy migrate --to-data-dir DIR | --to-nats-url URL | --to-prefix P")
	}
	fs := flag.NewFlagSet("privacy migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var from storeFlags
	from.register(fs)
	toDir := fs.String("to-data-dir", "", "data dir of the new embedded store")
	toURL := fs.String("to-nats-url", "", "external NATS of the new stream (default: the source's)")
	toPrefix := fs.String("to-prefix", "", "subject prefix of the new stream (default: the source's)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	to := from
	to.plainPII = false
	if *toDir != "" {
		to.dataDir = *toDir
	}
	if *toURL != "" {
		to.natsURL = *toURL
	}
	if *toPrefix != "" {
		to.prefix = *toPrefix
	}
	if same(from, to) {
		return errors.New("privacy migrate: the new stream must differ from the source (--to-data-dir, --to-nats-url or --to-prefix)")
	}
	log, err := newLogger(stderr, from.logLevel, from.logFormat)
	if err != nil {
		return err
	}
	src, closeSrc, err := openTool(ctx, &from, stderr, false)
	if err != nil {
		return err
	}
	defer closeSrc()
	dst, closeDst, err := openTool(ctx, &to, stderr, false)
	if err != nil {
		return err
	}
	defer closeDst()
	if head, err := dst.Head(ctx); err != nil || head != 0 {
		return fmt.Errorf("privacy migrate: the new stream must be empty (head %d): %v", head, err)
	}
	// the source may hold some sealed fields already: read it with its own keys
	srcVault, err := commands.OpenVault(ctx, src, log)
	if err != nil {
		return err
	}
	dstVault, err := commands.OpenVault(ctx, dst, log)
	if err != nil {
		return err
	}
	srcReg, dstReg := domain.NewRegistry().WithVault(srcVault), domain.NewRegistry().WithVault(dstVault)
	// customers forgotten in a plain store still have their personal data in its events:
	// their keys are destroyed in the new store before anything is sealed, so it is dropped
	forgotten := 0
	for m, err := range src.Load(ctx, src.TypeSubjects("customer"), 0) {
		if err != nil {
			return err
		}
		env, err := srcReg.Unmarshal(m.Data, m.Seq)
		if err != nil {
			return err
		}
		if e, ok := env.Event.(domain.CustomerForgotten); ok {
			if err := dstVault.Forget(ctx, domain.CustomerSubject(e.CustomerID)); err != nil {
				return err
			}
			if e.LeadID != "" {
				if err := dstVault.Forget(ctx, "lead."+e.LeadID); err != nil {
					return err
				}
			}
			forgotten++
		}
	}
	var failed error
	n, err := dst.Import(ctx, func(yield func(eventstore.BulkMessage) bool) {
		for m, err := range src.Load(ctx, src.AllSubjects(), 0) {
			if err != nil {
				failed = err
				return
			}
			env, err := srcReg.Unmarshal(m.Data, m.Seq)
			if err != nil {
				failed = err
				return
			}
			msg, err := commands.EventMessage(dstReg, env)
			if err != nil {
				failed = err
				return
			}
			if !yield(eventstore.BulkMessage{AggregateType: env.AggregateType, AggregateID: env.AggregateID, Message: msg}) {
				return
			}
		}
	})
	if err = errors.Join(failed, err); err != nil {
		return fmt.Errorf("privacy migrate: after %d events: %w", n, err)
	}
	claims, err := copyBucket(ctx, src, dst, "UNIQUE")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrated %d events and %d unique claims/counters; personal fields sealed, %d forgotten customers' dropped. Start serve on the new store%s.\n",
		n, claims, forgotten, map[bool]string{true: " (--data-dir " + filepath.Clean(to.dataDir) + ")", false: ""}[to.dataDir != from.dataDir])
	return nil
}

func same(a, b storeFlags) bool {
	return filepath.Clean(a.dataDir) == filepath.Clean(b.dataDir) && a.natsURL == b.natsURL && a.prefix == b.prefix
}

// copyBucket copies every key of a bucket from one store to the other.
func copyBucket(ctx context.Context, from, to *eventstore.Store, name string) (int, error) {
	src, err := from.Bucket(ctx, name, 0)
	if err != nil {
		return 0, err
	}
	dst, err := to.Bucket(ctx, name, 0)
	if err != nil {
		return 0, err
	}
	keys, err := src.Keys(ctx)
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		v, _, err := src.Get(ctx, k)
		if errors.Is(err, eventstore.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return 0, err
		}
		if _, err := dst.Put(ctx, k, v); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}
