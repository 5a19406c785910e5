package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Upcaster rewrites an event body of one schema version into the next version's shape.
type Upcaster func(data json.RawMessage) (json.RawMessage, error)

type eventInfo struct {
	aggregate string
	version   int
	upcasters map[int]Upcaster // from version k to k+1
	decode    func([]byte) (Event, error)
	decodeEnv func([]byte) (wireHead, Event, error) // the whole body in one pass, current version only
	personal  []string                              // top-level JSON fields holding personal data
}

// Registry maps event type names to Go types and schema versions. It is the one codec of
// event bodies: every event is encoded by Marshal and decoded by Unmarshal, so field-level
// encryption of personal data (fields tagged `personal:"true"`) has exactly one place to live.
type Registry struct {
	types map[string]*eventInfo
	vault Vault // nil: personal fields stored in the clear
}

// NewRegistry returns a registry holding every aggregate's events, each registered beside
// its aggregate (domain/<aggregate>.go).
func NewRegistry() *Registry {
	r := &Registry{types: map[string]*eventInfo{}}
	customerEvents(r)
	apiKeyEvents(r)
	inventoryEvents(r)
	orderEvents(r)
	returnEvents(r)
	warrantyEvents(r)
	priceListEvents(r)
	wholesaleAccountEvents(r)
	wholesaleOrderEvents(r)
	bomEvents(r)
	workOrderEvents(r)
	supplierEvents(r)
	purchaseOrderEvents(r)
	asnEvents(r)
	warehouseEvents(r)
	pickListEvents(r)
	shipmentEvents(r)
	transferEvents(r)
	cycleCountEvents(r)
	webhookEndpointEvents(r)
	webhookDeliveryEvents(r)
	leadEvents(r)
	contactEvents(r)
	opportunityEvents(r)
	caseEvents(r)
	return r
}

// Register adds event type T of aggregate at schema version with upcasters from older
// versions. A duplicate type name is a wiring mistake and panics.
func Register[T Event](r *Registry, aggregate string, version int, upcasters map[int]Upcaster) {
	var zero T
	name := zero.EventType()
	if _, dup := r.types[name]; dup {
		panic(fmt.Sprintf("domain: event type %q registered twice", name))
	}
	for v := 1; v < version; v++ {
		if upcasters[v] == nil {
			panic(fmt.Sprintf("domain: event type %q v%d has no upcaster from v%d", name, version, v))
		}
	}
	r.types[name] = &eventInfo{
		aggregate: aggregate,
		version:   version,
		upcasters: upcasters,
		decode: func(b []byte) (Event, error) {
			var e T
			if err := json.Unmarshal(b, &e); err != nil {
				return nil, err
			}
			return e, nil
		},
		decodeEnv: func(b []byte) (wireHead, Event, error) {
			var w struct {
				wireHead
				Data *T `json:"data"`
			}
			if err := json.Unmarshal(b, &w); err != nil {
				return w.wireHead, nil, err
			}
			if w.Data == nil {
				return w.wireHead, nil, errors.New("no data")
			}
			return w.wireHead, *w.Data, nil
		},
		personal: personalFields(reflect.TypeOf(zero)),
	}
}

func personalFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("personal") != "true" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// Types lists the registered event type names, sorted.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.types))
	for name := range r.types {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// Version is the current schema version of an event type, 0 if unknown.
func (r *Registry) Version(eventType string) int {
	if info, ok := r.types[eventType]; ok {
		return info.version
	}
	return 0
}

// PersonalFields lists the top-level JSON fields of an event type that hold personal data.
func (r *Registry) PersonalFields(eventType string) []string {
	if info, ok := r.types[eventType]; ok {
		return info.personal
	}
	return nil
}

// DecodeData turns a stored body of an event type at schema version into the current Go
// value, upcasting old versions first.
func (r *Registry) DecodeData(eventType string, version int, data []byte) (Event, error) {
	e, _, err := r.decodeData(eventType, version, data)
	return e, err
}

// decodeData is DecodeData that also names the personal fields that were stored sealed.
func (r *Registry) decodeData(eventType string, version int, data []byte) (Event, []string, error) {
	info, ok := r.types[eventType]
	if !ok {
		return nil, nil, fmt.Errorf("decode event: unknown type %q", eventType)
	}
	if version < 1 || version > info.version {
		return nil, nil, fmt.Errorf("decode event %s: unknown schema version %d", eventType, version)
	}
	raw, sealed, err := r.open(info, data)
	if err != nil {
		return nil, nil, fmt.Errorf("decode event %s: %w", eventType, err)
	}
	for v := version; v < info.version; v++ {
		if raw, err = info.upcasters[v](raw); err != nil {
			return nil, nil, fmt.Errorf("upcast %s v%d: %w", eventType, v, err)
		}
	}
	e, err := info.decode(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("decode event %s v%d: %w", eventType, version, err)
	}
	return e, sealed, nil
}

// wireHead is the JSON body of every stored event message but its data.
type wireHead struct {
	ID            string    `json:"id"`
	Type          string    `json:"type"`
	SchemaVersion int       `json:"schema_version"`
	AggregateType string    `json:"aggregate_type"`
	AggregateID   string    `json:"aggregate_id"`
	Version       int64     `json:"version"`
	Time          time.Time `json:"time"`
	Metadata      Metadata  `json:"metadata"`
}

// wireEnvelope is the JSON body of every stored event message.
type wireEnvelope struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schema_version"`
	AggregateType string          `json:"aggregate_type"`
	AggregateID   string          `json:"aggregate_id"`
	Version       int64           `json:"version"`
	Time          time.Time       `json:"time"`
	Data          json.RawMessage `json:"data"`
	Metadata      Metadata        `json:"metadata"`
}

// Marshal encodes an envelope as the stored message body. The schema version written is
// the event type's current one.
func (r *Registry) Marshal(env Envelope) ([]byte, error) {
	info, ok := r.types[env.Event.EventType()]
	if !ok {
		return nil, fmt.Errorf("encode event: unknown type %q", env.Event.EventType())
	}
	data, err := MarshalJSON(env.Event)
	if err != nil {
		return nil, fmt.Errorf("encode event %s: %w", env.Event.EventType(), err)
	}
	if data, err = r.seal(info, data, SubjectOf(env.Event, env.AggregateType, env.AggregateID)); err != nil {
		return nil, fmt.Errorf("encode event %s: %w", env.Event.EventType(), err)
	}
	return MarshalJSON(wireEnvelope{
		ID: env.ID, Type: env.Event.EventType(), SchemaVersion: info.version,
		AggregateType: env.AggregateType, AggregateID: env.AggregateID, Version: env.Version,
		Time: env.Time.UTC(), Data: data, Metadata: env.Metadata,
	})
}

// UnmarshalTyped is Unmarshal for a reader that already knows the event's type and schema
// version (the message headers carry them): at the current version the body is decoded
// in one pass, straight into the event's type. A body that disagrees with the hint, or an
// older version, takes the general path.
func (r *Registry) UnmarshalTyped(eventType string, version int, body []byte, position uint64) (Envelope, error) {
	info, ok := r.types[eventType]
	if !ok || version != info.version || (len(info.personal) > 0 && bytes.Contains(body, []byte(`"`+SealedPrefix))) {
		return r.Unmarshal(body, position) // sealed fields are opened on the general path
	}
	w, e, err := info.decodeEnv(body)
	if err != nil || w.Type != eventType || w.SchemaVersion != version {
		return r.Unmarshal(body, position)
	}
	return Envelope{
		ID: w.ID, Type: w.Type, SchemaVersion: w.SchemaVersion, AggregateType: w.AggregateType,
		AggregateID: w.AggregateID, Version: w.Version, Position: position, Time: w.Time,
		Metadata: w.Metadata, Event: e,
	}, nil
}

// Unmarshal decodes a stored message body found at stream position.
func (r *Registry) Unmarshal(body []byte, position uint64) (Envelope, error) {
	var w wireEnvelope
	if err := json.Unmarshal(body, &w); err != nil {
		return Envelope{}, fmt.Errorf("decode envelope at %d: %w", position, err)
	}
	e, sealed, err := r.decodeData(w.Type, w.SchemaVersion, w.Data)
	if err != nil {
		return Envelope{}, fmt.Errorf("at %d: %w", position, err)
	}
	return Envelope{
		ID: w.ID, Type: w.Type, SchemaVersion: w.SchemaVersion, AggregateType: w.AggregateType,
		AggregateID: w.AggregateID, Version: w.Version, Position: position, Time: w.Time,
		Metadata: w.Metadata, Event: e, Sealed: sealed,
	}, nil
}

// Aggregate is the aggregate type an event type belongs to, "" if the type is unknown.
func (r *Registry) Aggregate(eventType string) string {
	if info, ok := r.types[eventType]; ok {
		return info.aggregate
	}
	return ""
}

// TypeNamed finds an event type by its PascalCase or its dotted name (customer.updated);
// false if neither names a registered type.
func (r *Registry) TypeNamed(name string) (string, bool) {
	if _, ok := r.types[name]; ok {
		return name, true
	}
	for t := range r.types {
		if r.DottedName(t) == name {
			return t, true
		}
	}
	return "", false
}

// DottedName is StateSet's webhook name of an event type: CustomerUpdated ->
// customer.updated, CustomerStatusChanged -> customer.status_changed, ApiKeyCreated ->
// api_key.created. The aggregate's words come first, then the rest.
func (r *Registry) DottedName(eventType string) string {
	var words []string
	start := 0
	for i := 1; i <= len(eventType); i++ {
		if i == len(eventType) || (eventType[i] >= 'A' && eventType[i] <= 'Z') {
			words = append(words, strings.ToLower(eventType[start:i]))
			start = i
		}
	}
	agg := ""
	if info, ok := r.types[eventType]; ok {
		agg = strings.ReplaceAll(info.aggregate, "_", "") // wholesale_order matches Wholesale+Order
	}
	joined := ""
	for i, w := range words {
		joined += w
		if joined == agg && i+1 < len(words) {
			return strings.Join(words[:i+1], "_") + "." + strings.Join(words[i+1:], "_")
		}
	}
	return strings.Join(words, "_")
}
