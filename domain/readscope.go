package domain

import "slices"

// readScopes maps each aggregate type to the module scope that reads it: the feed, the
// event stream and webhook endpoints show a key an aggregate's events only if the key
// holds that scope (as the module's own routes would ask).
var readScopes = map[string]string{
	"customer":          "customers:read",
	"order":             "orders:read",
	"inventory":         "inventory:read",
	"return":            "returns:read",
	"warranty":          "warranties:read",
	"wholesale_order":   "wholesale:read",
	"price_list":        "wholesale:read",
	"wholesale_account": "wholesale:read",
	"supplier":          "suppliers:read",
	"purchase_order":    "purchase_orders:read",
	"asn":               "purchase_orders:read",
	"bill_of_materials": "manufacturing:read",
	"work_order":        "manufacturing:read",
	"warehouse":         "warehouses:read",
	"pick_list":         "warehouses:read",
	"shipment":          "warehouses:read",
	"transfer":          "warehouses:read",
	"cycle_count":       "warehouses:read",
	"lead":              "crm:read",
	"contact":           "crm:read",
	"opportunity":       "crm:read",
	"case":              "crm:read",
	"apikey":            "api_keys:read",
	"webhook_endpoint":  "webhooks:read",
	"webhook_delivery":  "webhooks:read",
}

// ReadScopeOf is the scope a key needs to read events of an aggregate type; "admin" for a
// type no module claims.
func ReadScopeOf(aggregateType string) string {
	if s, ok := readScopes[aggregateType]; ok {
		return s
	}
	return "admin"
}

// Aggregates lists the aggregate types that own registered events, sorted.
func (r *Registry) Aggregates() []string {
	var out []string
	for _, info := range r.types {
		if !slices.Contains(out, info.aggregate) {
			out = append(out, info.aggregate)
		}
	}
	slices.Sort(out)
	return out
}

// AggregatesMatching lists the aggregate types owning an event whose dotted name the
// webhook pattern matches, sorted: what an endpoint with that pattern would be sent.
func (r *Registry) AggregatesMatching(pattern string) []string {
	var out []string
	for name, info := range r.types {
		if WebhookPatternMatches(pattern, r.DottedName(name)) && !slices.Contains(out, info.aggregate) {
			out = append(out, info.aggregate)
		}
	}
	slices.Sort(out)
	return out
}
