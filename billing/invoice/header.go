package invoice

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG for logo sizes
	_ "image/png"  // registers PNG for logo sizes

	"github.com/signintech/gopdf"
)

// Header geometry in points.
const (
	logoBox        = 60.0  // the logo is scaled to fit a square of this side
	titleWidth     = 200.0 // width of the "INVOICE" column on the right
	metaLabelWidth = 70.0  // width of the labels under "INVOICE"
	logoTextGap    = 12.0
)

// logo is a decoded logo image and its size on the page.
type logo struct {
	data          []byte
	width, height float64
}

// draw places the logo with its top-left corner at x, top. gopdf embeds
// the image once and refers to it from every page that shows it.
func (l logo) draw(r *renderer, x, top float64) error {
	if l.data == nil {
		return nil
	}
	holder, err := gopdf.ImageHolderByBytes(l.data)
	if err != nil {
		return fmt.Errorf("read Business.Logo: %w", err)
	}
	rect := &gopdf.Rect{W: l.width, H: l.height}
	if err := r.pdf.ImageByHolder(holder, x, top, rect); err != nil {
		return fmt.Errorf("draw Business.Logo: %w", err)
	}
	return nil
}

// headerBlock returns the block at the top of every page: the business on
// the left and the invoice title, number and date on the right.
func headerBlock(r *renderer, d Document) (block, error) {
	img, err := loadLogo(d.Business.Logo)
	if err != nil {
		return block{}, err
	}
	business, err := businessColumn(r, d.Business, img)
	if err != nil {
		return block{}, err
	}
	title, meta, err := titleColumn(r, d)
	if err != nil {
		return block{}, err
	}

	height := max(img.height, business.height, title.height+meta.height)
	draw := func(r *renderer, top float64) error {
		if err := img.draw(r, margin, top); err != nil {
			return err
		}
		if err := business.draw(r, top); err != nil {
			return err
		}
		if err := title.draw(r, top); err != nil {
			return err
		}
		return meta.draw(r, top+title.height)
	}
	return ruledBlock("header", 0, height, draw), nil
}

func businessColumn(r *renderer, b Business, img logo) (column, error) {
	x := margin
	if img.data != nil {
		x += img.width + logoTextGap
	}
	c := column{x: x, width: pageWidth - margin - titleWidth - columnGap - x}

	if err := c.add(r, nameStyle, "Business.Name", b.Name); err != nil {
		return c, err
	}
	c.space(2)
	fields := []struct{ field, prefix, text string }{
		{"Business.Address", "", b.Address},
		{"Business.Phone", r.labels.phone, b.Phone},
		{"Business.Email", r.labels.email, b.Email},
		{"Business.TaxID", r.labels.taxID, b.TaxID},
	}
	for _, f := range fields {
		if f.text == "" {
			continue
		}
		if err := c.add(r, smallStyle, f.field, f.prefix+f.text); err != nil {
			return c, err
		}
	}
	return c, nil
}

// titleColumn returns the "INVOICE" title and, below it, the number and
// issue time.
func titleColumn(r *renderer, d Document) (column, pairList, error) {
	x := pageWidth - margin - titleWidth
	title := column{x: x, width: titleWidth, alignRight: true}
	if err := title.add(r, titleStyle, "title", r.labels.title); err != nil {
		return title, pairList{}, err
	}
	title.space(2)

	meta := pairList{x: x, labelWidth: metaLabelWidth, valueWidth: titleWidth - metaLabelWidth}
	if err := meta.add(r, labelStyle, strongStyle, r.labels.number, "Number", d.Number); err != nil {
		return title, meta, err
	}
	err := meta.add(r, labelStyle, bodyStyle, r.labels.date, "IssuedAt", formatTime(d.IssuedAt, r.language))
	return title, meta, err
}

// loadLogo decodes the size of a PNG or JPEG logo and scales it to fit
// logoBox. It returns the zero logo when data is empty.
func loadLogo(data []byte) (logo, error) {
	if len(data) == 0 {
		return logo{}, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return logo{}, fmt.Errorf("read Business.Logo: use a PNG or JPEG image: %w", err)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return logo{}, fmt.Errorf("read Business.Logo: the %s image is empty", format)
	}

	scale := logoBox / float64(max(cfg.Width, cfg.Height))
	return logo{data: data, width: float64(cfg.Width) * scale, height: float64(cfg.Height) * scale}, nil
}
