package report

import (
	"fmt"
	"sync"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// replacementRune is drawn for a character the font lacks. A report of
// thousands of customers should not fail over one emoji in a name, so the
// character is replaced where the invoice would reject it.
const replacementRune = '\uFFFD'

// glyphSpace is the number of text space units in one em: PDF gives glyph
// widths, /W arrays and font descriptor metrics in thousandths of the font
// size.
const glyphSpace = 1000

// fontProgram is a parsed TrueType font and the metrics a PDF font
// descriptor needs, in thousandths of an em.
type fontProgram struct {
	// postScriptName is the font's name in the PDF, before the subset tag.
	postScriptName string
	ttf            []byte
	sfnt           *sfnt.Font
	bold           bool

	bbox                       [4]int
	ascent, descent, capHeight int
	// replacement is the glyph of replacementRune.
	replacement sfnt.GlyphIndex
}

// reportFonts are the regular and the bold fonts of a report.
type reportFonts struct {
	regular, bold *fontProgram
}

// loadFonts parses the embedded DejaVu Sans and DejaVu Sans Bold once per
// process. They draw ₹, accented Latin, Greek and Cyrillic.
var loadFonts = sync.OnceValues(func() (reportFonts, error) {
	regular, err := parseFont("DejaVuSans", dejavusans.TTF, false)
	if err != nil {
		return reportFonts{}, err
	}
	bold, err := parseFont("DejaVuSans-Bold", dejavusansbold.TTF, true)
	if err != nil {
		return reportFonts{}, err
	}
	return reportFonts{regular: regular, bold: bold}, nil
})

func parseFont(name string, ttf []byte, bold bool) (*fontProgram, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: %w", name, err)
	}

	var buf sfnt.Buffer
	em := fixed.I(glyphSpace)
	bounds, err := f.Bounds(&buf, em, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("read bounds of font %s: %w", name, err)
	}
	metrics, err := f.Metrics(&buf, em, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("read metrics of font %s: %w", name, err)
	}

	replacement, err := f.GlyphIndex(&buf, replacementRune)
	if err != nil || replacement == 0 {
		return nil, fmt.Errorf("font %s lacks the replacement character U+FFFD: %v", name, err)
	}

	// sfnt turns the Y axis down, so the top of the box is -Min.Y and
	// the descent is positive.
	return &fontProgram{
		postScriptName: name,
		ttf:            ttf,
		sfnt:           f,
		bold:           bold,
		bbox:           [4]int{bounds.Min.X.Round(), -bounds.Max.Y.Round(), bounds.Max.X.Round(), -bounds.Min.Y.Round()},
		ascent:         metrics.Ascent.Round(),
		descent:        -metrics.Descent.Round(),
		capHeight:      metrics.CapHeight.Round(),
		replacement:    replacement,
	}, nil
}

// glyphWidth returns the advance of glyph g in thousandths of an em.
func (p *fontProgram) glyphWidth(buf *sfnt.Buffer, g sfnt.GlyphIndex) (int, error) {
	advance, err := p.sfnt.GlyphAdvance(buf, g, fixed.I(glyphSpace), font.HintingNone)
	if err != nil {
		return 0, fmt.Errorf("read advance of glyph %d in font %s: %w", g, p.postScriptName, err)
	}
	return advance.Round(), nil
}
