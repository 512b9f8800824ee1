package store

import (
	"context"
	"database/sql"
	"fmt"
)

// nextCounter increments the named counter inside tx and returns the new
// value. A counter that does not exist starts at 1. Because the increment
// belongs to the caller's transaction, a rollback returns the number and no
// gap appears.
func nextCounter(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = value + 1
		RETURNING value`, name).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("next %s number: %w", name, err)
	}
	return v, nil
}

// raiseCounter makes sure the named counter is at least v, so numbers kept
// from an imported system are never handed out again.
func raiseCounter(ctx context.Context, tx *sql.Tx, name string, v int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`, name, v)
	if err != nil {
		return fmt.Errorf("raise %s counter: %w", name, err)
	}
	return nil
}
