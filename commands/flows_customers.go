package commands

import (
	"context"

	"stateset/domain"
)

// customerPrivacy is the flow that makes sure a forgotten customer's keys are destroyed,
// then runs the Customers.OnForgotten work.
func (h *Handler) customerPrivacy(ctx context.Context, env domain.Envelope, _ domain.Metadata) error {
	e, ok := env.Event.(domain.CustomerForgotten)
	if !ok {
		return nil
	}
	if err := h.shred(ctx, e.CustomerID, e.LeadID); err != nil {
		return err
	}
	for _, fn := range h.forgetHooks {
		if err := fn(ctx, e.CustomerID); err != nil {
			return err
		}
	}
	return nil
}
