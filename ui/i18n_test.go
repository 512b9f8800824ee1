package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store/service"
)

// shownTexts returns the texts of the labels and buttons under o.
func shownTexts(o fyne.CanvasObject) []string {
	var texts []string
	for _, l := range findAll[*widget.Label](o) {
		texts = append(texts, l.Text)
	}
	for _, b := range findAll[*widget.Button](o) {
		texts = append(texts, b.Text)
	}
	return texts
}

func chooseSpanish(t *testing.T, e *uiEnv) {
	t.Helper()
	admin, err := e.svc.Login(context.Background(), "admin", testAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	err = e.svc.SaveBusinessSettings(context.Background(), admin, service.BusinessSettingsInput{
		BusinessName: "Test Cable", CurrencySymbol: "₹", MinimumPayment: "250", GraceDays: "60",
		ReminderDailyLimit: "450", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { applyLanguage(billing.English) })
	e.root = NewRoot(e.win, e.svc, Options{})
	e.root.Start()
}

func TestSpanishLoginAndDashboard(t *testing.T) {
	e := newUIEnv(t)
	chooseSpanish(t, e)

	login := shownTexts(e.win.Content())
	if !slices.Contains(login, "Iniciar sesión") {
		t.Errorf("login screen shows %q, want the button Iniciar sesión", login)
	}
	e.login("admin", testAdminPassword)
	texts := shownTexts(e.win.Content())
	if !slices.Contains(texts, "Panel — 04 dic 2026") {
		t.Errorf("dashboard shows %q, want the title Panel — 04 dic 2026", texts)
	}
	if !slices.Contains(texts, "Cerrar sesión") {
		t.Errorf("dashboard shows %q, want the button Cerrar sesión", texts)
	}
	if !e.root.admin.nav.openTitle("Customers") {
		t.Fatal("the Customers page cannot be opened by its English title")
	}
	if got := e.root.admin.nav.label(1); got != "Clientes" {
		t.Errorf("second page label = %q, want Clientes", got)
	}
}

func TestLanguageSavedRebuildsWindow(t *testing.T) {
	e := newUIEnv(t)
	t.Cleanup(func() { applyLanguage(billing.English) })
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Settings")
	settings := findAll[*widget.Select](e.win.Content())
	var language *widget.Select
	for _, s := range settings {
		if slices.Contains(s.Options, "Español") {
			language = s
		}
	}
	if language == nil {
		t.Fatal("the Settings screen has no Language select")
	}
	language.SetSelected("Español")
	test.Tap(findButton(t, e.win.Content(), "Save"))
	if !slices.Contains(shownTexts(e.win.Content()), "Guardar") {
		t.Errorf("after saving Español the window shows %q, want the button Guardar", shownTexts(e.win.Content()))
	}
	if got := e.svc.LanguageChoice(context.Background()); got != "es" {
		t.Errorf("stored language = %q, want es", got)
	}
}

// TestSpanishScreenshot writes spanish.png, the admin dashboard in
// Spanish, to the folder named by CTVMS_SCREENSHOTS.
func TestSpanishScreenshot(t *testing.T) {
	dir := os.Getenv("CTVMS_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CTVMS_SCREENSHOTS to a folder to write the screenshot")
	}
	e := newUIEnv(t)
	chooseSpanish(t, e)
	e.login("admin", testAdminPassword)
	f, err := os.Create(filepath.Join(dir, "spanish.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, e.win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
