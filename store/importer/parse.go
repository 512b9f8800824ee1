package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Record is one data row read into typed fields. Text fields are trimmed
// but not validated further: the service layer applies the same rules as
// the customer form.
type Record struct {
	// Row is the spreadsheet row number, the header being row 1.
	Row int
	// CRF is the number kept from the earlier system, or zero when the row
	// has none and takes the next free number.
	CRF           int64
	Name          string
	Mobile        string
	Email         string
	House         string
	Street        string
	City          string
	State         string
	PostalCode    string
	IDProofType   string
	IDProofNumber string
	DateOfBirth   billing.Date // zero when empty
	Notes         string
	CableTV       ServiceRecord
	Broadband     ServiceRecord
}

// ServiceRecord is the cable TV or broadband part of a row.
type ServiceRecord struct {
	Plan   string // plan name as typed; empty means no connection
	Device string // set-top box number, ISP username or router MAC
	// ActivatedOn is the activation date, or zero when the cell is empty.
	// The import then activates the connection on the day it runs, as the
	// connect form does with an empty date.
	ActivatedOn billing.Date
	// PaidThrough is the last day the customer paid for in the earlier
	// system, or zero when nothing was paid there. It is never before the
	// activation date.
	PaidThrough billing.Date
}

// HasPlan reports whether the row requests a connection of this service.
func (s ServiceRecord) HasPlan() bool { return s.Plan != "" }

// Problem is one invalid cell, or a row that cannot be imported.
type Problem struct {
	Row    int    // spreadsheet row number, the header being row 1
	Column string // the column's header, as in the sheet
	Field  Field
	// Message states what is wrong and how to fix it, in a full English
	// sentence.
	Message string
	// Text is Message with its translation key and values.
	Text message.Text
}

// String returns the problem as one line, such as "row 7, Mobile: …".
func (p Problem) String() string {
	return fmt.Sprintf("row %d, %s: %s", p.Row, p.Column, p.Message)
}

// SortProblems orders problems by row, then by the column order of Fields.
func SortProblems(ps []Problem) {
	order := map[Field]int{}
	for i, fi := range fieldInfos {
		order[fi.Field] = i
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(order[a.Field], order[b.Field]))
	})
}

// ParseOptions are the facts Parse checks cells against.
type ParseOptions struct {
	// Today is the operator's local date; activations after it are
	// rejected.
	Today billing.Date
}

// Parse reads every row of t through the mapping into records. It returns
// the problems found in single cells: a CRF that is not a positive whole
// number, a date in no accepted form, and an activation after today. A
// paid-through date is reported when it is before the activation date or
// more than maxPaidAheadYears after today. A device, activation or
// paid-through date without a plan is reported too, and so is a CRF number
// given twice in the file. A row with problems still yields a record, so
// later checks can report its other cells too. The mapping must have
// passed Check.
func Parse(t Table, m Mapping, opts ParseOptions) ([]Record, []Problem) {
	p := parser{table: t, mapping: m, opts: opts, crfRows: map[int64]int{}}
	records := make([]Record, 0, len(t.Rows))
	for _, row := range t.Rows {
		records = append(records, p.record(row))
	}
	SortProblems(p.problems)
	return records, p.problems
}

type parser struct {
	table    Table
	mapping  Mapping
	opts     ParseOptions
	problems []Problem
	crfRows  map[int64]int // CRF number → first row that has it
}

func (p *parser) cell(row Row, f Field) string {
	i, ok := p.mapping.Column(f)
	if !ok {
		return ""
	}
	return row.Cell(i)
}

func (p *parser) add(row Row, f Field, text message.Text) {
	i, _ := p.mapping.Column(f)
	p.problems = append(p.problems, Problem{Row: row.Number, Column: ColumnName(p.table.Headers, i),
		Field: f, Message: text.String(), Text: text})
}

func (p *parser) record(row Row) Record {
	r := Record{
		Row:           row.Number,
		CRF:           p.crf(row),
		Name:          p.cell(row, FieldName),
		Mobile:        p.cell(row, FieldMobile),
		Email:         p.cell(row, FieldEmail),
		House:         p.cell(row, FieldHouse),
		Street:        p.cell(row, FieldStreet),
		City:          p.cell(row, FieldCity),
		State:         p.cell(row, FieldState),
		PostalCode:    p.cell(row, FieldPostalCode),
		IDProofType:   p.cell(row, FieldIDProofType),
		IDProofNumber: p.cell(row, FieldIDProofNumber),
		DateOfBirth:   p.date(row, FieldDateOfBirth, false),
		Notes:         p.cell(row, FieldNotes),
	}
	r.CableTV = p.service(row, cableFields)
	r.Broadband = p.service(row, broadbandFields)
	return r
}

// serviceFields are the fields of one service's columns.
type serviceFields struct {
	plan, device, activation, paidThrough Field
}

var (
	cableFields     = serviceFields{FieldCablePlan, FieldCableDevice, FieldCableActivation, FieldCablePaidThrough}
	broadbandFields = serviceFields{FieldBroadbandPlan, FieldBroadbandDevice, FieldBroadbandActivation,
		FieldBroadbandPaidThrough}
)

// maxCRF keeps CRF numbers well inside int64 and SQLite's integer range.
const maxCRF = 999_999_999_999

func (p *parser) crf(row Row) int64 {
	text := p.cell(row, FieldCRF)
	if text == "" {
		return 0
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n <= 0 || n > maxCRF || text[0] == '+' {
		p.add(row, FieldCRF, message.New("CRF {{.CRF}} is not a positive whole number; leave it empty to assign "+
			"the next number.", "CRF", strconv.Quote(text)))
		return 0
	}
	if first, dup := p.crfRows[n]; dup {
		p.add(row, FieldCRF, message.New("CRF {{.CRF}} is also in row {{.Row}}; each customer needs their own number.",
			"CRF", n, "Row", first))
		return n
	}
	p.crfRows[n] = row.Number
	return n
}

// date parses a date cell. An activation must not be after today; the
// date of birth is checked against today by the customer validation.
func (p *parser) date(row Row, f Field, activation bool) billing.Date {
	text := p.cell(row, f)
	if text == "" {
		return billing.Date{}
	}
	d, err := ParseDate(text, p.table.SerialDates)
	if err != nil {
		p.add(row, f, message.New("{{.Label}} {{.Problem}}.", "Label", f.Text(), "Problem", err))
		return billing.Date{}
	}
	if activation && !p.opts.Today.IsZero() && d.After(p.opts.Today) {
		p.add(row, f, message.New("{{.Label}} {{.Date}} is in the future; a connection can only be imported from "+
			"today or earlier.", "Label", f.Text(), "Date", d))
		return billing.Date{}
	}
	return d
}

func (p *parser) service(row Row, f serviceFields) ServiceRecord {
	s := ServiceRecord{
		Plan:        p.cell(row, f.plan),
		Device:      p.cell(row, f.device),
		ActivatedOn: p.date(row, f.activation, true),
		PaidThrough: p.date(row, f.paidThrough, false),
	}
	if s.Plan != "" {
		s.PaidThrough = p.checkPaidThrough(row, f, s)
		return s
	}
	for _, filled := range []Field{f.device, f.activation, f.paidThrough} {
		if p.cell(row, filled) != "" {
			p.add(row, filled, message.New("{{.Filled}} is filled but {{.Plan}} is empty; add the plan or clear the cell.",
				"Filled", filled.Text(), "Plan", f.plan.Text()))
		}
	}
	return s
}

// maxPaidAheadYears limits how far after today a paid-through date may be,
// counted as years of 366 days. Every period up to that date is stored
// when the row is imported, so the limit stops a mistyped year from
// writing centuries of periods.
const maxPaidAheadYears = 5

// checkPaidThrough returns s.PaidThrough, or zero after reporting a date
// before the activation date or too far after today. An empty activation
// cell means activation today, as the import does.
func (p *parser) checkPaidThrough(row Row, f serviceFields, s ServiceRecord) billing.Date {
	paid := s.PaidThrough
	if paid.IsZero() {
		return paid
	}
	switch {
	case !s.ActivatedOn.IsZero() && paid.Before(s.ActivatedOn):
		p.add(row, f.paidThrough, message.New("{{.PaidThrough}} {{.Date}} is before {{.Activation}} {{.Activated}}; "+
			"correct either date, or clear {{.PaidThrough}} when nothing was paid.", "PaidThrough", f.paidThrough.Text(),
			"Date", paid, "Activation", f.activation.Text(), "Activated", s.ActivatedOn))
		return billing.Date{}
	case s.ActivatedOn.IsZero() && p.cell(row, f.activation) == "" && !p.opts.Today.IsZero() &&
		paid.Before(p.opts.Today):
		p.add(row, f.paidThrough, message.New("{{.PaidThrough}} {{.Date}} is before today, the activation date of a "+
			"row without {{.Activation}}; fill in {{.Activation}}, or clear {{.PaidThrough}} when nothing was paid.",
			"PaidThrough", f.paidThrough.Text(), "Date", paid, "Activation", f.activation.Text()))
		return billing.Date{}
	case !p.opts.Today.IsZero() && paid.After(p.opts.Today.AddDays(maxPaidAheadYears*366)):
		p.add(row, f.paidThrough, message.New("{{.PaidThrough}} {{.Date}} is more than {{.Years}} years after today; "+
			"check the year.", "PaidThrough", f.paidThrough.Text(), "Date", paid, "Years", maxPaidAheadYears))
		return billing.Date{}
	}
	return paid
}
