package invoice

import (
	"fmt"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/ctvms/ctvms/billing"
)

// Page geometry in PDF points (1/72 inch). A4 is 595.28 × 841.89 points.
const (
	pageWidth    = 595.28
	pageHeight   = 841.89
	margin       = 42.0
	contentWidth = pageWidth - 2*margin
	// bodyBottom is the lowest point that page content may reach, leaving
	// room for the page number.
	bodyBottom = pageHeight - 56.0
)

// rgb is a colour as red, green and blue intensities.
type rgb struct{ r, g, b uint8 }

var (
	inkColor    = rgb{0x22, 0x22, 0x22}
	mutedColor  = rgb{0x6b, 0x6b, 0x6b}
	accentColor = rgb{0x1f, 0x3a, 0x5f}
	ruleColor   = rgb{0xc8, 0xc8, 0xc8}
	shadeColor  = rgb{0xf0, 0xf2, 0xf5}
)

// style is the face, size in points and colour of one kind of text.
type style struct {
	bold  bool
	size  float64
	color rgb
}

// lineHeight returns the distance between the tops of two lines.
func (s style) lineHeight() float64 {
	return s.size * 1.35
}

// renderer draws checked text and rules on a gopdf document. Every text
// goes through measure or draw, which reject characters the chosen face
// lacks before gopdf would replace them.
type renderer struct {
	pdf      *gopdf.GoPdf
	fonts    *fontSet
	labels   labels
	language billing.Language
}

// newRenderer starts a PDF that prints the words and dates of language l.
func newRenderer(fonts *fontSet, info gopdf.PdfInfo, l billing.Language) (*renderer, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}, Unit: gopdf.UnitPT})
	pdf.SetInfo(info)
	if err := fonts.addTo(pdf); err != nil {
		return nil, err
	}
	return &renderer{pdf: pdf, fonts: fonts, labels: labelsFor(l), language: l}, nil
}

func (r *renderer) face(s style) face {
	if s.bold {
		return r.fonts.bold
	}
	return r.fonts.regular
}

// use checks text against the face of s and makes s the current style.
func (r *renderer) use(s style, field, text string) error {
	f := r.face(s)
	if err := f.coverage.check(f.family, field, text); err != nil {
		return err
	}
	if err := r.pdf.SetFont(f.family, "", s.size); err != nil {
		return fmt.Errorf("set font %s: %w", f.family, err)
	}
	r.pdf.SetTextColor(s.color.r, s.color.g, s.color.b)
	return nil
}

// measure returns the width of text in points.
func (r *renderer) measure(s style, field, text string) (float64, error) {
	if err := r.use(s, field, text); err != nil {
		return 0, err
	}
	w, err := r.pdf.MeasureTextWidth(text)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", field, err)
	}
	return w, nil
}

// draw writes text with its left edge at x and the top of its line at top.
func (r *renderer) draw(x, top float64, s style, field, text string) error {
	if err := r.use(s, field, text); err != nil {
		return err
	}
	r.pdf.SetXY(x, top+s.size)
	if err := r.pdf.Text(text); err != nil {
		return fmt.Errorf("draw %s: %w", field, err)
	}
	return nil
}

// drawRight writes text with its right edge at right.
func (r *renderer) drawRight(right, top float64, s style, field, text string) error {
	w, err := r.measure(s, field, text)
	if err != nil {
		return err
	}
	return r.draw(right-w, top, s, field, text)
}

// rule draws a thin horizontal line across the content width.
func (r *renderer) rule(y float64) {
	r.pdf.SetStrokeColor(ruleColor.r, ruleColor.g, ruleColor.b)
	r.pdf.SetLineWidth(0.6)
	r.pdf.Line(margin, y, pageWidth-margin, y)
}

// shade fills a rectangle with the background colour of headings.
func (r *renderer) shade(x, top, width, height float64) {
	r.pdf.SetFillColor(shadeColor.r, shadeColor.g, shadeColor.b)
	r.pdf.RectFromUpperLeftWithStyle(x, top, width, height, "F")
}

// wrap splits text into lines no wider than width, breaking at spaces and
// inside a word only when the word alone is too wide. A "\n" or "\r\n" in
// text starts a new line. A run of spaces is drawn as one space, or as
// none at the end of a line. Every other character, a tab included, is
// drawn or rejected.
func (r *renderer) wrap(s style, field, text string, width float64) ([]string, error) {
	var lines []string
	for _, paragraph := range strings.Split(text, "\n") {
		paragraph = strings.TrimRight(paragraph, "\r ")
		wrapped, err := r.wrapParagraph(s, field, paragraph, width)
		if err != nil {
			return nil, err
		}
		lines = append(lines, wrapped...)
	}
	return lines, nil
}

func (r *renderer) wrapParagraph(s style, field, text string, width float64) ([]string, error) {
	var lines []string
	line := ""
	for _, word := range strings.Split(text, " ") {
		if word == "" {
			continue
		}
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		w, err := r.measure(s, field, candidate)
		if err != nil {
			return nil, err
		}
		if w <= width {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		pieces, err := r.breakWord(s, field, word, width)
		if err != nil {
			return nil, err
		}
		lines = append(lines, pieces[:len(pieces)-1]...)
		line = pieces[len(pieces)-1]
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines, nil
}

// breakWord splits a word into pieces no wider than width. A single
// character wider than width stays whole.
func (r *renderer) breakWord(s style, field, word string, width float64) ([]string, error) {
	var pieces []string
	piece := []rune{}
	for _, c := range word {
		w, err := r.measure(s, field, string(append(piece, c)))
		if err != nil {
			return nil, err
		}
		if w > width && len(piece) > 0 {
			pieces = append(pieces, string(piece))
			piece = piece[:0]
		}
		piece = append(piece, c)
	}
	return append(pieces, string(piece)), nil
}
