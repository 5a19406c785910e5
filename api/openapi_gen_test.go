package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"stateset/domain"
	"stateset/projections"
)

var updateOpenAPI = flag.Bool("update", false, "rewrite api/openapi.yaml's answer schemas from the Go types")

// resourceAnswers are the Go types the API answers for each resource, by every path it is
// served under (aliases included). An operation on a resource answers its type unless
// answerOverrides says otherwise: the collection's GET a list page of it, its history a
// list page of historyJSON.
var resourceAnswers = []resource{
	served[customerJSON]("/v1/customers"),
	served[orderJSON]("/v1/orders"),
	served[inventoryJSON]("/v1/inventory"),
	served[returnJSON]("/v1/returns"),
	served[warrantyJSON]("/v1/warranties"),
	served[priceListJSON]("/v1/price_lists"),
	served[wholesaleAccountJSON]("/v1/wholesale_accounts"),
	served[wholesaleOrderJSON]("/v1/wholesale_orders"),
	served[bomJSON]("/v1/bill_of_materials", "/v1/billofmaterials"),
	served[workOrderJSON]("/v1/work_orders", "/v1/workorders"),
	served[supplierJSON]("/v1/suppliers"),
	served[purchaseOrderJSON]("/v1/purchase_orders", "/v1/purchaseorders"),
	served[asnJSON]("/v1/asns"),
	served[warehouseJSON]("/v1/warehouses"),
	served[pickListJSON]("/v1/pick_lists"),
	served[shipmentJSON]("/v1/shipments"),
	served[transferJSON]("/v1/transfers"),
	served[cycleCountJSON]("/v1/cycle_counts"),
	served[webhookEndpointJSON]("/v1/webhook_endpoints"),
	served[leadJSON]("/v1/leads"),
	served[contactJSON]("/v1/contacts"),
	served[opportunityJSON]("/v1/opportunities"),
	served[caseJSON]("/v1/cases", "/v1/cases_tickets"),
	served[apiKeyJSON]("/v1/api_keys"),
	served[projections.ReservationRow]("/v1/reservations"),
}

// resource is what a resource answers: its view, and a list page of them.
type resource struct {
	paths      []string
	view, list any
}

func served[T any](paths ...string) resource { return resource{paths, *new(T), listBody[T]{}} }

// answer is what one operation answers: a value of its Go type, or nothing the generator
// knows (the hand-written schema stays).
type answer struct {
	value   any
	unknown bool
}

func one[T any]() answer  { return answer{value: *new(T)} }
func page[T any]() answer { return answer{value: listBody[T]{}} }

// answerOverrides are the operations of a resource that answer something else than it.
var answerOverrides = map[string]answer{
	"GET /v1/customers/{id}/timeline":                                    page[timelineJSON](),
	"POST /v1/inventory/transfer":                                        one[transferJSON](),
	"GET /v1/inventory/low-stock":                                        page[inventoryJSON](),
	"POST /v1/inventory/{id}/reserve":                                    one[projections.ReservationRow](),
	"POST /v1/inventory/{id}/release-reservation/{rid}":                  one[projections.ReservationRow](),
	"GET /v1/bill_of_materials/{id}/explode":                             one[explosionJSON](),
	"GET /v1/billofmaterials/{id}/explode":                               one[explosionJSON](),
	"GET /v1/suppliers/{id}/products":                                    page[domain.SupplierProduct](),
	"POST /v1/suppliers/{id}/products":                                   one[domain.SupplierProduct](),
	"GET /v1/suppliers/{id}/purchase_orders":                             page[purchaseOrderJSON](),
	"GET /v1/webhook_endpoints/{id}/deliveries":                          page[webhookDeliveryJSON](),
	"GET /v1/webhook_endpoints/{id}/deliveries/{delivery_id}":            one[webhookDeliveryJSON](),
	"POST /v1/webhook_endpoints/{id}/deliveries/{delivery_id}/redeliver": one[webhookDeliveryJSON](),
	"GET /v1/cases/{id}/notes":                                           page[caseNoteJSON](),
	"GET /v1/cases_tickets/{id}/notes":                                   page[caseNoteJSON](),
	"GET /v1/inventory/{id}/history":                                     page[projections.Movement](),
	"GET /v1/audit":                                                      page[auditJSON](),
	"GET /v1/events":                                                     one[feedBody](),
	"GET /v1/admin/projections":                                          page[projectionJSON](),
	"GET /v1/admin/flows":                                                page[flowJSON](),
	"GET /v1/admin/flows/{name}/parked":                                  page[parkedJSON](),
	"POST /v1/admin/projections/{name}/rebuild":                          one[rebuildJSON](),
	"POST /v1/admin/flows/{name}/replay":                                 one[replayJSON](),
	"GET /v1/status":                                                     one[statusJSON](),
}

// requestTypes are the Go types of write bodies (api/request.go), by operation under its
// canonical path (an alias such as /v1/workorders finds /v1/work_orders'). A key whose
// last segment is {action} serves every action of the resource not named on its own. An
// action's schema also takes notes (actionNotes reads them for every action), so a type
// serves actions or other operations, not both.
var requestTypes = map[string]any{
	// CRM, warehouse, webhooks, API keys, admin
	"POST /v1/leads":                                createLeadRequest{},
	"PUT /v1/leads/{id}":                            updateLeadRequest{},
	"PUT /v1/contacts/{id}":                         updateContactRequest{},
	"PUT /v1/opportunities/{id}":                    updateOpportunityRequest{},
	"PUT /v1/cases/{id}":                            updateCaseRequest{},
	"PUT /v1/cases_tickets/{id}":                    updateCaseRequest{},
	"POST /v1/leads/{id}/convert":                   actionRequest{},
	"POST /v1/leads/{id}/{action}":                  reasonRequest{},
	"POST /v1/contacts":                             createContactRequest{},
	"POST /v1/contacts/{id}/{action}":               reasonRequest{},
	"POST /v1/contacts/{id}/primary":                actionRequest{},
	"POST /v1/opportunities":                        createOpportunityRequest{},
	"POST /v1/opportunities/{id}/{action}":          reasonRequest{},
	"POST /v1/cases":                                createCaseRequest{},
	"POST /v1/cases/{id}/assign":                    assignCaseRequest{},
	"POST /v1/cases/{id}/notes":                     addCaseNoteRequest{},
	"POST /v1/cases/{id}/resolve":                   resolveCaseRequest{},
	"POST /v1/cases/{id}/{action}":                  reasonRequest{},
	"POST /v1/warehouses":                           createWarehouseRequest{},
	"PUT /v1/warehouses/{id}":                       updateWarehouseRequest{},
	"POST /v1/warehouses/{id}/{action}":             reasonRequest{},
	"PUT /v1/warehouses/{id}/equipment/{equipment}": equipmentRequest{},
	"PUT /v1/warehouses/{id}/staff/{staff}":         staffRequest{},
	"DELETE /v1/warehouses/{id}/staff/{staff}":      emptyRequest{},
	"POST /v1/pick_lists":                           createPickListRequest{},
	"PUT /v1/pick_lists/{id}":                       updatePickListRequest{},
	"POST /v1/pick_lists/{id}/complete":             completePickListRequest{},
	"POST /v1/pick_lists/{id}/{action}":             reasonRequest{},
	"POST /v1/shipments":                            createShipmentRequest{},
	"PUT /v1/shipments/{id}":                        updateShipmentRequest{},
	"POST /v1/shipments/{id}/{action}":              reasonRequest{},
	"POST /v1/transfers":                            createTransferRequest{},
	"POST /v1/transfers/{id}/{action}":              reasonRequest{},
	"POST /v1/inventory/transfer":                   transferInventoryRequest{},
	"POST /v1/cycle_counts":                         createCycleCountRequest{},
	"PUT /v1/cycle_counts/{id}":                     updateCycleCountRequest{},
	"POST /v1/cycle_counts/{id}/submit":             submitCycleCountRequest{},
	"POST /v1/cycle_counts/{id}/{action}":           reasonRequest{},

	// the handlers of DELETE, rotate_secret and redeliver read no body: they ignore any
	// field (but an action's notes)
	"POST /v1/webhook_endpoints":                                         createWebhookEndpointRequest{},
	"PUT /v1/webhook_endpoints/{id}":                                     updateWebhookEndpointRequest{},
	"DELETE /v1/webhook_endpoints/{id}":                                  emptyRequest{},
	"POST /v1/webhook_endpoints/{id}/rotate_secret":                      actionRequest{},
	"POST /v1/webhook_endpoints/{id}/deliveries/{delivery_id}/redeliver": actionRequest{},
	"POST /v1/webhook_endpoints/{id}/{action}":                           reasonRequest{},

	"POST /v1/api_keys":             createAPIKeyRequest{},
	"DELETE /v1/api_keys/{id}":      emptyRequest{},
	"POST /v1/api_keys/{id}/revoke": actionRequest{},

	"POST /v1/admin/projections/{name}/rebuild": emptyRequest{},
	"POST /v1/admin/flows/{name}/replay":        emptyRequest{}, // the handler reads no body: it ignores any field

	// customers, orders, inventory, returns, warranties
	"POST /v1/customers":                                  createCustomerRequest{},
	"PUT /v1/customers/{id}":                              updateCustomerRequest{},
	"DELETE /v1/customers/{id}":                           statusRequest{},
	"POST /v1/customers/{id}/addresses":                   addressInput{},
	"POST /v1/customers/{id}/forget":                      reasonRequest{},
	"POST /v1/customers/{id}/{action}":                    reasonRequest{},
	"POST /v1/orders":                                     createOrderRequest{},
	"PUT /v1/orders/{id}":                                 updateOrderRequest{},
	"POST /v1/orders/{id}/ship":                           shipOrderRequest{},
	"POST /v1/orders/{id}/notes":                          orderNoteRequest{},
	"POST /v1/orders/{id}/pay":                            payOrderRequest{},
	"POST /v1/orders/{id}/refund":                         refundRequest{},
	"POST /v1/orders/{id}/{action}":                       reasonRequest{},
	"POST /v1/inventory":                                  createItemRequest{},
	"PUT /v1/inventory/{id}":                              updateItemRequest{},
	"POST /v1/inventory/{id}/adjust":                      adjustRequest{},
	"POST /v1/inventory/{id}/reserve":                     reserveRequest{},
	"POST /v1/inventory/{id}/release-reservation/{rid}":   actionRequest{},
	"POST /v1/reservations/{rid}/release":                 emptyRequest{},
	"POST /v1/returns":                                    createReturnRequest{},
	"PUT /v1/returns/{id}":                                updateReturnRequest{},
	"POST /v1/returns/{id}/inspect":                       inspectReturnRequest{},
	"POST /v1/returns/{id}/refund":                        refundRequest{},
	"POST /v1/returns/{id}/{action}":                      reasonRequest{},
	"POST /v1/warranties":                                 createWarrantyRequest{},
	"POST /v1/warranties/{id}/claims":                     fileClaimRequest{},
	"POST /v1/warranties/{id}/claims/{claim_id}/approve":  approveClaimRequest{},
	"POST /v1/warranties/{id}/claims/{claim_id}/reject":   reasonRequest{},
	"POST /v1/warranties/{id}/claims/{claim_id}/withdraw": reasonRequest{},
	"PUT /v1/warranties/{id}/claims/{claim_id}":           updateClaimRequest{},
	"PUT /v1/warranties/{id}":                             updateWarrantyRequest{},
	"POST /v1/pick_lists/{id}/picks":                      completePickListRequest{},
	"POST /v1/pick_lists/{id}/checks":                     checkPickListRequest{},
	"POST /v1/warranties/{id}/{action}":                   reasonRequest{},
	"POST /v1/warranties/approve/{id}":                    statusRequest{},
	"POST /v1/warranties/reject/{id}":                     statusRequest{},
	"POST /v1/warranties/cancel/{id}":                     statusRequest{},
	"POST /v1/warranties/close/{id}":                      statusRequest{},
	"POST /v1/warranties/reopen/{id}":                     statusRequest{},

	// purchasing, manufacturing, wholesale
	"POST /v1/suppliers":                                        createSupplierRequest{},
	"PUT /v1/suppliers/{id}":                                    updateSupplierRequest{},
	"POST /v1/suppliers/{id}/products":                          setSupplierProductRequest{},
	"POST /v1/suppliers/{id}/{action}":                          reasonRequest{},
	"POST /v1/purchase_orders":                                  createPurchaseOrderRequest{},
	"PUT /v1/purchase_orders/{id}":                              updatePurchaseOrderRequest{},
	"POST /v1/purchase_orders/{id}/receive":                     receivePurchaseOrderRequest{},
	"POST /v1/purchase_orders/{id}/{action}":                    reasonRequest{},
	"POST /v1/asns":                                             createASNRequest{},
	"PUT /v1/asns/{id}":                                         updateASNRequest{},
	"POST /v1/asns/{id}/{action}":                               reasonRequest{},
	"POST /v1/bill_of_materials":                                createBOMRequest{},
	"PUT /v1/bill_of_materials/{id}":                            updateBOMRequest{},
	"POST /v1/bill_of_materials/{id}/{action}":                  reasonRequest{},
	"POST /v1/work_orders":                                      createWorkOrderRequest{},
	"PUT /v1/work_orders/{id}":                                  updateWorkOrderRequest{},
	"POST /v1/work_orders/{id}/complete":                        completeWorkOrderRequest{},
	"POST /v1/work_orders/{id}/operations":                      addOperationsRequest{},
	"PUT /v1/work_orders/{id}/operations/{operation}":           updateOperationRequest{},
	"POST /v1/work_orders/{id}/operations/{operation}/complete": completeOperationRequest{},
	"POST /v1/work_orders/{id}/resources":                       assignResourceRequest{},
	"POST /v1/work_orders/{id}/inspections":                     inspectionRequest{},
	"DELETE /v1/work_orders/{id}/resources/{resource}":          emptyRequest{},
	"POST /v1/work_orders/{id}/{action}":                        reasonRequest{},
	"POST /v1/price_lists":                                      createPriceListRequest{},
	"PUT /v1/price_lists/{id}":                                  updatePriceListRequest{},
	"POST /v1/price_lists/{id}/archive":                         reasonRequest{},
	"PUT /v1/wholesale_accounts/{customer_id}":                  putWholesaleAccountRequest{},
	"POST /v1/wholesale_orders":                                 createWholesaleOrderRequest{},
	"PUT /v1/wholesale_orders/{id}":                             updateWholesaleOrderRequest{},
	"POST /v1/wholesale_orders/{id}/invoice":                    invoiceWholesaleOrderRequest{},
	"POST /v1/wholesale_orders/{id}/{action}":                   reasonRequest{},
}

// requestFor finds the request type of an operation.
func requestFor(method, path string) (any, bool) {
	path = canonicalPath(path)
	if req, ok := requestTypes[method+" "+path]; ok {
		return req, true
	}
	if isAction(method, path) {
		if i := strings.LastIndex(path, "/"); i >= 0 {
			req, ok := requestTypes[method+" "+path[:i]+"/{action}"]
			return req, ok
		}
	}
	return nil, false
}

// canonicalPath is path under its resource's first name (resourceAnswers).
func canonicalPath(path string) string {
	for _, r := range resourceAnswers {
		for _, alias := range r.paths[1:] {
			if rest, ok := strings.CutPrefix(path, alias); ok && (rest == "" || rest[0] == '/') {
				return r.paths[0] + rest
			}
		}
	}
	return path
}

// answerFor finds what an operation answers.
func answerFor(method, path string) answer {
	if a, ok := answerOverrides[method+" "+path]; ok {
		return a
	}
	for _, r := range resourceAnswers {
		for _, base := range r.paths {
			rest, ok := strings.CutPrefix(path, base)
			if !ok || (rest != "" && rest[0] != '/') {
				continue
			}
			switch {
			case rest == "" && method == "GET":
				return answer{value: r.list}
			case strings.HasSuffix(rest, "/history"):
				return page[historyJSON]()
			}
			return answer{value: r.view}
		}
	}
	return answer{unknown: true}
}

// schemaName is a Go answer type's component name: orderJSON is Order, listBody[orderJSON]
// OrderList.
func schemaName(t reflect.Type) string {
	n := t.Name()
	if inner, ok := strings.CutPrefix(n, "listBody["); ok {
		inner = strings.TrimSuffix(inner, "]")
		if i := strings.LastIndex(inner, "."); i >= 0 {
			inner = inner[i+1:]
		}
		return exported(strings.TrimSuffix(inner, "JSON")) + "List"
	}
	name := exported(strings.TrimSuffix(n, "JSON"))
	if name == "Status" {
		return "ServerStatus" // Status is /health's, written by hand
	}
	return name
}

func exported(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// generateAnswers writes, into doc, the JSON schema of every answer type (as a component)
// and points each operation's success answers at it.
func generateAnswers(doc *openapi3.T) (typed, total int, err error) {
	schemas := openapi3.Schemas{}
	var generated []any
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if path == "/health" || path == "/ready" || path == "/metrics" {
				continue
			}
			total++
			if req, ok := requestFor(method, path); ok {
				ref, err := requestSchema(req, isAction(method, path), schemas)
				if err != nil {
					return 0, 0, err
				}
				// no body is read as {}, so a body is required only where a field is
				required := requiresBody(reflect.TypeOf(req))
				op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(required).
					WithContent(openapi3.NewContentWithJSONSchemaRef(ref))}
			}
			a := answerFor(method, path)
			if a.unknown {
				continue
			}
			value := a.value
			// a generator per value: one reused across values loses nested components
			gen := openapi3gen.NewGenerator(
				openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true,
					ExportTopLevelSchema: true, ExportGenerics: true}),
				openapi3gen.CreateTypeNameGenerator(schemaName),
				openapi3gen.UseAllExportedFields()) // domain types nested in answers have no json tags
			generated = append(generated, value)
			ref, err := gen.NewSchemaRefForValue(value, schemas)
			if err != nil {
				return 0, 0, err
			}
			for status, res := range op.Responses.Map() {
				if !strings.HasPrefix(status, "2") || res.Value == nil {
					continue
				}
				// an answer shared by reference (#/components/responses/List) is copied,
				// not changed: each operation answers its own type
				own := *res.Value
				own.Content = openapi3.NewContentWithJSONSchemaRef(&openapi3.SchemaRef{Ref: ref.Ref})
				op.Responses.Set(status, &openapi3.ResponseRef{Value: &own})
			}
			typed++
		}
	}
	seen := map[reflect.Type]bool{}
	for _, v := range generated {
		tighten(schemas, reflect.TypeOf(v), seen)
	}
	for name, s := range schemas {
		doc.Components.Schemas[name] = s
	}
	return typed, total, nil
}

// requestSchema is the component schema of a request type: every field optional and
// nullable (the
// handler's checks say what is required, naming each field missing), each alias spelling
// accepted beside its field, nothing else.
func requestSchema(req any, action bool, schemas openapi3.Schemas) (*openapi3.SchemaRef, error) {
	t := reflect.TypeOf(req)
	name := schemaName(t)
	if old, ok := schemas[name]; ok {
		if _, notes := old.Value.Properties["notes"]; notes != action && !hasField(t, "notes") {
			return nil, fmt.Errorf("request type %s serves both actions and other operations", t)
		}
		return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name}, nil
	}
	gen := openapi3gen.NewGenerator(openapi3gen.CreateTypeNameGenerator(schemaName), openapi3gen.SchemaCustomizer(requestField))
	ref, err := gen.NewSchemaRefForValue(req, nil)
	if err != nil {
		return nil, err
	}
	s := ref.Value
	s.Nullable = false // the body itself is an object (or none)
	if action && s.Properties["notes"] == nil {
		notes := openapi3.NewStringSchema().WithMaxLength(10000)
		notes.Description = "the action's notes, recorded in its events' metadata"
		s.Properties["notes"] = &openapi3.SchemaRef{Value: notes}
	}
	for _, f := range reflect.VisibleFields(t) { // embedded fields' too
		if alias := f.Tag.Get("alias"); alias != "" {
			own := *s.Properties[jsonName(f)].Value
			// a distinct name for generated clients' structs, which cannot hold two FirstName
			own.Extensions = map[string]any{"x-go-name": f.Name + "Alias"}
			s.Properties[alias] = &openapi3.SchemaRef{Value: &own}
		}
	}
	schemas[name] = &openapi3.SchemaRef{Value: s}
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name}, nil
}

// requestField makes a request schema say what the handlers read (fill and the object
// reader): an object, nested ones included, refuses fields it does not have; null is
// read as absent (or "" for a string) in every field; and a field's tags enum:"A,B",
// pattern:"^[A-Z]{3}$", format:"date-time", minimum:"1" and maximum:"100" state the checks its command makes.
func requestField(_ string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		no := false
		s.Type = &openapi3.Types{openapi3.TypeObject}
		s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
		if s.Properties == nil {
			s.Properties = openapi3.Schemas{}
		}
	}
	if tag.Get("json") != "" {
		s.Nullable = true
	}
	if enum := tag.Get("enum"); enum != "" {
		for _, v := range strings.Split(enum, ",") {
			s.Enum = append(s.Enum, v)
		}
	}
	if p := tag.Get("pattern"); p != "" {
		s.Pattern = p
	}
	if f := tag.Get("format"); f != "" {
		s.Format = f
	}
	if m := tag.Get("minimum"); m != "" {
		min, err := strconv.ParseFloat(m, 64)
		if err != nil {
			return fmt.Errorf("minimum tag %q: %w", m, err)
		}
		s.Min = &min
	}
	if m := tag.Get("maximum"); m != "" {
		max, err := strconv.ParseFloat(m, 64)
		if err != nil {
			return fmt.Errorf("maximum tag %q: %w", m, err)
		}
		s.Max = &max
	}
	return nil
}

// requiresBody reports whether a request type has a field without omitempty: one a
// body must give. Every other body may be left out, and is read as {}.
func requiresBody(t reflect.Type) bool {
	for _, f := range reflect.VisibleFields(t) {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && !strings.Contains(opts, "omitempty") {
			return true
		}
	}
	return false
}

// hasField reports whether a struct type has a field of that json name.
func hasField(t reflect.Type, name string) bool {
	for _, f := range reflect.VisibleFields(t) {
		if jsonName(f) == name {
			return true
		}
	}
	return false
}

// tighten makes each generated struct schema say what encoding/json writes: a field
// without omitempty is always there (required), nothing else is (no additional
// properties), and a pointer to a struct may be null. The generator shares one component
// per struct type and drops the pointer's nullability with it (a $ref carries nothing else
// in OpenAPI 3.0), so such a property becomes {nullable, allOf: [$ref]}.
func tighten(schemas openapi3.Schemas, t reflect.Type, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	comp := schemas[schemaName(t)]
	if comp == nil || comp.Value == nil {
		return
	}
	no := false
	comp.Value.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	comp.Value.Required = nil
	for _, f := range jsonFieldsOf(t) {
		tighten(schemas, f.Type, seen)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			comp.Value.Required = append(comp.Value.Required, name)
		}
		if f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
			continue
		}
		if p := comp.Value.Properties[name]; p != nil && p.Ref != "" {
			comp.Value.Properties[name] = &openapi3.SchemaRef{Value: &openapi3.Schema{Nullable: true,
				AllOf: openapi3.SchemaRefs{{Ref: p.Ref}}}}
		}
	}
	slices.Sort(comp.Value.Required)
}

// jsonFieldsOf are the fields encoding/json writes of a struct, embedded ones flattened;
// a field of the struct itself hides an embedded one of the same name.
func jsonFieldsOf(t reflect.Type) []reflect.StructField {
	var own, embedded []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case f.Tag.Get("json") == "-":
		case f.Anonymous && f.Tag.Get("json") == "" && f.Type.Kind() == reflect.Struct:
			embedded = append(embedded, jsonFieldsOf(f.Type)...)
		case f.IsExported():
			own = append(own, f)
		}
	}
	names := map[string]bool{}
	for _, f := range own {
		names[jsonName(f)] = true
	}
	for _, f := range embedded {
		if !names[jsonName(f)] {
			own = append(own, f)
		}
	}
	return own
}

func jsonName(f reflect.StructField) string {
	if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" {
		return name
	}
	return f.Name
}

// TestOpenAPIIsGenerated holds api/openapi.yaml's answer schemas to the Go types the
// handlers answer with: the file must be what generateAnswers makes of it. After changing
// an answer type, run `go test ./api -run TestOpenAPIIsGenerated -update`.
func TestOpenAPIIsGenerated(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	typed, total, err := generateAnswers(doc)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	// validated as a client would read it: loaded afresh, every $ref resolved
	again, err := openapi3.NewLoader().LoadFromData(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Validate(context.Background()); err != nil {
		t.Fatalf("the generated document is invalid: %v", err)
	}
	t.Logf("%d of %d operations answer a generated schema", typed, total)
	// every write reads its body through a Go request type (one that reads nothing too)
	var untyped []string
	for path, item := range again.Paths.Map() {
		for method := range item.Operations() {
			if _, ok := requestFor(method, path); !ok && method != http.MethodGet && path != "/metrics" {
				untyped = append(untyped, method+" "+path)
			}
		}
	}
	slices.Sort(untyped)
	if len(untyped) > 0 {
		t.Errorf("%d operations have no request type in requestTypes:\n%s", len(untyped), strings.Join(untyped, "\n"))
	}
	if *updateOpenAPI {
		if err := os.WriteFile("openapi.yaml", out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(raw, out) {
		t.Fatal("api/openapi.yaml is not what the answer types make of it: run go test ./api -run TestOpenAPIIsGenerated -update")
	}
}
