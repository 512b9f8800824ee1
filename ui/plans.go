package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// plansService lists the service methods that the plans screen uses.
type plansService interface {
	ListPlans(ctx context.Context, sess service.Session, includeInactive bool) ([]store.Plan, error)
	CreatePlan(ctx context.Context, sess service.Session, in service.PlanInput) (int64, error)
	UpdatePlan(ctx context.Context, sess service.Session, id int64, in service.PlanInput) error
}

// plansScreen lists cable TV and broadband plans and edits them.
type plansScreen struct {
	svc     plansService
	session service.Session
	win     fyne.Window

	plans []store.Plan
	table *widget.Table
}

func newPlansScreen(svc plansService, sess service.Session, win fyne.Window) *plansScreen {
	return &plansScreen{svc: svc, session: sess, win: win}
}

var planColumns = []struct {
	title string
	width float32
}{{"Service", 110}, {"Plan", 180}, {"Monthly price", 120}, {"Description", 320}, {"Offered", 80}}

func (s *plansScreen) buildUI() fyne.CanvasObject {
	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.plans), len(planColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(planCell(s.plans[id.Row], id.Col))
		},
	)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(planColumns[id.Col].title) }
	for i, c := range planColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		s.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(s.plans) {
			p := s.plans[id.Row]
			s.showForm(&p)
		}
	}
	add := widget.NewButtonWithIcon(lang.L("Add plan"), theme.ContentAddIcon(), func() { s.showForm(nil) })
	add.Importance = widget.HighImportance
	hint := widget.NewLabel(lang.L("Select a plan to edit it. A new price applies to months billed from today on."))
	s.reload()
	top := container.NewBorder(nil, hint, screenTitle(lang.L("Plans")), add)
	return padded(container.NewBorder(top, nil, nil, nil, s.table))
}

func (s *plansScreen) reload() {
	plans, err := s.svc.ListPlans(context.Background(), s.session, true)
	if err != nil {
		showError(s.win, "load plans", err)
		return
	}
	s.plans = plans
	s.table.Refresh()
}

func planCell(p store.Plan, col int) string {
	switch col {
	case 0:
		return serviceLabel(p.Service)
	case 1:
		return p.Name
	case 2:
		return p.Price.Plain()
	case 3:
		return p.Description
	case 4:
		if p.Active {
			return "Yes"
		}
		return "No"
	}
	return ""
}

// showForm opens the add form, or the edit form for existing.
func (s *plansScreen) showForm(existing *store.Plan) {
	svcChoice := widget.NewRadioGroup([]string{serviceLabel(billing.ServiceCableTV), serviceLabel(billing.ServiceBroadband)}, nil)
	svcChoice.Horizontal = true
	svcChoice.SetSelected(serviceLabel(billing.ServiceCableTV))
	name, price, desc := newEntry(), newEntry(), newMultiLineEntry()
	validateAsTyped(service.CheckAmount, price)
	active := widget.NewCheck(lang.L("Offered to new connections"), nil)
	active.SetChecked(true)
	title := "Add plan"
	if existing != nil {
		title = "Edit plan"
		svcChoice.SetSelected(serviceLabel(existing.Service))
		name.SetText(existing.Name)
		price.SetText(existing.Price.Plain())
		desc.SetText(existing.Description)
		active.SetChecked(existing.Active)
	}
	input := func() service.PlanInput {
		sv := billing.ServiceCableTV
		if svcChoice.Selected == serviceLabel(billing.ServiceBroadband) {
			sv = billing.ServiceBroadband
		}
		return service.PlanInput{Service: sv, Name: name.Text, Price: price.Text, Description: desc.Text, Active: active.Checked}
	}
	d := newFormDialog(title, lang.L("Save"), lang.L("save plan"), s.win, func() error {
		var err error
		if existing == nil {
			_, err = s.svc.CreatePlan(context.Background(), s.session, input())
		} else {
			err = s.svc.UpdatePlan(context.Background(), s.session, existing.ID, input())
		}
		if err == nil {
			s.reload()
		}
		return err
	})
	d.fields.add("service", lang.L("Service"), svcChoice, "")
	d.fields.add("name", lang.L("Plan name"), name, "")
	d.fields.add("price", lang.L("Monthly price"), price, lang.L("Such as 350 or 349.50"))
	d.fields.add("description", lang.X("plan.description", "Description"), desc, lang.L("Channels, or speed and data cap"))
	d.fields.add("active", "", active, "")
	d.show(fyne.NewSize(520, 420))
}
