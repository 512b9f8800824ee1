package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing/message"
)

// Table is a sheet as read from a file: the header row and the data rows.
type Table struct {
	Headers []string
	// Rows are the data rows; rows whose cells are all blank are left out.
	Rows []Row
	// SerialDates is set for .xlsx files, whose date cells hold Excel
	// serial day numbers, so a number in a date column is read as a date.
	SerialDates bool
}

// Row is one data row.
type Row struct {
	// Number is the row number as the spreadsheet shows it; the header is
	// row 1.
	Number int
	Cells  []string
}

// Cell returns the trimmed text of column i, or "" past the row's end.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// ErrUnsupportedFile is returned for a file that is neither .xlsx nor .csv.
var ErrUnsupportedFile = message.NewError("unsupported file type")

// ReadFile reads the .xlsx or .csv file at path. For .xlsx, sheet names the
// sheet to read; empty means the first one. Sheet is ignored for .csv.
func ReadFile(path, sheet string) (Table, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		f, err := os.Open(path)
		if err != nil {
			return Table{}, openError(path, err)
		}
		defer f.Close()
		t, err := ReadCSV(f)
		if err != nil {
			return Table{}, message.WithCause(err, "file {{.File}} cannot be read: {{.Reason}}",
				"File", filepath.Base(path), "Reason", err)
		}
		return t, nil
	case ".xlsx":
		return ReadXLSX(path, sheet)
	}
	return Table{}, message.WithCause(ErrUnsupportedFile, "unsupported file type {{.Type}}: save the sheet as .xlsx "+
		"or .csv", "Type", strconv.Quote(filepath.Ext(path)))
}

// Sheets returns the sheet names of an .xlsx file in workbook order, and
// nil for a .csv file.
func Sheets(path string) ([]string, error) {
	if strings.ToLower(filepath.Ext(path)) != ".xlsx" {
		return nil, nil
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, openError(path, err)
	}
	defer f.Close()
	return f.GetSheetList(), nil
}

// utf8BOM is the byte order mark that Excel writes at the start of a
// "CSV UTF-8" file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ReadCSV reads comma- or semicolon-separated UTF-8 text, with or without
// a byte order mark. The separator is the one that occurs more often in the
// header line, outside quotes. Values that the export neutralised with a
// leading single quote are read back without it (see Unneutralize).
func ReadCSV(r io.Reader) (Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Table{}, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidUTF8Offset(data)], []byte("\n"))
		return Table{}, message.NewError("line {{.Line}} is not UTF-8 text: save the file as \"CSV UTF-8\"",
			"Line", line)
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = detectSeparator(data)
	cr.FieldsPerRecord = -1
	var t Table
	for number := 1; ; number++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Table{}, message.WithCause(err, "invalid CSV: {{.Reason}}", "Reason", err)
		}
		for i := range rec {
			rec[i] = Unneutralize(rec[i])
		}
		if number == 1 {
			t.Headers = rec
			continue
		}
		if !blank(rec) {
			t.Rows = append(t.Rows, Row{Number: number, Cells: rec})
		}
	}
	if err := checkHeaders(t.Headers); err != nil {
		return Table{}, err
	}
	return t, nil
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// detectSeparator counts commas and semicolons outside quotes in the first
// line and returns the more frequent one, comma on a tie.
func detectSeparator(data []byte) rune {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	if !sc.Scan() {
		return ','
	}
	commas, semicolons, quoted := 0, 0, false
	for _, r := range sc.Text() {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == ',':
			commas++
		case r == ';':
			semicolons++
		}
	}
	if semicolons > commas {
		return ';'
	}
	return ','
}

// ReadXLSX reads one sheet of an .xlsx file; empty sheet means the first.
// Cells are read as stored, without number formats, so a date cell gives
// its serial day number and a long number keeps all its digits.
func ReadXLSX(path, sheet string) (Table, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return Table{}, openError(path, err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return Table{}, message.NewError("file {{.File}} has no sheet {{.Sheet}}", "File", filepath.Base(path),
			"Sheet", strconv.Quote(sheet))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return Table{}, sheetError(sheet, err)
	}
	defer rows.Close()

	t := Table{SerialDates: true}
	for number := 1; rows.Next(); number++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Table{}, message.WithCause(err, "row {{.Row}} of sheet {{.Sheet}} cannot be read: {{.Reason}}",
				"Row", number, "Sheet", strconv.Quote(sheet), "Reason", err)
		}
		if number == 1 {
			t.Headers = cells
			continue
		}
		if !blank(cells) {
			t.Rows = append(t.Rows, Row{Number: number, Cells: cells})
		}
	}
	if err := rows.Error(); err != nil {
		return Table{}, sheetError(sheet, err)
	}
	if err := checkHeaders(t.Headers); err != nil {
		return Table{}, message.WithCause(err, "sheet {{.Sheet}}: {{.Reason}}", "Sheet", strconv.Quote(sheet),
			"Reason", err)
	}
	return t, nil
}

func checkHeaders(headers []string) error {
	if blank(headers) {
		return message.NewError("the first row has no column names: put a header such as Name or Mobile above " +
			"each column")
	}
	return nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// openError returns the error of a file at path that cannot be opened. The
// cause, such as a missing file or a damaged workbook, keeps its own text.
func openError(path string, err error) error {
	return message.WithCause(err, "file {{.File}} cannot be opened: {{.Reason}}", "File", filepath.Base(path),
		"Reason", err)
}

// sheetError returns the error of a sheet that cannot be read.
func sheetError(sheet string, err error) error {
	return message.WithCause(err, "sheet {{.Sheet}} cannot be read: {{.Reason}}", "Sheet", strconv.Quote(sheet),
		"Reason", err)
}
