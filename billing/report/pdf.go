package report

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// Page geometry in PDF points (1/72 inch): A4 landscape, because a report
// row has nine columns.
const (
	pdfPageWidth  = 841.89
	pdfPageHeight = 595.28
	pdfMargin     = 30.0
	contentWidth  = pdfPageWidth - 2*pdfMargin
	// footerTop is the top of the page number line; rows end above it.
	footerTop  = pdfPageHeight - pdfMargin - 10
	bodyBottom = footerTop - 8

	rowHeight     = 13.0
	headingHeight = 17.0
	cellPadding   = 3.0
)

// pagesPlaceholder is the name of the gopdf placeholder that receives the
// page count once the last page is drawn.
const pagesPlaceholder = "pages"

// ellipsis ends a text cut to fit its column.
const ellipsis = "…"

type rgb struct{ r, g, b uint8 }

var (
	inkColor    = rgb{0x22, 0x22, 0x22}
	mutedColor  = rgb{0x6b, 0x6b, 0x6b}
	accentColor = rgb{0x1f, 0x3a, 0x5f}
	ruleColor   = rgb{0xc8, 0xc8, 0xc8}
	shadeColor  = rgb{0xe8, 0xec, 0xf2}
	stripeColor = rgb{0xf6, 0xf7, 0xf9}
)

type textStyle struct {
	bold  bool
	size  float64
	color rgb
}

var (
	businessStyle = textStyle{bold: true, size: 13, color: inkColor}
	titleStyle    = textStyle{bold: true, size: 10.5, color: accentColor}
	mutedStyle    = textStyle{size: 8, color: mutedColor}
	headingStyle  = textStyle{bold: true, size: 8, color: accentColor}
	cellStyle     = textStyle{size: 8, color: inkColor}
	totalStyle    = textStyle{bold: true, size: 8, color: inkColor}
)

// pdfWriter draws a report page by page as rows arrive.
type pdfWriter struct {
	pdf     *gopdf.GoPdf
	doc     *Document
	lefts   []float64
	widths  []float64
	page    int
	top     float64 // top of the next row
	striped bool
	current textStyle
	started bool
}

// WritePDF writes d as an A4 landscape PDF to w. Every page repeats the
// header and the column headings and ends with "Page i of N". A text
// longer than its column is cut and ends with "…", so columns never
// overlap, and a character the DejaVu font lacks is drawn as "�". It
// returns the totals it wrote. When ctx is done it stops and returns
// ctx.Err().
func WritePDF(ctx context.Context, w io.Writer, d Document) (Totals, error) {
	pw, err := newPDFWriter(&d)
	if err != nil {
		return Totals{}, err
	}
	if err := pw.newPage(); err != nil {
		return Totals{}, err
	}

	counter := newRowCounter(ctx, &d)
	err = d.Rows(func(row []Value) error {
		if err := counter.add(row); err != nil {
			return err
		}
		return pw.drawRow(row)
	})
	if err != nil {
		return counter.totals, err
	}
	if counter.totals.Rows == 0 {
		if err := pw.drawNoRows(); err != nil {
			return counter.totals, err
		}
	}
	if err := pw.drawTotals(counter.totals); err != nil {
		return counter.totals, err
	}
	if err := pw.pdf.FillInPlaceHoldText(pagesPlaceholder, strconv.Itoa(pw.page), gopdf.Left); err != nil {
		return counter.totals, fmt.Errorf("write page count: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return counter.totals, err
	}
	if _, err := pw.pdf.WriteTo(w); err != nil {
		return counter.totals, fmt.Errorf("write PDF: %w", err)
	}
	counter.finish()
	return counter.totals, nil
}

func newPDFWriter(d *Document) (*pdfWriter, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pdfPageWidth, H: pdfPageHeight}, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: d.Title, Author: d.Business, Creator: "CTVMS"})
	for _, family := range []string{regularFamily, boldFamily} {
		if err := pdf.AddTTFFontFromFontContainer(family, fonts); err != nil {
			return nil, fmt.Errorf("add font %s to the PDF: %w", family, err)
		}
	}

	pw := &pdfWriter{pdf: pdf, doc: d}
	var units float64
	for _, col := range d.Columns {
		units += col.Width
	}
	left := pdfMargin
	for _, col := range d.Columns {
		width := contentWidth * col.Width / units
		pw.lefts = append(pw.lefts, left)
		pw.widths = append(pw.widths, width)
		left += width
	}
	return pw, nil
}

// use makes s the current style, skipping the calls when it already is,
// because gopdf stores every call in the page content.
func (w *pdfWriter) use(s textStyle) error {
	if w.started && w.current == s {
		return nil
	}
	family := regularFamily
	if s.bold {
		family = boldFamily
	}
	if err := w.pdf.SetFont(family, "", s.size); err != nil {
		return fmt.Errorf("set font %s: %w", family, err)
	}
	w.pdf.SetTextColor(s.color.r, s.color.g, s.color.b)
	w.current, w.started = s, true
	return nil
}

// text draws text with its left edge at x and the top of its line at top.
func (w *pdfWriter) text(x, top float64, s textStyle, text string) error {
	if err := w.use(s); err != nil {
		return err
	}
	w.pdf.SetXY(x, top+s.size)
	if err := w.pdf.Text(text); err != nil {
		return fmt.Errorf("draw text %q: %w", text, err)
	}
	return nil
}

// cell draws text inside a column, cut to its width less the padding on
// both sides, aligned right when alignRight is set. A right-aligned cell
// keeps twice the padding on its right, so an amount stays clear of the
// text in the next column.
func (w *pdfWriter) cell(col int, top float64, s textStyle, text string, alignRight bool) error {
	if err := w.use(s); err != nil {
		return err
	}
	room := w.widths[col] - 2*cellPadding
	if alignRight {
		room -= cellPadding
	}
	fitted, width, err := w.fit(cleanText(text), room)
	if err != nil {
		return err
	}
	x := w.lefts[col] + cellPadding
	if alignRight {
		x += room - width
	}
	return w.text(x, top, s, fitted)
}

// fit returns text, or its longest prefix followed by "…", no wider than
// room in the current style, and the width of what it returns.
func (w *pdfWriter) fit(text string, room float64) (string, float64, error) {
	width, err := w.pdf.MeasureTextWidth(text)
	if err != nil || width <= room {
		return text, width, err
	}
	runes := []rune(text)
	lo, hi := 0, len(runes) // runes[:lo]+"…" fits; runes[:hi]+"…" does not
	best := ellipsis
	bestWidth, err := w.pdf.MeasureTextWidth(ellipsis)
	if err != nil {
		return "", 0, err
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		candidate := strings.TrimRight(string(runes[:mid]), " ") + ellipsis
		cw, err := w.pdf.MeasureTextWidth(candidate)
		if err != nil {
			return "", 0, err
		}
		if cw <= room {
			lo, best, bestWidth = mid, candidate, cw
		} else {
			hi = mid
		}
	}
	return best, bestWidth, nil
}

// cleanText replaces line breaks, tabs and other control characters with
// spaces, because a cell is one line.
func cleanText(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// newPage starts a page with the report header, the column headings and
// the page number line.
func (w *pdfWriter) newPage() error {
	w.pdf.AddPage()
	w.page++
	w.striped = false
	top := pdfMargin
	header := []struct {
		style textStyle
		text  string
	}{
		{businessStyle, w.doc.Business},
		{titleStyle, w.doc.Title},
		{mutedStyle, w.doc.generatedText()},
	}
	for _, h := range header {
		if err := w.use(h.style); err != nil {
			return err
		}
		text, _, err := w.fit(cleanText(h.text), contentWidth)
		if err != nil {
			return err
		}
		if err := w.text(pdfMargin, top, h.style, text); err != nil {
			return err
		}
		top += h.style.size * 1.45
	}
	top += 6

	w.fill(shadeColor, pdfMargin, top, contentWidth, headingHeight)
	for i, col := range w.doc.Columns {
		if err := w.cell(i, top+(headingHeight-headingStyle.size)/2-1, headingStyle, col.Title, col.Kind == Amount); err != nil {
			return err
		}
	}
	w.top = top + headingHeight
	return w.drawFooter()
}

// drawFooter writes "Page i of " and a placeholder for the page count,
// which WritePDF fills in after the last page.
// NOTE: gopdf v0.33.0 marks PlaceHolderText and FillInPlaceHoldText as
// experimental; the report tests read the page numbers back with pdftotext.
func (w *pdfWriter) drawFooter() error {
	w.rule(footerTop - 4)
	prefix := w.doc.pagePrefix(w.page)
	if err := w.text(pdfMargin, footerTop, mutedStyle, prefix); err != nil {
		return err
	}
	width, err := w.pdf.MeasureTextWidth(prefix)
	if err != nil {
		return err
	}
	w.pdf.SetXY(pdfMargin+width, footerTop+mutedStyle.size)
	if err := w.pdf.PlaceHolderText(pagesPlaceholder, 40); err != nil {
		return fmt.Errorf("reserve page count: %w", err)
	}

	label := w.doc.Title
	if w.doc.Business != "" {
		label = w.doc.Business + " · " + label
	}
	text, tw, err := w.fit(cleanText(label), contentWidth/2)
	if err != nil {
		return err
	}
	return w.text(pdfPageWidth-pdfMargin-tw, footerTop, mutedStyle, text)
}

// ensureRoom starts a new page unless height fits above the footer.
func (w *pdfWriter) ensureRoom(height float64) error {
	if w.top+height <= bodyBottom {
		return nil
	}
	return w.newPage()
}

func (w *pdfWriter) drawRow(row []Value) error {
	if err := w.ensureRoom(rowHeight); err != nil {
		return err
	}
	if w.striped {
		w.fill(stripeColor, pdfMargin, w.top, contentWidth, rowHeight)
	}
	w.striped = !w.striped
	textTop := w.top + (rowHeight-cellStyle.size)/2 - 1
	for i, col := range w.doc.Columns {
		if err := w.cell(i, textTop, cellStyle, w.valueText(col.Kind, row[i]), col.Kind == Amount); err != nil {
			return err
		}
	}
	w.top += rowHeight
	return nil
}

func (w *pdfWriter) valueText(kind Kind, v Value) string {
	switch kind {
	case Amount:
		return v.Amount.Format(w.doc.CurrencySymbol)
	case Moment:
		return w.doc.momentText(v.Moment)
	}
	return v.Text
}

func (w *pdfWriter) drawNoRows() error {
	if err := w.ensureRoom(rowHeight); err != nil {
		return err
	}
	err := w.text(pdfMargin+cellPadding, w.top+(rowHeight-cellStyle.size)/2-1, mutedStyle, w.doc.noRowsText())
	w.top += rowHeight
	return err
}

// drawTotals writes the totals row under a rule, on a new page when the
// last one is full.
func (w *pdfWriter) drawTotals(t Totals) error {
	height := rowHeight + 4
	if err := w.ensureRoom(height); err != nil {
		return err
	}
	w.pdf.SetStrokeColor(inkColor.r, inkColor.g, inkColor.b)
	w.pdf.SetLineWidth(0.8)
	w.pdf.Line(pdfMargin, w.top+1, pdfMargin+contentWidth, w.top+1)
	textTop := w.top + 4 + (rowHeight-totalStyle.size)/2 - 1
	for i, col := range w.doc.Columns {
		var text string
		switch {
		case col.Kind == Amount:
			text = t.Sums[i].Format(w.doc.CurrencySymbol)
		case i == 0:
			text = w.doc.totalText()
		case i == 1:
			text = w.doc.countText(t.Rows)
		default:
			continue
		}
		if err := w.cell(i, textTop, totalStyle, text, col.Kind == Amount); err != nil {
			return err
		}
	}
	w.top += height
	return nil
}

func (w *pdfWriter) fill(c rgb, x, top, width, height float64) {
	w.pdf.SetFillColor(c.r, c.g, c.b)
	w.pdf.RectFromUpperLeftWithStyle(x, top, width, height, "F")
}

func (w *pdfWriter) rule(y float64) {
	w.pdf.SetStrokeColor(ruleColor.r, ruleColor.g, ruleColor.b)
	w.pdf.SetLineWidth(0.6)
	w.pdf.Line(pdfMargin, y, pdfMargin+contentWidth, y)
}
