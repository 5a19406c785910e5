package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// pickListsV1 is the pick lists read model: one document per pick list.
type pickListsV1 struct{}

// PickLists is the pick lists projector.
func PickLists() Projector { return pickListsV1{} }

// PickListColumns are the columns pick list lists filter on.
var PickListColumns = []string{"status", "warehouse_id"}

var pickListDocs = docTable[domain.PickList, *domain.PickList]{
	table: "pick_lists",
	cols:  PickListColumns,
	vals:  func(p *domain.PickList) []any { return []any{string(p.Status), p.WarehouseID} },
	index: []string{`CREATE INDEX IF NOT EXISTS pick_lists_status ON pick_lists (status, created_seq)`},
}

func (pickListsV1) Name() string             { return "pick_lists_v1" }
func (pickListsV1) AggregateTypes() []string { return []string{"pick_list"} }
func (pickListsV1) Schema() []string         { return pickListDocs.schema() }

func (pickListsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := pickListDocs.apply(ctx, tx, env)
	return err
}

// GetPickList returns one pick list.
func (rd *Reader) GetPickList(ctx context.Context, id string) (Doc[domain.PickList], error) {
	return pickListDocs.get(ctx, rd.db("pick_lists_v1"), id)
}

// ListPickLists lists pick lists, newest first.
func (rd *Reader) ListPickLists(ctx context.Context, f Filter) ([]*domain.PickList, PageInfo, error) {
	return pickListDocs.list(ctx, rd.db("pick_lists_v1"), f)
}
