package message

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// roundTrip encodes err and decodes it again, failing the test when
// either step fails.
func roundTrip(t *testing.T, err error) Text {
	t.Helper()
	data, ok := Encode(err)
	if !ok {
		t.Fatalf("Encode(%v) found no message", err)
	}
	got, decodeErr := Decode(data)
	if decodeErr != nil {
		t.Fatalf("Decode(%s): %v", data, decodeErr)
	}
	return got
}

func TestEncodeRoundTrip(t *testing.T) {
	err := NewError("CRF {{.CRF}} is also in row {{.Row}}.", "CRF", 1001, "Row", 7)
	got := roundTrip(t, err)

	want := Text{Key: "CRF {{.CRF}} is also in row {{.Row}}.", Values: map[string]any{"CRF": "1001", "Row": "7"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded = %#v, want %#v", got, want)
	}
	if got.String() != err.Error() {
		t.Errorf("decoded String() = %q, want %q", got.String(), err.Error())
	}
}

func TestEncodeNestedValues(t *testing.T) {
	reason := fmt.Errorf("dial: %w", WithCause(errors.New("EOF"), "the server closed the connection"))
	err := fmt.Errorf("send: %w", WithCause(reason, "{{.Step}} failed after {{.Timeout}}: {{.Reason}}. {{.Hint}}",
		"Step", New("the greeting and EHLO"), "Timeout", 5*time.Second, "Reason", reason,
		"Hint", NewID("hint.retry", "Try again in {{.Minutes}} minutes", "Minutes", 10)))
	got := roundTrip(t, err)

	step, ok := got.Values["Step"].(Text)
	if !ok || step.Key != "the greeting and EHLO" {
		t.Errorf("Step = %#v, want the nested text", got.Values["Step"])
	}
	if got.Values["Timeout"] != "5s" {
		t.Errorf("Timeout = %#v, want the string 5s", got.Values["Timeout"])
	}
	nestedReason, ok := got.Values["Reason"].(Text)
	if !ok || nestedReason.Key != "the server closed the connection" {
		t.Errorf("Reason = %#v, want the text of the wrapped message error", got.Values["Reason"])
	}
	hint, ok := got.Values["Hint"].(Text)
	if !ok || hint.Key != "hint.retry" || hint.English != "Try again in {{.Minutes}} minutes" ||
		hint.Values["Minutes"] != "10" {
		t.Errorf("Hint = %#v, want the text with its identifier, English text and value", got.Values["Hint"])
	}
	want := "the greeting and EHLO failed after 5s: the server closed the connection. Try again in 10 minutes"
	if got.String() != want {
		t.Errorf("decoded String() = %q, want %q", got.String(), want)
	}
}

func TestEncodePlainErrorValue(t *testing.T) {
	reason := errors.New("dial tcp 127.0.0.1:25: connect: connection refused")
	got := roundTrip(t, WithCause(reason, "connecting failed: {{.Reason}}", "Reason", reason))

	if got.Values["Reason"] != reason.Error() {
		t.Errorf("Reason = %#v, want the error's own text %q", got.Values["Reason"], reason.Error())
	}
}

func TestEncodeWrappedMessageFirst(t *testing.T) {
	forbidden := NewError("only an admin may do this")
	err := Wrap(forbidden, "email {{.ID}} was not retried", "ID", 3)
	got := roundTrip(t, err)

	if got.String() != err.Error() {
		t.Errorf("decoded String() = %q, want %q", got.String(), err.Error())
	}
}

func TestEncodeWrappedPlainError(t *testing.T) {
	err := Wrap(errors.New("invalid amount"), "the amount is empty")
	got := roundTrip(t, err)

	if got.String() != "the amount is empty" {
		t.Errorf("decoded String() = %q, want only the message, as the screen shows it", got.String())
	}
}

func TestEncodeWithoutMessage(t *testing.T) {
	if data, ok := Encode(errors.New("disk full")); ok {
		t.Errorf("Encode(plain error) = %s, true; want false", data)
	}
	if data, ok := Encode(nil); ok {
		t.Errorf("Encode(nil) = %s, true; want false", data)
	}
}

func TestDecodeInvalid(t *testing.T) {
	tests := []struct{ name, data string }{
		{"empty", ""},
		{"not JSON", "connecting to smtp.example.com failed"},
		{"truncated", `{"key": "a {{.B}}", "values": {"B": "c"`},
		{"trailing data", `{"key": "a"} {"key": "b"}`},
		{"missing key", `{"values": {"B": "c"}}`},
		{"number value", `{"key": "a {{.B}}", "values": {"B": 1}}`},
		{"null value", `{"key": "a {{.B}}", "values": {"B": null}}`},
		{"invalid nested", `{"key": "a {{.B}}", "values": {"B": {"key": 2}}}`},
		{"array", `["a"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.data))
			if err == nil {
				t.Fatalf("Decode(%q) = %#v, want an error", tt.data, got)
			}
			if !strings.HasPrefix(err.Error(), "decode message: ") {
				t.Errorf("error = %q, want it to start with decode message", err)
			}
		})
	}
}
