package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// apiError is the body of every error answer (API.md §1).
type apiError struct {
	Code      string              `json:"code"`
	Message   string              `json:"message"`
	Details   []domain.FieldError `json:"details"`             // always present: [] when nothing more is known
	Shortages []domain.Shortage   `json:"shortages,omitempty"` // INSUFFICIENT_STOCK: what is short
	RequestID string              `json:"request_id,omitempty"`
}

// sentence is the error in one line: the message, then each field and its issue. It is
// the body's top-level detail, the one field the official Node SDK shows its caller.
func (e apiError) sentence() string {
	if len(e.Details) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for i, d := range e.Details {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep)
		if d.Field != "" {
			b.WriteString(d.Field + ": ")
		}
		b.WriteString(d.Issue)
	}
	return b.String()
}

// errorBody is an error answer: the contract's error object and its sentence.
type errorBody struct {
	Error  apiError `json:"error"`
	Detail string   `json:"detail"`
}

// httpError is an error the API layer itself raises with its status and code.
type httpError struct {
	status  int
	code    string
	message string
	details []domain.FieldError
}

func (e *httpError) Error() string { return e.message }

var (
	errUnauthorized = &httpError{http.StatusUnauthorized, "UNAUTHORIZED", "a valid API key is required (Authorization: Token <key>, Bearer <key>, or X-API-Key)", nil}
	errForbidden    = &httpError{http.StatusForbidden, "FORBIDDEN", "the API key lacks the scope this route needs", nil}
	errNotFound     = &httpError{http.StatusNotFound, "NOT_FOUND", "no such route", nil}
	errMethod       = &httpError{http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed on this route", nil}
	errMediaType    = &httpError{http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "request bodies must be application/json", nil}
	errTooLarge     = &httpError{http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body exceeds 1 MiB", nil}
)

func badRequest(field, issue string) error {
	return &domain.ValidationError{Fields: []domain.FieldError{{Field: field, Issue: issue}}}
}

// problem maps an error to its status and body: the one table of API.md's codes.
func problem(err error) (int, apiError, bool) {
	if he, ok := errors.AsType[*httpError](err); ok {
		return he.status, apiError{Code: he.code, Message: he.message, Details: he.details}, true
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return errTooLarge.status, apiError{Code: errTooLarge.code, Message: errTooLarge.message}, true
	}
	if ve, ok := errors.AsType[*domain.ValidationError](err); ok {
		return http.StatusBadRequest, apiError{Code: "VALIDATION_ERROR", Message: "the request is invalid", Details: ve.Fields}, true
	}
	if te, ok := errors.AsType[*domain.TransitionError](err); ok {
		return http.StatusConflict, apiError{Code: "INVALID_TRANSITION", Message: te.Error(),
			Details: []domain.FieldError{{Field: "status", Issue: "current status " + te.From + " does not allow " + te.Action}}}, true
	}
	if se, ok := errors.AsType[*domain.InsufficientStockError](err); ok {
		details := make([]domain.FieldError, len(se.Shortages))
		for i, sh := range se.Shortages {
			details[i] = domain.FieldError{Field: sh.SKU + "@" + sh.LocationID,
				Issue: fmt.Sprintf("%d requested, %d available", sh.Requested, sh.Available)}
		}
		return http.StatusConflict, apiError{Code: "INSUFFICIENT_STOCK", Message: se.Error(), Details: details, Shortages: se.Shortages}, true
	}
	if ce, ok := errors.AsType[*domain.CreditLimitError](err); ok {
		return http.StatusConflict, apiError{Code: "CREDIT_LIMIT_EXCEEDED", Message: ce.Error(),
			Details: []domain.FieldError{{Field: "total", Issue: ce.Error()}}}, true
	}
	if ae, ok := errors.AsType[*domain.AlreadyExistsError](err); ok {
		return http.StatusConflict, apiError{Code: "ALREADY_EXISTS", Message: ae.Error(),
			Details: []domain.FieldError{{Field: ae.Field, Issue: "already taken"}}}, true
	}
	switch {
	case errors.Is(err, domain.ErrAlreadyExists):
		return http.StatusConflict, apiError{Code: "ALREADY_EXISTS", Message: "the resource already exists"}, true
	case errors.Is(err, domain.ErrNotFound):
		return http.StatusNotFound, apiError{Code: "NOT_FOUND", Message: "no such resource"}, true
	case errors.Is(err, domain.ErrVersionMismatch):
		return http.StatusPreconditionFailed, apiError{Code: "VERSION_MISMATCH", Message: "the resource has changed since the version in If-Match"}, true
	case errors.Is(err, commands.ErrEventTooLarge):
		return http.StatusRequestEntityTooLarge, apiError{Code: "PAYLOAD_TOO_LARGE", Message: commands.ErrEventTooLarge.Error()}, true
	case errors.Is(err, commands.ErrIdempotencyKeyReused):
		return http.StatusUnprocessableEntity, apiError{Code: "IDEMPOTENCY_KEY_REUSED", Message: err.Error()}, true
	case errors.Is(err, commands.ErrIdempotencyInProgress):
		return http.StatusConflict, apiError{Code: "IDEMPOTENCY_IN_PROGRESS", Message: err.Error()}, true
	case errors.Is(err, projections.ErrBadCursor):
		return http.StatusBadRequest, apiError{Code: "VALIDATION_ERROR", Message: "the request is invalid",
			Details: []domain.FieldError{{Field: "cursor", Issue: "not a cursor this API returned"}}}, true
	case errors.Is(err, projections.ErrWaitTimeout):
		return http.StatusServiceUnavailable, apiError{Code: "UNAVAILABLE", Message: "the read model has not reached Stateset-Min-Position in time; retry"}, true
	case errors.Is(err, context.Canceled):
		// the client went away; nobody reads this answer and nothing needs a person
		return http.StatusServiceUnavailable, apiError{Code: "UNAVAILABLE", Message: "request cancelled"}, true
	case errors.Is(err, commands.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, apiError{Code: "UNAVAILABLE", Message: "the event store is unavailable; retry"}, true
	case errors.Is(err, commands.ErrConcurrency):
		return http.StatusServiceUnavailable, apiError{Code: "UNAVAILABLE", Message: "too much contention on this resource; retry"}, true
	}
	return http.StatusInternalServerError, apiError{Code: "INTERNAL", Message: "internal error"}, false
}
