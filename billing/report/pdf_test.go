package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// writeTestPDF writes d into a file in a temporary folder and returns its
// path.
func writeTestPDF(t *testing.T, d Document) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := WritePDF(context.Background(), &buf, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runTool runs a poppler or qpdf command and returns its standard output,
// skipping the test when the tool is not installed.
func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed; install poppler-utils and qpdf to run this test", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// pdfInfo returns the fields pdfinfo prints for the file at path.
func pdfInfo(t *testing.T, path string) map[string]string {
	t.Helper()
	fields := make(map[string]string)
	for line := range strings.Lines(runTool(t, "pdfinfo", "-enc", "UTF-8", path)) {
		if key, value, ok := strings.Cut(line, ":"); ok {
			fields[key] = strings.TrimSpace(value)
		}
	}
	return fields
}

func TestWritePDFTextReadsBack(t *testing.T) {
	doc := testDocument([][]Value{
		{{Text: "1001"}, {Text: "José Núñez Ødegård"}, {Amount: 123456}, {}},
		{{Text: "1002"}, {Text: "Wang 王 Li"}, {Amount: 50}, {}},
		{{Text: "1003"}, {Text: "Αλέξης Иванов"}, {Amount: -2500}, {}},
	})
	text := runTool(t, "pdftotext", "-layout", "-enc", "UTF-8", writeTestPDF(t, doc), "-")
	for _, want := range []string{
		"José Núñez Ødegård", "₹1,234.56", "Wang \uFFFD Li", "Αλέξης Иванов", "₹0.50",
		"Cable TV — paid — December 2026", "Generated 04 Dec 2026 10:00", "3 customers", "Page 1 of 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
}

func TestWritePDFPageCountMatchesFooter(t *testing.T) {
	for _, rows := range []int{0, 34, 35, 80} {
		t.Run(strconv.Itoa(rows), func(t *testing.T) {
			path := writeTestPDF(t, spanishSynthetic(rows))
			pages, err := strconv.Atoi(pdfInfo(t, path)["Pages"])
			if err != nil {
				t.Fatal(err)
			}
			texts := strings.Split(runTool(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"), "\f")
			for i := range pages {
				if want := fmt.Sprintf("Página %d de %d", i+1, pages); !strings.Contains(texts[i], want) {
					t.Errorf("page %d lacks %q:\n%s", i+1, want, texts[i])
				}
			}
			if !strings.Contains(texts[pages-1], fmt.Sprintf("%d customers", rows)) {
				t.Errorf("last page lacks the totals row:\n%s", texts[pages-1])
			}
		})
	}
}

// spanishSynthetic is syntheticDocument with Spanish words.
func spanishSynthetic(rows int) Document {
	doc := syntheticDocument(rows)
	doc.Words = spanishDocument(nil).Words
	return doc
}

func TestWritePDFInfoDictionary(t *testing.T) {
	doc := testDocument(nil)
	doc.Business = "Cable (Norte) \\ Núñez"
	info := pdfInfo(t, writeTestPDF(t, doc))
	want := map[string]string{"Title": doc.Title, "Author": doc.Business, "Creator": "CTVMS",
		"Page size": "841.89 x 595.28 pts (A4)"}
	for key, value := range want {
		if info[key] != value {
			t.Errorf("%s = %q, want %q", key, info[key], value)
		}
	}
}

func TestWritePDFPassesQPDFCheck(t *testing.T) {
	path := writeTestPDF(t, spanishSynthetic(80))
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is not installed, so no independent tool checks the file; apt-get install qpdf")
	}
	out, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check output:\n%s", out)
	}
}

func TestWritePDFRendersPage(t *testing.T) {
	path := writeTestPDF(t, syntheticDocument(40))
	prefix := filepath.Join(t.TempDir(), "page")
	out := runTool(t, "pdftoppm", "-png", "-r", "30", "-f", "2", "-l", "2", path, prefix)
	if strings.TrimSpace(out) != "" {
		t.Errorf("pdftoppm printed:\n%s", out)
	}
	matches, _ := filepath.Glob(prefix + "*.png")
	if len(matches) != 1 {
		t.Fatalf("pdftoppm wrote %v, want one page", matches)
	}
	image, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(image) < 1000 {
		t.Errorf("page image is only %d bytes", len(image))
	}
}

func TestWritePDFStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	doc := syntheticDocument(1000)
	doc.Progress = func(done int) {
		if done >= 200 {
			cancel()
		}
	}
	totals, err := WritePDF(ctx, &bytes.Buffer{}, doc)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if totals.Rows != 200 {
		t.Errorf("rows = %d, want 200", totals.Rows)
	}
}

// failingWriter accepts limit bytes and then fails.
type failingWriter struct{ limit int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errDiskFull
	}
	w.limit -= len(p)
	return len(p), nil
}

func TestWritePDFReturnsWriteError(t *testing.T) {
	for _, limit := range []int{0, 100 << 10} {
		_, err := WritePDF(context.Background(), &failingWriter{limit: limit}, syntheticDocument(2000))
		if !errors.Is(err, errDiskFull) {
			t.Errorf("error after %d bytes = %v, want errDiskFull", limit, err)
		}
	}
}

func TestWritePDFFitsText(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	font := newDocumentFont(fonts.regular, 1, "F1")
	ellipsisWidth, _ := font.textWidth(ellipsis, 8)
	tests := []struct {
		text string
		room float64
		want string
	}{
		{"Ana", 100, "Ana"},
		{"Ana María Peña", 1, ellipsis},
		{"Ana María Peña", ellipsisWidth, ellipsis},
		{"Ana María Peña", 40, "Ana Ma" + ellipsis},
		{"Ana     María", 30, "Ana" + ellipsis},
	}
	for _, tt := range tests {
		got, width, err := fit(font, 8, tt.text, tt.room)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("fit(%q, %g) = %q, want %q", tt.text, tt.room, got, tt.want)
		}
		if measured, _ := font.textWidth(got, 8); measured != width {
			t.Errorf("fit(%q, %g) width = %g, but %q measures %g", tt.text, tt.room, width, got, measured)
		}
	}
}

func TestWritePDFSubsetsFonts(t *testing.T) {
	path := writeTestPDF(t, testDocument(nil))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A whole DejaVu Sans is over 700 KB, and the two subsets of a
	// report without rows should stay far below one.
	if len(data) > 100<<10 {
		t.Errorf("an empty report takes %d bytes", len(data))
	}
	fonts := runTool(t, "pdffonts", path)
	if n := len(regexp.MustCompile(`[A-Z]{6}\+DejaVuSans(-Bold)?\s+CID TrueType\s+Identity-H\s+yes yes yes`).FindAllString(fonts, -1)); n != 2 {
		t.Errorf("want two embedded subset fonts with ToUnicode:\n%s", fonts)
	}
}

func TestSubsetTrueTypeKeepsComposites(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	full := fonts.regular.sfnt
	var buf sfnt.Buffer
	composite := compositeGlyph(t, full, fonts.regular.ttf)
	plain, _ := full.GlyphIndex(&buf, 'A')
	other, _ := full.GlyphIndex(&buf, 'Z')

	data, err := subsetTrueType(fonts.regular.ttf, []sfnt.GlyphIndex{plain, composite})
	if err != nil {
		t.Fatal(err)
	}
	subset, err := sfnt.Parse(data)
	if err != nil {
		t.Fatalf("parse subset: %v", err)
	}
	if subset.NumGlyphs() != full.NumGlyphs() {
		t.Errorf("subset has %d glyphs, want %d", subset.NumGlyphs(), full.NumGlyphs())
	}
	for _, g := range []sfnt.GlyphIndex{plain, composite} {
		want := glyphSegments(t, full, g)
		if got := glyphSegments(t, subset, g); !slices.Equal(got, want) {
			t.Errorf("glyph %d has %d segments in the subset, want %d", g, len(got), len(want))
		}
	}
	if got := glyphSegments(t, subset, other); len(got) != 0 {
		t.Errorf("glyph of Z kept %d segments, want none", len(got))
	}
	if sum := tableChecksum(data); sum != checksumMagic {
		t.Errorf("font checksum = %#x, want %#x", sum, uint32(checksumMagic))
	}
}

// compositeGlyph returns the glyph of the first accented letter that the
// font builds from other glyphs.
func compositeGlyph(t *testing.T, f *sfnt.Font, ttf []byte) sfnt.GlyphIndex {
	t.Helper()
	tables, err := readTables(ttf)
	if err != nil {
		t.Fatal(err)
	}
	offsets, err := glyphOffsets(tables["loca"], len(tables["glyf"]), f.NumGlyphs(), tables["head"][headLocaFormat+1] != 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range "éñöÅçŽ" {
		g, _ := f.GlyphIndex(&buf, r)
		components, err := glyphComponents(tables["glyf"][offsets[g]:offsets[g+1]])
		if err != nil {
			t.Fatal(err)
		}
		if len(components) > 0 {
			return g
		}
	}
	t.Fatal("no composite glyph among the accented letters")
	return 0
}

func glyphSegments(t *testing.T, f *sfnt.Font, g sfnt.GlyphIndex) sfnt.Segments {
	t.Helper()
	var buf sfnt.Buffer
	segments, err := f.LoadGlyph(&buf, g, fixed.I(1000), nil)
	if err != nil {
		t.Fatalf("load glyph %d: %v", g, err)
	}
	return slices.Clone(segments)
}

func TestPDFTextString(t *testing.T) {
	tests := map[string]string{
		"CTVMS":   "(CTVMS)",
		`a(b)\c`:  `(a\(b\)\\c)`,
		"Peña":    "<FEFF0050006500F10061>",
		"₹ 😀":     "<FEFF20B90020D83DDE00>",
		"":        "()",
		"tab\tOK": "<FEFF0074006100620009004F004B>",
	}
	for in, want := range tests {
		if got := pdfTextString(in); got != want {
			t.Errorf("pdfTextString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAppendNumber(t *testing.T) {
	tests := map[float64]string{0: "0", 841.89: "841.89", 547.2800000001: "547.28", 8: "8", 0.5: "0.5",
		-0.001: "0", -3.456: "-3.46"}
	for in, want := range tests {
		if got := string(appendNumber(nil, in)); got != want {
			t.Errorf("appendNumber(%v) = %s, want %s", in, got, want)
		}
	}
}
