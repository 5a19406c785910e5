package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

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

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

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

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// customerInput reads the writable customer fields; both the seed's camelCase and
// snake_case spellings are accepted.
func customerInput(o *object) domain.UpdateCustomer {
	u := domain.UpdateCustomer{
		Email:            o.str("email"),
		FirstName:        o.str("firstName", "first_name"),
		LastName:         o.str("lastName", "last_name"),
		Phone:            o.str("phone"),
		StripeCustomerID: o.str("stripe_customer_id"),
		Timestamp:        o.str("timestamp"),
		ActivationDate:   o.str("activationDate", "activation_date"),
		Type:             o.str("type"),
	}
	if st := o.str("status"); st != nil {
		s := domain.CustomerStatus(*st)
		u.Status = &s
	}
	if o.has("metadata") {
		m := map[string]string{}
		if raw := o.raw["metadata"]; string(raw) == "null" || o.into("metadata", &m) {
			u.Metadata = &m
		}
		o.used["metadata"] = true
	}
	return u
}

type addressInput struct {
	Type       string `json:"type"`
	Street1    string `json:"street1"`
	Street2    string `json:"street2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

func (a addressInput) address() domain.Address {
	return domain.Address{ID: commands.NewID(), Type: a.Type, Street1: a.Street1, Street2: a.Street2, City: a.City,
		State: a.State, PostalCode: a.PostalCode, Country: a.Country}
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := o.str("id")
	u := customerInput(o)
	var addrs []addressInput
	o.into("addresses", &addrs)
	create := u.AsCreate()
	create.CustomerID = commands.NewID()
	if id != nil {
		create.CustomerID = *id
	}
	for _, a := range addrs {
		create.Addresses = append(create.Addresses, a.address())
	}
	create.Check(&o.v) // every bad field in one answer, not only the undecodable ones
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.CreateCustomer(r.Context(), create, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/customers/"+url.PathEscape(res.Aggregate.ID))
	s.replyCustomer(w, http.StatusCreated, res)
}

// updateCustomer is PUT /v1/customers/{id}: the fields given change (null clears), the
// rest stay; a customer that does not exist yet is created (the seed's upsert).
func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if bodyID := o.str("id"); bodyID != nil && *bodyID != id {
		o.v.Add("id", "must equal the id in the path")
	}
	u := customerInput(o)
	u.CustomerID = id
	u.Reason = deref(o.str("reason")) // why the status changes, when it does
	u.Check(&o.v)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.UpsertCustomer(r.Context(), u, opts...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if _, created := firstEvent(res).(domain.CustomerCreated); created {
		status = http.StatusCreated
		w.Header().Set("Location", "/v1/customers/"+url.PathEscape(id))
	}
	s.replyCustomer(w, status, res)
}

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
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reason := o.str("reason")
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.ChangeCustomerStatus(r.Context(), mux.Vars(r)["id"], action, deref(reason), opts...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.replyCustomer(w, http.StatusOK, res)
}

func (s *Server) addCustomerAddress(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := addressInput{Type: deref(o.str("type")), Street1: deref(o.str("street1")), Street2: deref(o.str("street2")),
		City: deref(o.str("city")), State: deref(o.str("state")), PostalCode: deref(o.str("postal_code")),
		Country: deref(o.str("country"))}
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	opts, err := ifMatch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.AddCustomerAddress(r.Context(), mux.Vars(r)["id"], in.address(), opts...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.replyCustomer(w, http.StatusCreated, res)
}

func firstEvent[A any](res commands.Result[A]) domain.Event {
	if len(res.Events) == 0 {
		return nil
	}
	return res.Events[0].Event
}

func (s *Server) replyCustomer(w http.ResponseWriter, status int, res commands.Result[domain.Customer]) {
	w.Header().Set("ETag", etag(res.Version))
	setPosition(w, res.Position)
	writeJSON(w, status, customerFromAggregate(res.Aggregate))
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := onlyQuery(r, "as_of"); err != nil {
		s.fail(w, r, err)
		return
	}
	if asOf := r.URL.Query().Get("as_of"); asOf != "" {
		s.customerAsOf(w, r, id, asOf)
		return
	}
	run := s.customersRunner()
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	pos := run.Position()
	c, err := s.read.GetCustomer(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, customerFromRow(c))
}

// customerAsOf answers the customer as it was at a time or stream position, folded from
// its events (not the read model).
func (s *Server) customerAsOf(w http.ResponseWriter, r *http.Request, id, asOf string) {
	pos, err := s.asOfPosition(r, "customer", id, asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pos == 0 {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	c, err := s.cmd.CustomerAt(r.Context(), id, pos)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, customerFromAggregate(c))
}

// asOfPosition reads ?as_of= as a stream position or an RFC 3339 time.
func (s *Server) asOfPosition(r *http.Request, aggType, id, asOf string) (uint64, error) {
	if n, err := parseUint(asOf); err == nil {
		return n, nil
	}
	t, err := time.Parse(time.RFC3339Nano, asOf)
	if err != nil {
		return 0, badRequest("as_of", "must be an RFC 3339 time or a stream position")
	}
	return s.cmd.PositionAt(r.Context(), aggType, id, t)
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
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	run := s.customersRunner()
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	pos := run.Position()
	rows, pi, err := s.read.ListCustomers(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]customerJSON, len(rows))
	for i, c := range rows {
		out[i] = customerFromRow(c)
	}
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, newList(out, pi.HasMore, pi.NextCursor))
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
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	run := s.customersRunner()
	if err := s.waitMin(r, run); err != nil {
		s.fail(w, r, err)
		return
	}
	id := mux.Vars(r)["id"]
	pos := run.Position()
	if _, err := s.read.GetCustomer(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, pi, err := s.read.CustomerTimeline(r.Context(), id, page, kinds...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]timelineJSON, len(rows))
	for i, e := range rows {
		out[i] = timelineJSON{Position: e.Position, Kind: e.Kind, Type: s.cmd.Registry().DottedName(e.EventType),
			EventType: e.EventType, Time: rfc3339(e.Time), Actor: e.Actor, Data: e.Summary}
	}
	setPosition(w, pos)
	writeJSON(w, http.StatusOK, newList(out, pi.HasMore, pi.NextCursor))
}

func (s *Server) customerHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "customer")
}

func (s *Server) customersRunner() *projections.Runner {
	run, _ := s.read.Runner(projections.Customers().Name())
	return run
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// pageOf reads limit (1..100, default 20), cursor and offset.
func pageOf(q url.Values, v *domain.Validation) projections.Page {
	p := projections.Page{Limit: 20, Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		v.Check(err == nil && n >= 1 && n <= 100, "limit", "must be an integer from 1 to 100")
		p.Limit = n
	}
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		v.Check(err == nil && n >= 0, "offset", "must be a non-negative integer")
		p.Offset = n
	}
	return p
}

func timeParam(q url.Values, name string, v *domain.Validation) time.Time {
	s := q.Get(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	v.Check(err == nil, name, "must be an RFC 3339 time")
	return t
}

// onlyQuery refuses query parameters the route does not know, as bodies refuse fields.
func onlyQuery(r *http.Request, allowed ...string) error {
	var v domain.Validation
	for name := range r.URL.Query() {
		v.Check(slices.Contains(allowed, name), name, "unknown query parameter")
	}
	return v.Err()
}

// forgetCustomer is POST /v1/customers/{id}/forget {reason}: the customer's personal data
// is made unreadable everywhere (its key destroyed, read models scrubbed); the customer is
// archived and its non-personal history stays.
func (s *Server) forgetCustomer(w http.ResponseWriter, r *http.Request) {
	o, err := readObject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var reason string
	o.into("reason", &reason)
	if err := o.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cmd.ForgetCustomer(r.Context(), mux.Vars(r)["id"], reason, commands.WithMetadata(meta(r)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.replyCustomer(w, http.StatusOK, res)
}
