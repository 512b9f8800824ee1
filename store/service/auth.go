package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// Login rules.
const (
	MaxFailedLogins   = 5
	LockDuration      = 15 * time.Minute
	MinPasswordLength = 8
)

// Login errors. Wrong usernames and wrong passwords give the same error so
// the screen does not reveal which accounts exist.
var (
	ErrBadCredentials = message.NewError("the username or password is wrong")
	ErrDisabled       = message.NewError("this account is disabled; ask the office")
)

// LockedError is returned while an account is locked after too many
// failed logins.
type LockedError struct {
	Until time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed logins: the account is locked until %s; try again then",
		e.Until.Local().Format("15:04"))
}

// NeedsSetup reports whether the first-start setup has still to run.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	has, err := s.store.HasAdmin(ctx)
	return !has, err
}

// SetupParams are the first admin account and the business profile.
type SetupParams struct {
	Username        string
	Password        string
	ConfirmPassword string
	BusinessName    string
	BusinessAddress string
	BusinessPhone   string
	BusinessEmail   string
}

// Setup creates the first admin and the business profile.
func (s *Service) Setup(ctx context.Context, p SetupParams) error {
	var v validator
	v.required("username", message.New("Admin username"), p.Username)
	if strings.ContainsAny(p.Username, " \t") {
		v.add("username", message.New("Admin username {{.Username}} must not contain spaces.",
			"Username", strconv.Quote(p.Username)))
	}
	if isASCIIDigits(p.Username) {
		v.add("username", message.New("Admin username {{.Username}} must not be only digits, because customers "+
			"log in with their CRF number.", "Username", strconv.Quote(p.Username)))
	}
	checkNewPassword(&v, p.Password, p.ConfirmPassword)
	v.required("business_name", message.New("Business name"), p.BusinessName)
	v.email("business_email", p.BusinessEmail, false)
	if err := v.err(); err != nil {
		return err
	}
	hash, err := s.hashPassword(p.Password)
	if err != nil {
		return err
	}
	settings := store.DefaultSettings()
	settings.BusinessName = strings.TrimSpace(p.BusinessName)
	settings.BusinessAddress = strings.TrimSpace(p.BusinessAddress)
	settings.BusinessPhone = strings.TrimSpace(p.BusinessPhone)
	settings.BusinessEmail = strings.TrimSpace(p.BusinessEmail)
	err = s.store.CompleteSetup(ctx, store.SetupParams{Username: strings.TrimSpace(p.Username),
		PasswordHash: hash, Settings: settings, Now: s.clock.Now()})
	if err != nil {
		return err
	}
	s.log.Info("setup complete", "admin", p.Username)
	return nil
}

func checkNewPassword(v *validator, password, confirm string) {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		v.add("password", message.New("The password must have at least {{.Min}} characters.", "Min", MinPasswordLength))
	case len(password) > 72:
		v.add("password", message.New("The password must have at most 72 bytes."))
	case password != confirm:
		v.add("confirm", message.New("The two passwords differ; type the same password twice."))
	}
}

func (s *Service) hashPassword(password string) (string, error) {
	cost := s.cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(hash), nil
}

// Login checks a username (or a customer's CRF number) and password. Five
// wrong passwords in a row lock the account for 15 minutes.
func (s *Service) Login(ctx context.Context, username, password string) (Session, error) {
	username = strings.TrimSpace(username)
	u, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the time a real check takes, so timing does not reveal
		// which usernames exist.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3kMzVu1nCmGa0m3U7uQ0O6e"), []byte(password))
		s.log.Info("login failed", "username", username, "reason", "unknown user")
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	now := s.clock.Now()
	if now.Before(u.LockedUntil) {
		return Session{}, &LockedError{Until: u.LockedUntil}
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return Session{}, s.failLogin(ctx, u, now)
	}
	if u.Disabled {
		return Session{}, ErrDisabled
	}
	if err := s.store.RecordLogin(ctx, u.ID, now); err != nil {
		return Session{}, err
	}
	s.log.Info("login", "user_id", u.ID, "role", u.Role)
	return Session{UserID: u.ID, Username: u.Username, Role: u.Role, CRF: u.CustomerCRF,
		MustChangePassword: u.MustChangePassword}, nil
}

func (s *Service) failLogin(ctx context.Context, u store.User, now time.Time) error {
	until, err := s.store.RecordFailedLogin(ctx, u.ID, now, MaxFailedLogins, LockDuration)
	if err != nil {
		return err
	}
	s.log.Info("login failed", "user_id", u.ID, "reason", "wrong password", "locked", !until.IsZero())
	if !until.IsZero() {
		return &LockedError{Until: until}
	}
	return ErrBadCredentials
}

// SetInitialPassword replaces the random initial password at a customer's
// first login. The login itself has just checked the old password.
func (s *Service) SetInitialPassword(ctx context.Context, sess *Session, password, confirm string) error {
	if !sess.MustChangePassword {
		return message.Wrap(ErrForbidden, "the password was already changed; use Change password")
	}
	var v validator
	checkNewPassword(&v, password, confirm)
	if err := v.err(); err != nil {
		return err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, sess.UserID, hash, false, sess.Username, s.clock.Now()); err != nil {
		return err
	}
	sess.MustChangePassword = false
	return nil
}

// randomPassword returns a password of n characters from an alphabet
// without look-alike characters (no 0/O, 1/l/I), for reading off a slip.
func randomPassword(n int) (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("generate password: %w", err)
		}
		for _, b := range buf {
			// Bytes above the last whole multiple of the alphabet's size
			// are dropped, so every character is equally likely.
			if int(b) < 256-256%len(alphabet) && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
