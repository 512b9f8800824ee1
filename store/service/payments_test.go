package service

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// payEnv is a test environment with a ₹300 cable TV plan. Its clock starts
// on 4 Dec 2026, like newEnv's.
type payEnv struct {
	*env
	plan int64
}

func newPayEnv(t *testing.T) *payEnv {
	t.Helper()
	e := newEnv(t)
	return &payEnv{env: e, plan: e.addPlan(billing.ServiceCableTV, "Gold 300", "300")}
}

// dueCustomer adds a customer with cable TV activated on 1 Nov 2026, so
// November and December are due: ₹600.00 in all.
func (e *payEnv) dueCustomer(name string) NewCustomer {
	e.t.Helper()
	nc := e.addCustomer(name)
	e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))
	return nc
}

// requestKey returns the key of a new payment form for crf.
func (e *payEnv) requestKey(crf int64) string {
	e.t.Helper()
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, crf, billing.ServiceCableTV)
	if err != nil {
		e.t.Fatalf("quote customer %d: %v", crf, err)
	}
	return q.RequestKey
}

// cashInput is a cash payment of amount for crf's cable TV, from a new form.
func (e *payEnv) cashInput(crf int64, amount string) PaymentInput {
	return PaymentInput{CRF: crf, Service: billing.ServiceCableTV, Amount: amount, Mode: store.ModeCash,
		RequestKey: e.requestKey(crf)}
}

func (e *payEnv) collect(crf int64, amount string) Receipt {
	e.t.Helper()
	r, err := e.svc.CollectPayment(e.ctx, e.admin, e.cashInput(crf, amount))
	if err != nil {
		e.t.Fatalf("collect %s from customer %d: %v", amount, crf, err)
	}
	return r
}

// invoiceEmails returns the queued invoice emails of crf.
func (e *payEnv) invoiceEmails(crf int64) []store.OutboxMessage {
	e.t.Helper()
	all, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []store.OutboxMessage
	for _, m := range all {
		if m.Kind == string(mailer.KindInvoice) && m.CustomerCRF == crf {
			out = append(out, m)
		}
	}
	return out
}

func (e *payEnv) bills(crf int64, year int, month time.Month) []store.Bill {
	e.t.Helper()
	bills, err := e.svc.BillsOfMonth(e.ctx, e.admin, crf, year, month)
	if err != nil {
		e.t.Fatal(err)
	}
	return bills
}

func TestPaymentQuote(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	customer := e.loginCustomer(nc)

	tests := []struct {
		name      string
		sess      Session
		wantModes []string
	}{
		{"admin", e.admin, []string{store.ModeCash, store.ModeOnline}},
		{"customer", customer, []string{store.ModeOnline}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := e.svc.PaymentQuote(e.ctx, tt.sess, nc.CRF, billing.ServiceCableTV)
			if err != nil {
				t.Fatal(err)
			}
			if q.AmountDue != 60000 {
				t.Errorf("amount due = %s, want 600.00", q.AmountDue.Plain())
			}
			if want := []string{"Nov 2026", "Dec 2026"}; !slices.Equal(q.MonthsPending, want) {
				t.Errorf("months pending = %v, want %v", q.MonthsPending, want)
			}
			if q.MinimumAmount != 25000 {
				t.Errorf("minimum amount = %s, want 250.00", q.MinimumAmount.Plain())
			}
			if q.CurrencySymbol != "₹" {
				t.Errorf("currency symbol = %q, want ₹", q.CurrencySymbol)
			}
			if !slices.Equal(q.Modes, tt.wantModes) {
				t.Errorf("modes = %v, want %v", q.Modes, tt.wantModes)
			}
			if len(q.RequestKey) != 32 {
				t.Errorf("request key %q has %d characters, want 32", q.RequestKey, len(q.RequestKey))
			}
		})
	}

	if a, b := e.requestKey(nc.CRF), e.requestKey(nc.CRF); a == b {
		t.Errorf("two forms got the same request key %q", a)
	}
}

func TestQuoteMinimumIsDueWhenDueIsSmaller(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	e.collect(nc.CRF, "550")

	q, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	if q.AmountDue != 5000 {
		t.Errorf("amount due = %s, want 50.00", q.AmountDue.Plain())
	}
	if q.MinimumAmount != 5000 {
		t.Errorf("minimum amount = %s, want 50.00", q.MinimumAmount.Plain())
	}
	if want := []string{"Dec 2026"}; !slices.Equal(q.MonthsPending, want) {
		t.Errorf("months pending = %v, want %v", q.MonthsPending, want)
	}
}

func TestConcurrentPaymentsOfManyCustomers(t *testing.T) {
	e := newPayEnv(t)
	const n = 20
	inputs := make([]PaymentInput, n)
	for i := range inputs {
		nc := e.dueCustomer(fmt.Sprintf("Customer %02d", i))
		inputs[i] = e.cashInput(nc.CRF, "600")
	}

	receipts := make([]Receipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			receipts[i], errs[i] = e.svc.CollectPayment(e.ctx, e.admin, inputs[i])
		}()
	}
	wg.Wait()

	var numbers []string
	for i, err := range errs {
		if err != nil {
			t.Errorf("payment %d: %v", i, err)
			continue
		}
		numbers = append(numbers, receipts[i].Invoice.Number)
	}
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := fmt.Sprintf("INV-2026-%06d", i+1); got != want {
			t.Errorf("invoice number %d = %s, want %s (all: %v)", i, got, want, numbers)
			break
		}
	}
	if len(numbers) != n {
		t.Errorf("%d payments succeeded, want %d", len(numbers), n)
	}
}

func TestConcurrentFullPaymentsOfOneCustomer(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	inputs := []PaymentInput{e.cashInput(nc.CRF, "600"), e.cashInput(nc.CRF, "600")}

	errs := make([]error, len(inputs))
	var wg sync.WaitGroup
	for i := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.CollectPayment(e.ctx, e.admin, inputs[i])
		}()
	}
	wg.Wait()

	var succeeded, nothingDue int
	for _, err := range errs {
		switch {
		case err == nil:
			succeeded++
		case errors.Is(err, billing.ErrNothingDue):
			nothingDue++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if succeeded != 1 {
		t.Errorf("%d payments succeeded, want 1", succeeded)
	}
	if nothingDue != 1 {
		t.Errorf("%d payments failed with nothing due, want 1", nothingDue)
	}
	if bills := e.bills(nc.CRF, 2026, time.December); len(bills) != 1 {
		t.Errorf("%d payments recorded, want 1", len(bills))
	}
}

func TestRepeatedSubmitRecordsOnePayment(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	in := e.cashInput(nc.CRF, "300")

	first, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if err != nil {
		t.Fatalf("second submit: %v", err)
	}

	if first.Duplicate {
		t.Error("first submit is marked as a duplicate")
	}
	if !second.Duplicate {
		t.Error("second submit is not marked as a duplicate")
	}
	if second.Invoice.Number != first.Invoice.Number {
		t.Errorf("second submit returned invoice %s, want %s", second.Invoice.Number, first.Invoice.Number)
	}
	if second.Payment.ID != first.Payment.ID {
		t.Errorf("second submit returned payment %d, want %d", second.Payment.ID, first.Payment.ID)
	}
	if second.PDFPath != first.PDFPath {
		t.Errorf("second submit returned PDF %q, want %q", second.PDFPath, first.PDFPath)
	}
	if bills := e.bills(nc.CRF, 2026, time.December); len(bills) != 1 {
		t.Errorf("%d payments recorded, want 1", len(bills))
	}
	if emails := e.invoiceEmails(nc.CRF); len(emails) != 1 {
		t.Errorf("%d invoice emails queued, want 1", len(emails))
	}
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	if q.AmountDue != 30000 {
		t.Errorf("amount due after one payment of 300.00 = %s, want 300.00", q.AmountDue.Plain())
	}
}

func TestRequestKeyOfAnotherCustomerRejected(t *testing.T) {
	e := newPayEnv(t)
	asha := e.dueCustomer("Asha Rao")
	ravi := e.dueCustomer("Ravi Kumar")
	in := e.cashInput(asha.CRF, "300")
	if _, err := e.svc.CollectPayment(e.ctx, e.admin, in); err != nil {
		t.Fatal(err)
	}

	in.CRF = ravi.CRF
	_, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if !errors.Is(err, store.ErrRequestKeyConflict) {
		t.Fatalf("error = %v, want ErrRequestKeyConflict", err)
	}
	if bills := e.bills(ravi.CRF, 2026, time.December); len(bills) != 0 {
		t.Errorf("%d payments recorded for the second customer, want 0", len(bills))
	}
}

func TestMissingRequestKeyRejected(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	for _, key := range []string{"", strings.Repeat("k", 65), "key\nwith newline"} {
		in := e.cashInput(nc.CRF, "300")
		in.RequestKey = key
		if _, err := e.svc.CollectPayment(e.ctx, e.admin, in); !errors.Is(err, ErrMissingRequestKey) {
			t.Errorf("request key %q: error = %v, want ErrMissingRequestKey", key, err)
		}
	}
}

func TestOnlineReferenceReused(t *testing.T) {
	tests := []struct {
		name        string
		first, then string
	}{
		{"same text", "ABC123", "ABC123"},
		{"other case", "abc123", "ABC123"},
		{"surrounding spaces", "UPI4827361950", "  upi4827361950 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPayEnv(t)
			asha := e.dueCustomer("Asha Rao")
			ravi := e.dueCustomer("Ravi Kumar")
			first := e.cashInput(asha.CRF, "300")
			first.Mode, first.Reference = store.ModeOnline, tt.first
			if _, err := e.svc.CollectPayment(e.ctx, e.admin, first); err != nil {
				t.Fatal(err)
			}

			then := e.cashInput(ravi.CRF, "300")
			then.Mode, then.Reference = store.ModeOnline, tt.then
			_, err := e.svc.CollectPayment(e.ctx, e.admin, then)
			if !errors.Is(err, store.ErrDuplicateReference) {
				t.Fatalf("error = %v, want ErrDuplicateReference", err)
			}
			fields, ok := AsFieldErrors(err)
			if !ok {
				t.Fatalf("error %v has no field errors", err)
			}
			if msg := fields.For("reference"); !strings.Contains(msg, strings.ToUpper(tt.first)) {
				t.Errorf("reference message %q does not name %s", msg, strings.ToUpper(tt.first))
			}
			if bills := e.bills(ravi.CRF, 2026, time.December); len(bills) != 0 {
				t.Errorf("%d payments recorded for the second customer, want 0", len(bills))
			}
		})
	}
}

func TestOnlineReferenceStoredUpperCase(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	in := e.cashInput(nc.CRF, "300")
	in.Mode, in.Reference = store.ModeOnline, " upi48273a "
	r, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Payment.Reference != "UPI48273A" {
		t.Errorf("stored reference = %q, want UPI48273A", r.Payment.Reference)
	}
}

func TestPaymentInputRejected(t *testing.T) {
	e := newPayEnv(t)
	due := e.dueCustomer("Asha Rao") // owes ₹600.00
	small := e.addCustomer("Ravi Kumar")
	cheap := e.addPlan(billing.ServiceCableTV, "Basic 200", "200")
	e.connect(small.CRF, billing.ServiceCableTV, cheap, billing.NewDate(2026, time.December, 1)) // owes ₹200.00

	tests := []struct {
		name      string
		crf       int64
		amount    string
		mode      string
		reference string
		field     string
		cause     error
		mention   string
	}{
		{"below minimum", due.CRF, "100", store.ModeCash, "", "amount", billing.ErrBelowMinimum, "₹250.00"},
		{"below a due smaller than minimum", small.CRF, "150", store.ModeCash, "", "amount", billing.ErrBelowMinimum, "₹200.00"},
		{"above due", due.CRF, "600.01", store.ModeCash, "", "amount", billing.ErrAboveDue, "₹600.00"},
		{"letters", due.CRF, "abc", store.ModeCash, "", "amount", billing.ErrInvalidAmount, `"abc"`},
		{"negative", due.CRF, "-5", store.ModeCash, "", "amount", billing.ErrInvalidAmount, `"-5"`},
		{"exponent", due.CRF, "1e3", store.ModeCash, "", "amount", billing.ErrInvalidAmount, `"1e3"`},
		{"empty amount", due.CRF, "", store.ModeCash, "", "amount", billing.ErrInvalidAmount, "empty"},
		{"short reference", due.CRF, "300", store.ModeOnline, "AB12", "reference", billing.ErrInvalidReference, "6 to 30"},
		{"missing reference", due.CRF, "300", store.ModeOnline, "", "reference", billing.ErrInvalidReference, "empty"},
		{"reference with symbols", due.CRF, "300", store.ModeOnline, "UPI-123456", "reference", billing.ErrInvalidReference, `"UPI-123456"`},
		{"reference on cash", due.CRF, "300", store.ModeCash, "ABC123", "reference", nil, "cash"},
		{"unknown mode", due.CRF, "300", "cheque", "", "mode", store.ErrInvalidMode, "Cash or Online"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := PaymentInput{CRF: tt.crf, Service: billing.ServiceCableTV, Amount: tt.amount, Mode: tt.mode,
				Reference: tt.reference, RequestKey: e.requestKey(tt.crf)}
			_, err := e.svc.CollectPayment(e.ctx, e.admin, in)
			if err == nil {
				t.Fatal("payment accepted")
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("error = %v, want one wrapping %v", err, tt.cause)
			}
			fields, ok := AsFieldErrors(err)
			if !ok {
				t.Fatalf("error %v has no field errors", err)
			}
			msg := fields.For(tt.field)
			if !strings.Contains(msg, tt.mention) {
				t.Errorf("%s message %q does not contain %q", tt.field, msg, tt.mention)
			}
		})
	}

	if bills := e.bills(due.CRF, 2026, time.December); len(bills) != 0 {
		t.Errorf("%d payments recorded, want 0", len(bills))
	}
}

func TestPaymentAllocatesOldestFirst(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")

	steps := []struct {
		amount      string
		wantPaid    [2]billing.Money // November, December
		wantStates  [2]billing.PeriodState
		wantExpiry  billing.Date
		wantStatus  billing.Status
		wantBalance billing.Money
	}{
		{"250", [2]billing.Money{25000, 0}, [2]billing.PeriodState{billing.StatePartial, billing.StateDue},
			billing.NewDate(2026, time.October, 31), billing.StatusInactive, 35000},
		{"300", [2]billing.Money{30000, 25000}, [2]billing.PeriodState{billing.StatePaid, billing.StatePartial},
			billing.NewDate(2026, time.November, 30), billing.StatusInactive, 5000},
		{"50", [2]billing.Money{30000, 30000}, [2]billing.PeriodState{billing.StatePaid, billing.StatePaid},
			billing.NewDate(2026, time.December, 31), billing.StatusActive, 0},
	}
	for _, step := range steps {
		r := e.collect(nc.CRF, step.amount)

		periods, err := e.store.PeriodsOfYear(e.ctx, nc.CRF, 2026)
		if err != nil {
			t.Fatal(err)
		}
		for i, month := range []time.Month{time.November, time.December} {
			p := periodIn(t, periods, month)
			if p.Paid != step.wantPaid[i] || p.State != step.wantStates[i] {
				t.Errorf("after paying %s: %s period paid %s (%s), want %s (%s)", step.amount, month,
					p.Paid.Plain(), p.State, step.wantPaid[i].Plain(), step.wantStates[i])
			}
		}
		conn := cableConnection(t, e.env, nc.CRF)
		if conn.ExpiresOn != step.wantExpiry {
			t.Errorf("after paying %s: expiry %s, want %s", step.amount, conn.ExpiresOn, step.wantExpiry)
		}
		if conn.Status != step.wantStatus {
			t.Errorf("after paying %s: status %s, want %s", step.amount, conn.Status, step.wantStatus)
		}
		if r.Invoice.NewExpiry != step.wantExpiry {
			t.Errorf("after paying %s: invoice expiry %s, want %s", step.amount, r.Invoice.NewExpiry, step.wantExpiry)
		}
		if r.Invoice.BalanceAfter != step.wantBalance {
			t.Errorf("after paying %s: invoice balance %s, want %s", step.amount,
				r.Invoice.BalanceAfter.Plain(), step.wantBalance.Plain())
		}
	}
}

func periodIn(t *testing.T, periods []store.PeriodRow, month time.Month) store.PeriodRow {
	t.Helper()
	for _, p := range periods {
		if p.Month == month {
			return p
		}
	}
	t.Fatalf("no period starts in %s", month)
	return store.PeriodRow{}
}

func cableConnection(t *testing.T, e *env, crf int64) store.Connection {
	t.Helper()
	conns, err := e.store.Connections(e.ctx, crf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		if c.Service == billing.ServiceCableTV {
			return c
		}
	}
	t.Fatalf("customer %d has no cable TV connection", crf)
	return store.Connection{}
}

func TestPaymentAuditAndStatusChange(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	r := e.collect(nc.CRF, "600")

	entries, err := e.store.ListAudit(e.ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var payment, status bool
	for _, a := range entries {
		switch {
		case a.Action == "payment.record" && strings.Contains(a.Details, r.Invoice.Number):
			payment = true
		case a.Action == "connection.status" && strings.Contains(a.Details, "inactive → active"):
			status = true
		}
	}
	if !payment {
		t.Error("no payment.record audit row names the invoice")
	}
	if !status {
		t.Error("no connection.status audit row for inactive → active")
	}
}

func TestInvoiceNumbersRestartEachYear(t *testing.T) {
	e := newPayEnv(t)
	asha := e.dueCustomer("Asha Rao")
	ravi := e.dueCustomer("Ravi Kumar")
	e.collect(asha.CRF, "300")

	e.clock.Set(time.Date(2026, time.December, 31, 23, 59, 0, 0, testLocation))
	last := e.collect(ravi.CRF, "300")
	// 00:01 on 1 Jan in India is still 31 Dec in UTC.
	e.clock.Set(time.Date(2027, time.January, 1, 0, 1, 0, 0, testLocation))
	first := e.collect(ravi.CRF, "300")

	if last.Invoice.Number != "INV-2026-000002" {
		t.Errorf("invoice at 31 Dec 23:59 = %s, want INV-2026-000002", last.Invoice.Number)
	}
	if first.Invoice.Number != "INV-2027-000001" {
		t.Errorf("invoice at 1 Jan 00:01 = %s, want INV-2027-000001", first.Invoice.Number)
	}
}

func TestCustomerPaymentPermissions(t *testing.T) {
	e := newPayEnv(t)
	asha := e.dueCustomer("Asha Rao")
	ravi := e.dueCustomer("Ravi Kumar")
	ashaSess := e.loginCustomer(asha)
	raviInvoice := e.collect(ravi.CRF, "300").Invoice

	online := func(crf int64) PaymentInput {
		return PaymentInput{CRF: crf, Service: billing.ServiceCableTV, Amount: "300", Mode: store.ModeOnline,
			Reference: fmt.Sprintf("UPI%d", 1000000+crf), RequestKey: e.requestKey(crf)}
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"pay for another customer", func() error {
			_, err := e.svc.PayOnline(e.ctx, ashaSess, online(ravi.CRF))
			return err
		}},
		{"pay cash", func() error {
			in := online(asha.CRF)
			in.Mode, in.Reference = store.ModeCash, ""
			_, err := e.svc.PayOnline(e.ctx, ashaSess, in)
			return err
		}},
		{"collect as office", func() error {
			_, err := e.svc.CollectPayment(e.ctx, ashaSess, online(asha.CRF))
			return err
		}},
		{"quote another customer", func() error {
			_, err := e.svc.PaymentQuote(e.ctx, ashaSess, ravi.CRF, billing.ServiceCableTV)
			return err
		}},
		{"read another's invoice PDF", func() error {
			_, err := e.svc.InvoicePDF(e.ctx, ashaSess, raviInvoice.ID)
			return err
		}},
		{"read another's invoice", func() error {
			_, err := e.svc.InvoiceDetails(e.ctx, ashaSess, raviInvoice.ID)
			return err
		}},
		{"list another's bills", func() error {
			_, err := e.svc.BillsOfMonth(e.ctx, ashaSess, ravi.CRF, 2026, time.December)
			return err
		}},
		{"admin pays online as customer", func() error {
			_, err := e.svc.PayOnline(e.ctx, e.admin, online(asha.CRF))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrForbidden) {
				t.Errorf("error = %v, want ErrForbidden", err)
			}
		})
	}

	if bills := e.bills(asha.CRF, 2026, time.December); len(bills) != 0 {
		t.Errorf("%d payments recorded for the customer, want 0", len(bills))
	}
	if bills := e.bills(ravi.CRF, 2026, time.December); len(bills) != 1 {
		t.Errorf("%d payments recorded for the other customer, want 1", len(bills))
	}
}

func TestPayOnlineAsCustomer(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	sess := e.loginCustomer(nc)
	q, err := e.svc.PaymentQuote(e.ctx, sess, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}

	r, err := e.svc.PayOnline(e.ctx, sess, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "600.00", Reference: "UPI4827361950", RequestKey: q.RequestKey})
	if err != nil {
		t.Fatal(err)
	}
	if r.Payment.Mode != store.ModeOnline {
		t.Errorf("mode = %q, want online", r.Payment.Mode)
	}
	if r.Payment.ReceivedBy != sess.UserID {
		t.Errorf("received by user %d, want the customer's login %d", r.Payment.ReceivedBy, sess.UserID)
	}
	d, err := e.svc.InvoiceDetails(e.ctx, sess, r.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ReceivedBy != sess.Username {
		t.Errorf("invoice received by %q, want %q", d.ReceivedBy, sess.Username)
	}
}

func TestCollectPaymentRecordsAdmin(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")
	r := e.collect(nc.CRF, "600")
	if r.Payment.ReceivedBy != e.admin.UserID {
		t.Errorf("received by user %d, want the admin %d", r.Payment.ReceivedBy, e.admin.UserID)
	}
	if r.Payment.Reference != "" {
		t.Errorf("cash payment reference = %q, want none", r.Payment.Reference)
	}
}

func TestPaymentQueuesInvoiceEmail(t *testing.T) {
	e := newPayEnv(t)
	nc := e.dueCustomer("Asha Rao")

	bad := e.cashInput(nc.CRF, "700")
	if _, err := e.svc.CollectPayment(e.ctx, e.admin, bad); err == nil {
		t.Fatal("payment above the amount due accepted")
	}
	if emails := e.invoiceEmails(nc.CRF); len(emails) != 0 {
		t.Fatalf("%d invoice emails queued after a failed payment, want 0", len(emails))
	}

	r := e.collect(nc.CRF, "600")
	if !r.EmailQueued {
		t.Error("receipt says no email was queued")
	}
	emails := e.invoiceEmails(nc.CRF)
	if len(emails) != 1 {
		t.Fatalf("%d invoice emails queued, want 1", len(emails))
	}
	m := emails[0]
	if m.InvoiceID != r.Invoice.ID {
		t.Errorf("email invoice id = %d, want %d", m.InvoiceID, r.Invoice.ID)
	}
	if m.State != store.OutboxQueued {
		t.Errorf("email state = %q, want queued", m.State)
	}
	if !strings.Contains(m.Subject, r.Invoice.Number) {
		t.Errorf("subject %q does not name invoice %s", m.Subject, r.Invoice.Number)
	}
	if !strings.Contains(m.Text, "₹600.00") {
		t.Errorf("text body does not contain the amount ₹600.00:\n%s", m.Text)
	}
	if !strings.HasPrefix(m.Recipient, "c") || !strings.HasSuffix(m.Recipient, "@example.com") {
		t.Errorf("recipient = %q, want the customer's address", m.Recipient)
	}
}

func TestNoInvoiceEmailWithoutAddress(t *testing.T) {
	e := newPayEnv(t)
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Asha Rao", Mobile: "9123456780"})
	if err != nil {
		t.Fatal(err)
	}
	e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 1))

	r := e.collect(nc.CRF, "600")
	if r.EmailQueued {
		t.Error("receipt says an email was queued for a customer without an address")
	}
	if emails := e.invoiceEmails(nc.CRF); len(emails) != 0 {
		t.Errorf("%d invoice emails queued, want 0", len(emails))
	}
}

func TestPaymentBillsPeriodStartedToday(t *testing.T) {
	e := newPayEnv(t)
	nc := e.addCustomer("Asha Rao")
	e.connect(nc.CRF, billing.ServiceCableTV, e.plan, billing.NewDate(2026, time.November, 5))
	in := e.cashInput(nc.CRF, "600")
	// The December period starts on the 5th, and no billing run has
	// happened since.
	e.clock.SetDate(billing.NewDate(2026, time.December, 5))

	r, err := e.svc.CollectPayment(e.ctx, e.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Invoice.NewExpiry != billing.NewDate(2027, time.January, 4) {
		t.Errorf("expiry = %s, want 2027-01-04", r.Invoice.NewExpiry)
	}
	if r.Invoice.BalanceAfter != 0 {
		t.Errorf("balance after = %s, want 0.00", r.Invoice.BalanceAfter.Plain())
	}
}
