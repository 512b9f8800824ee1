package invoice

import (
	"time"

	"github.com/ctvms/ctvms/billing"
)

// labels are the fixed words printed on an invoice, in one language.
type labels struct {
	title, number, date                string
	phone, email, taxID, mobile        string
	billedTo, service, serviceName     string
	plan, period, description, amount  string
	amountPaid, mode, reference        string
	balanceDue, validUntil, receivedBy string
	infoTitle, infoSubject             string
}

var englishLabels = labels{
	title: "INVOICE", number: "Invoice no.", date: "Date",
	phone: "Phone: ", email: "Email: ", taxID: "Tax ID: ", mobile: "Mobile: ",
	billedTo: "BILLED TO", service: "SERVICE", serviceName: "Service",
	plan: "Plan", period: "Period", description: "Description", amount: "Amount",
	amountPaid: "Amount paid", mode: "Payment mode", reference: "Reference",
	balanceDue: "Balance due", validUntil: "Service valid until", receivedBy: "Received by",
	infoTitle: "Invoice ", infoSubject: "Invoice for ",
}

var spanishLabels = labels{
	title: "FACTURA", number: "Factura n.º", date: "Fecha",
	phone: "Teléfono: ", email: "Correo: ", taxID: "Id. fiscal: ", mobile: "Celular: ",
	billedTo: "FACTURADO A", service: "SERVICIO", serviceName: "Servicio",
	plan: "Plan", period: "Periodo", description: "Descripción", amount: "Importe",
	amountPaid: "Importe pagado", mode: "Medio de pago", reference: "Referencia",
	balanceDue: "Saldo pendiente", validUntil: "Servicio vigente hasta", receivedBy: "Recibido por",
	infoTitle: "Factura ", infoSubject: "Factura para ",
}

// labelsFor returns the words of an invoice in l, English for any
// language without its own.
func labelsFor(l billing.Language) labels {
	if l == billing.Spanish {
		return spanishLabels
	}
	return englishLabels
}

// formatDate returns d as "31 Jan 2026" or "31 ene 2026", or "" for the
// zero Date.
func formatDate(d billing.Date, l billing.Language) string {
	return d.FormatIn(l)
}

// formatTime returns t in its own location as "04 Dec 2026 14:05" or
// "04 dic 2026 14:05".
func formatTime(t time.Time, l billing.Language) string {
	return billing.DateOf(t).FormatIn(l) + " " + t.Format("15:04")
}
