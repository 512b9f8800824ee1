package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store/importer"
	"github.com/ctvms/ctvms/store/service"
)

// importService is the part of the service that the import and export
// screen uses.
type importService interface {
	PreviewImport(ctx context.Context, sess service.Session, path, sheet string) (service.ImportPreview, error)
	DryRunImport(ctx context.Context, sess service.Session, path, sheet string, m importer.Mapping) (service.ImportReport, error)
	RunImport(ctx context.Context, sess service.Session, path, sheet string, m importer.Mapping,
		opts service.ImportOptions, progress func(service.ImportProgress)) (service.ImportResult, error)
	ExportCustomers(ctx context.Context, sess service.Session, path string, format importer.Format) (int, error)
	ExportPayments(ctx context.Context, sess service.Session, path string, format importer.Format,
		from, to billing.Date) (int, error)
	Today() billing.Date
}

// notImported returns the mapping choice for a field that no column
// feeds.
func notImported() string { return lang.L("(skip)") }

// fieldLabel returns the name of an import field in the current language.
// TestTranslationKeysPresent reads the keys from importer.Fields.
func fieldLabel(f importer.Field) string { return lang.L(f.Label()) }

// problemText returns the message of an import problem in the current
// language.
func problemText(p importer.Problem) string {
	if p.Text.Key == "" {
		return p.Message
	}
	return message.Sentence(translateText(p.Text))
}

// importScreen imports customers from a sheet in three steps (choose a
// file and map its columns, dry run, import) and exports customers and
// payments.
type importScreen struct {
	svc     importService
	session service.Session
	win     fyne.Window

	file      *widget.Label
	sheet     *widget.Select
	welcome   *widget.Check
	selects   map[importer.Field]*widget.Select
	tabs      *container.AppTabs
	preview   *widget.Table
	problems  *widget.Table
	dryRun    *widget.Button
	importBtn *widget.Button
	cancelBtn *widget.Button
	progress  *widget.ProgressBar
	status    *widget.Label
	from, to  *widget.Entry

	data    service.ImportPreview
	mapping importer.Mapping
	columns []importer.Field // mapped fields, in preview column order
	report  service.ImportReport
	cancel  context.CancelFunc
	// work counts background jobs, so tests can wait for them.
	work sync.WaitGroup
}

func newImportScreen(svc importService, sess service.Session, win fyne.Window) *importScreen {
	return &importScreen{svc: svc, session: sess, win: win, selects: map[importer.Field]*widget.Select{}}
}

// importPage builds the "Import and export" page of the admin window.
func (a *adminShell) importPage() fyne.CanvasObject {
	a.imports = newImportScreen(a.svc, a.session, a.win)
	return a.imports.buildUI()
}

func (s *importScreen) buildUI() fyne.CanvasObject {
	choose := widget.NewButtonWithIcon(lang.L("Choose file…"), theme.FolderOpenIcon(), s.onChooseFile)
	s.file = widget.NewLabel(lang.L("No file chosen: pick an .xlsx or .csv file whose first row names the columns."))
	s.file.Truncation = fyne.TextTruncateEllipsis
	s.sheet = widget.NewSelect(nil, s.onSheetChanged)
	s.sheet.PlaceHolder = lang.L("Sheet")
	s.sheet.Hide()
	s.welcome = widget.NewCheck(lang.L("Send welcome emails"), nil)
	s.welcome.SetChecked(true)
	fileRow := container.NewBorder(nil, nil, choose, container.NewHBox(s.sheet, s.welcome), s.file)

	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Preview"), s.buildPreview()),
		container.NewTabItem(lang.L("Problems"), s.buildProblems()),
	)
	split := container.NewHSplit(s.buildMapping(), s.tabs)
	split.Offset = 0.38

	s.dryRun = widget.NewButtonWithIcon(lang.L("Dry run"), theme.SearchIcon(), s.onDryRun)
	s.importBtn = widget.NewButtonWithIcon(lang.L("Import"), theme.UploadIcon(), s.onImport)
	s.importBtn.Importance = widget.HighImportance
	s.cancelBtn = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), s.onCancel)
	s.progress = widget.NewProgressBar()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.setRunning(false)
	actions := container.NewBorder(nil, nil, container.NewHBox(s.dryRun, s.importBtn, s.cancelBtn), nil, s.progress)

	top := container.NewVBox(screenTitle(lang.L("Import and export")), fileRow)
	bottom := container.NewVBox(actions, s.status, widget.NewSeparator(), s.buildExport())
	return padded(container.NewBorder(top, bottom, nil, nil, split))
}

func (s *importScreen) buildMapping() fyne.CanvasObject {
	form := widget.NewForm()
	for _, fi := range importer.Fields() {
		sel := widget.NewSelect([]string{notImported()}, nil)
		sel.SetSelected(notImported())
		sel.OnChanged = func(string) { s.onMappingChanged() }
		sel.Disable()
		s.selects[fi.Field] = sel
		form.Append(fieldLabel(fi.Field), sel)
	}
	heading := widget.NewLabelWithStyle(lang.L("Columns"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(heading, nil, nil, nil, container.NewVScroll(form))
}

func newTableLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (s *importScreen) buildPreview() fyne.CanvasObject {
	s.preview = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.data.Rows), len(s.columns) + 1 },
		newTableLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.previewCell(id)) })
	s.preview.ShowHeaderColumn = false
	s.preview.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.preview.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		title := lang.L("Row")
		if id.Col > 0 && id.Col <= len(s.columns) {
			title = fieldLabel(s.columns[id.Col-1])
		}
		o.(*widget.Label).SetText(title)
	}
	s.preview.SetColumnWidth(0, 50)
	return s.preview
}

func (s *importScreen) previewCell(id widget.TableCellID) string {
	if id.Row >= len(s.data.Rows) {
		return ""
	}
	row := s.data.Rows[id.Row]
	if id.Col == 0 {
		return strconv.Itoa(row.Number)
	}
	if id.Col > len(s.columns) {
		return ""
	}
	col, _ := s.mapping.Column(s.columns[id.Col-1])
	return row.Cell(col)
}

func problemColumns() []tableColumn {
	return []tableColumn{{lang.L("Row"), 60}, {lang.L("Column"), 150}, {lang.L("Problem"), 900}}
}

func (s *importScreen) buildProblems() fyne.CanvasObject {
	columns := problemColumns()
	s.problems = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.report.Problems), len(columns) },
		newTableLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.problemCell(id)) })
	s.problems.ShowHeaderColumn = false
	s.problems.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.problems.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(columns[id.Col].title)
	}
	for i, c := range columns {
		s.problems.SetColumnWidth(i, c.width)
	}
	// A long message may not fit its cell, so the selected one is shown in
	// full under the table.
	s.problems.OnSelected = func(id widget.TableCellID) {
		if id.Row < len(s.report.Problems) {
			p := s.report.Problems[id.Row]
			s.status.SetText(lang.L("Row {{.Row}}, {{.Column}}: {{.Problem}}",
				map[string]any{"Row": p.Row, "Column": p.Column, "Problem": problemText(p)}))
		}
	}
	return s.problems
}

func (s *importScreen) problemCell(id widget.TableCellID) string {
	if id.Row >= len(s.report.Problems) {
		return ""
	}
	p := s.report.Problems[id.Row]
	switch id.Col {
	case 0:
		return strconv.Itoa(p.Row)
	case 1:
		return p.Column
	}
	return problemText(p)
}

func (s *importScreen) buildExport() fyne.CanvasObject {
	customers := widget.NewButtonWithIcon(lang.L("Export customers…"), theme.DownloadIcon(), func() {
		s.chooseSavePath("customers.xlsx", s.onExportCustomers)
	})
	today := s.svc.Today()
	s.from = widget.NewEntry()
	s.from.SetText(billing.NewDate(today.Year, today.Month, 1).String())
	s.to = widget.NewEntry()
	s.to.SetText(today.String())
	payments := widget.NewButtonWithIcon(lang.L("Export payments…"), theme.DownloadIcon(), func() {
		s.chooseSavePath("payments.xlsx", s.onExportPayments)
	})
	return container.NewHBox(widget.NewLabelWithStyle(lang.L("Export"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		customers, widget.NewSeparator(), widget.NewLabel(lang.L("Payments from")), sized(s.from, 120),
		widget.NewLabel(lang.L("to")), sized(s.to, 120), payments)
}

// sized gives an entry a fixed width inside a box layout.
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

func (s *importScreen) onChooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(s.win, "open file", err)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		s.onFileChosen(r.URI().Path())
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	d.Show()
}

// onFileChosen reads the file's first rows and proposes a mapping.
func (s *importScreen) onFileChosen(path string) {
	s.loadPreview(path, "")
}

func (s *importScreen) onSheetChanged(sheet string) {
	if s.data.Path != "" && sheet != s.data.Sheet {
		s.loadPreview(s.data.Path, sheet)
	}
}

func (s *importScreen) loadPreview(path, sheet string) {
	s.status.SetText(lang.L("Reading {{.File}}…", map[string]any{"File": filepath.Base(path)}))
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		p, err := s.svc.PreviewImport(context.Background(), s.session, path, sheet)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText("")
				showError(s.win, "read "+filepath.Base(path), err)
				return
			}
			s.showPreview(p)
		})
	}()
}

func (s *importScreen) showPreview(p service.ImportPreview) {
	s.data = p
	s.file.SetText(lang.L("{{.File}}: {{.Rows}} rows", map[string]any{"File": filepath.Base(p.Path), "Rows": p.TotalRows}))
	if len(p.Sheets) > 1 {
		s.sheet.Options = p.Sheets
		s.sheet.Selected = p.Sheet
		s.sheet.Show()
		s.sheet.Refresh()
	} else {
		s.sheet.Hide()
	}
	options := []string{notImported()}
	for i := range p.Headers {
		options = append(options, headerOption(p.Headers, i))
	}
	for f, sel := range s.selects {
		sel.Options = options
		sel.Selected = notImported()
		if i, ok := p.Mapping.Column(f); ok {
			sel.Selected = options[i+1]
		}
		sel.Enable()
		sel.Refresh()
	}
	s.onMappingChanged()
	s.tabs.SelectIndex(0)
	s.status.SetText(lang.L("Check the columns on the left, then run a dry run."))
}

// headerOption names column i in the mapping selects by its letter and
// header, so two columns with the same header stay apart.
func headerOption(headers []string, i int) string {
	return importer.ColumnLetter(i) + ": " + strings.TrimSpace(headers[i])
}

// onMappingChanged reads the selects into the mapping and redraws the
// preview. Any change needs a new dry run before importing.
func (s *importScreen) onMappingChanged() {
	m := importer.Mapping{}
	s.columns = s.columns[:0]
	for _, fi := range importer.Fields() {
		sel := s.selects[fi.Field]
		for i := range s.data.Headers {
			if sel.Selected == headerOption(s.data.Headers, i) {
				m[fi.Field] = i
				s.columns = append(s.columns, fi.Field)
				break
			}
		}
	}
	s.mapping = m
	for i := range s.columns {
		s.preview.SetColumnWidth(i+1, 130)
	}
	s.preview.Refresh()
	s.report = service.ImportReport{}
	s.problems.Refresh()
	s.setRunning(false)
}

func (s *importScreen) onDryRun() {
	if err := s.mapping.Check(s.data.Headers); err != nil {
		showError(s.win, "dry run", err)
		return
	}
	path, sheet, m := s.data.Path, s.data.Sheet, s.mapping.Clone()
	s.status.SetText(lang.L("Checking every row…"))
	s.dryRun.Disable()
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		report, err := s.svc.DryRunImport(context.Background(), s.session, path, sheet, m)
		fyne.Do(func() {
			s.dryRun.Enable()
			if err != nil {
				s.status.SetText("")
				showError(s.win, "dry run", err)
				return
			}
			s.showReport(report)
		})
	}()
}

func (s *importScreen) showReport(r service.ImportReport) {
	s.report = r
	s.problems.Refresh()
	s.setRunning(false)
	if !r.OK() {
		s.tabs.SelectIndex(1)
		s.status.SetText(lang.L("{{.Rows}} rows checked: {{.Problems}} problems. Fix them in the file, save it, "+
			"and choose it again. Select a problem to read it in full.",
			map[string]any{"Rows": r.Rows, "Problems": len(r.Problems)}))
		return
	}
	s.status.SetText(lang.L("{{.Rows}} rows checked, no problems. Import will add {{.Rows}} customers "+
		"({{.KeptCRFs}} with their own CRF number), {{.CableTV}} cable TV and {{.Broadband}} broadband connections; "+
		"{{.WithEmail}} have an email address for the welcome email.",
		map[string]any{"Rows": r.Rows, "KeptCRFs": r.KeptCRFs, "CableTV": r.CableTV, "Broadband": r.Broadband,
			"WithEmail": r.WithEmail}))
}

// canImport reports whether the last dry run of the current mapping found
// no problems.
func (s *importScreen) canImport() bool {
	return s.report.Rows > 0 && s.report.OK()
}

func (s *importScreen) setRunning(running bool) {
	if running {
		s.progress.SetValue(0)
		s.progress.Show()
		s.cancelBtn.Show()
		s.dryRun.Disable()
		s.importBtn.Disable()
		return
	}
	s.progress.Hide()
	s.cancelBtn.Hide()
	if s.data.Path == "" {
		s.dryRun.Disable()
	} else {
		s.dryRun.Enable()
	}
	if s.canImport() {
		s.importBtn.Enable()
	} else {
		s.importBtn.Disable()
	}
}

func (s *importScreen) onImport() {
	if !s.canImport() {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	path, sheet, m := s.data.Path, s.data.Sheet, s.mapping.Clone()
	opts := service.ImportOptions{SendWelcome: s.welcome.Checked}
	s.setRunning(true)
	s.status.SetText(lang.L("Creating logins…"))
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		defer cancel()
		res, err := s.svc.RunImport(ctx, s.session, path, sheet, m, opts, func(p service.ImportProgress) {
			fyne.Do(func() { s.showProgress(p) })
		})
		fyne.Do(func() { s.onImportDone(res, err) })
	}()
}

// showProgress counts hashing as the first half of the bar and writing as
// the second.
func (s *importScreen) showProgress(p service.ImportProgress) {
	if p.Total == 0 {
		return
	}
	fraction := float64(p.Done) / float64(p.Total) / 2
	text := lang.L("Creating logins…")
	if p.Phase == service.ImportWriting {
		fraction += 0.5
		text = lang.L("Writing customers: {{.Done}} of {{.Total}}…", map[string]any{"Done": p.Done, "Total": p.Total})
	}
	s.progress.SetValue(fraction)
	s.status.SetText(text)
}

func (s *importScreen) onCancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *importScreen) onImportDone(res service.ImportResult, err error) {
	s.cancel = nil
	// A new import of the same file would fail on its own CRF and mobile
	// numbers, so it needs a new dry run.
	s.report = service.ImportReport{}
	s.setRunning(false)
	switch {
	case errors.Is(err, context.Canceled):
		s.status.SetText(lang.L("Import cancelled. Nothing was written."))
		return
	case err != nil:
		s.status.SetText(lang.L("Import failed. Nothing was written."))
		showError(s.win, "import customers", err)
		return
	}
	s.status.SetText(lang.L("Imported {{.Customers}} customers with {{.CableTV}} cable TV and {{.Broadband}} "+
		"broadband connections; {{.Welcome}} welcome emails queued.", map[string]any{"Customers": res.Customers,
		"CableTV": res.CableTV, "Broadband": res.Broadband, "Welcome": res.Welcome}))
	if len(res.Unsent) > 0 {
		showCredentials(s.win, res.Unsent)
	}
}

// showCredentials lists the initial passwords of customers who got no
// welcome email. They are shown once and stored only as hashes.
func showCredentials(win fyne.Window, creds []service.Credential) {
	table := widget.NewTableWithHeaders(
		func() (int, int) { return len(creds), 3 },
		newTableLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			c := creds[id.Row]
			o.(*widget.Label).SetText([]string{strconv.FormatInt(c.CRF, 10), c.Name, c.Password}[id.Col])
		})
	table.ShowHeaderColumn = false
	table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText([]string{lang.L("CRF (username)"), lang.L("Name"), lang.L("Initial password")}[id.Col])
	}
	table.SetColumnWidth(0, 120)
	table.SetColumnWidth(1, 220)
	table.SetColumnWidth(2, 150)
	note := widget.NewLabel(lang.L("{{.Count}} customers got no welcome email. Hand them these initial passwords; "+
		"each must choose a new one at first login. The passwords are not shown again.",
		map[string]any{"Count": len(creds)}))
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("Initial passwords"), lang.L("Close"), container.NewBorder(note, nil, nil, nil, table), win)
	d.Resize(fyne.NewSize(560, 480))
	d.Show()
}

// chooseSavePath shows a save dialog and passes its path to save.
// The dialog creates the file, so it is closed before the export replaces
// it.
func (s *importScreen) chooseSavePath(name string, save func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(s.win, "export", err)
			return
		}
		if w == nil {
			return
		}
		w.Close()
		save(w.URI().Path())
	}, s.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	d.Show()
}

func (s *importScreen) onExportCustomers(path string) {
	format, err := importer.FormatOf(path)
	if err != nil {
		showError(s.win, "export customers", err)
		return
	}
	s.export(path, exportCustomers, func(ctx context.Context) (int, error) {
		return s.svc.ExportCustomers(ctx, s.session, path, format)
	})
}

func (s *importScreen) onExportPayments(path string) {
	format, err := importer.FormatOf(path)
	if err != nil {
		showError(s.win, "export payments", err)
		return
	}
	from, errFrom := billing.ParseDate(strings.TrimSpace(s.from.Text))
	to, errTo := billing.ParseDate(strings.TrimSpace(s.to.Text))
	if err := errors.Join(errFrom, errTo); err != nil {
		showError(s.win, "export payments", err)
		return
	}
	s.export(path, exportPayments, func(ctx context.Context) (int, error) {
		return s.svc.ExportPayments(ctx, s.session, path, format, from, to)
	})
}

// exportKind is what an export writes: customers or payments.
type exportKind int

const (
	exportCustomers exportKind = iota
	exportPayments
)

// exportStarted returns the status while an export runs.
func exportStarted(k exportKind) string {
	if k == exportPayments {
		return lang.L("Exporting payments…")
	}
	return lang.L("Exporting customers…")
}

// exportDone returns the status after an export wrote count rows to path.
func exportDone(k exportKind, count int, path string) string {
	values := map[string]any{"Count": count, "Path": path}
	if k == exportPayments {
		return lang.L("Exported {{.Count}} payments to {{.Path}}.", values)
	}
	return lang.L("Exported {{.Count}} customers to {{.Path}}.", values)
}

func (s *importScreen) export(path string, what exportKind, run func(context.Context) (int, error)) {
	s.status.SetText(exportStarted(what))
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		n, err := run(context.Background())
		fyne.Do(func() {
			if err != nil {
				s.status.SetText("")
				showError(s.win, "export", err)
				return
			}
			s.status.SetText(exportDone(what, n, path))
		})
	}()
}
