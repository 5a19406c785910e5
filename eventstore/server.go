package eventstore

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// internalUser is this process's own NATS user when the embedded server listens on TCP.
const internalUser = "stateset-internal"

// readerPermissions let a downstream service read the event stream and keep consumers on
// it, and nothing else: no publishing events, no changing or deleting streams or buckets.
func readerPermissions(stream, prefix string) *server.Permissions {
	api := "$JS.API."
	return &server.Permissions{
		Publish: &server.SubjectPermission{Allow: []string{
			api + "INFO", api + "STREAM.NAMES", api + "STREAM.LIST", api + "STREAM.INFO." + stream,
			api + "CONSUMER.CREATE." + stream, api + "CONSUMER.CREATE." + stream + ".>",
			api + "CONSUMER.DURABLE.CREATE." + stream + ".>", api + "CONSUMER.INFO." + stream + ".>",
			api + "CONSUMER.NAMES." + stream, api + "CONSUMER.LIST." + stream,
			api + "CONSUMER.DELETE." + stream + ".>", api + "CONSUMER.MSG.NEXT." + stream + ".>",
			api + "DIRECT.GET." + stream, api + "DIRECT.GET." + stream + ".>", api + "STREAM.MSG.GET." + stream,
			"$JS.ACK." + stream + ".>", "$JS.FC.>",
		}},
		Subscribe: &server.SubjectPermission{Allow: []string{"_INBOX.>", prefix + ".events.>"}},
	}
}

// startEmbedded starts an in-process nats-server with JetStream file storage. Listening on
// TCP turns authentication on: this process uses a random password of its own, downstream
// services the reader credentials.
func startEmbedded(cfg Config, internalPassword string) (*server.Server, error) {
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
		if p == 0 {
			p = server.RANDOM_PORT // nats-server reads port 0 as its default, 4222
		}
		opts.Host, opts.Port = host, p
		stream := strings.ToUpper(cfg.Prefix) + "_EVENTS"
		opts.Users = []*server.User{
			{Username: internalUser, Password: internalPassword},
			{Username: cfg.ReaderUser, Password: cfg.ReaderPassword, Permissions: readerPermissions(stream, cfg.Prefix)},
		}
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
