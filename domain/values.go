package domain

// Small value helpers shared by the aggregates.

// itoa is strconv.Itoa for a non-negative int.
func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// emptyToNil is nil for an empty map, so an empty map and none encode alike.
func emptyToNil(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// ptrTo is a pointer to a copy of v.
func ptrTo[T any](v T) *T { return &v }
