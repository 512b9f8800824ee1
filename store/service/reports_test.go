package service

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/gen"
)

// reportEnv is an office with a ₹300 cable TV plan and the customers of
// December 2026 described in newReportEnv.
type reportEnv struct {
	*payEnv
	midnight, formula, boss, home, minus, broadband int64
}

// newReportEnv records this history, in UTC+5:30:
//   - "Midnight Payer" (mobile 0987654321), from 1 Nov: pays November on
//     1 Nov and December at 00:15 on 1 Dec, still 30 Nov in UTC.
//   - `=HYPERLINK("x")`, from 2 Dec: pays December.
//   - "+91 boss", from 1 Nov: pays ₹450, so November is paid and December
//     is partial with ₹150 owed.
//   - "@home", from 3 Dec: pays nothing.
//   - "-minus", from 1 Nov: pays nothing for two months.
//   - "Broad Band" has broadband only, paid for December.
func newReportEnv(t *testing.T) *reportEnv {
	t.Helper()
	e := &reportEnv{payEnv: newPayEnv(t)}
	e.clock.Set(time.Date(2026, time.November, 1, 10, 0, 0, 0, testLocation))
	e.midnight = e.customerWithMobile("Midnight Payer", "0987654321")
	e.connect(e.midnight, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))
	e.boss = e.customerWithMobile("+91 boss", "+919812345678")
	e.connect(e.boss, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))
	e.minus = e.customerWithMobile("-minus", "9700000005")
	e.connect(e.minus, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))
	e.collect(e.midnight, "300")

	e.clock.Set(time.Date(2026, time.December, 1, 0, 15, 0, 0, testLocation))
	e.collect(e.midnight, "300")

	e.clock.SetDate(billing.NewDate(2026, time.December, 4))
	e.formula = e.customerWithMobile(`=HYPERLINK("x")`, "9700000002")
	e.connect(e.formula, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.December, 2))
	e.home = e.customerWithMobile("@home", "9700000004")
	e.connect(e.home, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.December, 3))
	e.broadband = e.customerWithMobile("Broad Band", "9700000006")
	bb := e.addPlan(billing.ServiceBroadband, "Home 30", "499")
	e.connect(e.broadband, billing.ServiceBroadband, bb, billing.NewDate(2026, time.December, 1))
	if err := e.svc.RunBillingJobs(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.collect(e.formula, "300")
	e.collect(e.boss, "450")
	_, err := e.svc.CollectPayment(e.ctx, e.admin, PaymentInput{CRF: e.broadband, Service: billing.ServiceBroadband,
		Amount: "499", Mode: store.ModeCash, RequestKey: e.requestKeyFor(e.broadband, billing.ServiceBroadband)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *reportEnv) customerWithMobile(name, mobile string) int64 {
	e.t.Helper()
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: name, Mobile: mobile,
		Street: "Station Road", City: "Pune"})
	if err != nil {
		e.t.Fatalf("create customer %q: %v", name, err)
	}
	return nc.CRF
}

func (e *reportEnv) requestKeyFor(crf int64, service billing.Service) string {
	e.t.Helper()
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, crf, service)
	if err != nil {
		e.t.Fatal(err)
	}
	return q.RequestKey
}

func decemberFilter(kind ReportKind, format report.Format) ReportFilter {
	return ReportFilter{Service: billing.ServiceCableTV, Year: 2026, Month: time.December, Kind: kind, Format: format}
}

// saveReport saves a report into the test's data folder and returns its
// path.
func (e *reportEnv) saveReport(f ReportFilter) string {
	e.t.Helper()
	if err := e.svc.SaveReport(e.ctx, e.admin, f, "", nil); err != nil {
		e.t.Fatalf("save %s: %v", f.FileName(), err)
	}
	return e.svc.DefaultReportPath(f)
}

// sqlSum runs a one-number query on the database file through its own
// connection, independent of the store's report queries.
func sqlSum(t *testing.T, path, query string) billing.Money {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sum billing.Money
	if err := db.QueryRow(query).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

const (
	paidDecemberSQL = `SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocations a
		JOIN periods p ON p.id = a.period_id JOIN connections c ON c.id = p.connection_id
		WHERE c.service = 'cable_tv' AND p.starts_on >= '2026-12-01' AND p.starts_on < '2027-01-01'`
	unpaidDecemberSQL = `SELECT COALESCE(SUM(p.amount - p.paid), 0) FROM periods p
		JOIN connections c ON c.id = p.connection_id
		WHERE c.service = 'cable_tv' AND p.state IN ('due', 'partial')
		AND p.starts_on >= '2026-12-01' AND p.starts_on < '2027-01-01'`
)

func TestReportPreviewPaid(t *testing.T) {
	e := newReportEnv(t)
	p, err := e.svc.ReportPreview(e.ctx, e.admin, decemberFilter(ReportPaid, report.FormatXLSX))
	if err != nil {
		t.Fatal(err)
	}
	var crfs []string
	for _, row := range p.Rows {
		crfs = append(crfs, row[0])
	}
	want := []string{fmt.Sprint(e.midnight), fmt.Sprint(e.boss), fmt.Sprint(e.formula)}
	if !slices.Equal(crfs, want) {
		t.Errorf("paid CRFs = %v, want %v in CRF order", crfs, want)
	}
	if p.Totals.Rows != 3 {
		t.Errorf("rows = %d, want 3", p.Totals.Rows)
	}
	if p.Totals.Amount != 75000 {
		t.Errorf("amount = %s, want 750.00 (300 + 150 + 300)", p.Totals.Amount.Plain())
	}
	if got := sqlSum(t, e.store.Path(), paidDecemberSQL); got != p.Totals.Amount {
		t.Errorf("SQL sum = %s, preview total = %s", got.Plain(), p.Totals.Amount.Plain())
	}
	if p.Title != "Cable TV — paid — December 2026" {
		t.Errorf("title = %q", p.Title)
	}
	midnight := p.Rows[0]
	if midnight[2] != "0987654321" {
		t.Errorf("mobile = %q, want 0987654321", midnight[2])
	}
	if midnight[5] != "01 Dec 2026 00:15" {
		t.Errorf("paid on = %q, want the local time 01 Dec 2026 00:15", midnight[5])
	}
	if midnight[4] != "₹300.00" {
		t.Errorf("amount = %q, want ₹300.00", midnight[4])
	}
	if !strings.HasPrefix(midnight[8], "INV-2026-") {
		t.Errorf("invoice = %q", midnight[8])
	}
}

func TestReportMonthIsPeriodStartMonth(t *testing.T) {
	e := newReportEnv(t)
	nov := ReportFilter{Service: billing.ServiceCableTV, Year: 2026, Month: time.November, Kind: ReportPaid,
		Format: report.FormatPDF}
	p, err := e.svc.ReportPreview(e.ctx, e.admin, nov)
	if err != nil {
		t.Fatal(err)
	}
	var midnightRows [][]string
	for _, row := range p.Rows {
		if row[0] == fmt.Sprint(e.midnight) {
			midnightRows = append(midnightRows, row)
		}
	}
	if len(midnightRows) != 1 {
		t.Fatalf("November rows of the midnight payer = %d, want 1", len(midnightRows))
	}
	if got := midnightRows[0][5]; got != "01 Nov 2026 10:00" {
		t.Errorf("November payment time = %q: the 00:15 payment of 1 Dec must not count in November", got)
	}
	if got := midnightRows[0][4]; got != "₹300.00" {
		t.Errorf("November amount = %q, want ₹300.00", got)
	}
}

func TestReportPreviewUnpaid(t *testing.T) {
	e := newReportEnv(t)
	p, err := e.svc.ReportPreview(e.ctx, e.admin, decemberFilter(ReportUnpaid, report.FormatPDF))
	if err != nil {
		t.Fatal(err)
	}
	byCRF := map[string][]string{}
	for _, row := range p.Rows {
		byCRF[row[0]] = row
	}
	tests := []struct {
		name            string
		crf             int64
		due, total, st  string
		wantInReport    bool
		wantArea, wantP string
	}{
		{"partial payer", e.boss, "₹150.00", "₹150.00", "partial", true, "Station Road", "Gold 300"},
		{"new unpaid", e.home, "₹300.00", "₹300.00", "due", true, "Station Road", "Gold 300"},
		{"two months owed", e.minus, "₹300.00", "₹600.00", "due", true, "Station Road", "Gold 300"},
		{"paid", e.formula, "", "", "", false, "", ""},
		{"other service", e.broadband, "", "", "", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row, ok := byCRF[fmt.Sprint(tt.crf)]
			if ok != tt.wantInReport {
				t.Fatalf("in report = %v, want %v", ok, tt.wantInReport)
			}
			if !ok {
				return
			}
			if row[3] != tt.wantArea || row[4] != tt.wantP {
				t.Errorf("area, plan = %q, %q", row[3], row[4])
			}
			if row[5] != tt.due {
				t.Errorf("due this month = %q, want %q", row[5], tt.due)
			}
			if row[6] != tt.total {
				t.Errorf("total due = %q, want %q", row[6], tt.total)
			}
			if row[7] != tt.st {
				t.Errorf("state = %q, want %q", row[7], tt.st)
			}
		})
	}
	if got := sqlSum(t, e.store.Path(), unpaidDecemberSQL); got != p.Totals.Amount {
		t.Errorf("SQL sum = %s, preview total = %s", got.Plain(), p.Totals.Amount.Plain())
	}
	if p.Totals.TotalDue != 105000 {
		t.Errorf("total due = %s, want 1050.00 (150 + 300 + 600)", p.Totals.TotalDue.Plain())
	}
}

func TestReportRejectsCustomerAndBadFilter(t *testing.T) {
	e := newReportEnv(t)
	nc := e.addCustomer("Kiosk User")
	customer := e.loginCustomer(nc)
	f := decemberFilter(ReportPaid, report.FormatXLSX)
	if _, err := e.svc.ReportPreview(e.ctx, customer, f); !errors.Is(err, ErrForbidden) {
		t.Errorf("customer preview error = %v, want ErrForbidden", err)
	}
	if err := e.svc.SaveReport(e.ctx, customer, f, "", nil); !errors.Is(err, ErrForbidden) {
		t.Errorf("customer save error = %v, want ErrForbidden", err)
	}
	if _, err := os.Stat(e.svc.DefaultReportPath(f)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused save left a file: %v", err)
	}

	bad := []struct {
		name   string
		change func(*ReportFilter)
		want   string
	}{
		{"service", func(f *ReportFilter) { f.Service = "satellite" }, `service "satellite" is invalid; use "cable_tv" or "broadband"`},
		{"year", func(f *ReportFilter) { f.Year = 26 }, "year 26 is invalid"},
		{"month", func(f *ReportFilter) { f.Month = 13 }, "month 13 is invalid; use a month from 1 to 12"},
		{"kind", func(f *ReportFilter) { f.Kind = "overdue" }, `kind "overdue" is invalid; use "paid" or "unpaid"`},
		{"format", func(f *ReportFilter) { f.Format = "csv" }, `format "csv" is invalid; use "pdf" or "xlsx"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			f := decemberFilter(ReportPaid, report.FormatXLSX)
			tt.change(&f)
			_, err := e.svc.ReportPreview(e.ctx, e.admin, f)
			if !errors.Is(err, ErrInvalidReport) {
				t.Fatalf("error = %v, want ErrInvalidReport", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

// sheetXML is the part of xl/worksheets/sheet1.xml the tests read.
type sheetXML struct {
	Panes []struct {
		YSplit string `xml:"ySplit,attr"`
		State  string `xml:"state,attr"`
	} `xml:"sheetViews>sheetView>pane"`
	Rows []struct {
		R     int `xml:"r,attr"`
		Cells []struct {
			Ref     string  `xml:"r,attr"`
			Style   int     `xml:"s,attr"`
			Type    string  `xml:"t,attr"`
			Formula *string `xml:"f"`
			Value   string  `xml:"v"`
			Inline  string  `xml:"is>t"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
}

// readSheetXML unzips the workbook and returns the raw sheet XML and its
// decoded cells.
func readSheetXML(t *testing.T, path string) (string, sheetXML) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		raw, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		var sheet sheetXML
		if err := xml.Unmarshal(raw, &sheet); err != nil {
			t.Fatal(err)
		}
		return string(raw), sheet
	}
	t.Fatal("no xl/worksheets/sheet1.xml in the workbook")
	return "", sheetXML{}
}

func TestReportExcelCells(t *testing.T) {
	e := newReportEnv(t)
	path := e.saveReport(decemberFilter(ReportPaid, report.FormatXLSX))
	if filepath.Base(path) != "paid-cable_tv-2026-12.xlsx" {
		t.Errorf("file name = %s", filepath.Base(path))
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetName, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Sunrise Cable Network" || rows[1][0] != "Cable TV — paid — December 2026" {
		t.Errorf("header rows = %q, %q", rows[0], rows[1])
	}
	if !strings.HasPrefix(rows[2][0], "Generated 04 Dec 2026 10:00") {
		t.Errorf("generated row = %q, want the local time", rows[2][0])
	}
	if rows[report.HeadingRow-1][0] != "CRF" || rows[report.HeadingRow-1][4] != "Amount paid" {
		t.Errorf("column headings = %q", rows[report.HeadingRow-1])
	}
	first := report.HeadingRow + 1 // first data row, 1-based

	// Mobile with a leading zero stays text.
	mobileCell := fmt.Sprintf("C%d", first)
	if v, _ := f.GetCellValue(report.SheetName, mobileCell); v != "0987654321" {
		t.Errorf("%s = %q, want 0987654321", mobileCell, v)
	}
	for _, cell := range []string{fmt.Sprintf("A%d", first), mobileCell} {
		typ, err := f.GetCellType(report.SheetName, cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString {
			t.Errorf("%s type = %v, want an inline string", cell, typ)
		}
	}

	// Amount is a number with the money format.
	amountCell := fmt.Sprintf("E%d", first)
	if v, _ := f.GetCellValue(report.SheetName, amountCell, excelize.Options{RawCellValue: true}); v != "300" {
		t.Errorf("%s raw value = %q, want 300", amountCell, v)
	}
	styleID, err := f.GetCellStyle(report.SheetName, amountCell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil || *style.CustomNumFmt != report.MoneyFormat("₹") {
		t.Errorf("%s number format = %v, want %s", amountCell, style.CustomNumFmt, report.MoneyFormat("₹"))
	}

	// Payment date is a date serial in local time with a date format.
	dateCell := fmt.Sprintf("F%d", first)
	raw, _ := f.GetCellValue(report.SheetName, dateCell, excelize.Options{RawCellValue: true})
	var serial float64
	if _, err := fmt.Sscan(raw, &serial); err != nil {
		t.Fatalf("%s = %q, not a number: %v", dateCell, raw, err)
	}
	got, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, time.December, 1, 0, 15, 0, 0, time.UTC); !got.Round(time.Second).Equal(want) {
		t.Errorf("%s = %v, want the local wall time %v", dateCell, got, want)
	}
	if styleID, _ := f.GetCellStyle(report.SheetName, dateCell); styleID == 0 {
		t.Errorf("%s has no style", dateCell)
	} else if s, _ := f.GetStyle(styleID); s.CustomNumFmt == nil || *s.CustomNumFmt != report.ExcelDateFormat {
		t.Errorf("%s number format = %v, want %s", dateCell, s.CustomNumFmt, report.ExcelDateFormat)
	}

	// The totals row is the sum of the rows and of an independent query.
	data := rows[report.HeadingRow : len(rows)-1]
	totals := rows[len(rows)-1]
	var sum billing.Money
	for _, r := range data {
		m, err := billing.ParseMoney(r[4])
		if err != nil {
			t.Fatalf("amount %q: %v", r[4], err)
		}
		sum += m
	}
	if totals[0] != "Total" || totals[1] != "3 customers" {
		t.Errorf("totals labels = %q", totals[:2])
	}
	total, err := billing.ParseMoney(totals[4])
	if err != nil {
		t.Fatalf("total %q: %v", totals[4], err)
	}
	if total != sum {
		t.Errorf("totals row = %s, sum of rows = %s", total.Plain(), sum.Plain())
	}
	if want := sqlSum(t, e.store.Path(), paidDecemberSQL); total != want {
		t.Errorf("totals row = %s, SQL sum = %s", total.Plain(), want.Plain())
	}
}

func TestReportExcelKeepsFormulaLikeNamesLiteral(t *testing.T) {
	e := newReportEnv(t)
	for _, kind := range ReportKinds {
		t.Run(string(kind), func(t *testing.T) {
			path := e.saveReport(decemberFilter(kind, report.FormatXLSX))
			raw, sheet := readSheetXML(t, path)
			if strings.Contains(raw, "<f>") || strings.Contains(raw, "<f ") {
				t.Error("the sheet XML contains a formula element")
			}
			names := map[string]bool{}
			for _, row := range sheet.Rows {
				for _, c := range row.Cells {
					if c.Formula != nil {
						t.Errorf("cell %s has formula %q", c.Ref, *c.Formula)
					}
					if strings.HasPrefix(c.Ref, "B") {
						if c.Type != "inlineStr" {
							t.Errorf("name cell %s type = %q, want inlineStr", c.Ref, c.Type)
						}
						names[c.Inline] = true
					}
				}
			}
			want := map[ReportKind][]string{
				ReportPaid:   {`=HYPERLINK("x")`, "+91 boss"},
				ReportUnpaid: {"+91 boss", "@home", "-minus"},
			}[kind]
			for _, name := range want {
				if !names[name] {
					t.Errorf("name %q not found as literal text; names: %v", name, names)
				}
			}
		})
	}
}

func TestReportExcelLayout(t *testing.T) {
	e := newReportEnv(t)
	path := e.saveReport(decemberFilter(ReportUnpaid, report.FormatXLSX))
	raw, sheet := readSheetXML(t, path)
	if len(sheet.Panes) != 1 || sheet.Panes[0].State != "frozen" || sheet.Panes[0].YSplit != fmt.Sprint(report.HeadingRow) {
		t.Errorf("panes = %+v, want rows 1 to %d frozen", sheet.Panes, report.HeadingRow)
	}
	if !strings.Contains(raw, `customWidth="1"`) {
		t.Error("no column width set")
	}
	last := sheet.Rows[len(sheet.Rows)-1]
	for _, c := range last.Cells {
		if strings.HasPrefix(c.Ref, "F") || strings.HasPrefix(c.Ref, "G") {
			if c.Type != "" {
				t.Errorf("total %s type = %q, want a number", c.Ref, c.Type)
			}
		}
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(report.SheetName, excelize.Options{RawCellValue: true})
	totals := rows[len(rows)-1]
	if totals[5] != "750" || totals[6] != "1050" {
		t.Errorf("totals = %q, %q, want 750 and 1050", totals[5], totals[6])
	}
}

// reportPages returns the text of each page of the PDF at path.
func reportPages(t *testing.T, path string) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

func TestReportPDFMatchesExcel(t *testing.T) {
	e := newReportEnv(t)
	for _, kind := range ReportKinds {
		t.Run(string(kind), func(t *testing.T) {
			preview, err := e.svc.ReportPreview(e.ctx, e.admin, decemberFilter(kind, report.FormatPDF))
			if err != nil {
				t.Fatal(err)
			}
			pdfPath := e.saveReport(decemberFilter(kind, report.FormatPDF))
			xlsxPath := e.saveReport(decemberFilter(kind, report.FormatXLSX))
			text := strings.Join(reportPages(t, pdfPath), "\n")

			for _, row := range preview.Rows {
				if !strings.Contains(text, row[0]) {
					t.Errorf("CRF %s missing from the PDF", row[0])
				}
			}
			f, err := excelize.OpenFile(xlsxPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, _ := f.GetRows(report.SheetName)
			excelTotals := rows[len(rows)-1]
			amountCol := slices.IndexFunc(preview.Columns, func(c report.Column) bool { return c.Kind == report.Amount })
			total := excelTotals[amountCol]
			if total != preview.Totals.Amount.Format("₹") {
				t.Errorf("Excel total %q, preview total %s", total, preview.Totals.Amount.Format("₹"))
			}
			totalLine := lineWith(text, "Total")
			if !strings.Contains(totalLine, total) {
				t.Errorf("PDF totals line %q lacks the Excel total %q", totalLine, total)
			}
			if !strings.Contains(text, "Sunrise Cable Network") || !strings.Contains(text, preview.Title) {
				t.Error("PDF header lacks the business name or the title")
			}
			if !strings.Contains(text, "Page 1 of 1") {
				t.Error("PDF lacks Page 1 of 1")
			}
		})
	}
}

// lineWith returns the first line of text that starts with prefix after
// spaces.
func lineWith(text, prefix string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), prefix) {
			return line
		}
	}
	return ""
}

// generatedEnv is an office of generated customers; its December 2026
// cable TV paid report has a few hundred rows.
func generatedEnv(t *testing.T, customers int) *env {
	t.Helper()
	e := newEnv(t)
	_, err := gen.Generate(e.ctx, e.store.Path(), gen.Options{Customers: customers, Seed: 3, Year: 2026,
		Month: time.December, Months: 3, Location: testLocation, BroadbandShare: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestReportPDFPages(t *testing.T) {
	e := generatedEnv(t, 320)
	f := decemberFilter(ReportPaid, report.FormatPDF)
	preview, err := e.svc.ReportPreview(e.ctx, e.admin, f)
	if err != nil {
		t.Fatal(err)
	}
	if preview.Totals.Rows < 200 {
		t.Fatalf("only %d rows; the test needs at least 200", preview.Totals.Rows)
	}
	if err := e.svc.SaveReport(e.ctx, e.admin, f, "", nil); err != nil {
		t.Fatal(err)
	}
	pages := reportPages(t, e.svc.DefaultReportPath(f))
	if len(pages) < 2 {
		t.Fatalf("pages = %d, want more than one", len(pages))
	}
	for i, page := range pages {
		heading := lineWith(page, "CRF")
		for _, col := range []string{"CRF", "Name", "Mobile", "Amount paid", "Paid on", "Invoice"} {
			if !strings.Contains(heading, col) {
				t.Errorf("page %d headings %q lack %q", i+1, heading, col)
			}
		}
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(page, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	all := strings.Join(pages, "\n")
	for _, row := range preview.Rows {
		if !strings.Contains(all, row[0]) {
			t.Errorf("CRF %s missing from the PDF", row[0])
		}
	}
	if !strings.Contains(lineWith(pages[len(pages)-1], "Total"), preview.Totals.Amount.Format("₹")) {
		t.Errorf("last page lacks the total %s", preview.Totals.Amount.Format("₹"))
	}
}

func TestSaveReportCancelledLeavesNoFile(t *testing.T) {
	e := generatedEnv(t, 320)
	for _, format := range report.Formats {
		t.Run(string(format), func(t *testing.T) {
			f := decemberFilter(ReportPaid, format)
			path := e.svc.DefaultReportPath(f)
			ctx, cancel := context.WithCancel(e.ctx)
			defer cancel()
			var seen [][2]int
			err := e.svc.SaveReport(ctx, e.admin, f, "", func(done, total int) {
				seen = append(seen, [2]int{done, total})
				if done > 0 && done < total {
					cancel()
				}
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled (progress %v)", err, seen)
			}
			if last := seen[len(seen)-1]; last[0] == 0 || last[0] == last[1] {
				t.Errorf("progress = %v, want the cancel between the start and the end", seen)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("cancelled report left %s: %v", path, err)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, entry := range entries {
				t.Errorf("cancelled report left %s in the reports folder", entry.Name())
			}
		})
	}
}

func TestSaveReportCancelKeepsOldFile(t *testing.T) {
	e := generatedEnv(t, 320)
	f := decemberFilter(ReportPaid, report.FormatXLSX)
	path := filepath.Join(t.TempDir(), "kept.xlsx")
	old := []byte("an earlier report")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	err := e.svc.SaveReport(ctx, e.admin, f, path, func(done, _ int) {
		if done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Errorf("the file was changed by a cancelled save: %q", got)
	}
}

func TestSaveReportProgress(t *testing.T) {
	e := generatedEnv(t, 320)
	f := decemberFilter(ReportUnpaid, report.FormatXLSX)
	var calls [][2]int
	err := e.svc.SaveReport(e.ctx, e.admin, f, "", func(done, total int) {
		calls = append(calls, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 {
		t.Fatalf("progress calls = %v, want a start and an end", calls)
	}
	first, last := calls[0], calls[len(calls)-1]
	if first[0] != 0 || last[0] != last[1] || last[1] == 0 {
		t.Errorf("progress went from %v to %v, want 0/N to N/N", first, last)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] {
			t.Errorf("progress went back from %v to %v", calls[i-1], calls[i])
		}
	}
}

// TestReportPageImage writes docs/report-page.png, the first page of an
// unpaid PDF report, when CTVMS_SCREENSHOTS is set.
func TestReportPageImage(t *testing.T) {
	if os.Getenv("CTVMS_SCREENSHOTS") == "" {
		t.Skip("set CTVMS_SCREENSHOTS=1 to write docs/report-page.png")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	e := newReportEnv(t)
	long := e.customerWithMobile("Venkata Satya Lakshmi Narasimha Raghavendra Subrahmanyam", "0812345678")
	e.connect(long, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.December, 1))
	if _, err := gen.Generate(e.ctx, e.store.Path(), gen.Options{Customers: 60, Seed: 3, Year: 2026,
		Month: time.December, Months: 3, Location: testLocation}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RunBillingJobs(e.ctx); err != nil {
		t.Fatal(err)
	}
	f := decemberFilter(ReportUnpaid, report.FormatPDF)
	path := e.saveReport(f)
	out := filepath.Join("..", "..", "docs", "report-page")
	if b, err := exec.Command("pdftoppm", "-png", "-r", "60", "-singlefile", path, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
}

func TestReportCommandRejectsBadOptions(t *testing.T) {
	dir := t.TempDir()
	base := []string{"-data", dir, "-service", "cable_tv", "-year", "2026", "-month", "12", "-kind", "unpaid"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"service", []string{"-service", "satellite"}, `invalid -service "satellite": use cable_tv or broadband`},
		{"year", []string{"-year", "20x6"}, `invalid -year "20x6": use a whole number from 1900 to 9999`},
		{"month", []string{"-month", "13"}, `invalid -month "13": use a whole number from 1 to 12`},
		{"kind", []string{"-kind", "overdue"}, `invalid -kind "overdue": use paid or unpaid`},
		{"format", []string{"-format", "csv"}, `invalid -format "csv": use pdf or xlsx`},
		{"unknown option", []string{"-colour", "red"}, "flag provided but not defined: -colour; the options are"},
		{"extra argument", []string{"now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := RunReportCommand(append(slices.Clone(base), tt.args...), &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			msg := stderr.String()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("stderr %q lacks %q", msg, tt.want)
			}
			if strings.Count(msg, "\n") != 1 {
				t.Errorf("stderr has %d lines, want one: %q", strings.Count(msg, "\n"), msg)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}

	var stdout, stderr bytes.Buffer
	if code := RunReportCommand([]string{"-data", dir, "-kind", "paid"}, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "missing -service: use cable_tv or broadband") {
		t.Errorf("missing -service: exit %d, stderr %q", code, stderr.String())
	}
}

func TestReportCommandWritesFile(t *testing.T) {
	e := newReportEnv(t)
	dir := e.svc.DataDir()
	args := []string{"-data", dir, "-service", "cable_tv", "-year", "2026", "-month", "12", "-kind", "unpaid",
		"-format", "xlsx"}
	var stdout, stderr bytes.Buffer
	if code := RunReportCommand(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code = %d, stderr %q", code, stderr.String())
	}
	want := filepath.Join(dir, "reports", "unpaid-cable_tv-2026-12.xlsx")
	if got := strings.TrimSpace(stdout.String()); got != want {
		t.Errorf("printed path = %q, want %q", got, want)
	}
	f, err := excelize.OpenFile(want)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(report.SheetName)
	f.Close()
	if got := rows[len(rows)-1][1]; got != "3 customers" {
		t.Errorf("totals row count = %q, want 3 customers", got)
	}
	logText, err := os.ReadFile(filepath.Join(dir, "logs", "ctvms.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logText), "report end") || !strings.Contains(string(logText), "actor=os:") {
		t.Errorf("log lacks the run:\n%s", logText)
	}

	out := filepath.Join(t.TempDir(), "december.pdf")
	stdout.Reset()
	args = append(args[:len(args)-2], "-format", "pdf", "-out", out)
	if code := RunReportCommand(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code = %d, stderr %q", code, stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != out {
		t.Errorf("printed path = %q, want %q", got, out)
	}
	if text := strings.Join(reportPages(t, out), "\n"); !strings.Contains(text, "₹750.00") {
		t.Errorf("PDF lacks the total ₹750.00:\n%s", text)
	}
}

func TestReportCommandNeedsDatabase(t *testing.T) {
	empty := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := RunReportCommand([]string{"-data", empty, "-service", "broadband", "-kind", "paid"}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "no database in the data folder "+empty) {
		t.Errorf("stderr = %q", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(empty, store.DatabaseFile)); !errors.Is(err, os.ErrNotExist) {
		t.Error("the command created a database")
	}
}
