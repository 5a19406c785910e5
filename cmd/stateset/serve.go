package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"stateset/commands"
	"stateset/eventstore"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	httpAddr := fs.String("http-addr", ":8080", "HTTP listen address")
	rateLimit := fs.Float64("rate-limit", 1000, "requests per second per API key (burst twice that); negative turns it off")
	pprofAddr := fs.String("pprof-addr", "", "serve Go's pprof profiles on this address (e.g. 127.0.0.1:6060); off by default")
	sweep := fs.Duration("reservation-sweep", 5*time.Second, "how often reservations past their expires_at are released")
	flowRetries := fs.Int("flow-retries", 5, "retries of a failing process-manager event before it is parked")
	hooksPrivate := fs.Bool("webhooks-allow-private", false, "let webhook endpoints target private, loopback and link-local addresses")
	hooksSchedule := fs.String("webhook-retry-schedule", "0,1m,5m,30m,2h,5h,10h,10h", "wait before each webhook try (comma-separated durations; one try each)")
	hooksDisable := fs.Int("webhook-disable-after", 5, "deliveries failed in a row that disable a webhook endpoint (negative: never)")
	hooksTimeout := fs.Duration("webhook-timeout", 10*time.Second, "time limit of one webhook POST")
	bootstrapKey := fs.String("bootstrap-key", "", "token of the admin key created on an empty store (default: a random one, printed once)")
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, sf.logLevel, sf.logFormat)
	if err != nil {
		return err
	}
	schedule, err := commands.ParseWebhookSchedule(*hooksSchedule)
	if err != nil {
		return err
	}
	if *hooksTimeout <= 0 {
		return errors.New("--webhook-timeout must be positive")
	}
	tuneGC()
	unlock, err := lockDataDir(sf.dataDir)
	if err != nil {
		return err
	}
	defer unlock()
	generatedPass := sf.natsListen != "" && sf.natsPass == ""
	if generatedPass {
		sf.natsPass = commands.NewToken()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	a, err := newApp(ctx, appConfig{store: sf.config("stateset"), viewsDir: sf.viewsDir(), rateLimit: *rateLimit, log: log, plainPII: sf.plainPII,
		sweepEvery: *sweep, reactor: eventstore.ReactorConfig{Retries: *flowRetries},
		webhooks: commands.WebhookConfig{AllowPrivate: *hooksPrivate, Schedule: schedule, DisableAfter: *hooksDisable,
			Timeout: *hooksTimeout}})
	if err != nil {
		return err
	}
	defer a.stop()
	tok, err := a.bootstrap(ctx, *bootstrapKey)
	if err != nil {
		return err
	}
	if tok != "" && *bootstrapKey == "" {
		fmt.Fprintf(stdout, "Admin API key (shown once, store it now):\n\n    %s\n\n", tok)
	}
	if generatedPass {
		fmt.Fprintf(stdout, "Downstream NATS (read-only): %s  user %s  password %s\n\n", a.store.ClientURL(), sf.natsUser, sf.natsPass)
	}

	if *pprofAddr != "" {
		stopProf, err := servePprof(*pprofAddr)
		if err != nil {
			return err
		}
		defer stopProf()
	}
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *httpAddr, err)
	}
	srv := &http.Server{Handler: a.api, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	log.Info("stateset serving", "http", ln.Addr().String(), "version", version, "stream", a.store.StreamName(),
		"nats_clients", a.store.ClientURL(), "data_dir", sf.dataDir)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining HTTP, finishing projection batches, stopping NATS")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", "err", err)
	}
	return nil
}
