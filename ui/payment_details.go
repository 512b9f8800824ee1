package ui

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store/service"
)

// paymentDetailsService lists the service methods that the payment details screen uses.
type paymentDetailsService interface {
	PaymentDetails(ctx context.Context, sess service.Session, crf int64, year int) (service.PaymentDetails, error)
	Today() billing.Date
	settingsReader
}

// paymentDetailsScreen shows the twelve months of a year per service, with
// state and amounts, and the payments of that year. An admin chooses the
// customer; a customer sees their own.
type paymentDetailsScreen struct {
	svc     paymentDetailsService
	session service.Session
	win     fyne.Window

	crf    *widget.Entry
	year   *widget.Select
	result *fyne.Container
	symbol string
	shown  service.PaymentDetails
}

func newPaymentDetailsScreen(svc paymentDetailsService, sess service.Session, win fyne.Window) *paymentDetailsScreen {
	return &paymentDetailsScreen{svc: svc, session: sess, win: win}
}

func (s *paymentDetailsScreen) buildUI() fyne.CanvasObject {
	s.symbol = s.svc.CurrencySymbol(context.Background())
	this := s.svc.Today().Year
	var years []string
	for y := this + 1; y >= this-5; y-- {
		years = append(years, strconv.Itoa(y))
	}
	s.year = widget.NewSelect(years, func(string) { s.onShow() })
	s.result = container.NewVBox()
	show := widget.NewButton(lang.L("Show"), s.onShow)

	controls := container.NewHBox(widget.NewLabel(lang.L("Year")), s.year)
	if s.session.IsAdmin() {
		s.crf = widget.NewEntry()
		s.crf.SetPlaceHolder(lang.L("CRF number"))
		s.crf.OnSubmitted = func(string) { s.onShow() }
		controls = container.NewHBox(widget.NewLabel("CRF"), container.NewGridWrap(fyne.NewSize(140, s.crf.MinSize().Height), s.crf),
			widget.NewLabel(lang.L("Year")), s.year, show)
	}
	s.year.SetSelected(strconv.Itoa(this))
	top := container.NewVBox(screenTitle(lang.L("Payment details")), controls, stateLegend())
	return padded(container.NewBorder(top, nil, nil, nil, container.NewVScroll(s.result)))
}

func (s *paymentDetailsScreen) customer() (int64, bool) {
	if !s.session.IsAdmin() {
		return s.session.CRF, true
	}
	crf, err := strconv.ParseInt(strings.TrimSpace(s.crf.Text), 10, 64)
	return crf, err == nil && crf > 0
}

func (s *paymentDetailsScreen) onShow() {
	if s.result == nil || s.year.Selected == "" {
		return
	}
	crf, ok := s.customer()
	if !ok {
		s.result.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("Type a CRF number, such as 1001."))}
		s.result.Refresh()
		return
	}
	year, _ := strconv.Atoi(s.year.Selected)
	d, err := s.svc.PaymentDetails(context.Background(), s.session, crf, year)
	if err != nil {
		s.result.Objects = []fyne.CanvasObject{widget.NewLabel(plainMessage(err))}
		s.result.Refresh()
		return
	}
	s.shown = d
	s.result.Objects = nil
	for _, sy := range d.Services {
		s.result.Add(widget.NewCard(serviceLabel(sy.Service), "", s.monthsGrid(sy)))
	}
	if len(d.Services) == 0 {
		s.result.Add(widget.NewLabel(lang.L("CRF {{.Crf}} has no service.", map[string]any{"Crf": crf})))
	}
	s.result.Add(widget.NewCard(lang.L("Payments in {{.Year}}", map[string]any{"Year": year}), "", s.paymentsList(d)))
	s.result.Refresh()
}

func (s *paymentDetailsScreen) monthsGrid(sy service.ServiceYear) fyne.CanvasObject {
	grid := container.NewGridWithColumns(6)
	headers := []string{lang.L("Month"), lang.L("Period"), lang.L("State"), lang.L("Amount"), lang.L("Paid"), lang.L("Due")}
	for _, h := range headers {
		grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, m := range sy.Months {
		state := m.State()
		period := "—"
		if len(m.Periods) > 0 {
			first, last := m.Periods[0], m.Periods[len(m.Periods)-1]
			period = fmt.Sprintf("%02d %s – %s", first.Start.Day,
				billing.MonthAbbreviation(first.Start.Month, currentLanguage()), formatDate(last.End))
		}
		grid.Add(widget.NewLabel(monthName(m.Month)))
		grid.Add(widget.NewLabel(period))
		grid.Add(stateBadge(state))
		grid.Add(widget.NewLabel(amountOrDash(m.Amount, s.symbol, len(m.Periods) > 0)))
		grid.Add(widget.NewLabel(amountOrDash(m.Paid, s.symbol, len(m.Periods) > 0)))
		grid.Add(widget.NewLabel(amountOrDash(m.Due, s.symbol, len(m.Periods) > 0)))
	}
	return grid
}

func amountOrDash(m billing.Money, symbol string, show bool) string {
	if !show {
		return "—"
	}
	return m.Format(symbol)
}

func (s *paymentDetailsScreen) paymentsList(d service.PaymentDetails) fyne.CanvasObject {
	if len(d.Payments) == 0 {
		return widget.NewLabel(lang.L("No payment this year."))
	}
	grid := container.NewGridWithColumns(5)
	for _, h := range []string{lang.L("Received"), lang.L("Service"), lang.L("Amount"), lang.L("Mode"), lang.L("Invoice")} {
		grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, p := range d.Payments {
		mode := modeLabel(p.Mode)
		if p.Reference != "" {
			mode = fmt.Sprintf("%s %s", mode, p.Reference)
		}
		grid.Add(widget.NewLabel(formatDateTime(p.ReceivedAt)))
		grid.Add(widget.NewLabel(serviceLabel(p.Service)))
		grid.Add(widget.NewLabel(p.Amount.Format(s.symbol)))
		grid.Add(widget.NewLabel(mode))
		grid.Add(widget.NewLabel(p.InvoiceNumber))
	}
	return grid
}

// stateColors colour period states alike on every screen.
var stateColors = map[billing.PeriodState]color.NRGBA{
	billing.StatePaid:      {R: 0x2e, G: 0x7d, B: 0x32, A: 0xff},
	billing.StateWaived:    {R: 0x00, G: 0x83, B: 0x8f, A: 0xff},
	billing.StatePartial:   {R: 0xef, G: 0x6c, B: 0x00, A: 0xff},
	billing.StateDue:       {R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
	billing.StateSkipped:   {R: 0x75, G: 0x75, B: 0x75, A: 0xff},
	billing.StateScheduled: {R: 0x54, G: 0x6e, B: 0x7a, A: 0xff},
}

// stateBadge is a state name on a coloured background.
func stateBadge(state billing.PeriodState) fyne.CanvasObject {
	if state == "" {
		return widget.NewLabel("—")
	}
	bg := canvas.NewRectangle(stateColors[state])
	bg.CornerRadius = 4
	text := canvas.NewText(periodStateLabel(state), color.White)
	text.TextStyle = fyne.TextStyle{Bold: true}
	text.Alignment = fyne.TextAlignCenter
	return container.NewPadded(container.NewStack(bg, container.NewPadded(text)))
}

func stateLegend() fyne.CanvasObject {
	box := container.NewHBox()
	for _, st := range []billing.PeriodState{billing.StatePaid, billing.StatePartial, billing.StateDue,
		billing.StateWaived, billing.StateSkipped, billing.StateScheduled} {
		box.Add(stateBadge(st))
	}
	return box
}
