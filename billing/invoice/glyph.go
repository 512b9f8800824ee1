package invoice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/ctvms/ctvms/billing/message"
)

// ErrMissingGlyph is wrapped when a text contains a character that the
// embedded font cannot draw, or bytes that are not valid UTF-8. The message
// names the document field and the character, such as "U+1F4FA 📺".
var ErrMissingGlyph = errors.New("missing glyph")

// errInvalidFont is wrapped when a font file has no usable Unicode cmap.
var errInvalidFont = errors.New("invalid font")

// coverage is the set of characters that a font maps to a real glyph,
// that is, to any glyph but .notdef (glyph 0).
type coverage map[rune]struct{}

// check returns an error wrapping ErrMissingGlyph for the first character of
// text that c lacks, or for invalid UTF-8.
func (c coverage) check(fontName, field, text string) error {
	if !utf8.ValidString(text) {
		return message.Wrap(ErrMissingGlyph, "{{.Field}} is not valid UTF-8 text.", "Field", field)
	}
	for _, r := range text {
		if _, ok := c[r]; !ok {
			return message.Wrap(ErrMissingGlyph,
				"{{.Field}} contains {{.Character}}, which the font {{.Font}} cannot draw; remove or replace that character.",
				"Field", field, "Character", describeRune(r), "Font", fontName)
		}
	}
	return nil
}

// describeRune returns "U+1F600 😀", or only "U+000A" for a character that
// has no visible form.
func describeRune(r rune) string {
	if unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return fmt.Sprintf("U+%04X %c", r, r)
	}
	return fmt.Sprintf("U+%04X", r)
}

// Platform and encoding ids of the two Windows Unicode cmap subtables.
// gopdf v0.33.0 maps BMP characters through the format 4 subtable (3, 1) and
// the others through the format 12 subtable (3, 10), so coverage reads the
// same two subtables.
const (
	platformWindows = 3
	encodingBMP     = 1
	encodingFull    = 10
)

// parseCoverage reads the cmap table of a TrueType font.
func parseCoverage(ttf []byte) (coverage, error) {
	font := fontReader{data: ttf}
	cmap, ok := font.findTable("cmap")
	if !ok {
		return nil, fmt.Errorf("%w: no cmap table", errInvalidFont)
	}

	c := coverage{}
	foundBMP := false
	count := int(font.u16(cmap + 2))
	for i := 0; i < count && font.err == nil; i++ {
		record := cmap + 4 + 8*i
		platform, encoding := font.u16(record), font.u16(record+2)
		subtable := cmap + int(font.u32(record+4))
		switch {
		case platform == platformWindows && encoding == encodingBMP:
			foundBMP = true
			font.readFormat4(subtable, c)
		case platform == platformWindows && encoding == encodingFull:
			font.readFormat12(subtable, c)
		}
	}

	if font.err != nil {
		return nil, font.err
	}
	if !foundBMP {
		return nil, fmt.Errorf("%w: no Windows Unicode BMP cmap subtable", errInvalidFont)
	}
	return c, nil
}

// fontReader reads big-endian integers from font data and remembers the
// first out-of-range read, so parsing code can check once at the end.
type fontReader struct {
	data []byte
	err  error
}

func (f *fontReader) u16(off int) uint16 {
	if off < 0 || off+2 > len(f.data) {
		f.fail(off)
		return 0
	}
	return binary.BigEndian.Uint16(f.data[off:])
}

func (f *fontReader) u32(off int) uint32 {
	if off < 0 || off+4 > len(f.data) {
		f.fail(off)
		return 0
	}
	return binary.BigEndian.Uint32(f.data[off:])
}

func (f *fontReader) fail(off int) {
	if f.err == nil {
		f.err = fmt.Errorf("%w: read at offset %d past the end of %d bytes", errInvalidFont, off, len(f.data))
	}
}

// findTable returns the offset of the table with the given tag.
func (f *fontReader) findTable(tag string) (int, bool) {
	count := int(f.u16(4))
	for i := 0; i < count && f.err == nil; i++ {
		record := 12 + 16*i
		if record+4 <= len(f.data) && string(f.data[record:record+4]) == tag {
			return int(f.u32(record + 8)), f.err == nil
		}
	}
	return 0, false
}

// readFormat4 adds the characters of a segment-mapped cmap subtable to c.
func (f *fontReader) readFormat4(off int, c coverage) {
	if f.u16(off) != 4 {
		return
	}
	segments := int(f.u16(off+6)) / 2
	ends := off + 14
	starts := ends + 2*segments + 2
	deltas := starts + 2*segments
	rangeOffsets := deltas + 2*segments

	for i := 0; i < segments && f.err == nil; i++ {
		start, end := int(f.u16(starts+2*i)), int(f.u16(ends+2*i))
		delta := f.u16(deltas + 2*i)
		rangeOffset := int(f.u16(rangeOffsets + 2*i))
		for code := start; code <= end && code != 0xFFFF; code++ {
			var glyph uint16
			if rangeOffset == 0 {
				glyph = uint16(code) + delta
			} else if g := f.u16(rangeOffsets + 2*i + rangeOffset + 2*(code-start)); g != 0 {
				glyph = g + delta
			}
			if glyph != 0 {
				c[rune(code)] = struct{}{}
			}
		}
	}
}

// readFormat12 adds the characters of a segmented-coverage cmap subtable
// to c.
func (f *fontReader) readFormat12(off int, c coverage) {
	if f.u16(off) != 12 {
		return
	}
	groups := int(f.u32(off + 12))
	for i := 0; i < groups && f.err == nil; i++ {
		group := off + 16 + 12*i
		start, end, glyph := f.u32(group), f.u32(group+4), f.u32(group+8)
		if end > unicode.MaxRune || start > end {
			f.err = fmt.Errorf("%w: cmap group %d has range %X-%X", errInvalidFont, i, start, end)
			return
		}
		for code := start; code <= end; code++ {
			if glyph+(code-start) != 0 {
				c[rune(code)] = struct{}{}
			}
		}
	}
}
