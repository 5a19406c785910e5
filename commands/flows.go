package commands

import (
	"context"
	"errors"
	"fmt"

	"stateset/domain"
	"stateset/eventstore"
)

// Where flows live: this file holds the Flow type, the Flows list, React and what every
// flow shares; a module's flow handlers live in commands/flows_<module>.go, the module
// named as its type in commands/modules.go (flows_orders.go, flows_warehouse.go, ...), whatever
// aggregate's events they follow. Commands stay in their aggregate's file,
// commands/<aggregate>.go, named as domain/ names it.

// Flow is a process manager: it reacts to stored events by issuing commands. Every
// command it issues is idempotent by the causing event (derived reservation ids, movement
// keys, absolute allocations), so a redelivered event changes nothing, and carries the
// causing event's id as causation id and its correlation id, so the history of every
// aggregate a flow touched shows why.
type Flow struct {
	Name     string
	Subjects []string // relative to <prefix>.events.
	Handle   func(ctx context.Context, env domain.Envelope, meta domain.Metadata) error
	// Skip, when set, tells before decoding that the event at a position needs nothing
	// (a flow that listens to every event and most often has nothing to do).
	Skip func(ctx context.Context, pos uint64) bool
}

// Flows are the process managers of the order-to-cash modules.
func (h *Handler) Flows() []Flow {
	return []Flow{
		{Name: "customer-privacy", Handle: h.customerPrivacy, Subjects: []string{"customer.*.CustomerForgotten"}},
		{Name: "order-stock", Handle: h.orderStock, Subjects: []string{
			"order.*.OrderConfirmed", "order.*.OrderUpdated", "order.*.OrderShipped", "order.*.OrderCancelled"}},
		{Name: "order-allocation", Handle: h.orderAllocation, Subjects: []string{
			"inventory.*.InventoryReserved", "inventory.*.InventoryBackordered", "inventory.*.InventoryReservationReleased"}},
		{Name: "return-stock", Handle: h.returnFlow, Subjects: []string{"return.*.ReturnInspected"}},
		{Name: "return-order", Handle: h.returnFlow, Subjects: []string{
			"return.*.ReturnRefunded", "return.*.ReturnRejected", "return.*.ReturnCancelled"}},
		{Name: "warranty-claims", Handle: h.warrantyClaims, Subjects: []string{"warranty.*.WarrantyClaimApproved"}},
		{Name: "wholesale-stock", Handle: h.wholesaleStock, Subjects: []string{
			"wholesale_order.*.WholesaleOrderApproved", "wholesale_order.*.WholesaleOrderFulfilled",
			"wholesale_order.*.WholesaleOrderCancelled"}},
		{Name: "wholesale-credit", Handle: h.wholesaleCredit, Subjects: []string{
			"wholesale_order.*.WholesaleOrderInvoiced", "wholesale_order.*.WholesaleOrderPaid",
			"wholesale_order.*.WholesaleOrderCancelled"}},
		{Name: "work-order-stock", Handle: h.workOrderStock, Subjects: []string{
			"work_order.*.WorkOrderReleased", "work_order.*.WorkOrderProductionRecorded", "work_order.*.WorkOrderCancelled"}},
		{Name: "purchase-stock", Handle: h.purchaseStock, Subjects: []string{
			"purchase_order.*.PurchaseOrderApproved", "purchase_order.*.PurchaseOrderReceived",
			"purchase_order.*.PurchaseOrderCancelled", "purchase_order.*.PurchaseOrderClosed"}},
		{Name: "transfer-stock", Handle: h.transferStock, Subjects: []string{
			"transfer.*.TransferShipped", "transfer.*.TransferReceived", "transfer.*.TransferCancelled"}},
		{Name: "cycle-count-stock", Handle: h.cycleCountStock, Subjects: []string{"cycle_count.*.CycleCountReconciled"}},
		{Name: "pick-list-orders", Handle: h.pickListOrders, Subjects: []string{"pick_list.*.PickListStarted"}},
		{Name: "shipment-order", Handle: h.shipmentOrder, Subjects: []string{"shipment.*.ShipmentDelivered"}},
	}
}

// React adds the flows to a reactor. Each handling of an event is reported, with the
// events its commands appended, to every instance's tracker (WaitFlows), so that the
// answer to a write can wait for what follows from it.
func (h *Handler) React(r *eventstore.Reactor, flows []Flow) error {
	t := newFlowTracker(flows)
	if _, err := h.store.OnNotify(flowNotes, t.receive); err != nil {
		return err
	}
	h.flows.Store(t)
	for _, f := range flows {
		err := r.Handle(f.Name, f.Subjects, func(ctx context.Context, m eventstore.Msg) error {
			ctx, eff := WithEffects(ctx)
			err := h.handleFlow(ctx, f, m)
			h.reportFlow(f.Name, m.Seq, eff, err)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (h *Handler) handleFlow(ctx context.Context, f Flow, m eventstore.Msg) error {
	if f.Skip != nil && f.Skip(ctx, m.Seq) {
		return nil
	}
	env, err := h.reg.Unmarshal(m.Data, m.Seq)
	if err != nil {
		return fmt.Errorf("flow %s: %w", f.Name, err)
	}
	return f.Handle(ctx, env, FlowMetadata(f.Name, env))
}

// FlowMetadata is the metadata of a command a flow issues because of env.
func FlowMetadata(flow string, env domain.Envelope) domain.Metadata {
	return domain.Metadata{CorrelationID: env.Metadata.CorrelationID, CausationID: env.ID,
		Actor: "flow:" + flow, ActorName: flow}
}

func isAlreadyExists(err error) bool {
	if _, ok := errors.AsType[*domain.AlreadyExistsError](err); ok {
		return true
	}
	return errors.Is(err, domain.ErrAlreadyExists)
}
