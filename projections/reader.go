package projections

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Layout: one read model a file, named as domain/ names its aggregate (webhooks.go holds two),
// with its projector, documents and Reader queries; shared pieces live in files named for their job.

// Reader answers the API's queries from the read models.
type Reader struct {
	runners   map[string]*Runner
	customers *Runner
}

// NewReader returns a reader over the runners, by projector name.
func NewReader(runners ...*Runner) (*Reader, error) {
	rd := &Reader{runners: map[string]*Runner{}}
	for _, r := range runners {
		rd.runners[r.Name()] = r
	}
	var ok bool
	if rd.customers, ok = rd.runners[Customers().Name()]; !ok {
		return nil, errors.New("reader: no customers projection")
	}
	return rd, nil
}

// Runner returns the runner of a projection.
func (rd *Reader) Runner(name string) (*Runner, bool) {
	r, ok := rd.runners[name]
	return r, ok
}

// Runners lists every runner, by name.
func (rd *Reader) Runners() []*Runner {
	out := make([]*Runner, 0, len(rd.runners))
	for _, r := range rd.runners {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Runner) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// ErrBadCursor is returned for a cursor this API did not make.
var ErrBadCursor = errors.New("invalid cursor")

// Page asks for one page of a list: Limit rows after Cursor (or Offset rows in).
type Page struct {
	Limit  int
	Cursor string
	Offset int
}

// PageInfo says whether more rows follow and where the next page starts.
type PageInfo struct {
	HasMore    bool
	NextCursor string
}

func encodeCursor(k int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k" + strconv.FormatInt(k, 10)))
}

func decodeCursor(c string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'k' {
		return 0, ErrBadCursor
	}
	k, err := strconv.ParseInt(string(b[1:]), 10, 64)
	if err != nil {
		return 0, ErrBadCursor
	}
	return k, nil
}

// list runs a keyset-paged query, newest (largest key) first. The key is a stream
// position, so rows inserted meanwhile land before the cursor and never shift a page.
func list[T any](ctx context.Context, db *sql.DB, table, cols, key string, where []string, args []any, p Page,
	scan func(interface{ Scan(...any) error }) (T, error), keyOf func(T) int64) ([]T, PageInfo, error) {
	if p.Limit <= 0 {
		p.Limit = 20
	}
	if p.Cursor != "" {
		k, err := decodeCursor(p.Cursor)
		if err != nil {
			return nil, PageInfo{}, err
		}
		where, args = append(where, key+" < ?"), append(args, k)
	}
	q := "SELECT " + cols + " FROM " + table
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + key + " DESC LIMIT ?"
	args = append(args, p.Limit+1)
	if p.Offset > 0 && p.Cursor == "" {
		q += " OFFSET ?"
		args = append(args, p.Offset)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("list %s: %w", table, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, PageInfo{}, fmt.Errorf("list %s: %w", table, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, PageInfo{}, fmt.Errorf("list %s: %w", table, err)
	}
	var info PageInfo
	if len(out) > p.Limit {
		out = out[:p.Limit]
		info.HasMore = true
		info.NextCursor = encodeCursor(keyOf(out[len(out)-1]))
	}
	return out, info, nil
}

// All lists every projector the server runs.
func All() []Projector {
	return []Projector{Customers(), Inventory(), Orders(), Returns(), Warranties(), PriceLists(), WholesaleAccounts(), WholesaleOrders(),
		BillsOfMaterials(), WorkOrders(),
		Suppliers(), PurchaseOrders(), ASNs(),
		Warehouses(), PickLists(), Shipments(), Transfers(), CycleCounts(),
		Webhooks(), Audit(),
		Leads(), Contacts(), Opportunities(), Cases()}
}

// db is the reader pool of a projection's database.
func (rd *Reader) db(name string) *sql.DB { return rd.runners[name].r }
