package invoice

import "strconv"

// Text styles, sizes in points.
var (
	nameStyle    = style{bold: true, size: 16, color: inkColor}
	titleStyle   = style{bold: true, size: 22, color: accentColor}
	smallStyle   = style{size: 9, color: mutedColor}
	labelStyle   = style{size: 8.5, color: mutedColor}
	headingStyle = style{bold: true, size: 8.5, color: accentColor}
	bodyStyle    = style{size: 10, color: inkColor}
	strongStyle  = style{bold: true, size: 10, color: inkColor}
	partyStyle   = style{bold: true, size: 11.5, color: inkColor}
	footerStyle  = style{size: 8.5, color: mutedColor}
)

// Vertical spacing in points.
const (
	// blockGap is the space between a block's content and the rule below
	// it, and between that rule and the next block.
	blockGap = 12.0
	// columnGap is the horizontal space between columns.
	columnGap = 16.0
)

// render lays out d and draws it on as many pages as it needs.
func render(r *renderer, d Document) error {
	header, err := headerBlock(r, d)
	if err != nil {
		return err
	}
	body, err := bodyBlocks(r, d)
	if err != nil {
		return err
	}
	pages, err := paginate(body, bodyBottom-margin-header.height)
	if err != nil {
		return err
	}

	for i, page := range pages {
		r.pdf.AddPage()
		top := margin
		for _, b := range append([]block{header}, page...) {
			if err := b.draw(r, top); err != nil {
				return err
			}
			top += b.height
		}
		if len(pages) > 1 {
			if err := drawPageNumber(r, d.Number, i+1, len(pages)); err != nil {
				return err
			}
		}
	}
	return nil
}

// bodyBlocks returns the blocks below the header, in page order.
func bodyBlocks(r *renderer, d Document) ([]block, error) {
	customer, err := customerBlock(r, d)
	if err != nil {
		return nil, err
	}
	blocks := []block{customer}

	rows, err := tableBlocks(r, d)
	if err != nil {
		return nil, err
	}
	blocks = append(blocks, rows...)

	totals, err := totalsBlock(r, d)
	if err != nil {
		return nil, err
	}
	blocks = append(blocks, totals)

	if d.Business.Footer == "" {
		return blocks, nil
	}
	footer, err := footerBlock(r, d.Business.Footer)
	if err != nil {
		return nil, err
	}
	return append(blocks, footer), nil
}

// drawPageNumber writes "Page 2 of 3" and the invoice number at the foot of
// the current page.
func drawPageNumber(r *renderer, number string, page, pages int) error {
	top := bodyBottom + 20
	r.rule(top - 6)
	if err := r.draw(margin, top, smallStyle, "Number", "Invoice "+number); err != nil {
		return err
	}
	text := "Page " + strconv.Itoa(page) + " of " + strconv.Itoa(pages)
	return r.drawRight(pageWidth-margin, top, smallStyle, "page number", text)
}

// ruledBlock returns a block that leaves space above, draws content of the
// given height and then a rule between two blockGap spaces.
func ruledBlock(name string, above, contentHeight float64, draw func(r *renderer, top float64) error) block {
	return block{
		name:   name,
		height: above + contentHeight + 2*blockGap,
		draw: func(r *renderer, top float64) error {
			if err := draw(r, top+above); err != nil {
				return err
			}
			r.rule(top + above + contentHeight + blockGap)
			return nil
		},
	}
}
