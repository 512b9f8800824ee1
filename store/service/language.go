package service

import (
	"context"

	"github.com/ctvms/ctvms/billing"
)

// SetSystemLanguage sets the language used while the settings choose
// none. The window calls it at start-up with the system locale's language.
func (s *Service) SetSystemLanguage(l billing.Language) {
	s.systemLanguage.Store(l)
}

// LanguageChoice returns the language code stored in the settings, or ""
// when the system locale decides. It needs no session because the login
// screen is shown in that language.
func (s *Service) LanguageChoice(ctx context.Context) string {
	st, err := s.store.Settings(ctx)
	if err != nil {
		s.log.Warn("read language setting", "err", err)
		return ""
	}
	return st.Language
}

// Language returns the language of emails and invoices: the one chosen in
// the settings, else the one given to SetSystemLanguage, else English.
func (s *Service) Language(ctx context.Context) billing.Language {
	if code := s.LanguageChoice(ctx); code != "" {
		return billing.ParseLanguage(code)
	}
	if l, ok := s.systemLanguage.Load().(billing.Language); ok {
		return l
	}
	return billing.English
}
