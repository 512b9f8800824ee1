package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
)

func TestFormatMoment(t *testing.T) {
	moment := time.Date(2026, time.December, 1, 0, 15, 0, 0, time.UTC)
	tests := []struct {
		language billing.Language
		want     string
	}{
		{"", "01 Dec 2026 00:15"},
		{billing.English, "01 Dec 2026 00:15"},
		{billing.Spanish, "01 dic 2026 00:15"},
	}
	for _, tt := range tests {
		if got := FormatMoment(moment, tt.language); got != tt.want {
			t.Errorf("FormatMoment(%q) = %q, want %q", tt.language, got, tt.want)
		}
	}
}

// spanishDocument is testDocument with Spanish words.
func spanishDocument(rows [][]Value) Document {
	doc := testDocument(rows)
	doc.Language = billing.Spanish
	doc.CountLabel = "%d clientes"
	doc.Words = Words{Generated: "Generado el", Page: "Página", Of: "de", Total: "Total general",
		NoRows: "No hay clientes en este informe."}
	return doc
}

func TestWritePDFPrintsWords(t *testing.T) {
	paid := time.Date(2026, time.December, 1, 0, 15, 0, 0, time.UTC)
	var pdf bytes.Buffer
	doc := spanishDocument([][]Value{{{Text: "1001"}, {Text: "Ana"}, {Amount: 30000}, {Moment: paid}}})
	if _, err := WritePDF(context.Background(), &pdf, doc); err != nil {
		t.Fatal(err)
	}
	text := pdfToText(t, pdf.Bytes())
	for _, want := range []string{"Generado el 04 dic 2026 10:00", "Página 1 de 1", "Total general",
		"1 clientes", "01 dic 2026 00:15"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}

	pdf.Reset()
	if _, err := WritePDF(context.Background(), &pdf, spanishDocument(nil)); err != nil {
		t.Fatal(err)
	}
	if text := pdfToText(t, pdf.Bytes()); !strings.Contains(text, "No hay clientes en este informe.") {
		t.Errorf("empty PDF lacks the NoRows words:\n%s", text)
	}
}

func TestWriteXLSXPrintsWords(t *testing.T) {
	paid := time.Date(2026, time.December, 1, 0, 15, 0, 0, time.UTC)
	var xlsx bytes.Buffer
	doc := spanishDocument([][]Value{{{Text: "1001"}, {Text: "Ana"}, {Amount: 30000}, {Moment: paid}}})
	if _, err := WriteXLSX(context.Background(), &xlsx, doc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells := map[string]string{"A3": "Generado el 04 dic 2026 10:00", "A7": "Total general", "B7": "1 clientes"}
	for cell, want := range cells {
		if got, _ := f.GetCellValue(SheetName, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	styleID, err := f.GetCellStyle(SheetName, "D6")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[$-0C0A]" + ExcelDateFormat; style.CustomNumFmt == nil || *style.CustomNumFmt != want {
		t.Errorf("date format = %v, want %s", style.CustomNumFmt, want)
	}
}
