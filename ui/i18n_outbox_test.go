package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/mailer/smtptest"
	"github.com/ctvms/ctvms/store"
	"github.com/ctvms/ctvms/store/service"
)

// openSpanishOutbox chooses Spanish, opens the outbox tab and returns it
// with the row of the email with id selected.
func openSpanishOutbox(t *testing.T, e *uiEnv, id int64) (*outboxTab, store.OutboxMessage) {
	t.Helper()
	chooseSpanish(t, e)
	outbox := e.openEmail().outbox
	outbox.reload()
	for row, m := range outbox.messages {
		if m.ID == id {
			outbox.table.Select(widget.TableCellID{Row: row, Col: 1})
			return outbox, m
		}
	}
	t.Fatalf("email %d is not in the outbox list", id)
	return nil, store.OutboxMessage{}
}

func TestSpanishOutboxConnectionRefused(t *testing.T) {
	e := newUIEnv(t)
	ctx := context.Background()
	port := smtptest.ClosedPort(t)
	err := e.svc.SaveSMTPSettings(ctx, e.adminSession(), service.SMTPInput{Host: "127.0.0.1",
		Port: fmt.Sprint(port), Security: mailer.SecurityNone, From: "office@example.com", TimeoutSeconds: "5"})
	if err != nil {
		t.Fatal(err)
	}
	e.addConnectedCustomer("Rahul Verma", "300")

	sent, failed, err := service.NewOutboxWorker(e.svc).RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sent != 0 || failed != 1 {
		t.Fatalf("RunOnce = %d sent, %d failed; want the welcome email failed", sent, failed)
	}
	welcome := e.outbox(mailer.KindWelcome)[0]
	address := fmt.Sprintf("127.0.0.1:%d", port)
	if want := "connecting to " + address + " failed: "; !strings.HasPrefix(welcome.LastError, want) {
		t.Errorf("last error = %q, want the English text starting with %q", welcome.LastError, want)
	}
	if welcome.LastErrorMessage == "" {
		t.Fatal("the failed attempt stored no message")
	}
	english := lastErrorText(welcome)
	if want := "Connecting to " + address + " failed: "; !strings.HasPrefix(english, want) {
		t.Errorf("English = %q, want it to start with %q", english, want)
	}

	outbox, m := openSpanishOutbox(t, e, welcome.ID)
	spanish := outbox.cell(m, 7)
	checkSpanish(t, "last error column", spanish, "Falló la conexión con "+address+": ", "Connecting to")
	checkSpanish(t, "last error column", spanish, "Revise el servidor y el puerto", "Check the host and port")
	if strings.Contains(spanish, welcome.LastError) {
		t.Errorf("last error column = %q, still shows the stored English text", spanish)
	}
	if !strings.Contains(spanish, "connection refused") {
		t.Errorf("last error column = %q, want the system's reason in its own words", spanish)
	}
	checkSpanish(t, "detail", outbox.detail.Text, "Último error: Falló la conexión con "+address, "Last error")
}

func TestOutboxOldRowShowsEnglishError(t *testing.T) {
	e := newUIEnv(t)
	e.addConnectedCustomer("Rahul Verma", "300")
	welcome := e.outbox(mailer.KindWelcome)[0]
	reason := "connecting to smtp.example.com:587 failed: connection refused"
	err := e.store.MarkAttemptFailed(context.Background(), welcome.ID,
		store.AttemptFailure{Reason: reason, NextAttemptAt: e.clock.now.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}

	outbox, m := openSpanishOutbox(t, e, welcome.ID)
	if m.LastErrorMessage != "" {
		t.Fatalf("last error message = %q, want none, as in a row from before the column", m.LastErrorMessage)
	}
	if got := outbox.cell(m, 7); got != reason {
		t.Errorf("last error column = %q, want the stored %q", got, reason)
	}
	if want := "Último error: " + reason; !strings.Contains(outbox.detail.Text, want) {
		t.Errorf("detail = %q, want it to contain %q", outbox.detail.Text, want)
	}
}

func TestOutboxUnreadableMessageShowsEnglish(t *testing.T) {
	e := newUIEnv(t)
	e.addConnectedCustomer("Rahul Verma", "300")
	welcome := e.outbox(mailer.KindWelcome)[0]
	reason := "550 mailbox unavailable"
	err := e.store.MarkAttemptFailed(context.Background(), welcome.ID,
		store.AttemptFailure{Reason: reason, ReasonMessage: `{"key": "550`, Permanent: true})
	if err != nil {
		t.Fatal(err)
	}

	outbox, m := openSpanishOutbox(t, e, welcome.ID)
	if got := outbox.cell(m, 7); got != reason {
		t.Errorf("last error column = %q, want the stored %q", got, reason)
	}
}
