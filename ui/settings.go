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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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

	name, address, phone, email, taxID, footer *entry
	symbol, minimum, grace, reminderLimit      *entry
	form                                       *widget.Form
	fields                                     *formFields
	save                                       *widget.Button
	saved                                      *widget.Label

	backups   []store.BackupInfo
	list      *widget.List
	selected  int
	backupNow *widget.Button
	restore   *widget.Button
	progress  *widget.ProgressBarInfinite
	status    *widget.Label
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
		container.NewTabItemWithIcon("Business", theme.SettingsIcon(), container.NewVScroll(profile)),
		container.NewTabItemWithIcon("Backups", theme.StorageIcon(), backups),
	)
	return padded(container.NewBorder(screenTitle("Settings"), nil, nil, nil, tabs))
}

func (s *settingsScreen) buildProfile() fyne.CanvasObject {
	s.name, s.address, s.phone, s.email, s.taxID = newEntry(), newMultiLineEntry(), newEntry(), newEntry(), newEntry()
	s.footer = newMultiLineEntry()
	s.symbol, s.minimum, s.grace, s.reminderLimit = newEntry(), newEntry(), newEntry(), newEntry()
	s.form = widget.NewForm()
	s.fields = newFormFields(s.form)
	s.fields.add("business_name", "Business name", s.name, "")
	s.fields.add("business_address", "Address", s.address, "Printed on invoices")
	s.fields.add("business_phone", "Phone", s.phone, "")
	s.fields.add("business_email", "Email", s.email, "Customers reply to this address")
	s.fields.add("tax_id", "Tax ID", s.taxID, "Such as a GSTIN; printed on invoices")
	s.fields.add("invoice_footer", "Invoice footer", s.footer, "")
	s.fields.add("currency_symbol", "Currency symbol", s.symbol, "Such as ₹ or $")
	s.fields.add("minimum_payment", "Minimum payment", s.minimum, "Such as 250 or 199.50; less is accepted only when less is due")
	s.fields.add("grace_days", "Grace days", s.grace,
		fmt.Sprintf("Days after expiry before a connection is suspended, %d to %d", service.MinGraceDays, service.MaxGraceDays))
	s.fields.add("reminder_daily_limit", "Reminder daily limit", s.reminderLimit, "Most reminder emails queued per day")
	s.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.onSave)
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
}

func (s *settingsScreen) onSave() {
	s.saved.SetText("")
	in := service.BusinessSettingsInput{BusinessName: s.name.Text, BusinessAddress: s.address.Text,
		BusinessPhone: s.phone.Text, BusinessEmail: s.email.Text, TaxID: s.taxID.Text,
		InvoiceFooter: s.footer.Text, CurrencySymbol: s.symbol.Text, MinimumPayment: s.minimum.Text,
		GraceDays: s.grace.Text, ReminderDailyLimit: s.reminderLimit.Text}
	err := s.svc.SaveBusinessSettings(context.Background(), s.session, in)
	if err != nil {
		if !s.fields.showErrors(err) {
			showError(s.win, "save settings", err)
		}
		return
	}
	s.fields.clear()
	s.load()
	s.saved.SetText("Settings saved.")
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
	s.backupNow = widget.NewButtonWithIcon("Back up now", theme.DocumentSaveIcon(), s.onBackupNow)
	s.backupNow.Importance = widget.HighImportance
	s.restore = widget.NewButtonWithIcon("Restore…", theme.HistoryIcon(), s.onRestore)
	s.restore.Disable()
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(fmt.Sprintf("A backup is also made once a day while CTVMS runs. The newest %d are kept. "+
		"Select a backup to restore it.", store.BackupsKept))
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(hint, container.NewHBox(s.backupNow, s.restore), s.progress, s.status)
	return container.NewBorder(top, nil, nil, nil, s.list)
}

func backupLabel(b store.BackupInfo) string {
	return fmt.Sprintf("%s    %s    %s", b.At.Format("02 Jan 2006 15:04:05"), formatSize(b.Size), b.Name)
}

// formatSize returns a file size in bytes, KB or MB, with powers of 1024.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
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
	s.status.SetText(text)
	s.backupNow.Enable()
	if s.selected >= 0 {
		s.restore.Enable()
	}
}

// onBackupNow writes a backup in the background, because a large
// database takes a while to copy.
func (s *settingsScreen) onBackupNow() {
	s.setBusy("Backing up…")
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		info, err := s.svc.BackupNow(context.Background(), s.session)
		fyne.Do(func() {
			if err != nil {
				s.setIdle("The backup failed.")
				showError(s.win, "back up", err)
				return
			}
			s.reloadBackups()
			s.setIdle("Backup written: " + info.Name)
		})
	}()
}

// onRestore shows a confirmation dialog before replacing the data with the
// selected backup.
func (s *settingsScreen) onRestore() {
	if s.selected < 0 || s.selected >= len(s.backups) {
		return
	}
	b := s.backups[s.selected]
	message := widget.NewLabel(fmt.Sprintf("Replace all data with the backup of %s?\n\n"+
		"Everything recorded after it is removed from the database. The current data is kept as a file "+
		"named %s.replaced-<time> in the data folder. Everybody is logged out when the restore ends.",
		b.At.Format("02 Jan 2006 15:04"), store.DatabaseFile))
	message.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Restore backup", "Restore", "Cancel", message, func(ok bool) {
		if ok {
			s.startRestore(b)
		}
	}, s.win)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

func (s *settingsScreen) startRestore(b store.BackupInfo) {
	s.setBusy("Checking and restoring " + b.Name + "…")
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		res, err := s.svc.RestoreBackup(context.Background(), s.session, b.Path)
		fyne.Do(func() { s.finishRestore(b, res, err) })
	}()
}

func (s *settingsScreen) finishRestore(b store.BackupInfo, res store.RestoreResult, err error) {
	if err != nil {
		s.setIdle("The restore failed; the data is unchanged.")
		showError(s.win, "restore backup", err)
		return
	}
	s.setIdle("")
	if s.onRestored != nil {
		s.onRestored()
	}
	dialog.ShowInformation("Backup restored", fmt.Sprintf("The data of %s is back.\n"+
		"The data before the restore is kept as %s.\nLog in again to continue.",
		b.At.Format("02 Jan 2006 15:04"), filepath.Base(res.ReplacedPath)), s.win)
}
