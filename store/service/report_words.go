package service

import (
	"os"
	"strconv"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/report"
)

// reportWords are the words of a report and its preview in one language.
// A value missing from one of the maps is printed as stored, which is how
// the English report prints states, statuses and payment modes.
type reportWords struct {
	kinds         map[ReportKind]string
	paidColumns   []report.Column
	unpaidColumns []report.Column
	// beforeYear joins the month and the year in the title, as in
	// "December 2026" or "diciembre de 2026".
	beforeYear string
	// count is the CountLabel of the totals row.
	count    string
	states   map[billing.PeriodState]string
	statuses map[billing.Status]string
	modes    map[string]string
	file     report.Words
}

var englishReportWords = reportWords{
	kinds:         map[ReportKind]string{ReportPaid: "paid", ReportUnpaid: "unpaid"},
	paidColumns:   paidColumns,
	unpaidColumns: unpaidColumns,
	beforeYear:    " ",
	count:         "%d customers",
}

// spanishReportWords are the Spanish words. Some columns are wider than
// in English, because their titles are longer; the PDF shares the page
// width in proportion, so the page still fits.
var spanishReportWords = reportWords{
	kinds: map[ReportKind]string{ReportPaid: "pagados", ReportUnpaid: "impagos"},
	paidColumns: []report.Column{
		{Title: "CRF", Kind: report.Text, Width: 8},
		{Title: "Nombre", Kind: report.Text, Width: 26},
		{Title: "Celular", Kind: report.Text, Width: 15},
		{Title: "Plan", Kind: report.Text, Width: 16},
		{Title: "Monto pagado", Kind: report.Amount, Width: 14},
		{Title: "Pagado el", Kind: report.Moment, Width: 18},
		{Title: "Medio de pago", Kind: report.Text, Width: 13},
		{Title: "Referencia", Kind: report.Text, Width: 16},
		{Title: "Factura", Kind: report.Text, Width: 18},
	},
	unpaidColumns: []report.Column{
		{Title: "CRF", Kind: report.Text, Width: 8},
		{Title: "Nombre", Kind: report.Text, Width: 28},
		{Title: "Celular", Kind: report.Text, Width: 15},
		{Title: "Zona", Kind: report.Text, Width: 20},
		{Title: "Plan", Kind: report.Text, Width: 16},
		{Title: "Saldo del mes", Kind: report.Amount, Width: 15},
		{Title: "Saldo total", Kind: report.Amount, Width: 15},
		{Title: "Cuota", Kind: report.Text, Width: 10},
		{Title: "Servicio", Kind: report.Text, Width: 13},
	},
	beforeYear: " de ",
	count:      "%d clientes",
	states: map[billing.PeriodState]string{
		billing.StateScheduled: "programado", billing.StateDue: "pendiente", billing.StatePartial: "parcial",
		billing.StatePaid: "pagado", billing.StateWaived: "condonado", billing.StateSkipped: "omitido",
	},
	statuses: map[billing.Status]string{
		billing.StatusActive: "activo", billing.StatusInactive: "inactivo",
		billing.StatusSuspended: "suspendido", billing.StatusDisconnected: "desconectado",
	},
	modes: map[string]string{"cash": "efectivo", "online": "en línea"},
	file: report.Words{Generated: "Generado el", Page: "Página", Of: "de", Total: "Total",
		NoRows: "No hay clientes en este informe."},
}

// reportWordsFor returns the report words of l, English for any language
// without its own.
func reportWordsFor(l billing.Language) *reportWords {
	if l == billing.Spanish {
		return &spanishReportWords
	}
	return &englishReportWords
}

func (w *reportWords) columns(kind ReportKind) []report.Column {
	if kind == ReportPaid {
		return w.paidColumns
	}
	return w.unpaidColumns
}

// translated returns the word for value in words, or value as stored.
func translated[K ~string](words map[K]string, value K) string {
	if word, ok := words[value]; ok {
		return word
	}
	return string(value)
}

// TitleIn returns the filter in words in l, such as "Cable TV — unpaid —
// December 2026" or "TV por cable — impagos — diciembre de 2026".
func (f ReportFilter) TitleIn(l billing.Language) string {
	w := reportWordsFor(l)
	return serviceName(f.Service, l) + " — " + translated(w.kinds, f.Kind) + " — " +
		billing.MonthName(f.Month, l) + w.beforeYear + strconv.Itoa(f.Year)
}

// localeLanguage returns the language of the process's locale, read from
// LC_ALL, LC_MESSAGES and LANG in the order POSIX gives them precedence,
// for the report command, which runs without a window.
func localeLanguage() billing.Language {
	for _, key := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if value := os.Getenv(key); value != "" {
			return billing.ParseLanguage(value)
		}
	}
	return billing.English
}
