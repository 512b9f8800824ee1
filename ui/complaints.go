package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// complaintsService is the part of the service that the admin's
// complaints screen uses.
type complaintsService interface {
	ListComplaints(ctx context.Context, sess service.Session, f service.ComplaintFilter) ([]service.ComplaintItem, error)
	Complaint(ctx context.Context, sess service.Session, id int64) (store.Complaint, error)
	MarkComplaintInProgress(ctx context.Context, sess service.Session, id int64) (store.Complaint, error)
	ResolveComplaint(ctx context.Context, sess service.Session, id int64, note string) (store.ComplaintResult, error)
	RaiseComplaint(ctx context.Context, sess service.Session, in service.ComplaintInput) (store.ComplaintResult, error)
	ComplaintCounts(ctx context.Context, sess service.Session) (store.ComplaintCounts, error)
	Customer(ctx context.Context, sess service.Session, crf int64) (store.Customer, error)
	Connections(ctx context.Context, sess service.Session, crf int64) ([]store.Connection, error)
	Location() *time.Location
}

// complaintsScreen is the admin's list of complaints with filters, and the
// selected complaint with its customer and actions beside it.
type complaintsScreen struct {
	svc     complaintsService
	session service.Session
	win     fyne.Window

	title              *widget.Label
	columns            []tableColumn
	status             *widget.Select
	service            *widget.Select
	category           *widget.Select
	age                *widget.Select
	table              *widget.Table
	count              *widget.Label
	details            *fyne.Container
	detailsScroll      *container.Scroll
	message            *widget.Label
	inProgress         *widget.Button
	resolve            *widget.Button
	note               *entry // the resolve dialog's note while it is open
	newComplaint       *complaintForm
	newComplaintCRF    *entry
	items              []service.ComplaintItem
	selected           store.Complaint // zero ID when none
	customerOfSelected store.Customer
}

func newComplaintsScreen(svc complaintsService, sess service.Session, win fyne.Window) *complaintsScreen {
	return &complaintsScreen{svc: svc, session: sess, win: win}
}

// complaintsPage opens the complaints screen of the admin's window.
func (a *adminShell) complaintsPage() fyne.CanvasObject {
	a.complaints = newComplaintsScreen(a.svc, a.session, a.win)
	return a.complaints.buildUI()
}

// statusFilter is a choice of the status select.
type statusFilter struct {
	label    string
	statuses []store.ComplaintStatus
}

// statusFilters returns the status choices in the order the select offers
// them, the default first. Labels are in the current language.
func statusFilters() []statusFilter {
	return []statusFilter{
		{lang.L("Not resolved"), []store.ComplaintStatus{store.ComplaintOpen, store.ComplaintInProgress}},
		{lang.L("Open"), []store.ComplaintStatus{store.ComplaintOpen}},
		{lang.L("In progress"), []store.ComplaintStatus{store.ComplaintInProgress}},
		{lang.L("Resolved"), []store.ComplaintStatus{store.ComplaintResolved}},
		{lang.L("All statuses"), nil},
	}
}

// ageFilterDays are the choices of the age select in days, where 0 is any
// age.
var ageFilterDays = []int{0, 1, 3, 7, 14, 30}

func ageFilterLabel(days int) string {
	switch days {
	case 0:
		return lang.L("Any age")
	case 1:
		return lang.L("Older than 1 day")
	}
	return lang.L("Older than {{.Days}} days", map[string]any{"Days": days})
}

// tableColumn is the header text and width of a table column.
type tableColumn struct {
	title string
	width float32
}

func complaintColumns() []tableColumn {
	return []tableColumn{
		{"", 26}, {lang.L("Number"), 142}, {lang.L("Status"), 100}, {lang.L("Age"), 78}, {"CRF", 56},
		{lang.L("Customer"), 136}, {lang.L("Mobile"), 110}, {lang.L("Area"), 124}, {lang.L("Service"), 88},
		{lang.L("Category"), 124},
	}
}

func (s *complaintsScreen) buildUI() fyne.CanvasObject {
	s.title = screenTitle(lang.L("Complaints"))
	s.columns = complaintColumns()
	s.buildFilters()
	s.count = widget.NewLabel("")
	s.table = widget.NewTableWithHeaders(s.tableSize, newComplaintCell, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(s.columns[id.Col].title)
	}
	for i, c := range s.columns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = s.onRowSelected

	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.inProgress = widget.NewButtonWithIcon(lang.L("Mark in progress"), theme.MediaPlayIcon(), s.onMarkInProgress)
	s.resolve = widget.NewButtonWithIcon(lang.L("Resolve"), theme.ConfirmIcon(), s.onResolve)
	s.resolve.Importance = widget.HighImportance
	s.details = container.NewVBox(widget.NewLabel(lang.L("Select a complaint to see it with its customer.")))

	add := widget.NewButtonWithIcon(lang.L("New complaint"), theme.ContentAddIcon(), s.onNewComplaint)
	filters := container.NewGridWithColumns(4, s.status, s.service, s.category, s.age)
	top := container.NewVBox(container.NewBorder(nil, nil, s.title, add), filters)
	list := container.NewBorder(nil, s.count, nil, nil, s.table)
	s.detailsScroll = container.NewVScroll(s.details)
	split := container.NewHSplit(list, s.detailsScroll)
	split.Offset = 0.7
	s.reload()
	return padded(container.NewBorder(top, nil, nil, nil, split))
}

func (s *complaintsScreen) buildFilters() {
	var statuses, ages []string
	for _, f := range statusFilters() {
		statuses = append(statuses, f.label)
	}
	for _, days := range ageFilterDays {
		ages = append(ages, ageFilterLabel(days))
	}
	services := []string{lang.L("All services")}
	for _, sv := range billing.Services {
		services = append(services, serviceLabel(sv))
	}
	categories := []string{lang.L("All categories")}
	for _, c := range store.ComplaintCategories {
		categories = append(categories, complaintCategoryLabel(c))
	}

	// The selects get their handler after the default is set, so building
	// them loads the list once, from buildUI.
	s.status = widget.NewSelect(statuses, nil)
	s.service = widget.NewSelect(services, nil)
	s.category = widget.NewSelect(categories, nil)
	s.age = widget.NewSelect(ages, nil)
	for _, sel := range []*widget.Select{s.status, s.service, s.category, s.age} {
		sel.SetSelectedIndex(0)
		sel.OnChanged = func(string) { s.onFilterChanged() }
	}
}

func (s *complaintsScreen) filter() service.ComplaintFilter {
	f := service.ComplaintFilter{
		Statuses:      statusFilters()[max(s.status.SelectedIndex(), 0)].statuses,
		OlderThanDays: ageFilterDays[max(s.age.SelectedIndex(), 0)],
	}
	if i := s.service.SelectedIndex(); i > 0 {
		f.Service = billing.Services[i-1]
	}
	if i := s.category.SelectedIndex(); i > 0 {
		f.Category = store.ComplaintCategories[i-1]
	}
	return f
}

func (s *complaintsScreen) onFilterChanged() {
	s.reload()
}

// reload reads the list and the unread count again, and keeps the
// selected complaint selected when it still matches the filters.
func (s *complaintsScreen) reload() {
	ctx := context.Background()
	items, err := s.svc.ListComplaints(ctx, s.session, s.filter())
	if err != nil {
		showError(s.win, "load complaints", err)
		return
	}
	s.items = items
	s.count.SetText(lang.L("{{.Count}} complaints", map[string]any{"Count": len(items)}))
	s.refreshTitle()

	s.table.UnselectAll()
	s.table.Refresh()
	for i, it := range items {
		if it.ID == s.selected.ID {
			s.table.Select(widget.TableCellID{Row: i, Col: 1})
			break
		}
	}
}

func (s *complaintsScreen) refreshTitle() {
	counts, err := s.svc.ComplaintCounts(context.Background(), s.session)
	if err != nil {
		fyne.LogError("count unread complaints", err)
		return
	}
	if counts.Unread == 0 {
		s.title.SetText(lang.L("Complaints"))
		return
	}
	s.title.SetText(lang.L("Complaints ({{.Unread}} unread)", map[string]any{"Unread": counts.Unread}))
}

func (s *complaintsScreen) tableSize() (int, int) {
	return len(s.items), len(s.columns)
}

func newComplaintCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (s *complaintsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	label := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(s.items) {
		label.SetText("")
		return
	}
	it := s.items[id.Row]
	label.TextStyle = fyne.TextStyle{Bold: it.Unread()}
	label.Importance = widget.MediumImportance
	if id.Col == 0 && it.Unread() {
		label.Importance = widget.DangerImportance
	}
	label.SetText(complaintCell(it, id.Col))
}

func complaintCell(it service.ComplaintItem, col int) string {
	switch col {
	case 0:
		if it.Unread() {
			return "●"
		}
	case 1:
		return it.Number
	case 2:
		return complaintStatusLabel(it.Status)
	case 3:
		return ageLabel(it)
	case 4:
		return strconv.FormatInt(it.CustomerCRF, 10)
	case 5:
		return it.CustomerName
	case 6:
		return it.Mobile
	case 7:
		return it.Area
	case 8:
		return serviceLabel(it.Service)
	case 9:
		return complaintCategoryLabel(it.Category)
	}
	return ""
}

// ageLabel returns how long an unresolved complaint has waited, and a dash
// for a resolved one.
func ageLabel(it service.ComplaintItem) string {
	switch {
	case it.Status == store.ComplaintResolved:
		return "—"
	case it.AgeDays == 0:
		return lang.L("today")
	case it.AgeDays == 1:
		return lang.L("1 day")
	}
	return lang.L("{{.AgeDays}} days", map[string]any{"AgeDays": it.AgeDays})
}

func (s *complaintsScreen) onRowSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(s.items) {
		return
	}
	c, err := s.svc.Complaint(context.Background(), s.session, s.items[id.Row].ID)
	if err != nil {
		showError(s.win, "open complaint", err)
		return
	}
	if s.items[id.Row].Unread() {
		s.items[id.Row].ReadAt = c.ReadAt
		s.table.Refresh()
		s.refreshTitle()
	}
	if c.ID != s.selected.ID {
		s.message.SetText("")
	}
	s.showDetails(c)
}

// showDetails fills the pane beside the table with the complaint, its
// actions and its customer.
func (s *complaintsScreen) showDetails(c store.Complaint) {
	s.selected = c
	ctx := context.Background()
	customer, err := s.svc.Customer(ctx, s.session, c.CustomerCRF)
	if err != nil {
		showError(s.win, "load customer", err)
		return
	}
	conns, err := s.svc.Connections(ctx, s.session, c.CustomerCRF)
	if err != nil {
		showError(s.win, "load services", err)
		return
	}
	s.customerOfSelected = customer

	s.inProgress.Enable()
	if c.Status != store.ComplaintOpen {
		s.inProgress.Disable()
	}
	s.resolve.Enable()
	if c.Status == store.ComplaintResolved {
		s.resolve.Disable()
	}
	text := widget.NewLabel(complaintText(c, s.svc.Location()))
	text.Wrapping = fyne.TextWrapWord

	s.details.Objects = []fyne.CanvasObject{
		text,
		container.NewHBox(s.inProgress, s.resolve),
		s.message,
		widget.NewSeparator(),
		screenTitle(lang.L("{{.Name}} (CRF {{.CRF}})", map[string]any{"Name": customer.Name, "CRF": customer.CRF})),
		customerInfo(customer),
		screenTitle(lang.L("Services")),
		connectionsText(conns),
	}
	// A wrapped label computes its height only once it has a width, so the
	// second refresh lays the pane out again with the correct heights.
	s.details.Refresh()
	s.detailsScroll.Refresh()
}

// connectionsText lists a customer's services with plan, status and
// expiry, one per line.
func connectionsText(conns []store.Connection) fyne.CanvasObject {
	if len(conns) == 0 {
		return widget.NewLabel(lang.L("No service."))
	}
	var lines []string
	for _, c := range conns {
		lines = append(lines, lang.L("{{.Service}}: {{.Plan}}, {{.Status}}, valid until {{.Expiry}}",
			map[string]any{"Service": serviceLabel(c.Service), "Plan": c.PlanName, "Status": statusLabel(c.Status),
				"Expiry": formatDate(c.ExpiresOn)}))
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (s *complaintsScreen) onMarkInProgress() {
	if s.selected.ID == 0 {
		return
	}
	c, err := s.svc.MarkComplaintInProgress(context.Background(), s.session, s.selected.ID)
	if err != nil {
		showError(s.win, "mark complaint in progress", err)
		return
	}
	s.selected = c
	s.message.SetText(lang.L("{{.Number}} is in progress.", map[string]any{"Number": c.Number}))
	s.showDetails(c)
	s.reload()
}

// onResolve opens a dialog for the resolution note, which is emailed to
// a customer with an email address.
func (s *complaintsScreen) onResolve() {
	if s.selected.ID == 0 {
		return
	}
	id, number := s.selected.ID, s.selected.Number
	s.note = newMultiLineEntry()
	s.note.SetMinRowsVisible(5)
	s.note.SetPlaceHolder(lang.L("What was done, in words for the customer"))

	var d *formDialog
	d = newFormDialog(lang.L("Resolve complaint {{.Number}}", map[string]any{"Number": number}), lang.L("Resolve"), lang.L("resolve complaint"), s.win, func() error {
		res, err := s.svc.ResolveComplaint(context.Background(), s.session, id, s.note.Text)
		if err != nil {
			return err
		}
		d.afterClose = func() { s.onResolved(res) }
		return nil
	})
	hint := lang.L("Sent to the customer by email")
	if s.customerOfSelected.Email == "" {
		hint = lang.L("The customer has no email address, so the note is only shown at the kiosk")
	}
	d.fields.add("note", lang.L("Resolution note"), s.note, hint)
	d.show(fyne.NewSize(560, 320))
	s.win.Canvas().Focus(s.note)
}

func (s *complaintsScreen) onResolved(res store.ComplaintResult) {
	s.note = nil
	msg := lang.L("{{.Number}} is resolved.", map[string]any{"Number": res.Complaint.Number})
	if res.EmailQueued {
		msg = lang.L("{{.Number}} is resolved. The note is in the outbox for the customer's email.",
			map[string]any{"Number": res.Complaint.Number})
	}
	s.message.SetText(msg)
	s.showDetails(res.Complaint)
	s.reload()
}

// onNewComplaint records a complaint for a customer who called the office.
func (s *complaintsScreen) onNewComplaint() {
	s.newComplaintCRF = newEntry()
	s.newComplaintCRF.SetPlaceHolder(lang.L("such as 1001"))
	s.newComplaint = newComplaintForm(billing.Services)

	var d *formDialog
	d = newFormDialog(lang.L("New complaint"), lang.L("Save"), lang.L("raise complaint"), s.win, func() error {
		crf, _ := strconv.ParseInt(strings.TrimSpace(s.newComplaintCRF.Text), 10, 64)
		res, err := s.svc.RaiseComplaint(context.Background(), s.session, s.newComplaint.input(crf))
		if err != nil {
			return err
		}
		d.afterClose = func() {
			s.selected = res.Complaint
			s.reload()
			dialog.ShowInformation(lang.L("Complaint recorded"),
				lang.L("Complaint {{.Number}} was recorded for CRF {{.CRF}}.",
					map[string]any{"Number": res.Complaint.Number, "CRF": crf}), s.win)
		}
		return nil
	})
	d.fields.add("crf", "CRF", s.newComplaintCRF, lang.L("The customer who called"))
	s.newComplaint.addTo(d.fields)
	d.show(fyne.NewSize(560, 420))
}
