package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ctvms/ctvms/billing/invoice"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// outboxClaim is how long a claimed message is hidden from other workers.
// It must outlast one delivery, which is bounded by the SMTP timeout per
// step and per write of the message.
// NOTE: a delivery slower than this (a huge attachment on a slow link) can
// be claimed and sent a second time by another worker.
const outboxClaim = 30 * time.Minute

// defaultOutboxBatch is the number of messages one RunOnce tries when
// OutboxWorker.BatchSize is zero.
const defaultOutboxBatch = 50

// maxBatchesPerTick bounds how many full batches Run delivers back to back
// before it waits for the next tick.
const maxBatchesPerTick = 20

// OutboxWorker delivers queued email through the SMTP server in the
// settings, with retries and backoff. Several workers, in one process or
// in two copies of the program, may run at once: each message is claimed
// in a transaction before it is sent, so it is sent once.
type OutboxWorker struct {
	// Attach loads the file attached to a message about an invoice,
	// normally the invoice PDF. While it is nil, such messages fail their
	// attempt and are retried later.
	Attach func(ctx context.Context, invoiceID int64) (mailer.Attachment, error)
	// BatchSize is the most messages one RunOnce tries; zero means 50.
	BatchSize int

	svc *Service

	mu sync.Mutex
	// paused is set while delivery is off because SMTP is not configured,
	// so that the reason is logged once and not on every run.
	paused bool
}

// NewOutboxWorker returns a worker that delivers the outbox of svc.
func NewOutboxWorker(svc *Service) *OutboxWorker {
	return &OutboxWorker{svc: svc}
}

// Run calls RunOnce at once and then every interval until ctx is done.
// After a full batch it runs again at once, up to 20 batches per tick.
func (w *OutboxWorker) Run(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		w.runTick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (w *OutboxWorker) runTick(ctx context.Context) {
	for range maxBatchesPerTick {
		sent, failed, err := w.RunOnce(ctx)
		if err != nil {
			if ctx.Err() == nil {
				w.svc.log.Error("outbox run failed", "sent", sent, "failed", failed, "err", err)
			}
			return
		}
		if sent+failed < w.batchSize() {
			return
		}
	}
}

func (w *OutboxWorker) batchSize() int {
	if w.BatchSize <= 0 {
		return defaultOutboxBatch
	}
	return w.BatchSize
}

// RunOnce tries every due queued message, up to BatchSize, and returns how
// many were sent and how many attempts failed. When SMTP is not configured
// or its settings are invalid, it sends nothing and every message stays
// queued. A failed attempt waits mailer.Backoff before the next one, and a
// permanent failure, such as a rejected recipient, marks the message
// failed. The error reports a database failure, not a delivery failure.
func (w *OutboxWorker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	st, err := w.svc.store.Settings(ctx)
	if err != nil {
		return 0, 0, err
	}
	settings := mailerSettings(st)
	if !w.deliveryOn(settings) {
		return 0, 0, nil
	}

	for range w.batchSize() {
		now := w.svc.clock.Now()
		claimed, err := w.svc.store.ClaimDueOutbox(ctx, now, now.Add(outboxClaim), 1)
		if err != nil || len(claimed) == 0 {
			return sent, failed, err
		}
		ok, err := w.deliver(ctx, settings, claimed[0])
		if err != nil {
			return sent, failed, err
		}
		if ok {
			sent++
		} else {
			failed++
		}
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
	}
	return sent, failed, nil
}

// deliveryOn reports whether settings allow sending, and logs when that
// changes, so a missing configuration is logged once and not every run.
func (w *OutboxWorker) deliveryOn(settings mailer.Settings) bool {
	var reason error
	switch {
	case !settings.Configured():
		reason = errors.New("SMTP host, port or sender address is not set")
	default:
		reason = settings.Validate()
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if reason != nil {
		if !w.paused {
			w.svc.log.Warn("outbox delivery paused: SMTP is not configured; email stays queued", "err", reason)
		}
		w.paused = true
		return false
	}
	if w.paused {
		w.svc.log.Info("outbox delivery resumed: SMTP is configured")
	}
	w.paused = false
	return true
}

// deliver sends one claimed message and records the outcome. It reports
// whether the message was sent. The error reports a failure to record the
// outcome.
func (w *OutboxWorker) deliver(ctx context.Context, settings mailer.Settings, m store.OutboxMessage) (bool, error) {
	sendErr := w.send(ctx, settings, m)
	// The outcome is recorded even when ctx ends now, because a sent
	// message left unrecorded would be sent again.
	record := context.WithoutCancel(ctx)
	if sendErr != nil && ctx.Err() != nil {
		// The program is stopping, so the failure is not the server's and
		// the message is released without counting an attempt.
		return false, w.svc.store.ReleaseOutboxClaim(record, m.ID, w.svc.clock.Now())
	}

	now := w.svc.clock.Now()
	attempt := m.Attempts + 1
	if sendErr == nil {
		if err := w.svc.store.MarkSent(record, m.ID, now); err != nil {
			w.svc.log.Error("email sent but not marked sent; it may be sent again", "outbox_id", m.ID,
				"kind", m.Kind, "err", err)
			return true, err
		}
		w.svc.log.Info("email sent", "outbox_id", m.ID, "kind", m.Kind, "attempt", attempt)
		return true, nil
	}

	// An invoice whose text the PDF font cannot draw fails the same way on
	// every attempt, so the message is marked failed instead of retried
	// for ever. The outbox screen shows the reason.
	permanent := mailer.Permanent(sendErr) || errors.Is(sendErr, invoice.ErrMissingGlyph)
	next := now.Add(mailer.Backoff(attempt))
	failure := store.AttemptFailure{Reason: sendErr.Error(), NextAttemptAt: next, Permanent: permanent}
	if encoded, ok := message.Encode(sendErr); ok {
		failure.ReasonMessage = string(encoded)
	}
	if err := w.svc.store.MarkAttemptFailed(record, m.ID, failure); err != nil {
		return false, err
	}
	w.svc.log.Warn("email attempt failed", "outbox_id", m.ID, "kind", m.Kind, "attempt", attempt,
		"permanent", permanent, "next_attempt_at", next, "err", sendErr)
	return false, nil
}

// send composes the message, with the invoice attached when it names one,
// and sends it.
func (w *OutboxWorker) send(ctx context.Context, settings mailer.Settings, m store.OutboxMessage) error {
	msg := mailer.Message{To: m.Recipient, ToName: m.RecipientName, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	if m.InvoiceID != 0 {
		if w.Attach == nil {
			return message.NewError("invoice {{.ID}} cannot be attached, because no invoice loader is set",
				"ID", m.InvoiceID)
		}
		a, err := w.Attach(ctx, m.InvoiceID)
		if err != nil {
			return message.WithCause(err, "attaching invoice {{.ID}} failed: {{.Reason}}",
				"ID", m.InvoiceID, "Reason", err)
		}
		msg.Attachments = []mailer.Attachment{a}
	}
	return mailer.Send(ctx, settings, msg)
}

// ListOutbox returns up to 500 messages in state, newest first. An empty
// state lists every state. Admin only.
func (s *Service) ListOutbox(ctx context.Context, sess Session, state string) ([]store.OutboxMessage, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	switch state {
	case "", store.OutboxQueued, store.OutboxSent, store.OutboxFailed:
	default:
		return nil, fmt.Errorf("outbox state %q is invalid: use %q, %q, %q or empty for all",
			state, store.OutboxQueued, store.OutboxSent, store.OutboxFailed)
	}
	return s.store.ListOutbox(ctx, store.OutboxFilter{State: state})
}

// RetryEmail queues a failed or queued message for delivery now. A sent
// message cannot be retried. Admin only.
func (s *Service) RetryEmail(ctx context.Context, sess Session, id int64) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	if err := s.store.RetryEmail(ctx, id, s.clock.Now(), sess.Username); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return message.WithCause(err, "email {{.ID}} cannot be retried: it does not exist or was already sent: "+
				"{{.Reason}}", "ID", id, "Reason", err)
		}
		return err
	}
	s.log.Info("email retry queued", "outbox_id", id, "user_id", sess.UserID)
	return nil
}
