package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// ReportQuery selects the periods of one service that start in one
// calendar month. A report month is always the month of a period's start
// date (periods.year and periods.month), never the month in which money
// arrived, so each period belongs to exactly one report month.
type ReportQuery struct {
	Service billing.Service
	Year    int
	Month   time.Month
	// Limit caps the rows passed to the row callback; zero means every
	// row. Totals always cover every row.
	Limit int
}

// ReportTotals are the figures of a whole report.
type ReportTotals struct {
	Rows int
	// Amount is the sum of the rows' Amount: the money allocated to the
	// month in the paid report, the money still owed for the month in the
	// unpaid report.
	Amount billing.Money
	// TotalDue is the sum of the unpaid report's TotalDue; zero in the
	// paid report.
	TotalDue billing.Money
}

// PaidReportRow is one connection in the paid report of a month.
type PaidReportRow struct {
	CRF    int64
	Name   string
	Mobile string
	// Plan is the plan printed on the latest payment's invoice, or the
	// connection's current plan when the invoice has none.
	Plan string
	// Amount is the sum of the payment allocations to the connection's
	// periods that start in the month.
	Amount billing.Money
	// PaidAt, Mode, Reference and InvoiceNumber describe the latest of
	// those payments: the one received last, the higher id on a tie.
	PaidAt        time.Time // UTC
	Mode          string
	Reference     string
	InvoiceNumber string
}

// UnpaidReportRow is one connection in the unpaid report of a month.
type UnpaidReportRow struct {
	CRF    int64
	Name   string
	Mobile string
	Area   string // the customer's street or area
	Plan   string // the connection's current plan
	// Due is the unpaid remainder of the connection's due and partial
	// periods that start in the month.
	Due billing.Money
	// TotalDue is the unpaid remainder of all the connection's due and
	// partial periods, of any month.
	TotalDue billing.Money
	// State is partial when any of the month's open periods is partly
	// paid, due otherwise.
	State  billing.PeriodState
	Status billing.Status
}

// paidRows selects one row per connection of the service with a payment
// allocated to a period that starts in the month. A row has the customer,
// the plan, the sum of those allocations and the latest of those payments:
// the one received last, or the one with the higher id on a tie.
//
// In a group with one max(), SQLite takes the columns that are not
// aggregates from the row that holds the maximum (SQLite's own test
// minmax4.test shows it, and TestPaidReportMatchesReference checks it here).
// So the payment, its invoice and its plan name come from the latest
// payment. CROSS JOIN keeps customers as the outer loop, so groups arrive
// in CRF order and rows stream without a sort.
// Parameters: month start, next month start, service, row limit.
const paidRows = `SELECT cu.crf, cu.name, cu.mobile, COALESCE(NULLIF(i.plan_name, ''), pl.name),
		SUM(a.amount), pay.received_at, pay.mode, COALESCE(pay.reference, ''), COALESCE(i.number, ''),
		max(pay.received_at || printf('%019d', pay.id))
	FROM customers cu
	CROSS JOIN connections c ON c.customer_crf = cu.crf AND c.service = ?3
	JOIN plans pl ON pl.id = c.plan_id
	JOIN periods p ON p.connection_id = c.id AND p.starts_on >= ?1 AND p.starts_on < ?2
	JOIN payment_allocations a ON a.period_id = p.id
	JOIN payments pay ON pay.id = a.payment_id
	LEFT JOIN invoices i ON i.payment_id = pay.id
	GROUP BY cu.crf
	ORDER BY cu.crf
	LIMIT ?4`

// PaidReport reports the money paid for one month of one service. A
// payment counts when part of it is allocated to a period of the service
// that starts in the month, and only that part counts. So a payment
// received in November that settles December's period is in the December
// report, and a December payment that settles a November debt is in
// November's.
// There is one row per connection with any such allocation, ordered by
// CRF number.
//
// PaidReport reads in one transaction, so the totals passed to start
// match the rows passed to row. start may be nil, and then the totals,
// which take a pass of their own, are not computed. Either callback stops
// the report by returning an error, which PaidReport returns.
func (s *Store) PaidReport(ctx context.Context, q ReportQuery, start func(ReportTotals) error, row func(PaidReportRow) error) error {
	return s.readReport(ctx, "paid", q, func(tx *sql.Tx) error {
		if start != nil {
			var t ReportTotals
			from, to := q.startBounds()
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM (
				SELECT SUM(a.amount) AS amount
				FROM connections c
				JOIN periods p ON p.connection_id = c.id AND p.starts_on >= ?1 AND p.starts_on < ?2
				JOIN payment_allocations a ON a.period_id = p.id
				WHERE c.service = ?3
				GROUP BY c.id)`, from, to, q.Service).Scan(&t.Rows, &t.Amount)
			if err != nil {
				return fmt.Errorf("sum paid report: %w", err)
			}
			if err := start(t); err != nil {
				return err
			}
		}
		return queryPaidRows(ctx, tx, q, row)
	})
}

func queryPaidRows(ctx context.Context, tx *sql.Tx, q ReportQuery, row func(PaidReportRow) error) error {
	from, to := q.startBounds()
	rows, err := tx.QueryContext(ctx, paidRows, from, to, q.Service, rowLimit(q.Limit))
	if err != nil {
		return fmt.Errorf("list paid report: %w", err)
	}
	defer rows.Close()

	var r PaidReportRow
	var at string
	var latest sql.RawBytes
	for rows.Next() {
		err := rows.Scan(&r.CRF, &r.Name, &r.Mobile, &r.Plan, &r.Amount, &at, &r.Mode, &r.Reference,
			&r.InvoiceNumber, &latest)
		if err != nil {
			return fmt.Errorf("list paid report: %w", err)
		}
		if r.PaidAt, err = parseTime(at); err != nil {
			return err
		}
		if err := row(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list paid report: %w", err)
	}
	return nil
}

// unpaidConnections selects the connections of the service with the
// unpaid remainder of their due and partial periods that start in the
// month (due, NULL when none). It also counts the month's partial periods
// and sums the remainder of all open periods (total_due). Like
// paidConnections it walks the
// connections in CRF order. Every state test sits in an aggregate rather
// than in WHERE: a state in WHERE lets SQLite pick the (state, starts_on)
// index and walk every open period of the month for each connection.
// Parameters: month start, next month start, service.
const unpaidConnections = `WITH unpaid AS (
	SELECT c.id AS connection_id, c.customer_crf, c.plan_id, c.status,
		(SELECT SUM(CASE WHEN p.state IN ('due', 'partial') THEN p.amount - p.paid END)
			FROM periods p
			WHERE p.connection_id = c.id AND p.starts_on >= ?1 AND p.starts_on < ?2) AS due,
		(SELECT SUM(p.state = 'partial') FROM periods p
			WHERE p.connection_id = c.id AND p.starts_on >= ?1 AND p.starts_on < ?2) AS partial_periods,
		(SELECT SUM(CASE WHEN o.state IN ('due', 'partial') THEN o.amount - o.paid ELSE 0 END)
			FROM periods o WHERE o.connection_id = c.id) AS total_due
	FROM connections c
	WHERE c.service = ?3
) `

// UnpaidReport reports the connections of one service that still owe
// money for one month: those with a due or partial period that starts in
// the month. There is one row per connection, ordered by CRF number.
// Periods not billed yet (scheduled) owe nothing and are left out.
//
// UnpaidReport reads in one transaction, so the totals passed to start
// match the rows passed to row. start may be nil, and then the totals are
// not computed. Either callback stops the report by returning an error,
// which UnpaidReport returns.
func (s *Store) UnpaidReport(ctx context.Context, q ReportQuery, start func(ReportTotals) error, row func(UnpaidReportRow) error) error {
	return s.readReport(ctx, "unpaid", q, func(tx *sql.Tx) error {
		if start != nil {
			var t ReportTotals
			from, to := q.startBounds()
			err := tx.QueryRowContext(ctx, unpaidConnections+`SELECT COUNT(*), COALESCE(SUM(due), 0),
				COALESCE(SUM(total_due), 0) FROM unpaid WHERE due IS NOT NULL`, from, to, q.Service).
				Scan(&t.Rows, &t.Amount, &t.TotalDue)
			if err != nil {
				return fmt.Errorf("sum unpaid report: %w", err)
			}
			if err := start(t); err != nil {
				return err
			}
		}
		return queryUnpaidRows(ctx, tx, q, row)
	})
}

func queryUnpaidRows(ctx context.Context, tx *sql.Tx, q ReportQuery, row func(UnpaidReportRow) error) error {
	from, to := q.startBounds()
	rows, err := tx.QueryContext(ctx, unpaidConnections+`SELECT cu.crf, cu.name, cu.mobile, cu.street, pl.name,
			unpaid.due, unpaid.total_due,
			CASE WHEN unpaid.partial_periods > 0 THEN 'partial' ELSE 'due' END, unpaid.status
		FROM unpaid
		JOIN customers cu ON cu.crf = unpaid.customer_crf
		JOIN plans pl ON pl.id = unpaid.plan_id
		WHERE unpaid.due IS NOT NULL
		ORDER BY unpaid.customer_crf
		LIMIT ?4`, from, to, q.Service, rowLimit(q.Limit))
	if err != nil {
		return fmt.Errorf("list unpaid report: %w", err)
	}
	defer rows.Close()

	var r UnpaidReportRow
	for rows.Next() {
		err := rows.Scan(&r.CRF, &r.Name, &r.Mobile, &r.Area, &r.Plan, &r.Due, &r.TotalDue, &r.State, &r.Status)
		if err != nil {
			return fmt.Errorf("list unpaid report: %w", err)
		}
		if err := row(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list unpaid report: %w", err)
	}
	return nil
}

// readReport runs fn in one read transaction on the read pool, so its
// queries see one snapshot of the database even while payments commit.
func (s *Store) readReport(ctx context.Context, kind string, q ReportQuery, fn func(tx *sql.Tx) error) error {
	tx, err := s.ro.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin %s report of %s %d-%02d: %w", kind, q.Service, q.Year, int(q.Month), err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// startBounds returns the first day of the month and of the next one, as
// stored dates: a period starts in the month when its start date is in
// [from, to).
func (q ReportQuery) startBounds() (from, to string) {
	first := billing.NewDate(q.Year, q.Month, 1)
	return first.String(), billing.NewDate(q.Year, q.Month+1, 1).String()
}

// rowLimit turns a zero limit into SQLite's "no limit".
func rowLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}
