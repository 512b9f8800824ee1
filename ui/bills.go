package ui

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// billsService lists the service methods that the bills screen uses.
type billsService interface {
	BillsOfMonth(ctx context.Context, sess service.Session, crf int64, year int, month time.Month) ([]store.Bill, error)
	Today() billing.Date
	settingsReader
	invoiceViewService
}

// billsScreen lets a customer pick a year and month, see that month's
// payments and open each invoice.
type billsScreen struct {
	svc     billsService
	session service.Session
	win     fyne.Window

	year, month *widget.Select
	list        *widget.List
	bills       []store.Bill
	invoice     *fyne.Container
	symbol      string
	view        *invoiceView
	// saveDir is passed to the invoice view; see invoiceView.saveDir.
	saveDir string
}

func newBillsScreen(svc billsService, sess service.Session, win fyne.Window) *billsScreen {
	return &billsScreen{svc: svc, session: sess, win: win}
}

func (s *billsScreen) buildUI() fyne.CanvasObject {
	s.symbol = s.svc.CurrencySymbol(context.Background())
	today := s.svc.Today()
	var years []string
	for y := today.Year; y >= today.Year-5; y-- {
		years = append(years, strconv.Itoa(y))
	}
	s.invoice = container.NewVBox(widget.NewLabel(lang.L("Choose a payment to see its invoice.")))
	s.list = widget.NewList(
		func() int { return len(s.bills) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			b := s.bills[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  %s  %s  %s", formatDateTime(b.ReceivedAt),
				serviceLabel(b.Service), b.Amount.Format(s.symbol), b.InvoiceNumber))
		})
	s.list.OnSelected = func(id widget.ListItemID) { s.onBillChosen(s.bills[id]) }
	s.year = widget.NewSelect(years, func(string) { s.onMonthChanged() })
	s.month = widget.NewSelect(monthNames(), func(string) { s.onMonthChanged() })
	s.year.SetSelected(strconv.Itoa(today.Year))
	s.month.SetSelectedIndex(int(today.Month) - 1)

	controls := container.NewHBox(widget.NewLabel(lang.L("Year")), s.year, widget.NewLabel(lang.L("Month")), s.month)
	left := container.NewBorder(container.NewVBox(screenTitle(lang.L("Bills")), controls), nil, nil, nil, s.list)
	split := container.NewHSplit(left, container.NewVScroll(s.invoice))
	split.Offset = 0.4
	return padded(split)
}

func (s *billsScreen) onMonthChanged() {
	if s.year == nil || s.month == nil || s.year.Selected == "" || s.month.Selected == "" {
		return
	}
	year, _ := strconv.Atoi(s.year.Selected)
	month := time.Month(s.month.SelectedIndex() + 1)
	bills, err := s.svc.BillsOfMonth(context.Background(), s.session, s.session.CRF, year, month)
	if err != nil {
		showError(s.win, "load bills", err)
		return
	}
	s.bills = bills
	s.list.UnselectAll()
	s.list.Refresh()
	msg := lang.L("Choose a payment to see its invoice.")
	if len(bills) == 0 {
		msg = lang.L("No payment in {{.Month}} {{.Year}}.",
			map[string]any{"Month": billing.MonthName(month, currentLanguage()), "Year": year})
	}
	s.setInvoice(widget.NewLabel(msg))
}

// onBillChosen shows the invoice of a payment. The PDF is fetched first,
// which writes it again when missing, so a bill that cannot be printed is
// explained here instead of after pressing Print.
func (s *billsScreen) onBillChosen(b store.Bill) {
	if _, err := s.svc.InvoicePDF(context.Background(), s.session, b.InvoiceID); err != nil {
		s.setInvoice(unavailableBill(b, err))
		return
	}
	s.view = newInvoiceView(s.svc, s.session, s.win, b.InvoiceID, "")
	s.view.saveDir = s.saveDir
	s.setInvoice(s.view.buildUI())
}

// unavailableBill is the page shown when an invoice file cannot be made.
func unavailableBill(b store.Bill, err error) fyne.CanvasObject {
	text := widget.NewLabel(lang.L("Your payment of {{.Amount}} on {{.Date}} is recorded, but invoice {{.Number}} "+
		"cannot be shown right now.\n\nPlease ask at the office counter for a printed copy.\n\nDetails: {{.Details}}",
		map[string]any{"Amount": b.Amount.Plain(), "Date": formatWithMonth(b.ReceivedAt.Local(), "02 Jan 2006"),
			"Number": b.InvoiceNumber, "Details": plainMessage(err)}))
	text.Wrapping = fyne.TextWrapWord
	return widget.NewCard(lang.L("Invoice unavailable"), "", text)
}

func (s *billsScreen) setInvoice(o fyne.CanvasObject) {
	s.invoice.Objects = []fyne.CanvasObject{o}
	s.invoice.Refresh()
}
