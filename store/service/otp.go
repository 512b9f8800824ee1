package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// Rules of the emailed code for changing a password.
const (
	OTPDigits      = 6
	OTPValidFor    = 10 * time.Minute
	OTPMaxAttempts = 5
	// OTPResendAfter is the shortest wait between two requests of a login.
	OTPResendAfter = 60 * time.Second
)

// Errors of ChangePasswordWithOTP, in words for the person at the screen.
var (
	ErrOTPNotRequested = message.NewError("no code was requested: request a code first")
	ErrOTPExpired      = message.NewError("the code has expired or was replaced by a newer one: request a new code")
	ErrOTPUsed         = message.NewError("the code was already used: request a new code to change the password again")
	ErrOTPBlocked      = message.NewError("the code was entered wrongly too many times and no longer works: request a new code")
)

// OTPWrongError is returned for a wrong code that still allows more tries.
type OTPWrongError struct {
	AttemptsLeft int
}

func (e *OTPWrongError) Error() string {
	switch e.AttemptsLeft {
	case 0:
		return "the code is wrong, and it no longer works after too many wrong tries: request a new code"
	case 1:
		return "the code is wrong: check the email and try again; 1 try left"
	}
	return fmt.Sprintf("the code is wrong: check the email and try again; %d tries left", e.AttemptsLeft)
}

// RequestPasswordOTP checks the current password of the session's login and
// emails it a 6-digit code for ChangePasswordWithOTP. The code is valid for
// 10 minutes and stored only as a bcrypt hash, and the email is queued in
// the same transaction. A customer's code goes to the customer's email and
// an admin's to the business email of the settings. A new request ends
// every older unused code, and is rejected within 60 seconds of the
// previous one with *store.OTPTooSoonError.
func (s *Service) RequestPasswordOTP(ctx context.Context, sess Session, currentPassword string) error {
	if sess.UserID == 0 {
		return message.Wrap(ErrForbidden, "log in first")
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	if now.Before(u.LockedUntil) {
		return &LockedError{Until: u.LockedUntil}
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(currentPassword)) != nil {
		s.log.Info("password code refused", "user_id", u.ID, "reason", "wrong current password")
		// A wrong current password counts as a failed login, so an
		// unattended session cannot be used to guess it without limit.
		if err := s.failLogin(ctx, u, now); !errors.Is(err, ErrBadCredentials) {
			return err
		}
		return FieldErrors{{Field: "current_password", Message: "The current password is wrong."}}
	}
	email, err := s.otpEmail(ctx, u)
	if err != nil {
		return err
	}

	code, err := newOTPCode()
	if err != nil {
		return err
	}
	hash, err := s.hashPassword(code)
	if err != nil {
		return err
	}
	if err := s.renderOTPEmail(ctx, &email, code); err != nil {
		return err
	}
	now = s.clock.Now()
	outboxID, err := s.store.CreateOTP(ctx, store.CreateOTPParams{UserID: u.ID, CodeHash: hash, Now: now,
		ExpiresAt: now.Add(OTPValidFor), MinInterval: OTPResendAfter, Email: email, Actor: u.Username})
	if err != nil {
		return err
	}
	s.log.Info("password code queued", "user_id", u.ID, "outbox_id", outboxID)
	return nil
}

// otpEmail returns the recipient of the login's code as an outbox message
// without content. With no address to send to, the error explains how to
// add one.
func (s *Service) otpEmail(ctx context.Context, u store.User) (store.OutboxMessage, error) {
	m := store.OutboxMessage{Kind: string(mailer.KindOTP)}
	if u.Role == store.RoleCustomer {
		c, err := s.store.Customer(ctx, u.CustomerCRF)
		if err != nil {
			return m, err
		}
		if strings.TrimSpace(c.Email) == "" {
			return m, message.NewError("your account has no email address, so no code can be sent: " +
				"add one under My details, or ask the office to add it")
		}
		m.Recipient, m.RecipientName, m.CustomerCRF = c.Email, c.Name, c.CRF
		return m, nil
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return m, err
	}
	if strings.TrimSpace(st.BusinessEmail) == "" {
		return m, message.NewError("the business email in Settings is empty, so no code can be sent: " +
			"enter the business email in Settings first")
	}
	m.Recipient, m.RecipientName = st.BusinessEmail, u.Username
	return m, nil
}

// renderOTPEmail fills the subject and bodies of m with the code.
func (s *Service) renderOTPEmail(ctx context.Context, m *store.OutboxMessage, code string) error {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return err
	}
	data := mailer.OTPData{Business: business(st), Name: m.RecipientName, Code: code,
		ValidMinutes: int(OTPValidFor / time.Minute)}
	rendered, err := s.composeEmail(ctx, mailer.KindOTP, m.Recipient, m.RecipientName, data)
	if err != nil {
		return err
	}
	rendered.CustomerCRF = m.CustomerCRF
	*m = rendered
	return nil
}

// newOTPCode returns a uniformly random code of OTPDigits digits, with
// leading zeros kept.
func newOTPCode() (string, error) {
	limit := big.NewInt(1)
	for range OTPDigits {
		limit.Mul(limit, big.NewInt(10))
	}
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return "", fmt.Errorf("generate code: %w", err)
	}
	return fmt.Sprintf("%0*d", OTPDigits, n), nil
}

// ChangePasswordWithOTP sets a new password for the session's login when
// code matches its latest requested code. A wrong code counts a try, and
// after 5 wrong tries the code no longer works even when right. Expired,
// replaced and used codes are rejected, each with its own error. The new
// password and the used mark are stored in one transaction.
func (s *Service) ChangePasswordWithOTP(ctx context.Context, sess Session, code, newPassword, confirm string) error {
	if sess.UserID == 0 {
		return message.Wrap(ErrForbidden, "log in first")
	}
	var v validator
	code = strings.TrimSpace(code)
	if len(code) != OTPDigits || !isASCIIDigits(code) {
		v.add("code", message.New("Enter the {{.Digits}}-digit code from the email.", "Digits", OTPDigits))
	}
	checkNewPassword(&v, newPassword, confirm)
	if err := v.err(); err != nil {
		return err
	}
	hash, err := s.hashPassword(newPassword)
	if err != nil {
		return err
	}

	result, err := s.store.UseOTP(ctx, store.UseOTPParams{UserID: sess.UserID, Now: s.clock.Now(),
		MaxAttempts: OTPMaxAttempts, NewPasswordHash: hash, Actor: sess.Username,
		Matches: func(codeHash string) bool {
			return bcrypt.CompareHashAndPassword([]byte(codeHash), []byte(code)) == nil
		}})
	if err != nil {
		return err
	}
	s.log.Info("password change with code", "user_id", sess.UserID, "outcome", otpOutcome(result.Check))
	return otpError(result)
}

func otpError(r store.OTPResult) error {
	switch r.Check {
	case store.OTPAccepted:
		return nil
	case store.OTPMissing:
		return ErrOTPNotRequested
	case store.OTPWrong:
		return &OTPWrongError{AttemptsLeft: r.AttemptsLeft}
	case store.OTPBlocked:
		return ErrOTPBlocked
	case store.OTPExpired:
		return ErrOTPExpired
	case store.OTPUsed:
		return ErrOTPUsed
	}
	return fmt.Errorf("unknown code check result %d", r.Check)
}

// otpOutcome names a result for the log.
func otpOutcome(c store.OTPCheck) string {
	names := map[store.OTPCheck]string{store.OTPAccepted: "accepted", store.OTPMissing: "not_requested",
		store.OTPWrong: "wrong", store.OTPBlocked: "blocked", store.OTPExpired: "expired", store.OTPUsed: "used"}
	if name, ok := names[c]; ok {
		return name
	}
	return fmt.Sprint(int(c))
}
