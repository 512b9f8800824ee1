package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// paymentService lists the service methods that the payment form uses.
type paymentService interface {
	PaymentQuote(ctx context.Context, sess service.Session, crf int64, sv billing.Service) (service.Quote, error)
	CollectPayment(ctx context.Context, sess service.Session, in service.PaymentInput) (service.Receipt, error)
	PayOnline(ctx context.Context, sess service.Session, in service.PaymentInput) (service.Receipt, error)
	invoiceViewService
}

// paymentForm shows one connection's amount due and takes a payment for
// it. Its request key belongs to this form, so pressing Pay twice records
// one payment.
type paymentForm struct {
	svc     paymentService
	session service.Session
	win     fyne.Window
	quote   service.Quote
	onPaid  func(service.Receipt)

	amount    *widget.Entry
	mode      *widget.RadioGroup
	reference *widget.Entry
	submit    *widget.Button
	fields    *formFields
}

func newPaymentForm(svc paymentService, sess service.Session, win fyne.Window, q service.Quote, onPaid func(service.Receipt)) *paymentForm {
	return &paymentForm{svc: svc, session: sess, win: win, quote: q, onPaid: onPaid}
}

func (f *paymentForm) buildUI() fyne.CanvasObject {
	q := f.quote
	summary := widget.NewLabel(lang.L("{{.Service}} — plan {{.Plan}}\nStatus: {{.Status}}, valid until {{.Expiry}}\n"+
		"Amount due: {{.Due}}\nMonths pending: {{.Pending}}",
		map[string]any{"Service": serviceLabel(q.Connection.Service), "Plan": q.Connection.PlanName,
			"Status": statusLabel(q.Connection.Status), "Expiry": expiryLabel(q.Connection),
			"Due": q.AmountDue.Format(q.CurrencySymbol), "Pending": pendingLabel(q.MonthsPending)}))
	summary.Wrapping = fyne.TextWrapWord
	if q.AmountDue == 0 {
		return container.NewVBox(summary, widget.NewLabel(lang.L("Nothing is due on this service.")))
	}

	f.amount = widget.NewEntry()
	f.amount.SetText(q.AmountDue.Plain())
	f.reference = widget.NewEntry()
	f.reference.SetPlaceHolder(lang.L("UPI or bank reference, 6 to 30 letters and digits"))
	f.mode = widget.NewRadioGroup(modeLabels(q.Modes), func(string) { f.onModeChanged() })
	f.mode.Horizontal = true
	f.mode.SetSelected(modeLabels(q.Modes)[0])
	f.submit = widget.NewButton(payLabel(q.AmountDue.Format(q.CurrencySymbol)), f.onSubmit)
	f.submit.Importance = widget.HighImportance
	f.amount.OnChanged = func(string) { f.onAmountChanged() }
	validateEntryAsTyped(service.CheckAmount, f.amount)
	f.reference.OnSubmitted = func(string) { f.onSubmit() }
	f.amount.OnSubmitted = func(string) { f.onSubmit() }

	form := widget.NewForm()
	f.fields = newFormFields(form)
	f.fields.add("amount", lang.L("Amount"), f.amount, lang.L("From {{.From}} to {{.To}}", map[string]any{"From": q.MinimumAmount.Format(q.CurrencySymbol), "To": q.AmountDue.Format(q.CurrencySymbol)}))
	f.fields.add("mode", lang.L("Mode"), f.mode, "")
	f.fields.add("reference", lang.L("Reference"), f.reference, lang.L("Required for online payments"))
	f.onModeChanged()
	return container.NewVBox(summary, form, f.submit)
}

func modeLabels(modes []string) []string {
	labels := make([]string, len(modes))
	for i, m := range modes {
		labels[i] = modeLabel(m)
	}
	return labels
}

func modeLabel(mode string) string {
	if mode == store.ModeCash {
		return lang.L("Cash")
	}
	return lang.L("Online")
}

// pendingLabel joins the months pending in the current language, or
// returns "none".
func pendingLabel(months []string) string {
	if len(months) == 0 {
		return lang.L("none")
	}
	return monthsLabel(months)
}

// payLabel returns the text of the Pay button for an amount.
func payLabel(amount string) string {
	return lang.L("Pay {{.Amount}}", map[string]any{"Amount": amount})
}

func (f *paymentForm) selectedMode() string {
	if f.mode.Selected == modeLabel(store.ModeCash) {
		return store.ModeCash
	}
	return store.ModeOnline
}

func (f *paymentForm) onModeChanged() {
	if f.reference == nil {
		return
	}
	if f.selectedMode() == store.ModeCash {
		f.reference.SetText("")
		f.reference.Disable()
		return
	}
	f.reference.Enable()
}

func (f *paymentForm) onAmountChanged() {
	if m, err := billing.ParseMoney(f.amount.Text); err == nil {
		f.submit.SetText(payLabel(m.Format(f.quote.CurrencySymbol)))
		return
	}
	f.submit.SetText(lang.L("Pay"))
}

func (f *paymentForm) onSubmit() {
	in := service.PaymentInput{CRF: f.quote.Connection.CustomerCRF, Service: f.quote.Connection.Service,
		Amount: f.amount.Text, Mode: f.selectedMode(), Reference: f.reference.Text, RequestKey: f.quote.RequestKey}
	pay := f.svc.CollectPayment
	if !f.session.IsAdmin() {
		pay = f.svc.PayOnline
	}
	f.submit.Disable()
	receipt, err := pay(context.Background(), f.session, in)
	f.submit.Enable()
	if err != nil {
		if !f.fields.showErrors(err) {
			showError(f.win, "record payment", err)
		}
		return
	}
	f.fields.clear()
	f.submit.Disable()
	f.onPaid(receipt)
}
