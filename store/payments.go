package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Payment modes, stored as these values.
const (
	ModeCash   = "cash"
	ModeOnline = "online"
)

// Errors of RecordPayment, for callers that branch on the cause. Amount
// errors wrap billing.ErrNothingDue, billing.ErrBelowMinimum or
// billing.ErrAboveDue, and malformed references wrap
// billing.ErrInvalidReference.
var (
	// ErrDuplicateReference means another online payment already has the
	// reference, compared without regard to case.
	ErrDuplicateReference = message.NewError("payment reference already used")
	// ErrInvalidMode means the mode is neither cash nor online.
	ErrInvalidMode = message.NewError("invalid payment mode")
	// ErrRequestKeyConflict means the request key belongs to a payment of
	// another customer or service, so it cannot be a repeated submit of the
	// same form.
	ErrRequestKeyConflict = message.NewError("request key belongs to another payment")
)

// Payment is one amount received from a customer for one connection.
type Payment struct {
	ID           int64
	CustomerCRF  int64
	ConnectionID int64
	Service      billing.Service
	Amount       billing.Money
	Mode         string // ModeCash or ModeOnline
	Reference    string // upper-cased online reference, empty for cash
	ReceivedAt   time.Time
	ReceivedBy   int64 // id of the admin or customer login that recorded it
	RequestKey   string
}

const paymentColumns = `p.id, p.customer_crf, p.connection_id, c.service, p.amount, p.mode,
	COALESCE(p.reference, ''), p.received_at, p.received_by, p.request_key`

const paymentFrom = ` FROM payments p JOIN connections c ON c.id = p.connection_id `

func scanPayment(row interface{ Scan(...any) error }) (Payment, error) {
	var p Payment
	var at string
	err := row.Scan(&p.ID, &p.CustomerCRF, &p.ConnectionID, &p.Service, &p.Amount, &p.Mode,
		&p.Reference, &at, &p.ReceivedBy, &p.RequestKey)
	if err != nil {
		return p, err
	}
	p.ReceivedAt, err = parseTime(at)
	return p, err
}

func getPayment(ctx context.Context, q queryer, id int64) (Payment, error) {
	p, err := scanPayment(q.QueryRowContext(ctx, `SELECT `+paymentColumns+paymentFrom+`WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, message.WithCause(ErrNotFound, "payment {{.ID}} was not found", "ID", id)
	}
	if err != nil {
		return p, fmt.Errorf("get payment %d: %w", id, err)
	}
	return p, nil
}

// RecordPaymentParams describe a payment as submitted from one payment
// form.
type RecordPaymentParams struct {
	CRF     int64
	Service billing.Service
	Amount  billing.Money
	Mode    string
	// Reference is the online payment reference as typed. It is checked
	// with billing.CheckReference and stored upper-cased. Cash payments
	// have none.
	Reference string
	// RequestKey identifies the form. A second submit with the same key
	// returns the first payment instead of recording another.
	RequestKey string
	// ReceivedBy is the id of the login that records the payment: the
	// admin for the office, the customer for an online payment at the
	// kiosk.
	ReceivedBy int64
	Clock      JobClock
	Actor      string
	// InvoiceEmail, when set, composes the invoice email once the invoice
	// number is known. It is called only for a customer with an email
	// address, and the message is queued in the payment's transaction.
	InvoiceEmail func(InvoiceDetails) (OutboxMessage, error)
}

// PaymentResult is a recorded payment and its invoice.
type PaymentResult struct {
	Payment Payment
	Invoice Invoice
	// Duplicate reports that the request key was already used, so Payment
	// and Invoice are those of the first submit and nothing was recorded.
	Duplicate bool
	// EmailQueued reports whether the invoice email is in the outbox.
	EmailQueued bool
}

// RecordPayment records a payment in one immediate transaction. The
// transaction writes the payment row and its allocation over the
// connection's due and partial periods, oldest first. It then recomputes the
// connection's expiry and status, issues the invoice with the next number of
// the local year, queues the invoice email and writes an audit row. The
// amount due is read inside the transaction, so two payments racing for the
// same debt cannot both be accepted. A request key that was already used
// returns the first result with Duplicate set.
func (s *Store) RecordPayment(ctx context.Context, p RecordPaymentParams) (PaymentResult, error) {
	if p.RequestKey == "" {
		return PaymentResult{}, fmt.Errorf("record payment for customer %d: the request key is empty; "+
			"give every payment form its own key", p.CRF)
	}
	var res PaymentResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var found bool
		var err error
		res, found, err = paymentByRequestKey(ctx, tx, p)
		if err != nil || found {
			return err
		}
		res, err = recordPayment(ctx, tx, p)
		return err
	})
	return res, err
}

func recordPayment(ctx context.Context, tx *sql.Tx, p RecordPaymentParams) (PaymentResult, error) {
	conn, err := connectionOfService(ctx, tx, p.CRF, p.Service)
	if err != nil {
		return PaymentResult{}, err
	}
	// A period that started today is owed even when the daily billing run
	// has not reached it yet.
	if _, err := billScheduled(ctx, tx, p.Clock, conn.ID); err != nil {
		return PaymentResult{}, err
	}
	open, err := queryPeriods(ctx, tx, `p.connection_id = ? AND p.state IN ('due', 'partial')`, conn.ID)
	if err != nil {
		return PaymentResult{}, err
	}
	reference, err := checkPayment(ctx, tx, p, open)
	if err != nil {
		return PaymentResult{}, err
	}

	pay, err := insertPayment(ctx, tx, p, conn, reference)
	if err != nil {
		return PaymentResult{}, err
	}
	if err := allocatePayment(ctx, tx, pay, open); err != nil {
		return PaymentResult{}, err
	}
	if err := refreshConnection(ctx, tx, conn.ID, p.Clock, p.Actor); err != nil {
		return PaymentResult{}, err
	}
	inv, err := issueInvoice(ctx, tx, pay, p.Clock)
	if err != nil {
		return PaymentResult{}, err
	}
	queued, err := queueInvoiceEmail(ctx, tx, inv, p)
	if err != nil {
		return PaymentResult{}, err
	}
	err = insertAudit(ctx, tx, AuditEntry{At: p.Clock.Now, Actor: p.Actor, Action: "payment.record",
		Entity: "payment", EntityID: strconv.FormatInt(pay.ID, 10),
		Details: fmt.Sprintf("customer %d, %s, %s %s, invoice %s, balance %s, expiry %s", p.CRF, p.Service,
			pay.Amount.Plain(), pay.Mode, inv.Number, inv.BalanceAfter.Plain(), inv.NewExpiry)})
	if err != nil {
		return PaymentResult{}, err
	}
	return PaymentResult{Payment: pay, Invoice: inv, EmailQueued: queued}, nil
}

// paymentByRequestKey returns the payment already recorded with the
// request key of p, with its invoice.
func paymentByRequestKey(ctx context.Context, tx *sql.Tx, p RecordPaymentParams) (PaymentResult, bool, error) {
	pay, err := scanPayment(tx.QueryRowContext(ctx, `SELECT `+paymentColumns+paymentFrom+
		`WHERE p.request_key = ?`, p.RequestKey))
	if errors.Is(err, sql.ErrNoRows) {
		return PaymentResult{}, false, nil
	}
	if err != nil {
		return PaymentResult{}, false, fmt.Errorf("look up payment request key: %w", err)
	}
	if pay.CustomerCRF != p.CRF || pay.Service != p.Service {
		return PaymentResult{}, false, fmt.Errorf("record payment for customer %d: %w", p.CRF,
			message.WithCause(ErrRequestKeyConflict, "this payment form was already used for another payment; "+
				"reopen the payment form"))
	}

	inv, err := getInvoiceWhere(ctx, tx, `payment_id = ?`, pay.ID)
	if err != nil {
		return PaymentResult{}, false, err
	}
	var queued int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE invoice_id = ?`, inv.ID).Scan(&queued)
	if err != nil {
		return PaymentResult{}, false, fmt.Errorf("look up email of invoice %s: %w", inv.Number, err)
	}
	return PaymentResult{Payment: pay, Invoice: inv, Duplicate: true, EmailQueued: queued > 0}, true, nil
}

func connectionOfService(ctx context.Context, q queryer, crf int64, service billing.Service) (Connection, error) {
	c, err := scanConnection(q.QueryRowContext(ctx, `SELECT `+connectionColumns+connectionFrom+
		`WHERE c.customer_crf = ? AND c.service = ?`, crf, service))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%s connection of customer %d: %w", service, crf, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("get %s connection of customer %d: %w", service, crf, err)
	}
	return c, nil
}

// checkPayment checks the mode, the amount against the due read in the
// transaction and, for an online payment, the reference. It returns the
// reference to store, upper-cased, or "" for cash.
func checkPayment(ctx context.Context, tx *sql.Tx, p RecordPaymentParams, open []PeriodRow) (string, error) {
	if p.Mode != ModeCash && p.Mode != ModeOnline {
		return "", message.WithCause(ErrInvalidMode, "invalid payment mode {{.Mode}}: use {{.Cash}} or {{.Online}}",
			"Mode", strconv.Quote(p.Mode), "Cash", strconv.Quote(ModeCash), "Online", strconv.Quote(ModeOnline))
	}
	settings, err := loadSettings(ctx, tx)
	if err != nil {
		return "", err
	}
	var due billing.Money
	for _, period := range open {
		due += period.Due()
	}
	err = billing.CheckPaymentAmount(p.Amount, due, settings.MinimumPayment, settings.CurrencySymbol)
	if err != nil {
		return "", err
	}

	if p.Mode == ModeCash {
		return "", nil
	}
	reference, err := billing.CheckReference(p.Reference)
	if err != nil {
		return "", err
	}
	reference = strings.ToUpper(reference)
	return reference, checkReferenceFree(ctx, tx, reference)
}

// checkReferenceFree returns ErrDuplicateReference when an online payment
// already has reference, which is upper-cased like every stored one.
func checkReferenceFree(ctx context.Context, tx *sql.Tx, reference string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payments WHERE mode = 'online' AND reference = ?`,
		reference).Scan(&n)
	if err != nil {
		return fmt.Errorf("check payment reference %s: %w", reference, err)
	}
	if n > 0 {
		return message.Wrap(ErrDuplicateReference, "the reference {{.Reference}} was already used for another online "+
			"payment; check the reference and type it again", "Reference", strconv.Quote(reference))
	}
	return nil
}

func insertPayment(ctx context.Context, tx *sql.Tx, p RecordPaymentParams, conn Connection, reference string) (Payment, error) {
	pay := Payment{CustomerCRF: p.CRF, ConnectionID: conn.ID, Service: conn.Service, Amount: p.Amount,
		Mode: p.Mode, Reference: reference, ReceivedAt: p.Clock.Now.UTC().Truncate(time.Millisecond),
		ReceivedBy: p.ReceivedBy, RequestKey: p.RequestKey}
	var storedReference any
	if reference != "" {
		storedReference = reference
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO payments (customer_crf, connection_id, amount, mode,
		reference, received_at, received_by, request_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		pay.CustomerCRF, pay.ConnectionID, pay.Amount, pay.Mode, storedReference,
		formatTime(pay.ReceivedAt), pay.ReceivedBy, pay.RequestKey)
	if err != nil {
		return pay, fmt.Errorf("insert payment of customer %d: %w", p.CRF, err)
	}
	pay.ID, err = res.LastInsertId()
	return pay, err
}

// allocatePayment spreads the payment over the open periods oldest first,
// updating each period and writing one payment_allocations row per period.
func allocatePayment(ctx context.Context, tx *sql.Tx, pay Payment, open []PeriodRow) error {
	periods := make([]billing.OpenPeriod, len(open))
	for i, p := range open {
		periods[i] = billing.OpenPeriod{ID: p.ID, Start: p.Start, Amount: p.Amount, Paid: p.Paid}
	}
	allocations, err := billing.Allocate(pay.Amount, periods)
	if err != nil {
		return err
	}

	for _, a := range allocations {
		res, err := tx.ExecContext(ctx, `UPDATE periods SET paid = paid + ?, state = ?
			WHERE id = ? AND state IN ('due', 'partial')`, a.Amount, a.State, a.ID)
		if err := requireOneRow(res, err, "pay period", a.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO payment_allocations (payment_id, period_id, amount)
			VALUES (?, ?, ?)`, pay.ID, a.ID, a.Amount)
		if err != nil {
			return fmt.Errorf("allocate payment %d to period %d: %w", pay.ID, a.ID, err)
		}
	}
	return nil
}

// Bill is one payment on the Bills screen, with its invoice.
type Bill struct {
	PaymentID     int64
	ConnectionID  int64
	Service       billing.Service
	Amount        billing.Money
	Mode          string
	Reference     string // empty for cash
	ReceivedAt    time.Time
	InvoiceID     int64
	InvoiceNumber string
}

// PaymentsOfCustomerInMonth returns a customer's payments received in one
// calendar month of loc, oldest first, each with its invoice.
func (s *Store) PaymentsOfCustomerInMonth(ctx context.Context, crf int64, year int, month time.Month, loc *time.Location) ([]Bill, error) {
	from := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 1, 0)
	rows, err := s.ro.QueryContext(ctx, `SELECT p.id, p.connection_id, c.service, p.amount, p.mode,
			COALESCE(p.reference, ''), p.received_at, i.id, i.number
		FROM payments p
		JOIN connections c ON c.id = p.connection_id
		JOIN invoices i ON i.payment_id = p.id
		WHERE p.customer_crf = ? AND p.received_at >= ? AND p.received_at < ?
		ORDER BY p.received_at, p.id`, crf, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("list payments of customer %d in %d-%02d: %w", crf, year, month, err)
	}
	defer rows.Close()

	var out []Bill
	for rows.Next() {
		var b Bill
		var at string
		err := rows.Scan(&b.PaymentID, &b.ConnectionID, &b.Service, &b.Amount, &b.Mode, &b.Reference,
			&at, &b.InvoiceID, &b.InvoiceNumber)
		if err != nil {
			return nil, fmt.Errorf("list payments of customer %d in %d-%02d: %w", crf, year, month, err)
		}
		if b.ReceivedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
