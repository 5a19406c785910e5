package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"stateset/domain"
)

// orderFixture is a customer c1 and a SKU MUG stocked at main, for orders.
func orderFixture(t testing.TB, h *Handler) {
	t.Helper()
	create(t, h, "c1", "c1@example.com")
	warehouse(t, h, "main")
	if _, err := h.Inventory().CreateItem(context.Background(), domain.CreateInventoryItem{SKU: "MUG", LocationID: "main", OnHand: 100}); err != nil {
		t.Fatal(err)
	}
}

func placeOrder(h *Handler, id string, opts ...Option) (Result[domain.Order], error) {
	return h.Orders().Create(context.Background(), domain.CreateOrder{OrderID: id, CustomerID: "c1", Currency: "USD", LocationID: "main",
		Items: []domain.OrderLineInput{{SKU: "MUG", Quantity: 1, UnitPrice: 100}}, Submit: true}, opts...)
}

func TestNumbersComeInBlocksPerInstance(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	a, b := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	var got []string
	for _, h := range []*Handler{a, b, a, b, a} {
		n, err := h.nextNumber(ctx, "order", "ORD")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	want := []string{"ORD-000001", "ORD-000101", "ORD-000002", "ORD-000102", "ORD-000003"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
	// a's block runs out: its next block starts after b's
	for range numberBlock - 3 {
		if _, err := a.nextNumber(ctx, "order", "ORD"); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := a.nextNumber(ctx, "order", "ORD"); err != nil || n != "ORD-000201" {
		t.Errorf("first of a's second block: %s %v, want ORD-000201", n, err)
	}
	// kinds have counters of their own
	if n, err := a.nextNumber(ctx, "return", "RMA"); err != nil || n != "RMA-000001" {
		t.Errorf("first return number: %s %v", n, err)
	}
}

func TestNumbersAreUniqueAcrossConcurrentInstances(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	const instances, each = 3, 150 // each instance needs a second block
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	errs := make(chan error, instances*4)
	for range instances {
		h := newHandler(t, s, Config{})
		for range 4 { // concurrent requests on one instance share its block
			wg.Go(func() {
				for range each / 4 {
					n, err := h.nextNumber(ctx, "order", "ORD")
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					if seen[n] {
						errs <- fmt.Errorf("%s handed out twice", n)
					}
					seen[n] = true
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(seen) != instances*(each/4)*4 {
		t.Errorf("%d numbers", len(seen))
	}
}

func TestACounterLeftByPerCreateNumbersContinues(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	h := newHandler(t, s, Config{})
	// what the counter held when every create took one number from it
	if _, err := h.unique.Create(ctx, "seq.order", []byte("41")); err != nil {
		t.Fatal(err)
	}
	if n, err := h.nextNumber(ctx, "order", "ORD"); err != nil || n != "ORD-000042" {
		t.Errorf("got %s %v, want ORD-000042", n, err)
	}
	raw, _, err := h.unique.Get(ctx, "seq.order")
	if err != nil || string(raw) != strconv.Itoa(41+numberBlock) {
		t.Errorf("counter %s %v, want %d reserved", raw, err, 41+numberBlock)
	}
}

func TestACreateOfAnExistingOrderIsRefusedWithoutConflict(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	a, b := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	orderFixture(t, a)
	if _, err := placeOrder(a, "o1"); err != nil {
		t.Fatal(err)
	}
	// b has not seen o1: it takes the id to be new, and the append finds it is not
	_, err := placeOrder(b, "o1")
	if _, ok := errors.AsType[*domain.AlreadyExistsError](err); !ok {
		t.Fatalf("second create: %v", err)
	}
	var m dto.Metric
	if err := b.conflicts.WithLabelValues("order").Write(&m); err != nil || m.GetCounter().GetValue() != 0 {
		t.Errorf("%v conflicts counted for a create of an existing id (%v)", m.GetCounter().GetValue(), err)
	}
	// a retry of a create that landed (its answer lost) answers the order, on any instance
	meta := WithMetadata(domain.Metadata{Actor: "key1", IdempotencyKey: "idem-1"})
	first, err := placeOrder(a, "o2", meta)
	if err != nil {
		t.Fatal(err)
	}
	again, err := placeOrder(newHandler(t, s, Config{}), "o2", meta)
	if err != nil || len(again.Events) != 0 || again.Position != first.Position {
		t.Fatalf("retry: %d events, position %d (want %d), %v", len(again.Events), again.Position, first.Position, err)
	}
	// a refusal by the domain is judged on the stream, not on the empty order assumed
	o, err := b.Orders().Create(ctx, domain.CreateOrder{OrderID: "o1", CustomerID: "c1", Currency: "USD", LocationID: "main",
		Items: []domain.OrderLineInput{{SKU: "MUG", Quantity: 1, UnitPrice: 100}}}, WithIfVersion(1))
	if _, ok := errors.AsType[*domain.AlreadyExistsError](err); !ok {
		t.Fatalf("create with If-Match of an existing order: %+v %v", o, err)
	}
}

func TestReadsThroughTheCacheSeeAnotherInstancesWrites(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	a, b := newHandler(t, s, Config{}), newHandler(t, s, Config{})
	orderFixture(t, a)
	created, err := placeOrder(a, "o1")
	if err != nil {
		t.Fatal(err)
	}
	if o, err := a.Orders().Get(ctx, "o1"); err != nil || o.Status != domain.OrderStatusPending {
		t.Fatalf("read of a's own write: %+v %v", o, err)
	}
	// b moves the order on; a's cached copy is behind the stream and must not answer
	if _, err := b.Orders().Act(ctx, "o1", "confirm", ""); err != nil {
		t.Fatal(err)
	}
	if o, err := a.Orders().Get(ctx, "o1"); err != nil || o.Status != domain.OrderStatusConfirmed {
		t.Fatalf("read after b's write: %+v %v", o, err)
	}
	// as of a position before the confirmation, from a cache that holds it
	if o, err := a.Orders().At(ctx, "o1", created.Position); err != nil || o.Status != domain.OrderStatusPending || o.Version != 1 {
		t.Fatalf("as of the create: %+v %v", o, err)
	}
	// a copy: changing what a read returned changes nothing cached
	o, _ := a.Orders().Get(ctx, "o1")
	o.Status = domain.OrderStatusCancelled
	if o, _ := a.Orders().Get(ctx, "o1"); o.Status != domain.OrderStatusConfirmed {
		t.Errorf("the cache handed out its own entry")
	}
	// a customer forgotten on another instance is refused by an order's check
	if _, err := b.Customers().Forget(ctx, "c1", "asked"); err != nil {
		t.Fatal(err)
	}
	_, err = placeOrder(a, "o3")
	if v, ok := errors.AsType[*domain.ValidationError](err); !ok || v.Fields[0].Field != "customer_id" {
		t.Fatalf("order for a customer forgotten elsewhere: %v", err)
	}
	if _, err := a.Orders().Get(ctx, "nope"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("missing order: %v", err)
	}
}

func TestAReadDuringACommandOnTheAggregateDoesNotWait(t *testing.T) {
	ctx := context.Background()
	h := newHandler(t, openStore(t, t.TempDir()), Config{})
	orderFixture(t, h)
	if _, err := placeOrder(h, "o1"); err != nil {
		t.Fatal(err)
	}
	// a decide that reads its own aggregate (the lock is held) is served from the store
	_, err := h.onOrder(ctx, "o1", nil, func(o *domain.Order) ([]domain.Event, error) {
		got, err := h.Orders().Get(ctx, "o1")
		if err != nil || got.Version != o.Version {
			return nil, fmt.Errorf("read inside the command: %+v %v", got, err)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
