package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	ssclient "stateset/api/client"
)

// TestGeneratedClientDrivesTheAPI runs an order to cash through a Go client generated from
// api/openapi.yaml by oapi-codegen (api/client), as a user of the contract would: typed
// answers decode, and the confirmation's answer already shows the allocation the flows
// made (writes wait for the flows they trigger).
func TestGeneratedClientDrivesTheAPI(t *testing.T) {
	sh := newShop(t)
	sh.item("MUG", 5)
	ctx := context.Background()
	c, err := ssclient.NewClientWithResponses(sh.base, ssclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Token "+testKey)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	email, name := "gen@example.com", "Gen"
	put, err := c.UpdateCustomerWithResponse(ctx, "gc1", nil, ssclient.UpdateCustomerRequest{Email: &email, FirstName: &name})
	if err != nil || put.JSON201 == nil || put.JSON201.Email != email {
		t.Fatalf("PUT a new customer: %v %d %s", err, put.StatusCode(), put.Body)
	}
	// reads send the write's position, to read it (read-your-writes)
	after := func(res *http.Response) ssclient.RequestEditorFn {
		return func(_ context.Context, req *http.Request) error {
			req.Header.Set("Stateset-Min-Position", res.Header.Get("Stateset-Position"))
			return nil
		}
	}
	got, err := c.GetCustomerWithResponse(ctx, "gc1", nil, after(put.HTTPResponse))
	if err != nil || got.JSON200 == nil || got.JSON200.FirstName != name {
		t.Fatalf("GET the customer: %v %d %s", err, got.StatusCode(), got.Body)
	}
	var order ssclient.CreateOrderJSONRequestBody // the generated type, filled as a caller would from JSON
	if err := json.Unmarshal([]byte(`{"id":"go1","customer_id":"gc1","currency":"USD",
		"items":[{"sku":"MUG","name":"mug","quantity":2,"unit_price":900}]}`), &order); err != nil {
		t.Fatal(err)
	}
	created, err := c.CreateOrderWithResponse(ctx, nil, order)
	if err != nil || created.JSON201 == nil || created.JSON201.Status != "DRAFT" {
		t.Fatalf("create an order: %v %d %s", err, created.StatusCode(), created.Body)
	}
	if res, err := c.OrderActionSubmitWithResponse(ctx, "go1", nil, ssclient.OrderActionSubmitJSONRequestBody{}); err != nil || res.JSON200 == nil {
		t.Fatalf("submit: %v %d %s", err, res.StatusCode(), res.Body)
	}
	conf, err := c.OrderActionConfirmWithResponse(ctx, "go1", nil, ssclient.OrderActionConfirmJSONRequestBody{})
	if err != nil || conf.JSON200 == nil || conf.JSON200.Status != "CONFIRMED" {
		t.Fatalf("confirm: %v %d %s", err, conf.StatusCode(), conf.Body)
	}
	read, err := c.GetOrderWithResponse(ctx, "go1", after(conf.HTTPResponse))
	if err != nil || read.JSON200 == nil || read.JSON200.FulfillmentStatus != "ALLOCATED" {
		t.Fatalf("the order read at the confirmation's position: %v %d %s", err, read.StatusCode(), read.Body)
	}
	if lines := read.JSON200.Items; len(lines) != 1 || lines[0].Reserved != 2 {
		t.Fatalf("lines %+v", lines)
	}
	missing, err := c.GetOrderWithResponse(ctx, "nope")
	if err != nil || missing.JSON404 == nil || missing.JSON404.Error.Code != "NOT_FOUND" {
		t.Fatalf("an unknown order: %v %d %s", err, missing.StatusCode(), missing.Body)
	}
}
