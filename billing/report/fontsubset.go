package report

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"golang.org/x/image/font/sfnt"
)

// subsetTables are the TrueType tables a PDF font program keeps: those a
// reader needs to draw glyphs by id, and cmap, OS/2 and post for readers
// that look into them. Layout tables (GSUB, GPOS, kern) and names are
// left out, because the PDF places every glyph itself.
var subsetTables = []string{"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "post", "prep"}

// Composite glyph flags, from the glyf table of the OpenType
// specification.
const (
	argsAreWords     = 0x0001
	haveScale        = 0x0008
	moreComponents   = 0x0020
	haveXYScale      = 0x0040
	haveTwoByTwo     = 0x0080
	checksumMagic    = 0xB1B0AFBA
	headAdjustment   = 8  // offset of checksumAdjustment in head
	headLocaFormat   = 50 // offset of indexToLocFormat in head
	maxpGlyphsCount  = 4  // offset of numGlyphs in maxp
	hheaMetricsCount = 34 // offset of numberOfHMetrics in hhea
	postHeaderSize   = 32
)

var errBadFont = errors.New("invalid TrueType font")

// subsetTrueType returns a copy of the TrueType font ttf in which every
// glyph id keeps its number but only the glyphs in keep, .notdef and the
// components of composite glyphs among them have outlines. Keeping the
// numbers lets the PDF use glyph ids of the full font, and an empty glyph
// costs four bytes in loca.
func subsetTrueType(ttf []byte, keep []sfnt.GlyphIndex) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	head, maxp := tables["head"], tables["maxp"]
	if len(head) < 54 || len(maxp) < 6 {
		return nil, fmt.Errorf("%w: head or maxp table missing or short", errBadFont)
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[maxpGlyphsCount:]))
	offsets, err := glyphOffsets(tables["loca"], len(tables["glyf"]), numGlyphs, binary.BigEndian.Uint16(head[headLocaFormat:]) != 0)
	if err != nil {
		return nil, err
	}
	kept, err := keptGlyphs(tables["glyf"], offsets, keep)
	if err != nil {
		return nil, err
	}
	glyf, loca := subsetGlyphs(tables["glyf"], offsets, kept)
	hmtx, err := subsetMetrics(tables["hmtx"], tables["hhea"], kept)
	if err != nil {
		return nil, err
	}

	newHead := slices.Clone(head)
	binary.BigEndian.PutUint32(newHead[headAdjustment:], 0)
	binary.BigEndian.PutUint16(newHead[headLocaFormat:], 1) // long loca offsets
	tables["head"], tables["glyf"], tables["loca"], tables["hmtx"] = newHead, glyf, loca, hmtx
	if post := tables["post"]; len(post) >= postHeaderSize {
		// Version 3 keeps the header and drops the glyph names, which
		// take 60 KB in DejaVu Sans.
		tables["post"] = slices.Clone(post[:postHeaderSize])
		binary.BigEndian.PutUint32(tables["post"], 0x00030000)
	}

	font := assembleFont(tables)
	headStart := tableStart(font, "head")
	binary.BigEndian.PutUint32(font[headStart+headAdjustment:], checksumMagic-tableChecksum(font))
	return font, nil
}

// readTables returns the tables of ttf listed in subsetTables by tag.
func readTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("%w: %d bytes", errBadFont, len(ttf))
	}
	count := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*count {
		return nil, fmt.Errorf("%w: table directory of %d tables is cut", errBadFont, count)
	}
	tables := make(map[string][]byte)
	for i := range count {
		record := ttf[12+16*i:]
		tag := string(record[:4])
		offset := int64(binary.BigEndian.Uint32(record[8:]))
		length := int64(binary.BigEndian.Uint32(record[12:]))
		if offset+length > int64(len(ttf)) {
			return nil, fmt.Errorf("%w: table %q ends past the file", errBadFont, tag)
		}
		if slices.Contains(subsetTables, tag) {
			tables[tag] = ttf[offset : offset+length]
		}
	}
	return tables, nil
}

// glyphOffsets returns the numGlyphs+1 offsets of the glyphs in a glyf
// table of size glyfSize, read from loca in the short or the long format.
func glyphOffsets(loca []byte, glyfSize, numGlyphs int, long bool) ([]int, error) {
	size := 2
	if long {
		size = 4
	}
	if len(loca) < (numGlyphs+1)*size {
		return nil, fmt.Errorf("%w: loca table has %d bytes for %d glyphs", errBadFont, len(loca), numGlyphs)
	}
	offsets := make([]int, numGlyphs+1)
	for i := range offsets {
		if long {
			offsets[i] = int(binary.BigEndian.Uint32(loca[4*i:]))
		} else {
			offsets[i] = 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
		}
		if offsets[i] > glyfSize || i > 0 && offsets[i] < offsets[i-1] {
			return nil, fmt.Errorf("%w: glyph %d has offset %d in a glyf table of %d bytes", errBadFont, i, offsets[i], glyfSize)
		}
	}
	return offsets, nil
}

// keptGlyphs returns which glyphs keep their outlines: .notdef, those in
// keep and the components of the composite glyphs among them.
func keptGlyphs(glyf []byte, offsets []int, keep []sfnt.GlyphIndex) ([]bool, error) {
	numGlyphs := len(offsets) - 1
	kept := make([]bool, numGlyphs)
	pending := append([]sfnt.GlyphIndex{0}, keep...)
	for len(pending) > 0 {
		g := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if int(g) >= numGlyphs {
			return nil, fmt.Errorf("%w: glyph %d of %d", errBadFont, g, numGlyphs)
		}
		if kept[g] {
			continue
		}
		kept[g] = true
		components, err := glyphComponents(glyf[offsets[g]:offsets[g+1]])
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		pending = append(pending, components...)
	}
	return kept, nil
}

// subsetGlyphs returns a glyf table with the outlines of the kept glyphs
// only, and its loca table in the long format.
func subsetGlyphs(glyf []byte, offsets []int, kept []bool) (newGlyf, loca []byte) {
	numGlyphs := len(kept)
	loca = make([]byte, 4*(numGlyphs+1))
	for g := range numGlyphs {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(len(newGlyf)))
		if kept[g] {
			newGlyf = append(newGlyf, glyf[offsets[g]:offsets[g+1]]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*numGlyphs:], uint32(len(newGlyf)))
	return newGlyf, loca
}

// subsetMetrics returns a copy of hmtx with zeros for the glyphs not kept,
// which then compress to almost nothing. Those glyphs are never drawn,
// and the PDF gives the widths of the drawn ones in /W.
func subsetMetrics(hmtx, hhea []byte, kept []bool) ([]byte, error) {
	if len(hhea) < 36 {
		return nil, fmt.Errorf("%w: hhea table missing or short", errBadFont)
	}
	numMetrics := int(binary.BigEndian.Uint16(hhea[hheaMetricsCount:]))
	if numMetrics > len(kept) || len(hmtx) < 4*numMetrics+2*(len(kept)-numMetrics) {
		return nil, fmt.Errorf("%w: hmtx table has %d bytes for %d glyphs", errBadFont, len(hmtx), len(kept))
	}
	metrics := slices.Clone(hmtx)
	for g, keep := range kept {
		switch {
		case keep:
		case g < numMetrics:
			clear(metrics[4*g : 4*g+4])
		default:
			at := 4*numMetrics + 2*(g-numMetrics)
			clear(metrics[at : at+2])
		}
	}
	return metrics, nil
}

// glyphComponents returns the glyph ids a composite glyph is built from,
// or none for a simple or empty glyph.
func glyphComponents(data []byte) ([]sfnt.GlyphIndex, error) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return nil, nil
	}
	var components []sfnt.GlyphIndex
	for at := 10; ; {
		if at+4 > len(data) {
			return nil, fmt.Errorf("%w: composite glyph is cut", errBadFont)
		}
		flags := binary.BigEndian.Uint16(data[at:])
		components = append(components, sfnt.GlyphIndex(binary.BigEndian.Uint16(data[at+2:])))
		at += 4
		if flags&argsAreWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return components, nil
		}
	}
}

// assembleFont writes tables into a font file: the offset table, the
// table directory sorted by tag, and each table padded to four bytes.
func assembleFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	slices.Sort(tags)

	count := len(tags)
	power := 1 << (bits.Len(uint(count)) - 1) // largest power of two ≤ count
	font := make([]byte, 12+16*count)
	binary.BigEndian.PutUint32(font, 0x00010000)
	binary.BigEndian.PutUint16(font[4:], uint16(count))
	binary.BigEndian.PutUint16(font[6:], uint16(16*power))
	binary.BigEndian.PutUint16(font[8:], uint16(bits.Len(uint(power))-1))
	binary.BigEndian.PutUint16(font[10:], uint16(16*count-16*power))
	for i, tag := range tags {
		data := tables[tag]
		record := font[12+16*i:]
		copy(record, tag)
		binary.BigEndian.PutUint32(record[4:], tableChecksum(data))
		binary.BigEndian.PutUint32(record[8:], uint32(len(font)))
		binary.BigEndian.PutUint32(record[12:], uint32(len(data)))
		font = append(font, data...)
		for len(font)%4 != 0 {
			font = append(font, 0)
		}
	}
	return font
}

// tableStart returns the offset of the table tag in an assembled font.
func tableStart(font []byte, tag string) int {
	count := int(binary.BigEndian.Uint16(font[4:]))
	for i := range count {
		record := font[12+16*i:]
		if string(record[:4]) == tag {
			return int(binary.BigEndian.Uint32(record[8:]))
		}
	}
	return -1
}

// tableChecksum returns the sum of data as big-endian 32-bit words, the
// last one padded with zeros.
func tableChecksum(data []byte) uint32 {
	var sum uint32
	for i := 0; i < len(data); i += 4 {
		var word [4]byte
		copy(word[:], data[i:])
		sum += binary.BigEndian.Uint32(word[:])
	}
	return sum
}
