package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
)

// storeFlags are the flags every command that opens the event store shares.
type storeFlags struct {
	dataDir    string
	sync       string
	natsURL    string
	natsListen string
	natsUser   string
	natsPass   string
	replicas   int
	prefix     string
	logLevel   string
	logFormat  string
	plainPII   bool
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "./data", "directory for the embedded JetStream store and the SQLite read models")
	fs.StringVar(&f.sync, "sync", "1s", `JetStream fsync interval, or "always" to fsync every append`)
	fs.StringVar(&f.natsURL, "nats-url", "", "use this external NATS (comma-separated URLs) instead of the embedded server")
	fs.StringVar(&f.natsListen, "nats-listen", "", "also serve the embedded NATS on HOST:PORT for downstream subscribers")
	fs.StringVar(&f.natsUser, "nats-user", "stateset-reader", "user downstream services log in with on --nats-listen (read-only)")
	fs.StringVar(&f.natsPass, "nats-password", "", "its password (default: a random one, printed at start)")
	fs.IntVar(&f.replicas, "replicas", 1, "stream and bucket replicas on an external cluster")
	fs.StringVar(&f.prefix, "prefix", "stateset", "subject prefix; the stream is <PREFIX>_EVENTS")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&f.logFormat, "log-format", "text", "text or json")
	fs.BoolVar(&f.plainPII, "plain-personal-data", false, "write personal fields in the clear (no per-customer keys; forgetting then only scrubs the read models)")
}

// registry is the event codec for a store: with the vault of per-customer keys unless
// personal data is kept in the clear. Every reader needs the vault to see personal fields,
// whatever wrote them.
func registry(ctx context.Context, f *storeFlags, store *eventstore.Store, log *slog.Logger) (*domain.Registry, error) {
	reg := domain.NewRegistry()
	if f.plainPII {
		return reg, nil
	}
	v, err := commands.OpenVault(ctx, store, log)
	if err != nil {
		return nil, err
	}
	return reg.WithVault(v), nil
}

func (f *storeFlags) config(name string) eventstore.Config {
	return eventstore.Config{DataDir: f.dataDir, Sync: f.sync, NATSURL: f.natsURL, NATSListen: f.natsListen,
		ReaderUser: f.natsUser, ReaderPassword: f.natsPass, Replicas: f.replicas, Prefix: f.prefix,
		Timeout: 5 * time.Second, Name: name}
}

func (f *storeFlags) viewsDir() string { return filepath.Join(f.dataDir, "views") }

// lockDataDir takes an exclusive lock on the data directory so that two processes never
// open one embedded store or swap read models under each other (the read models are local
// whatever NATS is used). The lock goes with the process.
func lockDataDir(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("data dir %s is in use by another stateset process (stop it first): %w", dir, err)
	}
	return func() { f.Close() }, nil
}
