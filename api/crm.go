package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// CRM: /v1/leads, /v1/contacts, /v1/opportunities, /v1/cases (alias /v1/cases_tickets).
// People's names are spelt as StateSet spells them (firstName, lastName, leadSource,
// caseName); the snake_case spellings are accepted too.

// ---- Leads ----

type leadJSON struct {
	ID         string `json:"id"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	Company    string `json:"company"`
	Title      string `json:"title"`
	LeadSource string `json:"leadSource"`
	Notes      string `json:"notes"`
	Status     string `json:"status"`
	CustomerID string `json:"customer_id,omitempty"`
	Reason     string `json:"reason,omitempty"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	Version    int64  `json:"version"`
}

func leadOf(l *domain.Lead) leadJSON {
	return leadJSON{ID: l.ID, FirstName: l.FirstName, LastName: l.LastName, Email: l.Email, Phone: l.Phone,
		Company: l.Company, Title: l.Title, LeadSource: l.LeadSource, Notes: l.Notes, Status: string(l.Status),
		CustomerID: l.CustomerID, Reason: l.Reason, CreatedAt: rfc3339(l.CreatedAt), UpdatedAt: rfc3339(l.UpdatedAt),
		Version: l.Version}
}

// createLead is POST /v1/leads {id?, firstName, lastName, email, phone, company, title,
// leadSource, notes}.
// createLeadRequest is the body of POST /v1/leads.
type createLeadRequest struct {
	ID         string  `json:"id,omitempty"`
	FirstName  *string `json:"firstName,omitempty" alias:"first_name"`
	LastName   *string `json:"lastName,omitempty" alias:"last_name"`
	Email      *string `json:"email,omitempty"`
	Phone      *string `json:"phone,omitempty"`
	Company    *string `json:"company,omitempty"`
	Title      *string `json:"title,omitempty"`
	LeadSource *string `json:"leadSource,omitempty" alias:"lead_source"`
	Notes      *string `json:"notes,omitempty"`
	Status     *string `json:"status,omitempty"` // NEW, if given
}

func (s *Server) createLead(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateLead{LeadID: commands.NewID()}
	create(s, w, r, "/v1/leads/", func(l *domain.Lead) string { return l.ID }, leadOf, func(o *object) {
		in := createLeadRequest{ID: cmd.LeadID} // a generated id unless one is given
		o.fill(&in)
		cmd.LeadID = in.ID
		cmd.FirstName, cmd.LastName, cmd.Email, cmd.Phone = deref(in.FirstName), deref(in.LastName), deref(in.Email), deref(in.Phone)
		cmd.Company, cmd.Title, cmd.LeadSource, cmd.Notes = deref(in.Company), deref(in.Title), deref(in.LeadSource), deref(in.Notes)
		if in.Status != nil && *in.Status != string(domain.LeadStatusNew) {
			o.v.Add("status", "a lead is created NEW; use the actions to move it")
		}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Lead], error) {
		return s.cmd.CRM().CreateLead(r.Context(), cmd, opts...)
	})
}

// updateLeadRequest is the body of PUT /v1/leads/{id}: the fields given replace the old
// values.
type updateLeadRequest struct {
	FirstName  *string `json:"firstName,omitempty" alias:"first_name"`
	LastName   *string `json:"lastName,omitempty" alias:"last_name"`
	Email      *string `json:"email,omitempty"`
	Phone      *string `json:"phone,omitempty"`
	Company    *string `json:"company,omitempty"`
	Title      *string `json:"title,omitempty"`
	LeadSource *string `json:"leadSource,omitempty" alias:"lead_source"`
	Notes      *string `json:"notes,omitempty"`
}

// updateLead is PUT /v1/leads/{id}, until the lead is converted or disqualified.
func (s *Server) updateLead(w http.ResponseWriter, r *http.Request) {
	var in updateLeadRequest
	command(s, w, r, leadOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Lead], error) {
		return s.cmd.CRM().UpdateLead(r.Context(), mux.Vars(r)["id"], domain.UpdateLead{FirstName: in.FirstName, LastName: in.LastName,
			Email: in.Email, Phone: in.Phone, Company: in.Company, Title: in.Title, LeadSource: in.LeadSource, Notes: in.Notes}, opts...)
	})
}

func (s *Server) leadAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, leadOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Lead], error) {
		return s.cmd.CRM().ActOnLead(r.Context(), id, action, reason, opts...)
	})
}

// convertLead is POST /v1/leads/{id}/convert: creates the customer, then converts.
func (s *Server) convertLead(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, leadOf, noFields, func(opts []commands.Option) (commands.Result[domain.Lead], error) {
		return s.cmd.CRM().ConvertLead(r.Context(), mux.Vars(r)["id"], opts...)
	})
}

func (s *Server) getLead(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Leads().Name()), func() (projections.Doc[domain.Lead], error) {
		return s.read.GetLead(r.Context(), mux.Vars(r)["id"])
	}, func(l *domain.Lead) int64 { return l.Version }, leadOf)
}

func (s *Server) listLeads(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Leads().Name(), projections.LeadColumns, domain.LeadStatuses,
		func(f projections.Filter) ([]*domain.Lead, projections.PageInfo, error) {
			return s.read.ListLeads(r.Context(), f)
		}, leadOf)
}

func (s *Server) leadHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "lead") }

// ---- Contacts ----

type contactJSON struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id,omitempty"`
	SupplierID string `json:"supplier_id,omitempty"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	Title      string `json:"title"`
	Notes      string `json:"notes"`
	Status     string `json:"status"`
	IsPrimary  bool   `json:"is_primary"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	Version    int64  `json:"version"`
}

func contactOf(c *domain.Contact) contactJSON {
	return contactJSON{ID: c.ID, CustomerID: c.CustomerID, SupplierID: c.SupplierID, FirstName: c.FirstName,
		LastName: c.LastName, Email: c.Email, Phone: c.Phone, Title: c.Title, Notes: c.Notes, Status: string(c.Status),
		IsPrimary: c.Primary, CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt), Version: c.Version}
}

// createContactRequest is the body of POST /v1/contacts: one of customer_id and
// supplier_id.
type createContactRequest struct {
	ID         string  `json:"id,omitempty"`
	CustomerID *string `json:"customer_id,omitempty"`
	SupplierID *string `json:"supplier_id,omitempty"`
	FirstName  *string `json:"firstName,omitempty" alias:"first_name"`
	LastName   *string `json:"lastName,omitempty" alias:"last_name"`
	Email      *string `json:"email,omitempty"`
	Phone      *string `json:"phone,omitempty"`
	Title      *string `json:"title,omitempty"`
	Notes      *string `json:"notes,omitempty"`
}

// createContact is POST /v1/contacts {id?, customer_id | supplier_id, firstName, lastName,
// email, phone, title, notes}.
func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateContact{ContactID: commands.NewID()}
	create(s, w, r, "/v1/contacts/", func(c *domain.Contact) string { return c.ID }, contactOf, func(o *object) {
		in := createContactRequest{ID: cmd.ContactID} // a generated id unless one is given
		o.fill(&in)
		cmd.ContactID = in.ID
		cmd.CustomerID, cmd.SupplierID = deref(in.CustomerID), deref(in.SupplierID)
		cmd.FirstName, cmd.LastName, cmd.Email, cmd.Phone = deref(in.FirstName), deref(in.LastName), deref(in.Email), deref(in.Phone)
		cmd.Title, cmd.Notes = deref(in.Title), deref(in.Notes)
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Contact], error) {
		return s.cmd.CRM().CreateContact(r.Context(), cmd, opts...)
	})
}

// updateContactRequest is the body of PUT /v1/contacts/{id}: the fields given replace the
// old values (whose contact it is does not change).
type updateContactRequest struct {
	FirstName *string `json:"firstName,omitempty" alias:"first_name"`
	LastName  *string `json:"lastName,omitempty" alias:"last_name"`
	Email     *string `json:"email,omitempty"`
	Phone     *string `json:"phone,omitempty"`
	Title     *string `json:"title,omitempty"`
	Notes     *string `json:"notes,omitempty"`
}

// updateContact is PUT /v1/contacts/{id}, while the contact is ACTIVE.
func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) {
	var in updateContactRequest
	command(s, w, r, contactOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Contact], error) {
		return s.cmd.CRM().UpdateContact(r.Context(), mux.Vars(r)["id"], domain.UpdateContact{FirstName: in.FirstName, LastName: in.LastName,
			Email: in.Email, Phone: in.Phone, Title: in.Title, Notes: in.Notes}, opts...)
	})
}

func (s *Server) contactAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, contactOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Contact], error) {
		return s.cmd.CRM().ActOnContact(r.Context(), id, action, reason, opts...)
	})
}

// setPrimaryContact is POST /v1/contacts/{id}/primary: its customer or supplier names it
// the primary contact, in place of the one before.
func (s *Server) setPrimaryContact(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, contactOf, noFields, func(opts []commands.Option) (commands.Result[domain.Contact], error) {
		return s.cmd.CRM().SetPrimaryContact(r.Context(), mux.Vars(r)["id"], opts...)
	})
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Contacts().Name()), func() (projections.Doc[domain.Contact], error) {
		return s.read.GetContact(r.Context(), mux.Vars(r)["id"])
	}, func(c *domain.Contact) int64 { return c.Version }, contactOf)
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Contacts().Name(), projections.ContactColumns, domain.ContactStatuses,
		func(f projections.Filter) ([]*domain.Contact, projections.PageInfo, error) {
			return s.read.ListContacts(r.Context(), f)
		}, contactOf)
}

func (s *Server) contactHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "contact") }

// ---- Opportunities ----

type opportunityJSON struct {
	domain.Opportunity
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func opportunityOf(o *domain.Opportunity) opportunityJSON {
	return opportunityJSON{Opportunity: *o, CreatedAt: rfc3339(o.CreatedAt), UpdatedAt: rfc3339(o.UpdatedAt)}
}

// createOpportunityRequest is the body of POST /v1/opportunities: one of customer_id and
// lead_id; amount in minor units, close_date YYYY-MM-DD or RFC 3339, probability 0 to 100.
type createOpportunityRequest struct {
	ID          string  `json:"id,omitempty"`
	Name        string  `json:"name,omitempty"`
	Description string  `json:"description,omitempty"`
	CustomerID  string  `json:"customer_id,omitempty"`
	LeadID      string  `json:"lead_id,omitempty"`
	Amount      int64   `json:"amount,omitempty"`
	Currency    string  `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	CloseDate   *string `json:"close_date,omitempty" alias:"closeDate"`
	Probability int     `json:"probability,omitempty" minimum:"0" maximum:"100"`
}

// createOpportunity is POST /v1/opportunities {id?, name, description?, customer_id |
// lead_id, amount, currency, close_date?, probability?}.
func (s *Server) createOpportunity(w http.ResponseWriter, r *http.Request) {
	var cmd domain.CreateOpportunity
	create(s, w, r, "/v1/opportunities/", func(o *domain.Opportunity) string { return o.ID }, opportunityOf, func(o *object) {
		in := createOpportunityRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.CreateOpportunity{OpportunityID: in.ID, Name: in.Name, Description: in.Description,
			CustomerID: in.CustomerID, LeadID: in.LeadID, Amount: in.Amount, Currency: in.Currency,
			CloseDate: deref(in.CloseDate), Probability: in.Probability}
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.Opportunity], error) {
		return s.cmd.CRM().CreateOpportunity(r.Context(), cmd, opts...)
	})
}

// updateOpportunityRequest is the body of PUT /v1/opportunities/{id}: the fields given
// replace the old values (whose deal it is does not change).
type updateOpportunityRequest struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Amount      *int64  `json:"amount,omitempty"`
	Currency    *string `json:"currency,omitempty" pattern:"^[A-Z]{3}$"`
	CloseDate   *string `json:"close_date,omitempty" alias:"closeDate"`
	Probability *int    `json:"probability,omitempty" minimum:"0" maximum:"100"`
}

// updateOpportunity is PUT /v1/opportunities/{id}, while the deal is open.
func (s *Server) updateOpportunity(w http.ResponseWriter, r *http.Request) {
	var in updateOpportunityRequest
	command(s, w, r, opportunityOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Opportunity], error) {
		return s.cmd.CRM().UpdateOpportunity(r.Context(), mux.Vars(r)["id"], domain.UpdateOpportunity{Name: in.Name, Description: in.Description,
			Amount: in.Amount, Currency: in.Currency, CloseDate: in.CloseDate, Probability: in.Probability}, opts...)
	})
}

func (s *Server) opportunityAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, opportunityOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Opportunity], error) {
		return s.cmd.CRM().ActOnOpportunity(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getOpportunity(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Opportunities().Name()), func() (projections.Doc[domain.Opportunity], error) {
		return s.read.GetOpportunity(r.Context(), mux.Vars(r)["id"])
	}, func(o *domain.Opportunity) int64 { return o.Version }, opportunityOf)
}

func (s *Server) listOpportunities(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Opportunities().Name(), projections.OpportunityColumns, domain.OpportunityStatuses,
		func(f projections.Filter) ([]*domain.Opportunity, projections.PageInfo, error) {
			return s.read.ListOpportunities(r.Context(), f)
		}, opportunityOf)
}

func (s *Server) opportunityHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "opportunity")
}

// ---- Cases ----

type caseNoteJSON struct {
	ID        string `json:"id"`
	Body      string `json:"body"`
	Author    string `json:"author"`
	CreatedAt string `json:"created_at"`
}

type caseJSON struct {
	ID          string         `json:"id"`
	CaseNumber  string         `json:"case_number"`
	CaseName    string         `json:"caseName"`
	Description string         `json:"description"`
	Submitter   string         `json:"submitter"`
	Priority    string         `json:"priority"`
	Status      string         `json:"status"`
	CustomerID  string         `json:"customer_id,omitempty"`
	OrderID     string         `json:"order_id,omitempty"`
	Assignee    string         `json:"assignee,omitempty"`
	Resolution  string         `json:"resolution,omitempty"`
	Notes       []caseNoteJSON `json:"notes"`
	CreatedAt   string         `json:"created_at"`
	UpdatedAt   string         `json:"updated_at"`
	Version     int64          `json:"version"`
}

func caseNotesOf(c *domain.Case) []caseNoteJSON {
	out := make([]caseNoteJSON, len(c.Notes))
	for i, n := range c.Notes {
		out[i] = caseNoteJSON{ID: n.ID, Body: n.Body, Author: n.Author, CreatedAt: rfc3339(n.CreatedAt)}
	}
	return out
}

func caseOf(c *domain.Case) caseJSON {
	return caseJSON{ID: c.ID, CaseNumber: c.CaseNumber, CaseName: c.CaseName, Description: c.Description,
		Submitter: c.Submitter, Priority: c.Priority, Status: string(c.Status), CustomerID: c.CustomerID, OrderID: c.OrderID,
		Assignee: c.Assignee, Resolution: c.Resolution, Notes: caseNotesOf(c), CreatedAt: rfc3339(c.CreatedAt),
		UpdatedAt: rfc3339(c.UpdatedAt), Version: c.Version}
}

// createCaseRequest is the body of POST /v1/cases.
type createCaseRequest struct {
	ID          string  `json:"id,omitempty"`
	CaseName    *string `json:"caseName,omitempty" alias:"case_name"`
	Description *string `json:"description,omitempty"`
	Submitter   *string `json:"submitter,omitempty"`
	Priority    *string `json:"priority,omitempty" enum:"LOW,MEDIUM,HIGH,URGENT"` // MEDIUM unless given
	CustomerID  *string `json:"customer_id,omitempty"`
	OrderID     *string `json:"order_id,omitempty"`
}

// createCase is POST /v1/cases {id?, caseName, description?, submitter?, priority?,
// customer_id?, order_id?}.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request) {
	var cmd domain.OpenCase
	create(s, w, r, "/v1/cases/", func(c *domain.Case) string { return c.ID }, caseOf, func(o *object) {
		in := createCaseRequest{ID: commands.NewID()} // a generated id unless one is given
		o.fill(&in)
		cmd = domain.OpenCase{CaseID: in.ID, CaseName: deref(in.CaseName), Description: deref(in.Description),
			Submitter: deref(in.Submitter), Priority: deref(in.Priority), CustomerID: deref(in.CustomerID),
			OrderID: deref(in.OrderID)}
	}, func(opts []commands.Option) (commands.Result[domain.Case], error) {
		return s.cmd.CRM().OpenCase(r.Context(), cmd, opts...)
	})
}

// assignCaseRequest is the body of POST /v1/cases/{id}/assign.
type assignCaseRequest struct {
	Assignee *string `json:"assignee,omitempty"`
}

// updateCaseRequest is the body of PUT /v1/cases/{id}: the fields given replace the old
// values (whose case it is does not change).
type updateCaseRequest struct {
	CaseName    *string `json:"caseName,omitempty" alias:"case_name"`
	Description *string `json:"description,omitempty"`
	Submitter   *string `json:"submitter,omitempty"`
	Priority    *string `json:"priority,omitempty" enum:"LOW,MEDIUM,HIGH,URGENT"`
}

// updateCase is PUT /v1/cases/{id}, until the case is closed.
func (s *Server) updateCase(w http.ResponseWriter, r *http.Request) {
	var in updateCaseRequest
	command(s, w, r, caseOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.Case], error) {
		return s.cmd.CRM().UpdateCase(r.Context(), mux.Vars(r)["id"], domain.UpdateCase{CaseName: in.CaseName, Description: in.Description,
			Submitter: in.Submitter, Priority: in.Priority}, opts...)
	})
}

// assignCase is POST /v1/cases/{id}/assign {assignee}.
func (s *Server) assignCase(w http.ResponseWriter, r *http.Request) {
	var in assignCaseRequest
	command(s, w, r, caseOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Case], error) {
			return s.cmd.CRM().AssignCase(r.Context(), mux.Vars(r)["id"], deref(in.Assignee), opts...)
		})
}

// caseAction is POST /v1/cases/{id}/{hold|resume|resolve|close|reopen} {reason}; a
// resolve may say {resolution} instead (resolveCase).
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request) {
	if mux.Vars(r)["action"] == "resolve" {
		s.resolveCase(w, r)
		return
	}
	reasonAction(s, w, r, caseOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.Case], error) {
		return s.cmd.CRM().ActOnCase(r.Context(), id, action, reason, opts...)
	})
}

// resolveCaseRequest is the body of POST /v1/cases/{id}/resolve: the resolution, given
// as resolution or, as every status action's, as reason (resolution wins).
type resolveCaseRequest struct {
	Reason     *string `json:"reason,omitempty"`
	Resolution *string `json:"resolution,omitempty"`
}

// resolveCase is POST /v1/cases/{id}/resolve {resolution | reason}.
func (s *Server) resolveCase(w http.ResponseWriter, r *http.Request) {
	var in resolveCaseRequest
	command(s, w, r, caseOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Case], error) {
			resolution := deref(in.Reason)
			if in.Resolution != nil {
				resolution = *in.Resolution
			}
			return s.cmd.CRM().ActOnCase(r.Context(), mux.Vars(r)["id"], "resolve", resolution, opts...)
		})
}

// addCaseNoteRequest is the body of POST /v1/cases/{id}/notes.
type addCaseNoteRequest struct {
	ID     string  `json:"id,omitempty"`
	Body   *string `json:"body,omitempty" alias:"note"` // note: the SDK's spelling
	Author *string `json:"author,omitempty"`
}

// addCaseNote is POST /v1/cases/{id}/notes {id?, body (or the SDK's note), author?} →
// 201 with the case.
func (s *Server) addCaseNote(w http.ResponseWriter, r *http.Request) {
	var in addCaseNoteRequest
	addTo(s, w, r, caseOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.Case], error) {
			return s.cmd.CRM().AddCaseNote(r.Context(), mux.Vars(r)["id"], in.ID, deref(in.Body), deref(in.Author), opts...)
		})
}

// caseNotes is GET /v1/cases/{id}/notes: the notes in the order they were added.
func (s *Server) caseNotes(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Cases().Name()), func() (projections.Doc[domain.Case], error) {
		return s.read.GetCase(r.Context(), mux.Vars(r)["id"])
	}, func(c *domain.Case) int64 { return c.Version }, func(c *domain.Case) listBody[caseNoteJSON] {
		return newList(caseNotesOf(c), false, "")
	})
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.Cases().Name()), func() (projections.Doc[domain.Case], error) {
		return s.read.GetCase(r.Context(), mux.Vars(r)["id"])
	}, func(c *domain.Case) int64 { return c.Version }, caseOf)
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.Cases().Name(), projections.CaseColumns, domain.CaseStatuses,
		func(f projections.Filter) ([]*domain.Case, projections.PageInfo, error) {
			return s.read.ListCases(r.Context(), f)
		}, caseOf)
}

func (s *Server) caseHistory(w http.ResponseWriter, r *http.Request) { s.history(w, r, "case") }
