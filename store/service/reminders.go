package service

import (
	"context"
	"fmt"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// Reminder defaults, used when the settings hold zero or a negative value.
const (
	DefaultReminderQuietDays  = 7
	DefaultReminderDailyLimit = 450
)

// reminderBatch is the number of customers queued per transaction, so a
// long send neither holds the write lock for long nor loses finished
// batches when a later one fails.
const reminderBatch = 500

// ReminderResult counts what QueueReminders did with each customer.
type ReminderResult = store.ReminderCounts

// ReminderCandidates returns the current customers with an email address
// and an amount due that pass f, with the amount due and months pending
// per service and the time of their last reminder. Admin only.
func (s *Service) ReminderCandidates(ctx context.Context, sess Session, f store.ReminderFilter) ([]store.ReminderCandidate, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	var v validator
	if f.Service != "" {
		if _, err := billing.ParseService(string(f.Service)); err != nil {
			v.add("service", message.New("Choose a service: Cable TV, Broadband or both."))
		}
	}
	if f.MinMonthsPending < 0 {
		v.add("months_pending", message.New("Months pending {{.Months}} is invalid: enter 0 or more.",
			"Months", f.MinMonthsPending))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.store.ReminderCandidates(ctx, f)
}

// QueueReminders queues a payment reminder for each customer in crfs,
// naming the amount due and months pending of every service they owe for.
// A customer reminded within the quiet days of the settings (7 by default)
// is skipped unless force is set. Reminders queued since local midnight
// count against the daily limit (450 by default), and customers beyond it
// are held back and listed in the result, to be sent the next day.
// Customers are queued in batches, each in its own transaction, and
// progress, when not nil, is called after each batch. Admin only.
func (s *Service) QueueReminders(ctx context.Context, sess Session, crfs []int64, force bool, progress func(done, total int)) (ReminderResult, error) {
	var result ReminderResult
	if err := requireAdmin(sess); err != nil {
		return result, err
	}
	crfs = uniqueIDs(crfs)
	params, err := s.reminderParams(ctx, sess, force)
	if err != nil {
		return result, err
	}

	for done := 0; done < len(crfs); {
		batch := crfs[done:min(done+reminderBatch, len(crfs))]
		params.CRFs = batch
		params.Now = s.clock.Now()
		counts, err := s.store.QueueReminders(ctx, params)
		if err != nil {
			return result, fmt.Errorf("queue reminders after %d of %d customers: %w", done, len(crfs), err)
		}
		result.Add(counts)
		done += len(batch)
		if progress != nil {
			progress(done, len(crfs))
		}
	}
	s.log.Info("reminders queued", "user_id", sess.UserID, "customers", len(crfs), "queued", result.Queued,
		"skipped_recent", result.SkippedRecent, "held_back", result.HeldBack,
		"without_email", result.WithoutEmail, "nothing_due", result.NothingDue, "forced", force)
	return result, nil
}

// reminderParams reads the settings and the template once for every batch.
func (s *Service) reminderParams(ctx context.Context, sess Session, force bool) (store.QueueRemindersParams, error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return store.QueueRemindersParams{}, err
	}
	t, err := s.template(ctx, mailer.KindReminder)
	if err != nil {
		return store.QueueRemindersParams{}, err
	}
	lang := s.Language(ctx)
	quietDays := st.ReminderQuietDays
	if quietDays <= 0 {
		quietDays = DefaultReminderQuietDays
	}
	limit := st.ReminderDailyLimit
	if limit <= 0 {
		limit = DefaultReminderDailyLimit
	}

	now := s.clock.Now()
	return store.QueueRemindersParams{
		Force:      force,
		QuietSince: now.Add(-time.Duration(quietDays) * 24 * time.Hour),
		DayStart:   s.Today().Time(s.loc),
		DailyLimit: limit,
		Actor:      sess.Username,
		Compose: func(c store.ReminderCandidate) (store.OutboxMessage, error) {
			return renderEmail(t, mailer.KindReminder, c.Email, c.Name, reminderData(st, c, lang))
		},
	}, nil
}

// reminderData returns the values of a reminder email, with services and
// months in lang.
func reminderData(st store.Settings, c store.ReminderCandidate, lang billing.Language) mailer.ReminderData {
	lines := make([]mailer.ReminderLine, len(c.Lines))
	for i, l := range c.Lines {
		lines[i] = mailer.ReminderLine{Service: serviceName(l.Service, lang),
			AmountDue: l.AmountDue.Format(st.CurrencySymbol), MonthsPending: monthsIn(l.MonthsPending, lang)}
	}
	return mailer.ReminderData{Business: business(st), CustomerName: c.Name, CRF: c.CRF, Lines: lines,
		TotalDue: c.Total.Format(st.CurrencySymbol)}
}

// uniqueIDs returns ids without repeats, in their first order, so a
// customer selected twice gets one reminder.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
