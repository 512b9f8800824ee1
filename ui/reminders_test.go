package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// addTwoDebtors adds a customer who owes for Dec 2026 and Jan 2027 and one
// who owes for Jan 2027, and leaves the clock on 5 Jan 2027.
func (e *uiEnv) addTwoDebtors() {
	e.t.Helper()
	e.addConnectedCustomer("Anitha Menon", "350")
	e.clock.now = time.Date(2027, time.January, 5, 10, 0, 0, 0, time.Local)
	if err := e.svc.RunBillingJobs(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.addConnectedCustomer("Ravi Kumar", "300")
}

// addSampleDebtors adds customers with their own mobile numbers and
// email addresses, each with a cable TV connection activated today, for
// screenshots.
func (e *uiEnv) addSampleDebtors(names ...string) {
	e.t.Helper()
	ctx := context.Background()
	admin := e.adminSession()
	plan, err := e.svc.CreatePlan(ctx, admin, service.PlanInput{Service: billing.ServiceCableTV,
		Name: fmt.Sprintf("Family Pack %d", e.clock.now.Month()), Price: "350", Active: true})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, name := range names {
		first := strings.ToLower(strings.Fields(name)[0])
		nc, err := e.svc.CreateCustomer(ctx, admin, store.CustomerParams{Name: name,
			Mobile: fmt.Sprintf("98%08d", len(first)*1000+int(first[0])), Email: first + "@example.com"})
		if err != nil {
			e.t.Fatal(err)
		}
		_, err = e.svc.Connect(ctx, admin, nc.CRF, service.ConnectInput{Service: billing.ServiceCableTV, PlanID: plan})
		if err != nil {
			e.t.Fatal(err)
		}
	}
}

// openReminders logs the admin in and opens the Reminders screen.
func (e *uiEnv) openReminders() *remindersScreen {
	e.t.Helper()
	e.login("admin", testAdminPassword)
	if !e.root.admin.nav.openTitle("Reminders") {
		e.t.Fatal("no Reminders page")
	}
	return e.root.admin.reminders
}

// sendToAll taps Send to all, confirms, waits for the queueing to end and
// returns the summary dialog's text.
func (e *uiEnv) sendToAll(s *remindersScreen) string {
	e.t.Helper()
	test.Tap(s.sendAll)
	test.Tap(findButton(e.t, overlayContent(e.t, e.win), "Yes"))
	s.work.Wait()
	summary := strings.Join(texts(overlayContent(e.t, e.win)), "\n")
	test.Tap(findButton(e.t, overlayContent(e.t, e.win), "Close"))
	return summary
}

func TestRemindersSendToAll(t *testing.T) {
	e := newUIEnv(t)
	e.addTwoDebtors()
	s := e.openReminders()

	if len(s.candidates) != 2 {
		t.Fatalf("candidates = %d, want 2", len(s.candidates))
	}
	first := s.candidates[0]
	if got := s.cellText(first, 4); got != "₹700.00 (Dec 2026, Jan 2027)" {
		t.Errorf("cable TV due of %s = %q, want ₹700.00 (Dec 2026, Jan 2027)", first.Name, got)
	}
	if got := s.cellText(first, 5); got != "—" {
		t.Errorf("broadband due of %s = %q, want a dash", first.Name, got)
	}
	if got := s.cellText(first, 6); got != "₹700.00" {
		t.Errorf("total of %s = %q, want ₹700.00", first.Name, got)
	}
	if got := s.cellText(first, 7); got != "never" {
		t.Errorf("last reminded = %q, want never", got)
	}

	summary := e.sendToAll(s)
	if !strings.Contains(summary, "Queued: 2") {
		t.Errorf("summary after the first send:\n%s\nwant Queued: 2", summary)
	}
	if n := len(e.outbox(mailer.KindReminder)); n != 2 {
		t.Errorf("reminder emails = %d, want 2", n)
	}
	if got := s.cellText(s.candidates[0], 7); got != "05 Jan 2027 10:00" {
		t.Errorf("last reminded after sending = %q, want 05 Jan 2027 10:00", got)
	}
	if s.progress.Visible() {
		t.Error("progress bar still shown after sending")
	}

	summary = e.sendToAll(s)
	if !strings.Contains(summary, "Queued: 0") || !strings.Contains(summary, "reminded recently: 2") {
		t.Errorf("summary of a repeated send without Force:\n%s\nwant 0 queued and 2 skipped", summary)
	}
	if n := len(e.outbox(mailer.KindReminder)); n != 2 {
		t.Errorf("reminder emails after the repeated send = %d, want still 2", n)
	}

	s.force.SetChecked(true)
	summary = e.sendToAll(s)
	if !strings.Contains(summary, "Queued: 2") {
		t.Errorf("summary of a forced send:\n%s\nwant Queued: 2", summary)
	}
}

func TestRemindersSendToSelected(t *testing.T) {
	e := newUIEnv(t)
	e.addTwoDebtors()
	s := e.openReminders()

	if !s.sendChosen.Disabled() {
		t.Error("Send to selected is enabled with nobody selected")
	}
	s.onSelectAll()
	if len(s.chosen) != 2 {
		t.Errorf("selected after Select all = %d, want 2", len(s.chosen))
	}
	s.onSelectNone()
	s.choose(s.candidates[1].CRF, true)
	test.Tap(s.sendChosen)
	test.Tap(findButton(t, overlayContent(t, e.win), "Yes"))
	s.work.Wait()

	reminders := e.outbox(mailer.KindReminder)
	if len(reminders) != 1 || reminders[0].CustomerCRF != s.candidates[1].CRF {
		t.Fatalf("reminders = %+v, want one to CRF %d", reminders, s.candidates[1].CRF)
	}
	if !strings.Contains(reminders[0].Text, "Jan 2027") {
		t.Error("reminder text lacks the month pending")
	}
}

func TestRemindersFilterByMonths(t *testing.T) {
	e := newUIEnv(t)
	e.addTwoDebtors()
	s := e.openReminders()
	s.months.SetSelected("2")
	if len(s.candidates) != 1 || s.candidates[0].Name != "Anitha Menon" {
		t.Errorf("candidates with 2 months pending = %+v, want Anitha Menon only", s.candidates)
	}
	s.service.SetSelected("Broadband")
	if len(s.candidates) != 0 {
		t.Errorf("broadband candidates = %d, want 0", len(s.candidates))
	}
}

func TestRemindersScreenshot(t *testing.T) {
	if os.Getenv("CTVMS_SCREENSHOTS") == "" {
		t.Skip("set CTVMS_SCREENSHOTS to a folder to write screenshots")
	}
	e := newUIEnv(t)
	fyne.CurrentApp().Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	e.addSampleDebtors("Anitha Menon", "Mohammed Iqbal")
	e.clock.now = time.Date(2027, time.January, 5, 10, 0, 0, 0, time.Local)
	if err := e.svc.RunBillingJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.addSampleDebtors("Ravi Kumar", "José Muñoz", "Kavya Nair")
	s := e.openReminders()
	s.choose(s.candidates[0].CRF, true)
	s.choose(s.candidates[2].CRF, true)
	s.table.Refresh()
	e.win.Resize(fyne.NewSize(1366, 768))
	saveScreenshot(t, e.win, "reminders.png")
}
