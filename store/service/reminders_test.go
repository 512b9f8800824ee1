package service

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// addDebtor adds a customer with a cable TV connection activated today,
// so its first month is due.
func (e *env) addDebtor(name string, plan int64) NewCustomer {
	e.t.Helper()
	nc := e.addCustomer(name)
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	return nc
}

// moveToDate moves the clock to 10:00 local time on d and runs the
// billing jobs, as the ticker does.
func (e *env) moveToDate(d billing.Date) {
	e.t.Helper()
	e.clock.SetDate(d)
	if err := e.svc.RunBillingJobs(e.ctx); err != nil {
		e.t.Fatalf("billing jobs on %s: %v", d, err)
	}
}

func (e *env) queueReminders(crfs []int64, force bool) ReminderResult {
	e.t.Helper()
	result, err := e.svc.QueueReminders(e.ctx, e.admin, crfs, force, nil)
	if err != nil {
		e.t.Fatalf("QueueReminders: %v", err)
	}
	return result
}

func (e *env) setReminderLimits(dailyLimit, quietDays int) {
	e.t.Helper()
	st, err := e.store.Settings(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	st.ReminderDailyLimit = dailyLimit
	st.ReminderQuietDays = quietDays
	if err := e.store.SaveSettings(e.ctx, "admin", st); err != nil {
		e.t.Fatal(err)
	}
}

// reminders returns the queued and sent reminder emails, newest first.
func (e *env) reminders() []store.OutboxMessage {
	e.t.Helper()
	list, err := e.svc.ListOutbox(e.ctx, e.admin, "")
	if err != nil {
		e.t.Fatal(err)
	}
	var out []store.OutboxMessage
	for _, m := range list {
		if m.Kind == string(mailer.KindReminder) {
			out = append(out, m)
		}
	}
	return out
}

func TestReminderNamesMonthsAcrossYears(t *testing.T) {
	e := newEnv(t)
	cable := e.addPlan(billing.ServiceCableTV, "Family Pack", "350")
	broadband := e.addPlan(billing.ServiceBroadband, "Fiber 100", "599")
	nc := e.addDebtor("Anitha Menon", cable)
	e.moveToDate(billing.NewDate(2027, time.January, 5))
	e.connect(nc.CRF, billing.ServiceBroadband, broadband, e.svc.Today())

	candidates, err := e.svc.ReminderCandidates(e.ctx, e.admin, store.ReminderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(candidates) != 1 {
		t.Fatalf("candidates = %d, want 1", len(candidates))
	}
	c := candidates[0]
	if len(c.Lines) != 2 {
		t.Fatalf("lines = %+v, want cable TV and broadband", c.Lines)
	}
	if l := c.Lines[0]; l.Service != billing.ServiceCableTV || l.AmountDue != 70000 || l.MonthsLabel() != "Dec 2026, Jan 2027" {
		t.Errorf("cable TV line = %+v, want ₹700.00 for Dec 2026, Jan 2027", l)
	}
	if l := c.Lines[1]; l.Service != billing.ServiceBroadband || l.AmountDue != 59900 || l.MonthsLabel() != "Jan 2027" {
		t.Errorf("broadband line = %+v, want ₹599.00 for Jan 2027", l)
	}
	if c.Total != 129900 || !c.LastReminder.IsZero() {
		t.Errorf("total %d, last reminder %v; want 129900 and never", c.Total, c.LastReminder)
	}

	result := e.queueReminders([]int64{nc.CRF}, false)
	if result.Queued != 1 {
		t.Fatalf("result = %+v, want 1 queued", result)
	}
	sent := e.reminders()
	if len(sent) != 1 {
		t.Fatalf("reminder emails = %d, want 1", len(sent))
	}
	m := sent[0]
	if m.CustomerCRF != nc.CRF || m.Recipient == "" {
		t.Errorf("reminder is for customer %d at %q, want %d", m.CustomerCRF, m.Recipient, nc.CRF)
	}
	for _, want := range []string{"Anitha Menon", "Cable TV", "₹700.00", "Dec 2026, Jan 2027",
		"Broadband", "₹599.00", "₹1,299.00"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text body lacks %q", want)
		}
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML body lacks %q", want)
		}
	}

	candidates, _ = e.svc.ReminderCandidates(e.ctx, e.admin, store.ReminderFilter{})
	if len(candidates) != 1 || !candidates[0].LastReminder.Equal(e.clock.Now()) {
		t.Errorf("last reminder = %v, want %v", candidates[0].LastReminder, e.clock.Now())
	}
}

func TestReminderCandidatesFilter(t *testing.T) {
	e := newEnv(t)
	cable := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	broadband := e.addPlan(billing.ServiceBroadband, "Fiber", "500")
	twoMonths := e.addDebtor("Two Months Cable", cable)
	e.moveToDate(billing.NewDate(2027, time.January, 5))
	oneMonth := e.addCustomer("One Month Broadband")
	e.connect(oneMonth.CRF, billing.ServiceBroadband, broadband, e.svc.Today())
	noEmail, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "No Email",
		Mobile: "9000000001", City: "Pune"})
	if err != nil {
		t.Fatal(err)
	}
	e.connect(noEmail.CRF, billing.ServiceCableTV, cable, e.svc.Today())
	e.addCustomer("Owes Nothing")

	tests := []struct {
		name   string
		filter store.ReminderFilter
		want   []int64
	}{
		{"all", store.ReminderFilter{}, []int64{twoMonths.CRF, oneMonth.CRF}},
		{"cable TV", store.ReminderFilter{Service: billing.ServiceCableTV}, []int64{twoMonths.CRF}},
		{"broadband", store.ReminderFilter{Service: billing.ServiceBroadband}, []int64{oneMonth.CRF}},
		{"two months", store.ReminderFilter{MinMonthsPending: 2}, []int64{twoMonths.CRF}},
		{"broadband two months", store.ReminderFilter{Service: billing.ServiceBroadband, MinMonthsPending: 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.svc.ReminderCandidates(e.ctx, e.admin, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var crfs []int64
			for _, c := range got {
				crfs = append(crfs, c.CRF)
			}
			if fmt.Sprint(crfs) != fmt.Sprint(tt.want) {
				t.Errorf("candidates = %v, want %v", crfs, tt.want)
			}
		})
	}

	if _, err := e.svc.ReminderCandidates(e.ctx, e.admin, store.ReminderFilter{Service: "radio"}); err == nil {
		t.Error("an unknown service was accepted")
	}
	result := e.queueReminders([]int64{noEmail.CRF}, false)
	if result.WithoutEmail != 1 || result.Queued != 0 {
		t.Errorf("result for a customer without email = %+v, want 1 without email", result)
	}
}

func TestRemindersSkipRecentUnlessForced(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addDebtor("Asha Rao", plan)
	crfs := []int64{nc.CRF}

	if r := e.queueReminders(crfs, false); r.Queued != 1 {
		t.Fatalf("first reminder: %+v, want 1 queued", r)
	}
	e.clock.Add(6*24*time.Hour + 23*time.Hour)
	if r := e.queueReminders(crfs, false); r.SkippedRecent != 1 || r.Queued != 0 {
		t.Errorf("reminder after 6 days 23 hours: %+v, want 1 skipped recent", r)
	}
	if r := e.queueReminders(crfs, true); r.Queued != 1 || r.SkippedRecent != 0 {
		t.Errorf("forced reminder: %+v, want 1 queued", r)
	}
	e.clock.Add(7*24*time.Hour + time.Minute)
	if r := e.queueReminders(crfs, false); r.Queued != 1 {
		t.Errorf("reminder 7 days after the forced one: %+v, want 1 queued", r)
	}
	if n := len(e.reminders()); n != 3 {
		t.Errorf("reminder emails = %d, want 3", n)
	}
}

func TestRemindersOnceForANumberGivenTwice(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	asha := e.addDebtor("Asha Rao", plan)
	ravi := e.addDebtor("Ravi Kumar", plan)
	r := e.queueReminders([]int64{asha.CRF, ravi.CRF, asha.CRF, 999999}, false)
	if r.Queued != 2 || r.NothingDue != 1 {
		t.Errorf("result = %+v, want 2 queued and 1 unknown", r)
	}
	if n := len(e.reminders()); n != 2 {
		t.Errorf("reminder emails = %d, want 2", n)
	}
}

func TestRemindersRespectDailyLimit(t *testing.T) {
	e := newEnv(t)
	e.setReminderLimits(3, 7)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	var crfs []int64
	for i := range 5 {
		crfs = append(crfs, e.addDebtor(fmt.Sprintf("Customer %d", i), plan).CRF)
	}

	first := e.queueReminders(crfs, false)
	if first.Queued != 3 || first.HeldBack != 2 {
		t.Fatalf("first day: %+v, want 3 queued and 2 held back", first)
	}
	if fmt.Sprint(first.HeldBackCRFs) != fmt.Sprint(crfs[3:]) {
		t.Errorf("held back = %v, want %v", first.HeldBackCRFs, crfs[3:])
	}
	today := e.svc.Today()
	e.clock.Set(time.Date(today.Year, today.Month, today.Day, 23, 59, 0, 0, testLocation))
	if again := e.queueReminders(first.HeldBackCRFs, false); again.Queued != 0 || again.HeldBack != 2 {
		t.Errorf("same day again: %+v, want 2 held back", again)
	}

	// Half past midnight local time is still the previous day in UTC, so
	// this checks that the day starts at local midnight.
	tomorrow := today.AddDays(1)
	e.clock.Set(time.Date(tomorrow.Year, tomorrow.Month, tomorrow.Day, 0, 30, 0, 0, testLocation))
	next := e.queueReminders(crfs, false)
	if next.Queued != 2 || next.SkippedRecent != 3 || next.HeldBack != 0 {
		t.Errorf("next day: %+v, want the 2 held back queued and 3 skipped recent", next)
	}
	if n := len(e.reminders()); n != 5 {
		t.Errorf("reminder emails = %d, want 5", n)
	}
}

func TestQueueRemindersReportsProgress(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	crfs := []int64{e.addDebtor("Asha Rao", plan).CRF, e.addDebtor("Vikram Shah", plan).CRF}
	// Unknown CRF numbers fill three batches without adding customers.
	for i := range 2*reminderBatch + 3 {
		crfs = append(crfs, int64(900000+i))
	}

	var calls [][2]int
	result, err := e.svc.QueueReminders(e.ctx, e.admin, crfs, false, func(done, total int) {
		calls = append(calls, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	total := len(crfs)
	want := [][2]int{{reminderBatch, total}, {2 * reminderBatch, total}, {total, total}}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("progress calls = %v, want %v", calls, want)
	}
	if result.Queued != 2 || result.NothingDue != total-2 {
		t.Errorf("result = %+v, want 2 queued and %d with nothing due", result, total-2)
	}
}

func TestRemindersAdminOnly(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Asha Rao")
	customer := e.loginCustomer(nc)
	if _, err := e.svc.ReminderCandidates(e.ctx, customer, store.ReminderFilter{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("ReminderCandidates as customer: err = %v, want ErrForbidden", err)
	}
	if _, err := e.svc.QueueReminders(e.ctx, customer, []int64{nc.CRF}, true, nil); !errors.Is(err, ErrForbidden) {
		t.Errorf("QueueReminders as customer: err = %v, want ErrForbidden", err)
	}
}
