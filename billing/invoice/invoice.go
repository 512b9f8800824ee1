// Package invoice renders the invoice of one payment as an A4 PDF: the
// business header, the customer billed, the periods the payment covers, the
// totals and the business's terms. Text is set in DejaVu Sans, embedded in
// the file, and a character the font cannot draw is an error rather than a
// blank or a box.
package invoice

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/signintech/gopdf"
)

// Business is the operator that issues the invoice.
type Business struct {
	Name    string
	Address string // one or more lines separated by "\n"
	Phone   string
	Email   string
	TaxID   string // such as a GSTIN, left out when empty
	Footer  string // terms printed at the end, with paragraphs separated by "\n"
	Logo    []byte // optional PNG or JPEG image, drawn top left when set
}

// Customer is the person billed.
type Customer struct {
	CRF          int64 // customer reference number
	Name         string
	AddressLines []string
	Mobile       string
	Email        string
}

// Line is one billing period paid, in full or in part, by the payment.
type Line struct {
	Start, End  billing.Date // first and last day of the period, inclusive
	Description string       // such as "Cable TV — Gold 300"
	Amount      billing.Money
}

// Document is everything printed on one invoice.
type Document struct {
	Business       Business
	CurrencySymbol string // such as "₹"

	Number string
	// IssuedAt is printed in its own location, as "04 Dec 2026 14:05".
	IssuedAt time.Time

	Customer Customer
	Service  string // such as "Cable TV"
	Plan     string

	// Lines are the periods the payment covers. Their amounts must add up
	// to Amount.
	Lines     []Line
	Amount    billing.Money
	Mode      string // "Cash" or "Online"
	Reference string // the online payment reference, empty for cash

	BalanceDue billing.Money // still owed after this payment
	NewExpiry  billing.Date  // last day of service paid for, left out when zero
	ReceivedBy string

	// Language chooses the printed words and month names. The zero value
	// prints English. Service, Mode and the line descriptions are printed
	// as given, so the caller writes them in the same language.
	Language billing.Language
}

// errInvalidDocument is wrapped when a document lacks what every invoice
// needs or contradicts itself.
var errInvalidDocument = errors.New("invalid invoice document")

// Write renders d as a PDF on w: one A4 page, or more when the lines do not
// fit, with the business header and the table headings repeated on every
// page. The whole PDF is built in memory first, so nothing is written to w
// when d is invalid or a text contains a character the embedded font cannot
// draw. That error wraps ErrMissingGlyph.
func Write(w io.Writer, d Document) error {
	if err := d.validate(); err != nil {
		return err
	}
	fonts, err := loadFonts()
	if err != nil {
		return fmt.Errorf("render invoice %s: %w", d.Number, err)
	}

	r, err := newRenderer(fonts, d.info(), d.Language)
	if err != nil {
		return fmt.Errorf("render invoice %s: %w", d.Number, err)
	}
	if err := render(r, d); err != nil {
		return fmt.Errorf("render invoice %s: %w", d.Number, err)
	}

	if _, err := r.pdf.WriteTo(w); err != nil {
		return fmt.Errorf("write invoice %s: %w", d.Number, err)
	}
	return nil
}

func (d Document) validate() error {
	if d.Number == "" {
		return fmt.Errorf("%w: the invoice number is empty", errInvalidDocument)
	}
	if d.IssuedAt.IsZero() {
		return fmt.Errorf("%w: invoice %s has no issue time", errInvalidDocument, d.Number)
	}
	if len(d.Lines) == 0 {
		return nil
	}

	var sum billing.Money
	for i, l := range d.Lines {
		if l.Start.IsZero() || l.End.IsZero() || l.End.Before(l.Start) {
			return fmt.Errorf("%w: line %d of invoice %s has the period %q to %q; give a start date and an end date on or after it",
				errInvalidDocument, i+1, d.Number, l.Start, l.End)
		}
		sum += l.Amount
	}
	if sum != d.Amount {
		return fmt.Errorf("%w: the lines of invoice %s add up to %s but the amount paid is %s",
			errInvalidDocument, d.Number, sum.Plain(), d.Amount.Plain())
	}
	return nil
}

func (d Document) info() gopdf.PdfInfo {
	return gopdf.PdfInfo{
		Title:        labelsFor(d.Language).infoTitle + d.Number,
		Author:       d.Business.Name,
		Subject:      labelsFor(d.Language).infoSubject + d.Customer.Name,
		Creator:      "CTVMS",
		CreationDate: d.IssuedAt,
	}
}
