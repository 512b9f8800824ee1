package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store/service"
)

func TestEnterSubmitsLogin(t *testing.T) {
	e := newUIEnv(t)
	s := findLoginScreen(t, e.win)
	test.Type(s.username, "admin")
	test.Type(s.password, testAdminPassword)
	s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if e.root.admin == nil {
		t.Fatal("Enter in the password field did not log in")
	}
}

func TestEnterSubmitsCustomerForm(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Customers")
	test.Tap(findButton(t, e.win.Content(), "Add customer"))
	dlg := overlayContent(t, e.win)
	fields := findAll[*entry](dlg)
	test.Type(fields[0], "Kiran Bedi")
	test.Type(fields[1], "9812345678")
	fields[1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	n, err := e.svc.Store().CountCustomers(t.Context(), storeQueryAll())
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("customers after Enter = %d, want 1", n)
	}
}

func TestEscapeClosesDialog(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Customers")

	test.Tap(findButton(t, e.win.Content(), "Add customer"))
	fields := findAll[*entry](overlayContent(t, e.win))
	e.win.Canvas().Focus(fields[0])
	fields[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := e.win.Canvas().Overlays().Top(); top != nil {
		t.Fatal("Escape in a focused field left the dialog open")
	}

	test.Tap(findButton(t, e.win.Content(), "Add customer"))
	e.win.Canvas().Unfocus()
	c, ok := e.win.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) })
	if !ok {
		t.Fatal("the test canvas does not expose its key handler")
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := e.win.Canvas().Overlays().Top(); top != nil {
		t.Error("Escape with nothing focused left the dialog open")
	}
}

func TestMenuShortcutsReachAdminScreens(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	menu := e.win.MainMenu()
	if menu == nil {
		t.Fatal("admin window has no main menu")
	}
	var goMenu *fyne.Menu
	for _, m := range menu.Items {
		if m.Label == "Go" {
			goMenu = m
		}
	}
	if goMenu == nil || len(goMenu.Items) < 4 {
		t.Fatalf("Go menu = %+v", goMenu)
	}
	for i, item := range goMenu.Items {
		if i >= 9 {
			break
		}
		sc, ok := item.Shortcut.(*desktop.CustomShortcut)
		if !ok || sc.Modifier != fyne.KeyModifierAlt || string(sc.KeyName) != string(rune('1'+i)) {
			t.Errorf("%s shortcut = %+v, want Alt+%d", item.Label, item.Shortcut, i+1)
		}
		item.Action()
		if got := e.root.admin.nav.pages[e.root.admin.nav.current].title; got != item.Label {
			t.Errorf("menu item %s opened %s", item.Label, got)
		}
	}

	for _, m := range menu.Items {
		for _, item := range m.Items {
			if strings.HasPrefix(item.Label, "Find customer") {
				item.Action()
			}
		}
	}
	if e.root.admin.customers == nil || e.win.Canvas().Focused() != e.root.admin.customers.search {
		t.Error("Find customer did not focus the customer search")
	}

	test.Tap(findButton(t, e.win.Content(), "Log out"))
	if e.win.MainMenu() != nil {
		t.Error("the main menu stays after logout")
	}
}

func TestNavigationShowsUnreadComplaints(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Badge Check", "250")
	cust, err := e.svc.Login(t.Context(), fmt.Sprint(nc.CRF), nc.InitialPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.RaiseComplaint(t.Context(), cust, service.ComplaintInput{CRF: nc.CRF,
		Service: billing.ServiceCableTV, Category: "no_signal", Description: "No picture since this morning."})
	if err != nil {
		t.Fatal(err)
	}
	e.login("admin", testAdminPassword)
	nav := e.root.admin.nav
	found := false
	for i, p := range nav.pages {
		if p.title == "Complaints" {
			found = true
			if got := nav.label(i); got != "Complaints (1)" {
				t.Errorf("navigation label = %q, want Complaints (1)", got)
			}
		}
	}
	if !found {
		t.Fatal("no Complaints page")
	}
}

func TestLoginShowsBusinessLogo(t *testing.T) {
	e := newUIEnv(t)
	logos := func() int {
		n := 0
		for _, img := range findAll[*canvas.Image](e.win.Content()) {
			if img.Resource != nil && img.Resource.Name() == "logo" {
				n++
			}
		}
		return n
	}
	if n := logos(); n != 0 {
		t.Fatalf("login screen shows %d logos before one is set", n)
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	admin, err := e.svc.Login(t.Context(), "admin", testAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetLogo(t.Context(), admin, path); err != nil {
		t.Fatal(err)
	}
	e.root.Start()
	if n := logos(); n != 1 {
		t.Errorf("login screen shows %d logos, want 1", n)
	}
}
