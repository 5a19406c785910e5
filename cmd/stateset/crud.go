package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gorilla/mux"
)

// crudServer is what a user would write instead of StateSet: net/http, gorilla/mux and
// one SQLite table, each PUT an upsert, each GET a select. It is the baseline the
// benchmark compares against (issue 3); it keeps no history, no events, no idempotency.
type crudServer struct {
	w, r *sql.DB
}

type crudCustomer struct {
	ID               string `json:"id"`
	Email            string `json:"email"`
	FirstName        string `json:"firstName"`
	LastName         string `json:"lastName"`
	Phone            string `json:"phone"`
	StripeCustomerID string `json:"stripe_customer_id"`
	Timestamp        string `json:"timestamp"`
	ActivationDate   string `json:"activationDate"`
}

func openCRUD(dir string) (*crudServer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	dsn := "file:" + filepath.Join(dir, "crud.db") + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000"
	w, err := sql.Open("sqlite3", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; a pool would only spin on SQLITE_BUSY
	if _, err := w.Exec(`CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, email TEXT, first_name TEXT,
		last_name TEXT, phone TEXT, stripe_customer_id TEXT, timestamp TEXT, activation_date TEXT, updated_at TEXT)`); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn+"&_query_only=true")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &crudServer{w: w, r: r}, nil
}

func (c *crudServer) Close() error { return errors.Join(c.r.Close(), c.w.Close()) }

func (c *crudServer) handler() http.Handler {
	m := mux.NewRouter()
	m.HandleFunc("/v1/customers/{id}", c.put).Methods(http.MethodPut)
	m.HandleFunc("/v1/customers/{id}", c.get).Methods(http.MethodGet)
	return m
}

func (c *crudServer) put(w http.ResponseWriter, r *http.Request) {
	var in crudCustomer
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, `{"error":"bad json"}`, http.StatusBadRequest)
		return
	}
	in.ID = mux.Vars(r)["id"]
	_, err := c.w.ExecContext(r.Context(), `INSERT INTO customers (id, email, first_name, last_name, phone,
		stripe_customer_id, timestamp, activation_date, updated_at) VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET email=excluded.email, first_name=excluded.first_name,
		last_name=excluded.last_name, phone=excluded.phone, stripe_customer_id=excluded.stripe_customer_id,
		timestamp=excluded.timestamp, activation_date=excluded.activation_date, updated_at=excluded.updated_at`,
		in.ID, in.Email, in.FirstName, in.LastName, in.Phone, in.StripeCustomerID, in.Timestamp, in.ActivationDate,
		time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(in)
}

func (c *crudServer) get(w http.ResponseWriter, r *http.Request) {
	var out crudCustomer
	err := c.r.QueryRowContext(r.Context(), `SELECT id, email, first_name, last_name, phone, stripe_customer_id,
		timestamp, activation_date FROM customers WHERE id = ?`, mux.Vars(r)["id"]).Scan(&out.ID, &out.Email,
		&out.FirstName, &out.LastName, &out.Phone, &out.StripeCustomerID, &out.Timestamp, &out.ActivationDate)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// crudCmd runs the baseline on its own, for wrk: stateset crud-baseline --http-addr :8090.
func crudCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crud-baseline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data-dir", "./data-crud", "directory of the baseline's SQLite file")
	addr := fs.String("http-addr", ":8090", "HTTP listen address")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := openCRUD(*dir)
	if err != nil {
		return err
	}
	defer c.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: c.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	fmt.Fprintf(stdout, "CRUD baseline (net/http + gorilla/mux + one SQLite table) on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
