package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/ctvms/ctvms/billing"
)

// Settings is the operator's business profile and the rules that can be
// tuned without a new release.
type Settings struct {
	BusinessName    string
	BusinessAddress string
	BusinessPhone   string
	BusinessEmail   string
	TaxID           string
	CurrencyCode    string
	CurrencySymbol  string
	MinimumPayment  billing.Money
	GraceDays       int
	InvoiceFooter   string
	// Language is the code of the language of the screens, emails and
	// invoices, such as "es", or "" to follow the system locale.
	Language string
	// ReminderDailyLimit caps reminder emails queued per day.
	ReminderDailyLimit int
	// ReminderQuietDays is how long after a reminder a customer is skipped
	// unless the admin forces another one.
	ReminderQuietDays int

	SMTPHost     string
	SMTPPort     int
	SMTPSecurity string
	SMTPUsername string
	SMTPPassword string
	SMTPFrom     string
	SMTPFromName string
	// SMTPTimeoutSeconds bounds the connection and each SMTP command.
	SMTPTimeoutSeconds int
}

// DefaultSettings returns the settings of a new installation.
func DefaultSettings() Settings {
	return Settings{
		CurrencyCode:       "INR",
		CurrencySymbol:     "₹",
		MinimumPayment:     25000,
		GraceDays:          60,
		InvoiceFooter:      "Thank you for your payment. Please keep this invoice for your records.",
		ReminderDailyLimit: 450,
		ReminderQuietDays:  7,
		SMTPPort:           587,
		SMTPSecurity:       "starttls",
		SMTPTimeoutSeconds: 20,
	}
}

// settingFields maps each stored key to its field, so loading and saving
// share one list.
func settingFields(s *Settings) map[string]any {
	return map[string]any{
		"business_name":        &s.BusinessName,
		"business_address":     &s.BusinessAddress,
		"business_phone":       &s.BusinessPhone,
		"business_email":       &s.BusinessEmail,
		"tax_id":               &s.TaxID,
		"currency_code":        &s.CurrencyCode,
		"currency_symbol":      &s.CurrencySymbol,
		"minimum_payment":      (*int64)(&s.MinimumPayment),
		"grace_days":           &s.GraceDays,
		"invoice_footer":       &s.InvoiceFooter,
		"language":             &s.Language,
		"reminder_daily_limit": &s.ReminderDailyLimit,
		"reminder_quiet_days":  &s.ReminderQuietDays,
		"smtp_host":            &s.SMTPHost,
		"smtp_port":            &s.SMTPPort,
		"smtp_security":        &s.SMTPSecurity,
		"smtp_username":        &s.SMTPUsername,
		"smtp_password":        &s.SMTPPassword,
		"smtp_from":            &s.SMTPFrom,
		"smtp_from_name":       &s.SMTPFromName,
		"smtp_timeout_seconds": &s.SMTPTimeoutSeconds,
	}
}

// Settings returns the stored settings, with defaults for keys never saved.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	return loadSettings(ctx, s.ro)
}

func loadSettings(ctx context.Context, q queryer) (Settings, error) {
	out := DefaultSettings()
	fields := settingFields(&out)
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return out, fmt.Errorf("load settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return out, fmt.Errorf("load settings: %w", err)
		}
		if err := setField(fields[key], value); err != nil {
			return out, fmt.Errorf("load setting %s: %w", key, err)
		}
	}
	return out, rows.Err()
}

func setField(field any, value string) error {
	var err error
	switch p := field.(type) {
	case *string:
		*p = value
	case *int:
		*p, err = strconv.Atoi(value)
	case *int64:
		*p, err = strconv.ParseInt(value, 10, 64)
	}
	return err
}

// SaveSettings stores every setting in one transaction and records who
// changed them. The SMTP password never reaches the audit log.
func (s *Store) SaveSettings(ctx context.Context, actor string, in Settings) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := saveSettings(ctx, tx, in); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{Actor: actor, Action: "settings.update", Entity: "settings"})
	})
}

func saveSettings(ctx context.Context, tx *sql.Tx, in Settings) error {
	for key, field := range settingFields(&in) {
		var value string
		switch p := field.(type) {
		case *string:
			value = *p
		case *int:
			value = strconv.Itoa(*p)
		case *int64:
			value = strconv.FormatInt(*p, 10)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return fmt.Errorf("save setting %s: %w", key, err)
		}
	}
	return nil
}
