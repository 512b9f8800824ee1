package service

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/mailer/smtptest"
)

// mailBox is a go-smtp backend that keeps every message it accepts.
type mailBox struct {
	mu sync.Mutex
	// rcptReply, when set, is the reply to every RCPT TO.
	rcptReply *smtp.SMTPError
	messages  []receivedMail
}

// receivedMail is one message accepted by the test server.
type receivedMail struct {
	to   []string
	data string
}

func (b *mailBox) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &mailSession{box: b}, nil
}

func (b *mailBox) received() []receivedMail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]receivedMail(nil), b.messages...)
}

func (b *mailBox) setRcptReply(reply *smtp.SMTPError) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rcptReply = reply
}

type mailSession struct {
	box     *mailBox
	current receivedMail
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error {
	s.current = receivedMail{}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.box.mu.Lock()
	reply := s.box.rcptReply
	s.box.mu.Unlock()
	if reply != nil {
		return reply
	}
	s.current.to = append(s.current.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.current.data = string(data)
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.messages = append(s.box.messages, s.current)
	return nil
}

func (s *mailSession) Reset()        { s.current = receivedMail{} }
func (s *mailSession) Logout() error { return nil }

// startMailServer starts a plain-text go-smtp server on 127.0.0.1 and
// returns its port. A port of 0 picks a free one. The server stops when
// the test ends.
func startMailServer(t *testing.T, box *mailBox, port int) int {
	t.Helper()
	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen on port %d: %v", port, err)
	}
	server := smtp.NewServer(box)
	server.Domain = "localhost"
	server.ReadTimeout = 10 * time.Second
	server.WriteTimeout = 10 * time.Second
	server.ErrorLog = log.New(io.Discard, "", 0)

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := server.Serve(listener); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("SMTP server stopped: %v", err)
		}
	}()
	t.Cleanup(func() {
		server.Close()
		<-done
	})
	return listener.Addr().(*net.TCPAddr).Port
}

// useSMTP points the settings at a plain-text server on 127.0.0.1.
func (e *env) useSMTP(port int, timeoutSeconds string) {
	e.t.Helper()
	err := e.svc.SaveSMTPSettings(e.ctx, e.admin, SMTPInput{Host: "127.0.0.1", Port: strconv.Itoa(port),
		Security: mailer.SecurityNone, From: "billing@sunrisecable.example", FromName: "Sunrise Cable Network",
		TimeoutSeconds: timeoutSeconds})
	if err != nil {
		e.t.Fatalf("save SMTP settings: %v", err)
	}
}

// lockedBuffer is a bytes.Buffer that a logger may write from several
// goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLog sends the service's log, at every level, to the returned
// buffer.
func (e *env) captureLog() *lockedBuffer {
	buf := &lockedBuffer{}
	e.svc.log = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return buf
}

func TestSMTPSettingsHidePassword(t *testing.T) {
	e := newEnv(t)
	const password = "Smtp-App-Secret-77"
	err := e.svc.SaveSMTPSettings(e.ctx, e.admin, SMTPInput{Host: "smtp.example.com", Port: "587",
		Security: mailer.SecuritySTARTTLS, Username: "billing", Password: password,
		From: "billing@example.com", TimeoutSeconds: "15"})
	if err != nil {
		t.Fatalf("save: %v", err)
	}

	view, err := e.svc.SMTPSettings(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if !view.PasswordSet {
		t.Error("PasswordSet = false after saving a password")
	}
	if text := fmt.Sprintf("%+v", view); strings.Contains(text, password) {
		t.Errorf("SMTPSettings returned the password: %s", text)
	}
	if view.Host != "smtp.example.com" || view.Port != 587 || view.TimeoutSeconds != 15 || !view.Configured {
		t.Errorf("view = %+v, want the saved host, port 587, timeout 15 and configured", view)
	}
}

func TestSaveSMTPSettingsEmptyPasswordKeepsStored(t *testing.T) {
	e := newEnv(t)
	in := SMTPInput{Host: "smtp.example.com", Port: "587", Security: mailer.SecuritySTARTTLS,
		Username: "billing", Password: "first-secret", From: "billing@example.com"}
	if err := e.svc.SaveSMTPSettings(e.ctx, e.admin, in); err != nil {
		t.Fatal(err)
	}

	in.Password = ""
	in.FromName = "Billing desk"
	if err := e.svc.SaveSMTPSettings(e.ctx, e.admin, in); err != nil {
		t.Fatalf("save without password: %v", err)
	}
	st, err := e.store.Settings(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SMTPPassword != "first-secret" {
		t.Error("an empty password field replaced the stored password")
	}
	if st.SMTPFromName != "Billing desk" {
		t.Errorf("sender name = %q, want the new one", st.SMTPFromName)
	}

	in.Username = ""
	if err := e.svc.SaveSMTPSettings(e.ctx, e.admin, in); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.store.Settings(e.ctx); st.SMTPPassword != "" {
		t.Error("the password stayed stored after the username was removed")
	}
}

func TestSaveSMTPSettingsFieldErrors(t *testing.T) {
	e := newEnv(t)
	err := e.svc.SaveSMTPSettings(e.ctx, e.admin, SMTPInput{Host: "smtp://mail.example.com", Port: "70000",
		Security: "ssl", Username: "billing", From: "not an address", TimeoutSeconds: "0"})
	fields, ok := AsFieldErrors(err)
	if !ok {
		t.Fatalf("err = %v, want field errors", err)
	}
	for _, field := range []string{"host", "port", "security", "password", "from", "timeout"} {
		if fields.For(field) == "" {
			t.Errorf("no error for field %s in %q", field, err)
		}
	}
	if !strings.Contains(fields.For("port"), "70000") {
		t.Errorf("port error %q does not name the value", fields.For("port"))
	}
	if st, _ := e.store.Settings(e.ctx); st.SMTPHost != "" {
		t.Errorf("invalid settings were saved: host %q", st.SMTPHost)
	}
}

func TestSaveSMTPSettingsEmptyHostTurnsOff(t *testing.T) {
	e := newEnv(t)
	e.useSMTP(2525, "5")
	if err := e.svc.SaveSMTPSettings(e.ctx, e.admin, SMTPInput{Port: "2525"}); err != nil {
		t.Fatalf("save with an empty host: %v", err)
	}
	view, err := e.svc.SMTPSettings(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if view.Configured || view.Host != "" {
		t.Errorf("view = %+v, want no host and not configured", view)
	}
	if view.Security != mailer.SecurityNone {
		t.Errorf("security = %q, want the stored %q kept", view.Security, mailer.SecurityNone)
	}
}

func TestSMTPSettingsAdminOnly(t *testing.T) {
	e := newEnv(t)
	customer := e.loginCustomer(e.addCustomer("Asha Rao"))
	if _, err := e.svc.SMTPSettings(e.ctx, customer); !errors.Is(err, ErrForbidden) {
		t.Errorf("SMTPSettings as customer: err = %v, want ErrForbidden", err)
	}
	if err := e.svc.SaveSMTPSettings(e.ctx, customer, SMTPInput{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("SaveSMTPSettings as customer: err = %v, want ErrForbidden", err)
	}
	if err := e.svc.SendTestEmail(e.ctx, customer, "a@example.com"); !errors.Is(err, ErrForbidden) {
		t.Errorf("SendTestEmail as customer: err = %v, want ErrForbidden", err)
	}
}

func TestSendTestEmailClosedPort(t *testing.T) {
	e := newEnv(t)
	port := smtptest.ClosedPort(t)
	e.useSMTP(port, "5")

	err := e.svc.SendTestEmail(e.ctx, e.admin, "owner@example.com")
	if err == nil {
		t.Fatal("SendTestEmail to a closed port succeeded")
	}
	want := fmt.Sprintf("connecting to 127.0.0.1:%d failed", port)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to contain %q", err, want)
	}
	if !strings.Contains(err.Error(), "refused") {
		t.Errorf("err = %q, want the reason from the system (connection refused)", err)
	}
}

func TestSendTestEmailDelivers(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")

	if err := e.svc.SendTestEmail(e.ctx, e.admin, "owner@example.com"); err != nil {
		t.Fatalf("SendTestEmail: %v", err)
	}
	got := box.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if len(got[0].to) != 1 || got[0].to[0] != "owner@example.com" {
		t.Errorf("recipients = %v, want owner@example.com", got[0].to)
	}
	if !strings.Contains(got[0].data, "Test email from Sunrise Cable Network") {
		t.Error("test email lacks its subject")
	}
	if list, _ := e.svc.ListOutbox(e.ctx, e.admin, ""); len(list) != 0 {
		t.Errorf("the test email went through the outbox: %d messages", len(list))
	}
}

func TestSendTestEmailNeedsSettings(t *testing.T) {
	e := newEnv(t)
	err := e.svc.SendTestEmail(e.ctx, e.admin, "owner@example.com")
	if err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("err = %v, want a not configured error", err)
	}
	err = e.svc.SendTestEmail(e.ctx, e.admin, "not-an-address")
	if fields, ok := AsFieldErrors(err); !ok || fields.For("to") == "" {
		t.Errorf("err = %v, want a field error for to", err)
	}
}
