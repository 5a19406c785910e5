// Package client is a Go client of the StateSet One API, generated from api/openapi.yaml
// with oapi-codegen: proof that the contract serves tools other than ours. Regenerate it
// after changing the spec with `go generate ./api/client`.
package client

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config oapi-codegen.yaml ../openapi.yaml
