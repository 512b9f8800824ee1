package ui

// Translations: every text a person reads goes through lang.L with the
// English text as the key, and ui/translations holds one JSON file per
// language keyed by that text. Values inside a sentence are named
// text/template placeholders filled from a map, never fmt verbs, so that a
// translation can move them:
//
//	lang.L("CRF {{.CRF}} was not found.", map[string]any{"CRF": crf})
//
// Messages composed outside this package, such as validation errors, are
// message.Text values whose key is their English template. translateText
// looks the key up here, and TestTranslationKeysPresent collects those keys
// from the sources of billing, store and mailer.
//
// Texts that are not words, such as "—" and "CTVMS", and texts built from
// values only, such as "%s: %s", are left out; TestVisibleTextTranslated
// lists the ones it accepts.
//
// Dates use the chosen language's month abbreviations ("04 dic 2026").
// Amounts keep Money.Format in every language: the settings store only a
// currency symbol, with no decimal or group separator, so ₹1,250.00 reads
// the same in English and Spanish.

import (
	"embed"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/mailer"
	"github.com/ctvms/ctvms/store"
)

//go:embed translations/*.json
var translationFiles embed.FS

var (
	registerOnce sync.Once
	languageMu   sync.Mutex
	// activeLanguage is the language the texts are currently shown in.
	activeLanguage = billing.English
)

// registerTranslations adds the English and Spanish texts to Fyne's
// translation bundle once, so English is the fallback of every key.
func registerTranslations() {
	registerOnce.Do(func() {
		if err := lang.AddTranslationsFS(translationFiles, "translations"); err != nil {
			fyne.LogError("load translations", err)
		}
	})
}

// systemLanguage returns the supported language of the system locale,
// English when the locale is another language or unset.
func systemLanguage() billing.Language {
	return billing.ParseLanguage(lang.SystemLocale().LanguageString())
}

// resolveLanguage returns the language of a stored choice, where ""
// follows the system locale.
func resolveLanguage(choice string) billing.Language {
	if choice == "" {
		return systemLanguage()
	}
	return billing.ParseLanguage(choice)
}

// applyLanguage makes lang.L return texts in l from now on. Widgets built
// before keep their texts until they are built again.
//
// Fyne 2.7 has no call that picks a language: its localizer always follows
// the system locale. So the texts of l are also registered under the
// system locale's own tag, which Fyne's matcher then prefers over every
// other tag.
func applyLanguage(l billing.Language) {
	registerTranslations()
	languageMu.Lock()
	defer languageMu.Unlock()
	data, err := translationFiles.ReadFile("translations/" + string(l) + ".json")
	if err != nil {
		fyne.LogError("read translations of "+string(l), err)
		return
	}
	if err := lang.AddTranslationsForLocale(data, lang.SystemLocale()); err != nil {
		fyne.LogError("apply translations of "+string(l), err)
		return
	}
	activeLanguage = l
}

// currentLanguage returns the language the texts are shown in.
func currentLanguage() billing.Language {
	languageMu.Lock()
	defer languageMu.Unlock()
	return activeLanguage
}

// formatDate writes a calendar date for people, such as "04 Dec 2026" or
// "04 dic 2026", and "—" for the zero Date.
func formatDate(d billing.Date) string {
	if d.IsZero() {
		return "—"
	}
	return d.FormatIn(currentLanguage())
}

// formatWithMonth formats t with a time.Format layout and writes the month
// abbreviation ("Jan" in the layout) in the current language.
func formatWithMonth(t time.Time, layout string) string {
	text := t.Format(layout)
	if !strings.Contains(layout, "Jan") {
		return text
	}
	english := billing.MonthAbbreviation(t.Month(), billing.English)
	return strings.Replace(text, english, billing.MonthAbbreviation(t.Month(), currentLanguage()), 1)
}

// monthName returns the full name of m in the current language, with a
// capital first letter as a list item starts, such as "Diciembre".
func monthName(m time.Month) string {
	name := billing.MonthName(m, currentLanguage())
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}

// monthNames returns the twelve month names for a select, January first.
func monthNames() []string {
	names := make([]string, 0, 12)
	for m := time.January; m <= time.December; m++ {
		names = append(names, monthName(m))
	}
	return names
}

// formatDateTime writes an instant in local time for people, such as
// "04 Dec 2026 10:30" or "04 dic 2026 10:30".
// expiryLabel formats a connection's expiry, or says that nothing is paid
// since its (re)activation, when the expiry is the day before the anchor.
func expiryLabel(c store.Connection) string {
	if c.ExpiresOn.Before(c.AnchorOn) {
		return lang.L("not paid yet")
	}
	return formatDate(c.ExpiresOn)
}

func formatDateTime(t time.Time) string {
	return formatWithMonth(t.Local(), "02 Jan 2006 15:04")
}

// monthsLabel joins month labels such as "Dec 2026" in the current
// language.
func monthsLabel(months []string) string {
	out := make([]string, len(months))
	for i, m := range months {
		out[i] = billing.TranslateMonthLabel(m, currentLanguage())
	}
	return strings.Join(out, ", ")
}

// serviceLabel returns the name of a service, such as "Cable TV".
func serviceLabel(s billing.Service) string {
	switch s {
	case billing.ServiceCableTV:
		return lang.L("Cable TV")
	case billing.ServiceBroadband:
		return lang.L("Broadband")
	}
	return string(s)
}

// statusLabel returns the status of a connection, such as "Active".
func statusLabel(s billing.Status) string {
	switch s {
	case billing.StatusActive:
		return lang.L("Active")
	case billing.StatusInactive:
		return lang.L("Inactive")
	case billing.StatusSuspended:
		return lang.L("Suspended")
	case billing.StatusDisconnected:
		return lang.L("Disconnected")
	}
	return string(s)
}

// periodStateLabel returns the state of a billing period, such as "paid".
func periodStateLabel(s billing.PeriodState) string {
	switch s {
	case billing.StateScheduled:
		return lang.L("scheduled")
	case billing.StateDue:
		return lang.L("due")
	case billing.StatePartial:
		return lang.L("partial")
	case billing.StatePaid:
		return lang.L("paid")
	case billing.StateWaived:
		return lang.L("waived")
	case billing.StateSkipped:
		return lang.L("skipped")
	}
	return string(s)
}

// complaintStatusLabel returns the status of a complaint, such as "Open".
func complaintStatusLabel(s store.ComplaintStatus) string {
	switch s {
	case store.ComplaintOpen:
		return lang.L("Open")
	case store.ComplaintInProgress:
		return lang.L("In progress")
	case store.ComplaintResolved:
		return lang.L("Resolved")
	}
	return string(s)
}

// complaintCategoryLabel returns the category of a complaint, such as
// "No signal".
func complaintCategoryLabel(c store.ComplaintCategory) string {
	switch c {
	case store.CategoryNoSignal:
		return lang.L("No signal")
	case store.CategorySetTopBox:
		return lang.L("Set-top box")
	case store.CategoryBilling:
		return lang.L("Billing")
	case store.CategoryBroadbandDown:
		return lang.L("Broadband down")
	case store.CategorySlowSpeed:
		return lang.L("Slow speed")
	case store.CategoryOther:
		return lang.X("complaint.category.other", "Other")
	}
	return string(c)
}

// mailKindLabel returns the name of a kind of email, such as "Welcome".
func mailKindLabel(k mailer.Kind) string {
	switch k {
	case mailer.KindWelcome:
		return lang.L("Welcome")
	case mailer.KindOTP:
		return lang.L("Password OTP")
	case mailer.KindInvoice:
		return lang.L("Invoice")
	case mailer.KindReminder:
		return lang.L("Payment reminder")
	case mailer.KindComplaintReceived:
		return lang.L("Complaint received")
	case mailer.KindComplaintResolved:
		return lang.L("Complaint resolved")
	}
	return string(k)
}

// pageLabel returns the shown title of a navigation page. Page titles are
// English identifiers (tests and shortcuts open pages by them), so they
// are translated only when shown; TestTranslationKeysPresent reads them
// from the page literals.
func pageLabel(title string) string {
	return lang.L(title)
}
