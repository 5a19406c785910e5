package eventstore

import (
	"fmt"

	"github.com/nats-io/nats.go"
)

// Notify publishes a note on <prefix>.notify.<topic> over core NATS: at most once, to
// whoever listens now, on every instance of the cluster, and never stored. Notes are
// hints that save waiting (a flow reporting what it did); nothing may depend on one
// arriving.
func (s *Store) Notify(topic string, data []byte) error {
	if err := s.pub.Publish(s.notifySubject(topic), data); err != nil {
		return fmt.Errorf("notify %s: %w", topic, err)
	}
	return nil
}

// OnNotify calls fn, one note at a time, with every note published on topic from now on,
// by this instance or another. The returned func stops it.
func (s *Store) OnNotify(topic string, fn func(data []byte)) (func(), error) {
	sub, err := s.sub.Subscribe(s.notifySubject(topic), func(m *nats.Msg) { fn(m.Data) })
	if err != nil {
		return nil, fmt.Errorf("listen to %s: %w", topic, err)
	}
	// a burst of notes is queued, not dropped as a slow consumer's
	if err := sub.SetPendingLimits(1<<20, 256<<20); err != nil {
		_ = sub.Unsubscribe()
		return nil, fmt.Errorf("listen to %s: %w", topic, err)
	}
	return func() { _ = sub.Unsubscribe() }, nil
}

func (s *Store) notifySubject(topic string) string { return s.cfg.Prefix + ".notify." + topic }
