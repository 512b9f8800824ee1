package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AcquireLease takes the lease called name for holder until now+ttl when
// it is free, expired or already held by holder, which renews it. It
// reports whether holder holds the lease afterwards. The check and the
// write are one statement in one immediate transaction, so of two
// processes asking at once exactly one gets a free lease. A holder that
// crashes stops renewing, and its lease expires by itself after ttl.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	if holder == "" {
		return false, fmt.Errorf("acquire lease %s: the holder is empty", name)
	}
	var held bool
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= ?`,
			name, holder, formatTime(now.Add(ttl)), formatTime(now))
		if err != nil {
			return fmt.Errorf("acquire lease %s: %w", name, err)
		}
		n, err := res.RowsAffected()
		held = n == 1
		return err
	})
	return held, err
}

// ReleaseLease gives up the lease called name if holder holds it, so
// another process can take it at once instead of waiting for it to expire.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM job_leases WHERE name = ? AND holder = ?`, name, holder)
		if err != nil {
			return fmt.Errorf("release lease %s: %w", name, err)
		}
		return nil
	})
}

// LeaseHolder returns the holder of the lease called name and when it
// expires, or ErrNotFound when no process has taken it.
func (s *Store) LeaseHolder(ctx context.Context, name string) (string, time.Time, error) {
	var holder, expires string
	err := s.ro.QueryRowContext(ctx, `SELECT holder, expires_at FROM job_leases WHERE name = ?`, name).
		Scan(&holder, &expires)
	if err == sql.ErrNoRows {
		return "", time.Time{}, fmt.Errorf("lease %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("read lease %s: %w", name, err)
	}
	at, err := parseTime(expires)
	return holder, at, err
}
