package billing

import (
	"fmt"
	"time"
)

// Date is a calendar date in the operator's local time zone, such as an
// activation, expiry or period bound. It is not an instant: 31 March is the
// same Date wherever the machine is. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateLayout is the ISO 8601 form used to store and exchange dates.
const DateLayout = "2006-01-02"

// NewDate returns the given date, normalised as time.Date does
// (NewDate(2026, 2, 30) is 2 March 2026).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location. Pass
// t.In(time.Local) or a clock's local time to get the operator's date.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date in the YYYY-MM-DD form.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: use the form YYYY-MM-DD, such as 2026-03-31", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool {
	return d == Date{}
}

// String returns the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) utc() time.Time {
	return d.Time(time.UTC)
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.utc().AddDate(0, 0, n))
}

// DaysUntil returns the number of days from d to e, negative when e is
// earlier. It counts in Unix seconds rather than time.Duration, which
// saturates for spans longer than about 292 years.
func (d Date) DaysUntil(e Date) int {
	return int((e.utc().Unix() - d.utc().Unix()) / secondsPerDay)
}

const secondsPerDay = 24 * 60 * 60

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	return d.Compare(e) < 0
}

// After reports whether d is later than e.
func (d Date) After(e Date) bool {
	return d.Compare(e) > 0
}

// Compare returns -1, 0 or +1 as d is earlier than, equal to or later than e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	default:
		return cmp(d.Day, e.Day)
	}
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DaysIn returns the number of days in the given month.
func DaysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MonthLabel returns the month with its year, such as "Dec 2026", or "" for
// the zero Date.
func (d Date) MonthLabel() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s %d", d.Month.String()[:3], d.Year)
}
