package sdk

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
)

// export answers objects as a document in the format asked for (the SDK's format
// parameter): csv (the default) with a column per top-level field, or json. Other
// formats (pdf, xlsx) are not rendered here.
func export(x *exchange, name string, objects []map[string]any) {
	switch f := x.r.URL.Query().Get("format"); f {
	case "", "csv":
		x.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
		x.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		x.w.WriteHeader(http.StatusOK)
		x.w.Write(csvOf(objects))
	case "json":
		x.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, name))
		writeJSON(x.w, http.StatusOK, objects)
	default:
		notImplemented(x.w, x.r, "exports are csv or json; StateSet One renders no "+f)
	}
}

// csvOf is objects as CSV: the union of their fields, sorted, as the header; a nested
// value (an address, the lines) is its JSON.
func csvOf(objects []map[string]any) []byte {
	var cols []string
	for _, o := range objects {
		for k := range o {
			if !slices.Contains(cols, k) {
				cols = append(cols, k)
			}
		}
	}
	sort.Strings(cols)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	for _, o := range objects {
		row := make([]string, len(cols))
		for i, c := range cols {
			switch v := o[c].(type) {
			case nil:
			case string:
				row[i] = v
			case float64:
				row[i] = strconv.FormatFloat(v, 'f', -1, 64)
			case map[string]any, []any:
				b, _ := json.Marshal(v)
				row[i] = string(b)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}
