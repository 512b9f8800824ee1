package ui

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

func TestMain(m *testing.M) {
	os.Setenv("LANG", "C.UTF-8")
	os.Exit(m.Run())
}

// stoppedClock is a clock fixed at one instant.
type stoppedClock struct{ now time.Time }

func (c *stoppedClock) Now() time.Time { return c.now }

// uiEnv is a window on a real, set-up database.
type uiEnv struct {
	t     *testing.T
	svc   *service.Service
	store *store.Store
	win   fyne.Window
	root  *Root
	clock *stoppedClock
}

const testAdminPassword = "office-pass-1"

func newUIEnv(t *testing.T) *uiEnv {
	t.Helper()
	test.NewTempApp(t)
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := &stoppedClock{now: time.Date(2026, time.December, 4, 10, 0, 0, 0, time.Local)}
	svc := service.New(st, service.Options{DataDir: dir, Clock: clock, PasswordCost: 4,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	err = svc.Setup(context.Background(), service.SetupParams{Username: "admin", Password: testAdminPassword,
		ConfirmPassword: testAdminPassword, BusinessName: "Test Cable"})
	if err != nil {
		t.Fatal(err)
	}
	win := test.NewWindow(nil)
	win.Resize(fyne.NewSize(1200, 760))
	t.Cleanup(win.Close)
	root := NewRoot(win, svc, Options{})
	root.Start()
	return &uiEnv{t: t, svc: svc, store: st, win: win, root: root, clock: clock}
}

// login types credentials into the login screen and submits them.
func (e *uiEnv) login(username, password string) {
	e.t.Helper()
	s := findLoginScreen(e.t, e.win)
	s.username.SetText("")
	s.password.SetText("")
	test.Type(s.username, username)
	test.Type(s.password, password)
	test.Tap(s.submit)
}

// findLoginScreen returns the login screen on the window by locating its
// entries; the screen is rebuilt on every logout.
func findLoginScreen(t *testing.T, win fyne.Window) *loginScreen {
	t.Helper()
	entries := findAll[*entry](win.Content())
	buttons := findAll[*widget.Button](win.Content())
	if len(entries) < 2 || len(buttons) < 1 {
		t.Fatalf("login screen not shown: %d entries, %d buttons", len(entries), len(buttons))
	}
	return &loginScreen{username: entries[0], password: entries[1], submit: buttons[0]}
}

// findAll walks the object tree and returns every object of type T.
func findAll[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if v, ok := o.(T); ok {
			out = append(out, v)
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(c)
			for _, child := range r.Objects() {
				walk(child)
			}
		}
	}
	walk(o)
	return out
}

// findEntries returns every text field under o, whether a plain
// widget.Entry or the package's entry.
func findEntries(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Entry:
			out = append(out, v)
			return
		case *entry:
			out = append(out, &v.Entry)
			return
		case *fyne.Container:
			for _, child := range v.Objects {
				walk(child)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(v).Objects() {
				walk(child)
			}
		}
	}
	walk(o)
	return out
}

// findButton returns the visible button with the given text.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range findAll[*widget.Button](o) {
		if b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// overlayContent returns the topmost dialog's content.
func overlayContent(t *testing.T, win fyne.Window) fyne.CanvasObject {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	return top
}

func storeQueryAll() store.CustomerQuery {
	return store.CustomerQuery{IncludeArchived: true}
}
