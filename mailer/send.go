package mailer

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"slices"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/ctvms/ctvms/billing/message"
)

// Send delivers one message through the server in s. The error names the
// server, the step that failed (connecting, TLS handshake, authentication,
// sender, recipient, message) and what to check, as a *message.Error that
// the screens translate. Its text never contains the password.
// Cancelling ctx closes the connection at once.
func Send(ctx context.Context, s Settings, m Message) error {
	if err := s.Validate(); err != nil {
		return message.WithCause(err, "SMTP settings are invalid:\n{{.Reason}}", "Reason", joinedText(err))
	}
	msg, to, err := compose(s, m)
	if err != nil {
		return err
	}

	c := &conversation{ctx: ctx, settings: s, to: to}
	defer c.close()
	if err := c.send(msg); err != nil {
		return redactValues(describe(c, err), s.Password)
	}
	return nil
}

// conversation is one SMTP session. It records the step in progress so that
// an error can be explained by where it happened.
type conversation struct {
	ctx      context.Context
	settings Settings
	to       string
	step     step
	conn     net.Conn
	// stopClose cancels the closing of conn when ctx is cancelled.
	stopClose func() bool
}

func (c *conversation) send(msg *gomail.Msg) error {
	client, err := c.open()
	if err != nil {
		return err
	}
	if err := c.deliver(client, msg); err != nil {
		return err
	}

	// The server has accepted the message, so a failed QUIT loses nothing.
	c.step = stepQuit
	_ = client.Quit()
	return nil
}

// open connects, reads the greeting, sends EHLO, upgrades with STARTTLS when
// configured and authenticates when a username is set.
func (c *conversation) open() (*smtp.Client, error) {
	s := c.settings
	options := []gomail.Option{
		gomail.WithPort(s.Port),
		gomail.WithTimeout(s.timeout()),
		gomail.WithTLSConfig(c.tlsConfig()),
		gomail.WithDialContextFunc(c.dial),
		gomail.WithTLSPolicy(c.tlsPolicy()),
	}
	if s.Username != "" {
		auth := &authenticator{conversation: c, username: s.Username, password: s.Password, host: s.Host}
		options = append(options, gomail.WithSMTPAuthCustom(auth))
	}

	client, err := gomail.NewClient(s.Host, options...)
	if err != nil {
		return nil, message.WithCause(err, "setting up the SMTP client failed: {{.Reason}}", "Reason", err)
	}
	return client.DialToSMTPClientWithContext(c.ctx)
}

// tlsPolicy makes STARTTLS required in that mode and off otherwise, because
// with implicit TLS dial has already encrypted the connection.
func (c *conversation) tlsPolicy() gomail.TLSPolicy {
	if c.settings.Security == SecuritySTARTTLS {
		return gomail.TLSMandatory
	}
	return gomail.NoTLS
}

func (c *conversation) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         c.settings.Host,
		MinVersion:         tls.VersionTLS12,
		RootCAs:            c.settings.RootCAs,
		InsecureSkipVerify: c.settings.InsecureSkipVerify, //nolint:gosec // only when the settings request it
	}
}

// dial opens the TCP connection and, for implicit TLS, completes the
// handshake itself, so that a failure is known to be the connection or the
// handshake. go-mail's SMTP client detects the *tls.Conn and treats the
// session as encrypted, and its own STARTTLS step stays off because the
// policy is NoTLS.
func (c *conversation) dial(ctx context.Context, network, address string) (net.Conn, error) {
	c.step = stepConnect
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	c.stopClose = context.AfterFunc(c.ctx, func() { conn.Close() })

	if c.settings.Security == SecurityTLS {
		c.step = stepTLSHandshake
		tlsConn := tls.Client(conn, c.tlsConfig())
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		conn = tlsConn
	}
	c.step = stepGreeting
	return conn, nil
}

// deliver sends MAIL FROM, RCPT TO and DATA. Each command gets the full
// timeout, and writing the message renews it before every write, so a large
// attachment on a slow link is not cut off while data still flows.
func (c *conversation) deliver(client *smtp.Client, msg *gomail.Msg) error {
	timeout := c.settings.timeout()
	steps := []struct {
		step step
		run  func() error
	}{
		{stepMailFrom, func() error { return client.Mail(c.settings.From) }},
		{stepRcptTo, func() error { return client.Rcpt(c.to) }},
		{stepData, func() error { return c.writeData(client, msg) }},
	}
	for _, s := range steps {
		c.step = s.step
		if err := client.UpdateDeadline(timeout); err != nil {
			return err
		}
		if err := s.run(); err != nil {
			return err
		}
	}
	return nil
}

func (c *conversation) writeData(client *smtp.Client, msg *gomail.Msg) error {
	data, err := client.Data()
	if err != nil {
		return err
	}
	c.step = stepContent
	body := &renewingWriter{w: data, renew: func() error {
		return client.UpdateDeadline(c.settings.timeout())
	}}
	if _, err := msg.WriteTo(body); err != nil {
		return err
	}

	c.step = stepDataEnd
	if err := client.UpdateDeadline(c.settings.timeout()); err != nil {
		return err
	}
	return data.Close()
}

// close releases the connection, which go-mail leaves open when the session
// fails before it returns a client.
func (c *conversation) close() {
	if c.stopClose != nil {
		c.stopClose()
	}
	if c.conn != nil {
		_ = c.conn.Close()
	}
}

// renewingWriter renews the connection deadline before every write.
type renewingWriter struct {
	w     io.Writer
	renew func() error
}

func (r *renewingWriter) Write(p []byte) (int, error) {
	if err := r.renew(); err != nil {
		return 0, err
	}
	return r.w.Write(p)
}

// authenticator chooses PLAIN, LOGIN or CRAM-MD5 from the mechanisms the
// server offers, in that order, and records that authentication started.
type authenticator struct {
	conversation *conversation
	username     string
	password     string
	host         string
	mechanism    smtp.Auth
}

func (a *authenticator) Start(server *smtp.ServerInfo) (string, []byte, error) {
	a.conversation.step = stepAuth
	switch {
	case offers(server, "PLAIN"):
		a.mechanism = smtp.PlainAuth("", a.username, a.password, a.host, false)
	case offers(server, "LOGIN"):
		a.mechanism = smtp.LoginAuth(a.username, a.password, a.host, false)
	case offers(server, "CRAM-MD5"):
		a.mechanism = smtp.CRAMMD5Auth(a.username, a.password)
	default:
		return "", nil, &noMechanismError{offered: server.Auth}
	}
	return a.mechanism.Start(server)
}

func (a *authenticator) Next(fromServer []byte, more bool) ([]byte, error) {
	return a.mechanism.Next(fromServer, more)
}

func offers(server *smtp.ServerInfo, mechanism string) bool {
	return slices.Contains(server.Auth, mechanism)
}

// noMechanismError reports that the server offers no supported way to log in.
type noMechanismError struct {
	offered []string
}

func (e *noMechanismError) Error() string { return e.text().String() }

func (e *noMechanismError) text() message.Text {
	if len(e.offered) == 0 {
		return message.New("the server does not offer authentication")
	}
	return message.New("the server offers only {{.Offered}}, and PLAIN, LOGIN and CRAM-MD5 are supported",
		"Offered", fmt.Sprint(e.offered))
}
