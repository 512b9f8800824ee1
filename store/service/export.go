package service

import (
	"context"
	"fmt"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/importer"
)

// customerExportColumns are the export's extra columns after the fields
// that an import reads back; an import ignores them.
var customerExportColumns = []string{"Cable status", "Cable expiry", "Broadband status", "Broadband expiry",
	"Amount due", "Customer since"}

// ExportCustomers writes every current customer to a .xlsx or .csv file:
// all customer fields, each service's plan, device, activation date and
// paid-through date in the columns an import reads, then status, expiry,
// amount due and the creation date. The file imports back into an empty
// database with the same plans to the same customers and connections, with
// the months settled up to the same expiry. It returns the number of
// customers written. Admin only.
func (s *Service) ExportCustomers(ctx context.Context, sess Session, path string, format importer.Format) (int, error) {
	if err := requireAdmin(sess); err != nil {
		return 0, err
	}
	var headers []string
	for _, fi := range importer.Fields() {
		headers = append(headers, fi.Label)
	}
	headers = append(headers, customerExportColumns...)
	w, err := importer.Create(path, format, "Customers", headers)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.store.ExportCustomers(ctx, func(e store.CustomerExport) error {
		n++
		return w.WriteRow(s.customerExportRow(e))
	})
	return n, s.finishExport(ctx, sess, w, err, "customer", path, n)
}

func (s *Service) customerExportRow(e store.CustomerExport) []any {
	c := e.Customer
	var dob billing.Date
	if c.DateOfBirth != "" {
		dob, _ = billing.ParseDate(c.DateOfBirth)
	}
	return []any{c.CRF, c.Name, c.Mobile, c.Email, c.House, c.Street, c.City, c.State,
		c.PostalCode, c.IDProofType, c.IDProofNumber, dob, c.Notes,
		e.CableTV.PlanName, e.CableTV.DeviceID, e.CableTV.ActivatedOn, paidThrough(e.CableTV),
		e.Broadband.PlanName, e.Broadband.DeviceID, e.Broadband.ActivatedOn, paidThrough(e.Broadband),
		connectionStatus(e.CableTV), e.CableTV.ExpiresOn, connectionStatus(e.Broadband), e.Broadband.ExpiresOn,
		e.Due, c.CreatedAt.In(s.loc)}
}

// paidThrough returns the expiry of a connection as the paid-through date
// an import reads, or zero when nothing is settled since the activation,
// because an import rejects a paid-through date before the activation.
func paidThrough(c store.Connection) billing.Date {
	if c.ID == 0 || c.ExpiresOn.Before(c.ActivatedOn) {
		return billing.Date{}
	}
	return c.ExpiresOn
}

func connectionStatus(c store.Connection) string {
	if c.ID == 0 {
		return ""
	}
	return string(c.Status)
}

// ExportPayments writes the payments received from one local date through
// another, both included, to a .xlsx or .csv file: date and time, CRF,
// name, service, amount, mode, reference and invoice number. It returns
// the number of payments written. Admin only.
func (s *Service) ExportPayments(ctx context.Context, sess Session, path string, format importer.Format,
	from, to billing.Date) (int, error) {
	if err := requireAdmin(sess); err != nil {
		return 0, err
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return 0, &FieldError{Field: "to", Message: fmt.Sprintf(
			"The date range %s to %s is invalid: choose a start date on or before the end date.", from, to)}
	}
	headers := []string{"Received", "CRF", "Name", "Service", "Amount", "Mode", "Reference", "Invoice number"}
	w, err := importer.Create(path, format, "Payments", headers)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.store.ExportPayments(ctx, from.Time(s.loc), to.AddDays(1).Time(s.loc), func(p store.PaymentExport) error {
		n++
		return w.WriteRow([]any{p.ReceivedAt.In(s.loc), p.CRF, p.Name, p.Service.Label(), p.Amount, p.Mode,
			p.Reference, p.InvoiceNumber})
	})
	return n, s.finishExport(ctx, sess, w, err, "payment", path, n)
}

// finishExport closes the file when the rows were written and records the
// export in the audit log, or drops the partial file after an error.
func (s *Service) finishExport(ctx context.Context, sess Session, w importer.Writer, err error, what, path string, n int) error {
	if err != nil {
		w.Abort()
		s.log.Error("export failed", "what", what, "path", path, "err", err)
		return err
	}
	if err := w.Close(); err != nil {
		s.log.Error("export failed", "what", what, "path", path, "err", err)
		return err
	}
	s.log.Info("export complete", "what", what, "path", path, "rows", n)
	return s.store.RecordExport(ctx, sess.Username, what, path, n, s.clock.Now())
}
