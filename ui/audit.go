package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// auditService is the part of the service the audit log screen uses.
type auditService interface {
	AuditLog(ctx context.Context, sess service.Session, q service.AuditQuery) ([]store.AuditEntry, error)
	Location() *time.Location
}

// auditScreen lists the audit log, newest first, filtered by actor,
// action prefix and a range of local dates.
type auditScreen struct {
	svc     auditService
	session service.Session
	win     fyne.Window

	actor, action, from, to *entry
	search                  *widget.Button
	problem                 *widget.Label
	count                   *widget.Label
	table                   *widget.Table
	entries                 []store.AuditEntry
}

func newAuditScreen(svc auditService, sess service.Session, win fyne.Window) *auditScreen {
	return &auditScreen{svc: svc, session: sess, win: win}
}

var auditColumns = []struct {
	title string
	width float32
}{{"Time", 170}, {"User", 110}, {"Action", 170}, {"Entity", 140}, {"Details", 480}}

func (s *auditScreen) buildUI() fyne.CanvasObject {
	s.actor, s.action, s.from, s.to = newEntry(), newEntry(), newEntry(), newEntry()
	s.actor.SetPlaceHolder(lang.L("User, or system"))
	s.action.SetPlaceHolder(lang.L("Action starts with, such as payment."))
	s.from.SetPlaceHolder(lang.L("From YYYY-MM-DD"))
	s.to.SetPlaceHolder(lang.L("To YYYY-MM-DD"))
	for _, e := range []*entry{s.actor, s.action, s.from, s.to} {
		e.OnSubmitted = func(string) { s.onSearch() }
	}
	s.search = widget.NewButtonWithIcon(lang.L("Search"), theme.SearchIcon(), s.onSearch)
	s.problem = widget.NewLabel("")
	s.problem.Importance = widget.DangerImportance
	s.problem.Wrapping = fyne.TextWrapWord
	s.problem.Hide()
	s.count = widget.NewLabel("")

	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.entries), len(auditColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(s.cell(s.entries[id.Row], id.Col))
		},
	)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(auditColumns[id.Col].title)
	}
	for i, c := range auditColumns {
		s.table.SetColumnWidth(i, c.width)
	}

	filters := container.NewGridWithColumns(5, s.actor, s.action, s.from, s.to, s.search)
	top := container.NewVBox(screenTitle(lang.L("Audit log")), filters, s.problem, s.count)
	s.onSearch()
	return padded(container.NewBorder(top, nil, nil, nil, s.table))
}

func (s *auditScreen) cell(e store.AuditEntry, col int) string {
	switch col {
	case 0:
		return e.At.In(s.svc.Location()).Format("2006-01-02 15:04:05")
	case 1:
		return e.Actor
	case 2:
		return e.Action
	case 3:
		if e.EntityID == "" {
			return e.Entity
		}
		return e.Entity + " " + e.EntityID
	case 4:
		return e.Details
	}
	return ""
}

// onSearch loads the rows that match the filters. Invalid dates are shown
// above the table and leave the rows as they were.
func (s *auditScreen) onSearch() {
	q := service.AuditQuery{Actor: s.actor.Text, ActionPrefix: s.action.Text, From: s.from.Text, To: s.to.Text,
		Limit: service.DefaultAuditLimit}
	entries, err := s.svc.AuditLog(context.Background(), s.session, q)
	if fe, ok := service.AsFieldErrors(err); ok {
		s.problem.SetText(fe.Error())
		s.problem.Show()
		return
	}
	if err != nil {
		showError(s.win, "load audit log", err)
		return
	}
	s.problem.Hide()
	s.entries = entries
	switch {
	case len(entries) == q.Limit:
		s.count.SetText(lang.L("Showing the newest {{.Limit}} entries; narrow the filters to see older ones.", map[string]any{"Limit": q.Limit}))
	case len(entries) == 1:
		s.count.SetText(lang.L("1 entry"))
	default:
		s.count.SetText(lang.L("{{.Count}} entries", map[string]any{"Count": len(entries)}))
	}
	s.table.ScrollToTop()
	s.table.Refresh()
}
