package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Invoice is the bill issued for one payment.
type Invoice struct {
	ID int64
	// Number is "INV-YYYY-NNNNNN": the local year of issue and the
	// invoice's place in that year, gapless from 1.
	Number    string
	Year      int
	Seq       int64
	PaymentID int64
	IssuedAt  time.Time
	Amount    billing.Money
	// BalanceAfter is the amount the connection still owed right after
	// the payment.
	BalanceAfter billing.Money
	NewExpiry    billing.Date
	// PlanName is the connection's plan when the invoice was issued.
	PlanName string
	// PDFPath is the last file written for the invoice, or "" when none
	// was. The file may have been deleted since.
	PDFPath string
}

const invoiceColumns = `id, number, year, seq, payment_id, issued_at, amount, balance_after, new_expiry,
	plan_name, pdf_path`

func scanInvoice(row interface{ Scan(...any) error }) (Invoice, error) {
	var inv Invoice
	var issued, expiry string
	err := row.Scan(&inv.ID, &inv.Number, &inv.Year, &inv.Seq, &inv.PaymentID, &issued, &inv.Amount,
		&inv.BalanceAfter, &expiry, &inv.PlanName, &inv.PDFPath)
	if err != nil {
		return inv, err
	}
	if inv.IssuedAt, err = parseTime(issued); err != nil {
		return inv, err
	}
	return inv, parseDate(expiry, &inv.NewExpiry)
}

func getInvoiceWhere(ctx context.Context, q queryer, where string, arg any) (Invoice, error) {
	inv, err := scanInvoice(q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		lookup := fmt.Sprint(strings.TrimSuffix(where, " = ?"), " ", arg)
		return inv, message.WithCause(ErrNotFound, "no invoice matches {{.Lookup}}", "Lookup", lookup)
	}
	if err != nil {
		return inv, fmt.Errorf("get invoice %v: %w", arg, err)
	}
	return inv, nil
}

// Invoice returns one invoice by id.
func (s *Store) Invoice(ctx context.Context, id int64) (Invoice, error) {
	return getInvoiceWhere(ctx, s.ro, `id = ?`, id)
}

// InvoiceByNumber returns one invoice by its number, such as
// "INV-2026-000001".
func (s *Store) InvoiceByNumber(ctx context.Context, number string) (Invoice, error) {
	return getInvoiceWhere(ctx, s.ro, `number = ?`, number)
}

// SetInvoicePDFPath records where the invoice's PDF was written.
func (s *Store) SetInvoicePDFPath(ctx context.Context, id int64, path string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE invoices SET pdf_path = ? WHERE id = ?`, path, id)
	return requireOneRow(res, err, "set PDF path of invoice", id)
}

// issueInvoice assigns the next invoice number of the local year of
// clk.Today and inserts the invoice of pay. It runs after the periods and
// the connection were updated, so the balance and the expiry are those
// after the payment.
func issueInvoice(ctx context.Context, tx *sql.Tx, pay Payment, clk JobClock) (Invoice, error) {
	conn, err := getConnection(ctx, tx, pay.ConnectionID)
	if err != nil {
		return Invoice{}, err
	}
	var balance billing.Money
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount - paid), 0) FROM periods
		WHERE connection_id = ? AND state IN ('due', 'partial')`, conn.ID).Scan(&balance)
	if err != nil {
		return Invoice{}, fmt.Errorf("amount due of connection %d: %w", conn.ID, err)
	}

	year := clk.Today.Year
	seq, err := nextCounter(ctx, tx, fmt.Sprintf("invoice:%d", year))
	if err != nil {
		return Invoice{}, err
	}
	inv := Invoice{Number: fmt.Sprintf("INV-%d-%06d", year, seq), Year: year, Seq: seq, PaymentID: pay.ID,
		IssuedAt: pay.ReceivedAt, Amount: pay.Amount, BalanceAfter: balance, NewExpiry: conn.ExpiresOn,
		PlanName: conn.PlanName}
	res, err := tx.ExecContext(ctx, `INSERT INTO invoices (number, year, seq, payment_id, issued_at, amount,
		balance_after, new_expiry, plan_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.Number, inv.Year, inv.Seq, inv.PaymentID, formatTime(inv.IssuedAt), inv.Amount,
		inv.BalanceAfter, inv.NewExpiry.String(), inv.PlanName)
	if err != nil {
		return Invoice{}, fmt.Errorf("insert invoice %s: %w", inv.Number, err)
	}
	inv.ID, err = res.LastInsertId()
	return inv, err
}

// queueInvoiceEmail queues the invoice email when the caller composes one
// and the customer has an email address. It reports whether it queued one.
func queueInvoiceEmail(ctx context.Context, tx *sql.Tx, inv Invoice, p RecordPaymentParams) (bool, error) {
	if p.InvoiceEmail == nil {
		return false, nil
	}
	details, err := invoiceDetails(ctx, tx, inv.ID)
	if err != nil {
		return false, err
	}
	if details.Customer.Email == "" {
		return false, nil
	}
	m, err := p.InvoiceEmail(details)
	if err != nil {
		return false, fmt.Errorf("compose email of invoice %s: %w", inv.Number, err)
	}
	m.CustomerCRF = p.CRF
	m.InvoiceID = inv.ID
	if _, err := insertOutbox(ctx, tx, m, p.Clock.Now); err != nil {
		return false, err
	}
	return true, nil
}

// BusinessProfile is the part of the settings printed on an invoice.
type BusinessProfile struct {
	Name           string
	Address        string
	Phone          string
	Email          string
	TaxID          string
	CurrencyCode   string
	CurrencySymbol string
	InvoiceFooter  string
}

// InvoiceLine is the part of a payment allocated to one period.
type InvoiceLine struct {
	PeriodID   int64
	Start, End billing.Date
	Amount     billing.Money
}

// InvoiceDetails is everything an invoice PDF or email shows.
type InvoiceDetails struct {
	Invoice  Invoice
	Payment  Payment
	Business BusinessProfile
	Customer Customer
	// Lines are the periods the payment covers, oldest first. Their
	// amounts add up to the payment's amount.
	Lines []InvoiceLine
	// ReceivedBy is the username of the login that recorded the payment.
	ReceivedBy string
}

// InvoiceDocumentData returns everything the PDF of an invoice shows.
// NOTE: the business profile and the customer's name and address are read
// as they are now, so a regenerated PDF shows them after any later edit.
func (s *Store) InvoiceDocumentData(ctx context.Context, invoiceID int64) (InvoiceDetails, error) {
	return invoiceDetails(ctx, s.ro, invoiceID)
}

func invoiceDetails(ctx context.Context, q queryer, invoiceID int64) (InvoiceDetails, error) {
	var d InvoiceDetails
	var err error
	if d.Invoice, err = getInvoiceWhere(ctx, q, `id = ?`, invoiceID); err != nil {
		return d, err
	}
	if d.Payment, err = getPayment(ctx, q, d.Invoice.PaymentID); err != nil {
		return d, err
	}
	if d.Customer, err = getCustomer(ctx, q, d.Payment.CustomerCRF); err != nil {
		return d, err
	}
	settings, err := loadSettings(ctx, q)
	if err != nil {
		return d, err
	}
	d.Business = BusinessProfile{Name: settings.BusinessName, Address: settings.BusinessAddress,
		Phone: settings.BusinessPhone, Email: settings.BusinessEmail, TaxID: settings.TaxID,
		CurrencyCode: settings.CurrencyCode, CurrencySymbol: settings.CurrencySymbol,
		InvoiceFooter: settings.InvoiceFooter}

	err = q.QueryRowContext(ctx, `SELECT username FROM users WHERE id = ?`, d.Payment.ReceivedBy).Scan(&d.ReceivedBy)
	if err != nil {
		return d, fmt.Errorf("get login %d that received payment %d: %w", d.Payment.ReceivedBy, d.Payment.ID, err)
	}
	d.Lines, err = invoiceLines(ctx, q, d.Payment.ID)
	return d, err
}

func invoiceLines(ctx context.Context, q queryer, paymentID int64) ([]InvoiceLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT pe.id, pe.starts_on, pe.ends_on, a.amount
		FROM payment_allocations a JOIN periods pe ON pe.id = a.period_id
		WHERE a.payment_id = ? ORDER BY pe.starts_on, pe.id`, paymentID)
	if err != nil {
		return nil, fmt.Errorf("list periods of payment %d: %w", paymentID, err)
	}
	defer rows.Close()

	var lines []InvoiceLine
	for rows.Next() {
		var l InvoiceLine
		var start, end string
		if err := rows.Scan(&l.PeriodID, &start, &end, &l.Amount); err != nil {
			return nil, fmt.Errorf("list periods of payment %d: %w", paymentID, err)
		}
		if err := parseDateRange(start, end, &l.Start, &l.End); err != nil {
			return nil, err
		}
		lines = append(lines, l)
	}
	return lines, rows.Err()
}
