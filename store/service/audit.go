package service

import (
	"context"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// Bounds of one audit log page.
const (
	DefaultAuditLimit = 1000
	MaxAuditLimit     = 10000
)

// AuditQuery is the audit log screen's filter as typed. Empty fields match
// everything.
type AuditQuery struct {
	// Actor is a username, or "system" for background jobs, matched
	// exactly.
	Actor string
	// ActionPrefix matches actions that start with it, such as "payment."
	// or "customer.create". Wildcard characters match themselves.
	ActionPrefix string
	// From and To are local dates as YYYY-MM-DD. Both days are included.
	From string
	To   string
	// Limit is the most rows returned: DefaultAuditLimit when zero, at
	// most MaxAuditLimit.
	Limit int
}

// AuditLog returns the audit rows that match q, newest first. Invalid
// dates return FieldErrors with the fields from and to. Admin only.
func (s *Service) AuditLog(ctx context.Context, sess Session, q AuditQuery) ([]store.AuditEntry, error) {
	if err := requireAdmin(sess); err != nil {
		return nil, err
	}
	var v validator
	from := v.date("from", message.New("From date"), q.From, billing.Date{})
	to := v.date("to", message.New("To date"), q.To, billing.Date{})
	if err := v.err(); err != nil {
		return nil, err
	}
	f := store.AuditFilter{Actor: strings.TrimSpace(q.Actor), Action: strings.TrimSpace(q.ActionPrefix),
		Limit: q.Limit}
	if f.Limit <= 0 {
		f.Limit = DefaultAuditLimit
	}
	f.Limit = min(f.Limit, MaxAuditLimit)
	if from != "" {
		f.From = s.startOfDay(from, 0)
	}
	if to != "" {
		// The filter's end is exclusive, so the To day ends where the next
		// day starts.
		f.To = s.startOfDay(to, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.add("to", message.New("To date {{.To}} is before From date {{.From}}; swap them.", "To", to, "From", from))
		return nil, v.err()
	}
	return s.store.ListAudit(ctx, f)
}

// startOfDay returns the instant the local date text, plus days, starts.
// text has been checked by the validator.
func (s *Service) startOfDay(text string, days int) time.Time {
	d, _ := billing.ParseDate(text)
	return d.AddDays(days).Time(s.loc)
}
