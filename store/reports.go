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
	// Due is what is still owed on the connection's due and partial
	// periods that start in the month.
	Due billing.Money
	// TotalDue is what is still owed on all the connection's due and
	// partial periods, of any month.
	TotalDue billing.Money
	// State is partial when any of the month's open periods is partly
	// paid, due otherwise.
	State  billing.PeriodState
	Status billing.Status
}

// paidAllocations selects every payment allocation to a period of the
// service that starts in the month, with the recency rank of its payment
// among the connection's allocations (1 is the latest). Parameters:
// service, year, month.
const paidAllocations = `WITH allocation AS (
	SELECT p.connection_id, a.amount, pay.id AS payment_id,
		ROW_NUMBER() OVER (PARTITION BY p.connection_id
			ORDER BY pay.received_at DESC, pay.id DESC) AS recency
	FROM periods p
	JOIN connections c ON c.id = p.connection_id
	JOIN payment_allocations a ON a.period_id = p.id
	JOIN payments pay ON pay.id = a.payment_id
	WHERE c.service = ? AND p.year = ? AND p.month = ?
), paid AS (
	SELECT connection_id, SUM(amount) AS amount,
		MAX(CASE WHEN recency = 1 THEN payment_id END) AS latest_payment
	FROM allocation
	GROUP BY connection_id
) `

// PaidReport reports the money paid for one month of one service. A
// payment counts when part of it is allocated to a period of the service
// that starts in the month, and only that part counts: a payment received
// in November that settles December's period is in the December report,
// and a December payment that settles a November debt is in November's.
// There is one row per connection with any such allocation, ordered by
// CRF number.
//
// PaidReport reads in one transaction, so the totals passed to start
// match the rows passed to row. start may be nil. Either callback stops
// the report by returning an error, which PaidReport returns.
func (s *Store) PaidReport(ctx context.Context, q ReportQuery, start func(ReportTotals) error, row func(PaidReportRow) error) error {
	return s.readReport(ctx, "paid", q, func(tx *sql.Tx) error {
		var t ReportTotals
		err := tx.QueryRowContext(ctx, paidAllocations+`SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM paid`,
			q.Service, q.Year, int(q.Month)).Scan(&t.Rows, &t.Amount)
		if err != nil {
			return fmt.Errorf("sum paid report: %w", err)
		}
		if start != nil {
			if err := start(t); err != nil {
				return err
			}
		}
		return queryPaidRows(ctx, tx, q, row)
	})
}

func queryPaidRows(ctx context.Context, tx *sql.Tx, q ReportQuery, row func(PaidReportRow) error) error {
	rows, err := tx.QueryContext(ctx, paidAllocations+`SELECT cu.crf, cu.name, cu.mobile,
			COALESCE(NULLIF(i.plan_name, ''), pl.name), paid.amount, pay.received_at, pay.mode,
			COALESCE(pay.reference, ''), COALESCE(i.number, '')
		FROM paid
		JOIN connections c ON c.id = paid.connection_id
		JOIN customers cu ON cu.crf = c.customer_crf
		JOIN plans pl ON pl.id = c.plan_id
		JOIN payments pay ON pay.id = paid.latest_payment
		LEFT JOIN invoices i ON i.payment_id = pay.id
		ORDER BY cu.crf
		LIMIT ?`, q.Service, q.Year, int(q.Month), rowLimit(q.Limit))
	if err != nil {
		return fmt.Errorf("list paid report: %w", err)
	}
	defer rows.Close()

	var r PaidReportRow
	var at string
	for rows.Next() {
		err := rows.Scan(&r.CRF, &r.Name, &r.Mobile, &r.Plan, &r.Amount, &at, &r.Mode, &r.Reference, &r.InvoiceNumber)
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

// unpaidConnections selects the connections of the service with a due or
// partial period that starts in the month, with what they owe for the
// month and their month state. Parameters: service, year, month.
const unpaidConnections = `WITH unpaid AS (
	SELECT p.connection_id, SUM(p.amount - p.paid) AS due, MAX(p.state) AS state
	FROM periods p
	JOIN connections c ON c.id = p.connection_id
	WHERE c.service = ? AND p.year = ? AND p.month = ? AND p.state IN ('due', 'partial')
	GROUP BY p.connection_id
), owed AS (
	SELECT unpaid.*, (SELECT SUM(o.amount - o.paid) FROM periods o
		WHERE o.connection_id = unpaid.connection_id AND o.state IN ('due', 'partial')) AS total_due
	FROM unpaid
) `

// UnpaidReport reports the connections of one service that still owe
// money for one month: those with a due or partial period that starts in
// the month. There is one row per connection, ordered by CRF number.
// Periods not billed yet (scheduled) owe nothing and are left out.
//
// UnpaidReport reads in one transaction, so the totals passed to start
// match the rows passed to row. start may be nil. Either callback stops
// the report by returning an error, which UnpaidReport returns.
func (s *Store) UnpaidReport(ctx context.Context, q ReportQuery, start func(ReportTotals) error, row func(UnpaidReportRow) error) error {
	return s.readReport(ctx, "unpaid", q, func(tx *sql.Tx) error {
		var t ReportTotals
		err := tx.QueryRowContext(ctx, unpaidConnections+`SELECT COUNT(*), COALESCE(SUM(due), 0),
			COALESCE(SUM(total_due), 0) FROM owed`, q.Service, q.Year, int(q.Month)).Scan(&t.Rows, &t.Amount, &t.TotalDue)
		if err != nil {
			return fmt.Errorf("sum unpaid report: %w", err)
		}
		if start != nil {
			if err := start(t); err != nil {
				return err
			}
		}
		return queryUnpaidRows(ctx, tx, q, row)
	})
}

func queryUnpaidRows(ctx context.Context, tx *sql.Tx, q ReportQuery, row func(UnpaidReportRow) error) error {
	rows, err := tx.QueryContext(ctx, unpaidConnections+`SELECT cu.crf, cu.name, cu.mobile, cu.street, pl.name,
			owed.due, owed.total_due, owed.state, c.status
		FROM owed
		JOIN connections c ON c.id = owed.connection_id
		JOIN customers cu ON cu.crf = c.customer_crf
		JOIN plans pl ON pl.id = c.plan_id
		ORDER BY cu.crf
		LIMIT ?`, q.Service, q.Year, int(q.Month), rowLimit(q.Limit))
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

// rowLimit turns a zero limit into SQLite's "no limit".
func rowLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}
