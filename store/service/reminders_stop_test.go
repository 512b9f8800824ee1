package service

import (
	"context"
	"errors"
	"testing"

	"github.com/ctvms/ctvms/billing"
)

func TestQueueRemindersStopsWhenCancelled(t *testing.T) {
	e := newEnv(t)
	e.setReminderLimits(2*reminderBatch, DefaultReminderQuietDays)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	var crfs []int64
	for range reminderBatch + 20 {
		nc := e.addCustomer("Owing Customer")
		e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
		crfs = append(crfs, nc.CRF)
	}

	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	calls := 0
	result, err := e.svc.QueueReminders(ctx, e.admin, crfs, false, func(done, total int) {
		calls++
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("progress called %d times after the stop, want 1", calls)
	}
	if result.Queued != reminderBatch {
		t.Errorf("queued %d before the stop, want the first batch of %d", result.Queued, reminderBatch)
	}
}
