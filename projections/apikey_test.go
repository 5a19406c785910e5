package projections

import (
	"context"
	"testing"
	"time"

	"stateset/commands"
)

func TestKeysIndexFollowsCreatesAndRevokes(t *testing.T) {
	e := setup(t)
	keys := NewKeys(e.store, e.reg, quiet())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go keys.Run(ctx)
	res, token, err := e.cmd.APIKeys().Create(ctx, "", "ops", []string{"customers:read"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if err := keys.WaitFor(wctx, res.Position); err != nil {
		t.Fatal(err)
	}
	k, ok := keys.Lookup(commands.HashToken(token))
	if !ok || !k.Usable(time.Now()) || !k.Allows("customers:read") || k.Allows("customers:write") {
		t.Fatalf("lookup: %+v %v", k, ok)
	}
	rev, err := e.cmd.APIKeys().Revoke(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.WaitFor(wctx, rev.Position); err != nil {
		t.Fatal(err)
	}
	if k, _ := keys.Lookup(commands.HashToken(token)); k.Usable(time.Now()) {
		t.Fatal("revoked key still usable")
	}
}
