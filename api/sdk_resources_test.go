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
