package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// Each dashboard figure has its own method on the read pool, so a screen
// can refresh one figure and a benchmark can time it alone.

// StatusCounts are the number of connections of one service in each status.
type StatusCounts struct {
	Active       int
	Inactive     int
	Suspended    int
	Disconnected int
}

// ServiceAmounts are sums of money per service.
type ServiceAmounts map[billing.Service]billing.Money

// Total returns the sum over all services.
func (a ServiceAmounts) Total() billing.Money {
	var total billing.Money
	for _, m := range a {
		total += m
	}
	return total
}

// newServiceAmounts returns an entry of zero for every service, so a
// screen finds both services even when one has no rows.
func newServiceAmounts() ServiceAmounts {
	a := make(ServiceAmounts, len(billing.Services))
	for _, svc := range billing.Services {
		a[svc] = 0
	}
	return a
}

// StatusCounts returns the connections per service and status, with an
// entry for every service.
func (s *Store) StatusCounts(ctx context.Context) (map[billing.Service]StatusCounts, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT service, status, COUNT(*) FROM connections
		GROUP BY service, status`)
	if err != nil {
		return nil, fmt.Errorf("count connections by status: %w", err)
	}
	defer rows.Close()

	out := make(map[billing.Service]StatusCounts, len(billing.Services))
	for _, svc := range billing.Services {
		out[svc] = StatusCounts{}
	}
	for rows.Next() {
		var svc billing.Service
		var status billing.Status
		var n int
		if err := rows.Scan(&svc, &status, &n); err != nil {
			return nil, fmt.Errorf("count connections by status: %w", err)
		}
		counts := out[svc]
		switch status {
		case billing.StatusActive:
			counts.Active = n
		case billing.StatusInactive:
			counts.Inactive = n
		case billing.StatusSuspended:
			counts.Suspended = n
		case billing.StatusDisconnected:
			counts.Disconnected = n
		}
		out[svc] = counts
	}
	return out, rows.Err()
}

// Renewal is a connection whose expiry date is today, for the renewals
// table of the admin dashboard.
type Renewal struct {
	ConnectionID int64
	CRF          int64
	Name         string
	Service      billing.Service
	PlanName     string
}

// renewalWhere selects the connections that expire on a day. A disconnected
// connection is left out because it will not be renewed until the admin
// reconnects it. Parameter: the day.
const renewalWhere = ` WHERE c.expires_on = ? AND c.status <> 'disconnected'`

// RenewalsCount returns how many connections expire on day.
func (s *Store) RenewalsCount(ctx context.Context, day billing.Date) (int, error) {
	var n int
	err := s.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM connections c`+renewalWhere, day.String()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count renewals on %s: %w", day, err)
	}
	return n, nil
}

// Renewals returns the connections that expire on day, ordered by CRF
// number and then service, cable TV first.
func (s *Store) Renewals(ctx context.Context, day billing.Date) ([]Renewal, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT c.id, c.customer_crf, cu.name, c.service, pl.name
		FROM connections c
		JOIN customers cu ON cu.crf = c.customer_crf
		JOIN plans pl ON pl.id = c.plan_id`+renewalWhere+`
		ORDER BY c.customer_crf, c.service DESC`, day.String())
	if err != nil {
		return nil, fmt.Errorf("list renewals on %s: %w", day, err)
	}
	defer rows.Close()

	var out []Renewal
	for rows.Next() {
		var r Renewal
		if err := rows.Scan(&r.ConnectionID, &r.CRF, &r.Name, &r.Service, &r.PlanName); err != nil {
			return nil, fmt.Errorf("list renewals on %s: %w", day, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Collected is the sum and number of payments received.
type Collected struct {
	Amount billing.Money
	Count  int
}

// ReceivedInMonth returns the sum and count of payments received in a
// local calendar month, per service, with an entry for every service. A
// payment at 00:15 local time on the 1st counts in the new month, although
// in UTC+5:30 it is still the previous month.
func (s *Store) ReceivedInMonth(ctx context.Context, year int, month time.Month, loc *time.Location) (map[billing.Service]Collected, error) {
	from := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	out, err := receivedBetween(ctx, s.ro, from, from.AddDate(0, 1, 0))
	if err != nil {
		return nil, fmt.Errorf("sum payments of %d-%02d: %w", year, month, err)
	}
	return out, nil
}

// receivedBetween sums the payments received from the instant from up to
// but not including to, per service. Whole UTC hours come from the
// payment_hours totals, and the parts of an hour at either end, which a
// zone such as UTC+5:30 leaves, from the payments themselves.
func receivedBetween(ctx context.Context, q queryer, from, to time.Time) (map[billing.Service]Collected, error) {
	firstHour := from.UTC().Truncate(time.Hour)
	if firstHour.Before(from) {
		firstHour = firstHour.Add(time.Hour)
	}
	endHour := to.UTC().Truncate(time.Hour)
	if !firstHour.Before(endHour) {
		// Less than a whole hour: read every payment of the range.
		firstHour, endHour = to, to
	}
	const hourLayout = "2006-01-02T15"
	rows, err := q.QueryContext(ctx, `SELECT service, SUM(amount), SUM(payments) FROM (
			SELECT service, amount, payments FROM payment_hours WHERE hour >= ? AND hour < ?
			UNION ALL
			SELECT c.service, p.amount, 1 FROM payments p JOIN connections c ON c.id = p.connection_id
			WHERE p.received_at >= ? AND p.received_at < ?
			UNION ALL
			SELECT c.service, p.amount, 1 FROM payments p JOIN connections c ON c.id = p.connection_id
			WHERE p.received_at >= ? AND p.received_at < ?)
		GROUP BY service`,
		firstHour.UTC().Format(hourLayout), endHour.UTC().Format(hourLayout),
		formatTime(from), formatTime(firstHour), formatTime(endHour), formatTime(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := make(map[billing.Service]Collected, len(billing.Services))
	for _, svc := range billing.Services {
		out[svc] = Collected{}
	}
	for rows.Next() {
		var svc billing.Service
		var c Collected
		if err := rows.Scan(&svc, &c.Amount, &c.Count); err != nil {
			return nil, err
		}
		out[svc] = c
	}
	return out, rows.Err()
}

// PendingInMonth returns, per service, the unpaid remainder of the due and
// partial periods that start in a calendar month. Periods not billed yet
// owe nothing and are not counted.
func (s *Store) PendingInMonth(ctx context.Context, year int, month time.Month) (ServiceAmounts, error) {
	out, err := s.sumOpenPeriods(ctx, ` AND year = ? AND month = ?`, year, int(month))
	if err != nil {
		return nil, fmt.Errorf("sum pending of %d-%02d: %w", year, month, err)
	}
	return out, nil
}

// Outstanding returns, per service, the unpaid remainder of every due and
// partial period.
func (s *Store) Outstanding(ctx context.Context) (ServiceAmounts, error) {
	out, err := s.sumOpenPeriods(ctx, ``)
	if err != nil {
		return nil, fmt.Errorf("sum outstanding: %w", err)
	}
	return out, nil
}

// sumOpenPeriods sums amount - paid of due and partial periods per
// service from the open_period_totals that triggers keep. filter is empty
// or an SQL condition on year and month that starts with AND.
func (s *Store) sumOpenPeriods(ctx context.Context, filter string, args ...any) (ServiceAmounts, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT service, SUM(due) FROM open_period_totals
		WHERE 1`+filter+` GROUP BY service`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := newServiceAmounts()
	for rows.Next() {
		var svc billing.Service
		var sum billing.Money
		if err := rows.Scan(&svc, &sum); err != nil {
			return nil, err
		}
		out[svc] = sum
	}
	return out, rows.Err()
}

// ComplaintCounts are the complaints that need the admin's attention.
type ComplaintCounts struct {
	Open   int // open or in progress
	Unread int // never opened by the admin, whatever their status
}

// ComplaintCounts returns the open and unread complaint counts.
func (s *Store) ComplaintCounts(ctx context.Context) (ComplaintCounts, error) {
	var c ComplaintCounts
	err := s.ro.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(status IN ('open', 'in_progress')), 0),
			COALESCE(SUM(read_at IS NULL), 0)
		FROM complaints`).Scan(&c.Open, &c.Unread)
	if err != nil {
		return c, fmt.Errorf("count complaints: %w", err)
	}
	return c, nil
}

// MonthCollection is the money received in one local calendar month.
type MonthCollection struct {
	Year      int
	Month     time.Month
	ByService ServiceAmounts
}

// Label returns the month as "Dec 2026".
func (m MonthCollection) Label() string {
	return billing.NewDate(m.Year, m.Month, 1).MonthLabel()
}

// CollectionSeries returns the payments received in each of the n local
// calendar months that end with year and month, oldest first. Every month
// and every service has an entry, zero when nothing was received. The
// months are read in one transaction, so they see the same payments.
func (s *Store) CollectionSeries(ctx context.Context, year int, month time.Month, n int, loc *time.Location) ([]MonthCollection, error) {
	if n <= 0 {
		return nil, nil
	}
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("collection series to %d-%02d: %w", year, month, err)
	}
	defer tx.Rollback()

	series := make([]MonthCollection, n)
	for i := range series {
		first := time.Date(year, month-time.Month(n-1-i), 1, 0, 0, 0, 0, loc)
		received, err := receivedBetween(ctx, tx, first, first.AddDate(0, 1, 0))
		if err != nil {
			return nil, fmt.Errorf("collection series to %d-%02d: %w", year, month, err)
		}
		series[i] = MonthCollection{Year: first.Year(), Month: first.Month(), ByService: newServiceAmounts()}
		for svc, c := range received {
			series[i].ByService[svc] = c.Amount
		}
	}
	return series, nil
}

// ServiceOverview is one connection as the customer dashboard shows it.
type ServiceOverview struct {
	ConnectionID  int64
	Service       billing.Service
	PlanName      string
	Status        billing.Status
	ExpiresOn     billing.Date
	AmountDue     billing.Money
	MonthsPending []string // start months of the unpaid periods, such as "Dec 2026"
}

// CustomerOverview returns every connection of a customer, cable TV first,
// with its amount due and months pending. A customer without connections
// gets an empty list.
func (s *Store) CustomerOverview(ctx context.Context, crf int64) ([]ServiceOverview, error) {
	conns, err := s.Connections(ctx, crf)
	if err != nil {
		return nil, err
	}
	open, err := queryPeriods(ctx, s.ro, customerOpenPeriods, crf)
	if err != nil {
		return nil, fmt.Errorf("overview of customer %d: %w", crf, err)
	}
	byConnection := make(map[int64][]billing.PeriodRecord, len(conns))
	for _, p := range open {
		byConnection[p.ConnectionID] = append(byConnection[p.ConnectionID], p.Record())
	}

	out := make([]ServiceOverview, len(conns))
	for i, c := range conns {
		records := byConnection[c.ID]
		out[i] = ServiceOverview{ConnectionID: c.ID, Service: c.Service, PlanName: c.PlanName,
			Status: c.Status, ExpiresOn: c.ExpiresOn,
			AmountDue: billing.AmountDue(records), MonthsPending: billing.MonthsPending(records)}
	}
	return out, nil
}

// PaymentRow is one payment on the payment-details screen.
type PaymentRow struct {
	ID           int64
	ConnectionID int64
	Service      billing.Service
	Amount       billing.Money
	Mode         string // "cash" or "online"
	Reference    string // empty for cash
	ReceivedAt   time.Time
	// InvoiceNumber is empty when the payment has no invoice.
	InvoiceNumber string
}

// PaymentsOfYear returns a customer's payments received in a local
// calendar year, oldest first.
func (s *Store) PaymentsOfYear(ctx context.Context, crf int64, year int, loc *time.Location) ([]PaymentRow, error) {
	from := formatTime(time.Date(year, time.January, 1, 0, 0, 0, 0, loc))
	to := formatTime(time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc))
	rows, err := s.ro.QueryContext(ctx, `SELECT p.id, p.connection_id, c.service, p.amount, p.mode,
			COALESCE(p.reference, ''), p.received_at, COALESCE(i.number, '')
		FROM payments p
		JOIN connections c ON c.id = p.connection_id
		LEFT JOIN invoices i ON i.payment_id = p.id
		WHERE p.customer_crf = ? AND p.received_at >= ? AND p.received_at < ?
		ORDER BY p.received_at, p.id`, crf, from, to)
	if err != nil {
		return nil, fmt.Errorf("list payments of customer %d in %d: %w", crf, year, err)
	}
	defer rows.Close()

	var out []PaymentRow
	for rows.Next() {
		var p PaymentRow
		var at string
		err := rows.Scan(&p.ID, &p.ConnectionID, &p.Service, &p.Amount, &p.Mode, &p.Reference, &at, &p.InvoiceNumber)
		if err != nil {
			return nil, fmt.Errorf("list payments of customer %d in %d: %w", crf, year, err)
		}
		if p.ReceivedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
