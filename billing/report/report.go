// Package report writes tabular reports, such as the paid and unpaid
// customers of a month, as PDF or XLSX files. It takes rows from a callback
// and never touches a database, so a report of 100,000 rows is written
// while it is read and never held whole in memory as rows.
package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// Format is the file format of a saved report, stored as its extension.
type Format string

// The formats a report can be saved in.
const (
	FormatPDF  Format = "pdf"
	FormatXLSX Format = "xlsx"
)

// Formats lists every Format in display order.
var Formats = []Format{FormatPDF, FormatXLSX}

// ErrInvalidFormat is wrapped by the error ParseFormat returns.
var ErrInvalidFormat = errors.New("invalid report format")

// ParseFormat returns the Format named s.
func ParseFormat(s string) (Format, error) {
	if !slices.Contains(Formats, Format(s)) {
		return "", fmt.Errorf("%w %q: use %q or %q", ErrInvalidFormat, s, FormatPDF, FormatXLSX)
	}
	return Format(s), nil
}

// Kind is the type of a column's values, which sets how they are written.
type Kind int

// The column kinds.
const (
	// Text is written as a string cell, never as a formula, even when it
	// starts with "=", "+", "-" or "@".
	Text Kind = iota
	// Amount is money: a number cell with the currency format in XLSX,
	// right-aligned with the currency symbol in PDF, and summed in the
	// totals row.
	Amount
	// Moment is an instant written as the date and time of its own
	// location, so pass times already converted to the operator's zone.
	// The zero time leaves the cell empty.
	Moment
)

// Column is one column of a report.
type Column struct {
	Title string
	Kind  Kind
	// Width is in characters of the spreadsheet's default font. The PDF
	// shares the page width among columns in proportion to it.
	Width float64
}

// Value is one cell. Only the field of the column's Kind is read.
type Value struct {
	Text   string
	Amount billing.Money
	Moment time.Time
}

// Document is a report to write: a header, columns, and rows that arrive
// through a callback.
type Document struct {
	Business string
	// Title is the filter in words, such as "Cable TV — unpaid —
	// December 2026".
	Title string
	// Generated is the time the report was made, in the operator's zone.
	Generated      time.Time
	CurrencySymbol string
	Columns        []Column
	// CountLabel names the number of rows in the totals row, such as
	// "%d customers". Empty means "%d rows".
	CountLabel string
	// Language sets the month names of dates. Empty means English.
	Language billing.Language
	// Words are the fixed words printed around the data, in Language.
	Words Words
	// Rows calls emit once per row, in order. Each row has one Value per
	// column. emit may keep nothing of the slice after it returns, so Rows
	// may reuse it. Rows must stop and return the error emit returns.
	Rows func(emit func(row []Value) error) error
	// Progress, when set, receives the number of rows written so far,
	// every progressStep rows and once at the end.
	Progress func(done int)
}

// Totals are the figures of the totals row.
type Totals struct {
	Rows int
	// Sums has one entry per column: the sum of an Amount column, zero for
	// the others.
	Sums []billing.Money
}

// progressStep is how many rows pass between two Progress calls, so a
// window showing progress is not flooded with updates.
const progressStep = 200

// ErrRowWidth is wrapped when a row has a different number of values than
// the document has columns.
var ErrRowWidth = errors.New("row does not match the columns")

// rowCounter checks each row, adds it to the totals, reports progress and
// stops when the context is done.
type rowCounter struct {
	ctx    context.Context
	doc    *Document
	totals Totals
}

func newRowCounter(ctx context.Context, d *Document) *rowCounter {
	return &rowCounter{ctx: ctx, doc: d, totals: Totals{Sums: make([]billing.Money, len(d.Columns))}}
}

// add counts row, or returns why it must not be written.
func (c *rowCounter) add(row []Value) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if len(row) != len(c.doc.Columns) {
		return fmt.Errorf("%w: row %d has %d values for %d columns", ErrRowWidth, c.totals.Rows+1,
			len(row), len(c.doc.Columns))
	}
	for i, col := range c.doc.Columns {
		if col.Kind == Amount {
			c.totals.Sums[i] += row[i].Amount
		}
	}
	c.totals.Rows++
	if c.doc.Progress != nil && c.totals.Rows%progressStep == 0 {
		c.doc.Progress(c.totals.Rows)
	}
	return nil
}

// finish reports the final count.
func (c *rowCounter) finish() {
	if c.doc.Progress != nil {
		c.doc.Progress(c.totals.Rows)
	}
}

// countText returns the totals row's count, such as "120 customers".
func (d *Document) countText(n int) string {
	label := d.CountLabel
	if label == "" {
		label = "%d rows"
	}
	return fmt.Sprintf(label, n)
}

// MomentLayout is the time layout of a Moment in the PDF and the preview,
// such as "01 Dec 2026 00:15".
const MomentLayout = "02 Jan 2006 15:04"
