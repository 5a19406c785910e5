package api

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// customerJSON is a customer as the API shows it. The seed's keys (id, email, firstName,
// lastName, phone, stripe_customer_id, timestamp, activationDate) are spelled exactly as
// StateSet's legacy API spells them.
type customerJSON struct {
	ID               string            `json:"id"`
	Email            string            `json:"email"`
	FirstName        string            `json:"firstName"`
	LastName         string            `json:"lastName"`
	Phone            string            `json:"phone"`
	StripeCustomerID string            `json:"stripe_customer_id"`
	Timestamp        string            `json:"timestamp"`
	ActivationDate   string            `json:"activationDate"`
	Type             string            `json:"type"`
	Status           string            `json:"status"`
	Addresses        []domain.Address  `json:"addresses"`
	Metadata         map[string]string `json:"metadata"`
	CreatedAt        string            `json:"created_at"`
	UpdatedAt        string            `json:"updated_at"`
	Version          int64             `json:"version"`
}

func customerFromAggregate(c *domain.Customer) customerJSON {
	return customerJSON{ID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		StripeCustomerID: c.StripeCustomerID, Timestamp: c.Timestamp, ActivationDate: c.ActivationDate, Type: c.Type,
		Status: string(c.Status), Addresses: nonNil(c.Addresses), Metadata: nonNilMap(c.Metadata),
		CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt), Version: c.Version}
}

func customerFromRow(c projections.Customer) customerJSON {
	return customerJSON{ID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		StripeCustomerID: c.StripeCustomerID, Timestamp: c.Timestamp, ActivationDate: c.ActivationDate, Type: c.Type,
		Status: c.Status, Addresses: nonNil(c.Addresses), Metadata: nonNilMap(c.Metadata),
		CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt), Version: c.Version}
}

// CustomerFields are the writable customer fields, in both the seed's camelCase and the
// snake_case spellings (exported only so that fill and the schema generator can reach
// them where the request types embed them).
type CustomerFields struct {
	Email            *string           `json:"email,omitempty"`
	FirstName        *string           `json:"firstName,omitempty" alias:"first_name"`
	LastName         *string           `json:"lastName,omitempty" alias:"last_name"`
	Phone            *string           `json:"phone,omitempty"`
	StripeCustomerID *string           `json:"stripe_customer_id,omitempty"`
	Timestamp        *string           `json:"timestamp,omitempty"`
	ActivationDate   *string           `json:"activationDate,omitempty" alias:"activation_date"`
	Type             *string           `json:"type,omitempty" enum:"INDIVIDUAL,BUSINESS,GOVERNMENT,NONPROFIT"`
	Status           *string           `json:"status,omitempty" enum:"PROSPECT,ACTIVE,INACTIVE,SUSPENDED,ARCHIVED"`
	Metadata         map[string]string `json:"metadata,omitempty"` // null clears it
}

// update is the fields as the command reads them.
func (f CustomerFields) update(o *object) domain.UpdateCustomer {
	u := domain.UpdateCustomer{Email: f.Email, FirstName: f.FirstName, LastName: f.LastName, Phone: f.Phone,
		StripeCustomerID: f.StripeCustomerID, Timestamp: f.Timestamp, ActivationDate: f.ActivationDate, Type: f.Type}
	if f.Status != nil {
		s := domain.CustomerStatus(*f.Status)
		u.Status = &s
	}
	if o.has("metadata") {
		m := f.Metadata
		if m == nil {
			m = map[string]string{}
		}
		u.Metadata = &m
	}
	return u
}

// createCustomerRequest is the body of POST /v1/customers.
type createCustomerRequest struct {
	ID *string `json:"id,omitempty"`
	CustomerFields
	Addresses []addressInput `json:"addresses,omitempty"`
}

// updateCustomerRequest is the body of PUT /v1/customers/{id}: the fields given change
// (null clears), a new id creates; reason says why the status changes, when it does.
type updateCustomerRequest struct {
	ID *string `json:"id,omitempty"`
	CustomerFields
	Reason *string `json:"reason,omitempty"`
}

// addressInput is an address a request gives.
type addressInput struct {
	Type       string `json:"type"` // BILLING, SHIPPING or PRIMARY
	Street1    string `json:"street1"`
	Street2    string `json:"street2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country" pattern:"^[A-Z]{2}$"`
}

func (a addressInput) address() domain.Address {
	return domain.Address{ID: commands.NewID(), Type: a.Type, Street1: a.Street1, Street2: a.Street2, City: a.City,
		State: a.State, PostalCode: a.PostalCode, Country: a.Country}
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateCustomer
	create(s, w, r, "/v1/customers/", func(c *domain.Customer) string { return url.PathEscape(c.ID) }, customerFromAggregate, func(o *object) {
		var in createCustomerRequest
		o.fill(&in)
		cmd = in.update(o).AsCreate()
		cmd.CustomerID = commands.NewID()
		if in.ID != nil {
			cmd.CustomerID = *in.ID
		}
		for _, a := range in.Addresses {
			cmd.Addresses = append(cmd.Addresses, a.address())
		}
		cmd.Check(&o.v) // every bad field in one answer, not only the undecodable ones
	}, func(opts []commands.Option) (commands.Result[domain.Customer], error) {
		return s.cmd.Customers().Create(r.Context(), cmd, opts...)
	})
}

// updateCustomer is PUT /v1/customers/{id}: the fields given change (null clears), the
// rest stay; a customer that does not exist yet is created (the seed's upsert).
func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	var u domain.UpdateCustomer
	if !s.decode(w, r, func(o *object) {
		var in updateCustomerRequest
		o.fill(&in)
		if in.ID != nil && *in.ID != id {
			o.v.Add("id", "must equal the id in the path")
		}
		u = in.update(o)
		u.CustomerID = id
		u.Reason = deref(in.Reason) // why the status changes, when it does
		u.Check(&o.v)
	}) {
		return
	}
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.Customers().Upsert(r.Context(), u, opts...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if _, created := firstEvent(res).(domain.CustomerCreated); created {
		status = http.StatusCreated
		w.Header().Set("Location", "/v1/customers/"+url.PathEscape(id))
	}
	reply(w, status, res, customerFromAggregate)
}

// archiveCustomer is DELETE /v1/customers/{id} (statusRequest).
func (s *Server) archiveCustomer(w http.ResponseWriter, r *http.Request) {
	s.changeCustomerStatus(w, r, "archive")
}

func (s *Server) customerStatusAction(w http.ResponseWriter, r *http.Request) {
	s.changeCustomerStatus(w, r, mux.Vars(r)["action"])
}

func (s *Server) changeCustomerStatus(w http.ResponseWriter, r *http.Request, action string) {
	if !slices.Contains(domain.CustomerActions, action) {
		s.fail(w, r, errNotFound)
		return
	}
	reasonAction(s, w, r, customerFromAggregate, func(id, _, reason string, opts []commands.Option) (commands.Result[domain.Customer], error) {
		return s.cmd.Customers().ChangeStatus(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) addCustomerAddress(w http.ResponseWriter, r *http.Request) {
	var in addressInput
	addTo(s, w, r, customerFromAggregate, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Customer], error) {
		return s.cmd.Customers().AddAddress(r.Context(), mux.Vars(r)["id"], in.address(), opts...)
	})
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "as_of"); err != nil {
		s.fail(w, r, err)
		return
	}
	if asOf := r.URL.Query().Get("as_of"); asOf != "" {
		serveAsOf(s, w, r, "customer", asOf, s.cmd.Customers().At, func(c *domain.Customer) int64 { return c.Version }, customerFromAggregate)
		return
	}
	// the read model keeps customers as rows, not as the aggregate's document
	serveDoc(s, w, r, s.runner(projections.Customers().Name()), func() (projections.Doc[projections.Customer], error) {
		c, err := s.read.GetCustomer(r.Context(), mux.Vars(r)["id"])
		return projections.Doc[projections.Customer]{Value: &c}, err
	}, func(c *projections.Customer) int64 { return c.Version }, func(c *projections.Customer) customerJSON { return customerFromRow(*c) })
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := onlyQuery(r, "limit", "cursor", "offset", "email", "status", "type", "created_after", "created_before"); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	page := pageOf(q, &v)
	f := projections.CustomerFilter{Email: q.Get("email"), Status: q.Get("status"), Type: q.Get("type"), Page: page}
	f.CreatedAfter = timeParam(q, "created_after", &v)
	f.CreatedBefore = timeParam(q, "created_before", &v)
	if f.Status != "" {
		v.Check(slices.Contains(domain.CustomerStatuses, domain.CustomerStatus(f.Status)), "status", "must be one of PROSPECT, ACTIVE, INACTIVE, SUSPENDED, ARCHIVED")
	}
	serveList(s, w, r, &v, s.runner(projections.Customers().Name()), func() ([]customerJSON, projections.PageInfo, error) {
		rows, pi, err := s.read.ListCustomers(r.Context(), f)
		out := make([]customerJSON, len(rows))
		for i, c := range rows {
			out[i] = customerFromRow(c)
		}
		return out, pi, err
	})
}

// timelineJSON is one entry of a customer's timeline.
type timelineJSON struct {
	Position  uint64 `json:"position"`
	Kind      string `json:"kind"`
	Type      string `json:"type"`
	EventType string `json:"event_type"`
	Time      string `json:"time"`
	Actor     string `json:"actor,omitempty"`
	Data      any    `json:"data"`
}

// customerTimeline is GET /v1/customers/{id}/timeline: only the entries of modules the
// calling key reads (each kind's read scope, domain.ReadScopeOf, as the event feed asks),
// the others left out of the query, not redacted; customers:read, which the route asks,
// reads the customer's own.
func (s *Server) customerTimeline(w http.ResponseWriter, r *http.Request) {
	key := info(r.Context()).key
	if key == nil {
		s.fail(w, r, errUnauthorized)
		return
	}
	var kinds []string
	for _, k := range projections.TimelineKinds() {
		if key.Allows(domain.ReadScopeOf(k)) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		// no kinds would ask the query for every kind
		s.fail(w, r, errForbidden)
		return
	}
	if err := onlyQuery(r, "limit", "cursor", "offset"); err != nil {
		s.fail(w, r, err)
		return
	}
	var v domain.Validation
	page := pageOf(r.URL.Query(), &v)
	id := mux.Vars(r)["id"]
	serveList(s, w, r, &v, s.runner(projections.Customers().Name()), func() ([]timelineJSON, projections.PageInfo, error) {
		if _, err := s.read.GetCustomer(r.Context(), id); err != nil {
			return nil, projections.PageInfo{}, err
		}
		rows, pi, err := s.read.CustomerTimeline(r.Context(), id, page, kinds...)
		out := make([]timelineJSON, len(rows))
		for i, e := range rows {
			out[i] = timelineJSON{Position: e.Position, Kind: e.Kind, Type: s.cmd.Registry().DottedName(e.EventType),
				EventType: e.EventType, Time: rfc3339(e.Time), Actor: e.Actor, Data: e.Summary}
		}
		return out, pi, err
	})
}

func (s *Server) customerHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "customer")
}

// forgetCustomer is POST /v1/customers/{id}/forget {reason}: the customer's personal data
// is made unreadable everywhere (its key destroyed, read models scrubbed); the customer is
// archived and its non-personal history stays.
func (s *Server) forgetCustomer(w http.ResponseWriter, r *http.Request) {
	var reason string
	if !s.decode(w, r, func(o *object) { o.into("reason", &reason) }) {
		return
	}
	// If-Match does not apply: the forgetting is owed whatever the customer's version
	res, err := s.cmd.Customers().Forget(r.Context(), mux.Vars(r)["id"], reason, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reply(w, http.StatusOK, res, customerFromAggregate)
}
