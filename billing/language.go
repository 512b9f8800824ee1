package billing

import (
	"fmt"
	"strings"
	"time"
)

// Language is a language of the screens, emails and invoices, named by its
// ISO 639-1 code.
type Language string

// The supported languages. English is the fallback for every other code.
const (
	English Language = "en"
	Spanish Language = "es"
)

// Languages lists the supported languages in the order the Settings screen
// offers them.
var Languages = []Language{English, Spanish}

// ParseLanguage returns the supported language of a locale name such as
// "es", "es-MX" or "es_MX.UTF-8", and English for any other name,
// including "" and "C".
func ParseLanguage(locale string) Language {
	name, _, _ := strings.Cut(strings.ToLower(locale), ".")
	base, _, _ := strings.Cut(strings.ReplaceAll(name, "_", "-"), "-")
	if Language(base) == Spanish {
		return Spanish
	}
	return English
}

// Name returns the language's name in that language, such as "Español".
func (l Language) Name() string {
	if l == Spanish {
		return "Español"
	}
	return "English"
}

// spanishMonths are the abbreviations of the months in Spanish, January
// first, written in lower case as Spanish writes month names.
var spanishMonths = [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// MonthAbbreviation returns the three-letter abbreviation of m in l, such
// as "Dec" in English and "dic" in Spanish.
func MonthAbbreviation(m time.Month, l Language) string {
	if m < time.January || m > time.December {
		return fmt.Sprint(int(m))
	}
	if l == Spanish {
		return spanishMonths[m-1]
	}
	return m.String()[:3]
}

// spanishMonthNames are the full names of the months in Spanish, January
// first, in lower case.
var spanishMonthNames = [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// MonthName returns the full name of m in l, such as "December" in English
// and "diciembre" in Spanish.
func MonthName(m time.Month, l Language) string {
	if l == Spanish && m >= time.January && m <= time.December {
		return spanishMonthNames[m-1]
	}
	return m.String()
}

// MonthLabelIn returns the month with its year in l, such as "Dec 2026" or
// "dic 2026", or "" for the zero Date.
func (d Date) MonthLabelIn(l Language) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s %d", MonthAbbreviation(d.Month, l), d.Year)
}

// FormatIn returns the date for people in l, such as "04 Dec 2026" or
// "04 dic 2026", or "" for the zero Date.
func (d Date) FormatIn(l Language) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d %s %d", d.Day, MonthAbbreviation(d.Month, l), d.Year)
}

// TranslateMonthLabel rewrites a label made by MonthLabel, such as
// "Dec 2026", in l. Any other text is returned unchanged.
func TranslateMonthLabel(label string, l Language) string {
	t, err := time.Parse("Jan 2006", label)
	if err != nil {
		return label
	}
	return DateOf(t).MonthLabelIn(l)
}
