package service

import "testing"

func TestCheckFunctions(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		value string
		ok    bool
	}{
		{"mobile empty", CheckMobile, "", true},
		{"mobile digits", CheckMobile, "98765 43210", true},
		{"mobile with plus", CheckMobile, "+919876543210", true},
		{"mobile letters", CheckMobile, "98abc", false},
		{"mobile too short", CheckMobile, "12345", false},
		{"email empty", CheckEmail, "", true},
		{"email valid", CheckEmail, "asha@example.com", true},
		{"email without domain", CheckEmail, "asha@", false},
		{"date empty", CheckDate, "", true},
		{"date valid", CheckDate, "1990-05-17", true},
		{"date day first", CheckDate, "17/05/1990", false},
		{"date impossible", CheckDate, "2026-02-30", false},
		{"amount empty", CheckAmount, "", true},
		{"amount valid", CheckAmount, "1,250.50", true},
		{"amount exponent", CheckAmount, "1e3", false},
		{"amount negative", CheckAmount, "-5", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check(tt.value)
			if tt.ok && err != nil {
				t.Errorf("%q rejected: %v", tt.value, err)
			}
			if !tt.ok && err == nil {
				t.Errorf("%q accepted", tt.value)
			}
		})
	}
}
