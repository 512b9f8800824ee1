package billing

import (
	"testing"
	"time"
)

func date(year int, month time.Month, day int) Date {
	return Date{Year: year, Month: month, Day: day}
}

func TestNewDateNormalises(t *testing.T) {
	tests := []struct {
		name  string
		input Date
		want  Date
	}{
		{"valid", NewDate(2026, time.March, 31), date(2026, time.March, 31)},
		{"30 February", NewDate(2026, time.February, 30), date(2026, time.March, 2)},
		{"month 13", NewDate(2026, 13, 1), date(2027, time.January, 1)},
		{"day 0", NewDate(2026, time.March, 0), date(2026, time.February, 28)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.input != tt.want {
				t.Errorf("got %v, want %v", tt.input, tt.want)
			}
		})
	}
}

func TestDateAddDays(t *testing.T) {
	tests := []struct {
		name  string
		start Date
		days  int
		want  Date
	}{
		{"same day", date(2026, time.May, 10), 0, date(2026, time.May, 10)},
		{"month end", date(2026, time.January, 31), 1, date(2026, time.February, 1)},
		{"back over month end", date(2026, time.March, 1), -1, date(2026, time.February, 28)},
		{"year end", date(2026, time.December, 31), 1, date(2027, time.January, 1)},
		{"back over year end", date(2027, time.January, 1), -1, date(2026, time.December, 31)},
		{"into leap day", date(2028, time.February, 28), 1, date(2028, time.February, 29)},
		{"out of leap day", date(2028, time.February, 29), 1, date(2028, time.March, 1)},
		{"back onto leap day", date(2028, time.March, 1), -1, date(2028, time.February, 29)},
		{"century not leap", date(2100, time.February, 28), 1, date(2100, time.March, 1)},
		{"400 years leap", date(2000, time.February, 28), 1, date(2000, time.February, 29)},
		{"whole leap year", date(2028, time.January, 1), 366, date(2029, time.January, 1)},
		{"whole common year", date(2026, time.January, 1), 365, date(2027, time.January, 1)},
		{"sixty days back", date(2026, time.March, 1), -60, date(2025, time.December, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.start.AddDays(tt.days); got != tt.want {
				t.Errorf("%v.AddDays(%d) = %v, want %v", tt.start, tt.days, got, tt.want)
			}
		})
	}
}

func TestDateDaysUntil(t *testing.T) {
	tests := []struct {
		name     string
		from, to Date
		want     int
	}{
		{"same day", date(2026, time.May, 10), date(2026, time.May, 10), 0},
		{"next day", date(2026, time.May, 10), date(2026, time.May, 11), 1},
		{"earlier", date(2026, time.May, 10), date(2026, time.May, 1), -9},
		{"over leap day", date(2028, time.February, 1), date(2028, time.March, 1), 29},
		{"common February", date(2026, time.February, 1), date(2026, time.March, 1), 28},
		{"over year end", date(2026, time.December, 31), date(2027, time.January, 1), 1},
		{"leap year", date(2028, time.January, 1), date(2029, time.January, 1), 366},
		{"four hundred years", date(2000, time.January, 1), date(2400, time.January, 1), 146097},
		{"four hundred years back", date(2400, time.January, 1), date(2000, time.January, 1), -146097},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.from.DaysUntil(tt.to); got != tt.want {
				t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Date
	}{
		{"ordinary", "2026-03-31", date(2026, time.March, 31)},
		{"leap day", "2028-02-29", date(2028, time.February, 29)},
		{"first day", "2027-01-01", date(2027, time.January, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.input)
			if err != nil {
				t.Fatalf("ParseDate(%q) error: %v", tt.input, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.input, got, tt.want)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, input := range []string{
		"", "2026-02-30", "31/01/2026", "2027-02-29", "2026-13-01", "2026-3-1",
		"2026-03-31T00:00:00Z", " 2026-03-31", "today",
	} {
		t.Run(input, func(t *testing.T) {
			got, err := ParseDate(input)
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want an error", input, got)
			}
		})
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		want string
	}{
		{"zero date", Date{}, ""},
		{"padded", date(2026, time.March, 5), "2026-03-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDateCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b Date
		want int
	}{
		{"equal", date(2026, time.May, 10), date(2026, time.May, 10), 0},
		{"earlier day", date(2026, time.May, 9), date(2026, time.May, 10), -1},
		{"later month", date(2026, time.June, 1), date(2026, time.May, 31), 1},
		{"earlier year", date(2025, time.December, 31), date(2026, time.January, 1), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Compare(tt.b); got != tt.want {
				t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := tt.a.Before(tt.b); got != (tt.want < 0) {
				t.Errorf("%v.Before(%v) = %v, want %v", tt.a, tt.b, got, tt.want < 0)
			}
			if got := tt.a.After(tt.b); got != (tt.want > 0) {
				t.Errorf("%v.After(%v) = %v, want %v", tt.a, tt.b, got, tt.want > 0)
			}
		})
	}
}

func TestDaysIn(t *testing.T) {
	tests := []struct {
		name  string
		year  int
		month time.Month
		want  int
	}{
		{"January", 2026, time.January, 31},
		{"common February", 2026, time.February, 28},
		{"leap February", 2028, time.February, 29},
		{"century February", 2100, time.February, 28},
		{"April", 2026, time.April, 30},
		{"December", 2026, time.December, 31},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DaysIn(tt.year, tt.month); got != tt.want {
				t.Errorf("DaysIn(%d, %v) = %d, want %d", tt.year, tt.month, got, tt.want)
			}
		})
	}
}

func TestDateMonthLabel(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		want string
	}{
		{"December", date(2026, time.December, 31), "Dec 2026"},
		{"January", date(2027, time.January, 1), "Jan 2027"},
		{"zero date", Date{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.MonthLabel(); got != tt.want {
				t.Errorf("MonthLabel() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDateTimeInLocation(t *testing.T) {
	loc := time.FixedZone("IST", 5*3600+1800)
	d := date(2026, time.March, 31)
	got := d.Time(loc)
	if DateOf(got) != d {
		t.Errorf("DateOf(%v) = %v, want %v", got, DateOf(got), d)
	}
	if got.Hour() != 0 || got.Location() != loc {
		t.Errorf("Time(IST) = %v, want midnight in IST", got)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{"2026-03-31", "2028-02-29", "2026-02-30", "31/01/2026", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		d, err := ParseDate(input)
		if err != nil {
			return
		}
		if d.String() != input {
			t.Fatalf("ParseDate(%q) = %v, which does not print back as the input", input, d)
		}
	})
}
