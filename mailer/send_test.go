package mailer

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ctvms/ctvms/mailer/smtptest"
)

// parsedMessage is a received message split into its parts.
type parsedMessage struct {
	header      mail.Header
	subject     string
	text        string
	html        string
	attachments map[string][]byte
	types       map[string]string // content type by attachment name
}

func parseMessage(t *testing.T, data []byte) parsedMessage {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject %q: %v", msg.Header.Get("Subject"), err)
	}
	parsed := parsedMessage{
		header:      msg.Header,
		subject:     subject,
		attachments: map[string][]byte{},
		types:       map[string]string{},
	}
	walkPart(t, textproto.MIMEHeader(msg.Header), msg.Body, &parsed)
	return parsed
}

// walkPart stores the text, HTML and attachment parts under header.
func walkPart(t *testing.T, header textproto.MIMEHeader, body io.Reader, parsed *parsedMessage) {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("parse content type %q: %v", header.Get("Content-Type"), err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		reader := multipart.NewReader(body, params["boundary"])
		for {
			part, err := reader.NextPart()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatalf("read %s part: %v", mediaType, err)
			}
			walkPart(t, part.Header, part, parsed)
		}
	}

	content := decodeBody(t, header.Get("Content-Transfer-Encoding"), body)
	if _, dispositionParams, err := mime.ParseMediaType(header.Get("Content-Disposition")); err == nil &&
		dispositionParams["filename"] != "" {
		parsed.attachments[dispositionParams["filename"]] = content
		parsed.types[dispositionParams["filename"]] = mediaType
		return
	}
	switch mediaType {
	case "text/plain":
		parsed.text = string(content)
	case "text/html":
		parsed.html = string(content)
	}
}

// decodeBody decodes a part. multipart.Reader already decodes
// quoted-printable parts and removes their encoding header.
func decodeBody(t *testing.T, encoding string, body io.Reader) []byte {
	t.Helper()
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	content, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("decode %s body: %v", encoding, err)
	}
	return content
}

func sampleMessage() Message {
	return Message{
		To:      "anitha@example.net",
		ToName:  "Anitha Menon",
		Subject: "Invoice INV-2026-000128",
		Text:    "Your invoice is attached.",
		HTML:    "<p>Your invoice is attached.</p>",
	}
}

// onlyMessage returns the single message that backend received.
func onlyMessage(t *testing.T, backend *testBackend) receivedMessage {
	t.Helper()
	received := backend.received()
	if len(received) != 1 {
		t.Fatalf("server received %d messages, want 1", len(received))
	}
	return received[0]
}

func TestSendSecurityModes(t *testing.T) {
	tests := []struct {
		security Security
		wantTLS  bool
	}{
		{SecurityNone, false},
		{SecuritySTARTTLS, true},
		{SecurityTLS, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.security), func(t *testing.T) {
			backend := &testBackend{}
			settings := testSettings(t, tt.security, startServer(t, tt.security, backend))

			if err := Send(context.Background(), settings, sampleMessage()); err != nil {
				t.Fatalf("Send: %v", err)
			}

			got := onlyMessage(t, backend)
			if got.overTLS != tt.wantTLS {
				t.Errorf("received over TLS = %v, want %v", got.overTLS, tt.wantTLS)
			}
			if got.from != settings.From {
				t.Errorf("MAIL FROM = %q, want %q", got.from, settings.From)
			}
			if len(got.to) != 1 || got.to[0] != "anitha@example.net" {
				t.Errorf("RCPT TO = %q, want [anitha@example.net]", got.to)
			}
			parsed := parseMessage(t, got.data)
			if parsed.subject != "Invoice INV-2026-000128" {
				t.Errorf("Subject = %q", parsed.subject)
			}
			if !strings.Contains(parsed.header.Get("From"), "Sunrise Cable Network") {
				t.Errorf("From header %q lacks the sender name", parsed.header.Get("From"))
			}
		})
	}
}

func TestSendUntrustedCertificate(t *testing.T) {
	for _, security := range []Security{SecuritySTARTTLS, SecurityTLS} {
		t.Run(string(security), func(t *testing.T) {
			backend := &testBackend{}
			settings := testSettings(t, security, startServer(t, security, backend))
			settings.RootCAs = x509.NewCertPool()

			err := Send(context.Background(), settings, sampleMessage())
			if err == nil {
				t.Fatal("Send succeeded with an untrusted certificate")
			}
			if !strings.Contains(err.Error(), "TLS handshake with "+settings.address()+" failed") {
				t.Errorf("error %q does not name the TLS handshake and the address", err)
			}
			if Permanent(err) {
				t.Errorf("Permanent(%q) = true, want false", err)
			}
			if n := len(backend.received()); n != 0 {
				t.Errorf("server received %d messages", n)
			}
		})
	}
}

func TestSendInsecureSkipVerify(t *testing.T) {
	backend := &testBackend{}
	settings := testSettings(t, SecurityTLS, startServer(t, SecurityTLS, backend))
	settings.RootCAs = x509.NewCertPool()
	settings.InsecureSkipVerify = true

	if err := Send(context.Background(), settings, sampleMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	onlyMessage(t, backend)
}

func TestSendSTARTTLSNotOffered(t *testing.T) {
	backend := &testBackend{}
	port := startServer(t, SecurityNone, backend)
	settings := testSettings(t, SecuritySTARTTLS, port)

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil {
		t.Fatal("Send succeeded although the server offers no STARTTLS")
	}
	if !strings.Contains(err.Error(), settings.address()+" does not offer STARTTLS") {
		t.Errorf("error %q does not say that STARTTLS is missing", err)
	}
}

func TestSendImplicitTLSToPlainServer(t *testing.T) {
	backend := &testBackend{}
	settings := testSettings(t, SecurityTLS, startServer(t, SecurityNone, backend))

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil {
		t.Fatal("Send succeeded with TLS against a plain server")
	}
	if !strings.Contains(err.Error(), "TLS handshake with "+settings.address()) {
		t.Errorf("error %q does not name the TLS handshake", err)
	}
}

func TestSendAuthAccepted(t *testing.T) {
	backend := &testBackend{username: "billing", password: "c0rrect-Horse"}
	settings := testSettings(t, SecuritySTARTTLS, startServer(t, SecuritySTARTTLS, backend))
	settings.Username = "billing"
	settings.Password = "c0rrect-Horse"

	if err := Send(context.Background(), settings, sampleMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := onlyMessage(t, backend).username; got != "billing" {
		t.Errorf("authenticated user = %q, want billing", got)
	}
}

func TestSendAuthOverPlainLocalConnection(t *testing.T) {
	backend := &testBackend{username: "relay", password: "relay-secret"}
	settings := testSettings(t, SecurityNone, startServer(t, SecurityNone, backend))
	settings.Username = "relay"
	settings.Password = "relay-secret"

	if err := Send(context.Background(), settings, sampleMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := onlyMessage(t, backend).username; got != "relay" {
		t.Errorf("authenticated user = %q, want relay", got)
	}
}

func TestSendAuthRejected(t *testing.T) {
	backend := &testBackend{username: "billing", password: "c0rrect-Horse"}
	settings := testSettings(t, SecuritySTARTTLS, startServer(t, SecuritySTARTTLS, backend))
	settings.Username = "billing"
	settings.Password = "Wr0ng-Battery-Staple"

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil {
		t.Fatal("Send succeeded with a wrong password")
	}
	if !strings.Contains(err.Error(), "authentication failed") {
		t.Errorf("error %q does not say that authentication failed", err)
	}
	if !strings.Contains(err.Error(), settings.address()) {
		t.Errorf("error %q does not name the server %s", err, settings.address())
	}
	if strings.Contains(err.Error(), settings.Password) {
		t.Errorf("error %q contains the password", err)
	}
	if Permanent(err) {
		t.Errorf("Permanent(%q) = true, want false: the password can be fixed", err)
	}
	if n := len(backend.received()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSendAuthNotOffered(t *testing.T) {
	backend := &testBackend{}
	// Without AllowInsecureAuth, go-smtp offers AUTH only over TLS.
	port := startServer(t, SecurityNone, backend, func(server *smtp.Server) {
		server.AllowInsecureAuth = false
	})
	settings := testSettings(t, SecurityNone, port)
	settings.Username = "billing"
	settings.Password = "c0rrect-Horse"

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil {
		t.Fatal("Send succeeded although the server offers no authentication")
	}
	if !strings.Contains(err.Error(), "does not offer authentication") {
		t.Errorf("error %q does not say that authentication is not offered", err)
	}
}

func TestSendWithoutRequiredAuth(t *testing.T) {
	backend := &testBackend{username: "billing", password: "c0rrect-Horse"}
	settings := testSettings(t, SecurityNone, startServer(t, SecurityNone, backend))

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil {
		t.Fatal("Send succeeded without the required login")
	}
	if !strings.Contains(err.Error(), "rejected the sender "+settings.From) {
		t.Errorf("error %q does not name the rejected sender", err)
	}
	if !strings.Contains(err.Error(), "requires authentication") {
		t.Errorf("error %q does not say that a login is required", err)
	}
	if Permanent(err) {
		t.Errorf("Permanent(%q) = true, want false: the settings can be fixed", err)
	}
}

func TestSendAttachment(t *testing.T) {
	backend := &testBackend{}
	settings := testSettings(t, SecuritySTARTTLS, startServer(t, SecuritySTARTTLS, backend))
	pdf := make([]byte, 50*1024)
	if _, err := rand.Read(pdf); err != nil {
		t.Fatalf("random data: %v", err)
	}
	message := sampleMessage()
	message.Attachments = []Attachment{{Name: "INV-2026-000128.pdf", Data: pdf}}

	if err := Send(context.Background(), settings, message); err != nil {
		t.Fatalf("Send: %v", err)
	}

	parsed := parseMessage(t, onlyMessage(t, backend).data)
	got, ok := parsed.attachments["INV-2026-000128.pdf"]
	if !ok {
		t.Fatalf("attachment missing, got %d attachments", len(parsed.attachments))
	}
	if !bytes.Equal(got, pdf) {
		t.Errorf("attachment differs: got %d bytes, want %d", len(got), len(pdf))
	}
	if typ := parsed.types["INV-2026-000128.pdf"]; typ != "application/pdf" {
		t.Errorf("attachment content type = %q, want application/pdf", typ)
	}
	if parsed.text == "" {
		t.Error("text part missing next to the attachment")
	}
	if parsed.html == "" {
		t.Error("HTML part missing next to the attachment")
	}
}

func TestSendTextAndEscapedHTML(t *testing.T) {
	backend := &testBackend{}
	settings := testSettings(t, SecurityNone, startServer(t, SecurityNone, backend))
	data := sampleComplaint("open", "")
	data.Description = `<script>alert("x")</script> & more`
	message, err := Render(DefaultTemplate(KindComplaintReceived), data)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	message.To = "anitha@example.net"

	if err := Send(context.Background(), settings, message); err != nil {
		t.Fatalf("Send: %v", err)
	}

	parsed := parseMessage(t, onlyMessage(t, backend).data)
	if !strings.Contains(parsed.text, data.Description) {
		t.Errorf("text part lacks the plain description %q:\n%s", data.Description, parsed.text)
	}
	if strings.Contains(parsed.html, "<script>") {
		t.Errorf("HTML part contains an unescaped <script>:\n%s", parsed.html)
	}
	if !strings.Contains(parsed.html, "&lt;script&gt;") {
		t.Errorf("HTML part lacks the escaped &lt;script&gt;:\n%s", parsed.html)
	}
	if !strings.Contains(parsed.html, "CMP-2027-00017") {
		t.Errorf("HTML part lacks the complaint number")
	}
}

func TestSendServerDown(t *testing.T) {
	settings := testSettings(t, SecurityNone, smtptest.ClosedPort(t))

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil {
		t.Fatal("Send succeeded with no server")
	}
	if !strings.Contains(err.Error(), "connecting to "+settings.address()+" failed") {
		t.Errorf("error %q does not name the address %s", err, settings.address())
	}
	if Permanent(err) {
		t.Errorf("Permanent(%q) = true, want false", err)
	}
}

func TestSendRecipientRejected(t *testing.T) {
	tests := []struct {
		name          string
		reply         *smtp.SMTPError
		wantPermanent bool
	}{
		{"550 mailbox unavailable", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}, true},
		{"451 try again later", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backend := &testBackend{rcptReply: tt.reply}
			settings := testSettings(t, SecurityNone, startServer(t, SecurityNone, backend))

			err := Send(context.Background(), settings, sampleMessage())
			if err == nil {
				t.Fatal("Send succeeded with a rejected recipient")
			}
			if got := Permanent(err); got != tt.wantPermanent {
				t.Errorf("Permanent(%q) = %v, want %v", err, got, tt.wantPermanent)
			}
			want := "rejected the recipient anitha@example.net"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
			if !strings.Contains(err.Error(), strconv.Itoa(tt.reply.Code)) {
				t.Errorf("error %q lacks the reply code %d", err, tt.reply.Code)
			}
		})
	}
}

func TestSendHungServer(t *testing.T) {
	for _, security := range []Security{SecurityNone, SecurityTLS} {
		t.Run(string(security), func(t *testing.T) {
			settings := testSettings(t, security, smtptest.HungServer(t))
			settings.Timeout = 300 * time.Millisecond

			start := time.Now()
			err := Send(context.Background(), settings, sampleMessage())
			elapsed := time.Since(start)

			if err == nil {
				t.Fatal("Send succeeded against a silent server")
			}
			if elapsed > 5*time.Second {
				t.Errorf("Send took %s, want under 5s", elapsed)
			}
			want := settings.address() + " did not respond within 300ms"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
			if Permanent(err) {
				t.Errorf("Permanent(%q) = true, want false", err)
			}
		})
	}
}

func TestSendCancelled(t *testing.T) {
	settings := testSettings(t, SecurityNone, smtptest.HungServer(t))
	settings.Timeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(200*time.Millisecond, cancel)
	defer timer.Stop()

	start := time.Now()
	err := Send(ctx, settings, sampleMessage())
	elapsed := time.Since(start)

	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send error = %v, want context.Canceled", err)
	}
	if elapsed > 5*time.Second {
		t.Errorf("Send took %s after cancelling, want under 5s", elapsed)
	}
}

func TestSendInvalidMessage(t *testing.T) {
	tests := []struct {
		name    string
		message Message
		want    string
	}{
		{"missing recipient", Message{Subject: "s", Text: "t"}, "recipient address is missing"},
		{"invalid recipient", Message{To: "anitha at example", Subject: "s", Text: "t"}, `recipient address "anitha at example" is invalid`},
		{"unnamed attachment", Message{To: "a@example.net", Text: "t", Attachments: []Attachment{{Data: []byte("x")}}}, "has no file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Nothing listens on the port, so an attempt to connect would fail
			// with a different error.
			settings := testSettings(t, SecurityNone, smtptest.ClosedPort(t))

			err := Send(context.Background(), settings, tt.message)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Send error = %v, want one containing %q", err, tt.want)
			}
			if !Permanent(err) {
				t.Errorf("Permanent(%q) = false, want true", err)
			}
		})
	}
}

func TestSendInvalidSettings(t *testing.T) {
	settings := Settings{Host: "smtp.example.com", Port: 0, Security: SecuritySTARTTLS, From: "billing@example.com"}

	err := Send(context.Background(), settings, sampleMessage())
	if err == nil || !strings.Contains(err.Error(), "SMTP port 0 is invalid") {
		t.Fatalf("Send error = %v, want one about the port", err)
	}
	if Permanent(err) {
		t.Errorf("Permanent(%q) = true, want false: the settings can be fixed", err)
	}
}

func TestPermanentOtherErrors(t *testing.T) {
	tests := []error{
		nil,
		errors.New("something failed"),
		fmt.Errorf("wrapped: %w", context.DeadlineExceeded),
	}
	for _, err := range tests {
		if Permanent(err) {
			t.Errorf("Permanent(%v) = true, want false", err)
		}
	}
}

func TestRedactRemovesPassword(t *testing.T) {
	inner := errors.New("535 rejected secret-pw for billing")
	err := redact(inner, "secret-pw")

	if strings.Contains(err.Error(), "secret-pw") {
		t.Errorf("redacted error %q contains the password", err)
	}
	if !errors.Is(err, inner) {
		t.Error("redacted error does not wrap the original")
	}
}
