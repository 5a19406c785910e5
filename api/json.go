package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"stateset/domain"
)

// maxBody is the request body limit (API.md: 1 MiB).
const maxBody = 1 << 20

// readBody reads a JSON request body: application/json only, at most 1 MiB. An empty
// body gives nil.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge
		}
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, errMediaType
	}
	return body, nil
}

// object is a decoded JSON object whose fields are read one by one, so that every bad
// field is reported at once, absent and null can be told apart, and unknown fields are
// refused rather than dropped.
type object struct {
	raw  map[string]json.RawMessage
	used map[string]bool
	v    domain.Validation
	// bad holds the array elements (items[2]) that did not decode and badFields their
	// problems: those are reported, and what later checks say of the zero values left in
	// their place ("is required") is not.
	bad       map[string]bool
	badFields []domain.FieldError
}

// readObject reads the request body (see body) as exactly one JSON object.
func readObject(r *http.Request) (*object, error) {
	b, err := body(r)
	if err != nil {
		return nil, err
	}
	return decodeObject(b)
}

// decodeObject parses body as exactly one JSON object. A nil body is an empty object.
func decodeObject(body []byte) (*object, error) {
	o := &object{raw: map[string]json.RawMessage{}, used: map[string]bool{}}
	if body == nil {
		return o, nil
	}
	if !utf8.Valid(body) {
		return nil, badRequest("body", "must be valid UTF-8")
	}
	if err := scan(body); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&o.raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, badRequest("body", "must be a JSON object")
		}
		return nil, badRequest("body", "malformed JSON: "+err.Error())
	}
	if o.raw == nil {
		return nil, badRequest("body", "must be a JSON object")
	}
	if dec.More() {
		return nil, badRequest("body", "must hold exactly one JSON object")
	}
	return o, nil
}

// str reads a string field, under any of its accepted spellings: nil if absent, a
// pointer to "" if null. Giving two spellings of one field is refused.
func (o *object) str(names ...string) *string {
	var out *string
	var given []string
	for _, name := range names {
		raw, ok := o.raw[name]
		o.used[name] = true
		if !ok {
			continue
		}
		given = append(given, name)
		if string(raw) == "null" {
			empty := ""
			out = &empty
			continue
		}
		s, ok := plainString(raw)
		if !ok {
			if err := json.Unmarshal(raw, &s); err != nil {
				o.v.Add(name, "must be a string")
				continue
			}
		}
		out = &s
	}
	if len(given) > 1 {
		o.v.Add(given[1], "give only one of "+strings.Join(given, " and "))
	}
	return out
}

// plainString returns the value of a JSON string literal without escapes, the common
// case, without the decoder's allocations; anything else is left to encoding/json. The
// literal comes from a decoded object, so its syntax is already valid.
func plainString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	if !utf8.Valid(inner) {
		return "", false // let encoding/json replace invalid bytes as it always does
	}
	return string(inner), true
}

// into reads a field into dst with unknown nested fields refused; absent leaves dst.
// It reports whether the field was present and not null. An array (dst a pointer to a
// slice) is read element by element: every bad element is reported under its index
// (items[2].quantity), the slice keeps the array's length (a bad element holds what of it
// did decode), and into still reports the array present, so a sent array is never called missing.
func (o *object) into(name string, dst any) bool {
	raw, ok := o.raw[name]
	o.used[name] = true
	if !ok || string(raw) == "null" {
		return false
	}
	if rv := reflect.ValueOf(dst); rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Slice &&
		rv.Elem().Type().Elem().Kind() != reflect.Uint8 {
		return o.intoSlice(name, raw, rv.Elem())
	}
	if err := decodeStrict(raw, dst); err != nil {
		o.v.Add(decodeProblem(name, err))
		return false
	}
	return true
}

func (o *object) intoSlice(name string, raw json.RawMessage, slice reflect.Value) bool {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		o.v.Add(name, "must be an array")
		return false
	}
	out := reflect.MakeSlice(slice.Type(), len(elems), len(elems))
	for i, e := range elems {
		at := name + "[" + strconv.Itoa(i) + "]"
		if err := decodeStrict(e, out.Index(i).Addr().Interface()); err != nil {
			field, issue := decodeProblem(at, err)
			o.badFields = append(o.badFields, domain.FieldError{Field: field, Issue: issue})
			if o.bad == nil {
				o.bad = map[string]bool{}
			}
			o.bad[at] = true // what decoded of it stays, for the checks across elements
		}
	}
	slice.Set(out)
	return true
}

// decodeStrict decodes raw into dst refusing unknown fields.
func decodeStrict(raw json.RawMessage, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

// decodeProblem names the field of a decoding error under name, and its issue.
func decodeProblem(name string, err error) (string, string) {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return name + "." + te.Field, "must be " + jsonKind(te.Type.Kind().String())
	case errors.As(err, &te):
		return name, "must be " + jsonKind(te.Type.Kind().String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return name + "." + strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown field"
	}
	return name, "invalid: " + err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "bool":
		return "a boolean"
	}
	return "a number"
}

// err reports unknown fields and every problem met while reading.
func (o *object) err() error {
	var unknown []string
	for name := range o.raw {
		if !o.used[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		o.v.Add(name, "unknown field")
	}
	err := o.v.Err()
	if len(o.bad) == 0 {
		return err
	}
	fields := slices.Clone(o.badFields)
	if ve, ok := errors.AsType[*domain.ValidationError](err); ok {
		for _, f := range ve.Fields {
			if !o.aboutBad(f.Field) {
				fields = append(fields, f)
			}
		}
	}
	return &domain.ValidationError{Fields: fields}
}

// aboutBad reports whether field is an element that did not decode, or lies within one.
func (o *object) aboutBad(field string) bool {
	for at := range o.bad {
		if field == at || strings.HasPrefix(field, at+".") || strings.HasPrefix(field, at+"[") {
			return true
		}
	}
	return false
}

// has reports whether the field is present.
func (o *object) has(name string) bool {
	_, ok := o.raw[name]
	return ok
}

// given reports whether the field is present and not null.
func (o *object) given(name string) bool {
	raw, ok := o.raw[name]
	return ok && string(raw) != "null"
}

// deref is a string field read by str, absent or null as "".
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
