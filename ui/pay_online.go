package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// payOnlineScreen lets a customer at the kiosk pay a service online with
// the reference of their UPI or bank transfer.
type payOnlineScreen struct {
	svc     paymentService
	session service.Session
	win     fyne.Window

	service *widget.RadioGroup
	body    *fyne.Container
	form    *paymentForm
	// saveDir is passed to the invoice view; see invoiceView.saveDir.
	saveDir string
}

func newPayOnlineScreen(svc paymentService, sess service.Session, win fyne.Window) *payOnlineScreen {
	return &payOnlineScreen{svc: svc, session: sess, win: win}
}

func (s *payOnlineScreen) buildUI() fyne.CanvasObject {
	s.body = container.NewVBox()
	s.service = widget.NewRadioGroup([]string{serviceLabel(billing.ServiceCableTV), serviceLabel(billing.ServiceBroadband)},
		func(string) { s.loadQuote() })
	s.service.Horizontal = true
	intro := widget.NewLabel(lang.L("Pay by UPI or bank transfer first, then type the amount and the payment reference shown by your bank app."))
	intro.Wrapping = fyne.TextWrapWord
	s.service.SetSelected(serviceLabel(billing.ServiceCableTV))
	return padded(container.NewVScroll(container.NewVBox(screenTitle(lang.L("Pay online")), intro, s.service, s.body)))
}

func (s *payOnlineScreen) selectedService() billing.Service {
	if s.service.Selected == serviceLabel(billing.ServiceBroadband) {
		return billing.ServiceBroadband
	}
	return billing.ServiceCableTV
}

func (s *payOnlineScreen) loadQuote() {
	if s.body == nil {
		return
	}
	q, err := s.svc.PaymentQuote(context.Background(), s.session, s.session.CRF, s.selectedService())
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.setBody(widget.NewLabel(lang.L("You have no {{.Service}} service.",
			map[string]any{"Service": serviceLabel(s.selectedService())})))
	case err != nil:
		s.setBody(widget.NewLabel(plainMessage(err)))
	default:
		s.form = newPaymentForm(s.svc, s.session, s.win, q, s.onPaid)
		s.setBody(s.form.buildUI())
	}
}

func (s *payOnlineScreen) setBody(o fyne.CanvasObject) {
	s.body.Objects = []fyne.CanvasObject{o}
	s.body.Refresh()
}

func (s *payOnlineScreen) onPaid(r service.Receipt) {
	view := newInvoiceView(s.svc, s.session, s.win, r.Invoice.ID, receiptNote(r))
	view.saveDir = s.saveDir
	s.setBody(view.buildUI())
}
