package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/mailer/smtptest"
	"github.com/ctvms/ctvms/store"
)

// queueTestEmail queues a plain message to to with the given subject.
func (e *env) queueTestEmail(to, subject string) int64 {
	e.t.Helper()
	id, err := e.store.QueueEmail(e.ctx, store.OutboxMessage{Kind: string(mailer.KindReminder), Recipient: to,
		Subject: subject, Text: "Body of " + subject}, e.clock.Now())
	if err != nil {
		e.t.Fatalf("queue email: %v", err)
	}
	return id
}

func (e *env) outboxMessage(id int64) store.OutboxMessage {
	e.t.Helper()
	m, err := e.store.OutboxMessageByID(e.ctx, id)
	if err != nil {
		e.t.Fatalf("read outbox message %d: %v", id, err)
	}
	return m
}

// decodeLastError returns the stored message of m's last failed attempt.
func decodeLastError(t *testing.T, m store.OutboxMessage) message.Text {
	t.Helper()
	text, err := message.Decode([]byte(m.LastErrorMessage))
	if err != nil {
		t.Fatalf("last error message %q: %v", m.LastErrorMessage, err)
	}
	return text
}

func (e *env) runOutbox(w *OutboxWorker) (sent, failed int) {
	e.t.Helper()
	sent, failed, err := w.RunOnce(e.ctx)
	if err != nil {
		e.t.Fatalf("RunOnce: %v", err)
	}
	return sent, failed
}

func TestOutboxStaysQueuedWithoutSMTP(t *testing.T) {
	e := newEnv(t)
	logs := e.captureLog()
	nc := e.addCustomer("Asha Rao")
	if !nc.WelcomeQueued {
		t.Fatal("no welcome email was queued")
	}
	w := NewOutboxWorker(e.svc)

	for range 3 {
		if sent, failed := e.runOutbox(w); sent != 0 || failed != 0 {
			t.Errorf("RunOnce without SMTP = %d sent, %d failed; want 0, 0", sent, failed)
		}
	}
	list, err := e.svc.ListOutbox(e.ctx, e.admin, store.OutboxQueued)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("queued messages = %d, want 1", len(list))
	}
	if list[0].Attempts != 0 || list[0].LastError != "" {
		t.Errorf("message has attempts %d, error %q; want no attempt", list[0].Attempts, list[0].LastError)
	}
	if n := strings.Count(logs.String(), "SMTP is not configured"); n != 1 {
		t.Errorf("the missing SMTP configuration was logged %d times, want once:\n%s", n, logs)
	}
}

func TestOutboxDeliversWelcomeAndErasesPassword(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")
	nc := e.addCustomer("Asha Rao")
	customer, err := e.store.Customer(e.ctx, nc.CRF)
	if err != nil {
		t.Fatal(err)
	}

	sent, failed := e.runOutbox(NewOutboxWorker(e.svc))
	if sent != 1 || failed != 0 {
		t.Fatalf("RunOnce = %d sent, %d failed; want 1, 0", sent, failed)
	}
	got := box.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if len(got[0].to) != 1 || got[0].to[0] != customer.Email {
		t.Errorf("recipients = %v, want %s", got[0].to, customer.Email)
	}
	if !strings.Contains(got[0].data, nc.InitialPassword) {
		t.Error("the delivered welcome email lacks the initial password")
	}

	list, err := e.svc.ListOutbox(e.ctx, e.admin, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("outbox has %d messages, want 1", len(list))
	}
	m := list[0]
	if m.State != store.OutboxSent || m.SentAt.IsZero() || m.Attempts != 1 {
		t.Errorf("message state %s, sent at %v, attempts %d; want sent once", m.State, m.SentAt, m.Attempts)
	}
	if strings.Contains(m.Text, nc.InitialPassword) || strings.Contains(m.HTML, nc.InitialPassword) {
		t.Error("the outbox still holds the initial password after delivery")
	}
}

func TestOutboxRetriesAfterServerDown(t *testing.T) {
	e := newEnv(t)
	port := smtptest.ClosedPort(t)
	e.useSMTP(port, "5")
	id := e.queueTestEmail("asha@example.com", "Retry me")
	w := NewOutboxWorker(e.svc)

	start := e.clock.Now()
	if sent, failed := e.runOutbox(w); sent != 0 || failed != 1 {
		t.Fatalf("RunOnce with server down = %d sent, %d failed; want 0, 1", sent, failed)
	}
	m := e.outboxMessage(id)
	if m.State != store.OutboxQueued {
		t.Errorf("state = %s, want queued", m.State)
	}
	if m.Attempts != 1 {
		t.Errorf("attempts = %d, want 1", m.Attempts)
	}
	if !strings.Contains(m.LastError, "connecting to") {
		t.Errorf("last error = %q, want the connection failure", m.LastError)
	}
	reason := decodeLastError(t, m)
	if want := "connecting to {{.Address}} failed: "; !strings.HasPrefix(reason.Key, want) {
		t.Errorf("last error message key = %q, want it to start with %q", reason.Key, want)
	}
	if reason.String() != m.LastError {
		t.Errorf("last error message in English = %q, want the last error %q", reason.String(), m.LastError)
	}
	if want := start.Add(mailer.Backoff(1)); !m.NextAttemptAt.Equal(want) {
		t.Errorf("next attempt = %v, want %v", m.NextAttemptAt, want)
	}

	box := &mailBox{}
	startMailServer(t, box, port)
	if sent, failed := e.runOutbox(w); sent != 0 || failed != 0 {
		t.Errorf("RunOnce before the backoff passed = %d sent, %d failed; want nothing", sent, failed)
	}
	e.clock.Add(mailer.Backoff(1) + time.Second)
	if sent, _ := e.runOutbox(w); sent != 1 {
		t.Errorf("RunOnce after the backoff sent %d, want 1", sent)
	}
	e.runOutbox(w)
	if n := len(box.received()); n != 1 {
		t.Errorf("server received %d messages, want exactly 1", n)
	}
	m = e.outboxMessage(id)
	if m.State != store.OutboxSent || m.Attempts != 2 || m.LastError != "" {
		t.Errorf("message state %s, attempts %d, error %q; want sent on attempt 2", m.State, m.Attempts, m.LastError)
	}
	if m.LastErrorMessage != "" {
		t.Errorf("last error message after delivery = %q, want empty", m.LastErrorMessage)
	}
}

func TestOutboxRejectedRecipientFailsAndRetries(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{rcptReply: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such user"}}
	e.useSMTP(startMailServer(t, box, 0), "5")
	id := e.queueTestEmail("nobody@example.com", "Bounce")
	w := NewOutboxWorker(e.svc)

	if sent, failed := e.runOutbox(w); sent != 0 || failed != 1 {
		t.Fatalf("RunOnce = %d sent, %d failed; want 0, 1", sent, failed)
	}
	m := e.outboxMessage(id)
	if m.State != store.OutboxFailed {
		t.Errorf("state after 550 = %s, want failed", m.State)
	}
	if !strings.Contains(m.LastError, "rejected the recipient") || !strings.Contains(m.LastError, "550") {
		t.Errorf("last error = %q, want the rejected recipient with 550", m.LastError)
	}
	e.clock.Add(24 * time.Hour)
	if sent, failed := e.runOutbox(w); sent+failed != 0 {
		t.Error("a failed message was tried again without a retry")
	}

	box.setRcptReply(nil)
	if err := e.svc.RetryEmail(e.ctx, e.admin, id); err != nil {
		t.Fatalf("RetryEmail: %v", err)
	}
	if m := e.outboxMessage(id); m.State != store.OutboxQueued {
		t.Errorf("state after retry = %s, want queued", m.State)
	}
	if sent, _ := e.runOutbox(w); sent != 1 {
		t.Errorf("RunOnce after retry sent %d, want 1", sent)
	}
	if n := len(box.received()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
	if err := e.svc.RetryEmail(e.ctx, e.admin, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("retry of a sent message: err = %v, want ErrNotFound", err)
	}
}

func TestOutboxHungServerStaysQueued(t *testing.T) {
	e := newEnv(t)
	e.useSMTP(smtptest.HungServer(t), "1")
	id := e.queueTestEmail("asha@example.com", "Hung")

	began := time.Now()
	if sent, failed := e.runOutbox(NewOutboxWorker(e.svc)); sent != 0 || failed != 1 {
		t.Fatalf("RunOnce = %d sent, %d failed; want 0, 1", sent, failed)
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("RunOnce took %s with a 1 s timeout", took)
	}
	m := e.outboxMessage(id)
	if m.State != store.OutboxQueued || m.Attempts != 1 {
		t.Errorf("state %s, attempts %d; want queued after 1 attempt", m.State, m.Attempts)
	}
	if !strings.Contains(m.LastError, "did not respond within 1s") {
		t.Errorf("last error = %q, want a timeout", m.LastError)
	}
}

func TestOutboxParallelWorkersSendOnce(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")
	const n = 20
	for i := range n {
		e.queueTestEmail(fmt.Sprintf("c%d@example.com", i), fmt.Sprintf("Message %02d", i))
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 2 {
		w := NewOutboxWorker(e.svc)
		wg.Go(func() {
			sent, _, err := w.RunOnce(e.ctx)
			if err != nil {
				t.Errorf("RunOnce: %v", err)
			}
			mu.Lock()
			total += sent
			mu.Unlock()
		})
	}
	wg.Wait()

	if total != n {
		t.Errorf("workers sent %d messages, want %d", total, n)
	}
	seen := map[string]int{}
	for _, m := range box.received() {
		seen[m.to[0]]++
	}
	if len(seen) != n {
		t.Errorf("server received mail for %d recipients, want %d", len(seen), n)
	}
	for to, count := range seen {
		if count != 1 {
			t.Errorf("%s received %d copies, want 1", to, count)
		}
	}
}

func TestOutboxAttachesInvoicePDF(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Asha Rao")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	quote, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := e.svc.CollectPayment(e.ctx, e.admin, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "250", Mode: store.ModeCash, RequestKey: quote.RequestKey})
	if err != nil {
		t.Fatalf("collect payment: %v", err)
	}
	if !receipt.EmailQueued {
		t.Fatal("no invoice email was queued")
	}
	pdf, err := os.ReadFile(receipt.PDFPath)
	if err != nil {
		t.Fatalf("read invoice PDF: %v", err)
	}

	w := NewOutboxWorker(e.svc)
	var requested []int64
	w.Attach = func(ctx context.Context, invoiceID int64) (mailer.Attachment, error) {
		requested = append(requested, invoiceID)
		return mailer.Attachment{Name: receipt.Invoice.Number + ".pdf", Data: pdf}, nil
	}
	if sent, failed := e.runOutbox(w); sent != 2 || failed != 0 {
		t.Fatalf("RunOnce = %d sent, %d failed; want the welcome and invoice emails", sent, failed)
	}
	if len(requested) != 1 || requested[0] != receipt.Invoice.ID {
		t.Errorf("Attach was called for %v, want [%d]", requested, receipt.Invoice.ID)
	}

	var attached []byte
	for _, m := range box.received() {
		if data, ok := attachment(t, m.data, receipt.Invoice.Number+".pdf"); ok {
			attached = data
		}
	}
	if attached == nil {
		t.Fatal("no received message carries the invoice PDF")
	}
	if !bytes.Equal(attached, pdf) {
		t.Errorf("attachment has %d bytes and differs from the %d-byte PDF", len(attached), len(pdf))
	}
}

func TestOutboxInvoiceWithoutLoaderIsRetried(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")
	plan := e.addPlan(billing.ServiceCableTV, "Basic", "250")
	nc := e.addCustomer("Asha Rao")
	e.connect(nc.CRF, billing.ServiceCableTV, plan, e.svc.Today())
	quote, err := e.svc.PaymentQuote(e.ctx, e.admin, nc.CRF, billing.ServiceCableTV)
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := e.svc.CollectPayment(e.ctx, e.admin, PaymentInput{CRF: nc.CRF, Service: billing.ServiceCableTV,
		Amount: "250", Mode: store.ModeCash, RequestKey: quote.RequestKey})
	if err != nil {
		t.Fatal(err)
	}

	w := NewOutboxWorker(e.svc)
	w.Attach = func(context.Context, int64) (mailer.Attachment, error) {
		return mailer.Attachment{}, errors.New("PDF folder is not writable")
	}
	if sent, failed := e.runOutbox(w); sent != 1 || failed != 1 {
		t.Fatalf("RunOnce = %d sent, %d failed; want the welcome sent and the invoice failed", sent, failed)
	}
	queued, err := e.svc.ListOutbox(e.ctx, e.admin, store.OutboxQueued)
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 1 || queued[0].InvoiceID != receipt.Invoice.ID {
		t.Fatalf("queued = %+v, want the invoice email", queued)
	}
	if !strings.Contains(queued[0].LastError, "PDF folder is not writable") {
		t.Errorf("last error = %q, want the loader's reason", queued[0].LastError)
	}
	reason := decodeLastError(t, queued[0])
	if want := "attaching invoice {{.ID}} failed: {{.Reason}}"; reason.Key != want {
		t.Errorf("last error message key = %q, want %q", reason.Key, want)
	}
	if got, want := reason.Values["ID"], fmt.Sprint(receipt.Invoice.ID); got != want {
		t.Errorf("last error message ID = %#v, want %q", got, want)
	}
	if got := reason.Values["Reason"]; got != "PDF folder is not writable" {
		t.Errorf("last error message Reason = %#v, want the loader's words", got)
	}
}

func TestListOutboxRejectsUnknownState(t *testing.T) {
	e := newEnv(t)
	if _, err := e.svc.ListOutbox(e.ctx, e.admin, "sending"); err == nil {
		t.Error("ListOutbox accepted the state sending")
	}
	customer := e.loginCustomer(e.addCustomer("Asha Rao"))
	if _, err := e.svc.ListOutbox(e.ctx, customer, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("ListOutbox as customer: err = %v, want ErrForbidden", err)
	}
	if err := e.svc.RetryEmail(e.ctx, customer, 1); !errors.Is(err, ErrForbidden) {
		t.Errorf("RetryEmail as customer: err = %v, want ErrForbidden", err)
	}
}

func TestOutboxRunStopsWithContext(t *testing.T) {
	e := newEnv(t)
	box := &mailBox{}
	e.useSMTP(startMailServer(t, box, 0), "5")
	e.queueTestEmail("asha@example.com", "From Run")

	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		NewOutboxWorker(e.svc).Run(ctx, 10*time.Millisecond)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for len(box.received()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after its context was cancelled")
	}
	if n := len(box.received()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
}

// attachment returns the decoded part of a raw message whose file name is
// name.
func attachment(t *testing.T, raw, name string) ([]byte, bool) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("parse received message: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		return nil, false
	}
	return findPart(t, multipart.NewReader(msg.Body, params["boundary"]), name)
}

func findPart(t *testing.T, r *multipart.Reader, name string) ([]byte, bool) {
	t.Helper()
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return nil, false
		}
		if err != nil {
			t.Fatalf("read MIME part: %v", err)
		}
		mediaType, params, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if strings.HasPrefix(mediaType, "multipart/") {
			if data, ok := findPart(t, multipart.NewReader(part, params["boundary"]), name); ok {
				return data, true
			}
			continue
		}
		if part.FileName() != name {
			continue
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("read attachment: %v", err)
		}
		if !strings.EqualFold(part.Header.Get("Content-Transfer-Encoding"), "base64") {
			return body, true
		}
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
		if err != nil {
			t.Fatalf("decode attachment: %v", err)
		}
		return data, true
	}
}
