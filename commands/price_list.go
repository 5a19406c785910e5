package commands

import (
	"context"

	"stateset/domain"
)

// CreatePriceList creates an active price list.
func (m Wholesale) CreatePriceList(ctx context.Context, cmd domain.CreatePriceList, opts ...Option) (Result[domain.PriceList], error) {
	return execute(ctx, m.h, "price_list", cmd.PriceListID, opts, func(p *domain.PriceList) ([]domain.Event, error) {
		return p.Create(cmd)
	}, nil)
}

// UpdatePriceList edits an active price list.
func (m Wholesale) UpdatePriceList(ctx context.Context, id string, cmd domain.UpdatePriceList, opts ...Option) (Result[domain.PriceList], error) {
	cmd.PriceListID = id
	return onExisting(ctx, m.h, "price_list", id, opts, func(p *domain.PriceList) ([]domain.Event, error) { return p.Update(cmd) })
}

// ArchivePriceList freezes a price list.
func (m Wholesale) ArchivePriceList(ctx context.Context, id, reason string, opts ...Option) (Result[domain.PriceList], error) {
	return onExisting(ctx, m.h, "price_list", id, opts, func(p *domain.PriceList) ([]domain.Event, error) { return p.Archive(reason) })
}

// PriceList loads a price list from the event store.
func (m Wholesale) PriceList(ctx context.Context, id string) (*domain.PriceList, error) {
	return loadExisting[domain.PriceList](ctx, m.h, "price_list", id, 0)
}

// PriceListAt rebuilds a price list as it was at stream position pos.
func (m Wholesale) PriceListAt(ctx context.Context, id string, pos uint64) (*domain.PriceList, error) {
	return loadExisting[domain.PriceList](ctx, m.h, "price_list", id, pos)
}
