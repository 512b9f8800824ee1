package invoice

import "fmt"

// block is a measured piece of a page, such as the header or one table
// row, that is never split across pages.
type block struct {
	name   string
	height float64
	draw   func(r *renderer, top float64) error
	// keepWithNext moves the block to the next page together with the
	// block after it, so a table heading never ends a page.
	keepWithNext bool
	// carry, when set, is drawn first whenever this block starts a page,
	// so table rows on a new page get their column headings again.
	carry *block
}

// paginate places blocks on pages whose usable height is space, in order.
// It returns an error when a single block is taller than a page, because
// drawing it would run off the page.
func paginate(blocks []block, space float64) ([][]block, error) {
	pages := [][]block{nil}
	used := 0.0
	for i, b := range blocks {
		if b.height+b.carryHeight() > space {
			return nil, fmt.Errorf("shorten the %s: it is too long to fit on one page", b.name)
		}

		need := b.height
		if b.keepWithNext && i+1 < len(blocks) {
			need += blocks[i+1].height
		}
		if used > 0 && used+need > space {
			pages = append(pages, nil)
			used = 0
			if b.carry != nil {
				pages[len(pages)-1] = append(pages[len(pages)-1], *b.carry)
				used = b.carry.height
			}
		}

		pages[len(pages)-1] = append(pages[len(pages)-1], b)
		used += b.height
	}
	return pages, nil
}

func (b block) carryHeight() float64 {
	if b.carry == nil {
		return 0
	}
	return b.carry.height
}

// textLine is one line of text placed in a column.
type textLine struct {
	style style
	field string
	text  string
	top   float64
}

// column is a stack of wrapped text lines of one width, aligned left or
// right.
type column struct {
	x, width   float64
	alignRight bool
	lines      []textLine
	height     float64
}

// add wraps text to the column width and appends its lines. Empty text
// adds nothing.
func (c *column) add(r *renderer, s style, field, text string) error {
	if text == "" {
		return nil
	}
	wrapped, err := r.wrap(s, field, text, c.width)
	if err != nil {
		return err
	}
	for _, line := range wrapped {
		c.lines = append(c.lines, textLine{style: s, field: field, text: line, top: c.height})
		c.height += s.lineHeight()
	}
	return nil
}

// space adds vertical space below the last line.
func (c *column) space(h float64) {
	c.height += h
}

func (c *column) draw(r *renderer, top float64) error {
	for _, l := range c.lines {
		var err error
		if c.alignRight {
			err = r.drawRight(c.x+c.width, top+l.top, l.style, l.field, l.text)
		} else {
			err = r.draw(c.x, top+l.top, l.style, l.field, l.text)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// pairRow is one label and its value.
type pairRow struct {
	label, value column
	top, height  float64
	// labelDrop lowers the label so that its first baseline matches the
	// value's when the value is set in a larger size.
	labelDrop float64
	shaded    bool
}

// pairList is a two-column list of labels on the left and values aligned
// right, such as the totals of an invoice.
type pairList struct {
	x, labelWidth, valueWidth float64
	rows                      []pairRow
	height                    float64
}

// pairPadding is the space above and below the text of each row.
const pairPadding = 3.0

// add appends a row whose value wraps within the value width. A row with
// an empty value is left out.
func (p *pairList) add(r *renderer, labelStyle, valueStyle style, label, field, value string) error {
	if value == "" {
		return nil
	}
	row := pairRow{
		label:     column{x: p.x, width: p.labelWidth},
		value:     column{x: p.x + p.labelWidth, width: p.valueWidth, alignRight: true},
		top:       p.height,
		labelDrop: max(0, valueStyle.size-labelStyle.size),
	}
	if err := row.label.add(r, labelStyle, "label", label); err != nil {
		return err
	}
	if err := row.value.add(r, valueStyle, field, value); err != nil {
		return err
	}
	row.height = max(row.labelDrop+row.label.height, row.value.height) + 2*pairPadding
	p.rows = append(p.rows, row)
	p.height += row.height
	return nil
}

// shadeLast gives the last row a shaded background.
func (p *pairList) shadeLast() {
	if len(p.rows) > 0 {
		p.rows[len(p.rows)-1].shaded = true
	}
}

func (p *pairList) draw(r *renderer, top float64) error {
	for _, row := range p.rows {
		rowTop := top + row.top
		if row.shaded {
			r.shade(p.x-cellPadding, rowTop, p.labelWidth+p.valueWidth+2*cellPadding, row.height)
		}
		if err := row.label.draw(r, rowTop+pairPadding+row.labelDrop); err != nil {
			return err
		}
		if err := row.value.draw(r, rowTop+pairPadding); err != nil {
			return err
		}
	}
	return nil
}
