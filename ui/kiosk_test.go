package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// movableClock is a clock a test moves by hand.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movableClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newKioskEnv opens a kiosk window on a database with one customer who
// owes a month, logged in and past the first-login password change.
func newKioskEnv(t *testing.T) (*uiEnv, *movableClock) {
	t.Helper()
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Kiosk User", "250")
	clock := &movableClock{now: time.Date(2026, time.December, 4, 10, 0, 0, 0, time.Local)}
	e.root = NewRoot(e.win, e.svc, Options{Kiosk: true, Now: clock.Now})
	e.root.Start()

	e.login("admin", testAdminPassword)
	if e.root.admin != nil || e.root.Session().UserID != 0 {
		t.Fatal("the kiosk accepted an admin login")
	}
	e.login(fmt.Sprint(nc.CRF), nc.InitialPassword)
	fields := findAll[*entry](e.win.Content())
	test.Type(fields[0], "kiosk-pass-1")
	test.Type(fields[1], "kiosk-pass-1")
	test.Tap(findButton(t, e.win.Content(), "Save password"))
	if e.root.customer == nil {
		t.Fatal("customer screens not shown in the kiosk")
	}
	return e, clock
}

func TestKioskExposesNoAdminScreen(t *testing.T) {
	e, _ := newKioskEnv(t)
	adminOnly := []string{"Customers", "Collect payment", "Plans", "Reports", "Reminders", "Email", "Settings", "Audit log"}
	for _, title := range adminOnly {
		if e.root.customer.nav.openTitle(title) {
			t.Errorf("the kiosk reaches the admin screen %s", title)
		}
	}
	if e.win.MainMenu() != nil {
		t.Error("the kiosk shows a main menu")
	}
	ctx := context.Background()
	if _, err := e.svc.AdminDashboard(ctx, e.root.Session()); err == nil {
		t.Error("the kiosk session can read the admin dashboard")
	}
}

func TestKioskLogsOutAfterIdleTime(t *testing.T) {
	e, clock := newKioskEnv(t)
	idle := e.root.idle
	if idle == nil {
		t.Fatal("no idle watcher in the kiosk")
	}
	idle.stop() // the test drives the ticks itself

	clock.Add(60 * time.Second)
	idle.tick()
	if got := idle.label.Text; got != "Automatic logout in 1:00" {
		t.Errorf("countdown after 60 s = %q", got)
	}

	// Activity on a screen resets the countdown.
	e.root.customer.nav.openTitle("Bills")
	clock.Add(100 * time.Second)
	e.root.customer.bills.year.SetSelected("2025")
	idle.tick()
	if e.root.customer == nil {
		t.Fatal("logged out although the customer used the screen")
	}
	if got := idle.label.Text; got != "Automatic logout in 2:00" {
		t.Errorf("countdown after activity = %q", got)
	}

	clock.Add(100 * time.Second)
	idle.tick()
	if !strings.Contains(idle.label.Text, "Logging out in 20 seconds") {
		t.Errorf("warning = %q", idle.label.Text)
	}
	clock.Add(20 * time.Second)
	idle.tick()
	if e.root.customer != nil || e.root.Session().UserID != 0 {
		t.Fatal("still logged in after 2 idle minutes")
	}
	findLoginScreen(t, e.win)
}

func TestKioskThemeEnlargesText(t *testing.T) {
	th := KioskTheme()
	if th.Size("text") <= 14 {
		t.Errorf("kiosk text size = %v, want larger than the default 14", th.Size("text"))
	}
	if th.Size("padding") <= 4 {
		t.Errorf("kiosk padding = %v, want larger than the default 4", th.Size("padding"))
	}
	var _ fyne.Theme = th
}

func TestKioskSavesBillsWithoutFileDialog(t *testing.T) {
	e, _ := newKioskEnv(t)
	dir := t.TempDir()
	e.root.opts.KioskBillsDir = dir
	e.root.customer.billsDir = dir

	e.root.customer.nav.openTitle("Pay online")
	form := e.root.customer.payOnline.form
	test.Type(form.reference, "UPI5566778899")
	test.Tap(form.submit)

	e.root.customer.nav.openTitle("Bills")
	e.root.customer.bills.list.Select(0)
	test.Tap(findButton(t, e.root.customer.bills.invoice, "Save PDF"))
	saved := filepath.Join(dir, "INV-2026-000001.pdf")
	info, err := os.Stat(saved)
	if err != nil {
		t.Fatalf("invoice not saved in the kiosk folder: %v", err)
	}
	if info.Size() < 1000 {
		t.Errorf("saved invoice has %d bytes", info.Size())
	}
	dlg := overlayContent(t, e.win)
	if n := len(findEntries(dlg)); n != 0 {
		t.Errorf("the dialog has %d text fields, as a file dialog would", n)
	}
	confirmed := false
	for _, l := range findAll[*widget.Label](dlg) {
		if strings.Contains(l.Text, "The invoice was saved as "+saved) {
			confirmed = true
		}
	}
	if !confirmed {
		t.Error("no confirmation naming the saved file")
	}
}
