package report

// pageContent builds the content stream of one page, in PDF coordinates
// with the origin at the bottom left. It leaves out operators that would
// set the font or a colour already in use, because a page of rows draws
// hundreds of cells in a few styles.
type pageContent struct {
	buf    []byte
	inText bool

	font      string
	size      float64
	fill      rgb
	stroke    rgb
	lineWidth float64
	// fillSet, strokeSet and fontSet are false until the page sets them,
	// because a new page starts from the default graphics state.
	fillSet, strokeSet, fontSet bool
}

// reset empties c for the next page and keeps its buffer.
func (c *pageContent) reset() {
	*c = pageContent{buf: c.buf[:0]}
}

// startText opens a text object when none is open, sets the font and the
// colour, moves to (x, y) on the baseline and opens a hex string. The
// caller appends glyph ids and closes the string with endText.
func (c *pageContent) startText(font string, size float64, color rgb, x, y float64) {
	if !c.inText {
		c.buf = append(c.buf, "BT\n"...)
		c.inText = true
	}
	if !c.fontSet || c.font != font || c.size != size {
		c.buf = append(c.buf, '/')
		c.buf = append(c.buf, font...)
		c.buf = append(c.buf, ' ')
		c.buf = appendNumber(c.buf, size)
		c.buf = append(c.buf, " Tf\n"...)
		c.font, c.size, c.fontSet = font, size, true
	}
	c.setFill(color)
	c.buf = append(c.buf, "1 0 0 1 "...)
	c.buf = appendPoint(c.buf, x, y)
	c.buf = append(c.buf, " Tm <"...)
}

// endText closes the hex string that startText opened and shows it.
func (c *pageContent) endText() {
	c.buf = append(c.buf, "> Tj\n"...)
}

// closeText ends the open text object, because paths cannot be drawn
// inside one.
func (c *pageContent) closeText() {
	if c.inText {
		c.buf = append(c.buf, "ET\n"...)
		c.inText = false
	}
}

func (c *pageContent) setFill(color rgb) {
	if c.fillSet && c.fill == color {
		return
	}
	c.buf = appendColor(c.buf, color)
	c.buf = append(c.buf, " rg\n"...)
	c.fill, c.fillSet = color, true
}

// fillRect fills the rectangle whose bottom left corner is (x, y).
func (c *pageContent) fillRect(color rgb, x, y, width, height float64) {
	c.closeText()
	c.setFill(color)
	c.buf = appendPoint(c.buf, x, y)
	c.buf = append(c.buf, ' ')
	c.buf = appendPoint(c.buf, width, height)
	c.buf = append(c.buf, " re f\n"...)
}

// line strokes a line from (x1, y1) to (x2, y2).
func (c *pageContent) line(color rgb, width, x1, y1, x2, y2 float64) {
	c.closeText()
	if !c.strokeSet || c.stroke != color {
		c.buf = appendColor(c.buf, color)
		c.buf = append(c.buf, " RG\n"...)
		c.stroke, c.strokeSet = color, true
	}
	if c.lineWidth != width {
		c.buf = appendNumber(c.buf, width)
		c.buf = append(c.buf, " w\n"...)
		c.lineWidth = width
	}
	c.buf = appendPoint(c.buf, x1, y1)
	c.buf = append(c.buf, " m "...)
	c.buf = appendPoint(c.buf, x2, y2)
	c.buf = append(c.buf, " l S\n"...)
}

// drawForm draws the form XObject name with its origin at (x, y).
func (c *pageContent) drawForm(name string, x, y float64) {
	c.closeText()
	c.buf = append(c.buf, "q 1 0 0 1 "...)
	c.buf = appendPoint(c.buf, x, y)
	c.buf = append(c.buf, " cm /"...)
	c.buf = append(c.buf, name...)
	c.buf = append(c.buf, " Do Q\n"...)
}

// bytes returns the finished content stream.
func (c *pageContent) bytes() []byte {
	c.closeText()
	return c.buf
}

func appendPoint(b []byte, x, y float64) []byte {
	b = appendNumber(b, x)
	b = append(b, ' ')
	return appendNumber(b, y)
}

// appendColor appends color as the three operands of rg or RG, from 0
// to 1.
func appendColor(b []byte, color rgb) []byte {
	for i, v := range []uint8{color.r, color.g, color.b} {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNumber(b, float64(v)/255)
	}
	return b
}
