// Package ui holds the Fyne screens of CTVMS: first-start setup, login, the
// admin window with its navigation list, and the customer kiosk screens.
// Screens reach data only through the service layer, behind small
// interfaces that tests can back with a real database.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store/service"
)

// Options change how the window behaves.
type Options struct {
	// Kiosk limits the window to customer logins.
	Kiosk bool
	// LoginHint is shown under the login form, such as the demo logins.
	LoginHint string
	// Now is the clock of the kiosk's idle logout; nil means time.Now.
	Now func() time.Time
	// KioskBillsDir is the folder where the kiosk saves invoice PDFs; the
	// kiosk opens no file dialog.
	KioskBillsDir string
}

// Root owns the window's content and moves between setup, login and the
// screens of the logged-in user.
type Root struct {
	win     fyne.Window
	svc     *service.Service
	opts    Options
	session service.Session

	admin    *adminShell
	customer *customerShell
	idle     *idleWatcher
	login    *loginScreen
	// stopBadges ends the refresh of the navigation badges at logout.
	stopBadges chan struct{}
}

// NewRoot returns the root of a window backed by svc, and shows texts in
// the language chosen in the settings or, without a choice, in the system
// locale's language.
func NewRoot(win fyne.Window, svc *service.Service, opts Options) *Root {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	svc.SetSystemLanguage(systemLanguage())
	applyLanguage(resolveLanguage(svc.LanguageChoice(context.Background())))
	return &Root{win: win, svc: svc, opts: opts}
}

// Start shows the setup screen on an empty database and the login screen
// otherwise.
func (r *Root) Start() {
	handleEscape(r.win)
	needsSetup, err := r.svc.NeedsSetup(context.Background())
	if err != nil {
		r.show(errorPage(lang.L("The database could not be read"), err))
		return
	}
	if needsSetup && !r.opts.Kiosk {
		r.show(newSetupScreen(r.svc, r.win, r.showLoginAfterSetup).buildUI())
		return
	}
	r.showLogin()
}

func (r *Root) show(content fyne.CanvasObject) {
	r.win.SetContent(content)
}

// showLoginAfterSetup shows the login screen with a word that the account
// exists, after the first-start setup.
func (r *Root) showLoginAfterSetup() {
	r.showLogin()
	if r.login != nil {
		r.login.message.Importance = widget.SuccessImportance
		r.login.message.SetText(lang.L("The admin account is ready. Log in with it to start."))
	}
}

func (r *Root) showLogin() {
	if r.stopBadges != nil {
		close(r.stopBadges)
		r.stopBadges = nil
	}
	if r.idle != nil {
		r.idle.stop()
		r.idle = nil
	}
	r.session = service.Session{}
	r.admin, r.customer = nil, nil
	r.win.SetMainMenu(nil)
	login := newLoginScreen(r.svc, r.opts, r.onLoggedIn)
	r.login = login
	r.show(login.buildUI())
	r.win.Canvas().Focus(login.username)
}

func (r *Root) onLoggedIn(sess service.Session) {
	r.session = sess
	if sess.MustChangePassword {
		r.show(newFirstPasswordScreen(r.svc, &r.session, r.win, func() { r.onLoggedIn(r.session) }, r.showLogin).buildUI())
		return
	}
	if sess.IsAdmin() && !r.opts.Kiosk {
		r.admin = newAdminShell(r.svc, sess, r.win, r.showLogin)
		r.admin.onLanguageChanged = r.reloadAdmin
		content := r.admin.buildUI()
		r.admin.nav.badge = r.unreadComplaints
		r.admin.nav.refreshBadges()
		r.show(content)
		r.win.SetMainMenu(r.adminMenu())
		r.startBadgeRefresh(r.admin.nav)
		return
	}
	r.customer = newCustomerShell(r.svc, sess, r.win, r.showLogin)
	if r.opts.Kiosk {
		r.customer.billsDir = r.opts.KioskBillsDir
	}
	content := r.customer.buildUI()
	if !r.opts.Kiosk {
		r.show(content)
		return
	}
	r.showKioskSession(content)
}

// reloadAdmin builds the admin window again, so every text is in the
// language just chosen, and returns to the Settings page.
func (r *Root) reloadAdmin() {
	if r.stopBadges != nil {
		close(r.stopBadges)
		r.stopBadges = nil
	}
	r.onLoggedIn(r.session)
	if r.admin != nil {
		r.admin.nav.openTitle("Settings")
	}
}

// showKioskSession shows a customer's screens with the idle countdown on
// top, and logs out after KioskIdleTimeout without input.
func (r *Root) showKioskSession(content fyne.CanvasObject) {
	r.idle = newIdleWatcher(r.opts.Now, r.showLogin)
	r.idle.watch(content)
	r.customer.nav.onOpen = func(page fyne.CanvasObject) {
		r.idle.watch(page)
		r.idle.touch()
	}
	r.idle.tick()
	bar := container.NewHBox(layout.NewSpacer(), r.idle.label)
	r.show(container.NewStack(newActivityLayer(r.idle.touch), container.NewBorder(bar, nil, nil, nil, content)))
	r.idle.start()
}

// badgeRefresh is how often the navigation badges are counted again, so
// complaints raised at the kiosk show up in the office.
const badgeRefresh = 30 * time.Second

// unreadComplaints is the badge of the Complaints page.
func (r *Root) unreadComplaints(title string) int {
	if title != "Complaints" {
		return 0
	}
	counts, err := r.svc.ComplaintCounts(context.Background(), r.session)
	if err != nil {
		fyne.LogError("count unread complaints", err)
		return 0
	}
	return counts.Unread
}

func (r *Root) startBadgeRefresh(nav *navShell) {
	stop := make(chan struct{})
	r.stopBadges = stop
	go func() {
		t := time.NewTicker(badgeRefresh)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(nav.refreshBadges)
			}
		}
	}()
}

// findCustomerShortcut is Ctrl+F: open the customers screen with the focus
// in its search field.
var findCustomerShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}

// adminMenu is the office window's main menu. Its shortcuts reach every
// admin screen and the customer search from the keyboard.
func (r *Root) adminMenu() *fyne.MainMenu {
	find := fyne.NewMenuItem(lang.L("Find customer"), r.onFindCustomer)
	find.Shortcut = findCustomerShortcut
	logout := fyne.NewMenuItem(lang.L("Log out"), r.showLogin)
	office := fyne.NewMenu(lang.L("Office"), find, fyne.NewMenuItemSeparator(), logout)
	return fyne.NewMainMenu(office, r.admin.nav.menu())
}

func (r *Root) onFindCustomer() {
	if r.admin == nil || !r.admin.nav.openTitle("Customers") || r.admin.customers == nil {
		return
	}
	r.win.Canvas().Focus(r.admin.customers.search)
}

// Session returns the logged-in session, or the zero Session.
func (r *Root) Session() service.Session { return r.session }

// padded wraps content in the theme's padding.
func padded(content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewPadded(content)
}
