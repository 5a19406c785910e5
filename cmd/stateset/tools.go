package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
	"stateset/projections"
)

// openTool opens the store for a one-shot command. The data dir is locked when the store
// is embedded or the command touches the local read models (lockViews): the server must
// be stopped for those, and the lock says so.
func openTool(ctx context.Context, sf *storeFlags, stderr io.Writer, lockViews bool) (*eventstore.Store, func(), error) {
	log, err := newLogger(stderr, sf.logLevel, sf.logFormat)
	if err != nil {
		return nil, nil, err
	}
	sf.natsListen = "" // tools never serve NATS
	unlock := func() {}
	if sf.natsURL == "" || lockViews {
		if unlock, err = lockDataDir(sf.dataDir); err != nil {
			return nil, nil, err
		}
	}
	s, err := eventstore.Open(ctx, sf.config("stateset-tool"), log)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	return s, func() { s.Close(); unlock() }, nil
}

func projectionsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "status" && args[0] != "rebuild") {
		return fmt.Errorf("usage: stateset projections status | rebuild NAME|--all")
	}
	fs := flag.NewFlagSet("projections "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	all := fs.Bool("all", false, "rebuild every read model")
	// flags may come after the projection name
	var names []string
	rest := args[1:]
	for len(rest) > 0 {
		if err := parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	store, closeStore, err := openTool(ctx, &sf, stderr, true)
	if err != nil {
		return err
	}
	defer closeStore()
	log, _ := newLogger(stderr, sf.logLevel, sf.logFormat)
	reg, err := registry(ctx, &sf, store, log)
	if err != nil {
		return err
	}

	if args[0] == "status" {
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROJECTION\tPOSITION\tHEAD\tLAG (events of its subjects)")
		for _, p := range projections.All() {
			run, err := projections.Open(ctx, sf.viewsDir(), p, store, reg, log)
			if err != nil {
				return err
			}
			applied := run.Applied()
			head, err := run.Head(ctx)
			if err != nil {
				run.Close()
				return err
			}
			lag := uint64(0)
			if head > applied {
				lag = head - applied // an upper bound: positions of other subjects are counted too
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", p.Name(), applied, head, lag)
			run.Close()
		}
		streamHead, err := store.Head(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "stream %s\t\t%d\t\n", store.StreamName(), streamHead)
		return tw.Flush()
	}

	var todo []projections.Projector
	for _, p := range projections.All() {
		if *all || slices.Contains(names, p.Name()) {
			todo = append(todo, p)
		}
	}
	if len(todo) == 0 {
		var known []string
		for _, p := range projections.All() {
			known = append(known, p.Name())
		}
		return fmt.Errorf("name a projection (%s) or --all", strings.Join(known, ", "))
	}
	for _, p := range todo {
		start := time.Now()
		pos, err := projections.Rebuild(ctx, sf.viewsDir(), p, store, reg, log)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rebuilt %s to position %d in %s\n", p.Name(), pos, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func keysCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: stateset keys create --name N --scopes S1,S2 [--expires-at RFC3339]")
	}
	fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	name := fs.String("name", "", "what the key is for")
	scopes := fs.String("scopes", "", "comma-separated scopes, e.g. customers:read,customers:write, or admin")
	expires := fs.String("expires-at", "", "RFC 3339 time after which the key stops working")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var exp *time.Time
	if *expires != "" {
		t, err := time.Parse(time.RFC3339, *expires)
		if err != nil {
			return fmt.Errorf("expires-at: %w", err)
		}
		exp = &t
	}
	store, closeStore, err := openTool(ctx, &sf, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore()
	log, _ := newLogger(stderr, sf.logLevel, sf.logFormat)
	reg, err := registry(ctx, &sf, store, log)
	if err != nil {
		return err
	}
	h, err := commands.New(ctx, store, reg, log, commands.Config{})
	if err != nil {
		return err
	}
	var list []string
	for s := range strings.SplitSeq(*scopes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			list = append(list, s)
		}
	}
	res, tok, err := h.APIKeys().Create(ctx, "", *name, list, exp, "", commands.WithMetadata(domain.Metadata{Actor: "cli", ActorName: "stateset keys create"}))
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return fmt.Errorf("%s", ve.Error())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created key %s (%s) with scopes %s\ntoken (shown once): %s\n", res.Aggregate.ID, res.Aggregate.Name,
		strings.Join(res.Aggregate.Scopes, ","), tok)
	return nil
}

// errUnbalanced is what inventory verify exits with when it finds a difference.
var errUnbalanced = errors.New("inventory verify found differences")

// inventoryCmd is "stateset inventory verify": every balance recomputed from the
// ledger's deltas, checked against what each event states, against available >= 0 and
// against the read model.
func inventoryCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("usage: stateset inventory verify")
	}
	fs := flag.NewFlagSet("inventory verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	store, closeStore, err := openTool(ctx, &sf, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore()
	log, _ := newLogger(stderr, sf.logLevel, sf.logFormat)
	reg, err := registry(ctx, &sf, store, log)
	if err != nil {
		return err
	}
	events := func(yield func(domain.Envelope, error) bool) {
		for m, err := range store.Load(ctx, store.AggregateSubjects("inventory", "*"), 0) {
			if err != nil {
				yield(domain.Envelope{}, err)
				return
			}
			env, err := reg.Unmarshal(m.Data, m.Seq)
			if !yield(env, err) || err != nil {
				return
			}
		}
	}
	balances, diffs, err := projections.VerifyInventory(ctx, sf.viewsDir(), events)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintf(stdout, "DIFF %s at %d: %s\n", d.ItemID, d.Position, d.Issue)
	}
	fmt.Fprintf(stdout, "%d items verified, %d differences\n", len(balances), len(diffs))
	if len(diffs) > 0 {
		return errUnbalanced
	}
	return nil
}
