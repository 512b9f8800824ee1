package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/ctvms/ctvms/store/service"
)

// adminShell is the office window: navigation on the left, the chosen
// screen on the right.
type adminShell struct {
	svc      *service.Service
	session  service.Session
	win      fyne.Window
	onLogout func()
	nav      *navShell

	customers      *customersScreen
	collect        *collectScreen
	reminders      *remindersScreen
	email          *emailScreen
	changePassword *changePasswordScreen
	complaints     *complaintsScreen
	imports        *importScreen
	reports        *reportsScreen
	// onLanguageChanged, when set, rebuilds the window after the language
	// is changed in the settings.
	onLanguageChanged func()
}

func newAdminShell(svc *service.Service, sess service.Session, win fyne.Window, onLogout func()) *adminShell {
	return &adminShell{svc: svc, session: sess, win: win, onLogout: onLogout}
}

func (a *adminShell) buildUI() fyne.CanvasObject {
	a.nav = newNavShell([]page{
		{"Dashboard", theme.HomeIcon(), func() fyne.CanvasObject {
			return newDashboardScreen(a.svc, a.session, a.win).buildUI()
		}},
		{"Customers", theme.AccountIcon(), func() fyne.CanvasObject {
			a.customers = newCustomersScreen(a.svc, a.session, a.win)
			return a.customers.buildUI()
		}},
		{"Collect payment", theme.ConfirmIcon(), func() fyne.CanvasObject {
			a.collect = newCollectScreen(a.svc, a.session, a.win)
			return a.collect.buildUI()
		}},
		{"Payment details", theme.CalendarIcon(), func() fyne.CanvasObject {
			return newPaymentDetailsScreen(a.svc, a.session, a.win).buildUI()
		}},
		{"Reports", theme.DocumentIcon(), a.reportsPage},
		{"Complaints", theme.WarningIcon(), a.complaintsPage},
		{"Reminders", theme.MailSendIcon(), func() fyne.CanvasObject {
			a.reminders = newRemindersScreen(a.svc, a.session, a.win)
			return a.reminders.buildUI()
		}},
		{"Plans", theme.ListIcon(), func() fyne.CanvasObject {
			return newPlansScreen(a.svc, a.session, a.win).buildUI()
		}},
		{"Import and export", theme.UploadIcon(), a.importPage},
		{"Email", theme.MailComposeIcon(), func() fyne.CanvasObject {
			a.email = newEmailScreen(a.svc, a.session, a.win)
			return a.email.buildUI()
		}},
		{"Change password", theme.VisibilityOffIcon(), func() fyne.CanvasObject {
			a.changePassword = newChangePasswordScreen(a.svc, a.session, a.win)
			return a.changePassword.buildUI()
		}},
		{"Settings", theme.SettingsIcon(), a.settingsPage},
		{"Audit log", theme.HistoryIcon(), func() fyne.CanvasObject { return newAuditScreen(a.svc, a.session, a.win).buildUI() }},
	})
	return a.nav.buildUI(lang.L("Admin: {{.Name}}", map[string]any{"Name": a.session.Username}), a.onLogout)
}

func (a *adminShell) settingsPage() fyne.CanvasObject {
	s := newSettingsScreen(a.svc, a.session, a.win, a.onLogout)
	s.onLanguageChanged = a.onLanguageChanged
	return s.buildUI()
}
