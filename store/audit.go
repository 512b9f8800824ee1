package store

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    string // username, or "system" for background jobs
	Action   string // dotted verb such as "customer.create"
	Entity   string
	EntityID string
	Details  string
}

// insertAudit writes e inside the caller's transaction, so the log and the
// change it describes commit together. A zero At means now.
func insertAudit(ctx context.Context, q queryer, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, details)
		VALUES (?, ?, ?, ?, ?, ?)`, formatTime(e.At), e.Actor, e.Action, e.Entity, e.EntityID, e.Details)
	if err != nil {
		return fmt.Errorf("write audit log %s: %w", e.Action, err)
	}
	return nil
}

// AuditFilter narrows ListAudit. Zero fields match everything.
type AuditFilter struct {
	Actor  string
	Action string
	From   time.Time
	To     time.Time
	Limit  int
}

// ListAudit returns audit rows, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	to := f.To
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT id, at, actor, action, entity, entity_id, details
		FROM audit_log
		WHERE (? = '' OR actor = ?) AND (? = '' OR action LIKE ? || '%' ESCAPE '\')
		  AND at >= ? AND at < ?
		ORDER BY id DESC LIMIT ?`,
		f.Actor, f.Actor, f.Action, escapeLike(f.Action), formatTime(f.From), formatTime(to), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Details); err != nil {
			return nil, fmt.Errorf("list audit log: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
