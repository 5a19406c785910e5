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
// anything else as JSON into the field.

// fill reads every field of the request struct req points to.
func (o *object) fill(req any) {
	v := reflect.ValueOf(req).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
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
		o.into(name, v.Field(i).Addr().Interface())
	}
}
