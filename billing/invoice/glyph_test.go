package invoice

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/signintech/gopdf"
)

func TestCoverageKnownCharacters(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		r    rune
		want bool
	}{
		{"latin letter", 'A', true},
		{"space", ' ', true},
		{"rupee sign", '₹', true},
		{"n with tilde", 'ñ', true},
		{"e with acute", 'é', true},
		{"en dash", '–', true},
		{"em dash", '—', true},
		{"grinning face", '😀', true},
		{"television", '📺', false},
		{"cjk ideograph", '中', false},
		{"line feed", '\n', false},
		{"private use", '\uE000', false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []face{fonts.regular, fonts.bold} {
				_, got := f.coverage[tt.r]
				if got != tt.want {
					t.Errorf("%s covers %s = %v, want %v", f.family, describeRune(tt.r), got, tt.want)
				}
			}
		})
	}
}

// The coverage parsed here must agree with the glyph lookup that gopdf uses
// when it draws, or a character could pass the check and still be drawn as
// the .notdef box.
func TestCoverageMatchesGopdfLookup(t *testing.T) {
	cov, err := parseCoverage(dejavusans.TTF)
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFontData("probe", dejavusans.TTF); err != nil {
		t.Fatal(err)
	}
	if err := pdf.SetFont("probe", "", 10); err != nil {
		t.Fatal(err)
	}

	mismatches := 0
	for r := rune(1); r < 0x20000 && mismatches < 10; r++ {
		if r >= 0xD800 && r <= 0xDFFF || r == 0xFFFF {
			continue
		}
		want, err := pdf.IsCurrFontContainGlyph(r)
		if err != nil {
			t.Fatalf("gopdf lookup of %s: %v", describeRune(r), err)
		}
		if _, got := cov[r]; got != want {
			t.Errorf("coverage of %s = %v, gopdf lookup = %v", describeRune(r), got, want)
			mismatches++
		}
	}
	if len(cov) < 3000 {
		t.Errorf("coverage has %d characters, want the several thousand of DejaVu Sans", len(cov))
	}
}

func TestCoverageCheckMessage(t *testing.T) {
	cov := coverage{'a': {}, 'b': {}}

	err := cov.check("Test Font", "Customer.Name", "ab😀")
	if !errors.Is(err, ErrMissingGlyph) {
		t.Fatalf("check error = %v, want ErrMissingGlyph", err)
	}
	for _, want := range []string{"Customer.Name", "U+1F600 😀", "Test Font"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not contain %q", err, want)
		}
	}

	if err := cov.check("Test Font", "Customer.Name", "abba"); err != nil {
		t.Errorf("check of covered text = %v, want nil", err)
	}
	if err := cov.check("Test Font", "Customer.Name", "a\xffb"); !errors.Is(err, ErrMissingGlyph) {
		t.Errorf("check of invalid UTF-8 = %v, want ErrMissingGlyph", err)
	}
}

func TestDescribeRune(t *testing.T) {
	tests := []struct {
		r    rune
		want string
	}{
		{'😀', "U+1F600 😀"},
		{'中', "U+4E2D 中"},
		{'\n', "U+000A"},
		{'\u00A0', "U+00A0"},
	}
	for _, tt := range tests {
		if got := describeRune(tt.r); got != tt.want {
			t.Errorf("describeRune(%q) = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestParseCoverageRejectsDamagedFonts(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"truncated header", dejavusans.TTF[:10]},
		{"truncated tables", dejavusans.TTF[:2000]},
		{"no tables", make([]byte, 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseCoverage(tt.data); !errors.Is(err, errInvalidFont) {
				t.Errorf("parseCoverage error = %v, want errInvalidFont", err)
			}
		})
	}
}

func FuzzParseCoverage(f *testing.F) {
	f.Add(dejavusans.TTF[:4096])
	f.Add([]byte{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 'c', 'm', 'a', 'p'})
	f.Fuzz(func(t *testing.T, data []byte) {
		cov, err := parseCoverage(data)
		if err == nil && cov == nil {
			t.Error("parseCoverage returned neither coverage nor error")
		}
		for r := range cov {
			if r < 0 || r > unicode.MaxRune {
				t.Fatalf("coverage contains out-of-range character %X", r)
			}
		}
	})
}
