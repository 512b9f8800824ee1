package report

import (
	"fmt"
	"sync"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/signintech/gopdf"
)

// Font families of the embedded DejaVu fonts, which draw ₹, accented
// Latin, Greek and Cyrillic.
const (
	regularFamily = "DejaVu Sans"
	boldFamily    = "DejaVu Sans Bold"
)

// replacementRune is drawn for a character the font lacks. A report of
// thousands of customers should not fail over one emoji in a name, so the
// character is replaced where the invoice would reject it.
const replacementRune = '\uFFFD'

// loadFonts parses both fonts once per process: parsing takes a few
// milliseconds, about as long as drawing a page of rows.
var loadFonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fonts := &gopdf.FontContainer{}
	option := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return replacementRune }}
	for family, ttf := range map[string][]byte{regularFamily: dejavusans.TTF, boldFamily: dejavusansbold.TTF} {
		if err := fonts.AddTTFFontDataWithOption(family, ttf, option); err != nil {
			return nil, fmt.Errorf("load font %s: %w", family, err)
		}
	}
	return fonts, nil
})
