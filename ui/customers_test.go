package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestAdminAddsCustomerAndFindsItByMobile(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	if e.root.admin == nil {
		t.Fatal("admin window not shown after login")
	}
	e.root.admin.nav.openTitle("Customers")
	screen := e.root.admin.customers
	if screen == nil {
		t.Fatal("customers screen not open")
	}

	test.Tap(findButton(t, e.win.Content(), "Add customer"))
	dlg := overlayContent(t, e.win)
	entries := findEntries(dlg)
	if len(entries) < 3 {
		t.Fatalf("customer form has %d entries", len(entries))
	}
	test.Type(entries[0], "José Muñoz")
	test.Type(entries[1], "98765 43210")
	test.Type(entries[2], "jose@example.com")
	test.Tap(findButton(t, dlg, "Add"))

	slip := overlayContent(t, e.win)
	labels := findAll[*widget.Label](slip)
	var slipText string
	for _, l := range labels {
		slipText += l.Text
	}
	if !strings.Contains(slipText, "CRF number (username): 1001") || !strings.Contains(slipText, "Initial password:") {
		t.Fatalf("welcome slip shows %q", slipText)
	}
	test.Tap(findButton(t, slip, "Done"))

	screen.search.SetText("")
	test.Type(screen.search, "123456")
	if screen.rows.total != 0 {
		t.Errorf("search for a digit run not in the mobile found %d rows", screen.rows.total)
	}
	screen.search.SetText("")
	test.Type(screen.search, "543")
	if screen.rows.total != 1 {
		t.Fatalf("search by mobile substring found %d rows, want 1", screen.rows.total)
	}
	row, ok := screen.rows.row(0)
	if !ok || row.Name != "José Muñoz" || row.Mobile != "9876543210" {
		t.Errorf("found row %+v", row)
	}
	if got := screen.count.Text; got != "1 customer" {
		t.Errorf("count label = %q", got)
	}
}

func TestCustomerFormShowsFieldErrors(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Customers")
	test.Tap(findButton(t, e.win.Content(), "Add customer"))
	dlg := overlayContent(t, e.win)
	entries := findEntries(dlg)
	add := findButton(t, dlg, "Add")

	// As the mobile number is typed, it is checked at once.
	test.Type(entries[1], "12ab")
	err := entries[1].Validate()
	if err == nil || !strings.Contains(err.Error(), `"12ab" is invalid`) {
		t.Errorf("mobile 12ab while typing: err = %v", err)
	}
	if !add.Disabled() {
		t.Error("Add stays enabled with an invalid mobile number")
	}

	// On submit the service checks the whole form again.
	entries[1].SetText("9876543210")
	if add.Disabled() {
		t.Fatal("Add stays disabled after the mobile number was corrected")
	}
	test.Tap(add)
	if top := e.win.Canvas().Overlays().Top(); top != dlg {
		t.Fatal("the form closed although the name is empty")
	}
	var hints []string
	for _, f := range findAll[*widget.Form](dlg) {
		for _, item := range f.Items {
			hints = append(hints, item.HintText)
		}
	}
	if joined := strings.Join(hints, "|"); !strings.Contains(joined, "Name is required") {
		t.Errorf("no name error in hints %q", joined)
	}
	n, err := e.svc.Store().CountCustomers(t.Context(), storeQueryAll())
	if err != nil || n != 0 {
		t.Errorf("customers after refused form = %d, %v", n, err)
	}
}

func TestLoginWrongPasswordShowsMessage(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", "wrong-password")
	if e.root.admin != nil {
		t.Fatal("admin window opened with a wrong password")
	}
	labels := findAll[*widget.Label](e.win.Content())
	found := false
	for _, l := range labels {
		if strings.Contains(l.Text, "username or password is wrong") {
			found = true
		}
	}
	if !found {
		t.Error("no wrong-password message on the login screen")
	}
}

func TestFieldErrorClearsWhenFieldChanges(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Customers")
	test.Tap(findButton(t, e.win.Content(), "Add customer"))
	dlg := overlayContent(t, e.win)
	entries := findEntries(dlg)
	if e.win.Canvas().Focused() == nil {
		t.Error("no field has the focus when the dialog opens")
	}
	test.Type(entries[1], "9876543210")
	test.Tap(findButton(t, dlg, "Add"))
	var form *widget.Form
	for _, f := range findAll[*widget.Form](dlg) {
		form = f
	}
	if !strings.Contains(form.Items[0].HintText, "Name is required") {
		t.Fatalf("name hint after an empty save = %q", form.Items[0].HintText)
	}
	test.Type(entries[0], "A")
	if strings.Contains(form.Items[0].HintText, "Name is required") {
		t.Errorf("the name error stays after typing a name: %q", form.Items[0].HintText)
	}
}

func TestUnpaidServiceShowsNotPaidYet(t *testing.T) {
	e := newUIEnv(t)
	nc := e.addConnectedCustomer("Fresh Connection", "300")
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Customers")
	e.root.admin.customers.details.show(nc.CRF)
	var text []string
	for _, l := range findAll[*widget.Label](e.root.admin.customers.details.box) {
		text = append(text, l.Text)
	}
	joined := strings.Join(text, "\n")
	if !strings.Contains(joined, "Valid until: not paid yet") {
		t.Errorf("details of an unpaid new service:\n%s", joined)
	}
}
