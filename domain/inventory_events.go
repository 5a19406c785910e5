package domain

import "time"

// The events of an inventory item (domain/inventory.go): the stock ledger, and how its
// events are registered.

// StockMovement is what every ledger event carries: the deltas, the balances after them,
// why, and the source document.
type StockMovement struct {
	ItemID         string `json:"item_id"`
	SKU            string `json:"sku"`
	LocationID     string `json:"location_id"`
	Reason         string `json:"reason"`
	SourceType     string `json:"source_type,omitempty"`
	SourceID       string `json:"source_id,omitempty"`
	MovementKey    string `json:"movement_key,omitempty"`
	OnHandDelta    int64  `json:"on_hand_delta"`
	ReservedDelta  int64  `json:"reserved_delta"`
	IncomingDelta  int64  `json:"incoming_delta,omitempty"`
	InTransitDelta int64  `json:"in_transit_delta,omitempty"`
	OnHand         int64  `json:"on_hand"`
	Reserved       int64  `json:"reserved"`
	Incoming       int64  `json:"incoming"`
	InTransit      int64  `json:"in_transit"`
}

// Movement returns the ledger entry an event carries, if it is one.
func Movement(e Event) (StockMovement, bool) {
	switch e := e.(type) {
	case InventoryAdjusted:
		return e.StockMovement, true
	case InventoryReserved:
		return e.StockMovement, true
	case InventoryReservationReleased:
		return e.StockMovement, true
	case InventoryReservationConsumed:
		return e.StockMovement, true
	}
	return StockMovement{}, false
}

// InventoryItemCreated: a SKU is stocked at a location.
type InventoryItemCreated struct {
	ItemID          string `json:"item_id"`
	SKU             string `json:"sku"`
	LocationID      string `json:"location_id"`
	ReorderPoint    int64  `json:"reorder_point"`
	ReorderQuantity int64  `json:"reorder_quantity"`
	UnitCost        int64  `json:"unit_cost"`
	Currency        string `json:"currency"`
}

// InventoryItemUpdated: the item's settings changed; only changed fields are present.
type InventoryItemUpdated struct {
	ItemID          string       `json:"item_id"`
	ReorderPoint    *Int64Change `json:"reorder_point,omitempty"`
	ReorderQuantity *Int64Change `json:"reorder_quantity,omitempty"`
	UnitCost        *Int64Change `json:"unit_cost,omitempty"`
}

// Int64Change is one number's previous and new value.
type Int64Change struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// InventoryAdjusted: stock moved in or out (receipt, sale, return, scrap, count...).
type InventoryAdjusted struct {
	StockMovement
	Note string `json:"note,omitempty"`
}

// InventoryReserved: stock was set aside for a demand line; FromBackorder when the stock
// arrived for a line that waited.
type InventoryReserved struct {
	StockMovement
	ReservationID string     `json:"reservation_id"`
	ReferenceType string     `json:"reference_type"`
	ReferenceID   string     `json:"reference_id"`
	LineID        string     `json:"line_id,omitempty"`
	Quantity      int64      `json:"quantity"`
	FromBackorder bool       `json:"from_backorder,omitempty"`
	ExpiresAt     *time.Time `json:"expires_at,omitempty"`
	// the reservation after this event, for whoever tracks the demand line
	TotalReserved    int64 `json:"total_reserved"`
	TotalBackordered int64 `json:"total_backordered"`
}

// InventoryBackordered: a demand line could not be met from available stock; it waits
// for the next receipt.
type InventoryBackordered struct {
	ItemID        string `json:"item_id"`
	MovementKey   string `json:"movement_key,omitempty"`
	SKU           string `json:"sku"`
	LocationID    string `json:"location_id"`
	ReservationID string `json:"reservation_id"`
	ReferenceType string `json:"reference_type"`
	ReferenceID   string `json:"reference_id"`
	LineID        string `json:"line_id,omitempty"`
	Quantity      int64  `json:"quantity"`
	// the reservation after this event
	TotalReserved    int64 `json:"total_reserved"`
	TotalBackordered int64 `json:"total_backordered"`
}

// InventoryReservationReleased: held stock went back to available (release, expiry,
// lower demand); BackorderCancelled is the waiting quantity dropped with it.
type InventoryReservationReleased struct {
	StockMovement
	ReservationID      string `json:"reservation_id"`
	ReferenceType      string `json:"reference_type"`
	ReferenceID        string `json:"reference_id"`
	LineID             string `json:"line_id,omitempty"`
	Quantity           int64  `json:"quantity"`
	BackorderCancelled int64  `json:"backorder_cancelled,omitempty"`
	Closed             bool   `json:"closed"` // the reservation is gone
	TotalReserved      int64  `json:"total_reserved"`
	TotalBackordered   int64  `json:"total_backordered"`
}

// InventoryReservationConsumed: reserved stock left (shipped, used in production): on
// hand and reserved both go down.
type InventoryReservationConsumed struct {
	StockMovement
	ReservationID string `json:"reservation_id"`
	ReferenceType string `json:"reference_type"`
	ReferenceID   string `json:"reference_id"`
	LineID        string `json:"line_id,omitempty"`
	Quantity      int64  `json:"quantity"`
	Closed        bool   `json:"closed"`
}

// InventoryLowStock: available fell to or below the reorder point.
type InventoryLowStock struct {
	ItemID          string `json:"item_id"`
	SKU             string `json:"sku"`
	LocationID      string `json:"location_id"`
	Available       int64  `json:"available"`
	ReorderPoint    int64  `json:"reorder_point"`
	ReorderQuantity int64  `json:"reorder_quantity"`
}

func (InventoryItemCreated) EventType() string         { return "InventoryItemCreated" }
func (InventoryItemUpdated) EventType() string         { return "InventoryItemUpdated" }
func (InventoryAdjusted) EventType() string            { return "InventoryAdjusted" }
func (InventoryReserved) EventType() string            { return "InventoryReserved" }
func (InventoryBackordered) EventType() string         { return "InventoryBackordered" }
func (InventoryReservationReleased) EventType() string { return "InventoryReservationReleased" }
func (InventoryReservationConsumed) EventType() string { return "InventoryReservationConsumed" }
func (InventoryLowStock) EventType() string            { return "InventoryLowStock" }

func inventoryEvents(r *Registry) {
	Register[InventoryItemCreated](r, "inventory", 1, nil)
	Register[InventoryItemUpdated](r, "inventory", 1, nil)
	Register[InventoryAdjusted](r, "inventory", 1, nil)
	Register[InventoryReserved](r, "inventory", 1, nil)
	Register[InventoryBackordered](r, "inventory", 1, nil)
	Register[InventoryReservationReleased](r, "inventory", 1, nil)
	Register[InventoryReservationConsumed](r, "inventory", 1, nil)
	Register[InventoryLowStock](r, "inventory", 1, nil)
}
