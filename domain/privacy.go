package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Personal data is stored encrypted, field by field, with one key per data subject
// (crypto-shredding): forgetting a subject deletes its key, and every personal field ever
// written about it becomes unreadable wherever the events went, while the rest of each
// event stays. The codec (Registry.Marshal and Unmarshal) is the one place this happens.

// Vault seals and opens personal values with the key of their data subject. It is how the
// codec reaches key storage; the domain itself does no I/O.
type Vault interface {
	// Seal encrypts plaintext with subject's key (made on first use). ErrForgotten: the
	// subject was forgotten, and nothing about it is written any more.
	Seal(subject string, plaintext []byte) (string, error)
	// Open decrypts what Seal returned. ErrForgotten: the subject's key is gone.
	Open(sealed string) ([]byte, error)
}

// ErrForgotten is returned by a Vault for a data subject that was forgotten.
var ErrForgotten = errors.New("data subject forgotten")

// SealedPrefix starts every sealed value: "pii:v1:<subject>:<base64 nonce+ciphertext>".
const SealedPrefix = "pii:v1:"

// PersonalSubjecter is an event or aggregate that says whose personal data it holds: a
// customer id. Events about a customer kept in another aggregate (an order's addresses)
// name the customer, so forgetting the customer reaches them too.
type PersonalSubjecter interface {
	PersonalSubject() string
}

// SubjectOf names the data subject of an event or aggregate of aggType/id: the customer it
// names, else the aggregate itself. Subjects are KV-key safe.
func SubjectOf(v any, aggType, id string) string {
	if ps, ok := v.(PersonalSubjecter); ok {
		if c := ps.PersonalSubject(); c != "" {
			return CustomerSubject(c)
		}
	}
	return aggType + "." + id
}

// CustomerSubject is the data subject of a customer.
func CustomerSubject(customerID string) string { return "customer." + customerID }

// SubjectOfSealed reads the subject out of a sealed value.
func SubjectOfSealed(sealed string) (string, bool) {
	rest, ok := strings.CutPrefix(sealed, SealedPrefix)
	if !ok {
		return "", false
	}
	subject, _, ok := strings.Cut(rest, ":")
	return subject, ok && subject != ""
}

// WithVault returns a registry that encrypts personal fields on Marshal and decrypts them
// on Unmarshal; a field whose subject was forgotten decodes as its zero value.
func (r *Registry) WithVault(v Vault) *Registry {
	cp := *r
	cp.vault = v
	return &cp
}

// Vault is the registry's vault, nil when personal fields are stored in the clear.
func (r *Registry) Vault() Vault { return r.vault }

// seal replaces each personal field of data with its sealed form. A forgotten subject's
// fields are left out.
func (r *Registry) seal(info *eventInfo, data []byte, subject string) ([]byte, error) {
	if r.vault == nil || len(info.personal) == 0 {
		return data, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, err
	}
	changed := false
	for _, name := range info.personal {
		raw, ok := fields[name]
		if !ok || isEmptyJSON(raw) {
			continue
		}
		sealed, err := r.vault.Seal(subject, raw)
		switch {
		case errors.Is(err, ErrForgotten):
			delete(fields, name)
		case err != nil:
			return nil, fmt.Errorf("seal %s: %w", name, err)
		default:
			fields[name], _ = MarshalJSON(sealed)
		}
		changed = true
	}
	if !changed {
		return data, nil
	}
	return MarshalJSON(fields)
}

// open replaces each sealed personal field of data with its plaintext, or drops it when
// its subject was forgotten.
func (r *Registry) open(info *eventInfo, data []byte) ([]byte, []string, error) {
	if len(info.personal) == 0 || !bytes.Contains(data, []byte(`"`+SealedPrefix)) {
		return data, nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, nil, err
	}
	var sealedNames []string
	for _, name := range info.personal {
		var sealed string
		if json.Unmarshal(fields[name], &sealed) != nil || !strings.HasPrefix(sealed, SealedPrefix) {
			continue
		}
		sealedNames = append(sealedNames, name)
		if r.vault == nil {
			delete(fields, name) // no keys here: as good as forgotten
			continue
		}
		plain, err := r.vault.Open(sealed)
		switch {
		case errors.Is(err, ErrForgotten):
			delete(fields, name)
		case err != nil:
			return nil, nil, fmt.Errorf("open %s: %w", name, err)
		default:
			fields[name] = plain
		}
	}
	out, err := MarshalJSON(fields)
	return out, sealedNames, err
}

func isEmptyJSON(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	return s == "null" || s == `""` || s == "{}" || s == "[]"
}

// Scrub returns e with its personal fields zeroed: what e decodes to once its subject is
// forgotten. Read models use it to scrub what they keep, the same way a rebuild would.
func (r *Registry) Scrub(e Event) Event {
	info, ok := r.types[e.EventType()]
	if !ok || len(info.personal) == 0 {
		return e
	}
	v := reflect.New(reflect.TypeOf(e)).Elem()
	v.Set(reflect.ValueOf(e))
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).Tag.Get("personal") == "true" {
			v.Field(i).Set(reflect.Zero(v.Field(i).Type()))
		}
	}
	return v.Interface().(Event)
}

// HasPersonalData reports whether any event type of aggregate type aggType carries
// personal fields (its snapshots are then sealed too).
func (r *Registry) HasPersonalData(aggType string) bool {
	for _, info := range r.types {
		if info.aggregate == aggType && len(info.personal) > 0 {
			return true
		}
	}
	return false
}
