package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// Bounds of the SMTP timeout that the settings form accepts, in seconds.
const (
	minSMTPTimeoutSeconds = 1
	maxSMTPTimeoutSeconds = 300
)

// SMTPView is the SMTP part of the settings as the Email screen shows it.
// The password itself is never returned.
type SMTPView struct {
	Host     string
	Port     int
	Security mailer.Security
	Username string
	// PasswordSet reports whether a password is stored.
	PasswordSet    bool
	From           string
	FromName       string
	TimeoutSeconds int
	// Configured reports whether the host, port and sender are set, so the
	// outbox worker tries to deliver.
	Configured bool
}

// SMTPInput is the SMTP settings form as typed.
type SMTPInput struct {
	// Host empty turns delivery off: queued messages stay queued.
	Host string
	Port string
	// Security empty keeps the stored mode, STARTTLS on a new database.
	Security mailer.Security
	Username string
	// Password empty keeps the stored password. A stored password is
	// dropped when Username is empty.
	Password string
	From     string
	FromName string
	// TimeoutSeconds empty means mailer.DefaultTimeout.
	TimeoutSeconds string
}

// SMTPSettings returns the SMTP settings without the password. Admin only.
func (s *Service) SMTPSettings(ctx context.Context, sess Session) (SMTPView, error) {
	if err := requireAdmin(sess); err != nil {
		return SMTPView{}, err
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return SMTPView{}, err
	}
	return SMTPView{
		Host:           st.SMTPHost,
		Port:           st.SMTPPort,
		Security:       mailer.Security(st.SMTPSecurity),
		Username:       st.SMTPUsername,
		PasswordSet:    st.SMTPPassword != "",
		From:           st.SMTPFrom,
		FromName:       st.SMTPFromName,
		TimeoutSeconds: st.SMTPTimeoutSeconds,
		Configured:     mailerSettings(st).Configured(),
	}, nil
}

// SaveSMTPSettings validates and stores the SMTP settings. An empty
// password keeps the stored one. Invalid input returns FieldErrors with
// the fields host, port, security, username, password, from, from_name and
// timeout. Admin only.
func (s *Service) SaveSMTPSettings(ctx context.Context, sess Session, in SMTPInput) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return err
	}
	next, err := applySMTPInput(st, in)
	if err != nil {
		return err
	}
	if err := s.store.SaveSettings(ctx, sess.Username, next); err != nil {
		return err
	}
	s.log.Info("SMTP settings saved", "user_id", sess.UserID, "configured", mailerSettings(next).Configured())
	return nil
}

// applySMTPInput returns st with the SMTP fields taken from in, or the
// field errors of in.
func applySMTPInput(st store.Settings, in SMTPInput) (store.Settings, error) {
	var v validator
	port := parseWholeNumber(&v, "port", message.New("SMTP port"), in.Port, st.SMTPPort)
	timeout := parseWholeNumber(&v, "timeout", message.New("SMTP timeout"), in.TimeoutSeconds,
		int(mailer.DefaultTimeout/time.Second))
	if timeout < minSMTPTimeoutSeconds || timeout > maxSMTPTimeoutSeconds {
		v.add("timeout", message.New("SMTP timeout {{.Seconds}} is invalid: enter {{.Min}} to {{.Max}} seconds.",
			"Seconds", timeout, "Min", minSMTPTimeoutSeconds, "Max", maxSMTPTimeoutSeconds))
	}

	st.SMTPHost = strings.TrimSpace(in.Host)
	st.SMTPPort = port
	if in.Security != "" {
		st.SMTPSecurity = string(in.Security)
	}
	st.SMTPUsername = strings.TrimSpace(in.Username)
	if in.Password != "" {
		st.SMTPPassword = in.Password
	}
	if st.SMTPUsername == "" {
		st.SMTPPassword = ""
	}
	st.SMTPFrom = strings.TrimSpace(in.From)
	st.SMTPFromName = strings.TrimSpace(in.FromName)
	st.SMTPTimeoutSeconds = timeout

	if st.SMTPHost != "" {
		validateSMTP(&v, mailerSettings(st))
	}
	return st, v.err()
}

// parseWholeNumber parses a whole number typed in a form field, returning
// fallback for an empty field.
func parseWholeNumber(v *validator, field string, label message.Text, text string, fallback int) int {
	text = strings.TrimSpace(text)
	if text == "" {
		return fallback
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		v.add(field, message.New("{{.Label}} {{.Text}} is invalid: enter a whole number.", "Label", label,
			"Text", strconv.Quote(text)))
		return fallback
	}
	return n
}

// validateSMTP runs mailer's checks field by field. Each check puts one
// typed value into settings that are otherwise valid, so any error belongs
// to that field whatever its wording. The checks return *message.Error, so
// the screen shows them in the chosen language.
func validateSMTP(v *validator, m mailer.Settings) {
	valid := mailer.Settings{Host: "localhost", Port: 25, Security: mailer.SecurityNone,
		From: "sender@example.com"}
	checks := []struct {
		field string
		set   func(*mailer.Settings)
	}{
		{"host", func(s *mailer.Settings) { s.Host = m.Host }},
		{"port", func(s *mailer.Settings) { s.Port = m.Port }},
		{"security", func(s *mailer.Settings) { s.Security = m.Security }},
		{"password", func(s *mailer.Settings) { s.Username, s.Password = m.Username, m.Password }},
		{"from", func(s *mailer.Settings) { s.From = m.From }},
		{"from_name", func(s *mailer.Settings) { s.FromName = m.FromName }},
	}
	for _, c := range checks {
		s := valid
		c.set(&s)
		if err := s.Validate(); err != nil {
			v.add(c.field, personText(err, message.Text{}))
		}
	}
}

// mailerSettings converts the stored SMTP settings for mailer.Send.
func mailerSettings(st store.Settings) mailer.Settings {
	return mailer.Settings{
		Host:     st.SMTPHost,
		Port:     st.SMTPPort,
		Security: mailer.Security(st.SMTPSecurity),
		Username: st.SMTPUsername,
		Password: st.SMTPPassword,
		From:     st.SMTPFrom,
		FromName: st.SMTPFromName,
		Timeout:  time.Duration(st.SMTPTimeoutSeconds) * time.Second,
	}
}

// SendTestEmail sends a short message to the address to with the stored
// SMTP settings, directly and not through the outbox. On failure it
// returns mailer.Send's error unchanged, which names the server, the step
// that failed and what to check. Admin only.
func (s *Service) SendTestEmail(ctx context.Context, sess Session, to string) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	var v validator
	to = v.email("to", to, true)
	if err := v.err(); err != nil {
		return err
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return err
	}
	settings := mailerSettings(st)
	if !settings.Configured() {
		return message.NewError("SMTP is not configured: enter the host, port and sender address, save, and try again")
	}

	name := st.BusinessName
	if name == "" {
		name = "CTVMS"
	}
	err = mailer.Send(ctx, settings, mailer.Message{
		To:      to,
		Subject: "Test email from " + name,
		Text: "This is a test email from " + name + ".\n\n" +
			"It was sent through " + settings.Host + " with the settings on the Email screen. " +
			"If you can read it, those settings work.\n",
	})
	if err != nil {
		s.log.Warn("test email failed", "user_id", sess.UserID, "err", err)
		return err
	}
	s.log.Info("test email sent", "user_id", sess.UserID)
	return nil
}
