package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
	"github.com/ctvms/ctvms/store/service"
)

// reportsService is the part of the service that the reports screen uses.
type reportsService interface {
	ReportPreview(ctx context.Context, sess service.Session, f service.ReportFilter) (service.ReportPreview, error)
	SaveReport(ctx context.Context, sess service.Session, f service.ReportFilter, path string, progress func(done, total int)) error
	ReportsDir() string
	Today() billing.Date
}

// reportsScreen previews the paid or unpaid customers of a month in a
// table and saves the whole report as PDF or Excel. Both run in the
// background, so the window stays responsive on 100,000 rows.
type reportsScreen struct {
	svc     reportsService
	session service.Session
	win     fyne.Window

	service, year, month, kind, format *widget.Select

	preview, save, cancel *widget.Button
	table                 *widget.Table
	totals                *widget.Label
	progress              *widget.ProgressBar
	status                *widget.Label

	shown      service.ReportPreview
	stopSaving context.CancelFunc
	// busy is closed when the running preview or save has updated the
	// screen, so tests can wait for it.
	busy chan struct{}
}

func newReportsScreen(svc reportsService, sess service.Session, win fyne.Window) *reportsScreen {
	return &reportsScreen{svc: svc, session: sess, win: win}
}

// Choices of the selects, in the order they are shown.
var (
	reportServiceChoices = []billing.Service{billing.ServiceCableTV, billing.ServiceBroadband}
	reportKindChoices    = []service.ReportKind{service.ReportUnpaid, service.ReportPaid}
	reportFormatChoices  = []report.Format{report.FormatXLSX, report.FormatPDF}
)

// reportKindLabel returns the name of a report kind, such as "Unpaid".
func reportKindLabel(k service.ReportKind) string {
	if k == service.ReportPaid {
		return lang.L("Paid")
	}
	return lang.L("Unpaid")
}

func reportFormatLabel(f report.Format) string {
	if f == report.FormatPDF {
		return "PDF"
	}
	return lang.L("Excel (.xlsx)")
}

// reportTitle returns the filter in words in the current language, such
// as "Cable TV — Unpaid — December 2026".
func reportTitle(f service.ReportFilter) string {
	return lang.L("{{.Service}} — {{.Kind}} — {{.Month}} {{.Year}}", map[string]any{
		"Service": serviceLabel(f.Service), "Kind": reportKindLabel(f.Kind),
		"Month": billing.MonthName(f.Month, currentLanguage()), "Year": f.Year})
}

// reportYearsBack is how many years before the current one the year
// select offers.
const reportYearsBack = 5

func (s *reportsScreen) buildUI() fyne.CanvasObject {
	today := s.svc.Today()
	s.service = widget.NewSelect(labels(len(reportServiceChoices), func(i int) string {
		return serviceLabel(reportServiceChoices[i])
	}), nil)
	s.kind = widget.NewSelect(labels(len(reportKindChoices), func(i int) string {
		return reportKindLabel(reportKindChoices[i])
	}), nil)
	s.format = widget.NewSelect(labels(len(reportFormatChoices), func(i int) string {
		return reportFormatLabel(reportFormatChoices[i])
	}), nil)
	var years []string
	for y := today.Year + 1; y >= today.Year-reportYearsBack; y-- {
		years = append(years, strconv.Itoa(y))
	}
	s.year = widget.NewSelect(years, nil)
	s.month = widget.NewSelect(monthNames(), nil)

	s.service.SetSelectedIndex(0)
	s.kind.SetSelectedIndex(0)
	s.format.SetSelectedIndex(0)
	s.year.SetSelected(strconv.Itoa(today.Year))
	s.month.SetSelectedIndex(int(today.Month) - 1)

	s.preview = widget.NewButtonWithIcon(lang.L("Preview"), theme.SearchIcon(), s.onPreview)
	s.preview.Importance = widget.HighImportance
	s.save = widget.NewButtonWithIcon(lang.L("Save…"), theme.DocumentSaveIcon(), s.onSave)
	s.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), s.onCancel)
	s.cancel.Hide()
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.totals.Wrapping = fyne.TextWrapWord
	s.status = widget.NewLabel(lang.L("Choose a report and press Preview."))
	s.status.Wrapping = fyne.TextWrapWord
	s.table = s.newTable()

	filters := container.NewHBox(
		widget.NewLabel(lang.L("Service")), s.service, widget.NewLabel(lang.L("Month")), s.month, s.year,
		widget.NewLabel(lang.L("Customers")), s.kind, widget.NewLabel(lang.L("Format")), s.format)
	heading := container.NewBorder(nil, nil, screenTitle(lang.L("Reports")), container.NewHBox(s.preview, s.save))
	top := container.NewVBox(heading, filters)
	bottom := container.NewVBox(s.totals, container.NewBorder(nil, nil, nil, s.cancel, s.progress), s.status)
	return padded(container.NewBorder(top, bottom, nil, nil, s.table))
}

func labels(n int, label func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = label(i)
	}
	return out
}

func (s *reportsScreen) newTable() *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(s.shown.Rows), len(s.shown.Columns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			label := o.(*widget.Label)
			if id.Row >= len(s.shown.Rows) || id.Col >= len(s.shown.Columns) {
				label.SetText("")
				return
			}
			label.Alignment = fyne.TextAlignLeading
			if s.shown.Columns[id.Col].Kind == report.Amount {
				label.Alignment = fyne.TextAlignTrailing
			}
			label.SetText(s.shown.Rows[id.Row][id.Col])
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		title := ""
		if id.Col >= 0 && id.Col < len(s.shown.Columns) {
			title = s.shown.Columns[id.Col].Title
		}
		o.(*widget.Label).SetText(title)
	}
	return t
}

// filter returns the report chosen in the selects.
func (s *reportsScreen) filter() service.ReportFilter {
	year, _ := strconv.Atoi(s.year.Selected)
	return service.ReportFilter{
		Service: reportServiceChoices[max(0, s.service.SelectedIndex())],
		Year:    year,
		Month:   time.Month(s.month.SelectedIndex() + 1),
		Kind:    reportKindChoices[max(0, s.kind.SelectedIndex())],
		Format:  reportFormatChoices[max(0, s.format.SelectedIndex())],
	}
}

// start marks the screen busy and returns the channel that finish closes.
func (s *reportsScreen) start(status string) chan struct{} {
	s.busy = make(chan struct{})
	s.preview.Disable()
	s.save.Disable()
	s.status.SetText(status)
	return s.busy
}

// finish shows status and makes the screen ready for the next action.
// It runs on the Fyne goroutine.
func (s *reportsScreen) finish(done chan struct{}, status string) {
	s.preview.Enable()
	s.save.Enable()
	s.cancel.Hide()
	s.progress.Hide()
	s.status.SetText(status)
	close(done)
}

func (s *reportsScreen) onPreview() {
	f := s.filter()
	done := s.start(lang.L("Loading {{.Report}}…", map[string]any{"Report": reportTitle(f)}))
	go func() {
		p, err := s.svc.ReportPreview(context.Background(), s.session, f)
		fyne.Do(func() {
			if err != nil {
				s.finish(done, plainMessage(err))
				return
			}
			s.showPreview(p)
			s.finish(done, fmt.Sprintf("%s: %s.", reportTitle(p.Filter), shownRows(p)))
		})
	}()
}

func (s *reportsScreen) showPreview(p service.ReportPreview) {
	s.shown = p
	for i, col := range p.Columns {
		s.table.SetColumnWidth(i, float32(col.Width)*6.5+16)
	}
	s.table.ScrollToTop()
	s.table.Refresh()
	s.totals.SetText(totalsText(p))
}

// shownRows returns how much of the report the table shows.
func shownRows(p service.ReportPreview) string {
	if len(p.Rows) < p.Totals.Rows {
		return lang.L("the table shows the first {{.Shown}} of {{.Total}} customers; the saved file has them all",
			map[string]any{"Shown": len(p.Rows), "Total": p.Totals.Rows})
	}
	return lang.L("{{.Total}} customers", map[string]any{"Total": p.Totals.Rows})
}

// totalsText returns the report's totals, such as "Total: 3 customers,
// amount paid ₹750.00".
func totalsText(p service.ReportPreview) string {
	if p.Filter.Kind == service.ReportPaid {
		return lang.L("Total: {{.Count}} customers, amount paid {{.Paid}}",
			map[string]any{"Count": p.Totals.Rows, "Paid": p.Totals.Amount.Format(p.CurrencySymbol)})
	}
	return lang.L("Total: {{.Count}} customers, due this month {{.Due}}, total due {{.TotalDue}}",
		map[string]any{"Count": p.Totals.Rows, "Due": p.Totals.Amount.Format(p.CurrencySymbol),
			"TotalDue": p.Totals.TotalDue.Format(p.CurrencySymbol)})
}

// onSave opens a file-save dialog for the report, starting in the reports folder
// with the default file name.
func (s *reportsScreen) onSave() {
	f := s.filter()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(s.win, "choose report file", err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		// The dialog has created the file; the report replaces it
		// atomically, so it is closed unwritten.
		w.Close()
		s.saveTo(f, path)
	}, s.win)
	d.SetFileName(f.FileName())
	if dir := s.svc.ReportsDir(); os.MkdirAll(dir, 0o700) == nil {
		if uri, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(uri)
		}
	}
	d.Show()
}

// saveTo writes the report of f to path in the background, showing the
// progress and a Cancel button.
func (s *reportsScreen) saveTo(f service.ReportFilter, path string) {
	done := s.start(lang.L("Saving {{.Report}} to {{.Path}}…", map[string]any{"Report": reportTitle(f), "Path": path}))
	ctx, cancel := context.WithCancel(context.Background())
	s.stopSaving = cancel
	s.progress.SetValue(0)
	s.progress.Show()
	s.cancel.Enable()
	s.cancel.Show()
	go func() {
		defer cancel()
		err := s.svc.SaveReport(ctx, s.session, f, path, func(written, total int) {
			fyne.Do(func() { s.showProgress(written, total) })
		})
		if err != nil {
			removeIfEmpty(path)
		}
		fyne.Do(func() { s.finishSave(done, path, err) })
	}()
}

func (s *reportsScreen) showProgress(written, total int) {
	if total == 0 {
		s.progress.SetValue(1)
		return
	}
	s.progress.SetValue(float64(written) / float64(total))
}

func (s *reportsScreen) finishSave(done chan struct{}, path string, err error) {
	s.stopSaving = nil
	switch {
	case errors.Is(err, context.Canceled):
		s.finish(done, lang.L("Saving was cancelled; no report was written."))
	case err != nil:
		s.finish(done, lang.L("The report was not saved."))
		showError(s.win, "save report", err)
	default:
		s.finish(done, lang.L("Saved to {{.Path}}", map[string]any{"Path": path}))
	}
}

func (s *reportsScreen) onCancel() {
	stop := s.stopSaving
	if stop == nil {
		return
	}
	s.cancel.Disable()
	s.status.SetText(lang.L("Cancelling…"))
	stop()
}

// removeIfEmpty deletes the empty file that the save dialog created when
// the report could not replace it.
// NOTE: Fyne's save dialog opens the chosen file for writing, which
// empties a file chosen for replacement before the report starts, so a
// failed report cannot give that file back.
func removeIfEmpty(path string) {
	if info, err := os.Stat(path); err == nil && info.Size() == 0 {
		os.Remove(path)
	}
}

// reportsPage builds the Reports screen of the admin window.
func (a *adminShell) reportsPage() fyne.CanvasObject {
	a.reports = newReportsScreen(a.svc, a.session, a.win)
	return a.reports.buildUI()
}
