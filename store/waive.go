package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/ctvms/ctvms/billing/message"
)

// ErrNotWaivable is returned when the period to write off is not due or
// partly paid, so nothing on it is owed.
var ErrNotWaivable = message.NewError("only a due or partly paid period can be waived")

// WaiveParams describe a write-off of one period.
type WaiveParams struct {
	PeriodID int64
	Reason   string // shown on the payment-details screen, never empty
	Clock    JobClock
	Actor    string
}

// WaivePeriod writes off a due or partial period in one transaction: the
// period becomes waived with the reason, the connection's expiry and status
// are recomputed, and the write-off goes to the audit log. What was already
// paid on the period stays recorded in its paid column.
func (s *Store) WaivePeriod(ctx context.Context, p WaiveParams) error {
	if p.Reason == "" {
		return fmt.Errorf("waive period %d: the reason is missing", p.PeriodID)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		period, err := getPeriod(ctx, tx, p.PeriodID)
		if err != nil {
			return err
		}
		if !period.State.Open() {
			return message.WithCause(ErrNotWaivable, "the period from {{.Start}} to {{.End}} cannot be waived "+
				"(state: {{.State}}); only a due or partly paid period can be", "Start", period.Start, "End", period.End,
				"State", periodStateText(period.State))
		}

		_, err = tx.ExecContext(ctx, `UPDATE periods SET state = 'waived', waive_reason = ?
			WHERE id = ? AND state IN ('due', 'partial')`, p.Reason, p.PeriodID)
		if err != nil {
			return fmt.Errorf("waive period %d: %w", p.PeriodID, err)
		}
		err = insertAudit(ctx, tx, AuditEntry{At: p.Clock.Now, Actor: p.Actor, Action: "period.waive",
			Entity: "period", EntityID: strconv.FormatInt(p.PeriodID, 10),
			Details: fmt.Sprintf("connection %d, %s to %s, %s written off: %s", period.ConnectionID,
				period.Start, period.End, period.Due().Plain(), p.Reason)})
		if err != nil {
			return err
		}

		return refreshConnection(ctx, tx, period.ConnectionID, p.Clock, p.Actor)
	})
}

// Period returns one stored period.
func (s *Store) Period(ctx context.Context, id int64) (PeriodRow, error) {
	return getPeriod(ctx, s.ro, id)
}

func getPeriod(ctx context.Context, q queryer, id int64) (PeriodRow, error) {
	p, err := scanPeriod(q.QueryRowContext(ctx, `SELECT `+periodColumns+` FROM periods p
		JOIN connections c ON c.id = p.connection_id WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, message.WithCause(ErrNotFound, "period {{.ID}} was not found", "ID", id)
	}
	if err != nil {
		return p, fmt.Errorf("get period %d: %w", id, err)
	}
	return p, nil
}
