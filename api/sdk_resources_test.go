package api

import (
	"net/http"
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
		{method: "inventory.list", verb: "GET", path: "inventory?item_id=MUG&limit=10&offset=0", status: 200, reads: []string{"inventory[0].item_id=MUG", "total=1"}},
		{method: "inventory.adjustQuantity", verb: "POST", path: "inventory/{inv}/adjust", body: `{"type":"receipt","quantity":5,"reason":"restock"}`, status: 200, reads: []string{"quantity=15"}},
		{method: "inventory.getHistory", verb: "GET", path: "inventory/{inv}/history", status: 200, reads: []string{"history[0]"}},
		{method: "inventory.getInventoryValue", verb: "GET", path: "inventory/value", status: 200, reads: []string{"total_value=63.75"}},
		{method: "orders.create", verb: "POST", path: "orders", body: order, status: 201,
			reads: []string{"id", "object=order", "status=PENDING", "items[0].product_id=MUG", "items[0].unit_price=12.5", "totals.grand_total=25", "shipping_address.first_name=Ada", "priority=high"},
			save:  map[string]string{"order": "id", "line": "items[0].id"}},
		{method: "orders.get", verb: "GET", path: "orders/{order}", status: 200, reads: []string{"id={order}", "payment_details.payment_method=card"}},
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
		{method: "orders.getMetrics", verb: "GET", path: "orders/metrics?start_date=2026-01-01&org_id=o", status: 200, reads: []string{"total=1", "metrics.by_status.DELIVERED=1"}},
		{method: "returns.create", verb: "POST", path: "returns", body: ret, status: 201,
			reads: []string{"return.id", "return.status=REQUESTED", "return.items[0].reason=defective", "return.items[0].condition=like_new"}, save: map[string]string{"ret": "return.id"}},
		{method: "returns.get", verb: "GET", path: "returns/{ret}", status: 200, reads: []string{"return.order_id={order}"}},
		{method: "returns.list", verb: "GET", path: "returns?order_id={order}&sort_by=created_at&sort_order=desc", status: 200, reads: []string{"returns[0].id={ret}", "total_count=1", "limit", "offset=0"}},
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
		{method: "returns.generateShippingLabel", verb: "POST", path: "returns/{ret}/generate-label", body: `{}`, status: 501, reads: []string{"detail", "error.code=NOT_IMPLEMENTED"}},
		{method: "warranties.create", verb: "POST", path: "warranties", body: warranty, status: 201,
			reads: []string{"warranty.id", "warranty.status=PENDING", "warranty.items[0].sku=MUG", "warranty.coverage.duration_months=12"}, save: map[string]string{"war": "warranty.id"}},
		{method: "warranties.get", verb: "GET", path: "warranties/{war}", status: 200, reads: []string{"warranty.id={war}"}},
		{method: "warranties.list", verb: "GET", path: "warranties?customer_id={cus}", status: 200, reads: []string{"warranties[0].id={war}", "pagination.total=1"}},
		{method: "warranties.approve", verb: "POST", path: "warranties/approve/{war}", body: `{"reason":"valid"}`, status: 200, reads: []string{"warranty.status=APPROVED"}},
		{method: "warranties.addClaim", verb: "POST", path: "warranties/{war}/claims", body: `{"reported_at":"2026-12-04T10:00:00Z","issue_description":"cracked","photos":["https://x/1.jpg"]}`,
			status: 201, reads: []string{"warranty.claims[0].issue_description=cracked"}},
		{method: "warranties.getMetrics", verb: "GET", path: "warranties/metrics?org_id=o", status: 200, reads: []string{"metrics.by_status.APPROVED=1"}},
		{method: "warranties.close", verb: "POST", path: "warranties/close/{war}", status: 200, reads: []string{"warranty.status=CLOSED"}},
		{method: "warranties.reopen", verb: "POST", path: "warranties/reopen/{war}", body: `{"reason":"again"}`, status: 200, reads: []string{"warranty.status=REOPENED"}},
		{method: "warranties.update", verb: "PUT", path: "warranties/{war}", body: `{"type":"EXTENDED"}`, status: 501, reads: []string{"detail"}},
	})
}
