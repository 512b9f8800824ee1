package service

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

func TestCustomerSeesNoOtherCRFForTakenMobile(t *testing.T) {
	e := newEnv(t)
	mine := e.addCustomer("Asha Kiosk")
	other := e.addCustomer("Other Person")
	o, _ := e.svc.Customer(e.ctx, e.admin, other.CRF)
	sess := e.loginCustomer(mine)
	err := e.svc.UpdateMyDetails(e.ctx, sess, mine.CRF, store.ContactParams{Mobile: o.Mobile})
	fe, ok := AsFieldErrors(err)
	if !ok {
		t.Fatalf("err = %v, want a field error", err)
	}
	msg := fe.For("mobile")
	if msg == "" || strings.Contains(msg, fmt.Sprint(other.CRF)) {
		t.Errorf("customer message %q is missing or names the other CRF", msg)
	}
}

func TestPlanNamesDifferingInCaseRejected(t *testing.T) {
	e := newEnv(t)
	e.addPlan(billing.ServiceCableTV, "Basic", "300")
	for _, name := range []string{"basic", "BASIC ", "Básic"} {
		_, err := e.svc.CreatePlan(e.ctx, e.admin, PlanInput{Service: billing.ServiceCableTV, Name: name, Price: "100", Active: true})
		if !errors.Is(err, store.ErrDuplicatePlan) {
			t.Errorf("plan %q: err = %v, want ErrDuplicatePlan", name, err)
		}
	}
	if _, err := e.svc.CreatePlan(e.ctx, e.admin, PlanInput{Service: billing.ServiceBroadband, Name: "basic", Price: "100", Active: true}); err != nil {
		t.Errorf("the same name for the other service: %v", err)
	}
}

func TestPlanInUseKeepsItsService(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "300")
	nc := e.addCustomer("Plan User")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	err := e.svc.UpdatePlan(e.ctx, e.admin, plan, PlanInput{Service: billing.ServiceBroadband, Name: "Basic", Price: "300", Active: true})
	if !errors.Is(err, store.ErrPlanInUse) {
		t.Errorf("err = %v, want ErrPlanInUse", err)
	}
}

func TestArchivedCustomerCannotBeReconnected(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "300")
	nc := e.addCustomer("Gone Away")
	conn := e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	open, err := e.store.OpenPeriods(e.ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range open {
		if err := e.svc.WaivePeriod(e.ctx, e.admin, p.ID, "moved away"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.ArchiveCustomer(e.ctx, e.admin, nc.CRF); err != nil {
		t.Fatal(err)
	}
	err = e.svc.Reconnect(e.ctx, e.admin, conn)
	if !errors.Is(err, store.ErrCannotConnect) {
		t.Errorf("reconnect of a removed customer: err = %v, want ErrCannotConnect", err)
	}
}

func TestActivationBefore2000Rejected(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "300")
	nc := e.addCustomer("Typo Year")
	_, err := e.svc.Connect(e.ctx, e.admin, nc.CRF, ConnectInput{Service: billing.ServiceCableTV, PlanID: plan, ActivatedOn: "0226-12-01"})
	fe, ok := AsFieldErrors(err)
	if !ok || !strings.Contains(fe.For("activated_on"), "0226-12-01") {
		t.Errorf("activation 0226-12-01: err = %v, want a field error naming the date", err)
	}
}

func TestUpdateConnectionRejectsControlCharacters(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "300")
	nc := e.addCustomer("Device Check")
	conn := e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	err := e.svc.UpdateConnection(e.ctx, e.admin, conn, plan, "STB\x00\x1b[2J")
	if fe, ok := AsFieldErrors(err); !ok || fe.For("device_id") == "" {
		t.Errorf("device with control characters: err = %v, want a field error", err)
	}
	err = e.svc.UpdateConnection(e.ctx, e.admin, conn, 0, "STB-2")
	if fe, ok := AsFieldErrors(err); !ok || fe.For("plan") == "" {
		t.Errorf("plan 0: err = %v, want a field error", err)
	}
}

func TestWrongCurrentPasswordCountsTowardLockout(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Guess Target")
	sess := e.loginCustomer(nc)
	var err error
	for range MaxFailedLogins {
		err = e.svc.RequestPasswordOTP(e.ctx, sess, "wrong-guess")
	}
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("after %d wrong current passwords: err = %v, want LockedError", MaxFailedLogins, err)
	}
	if _, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), "customer-pass-1"); !errors.As(err, &locked) {
		t.Errorf("login right after: err = %v, want the account locked", err)
	}
}

func TestBrokenWelcomeTemplateFallsBack(t *testing.T) {
	e := newEnv(t)
	broken := mailer.DefaultTemplate(mailer.KindWelcome)
	broken.Subject = "Hi {{slice .CustomerName 0 12}}"
	if err := e.svc.SaveEmailTemplate(e.ctx, e.admin, mailer.KindWelcome, broken); err != nil {
		t.Fatalf("the template passed no check: %v", err)
	}
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Ravi", Mobile: "9811100013", Email: "ravi@example.com"})
	if err != nil {
		t.Fatalf("a short name broke customer creation: %v", err)
	}
	if !nc.WelcomeQueued {
		t.Error("no welcome email queued")
	}
}

func TestInvoiceEmailWithUnprintableNameFailsOnce(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "300")
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "सुनीता देशपांडे",
		Mobile: "9811100021", Email: "sunita@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	q, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.CollectPayment(e.ctx, e.admin, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "300", Mode: "cash", RequestKey: q.RequestKey})
	if err != nil {
		t.Fatalf("the payment itself must succeed: %v", err)
	}
	if r.PDFError == nil {
		t.Fatal("no PDF error for a name the font cannot draw")
	}
	err = e.svc.SaveSMTPSettings(e.ctx, e.admin, SMTPInput{Host: "127.0.0.1", Port: "1",
		Security: mailer.SecurityNone, From: "office@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	w := NewOutboxWorker(e.svc)
	w.Attach = e.svc.InvoiceAttachment
	if _, _, err := w.RunOnce(e.ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Kind != string(mailer.KindInvoice) {
			continue
		}
		if m.State != store.OutboxFailed || m.Attempts != 1 {
			t.Errorf("invoice email state %s after %d attempts, want failed after 1", m.State, m.Attempts)
		}
		if !strings.Contains(m.LastError, "cannot draw") {
			t.Errorf("last error %q does not explain the missing character", m.LastError)
		}
	}
}
