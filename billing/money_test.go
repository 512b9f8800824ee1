package billing

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseMoneyAccepts(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Money
	}{
		{"two decimals", "19.99", 1999},
		{"trailing zero", "8.40", 840},
		{"one decimal", "8.4", 840},
		{"whole number", "250", 25000},
		{"separator and spaces", " 1,250.50 ", 125050},
		{"one paisa", "0.01", 1},
		{"leading zeros", "007.50", 750},
		{"no whole part", ".5", 50},
		{"trailing point", "5.", 500},
		{"two separators", "1,000,000", 100000000},
		{"largest", "9999999999999.99", 999999999999999},
		{"tab around", "\t42\n", 4200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.input)
			if err != nil {
				t.Fatalf("ParseMoney(%q) error: %v", tt.input, err)
			}
			if got != tt.want {
				t.Errorf("ParseMoney(%q) = %d, want %d", tt.input, got, tt.want)
			}
		})
	}
}

func TestParseMoneyRejects(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{"empty", ""},
		{"only spaces", "  "},
		{"letters", "abc"},
		{"negative", "-5"},
		{"plus sign", "+5"},
		{"zero", "0"},
		{"zero with decimals", "0.00"},
		{"exponent", "1e3"},
		{"capital exponent", "1E3"},
		{"hexadecimal", "0x10"},
		{"not a number", "NaN"},
		{"infinity short", "Inf"},
		{"infinity long", "infinity"},
		{"three decimals", "1.999"},
		{"two points", "1.2.3"},
		{"short group", "1,25"},
		{"arabic digits", "١٢٣"},
		{"space inside", "12 34"},
		{"too large", "99999999999999"},
		{"only point", "."},
		{"leading comma", ",250"},
		{"long first group", "1250,000"},
		{"comma in decimals", "1.2,5"},
		{"currency symbol", "₹250"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.input)
			if err == nil {
				t.Fatalf("ParseMoney(%q) = %d, want an error", tt.input, got)
			}
			if !errors.Is(err, ErrInvalidAmount) {
				t.Errorf("ParseMoney(%q) error %v does not wrap ErrInvalidAmount", tt.input, err)
			}
			if strings.TrimSpace(tt.input) != "" && !strings.Contains(err.Error(), tt.input) {
				t.Errorf("ParseMoney(%q) error %q does not name the input", tt.input, err)
			}
		})
	}
}

func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		name   string
		amount Money
		symbol string
		want   string
	}{
		{"rupees with separator", 125000, "₹", "₹1,250.00"},
		{"negative", -4000, "₹", "-₹40.00"},
		{"cents only", 5, "$", "$0.05"},
		{"zero", 0, "₹", "₹0.00"},
		{"million", 100000000, "$", "$1,000,000.00"},
		{"under a thousand", 99999, "₹", "₹999.99"},
		{"exactly a thousand", 100000, "₹", "₹1,000.00"},
		{"no symbol", 123456789, "", "1,234,567.89"},
		{"negative million", -100000001, "$", "-$1,000,000.01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.amount.Format(tt.symbol); got != tt.want {
				t.Errorf("Money(%d).Format(%q) = %q, want %q", tt.amount, tt.symbol, got, tt.want)
			}
		})
	}
}

func TestMoneyPlain(t *testing.T) {
	tests := []struct {
		name   string
		amount Money
		want   string
	}{
		{"whole", 125000, "1250.00"},
		{"one paisa", 1, "0.01"},
		{"negative", -4050, "-40.50"},
		{"smallest int64", math.MinInt64, "-92233720368547758.08"},
		{"largest int64", math.MaxInt64, "92233720368547758.07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.amount.Plain(); got != tt.want {
				t.Errorf("Money(%d).Plain() = %q, want %q", tt.amount, got, tt.want)
			}
		})
	}
}

func TestMoneyMajor(t *testing.T) {
	if got := Money(125050).Major(); got != 1250.5 {
		t.Errorf("Money(125050).Major() = %v, want 1250.5", got)
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, seed := range []string{
		"19.99", "8.4", "250", " 1,250.50 ", "0.01", "", "-5", "1e3", "NaN",
		"1,25", "١٢٣", "99999999999999", "9999999999999.99", ".5", "5.",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		m, err := ParseMoney(input)
		if err != nil {
			if !errors.Is(err, ErrInvalidAmount) {
				t.Fatalf("ParseMoney(%q) error %v does not wrap ErrInvalidAmount", input, err)
			}
			return
		}
		if m <= 0 {
			t.Fatalf("ParseMoney(%q) = %d, want a positive amount", input, m)
		}
		again, err := ParseMoney(m.Plain())
		if err != nil {
			t.Fatalf("ParseMoney(%q) of Plain() of %q error: %v", m.Plain(), input, err)
		}
		if again != m {
			t.Fatalf("ParseMoney(%q) = %d after Plain(), want %d", m.Plain(), again, m)
		}
	})
}
