// Package mailer delivers email over SMTP and renders the six email
// templates that the program sends: welcome, password OTP, invoice,
// reminder, complaint received and complaint resolved.
//
// Send speaks SMTP through github.com/wneessen/go-mail. Its errors name the
// server, the step of the conversation that failed and what to check.
// Permanent reports which of them no retry can fix.
package mailer

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing/message"
)

// Security is the way a connection to the SMTP server is encrypted.
type Security string

// The supported security modes.
const (
	// SecuritySTARTTLS connects in plain text and upgrades with STARTTLS
	// before authenticating, usually on port 587. The upgrade is required.
	SecuritySTARTTLS Security = "starttls"
	// SecurityTLS starts TLS as soon as the connection is open, usually on
	// port 465.
	SecurityTLS Security = "tls"
	// SecurityNone never encrypts, which suits a relay on the same machine
	// or network.
	SecurityNone Security = "none"
)

// DefaultTimeout is the timeout that Send uses when Settings.Timeout is zero.
const DefaultTimeout = 20 * time.Second

// Settings are the SMTP server and sender that Send uses.
type Settings struct {
	Host     string
	Port     int
	Security Security

	// Username and Password authenticate with the server when Username is
	// not empty.
	Username string
	Password string

	// From is the sender address, and FromName its display name.
	From     string
	FromName string

	// Timeout bounds each wait of a send: connecting with the TLS
	// handshake, then greeting, EHLO, STARTTLS and authentication together,
	// then each of MAIL FROM, RCPT TO and DATA and each write of the
	// message. Zero means DefaultTimeout.
	Timeout time.Duration

	// InsecureSkipVerify accepts any server certificate. It is meant for
	// tests and for relays with self-signed certificates.
	InsecureSkipVerify bool
	// RootCAs replaces the system certificate pool when it is not nil.
	RootCAs *x509.CertPool
}

// Configured reports whether the host, port and sender address are set, so
// that sending can be attempted at all. Validate checks the values.
func (s Settings) Configured() bool {
	return strings.TrimSpace(s.Host) != "" && s.Port != 0 &&
		strings.TrimSpace(s.From) != ""
}

// Validate checks every field and returns one error per invalid field,
// joined with errors.Join, or nil when the settings can be used.
func (s Settings) Validate() error {
	return errors.Join(
		validateHost(s.Host),
		validatePort(s.Port),
		validateSecurity(s.Security),
		validateCredentials(s.Username, s.Password),
		validateFrom(s.From),
		validateFromName(s.FromName),
		validateTimeout(s.Timeout),
	)
}

// address returns host:port for dialing and for error messages.
func (s Settings) address() string {
	return net.JoinHostPort(s.Host, fmt.Sprint(s.Port))
}

// timeout returns the configured timeout or DefaultTimeout.
func (s Settings) timeout() time.Duration {
	if s.Timeout == 0 {
		return DefaultTimeout
	}
	return s.Timeout
}

func validateHost(host string) error {
	switch {
	case host == "":
		return message.NewError("SMTP host is missing: enter the server name, such as smtp.example.com")
	case host != strings.TrimSpace(host) || strings.ContainsAny(host, " \t\r\n"):
		return message.NewError("SMTP host {{.Host}} is invalid: remove the spaces", "Host", strconv.Quote(host))
	case strings.Contains(host, "://"):
		return message.NewError("SMTP host {{.Host}} is invalid: enter the server name without a scheme such as smtp://",
			"Host", strconv.Quote(host))
	case strings.Contains(host, ":") && net.ParseIP(host) == nil:
		return message.NewError("SMTP host {{.Host}} is invalid: enter the port in the port field, not after the host",
			"Host", strconv.Quote(host))
	}
	return nil
}

func validatePort(port int) error {
	if port < 1 || port > 65535 {
		return message.NewError("SMTP port {{.Port}} is invalid: it must be between 1 and 65535, usually 587 for "+
			"STARTTLS or 465 for TLS", "Port", port)
	}
	return nil
}

func validateSecurity(security Security) error {
	switch security {
	case SecuritySTARTTLS, SecurityTLS, SecurityNone:
		return nil
	}
	return message.NewError("SMTP security {{.Security}} is invalid: it must be {{.STARTTLS}}, {{.TLS}} or {{.None}}",
		"Security", strconv.Quote(string(security)), "STARTTLS", strconv.Quote(string(SecuritySTARTTLS)),
		"TLS", strconv.Quote(string(SecurityTLS)), "None", strconv.Quote(string(SecurityNone)))
}

func validateCredentials(username, password string) error {
	if username != "" && password == "" {
		return message.NewError("SMTP password is missing for user {{.Username}}", "Username", strconv.Quote(username))
	}
	return nil
}

func validateFrom(from string) error {
	if from == "" {
		return message.NewError("sender address is missing: enter the address that emails come from")
	}
	address, err := mail.ParseAddress(from)
	if err != nil || address.Address != from {
		return message.NewError("sender address {{.From}} is invalid: enter a plain address such as billing@example.com",
			"From", strconv.Quote(from))
	}
	return nil
}

func validateFromName(name string) error {
	if strings.ContainsAny(name, "\r\n") {
		return message.NewError("sender name is invalid: it must fit on one line")
	}
	return nil
}

func validateTimeout(timeout time.Duration) error {
	if timeout < 0 {
		return message.NewError("SMTP timeout {{.Timeout}} is invalid: it must not be negative", "Timeout", timeout.String())
	}
	return nil
}
