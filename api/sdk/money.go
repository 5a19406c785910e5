package sdk

import (
	"encoding/json"
	"math"
	"strconv"
)

// The SDK gives money in major units (12.5 dollars); StateSet One keeps minor units (1250
// cents) so that sums are exact. Currencies here have two decimals.

func toMinor(v any) any {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		if err != nil {
			return v
		}
		return int64(math.Round(f * 100))
	case float64:
		return int64(math.Round(n * 100))
	}
	return v
}

func toMajor(v any) any {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		if err != nil {
			return v
		}
		return f / 100
	case float64:
		return n / 100
	}
	return v
}

func itoa(i int) string { return strconv.Itoa(i) }
