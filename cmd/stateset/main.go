// Command stateset runs the StateSet One operations backend and its tools.
//
//	stateset serve                      run the API (embedded JetStream + SQLite under ./data)
//	stateset projections status         show each read model's position and lag
//	stateset projections rebuild NAME   rebuild one read model (or --all) from the stream
//	stateset keys create --name N --scopes customers:read,customers:write
//	stateset version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// testMainEnv, when set, makes a test binary behave as this command (TestMain calls main):
// the fault tests and the benchmark's memory probe run the server as a real child process.
const testMainEnv = "STATESET_TEST_MAIN"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "stateset:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage: stateset <command> [flags]

commands:
  serve                         run the HTTP API, projections and (by default) an embedded JetStream
  projections status            show each read model's position and lag
  projections rebuild NAME|--all rebuild read models from the stream (server stopped, or a cluster)
  keys create --name N --scopes S1,S2 [--expires-at T]   issue an API key
  inventory verify              recompute every balance from the ledger; non-zero exit on a difference
  privacy migrate --to-data-dir D  replay a store written in the clear into a new one, personal data sealed
  bench [--quick]               measure the core against its raw limits and a CRUD baseline (BENCHMARKS.md)
  crud-baseline                 serve the CRUD baseline alone, for wrk
  version                       print the version

Every flag has an environment twin: --data-dir is STATESET_DATA_DIR, and so on.
Run "stateset <command> -h" for a command's flags.`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "projections":
		return projectionsCmd(ctx, args[1:], stdout, stderr)
	case "keys":
		return keysCmd(ctx, args[1:], stdout, stderr)
	case "inventory":
		return inventoryCmd(ctx, args[1:], stdout, stderr)
	case "privacy":
		return privacyCmd(ctx, args[1:], stdout, stderr)
	case "bench":
		return benchCmd(ctx, args[1:], stdout, stderr)
	case "crud-baseline":
		return crudCmd(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// parse parses flags, then fills every flag not given from its STATESET_* twin.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		env := "STATESET_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
		}
	})
	return errors.Join(errs...)
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}
