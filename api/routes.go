package api

import (
	"net/http"

	"github.com/gorilla/mux"
)

// register lists every route, one a line, with the scope it needs.
func (s *Server) register(r *mux.Router) {
	s.handle(r, http.MethodGet, "/health", "", s.health)
	s.handle(r, http.MethodGet, "/ready", "", s.ready)

	s.handle(r, http.MethodGet, "/v1/customers", "customers:read", s.listCustomers)
	s.handle(r, http.MethodPost, "/v1/customers", "customers:write", s.createCustomer)
	s.handle(r, http.MethodGet, "/v1/customers/{id}", "customers:read", s.getCustomer)
	s.handle(r, http.MethodPut, "/v1/customers/{id}", "customers:write", s.updateCustomer)
	s.handle(r, http.MethodDelete, "/v1/customers/{id}", "customers:write", s.archiveCustomer)
	s.handle(r, http.MethodGet, "/v1/customers/{id}/history", "customers:read", s.customerHistory)
	s.handle(r, http.MethodGet, "/v1/customers/{id}/timeline", "customers:read", s.customerTimeline)
	s.handle(r, http.MethodPost, "/v1/customers/{id}/addresses", "customers:write", s.addCustomerAddress)
	s.handle(r, http.MethodPost, "/v1/customers/{id}/{action:activate|deactivate|suspend|archive}", "customers:write", s.customerStatusAction)
}
