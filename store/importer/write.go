package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Format is a file format of exported tables.
type Format string

// Export formats.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// FormatOf returns the format named by path's extension.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return FormatXLSX, nil
	case ".csv":
		return FormatCSV, nil
	}
	return "", message.WithCause(ErrUnsupportedFile, "unsupported file type {{.Type}}: name the file .xlsx or .csv",
		"Type", strconv.Quote(filepath.Ext(path)))
}

// Writer writes a table row by row. A row's values may be string, int64,
// billing.Money, billing.Date (zero is an empty cell) or time.Time (written
// in its own location). Close finishes the file; Abort drops it.
type Writer interface {
	WriteRow(values []any) error
	Close() error
	Abort()
}

// Create starts a table file at path with one header row. The file is
// written under a temporary name in the same folder and renamed by Close,
// so a failed or cancelled export never leaves a partial file at path.
func Create(path string, format Format, sheet string, headers []string) (Writer, error) {
	if format != FormatCSV && format != FormatXLSX {
		return nil, message.WithCause(ErrUnsupportedFile, "unsupported file type {{.Type}}: use xlsx or csv",
			"Type", strconv.Quote(string(format)))
	}
	// The temporary name keeps the extension, because excelize saves only
	// to names it recognises.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*."+string(format))
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if format == FormatCSV {
		return newCSVWriter(tmp, path, headers)
	}
	tmp.Close()
	return newXLSXWriter(tmp.Name(), path, sheet, headers)
}

// Neutralize makes a CSV value safe to open in a spreadsheet: a value that
// starts with =, +, -, @, a tab or a carriage return would be run as a
// formula, so it gets a leading single quote, which spreadsheets show as
// text. ReadCSV removes that quote again.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Unneutralize removes the single quote that Neutralize adds. A value
// typed with a quote before one of those characters loses it too.
func Unneutralize(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// csvWriter writes UTF-8 with a byte order mark, so spreadsheet programs
// read non-ASCII names correctly, and CRLF line ends.
type csvWriter struct {
	file *os.File
	path string
	buf  *bufio.Writer
	csv  *csv.Writer
}

func newCSVWriter(tmp *os.File, path string, headers []string) (*csvWriter, error) {
	w := &csvWriter{file: tmp, path: path, buf: bufio.NewWriter(tmp)}
	w.csv = csv.NewWriter(w.buf)
	w.csv.UseCRLF = true
	if _, err := w.buf.Write(utf8BOM); err != nil {
		w.Abort()
		return nil, err
	}
	values := make([]any, len(headers))
	for i, h := range headers {
		values[i] = h
	}
	if err := w.WriteRow(values); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

func (w *csvWriter) WriteRow(values []any) error {
	rec := make([]string, len(values))
	for i, v := range values {
		rec[i] = Neutralize(csvText(v))
	}
	return w.csv.Write(rec)
}

func csvText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case billing.Money:
		return v.Plain()
	case billing.Date:
		return v.String()
	case time.Time:
		return v.Format("2006-01-02 15:04")
	}
	return fmt.Sprint(v)
}

func (w *csvWriter) Close() error {
	w.csv.Flush()
	err := errors.Join(w.csv.Error(), w.buf.Flush(), w.file.Sync(), w.file.Close())
	if err != nil {
		os.Remove(w.file.Name())
		return fmt.Errorf("write %s: %w", w.path, err)
	}
	return rename(w.file.Name(), w.path)
}

func (w *csvWriter) Abort() {
	w.file.Close()
	os.Remove(w.file.Name())
}

func rename(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// xlsxWriter streams rows into one sheet. Text is written as inline
// strings, never as formulas, so "=1+1" stays the text "=1+1".
type xlsxWriter struct {
	file   *excelize.File
	stream *excelize.StreamWriter
	tmp    string
	path   string
	row    int
	styles xlsxStyles
}

type xlsxStyles struct {
	header, date, dateTime, money int
}

func newXLSXWriter(tmp, path, sheet string, headers []string) (*xlsxWriter, error) {
	f := excelize.NewFile()
	w := &xlsxWriter{file: f, tmp: tmp, path: path}
	if err := w.start(sheet, headers); err != nil {
		w.Abort()
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return w, nil
}

func (w *xlsxWriter) start(sheet string, headers []string) error {
	if err := w.file.SetSheetName(w.file.GetSheetName(0), sheet); err != nil {
		return err
	}
	var err error
	if w.styles, err = newXLSXStyles(w.file); err != nil {
		return err
	}
	if w.stream, err = w.file.NewStreamWriter(sheet); err != nil {
		return err
	}
	if err := w.stream.SetColWidth(1, max(len(headers), 1), 18); err != nil {
		return err
	}
	err = w.stream.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err != nil {
		return err
	}
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{StyleID: w.styles.header, Value: h}
	}
	w.row = 1
	return w.stream.SetRow("A1", cells)
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	dateFormat, dateTimeFormat := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, err
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat}); err != nil {
		return s, err
	}
	if s.dateTime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFormat}); err != nil {
		return s, err
	}
	// Built-in number format 2 is "0.00".
	s.money, err = f.NewStyle(&excelize.Style{NumFmt: 2})
	return s, err
}

func (w *xlsxWriter) WriteRow(values []any) error {
	w.row++
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = w.cell(v)
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.stream.SetRow(cell, cells)
}

func (w *xlsxWriter) cell(v any) any {
	switch v := v.(type) {
	case billing.Money:
		// The cell holds a binary float, so it shows the exact two
		// decimals for any amount below 2^53 minor units.
		return excelize.Cell{StyleID: w.styles.money, Value: float64(v) / billing.MinorPerMajor}
	case billing.Date:
		if v.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: w.styles.date, Value: v.Time(time.UTC)}
	case time.Time:
		local := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
		return excelize.Cell{StyleID: w.styles.dateTime, Value: local}
	}
	return v
}

func (w *xlsxWriter) Close() error {
	err := w.stream.Flush()
	if err == nil {
		err = w.file.SaveAs(w.tmp)
	}
	err = errors.Join(err, w.file.Close())
	if err != nil {
		os.Remove(w.tmp)
		return fmt.Errorf("write %s: %w", w.path, err)
	}
	return rename(w.tmp, w.path)
}

func (w *xlsxWriter) Abort() {
	w.file.Close()
	os.Remove(w.tmp)
}
