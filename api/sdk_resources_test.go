package api

import (
	"net/http"
	"strings"
	"testing"
)

const sdkAddress = `{"type":"SHIPPING","street1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US","is_residential":true}`

func TestSDKCustomers(t *testing.T) {
	h := newFullHarness(t)
	customer := `{"name":"Ada Lovelace","type":"INDIVIDUAL","status":"ACTIVE","email":"ada@example.com","phone":"+1 555 0100",` +
		`"addresses":[` + sdkAddress + `],"contacts":[{"type":"EMAIL","value":"ada@example.com","is_primary":true}],` +
		`"billing_info":{"credit_limit":500,"currency":"USD"},"tags":["vip"],"created_at":"2026-12-03T12:58:56.627Z","updated_at":"2026-12-03T12:58:56.627Z"}`
	runSDK(t, h, []sdkCall{
		{method: "create", verb: "POST", path: "customers", body: customer, status: http.StatusCreated,
			reads: []string{"customer.id", "customer.name=Ada Lovelace", "customer.email=ada@example.com", "customer.addresses[0].city=Springfield",
				"customer.billing_info.credit_limit=500", "customer.tags[0]=vip", "customer.status=ACTIVE"},
			save: map[string]string{"id": "customer.id"}},
		{method: "get", verb: "GET", path: "customers/{id}", status: 200, reads: []string{"customer.id={id}", "customer.name=Ada Lovelace"}},
		{method: "update", verb: "PUT", path: "customers/{id}", body: `{"name":"Ada King","phone":"+1 555 0101"}`, status: 200,
			reads: []string{"customer.name=Ada King", "customer.phone=+1 555 0101"}},
		{method: "list", verb: "GET", path: "customers?status=ACTIVE&limit=10&offset=0&org_id=org_1", status: 200,
			reads: []string{"customers[0].id={id}", "pagination.total=1"}},
		{method: "search", verb: "GET", path: "customers/search?query=king", status: 200, reads: []string{"customers[0].id={id}", "total=1"}},
		{method: "search (no match)", verb: "GET", path: "customers/search?query=nobody", status: 200, reads: []string{"total=0"}},
		{method: "count", verb: "GET", path: "customers/count", status: 200, reads: []string{"count=1"}},
		{method: "addAddress", verb: "POST", path: "customers/{id}/addresses", body: sdkAddress, status: 201, reads: []string{"customer.addresses[1].city=Springfield"}},
		{method: "addContact", verb: "POST", path: "customers/{id}/contacts", body: `{"type":"PHONE","value":"+1 555 0102"}`, status: 200, reads: []string{"customer.id={id}"}},
		{method: "getMetrics", verb: "GET", path: "customers/metrics?org_id=o&from=2026-01-01T00:00:00Z", status: 200, reads: []string{"metrics.total=1", "metrics.by_status.ACTIVE=1"}},
		{method: "bulkCreate", verb: "POST", path: "customers/bulk", body: `{"items":[{"name":"B One","email":"b1@example.com"},{"name":"B Two","email":"not-an-email"}]}`, status: 200,
			reads: []string{"succeeded=1", "failed=1", "results[0].success=true", "results[1].status=400", "results[1].error"}, save: map[string]string{"b1": "results[0].id"}},
		{method: "bulkUpdate", verb: "PUT", path: "customers/bulk", body: `{"updates":[{"id":"{b1}","data":{"phone":"+1 555 0199"}}]}`, status: 200, reads: []string{"succeeded=1", "results[0].data.phone=+1 555 0199"}},
		{method: "bulkDelete", verb: "DELETE", path: "customers/bulk", body: `{"ids":["{b1}"]}`, status: 200, reads: []string{"succeeded=1", "results[0].data.status=ARCHIVED"}},
		{method: "delete", verb: "DELETE", path: "customers/{id}", status: 200, reads: []string{"customer.id={id}", "customer.status=ARCHIVED"}},
		{method: "exists (gone)", verb: "GET", path: "customers/nope", status: 404, reads: []string{"detail"}},
	})
}

// An order's whole life through the SDK: stock, the order and its actions, then a return
// of what was delivered, inspected, restocked and refunded, and a warranty on it.
func TestSDKOrderReturnWarranty(t *testing.T) {
	h := newFlowingHarness(t)
	if r := h.do("POST", "/v1/warehouses", `{"id":"main","code":"MAIN","name":"Main"}`); r.status != http.StatusCreated {
		t.Fatalf("warehouse: %d %s", r.status, r.body)
	}
	order := `{"customer_id":"{cus}","items":[{"product_id":"MUG","quantity":2,"unit_price":12.5,"total_amount":25}],` +
		`"shipping_address":{"first_name":"Ada","last_name":"Lovelace","street_address1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"},` +
		`"payment_details":{"payment_method":"card","status":"paid","amount_paid":25,"currency":"USD"},` +
		`"totals":{"subtotal":25,"shipping_total":0,"tax_total":0,"discount_total":0,"grand_total":25,"currency":"USD"},"notes":["gift"],"priority":"high"}`
	ret := `{"order_id":"{order}","customer_id":"{cus}","items":[{"order_item_id":"{line}","product_id":"MUG","quantity":1,"reason":"defective","condition":"like_new","refund_amount":12.5}],` +
		`"shipping_address":{"name":"Ada","address_line1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}}`
	warranty := `{"customer_id":"{cus}","order_id":"{order}","type":"MANUFACTURER","items":[{"item_id":"MUG","sku":"MUG","description":"mug","purchase_date":"2026-12-01",` +
		`"warranty_start":"2026-12-01","warranty_end":"2027-12-01","condition":"NEW"}],"coverage":{"duration_months":12,"terms":"parts"},"status_history":[]}`
	runSDK(t, h, []sdkCall{
		{method: "customers.create", verb: "POST", path: "customers", body: `{"name":"Ada Lovelace","email":"ada@example.com","addresses":[` + sdkAddress + `]}`,
			status: 201, save: map[string]string{"cus": "customer.id"}},
		{method: "inventory.create", verb: "POST", path: "inventory", body: `{"item_id":"MUG","quantity":10,"location":{"id":"main","name":"Main","type":"warehouse"},"status":"in_stock","unit_cost":4.25}`,
			status: 201, reads: []string{"item_id=MUG", "quantity=10", "location.id=main", "status=in_stock", "unit_cost=4.25"}, save: map[string]string{"inv": "id"}},
		{method: "inventory.get", verb: "GET", path: "inventory/{inv}", status: 200, reads: []string{"item_id=MUG"}},
		{method: "inventory.create (a second item)", verb: "POST", path: "inventory", body: `{"item_id":"SAUCER","quantity":3,"location":{"id":"main"}}`, status: 201, reads: []string{"item_id=SAUCER"}},
		{method: "inventory.list", verb: "GET", path: "inventory?item_id=MUG&limit=10&offset=0", status: 200, reads: []string{"inventory[0].item_id=MUG", "total=1"}},
		{method: "inventory.adjustQuantity", verb: "POST", path: "inventory/{inv}/adjust", body: `{"type":"receipt","quantity":5,"reason":"restock"}`, status: 200, reads: []string{"quantity=15"}},
		{method: "inventory.getHistory", verb: "GET", path: "inventory/{inv}/history", status: 200, reads: []string{"history[0]"}},
		{method: "inventory.getInventoryValue", verb: "GET", path: "inventory/value", status: 200, reads: []string{"total_value=63.75"}},
		{method: "orders.create", verb: "POST", path: "orders", body: order, status: 201,
			reads: []string{"id", "object=order", "status=PENDING", "items[0].product_id=MUG", "items[0].unit_price=12.5", "totals.grand_total=25", "shipping_address.first_name=Ada", "priority=high"},
			save:  map[string]string{"order": "id", "line": "items[0].id"}},
		{method: "orders.get", verb: "GET", path: "orders/{order}", status: 200, reads: []string{"id={order}", "payment_details.payment_method=card"}},
		{method: "orderItems.list", verb: "GET", path: "order_line_items?order_id={order}", status: 200, reads: []string{"order_lines[0].id={order}~{line}", "order_lines[0].order_id={order}", "pagination.total=1"}},
		{method: "orderItems.get", verb: "GET", path: "order_line_items/{order}~{line}", status: 200, reads: []string{"order_line.item.product_id=MUG", "order_line.pricing.total=25"}},
		{method: "orderItems.create", verb: "POST", path: "order_line_items", body: `{"order_id":"{order}","type":"PRODUCT","status":"PENDING","item":{"product_id":"SAUCER","sku":"SAUCER","name":"Saucer","quantity":1,"unit_price":3,"currency":"USD"},"pricing":{"subtotal":3,"total":3}}`,
			status: 201, reads: []string{"order_line.id", "order_line.order_id={order}", "order_line.item.quantity=1"}, save: map[string]string{"line2": "order_line.id"}},
		{method: "orderItems.update", verb: "PUT", path: "order_line_items/{line2}", body: `{"item":{"quantity":3}}`, status: 200, reads: []string{"order_line.item.quantity=3"}},
		{method: "orderItems.delete", verb: "DELETE", path: "order_line_items/{line2}", status: 200, reads: []string{"order_line.id={line2}"}},
		{method: "orderItems.updateStatus", verb: "POST", path: "order_line_items/{order}~{line}/status", body: `{"status":"SHIPPED","reason":"x"}`, status: 501, reads: []string{"detail"}},
		{method: "orderItems.getMetrics", verb: "GET", path: "order_line_items/metrics?order_id={order}", status: 200, reads: []string{"metrics.lines=1"}},
		{method: "orders.list", verb: "GET", path: "orders?customer_id={cus}&limit=10&offset=0", status: 200, reads: []string{"orders[0].id={order}", "total=1"}},
		{method: "orders.search", verb: "GET", path: "orders/search?query=MUG", status: 200, reads: []string{"orders[0].id={order}"}},
		{method: "orders.addNote", verb: "POST", path: "orders/{order}/notes", body: `{"note":"call first"}`, status: 200, reads: []string{"id={order}"}},
		{method: "orders.listNotes", verb: "GET", path: "orders/{order}/notes", status: 200, reads: []string{"notes[0].note=call first"}},
		{method: "orders.updateShippingAddress", verb: "PUT", path: "orders/{order}/shipping-address", body: `{"street_address1":"2 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"}`,
			status: 200, reads: []string{"id={order}"}},
		{method: "orders.confirm", verb: "POST", path: "orders/{order}/confirm", status: 200, reads: []string{"status=CONFIRMED"}},
		{method: "orders.process", verb: "POST", path: "orders/{order}/process", status: 200, reads: []string{"status=PROCESSING"}},
		{method: "orders.ship", verb: "POST", path: "orders/{order}/ship", body: `{"carrier":"UPS","method":"ground","tracking_number":"1Z1","shipping_cost":5}`, status: 200, reads: []string{"status=SHIPPED"}},
		{method: "orders.deliver", verb: "POST", path: "orders/{order}/deliver", status: 200, reads: []string{"status=DELIVERED"}},
		{method: "orders.getTracking", verb: "GET", path: "orders/{order}/tracking", status: 200,
			reads: []string{"status=DELIVERED", "carrier=UPS", "tracking_number=1Z1", "events[0].status=SHIPPED", "events[1].status=DELIVERED"}},
		{method: "orders.getMetrics", verb: "GET", path: "orders/metrics?start_date=2026-01-01&org_id=o", status: 200, reads: []string{"total=1", "metrics.by_status.DELIVERED=1"}},
		{method: "returns.create", verb: "POST", path: "returns", body: ret, status: 201,
			reads: []string{"return.id", "return.status=REQUESTED", "return.items[0].reason=defective", "return.items[0].condition=like_new"}, save: map[string]string{"ret": "return.id"}},
		{method: "returns.update", verb: "PUT", path: "returns/{ret}", body: `{"notes":["Customer reports fault"]}`, status: 200, reads: []string{"return.notes=Customer reports fault"}},
		{method: "returns.addNote", verb: "POST", path: "returns/{ret}/notes", body: `{"note":"Photos received"}`, status: 200,
			reads: []string{"return.notes=Customer reports fault\nPhotos received", "return.status=REQUESTED"}},
		{method: "returns.canTransitionTo", verb: "GET", path: "returns/{ret}/can-transition?target=APPROVED", status: 200, reads: []string{"can_transition=true", "from=REQUESTED"}},
		{method: "returns.canTransitionTo (not from here)", verb: "GET", path: "returns/{ret}/can-transition?target=COMPLETED", status: 200, reads: []string{"can_transition=false"}},
		{method: "returns.get", verb: "GET", path: "returns/{ret}", status: 200, reads: []string{"return.order_id={order}"}},
		{method: "returns.list", verb: "GET", path: "returns?order_id={order}&sort_by=created_at&sort_order=desc", status: 200, reads: []string{"returns[0].id={ret}", "total_count=1", "limit", "offset=0"}},
		{method: "returnItems.list", verb: "GET", path: "return_line_items?return_id={ret}", status: 200, reads: []string{"return_lines[0].return_id={ret}", "return_lines[0].reason=DEFECTIVE"}},
		{method: "returnItems.create", verb: "POST", path: "return_line_items", body: `{"return_id":"{ret}","order_id":"{order}","item":{"product_id":"MUG","quantity":1},"reason":"DEFECTIVE"}`, status: 501, reads: []string{"detail"}},
		{method: "returns.approve", verb: "POST", path: "returns/{ret}/approve", body: `{"notes":"ok"}`, status: 200, reads: []string{"return.status=APPROVED"}},
		{method: "returns.markReceived", verb: "POST", path: "returns/{ret}/receive", body: `{"received_by":"sam","condition_notes":"box dented"}`, status: 200, reads: []string{"return.status=RECEIVED"}},
		{method: "returns.submitInspection", verb: "POST", path: "returns/{ret}/inspect",
			body:   `{"inspector_id":"sam","inspection_date":"2026-12-04T10:00:00Z","condition":"like_new","resellable":true,"recommended_action":"restock"}`,
			status: 200, reads: []string{"return.status=INSPECTING", "return.native_status=INSPECTED"}},
		{method: "inventory.get (restocked)", verb: "GET", path: "inventory/{inv}", status: 200, reads: []string{"quantity=14"}},
		{method: "returns.processRefund", verb: "POST", path: "returns/{ret}/refund", body: `{"method":"original_payment","amount":12.5}`, status: 200,
			reads: []string{"return.status=COMPLETED", "return.refund_amount=12.5"}},
		{method: "returns.getHistory", verb: "GET", path: "returns/{ret}/history", status: 200, reads: []string{"history[0]"}},
		{method: "returns.getMetrics", verb: "GET", path: "returns/metrics?start_date=2026-01-01&include_monthly_trends=true", status: 200, reads: []string{"metrics.total=1"}},
		{method: "returns.close", verb: "POST", path: "returns/{ret}/close", body: `{}`, status: 200, reads: []string{"return.status=CLOSED"}},
		{method: "orders.processReturn (the rest of what was delivered)", verb: "POST", path: "orders/{order}/return", body: `{"rma_number":"RMA-1","reason":"defective","condition":"used"}`,
			status: 201, reads: []string{"id={order}", "return_id", "return.items[0].quantity=1", "return.items[0].reason=defective", "return.notes=RMA RMA-1"}},
		{method: "returns.generateShippingLabel", verb: "POST", path: "returns/{ret}/generate-label", body: `{}`, status: 501, reads: []string{"detail", "error.code=NOT_IMPLEMENTED"}},
		{method: "warranties.create", verb: "POST", path: "warranties", body: warranty, status: 201,
			reads: []string{"warranty.id", "warranty.status=PENDING", "warranty.items[0].sku=MUG", "warranty.coverage.duration_months=12"}, save: map[string]string{"war": "warranty.id"}},
		{method: "warranties.get", verb: "GET", path: "warranties/{war}", status: 200, reads: []string{"warranty.id={war}"}},
		{method: "warranties.list", verb: "GET", path: "warranties?customer_id={cus}", status: 200, reads: []string{"warranties[0].id={war}", "pagination.total=1"}},
		{method: "warranties.approve", verb: "POST", path: "warranties/approve/{war}", body: `{"reason":"valid"}`, status: 200, reads: []string{"warranty.status=APPROVED"}},
		{method: "warranties.addClaim", verb: "POST", path: "warranties/{war}/claims", body: `{"reported_at":"2026-12-04T10:00:00Z","issue_description":"cracked","photos":["https://x/1.jpg"]}`,
			status: 201, reads: []string{"warranty.claims[0].issue_description=cracked"}},
		{method: "warrantyItems.list", verb: "GET", path: "warranty_line_items?warranty_id={war}", status: 200, reads: []string{"warranty_lines[0].claim_description=cracked"}},
		{method: "warrantyItems.create", verb: "POST", path: "warranty_line_items", body: `{"warranty_id":"{war}","type":"REPAIR","status":"PENDING","item":{"product_id":"MUG","quantity":1},"claim_description":"handle loose"}`,
			status: 201, reads: []string{"warranty_line.claim_description=handle loose", "warranty_line.warranty_id={war}"}, save: map[string]string{"wline": "warranty_line.id"}},
		{method: "warrantyItems.get", verb: "GET", path: "warranty_line_items/{wline}", status: 200, reads: []string{"warranty_line.id={wline}"}},
		{method: "warrantyItems.update", verb: "PUT", path: "warranty_line_items/{wline}", body: `{"type":"REFUND","claim_description":"handle off"}`,
			status: 200, reads: []string{"warranty_line.id={wline}", "warranty_line.type=REFUND", "warranty_line.claim_description=handle off", "warranty_line.status=PENDING"}},
		{method: "warrantyItems.updateStatus", verb: "POST", path: "warranty_line_items/{wline}/status", body: `{"status":"APPROVED"}`,
			status: 200, reads: []string{"warranty_line.status=APPROVED", "warranty_line.resolution.type=REFUND"}},
		{method: "warrantyItems.updateStatus", verb: "POST", path: "warranty_line_items/{wline}/status", body: `{"status":"COMPLETED"}`,
			status: 400, reads: []string{"detail"}},
		{method: "warrantyItems.create", verb: "POST", path: "warranty_line_items", body: `{"warranty_id":"{war}","type":"SERVICE","status":"PENDING","item":{"product_id":"MUG","quantity":1},"claim_description":"lid"}`,
			status: 201, reads: []string{"warranty_line.type=REPAIR"}, save: map[string]string{"wline2": "warranty_line.id"}},
		{method: "warrantyItems.delete", verb: "DELETE", path: "warranty_line_items/{wline2}", status: 200},
		{method: "warrantyItems.get", verb: "GET", path: "warranty_line_items/{wline2}", status: 200, reads: []string{"warranty_line.status=CANCELLED"}},
		{method: "warranties.getMetrics", verb: "GET", path: "warranties/metrics?org_id=o", status: 200, reads: []string{"metrics.by_status.APPROVED=1"}},
		{method: "warranties.close", verb: "POST", path: "warranties/close/{war}", status: 200, reads: []string{"warranty.status=CLOSED"}},
		{method: "warranties.reopen", verb: "POST", path: "warranties/reopen/{war}", body: `{"reason":"again"}`, status: 200, reads: []string{"warranty.status=REOPENED"}},
		{method: "warranties.update", verb: "PUT", path: "warranties/{war}", body: `{"metadata":{"channel":"web"},"coverage":{"terms":"parts and labour"},"items":[{"serial_number":"SN-9"}]}`,
			status: 200, reads: []string{"warranty.metadata.channel=web", "warranty.coverage.terms=parts and labour", "warranty.items[0].serial_number=SN-9", "warranty.status=REOPENED"}},
	})
}

// Supply: a supplier, its purchase order through receipt, an ASN for it, warehouses,
// cycle counts, picks and shipments of an order, bills of materials and work orders.
func TestSDKSupplyAndWarehouse(t *testing.T) {
	h := newFlowingHarness(t)
	supplier := `{"name":"Acme","type":"MANUFACTURER","status":"ACTIVE","supplier_code":"ACME","email":"po@acme.example","addresses":[` + sdkAddress + `],` +
		`"payment_terms":{"terms":"NET30","credit_limit":1000,"currency":"USD"},"categories":["mugs"]}`
	warehouse := `{"id":"main","name":"Main","code":"MAIN","location":{"address":{"street":"1 Dock Rd","city":"Springfield","state":"IL","postal_code":"62701","country":"US"},"timezone":"UTC","business_hours":[]},` +
		`"status":"ACTIVE","total_capacity":{"value":1000,"unit":"pallets"},"zones":[{"id":"A1","name":"A1","type":"storage"}],"equipment":[],"staff":[]}`
	runSDK(t, h, []sdkCall{
		{method: "warehouses.create", verb: "POST", path: "warehouses", body: warehouse, status: 201,
			reads: []string{"warehouse.id=main", "warehouse.location.address.city=Springfield", "warehouse.zones[0].id=A1"}},
		{method: "inventory.create", verb: "POST", path: "inventory", body: `{"item_id":"MUG","quantity":0,"location":{"id":"main","name":"Main","type":"warehouse"},"status":"out_of_stock"}`,
			status: 201, reads: []string{"status=out_of_stock"}},
		{method: "warehouses.get", verb: "GET", path: "warehouses/main", status: 200, reads: []string{"warehouse.name=Main"}},
		{method: "warehouses.list", verb: "GET", path: "warehouses?status=ACTIVE", status: 200, reads: []string{"warehouses[0].id=main"}},
		{method: "warehouses.addZone", verb: "POST", path: "warehouses/main/zones", body: `{"id":"B1","name":"B1","type":"picking"}`, status: 200, reads: []string{"warehouse.zones[1].id=B1"}},
		{method: "warehouses.updateEquipmentStatus", verb: "PUT", path: "warehouses/main/equipment/forklift/status", body: `{"status":"available"}`, status: 501, reads: []string{"detail"}},
		{method: "suppliers.create", verb: "POST", path: "suppliers", body: supplier, status: 201,
			reads: []string{"supplier.id", "supplier.payment_terms.terms=NET30", "supplier.supplier_code=ACME"}, save: map[string]string{"sup": "supplier.id"}},
		{method: "suppliers.get", verb: "GET", path: "suppliers/{sup}", status: 200, reads: []string{"supplier.name=Acme"}},
		{method: "suppliers.list", verb: "GET", path: "suppliers?status=ACTIVE&category=mugs", status: 200, reads: []string{"suppliers[0].id={sup}", "pagination.total=1"}},
		{method: "suppliers.updatePaymentTerms", verb: "PUT", path: "suppliers/{sup}/payment-terms", body: `{"terms":"NET45"}`, status: 200, reads: []string{"supplier.payment_terms.terms=NET45"}},
		{method: "suppliers.getPerformanceMetrics", verb: "GET", path: "suppliers/{sup}/performance", status: 200, reads: []string{"performance.supplier_id={sup}"}},
		{method: "suppliers.listProducts", verb: "GET", path: "suppliers/{sup}/products", status: 200, reads: []string{"products", "pagination"}},
		{method: "suppliers.addContact", verb: "POST", path: "suppliers/{sup}/contacts", body: `{"type":"EMAIL","value":"rep@acme.example","name":"Rep"}`, status: 200, reads: []string{"supplier.id={sup}"}},
		{method: "purchaseorders.create", verb: "POST", path: "purchaseorders", body: `{"supplier_id":"{sup}","expected_delivery_date":"2026-12-20","items":[{"item_id":"MUG","quantity":10,"unit_price":4.25}]}`,
			status: 201, reads: []string{"update_purchaseorders_by_pk.id", "update_purchaseorders_by_pk.status=DRAFT"}, save: map[string]string{"po": "update_purchaseorders_by_pk.id"}},
		{method: "purchaseorders.get", verb: "GET", path: "purchaseorders/{po}", status: 200, reads: []string{"update_purchaseorders_by_pk.items[0].unit_price=4.25"}},
		{method: "inventory.create (BOX)", verb: "POST", path: "inventory", body: `{"item_id":"BOX","quantity":0,"location":{"id":"main"}}`, status: 201},
		{method: "purchaseorders.update", verb: "PUT", path: "purchaseorders/{po}", body: `{"expected_delivery_date":"2026-12-22T10:00:00.000Z","notes":"dock 3"}`, status: 200,
			reads: []string{"update_purchaseorders_by_pk.expected_delivery_date=2026-12-22", "update_purchaseorders_by_pk.notes=dock 3"}},
		{method: "purchaseorders.addItem", verb: "POST", path: "purchaseorders/{po}/items", body: `{"item_id":"BOX","quantity":5,"unit_price":1}`, status: 200,
			reads: []string{"update_purchaseorders_by_pk.items[1].item_id=BOX", "update_purchaseorders_by_pk.items[1].quantity=5", "update_purchaseorders_by_pk.total=47.5"}},
		{method: "purchaseorderItems.create (a SKU the order has)", verb: "POST", path: "purchase_order_line_items", body: `{"purchase_order_id":"{po}","item_id":"BOX","quantity":5,"unit_price":1}`,
			status: 201, reads: []string{"item_id=BOX", "quantity=10"}, save: map[string]string{"boxline": "id"}},
		{method: "purchaseorderItems.update", verb: "PUT", path: "purchase_order_line_items/{boxline}", body: `{"quantity":12,"unit_price":1.5}`, status: 200,
			reads: []string{"quantity=12", "unit_price=1.5", "total_amount=18"}},
		{method: "purchaseorderItems.bulkCreate (a SKU not stocked here)", verb: "POST", path: "purchase_orders/{po}/line_items/bulk", body: `{"line_items":[{"item_id":"NOPE","quantity":1,"unit_price":1}]}`,
			status: 400, reads: []string{"detail"}},
		{method: "purchaseorderItems.delete", verb: "DELETE", path: "purchase_order_line_items/{boxline}", status: 200, reads: []string{"item_id=BOX"}},
		{method: "purchaseorderItems.bulkCreate", verb: "POST", path: "purchase_orders/{po}/line_items/bulk", body: `{"line_items":[{"item_id":"BOX","quantity":2,"unit_price":1}]}`,
			status: 201, reads: []string{"[0].item_id=BOX", "[0].quantity=2"}},
		{method: "purchaseorders.removeItem", verb: "DELETE", path: "purchaseorders/{po}/items/BOX", status: 200, reads: []string{"update_purchaseorders_by_pk.items[0].item_id=MUG"}},
		{method: "purchaseorders.removeItem (none)", verb: "DELETE", path: "purchaseorders/{po}/items/BOX", status: 404, reads: []string{"detail"}},
		{method: "purchaseorders.list", verb: "GET", path: "purchaseorders", status: 200, reads: []string{"[0].id={po}"}},
		{method: "purchaseorders.submit", verb: "POST", path: "purchaseorders/{po}/submit", status: 200, reads: []string{"update_purchaseorders_by_pk.status=SUBMITTED"}},
		{method: "purchaseorders.approve", verb: "POST", path: "purchaseorders/{po}/approve", status: 200, reads: []string{"update_purchaseorders_by_pk.status=APPROVED"},
			save: map[string]string{"poline": "update_purchaseorders_by_pk.items[0].line_id"}},
		{method: "asns.create", verb: "POST", path: "asns", body: `{"purchase_order_id":"{po}","carrier":"UPS","tracking_number":"1Z9","expected_delivery_date":"2026-12-18T00:00:00Z",` +
			`"ship_from_address":{"street":"1 Acme Way","city":"Acme","state":"CA","postal_code":"90001","country":"US"},"items":[{"purchase_order_item_id":"{poline}","quantity_shipped":10}]}`,
			status: 201, reads: []string{"id", "status=DRAFT", "items[0].quantity_shipped=10"}, save: map[string]string{"asn": "id"}},
		{method: "asns.get", verb: "GET", path: "asns/{asn}", status: 200, reads: []string{"id={asn}", "status"}},
		{method: "asns.update", verb: "PUT", path: "asns/{asn}", body: `{"tracking_number":"1Z10","expected_delivery_date":"2026-12-19"}`, status: 200,
			reads: []string{"tracking_number=1Z10", "expected_delivery_date=2026-12-19"}},
		{method: "asns.updateShippingInfo", verb: "PUT", path: "asns/{asn}/shipping-info", body: `{"carrier":"FEDEX"}`, status: 200, reads: []string{"carrier=FEDEX", "tracking_number=1Z10"}},
		{method: "asnItems.update", verb: "PUT", path: "asn_line_items/{asn}~MUG", body: `{"quantity_shipped":6}`, status: 200, reads: []string{"quantity_shipped=6"}},
		{method: "asns.addItem", verb: "POST", path: "asns/{asn}/items", body: `{"purchase_order_item_id":"{poline}","quantity_shipped":2}`, status: 200,
			reads: []string{"items[0].quantity_shipped=8"}},
		{method: "asns.addItem (more than is open)", verb: "POST", path: "asns/{asn}/items", body: `{"purchase_order_item_id":"{poline}","quantity_shipped":5}`, status: 400, reads: []string{"detail"}},
		{method: "asns.removeItem (its only item)", verb: "DELETE", path: "asns/{asn}/items/{poline}", status: 400, reads: []string{"detail"}},
		{method: "asns.removeItem (none)", verb: "DELETE", path: "asns/{asn}/items/99", status: 404, reads: []string{"detail"}},
		{method: "asnItems.create (adds to its line)", verb: "POST", path: "asn_line_items", body: `{"asn_id":"{asn}","purchase_order_line_item_id":"{poline}","quantity_shipped":2,"status":"PENDING"}`,
			status: 201, reads: []string{"id={asn}~MUG", "quantity_shipped=10"}},
		{method: "asnItems.bulkCreate (more than is open)", verb: "POST", path: "asns/{asn}/line_items/bulk", body: `{"line_items":[{"purchase_order_line_item_id":"{poline}","quantity_shipped":1}]}`,
			status: 400, reads: []string{"detail"}},
		{method: "asns.submit", verb: "POST", path: "asns/{asn}/submit", status: 200, reads: []string{"status=SUBMITTED"}},
		{method: "asnItems.create (once submitted)", verb: "POST", path: "asn_line_items", body: `{"asn_id":"{asn}","purchase_order_line_item_id":"{poline}","quantity_shipped":1}`,
			status: 409, reads: []string{"detail"}},
		{method: "asnItems.updateTrackingInfo", verb: "PUT", path: "asn_line_items/{asn}~MUG/tracking", body: `{"tracking_number":"1Z9"}`, status: 200, reads: []string{"tracking_number=1Z9"}},
		{method: "asns.markInTransit", verb: "POST", path: "asns/{asn}/in-transit", body: `{}`, status: 200, reads: []string{"status=IN_TRANSIT"}},
		{method: "asns.getTracking", verb: "GET", path: "asns/{asn}/tracking", status: 200, reads: []string{"id={asn}", "tracking_number=1Z9"}},
		{method: "asnItems.getTrackingHistory", verb: "GET", path: "asn_line_items/{asn}~MUG/tracking-history", status: 200,
			reads: []string{"history[0].status=PENDING", "history[2].status=IN_TRANSIT", "history[2].tracking_number=1Z9"}},
		{method: "purchaseorderItems.list", verb: "GET", path: "purchase_orders/{po}/line_items", status: 200, reads: []string{"line_items[0].item_id=MUG", "total=1"}},
		{method: "purchaseorderItems.get", verb: "GET", path: "purchase_order_line_items/{po}~{poline}", status: 200, reads: []string{"quantity=10", "purchase_order_id={po}"}},
		{method: "asnItems.list", verb: "GET", path: "asns/{asn}/line_items?asn_id={asn}", status: 200, reads: []string{"line_items[0].quantity_shipped=10"}},
		{method: "purchaseorderItems.updateQuantityReceived", verb: "PUT", path: "purchase_order_line_items/{po}~{poline}/receive", body: `{"quantity_received":4}`, status: 200, reads: []string{"quantity_received=4"}},
		{method: "purchaseorders.receive", verb: "POST", path: "purchaseorders/{po}/receive", body: `{"received_items":[{"item_id":"MUG","quantity_received":6}]}`, status: 200,
			reads: []string{"update_purchaseorders_by_pk.status=RECEIVED"}},
		{method: "purchaseorders.addItem", verb: "POST", path: "purchaseorders/{po}/items", body: `{"item_id":"CUP","quantity":1,"unit_price":1}`, status: 409, reads: []string{"detail", "error.code=INVALID_TRANSITION"}},
		{method: "cycleCounts.create", verb: "POST", path: "cycle-counts", body: `{"location":"main","scheduled_date":"2026-12-05","items":[{"item_id":"MUG","expected_quantity":10}]}`,
			status: 201, reads: []string{"update_cycle_counts_by_pk.id", "update_cycle_counts_by_pk.status=PENDING"}, save: map[string]string{"cc": "update_cycle_counts_by_pk.id"}},
		{method: "cycleCounts.list", verb: "GET", path: "cycle-counts", status: 200, reads: []string{"[0].id={cc}"}},
		{method: "cycleCounts.start", verb: "POST", path: "cycle-counts/{cc}/start", status: 200, reads: []string{"update_cycle_counts_by_pk.status=IN_PROGRESS"}},
		{method: "cycleCounts.complete", verb: "POST", path: "cycle-counts/{cc}/complete", body: `{"counted_items":[{"item_id":"MUG","actual_quantity":9}]}`, status: 200,
			reads: []string{"update_cycle_counts_by_pk.status=COMPLETED"}},
		{method: "cycleCounts.getDiscrepancies", verb: "GET", path: "cycle-counts/{cc}/discrepancies", status: 200, reads: []string{"discrepancies"}},
		{method: "cycleCounts.reconcile", verb: "POST", path: "cycle-counts/{cc}/reconcile", status: 200, reads: []string{"update_cycle_counts_by_pk.status=RECONCILED"}},
		{method: "billofmaterials.create", verb: "POST", path: "billofmaterials", body: `{"name":"Mug set","product_id":"SET","components":[{"id":"c1","item_id":"MUG","quantity":2,"type":"finished_good"}],"metadata":{"version":"1"}}`,
			status: 201, reads: []string{"id", "status=DRAFT", "components[0].item_id=MUG"}, save: map[string]string{"bom": "id"}},
		{method: "billofmaterials.addComponent", verb: "POST", path: "billofmaterials/{bom}/add-component", body: `{"item_id":"BOX","quantity":1,"type":"packaging"}`, status: 200,
			reads: []string{"components[1].item_id=BOX"}},
		{method: "billofmaterials.removeComponent", verb: "DELETE", path: "billofmaterials/{bom}/components/BOX", status: 200, reads: []string{"components[0].item_id=MUG"}},
		{method: "billofmaterials.setActive", verb: "POST", path: "billofmaterials/{bom}/set-active", status: 200, reads: []string{"status=ACTIVE"}},
		{method: "billofmaterials.validateBOM", verb: "GET", path: "billofmaterials/{bom}/validate", status: 200, reads: []string{"valid=true", "materials[0].sku=MUG"}},
		{method: "billofmaterials.export (json)", verb: "GET", path: "billofmaterials/{bom}/export?format=json", status: 200, reads: []string{"[0].id={bom}", "[0].components[0].item_id=MUG"}},
		{method: "billofmaterials.export (pdf)", verb: "GET", path: "billofmaterials/{bom}/export?format=pdf", status: 501, reads: []string{"detail"}},
		{method: "billofmaterials.list", verb: "GET", path: "billofmaterials?product_id=SET", status: 200, reads: []string{"boms[0].id={bom}", "total=1"}},
		{method: "billofmaterials.calculateTotalCost", verb: "GET", path: "billofmaterials/{bom}/cost-analysis", status: 200, reads: []string{"object"}},
		{method: "workorders.create", verb: "POST", path: "workorders", body: `{"type":"INSTALLATION","description":"assemble sets","priority":"MEDIUM","asset_id":"{bom}",` +
			`"location":{"facility_id":"main","area":"A1"},"tasks":[{"id":"t1","sequence":1,"description":"pack","duration":{"estimated":1},"resources":[],"status":"PENDING","details":{}}],"metadata":{"quantity":2}}`,
			status: 201, reads: []string{"workorder.id", "workorder.status=DRAFT", "workorder.asset_id={bom}", "workorder.priority=MEDIUM"}, save: map[string]string{"wo": "workorder.id"}},
		{method: "workorders.list", verb: "GET", path: "workorders?asset_id={bom}", status: 200, reads: []string{"workorders[0].id={wo}"}},
		{method: "workorderItems.list", verb: "GET", path: "work_order_line_items?work_order_id={wo}", status: 200, reads: []string{"work_order_lines[0].item.item_id=MUG", "work_order_lines[0].item.quantity=4"}},
		{method: "workorders.update", verb: "PUT", path: "workorders/{wo}", body: `{"priority":"CRITICAL","due_date":"2026-12-24T00:00:00.000Z"}`, status: 200,
			reads: []string{"workorder.priority=CRITICAL", "workorder.due_date=2026-12-24"}},
		{method: "workorders.assignWorker", verb: "POST", path: "workorders/{wo}/assign", body: `{"worker_id":"tina"}`, status: 200, reads: []string{"workorder.assigned_to=tina"}},
		{method: "workorders.addNote", verb: "POST", path: "workorders/{wo}/notes", body: `{"note":"belt staged"}`, status: 200, reads: []string{"workorder.notes=belt staged"}},
		{method: "workorders.addNote (another)", verb: "POST", path: "workorders/{wo}/notes", body: `{"note":"LOTO done"}`, status: 200, reads: []string{"workorder.notes=belt staged\nLOTO done"}},
		{method: "workorders.start", verb: "POST", path: "workorders/{wo}/start", status: 200, reads: []string{"workorder.status=IN_PROGRESS"}},
		{method: "workorders.hold", verb: "POST", path: "workorders/{wo}/hold", body: `{"reason":"parts"}`, status: 200, reads: []string{"workorder.status=ON_HOLD"}},
		{method: "workorders.resume", verb: "POST", path: "workorders/{wo}/resume", status: 200, reads: []string{"workorder.status=IN_PROGRESS"}},
		{method: "workorders.complete", verb: "POST", path: "workorders/{wo}/complete", body: `{}`, status: 200, reads: []string{"workorder.status=COMPLETED"}},
		{method: "workorders.getMetrics", verb: "GET", path: "workorders/metrics?group_by=DAY", status: 200, reads: []string{"metrics.by_status.COMPLETED=1"}},
		{method: "billofmaterials.startRevision", verb: "POST", path: "billofmaterials/{bom}/start-revision", body: `{"revision_notes":"thicker box"}`, status: 201,
			reads: []string{"status=DRAFT", "revision=2", "product_id=SET", "components[0].item_id=MUG"}, save: map[string]string{"rev": "id"}},
		{method: "billofmaterials.startRevision (retried)", verb: "POST", path: "billofmaterials/{bom}/start-revision", body: `{}`, status: 200,
			reads: []string{"id={rev}", "status=DRAFT"}},
		{method: "billofmaterials.completeRevision", verb: "POST", path: "billofmaterials/{rev}/complete-revision", status: 200, reads: []string{"id={rev}", "status=ACTIVE"}},
		{method: "billofmaterials.get (the revision replaced)", verb: "GET", path: "billofmaterials/{bom}", status: 200, reads: []string{"status=OBSOLETE"}},
	})
}

func TestSDKCRM(t *testing.T) {
	h := newFullHarness(t)
	runSDK(t, h, []sdkCall{
		{method: "customers.create", verb: "POST", path: "customers", body: `{"name":"Ada Lovelace","email":"ada@example.com","addresses":[` + sdkAddress + `]}`,
			status: 201, save: map[string]string{"cus": "customer.id"}},
		{method: "leads.create", verb: "POST", path: "leads", body: `{"first_name":"Grace","last_name":"Hopper","email":"grace@example.com","company":"Navy","source":"web"}`,
			status: 201, reads: []string{"id", "status=NEW", "company=Navy"}, save: map[string]string{"lead": "id"}},
		{method: "leads.get", verb: "GET", path: "leads/{lead}", status: 200, reads: []string{"first_name=Grace", "lead_source=web"}},
		{method: "leads.list", verb: "GET", path: "leads?limit=10", status: 200, reads: []string{"data[0].id={lead}", "has_more=false"}},
		{method: "leads.count", verb: "GET", path: "leads/count", status: 200, reads: []string{"count=1"}},
		{method: "leads.update", verb: "PUT", path: "leads/{lead}", body: `{"company":"USN","title":"Rear Admiral","status":"CONTACTED"}`, status: 200,
			reads: []string{"company=USN", "title=Rear Admiral", "status=CONTACTED", "first_name=Grace"}},
		{method: "leads.update (a bad email)", verb: "PUT", path: "leads/{lead}", body: `{"email":"not an email"}`, status: 400, reads: []string{"detail"}},
		{method: "leads.update (status only, already there)", verb: "PUT", path: "leads/{lead}", body: `{"status":"CONTACTED"}`, status: 200, reads: []string{"status=CONTACTED"}},
		{method: "leads.delete", verb: "DELETE", path: "leads/{lead}", status: 200, reads: []string{"status=DISQUALIFIED"}},
		{method: "contacts.create", verb: "POST", path: "contacts", body: `{"entity_id":"{cus}","type":"CUSTOMER","status":"ACTIVE","first_name":"Ada","last_name":"L","email":"a@example.com","notes":["met at expo"]}`,
			status: 201, reads: []string{"contact.id", "contact.entity_id={cus}", "contact.type=CUSTOMER", "contact.first_name=Ada"}, save: map[string]string{"con": "contact.id"}},
		{method: "contacts.list", verb: "GET", path: "contacts?entity_id={cus}", status: 200, reads: []string{"contacts[0].id={con}"}},
		{method: "contacts.update", verb: "PUT", path: "contacts/{con}", body: `{"job_title":"Head of purchasing","phone":"+1 555 0103"}`, status: 200,
			reads: []string{"contact.job_title=Head of purchasing", "contact.phone=+1 555 0103", "contact.first_name=Ada"}},
		{method: "contacts.setPrimary", verb: "POST", path: "contacts/{con}/set_primary", body: `{}`, status: 501, reads: []string{"error.code=NOT_IMPLEMENTED"}},
		{method: "contacts.delete", verb: "DELETE", path: "contacts/{con}", status: 200, reads: []string{"contact.status=INACTIVE", "contact.native_status=ARCHIVED"}},
		{method: "opportunities.create", verb: "POST", path: "opportunities", body: `{"lead_id":"{lead}","customer_id":"{cus}","status":"PROSPECTING","stage":"OPPORTUNITY","amount":1500.5,"currency":"USD",` +
			`"expected_close_date":"2027-01-31T00:00:00.000Z","assigned_to":"sam","description":"Big deal","probability":40}`,
			status: 201, reads: []string{"opportunity.id", "opportunity.amount=1500.5", "opportunity.name=Big deal"}, save: map[string]string{"opp": "opportunity.id"}},
		{method: "opportunities.qualify", verb: "POST", path: "opportunities/{opp}/qualify", body: `{}`, status: 200, reads: []string{"opportunity.status=QUALIFIED"}},
		{method: "opportunities.update", verb: "PUT", path: "opportunities/{opp}", body: `{"status":"PROPOSAL_SENT","probability":60,"amount":1750}`, status: 200,
			reads: []string{"opportunity.status=PROPOSAL_SENT", "opportunity.probability=60", "opportunity.amount=1750"}},
		{method: "opportunities.update (probability over 100)", verb: "PUT", path: "opportunities/{opp}", body: `{"probability":120}`, status: 400, reads: []string{"detail"}},
		{method: "opportunities.convertToCustomer (another customer)", verb: "POST", path: "opportunities/{opp}/convert", body: `{"customer_id":"someone_else"}`, status: 400, reads: []string{"detail"}},
		{method: "opportunities.convertToCustomer", verb: "POST", path: "opportunities/{opp}/convert", body: `{"customer_id":"{cus}"}`, status: 200, reads: []string{"opportunity.status=WON"}},
		{method: "opportunities.create (another)", verb: "POST", path: "opportunities", body: `{"customer_id":"{cus}","amount":10,"currency":"USD","description":"Small deal"}`,
			status: 201, save: map[string]string{"opp2": "opportunity.id"}},
		{method: "opportunities.delete", verb: "DELETE", path: "opportunities/{opp2}", status: 200, reads: []string{"opportunity.status=LOST"}},
		{method: "casesTickets.create", verb: "POST", path: "cases_tickets", body: `{"customer_id":"{cus}","status":"OPEN","priority":"HIGH","subject":"Broken mug","description":"arrived cracked"}`,
			status: 201, reads: []string{"case_ticket.id", "case_ticket.subject=Broken mug", "case_ticket.status=OPEN"}, save: map[string]string{"case": "case_ticket.id"}},
		{method: "casesTickets.search", verb: "GET", path: "cases_tickets/search?query=cracked&status=OPEN", status: 200, reads: []string{"cases_tickets[0].id={case}"}},
		{method: "casesTickets.assign", verb: "POST", path: "cases_tickets/{case}/assign", body: `{"agent_id":"sam"}`, status: 200, reads: []string{"case_ticket.assigned_to=sam"}},
		{method: "casesTickets.addNote", verb: "POST", path: "cases_tickets/{case}/notes", body: `{"note":"sent replacement"}`, status: 200, reads: []string{"case_ticket.id={case}"}},
		{method: "casesTickets.listNotes", verb: "GET", path: "cases_tickets/{case}/notes", status: 200, reads: []string{"notes[0].body=sent replacement"}},
		{method: "casesTickets.update", verb: "PUT", path: "cases_tickets/{case}", body: `{"description":"arrived cracked, two of them"}`, status: 200,
			reads: []string{"case_ticket.description=arrived cracked, two of them", "case_ticket.priority=HIGH"}},
		{method: "casesTickets.escalate (to where it is)", verb: "POST", path: "cases_tickets/{case}/escalate", body: `{"level":"HIGH"}`, status: 200, reads: []string{"case_ticket.priority=HIGH"}},
		{method: "casesTickets.escalate", verb: "POST", path: "cases_tickets/{case}/escalate", body: `{"level":"CRITICAL"}`, status: 200, reads: []string{"case_ticket.priority=URGENT"}},
		{method: "casesTickets.escalate (lower)", verb: "POST", path: "cases_tickets/{case}/escalate", body: `{"level":"LOW"}`, status: 200, reads: []string{"case_ticket.priority=URGENT"}},
		{method: "casesTickets.escalate (no such level)", verb: "POST", path: "cases_tickets/{case}/escalate", body: `{"level":"SOON"}`, status: 400, reads: []string{"detail"}},
		{method: "casesTickets.resolve", verb: "POST", path: "cases_tickets/{case}/resolve", body: `{"notes":"replaced"}`, status: 200, reads: []string{"case_ticket.status=RESOLVED"}},
		{method: "casesTickets.reopen", verb: "POST", path: "cases_tickets/{case}/reopen", body: `{"note":"still broken"}`, status: 200, reads: []string{"case_ticket.status"}},
		{method: "casesTickets.resolve (again)", verb: "POST", path: "cases_tickets/{case}/resolve", body: `{"notes":"replaced twice"}`, status: 200, reads: []string{"case_ticket.status=RESOLVED"}},
		{method: "casesTickets.close", verb: "POST", path: "cases_tickets/{case}/close", status: 200, reads: []string{"case_ticket.status=CLOSED"}},
		{method: "casesTickets.create (another)", verb: "POST", path: "cases_tickets", body: `{"customer_id":"{cus}","priority":"LOW","subject":"Duplicate","description":"same as before"}`,
			status: 201, save: map[string]string{"case2": "case_ticket.id"}},
		{method: "casesTickets.delete (a new case: resolved, then closed)", verb: "DELETE", path: "cases_tickets/{case2}", status: 200, reads: []string{"case_ticket.status=CLOSED"}},
		{method: "casesTickets.delete (again)", verb: "DELETE", path: "cases_tickets/{case2}", status: 200, reads: []string{"case_ticket.status=CLOSED"}},
	})
}

// What the SDK leaves unsaid: an order or purchase order names no location (it goes where
// its items are stocked), payments include tax StateSet One does not price, dates come as
// date-times, a reservation is looked for by its id, a DELETE is repeated, and a status
// the SDK throws on never reaches its lists.
func TestSDKWhatTheSDKLeavesUnsaid(t *testing.T) {
	h := newFlowingHarness(t)
	for _, w := range []string{`{"id":"main","code":"MAIN","name":"Main"}`, `{"id":"reno","code":"RNO","name":"Reno"}`} {
		if r := h.do("POST", "/v1/warehouses", w); r.status != http.StatusCreated {
			t.Fatalf("warehouse: %d %s", r.status, r.body)
		}
	}
	supplier := `{"name":"Acme","type":"MANUFACTURER","status":"ACTIVE","email":"po@acme.example","payment_terms":{"terms":"NET30","currency":"USD"}}`
	order := `{"customer_id":"{cus}","items":[{"product_id":"GADGET","quantity":2,"unit_price":10,"tax_amount":1.6,"total_amount":20}],` +
		`"payment_details":{"payment_method":"credit_card","status":"paid","amount_paid":29.6,"currency":"USD"},` +
		`"totals":{"subtotal":20,"shipping_total":8,"tax_total":1.6,"discount_total":0,"grand_total":29.6,"currency":"USD"}}`
	runSDK(t, h, []sdkCall{
		{method: "customers.create", verb: "POST", path: "customers", body: `{"name":"Ada Lovelace","email":"ada@example.com"}`,
			status: 201, save: map[string]string{"cus": "customer.id"}},
		{method: "inventory.create (at reno only)", verb: "POST", path: "inventory", body: `{"item_id":"GADGET","quantity":10,"location":{"id":"reno","type":"warehouse"},"reorder_point":2}`,
			status: 201, save: map[string]string{"inv": "id"}},
		{method: "orders.create (no location, paid with tax and shipping)", verb: "POST", path: "orders", body: order, status: 201,
			reads: []string{"location_id=reno", "status=PENDING", "paid_amount=20", "payment_details.amount_paid=29.6"}, save: map[string]string{"order": "id"}},
		{method: "orderItems.create (a SKU the order has)", verb: "POST", path: "order_line_items", body: `{"order_id":"{order}","type":"PRODUCT","status":"PENDING","item":{"product_id":"GADGET","quantity":1,"unit_price":10},"pricing":{"subtotal":10,"total":10}}`,
			status: 201, reads: []string{"order_line.item.product_id=GADGET", "order_line.item.quantity=3"}},
		{method: "orders.get (one line of three)", verb: "GET", path: "orders/{order}", status: 200, reads: []string{"items[0].quantity=3", "total_amount=30"}},
		{method: "orders.confirm", verb: "POST", path: "orders/{order}/confirm", status: 200, reads: []string{"status=CONFIRMED"}},
		{method: "picks.create", verb: "POST", path: "picks", body: `{"order_ids":["{order}"],"warehouse_id":"reno","type":"SINGLE","priority":"HIGH","method":"DISCRETE","items":[]}`,
			status: 201, reads: []string{"pick.id", "pick.status=PENDING"}, save: map[string]string{"pick": "pick.id"}},
		{method: "picks.update", verb: "PUT", path: "picks/{pick}", body: `{"priority":"URGENT","picker_id":"sam"}`, status: 200,
			reads: []string{"pick.priority=URGENT", "pick.assigned_to=sam", "pick.status=PENDING"}},
		{method: "picks.update (no such priority)", verb: "PUT", path: "picks/{pick}", body: `{"priority":"ASAP"}`, status: 400, reads: []string{"detail"}},
		{method: "picks.getMetrics (not started)", verb: "GET", path: "picks/{pick}/metrics", status: 200,
			reads: []string{"metrics.lines=1", "metrics.units_requested=3", "metrics.units_picked=0", "metrics.fill_rate=0"}},
		{method: "picks.start", verb: "POST", path: "picks/{pick}/start", body: `{}`, status: 200, reads: []string{"pick.status=IN_PROGRESS"}},
		{method: "picks.recordItemPick", verb: "POST", path: "picks/{pick}/items/GADGET/pick", body: `{"item_id":"GADGET","quantity_picked":2,"location":{"zone":"A","aisle":"1","shelf":"2","bin":"3"}}`,
			status: 200, reads: []string{"pick.lines[0].picked=2", "pick.lines[0].recorded=true", "pick.status=IN_PROGRESS"}},
		{method: "picks.recordItemPick (more than asked)", verb: "POST", path: "picks/{pick}/items/GADGET/pick", body: `{"item_id":"GADGET","quantity_picked":5}`,
			status: 400, reads: []string{"detail"}},
		{method: "picks.recordItemPick (not on the list)", verb: "POST", path: "picks/{pick}/items/MUG/pick", body: `{"item_id":"MUG","quantity_picked":1}`,
			status: 400, reads: []string{"detail"}},
		{method: "picks.recordItemPick (the count so far)", verb: "POST", path: "picks/{pick}/items/GADGET/pick", body: `{"item_id":"GADGET","quantity_picked":3}`,
			status: 200, reads: []string{"pick.lines[0].picked=3"}},
		{method: "picks.complete", verb: "POST", path: "picks/{pick}/complete", body: `{}`, status: 200, reads: []string{"pick.status=COMPLETED"}},
		{method: "picks.getMetrics", verb: "GET", path: "picks/{pick}/metrics", status: 200,
			reads: []string{"metrics.units_picked=3", "metrics.fill_rate=1", "metrics.started_at", "metrics.completed_at", "metrics.duration_seconds"}},
		{method: "shipments.create", verb: "POST", path: "shipments", body: `{"order_id":"{order}","carrier":"UPS","tracking_number":"1Z1"}`, status: 201,
			reads: []string{"shipment.id", "shipment.tracking_number=1Z1"}, save: map[string]string{"ship": "shipment.id"}},
		{method: "shipments.update", verb: "PUT", path: "shipments/{ship}", body: `{"tracking_number":"1Z2"}`, status: 200, reads: []string{"shipment.tracking_number=1Z2", "shipment.carrier=UPS"}},
		{method: "shipments.addPackage", verb: "POST", path: "shipments/{ship}/packages",
			body: `{"type":"BOX_SMALL","weight":{"value":2,"unit":"lb"},"dimensions":{"length":10,"width":8,"height":4,"unit":"in"},"items":[]}`, status: 200,
			reads: []string{"shipment.packages[0].weight_grams=907", "shipment.packages[0].length_cm=25", "shipment.packages[0].reference=BOX_SMALL"}},
		{method: "shipmentItems.updateTracking", verb: "POST", path: "shipment_line_items/{ship}~1/tracking", body: `{"number":"1Z3","carrier":"FEDEX"}`, status: 200,
			reads: []string{"shipment_line.tracking.number=1Z3", "shipment_line.tracking.carrier=FEDEX"}},
		{method: "inventory.reserve", verb: "POST", path: "inventory/{inv}/reserve", body: `{"quantity":1,"notes":"phone order"}`, status: 201,
			reads: []string{"reservation_id", "reservation.id", "quantity=1"}, save: map[string]string{"rsv": "reservation_id"}},
		{method: "inventory.releaseReservation", verb: "POST", path: "inventory/{inv}/release-reservation/{rsv}", status: 200, reads: []string{"status=RELEASED"}},
		{method: "inventory.getLowStockAlerts (threshold)", verb: "GET", path: "inventory/low-stock-alerts?threshold=10", status: 200,
			reads: []string{"inventory[0].item_id=GADGET", "inventory[0].threshold=10", "total=1"}},
		{method: "inventory.getLowStockAlerts (under threshold)", verb: "GET", path: "inventory/low-stock-alerts?threshold=6", status: 200, reads: []string{"inventory", "total=0"}},
		{method: "warehouses.getInventory (empty is a list)", verb: "GET", path: "warehouses/main/inventory", status: 200, reads: []string{"inventory"}},
		{method: "suppliers.create", verb: "POST", path: "suppliers", body: supplier, status: 201, save: map[string]string{"sup": "supplier.id"}},
		{method: "purchaseorders.create (date-time, no location)", verb: "POST", path: "purchaseorders",
			body:   `{"supplier_id":"{sup}","expected_delivery_date":"2026-12-20T18:30:00.000Z","items":[{"item_id":"GADGET","quantity":5,"unit_price":4}]}`,
			status: 201, reads: []string{"update_purchaseorders_by_pk.expected_delivery_date=2026-12-20", "update_purchaseorders_by_pk.location_id=reno"},
			save: map[string]string{"po": "update_purchaseorders_by_pk.id"}},
		{method: "purchaseorders.delete", verb: "DELETE", path: "purchaseorders/{po}", status: 200, reads: []string{"update_purchaseorders_by_pk.status=CANCELLED"}},
		{method: "purchaseorders.delete (again)", verb: "DELETE", path: "purchaseorders/{po}", status: 200, reads: []string{"update_purchaseorders_by_pk.status=CANCELLED"}},
		{method: "cycleCounts.create", verb: "POST", path: "cycle-counts", body: `{"location":"reno","scheduled_date":"2026-12-05","items":[{"item_id":"GADGET","expected_quantity":10}]}`,
			status: 201, save: map[string]string{"cc": "update_cycle_counts_by_pk.id"}},
		{method: "cycleCounts.update", verb: "PUT", path: "cycle-counts/{cc}", body: `{"scheduled_date":"2026-12-06"}`, status: 200,
			reads: []string{"update_cycle_counts_by_pk.scheduled_date=2026-12-06", "update_cycle_counts_by_pk.status=PENDING"}},
		{method: "cycleCounts.update (not a date)", verb: "PUT", path: "cycle-counts/{cc}", body: `{"scheduled_date":"monday"}`, status: 400, reads: []string{"detail"}},
		{method: "cycleCounts.create (another)", verb: "POST", path: "cycle-counts", body: `{"location":"reno","items":[{"item_id":"GADGET"}]}`,
			status: 201, save: map[string]string{"cc2": "update_cycle_counts_by_pk.id"}},
		{method: "cycleCounts.delete", verb: "DELETE", path: "cycle-counts/{cc2}", status: 200, reads: []string{"update_cycle_counts_by_pk.status=CANCELLED"}},
		{method: "cycleCounts.list (no cancelled count)", verb: "GET", path: "cycle-counts", status: 200, reads: []string{"[0].id={cc}", "[0].status=PENDING"}},
		{method: "cycleCounts.get (the cancelled one)", verb: "GET", path: "cycle-counts/{cc2}", status: 200, reads: []string{"update_cycle_counts_by_pk.status=CANCELLED"}},
	})
	// the list holds the one pending count only
	_, _, b := h.sdkDo("GET", "cycle-counts", "")
	if n := strings.Count(string(b), `"id"`); n != 1 {
		t.Errorf("cycle-counts list: %d counts, want 1: %s", n, b)
	}
}
