package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
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

// BackgroundJobsLease is the lease a scheduler holds while it runs the
// background jobs, so that of two copies of the program on one data folder
// only one runs them.
const BackgroundJobsLease = "background-jobs"

// RunScheduler runs the background jobs until ctx is cancelled, checking
// every interval. While this copy of the program holds the lease
// BackgroundJobsLease, which it renews at every check with a lifetime of
// three intervals, it runs the billing jobs once per local date, delivers
// the outbox and writes the daily backup. Another copy on the same data
// folder waits, and takes over within three intervals when this one stops
// or crashes. A failed step is logged and tried again at the next check.
// On return the lease is released.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	sch := newScheduler(s, interval)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		sch.tick(ctx)
		select {
		case <-ctx.Done():
			sch.release()
			return
		case <-ticker.C:
		}
	}
}

// scheduler is the state of one RunScheduler loop.
type scheduler struct {
	svc    *Service
	holder string
	ttl    time.Duration
	outbox *OutboxWorker
	// held records whether the last check held the lease, so changes are
	// logged once.
	held bool
	// billedOn is the local date of the last successful billing run.
	billedOn string
}

func newScheduler(s *Service, interval time.Duration) *scheduler {
	w := NewOutboxWorker(s)
	w.Attach = s.InvoiceAttachment
	return &scheduler{svc: s, holder: leaseHolderID(), ttl: 3 * interval, outbox: w}
}

// leaseHolderID names this process in the lease: host, process id and a
// random part, so two schedulers never share a name.
func leaseHolderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// tick runs every job that is due while the lease is held, renewing it
// before each job so that a slow job does not let it expire. It reports
// whether the lease was held at the start.
func (j *scheduler) tick(ctx context.Context) bool {
	if !j.renew(ctx) {
		return false
	}
	if today := j.svc.Today().String(); today != j.billedOn {
		if err := j.svc.RunBillingJobs(ctx); err == nil {
			j.billedOn = today
		}
	}
	if j.renew(ctx) {
		j.outbox.runTick(ctx)
	}
	if j.renew(ctx) {
		_, _ = j.svc.RunDailyBackup(ctx)
	}
	return true
}

// renew takes or renews the lease and logs when it is gained or lost.
func (j *scheduler) renew(ctx context.Context) bool {
	held, err := j.svc.store.AcquireLease(ctx, BackgroundJobsLease, j.holder, j.ttl, j.svc.clock.Now())
	if err != nil {
		if ctx.Err() == nil {
			j.svc.log.Error("background jobs lease failed", "holder", j.holder, "err", err)
		}
		held = false
	}
	if held != j.held {
		if held {
			j.svc.log.Info("background jobs lease taken; this copy runs the jobs", "holder", j.holder)
		} else {
			j.svc.log.Info("background jobs lease lost; another copy runs the jobs", "holder", j.holder)
		}
	}
	j.held = held
	return held
}

// release gives the lease up, so another copy takes over at its next
// check instead of waiting for the lease to expire. It deletes the lease
// only if this scheduler holds it, so it is safe to call at any time.
func (j *scheduler) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := j.svc.store.ReleaseLease(ctx, BackgroundJobsLease, j.holder); err != nil {
		j.svc.log.Error("background jobs lease not released", "holder", j.holder, "err", err)
	}
	j.held = false
}
