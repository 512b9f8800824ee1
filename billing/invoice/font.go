package invoice

import (
	"fmt"
	"sync"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/signintech/gopdf"
)

// face is one embedded font: its family name in the PDF and the characters
// it can draw.
type face struct {
	family   string
	coverage coverage
}

// fontSet contains the parsed fonts shared by every document. Parsing both
// fonts takes a few milliseconds, about as long as rendering a whole
// invoice, so it is done once per process.
type fontSet struct {
	container gopdf.FontContainer
	regular   face
	bold      face
}

// loadFonts parses the embedded fonts on first use.
var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	fonts := &fontSet{}
	var err error
	fonts.regular, err = fonts.add("DejaVu Sans", dejavusans.TTF)
	if err != nil {
		return nil, err
	}
	fonts.bold, err = fonts.add("DejaVu Sans Bold", dejavusansbold.TTF)
	if err != nil {
		return nil, err
	}
	return fonts, nil
})

func (s *fontSet) add(family string, ttf []byte) (face, error) {
	cov, err := parseCoverage(ttf)
	if err != nil {
		return face{}, fmt.Errorf("read cmap of font %s: %w", family, err)
	}
	if err := s.container.AddTTFFontData(family, ttf); err != nil {
		return face{}, fmt.Errorf("load font %s: %w", family, err)
	}
	return face{family: family, coverage: cov}, nil
}

// addTo makes both faces available to pdf.
func (s *fontSet) addTo(pdf *gopdf.GoPdf) error {
	for _, f := range []face{s.regular, s.bold} {
		if err := pdf.AddTTFFontFromFontContainer(f.family, &s.container); err != nil {
			return fmt.Errorf("add font %s to the PDF: %w", f.family, err)
		}
	}
	return nil
}
