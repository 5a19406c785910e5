package commands

import (
	"context"

	"stateset/domain"
)

// Checks a command makes of other aggregates before it is decided, and the error of a
// single bad field.

// checkExists records "no such <aggType>" on field when id is given and names no
// aggregate of aggType in the event store.
func (h *Handler) checkExists(ctx context.Context, v *domain.Validation, aggType, field, id string) error {
	if id == "" {
		return nil
	}
	if aggType == "customer" {
		return h.checkCustomer(ctx, v, field, id)
	}
	ok, err := h.exists(ctx, aggType, id)
	if err != nil {
		return err
	}
	v.Check(ok, field, "no such "+aggType)
	return nil
}

// badField is a *domain.ValidationError naming one field.
func badField(field, issue string) error {
	return &domain.ValidationError{Fields: []domain.FieldError{{Field: field, Issue: issue}}}
}
