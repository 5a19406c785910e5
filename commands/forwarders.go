package commands

import (
	"context"
	"time"

	"stateset/domain"
)

// Forwarders for the tests in projections/, which seed the read models through the
// handler; they go once those tests call the module types (h.Customers().Create,
// h.APIKeys().Create). Nothing else may use them.

// CreateCustomer is Customers().Create.
//
// Deprecated: use h.Customers().Create.
func (h *Handler) CreateCustomer(ctx context.Context, cmd domain.CreateCustomer, opts ...Option) (Result[domain.Customer], error) {
	return h.Customers().Create(ctx, cmd, opts...)
}

// UpdateCustomer is Customers().Update.
//
// Deprecated: use h.Customers().Update.
func (h *Handler) UpdateCustomer(ctx context.Context, cmd domain.UpdateCustomer, opts ...Option) (Result[domain.Customer], error) {
	return h.Customers().Update(ctx, cmd, opts...)
}

// ChangeCustomerStatus is Customers().ChangeStatus.
//
// Deprecated: use h.Customers().ChangeStatus.
func (h *Handler) ChangeCustomerStatus(ctx context.Context, id, action, reason string, opts ...Option) (Result[domain.Customer], error) {
	return h.Customers().ChangeStatus(ctx, id, action, reason, opts...)
}

// AddCustomerAddress is Customers().AddAddress.
//
// Deprecated: use h.Customers().AddAddress.
func (h *Handler) AddCustomerAddress(ctx context.Context, id string, a domain.Address, opts ...Option) (Result[domain.Customer], error) {
	return h.Customers().AddAddress(ctx, id, a, opts...)
}

// CreateAPIKey is APIKeys().Create.
//
// Deprecated: use h.APIKeys().Create.
func (h *Handler) CreateAPIKey(ctx context.Context, id, name string, scopes []string, expiresAt *time.Time, token string, opts ...Option) (Result[domain.APIKey], string, error) {
	return h.APIKeys().Create(ctx, id, name, scopes, expiresAt, token, opts...)
}

// RevokeAPIKey is APIKeys().Revoke.
//
// Deprecated: use h.APIKeys().Revoke.
func (h *Handler) RevokeAPIKey(ctx context.Context, id string, opts ...Option) (Result[domain.APIKey], error) {
	return h.APIKeys().Revoke(ctx, id, opts...)
}
