package sdk

import (
	"net/http"
	"net/url"
)

// address is the SDK's customer address: the native one, less what it does not keep.
var address = &mapping{fields: []string{"type", "street1", "street2", "city", "state", "postal_code", "country"}}

func customers() *resource {
	kin, kout := keep("contacts", "billing_info", "preferences", "tags", "org_id", "last_activity")
	r := &resource{
		path: "customers", native: "/v1/customers", single: "customer", list: "customers",
		m: mapping{
			fields: []string{"id", "email", "firstName", "lastName", "phone", "stripe_customer_id", "type", "status", "metadata", "addresses"},
			rename: map[string]string{"first_name": "firstName", "last_name": "lastName"},
			nested: map[string]*mapping{"addresses": address},
			in:     chain(func(m map[string]any) { splitName(m, "firstName", "lastName") }, kin),
			out:    chain(func(m map[string]any) { joinName(m, "first_name", "last_name") }, kout),
		},
		query:  map[string]string{"status": "status", "type": "type", "email": "email", "from": "created_after", "to": "created_before"},
		update: true,
		del:    http.MethodDelete,
	}
	r.ops = []op{
		{method: http.MethodPost, path: "{id}/addresses", do: func(x *exchange, v []string) {
			in, ok := x.body()
			if !ok {
				return
			}
			r.one(x, x.call(http.MethodPost, r.native+"/"+url.PathEscape(v[0])+"/addresses", nil, x.nativeBody(address, in)))
		}},
		{method: http.MethodPost, path: "{id}/contacts", do: func(x *exchange, v []string) { addCustomerContact(x, r, v[0]) }},
	}
	return r
}

// addCustomerContact is the SDK's customer contact ({type, value}) as a CRM contact of
// the customer; it answers the customer, as the SDK reads.
func addCustomerContact(x *exchange, r *resource, id string) {
	in, ok := x.body()
	if !ok {
		return
	}
	c := map[string]any{"customer_id": id}
	value, _ := in["value"].(string)
	switch t, _ := in["type"].(string); t {
	case "EMAIL", "email":
		c["email"] = value
	default: // PHONE, FAX
		c["phone"] = value
	}
	if name, ok := in["name"].(string); ok {
		c["lastName"] = name
	} else {
		c["lastName"] = value
	}
	if a := x.call(http.MethodPost, "/v1/contacts", nil, c); !a.ok() {
		x.relay(a)
		return
	}
	r.get(x, id)
}
