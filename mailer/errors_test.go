package mailer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wneessen/go-mail/smtp"

	"github.com/ctvms/ctvms/billing/message"
)

// failedConversation returns a conversation with user billing at
// smtp.example.com:587 that failed at step s.
func failedConversation(s step) *conversation {
	return &conversation{ctx: context.Background(), step: s, to: "anitha@example.net",
		settings: Settings{Host: "smtp.example.com", Port: 587, Security: SecuritySTARTTLS, Username: "billing",
			Password: "c0rrect-Horse", From: "billing@example.com"}}
}

func TestDescribeUnencryptedAuth(t *testing.T) {
	cause := fmt.Errorf("SMTP AUTH failed: %w", smtp.ErrUnencrypted)
	err := describe(failedConversation(stepAuth), cause)

	if !strings.HasPrefix(err.Key, "authentication for user {{.User}} at {{.Address}} was not attempted") {
		t.Errorf("key = %q, want the unencrypted authentication sentence", err.Key)
	}
	want := `authentication for user "billing" at smtp.example.com:587 was not attempted`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if !errors.Is(err, smtp.ErrUnencrypted) {
		t.Errorf("error %q does not wrap smtp.ErrUnencrypted", err)
	}
	if Permanent(err) {
		t.Errorf("Permanent(%q) = true, want false: the security setting can be fixed", err)
	}
}

func TestDescribeOtherStep(t *testing.T) {
	err := describe(failedConversation(stepQuit), errors.New("connection reset"))

	want := "SMTP conversation with smtp.example.com:587 failed during QUIT: connection reset"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestStepLabelsNamed(t *testing.T) {
	for s := stepCompose; s <= stepQuit; s++ {
		label := fmt.Sprint(s.label())
		if label == "" || strings.HasPrefix(label, "step ") {
			t.Errorf("step %d has label %q, want a name", int(s), label)
		}
	}
}

func TestRedactValuesHidesPassword(t *testing.T) {
	c := failedConversation(stepAuth)
	cause := errors.New(`535 5.7.8 password "c0rrect-Horse" rejected`)
	err := redactValues(describe(c, cause), c.settings.Password)

	if strings.Contains(err.Error(), c.settings.Password) {
		t.Errorf("error %q contains the password", err)
	}
	for name, value := range err.Values {
		if text := fmt.Sprint(value); strings.Contains(text, c.settings.Password) {
			t.Errorf("value %s = %q contains the password", name, text)
		}
	}
	if !errors.Is(err, cause) {
		t.Errorf("error %q does not wrap the server's reply", err)
	}
}

func TestSendInvalidSettingsNamesEveryField(t *testing.T) {
	settings := Settings{Host: "smtp.example.com", Security: "ssl", From: "billing@example.com"}

	err := Send(context.Background(), settings, sampleMessage())
	e, ok := message.Find(err)
	if !ok {
		t.Fatalf("error %v holds no message", err)
	}
	reason, ok := e.Values["Reason"].(message.Text)
	if !ok {
		t.Fatalf("reason = %#v, want one text of every invalid field", e.Values["Reason"])
	}
	if got, want := reason.String(), settings.Validate().Error(); got != want {
		t.Errorf("reason = %q, want %q", got, want)
	}
}
