package domain

import (
	"slices"
	"strings"
	"time"
)

// CaseStatus is where a support case is.
type CaseStatus string

const (
	CaseStatusNew        CaseStatus = "NEW"
	CaseStatusInProgress CaseStatus = "IN_PROGRESS"
	CaseStatusOnHold     CaseStatus = "ON_HOLD"
	CaseStatusResolved   CaseStatus = "RESOLVED"
	CaseStatusClosed     CaseStatus = "CLOSED"
)

// CaseStatuses lists every status, in life order.
var CaseStatuses = []CaseStatus{CaseStatusNew, CaseStatusInProgress, CaseStatusOnHold, CaseStatusResolved, CaseStatusClosed}

// CaseActions are the status actions of POST /v1/cases/{id}/{action}; "assign" has a body
// ({assignee}) and its own command, and "add_note" is POST /v1/cases/{id}/notes.
var CaseActions = []string{"hold", "resume", "resolve", "close", "reopen"}

// CasePriorities are how urgent a case is.
var CasePriorities = []string{"LOW", "MEDIUM", "HIGH", "URGENT"}

var caseAll = []CaseStatus{CaseStatusNew, CaseStatusInProgress, CaseStatusOnHold, CaseStatusResolved, CaseStatusClosed}

// caseFlow is the case state machine. Assigning starts the work (and reassigns a case in
// progress or on hold, which keeps its status); a held case resumes; a case is resolved
// from work or hold, closed once resolved, and reopened from RESOLVED or CLOSED back into
// work. A new case may be resolved unworked (a duplicate, spam). Notes may be added in every status (a customer may write after the close).
var caseFlow = Flow[CaseStatus]{Entity: "case", Steps: slices.Concat(
	[]Step[CaseStatus]{
		{CaseStatusNew, "assign", CaseStatusInProgress},
		{CaseStatusInProgress, "assign", CaseStatusInProgress},
		{CaseStatusOnHold, "assign", CaseStatusOnHold},
		{CaseStatusInProgress, "hold", CaseStatusOnHold},
		{CaseStatusOnHold, "resume", CaseStatusInProgress},
		{CaseStatusNew, "resolve", CaseStatusResolved},
		{CaseStatusInProgress, "resolve", CaseStatusResolved},
		{CaseStatusOnHold, "resolve", CaseStatusResolved},
		{CaseStatusResolved, "close", CaseStatusClosed},
		{CaseStatusResolved, "reopen", CaseStatusInProgress},
		{CaseStatusClosed, "reopen", CaseStatusInProgress},
	},
	stay(caseAll, "add_note"),
)}

// CaseNote is one entry of a case's notes timeline.
type CaseNote struct {
	ID        string    `json:"id"`
	Body      string    `json:"body"`
	Author    string    `json:"author,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Case is a support case (StateSet's cases/tickets).
type Case struct {
	ID          string     `json:"id"`
	CaseNumber  string     `json:"case_number"`
	CaseName    string     `json:"case_name"`
	Description string     `json:"description,omitempty"`
	Submitter   string     `json:"submitter,omitempty"`
	Priority    string     `json:"priority"`
	CustomerID  string     `json:"customer_id,omitempty"`
	OrderID     string     `json:"order_id,omitempty"`
	Assignee    string     `json:"assignee,omitempty"`
	Resolution  string     `json:"resolution,omitempty"`
	Status      CaseStatus `json:"status"`
	Notes       []CaseNote `json:"notes,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int64      `json:"version"`
}

// Exists reports whether the case has been opened.
func (c *Case) Exists() bool { return c.Version > 0 }

// CurrentVersion is the case's event count.
func (c *Case) CurrentVersion() int64 { return c.Version }

// Clone returns a deep copy.
// PersonalSubject: a case linked to a customer is that customer's data.
func (c *Case) PersonalSubject() string { return c.CustomerID }

// Forget zeroes what the case holds of personal fields (see Lead.Forget).
func (c *Case) Forget() {
	c.CaseName, c.Description, c.Submitter = "", "", ""
	c.Notes = slices.Clone(c.Notes)
	for i := range c.Notes {
		c.Notes[i].Body = ""
	}
}

func (c *Case) Clone() *Case {
	cp := *c
	cp.Notes = slices.Clone(c.Notes)
	return &cp
}

// OpenCase opens a case, NEW; the caller assigns id and number.
type OpenCase struct {
	CaseID      string
	CaseNumber  string
	CaseName    string
	Description string
	Submitter   string
	Priority    string // default MEDIUM
	CustomerID  string // optional
	OrderID     string // optional
}

// Check records every invalid field of the command in v.
func (cmd OpenCase) Check(v *Validation) {
	v.Check(ValidID(cmd.CaseID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(cmd.CaseNumber) != "" && len(cmd.CaseNumber) <= 64, "case_number", "is required, at most 64 characters")
	v.Check(strings.TrimSpace(cmd.CaseName) != "" && len(cmd.CaseName) <= 200, "caseName", "is required, at most 200 characters")
	v.Check(len(cmd.Description) <= 10000, "description", "at most 10000 characters")
	v.Check(len(cmd.Submitter) <= 200, "submitter", "at most 200 characters")
	v.Check(cmd.Priority == "" || slices.Contains(CasePriorities, cmd.Priority), "priority", "must be one of "+strings.Join(CasePriorities, ", "))
	v.Check(cmd.CustomerID == "" || ValidID(cmd.CustomerID), "customer_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(cmd.OrderID == "" || ValidID(cmd.OrderID), "order_id", "must match ^[A-Za-z0-9_-]{1,64}$")
}

// CaseUpdated: the case's details changed; only the changed fields are present.
type CaseUpdated struct {
	CaseID      string  `json:"case_id"`
	CustomerID  string  `json:"customer_id,omitempty"` // whose data it is (see PersonalSubject)
	CaseName    *string `json:"case_name,omitempty" personal:"true"`
	Description *string `json:"description,omitempty" personal:"true"`
	Submitter   *string `json:"submitter,omitempty" personal:"true"`
	Priority    *string `json:"priority,omitempty"`
}

// PersonalSubject: the case's customer, when it has one.
func (e CaseUpdated) PersonalSubject() string { return e.CustomerID }

// UpdateCase edits a case's details; nil leaves a field alone.
type UpdateCase struct {
	CaseName, Description, Submitter, Priority *string
}

// Update decides an edit of a case that is not CLOSED (reopen it first: a
// *TransitionError), the new details checked as an opening's are; nothing changed, no
// event.
func (c *Case) Update(cmd UpdateCase) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if c.Status == CaseStatusClosed {
		return nil, &TransitionError{Entity: "case", From: string(c.Status), Action: "update"}
	}
	var v Validation
	OpenCase{CaseID: c.ID, CaseNumber: c.CaseNumber, CaseName: or(cmd.CaseName, c.CaseName), Description: or(cmd.Description, c.Description),
		Submitter: or(cmd.Submitter, c.Submitter), Priority: or(cmd.Priority, c.Priority), CustomerID: c.CustomerID, OrderID: c.OrderID}.Check(&v)
	v.Check(cmd.Priority == nil || *cmd.Priority != "", "priority", "must be one of "+strings.Join(CasePriorities, ", "))
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := CaseUpdated{CaseID: c.ID, CustomerID: c.CustomerID, CaseName: edited(&changed, c.CaseName, cmd.CaseName),
		Description: edited(&changed, c.Description, cmd.Description), Submitter: edited(&changed, c.Submitter, cmd.Submitter),
		Priority: edited(&changed, c.Priority, cmd.Priority)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// CaseOpened: a case came to be, NEW.
type CaseOpened struct {
	CaseID      string `json:"case_id"`
	CaseNumber  string `json:"case_number"`
	CaseName    string `json:"case_name" personal:"true"`
	Description string `json:"description,omitempty" personal:"true"`
	Submitter   string `json:"submitter,omitempty" personal:"true"`
	Priority    string `json:"priority"`
	CustomerID  string `json:"customer_id,omitempty"`
	OrderID     string `json:"order_id,omitempty"`
}

// CaseAssigned: someone took the case (or it was handed to someone else).
type CaseAssigned struct {
	CaseID   string     `json:"case_id"`
	From     CaseStatus `json:"from"`
	To       CaseStatus `json:"to"`
	Assignee string     `json:"assignee"`
}

// CaseStatusChanged: hold, resume, resolve, close or reopen. A resolve's reason is the
// resolution.
type CaseStatusChanged struct {
	CaseID string     `json:"case_id"`
	From   CaseStatus `json:"from"`
	To     CaseStatus `json:"to"`
	Action string     `json:"action"`
	Reason string     `json:"reason,omitempty"`
}

// CaseNoteAdded: a note joined the case's timeline. It names the case's customer, whose
// personal data the body may hold.
type CaseNoteAdded struct {
	CaseID     string    `json:"case_id"`
	NoteID     string    `json:"note_id"`
	Body       string    `json:"body" personal:"true"`
	Author     string    `json:"author,omitempty"`
	CustomerID string    `json:"customer_id,omitempty"`
	AddedAt    time.Time `json:"added_at"`
}

// PersonalSubject: a case linked to a customer is about that customer.
func (e CaseOpened) PersonalSubject() string { return e.CustomerID }

// PersonalSubject: the case's customer, when it has one.
func (e CaseNoteAdded) PersonalSubject() string { return e.CustomerID }

// Open decides opening a case.
func (c *Case) Open(cmd OpenCase) ([]Event, error) {
	if c.Exists() {
		return nil, &AlreadyExistsError{Entity: "case", Field: "id"}
	}
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if cmd.Priority == "" {
		cmd.Priority = "MEDIUM"
	}
	return []Event{CaseOpened{CaseID: cmd.CaseID, CaseNumber: cmd.CaseNumber, CaseName: cmd.CaseName,
		Description: cmd.Description, Submitter: cmd.Submitter, Priority: cmd.Priority, CustomerID: cmd.CustomerID,
		OrderID: cmd.OrderID}}, nil
}

// Assign decides handing the case to assignee (required).
func (c *Case) Assign(assignee string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	next, err := caseFlow.Next(c.Status, "assign")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(assignee) == "" || len(assignee) > 200 {
		return nil, &ValidationError{Fields: []FieldError{{"assignee", "is required, at most 200 characters"}}}
	}
	if assignee == c.Assignee && next == c.Status {
		return nil, nil // already theirs: nothing happens
	}
	return []Event{CaseAssigned{CaseID: c.ID, From: c.Status, To: next, Assignee: assignee}}, nil
}

// Act decides one of CaseActions.
func (c *Case) Act(action, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if !slices.Contains(CaseActions, action) {
		return nil, &ValidationError{Fields: []FieldError{{"action", "must be one of " + strings.Join(CaseActions, ", ")}}}
	}
	next, err := caseFlow.Next(c.Status, action)
	if err != nil {
		return nil, err
	}
	if len(reason) > 5000 {
		return nil, &ValidationError{Fields: []FieldError{{"reason", "at most 5000 characters"}}}
	}
	return []Event{CaseStatusChanged{CaseID: c.ID, From: c.Status, To: next, Action: action, Reason: reason}}, nil
}

// AddNote decides a note at now; the caller assigns its id.
func (c *Case) AddNote(noteID, body, author string, now time.Time) ([]Event, error) {
	if !c.Exists() {
		return nil, ErrNotFound
	}
	if _, err := caseFlow.Next(c.Status, "add_note"); err != nil {
		return nil, err
	}
	var v Validation
	v.Check(ValidID(noteID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(strings.TrimSpace(body) != "" && len(body) <= 10000, "body", "is required, at most 10000 characters")
	v.Check(len(author) <= 200, "author", "at most 200 characters")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if slices.ContainsFunc(c.Notes, func(n CaseNote) bool { return n.ID == noteID }) {
		return nil, &AlreadyExistsError{Entity: "case note", Field: "id"}
	}
	return []Event{CaseNoteAdded{CaseID: c.ID, NoteID: noteID, Body: body, Author: author, CustomerID: c.CustomerID, AddedAt: now.UTC()}}, nil
}

// Apply folds a case event in.
func (c *Case) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case CaseOpened:
		*c = Case{ID: e.CaseID, CaseNumber: e.CaseNumber, CaseName: e.CaseName, Description: e.Description,
			Submitter: e.Submitter, Priority: e.Priority, CustomerID: e.CustomerID, OrderID: e.OrderID,
			Status: CaseStatusNew, CreatedAt: env.Time}
	case CaseUpdated:
		put(&c.CaseName, e.CaseName)
		put(&c.Description, e.Description)
		put(&c.Submitter, e.Submitter)
		put(&c.Priority, e.Priority)
	case CaseAssigned:
		c.Status, c.Assignee = e.To, e.Assignee
	case CaseStatusChanged:
		c.Status = e.To
		switch e.Action {
		case "resolve":
			c.Resolution = e.Reason
		case "reopen":
			c.Resolution = ""
		}
	case CaseNoteAdded:
		c.Notes = append(slices.Clone(c.Notes), CaseNote{ID: e.NoteID, Body: e.Body, Author: e.Author, CreatedAt: e.AddedAt})
	}
	c.Version = env.Version
	c.UpdatedAt = env.Time
}

func (CaseOpened) EventType() string        { return "CaseOpened" }
func (CaseUpdated) EventType() string       { return "CaseUpdated" }
func (CaseAssigned) EventType() string      { return "CaseAssigned" }
func (CaseStatusChanged) EventType() string { return "CaseStatusChanged" }
func (CaseNoteAdded) EventType() string     { return "CaseNoteAdded" }

func caseEvents(r *Registry) {
	Register[CaseOpened](r, "case", 1, nil)
	Register[CaseUpdated](r, "case", 1, nil)
	Register[CaseAssigned](r, "case", 1, nil)
	Register[CaseStatusChanged](r, "case", 1, nil)
	Register[CaseNoteAdded](r, "case", 1, nil)
}
