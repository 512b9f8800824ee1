package importer

import (
	"strings"

	"github.com/ctvms/ctvms/billing/message"
)

// Mapping assigns a column index (zero-based, in the header row) to each
// field. A field that is missing from the map is not imported.
type Mapping map[Field]int

// ProposeMapping maps each header to the field its name matches, the
// first matching column winning when several do.
func ProposeMapping(headers []string) Mapping {
	m := Mapping{}
	for i, h := range headers {
		f, ok := fieldForHeader(h)
		if !ok {
			continue
		}
		if _, taken := m[f]; !taken {
			m[f] = i
		}
	}
	return m
}

// Column returns the column index of f and whether f is mapped.
func (m Mapping) Column(f Field) (int, bool) {
	i, ok := m[f]
	return i, ok && i >= 0
}

// Clone returns a copy of m that the caller may change.
func (m Mapping) Clone() Mapping {
	out := make(Mapping, len(m))
	for f, i := range m {
		out[f] = i
	}
	return out
}

// Check returns an error naming what to fix when a required field is not
// mapped, a column index is outside headers, or two fields share a column.
func (m Mapping) Check(headers []string) error {
	var problems []message.Text
	for _, fi := range fieldInfos {
		if _, ok := m.Column(fi.Field); fi.Required && !ok {
			problems = append(problems, message.New("choose the column that holds {{.Field}}", "Field", fi.Field.Text()))
		}
	}
	owner := map[int]Field{}
	for _, fi := range fieldInfos {
		i, ok := m.Column(fi.Field)
		if !ok {
			continue
		}
		if i >= len(headers) {
			problems = append(problems, message.New("{{.Field}} is mapped to column {{.Column}}, but the sheet has "+
				"{{.Columns}} columns", "Field", fi.Field.Text(), "Column", i+1, "Columns", len(headers)))
			continue
		}
		if other, dup := owner[i]; dup {
			problems = append(problems, message.New("{{.First}} and {{.Second}} are both mapped to column {{.Column}}",
				"First", other.Text(), "Second", fi.Field.Text(), "Column", ColumnName(headers, i)))
			continue
		}
		owner[i] = fi.Field
	}
	if len(problems) > 0 {
		return message.NewError("invalid column mapping: {{.Problems}}", "Problems", message.Join("; ", problems...))
	}
	return nil
}

// ColumnName returns how a column is named in messages: its header, or its
// spreadsheet letter when the header cell is blank.
func ColumnName(headers []string, i int) string {
	if i >= 0 && i < len(headers) {
		if h := strings.TrimSpace(headers[i]); h != "" {
			return h
		}
	}
	return "column " + ColumnLetter(i)
}

// ColumnLetter returns the spreadsheet letter of a zero-based column
// index: A for 0, Z for 25, AA for 26.
func ColumnLetter(i int) string {
	if i < 0 {
		return "?"
	}
	var b []byte
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}
