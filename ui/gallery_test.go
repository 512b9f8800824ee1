package ui

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/demo"
	"github.com/ctvms/ctvms/store/service"
)

// TestGallery renders every screen of a demo office into the folder named
// by CTVMS_GALLERY, as PNG files. `make gallery` runs it; without the
// variable it is skipped.
func TestGallery(t *testing.T) {
	dir := os.Getenv("CTVMS_GALLERY")
	if dir == "" {
		t.Skip("set CTVMS_GALLERY to a folder to render the screen gallery")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	g := newGallery(t, dir)
	g.shoot("01-login", nil)
	g.adminScreens()
	g.customerScreens()
	g.kioskScreen()
	g.spanishScreens()
	t.Logf("gallery written to %s", dir)
}

type gallery struct {
	t    *testing.T
	dir  string
	svc  *service.Service
	win  fyne.Window
	root *Root
}

// galleryDay is the office's date in the gallery, fixed so the pictures
// are the same on every run.
var galleryDay = billing.NewDate(2026, time.December, 4)

func newGallery(t *testing.T, dir string) *gallery {
	test.NewTempApp(t).Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(data, "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Generate(ctx, st, demo.Options{Customers: 120, Seed: 7, Today: galleryDay, Location: time.Local}); err != nil {
		t.Fatal(err)
	}
	clock := &stoppedClock{now: time.Date(2026, time.December, 4, 11, 30, 0, 0, time.Local)}
	svc := service.New(st, service.Options{DataDir: data, Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	win := test.NewWindow(nil)
	win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(win.Close)
	root := NewRoot(win, svc, Options{LoginHint: fmt.Sprintf("Admin: %s / %s\nCustomers: CRF 1001 to 1120 / %s",
		demo.AdminUsername, demo.AdminPassword, demo.CustomerPassword)})
	root.Start()
	return &gallery{t: t, dir: dir, svc: svc, win: win, root: root}
}

// shoot saves the window as NN-name.png after running prepare.
func (g *gallery) shoot(name string, prepare func()) {
	g.t.Helper()
	if prepare != nil {
		prepare()
	}
	img := g.win.Canvas().Capture()
	f, err := os.Create(filepath.Join(g.dir, name+".png"))
	if err != nil {
		g.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		g.t.Fatal(err)
	}
}

func (g *gallery) login(username, password string) {
	g.t.Helper()
	s := findLoginScreen(g.t, g.win)
	s.username.SetText(username)
	s.password.SetText(password)
	test.Tap(s.submit)
}

// slug turns a page title into a file name part.
func slug(title string) string {
	return strings.ToLower(strings.ReplaceAll(title, " ", "-"))
}

func (g *gallery) adminScreens() {
	g.login(demo.AdminUsername, demo.AdminPassword)
	nav := g.root.admin.nav
	for i, p := range nav.pages {
		name := fmt.Sprintf("%02d-admin-%s", 10+i, slug(p.title))
		g.shoot(name, func() {
			nav.nav.Select(i)
			g.prepareAdminPage(p.title)
		})
	}
	test.Tap(findButton(g.t, g.win.Content(), "Log out"))
}

// prepareAdminPage fills a page with a typical selection, so the picture
// shows the screen at work.
func (g *gallery) prepareAdminPage(title string) {
	a := g.root.admin
	switch title {
	case "Customers":
		a.customers.table.Select(widgetCell(2))
	case "Collect payment":
		a.collect.search.SetText(fmt.Sprint(g.customerOwing()))
	case "Reports":
		a.reports.onPreview()
		<-a.reports.busy
	case "Payment details":
		for _, e := range findEntries(g.win.Content()) {
			if e.PlaceHolder == "CRF number" {
				e.SetText(fmt.Sprint(g.customerOwing()))
				e.OnSubmitted(e.Text)
			}
		}
	}
}

// customerOwing returns the CRF number of a customer with more than one
// month due, for pictures that need one.
func (g *gallery) customerOwing() int64 {
	admin, err := g.svc.Login(context.Background(), demo.AdminUsername, demo.AdminPassword)
	if err != nil {
		g.t.Fatal(err)
	}
	for crf := int64(1001); crf <= 1120; crf++ {
		d, err := g.svc.CustomerDashboard(context.Background(), admin, crf)
		if err != nil {
			continue
		}
		for _, s := range d.Services {
			if len(s.MonthsPending) >= 2 && s.Status != billing.StatusSuspended {
				return crf
			}
		}
	}
	return 1001
}

func (g *gallery) customerScreens() {
	crf := g.customerOwing()
	g.login(fmt.Sprint(crf), demo.CustomerPassword)
	nav := g.root.customer.nav
	for i, p := range nav.pages {
		name := fmt.Sprintf("%02d-customer-%s", 40+i, slug(p.title))
		g.shoot(name, func() {
			nav.nav.Select(i)
			g.prepareCustomerPage(p.title)
		})
	}
	test.Tap(findButton(g.t, g.win.Content(), "Log out"))
}

// prepareCustomerPage shows a customer page with content: the bills of a
// month with payments and its first invoice.
func (g *gallery) prepareCustomerPage(title string) {
	if title != "Bills" {
		return
	}
	bills := g.root.customer.bills
	for back := 1; back <= 6 && len(bills.bills) == 0; back++ {
		month := time.December - time.Month(back)
		bills.month.SetSelected(month.String())
	}
	if len(bills.bills) > 0 {
		bills.list.Select(0)
	}
}

func (g *gallery) kioskScreen() {
	g.root = NewRoot(g.win, g.svc, Options{Kiosk: true})
	g.root.Start()
	g.shoot("60-kiosk-login", nil)
}

// spanishScreens chooses Spanish in the settings, as an admin would, and
// shows a few admin pages in it.
func (g *gallery) spanishScreens() {
	ctx := context.Background()
	st, err := g.svc.Store().Settings(ctx)
	if err != nil {
		g.t.Fatal(err)
	}
	st.Language = string(billing.Spanish)
	if err := g.svc.Store().SaveSettings(ctx, "admin", st); err != nil {
		g.t.Fatal(err)
	}
	g.t.Cleanup(func() { applyLanguage(billing.English) })
	g.root = NewRoot(g.win, g.svc, Options{})
	g.root.Start()
	g.login(demo.AdminUsername, demo.AdminPassword)
	nav := g.root.admin.nav
	for i, p := range nav.pages {
		switch p.title {
		case "Dashboard", "Customers", "Reports", "Import and export":
		default:
			continue
		}
		g.shoot(fmt.Sprintf("%02d-spanish-admin-%s", 80+i, slug(p.title)), func() {
			nav.nav.Select(i)
			g.prepareAdminPage(p.title)
		})
	}
}

func widgetCell(row int) widget.TableCellID {
	return widget.TableCellID{Row: row, Col: 1}
}
