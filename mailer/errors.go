package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"

	"github.com/wneessen/go-mail/smtp"

	"github.com/ctvms/ctvms/billing/message"
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

// label returns the step for a sentence such as "… failed during {{.Step}}":
// a text for people, or the SMTP command itself, which has no translation.
func (s step) label() any {
	switch s {
	case stepCompose:
		return message.New("composing the message")
	case stepConnect:
		return message.New("connecting")
	case stepTLSHandshake:
		return message.New("the TLS handshake")
	case stepGreeting:
		return message.New("the greeting and EHLO")
	case stepAuth:
		return message.New("authentication")
	case stepMailFrom:
		return "MAIL FROM"
	case stepRcptTo:
		return "RCPT TO"
	case stepData:
		return "DATA"
	case stepContent:
		return message.New("sending the message content")
	case stepDataEnd:
		return message.New("the end of the message")
	case stepQuit:
		return "QUIT"
	}
	return fmt.Sprintf("step %d", int(s))
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
// the step that failed and what to check, as a message that the screen
// shows in the chosen language. The error's own text, from the network or
// the server, stays a value of the message.
func describe(c *conversation, err error) *message.Error {
	address := c.settings.address()
	if c.ctx.Err() != nil {
		return message.WithCause(context.Cause(c.ctx), "sending through {{.Address}} was stopped during {{.Step}}: "+
			"{{.Reason}}", "Address", address, "Step", c.step.label(), "Reason", context.Cause(c.ctx))
	}

	err = &stepError{step: c.step, err: err}
	switch {
	case isTimeout(err):
		return message.WithCause(err, "{{.Address}} did not respond within {{.Timeout}} during {{.Step}}: "+
			"{{.Reason}}. {{.Hint}}", "Address", address, "Timeout", c.settings.timeout().String(),
			"Step", c.step.label(), "Reason", err, "Hint", timeoutHint(c.step))
	case c.step == stepTLSHandshake || isTLSError(err):
		return message.WithCause(err, "TLS handshake with {{.Address}} failed: {{.Reason}}. Check that the security "+
			"setting matches the port, usually STARTTLS on 587 and TLS on 465, and that the server certificate is "+
			"valid for {{.Host}}", "Address", address, "Reason", err, "Host", c.settings.Host)
	}
	return describeStep(c, address, err)
}

func describeStep(c *conversation, address string, err error) *message.Error {
	switch c.step {
	case stepConnect:
		return message.WithCause(err, "connecting to {{.Address}} failed: {{.Reason}}. Check the host and port, "+
			"and that the server is running and reachable from this computer", "Address", address, "Reason", err)
	case stepGreeting:
		return describeGreeting(address, err)
	case stepAuth:
		return describeAuth(c.settings.Username, address, err)
	case stepMailFrom:
		return message.WithCause(err, "{{.Address}} rejected the sender {{.From}}: {{.Reason}}. {{.Hint}}",
			"Address", address, "From", c.settings.From, "Reason", err, "Hint", senderHint(err))
	case stepRcptTo:
		return message.WithCause(err, "{{.Address}} rejected the recipient {{.To}}: {{.Reason}}. {{.Hint}}",
			"Address", address, "To", c.to, "Reason", err, "Hint", recipientHint(err))
	case stepData, stepContent, stepDataEnd:
		return message.WithCause(err, "{{.Address}} did not accept the message to {{.To}} during {{.Step}}: "+
			"{{.Reason}}", "Address", address, "To", c.to, "Step", c.step.label(), "Reason", err)
	}
	return message.WithCause(err, "SMTP conversation with {{.Address}} failed during {{.Step}}: {{.Reason}}",
		"Address", address, "Step", c.step.label(), "Reason", err)
}

func describeGreeting(address string, err error) *message.Error {
	// go-mail v0.8.1 reports a missing STARTTLS extension with a plain
	// error whose text names STARTTLS, so the text is all there is to test.
	if strings.Contains(err.Error(), "STARTTLS") {
		return message.WithCause(err, "{{.Address}} does not offer STARTTLS: {{.Reason}}. Choose TLS if the port "+
			"is 465, or None for a local relay without encryption", "Address", address, "Reason", err)
	}
	return message.WithCause(err, "SMTP session with {{.Address}} failed during the greeting: {{.Reason}}. "+
		"Check that {{.Address}} is an SMTP server and that the security setting matches the port",
		"Address", address, "Reason", err)
}

func describeAuth(username, address string, err error) *message.Error {
	user := strconv.Quote(username)
	var noMechanism *noMechanismError
	switch {
	case errors.Is(err, smtp.ErrUnencrypted):
		return message.WithCause(err, "authentication for user {{.User}} at {{.Address}} was not attempted, "+
			"because the connection is not encrypted and the password would travel in clear text: {{.Reason}}. "+
			"Choose STARTTLS or TLS", "User", user, "Address", address, "Reason", err)
	case errors.As(err, &noMechanism):
		// The reason is the translated text of noMechanismError alone,
		// without the "SMTP AUTH failed: " that go-mail puts before it.
		return message.WithCause(err, "authentication failed for user {{.User}} at {{.Address}}: {{.Reason}}. "+
			"Check the security setting, since many servers offer authentication only over TLS",
			"User", user, "Address", address, "Reason", noMechanism.text())
	}
	return message.WithCause(err, "authentication failed for user {{.User}} at {{.Address}}: {{.Reason}}. "+
		"Check the username and password", "User", user, "Address", address, "Reason", err)
}

func senderHint(err error) message.Text {
	if replyCode(err) == 530 {
		return message.New("The server requires authentication, so enter a username and password")
	}
	return message.New("Check that the account may send from this address")
}

func recipientHint(err error) message.Text {
	if code := replyCode(err); code >= 400 && code <= 499 {
		return message.New("The server asked to try again later")
	}
	return message.New("Check the recipient's email address")
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

func timeoutHint(s step) message.Text {
	if s <= stepGreeting {
		return message.New("Check the host and port, and that the security setting matches the port, " +
			"usually STARTTLS on 587 and TLS on 465")
	}
	return message.New("The server may be busy. Try again later or raise the timeout")
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

// joinedText returns the errors joined in err, such as those of
// Settings.Validate, as one text with one error a line, so that each is
// translated and not only the first. It returns err itself unless every
// joined error is a *message.Error whose text is all of its Error text.
func joinedText(err error) any {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	var texts []message.Text
	for _, e := range joined.Unwrap() {
		m, ok := e.(*message.Error)
		if !ok || m.Prefixed() {
			return err
		}
		texts = append(texts, m.Text)
	}
	return message.Join("\n", texts...)
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

// redactValues hides the password in the values of e, in place, so that
// neither e's English text nor its translation contains it. Values that
// are texts come from this package and never contain it.
func redactValues(e *message.Error, password string) *message.Error {
	if password == "" {
		return e
	}
	for name, value := range e.Values {
		switch value := value.(type) {
		case string:
			e.Values[name] = strings.ReplaceAll(value, password, "[password]")
		case error:
			e.Values[name] = redact(value, password)
		}
	}
	return e
}
