package ui

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// emailService is the part of the service layer that the Email screen uses.
type emailService interface {
	SMTPSettings(ctx context.Context, sess service.Session) (service.SMTPView, error)
	SaveSMTPSettings(ctx context.Context, sess service.Session, in service.SMTPInput) error
	SendTestEmail(ctx context.Context, sess service.Session, to string) error
	ListOutbox(ctx context.Context, sess service.Session, state string) ([]store.OutboxMessage, error)
	RetryEmail(ctx context.Context, sess service.Session, id int64) error
	templatesService
}

// emailScreen is the admin's Email screen: SMTP settings with a test
// email, the outbox, and the editable templates, each on its own tab.
type emailScreen struct {
	svc     emailService
	session service.Session
	win     fyne.Window

	tabs      *container.AppTabs
	smtp      *smtpTab
	outbox    *outboxTab
	templates *templatesTab
}

func newEmailScreen(svc emailService, sess service.Session, win fyne.Window) *emailScreen {
	return &emailScreen{svc: svc, session: sess, win: win}
}

func (s *emailScreen) buildUI() fyne.CanvasObject {
	s.smtp = &smtpTab{svc: s.svc, session: s.session, win: s.win}
	s.outbox = &outboxTab{svc: s.svc, session: s.session, win: s.win}
	s.templates = newTemplatesTab(s.svc, s.session, s.win)
	outbox := container.NewTabItem(lang.L("Outbox"), s.outbox.buildUI())
	s.tabs = container.NewAppTabs(
		container.NewTabItem("SMTP", s.smtp.buildUI()),
		outbox,
		container.NewTabItem(lang.L("Templates"), s.templates.buildUI()),
	)
	s.tabs.OnSelected = func(item *container.TabItem) {
		if item == outbox {
			s.outbox.reload()
		}
	}
	return padded(container.NewBorder(screenTitle(lang.L("Email")), nil, nil, nil, s.tabs))
}

// securityChoice is an SMTP security mode with its label and the port
// that the mode usually runs on.
type securityChoice struct {
	mode  mailer.Security
	label string
	port  int
}

// securityChoices returns the security modes in the order the select
// offers them, labelled in the current language.
func securityChoices() []securityChoice {
	return []securityChoice{
		{mailer.SecuritySTARTTLS, lang.L("STARTTLS (port 587)"), 587},
		{mailer.SecurityTLS, lang.L("TLS (port 465)"), 465},
		{mailer.SecurityNone, lang.L("None (plain text, port 25)"), 25},
	}
}

// smtpTab edits the SMTP settings and sends a test email with them.
type smtpTab struct {
	svc     emailService
	session service.Session
	win     fyne.Window

	host, port, username, password *entry
	from, fromName, timeout        *entry
	security                       *widget.Select
	fields                         *formFields
	save                           *widget.Button
	status                         *widget.Label

	testTo     *entry
	testFields *formFields
	sendTest   *widget.Button
	sending    *widget.ProgressBarInfinite
	// work counts test emails in flight, so tests can wait for them.
	work sync.WaitGroup
}

func (t *smtpTab) buildUI() fyne.CanvasObject {
	t.host, t.port, t.username = newEntry(), newEntry(), newEntry()
	t.password = newPasswordEntry()
	t.password.SetPlaceHolder(lang.L("Leave empty to keep the stored password"))
	t.from, t.fromName, t.timeout = newEntry(), newEntry(), newEntry()
	labels := make([]string, len(securityChoices()))
	for i, c := range securityChoices() {
		labels[i] = c.label
	}
	t.security = widget.NewSelect(labels, t.onSecurityChanged)

	form := widget.NewForm()
	t.fields = newFormFields(form)
	t.fields.add("host", lang.L("SMTP server"), t.host, lang.L("Such as smtp.example.com. Empty turns delivery off."))
	t.fields.add("security", lang.L("Security"), t.security, lang.L("Most providers use STARTTLS or TLS"))
	t.fields.add("port", lang.L("Port"), t.port, lang.L("Usually 587 for STARTTLS and 465 for TLS"))
	t.fields.add("username", lang.L("Username"), t.username, lang.L("Empty when the server needs no login"))
	// The hint is replaced by load. It must not be empty here, because a
	// form item created without a hint never shows one.
	t.fields.add("password", lang.L("Password"), t.password, lang.L("No password stored"))
	t.fields.add("from", lang.L("From address"), t.from, lang.L("Sender address, such as billing@example.com"))
	t.fields.add("from_name", lang.L("From name"), t.fromName, lang.L("Shown as the sender, such as the business name"))
	t.fields.add("timeout", lang.L("Timeout (seconds)"), t.timeout, lang.L("Limit for each step of a delivery, 1 to 300"))
	t.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), t.onSave)
	t.save.Importance = widget.HighImportance
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord

	t.testTo = newEntry()
	t.testTo.SetPlaceHolder(lang.L("name@example.com"))
	t.testTo.OnSubmitted = func(string) { t.onSendTest() }
	testForm := widget.NewForm()
	t.testFields = newFormFields(testForm)
	t.testFields.add("to", lang.L("Send to"), t.testTo, lang.L("Saves the settings above, then sends one message directly"))
	t.sendTest = widget.NewButtonWithIcon(lang.L("Send test email"), theme.MailSendIcon(), t.onSendTest)
	t.sending = widget.NewProgressBarInfinite()
	t.sending.Stop()
	t.sending.Hide()

	t.load()
	settings := widget.NewCard(lang.L("SMTP server"), "", container.NewVBox(form, container.NewHBox(t.save), t.status))
	test := widget.NewCard(lang.L("Test email"), "", container.NewVBox(testForm, container.NewHBox(t.sendTest), t.sending))
	return container.NewVScroll(container.NewVBox(settings, test))
}

// load fills the form from the stored settings. The password entry stays
// empty: the stored password is never shown.
func (t *smtpTab) load() {
	v, err := t.svc.SMTPSettings(context.Background(), t.session)
	if err != nil {
		showError(t.win, "load SMTP settings", err)
		return
	}
	t.host.SetText(v.Host)
	// The security mode goes first, because choosing it moves a usual port
	// to the mode's own, and the stored port must win.
	t.security.SetSelected(securityLabel(v.Security))
	t.port.SetText("")
	if v.Port != 0 {
		t.port.SetText(strconv.Itoa(v.Port))
	}
	t.username.SetText(v.Username)
	t.password.SetText("")
	t.from.SetText(v.From)
	t.fromName.SetText(v.FromName)
	t.timeout.SetText("")
	if v.TimeoutSeconds != 0 {
		t.timeout.SetText(strconv.Itoa(v.TimeoutSeconds))
	}

	hint := lang.L("No password stored")
	if v.PasswordSet {
		hint = lang.L("•••• (set): leave empty to keep it")
	}
	t.fields.hints["password"] = hint
	t.fields.clear()
	t.status.SetText(deliveryStatus(v))
}

func deliveryStatus(v service.SMTPView) string {
	if !v.Configured {
		return lang.L("Delivery is off: enter the server, port and from address. " +
			"Email stays queued in the outbox until then.")
	}
	return lang.L("Delivery is on through {{.Host}}:{{.Port}}.", map[string]any{"Host": v.Host, "Port": v.Port})
}

func securityLabel(mode mailer.Security) string {
	choices := securityChoices()
	for _, c := range choices {
		if c.mode == mode {
			return c.label
		}
	}
	return choices[0].label
}

// onSecurityChanged moves the port to the new mode's usual port, unless
// the admin typed a port of their own.
func (t *smtpTab) onSecurityChanged(label string) {
	if t.port == nil {
		return
	}
	var next int
	usual := t.port.Text == ""
	for _, c := range securityChoices() {
		if c.label == label {
			next = c.port
		}
		if t.port.Text == strconv.Itoa(c.port) {
			usual = true
		}
	}
	if usual && next != 0 {
		t.port.SetText(strconv.Itoa(next))
	}
}

func (t *smtpTab) input() service.SMTPInput {
	in := service.SMTPInput{Host: t.host.Text, Port: t.port.Text, Username: t.username.Text,
		Password: t.password.Text, From: t.from.Text, FromName: t.fromName.Text, TimeoutSeconds: t.timeout.Text}
	for _, c := range securityChoices() {
		if c.label == t.security.Selected {
			in.Security = c.mode
		}
	}
	return in
}

func (t *smtpTab) onSave() {
	if t.store() {
		t.status.SetText(lang.L("Settings saved. {{.Status}}", map[string]any{"Status": t.status.Text}))
	}
}

// store saves the form and reports whether it was saved. Invalid fields
// get their message under them.
func (t *smtpTab) store() bool {
	err := t.svc.SaveSMTPSettings(context.Background(), t.session, t.input())
	if err != nil {
		if !t.fields.showErrors(err) {
			showError(t.win, "save SMTP settings", err)
		}
		t.status.SetText(lang.L("Not saved: correct the marked fields."))
		return false
	}
	t.load()
	return true
}

// onSendTest saves the form, then sends the test email in the background
// because a slow server can take up to the timeout for each step.
func (t *smtpTab) onSendTest() {
	t.testFields.clear()
	if !t.store() {
		return
	}
	to := t.testTo.Text
	t.setSending(true)
	t.work.Add(1)
	go func() {
		defer t.work.Done()
		err := t.svc.SendTestEmail(context.Background(), t.session, to)
		fyne.Do(func() {
			t.setSending(false)
			t.showTestResult(to, err)
		})
	}()
}

func (t *smtpTab) setSending(on bool) {
	if on {
		t.sendTest.Disable()
		t.save.Disable()
		t.sending.Show()
		t.sending.Start()
		return
	}
	t.sending.Stop()
	t.sending.Hide()
	t.sendTest.Enable()
	t.save.Enable()
}

func (t *smtpTab) showTestResult(to string, err error) {
	if err == nil {
		dialog.ShowInformation(lang.L("Test email sent"),
			lang.L("The test email was sent to {{.To}}. Check that mailbox, and the spam folder.", map[string]any{"To": to}), t.win)
		return
	}
	if t.testFields.showErrors(err) {
		return
	}
	fyne.LogError("send test email", err)
	message := widget.NewLabel(plainMessage(err))
	message.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom(lang.L("Test email failed"), lang.L("Close"), container.New(newWidthLayout(460), message), t.win)
}

// widthLayout gives its objects a fixed width and the height they need at
// that width, so wrapped text in a dialog neither collapses nor spans the
// window.
type widthLayout struct{ width float32 }

func newWidthLayout(width float32) fyne.Layout { return &widthLayout{width: width} }

func (l *widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(fyne.NewSize(size.Width, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// outboxFilter is a choice of the outbox state filter: a label and the
// state it lists, where "" lists every state.
type outboxFilter struct{ label, state string }

func outboxFilters() []outboxFilter {
	return []outboxFilter{
		{lang.L("All states"), ""}, {lang.L("Queued"), store.OutboxQueued},
		{lang.L("Failed"), store.OutboxFailed}, {lang.L("Sent"), store.OutboxSent},
	}
}

// outboxStateLabel returns the state of an outbox message, such as
// "queued".
func outboxStateLabel(state string) string {
	switch state {
	case store.OutboxQueued:
		return lang.L("queued")
	case store.OutboxSent:
		return lang.L("sent")
	case store.OutboxFailed:
		return lang.L("failed")
	}
	return state
}

func outboxColumns() []tableColumn {
	return []tableColumn{
		{lang.L("Created"), 140}, {lang.L("Kind"), 150}, {lang.L("Recipient"), 190}, {lang.L("Subject"), 240},
		{lang.L("State"), 70}, {lang.L("Attempts"), 75}, {lang.L("Next attempt"), 140}, {lang.L("Last error"), 360},
	}
}

// outboxTab lists the outbox, newest first, and queues a failed or queued
// message for delivery again.
type outboxTab struct {
	svc     emailService
	session service.Session
	win     fyne.Window

	filters  []outboxFilter
	columns  []tableColumn
	state    *widget.Select
	table    *widget.Table
	count    *widget.Label
	detail   *widget.Label
	retry    *widget.Button
	messages []store.OutboxMessage
	// lastErrors are the last errors of messages by id, in the current
	// language, decoded once per reload.
	lastErrors map[int64]string
	selected   int64
}

func (t *outboxTab) buildUI() fyne.CanvasObject {
	t.filters, t.columns = outboxFilters(), outboxColumns()
	labels := make([]string, len(t.filters))
	for i, s := range t.filters {
		labels[i] = s.label
	}
	t.state = widget.NewSelect(labels, func(string) { t.reload() })
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.messages), len(t.columns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(t.cell(t.messages[id.Row], id.Col))
		},
	)
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(t.columns[id.Col].title)
	}
	for i, c := range t.columns {
		t.table.SetColumnWidth(i, c.width)
	}
	t.table.OnSelected = t.onRowSelected

	t.retry = widget.NewButtonWithIcon(lang.L("Retry"), theme.MailSendIcon(), t.onRetry)
	refresh := widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), t.reload)
	t.count = widget.NewLabel("")
	t.detail = widget.NewLabel("")
	t.detail.Wrapping = fyne.TextWrapWord

	t.state.SetSelected(t.filters[0].label)
	top := container.NewHBox(widget.NewLabel(lang.L("Show")), t.state, refresh, t.retry, t.count)
	return container.NewBorder(top, t.detail, nil, nil, t.table)
}

// reload lists the messages in the chosen state and keeps the selected
// message selected when it is still listed.
func (t *outboxTab) reload() {
	var state string
	for _, s := range t.filters {
		if s.label == t.state.Selected {
			state = s.state
		}
	}
	list, err := t.svc.ListOutbox(context.Background(), t.session, state)
	if err != nil {
		showError(t.win, "load outbox", err)
		return
	}
	t.messages = list
	t.lastErrors = make(map[int64]string, len(list))
	for _, m := range list {
		t.lastErrors[m.ID] = lastErrorText(m)
	}
	t.count.SetText(lang.L("{{.Count}} messages, newest first (at most 500)", map[string]any{"Count": len(list)}))
	t.table.UnselectAll()
	t.table.Refresh()
	for i, m := range list {
		if m.ID == t.selected {
			t.table.Select(widget.TableCellID{Row: i})
			return
		}
	}
	t.selected = 0
	t.showSelected(nil)
}

func (t *outboxTab) cell(m store.OutboxMessage, col int) string {
	loc := t.svc.Location()
	switch col {
	case 0:
		return formatTime(m.CreatedAt, loc)
	case 1:
		return mailKindLabel(mailer.Kind(m.Kind))
	case 2:
		return m.Recipient
	case 3:
		return m.Subject
	case 4:
		return outboxStateLabel(m.State)
	case 5:
		return strconv.Itoa(m.Attempts)
	case 6:
		if m.State != store.OutboxQueued {
			return "—"
		}
		return formatTime(m.NextAttemptAt, loc)
	case 7:
		return t.lastErrors[m.ID]
	}
	return ""
}

// lastErrorText returns the reason the last attempt of m failed, in the
// current language. A row without a stored message, such as one written
// before the outbox stored them, shows its English last_error text.
func lastErrorText(m store.OutboxMessage) string {
	if m.LastErrorMessage == "" {
		return m.LastError
	}
	text, err := storedMessage(m.LastErrorMessage)
	if err != nil {
		fyne.LogError(fmt.Sprintf("read the stored error of email %d", m.ID), err)
		return m.LastError
	}
	return text
}

// formatTime shows an instant in the operator's time zone, or a dash for
// the zero time.
func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return formatWithMonth(t.In(loc), "02 Jan 2006 15:04")
}

func (t *outboxTab) onRowSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(t.messages) {
		return
	}
	m := t.messages[id.Row]
	t.selected = m.ID
	t.showSelected(&m)
}

// showSelected shows the whole last error of m, which the table cuts
// short, and enables Retry for a message that was not sent.
func (t *outboxTab) showSelected(m *store.OutboxMessage) {
	if m == nil {
		t.detail.SetText(lang.L("Select a message to see its last error or to retry it."))
		t.retry.Disable()
		return
	}
	text := lang.L("Email {{.ID}} to {{.Recipient}}: {{.State}}.",
		map[string]any{"ID": m.ID, "Recipient": m.Recipient, "State": outboxStateLabel(m.State)})
	if reason := t.lastErrors[m.ID]; reason != "" {
		text += "\n" + lang.L("Last error: {{.Error}}", map[string]any{"Error": reason})
	}
	t.detail.SetText(text)
	if m.State == store.OutboxSent {
		t.retry.Disable()
		return
	}
	t.retry.Enable()
}

func (t *outboxTab) onRetry() {
	if t.selected == 0 {
		return
	}
	if err := t.svc.RetryEmail(context.Background(), t.session, t.selected); err != nil {
		showError(t.win, "retry email", err)
		return
	}
	t.reload()
}
