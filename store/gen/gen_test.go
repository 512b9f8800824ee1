package gen

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctvms/ctvms/store"
)

func generate(t *testing.T, opts Options) (Summary, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.DatabaseFile)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, err := Generate(ctx, path, opts)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sum, db
}

var smallOptions = Options{Customers: 300, Seed: 5, Year: 2026, Month: time.December, Months: 3,
	Location: time.FixedZone("IST", 5*3600+1800), BroadbandShare: 0.4, EmailShare: 0.9, ComplaintShare: 0.1}

func count(t *testing.T, db *sql.DB, query string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestGenerateCounts(t *testing.T) {
	sum, db := generate(t, smallOptions)
	checks := []struct {
		name  string
		query string
		want  int64
	}{
		{"customers", `SELECT COUNT(*) FROM customers`, 300},
		{"first CRF", `SELECT MIN(crf) FROM customers`, sum.FirstCRF},
		{"CRF counter", `SELECT value FROM counters WHERE name = 'crf'`, sum.LastCRF},
		{"connections", `SELECT COUNT(*) FROM connections`, int64(sum.Connections)},
		{"periods", `SELECT COUNT(*) FROM periods`, int64(sum.Periods)},
		{"periods per connection", `SELECT COUNT(*) FROM periods`, int64(3 * sum.Connections)},
		{"payments", `SELECT COUNT(*) FROM payments`, int64(sum.Payments)},
		{"invoices", `SELECT COUNT(*) FROM invoices`, int64(sum.Payments)},
		{"cable TV for everyone", `SELECT COUNT(*) FROM connections WHERE service = 'cable_tv'`, 300},
		{"paid equals allocations", `SELECT COUNT(*) FROM periods p WHERE p.paid <>
			(SELECT COALESCE(SUM(amount), 0) FROM payment_allocations WHERE period_id = p.id)`, 0},
		{"states match paid", `SELECT COUNT(*) FROM periods WHERE NOT (
			(state = 'paid' AND paid = amount) OR (state = 'partial' AND paid > 0 AND paid < amount)
			OR (state = 'due' AND paid = 0) OR (state = 'skipped' AND amount = 0 AND paid = 0))`, 0},
		{"at most two due periods per connection", `SELECT COUNT(*) FROM (SELECT connection_id FROM periods
			WHERE state IN ('due', 'partial') GROUP BY connection_id HAVING COUNT(*) > 2)`, 0},
		{"complaints", `SELECT COUNT(*) FROM complaints`, int64(sum.Complaints)},
		{"emails", `SELECT COUNT(*) FROM outbox`, int64(sum.Emails)},
		{"emails only to addresses", `SELECT COUNT(*) FROM outbox o JOIN customers c ON c.crf = o.customer_crf
			WHERE c.email = '' OR o.recipient <> c.email`, 0},
		{"invoice emails name invoices", `SELECT COUNT(*) FROM outbox o LEFT JOIN invoices i ON i.id = o.invoice_id
			WHERE o.kind = 'invoice' AND i.id IS NULL`, 0},
		{"a price for every plan", `SELECT COUNT(*) FROM plans WHERE id NOT IN (SELECT plan_id FROM plan_prices)`, 0},
		{"payment totals", `SELECT (SELECT SUM(amount) FROM payments) - (SELECT SUM(amount) FROM payment_hours)`, 0},
		{"open period totals", `SELECT (SELECT SUM(amount - paid) FROM periods WHERE state IN ('due', 'partial'))
			- (SELECT SUM(due) FROM open_period_totals)`, 0},
		{"triggers restored", `SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'`, 9},
		{"search index rebuilt", `SELECT (SELECT COUNT(*) FROM customer_search WHERE customer_search MATCH 'mobile : "987"')
			- (SELECT COUNT(*) FROM customers WHERE instr(mobile, '987') > 0)`, 0},
		{"search index finds some", `SELECT COUNT(*) > 0 FROM customer_search WHERE customer_search MATCH 'mobile : "987"'`, 1},
		{"foreign keys", `SELECT COUNT(*) FROM pragma_foreign_key_check`, 0},
		{"periods year recorded", `SELECT value FROM settings WHERE key = 'job.periods_through_year'`, 2026},
		{"payments within five days of the start", `SELECT COUNT(*) FROM payments pay
			JOIN payment_allocations a ON a.payment_id = pay.id JOIN periods p ON p.id = a.period_id
			WHERE julianday(datetime(pay.received_at, '+330 minutes')) - julianday(p.starts_on) NOT BETWEEN 0 AND 5`, 0},
		{"leading-zero mobiles", `SELECT COUNT(*) > 0 FROM customers WHERE mobile LIKE '0%'`, 1},
	}
	for _, c := range checks {
		if got := count(t, db, c.query); got != c.want {
			t.Errorf("%s = %d, want %d", c.name, got, c.want)
		}
	}
	if sum.Complaints == 0 || sum.Emails == 0 {
		t.Errorf("complaints = %d, emails = %d, want some of each", sum.Complaints, sum.Emails)
	}
	if sum.Connections <= 300 || sum.Connections >= 300*2 {
		t.Errorf("connections = %d, want some broadband on top of 300 cable TV", sum.Connections)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	_, first := generate(t, smallOptions)
	_, second := generate(t, smallOptions)
	queries := []string{
		`SELECT SUM(paid) FROM periods`,
		`SELECT SUM(length(name) * crf) FROM customers`,
		`SELECT SUM(unixepoch(received_at) % 100000) FROM payments`,
	}
	for _, q := range queries {
		if a, b := count(t, first, q), count(t, second, q); a != b {
			t.Errorf("%s: %d and %d from the same seed", q, a, b)
		}
	}
}
