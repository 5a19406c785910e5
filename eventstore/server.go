package eventstore

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startEmbedded starts an in-process nats-server with JetStream file storage.
func startEmbedded(cfg Config) (*server.Server, error) {
	opts := &server.Options{
		ServerName:        "stateset-embedded",
		JetStream:         true,
		StoreDir:          cfg.storeDir(),
		JetStreamMaxStore: -1,
		DontListen:        cfg.NATSListen == "",
		NoLog:             true,
		NoSigs:            true,
		MaxPayload:        8 << 20, // a 1 MiB request body plus envelope and headers
	}
	if cfg.Sync == "always" {
		opts.SyncAlways = true
	} else {
		d, err := time.ParseDuration(cfg.Sync)
		if err != nil {
			return nil, fmt.Errorf("sync interval: %w", err)
		}
		opts.SyncInterval = d
	}
	if cfg.NATSListen != "" {
		host, port, err := net.SplitHostPort(cfg.NATSListen)
		if err != nil {
			return nil, fmt.Errorf("nats-listen %q: %w", cfg.NATSListen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("nats-listen port %q: %w", port, err)
		}
		opts.Host, opts.Port = host, p
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 30s")
	}
	return s, nil
}
