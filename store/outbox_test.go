package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// queueTestEmail queues a reminder to to and returns its id.
func queueTestEmail(t *testing.T, s *Store, to string, now time.Time) int64 {
	t.Helper()
	id, err := s.QueueEmail(context.Background(), OutboxMessage{Kind: "reminder", Recipient: to,
		Subject: "Reminder", Text: "Please pay"}, now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMarkAttemptFailedStoresMessage(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	id := queueTestEmail(t, s, "asha@example.com", now)

	failure := AttemptFailure{Reason: "connecting to 127.0.0.1:25 failed: connection refused",
		ReasonMessage: `{"key":"connecting failed"}`, NextAttemptAt: now.Add(time.Minute)}
	if err := s.MarkAttemptFailed(ctx, id, failure); err != nil {
		t.Fatal(err)
	}
	m, err := s.OutboxMessageByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != OutboxQueued {
		t.Errorf("state = %s, want queued", m.State)
	}
	if m.LastError != failure.Reason {
		t.Errorf("last error = %q, want %q", m.LastError, failure.Reason)
	}
	if m.LastErrorMessage != failure.ReasonMessage {
		t.Errorf("last error message = %q, want %q", m.LastErrorMessage, failure.ReasonMessage)
	}
	if !m.NextAttemptAt.Equal(failure.NextAttemptAt) {
		t.Errorf("next attempt = %v, want %v", m.NextAttemptAt, failure.NextAttemptAt)
	}

	if err := s.MarkSent(ctx, id, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	m, err = s.OutboxMessageByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.LastError != "" {
		t.Errorf("last error after delivery = %q, want empty", m.LastError)
	}
	if m.LastErrorMessage != "" {
		t.Errorf("last error message after delivery = %q, want empty", m.LastErrorMessage)
	}
}

func TestMarkAttemptFailedPermanent(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	id := queueTestEmail(t, s, "asha@example.com", now)

	err := s.MarkAttemptFailed(ctx, id, AttemptFailure{Reason: "550 No such user", Permanent: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.OutboxMessageByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != OutboxFailed {
		t.Errorf("state = %s, want failed", m.State)
	}
	if m.LastErrorMessage != "" {
		t.Errorf("last error message = %q, want empty for a reason without a message", m.LastErrorMessage)
	}
}

// TestOutboxErrorMessageMigration opens a database as it was before the
// last_error_message column, with a failed email in it, and checks that
// the migration keeps the row and its English reason.
func TestOutboxErrorMessageMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DatabaseFile)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	id := queueTestEmail(t, s, "asha@example.com", now)
	s.Close()

	err = rawExec(path, `ALTER TABLE outbox DROP COLUMN last_error_message;
		DELETE FROM schema_migrations WHERE name = '0009_outbox_error_message.sql';
		UPDATE outbox SET state = 'failed', attempts = 1, last_error = '550 No such user'`)
	if err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("open the older database: %v", err)
	}
	defer s.Close()
	m, err := s.OutboxMessageByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.LastError != "550 No such user" {
		t.Errorf("last error = %q, want the stored English reason", m.LastError)
	}
	if m.LastErrorMessage != "" {
		t.Errorf("last error message = %q, want empty", m.LastErrorMessage)
	}
}
