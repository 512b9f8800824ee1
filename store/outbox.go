package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Outbox message states.
const (
	OutboxQueued = "queued"
	OutboxSent   = "sent"
	OutboxFailed = "failed"
)

// OutboxMessage is an email waiting for, or past, delivery.
type OutboxMessage struct {
	ID            int64
	Kind          string
	CustomerCRF   int64 // zero when the message is not about a customer
	Recipient     string
	RecipientName string
	Subject       string
	Text          string
	HTML          string
	InvoiceID     int64 // invoice whose PDF is attached, or zero
	State         string
	Attempts      int
	// LastError is the reason the last attempt failed, in English.
	LastError string
	// LastErrorMessage is the same reason as JSON from message.Encode, for
	// showing it in the language of the screen. It is empty when the
	// reason is not a message, and in rows written before the column.
	LastErrorMessage string
	NextAttemptAt    time.Time
	CreatedAt        time.Time
	SentAt           time.Time
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// insertOutbox queues m inside the caller's transaction, so the message
// exists exactly when the event that caused it has committed.
func insertOutbox(ctx context.Context, tx *sql.Tx, m OutboxMessage, now time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, customer_crf, recipient, recipient_name,
		subject, body_text, body_html, invoice_id, state, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
		m.Kind, nullID(m.CustomerCRF), m.Recipient, m.RecipientName, m.Subject, m.Text, m.HTML,
		nullID(m.InvoiceID), formatTime(now), formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("queue %s email: %w", m.Kind, err)
	}
	return res.LastInsertId()
}

// QueueEmail queues one message on its own.
func (s *Store) QueueEmail(ctx context.Context, m OutboxMessage, now time.Time) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertOutbox(ctx, tx, m, now)
		return err
	})
	return id, err
}

const outboxColumns = `id, kind, COALESCE(customer_crf, 0), recipient, recipient_name, subject,
	body_text, body_html, COALESCE(invoice_id, 0), state, attempts, last_error, last_error_message,
	next_attempt_at, created_at, sent_at`

func scanOutbox(row interface{ Scan(...any) error }) (OutboxMessage, error) {
	var m OutboxMessage
	var next, created string
	var sent sql.NullString
	err := row.Scan(&m.ID, &m.Kind, &m.CustomerCRF, &m.Recipient, &m.RecipientName, &m.Subject,
		&m.Text, &m.HTML, &m.InvoiceID, &m.State, &m.Attempts, &m.LastError, &m.LastErrorMessage, &next, &created, &sent)
	if err != nil {
		return m, err
	}
	if m.NextAttemptAt, err = parseTime(next); err != nil {
		return m, err
	}
	if m.CreatedAt, err = parseTime(created); err != nil {
		return m, err
	}
	m.SentAt, err = parseNullTime(sent)
	return m, err
}

// OutboxFilter narrows ListOutbox; an empty State matches every state.
type OutboxFilter struct {
	State string
	Limit int
}

// ListOutbox returns messages, newest first.
func (s *Store) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := s.ro.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE (? = '' OR state = ?) ORDER BY id DESC LIMIT ?`, f.State, f.State, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueOutbox returns queued messages whose next attempt time has come,
// oldest first.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?`, formatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("list queued email: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("list queued email: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ClaimDueOutbox returns up to limit queued messages whose next attempt
// time has come, oldest first, and in the same transaction moves their next
// attempt time to until. Another worker, in this process or in a second
// copy of the program, therefore skips them until the claim ends with
// MarkSent or MarkAttemptFailed, or until passes when the claiming worker
// stopped before either.
func (s *Store) ClaimDueOutbox(ctx context.Context, now, until time.Time, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET next_attempt_at = ?
			WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?
				ORDER BY id LIMIT ?)
			RETURNING `+outboxColumns, formatTime(until), formatTime(now), limit)
		if err != nil {
			return fmt.Errorf("claim queued email: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				return fmt.Errorf("claim queued email: %w", err)
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives rows in no defined order.
	slices.SortFunc(out, func(a, b OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// ReleaseOutboxClaim makes a claimed message due at now again without
// counting an attempt, for a worker that stops before it could try.
func (s *Store) ReleaseOutboxClaim(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'queued'`,
		formatTime(now), id)
	if err != nil {
		return fmt.Errorf("release claim on email %d: %w", id, err)
	}
	return nil
}

// OutboxMessageByID returns one message.
func (s *Store) OutboxMessageByID(ctx context.Context, id int64) (OutboxMessage, error) {
	m, err := scanOutbox(s.ro.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("outbox message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("get outbox message %d: %w", id, err)
	}
	return m, nil
}

// MarkSent records a delivery. Only a queued message changes, so two
// workers can never both mark it. The bodies of welcome and OTP emails are
// erased once delivered, so the database keeps no plain-text password or
// one-time code.
func (s *Store) MarkSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,
		last_error = '', last_error_message = '',
		body_text = CASE WHEN kind IN ('welcome', 'otp') THEN '(erased after delivery)' ELSE body_text END,
		body_html = CASE WHEN kind IN ('welcome', 'otp') THEN '(erased after delivery)' ELSE body_html END
		WHERE id = ? AND state = 'queued'`, formatTime(now), id)
	if err != nil {
		return fmt.Errorf("mark email %d sent: %w", id, err)
	}
	return nil
}

// AttemptFailure is the outcome of a failed delivery attempt.
type AttemptFailure struct {
	// Reason is the error in English.
	Reason string
	// ReasonMessage is the error as JSON from message.Encode, or empty
	// when the error holds no message.
	ReasonMessage string
	// NextAttemptAt is when a message that stays queued is tried again.
	NextAttemptAt time.Time
	// Permanent marks the message failed instead of queued.
	Permanent bool
}

// MarkAttemptFailed records a failed delivery: the message stays queued
// until f.NextAttemptAt, or becomes failed when f.Permanent is set.
func (s *Store) MarkAttemptFailed(ctx context.Context, id int64, f AttemptFailure) error {
	state := OutboxQueued
	if f.Permanent {
		state = OutboxFailed
	}
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?,
		last_error_message = ?, next_attempt_at = ? WHERE id = ? AND state = 'queued'`,
		state, f.Reason, f.ReasonMessage, formatTime(f.NextAttemptAt), id)
	if err != nil {
		return fmt.Errorf("record failed attempt of email %d: %w", id, err)
	}
	return nil
}

// RetryEmail puts a failed or queued message back in the queue for delivery
// at now.
func (s *Store) RetryEmail(ctx context.Context, id int64, now time.Time, actor string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ?
			WHERE id = ? AND state <> 'sent'`, formatTime(now), id)
		if err := requireOneRow(res, err, "retry email", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "email.retry",
			Entity: "outbox", EntityID: fmt.Sprint(id)})
	})
}
