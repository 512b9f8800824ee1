package service

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

const newTestPassword = "brand-new-pass-9"

// otpCodeLine matches the line of the default OTP text body that holds
// the code.
var otpCodeLine = regexp.MustCompile(`(?m)^\s+(\d{6})\s*$`)

// requestCode requests a code for sess and returns it as read from the
// queued email.
func (e *env) requestCode(sess Session, password string) string {
	e.t.Helper()
	if err := e.svc.RequestPasswordOTP(e.ctx, sess, password); err != nil {
		e.t.Fatalf("RequestPasswordOTP: %v", err)
	}
	return e.latestCode()
}

// latestCode returns the code in the newest OTP email of the outbox.
func (e *env) latestCode() string {
	e.t.Helper()
	m := e.newestEmail(mailer.KindOTP)
	match := otpCodeLine.FindStringSubmatch(m.Text)
	if match == nil {
		e.t.Fatalf("OTP email has no code line:\n%s", m.Text)
	}
	return match[1]
}

// otherCode returns a valid code that differs from code.
func otherCode(code string) string {
	n, _ := strconv.Atoi(code)
	return fmt.Sprintf("%06d", (n+1)%1000000)
}

func (e *env) customerWithPassword(name string) (NewCustomer, Session) {
	e.t.Helper()
	nc := e.addCustomer(name)
	return nc, e.loginCustomer(nc)
}

func (e *env) checkLogin(username, password string, wantOK bool) {
	e.t.Helper()
	_, err := e.svc.Login(e.ctx, username, password)
	if wantOK && err != nil {
		e.t.Errorf("login of %s with the expected password failed: %v", username, err)
	}
	if !wantOK && !errors.Is(err, ErrBadCredentials) {
		e.t.Errorf("login of %s with an outdated password: err = %v, want ErrBadCredentials", username, err)
	}
}

func TestOTPChangesPassword(t *testing.T) {
	e := newEnv(t)
	nc, sess := e.customerWithPassword("Asha Rao")
	code := e.requestCode(sess, "customer-pass-1")

	msg := e.newestEmail(mailer.KindOTP)
	customer, _ := e.store.Customer(e.ctx, nc.CRF)
	if msg.Recipient != customer.Email || msg.CustomerCRF != nc.CRF {
		t.Errorf("OTP email goes to %q for customer %d, want %q", msg.Recipient, msg.CustomerCRF, customer.Email)
	}
	if !strings.Contains(msg.Text, "valid for 10 minutes") {
		t.Error("OTP email does not say how long the code is valid")
	}
	stored, err := e.store.LatestOTP(e.ctx, sess.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored.CodeHash, code) || !strings.HasPrefix(stored.CodeHash, "$2") {
		t.Errorf("stored code %q is not a bcrypt hash of the code", stored.CodeHash)
	}
	if want := e.clock.Now().Add(10 * time.Minute); !stored.ExpiresAt.Equal(want) {
		t.Errorf("code expires at %v, want %v", stored.ExpiresAt, want)
	}

	e.clock.Add(9*time.Minute + 59*time.Second)
	if err := e.svc.ChangePasswordWithOTP(e.ctx, sess, code, newTestPassword, newTestPassword); err != nil {
		t.Fatalf("ChangePasswordWithOTP: %v", err)
	}
	username := strconv.FormatInt(nc.CRF, 10)
	e.checkLogin(username, "customer-pass-1", false)
	e.checkLogin(username, newTestPassword, true)

	err = e.svc.ChangePasswordWithOTP(e.ctx, sess, code, "another-pass-22", "another-pass-22")
	if !errors.Is(err, ErrOTPUsed) {
		t.Errorf("second use of the code: err = %v, want ErrOTPUsed", err)
	}
	e.checkLogin(username, newTestPassword, true)
}

// newestEmail returns the newest outbox message of kind k.
func (e *env) newestEmail(k mailer.Kind) store.OutboxMessage {
	e.t.Helper()
	list, err := e.store.ListOutbox(e.ctx, store.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range list {
		if m.Kind == string(k) {
			return m
		}
	}
	e.t.Fatalf("no %s email in the outbox", k)
	return store.OutboxMessage{}
}

func TestOTPExpiresAfterTenMinutes(t *testing.T) {
	e := newEnv(t)
	nc, sess := e.customerWithPassword("Asha Rao")
	code := e.requestCode(sess, "customer-pass-1")

	e.clock.Add(10 * time.Minute)
	err := e.svc.ChangePasswordWithOTP(e.ctx, sess, code, newTestPassword, newTestPassword)
	if !errors.Is(err, ErrOTPExpired) {
		t.Errorf("code after 10 minutes: err = %v, want ErrOTPExpired", err)
	}
	e.checkLogin(strconv.FormatInt(nc.CRF, 10), "customer-pass-1", true)
}

func TestOTPDiesAfterFiveWrongTries(t *testing.T) {
	e := newEnv(t)
	nc, sess := e.customerWithPassword("Asha Rao")
	code := e.requestCode(sess, "customer-pass-1")
	wrong := otherCode(code)

	for try := 1; try <= 5; try++ {
		err := e.svc.ChangePasswordWithOTP(e.ctx, sess, wrong, newTestPassword, newTestPassword)
		var wrongErr *OTPWrongError
		if !errors.As(err, &wrongErr) {
			t.Fatalf("wrong try %d: err = %v, want *OTPWrongError", try, err)
		}
		if wrongErr.AttemptsLeft != 5-try {
			t.Errorf("wrong try %d: %d tries left, want %d", try, wrongErr.AttemptsLeft, 5-try)
		}
	}
	err := e.svc.ChangePasswordWithOTP(e.ctx, sess, code, newTestPassword, newTestPassword)
	if !errors.Is(err, ErrOTPBlocked) {
		t.Errorf("right code after 5 wrong tries: err = %v, want ErrOTPBlocked", err)
	}
	e.checkLogin(strconv.FormatInt(nc.CRF, 10), "customer-pass-1", true)
}

func TestOTPResendWaitsSixtySeconds(t *testing.T) {
	e := newEnv(t)
	nc, sess := e.customerWithPassword("Asha Rao")
	first := e.requestCode(sess, "customer-pass-1")

	e.clock.Add(20 * time.Second)
	err := e.svc.RequestPasswordOTP(e.ctx, sess, "customer-pass-1")
	var tooSoon *store.OTPTooSoonError
	if !errors.As(err, &tooSoon) {
		t.Fatalf("request after 20 s: err = %v, want *store.OTPTooSoonError", err)
	}
	if !strings.Contains(err.Error(), "wait 40 seconds") {
		t.Errorf("err = %q, want it to say to wait 40 seconds", err)
	}

	e.clock.Add(40 * time.Second)
	second := e.requestCode(sess, "customer-pass-1")
	// The two codes are equal with probability 1e-6, and then the first
	// one proves nothing.
	if first != second {
		err = e.svc.ChangePasswordWithOTP(e.ctx, sess, first, newTestPassword, newTestPassword)
		if err == nil {
			t.Error("the replaced first code still changed the password")
		}
	}
	if err := e.svc.ChangePasswordWithOTP(e.ctx, sess, second, newTestPassword, newTestPassword); err != nil {
		t.Fatalf("the new code: %v", err)
	}
	e.checkLogin(strconv.FormatInt(nc.CRF, 10), newTestPassword, true)
}

func TestOTPRequestChecksCurrentPassword(t *testing.T) {
	e := newEnv(t)
	_, sess := e.customerWithPassword("Asha Rao")

	err := e.svc.RequestPasswordOTP(e.ctx, sess, "not-my-password")
	if fields, ok := AsFieldErrors(err); !ok || fields.For("current_password") == "" {
		t.Errorf("wrong current password: err = %v, want a field error", err)
	}
	if _, err := e.store.LatestOTP(e.ctx, sess.UserID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a code was created after a wrong current password: %v", err)
	}
	err = e.svc.ChangePasswordWithOTP(e.ctx, sess, "123456", newTestPassword, newTestPassword)
	if !errors.Is(err, ErrOTPNotRequested) {
		t.Errorf("change without a request: err = %v, want ErrOTPNotRequested", err)
	}
}

func TestOTPChangeValidatesInput(t *testing.T) {
	e := newEnv(t)
	_, sess := e.customerWithPassword("Asha Rao")
	code := e.requestCode(sess, "customer-pass-1")

	tests := []struct {
		name, code, password, confirm, field string
	}{
		{"short code", "12345", newTestPassword, newTestPassword, "code"},
		{"letters in code", "12a456", newTestPassword, newTestPassword, "code"},
		{"short password", code, "short", "short", "password"},
		{"confirm differs", code, newTestPassword, newTestPassword + "x", "confirm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.ChangePasswordWithOTP(e.ctx, sess, tt.code, tt.password, tt.confirm)
			if fields, ok := AsFieldErrors(err); !ok || fields.For(tt.field) == "" {
				t.Errorf("err = %v, want a field error for %s", err, tt.field)
			}
		})
	}
	stored, err := e.store.LatestOTP(e.ctx, sess.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Attempts != 0 {
		t.Errorf("invalid input counted %d tries, want 0", stored.Attempts)
	}
}

func TestOTPForAdminUsesBusinessEmail(t *testing.T) {
	e := newEnv(t)
	err := e.svc.RequestPasswordOTP(e.ctx, e.admin, testAdminPassword)
	if err == nil || !strings.Contains(err.Error(), "business email") {
		t.Fatalf("request without a business email: err = %v, want it to name the business email", err)
	}

	st, err := e.store.Settings(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.BusinessEmail = "office@sunrisecable.example"
	if err := e.store.SaveSettings(e.ctx, "admin", st); err != nil {
		t.Fatal(err)
	}
	code := e.requestCode(e.admin, testAdminPassword)
	if m := e.newestEmail(mailer.KindOTP); m.Recipient != st.BusinessEmail || m.CustomerCRF != 0 {
		t.Errorf("admin code goes to %q, customer %d; want %q", m.Recipient, m.CustomerCRF, st.BusinessEmail)
	}
	if err := e.svc.ChangePasswordWithOTP(e.ctx, e.admin, code, newTestPassword, newTestPassword); err != nil {
		t.Fatalf("ChangePasswordWithOTP: %v", err)
	}
	e.checkLogin("admin", testAdminPassword, false)
	e.checkLogin("admin", newTestPassword, true)
}

func TestOTPCustomerWithoutEmail(t *testing.T) {
	e := newEnv(t)
	nc, err := e.svc.CreateCustomer(e.ctx, e.admin, store.CustomerParams{Name: "No Email",
		Mobile: "9000000002", City: "Pune"})
	if err != nil {
		t.Fatal(err)
	}
	sess := e.loginCustomer(nc)
	err = e.svc.RequestPasswordOTP(e.ctx, sess, "customer-pass-1")
	if err == nil || !strings.Contains(err.Error(), "no email address") {
		t.Errorf("request without an email: err = %v, want a no email address error", err)
	}
}

func TestOTPNeverLogged(t *testing.T) {
	e := newEnv(t)
	logs := e.captureLog()
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")
	_, sess := e.customerWithPassword("Asha Rao")
	code := e.requestCode(sess, "customer-pass-1")

	if err := e.svc.ChangePasswordWithOTP(e.ctx, sess, otherCode(code), newTestPassword, newTestPassword); err == nil {
		t.Fatal("a wrong code was accepted")
	}
	if err := e.svc.ChangePasswordWithOTP(e.ctx, sess, code, newTestPassword, newTestPassword); err != nil {
		t.Fatal(err)
	}
	if sent, _ := e.runOutbox(NewOutboxWorker(e.svc)); sent != 2 {
		t.Fatalf("sent %d emails, want the welcome and OTP emails", sent)
	}

	delivered := false
	for _, m := range box.received() {
		delivered = delivered || strings.Contains(m.data, code)
	}
	if !delivered {
		t.Error("no delivered email carries the code")
	}
	text := logs.String()
	if !strings.Contains(text, "password code queued") {
		t.Fatalf("the log lacks the request, so the check below proves nothing:\n%s", text)
	}
	for _, secret := range []string{code, otherCode(code), newTestPassword, "customer-pass-1"} {
		if strings.Contains(text, secret) {
			t.Errorf("the log contains the secret %q:\n%s", secret, text)
		}
	}
	if m := e.newestEmail(mailer.KindOTP); strings.Contains(m.Text+m.HTML, code) {
		t.Error("the outbox still holds the code after delivery")
	}
}

func TestNewOTPCodeIsSixDigits(t *testing.T) {
	leadingZero := false
	seen := map[string]bool{}
	for range 2000 {
		code, err := newOTPCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 6 || !isASCIIDigits(code) {
			t.Fatalf("code %q is not 6 digits", code)
		}
		leadingZero = leadingZero || code[0] == '0'
		seen[code] = true
	}
	// With 2000 uniform codes, P(no leading zero) = 0.9^2000, below 1e-90.
	if !leadingZero {
		t.Error("no code started with 0 in 2000 draws: leading zeros are lost")
	}
	if len(seen) < 1900 {
		t.Errorf("only %d distinct codes in 2000 draws", len(seen))
	}
}
