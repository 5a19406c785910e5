// Package eventstore keeps events in NATS JetStream: the embedded server, the stream,
// append with optimistic concurrency, loading, snapshots, key-value buckets and feeds.
// It knows bytes, subjects and headers, never a domain type.
package eventstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"time"
)

// Config describes where the events live. The zero value (plus DataDir) runs an embedded
// single-node JetStream.
type Config struct {
	DataDir    string // JetStream files go to DataDir/jetstream when embedded
	Sync       string // "1s" (default), any duration, or "always" (fsync per append)
	NATSURL    string // external NATS; empty starts the embedded server
	NATSListen string // HOST:PORT on which the embedded server also serves clients
	// ReaderUser and ReaderPassword are the credentials of downstream services on
	// NATSListen: they may read the event stream and run consumers on it, never publish
	// events or change streams. Required with NATSListen.
	ReaderUser     string
	ReaderPassword string
	Replicas       int           // stream and bucket replicas on an external cluster (default 1)
	Prefix         string        // subject prefix, default "stateset"; stream is <PREFIX>_EVENTS
	Timeout        time.Duration // per JetStream request; default 5 s
	Name           string        // connection name shown by the server
}

var prefixPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

func (c *Config) setDefaults() {
	if c.Prefix == "" {
		c.Prefix = "stateset"
	}
	if c.Sync == "" {
		c.Sync = "1s"
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Timeout == 0 {
		c.Timeout = 5 * time.Second
	}
	if c.Name == "" {
		c.Name = "stateset"
	}
}

// Validate reports every problem of the configuration at once.
func (c Config) Validate() error {
	c.setDefaults()
	var errs []error
	if c.NATSURL == "" && c.DataDir == "" {
		errs = append(errs, errors.New("data dir is required for the embedded server"))
	}
	if c.NATSURL != "" && c.NATSListen != "" {
		errs = append(errs, errors.New("nats-listen serves the embedded server; it cannot be combined with nats-url"))
	}
	if c.NATSListen != "" && (c.ReaderUser == "" || len(c.ReaderPassword) < 12) {
		errs = append(errs, errors.New("nats-listen needs a reader user and a password of at least 12 characters"))
	}
	if c.Sync != "always" {
		if d, err := time.ParseDuration(c.Sync); err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("sync %q: want \"always\" or a positive duration such as 1s", c.Sync))
		}
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		errs = append(errs, fmt.Errorf("replicas %d: want 1 to 5", c.Replicas))
	}
	if c.NATSURL == "" && c.Replicas != 1 {
		errs = append(errs, errors.New("replicas above 1 need an external cluster (nats-url)"))
	}
	if !prefixPattern.MatchString(c.Prefix) {
		errs = append(errs, fmt.Errorf("prefix %q: want lower-case letters, digits and _", c.Prefix))
	}
	return errors.Join(errs...)
}

func (c Config) storeDir() string { return filepath.Join(c.DataDir, "jetstream") }
