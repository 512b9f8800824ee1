package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EmailTemplate is an admin's edited version of one kind of email.
type EmailTemplate struct {
	Kind      string
	Subject   string
	Text      string
	HTML      string
	UpdatedAt time.Time
}

// EmailTemplate returns the edited template of a kind, or ErrNotFound when
// the built-in default is in use.
func (s *Store) EmailTemplate(ctx context.Context, kind string) (EmailTemplate, error) {
	return getEmailTemplate(ctx, s.ro, kind)
}

func getEmailTemplate(ctx context.Context, q queryer, kind string) (EmailTemplate, error) {
	t := EmailTemplate{Kind: kind}
	var updated string
	err := q.QueryRowContext(ctx, `SELECT subject, body_text, body_html, updated_at FROM email_templates
		WHERE kind = ?`, kind).Scan(&t.Subject, &t.Text, &t.HTML, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("email template %s: %w", kind, ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("get email template %s: %w", kind, err)
	}
	t.UpdatedAt, err = parseTime(updated)
	return t, err
}

// SaveEmailTemplate stores an edited template.
func (s *Store) SaveEmailTemplate(ctx context.Context, t EmailTemplate, actor string, now time.Time) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO email_templates (kind, subject, body_text, body_html, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind) DO UPDATE SET subject = excluded.subject,
			body_text = excluded.body_text, body_html = excluded.body_html, updated_at = excluded.updated_at`,
			t.Kind, t.Subject, t.Text, t.HTML, formatTime(now))
		if err != nil {
			return fmt.Errorf("save email template %s: %w", t.Kind, err)
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "email_template.update",
			Entity: "email_template", EntityID: t.Kind})
	})
}

// ResetEmailTemplate removes an edited template so the default applies.
func (s *Store) ResetEmailTemplate(ctx context.Context, kind, actor string, now time.Time) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM email_templates WHERE kind = ?`, kind); err != nil {
			return fmt.Errorf("reset email template %s: %w", kind, err)
		}
		return insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "email_template.reset",
			Entity: "email_template", EntityID: kind})
	})
}
