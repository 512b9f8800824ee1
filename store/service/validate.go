package service

import (
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"unicode"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// FieldError is an invalid input value, named by its form field so the
// screen can show the message next to it. The message is a sentence: a
// screen that translates Text passes it through message.Sentence too.
type FieldError struct {
	Field string
	// Message is Text in English.
	Message string
	// Text is the message with its translation key and values.
	Text message.Text
}

// newFieldError returns the error of field with the message text.
func newFieldError(field string, text message.Text) *FieldError {
	return &FieldError{Field: field, Message: message.Sentence(text.String()), Text: text}
}

func (e *FieldError) Error() string { return e.Message }

// FieldErrors collects every invalid field of one form.
type FieldErrors []*FieldError

func (fe FieldErrors) Error() string {
	msgs := make([]string, len(fe))
	for i, e := range fe {
		msgs[i] = e.Message
	}
	return strings.Join(msgs, "\n")
}

// For returns the message for field, or "".
func (fe FieldErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// AsFieldErrors returns the field errors inside err, if any.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return fe, true
	}
	var one *FieldError
	if errors.As(err, &one) {
		return FieldErrors{one}, true
	}
	return nil, false
}

type validator struct {
	errs FieldErrors
}

func (v *validator) add(field string, text message.Text) {
	v.errs = append(v.errs, newFieldError(field, text))
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

func (v *validator) required(field string, label message.Text, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(field, message.New("{{.Label}} is required.", "Label", label))
	}
}

func (v *validator) maxLen(field string, label message.Text, value string, n int) {
	if len([]rune(value)) > n {
		v.add(field, message.New("{{.Label}} is longer than {{.Max}} characters; shorten it.", "Label", label, "Max", n))
	}
}

// mobile accepts 7 to 15 digits, with an optional leading + and spaces or
// dashes between digit groups, and returns the digits (with the +).
func (v *validator) mobile(field, value string) string {
	value = strings.TrimSpace(value)
	cleaned := strings.NewReplacer(" ", "", "-", "").Replace(value)
	digits := strings.TrimPrefix(cleaned, "+")
	if value == "" {
		v.add(field, message.New("Mobile number is required."))
		return value
	}
	if !isASCIIDigits(digits) || len(digits) < 7 || len(digits) > 15 {
		v.add(field, message.New("Mobile number {{.Mobile}} is invalid: use 7 to 15 digits, such as 9876543210 or "+
			"+919876543210.", "Mobile", strconv.Quote(value)))
		return value
	}
	return cleaned
}

func isASCIIDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func (v *validator) email(field, value string, required bool) string {
	value = strings.TrimSpace(value)
	if value == "" {
		if required {
			v.add(field, message.New("Email is required."))
		}
		return value
	}
	addr, err := mail.ParseAddress(value)
	if err != nil || addr.Address != value || !strings.Contains(value[strings.LastIndex(value, "@"):], ".") {
		v.add(field, message.New("Email {{.Email}} is invalid: use an address such as name@example.com.",
			"Email", strconv.Quote(value)))
	}
	return value
}

// date accepts an empty value or YYYY-MM-DD, not after latest when latest
// is set.
func (v *validator) date(field string, label message.Text, value string, latest billing.Date) string {
	value = strings.TrimSpace(value)
	if value == "" {
		return value
	}
	d, err := billing.ParseDate(value)
	if err != nil {
		v.add(field, message.New("{{.Label}} {{.Date}} is invalid: use the form YYYY-MM-DD, such as 1985-07-21.",
			"Label", label, "Date", strconv.Quote(value)))
		return value
	}
	if !latest.IsZero() && d.After(latest) {
		v.add(field, message.New("{{.Label}} {{.Date}} is in the future.", "Label", label, "Date", value))
	}
	return value
}

func (v *validator) postalCode(field, value string) string {
	value = strings.TrimSpace(value)
	for _, r := range value {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && r != '-' {
			v.add(field, message.New("Postal code {{.Code}} may contain only letters, digits, spaces and dashes.",
				"Code", strconv.Quote(value)))
			break
		}
	}
	return value
}

func (v *validator) noControl(field string, label message.Text, value string) {
	for _, r := range value {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			v.add(field, message.New("{{.Label}} contains a control character; retype it.", "Label", label))
			return
		}
	}
}

// The Check functions below validate one typed value as the forms' save
// methods do, so a screen can flag it while the user types. An empty value
// passes, because whether a field is required is decided on save.

// CheckMobile validates a mobile number.
func CheckMobile(value string) error {
	if strings.TrimSpace(value) == "" {
		return nil
	}
	var v validator
	v.mobile("mobile", value)
	return v.err()
}

// CheckEmail validates an email address.
func CheckEmail(value string) error {
	var v validator
	v.email("email", value, false)
	return v.err()
}

// CheckDate validates a calendar date typed as YYYY-MM-DD.
func CheckDate(value string) error {
	var v validator
	v.date("date", message.New("Date"), value, billing.Date{})
	return v.err()
}

// CheckAmount validates an amount of money.
func CheckAmount(value string) error {
	if strings.TrimSpace(value) == "" {
		return nil
	}
	if _, err := billing.ParseMoney(value); err != nil {
		return message.NewError("{{.Problem}}", "Problem", err)
	}
	return nil
}
