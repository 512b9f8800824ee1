package invoice

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
)

var samplePath = flag.String("sample", "", "write the sample invoice PDF to this `path`, for the screenshot in docs")

// sampleDocument returns a two-period invoice for a customer whose name and
// address need accented Latin letters.
func sampleDocument() Document {
	ist := time.FixedZone("IST", 5*3600+1800)
	return Document{
		Business: Business{
			Name:    "Sunrise Cable & Broadband",
			Address: "12 Station Road, Kothrud\nPune 411038, Maharashtra",
			Phone:   "+91 20 2546 7788",
			Email:   "billing@sunrise-cable.example",
			TaxID:   "27ABCDE1234F1Z5",
			Footer:  "Payments are non-refundable. Keep this invoice for your records. Service continues until the date shown above.",
		},
		CurrencySymbol: "₹",
		Number:         "INV-2026-000042",
		IssuedAt:       time.Date(2026, 12, 4, 14, 5, 0, 0, ist),
		Customer: Customer{
			CRF:          1024,
			Name:         "José Muñoz",
			AddressLines: []string{"Flat 3B, Casa Ñuñoa", "Baner Road, Pune 411045"},
			Mobile:       "+91 98220 12345",
			Email:        "jose.munoz@example.com",
		},
		Service: "Cable TV",
		Plan:    "Gold 300",
		Lines: []Line{
			{
				Start:       billing.NewDate(2026, time.December, 15),
				End:         billing.NewDate(2027, time.January, 14),
				Description: "Cable TV — Gold 300",
				Amount:      62500,
			},
			{
				Start:       billing.NewDate(2027, time.January, 15),
				End:         billing.NewDate(2027, time.February, 14),
				Description: "Cable TV — Gold 300",
				Amount:      62500,
			},
		},
		Amount:     125000,
		Mode:       "Online",
		Reference:  "UTR6402117789",
		BalanceDue: 31000,
		NewExpiry:  billing.NewDate(2027, time.February, 14),
		ReceivedBy: "Priya Kulkarni",
	}
}

// pdfText returns the text of a PDF as pdftotext -layout extracts it, with
// pages separated by form feeds.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not on PATH, so the PDF cannot be read back")
	}
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func writePDF(t *testing.T, d Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func TestWriteSample(t *testing.T) {
	if *samplePath == "" {
		t.Skip("no -sample path given")
	}
	if err := WriteFile(*samplePath, sampleDocument()); err != nil {
		t.Fatal(err)
	}
}

func TestWriteReadsBack(t *testing.T) {
	text := pdfText(t, writePDF(t, sampleDocument()))

	for _, want := range []string{
		"Sunrise Cable & Broadband",
		"INVOICE",
		"INV-2026-000042",
		"04 Dec 2026 14:05",
		"José Muñoz",
		"Casa Ñuñoa",
		"CRF 1024",
		"Cable TV — Gold 300",
		"15 Dec 2026 – 14 Jan 2027",
		"15 Jan 2027 – 14 Feb 2027",
		"₹625.00",
		"₹1,250.00",
		"₹310.00",
		"14 Feb 2027",
		"UTR6402117789",
		"Priya Kulkarni",
		"Payments are non-refundable.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q; text:\n%s", want, text)
		}
	}
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("PDF has %d pages, want 1", pages)
	}
}

func TestWriteIssueTimeInItsLocation(t *testing.T) {
	d := sampleDocument()
	d.IssuedAt = time.Date(2026, 12, 31, 23, 30, 0, 0, time.FixedZone("IST", 5*3600+1800))

	text := pdfText(t, writePDF(t, d))

	if !strings.Contains(text, "31 Dec 2026 23:30") {
		t.Errorf("PDF text lacks the local issue time 31 Dec 2026 23:30; text:\n%s", text)
	}
}

func TestWriteLeavesOutEmptyFields(t *testing.T) {
	d := sampleDocument()
	d.Mode, d.Reference = "Cash", ""
	d.NewExpiry = billing.Date{}
	d.Business.TaxID, d.Business.Footer = "", ""

	text := pdfText(t, writePDF(t, d))

	for _, absent := range []string{"Reference", "Service valid until", "Tax ID", "Payments are"} {
		if strings.Contains(text, absent) {
			t.Errorf("PDF text contains %q for an empty field", absent)
		}
	}
	if !strings.Contains(text, "Cash") {
		t.Errorf("PDF text lacks the payment mode Cash")
	}
}

func TestWriteMissingGlyph(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *Document)
		field  string
		letter string
	}{
		{"emoji in name", func(d *Document) { d.Customer.Name = "José 📺 Muñoz" }, "Customer.Name", "U+1F4FA 📺"},
		{"cjk in name", func(d *Document) { d.Customer.Name = "李 Wei" }, "Customer.Name", "U+674E 李"},
		{"cjk in address", func(d *Document) { d.Customer.AddressLines[1] = "東京" }, "Customer.AddressLines[1]", "U+6771 東"},
		{"emoji in footer", func(d *Document) { d.Business.Footer = "Thanks 🙏" }, "Business.Footer", "U+1F64F 🙏"},
		{"emoji in description", func(d *Document) { d.Lines[1].Description = "Gold 🚀" }, "Lines[1].Description", "U+1F680 🚀"},
		{"tab in reference", func(d *Document) { d.Reference = "UTR\t42" }, "Reference", "U+0009"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDocument()
			tt.edit(&d)
			var buf bytes.Buffer

			err := Write(&buf, d)

			if !errors.Is(err, ErrMissingGlyph) {
				t.Fatalf("Write error = %v, want ErrMissingGlyph", err)
			}
			if !strings.Contains(err.Error(), tt.letter) {
				t.Errorf("message %q does not name %q", err, tt.letter)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("message %q does not name the field %s", err, tt.field)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestWriteManyLinesRepeatsHeader(t *testing.T) {
	d := sampleDocument()
	d.Lines = nil
	d.Amount = 0
	start := billing.NewDate(2024, time.January, 15)
	for i := range 40 {
		end := billing.NewDate(2024, time.Month(i+2), 14)
		d.Lines = append(d.Lines, Line{
			Start:       start,
			End:         end,
			Description: fmt.Sprintf("Cable TV — Gold 300, month %02d", i+1),
			Amount:      31250,
		})
		d.Amount += 31250
		start = end.AddDays(1)
	}

	pages := strings.Split(strings.TrimSuffix(pdfText(t, writePDF(t, d)), "\f"), "\f")

	if len(pages) < 2 {
		t.Fatalf("PDF has %d page, want at least 2 for 40 lines", len(pages))
	}
	for i, page := range pages {
		for _, want := range []string{"Sunrise Cable & Broadband", "INVOICE", "INV-2026-000042"} {
			if !strings.Contains(page, want) {
				t.Errorf("page %d lacks header text %q", i+1, want)
			}
		}
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(page, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	for i := 1; i < len(pages); i++ {
		if !strings.Contains(pages[i], "Description") {
			t.Errorf("page %d lacks the repeated table headings", i+1)
		}
	}
	all := strings.Join(pages, "\n")
	for i := range 40 {
		if want := fmt.Sprintf("month %02d", i+1); !strings.Contains(all, want) {
			t.Errorf("PDF text lacks line %d (%q)", i+1, want)
		}
	}
	if !strings.Contains(pages[len(pages)-1], "₹12,500.00") {
		t.Errorf("last page lacks the amount paid ₹12,500.00")
	}
}

func TestWriteRejectsInvalidDocument(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *Document)
		want string
	}{
		{"no number", func(d *Document) { d.Number = "" }, "number is empty"},
		{"no issue time", func(d *Document) { d.IssuedAt = time.Time{} }, "no issue time"},
		{"lines differ from amount", func(d *Document) { d.Amount = 100000 }, "add up to 1250.00 but the amount paid is 1000.00"},
		{"line without dates", func(d *Document) { d.Lines[1].Start = billing.Date{} }, "line 2 of invoice INV-2026-000042 has the period"},
		{"line ending before it starts", func(d *Document) { d.Lines[0].End = d.Lines[0].Start.AddDays(-1) }, `period "2026-12-15" to "2026-12-14"`},
		{"logo not an image", func(d *Document) { d.Business.Logo = []byte("not an image") }, "Business.Logo"},
		{"footer longer than a page", func(d *Document) { d.Business.Footer = strings.Repeat("Terms apply.\n", 200) }, "shorten the footer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDocument()
			tt.edit(&d)
			var buf bytes.Buffer

			err := Write(&buf, d)

			if err == nil {
				t.Fatal("Write error = nil, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q does not contain %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestWriteWrapsLongText(t *testing.T) {
	d := sampleDocument()
	d.Lines[0].Description = strings.Repeat("Premium sports and movies add-on pack ", 4) + "Supercalifragilisticexpialidocious-channel-bundle-2026"

	text := pdfText(t, writePDF(t, d))

	for _, word := range strings.Fields(d.Lines[0].Description)[:20] {
		if !strings.Contains(text, word) {
			t.Errorf("PDF text lacks the word %q of a wrapped description", word)
		}
	}
	if strings.Count(text, "Premium sports") != 4 {
		t.Errorf("PDF text has %d copies of the repeated phrase, want 4", strings.Count(text, "Premium sports"))
	}
}

func TestWriteConcurrent(t *testing.T) {
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			var buf bytes.Buffer
			errs <- Write(&buf, sampleDocument())
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Write: %v", err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	d := sampleDocument()
	if err := Write(io.Discard, d); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWriteDrawsLogo(t *testing.T) {
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages (poppler-utils) is not on PATH, so the images of the PDF cannot be listed")
	}
	tests := []struct {
		name   string
		encode func(w io.Writer, m image.Image) error
	}{
		{"png", png.Encode},
		{"jpeg", func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logo := image.NewRGBA(image.Rect(0, 0, 120, 80))
			draw.Draw(logo, logo.Bounds(), image.NewUniform(color.RGBA{0x1f, 0x3a, 0x5f, 0xff}), image.Point{}, draw.Src)
			var buf bytes.Buffer
			if err := tt.encode(&buf, logo); err != nil {
				t.Fatal(err)
			}
			d := sampleDocument()
			d.Business.Logo = buf.Bytes()

			path := filepath.Join(t.TempDir(), "invoice.pdf")
			if err := os.WriteFile(path, writePDF(t, d), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdfimages", "-list", path).Output()
			if err != nil {
				t.Fatalf("pdfimages: %v", err)
			}

			if !regexp.MustCompile(`(?m)^\s+1\s+0\s+image\s+120\s+80\s`).Match(out) {
				t.Errorf("pdfimages lists no 120×80 image on page 1:\n%s", out)
			}
		})
	}
}
