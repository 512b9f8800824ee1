// Package gen fills a migrated CTVMS database with many customers, their
// connections, billing periods, payments and invoices, fast enough for
// benchmarks of 100,000 customers. It writes rows directly with prepared
// statements in large transactions instead of running the billing rules
// day by day, so the history is plausible but simpler than real billing:
// no plan changes, suspensions or reconnections, and no customer logins.
// The same Options always produce the same rows.
package gen

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// Options size the generated data.
type Options struct {
	Customers int
	Seed      uint64
	// Year and Month are the last month with periods; Months is how many
	// months of periods every connection gets, ending with that month.
	Year   int
	Month  time.Month
	Months int
	// Location is the operator's zone, for payment times; nil means
	// time.Local.
	Location *time.Location
	// BroadbandShare is the fraction of customers that also have
	// broadband, from 0 to 1.
	BroadbandShare float64
}

// Summary counts the generated rows.
type Summary struct {
	FirstCRF, LastCRF int64
	Connections       int
	Periods           int
	Payments          int
}

// customersPerTx is how many customers one transaction writes: large
// enough that commits cost little, small enough to keep the WAL file
// modest.
const customersPerTx = 20000

type genPlan struct {
	id      int64
	service billing.Service
	name    string
	price   billing.Money
}

var planList = []genPlan{
	{service: billing.ServiceCableTV, name: "Basic", price: 25000},
	{service: billing.ServiceCableTV, name: "Family", price: 35000},
	{service: billing.ServiceCableTV, name: "Gold HD", price: 45000},
	{service: billing.ServiceBroadband, name: "Home 30", price: 49900},
	{service: billing.ServiceBroadband, name: "Fibre 300", price: 119900},
}

var (
	givenNames = []string{"Asha", "Ravi", "Meera", "Arjun", "Priya", "Vikram", "Lakshmi", "Sanjay",
		"Fatima", "José", "Anita", "Kiran", "Deepa", "Imran", "Neha", "Suresh"}
	familyNames = []string{"Rao", "Sharma", "Iyer", "Nair", "Khan", "Patel", "Muñoz", "Reddy",
		"Gupta", "Menon", "D'Souza", "Singh", "Bose", "Pillai"}
	streets = []string{"MG Road", "Station Road", "Temple Street", "Lake View", "Nehru Nagar",
		"Gandhi Chowk", "Market Lane", "Church Street", "Hill Colony"}
)

// Generate adds Options.Customers customers to the migrated database at
// path, numbered after the highest CRF number already used. Payments are
// recorded as received by the first admin login, or by a login that
// cannot sign in, created when there is no admin.
func Generate(ctx context.Context, path string, opts Options) (Summary, error) {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Months < 1 {
		return Summary{}, fmt.Errorf("generate: Months is %d; give at least 1", opts.Months)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)&_pragma=foreign_keys(1)"+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_txlock=immediate")
	if err != nil {
		return Summary{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	g := &generator{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x67656e)), db: db}
	if err := g.prepare(ctx); err != nil {
		return Summary{}, err
	}
	for done := 0; done < opts.Customers; done += customersPerTx {
		if err := g.writeBatch(ctx, min(customersPerTx, opts.Customers-done)); err != nil {
			return g.summary, err
		}
	}
	return g.summary, nil
}

type generator struct {
	opts    Options
	rng     *rand.Rand
	db      *sql.DB
	plans   []genPlan
	adminID int64
	nextCRF int64
	// invoiceSeq counts invoices per year, after those already issued.
	invoiceSeq map[int]int64
	summary    Summary
	now        string
}

// prepare creates the plans and finds the admin, the next CRF number and
// the invoice counters.
func (g *generator) prepare(ctx context.Context) error {
	g.now = time.Now().UTC().Format(storeTimeLayout)
	return withTx(ctx, g.db, func(tx *sql.Tx) error {
		if err := g.preparePlans(ctx, tx); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1), 0)`).Scan(&g.adminID)
		if err != nil {
			return fmt.Errorf("find admin: %w", err)
		}
		if g.adminID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, created_at)
				VALUES ('generator', '!', 'admin', ?)`, g.now)
			if err != nil {
				return fmt.Errorf("create generator login: %w", err)
			}
			if g.adminID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'crf'`).Scan(&g.nextCRF); err != nil {
			return fmt.Errorf("read CRF counter: %w", err)
		}
		g.nextCRF++
		g.summary.FirstCRF = g.nextCRF
		g.invoiceSeq = map[int]int64{}
		return nil
	})
}

func (g *generator) preparePlans(ctx context.Context, tx *sql.Tx) error {
	for _, p := range planList {
		// A plan of the same name is reused at its own price.
		err := tx.QueryRowContext(ctx, `INSERT INTO plans (service, name, price, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (service, name) DO UPDATE SET price = price RETURNING id, price`,
			p.service, p.name, p.price, g.now).Scan(&p.id, &p.price)
		if err != nil {
			return fmt.Errorf("create plan %s: %w", p.name, err)
		}
		g.plans = append(g.plans, p)
	}
	return nil
}

// storeTimeLayout matches the store's UTC timestamps.
const storeTimeLayout = "2006-01-02T15:04:05.000Z"

func withTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// statements are the prepared inserts of one transaction.
type statements struct {
	customer, connection, period, payment, allocation, invoice *sql.Stmt
	// counter reads a counter's value, zero when it was never used.
	counter *sql.Stmt
}

func prepareStatements(ctx context.Context, tx *sql.Tx) (*statements, error) {
	var err error
	prepare := func(query string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var stmt *sql.Stmt
		stmt, err = tx.PrepareContext(ctx, query)
		return stmt
	}
	s := &statements{
		customer: prepare(`INSERT INTO customers (crf, name, mobile, street, city, search_key, created_at)
			VALUES (?, ?, ?, ?, 'Pune', ?, ?)`),
		connection: prepare(`INSERT INTO connections (customer_crf, service, plan_id, device_id, activated_on,
			anchor_on, expires_on, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		period: prepare(`INSERT INTO periods (connection_id, starts_on, ends_on, year, month, amount, paid,
			state, billed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		payment: prepare(`INSERT INTO payments (customer_crf, connection_id, amount, mode, reference,
			received_at, received_by, request_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		allocation: prepare(`INSERT INTO payment_allocations (payment_id, period_id, amount) VALUES (?, ?, ?)`),
		invoice: prepare(`INSERT INTO invoices (number, year, seq, payment_id, issued_at, amount,
			balance_after, new_expiry, plan_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		counter: prepare(`SELECT COALESCE((SELECT value FROM counters WHERE name = ?), 0)`),
	}
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	return s, nil
}
