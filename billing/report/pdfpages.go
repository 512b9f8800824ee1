package report

import (
	"fmt"
	"strconv"
	"strings"
)

// pageCountForm is the resource name of the form XObject that draws the
// number of pages. Every page draws it after "Page i of ", and its
// content is written after the last page, when the number is known.
const pageCountForm = "PageCount"

// endPage writes the content stream and the object of the current page
// and empties the content for the next one.
func (w *pdfWriter) endPage() error {
	contentID, pageID := w.file.reserve(), w.file.reserve()
	w.file.writeStream(contentID, "", w.content.bytes())
	w.file.writeObject(pageID, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R /Contents %d 0 R >>",
		w.pagesID, formatNumber(pdfPageWidth), formatNumber(pdfPageHeight), w.resourcesID, contentID))
	w.pageIDs = append(w.pageIDs, pageID)
	w.content.reset()
	return w.file.err
}

// finish writes the last page and then the objects that depend on all
// pages: the page count, the fonts with the glyphs drawn, the page tree,
// the document information and the catalog.
func (w *pdfWriter) finish() error {
	if err := w.endPage(); err != nil {
		return err
	}
	if err := w.writePageCount(); err != nil {
		return err
	}
	for _, font := range []*documentFont{w.regular, w.bold} {
		if err := font.write(w.file); err != nil {
			return err
		}
	}

	var kids strings.Builder
	for i, id := range w.pageIDs {
		if i > 0 && i%16 == 0 {
			kids.WriteString("\n")
		}
		fmt.Fprintf(&kids, " %d 0 R", id)
	}
	w.file.writeObject(w.pagesID, fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s ] >>", len(w.pageIDs), kids.String()))

	info := w.file.reserve()
	w.file.writeObject(info, fmt.Sprintf("<< /Title %s /Author %s /Creator (CTVMS) >>",
		pdfTextString(w.doc.Title), pdfTextString(w.doc.Business)))
	catalog := w.file.reserve()
	w.file.writeObject(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", w.pagesID))
	return w.file.finish(catalog, info)
}

// writePageCount writes the form that draws the number of pages in the
// style of the page number line, with its origin on the baseline.
func (w *pdfWriter) writePageCount() error {
	w.content.startText(w.regular.resource, mutedStyle.size, mutedStyle.color, 0, 0)
	var err error
	w.content.buf, err = w.regular.appendGlyphs(w.content.buf, strconv.Itoa(w.page))
	if err != nil {
		return err
	}
	w.content.endText()
	// The box leaves room below the baseline and for far more digits
	// than a report has, because the form is clipped to it.
	dict := fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 -%d %d %d] /Resources << /Font << /%s %d 0 R >> >> ",
		int(mutedStyle.size), 20*int(mutedStyle.size), 2*int(mutedStyle.size), w.regular.resource, w.regular.id)
	w.file.writeStream(w.pageCountID, dict, w.content.bytes())
	w.content.reset()
	return w.file.err
}

func formatNumber(v float64) string {
	return string(appendNumber(nil, v))
}
