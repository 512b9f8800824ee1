package report

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
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

// pdfWriter draws a report page by page as rows arrive and writes each
// page to the file when the next one starts.
type pdfWriter struct {
	file          *pdfFile
	doc           *Document
	regular, bold *documentFont
	content       pageContent

	// pagesID, resourcesID and pageCountID are objects every page refers
	// to. The page tree and the page count are written at the end.
	pagesID, resourcesID, pageCountID int
	// pageIDs are the ids of the page objects written so far.
	pageIDs []int

	lefts   []float64
	widths  []float64
	page    int
	top     float64 // top of the next row
	striped bool
}

// WritePDF writes d as an A4 landscape PDF to w. Every page repeats the
// header and the column headings and ends with "Page i of N". A text
// longer than its column is cut and ends with "…", so columns never
// overlap, and a character the DejaVu font lacks is drawn as "�". Pages
// are written to w as they are drawn, so memory does not grow with the
// number of rows. It returns the totals it wrote. When ctx is done it
// stops and returns ctx.Err(), leaving w with part of a file.
func WritePDF(ctx context.Context, w io.Writer, d Document) (Totals, error) {
	pw, err := newPDFWriter(w, &d)
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
	if err := ctx.Err(); err != nil {
		return counter.totals, err
	}
	if err := pw.finish(); err != nil {
		return counter.totals, err
	}
	counter.finish()
	return counter.totals, nil
}

func newPDFWriter(w io.Writer, d *Document) (*pdfWriter, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	file := newPDFFile(w)
	pw := &pdfWriter{file: file, doc: d}
	pw.pagesID = file.reserve()
	pw.regular = newDocumentFont(fonts.regular, file.reserve(), "F1")
	pw.bold = newDocumentFont(fonts.bold, file.reserve(), "F2")
	pw.pageCountID = file.reserve()
	pw.resourcesID = file.reserve()
	file.writeObject(pw.resourcesID, fmt.Sprintf("<< /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /%s %d 0 R >> >>",
		pw.regular.id, pw.bold.id, pageCountForm, pw.pageCountID))

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
	return pw, file.err
}

func (w *pdfWriter) font(s textStyle) *documentFont {
	if s.bold {
		return w.bold
	}
	return w.regular
}

// text draws text with its left edge at x and the top of its line at top,
// measured from the top of the page. The baseline is one font size below
// top.
func (w *pdfWriter) text(x, top float64, s textStyle, text string) error {
	font := w.font(s)
	w.content.startText(font.resource, s.size, s.color, x, pdfPageHeight-top-s.size)
	var err error
	w.content.buf, err = font.appendGlyphs(w.content.buf, text)
	w.content.endText()
	return err
}

// cell draws text inside a column, cut to its width less the padding on
// both sides, aligned right when alignRight is set. A right-aligned cell
// keeps twice the padding on its right, so an amount stays clear of the
// text in the next column.
func (w *pdfWriter) cell(col int, top float64, s textStyle, text string, alignRight bool) error {
	room := w.widths[col] - 2*cellPadding
	if alignRight {
		room -= cellPadding
	}
	fitted, width, err := fit(w.font(s), s.size, cleanText(text), room)
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
// room in font at size, and the width of what it returns. Spaces before
// the "…" are dropped.
func fit(font *documentFont, size float64, text string, room float64) (string, float64, error) {
	width, err := font.textWidth(text, size)
	if err != nil || width <= room {
		return text, width, err
	}
	ellipsisWidth, err := font.textWidth(ellipsis, size)
	if err != nil {
		return "", 0, err
	}
	// units is the width of the text read so far, and end and endUnits
	// the byte length and width of that text without trailing spaces.
	units, end, endUnits := 0, 0, 0
	bestEnd, bestWidth := 0, ellipsisWidth
	for i, r := range text {
		g, err := font.glyph(r)
		if err != nil {
			return "", 0, err
		}
		units += g.width
		if r != ' ' {
			end, endUnits = i+utf8.RuneLen(r), units
		}
		candidate := float64(endUnits)*size/glyphSpace + ellipsisWidth
		if candidate > room {
			break
		}
		bestEnd, bestWidth = end, candidate
	}
	return text[:bestEnd] + ellipsis, bestWidth, nil
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

// newPage writes the page drawn so far, if any, and starts a page with
// the report header, the column headings and the page number line.
func (w *pdfWriter) newPage() error {
	if w.page > 0 {
		if err := w.endPage(); err != nil {
			return err
		}
	}
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
		text, _, err := fit(w.font(h.style), h.style.size, cleanText(h.text), contentWidth)
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

// drawFooter writes "Page i of " followed by the page count form, whose
// number is written once the last page is known, and the report's name
// on the right.
func (w *pdfWriter) drawFooter() error {
	w.rule(footerTop - 4)
	prefix := w.doc.pagePrefix(w.page)
	if err := w.text(pdfMargin, footerTop, mutedStyle, prefix); err != nil {
		return err
	}
	width, err := w.regular.textWidth(prefix, mutedStyle.size)
	if err != nil {
		return err
	}
	w.content.drawForm(pageCountForm, pdfMargin+width, pdfPageHeight-footerTop-mutedStyle.size)

	label := w.doc.Title
	if w.doc.Business != "" {
		label = w.doc.Business + " · " + label
	}
	text, tw, err := fit(w.regular, mutedStyle.size, cleanText(label), contentWidth/2)
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
	y := pdfPageHeight - w.top - 1
	w.content.line(inkColor, 0.8, pdfMargin, y, pdfMargin+contentWidth, y)
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

// fill fills a rectangle whose top left corner is x and top, measured
// from the top of the page.
func (w *pdfWriter) fill(c rgb, x, top, width, height float64) {
	w.content.fillRect(c, x, pdfPageHeight-top-height, width, height)
}

// rule draws a thin line across the page at y from the top.
func (w *pdfWriter) rule(y float64) {
	w.content.line(ruleColor, 0.6, pdfMargin, pdfPageHeight-y, pdfMargin+contentWidth, pdfPageHeight-y)
}
