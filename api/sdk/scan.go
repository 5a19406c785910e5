package sdk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Lists, and the SDK's methods over a whole collection (search, count, metrics, bulk),
// made of native pages.

const (
	pageSize = 100   // the native page limit
	scanCap  = 10000 // the most a search, count or metrics reads; past it the answer says capped
	bulkMax  = 100   // the most elements one bulk request may hold
)

// nativeQuery maps the SDK's list parameters onto the native list's: limit, offset and
// cursor as they are (limit capped at the native 100), the resource's mapped filters with
// their values mapped too, nothing else (the native list refuses parameters it does not know).
func (r *resource) nativeQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if len(vs) == 0 || vs[0] == "" {
			continue
		}
		v := vs[0]
		switch k {
		case "limit":
			if n, err := strconv.Atoi(v); err == nil && n > pageSize {
				v = strconv.Itoa(pageSize)
			}
			out.Set(k, v)
		case "offset", "cursor":
			out.Set(k, v)
		default:
			if name := r.query[k]; name != "" {
				if pairs, ok := r.m.values[name]; ok {
					v = lookup(pairs, v, false)
				}
				out.Set(name, v)
			}
		}
	}
	return out
}

// nativePage is a native list answer.
type nativePage struct {
	Data       []map[string]any `json:"data"`
	HasMore    bool             `json:"has_more"`
	NextCursor string           `json:"next_cursor"`
}

func (r *resource) listMethod(x *exchange) {
	q := r.nativeQuery(x.r.URL.Query())
	a := x.call(http.MethodGet, r.native, q, nil)
	if !a.ok() {
		x.relay(a)
		return
	}
	var p nativePage
	if err := json.Unmarshal(a.body, &p); err != nil {
		x.relay(a)
		return
	}
	items := make([]any, 0, len(p.Data))
	for _, o := range p.Data {
		if !r.hides(o) {
			items = append(items, r.m.toSDK(o))
		}
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	total := offset + len(items)
	if p.HasMore {
		q.Del("offset")
		q.Del("cursor")
		all, capped, b := r.scan(x, q)
		if b != nil {
			x.relay(*b)
			return
		}
		total = len(all)
		if capped {
			x.w.Header().Set("Stateset-Scan-Capped", strconv.Itoa(scanCap))
		}
	}
	x.reply(a, r.page(items, total, q.Get("limit"), offset, p.HasMore, p.NextCursor))
}

// page shapes a list the way the SDK resource reads it: a bare array, or an object with
// the list under its key and every total and paging field the SDK's readers look for.
func (r *resource) page(items []any, total int, limit string, offset int, more bool, next string) any {
	if r.list == "" {
		return items
	}
	lim, err := strconv.Atoi(limit)
	if err != nil {
		lim = 20
	}
	out := map[string]any{
		r.list:        items,
		"total":       total,
		"total_count": total,
		"limit":       lim,
		"offset":      offset,
		"pagination":  map[string]any{"total": total, "limit": lim, "offset": offset},
		"has_more":    more,
	}
	if next != "" {
		out["next_cursor"] = next
	}
	return out
}

// scan reads every native page of a filtered list (up to scanCap objects), in the SDK's
// spelling; b is set when a native page failed.
func (r *resource) scan(x *exchange, q url.Values) (all []map[string]any, capped bool, b *answer) {
	all = []map[string]any{} // an empty list is [], never null
	q = cloneQuery(q)
	q.Set("limit", strconv.Itoa(pageSize))
	q.Del("offset")
	for {
		a := x.call(http.MethodGet, r.native, q, nil)
		if !a.ok() {
			return nil, false, &a
		}
		var p nativePage
		if err := json.Unmarshal(a.body, &p); err != nil {
			return nil, false, &a
		}
		for _, o := range p.Data {
			if !r.hides(o) {
				all = append(all, r.m.toSDK(o))
			}
		}
		if len(all) >= scanCap {
			return all[:scanCap], true, nil
		}
		if !p.HasMore || p.NextCursor == "" {
			return all, false, nil
		}
		q.Set("cursor", p.NextCursor)
	}
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// search is GET <p>/search?query=: the objects any of whose values contains the query,
// case-insensitively, among those the other filters select; then limit and offset.
func (r *resource) search(x *exchange) {
	sq := x.r.URL.Query()
	needle := strings.ToLower(sq.Get("query"))
	q := r.nativeQuery(sq)
	lim, offset, ok := searchPage(x, q)
	if !ok {
		return
	}
	q.Del("limit")
	all, capped, b := r.scan(x, q)
	if b != nil {
		x.relay(*b)
		return
	}
	var hits []any
	for _, o := range all {
		if needle == "" || contains(o, needle) {
			hits = append(hits, o)
		}
	}
	total := len(hits)
	page := []any{}
	if offset < len(hits) {
		page = hits[offset:min(len(hits), offset+lim)]
	}
	if capped {
		x.w.Header().Set("Stateset-Scan-Capped", strconv.Itoa(scanCap))
	}
	writeJSON(x.w, http.StatusOK, r.page(page, total, strconv.Itoa(lim), offset, offset+len(page) < total, ""))
}

// searchPage reads a search's limit (default 20) and offset (default 0), as a native
// list does: refused (400, answered) unless whole numbers, the limit positive.
func searchPage(x *exchange, q url.Values) (limit, offset int, ok bool) {
	limit = 20
	for _, p := range []struct {
		name, issue string
		min         int
		to          *int
	}{{"limit", "must be a positive integer", 1, &limit}, {"offset", "must be a non-negative integer", 0, &offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min {
				fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_ERROR", "the request is invalid", p.name, p.issue)
				return 0, 0, false
			}
			*p.to = n
		}
	}
	return limit, offset, true
}

// contains reports whether any string or number in v contains needle (lower case).
func contains(v any, needle string) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			if contains(e, needle) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if contains(e, needle) {
				return true
			}
		}
	case string:
		return strings.Contains(strings.ToLower(t), needle)
	case float64, json.Number:
		return strings.Contains(fmt.Sprint(t), needle)
	}
	return false
}

// count is GET <p>/count: how many objects the filters select.
func (r *resource) count(x *exchange) {
	all, capped, b := r.scan(x, r.nativeQuery(x.r.URL.Query()))
	if b != nil {
		x.relay(*b)
		return
	}
	writeJSON(x.w, http.StatusOK, map[string]any{"count": len(all), "capped": capped})
}

// metrics is GET <p>/metrics: how many objects the filters select, by status, and the
// sum of each money field the SDK spells (in its major units).
func (r *resource) metrics(x *exchange) {
	all, capped, b := r.scan(x, r.nativeQuery(x.r.URL.Query()))
	if b != nil {
		x.relay(*b)
		return
	}
	byStatus := map[string]int{}
	sums := map[string]float64{}
	for _, o := range all {
		if s, ok := o["status"].(string); ok {
			byStatus[s]++
		}
		for _, f := range r.m.money {
			name := f
			if s, ok := r.m.back[f]; ok {
				name = s
			}
			if n, ok := o[name].(float64); ok {
				sums[name] += n
			}
		}
	}
	m := map[string]any{"total": len(all), "by_status": byStatus, "capped": capped}
	for k, v := range sums {
		m["total_"+k] = v
	}
	out := map[string]any{"metrics": m}
	for k, v := range m {
		out[k] = v
	}
	writeJSON(x.w, http.StatusOK, out)
}

// bulk is POST (create), PUT (update) or DELETE <p>/bulk: each element its own native
// write, with its own idempotency key (<key>/<index>) when the request has one, and its
// own result; the answer is 200 whatever the elements did.
func (r *resource) bulk(x *exchange) {
	in, ok := x.body()
	if !ok {
		return
	}
	var field string
	switch x.r.Method {
	case http.MethodPost:
		field = "items"
	case http.MethodPut:
		field = "updates"
	case http.MethodDelete:
		field = "ids"
	default:
		x.h.pass(x.w, x.r)
		return
	}
	elems, isList := in[field].([]any)
	if !isList || len(elems) == 0 || len(elems) > bulkMax {
		fail(x.w, x.r, http.StatusBadRequest, "VALIDATION_ERROR", "the request is invalid", field, fmt.Sprintf("must be an array of 1 to %d elements", bulkMax))
		return
	}
	key := x.r.Header.Get("Idempotency-Key")
	results := make([]any, len(elems))
	okCount := 0
	for i, e := range elems {
		sub := *x
		sub.n = 0
		if key != "" {
			sub.r = x.r.Clone(x.r.Context())
			sub.r.Header.Set("Idempotency-Key", fmt.Sprintf("%s/%d", key, i))
		}
		var a answer
		switch field {
		case "items":
			o, _ := e.(map[string]any)
			a = r.createNative(&sub, o)
		case "updates":
			u, _ := e.(map[string]any)
			id, _ := u["id"].(string)
			data, _ := u["data"].(map[string]any)
			if !r.update {
				a = answer{status: http.StatusNotImplemented, body: []byte(`{"detail":"the resource is changed through its actions, not replaced"}`)}
				break
			}
			a = r.putNative(&sub, id, data)
		case "ids":
			id, _ := e.(string)
			if r.del == "" {
				a = answer{status: http.StatusNotImplemented, body: []byte(`{"detail":"events are never deleted; end the resource through its actions"}`)}
				break
			}
			a = r.deleteAnswer(&sub, id)
		}
		res := map[string]any{"index": i, "status": a.status, "success": a.ok()}
		if a.ok() {
			okCount++
			obj := r.m.toSDK(a.object())
			res["id"], res["data"] = obj["id"], obj
		} else {
			var eb errorBody
			_ = json.Unmarshal(a.body, &eb)
			res["error"] = eb.Detail
		}
		results[i] = res
	}
	writeJSON(x.w, http.StatusOK, map[string]any{"results": results, "succeeded": okCount, "failed": len(elems) - okCount})
}

// hides reports a native object the SDK cannot be shown in a list: one in a status it
// throws on.
func (r *resource) hides(o map[string]any) bool {
	s, _ := o["status"].(string)
	return s != "" && slices.Contains(r.hidden, s)
}
