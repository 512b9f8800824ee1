// Package billing holds the pure rules of CTVMS: money, calendar dates,
// monthly periods, expiry and status. Nothing here touches a database, a
// clock or a widget, so every rule can be tested with plain values.
package billing

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ctvms/ctvms/billing/message"
)

// Money is an amount in minor units of the operator's currency (paise for
// INR, cents for USD). Arithmetic on Money is exact; it never passes through
// float64.
type Money int64

// MinorPerMajor is the number of minor units in one major unit. Every
// currency CTVMS supports has two decimals.
const MinorPerMajor = 100

// maxMajorDigits bounds typed amounts to 13 integer digits, far above any
// bill and well inside int64 once multiplied by MinorPerMajor.
const maxMajorDigits = 13

// ErrInvalidAmount is wrapped by every error ParseMoney returns.
var ErrInvalidAmount = errors.New("invalid amount")

// ParseMoney parses an amount typed by a person, such as "250", "19.99" or
// "8.4", into minor units. It accepts digits with at most one decimal point
// and at most two decimals, an optional thousands separator "," between
// groups of three digits, and surrounding spaces. It rejects empty input,
// signs, zero, exponents, hexadecimal, NaN and infinities, each with a
// message that names the typed value and what to type instead.
func ParseMoney(s string) (Money, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return 0, message.Wrap(ErrInvalidAmount, "the amount is empty; type an amount such as 250 or 19.99")
	}
	if strings.HasPrefix(text, "-") {
		return 0, amountError(s, "{{.Amount}} is negative; type a positive amount")
	}
	if strings.HasPrefix(text, "+") {
		return 0, amountError(s, "{{.Amount}} has a sign; type only digits and a decimal point")
	}
	whole, frac, hasPoint := strings.Cut(text, ".")
	if hasPoint && strings.Contains(frac, ".") {
		return 0, amountError(s, "{{.Amount}} has more than one decimal point")
	}
	whole, err := removeGroupSeparators(s, whole)
	if err != nil {
		return 0, err
	}
	if whole == "" && frac == "" {
		return 0, amountError(s, "{{.Amount}} has no digits; type an amount such as 250 or 19.99")
	}
	if !allDigits(whole) || !allDigits(frac) {
		return 0, amountError(s, "{{.Amount}} contains characters other than digits and one decimal point; type an amount such as 250 or 19.99")
	}
	if len(frac) > 2 {
		return 0, amountError(s, "{{.Amount}} has more than two decimals; round it to paise or cents, such as 19.99")
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxMajorDigits {
		return 0, amountError(s, "{{.Amount}} is too large")
	}

	var major int64
	for _, r := range whole {
		major = major*10 + int64(r-'0')
	}
	frac += strings.Repeat("0", 2-len(frac))
	minor := int64(frac[0]-'0')*10 + int64(frac[1]-'0')

	m := Money(major*MinorPerMajor + minor)
	if m == 0 {
		return 0, amountError(s, "{{.Amount}} is zero; type an amount greater than zero")
	}
	return m, nil
}

// removeGroupSeparators drops thousands separators from the integer part,
// accepting them only between groups of three digits ("1,250" but not "1,25").
func removeGroupSeparators(input, whole string) (string, error) {
	if !strings.Contains(whole, ",") {
		return whole, nil
	}
	groups := strings.Split(whole, ",")
	for i, g := range groups {
		if (i == 0 && (len(g) == 0 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return "", amountError(input, "{{.Amount}} has a misplaced comma; type the amount without commas, such as 1250.00")
		}
	}
	return strings.Join(groups, ""), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// amountError returns an error about the typed input. The key names the
// input as {{.Amount}}.
func amountError(input, key string) error {
	return message.Wrap(ErrInvalidAmount, key, "Amount", strconv.Quote(input))
}

// Plain returns the amount with two decimals and no symbol or separators,
// such as "1250.00", the form ParseMoney reads back.
func (m Money) Plain() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		if v == math.MinInt64 {
			return "-92233720368547758.08"
		}
		v = -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/MinorPerMajor, v%MinorPerMajor)
}

// Format returns the amount with the currency symbol, thousands separators
// and two decimals, such as "₹1,250.00" or "-₹40.00".
func (m Money) Format(symbol string) string {
	plain := m.Plain()
	sign := ""
	if strings.HasPrefix(plain, "-") {
		sign = "-"
		plain = plain[1:]
	}
	whole, frac, _ := strings.Cut(plain, ".")
	return sign + symbol + groupThousands(whole) + "." + frac
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Major returns the amount in major units as a float64, for charts and
// spreadsheet cells only. Never feed the result back into a calculation.
func (m Money) Major() float64 {
	return float64(m) / MinorPerMajor
}
