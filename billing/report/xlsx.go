package report

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the only worksheet of an XLSX report.
const SheetName = "Report"

// Rows of the XLSX header, 1-based as in the spreadsheet. The column
// headings are on HeadingRow and the data starts on the row below, which
// is also where the frozen pane starts.
const (
	businessRow  = 1
	titleRow     = 2
	generatedRow = 3
	HeadingRow   = 5
)

// ExcelDateFormat is the number format of Moment cells. A report in a
// language other than English puts that language's locale code in front.
const ExcelDateFormat = "dd mmm yyyy hh:mm"

// sheetStyles are the style ids of one workbook.
type sheetStyles struct {
	business, title, muted, heading   int
	text, amount, moment              int
	totalText, totalAmount, totalNone int
}

// WriteXLSX writes d as an XLSX workbook to w through excelize's stream
// writer, so memory does not grow with the number of rows. It returns the
// totals it wrote. When ctx is done it stops and returns ctx.Err().
func WriteXLSX(ctx context.Context, w io.Writer, d Document) (Totals, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return Totals{}, fmt.Errorf("name worksheet: %w", err)
	}
	styles, err := newSheetStyles(f, d.CurrencySymbol, d.excelDateFormat())
	if err != nil {
		return Totals{}, err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return Totals{}, fmt.Errorf("start worksheet: %w", err)
	}
	if err := layoutSheet(sw, d); err != nil {
		return Totals{}, err
	}
	if err := writeSheetHeader(sw, d, styles); err != nil {
		return Totals{}, err
	}

	counter := newRowCounter(ctx, &d)
	sheetRow := HeadingRow
	cells := make([]any, len(d.Columns))
	err = d.Rows(func(row []Value) error {
		if err := counter.add(row); err != nil {
			return err
		}
		sheetRow++
		for i, col := range d.Columns {
			cells[i] = dataCell(col.Kind, row[i], styles)
		}
		return setRow(sw, sheetRow, cells)
	})
	if err != nil {
		return counter.totals, err
	}
	if err := writeTotalsRow(sw, sheetRow+1, d, counter.totals, styles); err != nil {
		return counter.totals, err
	}
	if err := sw.Flush(); err != nil {
		return counter.totals, fmt.Errorf("finish worksheet: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return counter.totals, err
	}
	if _, err := f.WriteTo(w); err != nil {
		return counter.totals, fmt.Errorf("write workbook: %w", err)
	}
	counter.finish()
	return counter.totals, nil
}

// MoneyFormat returns the custom number format of amounts, such as
// "₹"#,##0.00, with the symbol quoted so Excel shows it as typed.
func MoneyFormat(symbol string) string {
	quoted := `"` + strings.ReplaceAll(symbol, `"`, `""`) + `"`
	if symbol == "" {
		quoted = ""
	}
	return quoted + `#,##0.00;-` + quoted + `#,##0.00`
}

func newSheetStyles(f *excelize.File, symbol, date string) (sheetStyles, error) {
	money := MoneyFormat(symbol)
	bold := &excelize.Font{Bold: true}
	topRule := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	var s sheetStyles
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.business, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&s.muted, excelize.Style{Font: &excelize.Font{Color: "6B6B6B"}}},
		{&s.heading, excelize.Style{Font: bold, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF2"}},
			Border: []excelize.Border{{Type: "bottom", Color: "1F3A5F", Style: 1}}}},
		// Number format 49 is "@", text: a value typed later into the
		// cell stays text too.
		{&s.text, excelize.Style{NumFmt: 49}},
		{&s.amount, excelize.Style{CustomNumFmt: &money}},
		{&s.moment, excelize.Style{CustomNumFmt: &date, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.totalText, excelize.Style{Font: bold, NumFmt: 49, Border: topRule}},
		{&s.totalAmount, excelize.Style{Font: bold, CustomNumFmt: &money, Border: topRule}},
		{&s.totalNone, excelize.Style{Border: topRule}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, fmt.Errorf("create spreadsheet style: %w", err)
		}
		*d.id = id
	}
	return s, nil
}

// layoutSheet sets the column widths and freezes the rows down to the
// column headings. The stream writer accepts both only before the first
// row.
func layoutSheet(sw *excelize.StreamWriter, d Document) error {
	for i, col := range d.Columns {
		if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
			return fmt.Errorf("set width of column %q: %w", col.Title, err)
		}
	}
	firstData, err := excelize.CoordinatesToCellName(1, HeadingRow+1)
	if err != nil {
		return err
	}
	err = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: HeadingRow, TopLeftCell: firstData,
		ActivePane: "bottomLeft"})
	if err != nil {
		return fmt.Errorf("freeze column headings: %w", err)
	}
	return nil
}

func writeSheetHeader(sw *excelize.StreamWriter, d Document, s sheetStyles) error {
	lines := []struct {
		row   int
		style int
		text  string
	}{
		{businessRow, s.business, d.Business},
		{titleRow, s.title, d.Title},
		{generatedRow, s.muted, d.generatedText()},
	}
	for _, l := range lines {
		if err := setRow(sw, l.row, []any{excelize.Cell{StyleID: l.style, Value: l.text}}); err != nil {
			return err
		}
	}
	headings := make([]any, len(d.Columns))
	for i, col := range d.Columns {
		headings[i] = excelize.Cell{StyleID: s.heading, Value: col.Title}
	}
	return setRow(sw, HeadingRow, headings)
}

// dataCell returns the cell of one value. Text always goes in as a string
// value, which the stream writer stores as an inline string: only the
// Formula field of excelize.Cell makes a formula, and it is never set.
func dataCell(kind Kind, v Value, s sheetStyles) excelize.Cell {
	switch kind {
	case Amount:
		return excelize.Cell{StyleID: s.amount, Value: v.Amount.Major()}
	case Moment:
		if v.Moment.IsZero() {
			return excelize.Cell{StyleID: s.text, Value: ""}
		}
		return excelize.Cell{StyleID: s.moment, Value: v.Moment}
	}
	return excelize.Cell{StyleID: s.text, Value: v.Text}
}

func writeTotalsRow(sw *excelize.StreamWriter, row int, d Document, t Totals, s sheetStyles) error {
	cells := make([]any, len(d.Columns))
	for i, col := range d.Columns {
		switch {
		case col.Kind == Amount:
			cells[i] = excelize.Cell{StyleID: s.totalAmount, Value: t.Sums[i].Major()}
		case i == 0:
			cells[i] = excelize.Cell{StyleID: s.totalText, Value: d.totalText()}
		case i == 1:
			cells[i] = excelize.Cell{StyleID: s.totalText, Value: d.countText(t.Rows)}
		default:
			cells[i] = excelize.Cell{StyleID: s.totalNone}
		}
	}
	return setRow(sw, row, cells)
}

func setRow(sw *excelize.StreamWriter, row int, cells []any) error {
	ref, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return err
	}
	if err := sw.SetRow(ref, cells); err != nil {
		return fmt.Errorf("write spreadsheet row %d: %w", row, err)
	}
	return nil
}
