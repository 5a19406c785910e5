// Package contract holds HTTP exchanges to api/openapi.yaml, for the tests of every
// package that talks to the API (kin-openapi's openapi3filter). Only tests import it.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// router is api/openapi.yaml as a router of operations, loaded once per test binary
// from this package's source directory, wherever the test runs.
var router = sync.OnceValues(func() (routers.Router, error) {
	_, here, _, _ := runtime.Caller(0)
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(filepath.Dir(here), "..", "openapi.yaml"))
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: "/"}} // whatever address the test server has
	return gorillamux.NewRouter(doc)
})

// Check holds one exchange of an HTTP test to the published contract: every answer
// to a documented operation is one the contract documents (its status, or the operation's
// default error answer, its content type and body schema), and a request the server
// accepted (2xx) is one the contract allows (path, query, headers, body). Requests the
// server refused may break the contract (the adversarial tests send them on purpose), and
// a path no operation has must be answered 404 or 405.
func Check(req *http.Request, reqBody []byte, res *http.Response, resBody []byte) error {
	r, err := router()
	if err != nil {
		return fmt.Errorf("api/openapi.yaml: %w", err)
	}
	if req.URL.Path == "/metrics" {
		return nil // Prometheus' own format
	}
	if res.Header.Get("Stateset-Dialect") == "sdk" {
		return nil // the official SDK's dialect: held to the SDK's contract (api/sdk_dialect_test.go)
	}
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := r.FindRoute(probe)
	if err != nil {
		if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
			return nil
		}
		return fmt.Errorf("%s %s answered %d but is no operation of api/openapi.yaml: %w", req.Method, req.URL.Path, res.StatusCode, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	ctx := context.Background()
	if res.StatusCode/100 == 2 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("%s %s was accepted (%d) but breaks api/openapi.yaml: %w", req.Method, req.URL.Path, res.StatusCode, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(resBody)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		var me openapi3.MultiError
		if errors.As(err, &me) && len(me) == 0 {
			return nil
		}
		return fmt.Errorf("the answer %d to %s %s breaks api/openapi.yaml: %w", res.StatusCode, req.Method, req.URL.Path, err)
	}
	return nil
}
