package ui

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store/service"
)

// openSettings shows the Settings screen of a logged-in admin on the
// window. restored counts the calls of the screen's logout hook.
func (e *uiEnv) openSettings(restored *int) *settingsScreen {
	e.t.Helper()
	s := newSettingsScreen(e.svc, e.adminSession(), e.win, func() { *restored++ })
	e.win.SetContent(s.buildUI())
	return s
}

func (e *uiEnv) businessSettings() service.BusinessSettings {
	e.t.Helper()
	st, err := e.svc.BusinessSettings(context.Background(), e.adminSession())
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func TestSettingsShowsStoredValues(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	if s.name.Text != "Test Cable" {
		t.Errorf("business name = %q, want Test Cable", s.name.Text)
	}
	if s.minimum.Text != "250.00" {
		t.Errorf("minimum payment = %q, want 250.00", s.minimum.Text)
	}
	if s.grace.Text != "60" {
		t.Errorf("grace days = %q, want 60", s.grace.Text)
	}
}

func TestSettingsSaveStoresTypedValues(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	s.name.SetText("  Sunrise Cable Network ")
	s.taxID.SetText("27ABCDE1234F1Z5")
	s.minimum.SetText("1,199.50")
	s.grace.SetText("45")
	s.reminderLimit.SetText("200")
	s.symbol.SetText("Rs.")
	test.Tap(s.save)

	st := e.businessSettings()
	if st.BusinessName != "Sunrise Cable Network" {
		t.Errorf("business name = %q", st.BusinessName)
	}
	if st.TaxID != "27ABCDE1234F1Z5" {
		t.Errorf("tax id = %q", st.TaxID)
	}
	if st.MinimumPayment != billing.Money(119950) {
		t.Errorf("minimum payment = %s, want 1199.50", st.MinimumPayment.Plain())
	}
	if st.GraceDays != 45 {
		t.Errorf("grace days = %d, want 45", st.GraceDays)
	}
	if st.ReminderDailyLimit != 200 {
		t.Errorf("reminder limit = %d, want 200", st.ReminderDailyLimit)
	}
	if st.CurrencySymbol != "Rs." {
		t.Errorf("currency symbol = %q, want Rs.", st.CurrencySymbol)
	}
	if s.saved.Text != "Settings saved." {
		t.Errorf("status = %q after saving", s.saved.Text)
	}
}

func TestSettingsFieldErrorsUnderFields(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	s.name.SetText(" ")
	s.email.SetText("office@")
	s.minimum.SetText("12.345")
	s.grace.SetText("0")
	s.reminderLimit.SetText("many")
	s.symbol.SetText("")
	test.Tap(s.save)

	want := map[string]string{
		"business_name":        "Business name is required",
		"business_email":       "office@",
		"minimum_payment":      "more than two decimals",
		"grace_days":           "from 1 to 365",
		"reminder_daily_limit": "whole number",
		"currency_symbol":      "Currency symbol is required",
	}
	for field, text := range want {
		if hint := s.fields.items[field].HintText; !strings.Contains(hint, text) {
			t.Errorf("%s hint = %q, want it to contain %q", field, hint, text)
		}
	}
	if st := e.businessSettings(); st.BusinessName != "Test Cable" || st.GraceDays != 60 {
		t.Errorf("invalid form changed the settings: %+v", st)
	}
	if s.saved.Text != "" {
		t.Errorf("status = %q after a rejected save", s.saved.Text)
	}
}

func TestSettingsRejectsCustomer(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Kavya Nair", "300")
	sess, err := e.svc.Login(context.Background(), strconv.FormatInt(nc.CRF, 10), nc.InitialPassword)
	if err != nil {
		t.Fatal(err)
	}
	err = e.svc.SaveBusinessSettings(context.Background(), sess, service.BusinessSettingsInput{BusinessName: "Mine",
		CurrencySymbol: "$", MinimumPayment: "1", GraceDays: "1", ReminderDailyLimit: "1"})
	if err == nil {
		t.Fatal("a customer saved the business settings")
	}
	if e.businessSettings().BusinessName != "Test Cable" {
		t.Error("business name changed by a customer")
	}
}

func TestBackupNowAddsToList(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	if len(s.backups) != 0 {
		t.Fatalf("%d backups on a new database", len(s.backups))
	}
	test.Tap(s.backupNow)
	s.work.Wait()

	if len(s.backups) != 1 {
		t.Fatalf("%d backups listed after Back up now, want 1", len(s.backups))
	}
	if _, err := os.Stat(s.backups[0].Path); err != nil {
		t.Error(err)
	}
	if !strings.HasPrefix(s.status.Text, "Backup written: ctvms-") {
		t.Errorf("status = %q", s.status.Text)
	}
	if s.backupNow.Disabled() {
		t.Error("Back up now stays disabled")
	}
	if s.progress.Visible() {
		t.Error("progress bar still shown")
	}
}

func TestRestoreBringsBackDataAndLogsOut(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	test.Tap(s.backupNow)
	s.work.Wait()
	s.name.SetText("Renamed After Backup")
	test.Tap(s.save)
	if e.businessSettings().BusinessName != "Renamed After Backup" {
		t.Fatal("rename not saved")
	}

	if !s.restore.Disabled() {
		t.Error("Restore… enabled with no backup selected")
	}
	s.list.Select(0)
	test.Tap(s.restore)
	test.Tap(findButton(t, overlayContent(t, e.win), "Restore"))
	s.work.Wait()

	if restored != 1 {
		t.Errorf("logout hook called %d times, want 1", restored)
	}
	if got := e.businessSettings().BusinessName; got != "Test Cable" {
		t.Errorf("business name after restore = %q, want Test Cable", got)
	}
	dialogText := strings.Join(texts(overlayContent(t, e.win)), "\n")
	if !strings.Contains(dialogText, "ctvms.db.replaced-") {
		t.Errorf("restore dialog does not name the kept database:\n%s", dialogText)
	}
}

func TestRestoreCancelChangesNothing(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	test.Tap(s.backupNow)
	s.work.Wait()
	s.name.SetText("Kept Name")
	test.Tap(s.save)

	s.list.Select(0)
	test.Tap(s.restore)
	test.Tap(findButton(t, overlayContent(t, e.win), "Cancel"))
	s.work.Wait()
	if restored != 0 {
		t.Error("logout hook called after Cancel")
	}
	if got := e.businessSettings().BusinessName; got != "Kept Name" {
		t.Errorf("business name = %q after a cancelled restore", got)
	}
}

func TestRestoreDamagedBackupShowsError(t *testing.T) {
	e := newUIEnv(t)
	var restored int
	s := e.openSettings(&restored)
	test.Tap(s.backupNow)
	s.work.Wait()
	if err := os.WriteFile(s.backups[0].Path, []byte("this backup was overwritten"), 0o600); err != nil {
		t.Fatal(err)
	}

	s.list.Select(0)
	test.Tap(s.restore)
	test.Tap(findButton(t, overlayContent(t, e.win), "Restore"))
	s.work.Wait()

	if restored != 0 {
		t.Error("logged out after a failed restore")
	}
	dialogText := strings.Join(texts(overlayContent(t, e.win)), "\n")
	if !strings.Contains(dialogText, "not an SQLite database") {
		t.Errorf("error dialog does not say why:\n%s", dialogText)
	}
	if !strings.Contains(s.status.Text, "data is unchanged") {
		t.Errorf("status = %q", s.status.Text)
	}
}

func (e *uiEnv) openAudit() *auditScreen {
	e.t.Helper()
	s := newAuditScreen(e.svc, e.adminSession(), e.win)
	e.win.SetContent(s.buildUI())
	return s
}

func TestAuditLogNewestFirstAndFilters(t *testing.T) {
	e := newUIEnv(t)
	e.addConnectedCustomer("Kavya Nair", "300")
	var restored int
	settings := e.openSettings(&restored)
	test.Tap(settings.save)

	s := e.openAudit()
	if len(s.entries) < 3 {
		t.Fatalf("%d audit entries, want the setup, the customer and the settings", len(s.entries))
	}
	if s.entries[0].Action != "settings.update" {
		t.Errorf("newest entry = %s, want settings.update", s.entries[0].Action)
	}
	for i := 1; i < len(s.entries); i++ {
		if s.entries[i].ID > s.entries[i-1].ID {
			t.Fatalf("entries not newest first at row %d", i)
		}
	}

	test.Type(s.action, "customer.")
	test.Tap(s.search)
	if len(s.entries) == 0 {
		t.Fatal("no customer.* entries")
	}
	for _, entry := range s.entries {
		if !strings.HasPrefix(entry.Action, "customer.") {
			t.Errorf("filter customer. shows %s", entry.Action)
		}
	}

	s.action.SetText("")
	s.from.SetText("2999-01-01")
	test.Tap(s.search)
	if len(s.entries) != 0 {
		t.Errorf("%d entries from the year 2999", len(s.entries))
	}
	if s.count.Text != "0 entries" {
		t.Errorf("count = %q", s.count.Text)
	}
}

func TestAuditLogBadDateShown(t *testing.T) {
	e := newUIEnv(t)
	s := e.openAudit()
	before := len(s.entries)
	s.from.SetText("2026-13-01")
	test.Tap(s.search)
	if !s.problem.Visible() || !strings.Contains(s.problem.Text, "YYYY-MM-DD") {
		t.Errorf("problem label = %q (visible %v), want the date format", s.problem.Text, s.problem.Visible())
	}
	if len(s.entries) != before {
		t.Error("rows changed on an invalid filter")
	}

	s.from.SetText("2026-12-05")
	s.to.SetText("2026-12-01")
	test.Tap(s.search)
	if !strings.Contains(s.problem.Text, "before From date") {
		t.Errorf("problem label = %q, want the swapped range", s.problem.Text)
	}
}

func TestAdminNavOpensSettingsAndAudit(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	for _, title := range []string{"Settings", "Audit log"} {
		if !e.root.admin.nav.openTitle(title) {
			t.Errorf("no %s page", title)
			continue
		}
		found := false
		for _, l := range findAll[*widget.Label](e.win.Content()) {
			if l.Text == title {
				found = true
			}
		}
		if !found {
			t.Errorf("%s page shows no %q heading", title, title)
		}
	}
}
