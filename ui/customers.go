package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// customerPageSize is how many rows one query loads into the table.
const customerPageSize = 100

// customersService lists the service methods that the customers screen uses.
type customersService interface {
	SearchCustomers(ctx context.Context, sess service.Session, q store.CustomerQuery) ([]store.CustomerRow, error)
	CountCustomers(ctx context.Context, sess service.Session, q store.CustomerQuery) (int, error)
	customerDetailsService
}

// customersScreen lists customers in a virtualized table with search as you
// type, and shows the selected customer's details beside it.
type customersScreen struct {
	svc     customersService
	session service.Session
	win     fyne.Window

	search   *widget.Entry
	archived *widget.Check
	table    *widget.Table
	count    *widget.Label
	details  *customerDetails

	rows     *customerRows
	selected int64
}

func newCustomersScreen(svc customersService, sess service.Session, win fyne.Window) *customersScreen {
	return &customersScreen{svc: svc, session: sess, win: win}
}

var customerColumns = []struct {
	title string
	width float32
}{
	{"CRF", 60}, {"Name", 190}, {"Mobile", 115}, {"Area", 140}, {"City", 90}, {"", 70},
}

func (s *customersScreen) buildUI() fyne.CanvasObject {
	s.rows = &customerRows{load: s.loadPage}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.L("Search by CRF, name or mobile"))
	s.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.search.OnChanged = func(string) { s.onSearchChanged() }
	s.archived = widget.NewCheck(lang.L("Show removed"), func(bool) { s.onSearchChanged() })
	s.count = widget.NewLabel("")

	s.table = widget.NewTableWithHeaders(s.tableSize, s.newCell, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(customerColumns[id.Col].title)
	}
	for i, c := range customerColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = s.onRowSelected

	s.details = newCustomerDetails(s.svc, s.session, s.win, s.onCustomerChanged)
	add := widget.NewButtonWithIcon(lang.L("Add customer"), theme.ContentAddIcon(), s.onAdd)
	add.Importance = widget.HighImportance

	top := container.NewBorder(nil, nil, screenTitle(lang.L("Customers")), container.NewHBox(s.archived, add), s.search)
	list := container.NewBorder(nil, s.count, nil, nil, s.table)
	split := container.NewHSplit(list, s.details.buildUI())
	split.Offset = 0.6
	s.onSearchChanged()
	return padded(container.NewBorder(top, nil, nil, nil, split))
}

func (s *customersScreen) query() store.CustomerQuery {
	return store.CustomerQuery{Text: s.search.Text, IncludeArchived: s.archived.Checked, Limit: customerPageSize}
}

// onSearchChanged reloads the first page for the new text. The total is
// counted only when the first page is full, because a short page is the
// whole result.
func (s *customersScreen) onSearchChanged() {
	q := s.query()
	s.rows.reset(q)
	first, err := s.rows.page(0)
	if err != nil {
		showError(s.win, "search customers", err)
		return
	}
	total := len(first)
	if len(first) == customerPageSize {
		if total, err = s.svc.CountCustomers(context.Background(), s.session, q); err != nil {
			showError(s.win, "count customers", err)
			return
		}
	}
	s.rows.total = total
	if total == 1 {
		s.count.SetText(lang.L("1 customer"))
	} else {
		s.count.SetText(lang.L("{{.Total}} customers", map[string]any{"Total": total}))
	}
	s.table.UnselectAll()
	s.table.ScrollToTop()
	s.table.Refresh()
}

func (s *customersScreen) loadPage(q store.CustomerQuery) ([]store.CustomerRow, error) {
	return s.svc.SearchCustomers(context.Background(), s.session, q)
}

func (s *customersScreen) tableSize() (int, int) {
	return s.rows.total, len(customerColumns)
}

func (s *customersScreen) newCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (s *customersScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	label := o.(*widget.Label)
	row, ok := s.rows.row(id.Row)
	if !ok {
		label.SetText("")
		return
	}
	label.SetText(customerCell(row, id.Col))
}

func customerCell(r store.CustomerRow, col int) string {
	switch col {
	case 0:
		return strconv.FormatInt(r.CRF, 10)
	case 1:
		return r.Name
	case 2:
		return r.Mobile
	case 3:
		return r.Area
	case 4:
		return r.City
	case 5:
		if r.Archived {
			return "removed"
		}
	}
	return ""
}

func (s *customersScreen) onRowSelected(id widget.TableCellID) {
	row, ok := s.rows.row(id.Row)
	if !ok {
		return
	}
	s.selected = row.CRF
	s.details.show(row.CRF)
}

func (s *customersScreen) onAdd() {
	showCustomerForm(s.svc, s.session, s.win, nil, func(crf int64) {
		s.search.SetText(strconv.FormatInt(crf, 10))
		s.details.show(crf)
	})
}

// onCustomerChanged refreshes the table after an edit in the details pane.
func (s *customersScreen) onCustomerChanged() {
	s.rows.reset(s.query())
	s.table.Refresh()
}

// customerRows caches pages of search results for the table, so the table
// can ask for any row while only the pages in view are loaded.
type customerRows struct {
	load  func(store.CustomerQuery) ([]store.CustomerRow, error)
	query store.CustomerQuery
	pages map[int][]store.CustomerRow
	total int
}

func (c *customerRows) reset(q store.CustomerQuery) {
	c.query = q
	c.pages = map[int][]store.CustomerRow{}
}

func (c *customerRows) page(n int) ([]store.CustomerRow, error) {
	if p, ok := c.pages[n]; ok {
		return p, nil
	}
	q := c.query
	q.Offset = n * customerPageSize
	rows, err := c.load(q)
	if err != nil {
		return nil, err
	}
	c.pages[n] = rows
	return rows, nil
}

func (c *customerRows) row(i int) (store.CustomerRow, bool) {
	p, err := c.page(i / customerPageSize)
	if err != nil {
		fyne.LogError("load customers page", err)
		return store.CustomerRow{}, false
	}
	if j := i % customerPageSize; j < len(p) {
		return p[j], true
	}
	return store.CustomerRow{}, false
}
