package commands

// The commands of each module live on the module's own type, a thin value over the
// Handler, which stays the kernel: the store, the registry, the cache and the locks,
// execute, and what every module shares (History, Flows, React, Run, the event feed).
// A module's type is reached from the handler: h.Orders().Create(...), h.Warehouse().CreatePickList(...).
// Names drop what the type already says (ActOnOrder is Orders.Act, Order is Orders.Get);
// in a module of several aggregates the aggregate stays in the name (Warehouse.CreatePickList).

// Orders holds the order commands and loaders.
type Orders struct{ h *Handler }

// Orders returns the order module's commands.
func (h *Handler) Orders() Orders { return Orders{h} }

// Returns holds the return commands and loaders.
type Returns struct{ h *Handler }

// Returns returns the return module's commands.
func (h *Handler) Returns() Returns { return Returns{h} }

// Warranties holds the warranty commands and loaders.
type Warranties struct{ h *Handler }

// Warranties returns the warranty module's commands.
func (h *Handler) Warranties() Warranties { return Warranties{h} }

// Inventory holds the inventory commands and loaders.
type Inventory struct{ h *Handler }

// Inventory returns the inventory module's commands.
func (h *Handler) Inventory() Inventory { return Inventory{h} }

// Wholesale holds the wholesale commands and loaders.
type Wholesale struct{ h *Handler }

// Wholesale returns the wholesale module's commands.
func (h *Handler) Wholesale() Wholesale { return Wholesale{h} }

// Manufacturing holds the manufacturing commands and loaders.
type Manufacturing struct{ h *Handler }

// Manufacturing returns the manufacturing module's commands.
func (h *Handler) Manufacturing() Manufacturing { return Manufacturing{h} }

// Purchasing holds the purchasing commands and loaders.
type Purchasing struct{ h *Handler }

// Purchasing returns the purchasing module's commands.
func (h *Handler) Purchasing() Purchasing { return Purchasing{h} }

// Warehouse holds the warehouse commands and loaders.
type Warehouse struct{ h *Handler }

// Warehouse returns the warehouse module's commands.
func (h *Handler) Warehouse() Warehouse { return Warehouse{h} }

// CRM holds the CRM commands and loaders.
type CRM struct{ h *Handler }

// CRM returns the CRM module's commands.
func (h *Handler) CRM() CRM { return CRM{h} }

// Webhooks holds the webhook commands and loaders.
type Webhooks struct{ h *Handler }

// Webhooks returns the webhook module's commands.
func (h *Handler) Webhooks() Webhooks { return Webhooks{h} }

// Customers holds the customer commands and loaders, and the customer-privacy hooks.
type Customers struct{ h *Handler }

// Customers returns the customer module's commands.
func (h *Handler) Customers() Customers { return Customers{h} }

// APIKeys holds the API key commands and the first key's bootstrap.
type APIKeys struct{ h *Handler }

// APIKeys returns the API key module's commands.
func (h *Handler) APIKeys() APIKeys { return APIKeys{h} }
