package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"stateset/commands"
)

// A client that never sends Stateset-Min-Position (the official SDK) still reads what it
// wrote: each create, then each update, is read back at once with no header.
func TestReadYourWritesByDefault(t *testing.T) {
	h := newHarness(t)
	for i := range 50 {
		id := fmt.Sprintf("cus_ryw_%d", i)
		if r := h.do("POST", "/v1/customers", fmt.Sprintf(`{"id":%q,"email":"r%d@example.com","first_name":"First"}`, id, i)); r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if r := h.do("GET", "/v1/customers/"+id, ""); r.status != http.StatusOK {
			t.Fatalf("GET right after create: %d %s", r.status, r.body)
		}
		if r := h.do("PUT", "/v1/customers/"+id, `{"first_name":"Second"}`); r.status != http.StatusOK {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		if got := h.do("GET", "/v1/customers/"+id, "").json(t)["firstName"]; got != "Second" {
			t.Fatalf("GET right after update read firstName %v", got)
		}
	}
}

// The remembered position is the writing key's own, the header overrides it (0 opts
// out), and a refused write moves nothing.
func TestMinPositionIsPerKey(t *testing.T) {
	h := newHarness(t)
	other := h.key("other", []string{"customers:write"}, nil)
	created := h.do("POST", "/v1/customers", `{"email":"k@example.com"}`)
	pos, _ := strconv.ParseUint(created.header.Get("Stateset-Position"), 10, 64)
	if pos == 0 {
		t.Fatalf("no position: %v", created.header)
	}
	if r := h.do("POST", "/v1/customers", `{"email":"not-an-email"}`); r.status != http.StatusBadRequest {
		t.Fatalf("bad create: %d", r.status)
	}
	min := func(tok string, hdr ...string) uint64 {
		req, _ := http.NewRequest("GET", "/v1/customers", nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		key, ok := h.keys.Lookup(commands.HashToken(tok))
		if !ok {
			t.Fatal("unknown key")
		}
		ri := &reqInfo{key: key}
		p, err := h.srv.minPosition(req.WithContext(context.WithValue(req.Context(), infoKey, ri)))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		tok  string
		hdr  []string
		want uint64
	}{
		{"the writer waits for its last write", h.admin, nil, pos},
		{"another key waits for nothing", other, nil, 0},
		{"the header wins", h.admin, []string{"Stateset-Min-Position", "3"}, 3},
		{"a header of 0 opts out", h.admin, []string{"Stateset-Min-Position", "0"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := min(c.tok, c.hdr...); got != c.want {
				t.Errorf("min position %d, want %d", got, c.want)
			}
		})
	}
}
