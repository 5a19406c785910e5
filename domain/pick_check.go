package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A pick check is a second person's verification of what was picked, line by line, before
// it is packed: the record a packing station keeps. It changes no quantity: a line found
// short is re-reported by the picker (RecordPicks, while IN_PROGRESS), so what the stock
// ledger is told stays the picker's count; the check says whether the count was right.

// PickCheckStatuses are a check's outcomes, derived from its lines: every line passed,
// none did, or some.
var PickCheckStatuses = []string{"PASSED", "FAILED", "PARTIAL"}

// PickCheckResolutions are what the checker decided about a check that did not pass.
var PickCheckResolutions = []string{"APPROVE", "REPROCESS", "RETURN"}

const (
	maxPickChecks     = 50 // checks one pick list keeps
	maxPickLineIssues = 20
)

// PickCheckLine is the verdict on one line of the pick list.
type PickCheckLine struct {
	OrderID string   `json:"order_id"`
	LineID  string   `json:"line_id"`
	Passed  bool     `json:"passed"`
	Issues  []string `json:"issues,omitempty"`
	Notes   string   `json:"notes,omitempty"`
}

// PickCheck is one verification of a pick list.
type PickCheck struct {
	Checker    string          `json:"checker"`
	Status     string          `json:"status"`
	Lines      []PickCheckLine `json:"lines"`
	Resolution string          `json:"resolution,omitempty"`
	Notes      string          `json:"notes,omitempty"`
	CheckedAt  time.Time       `json:"checked_at"`
}

// CheckPick is the command: who checked, the lines checked, and, optionally, the
// resolution and a note.
type CheckPick struct {
	Checker    string
	Lines      []PickCheckLine
	Resolution string
	Notes      string
}

// PickListChecked: a check of what was picked was recorded.
type PickListChecked struct {
	PickListID string    `json:"pick_list_id"`
	Check      PickCheck `json:"check"`
}

func (PickListChecked) EventType() string { return "PickListChecked" }

// Check decides recording a check, while the list is picked or once it is completed (not
// of one not started or cancelled: a *TransitionError with Action "check"). Each line
// must be a line of the list, given once; bad input is one *ValidationError.
func (p *PickList) Check(cmd CheckPick, now time.Time) ([]Event, error) {
	if !p.Exists() {
		return nil, ErrNotFound
	}
	if p.Status != PickListStatusInProgress && p.Status != PickListStatusCompleted {
		return nil, &TransitionError{Entity: "pick list", From: string(p.Status), Action: "check"}
	}
	var v Validation
	v.Check(strings.TrimSpace(cmd.Checker) != "" && len(cmd.Checker) <= 200, "checker", "is required, at most 200 characters")
	v.Check(len(cmd.Lines) > 0, "lines", "is required: at least one line checked")
	v.Check(len(p.Checks) < maxPickChecks, "lines", "a pick list keeps at most "+strconv.Itoa(maxPickChecks)+" checks")
	v.Check(cmd.Resolution == "" || slices.Contains(PickCheckResolutions, cmd.Resolution), "resolution", "must be one of APPROVE, REPROCESS, RETURN")
	v.Check(len(cmd.Notes) <= 2000, "notes", "at most 2000 characters")
	seen := map[int]bool{}
	lines := make([]PickCheckLine, len(cmd.Lines))
	passed := 0
	for i, l := range cmd.Lines {
		at := "lines[" + strconv.Itoa(i) + "]."
		j := slices.IndexFunc(p.Lines, func(pl PickLine) bool { return pl.OrderID == l.OrderID && pl.LineID == l.LineID })
		v.Check(j >= 0 && !seen[j], at+"line_id", "is not a line of this pick list, or appears twice")
		seen[j] = true
		v.Check(len(l.Issues) <= maxPickLineIssues, at+"issues", "at most "+strconv.Itoa(maxPickLineIssues)+" issues")
		for k, is := range l.Issues {
			v.Check(strings.TrimSpace(is) != "" && len(is) <= 500, at+"issues["+strconv.Itoa(k)+"]", "must be a sentence of at most 500 characters")
		}
		v.Check(len(l.Notes) <= 2000, at+"notes", "at most 2000 characters")
		l.Issues = slices.Clone(l.Issues)
		lines[i] = l
		if l.Passed {
			passed++
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	status := "PARTIAL"
	switch passed {
	case len(lines):
		status = "PASSED"
	case 0:
		status = "FAILED"
	}
	return []Event{PickListChecked{PickListID: p.ID, Check: PickCheck{Checker: cmd.Checker, Status: status, Lines: lines,
		Resolution: cmd.Resolution, Notes: cmd.Notes, CheckedAt: now.UTC()}}}, nil
}
