package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
)

var today = billing.NewDate(2026, time.December, 4)

func TestParseDate(t *testing.T) {
	cases := []struct {
		name   string
		text   string
		serial bool
		want   billing.Date
		err    string
	}{
		{"iso", "2024-03-05", false, billing.NewDate(2024, time.March, 5), ""},
		{"iso single digits", "2024-3-5", false, billing.NewDate(2024, time.March, 5), ""},
		{"day first slash", "05/03/2024", false, billing.NewDate(2024, time.March, 5), ""},
		{"day first dash", "05-03-2024", false, billing.NewDate(2024, time.March, 5), ""},
		{"day first dot", "05.03.2024", false, billing.NewDate(2024, time.March, 5), ""},
		{"short day and month", "5/3/2024", false, billing.NewDate(2024, time.March, 5), ""},
		{"day above twelve", "25/12/2020", false, billing.NewDate(2020, time.December, 25), ""},
		{"leap day", "29/02/2024", false, billing.NewDate(2024, time.February, 29), ""},
		{"month first detected", "12/25/2020", false, billing.Date{}, "month/day/year"},
		{"no such day", "31/02/1990", false, billing.Date{}, "does not exist"},
		{"not a leap year", "2023-02-29", false, billing.Date{}, "does not exist"},
		{"month thirteen iso", "2020-13-01", false, billing.Date{}, "does not exist"},
		{"mixed separators", "05/03-2024", false, billing.Date{}, "not in a known form"},
		{"two digit year", "05/03/24", false, billing.Date{}, "not in a known form"},
		{"words", "yesterday", false, billing.Date{}, "not in a known form"},
		{"serial in csv", "45658", false, billing.Date{}, "not in a known form"},
		{"serial in xlsx", "45658", true, billing.NewDate(2025, time.January, 1), ""},
		{"serial with time", "45658.75", true, billing.NewDate(2025, time.January, 1), ""},
		{"first serial", "1", true, billing.NewDate(1900, time.January, 1), ""},
		{"serial after 1900 leap bug", "61", true, billing.NewDate(1900, time.March, 1), ""},
		{"serial zero", "0", true, billing.Date{}, "not in a known form"},
		{"serial too large", "99999999", true, billing.Date{}, "not in a known form"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseDate(c.text, c.serial)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("ParseDate(%q) error = %v, want one containing %q", c.text, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", c.text, err)
			}
			if got != c.want {
				t.Errorf("ParseDate(%q) = %s, want %s", c.text, got, c.want)
			}
		})
	}
}

func TestSerialDateMatchesExcelize(t *testing.T) {
	for _, serial := range []float64{1, 59, 61, 367, 25569, 45000, 45658, 73051} {
		want, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseDate(strconv.FormatFloat(serial, 'f', -1, 64), true)
		if err != nil {
			t.Fatalf("serial %v: %v", serial, err)
		}
		if got != billing.DateOf(want) {
			t.Errorf("serial %v = %s, excelize says %s", serial, got, billing.DateOf(want))
		}
	}
}

func TestProposeMappingSynonyms(t *testing.T) {
	headers := []string{"Customer ID", "Customer name", "Mobile No.", "E-mail", "Address line 1", "Area",
		"District", "State", "PIN", "ID proof type", "ID proof number", "DOB", "Remarks", "Cable plan",
		"STB", "Cable since", "Broadband plan", "Router MAC", "Broadband activation", "Unknown"}
	m := ProposeMapping(headers)
	want := Mapping{FieldCRF: 0, FieldName: 1, FieldMobile: 2, FieldEmail: 3, FieldHouse: 4, FieldStreet: 5,
		FieldCity: 6, FieldState: 7, FieldPostalCode: 8, FieldIDProofType: 9, FieldIDProofNumber: 10,
		FieldDateOfBirth: 11, FieldNotes: 12, FieldCablePlan: 13, FieldCableDevice: 14,
		FieldCableActivation: 15, FieldBroadbandPlan: 16, FieldBroadbandDevice: 17,
		FieldBroadbandActivation: 18}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("ProposeMapping = %v\nwant %v", m, want)
	}
	if err := m.Check(headers); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestProposeMappingFirstColumnWins(t *testing.T) {
	m := ProposeMapping([]string{"phone", "MOBILE", "ISP username"})
	if i, _ := m.Column(FieldMobile); i != 0 {
		t.Errorf("mobile mapped to column %d, want 0", i)
	}
	if i, _ := m.Column(FieldBroadbandDevice); i != 2 {
		t.Errorf("broadband device mapped to column %d, want 2", i)
	}
}

func TestMappingCheck(t *testing.T) {
	headers := []string{"Name", "Mobile", "Notes"}
	cases := []struct {
		name string
		m    Mapping
		want string
	}{
		{"name missing", Mapping{FieldMobile: 1}, "choose the column that holds Name"},
		{"shared column", Mapping{FieldName: 0, FieldMobile: 1, FieldNotes: 1}, "Mobile and Notes are both mapped"},
		{"outside headers", Mapping{FieldName: 0, FieldMobile: 7}, "the sheet has 3 columns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.m.Check(headers)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Check = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %s, want %s", i, got, want)
		}
	}
}

func TestReadCSVSemicolonAndBOM(t *testing.T) {
	text := "\uFEFFName;Mobile;Notes\r\nÉmile Zoë;9876543210;\"a; b\"\r\n;;\r\nRaj;'+919876500000;'=1+1\r\n"
	tbl, err := ReadCSV(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tbl.Headers, []string{"Name", "Mobile", "Notes"}) {
		t.Errorf("headers = %q", tbl.Headers)
	}
	if len(tbl.Rows) != 2 {
		t.Fatalf("rows = %d, want 2 (the blank row dropped)", len(tbl.Rows))
	}
	if got := tbl.Rows[0].Cells; !reflect.DeepEqual(got, []string{"Émile Zoë", "9876543210", "a; b"}) {
		t.Errorf("row 2 = %q", got)
	}
	if tbl.Rows[1].Number != 4 {
		t.Errorf("second data row number = %d, want 4", tbl.Rows[1].Number)
	}
	if got := tbl.Rows[1].Cells; !reflect.DeepEqual(got, []string{"Raj", "+919876500000", "=1+1"}) {
		t.Errorf("row 4 = %q, want the quotes of neutralised values removed", got)
	}
	if tbl.SerialDates {
		t.Error("a CSV table must not read numbers as serial dates")
	}
}

func TestReadCSVComma(t *testing.T) {
	tbl, err := ReadCSV(strings.NewReader("Name,Mobile\n\"Rao; Jr\",98765\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := tbl.Rows[0].Cells; !reflect.DeepEqual(got, []string{"Rao; Jr", "98765"}) {
		t.Errorf("row = %q", got)
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"not utf8", "Name\nok\nJos\xe9\n", "line 3 is not UTF-8"},
		{"no header", "", "first row has no column names"},
		{"bare quote", "Name,Mobile\nA\"b,1\n", "invalid CSV"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(c.text))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadCSV error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestReadFileRejectsXLS(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "old.xls"), "")
	if err == nil || !strings.Contains(err.Error(), "save the sheet as .xlsx or .csv") {
		t.Errorf("ReadFile(.xls) error = %v", err)
	}
}

// TestReadXLSXRawCells writes a sheet with a real date cell, a long
// number, a gap row and a second sheet, then reads it back.
func TestReadXLSXRawCells(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.xlsx")
	f := excelize.NewFile()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"Name", "Mobile", "Cable since", "Cable plan"}))
	must(t, f.SetSheetRow("Sheet1", "A2", &[]any{"Asha", 9876543210, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "Basic"}))
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(t, err)
	must(t, f.SetCellStyle("Sheet1", "C2", "C2", style))
	must(t, f.SetSheetRow("Sheet1", "A4", &[]any{"Bala", "98765 43211", "05/03/2024", "Basic"}))
	_, err = f.NewSheet("Other")
	must(t, err)
	must(t, f.SetSheetRow("Other", "A1", &[]any{"Name", "Mobile"}))
	must(t, f.SetSheetRow("Other", "A2", &[]any{"Chitra", "9000000000"}))
	must(t, f.SaveAs(path))

	sheets, err := Sheets(path)
	must(t, err)
	if !reflect.DeepEqual(sheets, []string{"Sheet1", "Other"}) {
		t.Errorf("Sheets = %q", sheets)
	}
	tbl, err := ReadFile(path, "")
	must(t, err)
	if len(tbl.Rows) != 2 || tbl.Rows[0].Number != 2 || tbl.Rows[1].Number != 4 {
		t.Fatalf("rows = %+v, want rows 2 and 4", tbl.Rows)
	}
	if got := tbl.Rows[0].Cell(1); got != "9876543210" {
		t.Errorf("mobile = %q, want every digit", got)
	}
	records, problems := Parse(tbl, ProposeMapping(tbl.Headers), ParseOptions{Today: today})
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	want := billing.NewDate(2024, time.March, 5)
	for _, r := range records {
		if r.CableTV.ActivatedOn != want {
			t.Errorf("row %d activation = %s, want %s", r.Row, r.CableTV.ActivatedOn, want)
		}
	}

	other, err := ReadFile(path, "Other")
	must(t, err)
	if len(other.Rows) != 1 || other.Rows[0].Cell(0) != "Chitra" {
		t.Errorf("sheet Other rows = %+v", other.Rows)
	}
	if _, err := ReadFile(path, "Missing"); err == nil || !strings.Contains(err.Error(), `no sheet "Missing"`) {
		t.Errorf("missing sheet error = %v", err)
	}
}

func TestParseReportsCellProblems(t *testing.T) {
	headers := []string{"CRF", "Name", "Mobile", "DOB", "Cable plan", "STB", "Cable since",
		"Broadband plan", "ISP username", "Broadband since"}
	rows := [][]string{
		{"1001", "Asha", "9876543210", "21/07/1985", "Basic", "STB-1", "01/01/2024", "", "", ""},
		{"12a", "Bala", "9876543211", "", "", "", "", "", "", ""},
		{"1001", "Chitra", "9876543212", "", "", "", "", "", "", ""},
		{"0", "Dev", "9876543213", "1985/07/21", "", "", "", "", "", ""},
		{"", "Esha", "9876543214", "", "Basic", "", "2026-12-05", "", "user1", ""},
		{"", "Farid", "9876543215", "", "", "STB-9", "", "", "", "01/02/2020"},
		{"-4", "Gita", "9876543216", "", "", "", "", "Fiber 50", "", "02/13/2024"},
	}
	tbl := Table{Headers: headers}
	for i, r := range rows {
		tbl.Rows = append(tbl.Rows, Row{Number: i + 2, Cells: r})
	}
	records, problems := Parse(tbl, ProposeMapping(headers), ParseOptions{Today: today})
	if len(records) != len(rows) {
		t.Fatalf("records = %d, want %d", len(records), len(rows))
	}
	want := []struct {
		row    int
		column string
		text   string
	}{
		{3, "CRF", `CRF "12a" is not a positive whole number`},
		{4, "CRF", "CRF 1001 is also in row 2"},
		{5, "CRF", `CRF "0" is not a positive whole number`},
		{5, "DOB", `Date of birth "1985/07/21" is not in a known form`},
		{6, "Cable since", "Cable activation 2026-12-05 is in the future"},
		{6, "ISP username", "Broadband device is filled but Broadband plan is empty"},
		{7, "STB", "Set-top box is filled but Cable plan is empty"},
		{7, "Broadband since", "Broadband activation is filled but Broadband plan is empty"},
		{8, "CRF", `CRF "-4" is not a positive whole number`},
		{8, "Broadband since", `Broadband activation "02/13/2024" looks like month/day/year`},
	}
	if len(problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(problems), len(want), problems)
	}
	for i := 0; i < min(len(want), len(problems)); i++ {
		p, w := problems[i], want[i]
		if p.Row != w.row || p.Column != w.column || !strings.Contains(p.Message, w.text) {
			t.Errorf("problem %d = %s, want row %d, %s: %s", i, p, w.row, w.column, w.text)
		}
	}

	first := records[0]
	if first.CRF != 1001 || first.DateOfBirth != billing.NewDate(1985, time.July, 21) {
		t.Errorf("row 2 = %+v", first)
	}
	if first.CableTV != (ServiceRecord{Plan: "Basic", Device: "STB-1", ActivatedOn: billing.NewDate(2024, 1, 1)}) {
		t.Errorf("row 2 cable = %+v", first.CableTV)
	}
	if records[1].CRF != 0 {
		t.Errorf("invalid CRF kept as %d, want 0", records[1].CRF)
	}
}

func TestNeutralize(t *testing.T) {
	cases := map[string]string{
		"=1+1": "'=1+1", "+919876543210": "'+919876543210", "-5": "'-5", "@home": "'@home",
		"\tx": "'\tx", "plain": "plain", "": "", "'quoted": "'quoted", "a=b": "a=b",
	}
	for in, want := range cases {
		got := Neutralize(in)
		if got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if back := Unneutralize(got); back != in {
			t.Errorf("Unneutralize(%q) = %q, want %q", got, back, in)
		}
	}
}

// TestWriteNeutralizes writes the same row to CSV and XLSX and checks that
// the CSV carries the quote while the XLSX stores plain text cells.
func TestWriteNeutralizes(t *testing.T) {
	dir := t.TempDir()
	values := []string{"=1+1", "+919876543210", "-5", "@home"}
	row := make([]any, len(values))
	for i, v := range values {
		row[i] = v
	}
	headers := []string{"A", "B", "C", "D"}
	for _, format := range []Format{FormatCSV, FormatXLSX} {
		path := filepath.Join(dir, "out."+string(format))
		w, err := Create(path, format, "Customers", headers)
		must(t, err)
		must(t, w.WriteRow(row))
		must(t, w.Close())
	}

	data, err := os.ReadFile(filepath.Join(dir, "out.csv"))
	must(t, err)
	if want := "A,B,C,D\r\n'=1+1,'+919876543210,'-5,'@home\r\n"; string(data) != "\uFEFF"+want {
		t.Errorf("CSV = %q, want %q after the BOM", data, want)
	}

	f, err := excelize.OpenFile(filepath.Join(dir, "out.xlsx"))
	must(t, err)
	defer f.Close()
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		got, err := f.GetCellValue("Customers", cell)
		must(t, err)
		if got != v {
			t.Errorf("%s = %q, want %q", cell, got, v)
		}
		typ, err := f.GetCellType("Customers", cell)
		must(t, err)
		if typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want an inline string", cell, typ)
		}
		formula, err := f.GetCellFormula("Customers", cell)
		must(t, err)
		if formula != "" {
			t.Errorf("%s has formula %q, want none", cell, formula)
		}
	}
}

// TestWriteReadRoundTrip writes typed values and reads them back through
// ReadFile in both formats.
func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	headers := []string{"Name", "Cable activation", "Amount due", "Notes", "Count"}
	row := []any{"Émile Zoë", billing.NewDate(2024, time.February, 29), billing.Money(123456),
		"line one\nline two, \"quoted\"", int64(42)}
	for _, format := range []Format{FormatCSV, FormatXLSX} {
		t.Run(string(format), func(t *testing.T) {
			path := filepath.Join(dir, "round."+string(format))
			w, err := Create(path, format, "Sheet", headers)
			must(t, err)
			must(t, w.WriteRow(row))
			must(t, w.WriteRow([]any{"Second", billing.Date{}, billing.Money(5), "", int64(0)}))
			must(t, w.Close())

			tbl, err := ReadFile(path, "")
			must(t, err)
			if !reflect.DeepEqual(tbl.Headers, headers) {
				t.Errorf("headers = %q", tbl.Headers)
			}
			if len(tbl.Rows) != 2 {
				t.Fatalf("rows = %d, want 2", len(tbl.Rows))
			}
			r := tbl.Rows[0]
			if r.Cell(0) != "Émile Zoë" || r.Cell(3) != "line one\nline two, \"quoted\"" || r.Cell(4) != "42" {
				t.Errorf("text cells = %q", r.Cells)
			}
			d, err := ParseDate(r.Cell(1), tbl.SerialDates)
			must(t, err)
			if d != billing.NewDate(2024, time.February, 29) {
				t.Errorf("date = %s", d)
			}
			if amount, err := billing.ParseMoney(r.Cell(2)); err != nil || amount != 123456 {
				t.Errorf("amount = %q (%v), want 1234.56", r.Cell(2), err)
			}
			if tbl.Rows[1].Cell(1) != "" {
				t.Errorf("zero date written as %q, want an empty cell", tbl.Rows[1].Cell(1))
			}
		})
	}
	leftovers, err := filepath.Glob(filepath.Join(dir, ".export-*"))
	must(t, err)
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestWriterAbortLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xlsx")
	w, err := Create(path, FormatXLSX, "Sheet", []string{"A"})
	must(t, err)
	must(t, w.WriteRow([]any{"x"}))
	w.Abort()
	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 0 {
		t.Errorf("files after Abort: %v", entries)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestProposeMappingPaidThrough(t *testing.T) {
	headers := []string{"Name", "Mobile", "Cable paid till", "Broadband valid until", "Cable plan"}
	m := ProposeMapping(headers)
	if i, ok := m.Column(FieldCablePaidThrough); !ok || i != 2 {
		t.Errorf("cable paid through mapped to column %d (%v), want 2", i, ok)
	}
	if i, ok := m.Column(FieldBroadbandPaidThrough); !ok || i != 3 {
		t.Errorf("broadband paid through mapped to column %d (%v), want 3", i, ok)
	}
	for _, h := range []string{"Cable paid upto", "Cable paid up to", "CABLE VALID UNTIL", "cable_paid_through"} {
		if f, ok := fieldForHeader(h); !ok || f != FieldCablePaidThrough {
			t.Errorf("header %q maps to %q (%v), want %q", h, f, ok, FieldCablePaidThrough)
		}
	}
	if f, ok := fieldForHeader("Broadband paid upto"); !ok || f != FieldBroadbandPaidThrough {
		t.Errorf("header %q maps to %q (%v), want %q", "Broadband paid upto", f, ok, FieldBroadbandPaidThrough)
	}
}

func TestParsePaidThrough(t *testing.T) {
	headers := []string{"Name", "Mobile", "Cable plan", "Cable since", "Cable paid till",
		"Broadband plan", "Broadband since", "Broadband paid till"}
	rows := [][]string{
		{"Asha", "9876543210", "Basic", "04/12/2024", "03/12/2026", "Fiber 50", "2025-01-10", "2027-03-09"},
		{"Bala", "9876543211", "Basic", "04/12/2024", "31/11/2026", "", "", ""},
		{"Chitra", "9876543212", "Basic", "04/12/2024", "2024-12-03", "", "", ""},
		{"Dev", "9876543213", "", "", "2026-12-03", "", "", ""},
		{"Esha", "9876543214", "Basic", "", "2026-11-30", "Fiber 50", "", "2026-12-04"},
		{"Farid", "9876543215", "Basic", "2026-12-05", "2027-01-04", "", "", ""},
		{"Gita", "9876543216", "Basic", "2024-12-04", "2032-01-01", "", "", ""},
	}
	tbl := Table{Headers: headers}
	for i, r := range rows {
		tbl.Rows = append(tbl.Rows, Row{Number: i + 2, Cells: r})
	}
	records, problems := Parse(tbl, ProposeMapping(headers), ParseOptions{Today: today})

	want := []struct {
		row    int
		column string
		text   string
	}{
		{3, "Cable paid till", `Cable paid through "31/11/2026" does not exist`},
		{4, "Cable paid till", "Cable paid through 2024-12-03 is before Cable activation 2024-12-04"},
		{5, "Cable paid till", "Cable paid through is filled but Cable plan is empty"},
		{6, "Cable paid till", "Cable paid through 2026-11-30 is before today, the activation date of a row without Cable activation"},
		{7, "Cable since", "Cable activation 2026-12-05 is in the future"},
		{8, "Cable paid till", "Cable paid through 2032-01-01 is more than 5 years after today"},
	}
	if len(problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(problems), len(want), problems)
	}
	for i := 0; i < min(len(want), len(problems)); i++ {
		p, w := problems[i], want[i]
		if p.Row != w.row || p.Column != w.column || !strings.Contains(p.Message, w.text) {
			t.Errorf("problem %d = %s, want row %d, %s: %s", i, p, w.row, w.column, w.text)
		}
	}

	if got, want := records[0].CableTV.PaidThrough, billing.NewDate(2026, time.December, 3); got != want {
		t.Errorf("row 2 cable paid through = %s, want %s", got, want)
	}
	if got, want := records[0].Broadband.PaidThrough, billing.NewDate(2027, time.March, 9); got != want {
		t.Errorf("row 2 broadband paid through = %s, want %s (a prepaid date is accepted)", got, want)
	}
	if got, want := records[4].Broadband.PaidThrough, today; got != want {
		t.Errorf("row 6 broadband paid through = %s, want %s (today with an empty activation)", got, want)
	}
	for _, i := range []int{1, 2, 6} {
		if got := records[i].CableTV.PaidThrough; !got.IsZero() {
			t.Errorf("row %d kept the rejected paid-through date %s", i+2, got)
		}
	}
	if got, want := records[5].CableTV.PaidThrough, billing.NewDate(2027, time.January, 4); got != want {
		t.Errorf("row 7 cable paid through = %s, want %s, unchecked against the rejected activation", got, want)
	}
}
