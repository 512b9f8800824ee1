package mailer

import (
	"strings"
	"testing"
	"time"
)

func validSettings() Settings {
	return Settings{
		Host:     "smtp.example.com",
		Port:     587,
		Security: SecuritySTARTTLS,
		Username: "billing@example.com",
		Password: "app-password",
		From:     "billing@example.com",
		FromName: "Sunrise Cable Network",
	}
}

func TestSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
		want   string // empty when the settings are valid
	}{
		{"valid", func(s *Settings) {}, ""},
		{"implicit TLS", func(s *Settings) { s.Security, s.Port = SecurityTLS, 465 }, ""},
		{"local relay without login", func(s *Settings) { s.Security, s.Port, s.Username, s.Password = SecurityNone, 25, "", "" }, ""},
		{"IPv6 host", func(s *Settings) { s.Host = "::1" }, ""},
		{"missing host", func(s *Settings) { s.Host = "" }, "SMTP host is missing"},
		{"host with port", func(s *Settings) { s.Host = "smtp.example.com:587" }, "enter the port in the port field"},
		{"host with scheme", func(s *Settings) { s.Host = "smtp://smtp.example.com" }, "without a scheme"},
		{"host with spaces", func(s *Settings) { s.Host = " smtp.example.com" }, "remove the spaces"},
		{"port zero", func(s *Settings) { s.Port = 0 }, "SMTP port 0 is invalid"},
		{"port too large", func(s *Settings) { s.Port = 65536 }, "SMTP port 65536 is invalid"},
		{"unknown security", func(s *Settings) { s.Security = "ssl" }, `SMTP security "ssl" is invalid`},
		{"empty security", func(s *Settings) { s.Security = "" }, `SMTP security "" is invalid`},
		{"username without password", func(s *Settings) { s.Password = "" }, "SMTP password is missing"},
		{"missing sender", func(s *Settings) { s.From = "" }, "sender address is missing"},
		{"sender with name", func(s *Settings) { s.From = "Billing <billing@example.com>" }, "enter a plain address"},
		{"sender without domain", func(s *Settings) { s.From = "billing" }, `sender address "billing" is invalid`},
		{"sender name with line break", func(s *Settings) { s.FromName = "Sunrise\r\nBcc: x@example.com" }, "sender name is invalid"},
		{"negative timeout", func(s *Settings) { s.Timeout = -time.Second }, "SMTP timeout -1s is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSettings()
			tt.change(&s)

			err := s.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestSettingsValidateNamesEveryBadField(t *testing.T) {
	s := Settings{Port: -1, Security: "ssl"}

	err := s.Validate()
	if err == nil {
		t.Fatal("Validate accepted empty settings")
	}
	for _, want := range []string{"host is missing", "port -1 is invalid", `security "ssl" is invalid`, "sender address is missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %q, want it to contain %q", err, want)
		}
	}
}

func TestSettingsValidateHidesPassword(t *testing.T) {
	s := validSettings()
	s.Password = "Secret-App-Password"
	s.Port = 0

	err := s.Validate()
	if err == nil || strings.Contains(err.Error(), s.Password) {
		t.Errorf("Validate() = %v, want an error without the password", err)
	}
}

func TestSettingsConfigured(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
		want   bool
	}{
		{"complete", func(s *Settings) {}, true},
		{"no host", func(s *Settings) { s.Host = " " }, false},
		{"no port", func(s *Settings) { s.Port = 0 }, false},
		{"no sender", func(s *Settings) { s.From = "" }, false},
		{"no login", func(s *Settings) { s.Username, s.Password = "", "" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSettings()
			tt.change(&s)
			if got := s.Configured(); got != tt.want {
				t.Errorf("Configured() = %v, want %v", got, tt.want)
			}
		})
	}
	if (Settings{}).Configured() {
		t.Error("zero Settings are configured")
	}
}

func TestSettingsTimeoutDefault(t *testing.T) {
	if got := (Settings{}).timeout(); got != DefaultTimeout {
		t.Errorf("timeout() of zero settings = %s, want %s", got, DefaultTimeout)
	}
	if got := (Settings{Timeout: time.Second}).timeout(); got != time.Second {
		t.Errorf("timeout() = %s, want 1s", got)
	}
}
