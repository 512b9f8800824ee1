package service

import (
	"strings"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

// The names below are what emails and invoices print. The screens have
// their own translations in ui/translations.

// serviceName returns the name of a service in l, such as "TV por cable".
func serviceName(sv billing.Service, l billing.Language) string {
	if l == billing.Spanish {
		switch sv {
		case billing.ServiceCableTV:
			return "TV por cable"
		case billing.ServiceBroadband:
			return "Internet"
		}
	}
	return sv.Label()
}

// categoryName returns the category of a complaint in l.
func categoryName(c store.ComplaintCategory, l billing.Language) string {
	if l == billing.Spanish {
		switch c {
		case store.CategoryNoSignal:
			return "Sin señal"
		case store.CategorySetTopBox:
			return "Decodificador"
		case store.CategoryBilling:
			return "Facturación"
		case store.CategoryBroadbandDown:
			return "Internet caído"
		case store.CategorySlowSpeed:
			return "Velocidad lenta"
		case store.CategoryOther:
			return "Otro"
		}
	}
	return c.Label()
}

// complaintStatusName returns the status of a complaint in l.
func complaintStatusName(st store.ComplaintStatus, l billing.Language) string {
	if l == billing.Spanish {
		switch st {
		case store.ComplaintOpen:
			return "Abierto"
		case store.ComplaintInProgress:
			return "En curso"
		case store.ComplaintResolved:
			return "Resuelto"
		}
	}
	return st.Label()
}

// modeName returns a payment mode as printed in l, such as "Efectivo".
func modeName(mode string, l billing.Language) string {
	if l == billing.Spanish {
		switch mode {
		case store.ModeCash:
			return "Efectivo"
		case store.ModeOnline:
			return "En línea"
		}
	}
	return modeLabel(mode)
}

// monthsIn joins month labels such as "Dec 2026" in l, as in
// "dic 2026, ene 2027".
func monthsIn(months []string, l billing.Language) string {
	out := make([]string, len(months))
	for i, m := range months {
		out[i] = billing.TranslateMonthLabel(m, l)
	}
	return strings.Join(out, ", ")
}

// mailKindText returns the name of a kind of email for a message, such as
// "Payment reminder".
func mailKindText(k mailer.Kind) message.Text {
	switch k {
	case mailer.KindWelcome:
		return message.New("Welcome")
	case mailer.KindOTP:
		return message.New("Password OTP")
	case mailer.KindInvoice:
		return message.New("Invoice")
	case mailer.KindReminder:
		return message.New("Payment reminder")
	case mailer.KindComplaintReceived:
		return message.New("Complaint received")
	case mailer.KindComplaintResolved:
		return message.New("Complaint resolved")
	}
	return message.New("{{.Kind}}", "Kind", string(k))
}
