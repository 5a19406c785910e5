package api

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func benchRequest(b *testing.B, h *harness, method, path, body string) {
	benchRequestAs(b, h, h.admin, method, path, body)
}

func benchRequestAs(b *testing.B, h *harness, tok, method, path, body string) {
	req, _ := http.NewRequest(method, h.http.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Token "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode >= 300 {
		b.Fatalf("%s %s: %d", method, path, res.StatusCode)
	}
}

// BenchmarkHTTPPut is the seed PUT over real HTTP, a field changing every request so
// each one appends an event; c is concurrent keep-alive clients.
func BenchmarkHTTPPut(b *testing.B) {
	for _, c := range []int{1, 32} {
		b.Run(fmt.Sprint("conns=", c), func(b *testing.B) {
			h := newHarness(b)
			http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = 64
			var n atomic.Int64
			for i := range 64 {
				benchRequest(b, h, "PUT", fmt.Sprintf("/v1/customers/cus_%d", i), fmt.Sprintf(`{"email":"c%d@example.com"}`, i))
			}
			b.SetParallelism(max(1, c/2)) // x GOMAXPROCS (2 here)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					id := i % 64
					body := strings.Replace(seedBody, `"cus_1"`, fmt.Sprintf(`"cus_%d"`, id), 1)
					body = strings.Replace(body, `"ada@example.com"`, fmt.Sprintf(`"c%d@example.com"`, id), 1)
					body = strings.Replace(body, `"Lovelace"`, fmt.Sprintf(`"L%d"`, i), 1)
					benchRequest(b, h, "PUT", fmt.Sprintf("/v1/customers/cus_%d", id), body)
				}
			})
		})
	}
}

// BenchmarkHTTPGet reads one customer from the read model over real HTTP.
func BenchmarkHTTPGet(b *testing.B) {
	for _, c := range []int{1, 32} {
		b.Run(fmt.Sprint("conns=", c), func(b *testing.B) {
			h := newHarness(b)
			http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = 64
			w := h.do("PUT", "/v1/customers/cus_1", seedBody)
			r := h.do("GET", "/v1/customers/cus_1", "", "Stateset-Min-Position", w.header.Get("Stateset-Position"))
			if r.status != 200 {
				b.Fatal(r.status)
			}
			b.SetParallelism(max(1, c/2))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					benchRequest(b, h, "GET", "/v1/customers/cus_1", "")
				}
			})
		})
	}
}

// BenchmarkHTTPGetAfterOwnWrite is what read-your-writes by default costs a GET: the
// key that wrote the customer waits for its last write's position (already reached),
// another key that never wrote waits for nothing.
func BenchmarkHTTPGetAfterOwnWrite(b *testing.B) {
	h := newHarness(b)
	reader := h.key("reader", []string{"customers:read"}, nil)
	h.do("PUT", "/v1/customers/cus_1", seedBody)
	for _, c := range []struct{ name, tok string }{{"writer", h.admin}, {"other-key", reader}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				benchRequestAs(b, h, c.tok, "GET", "/v1/customers/cus_1", "")
			}
		})
	}
}

// BenchmarkScan is the pass over every body before its fields are read: the seed body
// takes the fast path; the same body with an escape takes the full scan.
func BenchmarkScan(b *testing.B) {
	for _, c := range []struct{ name, body string }{
		{"plain", seedBody},
		{"escaped", strings.Replace(seedBody, `"Ada"`, `"A\u0064a"`, 1)},
	} {
		b.Run(c.name, func(b *testing.B) {
			body := []byte(c.body)
			b.ReportAllocs()
			for b.Loop() {
				if err := scan(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
