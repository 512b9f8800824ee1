package service

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
)

// spanishReportEnv is the office of newReportEnv with Spanish chosen in
// the settings.
func spanishReportEnv(t *testing.T) *reportEnv {
	t.Helper()
	e := newReportEnv(t)
	if err := e.svc.SaveBusinessSettings(e.ctx, e.admin, languageInput("es")); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestReportTitleIn(t *testing.T) {
	f := decemberFilter(ReportUnpaid, report.FormatXLSX)
	if got, want := f.TitleIn(billing.English), "Cable TV — unpaid — December 2026"; got != want {
		t.Errorf("English title = %q, want %q", got, want)
	}
	if got, want := f.TitleIn(billing.Spanish), "TV por cable — impagos — diciembre de 2026"; got != want {
		t.Errorf("Spanish title = %q, want %q", got, want)
	}
	f.Service, f.Kind = billing.ServiceBroadband, ReportPaid
	if got, want := f.TitleIn(billing.Spanish), "Internet — pagados — diciembre de 2026"; got != want {
		t.Errorf("Spanish title = %q, want %q", got, want)
	}
}

func TestReportWordsCoverEveryValue(t *testing.T) {
	for _, kind := range ReportKinds {
		if _, ok := spanishReportWords.kinds[kind]; !ok {
			t.Errorf("no Spanish word for report kind %q", kind)
		}
		if got, want := len(spanishReportWords.columns(kind)), len(ReportColumns(kind)); got != want {
			t.Errorf("%s report has %d Spanish columns, want %d", kind, got, want)
		}
		for i, col := range spanishReportWords.columns(kind) {
			if english := ReportColumns(kind)[i]; col.Kind != english.Kind {
				t.Errorf("%s column %q has kind %v, English %q has %v", kind, col.Title, col.Kind, english.Title, english.Kind)
			}
		}
	}
	for _, st := range []billing.PeriodState{billing.StateScheduled, billing.StateDue, billing.StatePartial,
		billing.StatePaid, billing.StateWaived, billing.StateSkipped} {
		if _, ok := spanishReportWords.states[st]; !ok {
			t.Errorf("no Spanish word for period state %q", st)
		}
	}
	for _, st := range []billing.Status{billing.StatusActive, billing.StatusInactive, billing.StatusSuspended,
		billing.StatusDisconnected} {
		if _, ok := spanishReportWords.statuses[st]; !ok {
			t.Errorf("no Spanish word for status %q", st)
		}
	}
}

func TestReportPreviewSpanish(t *testing.T) {
	e := spanishReportEnv(t)
	p, err := e.svc.ReportPreview(e.ctx, e.admin, decemberFilter(ReportPaid, report.FormatXLSX))
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "TV por cable — pagados — diciembre de 2026" {
		t.Errorf("title = %q", p.Title)
	}
	if p.Columns[1].Title != "Nombre" || p.Columns[4].Title != "Monto pagado" {
		t.Errorf("columns = %v, want Spanish titles", p.Columns)
	}
	for _, row := range p.Rows {
		if row[1] == "Midnight Payer" && row[5] != "01 dic 2026 00:15" {
			t.Errorf("paid on = %q, want 01 dic 2026 00:15", row[5])
		}
		if row[6] != "efectivo" {
			t.Errorf("mode of %s = %q, want efectivo", row[1], row[6])
		}
	}
}

func TestReportExcelSpanish(t *testing.T) {
	e := spanishReportEnv(t)
	path := e.saveReport(decemberFilter(ReportUnpaid, report.FormatXLSX))
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetName, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}

	if rows[1][0] != "TV por cable — impagos — diciembre de 2026" {
		t.Errorf("title row = %q", rows[1])
	}
	if !strings.HasPrefix(rows[2][0], "Generado el 04 dic 2026 10:00") {
		t.Errorf("generated row = %q, want Spanish", rows[2][0])
	}
	want := []string{"CRF", "Nombre", "Celular", "Zona", "Plan", "Saldo del mes", "Saldo total", "Cuota", "Servicio"}
	if got := rows[report.HeadingRow-1]; !slices.Equal(got, want) {
		t.Errorf("column headings = %q, want %q", got, want)
	}
	data := rows[report.HeadingRow : len(rows)-1]
	for _, r := range data {
		if r[7] != "pendiente" && r[7] != "parcial" {
			t.Errorf("state of %s = %q, want pendiente or parcial", r[1], r[7])
		}
		if r[8] != "activo" && r[8] != "inactivo" {
			t.Errorf("status of %s = %q, want activo or inactivo", r[1], r[8])
		}
	}
	totals := rows[len(rows)-1]
	if totals[0] != "Total" || totals[1] != fmt.Sprintf("%d clientes", len(data)) {
		t.Errorf("totals labels = %q", totals[:2])
	}
}

func TestReportExcelSpanishDateFormat(t *testing.T) {
	e := spanishReportEnv(t)
	path := e.saveReport(decemberFilter(ReportPaid, report.FormatXLSX))
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dateCell := fmt.Sprintf("F%d", report.HeadingRow+1)
	styleID, err := f.GetCellStyle(report.SheetName, dateCell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil || !strings.HasPrefix(*style.CustomNumFmt, "[$-0C0A]") {
		t.Errorf("%s number format = %v, want the Spanish locale code", dateCell, style.CustomNumFmt)
	}
}

func TestReportPDFSpanish(t *testing.T) {
	e := spanishReportEnv(t)
	for _, kind := range ReportKinds {
		t.Run(string(kind), func(t *testing.T) {
			path := e.saveReport(decemberFilter(kind, report.FormatPDF))
			text := strings.Join(reportPages(t, path), "\n")
			words := []string{decemberFilter(kind, report.FormatPDF).TitleIn(billing.Spanish),
				"Generado el 04 dic 2026 10:00", "Nombre", "Celular", "Página 1 de 1", "clientes"}
			if kind == ReportPaid {
				words = append(words, "Monto pagado", "Pagado el", "01 dic 2026 00:15", "efectivo")
			} else {
				words = append(words, "Saldo del mes", "Saldo total", "pendiente", "inactivo")
			}
			for _, w := range words {
				if !strings.Contains(text, w) {
					t.Errorf("PDF lacks %q:\n%s", w, text)
				}
			}
			for _, w := range []string{"Generated", "Page 1", "Dec 2026", "customers"} {
				if strings.Contains(text, w) {
					t.Errorf("Spanish PDF contains the English %q", w)
				}
			}
		})
	}
}

func TestReportPDFSpanishWithoutRows(t *testing.T) {
	e := spanishReportEnv(t)
	f := decemberFilter(ReportPaid, report.FormatPDF)
	f.Year = 2020
	text := strings.Join(reportPages(t, e.saveReport(f)), "\n")
	if !strings.Contains(text, "No hay clientes en este informe.") {
		t.Errorf("empty PDF lacks the Spanish line:\n%s", text)
	}
	if !strings.Contains(text, "diciembre de 2020") {
		t.Errorf("empty PDF lacks the Spanish month:\n%s", text)
	}
}

func TestReportCommandFollowsLocale(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "es_MX.UTF-8")
	if got := localeLanguage(); got != billing.Spanish {
		t.Errorf("language with LC_MESSAGES=es_MX.UTF-8 = %q, want Spanish", got)
	}
	t.Setenv("LC_ALL", "C.UTF-8")
	if got := localeLanguage(); got != billing.English {
		t.Errorf("language with LC_ALL=C.UTF-8 = %q, want English", got)
	}
}
