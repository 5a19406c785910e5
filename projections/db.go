// Package projections builds the SQLite read models from the event stream and answers
// the queries the API makes. Each projector owns one SQLite file, its tables and its
// checkpoint; nothing else reads SQL.
package projections

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver (cgo)
)

// timeLayout keeps stored times fixed-width so they sort and compare as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// openDB opens a SQLite file twice: one writer connection and a pool of readers, both in
// WAL mode with synchronous=NORMAL (the checkpoint rides in the same transaction as the
// rows, so a lost tail after an OS crash is simply re-applied from the stream).
func openDB(ctx context.Context, path string, shadow bool) (w, r *sql.DB, err error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	if shadow {
		// A shadow file being rebuilt is thrown away if anything fails: no syncs at all, and
		// 64 MiB of page cache, as catching up touches pages all over the file.
		q.Set("_synchronous", "OFF")
		q.Set("_cache_size", "-65536")
	}
	q.Set("_busy_timeout", "5000")
	// deleted and overwritten rows are zeroed on disk, so scrubbed personal data does not
	// linger in free pages
	q.Set("_secure_delete", "on")
	q.Set("_foreign_keys", "off")
	q.Set("_txlock", "immediate")
	q.Set("_stmt_cache_size", "64") // statements are re-prepared per call otherwise: ~20% of a projection's CPU
	w, err = sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	q.Set("_txlock", "deferred")
	q.Set("_query_only", "true")
	q.Del("_cache_size") // the writer's; readers keep SQLite's default
	r, err = sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return w, r, nil
}
