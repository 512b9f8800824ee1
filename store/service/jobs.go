package service

import (
	"context"
	"time"
)

// RunBillingJobs runs the year updater, the billing run and the status
// updater in that order, catching up every day and year missed while the
// program was closed. Each step is logged with its duration and the rows it
// changed. Running it twice on one day changes nothing the second time.
func (s *Service) RunBillingJobs(ctx context.Context) error {
	clk, err := s.jobClock(ctx)
	if err != nil {
		return err
	}
	steps := []struct {
		name string
		run  func() (int64, error)
	}{
		{"year_updater", func() (int64, error) { return s.store.CreateYearPeriods(ctx, clk) }},
		{"billing_run", func() (int64, error) { return s.store.BillStartedPeriods(ctx, clk) }},
		{"status_updater", func() (int64, error) { return s.store.UpdateStatuses(ctx, clk) }},
	}
	for _, step := range steps {
		start := time.Now()
		s.log.Info("job start", "job", step.name, "today", clk.Today.String())
		rows, err := step.run()
		if err != nil {
			s.log.Error("job failed", "job", step.name, "err", err)
			return err
		}
		s.log.Info("job end", "job", step.name, "rows_changed", rows,
			"duration_ms", time.Since(start).Milliseconds())
	}
	return nil
}

// RunScheduler runs the billing jobs now and then again whenever the local
// date changes, checking every interval, until ctx is cancelled. A failed
// run is logged and tried again at the next check.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	lastRun := ""
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if today := s.Today().String(); today != lastRun {
			if err := s.RunBillingJobs(ctx); err == nil {
				lastRun = today
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
