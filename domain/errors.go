package domain

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound is returned when an aggregate or row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists is returned when a create names an id, or a unique value, that is taken.
	ErrAlreadyExists = errors.New("already exists")
	// ErrVersionMismatch is returned when a write pinned a version (If-Match) and the
	// aggregate has moved on.
	ErrVersionMismatch = errors.New("version mismatch")
)

// FieldError names one bad input field.
type FieldError struct {
	Field string `json:"field"`
	Issue string `json:"issue"`
}

// ValidationError lists every bad field of one input.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Issue
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Validation collects field problems; Err returns nil when there are none.
type Validation struct{ fields []FieldError }

// Add records a problem with field.
func (v *Validation) Add(field, issue string) { v.fields = append(v.fields, FieldError{field, issue}) }

// Check records issue for field when ok is false.
func (v *Validation) Check(ok bool, field, issue string) {
	if !ok {
		v.Add(field, issue)
	}
}

// Err is a *ValidationError with the collected fields, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.fields}
}

// TransitionError is returned when an action is not allowed from the current status.
type TransitionError struct {
	Entity string
	From   string
	Action string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s %s in status %s", e.Action, e.Entity, e.From)
}

// AlreadyExistsError says which value of which field is taken; it matches ErrAlreadyExists.
type AlreadyExistsError struct {
	Entity string
	Field  string
}

func (e *AlreadyExistsError) Error() string {
	return fmt.Sprintf("%s with this %s already exists", e.Entity, e.Field)
}

func (e *AlreadyExistsError) Is(target error) bool { return target == ErrAlreadyExists }
