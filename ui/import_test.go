package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store/importer"
	"github.com/ctvms/ctvms/store/service"
)

// importCSVWithProblems has a bad mobile in row 3 and an unknown plan in
// row 4, in the semicolon form that spreadsheets write in many locales.
const importCSVWithProblems = "CRF No;Customer name;Mobile;Email;Area;City;Cable plan;STB;Cable since\n" +
	"5001;Asha Rao;9876500001;asha@example.com;MG Road;Pune;Basic;STB-1;01/11/2026\n" +
	";Bala Iyer;98765;;Camp;Pune;Basic;STB-2;2026-11-15\n" +
	";Chitra Nair;9876500003;chitra@example.com;Kothrud;Pune;Gold;STB-3;15.10.2026\n"

const importCSVCorrected = "CRF No;Customer name;Mobile;Email;Area;City;Cable plan;STB;Cable since\n" +
	"5001;Asha Rao;9876500001;asha@example.com;MG Road;Pune;Basic;STB-1;01/11/2026\n" +
	";Bala Iyer;9876500002;;Camp;Pune;Basic;STB-2;2026-11-15\n" +
	";Chitra Nair;9876500003;chitra@example.com;Kothrud;Pune;basic;STB-3;15.10.2026\n"

func (e *uiEnv) openImport() *importScreen {
	e.t.Helper()
	_, err := e.svc.CreatePlan(context.Background(), e.root.Session(), service.PlanInput{
		Service: billing.ServiceCableTV, Name: "Basic", Price: "250", Active: true})
	if err != nil {
		e.t.Fatal(err)
	}
	if !e.root.admin.nav.openTitle("Import and export") {
		e.t.Fatal("no Import and export page")
	}
	return e.root.admin.imports
}

func writeImportFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportScreenFlow(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	s := e.openImport()
	if !s.importBtn.Disabled() || !s.dryRun.Disabled() {
		t.Fatal("Dry run and Import must be disabled before a file is chosen")
	}

	s.onFileChosen(writeImportFile(t, "bad.csv", importCSVWithProblems))
	s.work.Wait()
	if got := s.selects[importer.FieldCRF].Selected; got != "A: CRF No" {
		t.Errorf("CRF column = %q, want the proposed \"A: CRF No\"", got)
	}
	if got := s.selects[importer.FieldStreet].Selected; got != "E: Area" {
		t.Errorf("street column = %q, want \"E: Area\"", got)
	}
	if rows, cols := s.preview.Length(); rows != 3 || cols != 10 {
		t.Errorf("preview is %d×%d, want 3 rows of row number and 9 mapped fields", rows, cols)
	}
	if got := s.previewCell(tableCell(1, 2)); got != "Bala Iyer" {
		t.Errorf("preview row 3, Name = %q", got)
	}

	test.Tap(s.dryRun)
	s.work.Wait()
	if n, _ := s.problems.Length(); n != 2 {
		t.Fatalf("problems table has %d rows, want 2: %v", n, s.report.Problems)
	}
	wantProblems := [][2]string{{"3", "Mobile"}, {"4", "Cable plan"}}
	for i, want := range wantProblems {
		if row, col := s.problemCell(tableCell(i, 0)), s.problemCell(tableCell(i, 1)); row != want[0] || col != want[1] {
			t.Errorf("problem %d is row %s, %s; want row %s, %s", i, row, col, want[0], want[1])
		}
	}
	if !s.importBtn.Disabled() {
		t.Error("Import is enabled after a dry run with problems")
	}

	s.onFileChosen(writeImportFile(t, "good.csv", importCSVCorrected))
	s.work.Wait()
	if !s.importBtn.Disabled() {
		t.Error("Import is enabled for a new file before its dry run")
	}
	test.Tap(s.dryRun)
	s.work.Wait()
	if s.importBtn.Disabled() {
		t.Fatalf("Import is disabled after a clean dry run; status %q", s.status.Text)
	}
	test.Tap(s.importBtn)
	s.work.Wait()
	if !strings.HasPrefix(s.status.Text, "Imported 3 customers") {
		t.Errorf("status = %q", s.status.Text)
	}
	if !s.importBtn.Disabled() {
		t.Error("Import stays enabled after the import")
	}
	c, err := e.svc.Customer(context.Background(), e.root.Session(), 5001)
	if err != nil || c.Name != "Asha Rao" {
		t.Errorf("customer 5001 = %+v, %v", c, err)
	}
	// Bala has no email, so the screen shows his initial password.
	dialogText := overlayText(t, e)
	if !strings.Contains(dialogText, "1 customers got no welcome email") {
		t.Errorf("credentials dialog not shown; overlay text %q", dialogText)
	}
}

func TestImportScreenExport(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	s := e.openImport()
	s.onFileChosen(writeImportFile(t, "good.csv", importCSVCorrected))
	s.work.Wait()
	test.Tap(s.dryRun)
	s.work.Wait()
	test.Tap(s.importBtn)
	s.work.Wait()

	dir := t.TempDir()
	customers := filepath.Join(dir, "customers.csv")
	s.onExportCustomers(customers)
	s.work.Wait()
	if !strings.HasPrefix(s.status.Text, "Exported 3 customers") {
		t.Errorf("status = %q", s.status.Text)
	}
	data, err := os.ReadFile(customers)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "5001,Asha Rao,9876500001") {
		t.Errorf("export lacks customer 5001:\n%s", data)
	}

	s.onExportPayments(filepath.Join(dir, "payments.xlsx"))
	s.work.Wait()
	if !strings.HasPrefix(s.status.Text, "Exported 0 payments") {
		t.Errorf("status = %q", s.status.Text)
	}
}

// TestImportScreenshot writes docs/import.png to the folder named by
// CTVMS_SCREENSHOTS: the screen after a dry run that found problems.
func TestImportScreenshot(t *testing.T) {
	dir := os.Getenv("CTVMS_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CTVMS_SCREENSHOTS to a folder to write screenshots")
	}
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	s := e.openImport()
	s.onFileChosen(writeImportFile(t, "customers.csv", importCSVWithProblems))
	s.work.Wait()
	test.Tap(s.dryRun)
	s.work.Wait()

	f, err := os.Create(filepath.Join(dir, "import.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, e.win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

func tableCell(row, col int) widget.TableCellID {
	return widget.TableCellID{Row: row, Col: col}
}

// overlayText joins the text of every label in the topmost dialog.
func overlayText(t *testing.T, e *uiEnv) string {
	t.Helper()
	var texts []string
	for _, l := range findAll[*widget.Label](overlayContent(t, e.win)) {
		texts = append(texts, l.Text)
	}
	return strings.Join(texts, " ")
}
