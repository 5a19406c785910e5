package commands

import (
	"context"
	"errors"
	"fmt"

	"stateset/domain"
	"stateset/eventstore"
)

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

// orderStock is F1, F2 and F4: confirming reserves every line (a shortfall is
// backordered), an edit sets each line's reservation to its new quantity, shipping
// consumes reservations, cancelling releases them.
func (h *Handler) orderStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	reserve := func(orderID, loc string, l domain.OrderLine, qty int64) error {
		_, err := h.ReserveInventory(ctx, domain.InventoryItemID(l.SKU, loc), domain.ReserveInventory{
			ReservationID: domain.ReservationID("order", orderID, l.ID, l.SKU), ReferenceType: "order",
			ReferenceID: orderID, LineID: l.ID, Quantity: qty, AllowBackorder: true,
			MovementKey: domain.MovementKey(env.ID, l.ID)}, opt)
		return err
	}
	switch e := env.Event.(type) {
	case domain.OrderConfirmed:
		// A confirmation handled late (a parked event replayed after the order was
		// cancelled) must not reserve for an order that no longer wants stock.
		o, err := h.Order(ctx, e.OrderID)
		if err != nil {
			return err
		}
		if !stockHeld(o) {
			return nil
		}
		for _, l := range e.Items {
			if err := reserve(e.OrderID, e.LocationID, l, l.Quantity); err != nil {
				return err
			}
		}
	case domain.OrderUpdated:
		if e.Items == nil {
			return nil
		}
		o, err := h.OrderAt(ctx, e.OrderID, env.Position)
		if err != nil {
			return err
		}
		if !stockHeld(o) {
			return nil
		}
		kept := map[string]bool{}
		for _, l := range e.Items.To {
			kept[l.ID] = true
			if err := reserve(e.OrderID, e.LocationID, l, l.Quantity); err != nil {
				return err
			}
		}
		for _, l := range e.Items.From {
			if !kept[l.ID] {
				if err := reserve(e.OrderID, e.LocationID, l, 0); err != nil {
					return err
				}
			}
		}
	case domain.OrderShipped:
		for _, l := range e.Lines {
			_, err := h.ConsumeInventory(ctx, domain.InventoryItemID(l.SKU, e.LocationID), domain.ConsumeInventory{
				ReservationID: domain.ReservationID("order", e.OrderID, l.LineID, l.SKU), Quantity: l.Quantity,
				Reason: domain.ReasonSale, SourceType: "order", SourceID: e.OrderID,
				MovementKey: domain.MovementKey(env.ID, l.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	case domain.OrderCancelled:
		for _, l := range e.Items {
			_, err := h.ReleaseReservation(ctx, domain.InventoryItemID(l.SKU, e.LocationID),
				domain.ReservationID("order", e.OrderID, l.ID, l.SKU), opt)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// stockHeld reports whether an order's lines hold reservations: it was confirmed and has
// not shipped (an order held after confirmation keeps them).
func stockHeld(o *domain.Order) bool {
	switch o.Status {
	case domain.OrderStatusConfirmed, domain.OrderStatusProcessing:
		return true
	case domain.OrderStatusOnHold:
		return o.HeldFrom == domain.OrderStatusConfirmed || o.HeldFrom == domain.OrderStatusProcessing
	}
	return false
}

// orderAllocation tells an order what the inventory holds for its lines, including
// backorders filled when stock arrives. The report is absolute and stamped with the
// inventory event's position, so a redelivered or late one changes nothing.
func (h *Handler) orderAllocation(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	var refType, orderID string
	var a domain.LineAllocation
	switch e := env.Event.(type) {
	case domain.InventoryReserved:
		refType, orderID = e.ReferenceType, e.ReferenceID
		a = domain.LineAllocation{LineID: e.LineID, Reserved: e.TotalReserved, Backordered: e.TotalBackordered}
	case domain.InventoryBackordered:
		refType, orderID = e.ReferenceType, e.ReferenceID
		a = domain.LineAllocation{LineID: e.LineID, Reserved: e.TotalReserved, Backordered: e.TotalBackordered}
	case domain.InventoryReservationReleased:
		refType, orderID = e.ReferenceType, e.ReferenceID
		a = domain.LineAllocation{LineID: e.LineID, Reserved: e.TotalReserved, Backordered: e.TotalBackordered}
	}
	if refType != "order" {
		return nil
	}
	a.AsOf = env.Position
	_, err := h.AllocateOrder(ctx, orderID, []domain.LineAllocation{a}, WithMetadata(meta))
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}

// returnFlow is F3 (flows return-stock and return-order): an inspection restocks the RESTOCK lines at their location (creating
// the item there if the SKU was never stocked at it; DAMAGED and DISPOSE lines stay out of
// stock, recorded only on the return), a refund refunds the order (idempotent per return
// id), and a rejected or cancelled return frees its quantities on the order.
func (h *Handler) returnFlow(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	switch e := env.Event.(type) {
	case domain.ReturnInspected:
		var currency string
		done, err := h.restocked(ctx, e.ReturnID, env.Position)
		if err != nil {
			return err
		}
		for _, it := range e.Items {
			qty := it.Quantity - done[it.LineID] // a reopened return's goods came back once
			if it.Disposition != domain.DispositionRestock || qty <= 0 {
				continue
			}
			id := domain.InventoryItemID(it.SKU, it.LocationID)
			adjust := func() error {
				_, err := h.AdjustInventory(ctx, id, domain.AdjustInventory{Quantity: qty, Reason: domain.ReasonReturn,
					SourceType: "return", SourceID: e.ReturnID, MovementKey: domain.MovementKey(env.ID, it.LineID)}, opt)
				return err
			}
			err := adjust()
			if errors.Is(err, domain.ErrNotFound) {
				if currency == "" {
					if r, rerr := h.Return(ctx, e.ReturnID); rerr == nil {
						currency = r.Currency
					}
				}
				_, cerr := h.CreateInventoryItem(ctx, domain.CreateInventoryItem{SKU: it.SKU, LocationID: it.LocationID, Currency: currency}, opt)
				if cerr != nil && !errors.Is(cerr, domain.ErrAlreadyExists) {
					if _, ok := errors.AsType[*domain.AlreadyExistsError](cerr); !ok {
						return cerr
					}
				}
				err = adjust()
			}
			if err != nil {
				return err
			}
		}
	case domain.ReturnRefunded:
		_, err := h.RefundOrder(ctx, e.OrderID, e.Amount, "return", e.ReturnID, env.ID, opt)
		return err
	case domain.ReturnRejected:
		_, err := h.releaseUnlessOpen(ctx, e.OrderID, e.ReturnID, opt)
		return err
	case domain.ReturnCancelled:
		_, err := h.releaseUnlessOpen(ctx, e.OrderID, e.ReturnID, opt)
		return err
	}
	return nil
}

// restocked is what inspections of a return before position pos put back on hand, by
// line.
func (h *Handler) restocked(ctx context.Context, returnID string, pos uint64) (map[string]int64, error) {
	hist, err := h.History(ctx, "return", returnID)
	if err != nil {
		return nil, err
	}
	done := map[string]int64{}
	for _, env := range hist {
		if e, ok := env.Event.(domain.ReturnInspected); ok && env.Position < pos {
			for _, it := range e.Items {
				if it.Disposition == domain.DispositionRestock {
					done[it.LineID] = max(done[it.LineID], it.Quantity)
				}
			}
		}
	}
	return done, nil
}

// warrantyClaims is F9: an approved claim is carried out. REPLACEMENT creates a
// zero-priced order "wr-<claim>" for the SKU and confirms it, so F1 reserves it; REPAIR
// opens a return "wp-<claim>" of one unit of the SKU on the warranty's order, reason
// DEFECTIVE. REFUND does nothing beyond the event: paying money back needs a payment
// provider, and a warranty with no order has no order to refund.
func (h *Handler) warrantyClaims(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	e, ok := env.Event.(domain.WarrantyClaimApproved)
	if !ok {
		return nil
	}
	opt := WithMetadata(meta)
	switch e.Resolution {
	case "REPLACEMENT":
		currency, loc := "USD", "main"
		if e.OrderID != "" {
			o, err := h.Order(ctx, e.OrderID)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
			if err == nil {
				currency, loc = o.Currency, o.LocationID
			}
		}
		id := domain.ReplacementOrderID(e.WarrantyID, e.ClaimID)
		_, err := h.CreateOrder(ctx, domain.CreateOrder{OrderID: id, CustomerID: e.CustomerID, Currency: currency,
			LocationID: loc, Channel: "warranty", Submit: true,
			Items:    []domain.OrderLineInput{{SKU: e.SKU, Name: "warranty replacement", Quantity: 1, UnitPrice: 0}},
			Metadata: map[string]string{"warranty_id": e.WarrantyID, "claim_id": e.ClaimID}}, opt)
		if err != nil && !isAlreadyExists(err) {
			return err
		}
		o, err := h.Order(ctx, id)
		if err != nil {
			return err
		}
		if o.Status != domain.OrderStatusPending || o.Metadata["claim_id"] != e.ClaimID {
			return nil // confirmed already (a redelivery), moved on, or not ours
		}
		_, err = h.ActOnOrder(ctx, id, "confirm", "warranty replacement", opt)
		return err
	case "REPAIR":
		if e.OrderID == "" {
			h.log.Warn("warranty repair without an order: no return opened", "warranty", e.WarrantyID, "claim", e.ClaimID)
			return nil
		}
		_, err := h.CreateReturn(ctx, RequestReturn{ReturnID: domain.RepairReturnID(e.WarrantyID, e.ClaimID), OrderID: e.OrderID,
			Items: []ReturnItemInput{{SKU: e.SKU, Quantity: 1, Reason: "DEFECTIVE"}},
			Notes: "warranty " + e.WarrantyID + " claim " + e.ClaimID}, opt)
		if err != nil && !isAlreadyExists(err) {
			return err
		}
	}
	return nil
}

func isAlreadyExists(err error) bool {
	if _, ok := errors.AsType[*domain.AlreadyExistsError](err); ok {
		return true
	}
	return errors.Is(err, domain.ErrAlreadyExists)
}

// wholesaleStock reserves a wholesale order's stock: approving reserves every line (a
// shortfall is backordered), cancelling an approved order releases the reservations,
// fulfilling consumes them. Wholesale orders do not track allocation (orderAllocation
// reports to retail orders only): fulfilment instead checks the reservations themselves.
func (h *Handler) wholesaleStock(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	resID := func(orderID, lineID, sku string) string {
		return domain.ReservationID("wholesale_order", orderID, lineID, sku)
	}
	switch e := env.Event.(type) {
	case domain.WholesaleOrderApproved:
		// handled late (a parked event replayed), an order cancelled since wants no stock
		o, err := h.WholesaleOrder(ctx, e.OrderID)
		if err != nil {
			return err
		}
		if o.Status == domain.WholesaleOrderStatusCancelled {
			return nil
		}
		for _, l := range e.Lines {
			_, err := h.ReserveInventory(ctx, domain.InventoryItemID(l.SKU, e.LocationID), domain.ReserveInventory{
				ReservationID: resID(e.OrderID, l.LineID, l.SKU), ReferenceType: "wholesale_order",
				ReferenceID: e.OrderID, LineID: l.LineID, Quantity: l.Quantity, AllowBackorder: true,
				MovementKey: domain.MovementKey(env.ID, l.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	case domain.WholesaleOrderCancelled:
		if e.From != domain.WholesaleOrderStatusApproved {
			return nil // no stock was held
		}
		o, err := h.WholesaleOrderAt(ctx, e.OrderID, env.Position)
		if err != nil {
			return err
		}
		for _, l := range o.Lines {
			_, err := h.ReleaseReservation(ctx, domain.InventoryItemID(l.SKU, o.LocationID), resID(o.ID, l.LineID, l.SKU), opt)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
		}
	case domain.WholesaleOrderFulfilled:
		o, err := h.WholesaleOrderAt(ctx, e.OrderID, env.Position)
		if err != nil {
			return err
		}
		for _, l := range o.Lines {
			_, err := h.ConsumeInventory(ctx, domain.InventoryItemID(l.SKU, o.LocationID), domain.ConsumeInventory{
				ReservationID: resID(o.ID, l.LineID, l.SKU), Quantity: l.Quantity,
				Reason: domain.ReasonSale, SourceType: "wholesale_order", SourceID: o.ID,
				MovementKey: domain.MovementKey(env.ID, l.LineID)}, opt)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// wholesaleCredit keeps the customer's credit in step with the order: invoicing marks it
// invoiced, paying or cancelling frees it; every command here is idempotent by order id.
func (h *Handler) wholesaleCredit(ctx context.Context, env domain.Envelope, meta domain.Metadata) error {
	opt := WithMetadata(meta)
	var err error
	switch e := env.Event.(type) {
	case domain.WholesaleOrderInvoiced:
		_, err = h.InvoiceCredit(ctx, domain.InvoiceCredit{CustomerID: e.CustomerID, OrderID: e.OrderID}, opt)
	case domain.WholesaleOrderPaid:
		_, err = h.ReleaseCredit(ctx, domain.ReleaseCredit{CustomerID: e.CustomerID, OrderID: e.OrderID, Reason: "paid"}, opt)
	case domain.WholesaleOrderCancelled:
		_, err = h.ReleaseCredit(ctx, domain.ReleaseCredit{CustomerID: e.CustomerID, OrderID: e.OrderID, Reason: "cancelled"}, opt)
	}
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	return err
}
