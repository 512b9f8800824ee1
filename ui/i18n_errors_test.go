package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/ctvms/ctvms/store/service"
)

// checkSpanish fails the test when got lacks the Spanish text want or
// still contains the English text english.
func checkSpanish(t *testing.T, what, got, want, english string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", what, got, want)
	}
	if strings.Contains(got, english) {
		t.Errorf("%s = %q, still contains the English %q", what, got, english)
	}
}

func TestSpanishSMTPChecks(t *testing.T) {
	e := newUIEnv(t)
	admin := adminSession(t, e)
	err := e.svc.SaveSMTPSettings(context.Background(), admin, service.SMTPInput{Host: "smtp://mail.example.com",
		Port: "70000", Security: "ssl", Username: "billing", From: "Billing <billing@example.com>", FromName: "A\nB"})
	fe, ok := service.AsFieldErrors(err)
	if !ok {
		t.Fatalf("error = %v, want field errors", err)
	}
	if got := fe.For("host"); !strings.Contains(got, "without a scheme") {
		t.Errorf("English host error = %q", got)
	}

	useSpanish(t)
	messages := map[string]string{}
	for _, e := range fe {
		messages[e.Field] = fieldMessage(e)
	}
	tests := []struct {
		field, spanish, english string
	}{
		{"host", `El servidor SMTP "smtp://mail.example.com" no es válido: escriba el nombre del servidor sin un esquema`,
			"is invalid"},
		{"port", "El puerto SMTP 70000 no es válido: debe estar entre 1 y 65535", "must be between"},
		{"security", `La seguridad SMTP "ssl" no es válida: debe ser "starttls", "tls" o "none"`, "it must be"},
		{"password", `Falta la contraseña SMTP del usuario "billing".`, "is missing"},
		{"from", `La dirección del remitente "Billing <billing@example.com>" no es válida`, "plain address"},
		{"from_name", "El nombre del remitente no es válido: debe caber en una sola línea.", "one line"},
	}
	for _, tt := range tests {
		checkSpanish(t, tt.field, messages[tt.field], tt.spanish, tt.english)
	}
	checkSpanish(t, "dialog", plainMessage(err), "no es válido", "is invalid")
}
