package store

import (
	"context"
	"database/sql"
	"fmt"
)

// RebuildTriggerTables recomputes every table that triggers keep: the
// payment and open-period totals of the dashboard, from the payments and
// periods, and the customer search index, from the customers. A bulk
// loader that drops the triggers while it writes calls it afterwards.
func (s *Store) RebuildTriggerTables(ctx context.Context) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		statements := []string{
			`DELETE FROM payment_hours`,
			`INSERT INTO payment_hours (hour, service, amount, payments)
				SELECT substr(p.received_at, 1, 13), c.service, SUM(p.amount), COUNT(*)
				FROM payments p JOIN connections c ON c.id = p.connection_id
				GROUP BY 1, 2`,
			`DELETE FROM open_period_totals`,
			`INSERT INTO open_period_totals (year, month, service, due)
				SELECT p.year, p.month, c.service, SUM(p.amount - p.paid)
				FROM periods p JOIN connections c ON c.id = p.connection_id
				WHERE p.state IN ('due', 'partial')
				GROUP BY 1, 2, 3`,
			`INSERT INTO customer_search (customer_search) VALUES ('rebuild')`,
		}
		for _, statement := range statements {
			if _, err := tx.ExecContext(ctx, statement); err != nil {
				return fmt.Errorf("rebuild trigger tables: %w", err)
			}
		}
		return nil
	})
}
