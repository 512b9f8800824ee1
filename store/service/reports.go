package service

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store"
)

// ReportKind chooses between the paid and the unpaid report.
type ReportKind string

// The report kinds.
const (
	ReportPaid   ReportKind = "paid"
	ReportUnpaid ReportKind = "unpaid"
)

// ReportKinds lists every ReportKind in display order.
var ReportKinds = []ReportKind{ReportPaid, ReportUnpaid}

// Years a report may cover. Period years outside them cannot be billing
// history of a running office.
const (
	minReportYear = 1900
	maxReportYear = 9999
)

// PreviewRows is how many rows ReportPreview returns.
const PreviewRows = 500

// ErrInvalidReport is wrapped by every error about a bad report filter.
var ErrInvalidReport = message.NewError("invalid report filter")

// ReportFilter chooses one report: a service, a month, paid or unpaid, and
// the file format. The month is that of the periods' start dates: see
// store.Store.PaidReport for which payments count.
type ReportFilter struct {
	Service billing.Service
	Year    int
	Month   time.Month
	Kind    ReportKind
	Format  report.Format
}

// Check returns an error naming the first invalid field, its value and
// the allowed values.
func (f ReportFilter) Check() error {
	if _, err := billing.ParseService(string(f.Service)); err != nil {
		return message.Wrap(ErrInvalidReport, "service {{.Service}} is invalid; use {{.CableTV}} or {{.Broadband}}",
			"Service", strconv.Quote(string(f.Service)), "CableTV", strconv.Quote(string(billing.ServiceCableTV)),
			"Broadband", strconv.Quote(string(billing.ServiceBroadband)))
	}
	if f.Year < minReportYear || f.Year > maxReportYear {
		return message.Wrap(ErrInvalidReport, "year {{.Year}} is invalid; use a year from {{.Min}} to {{.Max}}",
			"Year", f.Year, "Min", minReportYear, "Max", maxReportYear)
	}
	if f.Month < time.January || f.Month > time.December {
		return message.Wrap(ErrInvalidReport, "month {{.Month}} is invalid; use a month from 1 to 12", "Month", int(f.Month))
	}
	if f.Kind != ReportPaid && f.Kind != ReportUnpaid {
		return message.Wrap(ErrInvalidReport, "kind {{.Kind}} is invalid; use {{.Paid}} or {{.Unpaid}}",
			"Kind", strconv.Quote(string(f.Kind)), "Paid", strconv.Quote(string(ReportPaid)),
			"Unpaid", strconv.Quote(string(ReportUnpaid)))
	}
	if _, err := report.ParseFormat(string(f.Format)); err != nil {
		return message.Wrap(ErrInvalidReport, "format {{.Format}} is invalid; use {{.PDF}} or {{.XLSX}}",
			"Format", strconv.Quote(string(f.Format)), "PDF", strconv.Quote(string(report.FormatPDF)),
			"XLSX", strconv.Quote(string(report.FormatXLSX)))
	}
	return nil
}

// FileName returns the default file name, such as
// "unpaid-cable_tv-2026-12.xlsx".
func (f ReportFilter) FileName() string {
	return fmt.Sprintf("%s-%s-%04d-%02d.%s", f.Kind, f.Service, f.Year, int(f.Month), f.Format)
}

// Title returns the filter in English words, such as "Cable TV — unpaid
// — December 2026".
func (f ReportFilter) Title() string {
	return f.TitleIn(billing.English)
}

func (f ReportFilter) query(limit int) store.ReportQuery {
	return store.ReportQuery{Service: f.Service, Year: f.Year, Month: f.Month, Limit: limit}
}

// Columns of each report in English, widths in spreadsheet characters.
// reportWords holds those of the other languages.
var (
	paidColumns = []report.Column{
		{Title: "CRF", Kind: report.Text, Width: 8},
		{Title: "Name", Kind: report.Text, Width: 28},
		{Title: "Mobile", Kind: report.Text, Width: 15},
		{Title: "Plan", Kind: report.Text, Width: 16},
		{Title: "Amount paid", Kind: report.Amount, Width: 14},
		{Title: "Paid on", Kind: report.Moment, Width: 18},
		{Title: "Mode", Kind: report.Text, Width: 8},
		{Title: "Reference", Kind: report.Text, Width: 18},
		{Title: "Invoice", Kind: report.Text, Width: 18},
	}
	unpaidColumns = []report.Column{
		{Title: "CRF", Kind: report.Text, Width: 8},
		{Title: "Name", Kind: report.Text, Width: 28},
		{Title: "Mobile", Kind: report.Text, Width: 15},
		{Title: "Area", Kind: report.Text, Width: 22},
		{Title: "Plan", Kind: report.Text, Width: 16},
		{Title: "Due this month", Kind: report.Amount, Width: 15},
		{Title: "Total due", Kind: report.Amount, Width: 15},
		{Title: "State", Kind: report.Text, Width: 9},
		{Title: "Status", Kind: report.Text, Width: 12},
	}
)

// ReportColumns returns the columns of a report kind in English.
func ReportColumns(kind ReportKind) []report.Column {
	return englishReportWords.columns(kind)
}

// paidValues fills row with the cells of r, payment time in loc and the
// payment mode in the words of w.
func paidValues(row []report.Value, r store.PaidReportRow, loc *time.Location, w *reportWords) {
	row[0].Text = strconv.FormatInt(r.CRF, 10)
	row[1].Text = r.Name
	row[2].Text = r.Mobile
	row[3].Text = r.Plan
	row[4].Amount = r.Amount
	row[5].Moment = r.PaidAt.In(loc)
	row[6].Text = translated(w.modes, r.Mode)
	row[7].Text = r.Reference
	row[8].Text = r.InvoiceNumber
}

func unpaidValues(row []report.Value, r store.UnpaidReportRow, w *reportWords) {
	row[0].Text = strconv.FormatInt(r.CRF, 10)
	row[1].Text = r.Name
	row[2].Text = r.Mobile
	row[3].Text = r.Area
	row[4].Text = r.Plan
	row[5].Amount = r.Due
	row[6].Amount = r.TotalDue
	row[7].Text = translated(w.states, r.State)
	row[8].Text = translated(w.statuses, r.Status)
}

// streamReport reads the report of f and calls emit with each row's CRF
// number and cells, with the words of w, in CRF order. emit may not keep
// the cells, which the next row reuses. start, when set, receives the
// totals before the first row; without it the totals are not computed.
func (s *Service) streamReport(ctx context.Context, f ReportFilter, w *reportWords, limit int,
	start func(store.ReportTotals) error, emit func(crf int64, row []report.Value) error) error {
	row := make([]report.Value, len(w.columns(f.Kind)))
	if f.Kind == ReportPaid {
		return s.store.PaidReport(ctx, f.query(limit), start, func(r store.PaidReportRow) error {
			paidValues(row, r, s.loc, w)
			return emit(r.CRF, row)
		})
	}
	return s.store.UnpaidReport(ctx, f.query(limit), start, func(r store.UnpaidReportRow) error {
		unpaidValues(row, r, w)
		return emit(r.CRF, row)
	})
}

// ReportPreview is the start of a report for the screen, with the totals
// of the whole report, in the words of the settings' language.
type ReportPreview struct {
	Filter  ReportFilter
	Title   string
	Columns []report.Column
	// Rows holds the first PreviewRows rows as the PDF prints them.
	Rows           [][]string
	Totals         store.ReportTotals
	CurrencySymbol string
}

// ReportPreview returns the first PreviewRows rows of the report of f, the
// number of rows of the whole report and its totals. Admin only. The format
// of f is checked but plays no part.
func (s *Service) ReportPreview(ctx context.Context, sess Session, f ReportFilter) (ReportPreview, error) {
	if err := requireAdmin(sess); err != nil {
		return ReportPreview{}, err
	}
	if err := f.Check(); err != nil {
		return ReportPreview{}, err
	}
	symbol := s.CurrencySymbol(ctx)
	l := s.Language(ctx)
	words := reportWordsFor(l)
	p := ReportPreview{Filter: f, Title: f.TitleIn(l), Columns: words.columns(f.Kind), CurrencySymbol: symbol}
	start := func(t store.ReportTotals) error {
		p.Totals = t
		p.Rows = make([][]string, 0, min(t.Rows, PreviewRows))
		return nil
	}
	err := s.streamReport(ctx, f, words, PreviewRows, start, func(_ int64, row []report.Value) error {
		p.Rows = append(p.Rows, displayRow(p.Columns, row, symbol, l))
		return nil
	})
	return p, err
}

// displayRow returns the cells of row as text, with month names in l.
func displayRow(columns []report.Column, row []report.Value, symbol string, l billing.Language) []string {
	out := make([]string, len(columns))
	for i, col := range columns {
		switch col.Kind {
		case report.Amount:
			out[i] = row[i].Amount.Format(symbol)
		case report.Moment:
			if !row[i].Moment.IsZero() {
				out[i] = report.FormatMoment(row[i].Moment, l)
			}
		default:
			out[i] = row[i].Text
		}
	}
	return out
}

// DefaultReportPath returns where SaveReport writes the report of f when
// no path is given: its FileName in ReportsDir.
func (s *Service) DefaultReportPath(f ReportFilter) string {
	return filepath.Join(s.ReportsDir(), f.FileName())
}

// SaveReport writes the report of f to path, or to DefaultReportPath when
// path is empty. Admin only. The file appears whole or not at all: a
// failed or cancelled report leaves path as it was. progress, when set,
// receives how far the report has got, as done of total, from the calling
// goroutine: 0 of total first and total of total at the end. The rows
// come in CRF order, and done counts the CRF numbers passed, which needs
// no count of the rows before the first is written.
func (s *Service) SaveReport(ctx context.Context, sess Session, f ReportFilter, path string, progress func(done, total int)) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	_, err := s.saveReport(ctx, f, path, sess.Username, progress)
	return err
}

// saveReport writes a report for actor and returns its path. It logs the
// start and the end or failure of the run.
func (s *Service) saveReport(ctx context.Context, f ReportFilter, path, actor string, progress func(done, total int)) (string, error) {
	if err := f.Check(); err != nil {
		return "", err
	}
	if path == "" {
		path = s.DefaultReportPath(f)
	}
	settings, err := s.store.Settings(ctx)
	if err != nil {
		return "", err
	}
	symbol := settings.CurrencySymbol
	if symbol == "" {
		symbol = store.DefaultSettings().CurrencySymbol
	}

	first, last, err := s.store.CRFRange(ctx)
	if err != nil {
		return "", err
	}
	span := int(last - first + 1)
	l := s.Language(ctx)
	words := reportWordsFor(l)
	doc := report.Document{
		Business:       settings.BusinessName,
		Title:          f.TitleIn(l),
		Generated:      s.clock.Now().In(s.loc),
		CurrencySymbol: symbol,
		Columns:        words.columns(f.Kind),
		CountLabel:     words.count,
		Language:       l,
		Words:          words.file,
	}
	doc.Rows = func(emit func([]report.Value) error) error {
		if progress != nil {
			progress(0, span)
		}
		written := 0
		err := pipeRows(ctx, func(ctx context.Context, send func(int64, []report.Value) error) error {
			return s.streamReport(ctx, f, words, 0, nil, send)
		}, func(crf int64, row []report.Value) error {
			if err := emit(row); err != nil {
				return err
			}
			written++
			if progress != nil && written%reportProgressStep == 0 {
				// A customer added during the save can be past last.
				progress(min(int(crf-first+1), span), span)
			}
			return nil
		})
		if err == nil && progress != nil {
			progress(span, span)
		}
		return err
	}

	log := s.log.With("report_kind", f.Kind, "service", f.Service, "year", f.Year, "month", int(f.Month),
		"format", f.Format, "path", path, "actor", actor)
	log.Info("report start")
	began := time.Now()
	totals, err := report.WriteFile(ctx, path, f.Format, doc)
	if errors.Is(err, context.Canceled) {
		log.Info("report cancelled", "rows_written", totals.Rows)
		return "", fmt.Errorf("save %s report: %w", f.Title(), err)
	}
	if err != nil {
		log.Error("report failed", "rows_written", totals.Rows, "error", err)
		return "", fmt.Errorf("save %s report to %s: %w", f.Title(), path, err)
	}
	log.Info("report end", "rows", totals.Rows, "duration_ms", time.Since(began).Milliseconds())
	return path, nil
}
