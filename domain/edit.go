package domain

import "slices"

// An update command's fields are pointers: nil leaves a field as it is. Its event holds
// only the fields that changed, each with its new value, so folding it sets those and no
// others. These serve every aggregate's Update and Apply.

// edited is next when it is given and differs from cur, else nil; a change sets *changed.
func edited[T comparable](changed *bool, cur T, next *T) *T {
	if next == nil || *next == cur {
		return nil
	}
	*changed = true
	v := *next
	return &v
}

// editedSlice is edited for a list, compared element by element.
func editedSlice[S ~[]E, E comparable](changed *bool, cur S, next *S) *S {
	if next == nil || slices.Equal(*next, cur) {
		return nil
	}
	*changed = true
	v := slices.Clone(*next)
	return &v
}

// put folds an edited field in: *dst takes *v when the event has it.
func put[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// or is *p when given, else cur: the value a field will have after an edit.
func or[T any](p *T, cur T) T {
	if p != nil {
		return *p
	}
	return cur
}
