package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// addConnectedCustomer creates a customer with a cable TV connection
// activated today, which owes its first month.
func (e *uiEnv) addConnectedCustomer(name, price string) service.NewCustomer {
	e.t.Helper()
	ctx := context.Background()
	admin, err := e.svc.Login(ctx, "admin", testAdminPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	plans, _ := e.svc.ListPlans(ctx, admin, true)
	var planID int64
	for _, p := range plans {
		if p.Price.Plain() == price {
			planID = p.ID
		}
	}
	if planID == 0 {
		planID, err = e.svc.CreatePlan(ctx, admin, service.PlanInput{Service: billing.ServiceCableTV,
			Name: "Plan " + price, Price: price, Active: true})
		if err != nil {
			e.t.Fatal(err)
		}
	}
	nc, err := e.svc.CreateCustomer(ctx, admin, store.CustomerParams{Name: name,
		Mobile: fmt.Sprintf("97%08d", len(name)*1000+len(price)), Email: "c@example.com"})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.Connect(ctx, admin, nc.CRF, service.ConnectInput{Service: billing.ServiceCableTV, PlanID: planID}); err != nil {
		e.t.Fatal(err)
	}
	return nc
}

func TestAdminCollectsCashAndSeesInvoice(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("José Muñoz", "350")
	e.login("admin", testAdminPassword)
	if !e.root.admin.nav.openTitle("Collect payment") {
		t.Fatal("no Collect payment page")
	}
	screen := e.root.admin.collect
	test.Type(screen.search, fmt.Sprint(nc.CRF))
	if screen.form == nil {
		t.Fatal("no payment form after typing the CRF")
	}
	if got := screen.form.amount.Text; got != "350.00" {
		t.Errorf("amount field = %q, want the due 350.00", got)
	}
	screen.form.mode.SetSelected("Cash")
	test.Tap(screen.form.submit)

	var text []string
	for _, l := range findAll[*widget.Label](screen.body) {
		text = append(text, l.Text)
	}
	joined := strings.Join(text, "\n")
	for _, want := range []string{"Payment recorded.", "INV-2026-000001", "José Muñoz", "₹350.00", "Balance due: ₹0.00"} {
		if !strings.Contains(joined, want) {
			t.Errorf("invoice view lacks %q:\n%s", want, joined)
		}
	}
	findButton(t, screen.body, "Save PDF")
	findButton(t, screen.body, "Print")

	conns, err := e.svc.Store().Connections(context.Background(), nc.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if conns[0].Status != billing.StatusActive {
		t.Errorf("status after paying = %s, want active", conns[0].Status)
	}
}

func TestCollectRejectsAmountAboveDue(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Asha Rao", "300")
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Collect payment")
	screen := e.root.admin.collect
	test.Type(screen.search, fmt.Sprint(nc.CRF))
	screen.form.amount.SetText("900")
	screen.form.mode.SetSelected("Cash")
	test.Tap(screen.form.submit)
	hint := screen.form.fields.items["amount"].HintText
	if !strings.Contains(hint, "₹300.00") {
		t.Errorf("amount hint %q does not name the amount due", hint)
	}
	_, err := e.svc.Store().InvoiceByNumber(context.Background(), "INV-2026-000001")
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an invoice exists after a refused payment: %v", err)
	}
}

func TestCustomerPaysOnlineAndSeesBill(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Meera Iyer", "450")
	e.login(fmt.Sprint(nc.CRF), nc.InitialPassword)
	first := findEntries(e.win.Content())
	if len(first) < 2 {
		t.Fatal("first-login password screen not shown")
	}
	test.Type(first[0], "meera-pass-1")
	test.Type(first[1], "meera-pass-1")
	test.Tap(findButton(t, e.win.Content(), "Save password"))
	if e.root.customer == nil {
		t.Fatal("customer window not shown after choosing a password")
	}
	for _, title := range []string{"Customers", "Plans", "Collect payment"} {
		if e.root.customer.nav.openTitle(title) {
			t.Errorf("customer window has the %s page", title)
		}
	}

	e.root.customer.nav.openTitle("Pay online")
	pay := findAll[*widget.RadioGroup](e.win.Content())
	if len(pay) == 0 {
		t.Fatal("pay online screen has no service choice")
	}
	form := e.root.customer.payOnline.form
	if form == nil {
		t.Fatal("no payment form on the pay online screen")
	}
	if len(form.mode.Options) != 1 || form.mode.Options[0] != "Online" {
		t.Errorf("customer payment modes = %v, want only Online", form.mode.Options)
	}
	test.Type(form.reference, "UPI778899001")
	test.Tap(form.submit)

	e.root.customer.nav.openTitle("Bills")
	bills := e.root.customer.bills
	if len(bills.bills) != 1 {
		t.Fatalf("bills of this month = %d, want 1", len(bills.bills))
	}
	bills.list.Select(0)
	var text []string
	for _, l := range findAll[*widget.Label](bills.invoice) {
		text = append(text, l.Text)
	}
	joined := strings.Join(text, "\n")
	if !strings.Contains(joined, "INV-2026-000001") || !strings.Contains(joined, "UPI778899001") {
		t.Errorf("bill view lacks the invoice number or reference:\n%s", joined)
	}
}

func TestBillShowsFriendlyPageWhenPDFCannotBeMade(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Ravi Menon", "300")
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Collect payment")
	screen := e.root.admin.collect
	test.Type(screen.search, fmt.Sprint(nc.CRF))
	screen.form.mode.SetSelected("Cash")
	test.Tap(screen.form.submit)

	// Replace the invoices folder with a plain file, so the PDF can
	// neither be found nor written again.
	dir := e.svc.InvoicesDir()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}

	test.Tap(findButton(t, e.win.Content(), "Log out"))
	e.login(fmt.Sprint(nc.CRF), nc.InitialPassword)
	entries := findEntries(e.win.Content())
	test.Type(entries[0], "ravi-pass-12")
	test.Type(entries[1], "ravi-pass-12")
	test.Tap(findButton(t, e.win.Content(), "Save password"))
	e.root.customer.nav.openTitle("Bills")
	bills := e.root.customer.bills
	if len(bills.bills) != 1 {
		t.Fatalf("bills = %d, want 1", len(bills.bills))
	}
	bills.list.Select(0)
	var text []string
	for _, l := range findAll[*widget.Label](bills.invoice) {
		text = append(text, l.Text)
	}
	joined := strings.Join(text, "\n")
	if !strings.Contains(joined, "is recorded, but invoice INV-2026-000001 cannot be shown") {
		t.Errorf("no friendly page for a missing invoice:\n%s", joined)
	}
}

func TestPrintWithoutPrinterKeepsPayment(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Gita Rao", "300")
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Collect payment")
	screen := e.root.admin.collect
	test.Type(screen.search, fmt.Sprint(nc.CRF))
	screen.form.mode.SetSelected("Cash")
	test.Tap(screen.form.submit)

	view := newInvoiceView(e.svc, e.root.Session(), e.win, 1, "")
	view.buildUI()
	view.printer = func(string) error { return errNoPrintCommand }
	view.onPrint()
	dlg := overlayContent(t, e.win)
	var text []string
	for _, l := range findAll[*widget.Label](dlg) {
		text = append(text, l.Text)
	}
	joined := strings.Join(text, "\n")
	if !strings.Contains(joined, "No print command was found") || !strings.Contains(joined, "Save PDF") {
		t.Errorf("print failure message = %q", joined)
	}
	inv, err := e.svc.Store().InvoiceByNumber(context.Background(), "INV-2026-000001")
	if err != nil {
		t.Fatalf("payment lost after a failed print: %v", err)
	}
	if inv.Amount != 30000 {
		t.Errorf("invoice amount = %d", inv.Amount)
	}
}
