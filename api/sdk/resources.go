package sdk

import (
	"encoding/json"
	"strings"
)

// resources is the SDK dialect's table: every SDK resource of the seed's modules. Each
// is declared in its module's file; what a resource does not offer answers 501.
func resources() []*resource {
	return append([]*resource{
		customers(), leads(), contacts(), opportunities(), casesTickets(),
		warranties(), returns(), cycleCounts(), orders(), inventory(),
		suppliers(), purchaseOrders(), asns(), warehouses(), picks(), shipments(), billOfMaterials(), workOrders(),
	}, lineItems()...)
}

// keep carries SDK fields StateSet One has no place for in the native metadata (a map of
// strings), each as JSON under sdk.<field>, and gives them back on the way out: the
// SDK reads back what it wrote.
func keep(fields ...string) (in, out func(map[string]any)) {
	in = func(m map[string]any) {
		md := map[string]any{}
		if given, ok := m["metadata"].(map[string]any); ok {
			for k, v := range given {
				md[k] = str(v)
			}
		}
		for _, f := range fields {
			if v, ok := m[f]; ok && v != nil {
				b, _ := json.Marshal(v)
				md["sdk."+f] = string(b)
				delete(m, f)
			}
		}
		if len(md) > 0 {
			m["metadata"] = md
		}
	}
	out = func(m map[string]any) {
		md, _ := m["metadata"].(map[string]any)
		for _, f := range fields {
			if s, ok := md["sdk."+f].(string); ok {
				var v any
				if json.Unmarshal([]byte(s), &v) == nil {
					m[f] = v
				}
				delete(md, "sdk."+f)
			}
		}
	}
	return in, out
}

// str is a metadata value: strings as they are, anything else as JSON.
func str(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case nil:
		return "" // absent
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// splitName fills first and last name fields from the SDK's one name.
func splitName(m map[string]any, first, last string) {
	name, ok := m["name"].(string)
	if !ok {
		return
	}
	delete(m, "name")
	f, l, found := strings.Cut(strings.TrimSpace(name), " ")
	if !found {
		f, l = "", f
	}
	if _, given := m[first]; !given && f != "" {
		m[first] = f
	}
	if _, given := m[last]; !given {
		m[last] = strings.TrimSpace(l)
	}
}

// joinName gives the SDK its one name.
func joinName(m map[string]any, first, last string) {
	f, _ := m[first].(string)
	l, _ := m[last].(string)
	m["name"] = strings.TrimSpace(f + " " + l)
}

// chain runs functions in order (nil ones skipped).
func chain(fs ...func(map[string]any)) func(map[string]any) {
	return func(m map[string]any) {
		for _, f := range fs {
			if f != nil {
				f(m)
			}
		}
	}
}

// mapEach is a native list of objects with each one reshaped; anything else is an empty
// list.
func mapEach(v any, shape func(map[string]any) map[string]any) []any {
	out := []any{}
	list, _ := v.([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, shape(m))
		}
	}
	return out
}
