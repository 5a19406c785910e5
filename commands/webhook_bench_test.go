package commands

import (
	"context"
	"fmt"
	"testing"

	"stateset/domain"
)

// BenchmarkWebhookFanOutUnwanted is the fan-out's cost of an event no endpoint wants: a
// customer update, with one endpoint subscribed to order.* and the read models current.
func BenchmarkWebhookFanOutUnwanted(b *testing.B) {
	ctx := context.Background()
	rg := newWebhookRig(b, true)
	rg.runIndex(b)
	rg.endpoint(b, "orders", "order.*")
	create(b, rg.h, "c1", "c1@example.com")
	for i := range 255 {
		if _, err := rg.h.Customers().Update(ctx, domain.UpdateCustomer{CustomerID: "c1", Phone: ptr(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
	}
	msgs := rg.messages(b, "customer")
	if _, _, err := rg.reader.WebhooksReflected(ctx, msgs[len(msgs)-1].Seq); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := rg.fanOut(ctx, msgs[i%len(msgs)]); err != nil {
			b.Fatal(err)
		}
	}
}
