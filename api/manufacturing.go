package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"stateset/commands"
	"stateset/domain"
	"stateset/projections"
)

// ---- Bills of materials ----

// bomJSON is a bill of materials as the API shows it.
type bomJSON struct {
	ID         string                `json:"id"`
	SKU        string                `json:"sku"`
	Name       string                `json:"name"`
	Revision   string                `json:"revision"`
	Components []domain.BOMComponent `json:"components"`
	Status     string                `json:"status"`
	CreatedAt  string                `json:"created_at"`
	UpdatedAt  string                `json:"updated_at"`
	Version    int64                 `json:"version"`
}

func bomOf(b *domain.BillOfMaterials) bomJSON {
	return bomJSON{ID: b.ID, SKU: b.SKU, Name: b.Name, Revision: b.Revision, Components: nonNil(b.Components),
		Status: string(b.Status), CreatedAt: rfc3339(b.CreatedAt), UpdatedAt: rfc3339(b.UpdatedAt), Version: b.Version}
}

// createBOMRequest is the body of POST /v1/bill_of_materials.
type createBOMRequest struct {
	ID         string                `json:"id,omitempty"`
	SKU        string                `json:"sku,omitempty"`
	Name       string                `json:"name,omitempty"`
	Revision   string                `json:"revision,omitempty"`
	Components []domain.BOMComponent `json:"components,omitempty"`
}

// createBOM is POST /v1/bill_of_materials {id?, sku*, name, revision, components*[{sku, quantity}]}.
func (s *Server) createBOM(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateBOM{BOMID: commands.NewID()}
	create(s, w, r, "/v1/bill_of_materials/", func(b *domain.BillOfMaterials) string { return b.ID }, bomOf, func(o *object) {
		in := createBOMRequest{ID: cmd.BOMID} // a generated id unless one is given
		o.fill(&in)
		cmd.BOMID, cmd.SKU, cmd.Name, cmd.Revision, cmd.Components = in.ID, in.SKU, in.Name, in.Revision, in.Components
		cmd.Check(&o.v)
	}, func(opts []commands.Option) (commands.Result[domain.BillOfMaterials], error) {
		return s.cmd.Manufacturing().CreateBOM(r.Context(), cmd, opts...)
	})
}

// updateBOMRequest is the body of PUT /v1/bill_of_materials/{id}: components null
// clears them.
type updateBOMRequest struct {
	Name       *string               `json:"name,omitempty"`
	Revision   *string               `json:"revision,omitempty"`
	Components []domain.BOMComponent `json:"components,omitempty"`
}

// updateBOM is PUT /v1/bill_of_materials/{id}: a draft's name, revision and components
// (replaced whole).
func (s *Server) updateBOM(w http.ResponseWriter, r *http.Request) {
	var cmd domain.UpdateBOM
	command(s, w, r, bomOf, func(o *object) {
		in := updateBOMRequest{Components: []domain.BOMComponent{}} // what null gives
		o.fill(&in)
		cmd.Name, cmd.Revision = in.Name, in.Revision
		if o.has("components") {
			cmd.Components = &in.Components
		}
	}, func(opts []commands.Option) (commands.Result[domain.BillOfMaterials], error) {
		return s.cmd.Manufacturing().UpdateBOM(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// bomAction is POST /v1/bill_of_materials/{id}/{activate|obsolete} {reason}.
func (s *Server) bomAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, bomOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.BillOfMaterials], error) {
		return s.cmd.Manufacturing().ActOnBOM(r.Context(), id, action, reason, opts...)
	})
}

func (s *Server) getBOM(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.BillsOfMaterials().Name()), func() (projections.Doc[domain.BillOfMaterials], error) {
		return s.read.GetBOM(r.Context(), mux.Vars(r)["id"])
	}, func(b *domain.BillOfMaterials) int64 { return b.Version }, bomOf)
}

func (s *Server) listBOMs(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.BillsOfMaterials().Name(), projections.BOMColumns, domain.BOMStatuses,
		func(f projections.Filter) ([]*domain.BillOfMaterials, projections.PageInfo, error) {
			return s.read.ListBOMs(r.Context(), f)
		}, bomOf)
}

func (s *Server) bomHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "bill_of_materials")
}

// explosionJSON is an exploded bill of materials and where it was costed.
type explosionJSON struct {
	Object string `json:"object"`
	domain.Explosion
	LocationID string `json:"location_id"`
	// CostsWithheld: the key cannot read inventory, whose items the costs come from
	CostsWithheld bool `json:"costs_withheld,omitempty"`
}

// explodeBOM is GET /v1/bill_of_materials/{id}/explode?quantity=n&location_id=main: the
// raw materials of n units through every level, costed at the location's unit costs.
// It reads the event store, not a read model, so it is as fresh as the write side.
func (s *Server) explodeBOM(w http.ResponseWriter, r *http.Request) {
	if err := onlyQuery(r, "quantity", "location_id"); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var v domain.Validation
	quantity := int64(1)
	if raw := q.Get("quantity"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		v.Check(err == nil && n > 0 && n <= 1_000_000, "quantity", "must be 1 to 1000000")
		quantity = n
	}
	loc := DefaultLocation
	if l := q.Get("location_id"); l != "" {
		loc = l
	}
	v.Check(domain.ValidID(loc), "location_id", "must match ^[A-Za-z0-9_-]{1,64}$")
	if err := v.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := s.cmd.Manufacturing().ExplodeBOM(r.Context(), mux.Vars(r)["id"], quantity, loc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x.Leaves = nonNil(x.Leaves)
	out := explosionJSON{Object: "bom_explosion", Explosion: x, LocationID: loc}
	// unit costs are the inventory items': a key that cannot read inventory gets the
	// quantities without them (the rule of every read that merges modules)
	if k := info(r.Context()).key; k == nil || !k.Allows(domain.ReadScopeOf("inventory")) {
		out.Leaves = slices.Clone(x.Leaves)
		for i := range out.Leaves {
			out.Leaves[i].UnitCost, out.Leaves[i].Cost = 0, 0
		}
		out.TotalCost, out.CostsWithheld = 0, true
	}
	writeJSON(w, http.StatusOK, out)
}

// ---- Work orders ----

// workOrderJSON is a work order as the API shows it.
type workOrderJSON struct {
	ID               string                      `json:"id"`
	WorkOrderNumber  string                      `json:"work_order_number"`
	BOMID            string                      `json:"bom_id"`
	SKU              string                      `json:"sku"`
	Quantity         int64                       `json:"quantity"`
	QuantityProduced int64                       `json:"quantity_produced"`
	ScrapQuantity    int64                       `json:"scrap_quantity"`
	QuantityLeft     int64                       `json:"quantity_remaining"`
	LocationID       string                      `json:"location_id"`
	Priority         string                      `json:"priority"`
	DueDate          string                      `json:"due_date,omitempty"`
	Assignee         string                      `json:"assignee,omitempty"`
	Notes            string                      `json:"notes,omitempty"`
	Components       []domain.WorkOrderComponent `json:"components"`
	Operations       []domain.WorkOrderOperation `json:"operations"`
	Resources        []domain.WorkOrderResource  `json:"resources"`
	Inspections      []domain.InspectionCheck    `json:"inspections"`
	Status           string                      `json:"status"`
	HeldFrom         string                      `json:"held_from,omitempty"`
	StockHeld        bool                        `json:"stock_held"`
	CreatedAt        string                      `json:"created_at"`
	UpdatedAt        string                      `json:"updated_at"`
	Version          int64                       `json:"version"`
}

func workOrderOf(o *domain.WorkOrder) workOrderJSON {
	return workOrderJSON{ID: o.ID, WorkOrderNumber: o.WorkOrderNumber, BOMID: o.BOMID, SKU: o.SKU, Quantity: o.Quantity,
		QuantityProduced: o.QuantityProduced, ScrapQuantity: o.ScrapQuantity, QuantityLeft: o.Remaining(),
		LocationID: o.LocationID, Priority: o.Priority, DueDate: o.DueDate, Assignee: o.Assignee, Notes: o.Notes, Components: nonNil(o.Components),
		Operations: nonNil(o.Operations), Resources: nonNil(o.Resources), Inspections: nonNil(o.Inspections),
		Status: string(o.Status), HeldFrom: string(o.HeldFrom), StockHeld: o.StockHeld, CreatedAt: rfc3339(o.CreatedAt),
		UpdatedAt: rfc3339(o.UpdatedAt), Version: o.Version}
}

// createWorkOrderRequest is the body of POST /v1/work_orders.
type createWorkOrderRequest struct {
	ID         string             `json:"id,omitempty"`
	BOMID      string             `json:"bom_id,omitempty"`
	Quantity   int64              `json:"quantity,omitempty" minimum:"1" maximum:"1000000"`
	LocationID string             `json:"location_id,omitempty"`
	Priority   string             `json:"priority,omitempty" enum:"LOW,NORMAL,HIGH,URGENT"`
	DueDate    string             `json:"due_date,omitempty"`
	Operations []operationRequest `json:"operations,omitempty"`
}

// operationRequest is one operation of a work order's routing as a request gives it.
type operationRequest struct {
	ID               string `json:"id,omitempty"`
	Sequence         int    `json:"sequence,omitempty"`
	Description      string `json:"description,omitempty"`
	EstimatedMinutes int64  `json:"estimated_minutes,omitempty"`
}

func operationInputs(in []operationRequest) []domain.WorkOrderOperationInput {
	out := make([]domain.WorkOrderOperationInput, len(in))
	for i, op := range in {
		out[i] = domain.WorkOrderOperationInput{ID: op.ID, Sequence: op.Sequence, Description: op.Description, EstimatedMinutes: op.EstimatedMinutes}
	}
	return out
}

// createWorkOrder is POST /v1/work_orders {id?, bom_id*, quantity*, location_id (main),
// priority (NORMAL), due_date, operations}.
func (s *Server) createWorkOrder(w http.ResponseWriter, r *http.Request) {
	cmd := domain.CreateWorkOrder{WorkOrderID: commands.NewID(), LocationID: DefaultLocation}
	var bomID string
	create(s, w, r, "/v1/work_orders/", func(w *domain.WorkOrder) string { return w.ID }, workOrderOf, func(o *object) {
		in := createWorkOrderRequest{ID: cmd.WorkOrderID, LocationID: cmd.LocationID} // the defaults
		o.fill(&in)
		cmd.WorkOrderID, bomID, cmd.Quantity = in.ID, in.BOMID, in.Quantity
		cmd.LocationID, cmd.Priority, cmd.DueDate = in.LocationID, in.Priority, in.DueDate
		cmd.Operations = operationInputs(in.Operations)
		o.v.Check(domain.ValidID(cmd.WorkOrderID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
		o.v.Check(domain.ValidID(bomID), "bom_id", "is required, must match ^[A-Za-z0-9_-]{1,64}$")
	}, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().CreateWorkOrder(r.Context(), cmd, bomID, opts...)
	})
}

// workOrderAction is POST /v1/work_orders/{id}/{release|start|hold|resume|cancel} {reason}.
// updateWorkOrderRequest is the body of PUT /v1/work_orders/{id}: the fields given
// replace the old values.
type updateWorkOrderRequest struct {
	Priority *string `json:"priority,omitempty" enum:"LOW,NORMAL,HIGH,URGENT"`
	DueDate  *string `json:"due_date,omitempty"`
	Assignee *string `json:"assignee,omitempty"`
	Notes    *string `json:"notes,omitempty"`
}

// updateWorkOrder is PUT /v1/work_orders/{id}, until it is completed or cancelled.
func (s *Server) updateWorkOrder(w http.ResponseWriter, r *http.Request) {
	var in updateWorkOrderRequest
	command(s, w, r, workOrderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().UpdateWorkOrder(r.Context(), mux.Vars(r)["id"], domain.UpdateWorkOrder{Priority: in.Priority,
			DueDate: in.DueDate, Assignee: in.Assignee, Notes: in.Notes}, opts...)
	})
}

func (s *Server) workOrderAction(w http.ResponseWriter, r *http.Request) {
	reasonAction(s, w, r, workOrderOf, func(id, action, reason string, opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().ActOnWorkOrder(r.Context(), id, action, reason, opts...)
	})
}

// completeWorkOrderRequest is the body of POST /v1/work_orders/{id}/complete.
type completeWorkOrderRequest struct {
	QuantityProduced int64 `json:"quantity_produced,omitempty"`
	ScrapQuantity    int64 `json:"scrap_quantity,omitempty"`
}

// completeWorkOrder is POST /v1/work_orders/{id}/complete {quantity_produced,
// scrap_quantity}; without either, all that remains is produced.
func (s *Server) completeWorkOrder(w http.ResponseWriter, r *http.Request) {
	var in completeWorkOrderRequest
	command(s, w, r, workOrderOf, func(o *object) { o.fill(&in) },
		func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
			cmd := domain.CompleteWorkOrder{QuantityProduced: in.QuantityProduced, ScrapQuantity: in.ScrapQuantity}
			return s.cmd.Manufacturing().CompleteWorkOrder(r.Context(), mux.Vars(r)["id"], cmd, opts...)
		})
}

func (s *Server) getWorkOrder(w http.ResponseWriter, r *http.Request) {
	getDoc(s, w, r, s.runner(projections.WorkOrders().Name()), func() (projections.Doc[domain.WorkOrder], error) {
		return s.read.GetWorkOrder(r.Context(), mux.Vars(r)["id"])
	}, func(o *domain.WorkOrder) int64 { return o.Version }, workOrderOf)
}

func (s *Server) listWorkOrders(w http.ResponseWriter, r *http.Request) {
	listCollection(s, w, r, projections.WorkOrders().Name(), projections.WorkOrderColumns, domain.WorkOrderStatuses,
		func(f projections.Filter) ([]*domain.WorkOrder, projections.PageInfo, error) {
			return s.read.ListWorkOrders(r.Context(), f)
		}, workOrderOf)
}

func (s *Server) workOrderHistory(w http.ResponseWriter, r *http.Request) {
	s.history(w, r, "work_order")
}

// ---- A work order's shop floor: operations, resources, inspections ----

// addOperationsRequest is the body of POST /v1/work_orders/{id}/operations.
type addOperationsRequest struct {
	Operations []operationRequest `json:"operations,omitempty"`
}

// addWorkOrderOperations adds operations to the routing of an open work order.
func (s *Server) addWorkOrderOperations(w http.ResponseWriter, r *http.Request) {
	var in addOperationsRequest
	addTo(s, w, r, workOrderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().AddWorkOrderOperations(r.Context(), mux.Vars(r)["id"], operationInputs(in.Operations), opts...)
	})
}

// updateOperationRequest is the body of PUT /v1/work_orders/{id}/operations/{operation}.
type updateOperationRequest struct {
	Description      *string `json:"description,omitempty"`
	EstimatedMinutes *int64  `json:"estimated_minutes,omitempty"`
	Status           *string `json:"status,omitempty" enum:"PENDING,IN_PROGRESS,FAILED"`
	Notes            *string `json:"notes,omitempty"`
}

// updateWorkOrderOperation edits an operation, or moves it: IN_PROGRESS starts it,
// FAILED fails it, PENDING puts it back (while the work order is IN_PROGRESS).
func (s *Server) updateWorkOrderOperation(w http.ResponseWriter, r *http.Request) {
	var in updateOperationRequest
	command(s, w, r, workOrderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		cmd := domain.UpdateWorkOrderOperation{OperationID: mux.Vars(r)["operation"], Description: in.Description,
			EstimatedMinutes: in.EstimatedMinutes, Notes: in.Notes}
		if in.Status != nil {
			status := domain.OperationStatus(*in.Status)
			cmd.Status = &status
		}
		return s.cmd.Manufacturing().UpdateWorkOrderOperation(r.Context(), mux.Vars(r)["id"], cmd, opts...)
	})
}

// completeOperationRequest is the body of POST /v1/work_orders/{id}/operations/{operation}/complete.
type completeOperationRequest struct {
	ActualMinutes int64                    `json:"actual_minutes,omitempty"`
	CompletedBy   string                   `json:"completed_by,omitempty"`
	Checks        []inspectionCheckRequest `json:"checks,omitempty"` // inspected as it ends: recorded with it, or neither is
}

// completeWorkOrderOperation records an operation of an IN_PROGRESS work order done; its
// notes, an action's, are the operation's as well as its event's.
func (s *Server) completeWorkOrderOperation(w http.ResponseWriter, r *http.Request) {
	var in completeOperationRequest
	command(s, w, r, workOrderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().CompleteWorkOrderOperation(r.Context(), mux.Vars(r)["id"], domain.CompleteWorkOrderOperation{
			OperationID: mux.Vars(r)["operation"], ActualMinutes: in.ActualMinutes, CompletedBy: in.CompletedBy, Notes: info(r.Context()).note,
			Checks: inspectionChecks(in.Checks)}, opts...)
	})
}

// assignResourceRequest is the body of POST /v1/work_orders/{id}/resources.
type assignResourceRequest struct {
	ID       string `json:"id,omitempty"`
	Type     string `json:"type,omitempty" enum:"WORKER,EQUIPMENT,TOOL"`
	Name     string `json:"name,omitempty"`
	Quantity int64  `json:"quantity,omitempty"`
}

// assignWorkOrderResource assigns (or reassigns) a worker, machine or tool.
func (s *Server) assignWorkOrderResource(w http.ResponseWriter, r *http.Request) {
	var in assignResourceRequest
	addTo(s, w, r, workOrderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().AssignWorkOrderResource(r.Context(), mux.Vars(r)["id"], domain.AssignWorkOrderResource{
			ID: in.ID, Type: in.Type, Name: in.Name, Quantity: in.Quantity}, opts...)
	})
}

// releaseWorkOrderResource is DELETE /v1/work_orders/{id}/resources/{resource}.
func (s *Server) releaseWorkOrderResource(w http.ResponseWriter, r *http.Request) {
	command(s, w, r, workOrderOf, nil, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().ReleaseWorkOrderResource(r.Context(), mux.Vars(r)["id"], mux.Vars(r)["resource"], opts...)
	})
}

// inspectionRequest is the body of POST /v1/work_orders/{id}/inspections.
type inspectionRequest struct {
	Checks []inspectionCheckRequest `json:"checks,omitempty"`
}

type inspectionCheckRequest struct {
	LineID        string `json:"line_id,omitempty"` // a component's line, when it is a component inspected
	Parameter     string `json:"parameter,omitempty"`
	Specification string `json:"specification,omitempty"`
	Measurement   string `json:"measurement,omitempty"`
	Result        string `json:"result,omitempty" enum:"PASS,FAIL"`
	Inspector     string `json:"inspector,omitempty"`
	Notes         string `json:"notes,omitempty"`
}

// inspectWorkOrder records inspection checks, from the work order's release on.
func (s *Server) inspectWorkOrder(w http.ResponseWriter, r *http.Request) {
	var in inspectionRequest
	addTo(s, w, r, workOrderOf, func(o *object) { o.fill(&in) }, func(opts []commands.Option) (commands.Result[domain.WorkOrder], error) {
		return s.cmd.Manufacturing().InspectWorkOrder(r.Context(), mux.Vars(r)["id"], inspectionChecks(in.Checks), opts...)
	})
}

func inspectionChecks(in []inspectionCheckRequest) []domain.InspectionCheck {
	if len(in) == 0 {
		return nil
	}
	checks := make([]domain.InspectionCheck, len(in))
	for i, c := range in {
		checks[i] = domain.InspectionCheck{LineID: c.LineID, Parameter: c.Parameter, Specification: c.Specification, Measurement: c.Measurement,
			Result: c.Result, Inspector: c.Inspector, Notes: c.Notes}
	}
	return checks
}
