package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strings"

	"github.com/wneessen/go-mail/smtp"
)

// step is the part of the SMTP conversation in progress when an error
// happened.
type step int

const (
	stepCompose step = iota
	stepConnect
	stepTLSHandshake
	stepGreeting // greeting, EHLO and STARTTLS
	stepAuth
	stepMailFrom
	stepRcptTo
	stepData
	stepContent
	stepDataEnd
	stepQuit
)

func (s step) String() string {
	names := [...]string{
		stepCompose:      "composing the message",
		stepConnect:      "connecting",
		stepTLSHandshake: "the TLS handshake",
		stepGreeting:     "the greeting and EHLO",
		stepAuth:         "authentication",
		stepMailFrom:     "MAIL FROM",
		stepRcptTo:       "RCPT TO",
		stepData:         "DATA",
		stepContent:      "sending the message content",
		stepDataEnd:      "the end of the message",
		stepQuit:         "QUIT",
	}
	if s < 0 || int(s) >= len(names) {
		return fmt.Sprintf("step %d", int(s))
	}
	return names[s]
}

// stepError is an error together with the step at which it happened, which
// Permanent reads.
type stepError struct {
	step step
	err  error
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// invalidMessage marks an error in the message itself, which no retry fixes.
func invalidMessage(err error) error {
	return &stepError{step: stepCompose, err: err}
}

// Permanent reports whether an error from Send will not go away by retrying:
// the message is invalid, or the server rejected the recipient or the
// message with a 5xx reply. Failures to connect, a TLS or authentication
// failure and a rejected sender are not permanent, because they come from
// the settings or the server, and the message can be delivered once these
// are fixed.
func Permanent(err error) bool {
	var stepErr *stepError
	if !errors.As(err, &stepErr) {
		return false
	}
	switch stepErr.step {
	case stepCompose:
		return true
	case stepRcptTo, stepData, stepDataEnd:
		code := replyCode(stepErr.err)
		return code >= 500 && code <= 599
	}
	return false
}

// describe wraps an error from the conversation with the server address,
// the step that failed and what to check.
func describe(c *conversation, err error) error {
	address := c.settings.address()
	if c.ctx.Err() != nil {
		return fmt.Errorf("sending through %s was stopped during %s: %w",
			address, c.step, context.Cause(c.ctx))
	}

	err = &stepError{step: c.step, err: err}
	switch {
	case isTimeout(err):
		return fmt.Errorf("%s did not respond within %s during %s: %w. %s",
			address, c.settings.timeout(), c.step, err, timeoutHint(c.step))
	case c.step == stepTLSHandshake || isTLSError(err):
		return fmt.Errorf("TLS handshake with %s failed: %w. Check that the security setting matches the port, "+
			"usually STARTTLS on 587 and TLS on 465, and that the server certificate is valid for %s",
			address, err, c.settings.Host)
	}
	return describeStep(c, address, err)
}

func describeStep(c *conversation, address string, err error) error {
	switch c.step {
	case stepConnect:
		return fmt.Errorf("connecting to %s failed: %w. Check the host and port, "+
			"and that the server is running and reachable from this computer", address, err)
	case stepGreeting:
		return describeGreeting(address, err)
	case stepAuth:
		return describeAuth(c.settings.Username, address, err)
	case stepMailFrom:
		return fmt.Errorf("%s rejected the sender %s: %w. %s", address, c.settings.From, err, senderHint(err))
	case stepRcptTo:
		return fmt.Errorf("%s rejected the recipient %s: %w. %s", address, c.to, err, recipientHint(err))
	case stepData, stepContent, stepDataEnd:
		return fmt.Errorf("%s did not accept the message to %s during %s: %w",
			address, c.to, c.step, err)
	}
	return fmt.Errorf("SMTP conversation with %s failed during %s: %w", address, c.step, err)
}

func describeGreeting(address string, err error) error {
	// go-mail v0.8.1 reports a missing STARTTLS extension with a plain
	// error whose text names STARTTLS, so the text is all there is to test.
	if strings.Contains(err.Error(), "STARTTLS") {
		return fmt.Errorf("%s does not offer STARTTLS: %w. Choose TLS if the port is 465, "+
			"or None for a local relay without encryption", address, err)
	}
	return fmt.Errorf("SMTP session with %s failed during the greeting: %w. "+
		"Check that %s is an SMTP server and that the security setting matches the port", address, err, address)
}

func describeAuth(username, address string, err error) error {
	var noMechanism *noMechanismError
	switch {
	case errors.Is(err, smtp.ErrUnencrypted):
		return fmt.Errorf("authentication for user %q at %s was not attempted, because the connection "+
			"is not encrypted and the password would travel in clear text: %w. Choose STARTTLS or TLS",
			username, address, err)
	case errors.As(err, &noMechanism):
		return fmt.Errorf("authentication failed for user %q at %s: %w. "+
			"Check the security setting, since many servers offer authentication only over TLS",
			username, address, err)
	}
	return fmt.Errorf("authentication failed for user %q at %s: %w. Check the username and password",
		username, address, err)
}

func senderHint(err error) string {
	if replyCode(err) == 530 {
		return "The server requires authentication, so enter a username and password"
	}
	return "Check that the account may send from this address"
}

func recipientHint(err error) string {
	if code := replyCode(err); code >= 400 && code <= 499 {
		return "The server asked to try again later"
	}
	return "Check the recipient's email address"
}

// replyCode returns the code of the SMTP reply in err, or 0 when err holds
// no reply.
func replyCode(err error) int {
	var reply *textproto.Error
	if errors.As(err, &reply) {
		return reply.Code
	}
	return 0
}

func timeoutHint(s step) string {
	if s <= stepGreeting {
		return "Check the host and port, and that the security setting matches the port, " +
			"usually STARTTLS on 587 and TLS on 465"
	}
	return "The server may be busy. Try again later or raise the timeout"
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout())
}

func isTLSError(err error) bool {
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var verifyErr *tls.CertificateVerificationError
	return errors.As(err, &recordErr) || errors.As(err, &alertErr) || errors.As(err, &verifyErr)
}

// redactedError hides the password in case a server echoes it in a reply.
// Its Error text never contains the password, while Unwrap keeps the chain
// for errors.Is and errors.As.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, password string) error {
	if err == nil || password == "" || !strings.Contains(err.Error(), password) {
		return err
	}
	return &redactedError{text: strings.ReplaceAll(err.Error(), password, "[password]"), err: err}
}
