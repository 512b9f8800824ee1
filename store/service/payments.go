package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// Quote is the content of the payment form before the payment: the
// connection, its amount due and the bounds of the amount.
type Quote struct {
	Connection    store.Connection
	AmountDue     billing.Money
	MonthsPending []string // such as "Dec 2026" and "Jan 2027", oldest first
	// MinimumAmount is min(minimum payment, amount due): the least that
	// may be paid, and zero when nothing is due.
	MinimumAmount  billing.Money
	CurrencySymbol string
	// Modes are the payment modes this session may use.
	Modes []string
	// RequestKey identifies one payment form. The screen sends it with
	// every submit of that form, so a repeated submit records one payment.
	RequestKey string
}

// PaymentInput is a payment as typed in the payment form.
type PaymentInput struct {
	CRF     int64
	Service billing.Service
	// Amount is the typed text, such as "250" or "1,250.50".
	Amount string
	// Mode is store.ModeCash or store.ModeOnline. The customer's form may
	// leave it empty, which means online.
	Mode       string
	Reference  string // online payment reference, empty for cash
	RequestKey string // from the Quote that opened the form
}

// Receipt is the result of a payment, shown after a successful submit.
type Receipt struct {
	Payment store.Payment
	Invoice store.Invoice
	// Duplicate reports that the form was already submitted, so this is
	// the first submit's payment and nothing new was recorded.
	Duplicate   bool
	EmailQueued bool
	// PDFPath is the invoice file, or "" when PDFError is set.
	PDFPath string
	// PDFError is the reason the invoice file could not be written. The
	// payment is recorded all the same, and InvoicePDF tries the file again.
	PDFError error
}

// ErrMissingRequestKey is returned for a payment submitted without the
// request key of its form.
var ErrMissingRequestKey = message.NewError("the payment form has no valid request key; close the form and open it again")

// maxRequestKeyLength bounds the request key a screen may send, in bytes.
const maxRequestKeyLength = 64

// PaymentQuote returns what the payment form of one connection shows, with
// a new request key. An admin may quote any customer, a customer only
// themself.
func (s *Service) PaymentQuote(ctx context.Context, sess Session, crf int64, service billing.Service) (Quote, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return Quote{}, err
	}
	conn, err := s.connectionOf(ctx, crf, service)
	if err != nil {
		return Quote{}, err
	}
	open, err := s.store.OpenPeriods(ctx, conn.ID)
	if err != nil {
		return Quote{}, err
	}
	settings, err := s.store.Settings(ctx)
	if err != nil {
		return Quote{}, err
	}
	key, err := newRequestKey()
	if err != nil {
		return Quote{}, err
	}

	records := make([]billing.PeriodRecord, len(open))
	for i, p := range open {
		records[i] = p.Record()
	}
	due := billing.AmountDue(records)
	q := Quote{Connection: conn, AmountDue: due, MonthsPending: billing.MonthsPending(records),
		MinimumAmount: min(settings.MinimumPayment, due), CurrencySymbol: settings.CurrencySymbol,
		Modes: []string{store.ModeOnline}, RequestKey: key}
	if sess.IsAdmin() {
		q.Modes = []string{store.ModeCash, store.ModeOnline}
	}
	return q, nil
}

func (s *Service) connectionOf(ctx context.Context, crf int64, service billing.Service) (store.Connection, error) {
	conns, err := s.store.Connections(ctx, crf)
	if err != nil {
		return store.Connection{}, err
	}
	for _, c := range conns {
		if c.Service == service {
			return c, nil
		}
	}
	return store.Connection{}, message.Wrap(store.ErrNotFound, "customer {{.CRF}} has no {{.Service}} connection",
		"CRF", crf, "Service", store.ServiceText(service))
}

// newRequestKey returns 128 random bits as hex, which makes two forms
// sharing a key by chance negligibly unlikely.
func newRequestKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate payment request key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// CollectPayment records a cash or online payment received at the office,
// then writes the invoice PDF. Admin only.
func (s *Service) CollectPayment(ctx context.Context, sess Session, in PaymentInput) (Receipt, error) {
	if err := requireAdmin(sess); err != nil {
		return Receipt{}, err
	}
	return s.recordPayment(ctx, sess, in)
}

// PayOnline records an online payment made by a customer for their own
// connection, then writes the invoice PDF. Customers cannot record cash,
// which only the office receives.
func (s *Service) PayOnline(ctx context.Context, sess Session, in PaymentInput) (Receipt, error) {
	if sess.Role != store.RoleCustomer || sess.CRF == 0 || sess.CRF != in.CRF {
		return Receipt{}, message.Wrap(ErrForbidden, "only customer {{.CRF}} can pay online for their connection",
			"CRF", in.CRF)
	}
	switch in.Mode {
	case "":
		in.Mode = store.ModeOnline
	case store.ModeCash:
		return Receipt{}, message.Wrap(ErrForbidden, "cash is paid at the office; pay online with a payment reference")
	}
	return s.recordPayment(ctx, sess, in)
}

func (s *Service) recordPayment(ctx context.Context, sess Session, in PaymentInput) (Receipt, error) {
	amount, err := checkPaymentInput(&in)
	if err != nil {
		return Receipt{}, err
	}
	clk, err := s.jobClock(ctx)
	if err != nil {
		return Receipt{}, err
	}
	compose, err := s.invoiceEmail(ctx)
	if err != nil {
		return Receipt{}, err
	}

	res, err := s.store.RecordPayment(ctx, store.RecordPaymentParams{CRF: in.CRF, Service: in.Service,
		Amount: amount, Mode: in.Mode, Reference: in.Reference, RequestKey: in.RequestKey,
		ReceivedBy: sess.UserID, Clock: clk, Actor: sess.Username, InvoiceEmail: compose})
	if err != nil {
		return Receipt{}, paymentFieldError(err)
	}
	message := "payment recorded"
	if res.Duplicate {
		message = "payment form submitted again; returning the recorded payment"
	}
	s.log.Info(message, "crf", in.CRF, "connection_id", res.Payment.ConnectionID,
		"invoice", res.Invoice.Number, "amount", res.Payment.Amount.Plain(), "mode", res.Payment.Mode,
		"email_queued", res.EmailQueued)

	r := Receipt{Payment: res.Payment, Invoice: res.Invoice, Duplicate: res.Duplicate, EmailQueued: res.EmailQueued}
	r.PDFPath, r.PDFError = s.ensureInvoicePDF(ctx, res.Invoice)
	if r.PDFError != nil {
		s.log.Error("invoice PDF not written", "invoice", res.Invoice.Number, "crf", in.CRF, "err", r.PDFError)
	}
	return r, nil
}

// checkPaymentInput checks the typed fields, trims the reference and
// returns the parsed amount. Bounds that depend on the amount due are
// checked by the store inside the payment's transaction.
func checkPaymentInput(in *PaymentInput) (billing.Money, error) {
	if in.RequestKey == "" || len(in.RequestKey) > maxRequestKeyLength || !isPrintableASCII(in.RequestKey) {
		return 0, ErrMissingRequestKey
	}

	var form formErrors
	if _, err := billing.ParseService(string(in.Service)); err != nil {
		form.add("service", message.New("Choose a service: Cable TV or Broadband."), err)
	}
	amount, err := billing.ParseMoney(in.Amount)
	if err != nil {
		form.add("amount", personText(err, message.New("Amount")), err)
	}
	in.Reference = strings.TrimSpace(in.Reference)
	switch in.Mode {
	case store.ModeCash:
		if in.Reference != "" {
			form.add("reference", message.New("A cash payment has no reference; clear the reference or choose Online."), nil)
		}
	case store.ModeOnline:
		if _, err := billing.CheckReference(in.Reference); err != nil {
			form.add("reference", personText(err, message.New("Reference")), err)
		}
	default:
		form.add("mode", message.New("Choose a payment mode: Cash or Online."), store.ErrInvalidMode)
	}
	return amount, form.err()
}

func isPrintableASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// paymentFieldError turns the store's checks of the amount, the reference
// and the mode into the error of that form field. Other errors pass
// unchanged.
func paymentFieldError(err error) error {
	fields := []struct {
		field string
		cause error
	}{
		{"amount", billing.ErrNothingDue},
		{"amount", billing.ErrBelowMinimum},
		{"amount", billing.ErrAboveDue},
		{"reference", billing.ErrInvalidReference},
		{"reference", store.ErrDuplicateReference},
		{"mode", store.ErrInvalidMode},
	}
	for _, f := range fields {
		if errors.Is(err, f.cause) {
			var form formErrors
			form.add(f.field, personText(err, message.Text{}), err)
			return form.err()
		}
	}
	return err
}

// formErrors collects the field errors of one form together with the
// errors that caused them, so the screen can show each message next to its
// field while callers still test the cause with errors.Is.
type formErrors struct {
	fields FieldErrors
	causes []error
}

func (f *formErrors) add(field string, text message.Text, cause error) {
	f.fields = append(f.fields, newFieldError(field, text))
	if cause != nil {
		f.causes = append(f.causes, cause)
	}
}

func (f *formErrors) err() error {
	if len(f.fields) == 0 {
		return nil
	}
	return f
}

func (f *formErrors) Error() string { return f.fields.Error() }

func (f *formErrors) Unwrap() []error { return append([]error{f.fields}, f.causes...) }

// personText returns the message of err for a form field: the text of
// the *message.Error it holds, with label in front when that text starts
// with the typed value, such as `Amount "abc" contains letters`. An error
// without a message keeps its English text after the sentinel's prefix.
// newFieldError makes it a sentence.
func personText(err error, label message.Text) message.Text {
	e, ok := message.Find(err)
	if !ok {
		text := err.Error()
		if _, after, found := strings.Cut(text, ": "); found {
			text = after
		}
		return message.New("{{.Problem}}", "Problem", text)
	}
	if label.Key != "" && strings.HasPrefix(e.Key, "{{.") {
		return message.New("{{.Label}} {{.Problem}}", "Label", label, "Problem", e.Text)
	}
	return e.Text
}
