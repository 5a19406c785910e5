package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"stateset/commands"
)

// awaitFlows makes a write answer only once the flows it triggered have done their work
// in other aggregates (an order's confirmation: its lines reserved, then allocated), so
// that a read sent with the answer's Stateset-Position sees that work too. The answer's
// Stateset-Position covers the last event those flows appended; a flow that failed or had
// not finished within FlowWait is named in Stateset-Flows-Pending and the answer goes out
// anyway (the write itself is durable; the flow is retried, then parked). A client that
// does not want to wait sends Stateset-Wait-Flows: false.
func (s *Server) awaitFlows(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Stateset-Wait-Flows") == "false" {
			next.ServeHTTP(w, r)
			return
		}
		ctx, eff := commands.WithEffects(r.Context())
		fw := &flowWriter{ResponseWriter: w, s: s, ctx: ctx, eff: eff}
		next.ServeHTTP(fw, r.WithContext(ctx))
	})
}

// flowWriter holds the answer's status line back until the write's flows have settled.
type flowWriter struct {
	http.ResponseWriter
	s     *Server
	ctx   context.Context
	eff   *commands.Effects
	wrote bool
}

func (w *flowWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if code/100 == 2 {
			w.settle()
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *flowWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *flowWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *flowWriter) settle() {
	effects := w.eff.List()
	if len(effects) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(w.ctx, w.s.cfg.FlowWait)
	defer cancel()
	got := w.s.cmd.WaitFlows(ctx, effects)
	h := w.Header()
	if cur, _ := strconv.ParseUint(h.Get("Stateset-Position"), 10, 64); got.Position > cur {
		setPosition(w, got.Position)
	}
	if len(got.Pending) > 0 {
		h.Set("Stateset-Flows-Pending", strings.Join(got.Pending, ","))
	}
}
