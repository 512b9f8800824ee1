package ui

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/gen"
	"github.com/ctvms/ctvms/store/service"
)

// openReports generates customers, logs the admin in and opens the
// Reports screen set to cable TV, December 2026, paid.
func openReports(t *testing.T, customers int) (*uiEnv, *reportsScreen) {
	t.Helper()
	e := newUIEnv(t)
	_, err := gen.Generate(context.Background(), e.store.Path(), gen.Options{Customers: customers, Seed: 11,
		Year: 2026, Month: time.December, Months: 3, BroadbandShare: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	e.login("admin", testAdminPassword)
	if !e.root.admin.nav.openTitle("Reports") {
		t.Fatal("no Reports page")
	}
	s := e.root.admin.reports
	s.service.SetSelected("Cable TV")
	s.year.SetSelected("2026")
	s.month.SetSelected("December")
	s.kind.SetSelected("Paid")
	return e, s
}

// waitDone waits until the screen's running preview or save has finished.
func waitDone(t *testing.T, done chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the report did not finish within 30 seconds")
	}
}

func adminSession(t *testing.T, e *uiEnv) service.Session {
	t.Helper()
	sess, err := e.svc.Login(context.Background(), "admin", testAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func TestReportsPreviewFillsTable(t *testing.T) {
	e, s := openReports(t, 900)
	test.Tap(s.preview)
	waitDone(t, s.busy)

	want, err := e.svc.ReportPreview(context.Background(), adminSession(t, e), s.filter())
	if err != nil {
		t.Fatal(err)
	}
	if want.Totals.Rows <= service.PreviewRows {
		t.Fatalf("the report has %d rows; the test needs more than %d", want.Totals.Rows, service.PreviewRows)
	}
	rows, cols := s.table.Length()
	if rows != service.PreviewRows || cols != 9 {
		t.Errorf("table size = %d×%d, want %d×9", rows, cols, service.PreviewRows)
	}
	if got := s.shown.Rows[0][0]; got != want.Rows[0][0] {
		t.Errorf("first CRF = %s, want %s", got, want.Rows[0][0])
	}
	total := want.Totals.Amount.Format("₹")
	if !strings.Contains(s.totals.Text, total) || !strings.Contains(s.totals.Text, fmt.Sprint(want.Totals.Rows)) {
		t.Errorf("totals label %q lacks %s or %d", s.totals.Text, total, want.Totals.Rows)
	}
	if !strings.Contains(s.status.Text, fmt.Sprintf("first %d of %d", service.PreviewRows, want.Totals.Rows)) {
		t.Errorf("status %q does not say the table is cut", s.status.Text)
	}
	if s.preview.Disabled() || s.save.Disabled() {
		t.Error("buttons still disabled after the preview")
	}
}

func TestReportsSaveWritesFile(t *testing.T) {
	_, s := openReports(t, 120)
	path := filepath.Join(t.TempDir(), "december.xlsx")
	f := s.filter()
	if f.Format != report.FormatXLSX {
		t.Fatalf("default format = %s, want xlsx", f.Format)
	}
	s.saveTo(f, path)
	waitDone(t, s.busy)

	if !strings.HasPrefix(s.status.Text, "Saved to "+path) {
		t.Errorf("status = %q", s.status.Text)
	}
	if s.progress.Visible() || s.cancel.Visible() {
		t.Error("progress bar or Cancel still shown after saving")
	}
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("saved file is not a workbook: %v", err)
	}
	defer book.Close()
	title, _ := book.GetCellValue(report.SheetName, "A2")
	if title != "Cable TV — paid — December 2026" {
		t.Errorf("title cell = %q", title)
	}
}

// pausingService holds a real save at its first progress report until
// the save is cancelled, so a test can press Cancel mid-way.
type pausingService struct {
	*service.Service
	started chan struct{}
	once    sync.Once
}

func (p *pausingService) SaveReport(ctx context.Context, sess service.Session, f service.ReportFilter, path string,
	progress func(done, total int)) error {
	return p.Service.SaveReport(ctx, sess, f, path, func(done, total int) {
		p.once.Do(func() {
			close(p.started)
			<-ctx.Done()
		})
		progress(done, total)
	})
}

func TestReportsCancelLeavesNoFile(t *testing.T) {
	e, opened := openReports(t, 120)
	paused := &pausingService{Service: e.svc, started: make(chan struct{})}
	s := newReportsScreen(paused, opened.session, e.win)
	e.win.SetContent(s.buildUI())
	s.kind.SetSelected("Unpaid")
	s.format.SetSelected("PDF")

	path := filepath.Join(t.TempDir(), "unpaid.pdf")
	s.saveTo(s.filter(), path)
	select {
	case <-paused.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the save did not start")
	}
	if !s.cancel.Visible() || !s.progress.Visible() {
		t.Error("Cancel and the progress bar are not shown while saving")
	}
	if !s.save.Disabled() {
		t.Error("Save… is enabled while saving")
	}
	test.Tap(s.cancel)
	waitDone(t, s.busy)

	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cancelled save left %s: %v", path, err)
	}
	if !strings.Contains(s.status.Text, "cancelled") {
		t.Errorf("status = %q, want it to say the save was cancelled", s.status.Text)
	}
}

func TestReportsRefusedForBadYear(t *testing.T) {
	_, s := openReports(t, 10)
	s.year.Options = append(s.year.Options, "0")
	s.year.SetSelected("0")
	test.Tap(s.preview)
	waitDone(t, s.busy)
	if !strings.Contains(s.status.Text, "year 0 is invalid") {
		t.Errorf("status = %q, want the invalid year named", s.status.Text)
	}
}

// TestReportsScreenshot writes docs/reports.png when CTVMS_SCREENSHOTS is
// set.
func TestReportsScreenshot(t *testing.T) {
	if os.Getenv("CTVMS_SCREENSHOTS") == "" {
		t.Skip("set CTVMS_SCREENSHOTS=1 to write docs/reports.png")
	}
	e, s := openReports(t, 400)
	if err := e.store.SaveSettings(context.Background(), "test", businessSettings(t, e)); err != nil {
		t.Fatal(err)
	}
	s.kind.SetSelected("Unpaid")
	test.Tap(s.preview)
	waitDone(t, s.busy)
	e.win.Resize(fyne.NewSize(1280, 760))
	img := e.win.Canvas().Capture()
	out, err := os.Create(filepath.Join("..", "docs", "reports.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, img); err != nil {
		t.Fatal(err)
	}
}

func businessSettings(t *testing.T, e *uiEnv) store.Settings {
	t.Helper()
	st, err := e.store.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.BusinessName = "Sunrise Cable Network"
	st.CurrencySymbol = "₹"
	return st
}
