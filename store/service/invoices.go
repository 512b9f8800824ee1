package service

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/invoice"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// ErrInvoiceUnavailable is wrapped when an invoice's PDF is missing and
// cannot be written again. Its message is meant for the Bills screen.
var ErrInvoiceUnavailable = message.NewError("the invoice PDF is not available")

// InvoiceDetails returns everything an invoice shows: to an admin for any
// invoice, to a customer only for their own.
func (s *Service) InvoiceDetails(ctx context.Context, sess Session, invoiceID int64) (store.InvoiceDetails, error) {
	d, err := s.store.InvoiceDocumentData(ctx, invoiceID)
	if err != nil {
		return store.InvoiceDetails{}, err
	}
	if err := requireCustomer(sess, d.Payment.CustomerCRF); err != nil {
		return store.InvoiceDetails{}, err
	}
	return d, nil
}

// InvoicePDF returns the path of an invoice's PDF, to an admin for any
// invoice and to a customer only for their own. A missing file is written
// again from the database. When that fails too, the error wraps
// ErrInvoiceUnavailable, and its message names the next step for the
// customer.
func (s *Service) InvoicePDF(ctx context.Context, sess Session, invoiceID int64) (string, error) {
	d, err := s.InvoiceDetails(ctx, sess, invoiceID)
	if err != nil {
		return "", err
	}
	if invoice.Complete(d.Invoice.PDFPath) {
		return d.Invoice.PDFPath, nil
	}

	path, err := s.writeInvoicePDF(ctx, d)
	if err != nil {
		s.log.Error("invoice PDF not written", "invoice", d.Invoice.Number, "crf", d.Payment.CustomerCRF, "err", err)
		return "", message.Wrap(ErrInvoiceUnavailable, "the PDF of invoice {{.Number}} is missing and could not be "+
			"created again ({{.Reason}}); ask the office to check the invoices folder",
			"Number", d.Invoice.Number, "Reason", err)
	}
	s.log.Info("invoice PDF written again", "invoice", d.Invoice.Number, "crf", d.Payment.CustomerCRF)
	return path, nil
}

// BillsOfMonth returns a customer's payments received in one local calendar
// month, each with its invoice: any customer's for an admin, only their own
// for a customer.
func (s *Service) BillsOfMonth(ctx context.Context, sess Session, crf int64, year int, month time.Month) ([]store.Bill, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return nil, err
	}
	if month < time.January || month > time.December {
		return nil, message.NewError("month {{.Month}} is invalid: choose a month from 1 to 12", "Month", int(month))
	}
	return s.store.PaymentsOfCustomerInMonth(ctx, crf, year, month, s.loc)
}

// InvoiceAttachment returns an invoice's PDF as an email attachment,
// writing the file again when it is missing. It takes no session because
// the outbox worker calls it, as its Attach function.
func (s *Service) InvoiceAttachment(ctx context.Context, invoiceID int64) (mailer.Attachment, error) {
	inv, err := s.store.Invoice(ctx, invoiceID)
	if err != nil {
		return mailer.Attachment{}, err
	}
	path, err := s.ensureInvoicePDF(ctx, inv)
	if err != nil {
		return mailer.Attachment{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return mailer.Attachment{}, message.WithCause(err, "Invoice {{.Number}} could not be read: {{.Reason}}.",
			"Number", inv.Number, "Reason", err)
	}
	return mailer.Attachment{Name: inv.Number + ".pdf", ContentType: "application/pdf", Data: data}, nil
}

// ensureInvoicePDF returns the invoice's PDF, writing it unless the file
// recorded for it is a whole PDF.
func (s *Service) ensureInvoicePDF(ctx context.Context, inv store.Invoice) (string, error) {
	if invoice.Complete(inv.PDFPath) {
		return inv.PDFPath, nil
	}
	d, err := s.store.InvoiceDocumentData(ctx, inv.ID)
	if err != nil {
		return "", err
	}
	return s.writeInvoicePDF(ctx, d)
}

// writeInvoicePDF writes the PDF to invoices/<year>/<number>.pdf in the
// data folder and records its path.
func (s *Service) writeInvoicePDF(ctx context.Context, d store.InvoiceDetails) (string, error) {
	path := filepath.Join(s.InvoicesDir(), strconv.Itoa(d.Invoice.Year), d.Invoice.Number+".pdf")
	if err := invoice.WriteFile(path, s.invoiceDocument(d, s.Language(ctx))); err != nil {
		return "", err
	}
	if err := s.store.SetInvoicePDFPath(ctx, d.Invoice.ID, path); err != nil {
		return "", err
	}
	return path, nil
}

// invoiceDocument returns what the PDF of an invoice prints, in l.
func (s *Service) invoiceDocument(d store.InvoiceDetails, l billing.Language) invoice.Document {
	service := serviceName(d.Payment.Service, l)
	description := service + " — " + d.Invoice.PlanName
	lines := make([]invoice.Line, len(d.Lines))
	for i, l := range d.Lines {
		lines[i] = invoice.Line{Start: l.Start, End: l.End, Description: description, Amount: l.Amount}
	}
	b := d.Business
	c := d.Customer
	return invoice.Document{
		Business: invoice.Business{Name: b.Name, Address: b.Address, Phone: b.Phone, Email: b.Email,
			TaxID: b.TaxID, Footer: b.InvoiceFooter, Logo: s.Logo()},
		CurrencySymbol: b.CurrencySymbol,
		Number:         d.Invoice.Number,
		IssuedAt:       d.Invoice.IssuedAt.In(s.loc),
		Customer: invoice.Customer{CRF: c.CRF, Name: c.Name, AddressLines: c.AddressLines(),
			Mobile: c.Mobile, Email: c.Email},
		Service:    service,
		Plan:       d.Invoice.PlanName,
		Lines:      lines,
		Amount:     d.Invoice.Amount,
		Mode:       modeName(d.Payment.Mode, l),
		Reference:  d.Payment.Reference,
		BalanceDue: d.Invoice.BalanceAfter,
		NewExpiry:  d.Invoice.NewExpiry,
		ReceivedBy: d.ReceivedBy,
		Language:   l,
	}
}

// modeLabel returns a payment mode as printed, such as "Cash".
func modeLabel(mode string) string {
	switch mode {
	case store.ModeCash:
		return "Cash"
	case store.ModeOnline:
		return "Online"
	}
	return mode
}

// invoiceEmail returns a function that renders the invoice email once the
// store has issued the invoice. The admin's template is read before the
// payment's transaction starts. When it fails to render, the built-in
// default is used, so an edited template that fails does not block a
// payment.
func (s *Service) invoiceEmail(ctx context.Context) (func(store.InvoiceDetails) (store.OutboxMessage, error), error) {
	t, err := s.template(ctx, mailer.KindInvoice)
	if err != nil {
		return nil, err
	}
	lang := s.Language(ctx)
	return func(d store.InvoiceDetails) (store.OutboxMessage, error) {
		data := s.invoiceEmailData(d, lang)
		m, err := renderEmail(t, mailer.KindInvoice, d.Customer.Email, d.Customer.Name, data)
		if err == nil {
			return m, nil
		}
		s.log.Warn("invoice email template failed; using the default", "invoice", d.Invoice.Number, "err", err)
		return renderEmail(mailer.DefaultTemplateFor(mailer.KindInvoice, lang), mailer.KindInvoice,
			d.Customer.Email, d.Customer.Name, data)
	}, nil
}

// invoiceEmailData returns the values of the invoice email, with dates,
// months and names in l.
func (s *Service) invoiceEmailData(d store.InvoiceDetails, l billing.Language) mailer.InvoiceData {
	symbol := d.Business.CurrencySymbol
	return mailer.InvoiceData{
		Business: mailer.Business{Name: d.Business.Name, Address: d.Business.Address,
			Phone: d.Business.Phone, Email: d.Business.Email},
		CustomerName:  d.Customer.Name,
		CRF:           d.Customer.CRF,
		InvoiceNumber: d.Invoice.Number,
		IssuedOn:      billing.DateOf(d.Invoice.IssuedAt.In(s.loc)).FormatIn(l),
		Service:       serviceName(d.Payment.Service, l),
		Plan:          d.Invoice.PlanName,
		Periods:       periodsLabel(d.Lines, l),
		Amount:        d.Invoice.Amount.Format(symbol),
		Mode:          modeName(d.Payment.Mode, l),
		Reference:     d.Payment.Reference,
		BalanceDue:    d.Invoice.BalanceAfter.Format(symbol),
		NewExpiry:     d.Invoice.NewExpiry.FormatIn(l),
	}
}

// periodsLabel returns the months a payment covers in l, such as
// "Dec 2026", "Dec 2026 to Jan 2027" or "dic 2026 a ene 2027". Lines come
// oldest first.
func periodsLabel(lines []store.InvoiceLine, l billing.Language) string {
	if len(lines) == 0 {
		return ""
	}
	first := lines[0].Start.MonthLabelIn(l)
	last := lines[len(lines)-1].Start.MonthLabelIn(l)
	if first == last {
		return first
	}
	if l == billing.Spanish {
		return first + " a " + last
	}
	return first + " to " + last
}
