package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// remindersService is the part of the service layer that the Reminders
// screen uses.
type remindersService interface {
	ReminderCandidates(ctx context.Context, sess service.Session, f store.ReminderFilter) ([]store.ReminderCandidate, error)
	QueueReminders(ctx context.Context, sess service.Session, crfs []int64, force bool,
		progress func(done, total int)) (service.ReminderResult, error)
	Location() *time.Location
	settingsReader
}

// reminderServices pairs the service filter's labels with the services.
var reminderServices = []struct {
	label   string
	service billing.Service
}{
	{"Both", ""}, {"Cable TV", billing.ServiceCableTV}, {"Broadband", billing.ServiceBroadband},
}

// maxMonthsFilter is the largest "months pending" the filter offers.
const maxMonthsFilter = 6

var reminderColumns = []struct {
	title string
	width float32
}{
	{"", 36}, {"CRF", 55}, {"Name", 150}, {"Email", 180}, {"Cable TV due (months)", 215},
	{"Broadband due (months)", 215}, {"Total", 90}, {"Last reminded", 135},
}

// remindersScreen lists the customers who owe money and have an email
// address, and queues payment reminders to the chosen ones.
type remindersScreen struct {
	svc     remindersService
	session service.Session
	win     fyne.Window

	service    *widget.Select
	months     *widget.Select
	table      *widget.Table
	count      *widget.Label
	force      *widget.Check
	sendChosen *widget.Button
	sendAll    *widget.Button
	progress   *widget.ProgressBar
	stop       *widget.Button
	// cancel stops the sending in flight; nil when nothing is sent.
	cancel context.CancelFunc

	candidates []store.ReminderCandidate
	chosen     map[int64]bool
	symbol     string
	// work counts sends in flight, so tests can wait for them.
	work sync.WaitGroup
}

func newRemindersScreen(svc remindersService, sess service.Session, win fyne.Window) *remindersScreen {
	return &remindersScreen{svc: svc, session: sess, win: win, chosen: map[int64]bool{}}
}

func (s *remindersScreen) buildUI() fyne.CanvasObject {
	s.symbol = s.svc.CurrencySymbol(context.Background())
	services := make([]string, len(reminderServices))
	for i, r := range reminderServices {
		services[i] = r.label
	}
	s.service = widget.NewSelect(services, func(string) { s.reload() })
	var months []string
	for n := 1; n <= maxMonthsFilter; n++ {
		months = append(months, strconv.Itoa(n))
	}
	s.months = widget.NewSelect(months, func(string) { s.reload() })

	s.table = widget.NewTableWithHeaders(s.tableSize, s.newCell, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(reminderColumns[id.Col].title)
	}
	for i, c := range reminderColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = s.onRowSelected

	s.count = widget.NewLabel("")
	s.force = widget.NewCheck(lang.L("Force: also customers reminded recently (in the last {{.DefaultReminderQuietDays}} days by default)", map[string]any{"DefaultReminderQuietDays": service.DefaultReminderQuietDays}), nil)
	s.sendChosen = widget.NewButtonWithIcon(lang.L("Send to selected"), theme.MailSendIcon(), s.onSendChosen)
	s.sendAll = widget.NewButtonWithIcon(lang.L("Send to all"), theme.MailSendIcon(), s.onSendAll)
	s.sendAll.Importance = widget.HighImportance
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.stop = widget.NewButtonWithIcon(lang.L("Stop"), theme.CancelIcon(), s.onStop)
	s.stop.Hide()

	filters := container.NewHBox(widget.NewLabel(lang.L("Service")), s.service,
		widget.NewLabel(lang.L("Months pending, at least")), s.months,
		widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), s.reload))
	selection := container.NewHBox(widget.NewButton(lang.L("Select all"), s.onSelectAll),
		widget.NewButton(lang.L("Select none"), s.onSelectNone), s.count)
	actions := container.NewHBox(s.force, s.sendChosen, s.sendAll)
	top := container.NewVBox(screenTitle(lang.L("Reminders")), filters, selection)
	bottom := container.NewVBox(container.NewBorder(nil, nil, nil, s.stop, s.progress), actions)

	s.months.SetSelected(months[0])
	s.service.SetSelected(services[0])
	return padded(container.NewBorder(top, bottom, nil, nil, s.table))
}

func (s *remindersScreen) filter() store.ReminderFilter {
	f := store.ReminderFilter{MinMonthsPending: 1}
	for _, r := range reminderServices {
		if r.label == s.service.Selected {
			f.Service = r.service
		}
	}
	if n, err := strconv.Atoi(s.months.Selected); err == nil {
		f.MinMonthsPending = n
	}
	return f
}

// reload lists the candidates that pass the filters. Chosen customers
// who no longer pass are dropped from the choice.
func (s *remindersScreen) reload() {
	if s.service == nil || s.months == nil || s.table == nil {
		return
	}
	list, err := s.svc.ReminderCandidates(context.Background(), s.session, s.filter())
	if err != nil {
		showError(s.win, "load reminder candidates", err)
		return
	}
	s.candidates = list
	listed := make(map[int64]bool, len(list))
	for _, c := range list {
		listed[c.CRF] = true
	}
	for crf := range s.chosen {
		if !listed[crf] {
			delete(s.chosen, crf)
		}
	}
	s.table.Refresh()
	s.onChoiceChanged()
}

func (s *remindersScreen) tableSize() (int, int) {
	return len(s.candidates), len(reminderColumns)
}

// newCell returns a cell that shows either a check box, in the first
// column, or a label.
func (s *remindersScreen) newCell() fyne.CanvasObject {
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(widget.NewCheck("", nil), label)
}

func (s *remindersScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*fyne.Container)
	check := cell.Objects[0].(*widget.Check)
	label := cell.Objects[1].(*widget.Label)
	if id.Row >= len(s.candidates) {
		return
	}
	c := s.candidates[id.Row]
	if id.Col != 0 {
		check.Hide()
		label.Show()
		label.SetText(s.cellText(c, id.Col))
		return
	}
	label.Hide()
	check.Show()
	// The handler is swapped out while the box is set, because the cell
	// is reused for other rows and SetChecked would fire it.
	check.OnChanged = nil
	check.SetChecked(s.chosen[c.CRF])
	crf := c.CRF
	check.OnChanged = func(on bool) { s.choose(crf, on) }
}

func (s *remindersScreen) cellText(c store.ReminderCandidate, col int) string {
	switch col {
	case 1:
		return strconv.FormatInt(c.CRF, 10)
	case 2:
		return c.Name
	case 3:
		return c.Email
	case 4:
		return s.lineText(c, billing.ServiceCableTV)
	case 5:
		return s.lineText(c, billing.ServiceBroadband)
	case 6:
		return c.Total.Format(s.symbol)
	case 7:
		if c.LastReminder.IsZero() {
			return "never"
		}
		return formatTime(c.LastReminder, s.svc.Location())
	}
	return ""
}

// lineText returns the amount due on one service of c with the months
// pending, or a dash when the customer owes nothing on it.
func (s *remindersScreen) lineText(c store.ReminderCandidate, sv billing.Service) string {
	for _, l := range c.Lines {
		if l.Service == sv {
			return fmt.Sprintf("%s (%s)", l.AmountDue.Format(s.symbol), l.MonthsLabel())
		}
	}
	return "—"
}

// onRowSelected toggles the customer of a tapped row, so a tap anywhere
// on the row works like the check box.
func (s *remindersScreen) onRowSelected(id widget.TableCellID) {
	s.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.candidates) {
		return
	}
	crf := s.candidates[id.Row].CRF
	s.choose(crf, !s.chosen[crf])
	s.table.RefreshItem(widget.TableCellID{Row: id.Row, Col: 0})
}

func (s *remindersScreen) choose(crf int64, on bool) {
	if on {
		s.chosen[crf] = true
	} else {
		delete(s.chosen, crf)
	}
	s.onChoiceChanged()
}

func (s *remindersScreen) onSelectAll() {
	for _, c := range s.candidates {
		s.chosen[c.CRF] = true
	}
	s.table.Refresh()
	s.onChoiceChanged()
}

func (s *remindersScreen) onSelectNone() {
	clear(s.chosen)
	s.table.Refresh()
	s.onChoiceChanged()
}

func (s *remindersScreen) onChoiceChanged() {
	s.count.SetText(lang.L("{{.Count}} customers owe money, {{.Count2}} selected", map[string]any{"Count": len(s.candidates), "Count2": len(s.chosen)}))
	if len(s.chosen) == 0 {
		s.sendChosen.Disable()
	} else {
		s.sendChosen.Enable()
	}
	if len(s.candidates) == 0 {
		s.sendAll.Disable()
	} else {
		s.sendAll.Enable()
	}
}

func (s *remindersScreen) onSendChosen() {
	var crfs []int64
	for _, c := range s.candidates {
		if s.chosen[c.CRF] {
			crfs = append(crfs, c.CRF)
		}
	}
	s.confirmSend(crfs)
}

func (s *remindersScreen) onSendAll() {
	crfs := make([]int64, len(s.candidates))
	for i, c := range s.candidates {
		crfs[i] = c.CRF
	}
	s.confirmSend(crfs)
}

func (s *remindersScreen) confirmSend(crfs []int64) {
	if len(crfs) == 0 {
		return
	}
	text := lang.L("Queue a payment reminder email to {{.Count}} customers?", map[string]any{"Count": len(crfs)})
	if s.force.Checked {
		text += "\nCustomers reminded in the last few days get one too."
	}
	dialog.ShowConfirm(lang.L("Send reminders"), text, func(yes bool) {
		if yes {
			s.send(crfs, s.force.Checked)
		}
	}, s.win)
}

// send queues the reminders in the background with a progress bar,
// because thousands of customers take a while, and then shows what
// happened to each of them.
func (s *remindersScreen) send(crfs []int64, force bool) {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.setSending(true)
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		defer cancel()
		result, err := s.svc.QueueReminders(ctx, s.session, crfs, force, func(done, total int) {
			fyne.Do(func() { s.progress.SetValue(float64(done) / float64(total)) })
		})
		stopped := errors.Is(err, context.Canceled)
		fyne.Do(func() {
			s.cancel = nil
			s.setSending(false)
			s.reload()
			if err != nil && !stopped {
				showError(s.win, "queue reminders", err)
			}
			s.showSummary(result, err != nil)
		})
	}()
}

// onStop stops the sending after the batch in progress. Batches already
// queued stay queued; the summary counts them.
func (s *remindersScreen) onStop() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *remindersScreen) setSending(on bool) {
	if on {
		s.progress.SetValue(0)
		s.progress.Show()
		s.stop.Show()
		s.sendChosen.Disable()
		s.sendAll.Disable()
		return
	}
	s.progress.Hide()
	s.stop.Hide()
	s.onChoiceChanged()
}

// showSummary shows the counts of r. After a failure the counts cover the
// batches queued before it.
func (s *remindersScreen) showSummary(r service.ReminderResult, failed bool) {
	var b strings.Builder
	if failed {
		b.WriteString("Sending stopped. Before it stopped:\n")
	}
	fmt.Fprintf(&b, "Queued: %d\n", r.Queued)
	fmt.Fprintf(&b, "Skipped, reminded recently: %d\n", r.SkippedRecent)
	fmt.Fprintf(&b, "Held back for tomorrow by the daily limit: %d\n", r.HeldBack)
	fmt.Fprintf(&b, "Without email: %d", r.WithoutEmail)
	if r.NothingDue > 0 {
		fmt.Fprintf(&b, "\nOwing nothing any more or removed: %d", r.NothingDue)
	}
	if r.HeldBack > 0 {
		crfs := r.HeldBackCRFs
		slices.Sort(crfs)
		fmt.Fprintf(&b, "\n\nSend tomorrow to CRF %s.", joinIDs(crfs, 20))
	}
	if r.SkippedRecent > 0 {
		b.WriteString("\nTick Force to remind the skipped customers anyway.")
	}
	label := widget.NewLabel(b.String())
	label.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom(lang.L("Reminders"), lang.L("Close"), container.New(newWidthLayout(420), label), s.win)
}

// joinIDs lists up to limit ids, then how many more there are.
func joinIDs(ids []int64, limit int) string {
	parts := make([]string, 0, min(len(ids), limit)+1)
	for i, id := range ids {
		if i == limit {
			parts = append(parts, lang.L("and {{.Limit}} more", map[string]any{"Limit": len(ids) - limit}))
			break
		}
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return strings.Join(parts, ", ")
}
