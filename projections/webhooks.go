package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"stateset/domain"
)

// The webhooks read model: endpoints and their deliveries in one database, so that the
// dispatcher's due query can join them.

type webhooksV1 struct{}

// Webhooks is the webhook endpoints and deliveries projector.
func Webhooks() Projector { return webhooksV1{} }

// WebhookEndpointColumns are the columns endpoint lists filter on.
var WebhookEndpointColumns = []string{"status"}

// WebhookDeliveryColumns are the columns delivery lists filter on.
var WebhookDeliveryColumns = []string{"endpoint_id", "status", "due", "event_position"}

var webhookEndpointDocs = docTable[domain.WebhookEndpoint, *domain.WebhookEndpoint]{
	table: "webhook_endpoints",
	cols:  WebhookEndpointColumns,
	vals: func(w *domain.WebhookEndpoint) []any {
		if w.Deleted {
			return []any{"DELETED"}
		}
		return []any{string(w.Status)}
	},
	keep: func(w *domain.WebhookEndpoint) { w.Secret = "" }, // the dispatcher reads it from the store
}

// dueFormat sorts as text: fixed width, UTC.
const dueFormat = "2006-01-02T15:04:05.000000Z"

var webhookDeliveryDocs = docTable[domain.WebhookDelivery, *domain.WebhookDelivery]{
	table: "webhook_deliveries",
	cols:  WebhookDeliveryColumns,
	vals: func(d *domain.WebhookDelivery) []any {
		due := ""
		if d.NextAttemptAt != nil {
			due = d.NextAttemptAt.UTC().Format(dueFormat)
		}
		return []any{d.EndpointID, string(d.Status), due, fmt.Sprintf("%020d", d.Position)}
	},
	index: []string{
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, status, event_position)`,
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (status, due)`,
	},
}

func (webhooksV1) Name() string { return "webhooks_v1" }
func (webhooksV1) AggregateTypes() []string {
	return []string{"webhook_endpoint", "webhook_delivery"}
}
func (webhooksV1) Schema() []string {
	return append(webhookEndpointDocs.schema(), webhookDeliveryDocs.schema()...)
}

func (webhooksV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	var err error
	switch env.AggregateType {
	case "webhook_endpoint":
		_, err = webhookEndpointDocs.apply(ctx, tx, env)
	case "webhook_delivery":
		_, err = webhookDeliveryDocs.apply(ctx, tx, env)
	}
	return err
}

// GetWebhookEndpoint returns one endpoint (with its secret: callers must not answer it);
// a deleted one is domain.ErrNotFound.
func (rd *Reader) GetWebhookEndpoint(ctx context.Context, id string) (Doc[domain.WebhookEndpoint], error) {
	d, err := webhookEndpointDocs.get(ctx, rd.db("webhooks_v1"), id)
	if err == nil && d.Value.Deleted {
		return d, domain.ErrNotFound
	}
	return d, err
}

// ListWebhookEndpoints lists endpoints that are not deleted, newest first.
func (rd *Reader) ListWebhookEndpoints(ctx context.Context, f Filter) ([]*domain.WebhookEndpoint, PageInfo, error) {
	f.Where = append(f.Where, "status != 'DELETED'")
	return webhookEndpointDocs.list(ctx, rd.db("webhooks_v1"), f)
}

// ListWebhookDeliveries lists deliveries (filter endpoint_id, status), newest first.
func (rd *Reader) ListWebhookDeliveries(ctx context.Context, f Filter) ([]*domain.WebhookDelivery, PageInfo, error) {
	return webhookDeliveryDocs.list(ctx, rd.db("webhooks_v1"), f)
}

// GetWebhookDelivery returns one delivery.
func (rd *Reader) GetWebhookDelivery(ctx context.Context, id string) (Doc[domain.WebhookDelivery], error) {
	return webhookDeliveryDocs.get(ctx, rd.db("webhooks_v1"), id)
}

// WebhooksReflected waits until the webhooks read model reflects stream position pos (as
// WaitFor) and returns the position it reflects, at least pos, and, read after it, the
// position of the last webhook endpoint or delivery event it has applied: every such event
// at or below reflected lies at or below applied. Fed by the hub, which reflects every
// position it passes, the wait is in memory: no query and no call to the store. A model not
// reflected within a second (a runner running on its own) is waited for by WaitFor, which
// asks the store. ErrWaitTimeout when ctx ends first.
func (rd *Reader) WebhooksReflected(ctx context.Context, pos uint64) (reflected, applied uint64, err error) {
	run := rd.runners["webhooks_v1"]
	if p := run.Position(); p >= pos {
		return p, run.Applied(), nil
	}
	var slow <-chan time.Time
	for {
		run.mu.Lock()
		ch := run.changed
		run.mu.Unlock()
		if p := run.Position(); p >= pos {
			return p, run.Applied(), nil
		}
		if slow == nil {
			t := time.NewTimer(time.Second)
			defer t.Stop()
			slow = t.C
		}
		select {
		case <-ch:
		case <-slow:
			if err := run.WaitFor(ctx, pos); err != nil {
				return 0, 0, err
			}
			return run.Position(), run.Applied(), nil
		case <-ctx.Done():
			return 0, 0, ErrWaitTimeout
		}
	}
}

// DueWebhookDeliveries lists the deliveries due at now: of each enabled endpoint only its
// oldest pending delivery (by event position), and only if its next attempt is due.
func (rd *Reader) DueWebhookDeliveries(ctx context.Context, now time.Time, limit int) ([]*domain.WebhookDelivery, error) {
	rows, err := rd.db("webhooks_v1").QueryContext(ctx, `SELECT d.doc, d.position, d.created_seq FROM webhook_deliveries d
		JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.status = 'ENABLED'
		WHERE d.status = 'PENDING' AND d.due <= ?
		AND d.event_position = (SELECT MIN(x.event_position) FROM webhook_deliveries x
			WHERE x.endpoint_id = d.endpoint_id AND x.status = 'PENDING')
		ORDER BY d.due LIMIT ?`, now.UTC().Format(dueFormat), limit)
	if err != nil {
		return nil, fmt.Errorf("due webhook deliveries: %w", err)
	}
	defer rows.Close()
	var out []*domain.WebhookDelivery
	for rows.Next() {
		d, err := webhookDeliveryDocs.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("due webhook deliveries: %w", err)
		}
		out = append(out, d.Value)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return out, nil
}
