package billing

import (
	"testing"
	"time"
)

func TestParseLanguage(t *testing.T) {
	tests := []struct {
		locale string
		want   Language
	}{
		{"", English},
		{"C", English},
		{"C.UTF-8", English},
		{"en", English},
		{"en_IN.UTF-8", English},
		{"es", Spanish},
		{"es-MX", Spanish},
		{"es_AR.UTF-8", Spanish},
		{"ES", Spanish},
		{"fr_FR", English},
		{"est", English},
	}
	for _, tt := range tests {
		if got := ParseLanguage(tt.locale); got != tt.want {
			t.Errorf("ParseLanguage(%q) = %q, want %q", tt.locale, got, tt.want)
		}
	}
}

func TestDateInLanguage(t *testing.T) {
	d := NewDate(2026, time.December, 4)
	tests := []struct {
		name, got, want string
	}{
		{"english month", d.MonthLabelIn(English), "Dec 2026"},
		{"spanish month", d.MonthLabelIn(Spanish), "dic 2026"},
		{"english date", d.FormatIn(English), "04 Dec 2026"},
		{"spanish date", d.FormatIn(Spanish), "04 dic 2026"},
		{"spanish january", NewDate(2027, time.January, 31).FormatIn(Spanish), "31 ene 2027"},
		{"month label unchanged", d.MonthLabelIn(English), d.MonthLabel()},
		{"zero month", Date{}.MonthLabelIn(Spanish), ""},
		{"zero date", Date{}.FormatIn(Spanish), ""},
		{"translated label", TranslateMonthLabel("Aug 2026", Spanish), "ago 2026"},
		{"untouched label", TranslateMonthLabel("August", Spanish), "August"},
		{"english month name", MonthName(time.September, English), "September"},
		{"spanish month name", MonthName(time.September, Spanish), "septiembre"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
