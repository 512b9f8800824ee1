package message

import (
	"errors"
	"fmt"
	"testing"
)

func TestTextString(t *testing.T) {
	tests := []struct {
		name string
		text Text
		want string
	}{
		{"no values", New("Email is required."), "Email is required."},
		{"values", New("CRF {{.CRF}} is also in row {{.Row}}.", "CRF", 1001, "Row", 7),
			"CRF 1001 is also in row 7."},
		{"nested text", New("{{.Label}} is required.", "Label", New("Name")), "Name is required."},
		{"nested error", New("Not saved: {{.Reason}}", "Reason", fmt.Errorf("save: %w", NewError("disk full"))),
			"Not saved: disk full"},
		{"plain error", New("Not saved: {{.Reason}}", "Reason", errors.New("EOF")), "Not saved: EOF"},
		{"missing value", New("{{.A}} and {{.B}}", "A", 1, "B"), "1 and <missing>"},
		{"invalid template", New("{{.A", "A", 1), "{{.A map[A:1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.text.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWrapKeepsSentinel(t *testing.T) {
	sentinel := errors.New("invalid amount")
	err := fmt.Errorf("collect payment: %w", Wrap(sentinel, "the amount {{.Amount}} is empty", "Amount", `""`))
	if !errors.Is(err, sentinel) {
		t.Error("errors.Is does not find the wrapped sentinel")
	}
	if got, want := err.Error(), `collect payment: invalid amount: the amount "" is empty`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e, ok := Find(err)
	if !ok || e.Key != "the amount {{.Amount}} is empty" {
		t.Errorf("Find = %v, %v", e, ok)
	}
}

func TestSentinelError(t *testing.T) {
	sentinel := NewError("the code has expired")
	err := fmt.Errorf("change password: %w", sentinel)
	if !errors.Is(err, sentinel) {
		t.Error("errors.Is does not find the sentinel")
	}
	if e, ok := Find(err); !ok || e != sentinel {
		t.Errorf("Find = %v, %v, want the sentinel", e, ok)
	}
	if _, ok := Find(errors.New("plain")); ok {
		t.Error("Find found a message in a plain error")
	}
}
