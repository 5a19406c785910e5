package commands

import (
	"encoding"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"stateset/domain"
)

var update = flag.Bool("update", false, "rewrite testdata/snapshot_shapes.json from the aggregates' current shapes")

const shapesFile = "testdata/snapshot_shapes.json"

// snapshotAggregates is the Go type behind each aggregate type's snapshot (the state
// execute folds and writeSnapshot encodes). TestSnapshotShapes checks that it covers
// every aggregate the registry knows.
var snapshotAggregates = map[string]reflect.Type{
	"customer":          reflect.TypeFor[domain.Customer](),
	"apikey":            reflect.TypeFor[domain.APIKey](),
	"inventory":         reflect.TypeFor[domain.InventoryItem](),
	"order":             reflect.TypeFor[domain.Order](),
	"return":            reflect.TypeFor[domain.Return](),
	"warranty":          reflect.TypeFor[domain.Warranty](),
	"price_list":        reflect.TypeFor[domain.PriceList](),
	"wholesale_account": reflect.TypeFor[domain.WholesaleAccount](),
	"wholesale_order":   reflect.TypeFor[domain.WholesaleOrder](),
	"bill_of_materials": reflect.TypeFor[domain.BillOfMaterials](),
	"work_order":        reflect.TypeFor[domain.WorkOrder](),
	"supplier":          reflect.TypeFor[domain.Supplier](),
	"purchase_order":    reflect.TypeFor[domain.PurchaseOrder](),
	"asn":               reflect.TypeFor[domain.ASN](),
	"warehouse":         reflect.TypeFor[domain.Warehouse](),
	"pick_list":         reflect.TypeFor[domain.PickList](),
	"shipment":          reflect.TypeFor[domain.Shipment](),
	"transfer":          reflect.TypeFor[domain.Transfer](),
	"cycle_count":       reflect.TypeFor[domain.CycleCount](),
	"webhook_endpoint":  reflect.TypeFor[domain.WebhookEndpoint](),
	"webhook_delivery":  reflect.TypeFor[domain.WebhookDelivery](),
	"lead":              reflect.TypeFor[domain.Lead](),
	"contact":           reflect.TypeFor[domain.Contact](),
	"opportunity":       reflect.TypeFor[domain.Opportunity](),
	"case":              reflect.TypeFor[domain.Case](),
}

// storedShape is one aggregate type's entry in the golden file: the snapshot version and
// the JSON shape stored under it.
type storedShape struct {
	Version int      `json:"version"`
	Shape   []string `json:"shape"`
}

// TestSnapshotShapes holds every aggregate's snapshot format to its version: the JSON
// shape of the aggregate struct (field names, JSON options and kinds, recursively; Go
// names and field order do not count) is recorded per version in
// testdata/snapshot_shapes.json, so a change to the shape fails until
// snapshotVersions[x] is bumped (old snapshots are then ignored) and -update records it.
// Every aggregate type the registry knows must have a version.
func TestSnapshotShapes(t *testing.T) {
	reg := domain.NewRegistry()
	var registered []string
	for _, typ := range reg.Types() {
		if a := reg.Aggregate(typ); !slices.Contains(registered, a) {
			registered = append(registered, a)
		}
	}
	slices.Sort(registered)
	for _, a := range registered {
		if _, ok := snapshotVersions[a]; !ok {
			t.Errorf("aggregate type %q has events in domain.NewRegistry but no snapshotVersions entry in commands/execute.go: add %q: 1", a, a)
		}
		if _, ok := snapshotAggregates[a]; !ok {
			t.Errorf("aggregate type %q has no Go type in snapshotAggregates (snapshot_shapes_test.go)", a)
		}
	}
	for a := range snapshotVersions {
		if !slices.Contains(registered, a) {
			t.Errorf("snapshotVersions[%q] names no aggregate type with events in domain.NewRegistry", a)
		}
	}
	if t.Failed() {
		return
	}

	got := map[string]storedShape{}
	for _, a := range registered {
		got[a] = storedShape{Version: snapshotVersions[a], Shape: jsonShape(snapshotAggregates[a])}
	}
	if *update {
		body, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(shapesFile, append(body, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(shapesFile)
	if err != nil {
		t.Fatalf("%v: run go test ./commands -run TestSnapshotShapes -update", err)
	}
	var golden map[string]storedShape
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatalf("%s: %v", shapesFile, err)
	}
	for _, a := range registered {
		want, ok := golden[a]
		now := got[a]
		switch {
		case !ok:
			t.Errorf("%s has no shape for %q: run go test ./commands -run TestSnapshotShapes -update", shapesFile, a)
		case now.Version < want.Version:
			t.Errorf("snapshotVersions[%q] is %d, below the %d recorded in %s: versions only go up", a, now.Version, want.Version, shapesFile)
		case now.Version == want.Version && !slices.Equal(want.Shape, now.Shape):
			t.Errorf("the stored shape of %q snapshots changed at version %d (-recorded +now):\n%s"+
				"bump snapshotVersions[%q] in commands/execute.go to %d, then run go test ./commands -run TestSnapshotShapes -update",
				a, now.Version, cmp.Diff(want.Shape, now.Shape), a, now.Version+1)
		case now.Version > want.Version:
			t.Errorf("snapshotVersions[%q] went from %d to %d: run go test ./commands -run TestSnapshotShapes -update to record its shape",
				a, want.Version, now.Version)
		}
	}
	for a := range golden {
		if _, ok := got[a]; !ok {
			t.Errorf("%s records %q, which is no aggregate type now: run -update", shapesFile, a)
		}
	}
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// jsonShape lists the JSON paths of t's encoding with their kinds, sorted, as
// encoding/json writes them: exported fields under their JSON names (embedded structs
// inlined, "-" skipped), tag options kept; pointers are their element; a type with its
// own JSON or text encoding (time.Time) is named, not opened.
func jsonShape(t reflect.Type) []string {
	var out []string
	shapeOf(t, "", &out, map[reflect.Type]bool{})
	slices.Sort(out)
	return out
}

func shapeOf(t reflect.Type, path string, out *[]string, open map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	leaf := func(kind string) { *out = append(*out, strings.TrimPrefix(path, ".")+" "+kind) }
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) ||
		t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		leaf(t.PkgPath() + "." + t.Name())
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if open[t] {
			leaf("(recursive " + t.Name() + ")")
			return
		}
		open[t] = true
		defer delete(open, t)
		before := len(*out)
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" && opts == "" {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				shapeOf(ft, path, out, open) // inlined, as encoding/json does
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if opts != "" {
				name += "," + opts
			}
			shapeOf(f.Type, path+"."+name, out, open)
		}
		if len(*out) == before {
			leaf("{}")
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			leaf("bytes")
			return
		}
		shapeOf(t.Elem(), path+"[]", out, open)
	case reflect.Map:
		shapeOf(t.Elem(), path+"{"+t.Key().Kind().String()+"}", out, open)
	case reflect.Interface:
		leaf("any")
	default:
		leaf(t.Kind().String())
	}
}
