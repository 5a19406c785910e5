package commands

import (
	"context"
	"crypto/rand"
	"net"
	"net/url"
	"time"

	"stateset/domain"
)

// newWebhookSecret makes an endpoint's signing secret.
func newWebhookSecret() string { return "whsec_" + rand.Text() + rand.Text() }

// checkWebhookHost refuses a URL whose host name resolves to an address the endpoint may
// not target. The name looked up is the one domain.WebhookTarget normalised (IDNA), as the
// client will dial it; a literal address was checked there. A name that does not resolve
// now passes: the dialer checks again on every delivery.
func (h *Handler) checkWebhookHost(ctx context.Context, v *domain.Validation, raw string) {
	u, err := url.Parse(raw)
	if h.webhooks.AllowPrivate || err != nil {
		return
	}
	ip, name, err := domain.WebhookTarget(u.Hostname(), false)
	if err != nil || ip.IsValid() {
		return // refused, or a literal address: the domain checked it
	}
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(rctx, "ip", name)
	if err != nil {
		return
	}
	for _, ip := range ips {
		if !domain.PublicAddr(ip) {
			v.Add("url", "must not point to a private, loopback or link-local address")
			return
		}
	}
}

// CreateEndpoint subscribes a URL and returns the endpoint with its secret, which
// is never answered again (but can be rotated).
func (m Webhooks) CreateEndpoint(ctx context.Context, cmd domain.CreateWebhookEndpoint, opts ...Option) (Result[domain.WebhookEndpoint], error) {
	cmd.AllowPrivate = m.h.webhooks.AllowPrivate
	cmd.Secret = newWebhookSecret()
	var v domain.Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return Result[domain.WebhookEndpoint]{}, err
	}
	m.h.checkWebhookHost(ctx, &v, cmd.URL)
	if err := v.Err(); err != nil {
		return Result[domain.WebhookEndpoint]{}, err
	}
	return execute(ctx, m.h, "webhook_endpoint", cmd.EndpointID, opts, func(w *domain.WebhookEndpoint) ([]domain.Event, error) {
		return w.Create(cmd)
	}, nil)
}

// UpdateEndpoint changes an endpoint's url, events or description.
func (m Webhooks) UpdateEndpoint(ctx context.Context, id string, cmd domain.UpdateWebhookEndpoint, opts ...Option) (Result[domain.WebhookEndpoint], error) {
	cmd.AllowPrivate = m.h.webhooks.AllowPrivate
	if cmd.URL != nil {
		var v domain.Validation
		m.h.checkWebhookHost(ctx, &v, *cmd.URL)
		if err := v.Err(); err != nil {
			return Result[domain.WebhookEndpoint]{}, err
		}
	}
	return onExisting(ctx, m.h, "webhook_endpoint", id, opts, func(w *domain.WebhookEndpoint) ([]domain.Event, error) { return w.Update(cmd) })
}

// RotateSecret gives an endpoint a new secret and returns it (shown once).
func (m Webhooks) RotateSecret(ctx context.Context, id string, opts ...Option) (Result[domain.WebhookEndpoint], error) {
	secret := newWebhookSecret()
	return onExisting(ctx, m.h, "webhook_endpoint", id, opts, func(w *domain.WebhookEndpoint) ([]domain.Event, error) { return w.RotateSecret(secret) })
}

// ActOnEndpoint enables or disables an endpoint.
func (m Webhooks) ActOnEndpoint(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.WebhookEndpoint], error) {
	return onExisting(ctx, m.h, "webhook_endpoint", id, opts, func(w *domain.WebhookEndpoint) ([]domain.Event, error) {
		if action == "enable" {
			return w.Enable()
		}
		return w.Disable(reason)
	})
}

// DeleteEndpoint deletes an endpoint; its deliveries stop.
func (m Webhooks) DeleteEndpoint(ctx context.Context, id string, opts ...Option) (Result[domain.WebhookEndpoint], error) {
	return onExisting(ctx, m.h, "webhook_endpoint", id, opts, func(w *domain.WebhookEndpoint) ([]domain.Event, error) { return w.Delete() })
}

// Endpoint loads an endpoint from the event store; a deleted one is ErrNotFound.
func (m Webhooks) Endpoint(ctx context.Context, id string) (*domain.WebhookEndpoint, error) {
	w, err := loadExisting[domain.WebhookEndpoint](ctx, m.h, "webhook_endpoint", id, 0)
	if err == nil && w.Deleted {
		return nil, domain.ErrNotFound
	}
	return w, err
}
