package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// otpCodeLine matches the line of the default OTP text body that holds
// the code.
var otpCodeLine = regexp.MustCompile(`(?m)^\s+(\d{6})\s*$`)

const customerPassword = "meera-pass-1"

// loginNewCustomer adds a customer, logs in with the initial password,
// chooses customerPassword and opens the Change password page.
func (e *uiEnv) loginNewCustomer() (service.NewCustomer, *changePasswordScreen) {
	e.t.Helper()
	nc, err := e.svc.CreateCustomer(context.Background(), e.adminSession(), store.CustomerParams{
		Name: "Meera Iyer", Mobile: "9812345678", Email: "c@example.com"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.login(fmt.Sprint(nc.CRF), nc.InitialPassword)
	first := findEntries(e.win.Content())
	if len(first) < 2 {
		e.t.Fatal("first-login password screen not shown")
	}
	test.Type(first[0], customerPassword)
	test.Type(first[1], customerPassword)
	test.Tap(findButton(e.t, e.win.Content(), "Save password"))
	if e.root.customer == nil || !e.root.customer.nav.openTitle("Change password") {
		e.t.Fatal("customer window has no Change password page")
	}
	return nc, e.root.customer.changePassword
}

// latestCode returns the code in the newest OTP email of the outbox.
func (e *uiEnv) latestCode() string {
	e.t.Helper()
	emails := e.outbox(mailer.KindOTP)
	if len(emails) == 0 {
		e.t.Fatal("no OTP email queued")
	}
	match := otpCodeLine.FindStringSubmatch(emails[0].Text)
	if match == nil {
		e.t.Fatalf("OTP email has no code line:\n%s", emails[0].Text)
	}
	return match[1]
}

func TestCustomerChangesPasswordWithCode(t *testing.T) {
	e := newUIEnv(t)
	nc, s := e.loginNewCustomer()
	if !s.change.Disabled() || !s.code.Disabled() {
		t.Error("the code step is open before a code was sent")
	}

	test.Type(s.current, customerPassword)
	test.Tap(s.sendCode)
	if !strings.Contains(s.message.Text, "c•••@example.com") {
		t.Errorf("message = %q, want the masked address the code went to", s.message.Text)
	}
	if s.current.Text != "" {
		t.Error("current password entry not cleared after sending the code")
	}

	const newPassword = "brand-new-pass-9"
	test.Type(s.code, e.latestCode())
	test.Type(s.password, newPassword)
	test.Type(s.confirm, newPassword)
	test.Tap(s.change)

	if !strings.Contains(s.message.Text, "password was changed") {
		t.Errorf("message after Change = %q", s.message.Text)
	}
	for name, entry := range map[string]string{"code": s.code.Text, "new password": s.password.Text,
		"repeat": s.confirm.Text} {
		if entry != "" {
			t.Errorf("%s entry not cleared after the change", name)
		}
	}
	ctx := context.Background()
	if _, err := e.svc.Login(ctx, fmt.Sprint(nc.CRF), customerPassword); !errors.Is(err, service.ErrBadCredentials) {
		t.Errorf("login with the old password: err = %v, want ErrBadCredentials", err)
	}
	if _, err := e.svc.Login(ctx, fmt.Sprint(nc.CRF), newPassword); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
}

func TestChangePasswordWrongCodeShowsTriesLeft(t *testing.T) {
	e := newUIEnv(t)
	_, s := e.loginNewCustomer()
	test.Type(s.current, customerPassword)
	test.Tap(s.sendCode)

	n, _ := strconv.Atoi(e.latestCode())
	test.Type(s.code, fmt.Sprintf("%06d", (n+1)%1000000))
	test.Type(s.password, "brand-new-pass-9")
	test.Type(s.confirm, "brand-new-pass-9")
	test.Tap(s.change)

	if !strings.Contains(s.message.Text, "4 tries left") {
		t.Errorf("message = %q, want 4 tries left", s.message.Text)
	}
	if s.change.Disabled() {
		t.Error("Change is disabled after one wrong code, though 4 tries are left")
	}
}

func TestChangePasswordWrongCurrentPassword(t *testing.T) {
	e := newUIEnv(t)
	_, s := e.loginNewCustomer()
	test.Type(s.current, "not-my-password")
	test.Tap(s.sendCode)

	if hint := s.requestFields.items["current_password"].HintText; !strings.Contains(hint, "wrong") {
		t.Errorf("current password hint = %q, want it to say the password is wrong", hint)
	}
	if n := len(e.outbox(mailer.KindOTP)); n != 0 {
		t.Errorf("OTP emails = %d after a wrong current password, want 0", n)
	}
}

func TestChangePasswordResendWait(t *testing.T) {
	e := newUIEnv(t)
	_, s := e.loginNewCustomer()
	test.Type(s.current, customerPassword)
	test.Tap(s.sendCode)
	test.Type(s.current, customerPassword)
	test.Tap(s.sendCode)

	if !strings.Contains(s.message.Text, "Wait 60 seconds") {
		t.Errorf("message = %q, want the wait before a new code", s.message.Text)
	}
	if s.change.Disabled() {
		t.Error("the code step closed, though the first code still works")
	}
}

func TestAdminChangePasswordNeedsBusinessEmail(t *testing.T) {
	e := newUIEnv(t)
	e.login("admin", testAdminPassword)
	e.root.admin.nav.openTitle("Change password")
	s := e.root.admin.changePassword
	test.Type(s.current, testAdminPassword)
	test.Tap(s.sendCode)

	if !strings.Contains(s.message.Text, "business email") {
		t.Errorf("message = %q, want it to ask for the business email", s.message.Text)
	}
}
