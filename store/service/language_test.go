package service

import (
	"testing"

	"github.com/ctvms/ctvms/billing"
)

func languageInput(code string) BusinessSettingsInput {
	return BusinessSettingsInput{BusinessName: "Sunrise Cable Network", CurrencySymbol: "₹",
		MinimumPayment: "250", GraceDays: "60", ReminderDailyLimit: "450", Language: code}
}

func TestLanguageFollowsSystemByDefault(t *testing.T) {
	e := newEnv(t)
	if got := e.svc.Language(e.ctx); got != billing.English {
		t.Errorf("language without a choice = %q, want English", got)
	}
	e.svc.SetSystemLanguage(billing.Spanish)
	if got := e.svc.Language(e.ctx); got != billing.Spanish {
		t.Errorf("language with a Spanish system = %q, want Spanish", got)
	}
	if got := e.svc.LanguageChoice(e.ctx); got != "" {
		t.Errorf("stored choice = %q, want none", got)
	}
}

func TestSaveLanguageChoice(t *testing.T) {
	e := newEnv(t)
	e.svc.SetSystemLanguage(billing.English)
	if err := e.svc.SaveBusinessSettings(e.ctx, e.admin, languageInput("es")); err != nil {
		t.Fatal(err)
	}
	if got := e.svc.Language(e.ctx); got != billing.Spanish {
		t.Errorf("language after choosing es = %q, want Spanish", got)
	}
	st, err := e.svc.BusinessSettings(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if st.Language != "es" {
		t.Errorf("BusinessSettings.Language = %q, want es", st.Language)
	}

	if err := e.svc.SaveBusinessSettings(e.ctx, e.admin, languageInput("")); err != nil {
		t.Fatal(err)
	}
	if got := e.svc.LanguageChoice(e.ctx); got != "" {
		t.Errorf("stored choice after choosing the system default = %q, want none", got)
	}
}

func TestSaveLanguageRejectsUnknownCode(t *testing.T) {
	e := newEnv(t)
	err := e.svc.SaveBusinessSettings(e.ctx, e.admin, languageInput("fr"))
	fe, ok := AsFieldErrors(err)
	if !ok || len(fe) != 1 || fe[0].Field != "language" {
		t.Fatalf("error = %v, want one field error on language", err)
	}
}
