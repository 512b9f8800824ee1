package service

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/store"
)

func TestCRFStartsAt1001AndIsNeverReused(t *testing.T) {
	e := newEnv(t)
	first := e.addCustomer("Asha Rao")
	second := e.addCustomer("Vikram Shah")
	if first.CRF != 1001 || second.CRF != 1002 {
		t.Fatalf("CRF numbers = %d, %d; want 1001, 1002", first.CRF, second.CRF)
	}
	if err := e.svc.ArchiveCustomer(e.ctx, e.admin, second.CRF); err != nil {
		t.Fatal(err)
	}
	third := e.addCustomer("Meera Iyer")
	if third.CRF != 1003 {
		t.Errorf("CRF after removing 1002 = %d, want 1003", third.CRF)
	}
	archived, err := e.svc.Customer(e.ctx, e.admin, second.CRF)
	if err != nil {
		t.Fatalf("archived customer must stay readable: %v", err)
	}
	if !archived.Archived() {
		t.Error("customer 1002 is not marked archived")
	}
}

func TestArchivedCustomerCannotLogIn(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Ravi Kumar")
	if err := e.svc.ArchiveCustomer(e.ctx, e.admin, nc.CRF); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), nc.InitialPassword)
	if !errors.Is(err, ErrDisabled) {
		t.Errorf("login of archived customer: err = %v, want ErrDisabled", err)
	}
}

func TestArchiveRefusedWhileDue(t *testing.T) {
	e := newEnv(t)
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Anil Das")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	err := e.svc.ArchiveCustomer(e.ctx, e.admin, nc.CRF)
	if !errors.Is(err, store.ErrCustomerOwes) {
		t.Fatalf("archive with amount due: err = %v, want ErrCustomerOwes", err)
	}
	c, err := e.svc.Customer(e.ctx, e.admin, nc.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if c.Archived() {
		t.Error("customer was archived although the removal was refused")
	}
}

func TestLoginLocksAfterFiveFailures(t *testing.T) {
	e := newEnv(t)
	for i := 1; i <= 4; i++ {
		_, err := e.svc.Login(e.ctx, "admin", "wrong")
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: err = %v, want ErrBadCredentials", i, err)
		}
	}
	_, err := e.svc.Login(e.ctx, "admin", "wrong")
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("fifth failure: err = %v, want LockedError", err)
	}
	_, err = e.svc.Login(e.ctx, "admin", testAdminPassword)
	if !errors.As(err, &locked) {
		t.Fatalf("right password while locked: err = %v, want LockedError", err)
	}
	e.clock.Add(14 * time.Minute)
	if _, err := e.svc.Login(e.ctx, "admin", testAdminPassword); !errors.As(err, &locked) {
		t.Fatalf("after 14 minutes: err = %v, want still locked", err)
	}
	e.clock.Add(61 * time.Second)
	if _, err := e.svc.Login(e.ctx, "admin", testAdminPassword); err != nil {
		t.Fatalf("after 15 minutes: %v", err)
	}
}

func TestLoginUnknownUserLooksLikeWrongPassword(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Login(e.ctx, "nobody", "whatever")
	if !errors.Is(err, ErrBadCredentials) {
		t.Errorf("err = %v, want ErrBadCredentials", err)
	}
}

func TestCustomerMustChangeInitialPassword(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Priya Nair")
	sess, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), nc.InitialPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !sess.MustChangePassword {
		t.Fatal("first login does not ask for a new password")
	}
	if err := e.svc.SetInitialPassword(e.ctx, &sess, "short", "short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if err := e.svc.SetInitialPassword(e.ctx, &sess, "new-password-9", "new-password-9"); err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), "new-password-9")
	if err != nil {
		t.Fatal(err)
	}
	if again.MustChangePassword {
		t.Error("second login still asks for a new password")
	}
	if _, err := e.svc.Login(e.ctx, fmt.Sprint(nc.CRF), nc.InitialPassword); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("initial password still works: err = %v", err)
	}
}

func TestCustomerSessionCannotReachOtherCustomer(t *testing.T) {
	e := newEnv(t)
	mine := e.addCustomer("Kavya Menon")
	other := e.addCustomer("Rohan Gupta")
	sess := e.loginCustomer(mine)

	if _, err := e.svc.Customer(e.ctx, sess, other.CRF); !errors.Is(err, ErrForbidden) {
		t.Errorf("read other customer: err = %v, want ErrForbidden", err)
	}
	err := e.svc.UpdateMyDetails(e.ctx, sess, other.CRF, store.ContactParams{Mobile: "9999999999"})
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("edit other customer: err = %v, want ErrForbidden", err)
	}
	if _, err := e.svc.Connections(e.ctx, sess, other.CRF); !errors.Is(err, ErrForbidden) {
		t.Errorf("read other connections: err = %v, want ErrForbidden", err)
	}
	if _, err := e.svc.SearchCustomers(e.ctx, sess, store.CustomerQuery{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("search as customer: err = %v, want ErrForbidden", err)
	}
	err = e.svc.UpdateCustomer(e.ctx, sess, mine.CRF, store.CustomerParams{Name: "Changed", Mobile: "9999999999"})
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("full edit of own record: err = %v, want ErrForbidden", err)
	}
	if err := e.svc.ArchiveCustomer(e.ctx, sess, mine.CRF); !errors.Is(err, ErrForbidden) {
		t.Errorf("archive as customer: err = %v, want ErrForbidden", err)
	}
	got, err := e.svc.Customer(e.ctx, e.admin, other.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Rohan Gupta" {
		t.Errorf("other customer's name = %q after refused edits", got.Name)
	}
}

func TestUpdateMyDetailsChangesOnlyAllowedFields(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Sneha Pillai")
	err := e.svc.UpdateCustomer(e.ctx, e.admin, nc.CRF, store.CustomerParams{Name: "Sneha Pillai",
		Mobile: "9811111111", IDProofType: "Aadhaar", IDProofNumber: "1234 5678 9012", Notes: "VIP"})
	if err != nil {
		t.Fatal(err)
	}
	sess := e.loginCustomer(nc)
	err = e.svc.UpdateMyDetails(e.ctx, sess, nc.CRF, store.ContactParams{Mobile: "9822222222",
		Email: "sneha@example.com", House: "12B", Street: "MG Road", City: "Kochi", State: "Kerala",
		PostalCode: "682001", DateOfBirth: "1990-05-17"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.Customer(e.ctx, sess, nc.CRF)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mobile != "9822222222" || c.Email != "sneha@example.com" || c.City != "Kochi" ||
		c.PostalCode != "682001" || c.DateOfBirth != "1990-05-17" || c.Street != "MG Road" {
		t.Errorf("allowed fields not saved: %+v", c)
	}
	if c.Name != "Sneha Pillai" || c.IDProofNumber != "1234 5678 9012" || c.Notes != "VIP" {
		t.Errorf("fields outside the allowed set changed: %+v", c)
	}
}

func TestUpdateMyDetailsRejectsBadInput(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Farhan Ali")
	sess := e.loginCustomer(nc)
	tests := []struct {
		name  string
		in    store.ContactParams
		field string
	}{
		{"letters in mobile", store.ContactParams{Mobile: "98abc12345"}, "mobile"},
		{"empty mobile", store.ContactParams{Mobile: ""}, "mobile"},
		{"bad email", store.ContactParams{Mobile: "9876543210", Email: "farhan@"}, "email"},
		{"future birth date", store.ContactParams{Mobile: "9876543210", DateOfBirth: "2030-01-01"}, "date_of_birth"},
		{"day-first birth date", store.ContactParams{Mobile: "9876543210", DateOfBirth: "17/05/1990"}, "date_of_birth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.UpdateMyDetails(e.ctx, sess, nc.CRF, tt.in)
			fe, ok := AsFieldErrors(err)
			if !ok {
				t.Fatalf("err = %v, want field errors", err)
			}
			if fe.For(tt.field) == "" {
				t.Errorf("no message for field %s in %v", tt.field, fe)
			}
		})
	}
}

func TestCreateCustomerRejectsDuplicateMobile(t *testing.T) {
	e := newEnv(t)
	first := e.addCustomer("Arjun Reddy")
	c, _ := e.svc.Customer(e.ctx, e.admin, first.CRF)
	_, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Someone Else", Mobile: c.Mobile})
	fe, ok := AsFieldErrors(err)
	if !ok {
		t.Fatalf("err = %v, want a field error", err)
	}
	if msg := fe.For("mobile"); !strings.Contains(msg, c.Mobile) || !strings.Contains(msg, fmt.Sprint(first.CRF)) {
		t.Errorf("admin message %q does not name the mobile and its CRF", msg)
	}
	_, err = e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "Plus Prefix", Mobile: "+" + c.Mobile})
	if fe, ok := AsFieldErrors(err); !ok || fe.For("mobile") == "" {
		t.Errorf("the same mobile with a leading + was accepted: %v", err)
	}
}

func TestCreateCustomerQueuesWelcomeEmail(t *testing.T) {
	e := newEnv(t)
	nc := e.addCustomer("Lakshmi Venkat")
	msgs, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("outbox has %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Kind != "welcome" || m.State != store.OutboxQueued || m.CustomerCRF != nc.CRF {
		t.Errorf("welcome message = %+v", m)
	}
	if !strings.Contains(m.Text, fmt.Sprint(nc.CRF)) || !strings.Contains(m.Text, nc.InitialPassword) {
		t.Errorf("welcome text lacks username or password:\n%s", m.Text)
	}
}

func TestSearchCustomers(t *testing.T) {
	e := newEnv(t)
	emile := e.addCustomer("Émile Zola")
	e.addCustomer("100% Fibre Ltd")
	e.addCustomer("Under_score Traders")
	e.addCustomer("Plain Name")
	search := func(text string) []store.CustomerRow {
		t.Helper()
		rows, err := e.svc.SearchCustomers(e.ctx, e.admin, store.CustomerQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	tests := []struct {
		text string
		want []string
	}{
		{"émile", []string{"Émile Zola"}},
		{"EMILE", []string{"Émile Zola"}},
		{"%", []string{"100% Fibre Ltd"}},
		{"_", []string{"Under_score Traders"}},
		{"0% f", []string{"100% Fibre Ltd"}},
		{"nobody", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rows := search(tt.text)
			var names []string
			for _, r := range rows {
				names = append(names, r.Name)
			}
			if fmt.Sprint(names) != fmt.Sprint(tt.want) {
				t.Errorf("search %q = %v, want %v", tt.text, names, tt.want)
			}
		})
	}
	c, _ := e.svc.Customer(e.ctx, e.admin, emile.CRF)
	if rows := search(c.Mobile[5:]); len(rows) != 1 || rows[0].CRF != emile.CRF {
		t.Errorf("mobile substring %q found %v", c.Mobile[5:], rows)
	}
	if rows := search("100"); len(rows) != 4 {
		t.Errorf("CRF prefix 100 found %d customers, want 4", len(rows))
	}
	if rows := search("1001"); len(rows) != 1 || rows[0].CRF != 1001 {
		t.Errorf("CRF 1001 found %v", rows)
	}
	n, err := e.svc.CountCustomers(e.ctx, e.admin, store.CustomerQuery{Text: "%"})
	if err != nil || n != 1 {
		t.Errorf("count %% = %d, %v; want 1", n, err)
	}
}
