package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// myComplaintsService is the part of the service that the customer's
// complaints screen uses.
type myComplaintsService interface {
	RaiseComplaint(ctx context.Context, sess service.Session, in service.ComplaintInput) (store.ComplaintResult, error)
	CustomerComplaints(ctx context.Context, sess service.Session, crf int64) ([]store.Complaint, error)
	Connections(ctx context.Context, sess service.Session, crf int64) ([]store.Connection, error)
	Location() *time.Location
}

// myComplaintsScreen lets a customer raise a complaint about one of their
// services and follow the status of their complaints.
type myComplaintsScreen struct {
	svc     myComplaintsService
	session service.Session
	win     fyne.Window

	form       *complaintForm
	fields     *formFields
	submit     *widget.Button
	result     *widget.Label
	list       *widget.List
	detail     *widget.Label
	complaints []store.Complaint
}

func newMyComplaintsScreen(svc myComplaintsService, sess service.Session, win fyne.Window) *myComplaintsScreen {
	return &myComplaintsScreen{svc: svc, session: sess, win: win}
}

// complaintsPage opens the complaints screen of the customer's window.
func (c *customerShell) complaintsPage() fyne.CanvasObject {
	c.complaints = newMyComplaintsScreen(c.svc, c.session, c.win)
	return c.complaints.buildUI()
}

func (s *myComplaintsScreen) buildUI() fyne.CanvasObject {
	s.result = widget.NewLabel("")
	s.result.Wrapping = fyne.TextWrapWord
	s.detail = widget.NewLabel(lang.L("Choose a complaint to see it in full."))
	s.detail.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(func() int { return len(s.complaints) }, newComplaintListItem, s.updateItem)
	s.list.OnSelected = s.onComplaintChosen

	left := container.NewVBox(screenTitle(lang.L("Raise a complaint")), s.buildForm(), s.result)
	detailCard := widget.NewCard("", "", container.NewVScroll(s.detail))
	right := container.NewBorder(screenTitle(lang.L("Your complaints")), nil, nil, nil,
		container.NewVSplit(s.list, detailCard))
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.42
	s.reload()
	return padded(split)
}

func (s *myComplaintsScreen) buildForm() fyne.CanvasObject {
	conns, err := s.svc.Connections(context.Background(), s.session, s.session.CRF)
	if err != nil {
		return widget.NewLabel(plainMessage(err))
	}
	var services []billing.Service
	for _, c := range conns {
		if !slices.Contains(services, c.Service) {
			services = append(services, c.Service)
		}
	}
	if len(services) == 0 {
		msg := widget.NewLabel(lang.L("You have no service yet, so there is nothing to raise a complaint about. " +
			"Please contact the office."))
		msg.Wrapping = fyne.TextWrapWord
		return msg
	}

	s.form = newComplaintForm(services)
	form := widget.NewForm()
	s.fields = newFormFields(form)
	s.form.addTo(s.fields)
	s.submit = widget.NewButtonWithIcon(lang.L("Submit complaint"), theme.MailSendIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	return container.NewVBox(form, container.NewHBox(s.submit))
}

func (s *myComplaintsScreen) onSubmit() {
	res, err := s.svc.RaiseComplaint(context.Background(), s.session, s.form.input(s.session.CRF))
	if err != nil {
		if !s.fields.showErrors(err) {
			showError(s.win, "raise complaint", err)
		}
		return
	}
	s.fields.clear()
	s.form.reset()

	msg := lang.L("Your complaint was recorded with the number {{.Number}}. Please quote it when you contact us.",
		map[string]any{"Number": res.Complaint.Number})
	if res.EmailQueued {
		msg = lang.L("Your complaint was recorded with the number {{.Number}}. Please quote it when you contact us. "+
			"A copy is on its way to your email.", map[string]any{"Number": res.Complaint.Number})
	}
	s.result.SetText(msg)
	s.result.Importance = widget.SuccessImportance
	s.result.Refresh()
	s.reload()
	s.list.Select(0) // newest first, so the new complaint is on top
}

func (s *myComplaintsScreen) reload() {
	list, err := s.svc.CustomerComplaints(context.Background(), s.session, s.session.CRF)
	if err != nil {
		showError(s.win, "load complaints", err)
		return
	}
	s.complaints = list
	s.list.UnselectAll()
	s.list.Refresh()
	if len(list) == 0 {
		s.detail.SetText(lang.L("You have raised no complaint."))
	}
}

// newComplaintListItem is a list row of two lines: the complaint, then its
// status with the resolution note.
func newComplaintListItem() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status := widget.NewLabel("")
	status.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(title, status)
}

func (s *myComplaintsScreen) updateItem(id widget.ListItemID, o fyne.CanvasObject) {
	c := s.complaints[id]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s  ·  %s  ·  %s", c.Number, serviceLabel(c.Service),
		complaintCategoryLabel(c.Category)))
	box.Objects[1].(*widget.Label).SetText(complaintStatusLine(c, s.svc.Location()))
}

// complaintStatusLine returns the status for a list row, with the note
// once resolved, such as "Resolved on 05 Dec 2026: Amplifier replaced."
func complaintStatusLine(c store.Complaint, loc *time.Location) string {
	if c.Status == store.ComplaintResolved {
		return lang.L("Resolved on {{.Date}}: {{.Note}}", map[string]any{
			"Date": formatWithMonth(c.ResolvedAt.In(loc), "02 Jan 2006"), "Note": oneLine(c.ResolutionNote)})
	}
	return lang.L("{{.Status}}, raised on {{.Date}}", map[string]any{"Status": complaintStatusLabel(c.Status),
		"Date": formatWithMonth(c.CreatedAt.In(loc), "02 Jan 2006")})
}

// oneLine joins the lines of s with spaces, for a single-line label.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (s *myComplaintsScreen) onComplaintChosen(id widget.ListItemID) {
	if id < 0 || id >= len(s.complaints) {
		return
	}
	s.detail.SetText(complaintText(s.complaints[id], s.svc.Location()))
}

// complaintText describes a complaint in full, as the customer and the
// admin read it.
func complaintText(c store.Complaint, loc *time.Location) string {
	lines := []string{
		lang.L("Complaint {{.Number}}", map[string]any{"Number": c.Number}),
		lang.L("Status: {{.Status}}", map[string]any{"Status": complaintStatusLabel(c.Status)}),
		lang.L("Service: {{.Service}}, {{.Category}}",
			map[string]any{"Service": serviceLabel(c.Service), "Category": complaintCategoryLabel(c.Category)}),
		lang.L("Raised: {{.Time}}", map[string]any{"Time": formatTime(c.CreatedAt, loc)}),
	}
	if c.Status == store.ComplaintResolved {
		lines = append(lines, lang.L("Resolved: {{.Time}}", map[string]any{"Time": formatTime(c.ResolvedAt, loc)}))
	}
	lines = append(lines, "", lang.L("Description:"), c.Description)
	if c.ResolutionNote != "" {
		lines = append(lines, "", lang.L("Resolution:"), c.ResolutionNote)
	}
	return strings.Join(lines, "\n")
}

// complaintForm is the service, category and description fields, shared
// by the customer's form and the admin's "New complaint" dialog.
type complaintForm struct {
	services    []billing.Service
	service     *widget.Select
	category    *widget.Select
	description *entry
}

func newComplaintForm(services []billing.Service) *complaintForm {
	f := &complaintForm{services: services}
	var serviceLabels, categoryLabels []string
	for _, sv := range services {
		serviceLabels = append(serviceLabels, serviceLabel(sv))
	}
	for _, c := range store.ComplaintCategories {
		categoryLabels = append(categoryLabels, complaintCategoryLabel(c))
	}
	f.service = widget.NewSelect(serviceLabels, nil)
	f.service.PlaceHolder = lang.L("Choose a service")
	f.category = widget.NewSelect(categoryLabels, nil)
	f.category.PlaceHolder = lang.L("Choose a category")
	f.description = newMultiLineEntry()
	f.description.SetMinRowsVisible(5)
	f.description.SetPlaceHolder(lang.L("What is wrong, since when, and what you have tried"))
	f.reset()
	return f
}

func (f *complaintForm) addTo(fields *formFields) {
	// Every field gets a hint, because widget.Form shows no error under
	// a field that had none when the form was built.
	fields.add("service", lang.L("Service"), f.service, lang.L("The connected service with the problem"))
	fields.add("category", lang.L("Category"), f.category, lang.L("The kind of problem"))
	fields.add("description", lang.X("complaint.description", "Description"), f.description, lang.L("10 to 2000 characters"))
}

// input returns the typed complaint of customer crf. A field left empty
// gives an empty value, which the service reports under that field.
func (f *complaintForm) input(crf int64) service.ComplaintInput {
	in := service.ComplaintInput{CRF: crf, Description: f.description.Text}
	if i := f.service.SelectedIndex(); i >= 0 {
		in.Service = f.services[i]
	}
	if i := f.category.SelectedIndex(); i >= 0 {
		in.Category = store.ComplaintCategories[i]
	}
	return in
}

// reset empties the form, keeping the service when there is only one.
func (f *complaintForm) reset() {
	f.service.ClearSelected()
	if len(f.services) == 1 {
		f.service.SetSelectedIndex(0)
	}
	f.category.ClearSelected()
	f.description.SetText("")
}
