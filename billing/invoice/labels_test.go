package invoice

import (
	"strings"
	"testing"

	"github.com/ctvms/ctvms/billing"
)

func TestWriteSpanish(t *testing.T) {
	d := sampleDocument()
	d.Language = billing.Spanish
	d.Service, d.Mode = "TV por cable", "En línea"

	text := pdfText(t, writePDF(t, d))

	for _, want := range []string{
		"FACTURA",
		"Factura n.º",
		"04 dic 2026 14:05",
		"FACTURADO A",
		"Periodo",
		"Importe",
		"15 dic 2026 – 14 ene 2027",
		"Saldo pendiente",
		"Servicio vigente hasta",
		"14 feb 2027",
		"Recibido por",
		"Teléfono:",
		"Celular:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q; text:\n%s", want, text)
		}
	}
	for _, english := range []string{"INVOICE", "BILLED TO", "Balance due", "Dec 2026"} {
		if strings.Contains(text, english) {
			t.Errorf("Spanish PDF text has %q; text:\n%s", english, text)
		}
	}
}
