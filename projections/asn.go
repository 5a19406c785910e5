package projections

import (
	"context"
	"database/sql"

	"stateset/domain"
)

// asnsV1 is the ASNs read model: one document per ASN.
type asnsV1 struct{}

// ASNs is the ASNs projector.
func ASNs() Projector { return asnsV1{} }

// ASNColumns are the columns ASN lists filter on.
var ASNColumns = []string{"status", "purchase_order_id", "supplier_id", "asn_number"}

var asnDocs = docTable[domain.ASN, *domain.ASN]{
	table: "asns",
	cols:  ASNColumns,
	vals: func(a *domain.ASN) []any {
		return []any{string(a.Status), a.PurchaseOrderID, a.SupplierID, a.ASNNumber}
	},
	index: []string{`CREATE INDEX IF NOT EXISTS asns_status ON asns (status, created_seq)`,
		`CREATE INDEX IF NOT EXISTS asns_po ON asns (purchase_order_id, created_seq)`},
}

func (asnsV1) Name() string             { return "asns_v1" }
func (asnsV1) AggregateTypes() []string { return []string{"asn"} }
func (asnsV1) Schema() []string         { return asnDocs.schema() }

func (asnsV1) Apply(ctx context.Context, tx *sql.Tx, env domain.Envelope) error {
	_, err := asnDocs.apply(ctx, tx, env)
	return err
}

// GetASN returns one ASN.
func (rd *Reader) GetASN(ctx context.Context, id string) (Doc[domain.ASN], error) {
	return asnDocs.get(ctx, rd.db("asns_v1"), id)
}

// ListASNs lists ASNs, newest first.
func (rd *Reader) ListASNs(ctx context.Context, f Filter) ([]*domain.ASN, PageInfo, error) {
	return asnDocs.list(ctx, rd.db("asns_v1"), f)
}
