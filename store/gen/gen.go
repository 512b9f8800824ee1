// Package gen fills a migrated CTVMS database with many customers, their
// connections, billing periods, payments, invoices, complaints and sent
// emails, fast enough for benchmarks of 100,000 customers. It writes rows
// directly with multi-row inserts in large transactions instead of running
// the billing rules day by day, so the history is plausible but simpler
// than real billing: no plan changes or reconnections, and no customer
// logins. The same Options always produce the same rows.
package gen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
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
	// EmailShare is the fraction of customers with an email address, from
	// 0 to 1. Only they get reminder and invoice emails in the outbox.
	EmailShare float64
	// ComplaintShare is the fraction of customers with one complaint, from
	// 0 to 1.
	ComplaintShare float64
}

// DefaultOptions returns the two-year history of customers used by the
// benchmarks and by the gen command. Periods run from January 2025 to
// December 2026 in UTC+5:30. Four customers in ten have broadband, nine in
// ten an email address and three in a hundred a complaint.
func DefaultOptions(customers int, seed uint64) Options {
	return Options{Customers: customers, Seed: seed, Year: 2026, Month: time.December, Months: 24,
		Location: time.FixedZone("IST", 5*3600+1800), BroadbandShare: 0.4, EmailShare: 0.9,
		ComplaintShare: 0.03}
}

// Summary counts the generated rows.
type Summary struct {
	FirstCRF, LastCRF int64
	Connections       int
	Periods           int
	Payments          int
	Complaints        int
	Emails            int
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
// cannot sign in, created when there is no admin. Foreign keys are not
// checked while it writes, because it assigns every id itself.
func Generate(ctx context.Context, path string, opts Options) (Summary, error) {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Months < 1 {
		return Summary{}, fmt.Errorf("generate: Months is %d; give at least 1", opts.Months)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(15000)&_pragma=foreign_keys(0)"+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=cache_size(-262144)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		return Summary{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// A rollback journal in memory writes each page once instead of twice
	// through the WAL. SQLite refuses to leave WAL mode with SQLITE_BUSY
	// while another connection has the database open, and the generator
	// then keeps WAL and runs slower.
	_, err = db.ExecContext(ctx, `PRAGMA journal_mode = MEMORY`)
	journalInMemory := err == nil

	g := &generator{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x67656e)), db: db}
	if err := g.prepare(ctx); err != nil {
		return Summary{}, err
	}
	indexes, err := dropIndexes(ctx, db)
	if err != nil {
		return Summary{}, err
	}
	for done := 0; done < opts.Customers; done += customersPerTx {
		if err := g.writeBatch(ctx, min(customersPerTx, opts.Customers-done)); err != nil {
			return g.summary, errors.Join(err, createIndexes(ctx, db, indexes))
		}
	}
	if err := createIndexes(ctx, db, indexes); err != nil {
		return g.summary, err
	}
	if journalInMemory {
		if _, err := db.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
			return g.summary, fmt.Errorf("set journal mode of %s: %w", path, err)
		}
	}
	if err := rebuildTriggerTables(ctx, path); err != nil {
		return g.summary, err
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return g.summary, fmt.Errorf("checkpoint %s: %w", path, err)
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
	// next holds the next free id of each table whose ids the generator
	// assigns.
	next ids
	// seq counts invoices and complaints per counter name, such as
	// "invoice:2026", after the numbers already issued.
	seq     map[string]int64
	summary Summary
	now     string
}

// ids are the next free row ids.
type ids struct {
	connection, period, payment, invoice, complaint, outbox int64
}

// prepare creates the plans and finds the admin, the next CRF number and
// the next free row ids.
func (g *generator) prepare(ctx context.Context) error {
	g.now = time.Now().UTC().Format(storeTimeLayout)
	g.seq = map[string]int64{}
	return withTx(ctx, g.db, func(tx *sql.Tx) error {
		if err := g.preparePlans(ctx, tx); err != nil {
			return err
		}
		if err := g.prepareAdmin(ctx, tx); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'crf'`).Scan(&g.nextCRF); err != nil {
			return fmt.Errorf("read CRF counter: %w", err)
		}
		g.nextCRF++
		g.summary.FirstCRF = g.nextCRF
		return g.prepareIDs(ctx, tx)
	})
}

func (g *generator) prepareAdmin(ctx context.Context, tx *sql.Tx) error {
	err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1), 0)`).Scan(&g.adminID)
	if err != nil {
		return fmt.Errorf("find admin: %w", err)
	}
	if g.adminID != 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, created_at)
		VALUES ('generator', '!', 'admin', ?)`, g.now)
	if err != nil {
		return fmt.Errorf("create generator login: %w", err)
	}
	g.adminID, err = res.LastInsertId()
	return err
}

func (g *generator) prepareIDs(ctx context.Context, tx *sql.Tx) error {
	tables := []struct {
		name string
		next *int64
	}{
		{"connections", &g.next.connection}, {"periods", &g.next.period}, {"payments", &g.next.payment},
		{"invoices", &g.next.invoice}, {"complaints", &g.next.complaint}, {"outbox", &g.next.outbox},
	}
	for _, t := range tables {
		// The table names are constants of this function.
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+t.name).Scan(t.next)
		if err != nil {
			return fmt.Errorf("read last id of %s: %w", t.name, err)
		}
	}
	return nil
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
		// Billing reads the price in force on a period's start day from
		// the price history, so every plan needs a row there.
		_, err = tx.ExecContext(ctx, `INSERT INTO plan_prices (plan_id, effective_from, price) VALUES (?, ?, ?)
			ON CONFLICT (plan_id, effective_from) DO NOTHING`, p.id, "2000-01-01", p.price)
		if err != nil {
			return fmt.Errorf("record price of plan %s: %w", p.name, err)
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

// nextNumber returns the next number of a counter such as "invoice:2026",
// reading the stored counter the first time.
func (g *generator) nextNumber(ctx context.Context, tx *sql.Tx, counter string) (int64, error) {
	if _, ok := g.seq[counter]; !ok {
		var last int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM counters WHERE name = ?), 0)`,
			counter).Scan(&last)
		if err != nil {
			return 0, fmt.Errorf("read %s counter: %w", counter, err)
		}
		g.seq[counter] = last
	}
	g.seq[counter]++
	return g.seq[counter], nil
}

// dropIndexes drops the indexes made by CREATE INDEX and the triggers on
// the tables the generator fills, and returns their statements. Building
// an index once from all rows is several times faster than updating it row
// by row, and rebuildTriggerTables replaces the work of the triggers. The indexes
// behind PRIMARY KEY and UNIQUE constraints stay, so duplicate keys are
// still rejected while rows are written.
func dropIndexes(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master
		WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('customers', 'connections',
			'periods', 'payments', 'payment_allocations', 'invoices', 'complaints', 'outbox')
		ORDER BY type, name`)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var drops, statements []string
	for rows.Next() {
		var kind, name, statement string
		if err := rows.Scan(&kind, &name, &statement); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list indexes: %w", err)
		}
		// The type and name come from sqlite_master; the name is quoted as
		// an identifier.
		drops = append(drops, "DROP "+strings.ToUpper(kind)+` "`+strings.ReplaceAll(name, `"`, `""`)+`"`)
		statements = append(statements, statement)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	for i, drop := range drops {
		if _, err := db.ExecContext(ctx, drop); err != nil {
			return statements[:i], fmt.Errorf("%s: %w", drop, err)
		}
	}
	return statements, nil
}

// createIndexes runs the statements that dropIndexes returned.
func createIndexes(ctx context.Context, db *sql.DB, statements []string) error {
	for _, statement := range statements {
		if _, err := db.ExecContext(ctx, statement); err != nil {
			return fmt.Errorf("recreate index: %s: %w", statement, err)
		}
	}
	return nil
}

// rebuildTriggerTables recomputes the dashboard totals and the search index that
// the dropped triggers would have kept, through a store opened beside the generator's
// connection.
func rebuildTriggerTables(ctx context.Context, path string) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	return errors.Join(st.RebuildTriggerTables(ctx), st.Close())
}
