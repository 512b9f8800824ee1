package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/ctvms/ctvms/billing"
)

// CreateYearPeriods makes sure every connection that is not disconnected has
// scheduled rows for the periods starting in each year up to clk.Today's,
// catching up years missed while the program was closed. It returns the
// rows added. Running it again adds nothing.
func (s *Store) CreateYearPeriods(ctx context.Context, clk JobClock) (int64, error) {
	var added int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		last, err := periodsThroughYear(ctx, tx, 0)
		if err != nil {
			return err
		}
		first := last + 1
		if last == 0 {
			// No year is recorded, so connections made earlier may lack
			// rows of the years since their anchor. Rows that exist are
			// left alone, so starting early only costs time.
			if first, err = earliestAnchorYear(ctx, tx, clk.Today.Year); err != nil {
				return err
			}
		}
		for year := first; year <= clk.Today.Year; year++ {
			n, err := createPeriodsOfYear(ctx, tx, year)
			if err != nil {
				return err
			}
			added += n
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, periodsYearKey, strconv.Itoa(clk.Today.Year))
		return err
	})
	return added, err
}

// earliestAnchorYear returns the year of the oldest anchor among the
// connections that are not disconnected, or fallback when there are none.
func earliestAnchorYear(ctx context.Context, tx *sql.Tx, fallback int) (int, error) {
	var anchor sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT MIN(anchor_on) FROM connections WHERE status <> 'disconnected'`).Scan(&anchor)
	if err != nil {
		return 0, fmt.Errorf("find the oldest anchor: %w", err)
	}
	if !anchor.Valid {
		return fallback, nil
	}
	d, err := billing.ParseDate(anchor.String)
	if err != nil {
		return 0, fmt.Errorf("find the oldest anchor: %w", err)
	}
	return min(d.Year, fallback), nil
}

func createPeriodsOfYear(ctx context.Context, tx *sql.Tx, year int) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, anchor_on FROM connections WHERE status <> 'disconnected'`)
	if err != nil {
		return 0, fmt.Errorf("list connections for year %d: %w", year, err)
	}
	type anchored struct {
		id     int64
		anchor billing.Date
	}
	var list []anchored
	for rows.Next() {
		var a anchored
		var text string
		if err := rows.Scan(&a.id, &text); err != nil {
			rows.Close()
			return 0, fmt.Errorf("list connections for year %d: %w", year, err)
		}
		if a.anchor, err = billing.ParseDate(text); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}

	var added int64
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		rows := len(batch) / periodInsertColumns
		res, err := tx.ExecContext(ctx, `INSERT INTO periods (connection_id, starts_on, ends_on, year, month, state)
			VALUES `+strings.Repeat(`(?, ?, ?, ?, ?, 'scheduled'), `, rows-1)+`(?, ?, ?, ?, ?, 'scheduled')
			ON CONFLICT (connection_id, starts_on) DO NOTHING`, batch...)
		if err != nil {
			return fmt.Errorf("insert periods of year %d: %w", year, err)
		}
		n, _ := res.RowsAffected()
		added += n
		batch = batch[:0]
		return nil
	}
	for _, a := range list {
		for _, p := range billing.PeriodsStartingIn(a.anchor, year) {
			batch = append(batch, a.id, p.Start.String(), p.End.String(), year, int(p.Start.Month))
			if len(batch) == periodInsertRows*periodInsertColumns {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return added, nil
}

// Periods are inserted periodInsertRows at a time. One statement per row
// spends as long starting and ending statements as inserting, and SQLite
// copies each page a statement changes before changing it, once per
// statement.
const (
	periodInsertRows    = 500
	periodInsertColumns = 5
)

// BillStartedPeriods bills every scheduled period that has started by
// clk.Today, catching up every day missed, and returns the rows changed.
func (s *Store) BillStartedPeriods(ctx context.Context, clk JobClock) (int64, error) {
	var n int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = billScheduled(ctx, tx, clk, 0)
		return err
	})
	return n, err
}

// statusSQL computes a connection's status from its expiry on a day.
// Parameters: today, today, grace days.
const statusSQL = `CASE WHEN status = 'disconnected' THEN 'disconnected'
	WHEN expires_on >= ? THEN 'active'
	WHEN expires_on >= date(?, '-' || ? || ' days') THEN 'inactive'
	ELSE 'suspended' END`

// UpdateStatuses sets every connection's status from its expiry date on
// clk.Today and writes each change to the audit log. It returns the number
// of connections changed.
func (s *Store) UpdateStatuses(ctx context.Context, clk JobClock) (int64, error) {
	var n int64
	today := clk.Today.String()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, details)
			SELECT ?, 'system', 'connection.status', 'connection', id,
				status || ' → ' || new_status || ' (expiry ' || expires_on || ')'
			FROM (SELECT id, status, expires_on, `+statusSQL+` AS new_status FROM connections)
			WHERE new_status <> status`, formatTime(clk.Now), today, today, clk.GraceDays)
		if err != nil {
			return fmt.Errorf("audit status changes: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE connections SET status = `+statusSQL+`
			WHERE status <> `+statusSQL, today, today, clk.GraceDays, today, today, clk.GraceDays)
		if err != nil {
			return fmt.Errorf("update statuses: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
