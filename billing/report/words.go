package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
)

// Words are the fixed words a report prints around its data, in the
// report's language. An empty field prints the English word.
type Words struct {
	// Generated starts the line with the time the report was made, such
	// as "Generated" or "Generado el".
	Generated string
	// Page and Of make the page number line, such as "Page 2 of 5".
	Page, Of string
	// Total heads the totals row.
	Total string
	// NoRows is the line of a PDF report without rows.
	NoRows string
}

// English words of a report, printed for every empty field of Words.
const (
	englishGenerated = "Generated"
	englishPage      = "Page"
	englishOf        = "of"
	englishTotal     = "Total"
	englishNoRows    = "No rows match this report."
)

// word returns text, or english when text is empty.
func word(text, english string) string {
	if text == "" {
		return english
	}
	return text
}

// pagePrefix returns the page number line up to the page count, such as
// "Page 2 of ".
func (d *Document) pagePrefix(page int) string {
	return word(d.Words.Page, englishPage) + " " + strconv.Itoa(page) + " " + word(d.Words.Of, englishOf) + " "
}

func (d *Document) totalText() string {
	return word(d.Words.Total, englishTotal)
}

func (d *Document) noRowsText() string {
	return word(d.Words.NoRows, englishNoRows)
}

// generatedText returns the generation time as people read it, such as
// "Generated 04 Dec 2026 10:00".
func (d *Document) generatedText() string {
	return word(d.Words.Generated, englishGenerated) + " " + FormatMoment(d.Generated, d.Language)
}

// FormatMoment returns t in its own location as MomentLayout lays it out,
// with the month abbreviation in l, such as "01 Dec 2026 00:15" or
// "01 dic 2026 00:15".
func FormatMoment(t time.Time, l billing.Language) string {
	text := t.Format(MomentLayout)
	if l == billing.English || l == "" {
		return text
	}
	english := billing.MonthAbbreviation(t.Month(), billing.English)
	return strings.Replace(text, english, billing.MonthAbbreviation(t.Month(), l), 1)
}

// momentText returns a Moment cell as the PDF prints it, "" for the zero
// time.
func (d *Document) momentText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatMoment(t, d.Language)
}

// excelLocales are the Excel locale codes that make a date format show
// month names in a language other than English. 0x0C0A is Spanish (Spain,
// modern sort), whose abbreviations "ene" to "dic" are also those of Latin
// America.
var excelLocales = map[billing.Language]string{billing.Spanish: "[$-0C0A]"}

// excelDateFormat returns the number format of Moment cells, with the
// locale code of the report's language in front.
// NOTE: No test opens the file in a spreadsheet program. One that ignores
// the locale code shows the months in its own language.
func (d *Document) excelDateFormat() string {
	return excelLocales[d.Language] + ExcelDateFormat
}
