package mailer

import (
	"strings"
	"testing"

	"github.com/ctvms/ctvms/billing"
)

func TestSpanishTemplatesValidate(t *testing.T) {
	for _, k := range Kinds() {
		tmpl := DefaultTemplateFor(k, billing.Spanish)
		if tmpl == (Template{}) {
			t.Errorf("%s has no Spanish template", k)
			continue
		}
		if tmpl == DefaultTemplate(k) {
			t.Errorf("%s Spanish template is the English one", k)
		}
		if err := Validate(k, tmpl); err != nil {
			t.Errorf("Spanish %s template is invalid: %v", k, err)
		}
	}
}

func TestEnglishTemplateForOtherLanguages(t *testing.T) {
	for _, l := range []billing.Language{billing.English, "fr", ""} {
		if DefaultTemplateFor(KindInvoice, l) != DefaultTemplate(KindInvoice) {
			t.Errorf("language %q does not get the English invoice template", l)
		}
	}
	if DefaultTemplateFor("birthday", billing.Spanish) != (Template{}) {
		t.Error("unknown kind has a Spanish template")
	}
}

func TestSpanishTemplatesRender(t *testing.T) {
	tests := []struct {
		kind Kind
		want []string
	}{
		{KindWelcome, []string{"Estimado(a) Anitha Menon", "Contraseña inicial", "tq7-Kd4m-Xw2p"}},
		{KindOTP, []string{"482915", "válido durante 10 minutos"}},
		{KindInvoice, []string{"Factura INV-2026-000128", "Saldo pendiente", "₹700.00"}},
		{KindReminder, []string{"Recordatorio de pago", "Total pendiente", "₹1,299.00"}},
		{KindComplaintReceived, []string{"Reclamo CMP-2027-00017 recibido", "Categoría"}},
		{KindComplaintResolved, []string{"Reclamo CMP-2027-00017 resuelto", "Solución"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			message, err := Render(DefaultTemplateFor(tt.kind, billing.Spanish), SampleData(tt.kind))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			whole := message.Subject + "\n" + message.Text
			for _, want := range tt.want {
				if !strings.Contains(whole, want) {
					t.Errorf("subject and text lack %q", want)
				}
				if !strings.Contains(message.Subject+message.HTML, want) {
					t.Errorf("subject and HTML lack %q", want)
				}
			}
			if !strings.Contains(message.Text, "Teléfono") || strings.Contains(message.Text, "Phone:") {
				t.Error("text footer is not in Spanish")
			}
		})
	}
}
