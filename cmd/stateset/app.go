package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"stateset/api"
	"stateset/commands"
	"stateset/domain"
	"stateset/eventstore"
	"stateset/projections"
)

// app is one running instance: event store, command handler, read models, API.
type app struct {
	log     *slog.Logger
	store   *eventstore.Store
	cmd     *commands.Handler
	runners []*projections.Runner
	keys    *projections.Keys
	api     *api.Server
	metrics *prometheus.Registry
	reactor *eventstore.Reactor

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type appConfig struct {
	store     eventstore.Config
	viewsDir  string
	rateLimit float64
	reactor   eventstore.ReactorConfig
	plainPII  bool // personal fields in the clear (no vault)
	// sweepEvery is how often expired reservations are released (0: never)
	sweepEvery time.Duration
	webhooks   commands.WebhookConfig
	log        *slog.Logger
	// extraViews and extraFlows run beside the product's own (the bench's module-cost
	// section: modules that never read the events it writes must not slow it)
	extraViews []projections.Projector
	extraFlows []commands.Flow
}

// newApp opens everything and starts the projections; it does not listen on HTTP.
func newApp(ctx context.Context, cfg appConfig) (*app, error) {
	a := &app{log: cfg.log, metrics: prometheus.NewRegistry()}
	a.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	if a.store, err = eventstore.Open(ctx, cfg.store, cfg.log); err != nil {
		return nil, err
	}
	reg := domain.NewRegistry()
	if !cfg.plainPII {
		v, err := commands.OpenVault(ctx, a.store, cfg.log)
		if err != nil {
			a.store.Close()
			return nil, err
		}
		reg = reg.WithVault(v) // personal fields sealed per customer
	}
	if a.cmd, err = commands.New(ctx, a.store, reg, cfg.log, commands.Config{Metrics: a.metrics, Webhooks: cfg.webhooks}); err != nil {
		a.store.Close()
		return nil, err
	}
	idem, err := commands.NewIdempotency(ctx, a.store, nil)
	if err != nil {
		a.store.Close()
		return nil, err
	}
	// a forgotten customer's answers leave the idempotency records too
	a.cmd.Customers().OnForgotten(func(ctx context.Context, id string) error {
		_, err := idem.Forget(ctx, id)
		return err
	})
	if a.reactor, err = a.store.NewReactor(ctx, cfg.log, cfg.reactor); err != nil {
		a.store.Close()
		return nil, err
	}
	if err := a.cmd.React(a.reactor, append(a.cmd.Flows(), cfg.extraFlows...)); err != nil {
		a.close()
		return nil, err
	}
	for _, p := range append(projections.All(), cfg.extraViews...) {
		run, err := projections.Open(ctx, cfg.viewsDir, p, a.store, reg, cfg.log)
		if err != nil {
			a.close()
			return nil, err
		}
		a.runners = append(a.runners, run)
	}
	a.keys = projections.NewKeys(a.store, reg, cfg.log)
	reader, err := projections.NewReader(a.runners...)
	if err != nil {
		a.close()
		return nil, err
	}
	// the webhook fan-out matches events against endpoints held in memory, current up to
	// the position the webhooks read model reflects, so it is added once that exists
	hooks := a.cmd.Webhooks().NewIndex(reader.WebhooksReflected)
	if err := a.cmd.Webhooks().React(a.reactor, hooks); err != nil {
		a.close()
		return nil, err
	}
	if err := a.registerLag(); err != nil {
		a.close()
		return nil, err
	}
	if a.api, err = api.New(a.cmd, reader, a.keys, idem, api.Config{Logger: cfg.log, Metrics: a.metrics,
		RateLimit: cfg.rateLimit, Ready: a.ready, Flows: commands.NewFlowAdmin(a.reactor), Version: version}); err != nil {
		a.close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	hub, err := projections.NewHub(a.store, reg, cfg.log, a.runners...)
	if err != nil {
		cancel()
		a.close()
		return nil, err
	}
	a.wg.Go(func() { hub.Run(runCtx) }) // one pass over the stream feeds every read model
	a.wg.Go(func() { a.keys.Run(runCtx) })
	a.wg.Go(func() { hooks.Run(runCtx) })
	a.wg.Go(func() { a.cmd.Run(runCtx) })
	if cfg.sweepEvery > 0 {
		a.wg.Go(func() { a.sweepReservations(runCtx, reader, cfg.sweepEvery) })
	}
	a.wg.Go(func() { a.cmd.Webhooks().Run(runCtx, reader.DueWebhookDeliveries) })
	a.wg.Go(func() {
		if err := a.reactor.Run(runCtx); err != nil {
			a.log.Error("flows stopped", "err", err)
		}
	})
	return a, nil
}

// sweepReservations releases reservations whose expires_at has passed. Any command on an
// item releases its overdue reservations too; the sweep makes sure it happens on time on
// items nothing else touches. Instances may sweep together: the second finds nothing.
func (a *app) sweepReservations(ctx context.Context, read *projections.Reader, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	meta := commands.WithMetadata(domain.Metadata{Actor: "system", ActorName: "reservation-expiry"})
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		due, err := read.DueReservations(ctx, time.Now(), 500)
		if err != nil {
			a.log.Warn("reservation sweep", "err", err)
			continue
		}
		done := map[string]bool{}
		for _, r := range due {
			if done[r.ItemID] {
				continue
			}
			done[r.ItemID] = true
			if _, err := a.cmd.Inventory().ExpireReservations(ctx, r.ItemID, meta); err != nil && ctx.Err() == nil {
				a.log.Warn("reservation sweep", "item", r.ItemID, "err", err)
			}
		}
	}
}

func (a *app) registerLag() error {
	for _, run := range a.runners {
		labels := prometheus.Labels{"projection": run.Name()}
		for _, c := range []prometheus.Collector{
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stateset_projection_position", Help: "Stream position the read model reflects.",
				ConstLabels: labels}, func() float64 { return float64(run.Position()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stateset_projection_lag_events", Help: "Events of its subjects the read model has yet to apply.",
				ConstLabels: labels}, func() float64 { return float64(run.Status().LagEvents) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stateset_projection_lag_seconds", Help: "Age of the last applied event while behind.",
				ConstLabels: labels}, func() float64 { return run.Status().LagSeconds }),
		} {
			if err := a.metrics.Register(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// ready: the store answers and every projection is running.
func (a *app) ready(ctx context.Context) error {
	if _, err := a.store.Head(ctx); err != nil {
		return err
	}
	for _, run := range a.runners {
		if st := run.Status(); st.State != "running" {
			return fmt.Errorf("projection %s is %s: %s", st.Name, st.State, st.LastError)
		}
	}
	select {
	case <-a.reactor.Running():
	default:
		return errors.New("flows are starting")
	}
	if !a.keys.Ready() {
		return errors.New("api key index is catching up")
	}
	return nil
}

// bootstrap creates the default warehouse ("main") on a store without warehouses, and
// the first admin key on an empty store, waiting until this instance accepts it. It
// returns the token when it made one.
func (a *app) bootstrap(ctx context.Context, token string) (string, error) {
	if _, err := a.cmd.Warehouse().BootstrapWarehouse(ctx); err != nil {
		return "", fmt.Errorf("bootstrap warehouse: %w", err)
	}
	tok, created, err := a.cmd.APIKeys().Bootstrap(ctx, token)
	if err != nil || !created {
		return "", err
	}
	pos, err := a.store.LastSeq(ctx, a.store.TypeSubjects("apikey"))
	if err != nil {
		return "", err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.keys.WaitFor(wctx, pos); err != nil {
		return "", fmt.Errorf("bootstrap key not visible: %w", err)
	}
	return tok, nil
}

// stop finishes the projection batches in flight, then closes the store (and the
// embedded server) cleanly.
func (a *app) stop() {
	if a.reactor != nil {
		// a router stopped while it still subscribes its handlers waits out its close
		// timeout: let it finish starting first (it takes milliseconds)
		select {
		case <-a.reactor.Running():
		case <-time.After(5 * time.Second):
		}
	}
	if a.cancel != nil {
		a.cancel()
	}
	a.wg.Wait()
	// cached aggregates leave as snapshots, so the next start loads no long histories
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	a.cmd.Flush(ctx)
	cancel()
	a.close()
}

func (a *app) close() {
	var errs []error
	if a.reactor != nil {
		errs = append(errs, a.reactor.Close())
	}
	for _, run := range a.runners {
		errs = append(errs, run.Close())
	}
	if err := errors.Join(errs...); err != nil {
		a.log.Error("close read models", "err", err)
	}
	if a.store != nil {
		a.store.Close()
	}
}
