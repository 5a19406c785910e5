package domain

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// PickListStatus is where a pick list is in its life.
type PickListStatus string

const (
	PickListStatusCreated    PickListStatus = "CREATED"
	PickListStatusInProgress PickListStatus = "IN_PROGRESS"
	PickListStatusCompleted  PickListStatus = "COMPLETED"
	PickListStatusCancelled  PickListStatus = "CANCELLED"
)

// PickListStatuses lists every status, in life order.
var PickListStatuses = []PickListStatus{PickListStatusCreated, PickListStatusInProgress, PickListStatusCompleted, PickListStatusCancelled}

// PickListActions are the actions of POST /v1/pick_lists/{id}/{action}.
var PickListActions = []string{"start", "complete", "cancel"}

var pickListFlow = Flow[PickListStatus]{Entity: "pick list", Steps: []Step[PickListStatus]{
	{PickListStatusCreated, "start", PickListStatusInProgress},
	{PickListStatusInProgress, "complete", PickListStatusCompleted},
	{PickListStatusInProgress, "record", PickListStatusInProgress},
	{PickListStatusCreated, "cancel", PickListStatusCancelled},
	{PickListStatusInProgress, "cancel", PickListStatusCancelled},
}}

// PickLine is one order line to pick: Quantity is what the order has left to ship,
// Picked what the picker reported, as picking went (Recorded) or on completion.
type PickLine struct {
	OrderID  string `json:"order_id"`
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	Picked   int64  `json:"picked"`
	Recorded bool   `json:"recorded,omitempty"`
}

// PickList gathers confirmed orders' lines at one warehouse for a picker.
type PickList struct {
	ID          string         `json:"id"`
	WarehouseID string         `json:"warehouse_id"`
	OrderIDs    []string       `json:"order_ids"`
	Lines       []PickLine     `json:"lines"`
	Priority    string         `json:"priority,omitempty"` // "" is NORMAL
	Picker      string         `json:"picker,omitempty"`   // who picks it
	Status      PickListStatus `json:"status"`
	Checks      []PickCheck    `json:"checks,omitempty"` // verifications of what was picked, oldest first
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Version     int64          `json:"version"`
}

// Exists reports whether the pick list has been created.
func (p *PickList) Exists() bool { return p.Version > 0 }

// CurrentVersion is the pick list's event count.
func (p *PickList) CurrentVersion() int64 { return p.Version }

// CreatePickList creates a pick list; Lines are gathered from the orders by the caller.
type CreatePickList struct {
	PickListID  string
	WarehouseID string
	OrderIDs    []string
	Lines       []PickLine
	Priority    string // LOW, NORMAL (""), HIGH or URGENT
	Picker      string
}

// PickListPriorities are how urgent a pick list is.
var PickListPriorities = []string{"LOW", "NORMAL", "HIGH", "URGENT"}

func checkPickDetails(v *Validation, priority, picker string) {
	v.Check(priority == "" || slices.Contains(PickListPriorities, priority), "priority", "must be one of LOW, NORMAL, HIGH, URGENT")
	v.Check(len(picker) <= 200, "picker", "at most 200 characters")
}

// UpdatePickList edits who picks a list and how urgently; nil leaves a field alone.
type UpdatePickList struct {
	Priority, Picker *string
}

// PickListUpdated: the list's priority or picker changed; only what changed is present.
type PickListUpdated struct {
	PickListID string  `json:"pick_list_id"`
	Priority   *string `json:"priority,omitempty"`
	Picker     *string `json:"picker,omitempty"`
}

// Update decides an edit until the list is completed or cancelled (a *TransitionError);
// nothing changed, no event.
func (p *PickList) Update(cmd UpdatePickList) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if p.Status == PickListStatusCompleted || p.Status == PickListStatusCancelled {
		return nil, &TransitionError{Entity: "pick list", From: string(p.Status), Action: "update"}
	}
	var v Validation
	checkPickDetails(&v, or(cmd.Priority, p.Priority), or(cmd.Picker, p.Picker))
	if err := v.Err(); err != nil {
		return nil, err
	}
	var changed bool
	e := PickListUpdated{PickListID: p.ID, Priority: edited(&changed, p.Priority, cmd.Priority), Picker: edited(&changed, p.Picker, cmd.Picker)}
	if !changed {
		return nil, nil
	}
	return []Event{e}, nil
}

// Check validates the command (the lines are the caller's, not the user's).
func (cmd CreatePickList) Check(v *Validation) {
	v.Check(ValidID(cmd.PickListID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(ValidID(cmd.WarehouseID), "warehouse_id", "is required and must match ^[A-Za-z0-9_-]{1,64}$")
	v.Check(len(cmd.OrderIDs) > 0 && len(cmd.OrderIDs) <= 200, "order_ids", "must hold 1 to 200 order ids")
	seen := map[string]bool{}
	for i, id := range cmd.OrderIDs {
		v.Check(ValidID(id) && !seen[id], "order_ids["+strconv.Itoa(i)+"]", "must be an order id, given once")
		seen[id] = true
	}
	checkPickDetails(v, cmd.Priority, cmd.Picker)
}

// Create decides the pick list's creation; a list with nothing to pick is refused.
func (p *PickList) Create(cmd CreatePickList) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if len(v.fields) == 0 {
		v.Check(len(cmd.Lines) > 0, "order_ids", "the orders have nothing left to pick at this warehouse")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if p.Exists() {
		return nil, &AlreadyExistsError{Entity: "pick list", Field: "id"}
	}
	return []Event{PickListCreated{PickListID: cmd.PickListID, WarehouseID: cmd.WarehouseID,
		OrderIDs: slices.Clone(cmd.OrderIDs), Lines: slices.Clone(cmd.Lines), Priority: cmd.Priority, Picker: cmd.Picker}}, nil
}

// PickedLine is what was picked of one line.
type PickedLine struct {
	OrderID string `json:"order_id"`
	LineID  string `json:"line_id"`
	Picked  int64  `json:"picked"`
}

// Act decides start or cancel.
func (p *PickList) Act(action, reason string) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if action == "complete" {
		return p.Complete(nil)
	}
	if _, err := pickListFlow.Next(p.Status, action); err != nil {
		return nil, err
	}
	switch action {
	case "start":
		return []Event{PickListStarted{PickListID: p.ID, WarehouseID: p.WarehouseID, OrderIDs: slices.Clone(p.OrderIDs)}}, nil
	case "cancel":
		return []Event{PickListCancelled{PickListID: p.ID, From: p.Status, Reason: reason}}, nil
	}
	return nil, &TransitionError{Entity: "pick list", From: string(p.Status), Action: action}
}

// Complete decides the completion with what was picked. A line given is as reported; a
// line not given keeps what was recorded of it while picking (RecordPicks), else it was
// picked in full when no line is given, and not at all when some are.
func (p *PickList) Complete(lines []PickedLine) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if _, err := pickListFlow.Next(p.Status, "complete"); err != nil {
		return nil, err
	}
	reported, err := p.reported(lines)
	if err != nil {
		return nil, err
	}
	out := make([]PickedLine, len(p.Lines))
	for i, l := range p.Lines {
		out[i] = PickedLine{OrderID: l.OrderID, LineID: l.LineID}
		switch n, ok := reported[i]; {
		case ok:
			out[i].Picked = n
		case l.Recorded:
			out[i].Picked = l.Picked
		case len(lines) == 0:
			out[i].Picked = l.Quantity
		}
	}
	return []Event{PickListCompleted{PickListID: p.ID, Lines: out}}, nil
}

// RecordPicks decides recording, while picking, how much of some lines has been picked so
// far (each a count, not an increment, so a repeated report changes nothing); the
// completion keeps it. Only IN_PROGRESS (a *TransitionError with Action "record"); bad
// lines a *ValidationError; nothing changed, no event.
func (p *PickList) RecordPicks(lines []PickedLine) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if _, err := pickListFlow.Next(p.Status, "record"); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, &ValidationError{Fields: []FieldError{{"lines", "is required: at least one line picked"}}}
	}
	reported, err := p.reported(lines)
	if err != nil {
		return nil, err
	}
	var changed []PickedLine
	for i, l := range p.Lines {
		if n, ok := reported[i]; ok && (!l.Recorded || l.Picked != n) {
			changed = append(changed, PickedLine{OrderID: l.OrderID, LineID: l.LineID, Picked: n})
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	return []Event{PickListPicked{PickListID: p.ID, Lines: changed}}, nil
}

// reported checks lines against the pick list: the count picked of each, by the index of
// its line, or one *ValidationError.
func (p *PickList) reported(lines []PickedLine) (map[int]int64, error) {
	var v Validation
	out := map[int]int64{}
	for i, pl := range lines {
		f := "lines[" + strconv.Itoa(i) + "]."
		j := slices.IndexFunc(p.Lines, func(l PickLine) bool { return l.OrderID == pl.OrderID && l.LineID == pl.LineID })
		if _, twice := out[j]; j < 0 || twice {
			v.Add(f+"line_id", "is not a line of this pick list, or appears twice")
			continue
		}
		if pl.Picked < 0 || pl.Picked > p.Lines[j].Quantity {
			v.Add(f+"picked", fmt.Sprintf("must be from 0 to the %d to pick", p.Lines[j].Quantity))
			continue
		}
		out[j] = pl.Picked
	}
	return out, v.Err()
}

// Apply folds a pick list event in.
func (p *PickList) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case PickListCreated:
		*p = PickList{ID: e.PickListID, WarehouseID: e.WarehouseID, OrderIDs: slices.Clone(e.OrderIDs),
			Lines: slices.Clone(e.Lines), Priority: e.Priority, Picker: e.Picker, Status: PickListStatusCreated, CreatedAt: env.Time}
	case PickListUpdated:
		put(&p.Priority, e.Priority)
		put(&p.Picker, e.Picker)
	case PickListStarted:
		p.Status = PickListStatusInProgress
	case PickListCompleted:
		p.Status = PickListStatusCompleted
		p.setPicked(e.Lines, false)
	case PickListPicked:
		p.setPicked(e.Lines, true)
	case PickListCancelled:
		p.Status = PickListStatusCancelled
	case PickListChecked:
		p.Checks = append(slices.Clip(p.Checks), e.Check)
	}
	p.Version = env.Version
	p.UpdatedAt = env.Time
}

// setPicked sets what was picked of the lines reported (marked recorded while picking, if
// record), on a copy of the lines, so a clone handed out earlier never sees the change.
func (p *PickList) setPicked(reported []PickedLine, record bool) {
	p.Lines = slices.Clone(p.Lines)
	for _, pl := range reported {
		for i := range p.Lines {
			if p.Lines[i].OrderID == pl.OrderID && p.Lines[i].LineID == pl.LineID {
				p.Lines[i].Picked = pl.Picked
				p.Lines[i].Recorded = p.Lines[i].Recorded || record
			}
		}
	}
}

// Clone returns a deep copy.
func (p *PickList) Clone() *PickList {
	cp := *p
	cp.OrderIDs = slices.Clone(p.OrderIDs)
	cp.Lines = slices.Clone(p.Lines)
	cp.Checks = slices.Clone(p.Checks)
	return &cp
}

// PickListCreated: orders' lines were gathered for picking.
type PickListCreated struct {
	PickListID  string     `json:"pick_list_id"`
	WarehouseID string     `json:"warehouse_id"`
	OrderIDs    []string   `json:"order_ids"`
	Lines       []PickLine `json:"lines"`
	Priority    string     `json:"priority,omitempty"`
	Picker      string     `json:"picker,omitempty"`
}

// PickListStarted: picking began; the orders move to PROCESSING (flow pick-list-orders).
type PickListStarted struct {
	PickListID  string   `json:"pick_list_id"`
	WarehouseID string   `json:"warehouse_id"`
	OrderIDs    []string `json:"order_ids"`
}

// PickListCompleted: picking ended with these quantities.
type PickListCompleted struct {
	PickListID string       `json:"pick_list_id"`
	Lines      []PickedLine `json:"lines"`
}

// PickListPicked: while picking, the picker reported how much of these lines is picked.
type PickListPicked struct {
	PickListID string       `json:"pick_list_id"`
	Lines      []PickedLine `json:"lines"`
}

// PickListCancelled: the pick list was abandoned.
type PickListCancelled struct {
	PickListID string         `json:"pick_list_id"`
	From       PickListStatus `json:"from"`
	Reason     string         `json:"reason,omitempty"`
}

func (PickListCreated) EventType() string   { return "PickListCreated" }
func (PickListUpdated) EventType() string   { return "PickListUpdated" }
func (PickListStarted) EventType() string   { return "PickListStarted" }
func (PickListCompleted) EventType() string { return "PickListCompleted" }
func (PickListCancelled) EventType() string { return "PickListCancelled" }
func (PickListPicked) EventType() string    { return "PickListPicked" }

func pickListEvents(r *Registry) {
	Register[PickListCreated](r, "pick_list", 1, nil)
	Register[PickListUpdated](r, "pick_list", 1, nil)
	Register[PickListStarted](r, "pick_list", 1, nil)
	Register[PickListCompleted](r, "pick_list", 1, nil)
	Register[PickListCancelled](r, "pick_list", 1, nil)
	Register[PickListPicked](r, "pick_list", 1, nil)
	Register[PickListChecked](r, "pick_list", 1, nil)
}
