package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// settingsService is the part of the service the Settings screen uses.
type settingsService interface {
	BusinessSettings(ctx context.Context, sess service.Session) (service.BusinessSettings, error)
	SaveBusinessSettings(ctx context.Context, sess service.Session, in service.BusinessSettingsInput) error
	BackupNow(ctx context.Context, sess service.Session) (store.BackupInfo, error)
	ListBackups(ctx context.Context, sess service.Session) ([]store.BackupInfo, error)
	RestoreBackup(ctx context.Context, sess service.Session, path string) (store.RestoreResult, error)
}

// settingsScreen edits the business profile and billing rules, and makes
// and restores backups.
type settingsScreen struct {
	svc     settingsService
	session service.Session
	win     fyne.Window
	// onRestored logs out after a restore, because the restored database
	// may not have the logged-in account.
	onRestored func()
	// onLanguageChanged, when set, is called after a new language is saved
	// so the window can be built again in it.
	onLanguageChanged func()

	name, address, phone, email, taxID, footer *entry
	symbol, minimum, grace, reminderLimit      *entry
	form                                       *widget.Form
	fields                                     *formFields
	language                                   *widget.Select
	save                                       *widget.Button
	saved                                      *widget.Label

	backups   []store.BackupInfo
	list      *widget.List
	selected  int
	backupNow *widget.Button
	restore   *widget.Button
	progress  *widget.ProgressBarInfinite
	// stop cancels the backup in progress; restores cannot be stopped
	// because they replace the data in one step.
	stop   *widget.Button
	cancel context.CancelFunc
	status *widget.Label
	// work counts backups and restores running in the background, so
	// tests can wait for them.
	work sync.WaitGroup
}

func newSettingsScreen(svc settingsService, sess service.Session, win fyne.Window, onRestored func()) *settingsScreen {
	return &settingsScreen{svc: svc, session: sess, win: win, onRestored: onRestored, selected: -1}
}

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	profile := s.buildProfile()
	backups := s.buildBackups()
	s.load()
	s.reloadBackups()
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Business"), theme.SettingsIcon(), container.NewVScroll(profile)),
		container.NewTabItemWithIcon(lang.L("Backups"), theme.StorageIcon(), backups),
	)
	return padded(container.NewBorder(screenTitle(lang.L("Settings")), nil, nil, nil, tabs))
}

func (s *settingsScreen) buildProfile() fyne.CanvasObject {
	s.name, s.address, s.phone, s.email, s.taxID = newEntry(), newMultiLineEntry(), newEntry(), newEntry(), newEntry()
	s.footer = newMultiLineEntry()
	s.symbol, s.minimum, s.grace, s.reminderLimit = newEntry(), newEntry(), newEntry(), newEntry()
	s.form = widget.NewForm()
	s.fields = newFormFields(s.form)
	s.fields.add("business_name", lang.L("Business name"), s.name, "")
	s.fields.add("business_address", lang.L("Address"), s.address, lang.L("Printed on invoices"))
	s.fields.add("business_phone", lang.L("Phone"), s.phone, "")
	s.fields.add("business_email", lang.L("Email"), s.email, lang.L("Customers reply to this address"))
	s.fields.add("tax_id", lang.L("Tax ID"), s.taxID, lang.L("Such as a GSTIN; printed on invoices"))
	s.fields.add("invoice_footer", lang.L("Invoice footer"), s.footer, "")
	s.fields.add("currency_symbol", lang.L("Currency symbol"), s.symbol, lang.L("Such as ₹ or $"))
	s.fields.add("minimum_payment", lang.L("Minimum payment"), s.minimum, lang.L("Such as 250 or 199.50; less is accepted only when less is due"))
	s.fields.add("grace_days", lang.L("Grace days"), s.grace,
		lang.L("Days after expiry before a connection is suspended, {{.Min}} to {{.Max}}",
			map[string]any{"Min": service.MinGraceDays, "Max": service.MaxGraceDays}))
	s.fields.add("reminder_daily_limit", lang.L("Reminder daily limit"), s.reminderLimit, lang.L("Most reminder emails queued per day"))
	s.language = widget.NewSelect(languageOptions(), nil)
	s.fields.add("language", lang.L("Language"), s.language, lang.L("Screens, emails and invoices; the system default follows the computer's language"))
	s.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), s.onSave)
	s.save.Importance = widget.HighImportance
	s.saved = widget.NewLabel("")
	return container.NewVBox(s.form, container.NewHBox(s.save, s.saved))
}

// load fills the form from the stored settings.
func (s *settingsScreen) load() {
	st, err := s.svc.BusinessSettings(context.Background(), s.session)
	if err != nil {
		showError(s.win, "load settings", err)
		return
	}
	s.name.SetText(st.BusinessName)
	s.address.SetText(st.BusinessAddress)
	s.phone.SetText(st.BusinessPhone)
	s.email.SetText(st.BusinessEmail)
	s.taxID.SetText(st.TaxID)
	s.footer.SetText(st.InvoiceFooter)
	s.symbol.SetText(st.CurrencySymbol)
	s.minimum.SetText(st.MinimumPayment.Plain())
	s.grace.SetText(strconv.Itoa(st.GraceDays))
	s.reminderLimit.SetText(strconv.Itoa(st.ReminderDailyLimit))
	s.language.SetSelected(languageOption(st.Language))
}

// languageOptions returns the choices of the Language field: the system
// default, then each language named in itself.
func languageOptions() []string {
	options := []string{lang.L("System default")}
	for _, l := range billing.Languages {
		options = append(options, l.Name())
	}
	return options
}

// languageOption returns the option of a stored language code.
func languageOption(code string) string {
	if code == "" {
		return lang.L("System default")
	}
	return billing.ParseLanguage(code).Name()
}

// languageCode returns the stored code of a Language option, "" for the
// system default.
func languageCode(option string) string {
	for _, l := range billing.Languages {
		if l.Name() == option {
			return string(l)
		}
	}
	return ""
}

func (s *settingsScreen) onSave() {
	s.saved.SetText("")
	in := service.BusinessSettingsInput{BusinessName: s.name.Text, BusinessAddress: s.address.Text,
		BusinessPhone: s.phone.Text, BusinessEmail: s.email.Text, TaxID: s.taxID.Text,
		InvoiceFooter: s.footer.Text, CurrencySymbol: s.symbol.Text, MinimumPayment: s.minimum.Text,
		GraceDays: s.grace.Text, ReminderDailyLimit: s.reminderLimit.Text, Language: languageCode(s.language.Selected)}
	before := currentLanguage()
	err := s.svc.SaveBusinessSettings(context.Background(), s.session, in)
	if err != nil {
		if !s.fields.showErrors(err) {
			showError(s.win, "save settings", err)
		}
		return
	}
	s.fields.clear()
	if chosen := resolveLanguage(in.Language); chosen != before {
		applyLanguage(chosen)
		if s.onLanguageChanged != nil {
			s.onLanguageChanged()
			return
		}
	}
	s.load()
	s.saved.SetText(lang.L("Settings saved."))
}

func (s *settingsScreen) buildBackups() fyne.CanvasObject {
	s.list = widget.NewList(
		func() int { return len(s.backups) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(backupLabel(s.backups[id]))
		},
	)
	s.list.OnSelected = func(id widget.ListItemID) {
		s.selected = id
		s.restore.Enable()
	}
	s.list.OnUnselected = func(widget.ListItemID) {
		s.selected = -1
		s.restore.Disable()
	}
	s.backupNow = widget.NewButtonWithIcon(lang.L("Back up now"), theme.DocumentSaveIcon(), s.onBackupNow)
	s.backupNow.Importance = widget.HighImportance
	s.restore = widget.NewButtonWithIcon(lang.L("Restore…"), theme.HistoryIcon(), s.onRestore)
	s.restore.Disable()
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.stop = widget.NewButtonWithIcon(lang.L("Stop"), theme.CancelIcon(), s.onStopBackup)
	s.stop.Hide()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(lang.L("A backup is also made once a day while CTVMS runs. The newest {{.Count}} are kept. "+
		"Select a backup to restore it.", map[string]any{"Count": store.BackupsKept}))
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(hint, container.NewHBox(s.backupNow, s.restore),
		container.NewBorder(nil, nil, nil, s.stop, s.progress), s.status)
	return container.NewBorder(top, nil, nil, nil, s.list)
}

func backupLabel(b store.BackupInfo) string {
	return fmt.Sprintf("%s    %s    %s", formatWithMonth(b.At, "02 Jan 2006 15:04:05"), formatSize(b.Size), b.Name)
}

// formatSize returns a file size in bytes, KB or MB, with powers of 1024.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return lang.L("{{.Count}} bytes", map[string]any{"Count": n})
}

func (s *settingsScreen) reloadBackups() {
	list, err := s.svc.ListBackups(context.Background(), s.session)
	if err != nil {
		showError(s.win, "list backups", err)
		return
	}
	s.backups = list
	s.selected = -1
	s.list.UnselectAll()
	s.restore.Disable()
	s.list.Refresh()
}

// setBusy shows the progress bar and disables the buttons while a backup
// or restore runs.
func (s *settingsScreen) setBusy(text string) {
	s.status.SetText(text)
	s.backupNow.Disable()
	s.restore.Disable()
	s.progress.Show()
	s.progress.Start()
}

func (s *settingsScreen) setIdle(text string) {
	s.progress.Stop()
	s.progress.Hide()
	s.stop.Hide()
	s.status.SetText(text)
	s.backupNow.Enable()
	if s.selected >= 0 {
		s.restore.Enable()
	}
}

// onBackupNow writes a backup in the background, because a large
// database takes a while to copy.
func (s *settingsScreen) onBackupNow() {
	s.setBusy(lang.L("Backing up…"))
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.stop.Show()
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		defer cancel()
		info, err := s.svc.BackupNow(ctx, s.session)
		fyne.Do(func() {
			s.cancel = nil
			if ctx.Err() != nil {
				s.setIdle(lang.L("The backup was stopped; no backup file was kept."))
				return
			}
			if err != nil {
				s.setIdle(lang.L("The backup failed."))
				showError(s.win, "back up", err)
				return
			}
			s.reloadBackups()
			s.setIdle(lang.L("Backup written: {{.Name}}", map[string]any{"Name": info.Name}))
		})
	}()
}

// onStopBackup cancels the backup in progress. SQLite stops the copy,
// and the unfinished file is deleted.
func (s *settingsScreen) onStopBackup() {
	if s.cancel != nil {
		s.cancel()
	}
}

// onRestore shows a confirmation dialog before replacing the data with the
// selected backup.
func (s *settingsScreen) onRestore() {
	if s.selected < 0 || s.selected >= len(s.backups) {
		return
	}
	b := s.backups[s.selected]
	message := widget.NewLabel(lang.L("Replace all data with the backup of {{.Date}}?\n\n"+
		"Everything recorded after it is removed from the database. The current data is kept as a file "+
		"named {{.File}}.replaced-<time> in the data folder. Everybody is logged out when the restore ends.",
		map[string]any{"Date": formatWithMonth(b.At, "02 Jan 2006 15:04"), "File": store.DatabaseFile}))
	message.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Restore backup"), lang.L("Restore"), lang.L("Cancel"), message, func(ok bool) {
		if ok {
			s.startRestore(b)
		}
	}, s.win)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

func (s *settingsScreen) startRestore(b store.BackupInfo) {
	s.setBusy(lang.L("Checking and restoring {{.Name}}…", map[string]any{"Name": b.Name}))
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		res, err := s.svc.RestoreBackup(context.Background(), s.session, b.Path)
		fyne.Do(func() { s.finishRestore(b, res, err) })
	}()
}

func (s *settingsScreen) finishRestore(b store.BackupInfo, res store.RestoreResult, err error) {
	if err != nil {
		s.setIdle(lang.L("The restore failed; the data is unchanged."))
		showError(s.win, "restore backup", err)
		return
	}
	s.setIdle("")
	if s.onRestored != nil {
		s.onRestored()
	}
	dialog.ShowInformation(lang.L("Backup restored"), lang.L("The data of {{.Date}} is back.\n"+
		"The data before the restore is kept as {{.File}}.\nLog in again to continue.",
		map[string]any{"Date": formatWithMonth(b.At, "02 Jan 2006 15:04"), "File": filepath.Base(res.ReplacedPath)}), s.win)
}
