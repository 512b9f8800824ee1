package service

import (
	"context"
	"strings"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// maxWaiveReason is the longest write-off reason, in characters.
const maxWaiveReason = 200

// WaivePeriod writes off a due or partly paid period with a reason, then
// recomputes the connection's expiry and status. The reason is required so
// that the payment-details screen and the audit log can show why the
// amount is no longer owed. Admin only.
func (s *Service) WaivePeriod(ctx context.Context, sess Session, periodID int64, reason string) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}

	var v validator
	reason = strings.TrimSpace(reason)
	v.required("reason", message.New("Reason"), reason)
	v.maxLen("reason", message.New("Reason"), reason, maxWaiveReason)
	v.noControl("reason", message.New("Reason"), reason)
	if err := v.err(); err != nil {
		return err
	}

	clk, err := s.jobClock(ctx)
	if err != nil {
		return err
	}
	err = s.store.WaivePeriod(ctx, store.WaiveParams{PeriodID: periodID, Reason: reason,
		Clock: clk, Actor: sess.Username})
	if err != nil {
		return err
	}
	s.log.Info("period waived", "period_id", periodID, "actor", sess.Username)
	return nil
}
