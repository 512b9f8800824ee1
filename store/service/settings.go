package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
)

// Bounds of the business settings form.
const (
	MinGraceDays          = 1
	MaxGraceDays          = 365
	MinReminderDailyLimit = 1
	// MaxReminderDailyLimit only catches typing errors. The limit that
	// matters is the mail provider's, which the admin types in.
	MaxReminderDailyLimit = 100000
	// maxMinimumPayment bounds the minimum payment to 10 lakh rupees
	// (1,000,000.00), far above any monthly bill.
	maxMinimumPayment billing.Money = 100000000
)

// maxCurrencySymbol bounds the currency symbol, in characters.
const maxCurrencySymbol = 5

// BusinessSettings is the business profile and billing rules as the
// Settings screen shows them. The SMTP settings are on the Email screen.
type BusinessSettings struct {
	BusinessName       string
	BusinessAddress    string
	BusinessPhone      string
	BusinessEmail      string
	TaxID              string
	InvoiceFooter      string
	CurrencySymbol     string
	MinimumPayment     billing.Money
	GraceDays          int
	ReminderDailyLimit int
	// Language is the chosen language code, or "" to follow the system
	// locale.
	Language string
}

// BusinessSettingsInput is the Settings form as typed. Numbers and the
// amount are text, parsed here.
type BusinessSettingsInput struct {
	BusinessName    string
	BusinessAddress string
	BusinessPhone   string
	BusinessEmail   string
	TaxID           string
	InvoiceFooter   string
	CurrencySymbol  string
	// MinimumPayment is an amount such as "250" or "199.50".
	MinimumPayment     string
	GraceDays          string
	ReminderDailyLimit string
	// Language is a code of billing.Languages, or "" to follow the system
	// locale.
	Language string
}

// BusinessSettings returns the business profile and billing rules. Admin
// only.
func (s *Service) BusinessSettings(ctx context.Context, sess Session) (BusinessSettings, error) {
	if err := requireAdmin(sess); err != nil {
		return BusinessSettings{}, err
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return BusinessSettings{}, err
	}
	return BusinessSettings{
		BusinessName:       st.BusinessName,
		BusinessAddress:    st.BusinessAddress,
		BusinessPhone:      st.BusinessPhone,
		BusinessEmail:      st.BusinessEmail,
		TaxID:              st.TaxID,
		InvoiceFooter:      st.InvoiceFooter,
		CurrencySymbol:     st.CurrencySymbol,
		MinimumPayment:     st.MinimumPayment,
		GraceDays:          st.GraceDays,
		ReminderDailyLimit: st.ReminderDailyLimit,
		Language:           st.Language,
	}, nil
}

// SaveBusinessSettings validates and stores the business profile and
// billing rules, leaving the other settings as they are. Invalid input
// returns FieldErrors with the fields business_name, business_address,
// business_phone, business_email, tax_id, invoice_footer, currency_symbol,
// minimum_payment, grace_days, reminder_daily_limit and language. Admin
// only.
//
// NOTE: the settings are read and then written back whole, so an SMTP
// change saved by another copy of the program between the two steps is
// overwritten.
func (s *Service) SaveBusinessSettings(ctx context.Context, sess Session, in BusinessSettingsInput) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	var v validator
	text := func(field string, label message.Text, value string, maxRunes int, multiLine bool) string {
		value = strings.TrimSpace(strings.ReplaceAll(value, "\r\n", "\n"))
		v.maxLen(field, label, value, maxRunes)
		if !utf8.ValidString(value) {
			v.add(field, message.New("{{.Label}} contains invalid characters; retype it.", "Label", label))
		}
		if !multiLine && strings.ContainsAny(value, "\r\n") {
			v.add(field, message.New("{{.Label}} must be one line; remove the line breaks.", "Label", label))
		}
		v.noControl(field, label, value)
		return value
	}
	name := text("business_name", message.New("Business name"), in.BusinessName, 120, false)
	v.required("business_name", message.New("Business name"), name)
	address := text("business_address", message.New("Address"), in.BusinessAddress, 300, true)
	phone := text("business_phone", message.New("Phone"), in.BusinessPhone, 40, false)
	email := v.email("business_email", in.BusinessEmail, false)
	taxID := text("tax_id", message.New("Tax ID"), in.TaxID, 40, false)
	footer := text("invoice_footer", message.New("Invoice footer"), in.InvoiceFooter, 500, true)
	symbol := text("currency_symbol", message.New("Currency symbol"), in.CurrencySymbol, maxCurrencySymbol, false)
	v.required("currency_symbol", message.New("Currency symbol"), symbol)
	minimum := parseMinimumPayment(&v, in.MinimumPayment)
	grace := parseBoundedNumber(&v, "grace_days", message.New("Grace days"), in.GraceDays, MinGraceDays, MaxGraceDays)
	limit := parseBoundedNumber(&v, "reminder_daily_limit", message.New("Reminder daily limit"), in.ReminderDailyLimit,
		MinReminderDailyLimit, MaxReminderDailyLimit)
	language := parseLanguageChoice(&v, in.Language)
	if err := v.err(); err != nil {
		return err
	}

	st, err := s.store.Settings(ctx)
	if err != nil {
		return err
	}
	st.BusinessName, st.BusinessAddress, st.BusinessPhone, st.BusinessEmail = name, address, phone, email
	st.TaxID, st.InvoiceFooter, st.CurrencySymbol = taxID, footer, symbol
	st.MinimumPayment, st.GraceDays, st.ReminderDailyLimit = minimum, grace, limit
	st.Language = language
	if err := s.store.SaveSettings(ctx, sess.Username, st); err != nil {
		return err
	}
	s.log.Info("business settings saved", "user_id", sess.UserID, "grace_days", grace,
		"minimum_payment", minimum.Plain(), "reminder_daily_limit", limit, "language", language)
	return nil
}

func parseMinimumPayment(v *validator, text string) billing.Money {
	m, err := billing.ParseMoney(text)
	switch {
	case err != nil:
		v.add("minimum_payment", personText(err, message.New("Minimum payment")))
	case m > maxMinimumPayment:
		v.add("minimum_payment", message.New("Minimum payment {{.Amount}} is too large; use at most {{.Max}}.",
			"Amount", m.Plain(), "Max", maxMinimumPayment.Plain()))
	}
	return m
}

// parseBoundedNumber parses a required whole number between lo and hi.
func parseBoundedNumber(v *validator, field string, label message.Text, text string, lo, hi int) int {
	if strings.TrimSpace(text) == "" {
		v.add(field, message.New("{{.Label}} is required: enter a whole number from {{.Min}} to {{.Max}}.",
			"Label", label, "Min", lo, "Max", hi))
		return 0
	}
	before := len(v.errs)
	n := parseWholeNumber(v, field, label, text, 0)
	if len(v.errs) == before && (n < lo || n > hi) {
		v.add(field, message.New("{{.Label}} {{.Number}} is out of range: enter a whole number from {{.Min}} to {{.Max}}.",
			"Label", label, "Number", n, "Min", lo, "Max", hi))
	}
	return n
}

// parseLanguageChoice accepts "" (follow the system locale) or the code of
// a supported language.
func parseLanguageChoice(v *validator, code string) string {
	code = strings.TrimSpace(code)
	if code == "" || slices.Contains(billing.Languages, billing.Language(code)) {
		return code
	}
	v.add("language", message.New("Language {{.Code}} is not supported; choose English or Español.",
		"Code", strconv.Quote(code)))
	return ""
}
