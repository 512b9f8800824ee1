package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/gen"
)

// paidReference is the paid report written plainly, with one correlated
// subquery per figure. For each connection of the service in CRF order, it
// selects the sum of its allocations to periods that start in the month,
// and the payment among them received last, or the higher id on a tie.
const paidReference = `WITH paid AS (
	SELECT c.customer_crf, c.plan_id,
		(SELECT SUM(a.amount) FROM periods p JOIN payment_allocations a ON a.period_id = p.id
			WHERE p.connection_id = c.id AND p.starts_on >= ?1 AND p.starts_on < ?2) AS amount,
		(SELECT pay.id FROM periods p JOIN payment_allocations a ON a.period_id = p.id
			JOIN payments pay ON pay.id = a.payment_id
			WHERE p.connection_id = c.id AND p.starts_on >= ?1 AND p.starts_on < ?2
			ORDER BY pay.received_at DESC, pay.id DESC LIMIT 1) AS latest
	FROM connections c WHERE c.service = ?3)
SELECT cu.crf, cu.name, cu.mobile, COALESCE(NULLIF(i.plan_name, ''), pl.name), paid.amount, pay.received_at,
	pay.mode, COALESCE(pay.reference, ''), COALESCE(i.number, '')
FROM paid JOIN customers cu ON cu.crf = paid.customer_crf JOIN plans pl ON pl.id = paid.plan_id
JOIN payments pay ON pay.id = paid.latest LEFT JOIN invoices i ON i.payment_id = pay.id
WHERE paid.amount IS NOT NULL ORDER BY cu.crf`

// TestPaidReportMatchesReference compares PaidReport with paidReference
// on generated data, after giving some connections a second payment for
// December: a later one, and one received at the same instant as the
// first.
func TestPaidReportMatchesReference(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ctvms.db")
	if _, err := gen.CreateDatabase(ctx, path, gen.DefaultOptions(300, 5)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	extra := []struct {
		offset string
		mode   string
	}{{"+3 days", "online"}, {"+0 seconds", "cash"}}
	for i, e := range extra {
		// Each statement picks December allocations of different
		// connections and adds a payment of one unit to the same period.
		res, err := db.Exec(`INSERT INTO payments (customer_crf, connection_id, amount, mode, reference,
				received_at, received_by, request_key)
			SELECT pay.customer_crf, pay.connection_id, 1, ?, CASE WHEN ? = 'online' THEN 'REF' || pay.id END,
				strftime('%Y-%m-%dT%H:%M:%fZ', pay.received_at, ?), pay.received_by, 'extra-' || ? || '-' || pay.id
			FROM payments pay JOIN payment_allocations a ON a.payment_id = pay.id
			JOIN periods p ON p.id = a.period_id
			WHERE p.starts_on >= '2026-12-01' AND p.starts_on < '2027-01-01' AND pay.id % 7 = ?`,
			e.mode, e.mode, e.offset, i, i)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("no extra payments %s", e.offset)
		}
		_, err = db.Exec(`INSERT INTO payment_allocations (payment_id, period_id, amount)
			SELECT x.id, a.period_id, 1 FROM payments x
			JOIN payment_allocations a ON a.payment_id = CAST(substr(x.request_key, length('extra-' || ? || '-') + 1) AS INTEGER)
			WHERE x.request_key LIKE 'extra-' || ? || '-%'`, i, i)
		if err != nil {
			t.Fatal(err)
		}
	}

	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, service := range []billing.Service{billing.ServiceCableTV, billing.ServiceBroadband} {
		for _, month := range []time.Month{time.March, time.December} {
			q := store.ReportQuery{Service: service, Year: 2026, Month: month}
			var got []string
			var totals store.ReportTotals
			err := st.PaidReport(ctx, q, func(t store.ReportTotals) error { totals = t; return nil },
				func(r store.PaidReportRow) error {
					got = append(got, fmt.Sprint(r.CRF, r.Name, r.Mobile, r.Plan, r.Amount,
						r.PaidAt.UTC().Format("2006-01-02T15:04:05.000Z"), r.Mode, r.Reference, r.InvoiceNumber))
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			want, sum := referenceRows(t, db, q)
			if len(want) == 0 {
				t.Fatalf("%s %s: the reference has no rows", service, month)
			}
			if !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Errorf("%s %s row %d:\n got %s\nwant %s", service, month, i, got[i], want[i])
						break
					}
				}
				t.Errorf("%s %s: %d rows, reference %d", service, month, len(got), len(want))
			}
			if totals.Rows != len(want) || totals.Amount != sum {
				t.Errorf("%s %s totals = %d rows %s, want %d rows %s", service, month, totals.Rows,
					totals.Amount.Plain(), len(want), sum.Plain())
			}
		}
	}
}

func referenceRows(t *testing.T, db *sql.DB, q store.ReportQuery) ([]string, billing.Money) {
	t.Helper()
	from := billing.NewDate(q.Year, q.Month, 1).String()
	to := billing.NewDate(q.Year, q.Month+1, 1).String()
	rows, err := db.Query(paidReference, from, to, q.Service)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	var sum billing.Money
	for rows.Next() {
		var crf int64
		var name, mobile, plan, at, mode, reference, number string
		var amount billing.Money
		if err := rows.Scan(&crf, &name, &mobile, &plan, &amount, &at, &mode, &reference, &number); err != nil {
			t.Fatal(err)
		}
		sum += amount
		out = append(out, fmt.Sprint(crf, name, mobile, plan, amount, at, mode, reference, number))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out, sum
}
