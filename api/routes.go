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

	s.handle(r, http.MethodGet, "/v1/orders", "orders:read", s.listOrders)
	s.handle(r, http.MethodPost, "/v1/orders", "orders:write", s.createOrder)
	s.handle(r, http.MethodGet, "/v1/orders/{id}", "orders:read", s.getOrder)
	s.handle(r, http.MethodPut, "/v1/orders/{id}", "orders:write", s.updateOrder)
	s.handle(r, http.MethodGet, "/v1/orders/{id}/history", "orders:read", s.orderHistory)
	s.handle(r, http.MethodPost, "/v1/orders/{id}/ship", "orders:write", s.shipOrder)
	s.handle(r, http.MethodPost, "/v1/orders/{id}/notes", "orders:write", s.addOrderNote)
	s.handle(r, http.MethodPost, "/v1/orders/{id}/pay", "orders:write", s.payOrder)
	s.handle(r, http.MethodPost, "/v1/orders/{id}/refund", "orders:write", s.refundOrder)
	s.handle(r, http.MethodPost, "/v1/orders/{id}/{action:submit|confirm|process|deliver|hold|release|cancel}", "orders:write", s.orderAction)

	s.handle(r, http.MethodGet, "/v1/admin/flows", "admin", s.listFlows)
	s.handle(r, http.MethodGet, "/v1/admin/flows/{name}/parked", "admin", s.parkedEvents)
	s.handle(r, http.MethodPost, "/v1/admin/flows/{name}/replay", "admin", s.replayFlow)

	s.handle(r, http.MethodGet, "/v1/inventory", "inventory:read", s.listInventory)
	s.handle(r, http.MethodPost, "/v1/inventory", "inventory:write", s.createInventoryItem)
	s.handle(r, http.MethodGet, "/v1/inventory/low-stock", "inventory:read", s.lowStock)
	s.handle(r, http.MethodPost, "/v1/inventory/transfer", "inventory:write", s.transferInventory)
	s.handle(r, http.MethodGet, "/v1/inventory/{id}", "inventory:read", s.getInventoryItem)
	s.handle(r, http.MethodPut, "/v1/inventory/{id}", "inventory:write", s.updateInventoryItem)
	s.handle(r, http.MethodGet, "/v1/inventory/{id}/history", "inventory:read", s.inventoryHistory)
	s.handle(r, http.MethodPost, "/v1/inventory/{id}/adjust", "inventory:write", s.adjustInventory)
	s.handle(r, http.MethodPost, "/v1/inventory/{id}/reserve", "inventory:write", s.reserveInventory)
	s.handle(r, http.MethodPost, "/v1/inventory/{id}/release-reservation/{rid}", "inventory:write", s.releaseReservation)
	s.handle(r, http.MethodGet, "/v1/reservations", "inventory:read", s.listReservations)
	s.handle(r, http.MethodGet, "/v1/reservations/{rid}", "inventory:read", s.getReservation)
	s.handle(r, http.MethodPost, "/v1/reservations/{rid}/release", "inventory:write", s.releaseReservation)

	s.handle(r, http.MethodGet, "/v1/returns", "returns:read", s.listReturns)
	s.handle(r, http.MethodPost, "/v1/returns", "returns:write", s.createReturn)
	s.handle(r, http.MethodGet, "/v1/returns/{id}", "returns:read", s.getReturn)
	s.handle(r, http.MethodGet, "/v1/returns/{id}/history", "returns:read", s.returnHistory)
	s.handle(r, http.MethodPost, "/v1/returns/{id}/inspect", "returns:write", s.inspectReturn)
	s.handle(r, http.MethodPost, "/v1/returns/{id}/refund", "returns:write", s.refundReturn)
	s.handle(r, http.MethodPost, "/v1/returns/{id}/{action:approve|receive|reject|cancel|close|reopen}", "returns:write", s.returnAction)

	s.handle(r, http.MethodGet, "/v1/warranties", "warranties:read", s.listWarranties)
	s.handle(r, http.MethodPost, "/v1/warranties", "warranties:write", s.createWarranty)
	s.handle(r, http.MethodGet, "/v1/warranties/{id}", "warranties:read", s.getWarranty)
	s.handle(r, http.MethodGet, "/v1/warranties/{id}/history", "warranties:read", s.warrantyHistory)
	s.handle(r, http.MethodPost, "/v1/warranties/{id}/claims", "warranties:write", s.fileWarrantyClaim)
	s.handle(r, http.MethodPost, "/v1/warranties/{id}/claims/{claim_id}/approve", "warranties:write", s.approveWarrantyClaim)
	s.handle(r, http.MethodPost, "/v1/warranties/{id}/claims/{claim_id}/reject", "warranties:write", s.rejectWarrantyClaim)
	s.handle(r, http.MethodPost, "/v1/warranties/{id}/{action:approve|reject|cancel|close|reopen}", "warranties:write", s.warrantyAction)
	s.handle(r, http.MethodPost, "/v1/warranties/{action:approve|reject|cancel|close|reopen}/{id}", "warranties:write", s.warrantyAction)

	s.handle(r, http.MethodGet, "/v1/price_lists", "wholesale:read", s.listPriceLists)
	s.handle(r, http.MethodPost, "/v1/price_lists", "wholesale:write", s.createPriceList)
	s.handle(r, http.MethodGet, "/v1/price_lists/{id}", "wholesale:read", s.getPriceList)
	s.handle(r, http.MethodPut, "/v1/price_lists/{id}", "wholesale:write", s.updatePriceList)
	s.handle(r, http.MethodGet, "/v1/price_lists/{id}/history", "wholesale:read", s.priceListHistory)
	s.handle(r, http.MethodPost, "/v1/price_lists/{id}/archive", "wholesale:write", s.archivePriceList)

	s.handle(r, http.MethodGet, "/v1/wholesale_accounts/{customer_id}", "wholesale:read", s.getWholesaleAccount)
	s.handle(r, http.MethodPut, "/v1/wholesale_accounts/{customer_id}", "wholesale:write", s.putWholesaleAccount)

	s.handle(r, http.MethodGet, "/v1/wholesale_orders", "wholesale:read", s.listWholesaleOrders)
	s.handle(r, http.MethodPost, "/v1/wholesale_orders", "wholesale:write", s.createWholesaleOrder)
	s.handle(r, http.MethodGet, "/v1/wholesale_orders/{id}", "wholesale:read", s.getWholesaleOrder)
	s.handle(r, http.MethodPut, "/v1/wholesale_orders/{id}", "wholesale:write", s.updateWholesaleOrder)
	s.handle(r, http.MethodGet, "/v1/wholesale_orders/{id}/history", "wholesale:read", s.wholesaleOrderHistory)
	s.handle(r, http.MethodPost, "/v1/wholesale_orders/{id}/invoice", "wholesale:write", s.invoiceWholesaleOrder)
	s.handle(r, http.MethodPost, "/v1/wholesale_orders/{id}/{action:submit|approve|fulfill|pay|cancel}", "wholesale:write", s.wholesaleOrderAction)

	s.handle(r, http.MethodGet, "/v1/bill_of_materials", "manufacturing:read", s.listBOMs)
	s.handle(r, http.MethodPost, "/v1/bill_of_materials", "manufacturing:write", s.createBOM)
	s.handle(r, http.MethodGet, "/v1/bill_of_materials/{id}", "manufacturing:read", s.getBOM)
	s.handle(r, http.MethodPut, "/v1/bill_of_materials/{id}", "manufacturing:write", s.updateBOM)
	s.handle(r, http.MethodGet, "/v1/bill_of_materials/{id}/history", "manufacturing:read", s.bomHistory)
	s.handle(r, http.MethodGet, "/v1/bill_of_materials/{id}/explode", "manufacturing:read", s.explodeBOM)
	s.handle(r, http.MethodPost, "/v1/bill_of_materials/{id}/{action:activate|obsolete}", "manufacturing:write", s.bomAction)

	// the SDK's spellings
	s.handle(r, http.MethodGet, "/v1/billofmaterials", "manufacturing:read", s.listBOMs)
	s.handle(r, http.MethodPost, "/v1/billofmaterials", "manufacturing:write", s.createBOM)
	s.handle(r, http.MethodGet, "/v1/billofmaterials/{id}", "manufacturing:read", s.getBOM)
	s.handle(r, http.MethodPut, "/v1/billofmaterials/{id}", "manufacturing:write", s.updateBOM)
	s.handle(r, http.MethodGet, "/v1/billofmaterials/{id}/history", "manufacturing:read", s.bomHistory)
	s.handle(r, http.MethodGet, "/v1/billofmaterials/{id}/explode", "manufacturing:read", s.explodeBOM)
	s.handle(r, http.MethodPost, "/v1/billofmaterials/{id}/{action:activate|obsolete}", "manufacturing:write", s.bomAction)

	s.handle(r, http.MethodGet, "/v1/work_orders", "manufacturing:read", s.listWorkOrders)
	s.handle(r, http.MethodPost, "/v1/work_orders", "manufacturing:write", s.createWorkOrder)
	s.handle(r, http.MethodGet, "/v1/work_orders/{id}", "manufacturing:read", s.getWorkOrder)
	s.handle(r, http.MethodGet, "/v1/work_orders/{id}/history", "manufacturing:read", s.workOrderHistory)
	s.handle(r, http.MethodPost, "/v1/work_orders/{id}/complete", "manufacturing:write", s.completeWorkOrder)
	s.handle(r, http.MethodPost, "/v1/work_orders/{id}/{action:release|start|hold|resume|cancel}", "manufacturing:write", s.workOrderAction)

	// the SDK's spellings
	s.handle(r, http.MethodGet, "/v1/workorders", "manufacturing:read", s.listWorkOrders)
	s.handle(r, http.MethodPost, "/v1/workorders", "manufacturing:write", s.createWorkOrder)
	s.handle(r, http.MethodGet, "/v1/workorders/{id}", "manufacturing:read", s.getWorkOrder)
	s.handle(r, http.MethodGet, "/v1/workorders/{id}/history", "manufacturing:read", s.workOrderHistory)
	s.handle(r, http.MethodPost, "/v1/workorders/{id}/complete", "manufacturing:write", s.completeWorkOrder)
	s.handle(r, http.MethodPost, "/v1/workorders/{id}/{action:release|start|hold|resume|cancel}", "manufacturing:write", s.workOrderAction)
	s.handle(r, http.MethodGet, "/v1/suppliers", "suppliers:read", s.listSuppliers)
	s.handle(r, http.MethodPost, "/v1/suppliers", "suppliers:write", s.createSupplier)
	s.handle(r, http.MethodGet, "/v1/suppliers/{id}", "suppliers:read", s.getSupplier)
	s.handle(r, http.MethodPut, "/v1/suppliers/{id}", "suppliers:write", s.updateSupplier)
	s.handle(r, http.MethodGet, "/v1/suppliers/{id}/history", "suppliers:read", s.supplierHistory)
	s.handle(r, http.MethodGet, "/v1/suppliers/{id}/products", "suppliers:read", s.listSupplierProducts)
	s.handle(r, http.MethodPost, "/v1/suppliers/{id}/products", "suppliers:write", s.setSupplierProduct)
	s.handle(r, http.MethodGet, "/v1/suppliers/{id}/purchase_orders", "purchase_orders:read", s.listSupplierPurchaseOrders)
	s.handle(r, http.MethodPost, "/v1/suppliers/{id}/{action:activate|deactivate|suspend}", "suppliers:write", s.supplierAction)

	// /v1/purchaseorders is the official SDK's spelling of the same routes
	for _, po := range []string{"/v1/purchase_orders", "/v1/purchaseorders"} {
		s.handle(r, http.MethodGet, po, "purchase_orders:read", s.listPurchaseOrders)
		s.handle(r, http.MethodPost, po, "purchase_orders:write", s.createPurchaseOrder)
		s.handle(r, http.MethodGet, po+"/{id}", "purchase_orders:read", s.getPurchaseOrder)
		s.handle(r, http.MethodGet, po+"/{id}/history", "purchase_orders:read", s.purchaseOrderHistory)
		s.handle(r, http.MethodPost, po+"/{id}/receive", "purchase_orders:write", s.receivePurchaseOrder)
		s.handle(r, http.MethodPost, po+"/{id}/{action:submit|approve|reject|close|cancel}", "purchase_orders:write", s.purchaseOrderAction)
	}

	s.handle(r, http.MethodGet, "/v1/asns", "purchase_orders:read", s.listASNs)
	s.handle(r, http.MethodPost, "/v1/asns", "purchase_orders:write", s.createASN)
	s.handle(r, http.MethodGet, "/v1/asns/{id}", "purchase_orders:read", s.getASN)
	s.handle(r, http.MethodGet, "/v1/asns/{id}/history", "purchase_orders:read", s.asnHistory)
	s.handle(r, http.MethodPost, "/v1/asns/{id}/{action:submit|ship|deliver|cancel}", "purchase_orders:write", s.asnAction)
	s.handle(r, http.MethodGet, "/v1/warehouses", "warehouses:read", s.listWarehouses)
	s.handle(r, http.MethodPost, "/v1/warehouses", "warehouses:write", s.createWarehouse)
	s.handle(r, http.MethodGet, "/v1/warehouses/{id}", "warehouses:read", s.getWarehouse)
	s.handle(r, http.MethodPut, "/v1/warehouses/{id}", "warehouses:write", s.updateWarehouse)
	s.handle(r, http.MethodGet, "/v1/warehouses/{id}/history", "warehouses:read", s.warehouseHistory)
	s.handle(r, http.MethodPost, "/v1/warehouses/{id}/{action:activate|deactivate}", "warehouses:write", s.warehouseAction)

	s.handle(r, http.MethodGet, "/v1/pick_lists", "warehouses:read", s.listPickLists)
	s.handle(r, http.MethodPost, "/v1/pick_lists", "warehouses:write", s.createPickList)
	s.handle(r, http.MethodGet, "/v1/pick_lists/{id}", "warehouses:read", s.getPickList)
	s.handle(r, http.MethodGet, "/v1/pick_lists/{id}/history", "warehouses:read", s.pickListHistory)
	s.handle(r, http.MethodPost, "/v1/pick_lists/{id}/complete", "warehouses:write", s.completePickList)
	s.handle(r, http.MethodPost, "/v1/pick_lists/{id}/{action:start|cancel}", "warehouses:write", s.pickListAction)

	s.handle(r, http.MethodGet, "/v1/shipments", "warehouses:read", s.listShipments)
	s.handle(r, http.MethodPost, "/v1/shipments", "warehouses:write", s.createShipment)
	s.handle(r, http.MethodGet, "/v1/shipments/{id}", "warehouses:read", s.getShipment)
	s.handle(r, http.MethodGet, "/v1/shipments/{id}/history", "warehouses:read", s.shipmentHistory)
	s.handle(r, http.MethodPost, "/v1/shipments/{id}/{action:ship|deliver|cancel}", "warehouses:write", s.shipmentAction)

	s.handle(r, http.MethodGet, "/v1/transfers", "warehouses:read", s.listTransfers)
	s.handle(r, http.MethodPost, "/v1/transfers", "warehouses:write", s.createTransfer)
	s.handle(r, http.MethodGet, "/v1/transfers/{id}", "warehouses:read", s.getTransfer)
	s.handle(r, http.MethodGet, "/v1/transfers/{id}/history", "warehouses:read", s.transferHistory)
	s.handle(r, http.MethodPost, "/v1/transfers/{id}/{action:ship|receive|cancel}", "warehouses:write", s.transferAction)

	s.handle(r, http.MethodGet, "/v1/cycle_counts", "warehouses:read", s.listCycleCounts)
	s.handle(r, http.MethodPost, "/v1/cycle_counts", "warehouses:write", s.createCycleCount)
	s.handle(r, http.MethodGet, "/v1/cycle_counts/{id}", "warehouses:read", s.getCycleCount)
	s.handle(r, http.MethodGet, "/v1/cycle_counts/{id}/history", "warehouses:read", s.cycleCountHistory)
	s.handle(r, http.MethodPost, "/v1/cycle_counts/{id}/submit", "warehouses:write", s.submitCycleCount)
	s.handle(r, http.MethodPost, "/v1/cycle_counts/{id}/{action:start|reconcile|cancel}", "warehouses:write", s.cycleCountAction)

	s.handle(r, http.MethodGet, "/v1/leads", "crm:read", s.listLeads)
	s.handle(r, http.MethodPost, "/v1/leads", "crm:write", s.createLead)
	s.handle(r, http.MethodGet, "/v1/leads/{id}", "crm:read", s.getLead)
	s.handle(r, http.MethodGet, "/v1/leads/{id}/history", "crm:read", s.leadHistory)
	s.handle(r, http.MethodPost, "/v1/leads/{id}/convert", "crm:write", s.convertLead)
	s.handle(r, http.MethodPost, "/v1/leads/{id}/{action:contact|accept|disqualify}", "crm:write", s.leadAction)

	s.handle(r, http.MethodGet, "/v1/contacts", "crm:read", s.listContacts)
	s.handle(r, http.MethodPost, "/v1/contacts", "crm:write", s.createContact)
	s.handle(r, http.MethodGet, "/v1/contacts/{id}", "crm:read", s.getContact)
	s.handle(r, http.MethodGet, "/v1/contacts/{id}/history", "crm:read", s.contactHistory)
	s.handle(r, http.MethodPost, "/v1/contacts/{id}/{action:archive}", "crm:write", s.contactAction)

	s.handle(r, http.MethodGet, "/v1/opportunities", "crm:read", s.listOpportunities)
	s.handle(r, http.MethodPost, "/v1/opportunities", "crm:write", s.createOpportunity)
	s.handle(r, http.MethodGet, "/v1/opportunities/{id}", "crm:read", s.getOpportunity)
	s.handle(r, http.MethodGet, "/v1/opportunities/{id}/history", "crm:read", s.opportunityHistory)
	s.handle(r, http.MethodPost, "/v1/opportunities/{id}/{action:qualify|propose|negotiate|win|lose}", "crm:write", s.opportunityAction)

	// /v1/cases_tickets is the official SDK's spelling of the same routes
	for _, c := range []string{"/v1/cases", "/v1/cases_tickets"} {
		s.handle(r, http.MethodGet, c, "crm:read", s.listCases)
		s.handle(r, http.MethodPost, c, "crm:write", s.createCase)
		s.handle(r, http.MethodGet, c+"/{id}", "crm:read", s.getCase)
		s.handle(r, http.MethodGet, c+"/{id}/history", "crm:read", s.caseHistory)
		s.handle(r, http.MethodGet, c+"/{id}/notes", "crm:read", s.caseNotes)
		s.handle(r, http.MethodPost, c+"/{id}/notes", "crm:write", s.addCaseNote)
		s.handle(r, http.MethodPost, c+"/{id}/assign", "crm:write", s.assignCase)
		s.handle(r, http.MethodPost, c+"/{id}/{action:hold|resume|resolve|close|reopen}", "crm:write", s.caseAction)
	}
}
