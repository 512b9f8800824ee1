package service

import (
	"strings"
	"testing"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
)

func (e *env) chooseSpanish() {
	e.t.Helper()
	if err := e.svc.SaveBusinessSettings(e.ctx, e.admin, languageInput("es")); err != nil {
		e.t.Fatal(err)
	}
}

// checkContains reports each wanted text that body lacks.
func checkContains(t *testing.T, part, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q:\n%s", part, want, body)
		}
	}
}

func TestSpanishWelcomeEmail(t *testing.T) {
	e := newEnv(t)
	e.chooseSpanish()
	e.addCustomer("Lucía Fernández")

	m := e.newestEmail(mailer.KindWelcome)
	if !strings.HasPrefix(m.Subject, "Bienvenido(a) a Sunrise Cable Network") {
		t.Errorf("subject = %q, want the Spanish welcome", m.Subject)
	}
	checkContains(t, "text body", m.Text, "Contraseña inicial")
	checkContains(t, "HTML body", m.HTML, "Contraseña inicial")
}

func TestSpanishInvoiceEmail(t *testing.T) {
	e := newPayEnv(t)
	e.chooseSpanish()
	nc := e.dueCustomer("Lucía Fernández")
	e.collect(nc.CRF, "600")

	m := e.newestEmail(mailer.KindInvoice)
	if !strings.HasPrefix(m.Subject, "Factura INV-") {
		t.Errorf("subject = %q, want the Spanish invoice subject", m.Subject)
	}
	checkContains(t, "text body", m.Text, "Gracias por su pago", "TV por cable", "Efectivo",
		"nov 2026 a dic 2026", "Pagado hasta: 31 dic 2026")
	if strings.Contains(m.Text, "Dec 2026") {
		t.Errorf("text body has an English month:\n%s", m.Text)
	}
}

func TestSpanishReminderMonths(t *testing.T) {
	e := newEnv(t)
	e.chooseSpanish()
	plan := e.addPlan(billing.ServiceCableTV, "Family Pack", "350")
	nc := e.addDebtor("Lucía Fernández", plan)
	e.moveToDate(billing.NewDate(2027, time.January, 5))

	if r := e.queueReminders([]int64{nc.CRF}, false); r.Queued != 1 {
		t.Fatalf("result = %+v, want 1 queued", r)
	}
	sent := e.reminders()
	if len(sent) != 1 {
		t.Fatalf("reminder emails = %d, want 1", len(sent))
	}
	m := sent[0]
	if !strings.HasPrefix(m.Subject, "Recordatorio de pago") {
		t.Errorf("subject = %q, want the Spanish reminder subject", m.Subject)
	}
	checkContains(t, "text body", m.Text, "TV por cable", "dic 2026, ene 2027")
	checkContains(t, "HTML body", m.HTML, "dic 2026, ene 2027")
}

func TestEditedTemplateKeepsItsLanguage(t *testing.T) {
	e := newEnv(t)
	edited := mailer.Template{Subject: "Hello {{.CustomerName}}", Text: "Your login is {{.Username}} / {{.Password}}."}
	if err := e.svc.SaveEmailTemplate(e.ctx, e.admin, mailer.KindWelcome, edited); err != nil {
		t.Fatal(err)
	}
	e.chooseSpanish()
	e.addCustomer("Lucía Fernández")

	if m := e.newestEmail(mailer.KindWelcome); m.Subject != "Hello Lucía Fernández" {
		t.Errorf("subject = %q, want the edited template", m.Subject)
	}
}

func TestSpanishInvoicePDF(t *testing.T) {
	e := newPayEnv(t)
	e.chooseSpanish()
	nc := e.dueCustomer("José Muñoz")
	r := e.collect(nc.CRF, "600")
	if r.PDFError != nil {
		t.Fatalf("PDF error: %v", r.PDFError)
	}

	text := pdfText(t, r.PDFPath)
	checkContains(t, "PDF text", text, "FACTURA", "Saldo pendiente", "TV por cable — Gold 300",
		"Efectivo", "01 dic 2026 – 31 dic 2026", "Servicio vigente hasta")
	if strings.Contains(text, "Dec 2026") {
		t.Errorf("PDF text has an English month:\n%s", text)
	}
}
