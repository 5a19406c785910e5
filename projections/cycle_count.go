package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// cycleCountsV1 is the cycle counts read model: one document per cycle count.
type cycleCountsV1 struct{}

// CycleCounts is the cycle counts projector.
func CycleCounts() Projector { return cycleCountsV1{} }

// CycleCountColumns are the columns cycle count lists filter on.
var CycleCountColumns = []string{"status", "warehouse_id"}

var cycleCountDocs = docTable[domain.CycleCount, *domain.CycleCount]{
	table: "cycle_counts",
	cols:  CycleCountColumns,
	vals:  func(c *domain.CycleCount) []any { return []any{string(c.Status), c.WarehouseID} },
	index: []string{`CREATE INDEX IF NOT EXISTS cycle_counts_status ON cycle_counts (status, created_seq)`},
}

func (cycleCountsV1) Name() string             { return "cycle_counts_v1" }
func (cycleCountsV1) AggregateTypes() []string { return []string{"cycle_count"} }
func (cycleCountsV1) Schema() []string         { return cycleCountDocs.schema() }

func (cycleCountsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := cycleCountDocs.apply(ctx, tx, env)
	return err
}

// GetCycleCount returns one cycle count.
func (rd *Reader) GetCycleCount(ctx context.Context, id string) (Doc[domain.CycleCount], error) {
	return cycleCountDocs.get(ctx, rd.db("cycle_counts_v1"), id)
}

// ListCycleCounts lists cycle counts, newest first.
func (rd *Reader) ListCycleCounts(ctx context.Context, f Filter) ([]*domain.CycleCount, PageInfo, error) {
	return cycleCountDocs.list(ctx, rd.db("cycle_counts_v1"), f)
}
