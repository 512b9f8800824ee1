package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// collectService lists the service methods that the collect-payment screen uses.
type collectService interface {
	paymentService
	SearchCustomers(ctx context.Context, sess service.Session, q store.CustomerQuery) ([]store.CustomerRow, error)
}

// collectScreen is the office counter: find the customer, pick the
// service, take cash or an online payment, and show the invoice.
type collectScreen struct {
	svc     collectService
	session service.Session
	win     fyne.Window

	search  *widget.Entry
	matches *widget.List
	found   []store.CustomerRow
	service *widget.RadioGroup
	body    *fyne.Container
	form    *paymentForm
	crf     int64
	name    string
}

func newCollectScreen(svc collectService, sess service.Session, win fyne.Window) *collectScreen {
	return &collectScreen{svc: svc, session: sess, win: win}
}

func (s *collectScreen) buildUI() fyne.CanvasObject {
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.L("CRF, name or mobile"))
	s.search.OnChanged = func(string) { s.onSearchChanged() }
	s.matches = widget.NewList(
		func() int { return len(s.found) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			r := s.found[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%d  %s  %s", r.CRF, r.Name, r.Mobile))
		})
	s.matches.OnSelected = func(id widget.ListItemID) { s.onCustomerChosen(s.found[id].CRF) }
	s.service = widget.NewRadioGroup([]string{serviceLabel(billing.ServiceCableTV), serviceLabel(billing.ServiceBroadband)},
		func(string) { s.loadQuote() })
	s.service.Horizontal = true
	s.body = container.NewVBox(widget.NewLabel(lang.L("Find the customer, then choose the service.")))

	left := container.NewBorder(container.NewVBox(screenTitle(lang.L("Collect payment")), s.search), nil, nil, nil, s.matches)
	right := container.NewBorder(s.service, nil, nil, nil, container.NewVScroll(s.body))
	split := container.NewHSplit(left, padded(right))
	split.Offset = 0.35
	return padded(split)
}

func (s *collectScreen) onSearchChanged() {
	text := strings.TrimSpace(s.search.Text)
	s.found = nil
	if text != "" {
		rows, err := s.svc.SearchCustomers(context.Background(), s.session, store.CustomerQuery{Text: text, Limit: 50})
		if err != nil {
			showError(s.win, "search customers", err)
			return
		}
		s.found = rows
	}
	s.matches.UnselectAll()
	s.matches.Refresh()
	crf, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return
	}
	for i, r := range s.found {
		if r.CRF == crf {
			s.matches.Select(i)
			return
		}
	}
}

func (s *collectScreen) onCustomerChosen(crf int64) {
	s.crf = crf
	s.name = ""
	for _, r := range s.found {
		if r.CRF == crf {
			s.name = r.Name
		}
	}
	if s.service.Selected == "" {
		s.service.SetSelected(serviceLabel(billing.ServiceCableTV))
		return
	}
	s.loadQuote()
}

func (s *collectScreen) selectedService() billing.Service {
	if s.service.Selected == serviceLabel(billing.ServiceBroadband) {
		return billing.ServiceBroadband
	}
	return billing.ServiceCableTV
}

// loadQuote opens a fresh payment form, with its own request key, for the
// chosen customer and service.
func (s *collectScreen) loadQuote() {
	if s.crf == 0 {
		return
	}
	q, err := s.svc.PaymentQuote(context.Background(), s.session, s.crf, s.selectedService())
	if errors.Is(err, store.ErrNotFound) {
		s.setBody(widget.NewLabel(lang.L("CRF {{.Crf}} has no {{.SelectedService}} service.", map[string]any{"Crf": s.crf, "SelectedService": s.selectedService().Label()})))
		return
	}
	if err != nil {
		s.setBody(widget.NewLabel(plainMessage(err)))
		return
	}
	s.form = newPaymentForm(s.svc, s.session, s.win, q, s.onPaid)
	heading := screenTitle(lang.L("{{.Name}} (CRF {{.Crf}})", map[string]any{"Name": s.name, "Crf": s.crf}))
	s.setBody(container.NewVBox(heading, s.form.buildUI()))
}

func (s *collectScreen) setBody(o fyne.CanvasObject) {
	s.body.Objects = []fyne.CanvasObject{o}
	s.body.Refresh()
}

func (s *collectScreen) onPaid(r service.Receipt) {
	view := newInvoiceView(s.svc, s.session, s.win, r.Invoice.ID, receiptNote(r))
	again := widget.NewButton(lang.L("New payment"), s.loadQuote)
	s.setBody(container.NewVBox(view.buildUI(), again))
}

// receiptNote returns a sentence on what happened besides the payment
// itself, such as a queued email or a PDF that could not be written.
func receiptNote(r service.Receipt) string {
	var notes []string
	if r.Duplicate {
		notes = append(notes, "This form was already submitted: no second payment was recorded.")
	} else {
		notes = append(notes, "Payment recorded.")
	}
	if r.EmailQueued {
		notes = append(notes, "The invoice email is queued.")
	}
	if r.PDFError != nil {
		notes = append(notes, "The PDF could not be written yet ("+r.PDFError.Error()+"); it is written again when opened.")
	}
	return strings.Join(notes, " ")
}
