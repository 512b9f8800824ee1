package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var testColumns = []Column{
	{Title: "CRF", Kind: Text, Width: 8},
	{Title: "Name", Kind: Text, Width: 20},
	{Title: "Amount", Kind: Amount, Width: 12},
	{Title: "Paid on", Kind: Moment, Width: 18},
}

func testDocument(rows [][]Value) Document {
	return Document{
		Business: "Sunrise Cable Network", Title: "Cable TV — paid — December 2026",
		Generated:      time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC),
		CurrencySymbol: "₹", Columns: testColumns, CountLabel: "%d customers",
		Rows: func(emit func([]Value) error) error {
			for _, r := range rows {
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func pdfToText(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestWritePDFCutsLongText(t *testing.T) {
	long := strings.Repeat("Venkata Satya Lakshmi Narasimha Raghavendra Subrahmanyam ", 2)
	paid := time.Date(2026, time.December, 1, 0, 15, 0, 0, time.FixedZone("IST", 5*3600+1800))
	doc := testDocument([][]Value{
		{{Text: "1001"}, {Text: long}, {Amount: 30000}, {Moment: paid}},
		{{Text: "1002"}, {Text: "TV 📺 fan\nsecond line"}, {Amount: 15050}, {}},
	})
	var buf bytes.Buffer
	totals, err := WritePDF(context.Background(), &buf, doc)
	if err != nil {
		t.Fatal(err)
	}
	if totals.Rows != 2 || totals.Sums[2] != 45050 {
		t.Errorf("totals = %+v, want 2 rows and 450.50", totals)
	}
	text := pdfToText(t, buf.Bytes())
	if strings.Contains(text, long) {
		t.Error("the long name was not cut")
	}
	if !strings.Contains(text, "Venkata Satya") || !strings.Contains(text, "…") {
		t.Error("the cut name lacks its start or the ellipsis")
	}
	if !strings.Contains(text, "TV \uFFFD fan second line") {
		t.Errorf("the emoji is not replaced or the line break kept:\n%s", text)
	}
	if !strings.Contains(text, "01 Dec 2026 00:15") {
		t.Error("the payment time is not in its own zone")
	}
	if !strings.Contains(text, "₹450.50") || !strings.Contains(text, "2 customers") {
		t.Errorf("totals row missing:\n%s", text)
	}
}

func TestWriteEmptyReport(t *testing.T) {
	doc := testDocument(nil)
	var pdf, xlsx bytes.Buffer
	if _, err := WritePDF(context.Background(), &pdf, doc); err != nil {
		t.Fatal(err)
	}
	if text := pdfToText(t, pdf.Bytes()); !strings.Contains(text, "No rows match this report.") ||
		!strings.Contains(text, "Page 1 of 1") {
		t.Errorf("empty PDF:\n%s", text)
	}
	if _, err := WriteXLSX(context.Background(), &xlsx, doc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue(SheetName, "B6"); got != "0 customers" {
		t.Errorf("totals count = %q, want 0 customers", got)
	}
}

func TestWriteRejectsRowOfWrongWidth(t *testing.T) {
	doc := testDocument([][]Value{{{Text: "1001"}}})
	for _, format := range Formats {
		_, err := Write(context.Background(), &bytes.Buffer{}, format, doc)
		if !errors.Is(err, ErrRowWidth) {
			t.Errorf("%s error = %v, want ErrRowWidth", format, err)
		}
	}
}

func TestWriteFileLeavesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	failure := errors.New("database gone")
	doc := testDocument(nil)
	doc.Rows = func(func([]Value) error) error { return failure }
	if _, err := WriteFile(context.Background(), path, FormatXLSX, doc); !errors.Is(err, failure) {
		t.Fatalf("error = %v, want the source's error", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("failed write left %s", e.Name())
	}
}

func TestParseFormat(t *testing.T) {
	for _, ok := range []string{"pdf", "xlsx"} {
		if f, err := ParseFormat(ok); err != nil || string(f) != ok {
			t.Errorf("ParseFormat(%q) = %q, %v", ok, f, err)
		}
	}
	_, err := ParseFormat("PDF")
	if !errors.Is(err, ErrInvalidFormat) || !strings.Contains(err.Error(), `"PDF"`) {
		t.Errorf("ParseFormat(PDF) error = %v", err)
	}
}

func TestMoneyFormat(t *testing.T) {
	tests := map[string]string{
		"₹":   `"₹"#,##0.00;-"₹"#,##0.00`,
		`a"b`: `"a""b"#,##0.00;-"a""b"#,##0.00`,
		"":    `#,##0.00;-#,##0.00`,
	}
	for symbol, want := range tests {
		if got := MoneyFormat(symbol); got != want {
			t.Errorf("MoneyFormat(%q) = %s, want %s", symbol, got, want)
		}
	}
}
