package commands

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"stateset/domain"
)

// Effect is one event a command appended: its stream position and its subject relative
// to <prefix>.events. (<type>.<id>.<Event>).
type Effect struct {
	Pos     uint64 `json:"p"`
	Subject string `json:"s"`
}

// Effects collects the events the commands run under one context append: a request's,
// so that its answer can wait for the flows they trigger, or a flow's handling of one
// event, so that it can report what followed from it.
type Effects struct {
	mu     sync.Mutex
	events []Effect
}

type effectsKey struct{}

// WithEffects gives ctx a collector of the events commands run under it append.
func WithEffects(ctx context.Context) (context.Context, *Effects) {
	e := &Effects{}
	return context.WithValue(ctx, effectsKey{}, e), e
}

// List is what was appended so far, in the order the appends answered.
func (e *Effects) List() []Effect {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.events)
}

func (e *Effects) add(envs []domain.Envelope) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, env := range envs {
		e.events = append(e.events, Effect{Pos: env.Position, Subject: env.AggregateType + "." + env.AggregateID + "." + env.Type})
	}
}

func recordEffects(ctx context.Context, envs []domain.Envelope) {
	if e, ok := ctx.Value(effectsKey{}).(*Effects); ok {
		e.add(envs)
	}
}

// flowReport is what a flow's handling of one event left: published by the instance that
// ran it on the "flows" note topic, read by every instance's tracker.
type flowReport struct {
	Flow    string   `json:"f"`
	Pos     uint64   `json:"p"`
	Failed  bool     `json:"x,omitempty"` // the handler failed (it is retried, then parked)
	Effects []Effect `json:"e,omitempty"`
}

const flowNotes = "flows"

type flowAt struct {
	flow string
	pos  uint64
}

// flowTracker knows which flows an event's subject triggers and, for recent events, what
// each flow did with it. Reports are kept for two rotations (10 to 20 s): an answer waits
// for flows right after its append, so a report that old has had its waiter long ago.
type flowTracker struct {
	byKey map[string][]string // "<type>.<Event>" -> flows whose filter is <type>.*.<Event>
	other []flowFilter        // any other filter, matched token by token

	mu      sync.Mutex
	cur     map[flowAt]flowReport
	old     map[flowAt]flowReport
	rotated time.Time
	waiters map[flowAt][]chan struct{}
}

type flowFilter struct {
	flow    string
	pattern []string
}

const flowReportKeep = 10 * time.Second

func newFlowTracker(flows []Flow) *flowTracker {
	t := &flowTracker{byKey: map[string][]string{}, cur: map[flowAt]flowReport{}, old: map[flowAt]flowReport{},
		rotated: time.Now(), waiters: map[flowAt][]chan struct{}{}}
	for _, f := range flows {
		for _, s := range f.Subjects {
			tok := strings.Split(s, ".")
			if len(tok) == 3 && tok[1] == "*" && !strings.ContainsAny(tok[0]+tok[2], "*>") {
				k := tok[0] + "." + tok[2]
				if !slices.Contains(t.byKey[k], f.Name) {
					t.byKey[k] = append(t.byKey[k], f.Name)
				}
				continue
			}
			t.other = append(t.other, flowFilter{flow: f.Name, pattern: tok})
		}
	}
	return t
}

// triggered lists the flows an event on subject (relative) is delivered to. The common
// filter shape is one map lookup, so the cost does not grow with the number of flows.
func (t *flowTracker) triggered(subject string) []string {
	tok := strings.Split(subject, ".")
	if len(tok) != 3 {
		return nil
	}
	out := t.byKey[tok[0]+"."+tok[2]]
	for _, f := range t.other {
		if subjectMatches(f.pattern, tok) && !slices.Contains(out, f.flow) {
			out = append(slices.Clip(out), f.flow)
		}
	}
	return out
}

// subjectMatches is NATS subject matching: * one token, > the rest.
func subjectMatches(pattern, tok []string) bool {
	for i, p := range pattern {
		if p == ">" {
			return len(tok) > i
		}
		if i >= len(tok) || (p != "*" && p != tok[i]) {
			return false
		}
	}
	return len(pattern) == len(tok)
}

func (t *flowTracker) receive(data []byte) {
	var r flowReport
	if json.Unmarshal(data, &r) != nil || r.Flow == "" {
		return
	}
	at := flowAt{r.Flow, r.Pos}
	t.mu.Lock()
	defer t.mu.Unlock()
	if now := time.Now(); now.Sub(t.rotated) > flowReportKeep {
		t.old, t.cur, t.rotated = t.cur, make(map[flowAt]flowReport, len(t.cur)), now
	}
	if prev, ok := t.cur[at]; ok && !prev.Failed && r.Failed {
		return // a success is not undone by a later attempt's failure (a replay)
	}
	t.cur[at] = r
	for _, ch := range t.waiters[at] {
		close(ch)
	}
	delete(t.waiters, at)
}

// report answers what flow did with the event at pos, waiting for it until ctx ends.
func (t *flowTracker) report(ctx context.Context, at flowAt) (flowReport, bool) {
	t.mu.Lock()
	r, ok := t.cur[at]
	if !ok {
		r, ok = t.old[at]
	}
	if ok {
		t.mu.Unlock()
		return r, true
	}
	ch := make(chan struct{})
	t.waiters[at] = append(t.waiters[at], ch)
	t.mu.Unlock()
	select {
	case <-ch:
		t.mu.Lock()
		r = t.cur[at]
		t.mu.Unlock()
		return r, true
	case <-ctx.Done():
		t.mu.Lock()
		defer t.mu.Unlock()
		if i := slices.Index(t.waiters[at], ch); i >= 0 {
			t.waiters[at] = slices.Delete(t.waiters[at], i, i+1)
			if len(t.waiters[at]) == 0 {
				delete(t.waiters, at)
			}
		}
		if r, ok := t.cur[at]; ok { // it came as the wait ended
			return r, true
		}
		return flowReport{}, false
	}
}

// maxFlowHops bounds how far a wait follows flows triggering flows (confirm -> reserve ->
// allocate is two hops); the product's longest chain is four.
const maxFlowHops = 8

// FlowsSettled is what a write's flows had done when its answer stopped waiting.
type FlowsSettled struct {
	Position uint64   // the last event they appended (0: none)
	Pending  []string // flows that failed or had not finished by the deadline, sorted
}

// WaitFlows waits, until ctx ends, for the flows that the events in effects trigger to
// have handled them, and for the flows their own appends trigger in turn, so that an
// answer can cover what followed from a write in other aggregates (read-your-writes
// across aggregates). It waits only for flows this process has registered.
func (h *Handler) WaitFlows(ctx context.Context, effects []Effect) FlowsSettled {
	t := h.flows.Load()
	var out FlowsSettled
	if t == nil || len(effects) == 0 {
		return out
	}
	seen := map[flowAt]bool{}
	pending := map[string]bool{}
	frontier := effects
	for hop := 0; hop < maxFlowHops && len(frontier) > 0; hop++ {
		var next []Effect
		for _, e := range frontier {
			for _, f := range t.triggered(e.Subject) {
				at := flowAt{f, e.Pos}
				if seen[at] {
					continue
				}
				seen[at] = true
				r, ok := t.report(ctx, at)
				if !ok || r.Failed {
					pending[f] = true
				}
				for _, n := range r.Effects {
					out.Position = max(out.Position, n.Pos)
				}
				next = append(next, r.Effects...)
			}
		}
		frontier = next
	}
	for f := range pending {
		out.Pending = append(out.Pending, f)
	}
	slices.Sort(out.Pending)
	return out
}

// reportFlow publishes what a flow's handling of the event at pos left. A handler stopped
// by shutdown did not fail (its event comes back), so it reports nothing.
func (h *Handler) reportFlow(flow string, pos uint64, eff *Effects, err error) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	data, merr := json.Marshal(flowReport{Flow: flow, Pos: pos, Failed: err != nil, Effects: eff.List()})
	if merr != nil {
		return
	}
	if nerr := h.store.Notify(flowNotes, data); nerr != nil {
		h.log.Debug("flow report not sent", "flow", flow, "err", nerr)
	}
}
