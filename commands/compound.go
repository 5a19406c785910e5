package commands

import (
	"context"

	"stateset/domain"
)

// compoundGuard readies the guard of a compound command (one that claims on other
// aggregates before its own events are appended: stock reserved at a transfer's source,
// an order's lines shipped, credit reserved, quantities held on an order) for execute, and
// answers with it the settle to call with execute's error.
//
// execute runs the guard's undo when the append conflicts (before the retry decides and
// guards again) and its done after the append lands. When the append fails otherwise its
// outcome is unknown, and execute keeps the claim, as a unique value's must be kept; it
// keeps it too when the events cannot be encoded after the guard ran. The undos of compound
// commands are safe whatever the outcome, since each reads whether the command's aggregate
// holds the claim after all before it gives anything back, so settle runs the undo of a
// claim that execute neither undid nor saw land, as these commands did on any failure when
// their claims were made inline. The claims of one command are made under its aggregate's
// lock, each command on the other aggregate under that one's: these locks are only ever
// taken in that order (no command on a claimed-on aggregate waits for its claimant's lock;
// reads of a locked aggregate do not wait), so they cannot deadlock.
func compoundGuard[A any](h *Handler, aggType, id string, g guard[A]) (guard[A], func(context.Context, error)) {
	var pending func(context.Context) // the undo of a claim execute has not settled
	wrapped := func(ctx context.Context, before *A, events []domain.Event) (func(context.Context), func(context.Context), error) {
		undo, done, err := g(ctx, before, events)
		if err != nil {
			return nil, nil, err
		}
		if h.claimed != nil {
			h.claimed(aggType, id)
		}
		pending = undo
		settled := func(then func(context.Context)) func(context.Context) {
			return func(ctx context.Context) {
				pending = nil
				if then != nil {
					then(ctx)
				}
			}
		}
		return settled(undo), settled(done), nil
	}
	settle := func(ctx context.Context, err error) {
		if err != nil && pending != nil {
			pending(context.WithoutCancel(ctx))
		}
		pending = nil
	}
	return wrapped, settle
}

// executeCompound is execute with a compound command's guard (compoundGuard), settled.
func executeCompound[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, opts []Option,
	decide func(P) ([]domain.Event, error), g guard[A]) (Result[A], error) {
	wrapped, settle := compoundGuard(h, aggType, id, g)
	res, err := execute(ctx, h, aggType, id, opts, decide, wrapped)
	settle(ctx, err)
	return res, err
}

// onExistingCompound is onExisting with a compound command's guard (compoundGuard).
func onExistingCompound[A any, P aggregate[A]](ctx context.Context, h *Handler, aggType, id string, opts []Option,
	decide func(P) ([]domain.Event, error), g guard[A]) (Result[A], error) {
	if !domain.ValidID(id) {
		return Result[A]{}, domain.ErrNotFound
	}
	return executeCompound(ctx, h, aggType, id, opts, func(a P) ([]domain.Event, error) {
		if a.CurrentVersion() == 0 {
			return nil, domain.ErrNotFound
		}
		return decide(a)
	}, g)
}
