package commands

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"stateset/domain"
	"stateset/eventstore"
)

// fillCustomers seeds a store through the bulk path with n customer events, 10 for each
// of n/10 customers, round by round (so each customer's events are spread through the
// stream), as a store that has served customers for a while holds (the order bench's
// pre-fill). It then waits out the stream's dedupe window: the server keeps the id of
// every message of the window in memory, which a store in service does not hold.
func fillCustomers(b *testing.B, s *eventstore.Store, reg *domain.Registry, n int) {
	b.Helper()
	if n == 0 {
		return
	}
	customers := max(1, n/10)
	now := time.Now().UTC()
	var encErr error
	_, err := s.Import(context.Background(), func(yield func(eventstore.BulkMessage) bool) {
		for i := range n {
			round, c := i/customers, i%customers
			id := "fill" + strconv.Itoa(c)
			var e domain.Event = domain.CustomerCreated{CustomerID: id, Email: id + "@example.com", FirstName: "F",
				Type: "INDIVIDUAL", Status: domain.CustomerStatusActive}
			if round > 0 {
				e = domain.CustomerUpdated{CustomerID: id, Phone: &domain.Change{From: strconv.Itoa(round - 1), To: strconv.Itoa(round)}}
			}
			msg, err := EventMessage(reg, domain.Envelope{ID: NewID(), AggregateType: "customer", AggregateID: id,
				Version: int64(round + 1), Time: now, Event: e})
			if err != nil {
				encErr = err
				return
			}
			if !yield(eventstore.BulkMessage{AggregateType: "customer", AggregateID: id, Message: msg}) {
				return
			}
		}
	})
	if err == nil {
		err = encErr
	}
	if err != nil {
		b.Fatal(err)
	}
	time.Sleep(31 * time.Second) // eventstore's dedupe window, 30 s
}

// BenchmarkUnrelatedHistory is the cost of an order's commands on a fresh store and on
// one holding 100k and 1M events of other aggregates (customers): none of it should grow
// with that history. Steps: a create with a new id (what POST /v1/orders does), alone and
// from 16 goroutines, the order-stock flow on a confirmation (load the order, reserve its
// line), a load of an order that is not cached, and an update of a cached customer. It
// runs under serve's GC settings: a store's size shows in the live heap, and there the
// garbage of each request costs more.
//
//	go test ./commands -run '^$' -bench UnrelatedHistory -benchtime 1000x -benchmem
func BenchmarkUnrelatedHistory(b *testing.B) {
	ctx := context.Background()
	// as serve runs (cmd/stateset/gc.go): a live heap that grows with the store makes
	// garbage dearer under the memory limit
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(384 << 20))
	for _, fill := range []int{0, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("unrelated=%d", fill), func(b *testing.B) {
			s := openStore(b, b.TempDir())
			h := newHandler(b, s, Config{})
			fillCustomers(b, s, h.reg, fill)
			create(b, h, "c1", "c1@example.com")
			hotItem(b, h, "MUG", 0)
			newOrder := func() Result[domain.Order] {
				res, err := h.Orders().Create(ctx, domain.CreateOrder{OrderID: NewID(), CustomerID: "c1", Currency: "USD",
					LocationID: "main", Items: []domain.OrderLineInput{{SKU: "MUG", Quantity: 1, UnitPrice: 100}}, Submit: true})
				if err != nil {
					b.Fatal(err)
				}
				return res
			}
			b.Run("create-order", func(b *testing.B) {
				for range b.N {
					newOrder()
				}
			})
			b.Run("create-order/clients=16", func(b *testing.B) {
				b.SetParallelism(8) // GOMAXPROCS 2 here: 16 goroutines
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						newOrder()
					}
				})
			})
			b.Run("confirm-flow", func(b *testing.B) {
				flow := h.Flows()[1]
				if flow.Name != "order-stock" {
					b.Fatal(flow.Name)
				}
				ids := make([]Result[domain.Order], b.N)
				for i := range ids {
					o := newOrder()
					if ids[i], _ = h.Orders().Act(ctx, o.Aggregate.ID, "confirm", ""); len(ids[i].Events) != 1 {
						b.Fatal("no confirmation")
					}
				}
				b.ResetTimer()
				for i := range b.N {
					env := ids[i].Events[0]
					if err := flow.Handle(ctx, env, FlowMetadata(flow.Name, env)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("load-order-uncached", func(b *testing.B) {
				id := newOrder().Aggregate.ID
				for range b.N {
					h.cache.Remove("order." + id)
					if _, err := h.Orders().Get(ctx, id); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("update-customer", func(b *testing.B) {
				for i := range b.N {
					if _, err := h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(strconv.Itoa(i))}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
