package api

import (
	"testing"

	"stateset/domain"
)

// FuzzCustomerInput feeds arbitrary bodies through the strict decoder and the customer
// field reader: it must never panic, and whatever it accepts must validate cleanly or be
// refused with field details.
func FuzzCustomerInput(f *testing.F) {
	f.Add([]byte(seedBody))
	f.Add([]byte(`{"email":null,"metadata":{"a":"b"},"status":"ACTIVE"}`))
	f.Add([]byte(`{"metadata":[1,2],"addresses":[{"street1":5}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":1} {"b":2}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := decodeObject(body)
		if err != nil {
			if _, ok := err.(*domain.ValidationError); !ok {
				t.Fatalf("decode error of type %T: %v", err, err)
			}
			return
		}
		u := customerInput(o)
		var addrs []addressInput
		o.into("addresses", &addrs)
		u.Check(&o.v)
		if err := o.err(); err != nil {
			ve, ok := err.(*domain.ValidationError)
			if !ok || len(ve.Fields) == 0 {
				t.Fatalf("refusal without fields: %v", err)
			}
		}
	})
}
