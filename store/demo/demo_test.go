package demo

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// ist is the operator's zone in this test, so local months differ from UTC
// months near midnight.
var ist = time.FixedZone("IST", 5*3600+1800)

type fixedClock struct{ now time.Time }

func (c fixedClock) Now() time.Time { return c.now }

// generate builds a demo office of n customers ending on today and returns
// the store, a service at 10:00 on today, and a second plain connection to
// the file for independent queries.
func generate(t *testing.T, n int, today billing.Date) (*store.Store, *service.Service, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sum, err := Generate(ctx, st, Options{Customers: n, Seed: 11, Today: today, Location: ist})
	if err != nil {
		t.Fatal(err)
	}
	if sum.FirstCRF != 1001 || sum.LastCRF != 1000+int64(n) {
		t.Errorf("CRF range %d–%d, want 1001–%d", sum.FirstCRF, sum.LastCRF, 1000+n)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	svc := service.New(st, service.Options{Location: ist,
		Clock: fixedClock{time.Date(today.Year, today.Month, today.Day, 10, 0, 0, 0, ist)}})
	return st, svc, raw
}

func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var v sql.NullInt64
	if err := db.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v.Int64
}

// utcBound returns the UTC text of local midnight on the first of a month,
// in the store's timestamp form.
func utcBound(year int, month time.Month) string {
	return time.Date(year, month, 1, 0, 0, 0, 0, ist).UTC().Format("2006-01-02T15:04:05.000Z")
}

func TestDashboardMatchesSQLOnDemoData(t *testing.T) {
	today := billing.NewDate(2026, time.December, 4)
	_, svc, raw := generate(t, 150, today)
	admin, err := svc.Login(context.Background(), AdminUsername, AdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.AdminDashboard(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}

	for _, sv := range billing.Services {
		counts := d.Statuses[sv]
		for status, got := range map[string]int{"active": counts.Active, "inactive": counts.Inactive,
			"suspended": counts.Suspended, "disconnected": counts.Disconnected} {
			want := queryInt(t, raw, `SELECT COUNT(*) FROM connections WHERE service = ? AND status = ?`, sv, status)
			if int64(got) != want {
				t.Errorf("%s %s = %d, SQL says %d", sv, status, got, want)
			}
		}

		from, to := utcBound(2026, time.December), utcBound(2027, time.January)
		wantSum := queryInt(t, raw, `SELECT SUM(p.amount) FROM payments p JOIN connections c ON c.id = p.connection_id
			WHERE c.service = ? AND p.received_at >= ? AND p.received_at < ?`, sv, from, to)
		wantCount := queryInt(t, raw, `SELECT COUNT(*) FROM payments p JOIN connections c ON c.id = p.connection_id
			WHERE c.service = ? AND p.received_at >= ? AND p.received_at < ?`, sv, from, to)
		if got := d.ReceivedThisMonth[sv]; int64(got.Amount) != wantSum || int64(got.Count) != wantCount {
			t.Errorf("%s received = %d (%d payments), SQL says %d (%d)", sv, got.Amount, got.Count, wantSum, wantCount)
		}

		wantPending := queryInt(t, raw, `SELECT SUM(p.amount - p.paid) FROM periods p JOIN connections c ON c.id = p.connection_id
			WHERE c.service = ? AND p.state IN ('due', 'partial') AND p.starts_on BETWEEN '2026-12-01' AND '2026-12-31'`, sv)
		if got := d.PendingThisMonth[sv]; int64(got) != wantPending {
			t.Errorf("%s pending = %d, SQL says %d", sv, got, wantPending)
		}
		wantOutstanding := queryInt(t, raw, `SELECT SUM(p.amount - p.paid) FROM periods p JOIN connections c ON c.id = p.connection_id
			WHERE c.service = ? AND p.state IN ('due', 'partial')`, sv)
		if got := d.Outstanding[sv]; int64(got) != wantOutstanding {
			t.Errorf("%s outstanding = %d, SQL says %d", sv, got, wantOutstanding)
		}
	}

	wantRenewals := queryInt(t, raw, `SELECT COUNT(*) FROM connections WHERE expires_on = ? AND status <> 'disconnected'`, today.String())
	if int64(d.RenewalsToday) != wantRenewals {
		t.Errorf("renewals today = %d, SQL says %d", d.RenewalsToday, wantRenewals)
	}

	if len(d.Collections) != 12 {
		t.Fatalf("collection chart has %d months, want 12", len(d.Collections))
	}
	for i, m := range d.Collections {
		next := time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, ist)
		want := queryInt(t, raw, `SELECT SUM(amount) FROM payments WHERE received_at >= ? AND received_at < ?`,
			utcBound(m.Year, m.Month), utcBound(next.Year(), next.Month()))
		if int64(m.ByService.Total()) != want {
			t.Errorf("chart month %d (%s) = %d, SQL says %d", i, m.Label(), m.ByService.Total(), want)
		}
	}
	if d.Collections[11].Month != time.December || d.Collections[0].Month != time.January {
		t.Errorf("chart runs %s to %s, want Jan 2026 to Dec 2026", d.Collections[0].Label(), d.Collections[11].Label())
	}
}

func TestDemoHasRealisticMix(t *testing.T) {
	today := billing.NewDate(2026, time.December, 4)
	_, _, raw := generate(t, 150, today)
	checks := []struct {
		name  string
		query string
		min   int64
	}{
		{"paid periods", `SELECT COUNT(*) FROM periods WHERE state = 'paid'`, 1000},
		{"partly paid periods", `SELECT COUNT(*) FROM periods WHERE state = 'partial'`, 1},
		{"unpaid periods", `SELECT COUNT(*) FROM periods WHERE state = 'due'`, 10},
		{"cable TV connections", `SELECT COUNT(*) FROM connections WHERE service = 'cable_tv'`, 50},
		{"broadband connections", `SELECT COUNT(*) FROM connections WHERE service = 'broadband'`, 30},
		{"suspended connections", `SELECT COUNT(*) FROM connections WHERE status = 'suspended'`, 1},
		{"payments older than a year", `SELECT COUNT(*) FROM payments WHERE received_at < '2025-12-01'`, 100},
		{"accented names", `SELECT COUNT(*) FROM customers WHERE name <> search_key AND lower(name) <> search_key`, 1},
		{"online payments", `SELECT COUNT(*) FROM payments WHERE mode = 'online'`, 100},
		{"open complaints", `SELECT COUNT(*) FROM complaints WHERE status = 'open'`, 3},
		{"complaints in progress", `SELECT COUNT(*) FROM complaints WHERE status = 'in_progress'`, 1},
		{"resolved complaints", `SELECT COUNT(*) FROM complaints WHERE status = 'resolved' AND resolution_note <> ''`, 3},
	}
	for _, c := range checks {
		if got := queryInt(t, raw, c.query); got < c.min {
			t.Errorf("%s = %d, want at least %d", c.name, got, c.min)
		}
	}
	gaps := queryInt(t, raw, `SELECT MAX(seq) - COUNT(*) FROM invoices WHERE year = 2026`)
	if gaps != 0 {
		t.Errorf("2026 invoice numbers have %d gaps", gaps)
	}
}
