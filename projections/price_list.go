package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// priceListsV1 is the price lists read model: one document per list.
type priceListsV1 struct{}

// PriceLists is the price lists projector.
func PriceLists() Projector { return priceListsV1{} }

var priceListDocs = docTable[domain.PriceList, *domain.PriceList]{
	table: "price_lists",
	cols:  []string{"status", "currency"},
	vals:  func(p *domain.PriceList) []any { return []any{string(p.Status), p.Currency} },
	index: []string{`CREATE INDEX IF NOT EXISTS price_lists_status ON price_lists (status, created_seq)`},
}

func (priceListsV1) Name() string             { return "price_lists_v1" }
func (priceListsV1) AggregateTypes() []string { return []string{"price_list"} }
func (priceListsV1) Schema() []string         { return priceListDocs.schema() }

func (priceListsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := priceListDocs.apply(ctx, tx, env)
	return err
}

// GetPriceList returns one price list.
func (rd *Reader) GetPriceList(ctx context.Context, id string) (Doc[domain.PriceList], error) {
	return priceListDocs.get(ctx, rd.db("price_lists_v1"), id)
}

// ListPriceLists lists price lists, newest first.
func (rd *Reader) ListPriceLists(ctx context.Context, f Filter) ([]*domain.PriceList, PageInfo, error) {
	return priceListDocs.list(ctx, rd.db("price_lists_v1"), f)
}
