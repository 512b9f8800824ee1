package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/ctvms/ctvms/store/service"
)

// customerShell is the kiosk window of one logged-in customer.
type customerShell struct {
	svc      *service.Service
	session  service.Session
	win      fyne.Window
	onLogout func()
	nav      *navShell
	// billsDir, when set, is where invoices are saved without a file
	// dialog (the kiosk).
	billsDir string

	payOnline      *payOnlineScreen
	bills          *billsScreen
	changePassword *changePasswordScreen
	complaints     *myComplaintsScreen
}

func newCustomerShell(svc *service.Service, sess service.Session, win fyne.Window, onLogout func()) *customerShell {
	return &customerShell{svc: svc, session: sess, win: win, onLogout: onLogout}
}

func (c *customerShell) buildUI() fyne.CanvasObject {
	c.nav = newNavShell([]page{
		{"Dashboard", theme.HomeIcon(), func() fyne.CanvasObject {
			return newCustomerDashboardScreen(c.svc, c.session, func() { c.nav.openTitle("Pay online") }).buildUI()
		}},
		{"Pay online", theme.ConfirmIcon(), func() fyne.CanvasObject {
			c.payOnline = newPayOnlineScreen(c.svc, c.session, c.win)
			c.payOnline.saveDir = c.billsDir
			return c.payOnline.buildUI()
		}},
		{"Payment details", theme.CalendarIcon(), func() fyne.CanvasObject {
			return newPaymentDetailsScreen(c.svc, c.session, c.win).buildUI()
		}},
		{"Bills", theme.DocumentIcon(), func() fyne.CanvasObject {
			c.bills = newBillsScreen(c.svc, c.session, c.win)
			c.bills.saveDir = c.billsDir
			return c.bills.buildUI()
		}},
		{"Complaints", theme.WarningIcon(), c.complaintsPage},
		{"My details", theme.AccountIcon(), func() fyne.CanvasObject {
			return newMyDetailsScreen(c.svc, c.session, c.win).buildUI()
		}},
		{"Change password", theme.VisibilityOffIcon(), func() fyne.CanvasObject {
			c.changePassword = newChangePasswordScreen(c.svc, c.session, c.win)
			return c.changePassword.buildUI()
		}},
	})
	return c.nav.buildUI(lang.L("CRF {{.CRF}}", map[string]any{"CRF": c.session.CRF}), c.onLogout)
}
