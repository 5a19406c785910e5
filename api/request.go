package api

import (
	"reflect"
	"strings"
)

// Request types: a write's body as a Go type, the source of its schema in api/openapi.yaml
// (openapi_gen_test.go). fill reads one through the object reader, so a typed request
// answers exactly as a hand-read one: every bad field listed, unknown fields refused.
//
// A field is read under its json name; `alias:"first_name"` adds a second accepted
// spelling (giving both is refused). A *string field is read as a string (null is ""),
// anything else as JSON into the field (absent or null leaves it as it was, so a pointer
// field tells absent from given, and a preset value is a default).

// fill reads every field of the request struct req points to.
func (o *object) fill(req any) {
	v := reflect.ValueOf(req).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			o.fill(v.Field(i).Addr().Interface()) // shared fields, embedded
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		names := []string{name}
		if alias := f.Tag.Get("alias"); alias != "" {
			names = append(names, alias)
		}
		if f.Type == reflect.TypeFor[*string]() {
			v.Field(i).Set(reflect.ValueOf(o.str(names...)))
			continue
		}
		for _, n := range names {
			if o.has(n) || n == name {
				o.into(n, v.Field(i).Addr().Interface())
			}
		}
		if len(names) > 1 && o.has(names[0]) && o.has(names[1]) {
			o.v.Add(names[1], "give only one of "+strings.Join(names, " and "))
		}
	}
}

// The bodies many operations share.
type (
	// reasonRequest is a status action's body: why, recorded in its event.
	reasonRequest struct {
		Reason *string `json:"reason,omitempty"`
	}
	// statusRequest is the body of a status change served on a route that is no
	// action (DELETE /v1/customers/{id}, the SDK's POST /v1/warranties/{action}/{id}):
	// why, and no notes.
	statusRequest struct {
		Reason *string `json:"reason,omitempty"`
	}
	// actionRequest is the body of an action that reads nothing but its notes.
	actionRequest struct{}
	// emptyRequest is the body of a write that reads nothing: {} or none.
	emptyRequest struct{}
)
