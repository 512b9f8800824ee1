package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// paymentFixture is a store with an admin and one customer whose cable TV,
// activated on 1 Nov 2026 at ₹300.00 a month, owes November and December
// on 4 Dec 2026.
type paymentFixture struct {
	t       *testing.T
	ctx     context.Context
	store   *Store
	clock   JobClock
	adminID int64
	crf     int64
}

func newPaymentFixture(t *testing.T) *paymentFixture {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ctvms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })

	now := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	f := &paymentFixture{t: t, ctx: ctx, store: s,
		clock: JobClock{Now: now, Today: billing.DateOf(now), GraceDays: billing.DefaultGraceDays}}
	if err := s.CompleteSetup(ctx, SetupParams{Username: "admin", PasswordHash: "x",
		Settings: DefaultSettings(), Now: now}); err != nil {
		t.Fatal(err)
	}
	admin, err := s.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	f.adminID = admin.ID
	plan, err := s.CreatePlan(ctx, PlanParams{Service: billing.ServiceCableTV, Name: "Gold 300", Price: 30000,
		Active: true}, billing.NewDate(2026, time.January, 1), "admin", now)
	if err != nil {
		t.Fatal(err)
	}
	f.crf, err = s.CreateCustomer(ctx, CreateCustomerParams{Customer: CustomerParams{Name: "Asha Rao",
		Mobile: "9876543210", Email: "asha@example.com"}, PasswordHash: "x", Actor: "admin", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Connect(ctx, ConnectParams{CRF: f.crf, Service: billing.ServiceCableTV, PlanID: plan,
		ActivatedOn: billing.NewDate(2026, time.November, 1), Clock: f.clock, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *paymentFixture) params(key string, amount billing.Money) RecordPaymentParams {
	return RecordPaymentParams{CRF: f.crf, Service: billing.ServiceCableTV, Amount: amount, Mode: ModeCash,
		RequestKey: key, ReceivedBy: f.adminID, Clock: f.clock, Actor: "admin",
		InvoiceEmail: func(d InvoiceDetails) (OutboxMessage, error) {
			return OutboxMessage{Kind: "invoice", Recipient: d.Customer.Email, Subject: d.Invoice.Number}, nil
		}}
}

func (f *paymentFixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.store.ro.QueryRowContext(f.ctx, query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestRecordPaymentDetails(t *testing.T) {
	f := newPaymentFixture(t)
	res, err := f.store.RecordPayment(f.ctx, f.params("form-1", 45000))
	if err != nil {
		t.Fatal(err)
	}

	d, err := f.store.InvoiceDocumentData(f.ctx, res.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []InvoiceLine{
		{Start: billing.NewDate(2026, time.November, 1), End: billing.NewDate(2026, time.November, 30), Amount: 30000},
		{Start: billing.NewDate(2026, time.December, 1), End: billing.NewDate(2026, time.December, 31), Amount: 15000},
	}
	if len(d.Lines) != len(want) {
		t.Fatalf("invoice lines = %+v, want %+v", d.Lines, want)
	}
	for i, l := range d.Lines {
		if l.Start != want[i].Start || l.End != want[i].End || l.Amount != want[i].Amount {
			t.Errorf("line %d = %+v, want %+v", i, l, want[i])
		}
	}
	if d.Invoice.Number != "INV-2026-000001" {
		t.Errorf("invoice number = %s, want INV-2026-000001", d.Invoice.Number)
	}
	if d.Invoice.BalanceAfter != 15000 {
		t.Errorf("balance after = %s, want 150.00", d.Invoice.BalanceAfter.Plain())
	}
	if d.Invoice.PlanName != "Gold 300" {
		t.Errorf("plan name = %q, want Gold 300", d.Invoice.PlanName)
	}
	if d.ReceivedBy != "admin" {
		t.Errorf("received by = %q, want admin", d.ReceivedBy)
	}
	if d.Business.CurrencySymbol != "₹" {
		t.Errorf("currency symbol = %q, want ₹", d.Business.CurrencySymbol)
	}
	if d.Customer.Name != "Asha Rao" {
		t.Errorf("customer = %q, want Asha Rao", d.Customer.Name)
	}
	if !res.EmailQueued {
		t.Error("no invoice email queued")
	}
	if n := f.count(`SELECT COUNT(*) FROM outbox WHERE kind = 'invoice' AND invoice_id = ?`, res.Invoice.ID); n != 1 {
		t.Errorf("%d invoice emails with the invoice id, want 1", n)
	}
}

func TestRecordPaymentRollsBackOnEmailError(t *testing.T) {
	f := newPaymentFixture(t)
	p := f.params("form-1", 30000)
	p.InvoiceEmail = func(InvoiceDetails) (OutboxMessage, error) {
		return OutboxMessage{}, errors.New("template broken")
	}
	if _, err := f.store.RecordPayment(f.ctx, p); err == nil {
		t.Fatal("payment recorded although its email failed")
	}

	for _, table := range []string{"payments", "payment_allocations", "invoices"} {
		if n := f.count(`SELECT COUNT(*) FROM ` + table); n != 0 {
			t.Errorf("%s has %d rows after the rollback, want 0", table, n)
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM periods WHERE paid > 0`); n != 0 {
		t.Errorf("%d periods are paid after the rollback, want 0", n)
	}

	res, err := f.store.RecordPayment(f.ctx, f.params("form-2", 30000))
	if err != nil {
		t.Fatal(err)
	}
	if res.Invoice.Number != "INV-2026-000001" {
		t.Errorf("invoice after the rollback = %s, want INV-2026-000001", res.Invoice.Number)
	}
}

func TestRecordPaymentRequestKeyRequired(t *testing.T) {
	f := newPaymentFixture(t)
	if _, err := f.store.RecordPayment(f.ctx, f.params("", 30000)); err == nil {
		t.Fatal("payment without a request key recorded")
	}
	if n := f.count(`SELECT COUNT(*) FROM payments`); n != 0 {
		t.Errorf("%d payments recorded, want 0", n)
	}
}

func TestRecordPaymentDuplicateKeepsEmailFlag(t *testing.T) {
	f := newPaymentFixture(t)
	first, err := f.store.RecordPayment(f.ctx, f.params("form-1", 30000))
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.store.RecordPayment(f.ctx, f.params("form-1", 30000))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate {
		t.Error("second submit not marked as a duplicate")
	}
	if again.Invoice.ID != first.Invoice.ID {
		t.Errorf("second submit returned invoice %d, want %d", again.Invoice.ID, first.Invoice.ID)
	}
	if !again.EmailQueued {
		t.Error("second submit reports no email although the first queued one")
	}
	if n := f.count(`SELECT COUNT(*) FROM outbox WHERE kind = 'invoice'`); n != 1 {
		t.Errorf("%d invoice emails queued, want 1", n)
	}
}

func TestSetInvoicePDFPath(t *testing.T) {
	f := newPaymentFixture(t)
	res, err := f.store.RecordPayment(f.ctx, f.params("form-1", 30000))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetInvoicePDFPath(f.ctx, res.Invoice.ID, "/data/invoices/2026/INV-2026-000001.pdf"); err != nil {
		t.Fatal(err)
	}
	inv, err := f.store.Invoice(f.ctx, res.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.PDFPath != "/data/invoices/2026/INV-2026-000001.pdf" {
		t.Errorf("PDF path = %q, want the path set", inv.PDFPath)
	}
	if err := f.store.SetInvoicePDFPath(f.ctx, 999, "x.pdf"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown invoice: error = %v, want ErrNotFound", err)
	}
}
