package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// ReminderLine is the amount due on one service of a customer.
type ReminderLine struct {
	Service   billing.Service
	AmountDue billing.Money
	// MonthsPending are the start months of the unpaid periods, oldest
	// first, such as "Dec 2026" and "Jan 2027".
	MonthsPending []string
}

// MonthsLabel returns the months pending as one text, such as
// "Dec 2026, Jan 2027".
func (l ReminderLine) MonthsLabel() string {
	return strings.Join(l.MonthsPending, ", ")
}

// ReminderCandidate is a current customer with an email address and an
// amount due.
type ReminderCandidate struct {
	CRF   int64
	Name  string
	Email string
	// Lines has one entry per service with an amount due, cable TV first.
	Lines []ReminderLine
	Total billing.Money
	// LastReminder is when the latest reminder to the customer was queued,
	// or zero when none was. Failed reminders never reached the customer,
	// so they do not count.
	LastReminder time.Time
}

// ReminderFilter narrows ReminderCandidates.
type ReminderFilter struct {
	// Service keeps customers with an amount due on that service. Empty
	// keeps customers with an amount due on any service.
	Service billing.Service
	// MinMonthsPending keeps customers with at least this many unpaid
	// months on one service (the chosen one when Service is set).
	MinMonthsPending int
}

// matches reports whether c passes f. The candidate keeps every line, so
// a reminder names all the services the customer owes for.
func (c ReminderCandidate) matches(f ReminderFilter) bool {
	for _, l := range c.Lines {
		if f.Service != "" && l.Service != f.Service {
			continue
		}
		if len(l.MonthsPending) >= f.MinMonthsPending {
			return true
		}
	}
	return false
}

// ReminderCandidates returns the current customers with an email address
// and an amount due that pass f, by CRF number.
func (s *Store) ReminderCandidates(ctx context.Context, f ReminderFilter) ([]ReminderCandidate, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT cu.crf, cu.name, cu.email, `+periodColumns+`
		FROM periods p
		JOIN connections c ON c.id = p.connection_id
		JOIN customers cu ON cu.crf = c.customer_crf
		WHERE p.state IN ('due', 'partial') AND cu.archived_at IS NULL AND cu.email <> ''
		ORDER BY cu.crf, c.service DESC, p.starts_on`)
	if err != nil {
		return nil, fmt.Errorf("list reminder candidates: %w", err)
	}
	defer rows.Close()

	var all []ReminderCandidate
	var periods []PeriodRow
	for rows.Next() {
		var c ReminderCandidate
		var p PeriodRow
		if err := scanCandidatePeriod(rows, &c, &p); err != nil {
			return nil, fmt.Errorf("list reminder candidates: %w", err)
		}
		if len(all) == 0 || all[len(all)-1].CRF != c.CRF {
			if len(all) > 0 {
				setReminderLines(&all[len(all)-1], periods)
			}
			all = append(all, c)
			periods = periods[:0]
		}
		periods = append(periods, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list reminder candidates: %w", err)
	}
	if len(all) > 0 {
		setReminderLines(&all[len(all)-1], periods)
	}
	return s.finishCandidates(ctx, all, f)
}

func scanCandidatePeriod(rows *sql.Rows, c *ReminderCandidate, p *PeriodRow) error {
	var start, end string
	err := rows.Scan(&c.CRF, &c.Name, &c.Email, &p.ID, &p.ConnectionID, &p.Service, &start, &end,
		&p.Year, &p.Month, &p.Amount, &p.Paid, &p.State, &p.WaiveReason)
	if err != nil {
		return err
	}
	return parseDateRange(start, end, &p.Start, &p.End)
}

// finishCandidates adds the time of the last reminder and keeps the
// candidates with an amount due that pass f.
func (s *Store) finishCandidates(ctx context.Context, all []ReminderCandidate, f ReminderFilter) ([]ReminderCandidate, error) {
	last, err := lastReminders(ctx, s.ro)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if c.Total <= 0 || !c.matches(f) {
			continue
		}
		c.LastReminder = last[c.CRF]
		out = append(out, c)
	}
	return out, nil
}

// setReminderLines fills the lines and the total of c from its open
// periods, which are grouped by service.
func setReminderLines(c *ReminderCandidate, periods []PeriodRow) {
	c.Lines = nil
	c.Total = 0
	for start := 0; start < len(periods); {
		end := start
		var records []billing.PeriodRecord
		for end < len(periods) && periods[end].Service == periods[start].Service {
			records = append(records, periods[end].Record())
			end++
		}
		due := billing.AmountDue(records)
		if due > 0 {
			c.Lines = append(c.Lines, ReminderLine{Service: periods[start].Service, AmountDue: due,
				MonthsPending: billing.MonthsPending(records)})
			c.Total += due
		}
		start = end
	}
}

// lastReminders returns the time of the latest reminder that did not fail,
// per CRF number.
func lastReminders(ctx context.Context, q queryer) (map[int64]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT customer_crf, MAX(created_at) FROM outbox
		WHERE kind = 'reminder' AND state <> 'failed' AND customer_crf IS NOT NULL
		GROUP BY customer_crf`)
	if err != nil {
		return nil, fmt.Errorf("list last reminders: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var crf int64
		var at string
		if err := rows.Scan(&crf, &at); err != nil {
			return nil, fmt.Errorf("list last reminders: %w", err)
		}
		if out[crf], err = parseTime(at); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// reminderCustomer is a customer read as a candidate for a reminder.
type reminderCustomer struct {
	candidate ReminderCandidate
	customer  Customer
}

// reminderCustomers reads the customers of crfs as candidates inside tx,
// with three queries for the whole batch rather than three per customer.
// A CRF number without a customer is left out of the map. An archived
// customer or a customer without an email address is read with its fields
// as stored, so the caller can tell why it is not reminded.
func reminderCustomers(ctx context.Context, tx *sql.Tx, crfs []int64) (map[int64]*reminderCustomer, error) {
	list := make([]byte, 0, len(crfs)*8)
	list = append(list, '[')
	for i, crf := range crfs {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, crf, 10)
	}
	list = append(list, ']')
	batch := string(list)
	out := make(map[int64]*reminderCustomer, len(crfs))

	rows, err := tx.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE crf IN (SELECT value FROM json_each(?))`, batch)
	if err != nil {
		return nil, fmt.Errorf("read reminder customers: %w", err)
	}
	for rows.Next() {
		cu, err := scanCustomer(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read reminder customers: %w", err)
		}
		out[cu.CRF] = &reminderCustomer{customer: cu,
			candidate: ReminderCandidate{CRF: cu.CRF, Name: cu.Name, Email: cu.Email}}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read reminder customers: %w", err)
	}

	// The unary + keeps SQLite on the customers' connections rather than
	// on the index of every open period, as in customerOpenPeriods.
	rows, err = tx.QueryContext(ctx, `SELECT `+periodColumns+`, c.customer_crf FROM periods p
		JOIN connections c ON c.id = p.connection_id
		WHERE c.customer_crf IN (SELECT value FROM json_each(?)) AND +p.state IN ('due', 'partial')
		ORDER BY c.customer_crf, c.service DESC, p.starts_on`, batch)
	if err != nil {
		return nil, fmt.Errorf("read reminder periods: %w", err)
	}
	periods := map[int64][]PeriodRow{}
	for rows.Next() {
		var crf int64
		p, err := scanPeriod(extraScan{rows, []any{&crf}})
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read reminder periods: %w", err)
		}
		periods[crf] = append(periods[crf], p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read reminder periods: %w", err)
	}
	for crf, r := range out {
		setReminderLines(&r.candidate, periods[crf])
	}

	rows, err = tx.QueryContext(ctx, `SELECT customer_crf, MAX(created_at) FROM outbox
		WHERE customer_crf IN (SELECT value FROM json_each(?)) AND kind = 'reminder' AND state <> 'failed'
		GROUP BY customer_crf`, batch)
	if err != nil {
		return nil, fmt.Errorf("read last reminders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var crf int64
		var at string
		if err := rows.Scan(&crf, &at); err != nil {
			return nil, fmt.Errorf("read last reminders: %w", err)
		}
		if r := out[crf]; r != nil {
			if r.candidate.LastReminder, err = parseTime(at); err != nil {
				return nil, err
			}
		}
	}
	return out, rows.Err()
}

// QueueRemindersParams describe one batch of reminders.
type QueueRemindersParams struct {
	CRFs []int64
	// Force queues a reminder even for a customer reminded since
	// QuietSince.
	Force      bool
	QuietSince time.Time
	// DayStart is the start of the operator's local day. Reminders created
	// since then count against DailyLimit.
	DayStart   time.Time
	DailyLimit int
	Now        time.Time
	Actor      string
	// Compose renders the reminder email of one customer. It runs inside
	// the transaction, so it must not touch the database.
	Compose func(ReminderCandidate) (OutboxMessage, error)
}

// ReminderCounts are the outcomes of queueing reminders, one count per
// customer.
type ReminderCounts struct {
	Queued int
	// SkippedRecent were reminded since the quiet period began.
	SkippedRecent int
	// HeldBack would have passed the daily limit. HeldBackCRFs lists them,
	// so they can be sent the next day.
	HeldBack     int
	HeldBackCRFs []int64
	WithoutEmail int
	// NothingDue owe nothing any more, were removed or do not exist.
	NothingDue int
}

// Add adds the counts of another batch to c.
func (c *ReminderCounts) Add(o ReminderCounts) {
	c.Queued += o.Queued
	c.SkippedRecent += o.SkippedRecent
	c.HeldBack += o.HeldBack
	c.HeldBackCRFs = append(c.HeldBackCRFs, o.HeldBackCRFs...)
	c.WithoutEmail += o.WithoutEmail
	c.NothingDue += o.NothingDue
}

// QueueReminders queues a reminder for each customer of the batch in one
// transaction. The amount due, the last reminder and the reminders already
// queued today are read inside that transaction, so two admins sending at
// once cannot pass the daily limit or remind one customer twice.
func (s *Store) QueueReminders(ctx context.Context, p QueueRemindersParams) (ReminderCounts, error) {
	var counts ReminderCounts
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		counts = ReminderCounts{}
		var today int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND created_at >= ?`,
			formatTime(p.DayStart)).Scan(&today)
		if err != nil {
			return fmt.Errorf("count reminders queued today: %w", err)
		}
		customers, err := reminderCustomers(ctx, tx, p.CRFs)
		if err != nil {
			return err
		}
		for _, crf := range p.CRFs {
			queued, err := queueReminder(ctx, tx, p, crf, customers[crf], today, &counts)
			if err != nil {
				return err
			}
			if queued {
				today++
			}
		}
		if counts.Queued == 0 {
			return nil
		}
		return insertAudit(ctx, tx, AuditEntry{At: p.Now, Actor: p.Actor, Action: "email.reminders",
			Entity: "outbox", Details: fmt.Sprintf("%d reminders queued", counts.Queued)})
	})
	return counts, err
}

// queueReminder decides whether to remind r, the customer of crf or nil
// when crf has none, and counts the outcome. It reports whether a
// reminder was queued.
func queueReminder(ctx context.Context, tx *sql.Tx, p QueueRemindersParams, crf int64, r *reminderCustomer,
	today int, counts *ReminderCounts) (bool, error) {
	if r == nil {
		counts.NothingDue++
		return false, nil
	}
	c := r.candidate
	switch {
	case r.customer.Archived() || c.Total <= 0:
		counts.NothingDue++
		return false, nil
	case strings.TrimSpace(c.Email) == "":
		counts.WithoutEmail++
		return false, nil
	case !p.Force && !c.LastReminder.IsZero() && !c.LastReminder.Before(p.QuietSince):
		counts.SkippedRecent++
		return false, nil
	case today >= p.DailyLimit:
		counts.HeldBack++
		counts.HeldBackCRFs = append(counts.HeldBackCRFs, crf)
		return false, nil
	}

	m, err := p.Compose(c)
	if err != nil {
		return false, err
	}
	m.CustomerCRF = crf
	if _, err := insertOutbox(ctx, tx, m, p.Now); err != nil {
		return false, err
	}
	// A number given twice in one batch is then skipped as recently
	// reminded, unless p.Force.
	r.candidate.LastReminder = p.Now
	counts.Queued++
	return true, nil
}
