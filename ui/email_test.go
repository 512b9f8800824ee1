package ui

import (
	"context"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/mailer/smtptest"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// openEmail logs the admin in and opens the Email screen.
func (e *uiEnv) openEmail() *emailScreen {
	e.t.Helper()
	e.login("admin", testAdminPassword)
	if !e.root.admin.nav.openTitle("Email") {
		e.t.Fatal("no Email page")
	}
	return e.root.admin.email
}

// adminSession logs the admin in through the service, for checks that
// bypass the screens.
func (e *uiEnv) adminSession() service.Session {
	e.t.Helper()
	sess, err := e.svc.Login(context.Background(), "admin", testAdminPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	return sess
}

// outbox returns every outbox message of kind, newest first.
func (e *uiEnv) outbox(kind mailer.Kind) []store.OutboxMessage {
	e.t.Helper()
	list, err := e.svc.ListOutbox(context.Background(), e.adminSession(), "")
	if err != nil {
		e.t.Fatal(err)
	}
	var out []store.OutboxMessage
	for _, m := range list {
		if m.Kind == string(kind) {
			out = append(out, m)
		}
	}
	return out
}

// fillSMTP types SMTP settings into the form.
func fillSMTP(tab *smtpTab, host, port, username, password string) {
	tab.host.SetText(host)
	tab.security.SetSelected(securityLabel(mailer.SecurityNone))
	tab.port.SetText(port)
	tab.username.SetText(username)
	tab.password.SetText(password)
	tab.from.SetText("office@example.com")
	tab.fromName.SetText("Test Cable")
	tab.timeout.SetText("5")
}

// texts returns every text that o shows: labels, entries with their
// place holders, and drawn text such as form hints.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, l := range findAll[*widget.Label](o) {
		out = append(out, l.Text)
	}
	for _, e := range findEntries(o) {
		out = append(out, e.Text, e.PlaceHolder)
	}
	for _, c := range findAll[*canvas.Text](o) {
		out = append(out, c.Text)
	}
	return out
}

func TestSMTPPortErrorUnderField(t *testing.T) {
	e := newUIEnv(t)
	tab := e.openEmail().smtp
	fillSMTP(tab, "127.0.0.1", "abc", "", "")
	test.Tap(tab.save)

	hint := tab.fields.items["port"].HintText
	if !strings.HasPrefix(hint, "⚠") || !strings.Contains(hint, `"abc"`) {
		t.Errorf("port hint = %q, want an error naming \"abc\"", hint)
	}
	if !slices.Contains(texts(e.win.Content()), hint) {
		t.Error("the port error is not drawn under the field")
	}
	view, err := e.svc.SMTPSettings(context.Background(), e.adminSession())
	if err != nil {
		t.Fatal(err)
	}
	if view.Host != "" {
		t.Errorf("stored host = %q after a rejected save, want empty", view.Host)
	}
}

func TestSMTPPasswordNeverShown(t *testing.T) {
	const secret = "Sm7p-Secret-99"
	e := newUIEnv(t)
	tab := e.openEmail().smtp
	fillSMTP(tab, "127.0.0.1", "2525", "mailer", secret)
	test.Tap(tab.save)

	view, err := e.svc.SMTPSettings(context.Background(), e.adminSession())
	if err != nil {
		t.Fatal(err)
	}
	if !view.PasswordSet || view.Port != 2525 {
		t.Fatalf("stored settings = %+v, want port 2525 with a password", view)
	}
	if tab.password.Text != "" {
		t.Error("password entry keeps the password after saving")
	}
	hint := tab.fields.items["password"].HintText
	if !strings.Contains(hint, "•••• (set)") {
		t.Errorf("password hint = %q, want it to say a password is set", hint)
	}
	if !slices.Contains(texts(e.win.Content()), hint) {
		t.Error("the password hint is not drawn under the field")
	}
	checkNoSecret := func(when string) {
		for _, text := range texts(e.win.Content()) {
			if strings.Contains(text, secret) {
				t.Errorf("%s: a widget shows the password: %q", when, text)
			}
		}
	}
	checkNoSecret("after saving")

	e.root.admin.nav.openTitle("Dashboard")
	e.root.admin.nav.openTitle("Email")
	checkNoSecret("after reopening")

	tab = e.root.admin.email.smtp
	tab.host.SetText("localhost")
	test.Tap(tab.save)
	if v, _ := e.svc.SMTPSettings(context.Background(), e.adminSession()); !v.PasswordSet {
		t.Error("saving with an empty password entry dropped the stored password")
	}
}

func TestSendTestEmailClosedPortShowsAddress(t *testing.T) {
	e := newUIEnv(t)
	tab := e.openEmail().smtp
	port := smtptest.ClosedPort(t)
	fillSMTP(tab, "127.0.0.1", fmt.Sprint(port), "", "")
	tab.testTo.SetText("owner@example.com")
	test.Tap(tab.sendTest)
	tab.work.Wait()

	address := fmt.Sprintf("127.0.0.1:%d", port)
	dialogText := strings.Join(texts(overlayContent(t, e.win)), "\n")
	if !strings.Contains(dialogText, address) {
		t.Errorf("test email dialog does not name %s:\n%s", address, dialogText)
	}
	if tab.sendTest.Disabled() {
		t.Error("Send test email stays disabled after the result")
	}
}

func TestOutboxListsWelcomeEmail(t *testing.T) {
	e := newUIEnv(t)
	e.addConnectedCustomer("Kavya Nair", "300")
	outbox := e.openEmail().outbox
	e.root.admin.email.tabs.SelectIndex(1)

	if len(outbox.messages) != 1 {
		t.Fatalf("outbox rows = %d, want the welcome email", len(outbox.messages))
	}
	m := outbox.messages[0]
	for col, want := range map[int]string{1: "Welcome", 2: "c@example.com", 4: store.OutboxQueued, 5: "0"} {
		if got := outbox.cell(m, col); got != want {
			t.Errorf("column %q = %q, want %q", outboxColumns()[col].title, got, want)
		}
	}
	if got := outbox.cell(m, 0); got != "04 Dec 2026 10:00" {
		t.Errorf("created = %q, want 04 Dec 2026 10:00", got)
	}
}

func TestOutboxRetryRequeuesFailed(t *testing.T) {
	e := newUIEnv(t)
	e.addConnectedCustomer("Rahul Verma", "300")
	welcome := e.outbox(mailer.KindWelcome)[0]
	later := e.clock.now.Add(time.Hour)
	err := e.store.MarkAttemptFailed(context.Background(), welcome.ID,
		store.AttemptFailure{Reason: "550 mailbox unavailable", NextAttemptAt: later, Permanent: true})
	if err != nil {
		t.Fatal(err)
	}

	outbox := e.openEmail().outbox
	outbox.state.SetSelected("Failed")
	if len(outbox.messages) != 1 || outbox.messages[0].LastError != "550 mailbox unavailable" {
		t.Fatalf("failed messages = %+v, want the welcome email with its error", outbox.messages)
	}
	if !outbox.retry.Disabled() {
		t.Error("Retry is enabled with no message selected")
	}
	outbox.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if !strings.Contains(outbox.detail.Text, "550 mailbox unavailable") {
		t.Errorf("detail = %q, want the last error", outbox.detail.Text)
	}
	test.Tap(outbox.retry)

	m, err := e.store.OutboxMessageByID(context.Background(), welcome.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != store.OutboxQueued || !m.NextAttemptAt.Equal(e.clock.now) {
		t.Errorf("after Retry: state %s, next attempt %v; want queued for now", m.State, m.NextAttemptAt)
	}
	if len(outbox.messages) != 0 {
		t.Errorf("Failed filter lists %d messages after Retry, want 0", len(outbox.messages))
	}
}

// openTemplate opens the Templates tab on the template of kind.
func (e *uiEnv) openTemplate(kind mailer.Kind) *templatesTab {
	e.t.Helper()
	screen := e.openEmail()
	screen.tabs.SelectIndex(2)
	tab := screen.templates
	for i, v := range tab.views {
		if v.Kind == kind {
			tab.list.Select(i)
			return tab
		}
	}
	e.t.Fatalf("no %s template listed", kind)
	return nil
}

// templateEdited reports whether the stored template of kind differs from
// the default.
func (e *uiEnv) templateEdited(kind mailer.Kind) bool {
	e.t.Helper()
	views, err := e.svc.EmailTemplates(context.Background(), e.adminSession())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, v := range views {
		if v.Kind == kind {
			return v.Edited
		}
	}
	e.t.Fatalf("no %s template", kind)
	return false
}

func TestTemplateSyntaxErrorNotSaved(t *testing.T) {
	e := newUIEnv(t)
	tab := e.openTemplate(mailer.KindWelcome)
	tab.text.SetText("Hello\n{{.Nope}")
	test.Tap(tab.save)

	if !strings.Contains(tab.message.Text, "Text body, line 2") {
		t.Errorf("message = %q, want the part and line of the error", tab.message.Text)
	}
	if tab.message.Importance != widget.DangerImportance {
		t.Error("the error is not shown as an error")
	}
	if e.templateEdited(mailer.KindWelcome) {
		t.Error("the broken template was saved")
	}
}

func TestTemplatePreviewShowsRendered(t *testing.T) {
	e := newUIEnv(t)
	tab := e.openTemplate(mailer.KindReminder)
	tab.subject.SetText("Dues for {{.CustomerName}}")
	test.Tap(findButton(t, e.win.Content(), "Preview"))

	preview := strings.Join(texts(overlayContent(t, e.win)), "\n")
	sample := mailer.SampleData(mailer.KindReminder).(mailer.ReminderData)
	if !strings.Contains(preview, "Dues for "+sample.CustomerName) {
		t.Errorf("preview lacks the rendered subject:\n%s", preview)
	}
	if e.templateEdited(mailer.KindReminder) {
		t.Error("Preview saved the template")
	}
}

func TestTemplateResetRestoresDefault(t *testing.T) {
	e := newUIEnv(t)
	tab := e.openTemplate(mailer.KindReminder)
	tab.subject.SetText("Please pay {{.TotalDue}}")
	test.Tap(tab.save)
	if !e.templateEdited(mailer.KindReminder) {
		t.Fatalf("template not saved: %s", tab.message.Text)
	}
	if got := templateItem(tab.views[tab.current]); !strings.HasSuffix(got, "(edited)") {
		t.Errorf("list item = %q, want an edited mark", got)
	}

	test.Tap(tab.reset)
	test.Tap(findButton(t, overlayContent(t, e.win), "Yes"))

	if e.templateEdited(mailer.KindReminder) {
		t.Error("template still edited after Reset")
	}
	if want := mailer.DefaultTemplate(mailer.KindReminder).Subject; tab.subject.Text != want {
		t.Errorf("subject after Reset = %q, want the default %q", tab.subject.Text, want)
	}
	if !tab.reset.Disabled() {
		t.Error("Reset stays enabled on the default template")
	}
}

// lightTheme is the default theme in its light variant, which the test
// driver does not choose by itself.
type lightTheme struct{ fyne.Theme }

func (l lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return l.Theme.Color(n, theme.VariantLight)
}

// saveScreenshot writes the window as name in the folder named by
// CTVMS_SCREENSHOTS, and skips the test when the variable is not set.
func saveScreenshot(t *testing.T, win fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("CTVMS_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CTVMS_SCREENSHOTS to a folder to write screenshots")
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

func TestEmailScreenshot(t *testing.T) {
	if os.Getenv("CTVMS_SCREENSHOTS") == "" {
		t.Skip("set CTVMS_SCREENSHOTS to a folder to write screenshots")
	}
	e := newUIEnv(t)
	fyne.CurrentApp().Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	e.addSampleDebtors("Anitha Menon", "Rahul Verma", "Kavya Nair", "José Muñoz")
	welcome := e.outbox(mailer.KindWelcome)
	ctx := context.Background()
	if err := e.store.MarkSent(ctx, welcome[3].ID, e.clock.now); err != nil {
		t.Fatal(err)
	}
	err := e.store.MarkAttemptFailed(ctx, welcome[2].ID, store.AttemptFailure{
		Reason:        "sending to " + welcome[2].Recipient + " failed at RCPT TO: 550 mailbox unavailable",
		NextAttemptAt: e.clock.now, Permanent: true})
	if err != nil {
		t.Fatal(err)
	}
	err = e.store.MarkAttemptFailed(ctx, welcome[1].ID, store.AttemptFailure{
		Reason:        "connecting to smtp.example.com:587 failed: connection refused",
		NextAttemptAt: e.clock.now.Add(2 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}

	screen := e.openEmail()
	screen.tabs.SelectIndex(1)
	screen.outbox.table.Select(widget.TableCellID{Row: 2, Col: 1})
	e.win.Resize(fyne.NewSize(1366, 768))
	saveScreenshot(t, e.win, "email.png")
}

func TestSMTPReopenKeepsStoredPort(t *testing.T) {
	e := newUIEnv(t)
	tab := e.openEmail().smtp
	fillSMTP(tab, "127.0.0.1", "25", "", "")
	tab.security.SetSelected(securityLabel(mailer.SecuritySTARTTLS))
	tab.port.SetText("25")
	test.Tap(tab.save)

	e.root.admin.nav.openTitle("Dashboard")
	e.root.admin.nav.openTitle("Email")
	tab = e.root.admin.email.smtp
	if tab.port.Text != "25" {
		t.Errorf("port after reopening = %q, want the stored 25", tab.port.Text)
	}
	if want := securityLabel(mailer.SecuritySTARTTLS); tab.security.Selected != want {
		t.Errorf("security after reopening = %q, want %q", tab.security.Selected, want)
	}
}
