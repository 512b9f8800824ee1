package report

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/image/font/sfnt"
)

// documentFont is a font as one PDF uses it: a Type0 font with Identity-H
// encoding, so text is shown as two-byte glyph ids. It records the glyphs
// drawn, because the subset, the /W widths and the /ToUnicode CMap written
// at the end cover only those.
type documentFont struct {
	program *fontProgram
	// id is the object id of the Type0 font, reserved up front because
	// every page refers to it.
	id int
	// resource is the font's name in the page resources, such as "F1".
	resource string

	buf    sfnt.Buffer
	glyphs map[rune]glyph
	// drawn maps each glyph drawn to the character it stands for.
	drawn map[sfnt.GlyphIndex]rune
}

// glyph is the drawing of one character: the glyph id, its advance in
// thousandths of an em, and the character that text extraction returns
// for it, which is replacementRune when the font lacks the character.
type glyph struct {
	index sfnt.GlyphIndex
	width int
	text  rune
}

func newDocumentFont(program *fontProgram, id int, resource string) *documentFont {
	return &documentFont{
		program:  program,
		id:       id,
		resource: resource,
		glyphs:   make(map[rune]glyph),
		drawn:    make(map[sfnt.GlyphIndex]rune),
	}
}

// glyph returns how r is drawn, the replacement glyph when the font lacks
// r.
func (f *documentFont) glyph(r rune) (glyph, error) {
	if g, ok := f.glyphs[r]; ok {
		return g, nil
	}
	index, err := f.program.sfnt.GlyphIndex(&f.buf, r)
	if err != nil {
		return glyph{}, fmt.Errorf("look up %q in font %s: %w", r, f.program.postScriptName, err)
	}
	text := r
	if index == 0 {
		index, text = f.program.replacement, replacementRune
	}
	width, err := f.program.glyphWidth(&f.buf, index)
	if err != nil {
		return glyph{}, err
	}
	g := glyph{index: index, width: width, text: text}
	f.glyphs[r] = g
	return g, nil
}

// textWidth returns the width of s in points at size.
func (f *documentFont) textWidth(s string, size float64) (float64, error) {
	units := 0
	for _, r := range s {
		g, err := f.glyph(r)
		if err != nil {
			return 0, err
		}
		units += g.width
	}
	return float64(units) * size / glyphSpace, nil
}

// appendGlyphs appends the glyph ids of s in hex and records them as
// drawn.
func (f *documentFont) appendGlyphs(b []byte, s string) ([]byte, error) {
	for _, r := range s {
		g, err := f.glyph(r)
		if err != nil {
			return b, err
		}
		if _, ok := f.drawn[g.index]; !ok {
			f.drawn[g.index] = g.text
		}
		b = appendHex16(b, uint16(g.index))
	}
	return b, nil
}

// write writes the Type0 font, its CIDFontType2 descendant, the font
// descriptor, the subset font program and the ToUnicode CMap.
func (f *documentFont) write(file *pdfFile) error {
	drawn := slices.Sorted(maps.Keys(f.drawn))
	subset, err := subsetTrueType(f.program.ttf, drawn)
	if err != nil {
		return fmt.Errorf("subset font %s: %w", f.program.postScriptName, err)
	}
	name := subsetTag(drawn) + "+" + f.program.postScriptName
	descendant, descriptor, program, toUnicode := file.reserve(), file.reserve(), file.reserve(), file.reserve()

	file.writeObject(f.id, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "+
		"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", name, descendant, toUnicode))
	widths, err := f.widths(drawn)
	if err != nil {
		return err
	}
	file.writeObject(descendant, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "+
		"/FontDescriptor %d 0 R /CIDToGIDMap /Identity /W %s >>", name, descriptor, widths))
	file.writeObject(descriptor, f.descriptor(name, program))
	file.writeStream(program, "/Length1 "+strconv.Itoa(len(subset))+" ", subset)
	file.writeStream(toUnicode, "", f.toUnicode(drawn))
	return file.err
}

// widths returns the /W array of the drawn glyphs, one run of widths per
// run of consecutive glyph ids.
func (f *documentFont) widths(drawn []sfnt.GlyphIndex) (string, error) {
	var b strings.Builder
	b.WriteString("[")
	for i, g := range drawn {
		width, err := f.program.glyphWidth(&f.buf, g)
		if err != nil {
			return "", err
		}
		if i == 0 || drawn[i-1] != g-1 {
			if i > 0 {
				b.WriteString("]")
			}
			fmt.Fprintf(&b, " %d [", g)
		} else {
			b.WriteString(" ")
		}
		b.WriteString(strconv.Itoa(width))
	}
	if len(drawn) > 0 {
		b.WriteString("]")
	}
	b.WriteString(" ]")
	return b.String(), nil
}

func (f *documentFont) descriptor(name string, program int) string {
	p := f.program
	// Flags 32 marks a nonsymbolic font, whose characters are in the
	// standard Latin set or a superset of it. StemV, the width of
	// vertical stems, is required, and both values are estimates.
	stemV := 80
	if p.bold {
		stemV = 140
	}
	return fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [%d %d %d %d] "+
		"/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
		name, p.bbox[0], p.bbox[1], p.bbox[2], p.bbox[3], p.ascent, p.descent, p.capHeight, stemV, program)
}

// toUnicode returns a CMap from the drawn glyph ids to their characters,
// so text can be copied and searched.
func (f *documentFont) toUnicode(drawn []sfnt.GlyphIndex) []byte {
	var b []byte
	b = append(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"+
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"+
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"...)
	// A bfchar block may hold at most 100 entries.
	for chunk := range slices.Chunk(drawn, 100) {
		b = strconv.AppendInt(b, int64(len(chunk)), 10)
		b = append(b, " beginbfchar\n"...)
		for _, g := range chunk {
			b = append(b, '<')
			b = appendHex16(b, uint16(g))
			b = append(b, "> <"...)
			for _, unit := range utf16.Encode([]rune{f.drawn[g]}) {
				b = appendHex16(b, unit)
			}
			b = append(b, ">\n"...)
		}
		b = append(b, "endbfchar\n"...)
	}
	return append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
}

// subsetTag returns the six capital letters that name a font subset, the
// same for the same glyphs, so two different subsets of one font in
// different files do not share a name.
func subsetTag(drawn []sfnt.GlyphIndex) string {
	h := fnv.New32a()
	for _, g := range drawn {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum32()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	return string(tag)
}
